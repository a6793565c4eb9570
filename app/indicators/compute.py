"""`flask indicators compute`: every community's figures into snapshots, the stages, the network's figures.

The nightly run writes today's daily snapshots and, when a quarter has ended with no stage snapshot yet, the
quarter's snapshots (as of its last moment) with the stages after hysteresis. Communities are computed in chunks,
each group of indicators with a few batch queries per chunk, so memory and time stay bounded at national scale.
Everything is written in one transaction at the end: a failed run leaves the previous snapshots as they were.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select, update

from app.extensions import db
from app.indicators import compute_kits, compute_mass, compute_qa, compute_reuse, compute_support
from app.indicators.context import CommunityInfo, Context, previous_quarter, quarter_end
from app.indicators.figures import Figure
from app.indicators.stages import checklist, next_stage
from app.indicators.thresholds import current_conditions
from app.models import Community, IndicatorSnapshot, NetworkSnapshot, PracticeSnapshot
from app.models.base import utcnow

CHUNK = 50
GROUPS = (compute_qa, compute_support, compute_mass, compute_reuse, compute_kits)


def load_context(now: datetime) -> Context:
    rows = db.session.execute(select(Community.id, Community.visibility, Community.scope, Community.region_code,
                                     Community.province_code, Community.theme).order_by(Community.id)).all()
    return Context(now=now, communities={row.id: CommunityInfo(*row) for row in rows})


def community_figures(ctx: Context, community_ids: list[int]) -> dict[int, dict[str, Figure]]:
    """Every indicator of these communities at ctx.now."""
    result: dict[int, dict[str, Figure]] = {cid: {} for cid in community_ids}
    for group in GROUPS:
        for cid, figures in group.compute(ctx, community_ids).items():
            result[cid].update(figures)
    return result


def chunks(ids: list[int]) -> list[list[int]]:
    return [ids[start:start + CHUNK] for start in range(0, len(ids), CHUNK)]


def _stage_before(community_id: int, period: str) -> tuple[str, str | None]:
    """The stage held after the quarter before `period`, and what that quarter qualified for."""
    row = db.session.execute(select(IndicatorSnapshot.stage, IndicatorSnapshot.qualified_stage).where(
        IndicatorSnapshot.community_id == community_id, IndicatorSnapshot.kind == "quarter",
        IndicatorSnapshot.period == previous_quarter(period))).first()
    return (row.stage, row.qualified_stage) if row else ("starting", None)


def _latest_stages() -> dict[int, str]:
    """Each community's stage after its latest quarter snapshot."""
    latest = (select(IndicatorSnapshot.community_id, db.func.max(IndicatorSnapshot.as_of).label("as_of"))
              .where(IndicatorSnapshot.kind == "quarter").group_by(IndicatorSnapshot.community_id).subquery())
    rows = db.session.execute(select(IndicatorSnapshot.community_id, IndicatorSnapshot.stage).join(
        latest, (IndicatorSnapshot.community_id == latest.c.community_id)
        & (IndicatorSnapshot.as_of == latest.c.as_of)).where(IndicatorSnapshot.kind == "quarter")).all()
    return dict(rows)


def _upsert(model, keys: dict, values: dict) -> None:
    row = db.session.execute(select(model).filter_by(**keys)).scalar_one_or_none()
    if row is None:
        db.session.add(model(**keys, **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)


def run(now: datetime | None = None, *, period: str | None = None,
        progress: Callable[[int], None] | None = None) -> int:
    """Compute and store snapshots: daily ones at `now`, or the quarter `period`'s ("2026-Q3") as of its end.
    Returns how many communities were computed; `progress(n)` is called after each chunk of n communities."""
    from app.indicators import compute_network, compute_practices

    moment = quarter_end(period) if period else (now or utcnow())
    kind = "quarter" if period else "daily"
    ctx = load_context(moment)
    conditions = current_conditions()
    held = {} if period else _latest_stages()
    stored: dict[int, dict] = {}
    for chunk in chunks(list(ctx.communities)):
        for cid, figures in community_figures(ctx, chunk).items():
            as_json = {code: figure.as_json() for code, figure in figures.items()}
            items = {code: i for code, figure in figures.items() if (i := figure.items_json()) is not None}
            qualified, rows = checklist(as_json, conditions)
            if period:
                stage_held, previous_qualified = _stage_before(cid, period)
                stage = next_stage(stage_held, previous_qualified, qualified)
            else:
                stage = held.get(cid, "starting")
            _upsert(IndicatorSnapshot, dict(community_id=cid, kind=kind, as_of=moment.date()),
                    dict(period=period, computed_at=utcnow(), figures=as_json, items=items,
                         qualified_stage=qualified, stage=stage, checklist=rows))
            stored[cid] = {"figures": as_json, "stage": stage}
        if progress:
            progress(len(chunk))
    if kind == "daily":
        # Only the latest daily snapshot keeps its drill-down items (quarter ones keep theirs).
        db.session.flush()
        db.session.execute(update(IndicatorSnapshot).where(
            IndicatorSnapshot.kind == "daily", IndicatorSnapshot.as_of < moment.date(),
            IndicatorSnapshot.items.is_not(None)).values(items=None))
    _upsert(NetworkSnapshot, dict(kind=kind, as_of=moment.date()),
            dict(period=period, computed_at=utcnow(), figures=compute_network.compute(ctx, stored)))
    if period:
        for practice_id, figures in compute_practices.compute(ctx).items():
            _upsert(PracticeSnapshot, dict(practice_id=practice_id, period=period),
                    dict(as_of=moment.date(), computed_at=utcnow(), figures=figures))
    db.session.commit()
    return len(ctx.communities)


def missing_quarter(now: datetime) -> str | None:
    """The latest ended quarter when it has no stage snapshot yet (the nightly run then writes it)."""
    from app.indicators.context import last_ended_quarter

    period = last_ended_quarter(now)
    exists = db.session.execute(select(NetworkSnapshot.id).where(
        NetworkSnapshot.kind == "quarter", NetworkSnapshot.period == period)).first()
    return None if exists else period
