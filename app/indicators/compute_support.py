"""Support indicators of a chunk of communities at ctx.now: S1…S5 (/work/notes/ind/CONTRACT.md).

A community's requests are those on its practices. Response times are in Italian working days (app/workdays.py),
the time to close in calendar days. One query per chunk: the requests that can count in any of the five figures.
No Flask import beyond the session.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import or_, select

from app.extensions import db
from app.indicators.context import Context
from app.indicators.figures import Figure, count, median_of, ratio, share
from app.models import Practice, SupportRequest
from app.reuse.workflow import RequestStatus
from app.workdays import working_days_before, working_days_between, working_deadline

RESPONSE_WORKING_DAYS = 5
STALE_AFTER = timedelta(days=30)
LIVE = (RequestStatus.OPEN, RequestStatus.ACCEPTED)
CODES = ("S1", "S2", "S3", "S4", "S5")


def _requests(ctx: Context, community_ids) -> list:
    """Requests opened in W365, closed in W365 or still live: every other request counts in no figure."""
    return db.session.execute(
        select(SupportRequest.id, Practice.community_id, SupportRequest.status, SupportRequest.created_at,
               SupportRequest.first_response_at, SupportRequest.resolved_at, SupportRequest.declined_at,
               SupportRequest.closed_at)
        .join(Practice, Practice.id == SupportRequest.practice_id)
        .where(Practice.community_id.in_(community_ids), SupportRequest.created_at <= ctx.now,
               or_(SupportRequest.created_at >= ctx.w365, SupportRequest.resolved_at >= ctx.w365,
                   SupportRequest.declined_at >= ctx.w365, SupportRequest.status.in_(LIVE)))).all()


def closed_at(row, now: datetime) -> datetime | None:
    """When the request was last closed (resolved, or declined with a reason) by `now`."""
    moments = [moment for moment in (row.resolved_at, row.declined_at) if moment is not None and moment <= now]
    return max(moments) if moments else None


def _figures(ctx: Context, rows: list) -> dict[str, Figure]:
    due_before = working_days_before(ctx.now, RESPONSE_WORKING_DAYS)
    due = [row for row in rows if ctx.w90 <= row.created_at <= due_before]
    answered = [row for row in due if row.first_response_at is not None and row.first_response_at <= ctx.now]
    in_time = [row.id for row in answered
               if row.first_response_at <= working_deadline(row.created_at, RESPONSE_WORKING_DAYS)]
    opened = {row.id for row in rows if row.created_at >= ctx.w90}
    closing = {row.id: moment for row in rows if (moment := closed_at(row, ctx.now)) is not None}
    closed_w90 = {row.id for row in rows if any(
        moment is not None and ctx.w90 <= moment <= ctx.now for moment in (row.resolved_at, row.declined_at))}
    close_days = {row.id: (closing[row.id] - row.created_at) / timedelta(days=1)
                  for row in rows if row.id in closing and closing[row.id] >= ctx.w365}
    # Open at `now` = not resolved, declined or closed by then, whatever the status today (past quarters).
    stale = [row.id for row in rows if row.created_at <= ctx.now - STALE_AFTER and (row.status in LIVE or not any(
        moment is not None and moment <= ctx.now for moment in (row.resolved_at, row.declined_at, row.closed_at)))]
    return {
        "S1": share(in_time, [row.id for row in due], "request"),
        "S2": median_of({row.id: working_days_between(row.created_at, row.first_response_at) for row in answered},
                        "request"),
        # The closed ones need not be among the opened ones (a ratio, not a share): the list holds both.
        "S3": ratio(len(closed_w90), len(opened), "request", sorted(opened | closed_w90), sorted(closed_w90)),
        "S4": median_of(close_days, "request"),
        "S5": count(stale, "request"),
    }


def compute(ctx: Context, community_ids) -> dict[int, dict[str, Figure]]:
    """S1…S5 of every community in `community_ids` at ctx.now."""
    community_ids = list(community_ids)
    if not community_ids:
        return {}
    by_community: dict[int, list] = defaultdict(list)
    for row in _requests(ctx, community_ids):
        by_community[row.community_id].append(row)
    return {cid: _figures(ctx, by_community.get(cid, [])) for cid in community_ids}
