"""Notifications: create them inside the caller's transaction, e-mail them after it commits, daily digests."""
from __future__ import annotations

from flask import current_app, g, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from app.events import notification_text
from app.extensions import db
from app.mailer import send_email
from app.models import EmailFrequency, Notification, User
from app.models.base import utcnow


def notify(user: User, verb: str, *, actor: User | None = None, community=None, link: str | None = None,
           **params) -> Notification:
    """Add a notification to the session; immediate e-mails go out once the caller has committed."""
    values = {"actor": actor.full_name if actor else "", "community": community.name if community else "", **params}
    notification = Notification(user_id=user.id, verb=verb, actor_id=actor.id if actor else None,
                                community_id=community.id if community else None, params=values, link=link)
    db.session.add(notification)
    if user.notification_email == EmailFrequency.IMMEDIATE:
        g.setdefault("notifications_to_email", []).append(notification)
    return notification


def send_pending_immediate_emails() -> None:
    """Send the immediate e-mails of the notifications created in this request (call after the commit)."""
    pending = g.pop("notifications_to_email", [])
    for notification in pending:
        user = db.session.get(User, notification.user_id)
        if user is None or notification.emailed_at is not None:
            continue
        with force_locale(user.locale or "it"):
            text = notification_text(notification.verb, notification.params)
        send_email(user.email, text, "notification", locale=user.locale, user=user, text=text,
                   link=_absolute(notification.link))
        notification.emailed_at = utcnow()
    if pending:
        db.session.commit()


def _absolute(link: str | None) -> str:
    return current_app.config["BASE_URL"] + (link or "/")


def unread_count(user: User) -> int:
    return db.session.execute(
        select(func.count()).select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ).scalar()


def notifications_query(user: User):
    return (select(Notification).where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc()))


def mark_read(notification: Notification) -> None:
    """Mark one notification read (once: a second call changes nothing)."""
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()


def mark_all_read(user: User) -> int:
    """Mark all of a person's notifications read; returns how many changed."""
    result = db.session.execute(
        update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return result.rowcount


def send_digests(now=None) -> int:
    """E-mail each daily-digest reader the unread notifications not yet e-mailed; returns the digests sent."""
    now = now or utcnow()
    readers = db.session.execute(
        select(User).where(User.notification_email == EmailFrequency.DAILY)
        .where(User.id.in_(select(Notification.user_id).where(Notification.emailed_at.is_(None),
                                                              Notification.read_at.is_(None))))
    ).scalars().all()
    sent = 0
    for reader in readers:
        items = db.session.execute(
            select(Notification).where(Notification.user_id == reader.id, Notification.emailed_at.is_(None),
                                       Notification.read_at.is_(None), Notification.created_at <= now)
            .order_by(Notification.created_at)
        ).scalars().all()
        if not items:
            continue
        with force_locale(reader.locale or "it"):
            lines = [(notification_text(n.verb, n.params), _absolute(n.link)) for n in items]
        send_email(reader.email, _l("Le novità delle tue comunità"), "digest", locale=reader.locale,
                   user=reader, lines=lines, link=_absolute(url_for("notifications.index")))
        for item in items:
            item.emailed_at = now
        db.session.commit()  # one reader at a time: a failure later does not resend the earlier ones
        sent += 1
    return sent
