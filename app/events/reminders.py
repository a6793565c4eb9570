"""The reminder the day before (`flask events send-reminders`, run from cron hourly or daily): everyone registered
to a published event that starts tomorrow in Europe/Rome is told once (Registration.reminded_at claims it)."""
from __future__ import annotations

from contextlib import nullcontext
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app.calls.core import commit_and_email, notify_people
from app.events.workflow import EventStatus, RegistrationStatus
from app.extensions import db
from app.models import Event, Registration
from app.verbs import NOTIFICATION_TEXTS

ROME = ZoneInfo("Europe/Rome")

NOTIFICATION_TEXTS.update({
    "events.reminder": _l("Promemoria: la tua iscrizione all'evento «%(event)s» di domani alle %(time)s"),
})


def tomorrow_window(now: datetime | None = None) -> tuple[datetime, datetime]:
    """Tomorrow in Europe/Rome, from midnight to midnight, as naive UTC (23, 24 or 25 hours long)."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    today = now.replace(tzinfo=UTC).astimezone(ROME).date()
    start = datetime.combine(today + timedelta(days=1), time(0), tzinfo=ROME)
    end = datetime.combine(today + timedelta(days=2), time(0), tzinfo=ROME)
    return (start.astimezone(UTC).replace(tzinfo=None), end.astimezone(UTC).replace(tzinfo=None))


def due_reminders(now: datetime | None = None):
    """select(Registration.id): registered, not yet reminded, to a published event starting tomorrow (Rome)."""
    start, end = tomorrow_window(now)
    return (select(Registration.id).join(Event, Event.id == Registration.event_id)
            .where(Event.status == EventStatus.PUBLISHED, Event.starts_at >= start, Event.starts_at < end,
                   Registration.status == RegistrationStatus.REGISTERED, Registration.reminded_at.is_(None))
            .order_by(Registration.id))


def send_due_reminders(now: datetime | None = None) -> int:
    """Remind each registered person of tomorrow's events once; returns how many were reminded."""
    from app.events.registrations import event_link
    from app.web import local_datetime

    context = nullcontext() if has_request_context() else current_app.test_request_context(
        "/", base_url=current_app.config["BASE_URL"])
    sent = 0
    with context:
        moment = now or datetime.now(UTC).replace(tzinfo=None)
        for registration_id in db.session.scalars(due_reminders(now)).all():
            # Claimed by stamping: two runs at once never remind twice.
            claimed = db.session.execute(update(Registration).where(
                Registration.id == registration_id, Registration.reminded_at.is_(None))
                .values(reminded_at=moment).execution_options(synchronize_session=False)).rowcount
            if claimed:
                registration = db.session.get(Registration, registration_id)
                event = registration.event
                notify_people([registration.user], "events.reminder", None, event_link(event), event=event.title,
                              time=local_datetime(event.starts_at, "HH:mm"),
                              date=local_datetime(event.starts_at, "short"))
                sent += 1
            commit_and_email()
    return sent
