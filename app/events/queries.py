"""The lists of events: the agenda (upcoming or past, with filters), the boxes of other pages and the calendar
feeds (issue 15). Every list goes through `visible_events_clause`, so that drafts and restricted events appear
only to those who may see them; each list is one query plus its count, its programmes and communities loaded in
one more query each (no query per event)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, cast, false, or_, select
from sqlalchemy.orm import selectinload

from app import permissions
from app.activity.services import visible_communities_clause
from app.communities.workflow import Status, Visibility
from app.events.access import visible_events_clause
from app.events.labels import EVENT_FORMAT_LABELS, EVENT_KIND_LABELS
from app.events.workflow import EventStatus
from app.extensions import db
from app.models import BUDGET_MISSIONS, Community, Event, Membership, Programme, ProgrammeParticipant
from app.models.base import utcnow
from app.models.event import event_community

WHEN = ("upcoming", "past")
FEED_PAST_DAYS = 365  # a feed carries the last 12 months and everything ahead
LISTED_STATUSES = (EventStatus.PUBLISHED, EventStatus.HELD)  # what boxes show (no drafts, no cancelled events)
FEED_STATUSES = (EventStatus.PUBLISHED, EventStatus.HELD, EventStatus.CANCELLED)  # a cancellation must reach
# the calendars that hold the event


@dataclass(frozen=True)
class AgendaFilters:
    when: str = "upcoming"
    programme: str = ""
    community: str = ""
    kind: str = ""
    format: str = ""
    mission: str = ""

    @property
    def narrowed(self) -> bool:
        """Whether any filter besides the period is chosen."""
        return any((self.programme, self.community, self.kind, self.format, self.mission))

    def args(self) -> dict:
        """The non-empty filters, as GET parameters (the default "upcoming" left out)."""
        return {key: value for key, value in asdict(self).items() if value and not (key == "when"
                                                                                     and value == "upcoming")}


def parse_filters(args: Mapping, user) -> tuple[AgendaFilters, Programme | None, Community | None]:
    """The agenda's filters from the GET parameters; values that name nothing the reader may see are ignored."""
    def value(name: str) -> str:
        return (args.get(name) or "").replace("\x00", "").strip()[:120]  # PostgreSQL refuses NUL in text

    programme = community = None
    if slug := value("programme"):
        programme = db.session.scalar(select(Programme).where(Programme.slug == slug))
    if slug := value("community"):
        community = db.session.scalar(select(Community).where(Community.slug == slug,
                                                              visible_communities_clause(user)))
    filters = AgendaFilters(
        when=value("when") if value("when") in WHEN else "upcoming",
        programme=programme.slug if programme else "", community=community.slug if community else "",
        kind=value("kind") if value("kind") in EVENT_KIND_LABELS else "",
        format=value("format") if value("format") in EVENT_FORMAT_LABELS else "",
        mission=value("mission") if value("mission") in BUDGET_MISSIONS else "")
    return filters, programme, community


def _loaded(query):
    return query.options(selectinload(Event.programme), selectinload(Event.communities))


def upcoming_clause(now: datetime):
    """Not over yet (an event under way is still ahead of those who may join it)."""
    return Event.ends_at >= now


def agenda_query(user, filters: AgendaFilters, programme: Programme | None = None,
                 community: Community | None = None, now: datetime | None = None):
    """The agenda: upcoming events soonest first, or past ones latest first, that the reader may see."""
    now = now or utcnow()
    query = select(Event).where(visible_events_clause(user))
    if filters.when == "past":
        query = query.where(Event.ends_at < now).order_by(Event.starts_at.desc(), Event.id.desc())
    else:
        query = query.where(upcoming_clause(now)).order_by(Event.starts_at, Event.id)
    if programme is not None:
        query = query.where(Event.programme_id == programme.id)
    if community is not None:
        query = query.where(Event.id.in_(select(event_community.c.event_id).where(
            event_community.c.community_id == community.id)))
    if filters.kind:
        query = query.where(Event.kind == filters.kind)
    if filters.format:
        query = query.where(Event.format == filters.format)
    if filters.mission:
        # The missions are a JSON list of codes (["01", "14"]): its text holds the quoted code. The code was
        # checked against BUDGET_MISSIONS, so it carries no LIKE wildcard.
        query = query.where(cast(Event.missions, String).like(f'%"{filters.mission}"%'))
    return _loaded(query)


def programme_choices() -> list[Programme]:
    return list(db.session.scalars(select(Programme).order_by(Programme.name)))


def community_choices(user) -> list[Community]:
    """The communities the reader may see that have at least one event the reader may see (the others would list
    nothing, and would hint at drafts and restricted events)."""
    with_events = select(event_community.c.community_id).join(Event, Event.id == event_community.c.event_id).where(
        visible_events_clause(user))
    return list(db.session.scalars(select(Community).where(
        visible_communities_clause(user), Community.id.in_(with_events)).order_by(Community.name)))


def next_events(user, limit: int, now: datetime | None = None, **where) -> list[Event]:
    """The next published events the reader may see, soonest first: of a `community`, a `programme`, or
    `mine=True` (the reader's communities and the programmes the reader's organisation takes part in)."""
    now = now or utcnow()
    query = select(Event).where(visible_events_clause(user), Event.status.in_(LISTED_STATUSES),
                                upcoming_clause(now))
    query = _scoped(query, user, **where)
    return list(db.session.scalars(_loaded(query.order_by(Event.starts_at, Event.id).limit(limit))))


def past_events(user, limit: int, now: datetime | None = None, **where) -> list[Event]:
    """The last events that took place (published or held, not cancelled), latest first."""
    now = now or utcnow()
    query = select(Event).where(visible_events_clause(user), Event.status.in_(LISTED_STATUSES), Event.ends_at < now)
    query = _scoped(query, user, **where)
    return list(db.session.scalars(_loaded(query.order_by(Event.starts_at.desc(), Event.id.desc()).limit(limit))))


def _scoped(query, user, community: Community | None = None, programme: Programme | None = None,
            mine: bool = False):
    if community is not None:
        query = query.where(Event.id.in_(select(event_community.c.event_id).where(
            event_community.c.community_id == community.id)))
    if programme is not None:
        query = query.where(Event.programme_id == programme.id)
    if mine:
        query = query.where(_mine_clause(user))
    return query


def _mine_clause(user):
    if not permissions.is_member(user):
        return false()
    communities = select(Membership.community_id).where(Membership.user_id == user.id,
                                                        Membership.status == Status.ACTIVE)
    of_communities = Event.id.in_(select(event_community.c.event_id).where(
        event_community.c.community_id.in_(communities)))
    if user.organization_id is None:
        return of_communities
    of_programmes = Event.programme_id.in_(select(ProgrammeParticipant.programme_id).where(
        ProgrammeParticipant.organization_id == user.organization_id))
    return or_(of_communities, of_programmes)


def feed_events(community: Community | None = None, programme: Programme | None = None,
                now: datetime | None = None) -> list[Event]:
    """What a calendar client may hold for anybody: the public events (no drafts, no restricted ones) of the last
    12 months and all the upcoming ones, cancelled ones included (their status tells the client)."""
    now = now or utcnow()
    query = select(Event).where(visible_events_clause(None), Event.status.in_(FEED_STATUSES),
                                Event.starts_at >= now - timedelta(days=FEED_PAST_DAYS))
    query = _scoped(query, None, community=community, programme=programme)
    return list(db.session.scalars(query.order_by(Event.starts_at, Event.id)))


def is_public_community(community: Community) -> bool:
    """Whether an anonymous reader may see the community (its feed exists only then)."""
    return community.visibility != Visibility.PRIVATE
