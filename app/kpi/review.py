"""Reviewing KPI definitions (issue 16, point 3): the workflow moves with their one transaction (history and
notifications by app/kpi/core.py), who may take each move, the choices of a deprecation's replacement, and the
queue of the proposals a reviewer looks after, by community or programme."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app import permissions
from app.calls.core import commit_and_email, lock
from app.extensions import db
from app.kpi import access, core
from app.kpi.workflow import (N_, REFUSED, REPLACEMENT_NOT_PUBLISHED, TRANSITIONS, DefinitionAction,
                              DefinitionStatus, KpiWorkflowError)
from app.models import KpiChange, KpiDefinition, KpiVersion, Membership, ProgrammeStaff
from app.models.base import utcnow

# The moves that ask for a note on a page of their own (the others are a single confirmed button).
MOVES_WITH_NOTE = (DefinitionAction.RETURN, DefinitionAction.DEPRECATE)
NOTE_MAX = 5000

NOT_A_REVIEWER = N_("La coda di esame è di chi anima una comunità, dello staff dei programmi e di chi amministra "
                    "la piattaforma.")


def action_or_none(text: str) -> DefinitionAction | None:
    """The workflow action named in the URL (None for anything else: a 404)."""
    try:
        return DefinitionAction(text)
    except ValueError:
        return None


def may_take(user, definition: KpiDefinition, action: str) -> bool:
    """Whether the reader holds a role that takes this kind of move at all (whatever the status now)."""
    mine = access.roles(user, definition)
    return any(mine & roles for (_status, each), (_target, roles) in TRANSITIONS.items() if each == action)


def refusal_now(user, definition: KpiDefinition, action: str) -> str | None:
    """Why the move cannot be taken from the current status (an Italian msgid), or None."""
    if action in access.actions_for(user, definition):
        return None
    return REFUSED[DefinitionAction(action)]


def replacement_choices(definition: KpiDefinition) -> list[tuple[int, str]]:
    """The published KPIs (other than this one) that may replace it: (id, "KPI-0001 · name"), by name."""
    rows = db.session.execute(
        select(KpiDefinition.id, KpiDefinition.code, KpiVersion.name)
        .join(KpiVersion, KpiVersion.id == KpiDefinition.current_version_id)
        .where(KpiDefinition.status == DefinitionStatus.PUBLISHED, KpiDefinition.id != definition.id)
        .order_by(func.lower(KpiVersion.name), KpiDefinition.id)).all()
    return [(row.id, f"{row.code} · {row.name}") for row in rows]


def move_definition(definition: KpiDefinition, action: str, actor, note: str = "",
                    replacement_id: int | None = None) -> str:
    """Apply one workflow move in its own transaction; KpiWorkflowError (everything rolled back) when refused."""
    try:
        replacement = None
        if replacement_id is not None:
            replacement = db.session.get(KpiDefinition, replacement_id)
            if replacement is None:
                raise KpiWorkflowError(REPLACEMENT_NOT_PUBLISHED)
        # Two reviewers pressing at once see each other's status; the replacement too (A into B and B into A at once
        # would make a cycle), both locked in id order so that they cannot wait for each other.
        for row in sorted({definition, replacement} - {None}, key=lambda each: each.id):
            lock(row)
        target = core.move(definition, action, actor, note=note or "", replacement=replacement)
    except KpiWorkflowError:
        db.session.rollback()
        raise
    commit_and_email()
    return target


# ---- the review queue ---------------------------------------------------------------------------------------

def reviews_anything(user) -> bool:
    """Facilitators of a community, staff of a programme, administrators."""
    if permissions.is_admin(user):
        return True
    if not permissions.is_member(user):
        return False
    facilitates = db.session.scalar(select(Membership.id).where(
        Membership.user_id == user.id, Membership.status == "active", Membership.role == "facilitator").limit(1))
    if facilitates is not None:
        return True
    return db.session.scalar(select(ProgrammeStaff.id).where(ProgrammeStaff.user_id == user.id).limit(1)) is not None


@dataclass
class QueueEntry:
    definition: KpiDefinition
    since: datetime  # when it entered its current status
    days: int  # how many whole days ago


@dataclass
class QueuePlace:
    kind: str  # "community" | "programme"
    place: object  # the Community or Programme row
    proposed: list[QueueEntry] = field(default_factory=list)
    in_review: list[QueueEntry] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.proposed) + len(self.in_review)


def _reviewed_clause(user):
    if permissions.is_admin(user):
        return KpiDefinition.id.is_not(None)
    communities = select(Membership.community_id).where(Membership.user_id == user.id, Membership.status == "active",
                                                        Membership.role == "facilitator")
    programmes = select(ProgrammeStaff.programme_id).where(ProgrammeStaff.user_id == user.id)
    return or_(KpiDefinition.community_id.in_(communities), KpiDefinition.programme_id.in_(programmes))


def review_queue(user, now: datetime | None = None) -> list[QueuePlace]:
    """The proposals the reader reviews (proposed, then in review, the longest waiting first), by place."""
    entered = (select(KpiChange.definition_id, func.max(KpiChange.created_at).label("since"))
               .join(KpiDefinition, KpiDefinition.id == KpiChange.definition_id)
               .where(KpiChange.to_status == KpiDefinition.status)
               .group_by(KpiChange.definition_id).subquery())
    rows = db.session.execute(
        select(KpiDefinition, entered.c.since)
        .outerjoin(entered, entered.c.definition_id == KpiDefinition.id)
        .where(KpiDefinition.status.in_(access.PROPOSAL_STATUSES), _reviewed_clause(user))
        .options(selectinload(KpiDefinition.current_version), selectinload(KpiDefinition.community),
                 selectinload(KpiDefinition.programme), selectinload(KpiDefinition.author_organization))
        .order_by(KpiDefinition.created_at, KpiDefinition.id)).all()
    now = now or utcnow()
    places: dict[tuple[str, int], QueuePlace] = {}
    for definition, since in rows:
        since = since or definition.created_at
        if definition.community_id is not None:
            key, place = ("community", definition.community_id), definition.community
        else:
            key, place = ("programme", definition.programme_id or 0), definition.programme
        bucket = places.setdefault(key, QueuePlace(kind=key[0], place=place))
        entry = QueueEntry(definition=definition, since=since, days=max((now - since).days, 0))
        (bucket.proposed if definition.status == DefinitionStatus.PROPOSED else bucket.in_review).append(entry)
    for bucket in places.values():
        bucket.proposed.sort(key=lambda e: (e.since, e.definition.id))
        bucket.in_review.sort(key=lambda e: (e.since, e.definition.id))
    return sorted(places.values(), key=lambda p: (p.kind, (getattr(p.place, "name", "") or "").lower()))
