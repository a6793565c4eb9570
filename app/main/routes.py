"""Site-wide pages."""
from __future__ import annotations

from flask import abort, current_app, request, session, url_for
from flask_login import current_user, login_required

from app.extensions import db
from app.main import bp
from app.main.services import network_figures
from app.users.services import set_locale
from app.web import EmptyForm, redirect_to, render_page, safe_next_url


@bp.route("/")
def index():
    """Home page: what the platform is, with a few figures."""
    return render_page("main/index.html", **network_figures())


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
    return render_page("main/privacy.html")


@bp.route("/accessibility")
def accessibility():
    """Accessibility statement (required of public administration sites)."""
    return render_page("main/accessibility.html")
