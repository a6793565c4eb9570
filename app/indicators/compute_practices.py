"""Service figures of every published practice as of ctx.now (the quarter's PracticeSnapshot): the meaning of
app/reuse/figures.py, with the first response in Italian working days, in six batch queries for all practices.

As of ctx.now: rows written after it are ignored; an adoption abandoned after it still counts, and a request closed
after it was still open then.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from statistics import median

from sqlalchemy import and_, func, or_, select

from app.extensions import db
from app.indicators.context import Context
from app.models import Adoption, Deployment, Practice, SupportRequest
from app.practices.workflow import PracticeStatus
from app.reuse.workflow import AdoptionStatus, RequestStatus
from app.workdays import working_days_between

WINDOW = timedelta(days=365)
LIVE = (RequestStatus.OPEN, RequestStatus.ACCEPTED)
DAY_SECONDS = 86400


def _not_by(column, now):
    """The stamp is missing or later than `now`: the step had not happened yet."""
    return or_(column.is_(None), column > now)


def _counts(query) -> dict[int, int]:
    return dict(db.session.execute(query).all())


def compute(ctx: Context) -> dict[int, dict]:
    """{practice id: figures} for every practice published by ctx.now, in every community."""
    now, since = ctx.now, ctx.now - WINDOW
    published = (Practice.status == PracticeStatus.PUBLISHED, Practice.published_at <= now)
    practice_ids = db.session.execute(select(Practice.id).where(*published)).scalars().all()
    of_published = select(Practice.id).where(*published)

    not_abandoned = or_(Adoption.status != AdoptionStatus.ABANDONED,
                        and_(Adoption.ended_at.is_not(None), Adoption.ended_at > now))
    confirmed = _counts(select(Adoption.practice_id, func.count()).where(
        Adoption.practice_id.in_(of_published), Adoption.created_at <= now, Adoption.confirmed_at <= now,
        not_abandoned).group_by(Adoption.practice_id))
    deployments = _counts(select(Deployment.practice_id, func.count())
                          .join(Adoption, Adoption.id == Deployment.adoption_id).where(
        Deployment.practice_id.in_(of_published), Deployment.created_at <= now, Adoption.confirmed_at <= now)
                          .group_by(Deployment.practice_id))
    stamps = (SupportRequest.resolved_at, SupportRequest.declined_at, SupportRequest.closed_at)
    open_requests = _counts(select(SupportRequest.practice_id, func.count()).where(
        SupportRequest.practice_id.in_(of_published), SupportRequest.created_at <= now,
        *(_not_by(stamp, now) for stamp in stamps),
        # a request closed after `now` was open at `now`, whatever its status today
        or_(SupportRequest.status.in_(LIVE), *(stamp > now for stamp in stamps)))
        .group_by(SupportRequest.practice_id))

    responses: dict[int, list[float]] = defaultdict(list)
    for practice_id, created, answered in db.session.execute(
            select(SupportRequest.practice_id, SupportRequest.created_at, SupportRequest.first_response_at).where(
                SupportRequest.practice_id.in_(of_published), SupportRequest.created_at >= since,
                SupportRequest.created_at <= now, SupportRequest.first_response_at <= now)).all():
        responses[practice_id].append(working_days_between(created, answered))
    resolutions: dict[int, list[float]] = defaultdict(list)
    for practice_id, created, resolved in db.session.execute(
            select(SupportRequest.practice_id, SupportRequest.created_at, SupportRequest.resolved_at).where(
                SupportRequest.practice_id.in_(of_published), SupportRequest.resolved_at >= since,
                SupportRequest.resolved_at <= now)).all():
        resolutions[practice_id].append(max((resolved - created).total_seconds(), 0) / DAY_SECONDS)

    return {pid: {
        "confirmed_adoptions": confirmed.get(pid, 0),
        "deployments": deployments.get(pid, 0),
        "open_requests": open_requests.get(pid, 0),
        "median_first_response_wd": float(median(responses[pid])) if responses.get(pid) else None,
        "median_resolution_days": float(median(resolutions[pid])) if resolutions.get(pid) else None,
        "answered": len(responses.get(pid, ())),
        "resolved": len(resolutions.get(pid, ())),
    } for pid in practice_ids}
