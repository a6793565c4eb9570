"""Who may see and do what with events (issue 15). Plain functions, usable in templates as `events_access.<name>`,
and `visible_events_clause` for every list, calendar and slot, so that a draft or a restricted event never shows
to those who may not see it. Routes answer 404 for an event the reader may not see.

- Organisers: administrators, the event's own organisers (EventOrganizer), the staff of its programme.
- A draft: organisers only. A restricted event: organisers, speakers, people of the programme's participant
  organisations, and people registered to it. A public event: everybody.
"""
from __future__ import annotations

from sqlalchemy import and_, false, or_, select, true

from app import permissions
from app.calls.access import can_manage_programme, is_participant
from app.communities.workflow import Role, Status
from app.events.workflow import EventStatus, RegistrationStatus
from app.extensions import db
from app.models import (AgendaItem, AgendaSpeaker, Community, Event, EventOrganizer, Membership, Programme,
                        ProgrammeParticipant, ProgrammeStaff, Registration)


def is_organizer(user, event: Event) -> bool:
    """Edit, publish, cancel, close the event, see its registrations, record attendance."""
    if permissions.is_admin(user):
        return True
    if not permissions.is_member(user):
        return False
    if any(each.user_id == user.id for each in event.organizers):
        return True
    return event.programme is not None and can_manage_programme(user, event.programme)


def is_speaker(user, event: Event) -> bool:
    if not permissions.is_member(user):
        return False
    return db.session.scalar(select(AgendaSpeaker.id).join(AgendaItem).where(
        AgendaItem.event_id == event.id, AgendaSpeaker.user_id == user.id).limit(1)) is not None


def registration_of(user, event: Event) -> Registration | None:
    if not permissions.is_signed_in(user):
        return None
    return db.session.scalar(select(Registration).where(Registration.event_id == event.id,
                                                        Registration.user_id == user.id))


def can_view_event(user, event: Event) -> bool:
    if is_organizer(user, event):
        return True
    if event.status == EventStatus.DRAFT or (event.status == EventStatus.CANCELLED and event.published_at is None):
        # A draft cancelled before (or after going back from) publication was never public: still the organisers'.
        return False
    if not event.restricted:
        return True
    if is_participant(user, event.programme) or is_speaker(user, event):
        return True
    registration = registration_of(user, event)
    return registration is not None and registration.status != RegistrationStatus.CANCELLED


def can_register(user, event: Event) -> bool:
    """Who may register (the event's state and seats are the workflow's rules, told with their own message): a
    member of an active organisation; for a restricted event, of one of the programme's participants."""
    if not permissions.is_member(user) or user.organization_id is None:
        return False
    if event.restricted:
        return is_participant(user, event.programme) or is_organizer(user, event)
    return True


def can_create_event(user, programme: Programme | None = None, community: Community | None = None) -> bool:
    """Administrators; the staff of a programme for its events; the facilitators of a community for its events."""
    if permissions.is_admin(user):
        return True
    if not permissions.is_member(user):
        return False
    if programme is not None and can_manage_programme(user, programme):
        return True
    if community is not None:
        return db.session.scalar(select(Membership.id).where(
            Membership.community_id == community.id, Membership.user_id == user.id,
            Membership.status == Status.ACTIVE, Membership.role == Role.FACILITATOR)) is not None
    return False


def can_create_any_event(user) -> bool:
    """Whether to offer "Nuovo evento" at all: administrators, any programme's staff, any facilitator."""
    if permissions.is_admin(user):
        return True
    if not permissions.is_member(user):
        return False
    staff = select(ProgrammeStaff.id).where(ProgrammeStaff.user_id == user.id).limit(1)
    facilitator = select(Membership.id).where(Membership.user_id == user.id, Membership.status == Status.ACTIVE,
                                              Membership.role == Role.FACILITATOR).limit(1)
    return db.session.scalar(staff) is not None or db.session.scalar(facilitator) is not None


def visible_events_clause(user):
    """SQL condition on Event: the events this reader may see (see the module's rules)."""
    if permissions.is_admin(user):
        return true()
    shown = and_(Event.status != EventStatus.DRAFT,
                 or_(Event.status != EventStatus.CANCELLED, Event.published_at.is_not(None)))
    public = and_(shown, Event.restricted.is_(False))
    if not permissions.is_member(user):
        return public
    organised = or_(
        Event.id.in_(select(EventOrganizer.event_id).where(EventOrganizer.user_id == user.id)),
        Event.programme_id.in_(select(ProgrammeStaff.programme_id).where(ProgrammeStaff.user_id == user.id)))
    admitted = Event.id.in_(select(AgendaItem.event_id).join(AgendaSpeaker).where(AgendaSpeaker.user_id == user.id))
    registered = Event.id.in_(select(Registration.event_id).where(
        Registration.user_id == user.id, Registration.status != RegistrationStatus.CANCELLED))
    participant = (Event.programme_id.in_(select(ProgrammeParticipant.programme_id).where(
        ProgrammeParticipant.organization_id == user.organization_id))
        if user.organization_id is not None else false())
    restricted_ok = and_(shown, Event.restricted.is_(True),
                         or_(admitted, registered, participant))
    return or_(public, organised, restricted_ok)
