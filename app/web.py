"""htmx-aware rendering, redirects, error pages and template helpers shared by every blueprint."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import format_date, format_datetime, format_decimal, ngettext
from flask_wtf.csrf import CSRFError
from jinja2_fragments.flask import render_block
from werkzeug.routing import IntegerConverter, UnicodeConverter

from app import permissions
from app.forms import FlaskForm  # cleans every text field (see app/forms.py)


class EmptyForm(FlaskForm):
    """For button-only POSTs: the form exists to carry the CSRF token."""


def wants_fragment() -> bool:
    """An htmx request asks for a fragment, except when htmx restores history and needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def render_page(template: str, block: str | None = None, status: int = 200, **context) -> tuple[str, int]:
    """Render the page, or only its named block for an htmx request."""
    if block and wants_fragment():
        return render_block(template, block, **context), status
    return render_template(template, **context), status


def redirect_to(url: str) -> Response:
    """After a POST: a real navigation for htmx (HX-Redirect) and a 303 otherwise."""
    if request.htmx:
        response = Response(status=204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=303)


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail, on the configured BASE_URL (never the request's Host header)."""
    return current_app.config["BASE_URL"] + url_for(endpoint, **values)


def safe_next_url(target: str | None) -> str | None:
    """Only same-site relative paths are followed after sign-in (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target.rstrip("?") or None


def local_date(value, fmt: str = "medium") -> str:
    """A date for people: stored moments are UTC, shown in Europe/Rome (Babel's default zone), in the reader's language.

    Templates use it as the `date` filter and Python code (form choices) calls it, so one moment reads the same
    everywhere."""
    return format_date(value, fmt) if value else ""


def local_datetime(value, fmt: str = "medium") -> str:
    """A date and time for people, in Europe/Rome (the `datetime` filter)."""
    return format_datetime(value, fmt) if value else ""


def human_size(size: int | None) -> str:
    """A file size as people read it, in the reader's language: "94 byte", "1,2 KB", "3,4 MB"."""
    size = size or 0
    if size < 1024:
        return ngettext("%(num)d byte", "%(num)d byte", size)
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            break
    return f"{format_decimal(round(size, 1), format='#,##0.#')} {unit}"


def set_language(code: str) -> None:
    session["lang"] = code


class IdConverter(IntegerConverter):
    """`<int:…>` in a URL: an id the database can hold (32-bit INTEGER on PostgreSQL), else 404 rather than 500."""

    def __init__(self, url_map, fixed_digits: int = 0, min: int | None = None, max: int | None = None,
                 signed: bool = False) -> None:
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=2**31 - 1 if max is None else max,
                         signed=signed)


class SegmentConverter(UnicodeConverter):
    """A path segment (slug, token, action) without control characters: NUL never reaches the database (404)."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        super().__init__(url_map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", "[^/\\x00-\\x1f\\x7f]", 1)


def init_web(app: Flask) -> None:
    from app.assets import init_assets

    init_assets(app)  # first, so that its after_request runs last (after Vary is added, which it drops for files)
    # Before any blueprint adds its rules: a rule compiles with the converters registered at that moment.
    app.url_map.converters.update(int=IdConverter, default=SegmentConverter, string=SegmentConverter)

    @app.before_request
    def sane_page_number() -> None:
        # A page number is a small positive integer; anything else is a page that does not exist.
        page = request.args.get("page")
        if page is not None and not (page.isascii() and page.isdigit() and 0 < int(page) <= 100_000):
            abort(404)

    @app.after_request
    def vary_on_htmx(response: Response) -> Response:
        # Caches must not serve a fragment for a full page or the other way round.
        response.vary.add("HX-Request")
        response.vary.add("HX-History-Restore-Request")
        return response

    @app.context_processor
    def template_helpers() -> dict:
        from flask_babel import get_locale

        from flask_login import current_user

        unread = 0
        if current_user and current_user.is_authenticated:
            from app.notifications.services import unread_count

            unread = unread_count(current_user)
        return {
            "unread_notifications": unread,
            "current_locale": str(get_locale()),
            "languages": app.config["LANGUAGES"],
            "empty_form": EmptyForm(formdata=None),  # never reads the body: it may be the one too large (413)
        }

    _init_jinja(app)

    def error_page(status: int, template: str):
        def handler(error):
            if wants_fragment():
                return render_block(template, "message", error=error), status
            return render_template(template, error=error), status

        return handler

    app.register_error_handler(403, error_page(403, "errors/403.html"))
    app.register_error_handler(404, error_page(404, "errors/404.html"))
    app.register_error_handler(405, error_page(405, "errors/405.html"))
    app.register_error_handler(413, error_page(413, "errors/413.html"))
    app.register_error_handler(429, error_page(429, "errors/429.html"))
    app.register_error_handler(500, error_page(500, "errors/500.html"))
    app.register_error_handler(CSRFError, error_page(400, "errors/csrf.html"))


def _init_jinja(app: Flask) -> None:
    """Extensions, filters, globals and the shared macros, in the order the macros need them."""
    from flask_login import current_user

    from app.verbs import activity_text, notification_text
    from app.links import safe_href
    from app.markdown import render_markdown
    from app.practices.categories import category_label

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["filesize"] = human_size
    app.jinja_env.filters["safe_href"] = safe_href  # every stored address goes through it: only http(s) links
    app.jinja_env.filters["category_label"] = category_label
    app.jinja_env.filters["date"] = local_date
    app.jinja_env.filters["datetime"] = local_datetime
    # Globals rather than context: macros imported into a template (and blocks rendered alone) see them too.
    from app.hooks import render_slot

    app.jinja_env.globals.update(perm=permissions, current_user=current_user, activity_text=activity_text,
                                 notification_text=notification_text, slot=render_slot)
    # Macros as globals: a block rendered alone (an htmx fragment) does not run its template's imports.
    from app.models import THEME_LABELS
    from app.uploads import ACCEPT_ATTRIBUTE

    app.jinja_env.globals["upload_accept"] = ACCEPT_ATTRIBUTE
    app.jinja_env.filters["theme_label"] = lambda key: str(THEME_LABELS.get(key, key or ""))
    for macro_template in ("macros/ui.html", "macros/forms.html", "communities/_macros.html", "practices/_macros.html",
                           "reuse/_macros.html", "qa/_macros.html", "qa/_state_macros.html",
                           "qa/_moderation_macros.html", "qa/_list_macros.html"):
        module = app.jinja_env.get_template(macro_template).module
        app.jinja_env.globals.update(
            {name: getattr(module, name) for name in dir(module) if not name.startswith("_")})

