"""Reading the snapshots for the pages: a bounded number of queries whatever the history's length."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import IndicatorSnapshot, NetworkSnapshot

TREND_QUARTERS = 8


def latest_snapshot(community_id: int) -> IndicatorSnapshot | None:
    """The community's latest daily snapshot (the figures shown), or None before the first computation."""
    return db.session.execute(select(IndicatorSnapshot).where(
        IndicatorSnapshot.community_id == community_id, IndicatorSnapshot.kind == "daily")
        .order_by(IndicatorSnapshot.as_of.desc()).limit(1)).scalar_one_or_none()


def quarter_snapshots(community_id: int, limit: int = TREND_QUARTERS) -> list[IndicatorSnapshot]:
    """The community's latest quarter snapshots, oldest first (the trend and the stage history)."""
    rows = db.session.execute(select(IndicatorSnapshot).where(
        IndicatorSnapshot.community_id == community_id, IndicatorSnapshot.kind == "quarter")
        .order_by(IndicatorSnapshot.as_of.desc()).limit(limit)).scalars().all()
    return list(reversed(rows))


def latest_network() -> NetworkSnapshot | None:
    return db.session.execute(select(NetworkSnapshot).where(NetworkSnapshot.kind == "daily")
                              .order_by(NetworkSnapshot.as_of.desc()).limit(1)).scalar_one_or_none()


def network_quarters(limit: int = TREND_QUARTERS) -> list[NetworkSnapshot]:
    rows = db.session.execute(select(NetworkSnapshot).where(NetworkSnapshot.kind == "quarter")
                              .order_by(NetworkSnapshot.as_of.desc()).limit(limit)).scalars().all()
    return list(reversed(rows))
