"""Notifications: created in the caller's transaction, e-mailed after it commits, daily digests, retries."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, g, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from app.verbs import notification_text
from app.extensions import db
from app.mailer import send_email
from app.models import EmailFrequency, Notification, User
from app.models.base import utcnow

# An immediate e-mail that failed is tried again by `flask notifications send-digests` after this delay.
RETRY_AFTER = timedelta(minutes=10)


def notify(user: User, verb: str, *, actor: User | None = None, community=None, link: str | None = None,
           email: bool = True, **params) -> Notification:
    """Add a notification to the session; immediate e-mails go out once the caller has committed.

    `email=False` for a notification whose news already travels by its own e-mail (an invitation).
    """
    values = {"actor": actor.full_name if actor else "", "community": community.name if community else "", **params}
    notification = Notification(user_id=user.id, verb=verb, actor_id=actor.id if actor else None,
                                community_id=community.id if community else None, params=values, link=link,
                                emailed_at=None if email else utcnow())
    db.session.add(notification)
    if email and user.notification_email == EmailFrequency.IMMEDIATE:
        g.setdefault("notifications_to_email", []).append(notification)
    return notification


def send_pending_immediate_emails() -> None:
    """Send the immediate e-mails of the notifications this request committed (call after the commit)."""
    pending = g.pop("notifications_to_email", [])
    # Read them again: one whose transaction was rolled back no longer exists and is not sent.
    ids = [n.id for n in pending if n.id is not None]
    if ids:
        rows = db.session.execute(select(Notification).where(Notification.id.in_(ids),
                                                             Notification.emailed_at.is_(None))).scalars().all()
        _email_each(rows)


def _email_each(rows: list[Notification]) -> None:
    for notification in rows:
        user = db.session.get(User, notification.user_id)
        with force_locale(user.locale or "it"):
            text = notification_text(notification.verb, notification.params)
        if send_email(user.email, text, "notification", locale=user.locale, user=user, text=text,
                      reason=notification.params.get("reason", ""), link=_absolute(notification.link)):
            notification.emailed_at = utcnow()  # a failed one stays unsent and is retried later
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


def mark_read_by_link(user: User, path: str, full_path: str) -> int:
    """Opening the page a notification points to reads it: mark this person's unread ones for it; returns how many."""
    links = {path, full_path.rstrip("?")}
    links |= {current_app.config["BASE_URL"] + link for link in links}  # links e-mailed as absolute URLs
    ids = db.session.execute(select(Notification.id).where(
        Notification.user_id == user.id, Notification.read_at.is_(None), Notification.link.in_(links))).scalars().all()
    if not ids:
        return 0  # the usual case: one indexed read, no write
    db.session.execute(update(Notification).where(Notification.id.in_(ids), Notification.read_at.is_(None))
                       .values(read_at=utcnow()))
    db.session.commit()
    return len(ids)


def mark_all_read(user: User) -> int:
    """Mark all of a person's notifications read; returns how many changed."""
    result = db.session.execute(
        update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return result.rowcount


def retry_failed_immediate(now=None) -> int:
    """Send again the immediate e-mails that failed; returns how many went out."""
    now = now or utcnow()
    rows = db.session.execute(
        select(Notification).join(User, Notification.user_id == User.id)
        .where(User.notification_email == EmailFrequency.IMMEDIATE, Notification.emailed_at.is_(None),
               Notification.read_at.is_(None), Notification.created_at <= now - RETRY_AFTER)).scalars().all()
    _email_each(rows)
    return sum(1 for row in rows if row.emailed_at is not None)


def send_digests(now=None) -> int:
    """E-mail each daily-digest reader the unread notifications not yet e-mailed; returns the digests sent.

    Each reader's notifications are claimed (marked e-mailed) and committed before the e-mail goes out, so two
    overlapping runs never send the same ones; if the e-mail fails, the claim is released for the next run.
    """
    now = now or utcnow()
    readers = db.session.execute(
        select(User).where(User.notification_email == EmailFrequency.DAILY)
        .where(User.id.in_(select(Notification.user_id).where(Notification.emailed_at.is_(None),
                                                              Notification.read_at.is_(None))))
    ).scalars().all()
    sent = 0
    for reader in readers:
        candidates = db.session.execute(
            select(Notification.id).where(Notification.user_id == reader.id, Notification.emailed_at.is_(None),
                                          Notification.read_at.is_(None), Notification.created_at <= now)
        ).scalars().all()
        claimed = db.session.execute(
            update(Notification).where(Notification.id.in_(candidates), Notification.emailed_at.is_(None))
            .values(emailed_at=now).returning(Notification.id)).scalars().all()
        db.session.commit()
        if not claimed:
            continue
        items = db.session.execute(select(Notification).where(Notification.id.in_(claimed))
                                   .order_by(Notification.created_at)).scalars().all()
        with force_locale(reader.locale or "it"):
            lines = [(notification_text(n.verb, n.params), n.params.get("reason", ""), _absolute(n.link))
                     for n in items]
        if send_email(reader.email, _l("Le novità delle tue comunità"), "digest", locale=reader.locale,
                      user=reader, lines=lines, link=_absolute(url_for("notifications.index"))):
            sent += 1
        else:
            db.session.execute(update(Notification).where(Notification.id.in_(claimed)).values(emailed_at=None))
            db.session.commit()
    return sent
