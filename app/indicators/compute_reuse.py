"""Donors and reusers (R1D, R1R, R2, R3C, R3D, R3N): seven batch queries per chunk of communities, the rest in
Python. Everything is read as of ctx.now: rows written after it are ignored, an adoption abandoned after it still
counts as under way. Only organisations of kind public administration count as administrations.

Who donates: the donor, and the co-donors; a co-donor counts from the moment its referent accepted the invitation
(CoDonorInvitation.decided_at) or, with no invitation on record, from the practice's publication.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select

from app.extensions import db
from app.indicators.context import Context
from app.indicators.figures import Figure, count, share
from app.models import (Adoption, Answer, CoDonorInvitation, Conversion, Organization, Practice, Question,
                        SupportMessage, SupportRequest, User)
from app.models.practice import practice_co_donor
from app.practices.workflow import PracticeStatus
from app.qa.workflow import Visibility
from app.reuse.workflow import AdoptionStatus

CODES = ("R1D", "R1R", "R2", "R3C", "R3D", "R3N")
PA = "public_administration"
UNDER_WAY = (AdoptionStatus.IN_PROGRESS, AdoptionStatus.COMPLETED)
COHORT_START, COHORT_END = timedelta(days=730), timedelta(days=365)  # first reuse 24 to 12 months ago
STEP_WINDOW = timedelta(days=730)  # R3N: donor steps of the last 24 months


@dataclass(frozen=True)
class _Practice:
    id: int
    community_id: int
    donor_id: int
    donor_is_pa: bool
    status: str
    published_at: datetime | None


@dataclass(frozen=True)
class _Adoption:
    practice_id: int
    organization_id: int
    status: str
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None


def _practices(ctx: Context, ids: list[int]) -> dict[int, _Practice]:
    """The communities' practices that are not drafts (an archived practice was reused all the same)."""
    rows = db.session.execute(
        select(Practice.id, Practice.community_id, Practice.donor_id, Organization.kind, Practice.status,
               Practice.published_at)
        .join(Organization, Organization.id == Practice.donor_id)
        .where(Practice.community_id.in_(ids), Practice.status != PracticeStatus.DRAFT)).all()
    return {r.id: _Practice(r.id, r.community_id, r.donor_id, r.kind == PA, r.status, r.published_at) for r in rows}


def _co_donors(ids: list[int]) -> dict[int, dict[int, tuple[bool, datetime | None]]]:
    """practice id → {co-donor organisation id: (is an administration, accepted at or None)}."""
    accepted = and_(CoDonorInvitation.practice_id == practice_co_donor.c.practice_id,
                    CoDonorInvitation.organization_id == practice_co_donor.c.organization_id,
                    CoDonorInvitation.status == "accepted")
    rows = db.session.execute(
        select(practice_co_donor.c.practice_id, practice_co_donor.c.organization_id, Organization.kind,
               CoDonorInvitation.decided_at)
        .join(Practice, Practice.id == practice_co_donor.c.practice_id)
        .join(Organization, Organization.id == practice_co_donor.c.organization_id)
        .outerjoin(CoDonorInvitation, accepted)
        .where(Practice.community_id.in_(ids), Practice.status != PracticeStatus.DRAFT)).all()
    result: dict[int, dict[int, tuple[bool, datetime | None]]] = defaultdict(dict)
    for r in rows:
        result[r.practice_id][r.organization_id] = (r.kind == PA, r.decided_at)
    return result


def _adoptions(ctx: Context, ids: list[int]) -> list[_Adoption]:
    """Adoptions by administrations of the communities' practices, declared by ctx.now."""
    rows = db.session.execute(
        select(Adoption.practice_id, Adoption.organization_id, Adoption.status, Adoption.created_at,
               Adoption.started_at, Adoption.ended_at)
        .join(Practice, Practice.id == Adoption.practice_id)
        .join(Organization, Organization.id == Adoption.organization_id)
        .where(Practice.community_id.in_(ids), Practice.status != PracticeStatus.DRAFT, Organization.kind == PA,
               Adoption.created_at <= ctx.now)).all()
    return [_Adoption(*r) for r in rows]


def _conversions(ctx: Context, ids: list[int]) -> list[tuple[int, int, datetime]]:
    """(community id, organisation id, when) of the recorded reuser → donor conversions."""
    return [tuple(r) for r in db.session.execute(
        select(Practice.community_id, Conversion.organization_id, Conversion.created_at)
        .join(Adoption, Adoption.id == Conversion.adoption_id)
        .join(Practice, Practice.id == Adoption.practice_id)
        .where(Practice.community_id.in_(ids), Conversion.created_at <= ctx.now)).all()]


def _contributions(ctx: Context, ids: list[int]) -> list[tuple[int, int, datetime]]:
    """(community id, organisation id, when) of accepted answers and of donor-side support messages, since the
    earliest moment a cohort's first reuse can be (older ones cannot follow it)."""
    since = ctx.now - COHORT_START
    answer_org = func.coalesce(Answer.organization_id, User.organization_id)
    answers = db.session.execute(
        select(Question.community_id, answer_org.label("org"), Answer.created_at)
        .join(Answer, Answer.id == Question.accepted_answer_id)
        .outerjoin(User, User.id == Answer.author_id)
        .where(Question.community_id.in_(ids), Question.visibility == Visibility.VISIBLE,
               Answer.visibility == Visibility.VISIBLE, Question.accepted_at <= ctx.now,
               Answer.created_at >= since, Answer.created_at <= ctx.now)).all()
    messages = db.session.execute(
        select(Practice.community_id, User.organization_id, SupportMessage.created_at)
        .join(SupportRequest, SupportRequest.id == SupportMessage.request_id)
        .join(Practice, Practice.id == SupportRequest.practice_id)
        .join(User, User.id == SupportMessage.author_id)
        .where(Practice.community_id.in_(ids), SupportMessage.from_donor.is_(True),
               SupportMessage.created_at >= since, SupportMessage.created_at <= ctx.now)).all()
    return [tuple(r) for r in (*answers, *messages) if r[1] is not None]


def _started(adoption: _Adoption) -> datetime | None:
    """When the adoption got under way (rows written without a start date: their declaration)."""
    if adoption.started_at is not None:
        return adoption.started_at
    return adoption.created_at if adoption.status in UNDER_WAY else None


def _under_way_at(adoption: _Adoption, now: datetime) -> bool:
    """In progress or completed at `now`."""
    started = _started(adoption)
    if started is None or started > now:
        return False
    abandoned = adoption.status == AdoptionStatus.ABANDONED and (adoption.ended_at is None or adoption.ended_at <= now)
    return not abandoned


class _Donors:
    """Who donates each practice, and since when."""

    def __init__(self, practices: dict[int, _Practice], co_donors: dict):
        self.practices, self.co_donors = practices, co_donors

    def at(self, practice_id: int, moment: datetime) -> set[int]:
        """Donor and co-donors of the practice at `moment` (a co-donor with no accepted invitation: always)."""
        practice = self.practices[practice_id]
        return {practice.donor_id} | {org for org, (_, since) in self.co_donors.get(practice_id, {}).items()
                                      if since is None or since <= moment}

    def steps(self, practice: _Practice, now: datetime):
        """(organisation id, is an administration, when it became a donor of the practice, published by now)."""
        if practice.published_at is None or practice.published_at > now:
            return
        yield practice.donor_id, practice.donor_is_pa, practice.published_at
        for org, (is_pa, since) in self.co_donors.get(practice.id, {}).items():
            moment = max(practice.published_at, since) if since is not None else practice.published_at
            if moment <= now:
                yield org, is_pa, moment


def _after(moments, start: datetime, now: datetime, inclusive: bool = False) -> bool:
    """Whether one of the moments is after `start` (or at it, when `inclusive`) and by `now`."""
    return any((start <= moment if inclusive else start < moment) and moment <= now for moment in moments)


def _published(practice: _Practice, now: datetime) -> bool:
    return practice.status == PracticeStatus.PUBLISHED and practice.published_at is not None \
        and practice.published_at <= now


def compute(ctx: Context, community_ids: list[int]) -> dict[int, dict[str, Figure]]:
    """R1D, R1R, R2, R3C, R3D and R3N of each community."""
    ids = list(community_ids)
    now = ctx.now
    practices = _practices(ctx, ids)
    donors = _Donors(practices, _co_donors(ids))
    by_community: dict[int, list[_Practice]] = defaultdict(list)
    for practice in practices.values():
        by_community[practice.community_id].append(practice)

    donor_ids: dict[int, set[int]] = defaultdict(set)  # R1D
    steps: dict[int, dict[int, list[datetime]]] = defaultdict(lambda: defaultdict(list))  # became donor, when
    for practice in practices.values():
        for org, is_pa, moment in donors.steps(practice, now):
            steps[practice.community_id][org].append(moment)
            if is_pa and _published(practice, now):
                donor_ids[practice.community_id].add(org)
    for cid, org, moment in _conversions(ctx, ids):
        steps[cid][org].append(moment)

    reusers: dict[int, set[int]] = defaultdict(set)  # R1R
    reused: dict[int, set[int]] = defaultdict(set)  # R2: practices
    first_reuse: dict[int, dict[int, datetime]] = defaultdict(dict)  # community → org → first adoption
    for adoption in _adoptions(ctx, ids):
        practice = practices[adoption.practice_id]
        cid, org = practice.community_id, adoption.organization_id
        if _under_way_at(adoption, now) and org not in donors.at(practice.id, now):
            reusers[cid].add(org)
            if adoption.created_at >= ctx.w365 and _published(practice, now):
                reused[cid].add(practice.id)
        started = _started(adoption)
        # Someone else's practice when it was adopted: a later co-donor (the reuse that led there) still counts.
        if started is not None and started <= now and org not in donors.at(practice.id, adoption.created_at):
            known = first_reuse[cid].get(org)
            if known is None or adoption.created_at < known:
                first_reuse[cid][org] = adoption.created_at

    contributed: dict[int, dict[int, list[datetime]]] = defaultdict(lambda: defaultdict(list))
    for cid, org, moment in _contributions(ctx, ids):
        contributed[cid][org].append(moment)

    result: dict[int, dict[str, Figure]] = {}
    for cid in ids:
        firsts = first_reuse.get(cid, {})
        cohort = {org for org, first in firsts.items() if now - COHORT_START <= first <= now - COHORT_END}
        helped, stepped = contributed.get(cid, {}), steps.get(cid, {})
        r3c = {org for org in cohort if _after(helped.get(org, ()), firsts[org], now)}
        r3d = {org for org in cohort if _after(stepped.get(org, ()), firsts[org], now)}
        r3n = {org for org in firsts if _after(stepped.get(org, ()), max(firsts[org], now - STEP_WINDOW), now,
                                               inclusive=firsts[org] < now - STEP_WINDOW)}
        published = {p.id for p in by_community.get(cid, ()) if _published(p, now)}
        result[cid] = {
            "R1D": count(donor_ids.get(cid, set()), "organization"),
            "R1R": count(reusers.get(cid, set()), "organization"),
            "R2": share(reused.get(cid, set()) & published, published, "practice"),
            "R3C": share(r3c, cohort, "organization"),
            "R3D": share(r3d, cohort, "organization"),
            "R3N": count(r3n, "organization"),
        }
    return result
