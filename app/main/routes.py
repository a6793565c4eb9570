"""Site-wide pages."""
from __future__ import annotations

from datetime import date

from flask import abort, current_app, redirect, request, session, url_for
from flask_login import current_user, login_required

from app.extensions import db
from app.main import bp
from app.main.glossary import GLOSSARY
from app.main.services import home_content
from app.users.services import set_locale
from app.web import EmptyForm, redirect_to, render_page, safe_next_url


@bp.route("/")
def index():
    """Home page for visitors (search, latest practices, active communities, figures); people signed in go to
    their dashboard."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return render_page("main/index.html", **home_content())


@bp.route("/language/<code>", methods=["POST"])
def set_language(code: str):
    """Switch the interface language; remembered in the session and on the account."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    if EmptyForm().validate_on_submit():
        session["lang"] = code
        if current_user.is_authenticated:
            set_locale(current_user, code)
    return redirect_to(safe_next_url(request.form.get("next")) or url_for("main.index"))


@bp.route("/dashboard")
@login_required
def dashboard():
    """What happened in my communities, newest first."""
    from app.activity.services import dashboard_feed

    feed = db.paginate(dashboard_feed(current_user), per_page=current_app.config["FEED_PER_PAGE"],
                       max_per_page=100, error_out=False)
    return render_page("main/dashboard.html", block="feed", feed=feed)


@bp.route("/privacy")
def privacy():
    """Personal data notice."""
    return render_page("main/privacy.html", legal=legal_settings())


@bp.route("/accessibility")
def accessibility():
    """Accessibility statement (required of public administration sites)."""
    return render_page("main/accessibility.html", legal=legal_settings())


@bp.route("/legal")
def legal():
    """Legal notes: who runs the platform and on what terms its contents are published."""
    return render_page("main/legal.html", legal=legal_settings())


@bp.route("/glossary")
def glossary():
    """The words of reuse between administrations, explained."""
    return render_page("main/glossary.html", glossary=GLOSSARY)


def legal_settings() -> dict:
    """The operator's settings for the legal pages; an unreadable statement date counts as not given."""
    config = current_app.config
    try:
        statement_date = date.fromisoformat(config.get("ACCESSIBILITY_STATEMENT_DATE") or "")
    except ValueError:
        statement_date = None
    return {key.lower(): config.get(key) for key in LEGAL_SETTINGS} | {"statement_date": statement_date}


LEGAL_SETTINGS = ("OWNER_NAME", "OWNER_URL", "CONTACT_EMAIL", "PRIVACY_CONTROLLER", "PRIVACY_CONTACT",
                  "PRIVACY_DPO_CONTACT", "PRIVACY_LEGAL_BASIS", "PRIVACY_RETENTION", "ACCESSIBILITY_STATUS",
                  "ACCESSIBILITY_ISSUES", "ACCESSIBILITY_FEEDBACK")
