"""OpenCommunity PA: application factory."""
from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, session
from flask_mail import email_dispatched
from werkzeug.middleware.proxy_fix import ProxyFix

from config import INSTANCE_DIR, Config, load_secret_key

from app.extensions import babel, csrf, db, htmx, limiter, login_manager, mail, migrate, talisman

log = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    # Bootstrap Italia's stylesheet draws some controls with data: SVG images.
    "img-src": ["'self'", "data:"],
    # ... and embeds one icon font as a data: URI.
    "font-src": ["'self'", "data:"],
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def select_locale() -> str:
    """Italian unless the person picked English (kept in the session, and on the account)."""
    from flask import has_request_context
    from flask_login import current_user

    languages = Config.LANGUAGES
    if not has_request_context():
        return "it"  # CLI commands and background work speak Italian unless told otherwise
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return "it"


def create_app(config: type[Config] | None = None, **overrides) -> Flask:
    """Build the Flask application with its extensions, blueprints, CLI and error pages."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR), instance_relative_config=True)
    app.config.from_object(config or Config)
    app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_secret_key(Path(app.instance_path))
    if app.config.get("PROXY_FIX_HOPS"):
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    from app.workdays import parse_extra_holidays

    # A malformed extra holiday stops the start, rather than silently shifting every deadline.
    app.config["EXTRA_HOLIDAYS"] = parse_extra_holidays(",".join(app.config.get("EXTRA_HOLIDAYS", ())))
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_timezone="Europe/Rome")
    mail.init_app(app)
    limiter.init_app(app)
    from app.uploads import keep_download_csp

    app.after_request(keep_download_csp)  # before Talisman's hook, so it runs after it (issue 11, point 25)
    talisman.init_app(
        app,
        force_https=app.config["PRODUCTION"],
        strict_transport_security=app.config["PRODUCTION"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        x_content_type_options=True,
    )

    from app import auth_setup, web
    from app import models  # noqa: F401  (every model registered before migrations look)

    auth_setup.init_login(app)
    web.init_web(app)
    email_dispatched.connect(_log_mail, app)

    from app.admin import bp as admin_bp
    from app.auth import bp as auth_bp
    from app.communities import routes as _community_routes  # noqa: F401  (attaches the routes to the blueprint)
    from app.communities import bp as communities_bp
    from app.notifications import bp as notifications_bp
    from app.practices import bp as practices_bp
    from app.practices import routes as _practice_routes  # noqa: F401
    from app.reuse import bp as reuse_bp
    from app.reuse import routes as _reuse_routes  # noqa: F401
    from app.qa import bp as qa_bp
    from app.qa import routes as _qa_routes  # noqa: F401  (also fills the slots of app/hooks.py)
    from app.evaluation import bp as evaluation_bp
    from app.evaluation import routes as _evaluation_routes  # noqa: F401  (also fills its slots)
    from app.indicators import bp as indicators_bp
    from app.indicators import routes as _indicator_routes  # noqa: F401  (also fills its slots)
    from app.calls import bp as calls_bp
    from app.calls import routes as _call_routes  # noqa: F401  (also fills its slots)
    from app.events import bp as events_bp
    from app.events import routes as _event_routes  # noqa: F401  (also fills its slots)
    from app.kpi import bp as kpi_bp
    from app.kpi import routes as _kpi_routes  # noqa: F401  (also fills its slots)
    from app.search import bp as search_bp
    from app.search import init_search
    from app.search import routes as _search_routes  # noqa: F401
    from app.main import bp as main_bp
    from app.organizations import bp as organizations_bp
    from app.users import bp as users_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(users_bp, url_prefix="/users")
    app.register_blueprint(organizations_bp, url_prefix="/organizations")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(communities_bp, url_prefix="/communities")
    app.register_blueprint(notifications_bp, url_prefix="/notifications")
    app.register_blueprint(practices_bp, url_prefix="/practices")
    app.register_blueprint(reuse_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(qa_bp)
    app.register_blueprint(evaluation_bp, url_prefix="/evaluation")
    app.register_blueprint(indicators_bp)
    app.register_blueprint(calls_bp)
    app.register_blueprint(events_bp, url_prefix="/events")
    app.register_blueprint(kpi_bp, url_prefix="/kpi")
    init_search(app)

    from app.cli import register_cli

    register_cli(app)
    return app


def _log_mail(app, message) -> None:
    """Development mail: with sending suppressed, each message is written to the log."""
    if app.config.get("MAIL_SUPPRESS_SEND") and not app.testing:
        app.logger.warning(
            "E-mail (not sent) to %s — %s\n%s", ", ".join(message.recipients), message.subject, message.body
        )
