"""Registrations to events (issue 15): register (registered or waiting list), cancel with the automatic promotion
from the waiting list, attendance by the organisers (a tick or the person's check-in code), the lists and counts
the organisers read. Every seat decision is taken with the event row locked (app.calls.core.lock)."""
from __future__ import annotations

import secrets
from functools import wraps

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.routing import BuildError

from app.calls.core import CallsError, commit_and_email, lock, notify_people, now
from app.events import access
from app.events.workflow import (EventStatus, EventWorkflowError, RegistrationFacts, RegistrationStatus, Seats,
                                 attendance_allowed, cancellation_allowed, fits, registration_outcome, seats_left,
                                 to_promote)
from app.extensions import db
from app.models import Event, Registration, User
from app.verbs import NOTIFICATION_TEXTS


def N_(message: str) -> str:
    return message


NOTIFICATION_TEXTS.update({
    "events.promoted": _l("Si è liberato un posto: la tua iscrizione all'evento «%(event)s» del %(date)s è confermata"),
})

NOT_ALLOWED = N_("Si iscrivono a questo evento le persone degli enti partecipanti al programma.")
NO_ORGANIZATION = N_("Per iscrivervi a un evento serve il profilo attivo in un ente.")
EVENT_NOT_ACTIVE = N_("Le presenze si registrano solo per un evento pubblicato o svolto.")
UNKNOWN_CODE = N_("Nessuna iscrizione a questo evento ha il codice «%(code)s».")
NOT_OF_EVENT = N_("Questa iscrizione non è di questo evento.")


def event_refusals(function):
    """As app.calls.core.refusal_rolls_back, for the events workflow: a refusal rolls back and is a CallsError."""
    @wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except EventWorkflowError as refused:
            db.session.rollback()
            raise CallsError(str(refused)) from refused
        except CallsError:
            db.session.rollback()
            raise
    return wrapper


def event_link(event: Event) -> str:
    """The event's page (its registration page while the events pages are not there)."""
    try:
        return url_for("events.show", slug=event.slug)
    except BuildError:
        return url_for("events.register", slug=event.slug)


# ---- seats ---------------------------------------------------------------------------------------------------

def seats_of(event: Event) -> Seats:
    return Seats(event.seats, {each.pa_kind: each.seats for each in event.reservations})


def counts_by_kind(event: Event) -> dict[str | None, int]:
    """Registered people (not waiting) per organisation kind, in one grouped query."""
    rows = db.session.execute(select(Registration.pa_kind, func.count(Registration.id)).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.REGISTERED)
        .group_by(Registration.pa_kind)).all()
    return {kind: count for kind, count in rows}


def closes_at(event: Event):
    return event.registration_closes_at or event.starts_at


def registration_open(event: Event) -> bool:
    return (event.status == EventStatus.PUBLISHED and event.registration_enabled
            and now() <= closes_at(event))


def seats_left_for(event: Event, kind: str | None = None) -> int | None:
    return seats_left(seats_of(event), counts_by_kind(event), kind)


def waiting_position(registration: Registration) -> int | None:
    """1 for the first on the waiting list (oldest waiting_since, then id)."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    ahead = db.session.scalar(select(func.count(Registration.id)).where(
        Registration.event_id == registration.event_id, Registration.status == RegistrationStatus.WAITING,
        (Registration.waiting_since < registration.waiting_since)
        | ((Registration.waiting_since == registration.waiting_since) & (Registration.id < registration.id))))
    return (ahead or 0) + 1


def _new_code() -> str:
    while True:
        code = secrets.token_hex(4).upper()
        if db.session.scalar(select(Registration.id).where(Registration.code == code)) is None:
            return code


def refusal_for(event: Event, user) -> str | None:
    """Why this person may not register (who they are, not the event's state), or None."""
    if not access.can_register(user, event):
        if event.restricted:
            return NOT_ALLOWED
        return NO_ORGANIZATION
    return None


# ---- register, cancel, promote -------------------------------------------------------------------------------

@event_refusals
def register(event: Event, user: User, answers: dict | None = None, accepted_terms: bool = False,
             public_attendance: bool = False) -> Registration:
    """Register the person (or put them on the waiting list when no seat fits their organisation's kind)."""
    reason = refusal_for(event, user)
    if reason:
        raise CallsError(reason)
    lock(event)
    registration = access.registration_of(user, event)
    kind = user.organization.pa_kind if user.organization is not None else None
    moment = now()
    outcome = registration_outcome(RegistrationFacts(
        event_status=event.status, registration_enabled=event.registration_enabled, closes_at=closes_at(event),
        now=moment, current_status=registration.status if registration else None,
        has_seat=fits(seats_of(event), counts_by_kind(event), kind), accepted_terms=accepted_terms,
        terms_required=bool((event.terms or "").strip())))
    if registration is None:
        registration = Registration(event_id=event.id, user_id=user.id, code=_new_code())
        db.session.add(registration)
    registration.organization_id = user.organization_id
    registration.pa_kind = kind
    registration.status = outcome
    registration.answers = dict(answers or {})
    registration.public_attendance = bool(public_attendance)
    registration.accepted_terms_at = moment if accepted_terms else None
    registration.registered_at = moment if outcome == RegistrationStatus.REGISTERED else None
    registration.waiting_since = moment if outcome == RegistrationStatus.WAITING else None
    registration.cancelled_at = None
    registration.reminded_at = None
    registration.attended, registration.attended_at, registration.attendance_by_id = False, None, None
    registration.updated_at = moment
    db.session.flush()
    commit_and_email()
    return registration


@event_refusals
def cancel(event: Event, user: User) -> list[Registration]:
    """Cancel the person's registration (or waiting); a freed seat promotes from the waiting list. Returns the
    promoted registrations."""
    lock(event)
    registration = access.registration_of(user, event)
    cancellation_allowed(event.status, registration.status if registration else None,
                         attended=bool(registration and registration.attended))
    had_seat = registration.status == RegistrationStatus.REGISTERED
    moment = now()
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at, registration.updated_at = moment, moment
    registration.waiting_since = None
    registration.attended, registration.attended_at, registration.attendance_by_id = False, None, None
    db.session.flush()
    promoted = promote_waiting(event) if had_seat else []
    commit_and_email()
    return promoted


def promote_waiting(event: Event) -> list[Registration]:
    """Give the free seats to the waiting list, oldest first, each to a person the seat fits (reserved seats kept
    for their kind), and tell each promoted person. In the caller's transaction, with the event locked; callers
    are cancel() and whoever raises an event's seats."""
    moment = now()
    # After the start nobody is promoted, unless registrations are still open: then a newcomer would take the seat
    # ahead of the people waiting.
    if event.status != EventStatus.PUBLISHED or (moment >= event.starts_at and moment > closes_at(event)):
        return []
    waiting = db.session.execute(select(Registration.id, Registration.pa_kind).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.WAITING)
        .order_by(Registration.waiting_since, Registration.id)).all()
    if not waiting:
        return []
    chosen = to_promote(seats_of(event), counts_by_kind(event), [(row.id, row.pa_kind) for row in waiting])
    promoted = []
    moment = now()
    from app.web import local_datetime

    for registration_id in chosen:
        registration = db.session.get(Registration, registration_id)
        registration.status = RegistrationStatus.REGISTERED
        registration.registered_at, registration.updated_at = moment, moment
        registration.waiting_since = None
        promoted.append(registration)
    db.session.flush()
    for registration in promoted:
        notify_people([registration.user], "events.promoted", None, event_link(event), event=event.title,
                      date=local_datetime(event.starts_at, "short"))
    return promoted


# ---- attendance ----------------------------------------------------------------------------------------------

def _attendance_check(event: Event, registration: Registration) -> None:
    if event.status not in (EventStatus.PUBLISHED, EventStatus.HELD):
        raise CallsError(EVENT_NOT_ACTIVE)
    attendance_allowed(registration.status, now(), event.starts_at)


@event_refusals
def set_attendance(event: Event, registration: Registration, actor: User, attended: bool | None = None) -> bool:
    """Mark (or unmark) the registered person as present; `attended` None flips it. Returns the new mark."""
    if registration.event_id != event.id:
        raise CallsError(NOT_OF_EVENT)
    lock(registration)
    target = (not registration.attended) if attended is None else bool(attended)
    _attendance_check(event, registration)
    if target != registration.attended:
        registration.attended = target
        registration.attended_at = now() if target else None
        registration.attendance_by_id = actor.id if target else None
        registration.updated_at = now()
    commit_and_email()
    return target


@event_refusals
def check_in(event: Event, code: str, actor: User) -> tuple[Registration, bool]:
    """Mark as present the registration with this check-in code. Returns it and whether it was already marked."""
    code = "".join((code or "").split()).upper()[:16]
    registration = db.session.scalar(select(Registration).where(Registration.event_id == event.id,
                                                                Registration.code == code)) if code else None
    if registration is None:
        raise CallsError(UNKNOWN_CODE, field="code", code=code)
    lock(registration)
    _attendance_check(event, registration)
    already = registration.attended
    if not already:
        registration.attended, registration.attended_at, registration.attendance_by_id = True, now(), actor.id
        registration.updated_at = now()
    commit_and_email()
    return registration, already


# ---- what the organisers read --------------------------------------------------------------------------------

def registration_lists(event: Event) -> dict:
    """Registered (by name) and waiting (by position) people, with their organisations, and the counts."""
    rows = db.session.scalars(select(Registration).where(
        Registration.event_id == event.id, Registration.status != RegistrationStatus.CANCELLED)
        .options(selectinload(Registration.user), selectinload(Registration.organization))
        .order_by(Registration.waiting_since, Registration.registered_at, Registration.id)).all()
    registered = sorted((each for each in rows if each.status == RegistrationStatus.REGISTERED),
                        key=lambda each: ((each.user.full_name or "").lower(), each.id))
    waiting = [each for each in rows if each.status == RegistrationStatus.WAITING]
    cancelled = db.session.scalar(select(func.count(Registration.id)).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.CANCELLED)) or 0
    counts = {}
    for each in registered:
        counts[each.pa_kind] = counts.get(each.pa_kind, 0) + 1
    return {"registered": registered, "waiting": waiting, "cancelled": cancelled,
            "attended": sum(1 for each in registered if each.attended), "by_kind": counts,
            "seats_left": seats_left(seats_of(event), counts)}


def registration_or_404(event: Event, registration_id: int) -> Registration:
    from flask import abort

    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    return registration


def upcoming_of(user, limit: int = 5) -> list[Registration]:
    """The person's registrations (registered or waiting) to events not yet ended, soonest first."""
    return list(db.session.scalars(select(Registration).join(Event, Event.id == Registration.event_id).where(
        Registration.user_id == user.id, Registration.status != RegistrationStatus.CANCELLED,
        Event.status == EventStatus.PUBLISHED, Event.ends_at >= now())
        .options(selectinload(Registration.event)).order_by(Event.starts_at).limit(limit)))
