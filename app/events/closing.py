"""After an event (issue 15, point 5): the organisers close it with its report, recording link, attendance count and
materials (checked and stored as kit files are); materials are also added and removed before and after closing.
Also the reading side: the attendance figures and the follow-up (practices adopted by the organisations that
attended, within 12 months of the event).

One transaction per operation; a refusal raises CallsError (nothing half-applied, files stored for it removed).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.routing import BuildError

from app.calls.core import CallsError, commit_and_email, lock, notify_people, refusal_rolls_back
from app.events import access
from app.events.workflow import (EventAction, EventFacts, EventStatus, EventWorkflowError, N_, REPORT_REQUIRED,
                                 RegistrationStatus, event_transition)
from app.extensions import db
from app.links import is_http_url
from app.models import Adoption, EventDocument, Organization, Practice, Registration, User
from app.models.base import utcnow
from app.verbs import ACTIVITY_TEXTS, NOTIFICATION_TEXTS

NOTIFICATION_TEXTS.update({
    "events.held": _l("L'evento «%(event)s» si è svolto: resoconto e materiali sono sulla sua pagina"),
})
ACTIVITY_TEXTS.update({
    "event.held": _l("Si è svolto l'evento «%(object)s»: resoconto e materiali sono sulla sua pagina"),
})

DOCUMENT_ROLES = ("slides", "booklet", "other")
MAX_DOCUMENTS = 30
MAX_ATTENDEES = 100_000
FOLLOW_UP_MONTHS = 12

NOT_ORGANIZER = N_("Chiudono l'evento e ne curano i materiali le persone che lo organizzano.")
NO_MATERIALS_WHEN_CANCELLED = N_("Un evento annullato non raccoglie materiali.")
TOO_MANY_DOCUMENTS = N_("Un evento ha al massimo %(num)d materiali.")
BAD_RECORDING = N_("Indicate un indirizzo che cominci con http:// o https://.")
BAD_COUNT = N_("Indicate un numero di presenti tra 0 e 100000.")
NO_FILE = N_("Scegliete almeno un file da caricare.")


class DocumentsRefused(CallsError):
    """One or more files refused (app/uploads.py): each rejection's message goes at its files field."""

    def __init__(self, rejections_by_field: dict[str, list]) -> None:
        super().__init__(N_("Alcuni documenti non sono stati accettati."))
        self.rejections = rejections_by_field


# ---- reading ------------------------------------------------------------------------------------------------

def event_url(event, **values) -> str:
    """The event's page (events.show); while that page is being built elsewhere, its closing page instead."""
    try:
        return url_for("events.show", slug=event.slug, **values)
    except BuildError:
        return url_for("events.close", slug=event.slug)


def attended_count(event) -> int:
    """The registrations marked as present: the default attendees count."""
    return db.session.scalar(select(func.count(Registration.id)).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.REGISTERED,
        Registration.attended.is_(True))) or 0


def closable(event, now: datetime | None = None) -> str | None:
    """Why the event cannot be closed now (an Italian msgid), or None: published and started (the report is
    asked by the form)."""
    try:
        event_transition(event.status, EventAction.CLOSE, EventFacts(now=now or utcnow(), starts_at=event.starts_at,
                                                                     report="-"))
    except EventWorkflowError as refused:
        return str(refused)
    return None


def can_close(user, event) -> bool:
    return access.is_organizer(user, event) and closable(event) is None


@dataclass
class Attendance:
    count: int | None  # recorded at closing (None before)
    organizations: list  # Organization rows of the attended registrations, by name
    people: list  # User rows of those present who chose to be listed by name


def attendance(event) -> Attendance:
    """The attendance figures of an event: organisations always, people only when they opted in."""
    present = (select(Registration.organization_id, Registration.user_id, Registration.public_attendance)
               .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.REGISTERED,
                      Registration.attended.is_(True)))
    rows = db.session.execute(present).all()
    organization_ids = {row.organization_id for row in rows if row.organization_id is not None}
    people_ids = {row.user_id for row in rows if row.public_attendance}
    organizations = db.session.scalars(select(Organization).where(Organization.id.in_(organization_ids))
                                       .order_by(Organization.name)).all() if organization_ids else []
    people = db.session.scalars(select(User).where(User.id.in_(people_ids)).order_by(User.full_name)).all() \
        if people_ids else []
    return Attendance(count=event.attendees_count, organizations=list(organizations), people=list(people))


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time `months` later (the last day of the month when that day does not exist)."""
    import calendar

    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def follow_up(event, user) -> list[Adoption]:
    """Adoptions declared within 12 months of the event's start by the organisations that attended it (abandoned
    ones left out), of practices the reader may see, oldest first; one query."""
    from app import permissions
    from app.activity.services import visible_communities_clause
    from app.models import Community

    attended = select(Registration.organization_id).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.REGISTERED,
        Registration.attended.is_(True), Registration.organization_id.is_not(None))
    query = (select(Adoption).join(Practice, Practice.id == Adoption.practice_id)
             .join(Community, Community.id == Practice.community_id)
             .where(Adoption.organization_id.in_(attended), Adoption.status != "abandoned",
                    Adoption.created_at >= event.starts_at,
                    Adoption.created_at < add_months(event.starts_at, FOLLOW_UP_MONTHS),
                    visible_communities_clause(user))
             .options(selectinload(Adoption.practice), selectinload(Adoption.organization))
             .order_by(Adoption.created_at, Adoption.id))
    if not permissions.is_admin(user):
        query = query.where(Practice.status != "draft")  # a draft practice is its donors' business
    return list(db.session.scalars(query))


# ---- writing ------------------------------------------------------------------------------------------------

def _check(files_by_field: dict[str, list]) -> dict[str, list]:
    """Every file of every field checked (all refusals told at once); nothing stored yet."""
    from app.uploads import check_all

    checked, refused = {}, {}
    for name, files in files_by_field.items():
        good, bad = check_all(files, current_app.config["UPLOAD_MAX_BYTES"])
        checked[name] = good
        if bad:
            refused[name] = bad
    if refused:
        raise DocumentsRefused(refused)
    return checked


def _store(event, documents: list[tuple[str, str, object, bytes]], user) -> list[str]:
    """Store the checked files and add their rows ((role, title, meta, bytes) each); returns the keys, removed
    again if the transaction fails."""
    from app.uploads import store

    existing = db.session.scalar(select(func.count(EventDocument.id)).where(EventDocument.event_id == event.id))
    if existing + len(documents) > MAX_DOCUMENTS:
        raise CallsError(TOO_MANY_DOCUMENTS, field="files", num=MAX_DOCUMENTS)
    root, keys = current_app.config["UPLOAD_FOLDER"], []
    for role, title, meta, content in documents:
        key = store(content, root)
        keys.append(key)
        db.session.add(EventDocument(
            event_id=event.id, role=role if role in DOCUMENT_ROLES else "other", title=(title or "")[:200],
            storage_key=key, original_name=meta.original_name, mimetype=meta.mimetype, size=meta.size,
            sha256=meta.sha256, uploaded_by_id=user.id))
    return keys


def _forget(keys) -> None:
    from app.uploads import delete_stored

    for key in keys:
        delete_stored(current_app.config["UPLOAD_FOLDER"], key)


def _attendees_count(value, event) -> int:
    if value is None or value == "":
        return attended_count(event)
    try:
        count = int(str(value).strip())
    except ValueError:
        raise CallsError(BAD_COUNT, field="attendees_count") from None
    if not 0 <= count <= MAX_ATTENDEES:
        raise CallsError(BAD_COUNT, field="attendees_count")
    return count


@refusal_rolls_back
def close(event, user, report: str, recording_url: str = "", attendees_count=None,
          files_by_role: dict[str, list] | None = None) -> None:
    """Close a published, started event: held, with its report, recording, count and materials; tells the people
    registered and the linked communities' feeds (public events only)."""
    report, recording_url = (report or "").strip(), (recording_url or "").strip()
    checked = _check(files_by_role or {})
    lock(event)
    if not access.is_organizer(user, event):
        raise CallsError(NOT_ORGANIZER)
    try:
        target = event_transition(event.status, EventAction.CLOSE,
                                  EventFacts(now=utcnow(), starts_at=event.starts_at, report=report))
    except EventWorkflowError as refused:
        raise CallsError(str(refused), field="report" if str(refused) == REPORT_REQUIRED else None) from None
    if recording_url and not is_http_url(recording_url):
        raise CallsError(BAD_RECORDING, field="recording_url")
    if len(recording_url) > 500:
        raise CallsError(N_("Al massimo %(max)d caratteri."), field="recording_url", max=500)
    count = _attendees_count(attendees_count, event)
    moment = utcnow()
    event.status, event.report, event.recording_url, event.attendees_count = target, report, recording_url, count
    event.closed_at, event.closed_by_id, event.updated_at = moment, user.id, moment
    keys = []
    try:
        keys = _store(event, [(role, "", meta, content) for role, good in checked.items() for meta, content in good],
                      user)
        _tell_held(event, user)
        commit_and_email()
    except BaseException:
        db.session.rollback()
        _forget(keys)
        raise


def _tell_held(event, user) -> None:
    """Notifications to the people registered (present or not), activity in each linked community (public
    events only: a restricted one never shows to others)."""
    from app.activity.services import record

    people = db.session.scalars(select(User).join(Registration, Registration.user_id == User.id).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.REGISTERED)
        .order_by(User.id)).all()
    notify_people(people, "events.held", user, event_url(event, _anchor="event-outcome"), event=event.title)
    if not event.restricted:
        for community in event.communities:
            record("event.held", actor=user, community=community, object_type="event", object_id=event.id,
                   object_label=event.title)


@refusal_rolls_back
def upload_documents(event, user, role: str, title: str, files) -> list[EventDocument]:
    """Add materials to an event (before or after closing; never to a cancelled one)."""
    checked = _check({"files": files or []})["files"]
    if not checked:
        raise CallsError(NO_FILE, field="files")
    lock(event)
    if not access.is_organizer(user, event):
        raise CallsError(NOT_ORGANIZER)
    if event.status == EventStatus.CANCELLED:
        raise CallsError(NO_MATERIALS_WHEN_CANCELLED)
    keys = []
    try:
        keys = _store(event, [(role, title, meta, content) for meta, content in checked], user)
        event.updated_at = utcnow()
        db.session.flush()
        documents = list(db.session.scalars(select(EventDocument).where(EventDocument.storage_key.in_(keys))))
        commit_and_email()
    except BaseException:
        db.session.rollback()
        _forget(keys)
        raise
    return documents


@refusal_rolls_back
def remove_document(event, document, user) -> None:
    """Take a material out of the event (its file removed once the row is gone)."""
    lock(event)
    if not access.is_organizer(user, event):
        raise CallsError(NOT_ORGANIZER)
    key = document.storage_key
    db.session.delete(document)
    event.updated_at = utcnow()
    db.session.commit()
    _forget([key])
