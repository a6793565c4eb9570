"""Notification pages."""
from __future__ import annotations

from flask import abort, current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.models import Notification
from app.notifications import bp, services
from app.web import EmptyForm, redirect_to, render_page


def _list_page():
    page = db.paginate(services.notifications_query(current_user), per_page=current_app.config["FEED_PER_PAGE"],
                       max_per_page=100, error_out=False)
    return render_page("notifications/index.html", block="notifications", page=page, form=EmptyForm(),
                       unread=services.unread_count(current_user))


@bp.before_app_request
def read_what_is_opened() -> None:
    # Whatever way the person reaches the page a notification is about (bell, e-mail, a link), it is read, and the
    # bell this page shows already counts it so.
    if request.method == "GET" and request.endpoint not in (None, "static") and current_user.is_authenticated:
        services.mark_read_by_link(current_user, request.path, request.full_path)


@bp.route("/")
@login_required
def index():
    """One's own notifications, newest first."""
    return _list_page()


@bp.route("/<int:notification_id>/read", methods=["POST"])
@login_required
def read(notification_id: int):
    """Mark one notification read; with `open`, go to what it is about."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != current_user.id:
        abort(404)  # somebody else's notification does not exist for this reader
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.mark_read(notification)
    if request.form.get("open") and notification.link:
        return redirect_to(notification.link)
    if request.htmx:
        return _list_page()
    return redirect_to(url_for("notifications.index"))


@bp.route("/read-all", methods=["POST"])
@login_required
def read_all():
    """Mark every notification read."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    count = services.mark_all_read(current_user)
    flash(_("Notifiche segnate come lette: %(n)d.", n=count), "success")
    if request.htmx:
        return _list_page()
    return redirect_to(url_for("notifications.index"))
