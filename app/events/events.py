"""Writing events: create and edit (communities, programme, practices, missions, seat reservations, questionnaire,
organisers), the transitions publish / back to draft / cancel with their notifications and activity records, and
the agenda items with their speakers (issue 15). Each service is one transaction; a refusal rolls it back."""
from __future__ import annotations

from datetime import UTC, datetime
from functools import wraps
from zoneinfo import ZoneInfo

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import contains_eager

from app import permissions
from app.activity.services import record, visible_communities_clause
from app.calls.access import can_manage_programme
from app.calls.core import CallsError, commit_and_email, lock, notify_people
from app.events.access import can_create_event, is_organizer
from app.events.workflow import (EventAction, EventFacts, EventStatus, EventWorkflowError, NO_PLACE,
                                 RegistrationStatus, event_transition, format_problems)
from app.extensions import db
from app.models import (Activity, AffiliationStatus, AgendaItem, AgendaSpeaker, Community, Event, EventOrganizer,
                        EventPractice, Organization, Practice, Programme, ProgrammeParticipant, ProgrammeStaff,
                        Registration, SeatReservation, User)
from app.models.base import utcnow
from app.slugs import unique_slug
from app.verbs import ACTIVITY_TEXTS, NOTIFICATION_TEXTS

ROME = ZoneInfo("Europe/Rome")


def N_(message: str) -> str:
    return message


NOTIFICATION_TEXTS.update({
    "events.published_to_participants": _l("È in programma «%(event)s», un evento riservato alle amministrazioni "
                                           "partecipanti del programma %(programme)s"),
    "events.cancelled": _l("L'evento «%(event)s» è stato annullato: %(reason)s"),
})
ACTIVITY_TEXTS.update({
    "event.published": _l("%(actor)s ha pubblicato l'evento «%(object)s»"),
})

NOT_ALLOWED_HERE = N_("Potete creare eventi solo per i programmi che gestite o per le comunità che animate: "
                      "scegliete uno di questi.")
KEEP_YOURSELF = N_("Restate nell'elenco di chi organizza: altrimenti non potreste più modificare l'evento.")
RESTRICTED_NEEDS_PROGRAMME = N_("Un evento riservato appartiene a un programma: sceglietelo, o togliete la riserva.")
RESERVED_SLUGS = {"new"}  # /events/new is the new-event form: an event there could never be reached
OUTSIDE_EVENT = N_("L'orario dell'intervento deve cadere durante l'evento.")


def rolls_back(function):
    """A refusal (of the service or of the workflow) leaves nothing half-applied: rollback, then CallsError."""
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


# ---- helpers ---------------------------------------------------------------------------------------------------

def to_utc(local: datetime | None) -> datetime | None:
    """A Europe/Rome wall-clock moment as the naive UTC moment stored."""
    if local is None:
        return None
    return local.replace(tzinfo=ROME).astimezone(UTC).replace(tzinfo=None)


def to_rome(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.replace(tzinfo=UTC).astimezone(ROME).replace(tzinfo=None)


def person_by_email(email: str) -> User | None:
    email = (email or "").strip().lower()
    if not email or len(email) > 254:
        return None
    return db.session.scalar(select(User).where(func.lower(User.email) == email))


def organization_by_name(name: str) -> Organization | None:
    name = (name or "").strip().lower()
    if not name or len(name) > 200:
        return None
    return db.session.scalars(select(Organization).where(func.lower(Organization.name) == name)
                              .order_by(Organization.id)).first()


def event_link(event: Event) -> str:
    return url_for("events.show", slug=event.slug)


def programmes_for(user, event: Event | None = None) -> list[Programme]:
    """The programmes a person may put an event in (those they manage), and the event's own."""
    query = select(Programme).order_by(Programme.name)
    if not permissions.is_admin(user):
        managed = Programme.id.in_(select(ProgrammeStaff.programme_id).where(ProgrammeStaff.user_id == user.id))
        own = event is not None and event.programme_id is not None
        query = query.where(managed | (Programme.id == event.programme_id) if own else managed)
    return list(db.session.scalars(query))


def communities_for(user, event: Event | None = None) -> list[Community]:
    """The communities a person may see (and those already linked to the event)."""
    condition = visible_communities_clause(user)
    if event is not None and event.communities:
        condition = condition | Community.id.in_([each.id for each in event.communities])
    return list(db.session.scalars(select(Community).where(condition).order_by(Community.name)))


def practices_for(user, event: Event | None = None) -> list[Practice]:
    """Published practices of the communities a person may see (and those already linked to the event)."""
    visible = select(Community.id).where(visible_communities_clause(user))
    condition = (Practice.status == "published") & Practice.community_id.in_(visible)
    if event is not None and event.practice_links:
        condition = condition | Practice.id.in_([link.practice_id for link in event.practice_links])
    return list(db.session.scalars(select(Practice).join(Community, Community.id == Practice.community_id)
                                   .where(condition).order_by(Community.name, Practice.title)
                                   .options(contains_eager(Practice.community))))


def active_registrations(event: Event) -> int:
    return db.session.scalar(select(func.count(Registration.id)).where(
        Registration.event_id == event.id,
        Registration.status.in_((RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)))) or 0


# ---- create and edit -------------------------------------------------------------------------------------------

def _check(user, values: dict, event: Event | None) -> None:
    """The rules the form already told, checked again where they matter (a forged request)."""
    problems = format_problems(values["format"], values["place"], values["online_url"])
    if problems:
        raise CallsError(problems[0], field="place" if problems[0] == NO_PLACE else "online_url")
    if values["restricted"] and values["programme"] is None:
        raise CallsError(RESTRICTED_NEEDS_PROGRAMME, field="restricted")
    if values["ends_at"] <= values["starts_at"]:
        raise CallsError(N_("La fine dell'evento deve seguire il suo inizio."), field="ends_time")
    if event is None:
        allowed = can_create_event(user, programme=values["programme"]) or any(
            can_create_event(user, community=each) for each in values["communities"])
        if not allowed:
            raise CallsError(NOT_ALLOWED_HERE, field="programme")


@rolls_back
def create_event(user, values: dict) -> Event:
    """A new event in draft; its creator becomes one of its organisers."""
    _check(user, values, None)
    slug = unique_slug(Event, values["title"], fallback="evento", max_length=100)
    if slug in RESERVED_SLUGS:
        slug = unique_slug(Event, f"evento {slug}", fallback="evento", max_length=100)
    event = Event(slug=slug, status=EventStatus.DRAFT, created_by_id=user.id, title=values["title"],
                  kind=values["kind"], starts_at=values["starts_at"], ends_at=values["ends_at"])
    db.session.add(event)
    _apply(event, values)
    people = list(values["organizers"])
    if all(each.id != user.id for each in people):
        people.insert(0, user)
    _keep_organizers(event, people)
    db.session.commit()
    return event


@rolls_back
def update_event(event: Event, user, values: dict) -> Event:
    """Save an event's details (its organisers, programme staff and administrators)."""
    lock(event)
    _check(user, values, event)
    people = list(values["organizers"])
    # Judged on the event as it will be: staff taking it out of their programme must stay among its organisers.
    if (not permissions.is_admin(user)
            and not (values["programme"] and can_manage_programme(user, values["programme"]))
            and all(each.id != user.id for each in people)):
        raise CallsError(KEEP_YOURSELF, field="organizers")
    seats_before = (event.seats, {each.pa_kind: each.seats for each in event.reservations})
    starts_before = event.starts_at
    _apply(event, values)
    if event.starts_at != starts_before:
        # Postponed or brought forward: the reminder of the day before is due again for the new date.
        db.session.execute(update(Registration).where(Registration.event_id == event.id)
                           .values(reminded_at=None).execution_options(synchronize_session=False))
    _keep_organizers(event, people)
    event.updated_at = utcnow()
    db.session.flush()
    if (event.seats, values["reservations"]) != seats_before:
        # More seats (or other reservations) may give a seat to people on the waiting list.
        from app.events.registrations import promote_waiting

        promote_waiting(event)
    commit_and_email()
    return event


def _apply(event: Event, values: dict) -> None:
    for key in ("title", "summary", "description", "kind", "format", "place", "online_url", "starts_at", "ends_at",
                "restricted", "missions", "registration_enabled", "seats", "registration_closes_at", "terms",
                "questionnaire"):
        setattr(event, key, values[key])
    event.programme = values["programme"]
    event.communities = list(values["communities"])
    # Rows are kept, changed or removed in place: re-adding one (event, key) pair would trip its unique constraint.
    wanted = {each.id for each in values["practices"]}
    event.practice_links = [link for link in event.practice_links if link.practice_id in wanted]
    have = {link.practice_id for link in event.practice_links}
    for practice in values["practices"]:
        if practice.id not in have:
            event.practice_links.append(EventPractice(practice_id=practice.id, presented=True))
    reservations = values["reservations"]
    event.reservations = [each for each in event.reservations if each.pa_kind in reservations]
    for each in event.reservations:
        each.seats = reservations[each.pa_kind]
    have = {each.pa_kind for each in event.reservations}
    for kind, seats in reservations.items():
        if kind not in have:
            event.reservations.append(SeatReservation(pa_kind=kind, seats=seats))


def _keep_organizers(event: Event, people: list[User]) -> None:
    wanted = {each.id for each in people}
    event.organizers = [each for each in event.organizers if each.user_id in wanted]
    have = {each.user_id for each in event.organizers}
    for person in people:
        if person.id not in have:
            event.organizers.append(EventOrganizer(user_id=person.id))


# ---- transitions -----------------------------------------------------------------------------------------------

@rolls_back
def transition(event: Event, user, action: str, reason: str = "") -> str:
    """Publish, back to draft (refused once somebody registered), cancel with a reason; tells who must know."""
    lock(event)
    moment = utcnow()
    target = event_transition(event.status, action, EventFacts(
        now=moment, starts_at=event.starts_at, reason=reason or "", registrations=active_registrations(event)))
    if action == EventAction.CLOSE:  # closing has its own page and service (app/events/closing.py)
        raise CallsError(N_("Operazione non riconosciuta."))
    event.status = target
    event.updated_at = moment
    if action == EventAction.PUBLISH:
        event.published_at = moment
        db.session.flush()
        _tell_published(event, user)
    elif action == EventAction.UNPUBLISH:
        event.published_at = None  # no longer public: cancelled from here, it stays the organisers' (access.py)
        # Its "published" records go too: cancelled from draft it would show in the feeds; published again, it
        # records them anew.
        db.session.execute(delete(Activity).where(Activity.object_type == "event", Activity.object_id == event.id,
                                                  Activity.verb == "event.published"))
    elif action == EventAction.CANCEL:
        event.cancel_reason, event.cancelled_at = reason.strip(), moment
        db.session.flush()
        _tell_cancelled(event, user)
    commit_and_email()
    return target


def _tell_published(event: Event, user) -> None:
    if event.restricted:
        # The participants' people hear of it; nobody else, and no public record.
        if event.programme_id is None:
            return
        participants = select(ProgrammeParticipant.organization_id).where(
            ProgrammeParticipant.programme_id == event.programme_id)
        people = db.session.scalars(select(User).where(
            User.organization_id.in_(participants), User.affiliation_status == AffiliationStatus.ACTIVE)
            .order_by(User.id))
        notify_people(people, "events.published_to_participants", user, event_link(event), event=event.title,
                      programme=event.programme.name if event.programme else "")
        return
    for community in event.communities:
        record("event.published", actor=user, community=community, object_type="event", object_id=event.id,
               object_label=event.title)


def _tell_cancelled(event: Event, user) -> None:
    people = db.session.scalars(select(User).join(Registration, Registration.user_id == User.id).where(
        Registration.event_id == event.id,
        Registration.status.in_((RegistrationStatus.REGISTERED, RegistrationStatus.WAITING))).order_by(User.id))
    notify_people(people, "events.cancelled", user, event_link(event), event=event.title,
                  reason=event.cancel_reason)


# ---- agenda ----------------------------------------------------------------------------------------------------

@rolls_back
def add_agenda_item(event: Event, user, title: str, description: str, starts_at: datetime | None,
                    people=(), organizations=(), names=()) -> AgendaItem:
    """An agenda item at the end of the agenda, with its speakers (people, organisations, outside guests)."""
    lock(event)
    if starts_at is not None and not event.starts_at <= starts_at <= event.ends_at:
        raise CallsError(OUTSIDE_EVENT, field="at")
    last = db.session.scalar(select(func.max(AgendaItem.position)).where(AgendaItem.event_id == event.id)) or 0
    item = AgendaItem(event_id=event.id, position=last + 1, title=title.strip(), description=description or "",
                      starts_at=starts_at)
    for person in people:
        item.speakers.append(AgendaSpeaker(user_id=person.id))
    for organization in organizations:
        item.speakers.append(AgendaSpeaker(organization_id=organization.id))
    for name in names:
        item.speakers.append(AgendaSpeaker(name=name[:200]))
    db.session.add(item)
    event.updated_at = utcnow()
    db.session.commit()
    return item


@rolls_back
def remove_agenda_item(event: Event, item: AgendaItem) -> None:
    lock(event)
    db.session.delete(item)
    event.updated_at = utcnow()
    db.session.commit()


def may_edit(user, event: Event) -> bool:
    return is_organizer(user, event)
