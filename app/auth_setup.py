"""Flask-Login wiring: loading the signed-in person and answering anonymous requests."""
from __future__ import annotations

from flask import Flask, Response, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from app.extensions import db, login_manager


def init_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Accedi per vedere questa pagina.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)


def load_user(user_id: str):
    """The cookie carries "id:session_token"; a stale token (password changed) signs the person out."""
    from app.models import User

    raw_id, _, token = user_id.partition(":")
    if not raw_id.isdigit():
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or user.session_token != token or not user.can_sign_in:
        return None
    return user


def unauthorized() -> Response:
    """Full pages go to the sign-in form; htmx requests get 401 and an instruction to navigate there."""
    from app.web import safe_next_url

    from flask import flash

    current = request.full_path if request.method == "GET" else _path_of(request.headers.get("HX-Current-URL")
                                                                          or request.referrer)
    login_url = url_for("auth.login", next=safe_next_url(current) or None)
    if request.htmx:
        response = Response(str(_l("Accedi per continuare.")), status=401)
        response.headers["HX-Redirect"] = login_url
        return response
    flash(str(login_manager.login_message), "info")
    return redirect(login_url)


def _path_of(url: str | None) -> str:
    """The path and query of a full URL (the page the person was on), for the `next` parameter."""
    from urllib.parse import urlsplit

    if not url:
        return ""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
