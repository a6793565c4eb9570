"""Service figures of a practice or a donor: verified reuse and how quickly the donors answer.

The first response is measured in Italian working time (app/workdays.py: weekends and public holidays do not
count, as for the overdue rule); the resolution in calendar time, as the requester lives it (indicator S4 too).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import func, select

from app.extensions import db
from app.models import Adoption, Deployment, Practice, SupportRequest
from app.models.base import utcnow
from app.reuse.workflow import AdoptionStatus, RequestStatus
from app.workdays import working_time_between

WINDOW = timedelta(days=365)


@dataclass(frozen=True)
class ServiceFigures:
    confirmed_adoptions: int
    deployments: int
    open_requests: int
    median_first_response: timedelta | None  # working time, over requests opened in the last 12 months
    median_resolution: timedelta | None  # calendar time, over requests resolved in the last 12 months
    answered: int  # how many requests the first median is computed on
    resolved: int  # and the second


def _figures(practice_filter, now: datetime | None) -> ServiceFigures:
    now = now or utcnow()
    since = now - WINDOW
    practices = select(Practice.id).where(practice_filter)
    confirmed = db.session.execute(select(func.count()).select_from(Adoption).where(
        Adoption.practice_id.in_(practices), Adoption.confirmed_at.is_not(None),
        Adoption.status != AdoptionStatus.ABANDONED)).scalar()
    deployments = db.session.execute(select(func.count()).select_from(Deployment)
                                     .join(Adoption, Deployment.adoption_id == Adoption.id).where(
        Deployment.practice_id.in_(practices), Adoption.confirmed_at.is_not(None))).scalar()
    open_requests = db.session.execute(select(func.count()).select_from(SupportRequest).where(
        SupportRequest.practice_id.in_(practices),
        SupportRequest.status.in_((RequestStatus.OPEN, RequestStatus.ACCEPTED)))).scalar()
    responses = db.session.execute(select(SupportRequest.created_at, SupportRequest.first_response_at).where(
        SupportRequest.practice_id.in_(practices), SupportRequest.created_at >= since,
        SupportRequest.first_response_at <= now)).all()
    resolutions = db.session.execute(select(SupportRequest.created_at, SupportRequest.resolved_at).where(
        SupportRequest.practice_id.in_(practices), SupportRequest.resolved_at >= since,
        SupportRequest.resolved_at <= now)).all()
    return ServiceFigures(
        confirmed_adoptions=confirmed, deployments=deployments, open_requests=open_requests,
        median_first_response=median([working_time_between(a, b) for a, b in responses]) if responses else None,
        median_resolution=median([b - a for a, b in resolutions]) if resolutions else None,
        answered=len(responses), resolved=len(resolutions))


def practice_figures(practice: Practice, now: datetime | None = None) -> ServiceFigures:
    """Figures of one practice."""
    return _figures(Practice.id == practice.id, now)


def donor_figures(organization_id: int, now: datetime | None = None, only: list[int] | None = None) -> ServiceFigures:
    """Figures over every practice an organisation donates or co-donates, or over `only` those of them (the ones
    the reader may see: a private community's practice must not show through the totals)."""
    from app.practices.services import donated_by

    clause = donated_by(organization_id)
    if only is not None:
        clause = clause & Practice.id.in_(only)
    return _figures(clause, now)


def duration_parts(value: timedelta | None) -> tuple[int, int] | None:
    """(days, hours) of a duration, rounded to the hour, for display."""
    if value is None:
        return None
    hours = round(value.total_seconds() / 3600)
    return hours // 24, hours % 24
