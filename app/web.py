"""htmx-aware rendering, redirects, error pages and template helpers shared by every blueprint."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import format_date, format_datetime
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from jinja2_fragments.flask import render_block

from app import permissions


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


def set_language(code: str) -> None:
    session["lang"] = code


def init_web(app: Flask) -> None:
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
            "empty_form": EmptyForm(),
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

    from app.events import activity_text, notification_text
    from app.markdown import render_markdown

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt) if value else ""
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": format_datetime(value, fmt) if value else ""
    # Globals rather than context: macros imported into a template (and blocks rendered alone) see them too.
    app.jinja_env.globals.update(perm=permissions, current_user=current_user, activity_text=activity_text,
                                 notification_text=notification_text)
    # Macros as globals: a block rendered alone (an htmx fragment) does not run its template's imports.
    from app.models import THEME_LABELS
    from app.uploads import ACCEPT_ATTRIBUTE

    app.jinja_env.globals["upload_accept"] = ACCEPT_ATTRIBUTE
    app.jinja_env.filters["theme_label"] = lambda key: str(THEME_LABELS.get(key, key or ""))
    for macro_template in ("macros/ui.html", "macros/forms.html", "communities/_macros.html", "practices/_macros.html",
                           "reuse/_macros.html"):
        module = app.jinja_env.get_template(macro_template).module
        app.jinja_env.globals.update(
            {name: getattr(module, name) for name in dir(module) if not name.startswith("_")})

