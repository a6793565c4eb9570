"""`flask indicators compute`: every community's figures into snapshots, the stages, the network's figures.

The nightly run writes today's daily snapshots and, when a quarter has ended with no stage snapshot yet, the
quarter's snapshots (as of its last moment) with the stages after hysteresis. Communities are computed in chunks,
each group of indicators with a few batch queries per chunk, so memory and time stay bounded at national scale.
Everything is written in one transaction at the end: a failed run leaves the previous snapshots as they were.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, insert, select, update

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


def _stages_before(period: str) -> dict[int, tuple[str, str | None]]:
    """Per community, the stage held after its latest quarter snapshot before `period`, and what the quarter just
    before `period` qualified for (None when that quarter was never computed: no two-quarter move then)."""
    end = quarter_end(previous_quarter(period)).date()
    latest = (select(IndicatorSnapshot.community_id, func.max(IndicatorSnapshot.as_of).label("as_of"))
              .where(IndicatorSnapshot.kind == "quarter", IndicatorSnapshot.as_of <= end)
              .group_by(IndicatorSnapshot.community_id).subquery())
    rows = db.session.execute(select(IndicatorSnapshot.community_id, IndicatorSnapshot.stage,
                                     IndicatorSnapshot.qualified_stage, IndicatorSnapshot.as_of).join(
        latest, (IndicatorSnapshot.community_id == latest.c.community_id)
        & (IndicatorSnapshot.as_of == latest.c.as_of)).where(IndicatorSnapshot.kind == "quarter")).all()
    return {row.community_id: (row.stage, row.qualified_stage if row.as_of == end else None) for row in rows}


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


def _store_all(model, key: str, fixed: dict, values_by_key: dict) -> None:
    """Upsert many rows sharing `fixed` keys with one SELECT and one INSERT (not one SELECT and INSERT per row:
    16,000 statements for a quarter at national scale)."""
    rows = db.session.execute(select(model).filter_by(**fixed).where(
        getattr(model, key).in_(list(values_by_key)))).scalars()
    existing = {getattr(row, key): row for row in rows}
    new = []
    for value_key, values in values_by_key.items():
        if (row := existing.get(value_key)) is None:
            new.append({key: value_key, **fixed, **values})
        else:
            for name, value in values.items():
                setattr(row, name, value)
    if new:
        db.session.execute(insert(model), new)


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
    before = _stages_before(period) if period else {}
    stored: dict[int, dict] = {}
    for chunk in chunks(list(ctx.communities)):
        snapshots = {}
        for cid, figures in community_figures(ctx, chunk).items():
            as_json = {code: figure.as_json() for code, figure in figures.items()}
            items = {code: i for code, figure in figures.items() if (i := figure.items_json()) is not None}
            qualified, rows = checklist(as_json, conditions)
            if period:
                stage_held, previous_qualified = before.get(cid, ("starting", None))
                stage = next_stage(stage_held, previous_qualified, qualified)
            else:
                stage = held.get(cid, "starting")
            snapshots[cid] = dict(period=period, computed_at=utcnow(), figures=as_json, items=items,
                                  qualified_stage=qualified, stage=stage, checklist=rows)
            stored[cid] = {"figures": as_json, "stage": stage}
        _store_all(IndicatorSnapshot, "community_id", dict(kind=kind, as_of=moment.date()), snapshots)
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
        figures_by_practice = compute_practices.compute(ctx)
        ids = list(figures_by_practice)
        for start in range(0, len(ids), 1000):  # bounded IN lists
            _store_all(PracticeSnapshot, "practice_id", dict(period=period),
                       {pid: dict(as_of=moment.date(), computed_at=utcnow(), figures=figures_by_practice[pid])
                        for pid in ids[start:start + 1000]})
    db.session.commit()
    return len(ctx.communities)


def missing_quarter(now: datetime) -> str | None:
    """The latest ended quarter when it has no stage snapshot yet (the nightly run then writes it)."""
    from app.indicators.context import last_ended_quarter

    period = last_ended_quarter(now)
    exists = db.session.execute(select(NetworkSnapshot.id).where(
        NetworkSnapshot.kind == "quarter", NetworkSnapshot.period == period)).first()
    return None if exists else period
