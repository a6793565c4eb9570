"""Reuse kits (K1, K1N, K2) of the communities' published practices: three batch queries per chunk.

A kit is fresh when its latest update — the kit's publication (Practice.kit_updated_at, or the latest kit version
published by ctx.now when that stamp is later than ctx.now) or an entry of its maintenance log — is in the 365 days
ending at ctx.now. It is complete at 80 % of its sections; a software practice also needs its publiccode.yml.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, select

from app.extensions import db
from app.indicators.context import Context
from app.indicators.figures import Figure, count, share
from app.models import KitVersion, MaintenanceEntry, Practice
from app.practices.workflow import PracticeStatus

CODES = ("K1", "K1N", "K2")
COMPLETE = 80  # per cent of the kit's sections


def _latest(query) -> dict[int, datetime]:
    return {practice_id: moment for practice_id, moment in db.session.execute(query).all() if moment is not None}


def compute(ctx: Context, community_ids: list[int]) -> dict[int, dict[str, Figure]]:
    """K1, K1N and K2 of each community."""
    ids, now = list(community_ids), ctx.now
    published = (Practice.community_id.in_(ids), Practice.status == PracticeStatus.PUBLISHED,
                 Practice.published_at <= now)
    rows = db.session.execute(select(Practice.id, Practice.community_id, Practice.kind, Practice.kit_completeness,
                                     Practice.kit_updated_at, Practice.publiccode).where(*published)).all()
    maintained = _latest(select(MaintenanceEntry.practice_id, func.max(MaintenanceEntry.created_at))
                         .join(Practice, Practice.id == MaintenanceEntry.practice_id)
                         .where(*published, MaintenanceEntry.created_at <= now)
                         .group_by(MaintenanceEntry.practice_id))
    versioned = _latest(select(KitVersion.practice_id, func.max(KitVersion.published_at))
                        .join(Practice, Practice.id == KitVersion.practice_id)
                        .where(*published, KitVersion.status == "published", KitVersion.published_at <= now)
                        .group_by(KitVersion.practice_id))

    counted: dict[int, set[int]] = defaultdict(set)
    fresh: dict[int, set[int]] = defaultdict(set)
    good: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        counted[row.community_id].add(row.id)
        updated = row.kit_updated_at if row.kit_updated_at is not None and row.kit_updated_at <= now \
            else versioned.get(row.id)
        moments = [m for m in (updated, maintained.get(row.id)) if m is not None]
        if not moments or max(moments) < ctx.w365:
            continue
        fresh[row.community_id].add(row.id)
        complete = (row.kit_completeness or 0) >= COMPLETE and (row.kind != "software" or row.publiccode is not None)
        if complete:
            good[row.community_id].add(row.id)

    return {cid: {"K1": share(good[cid], counted[cid], "practice"),
                  "K1N": count(good[cid], "practice"),
                  "K2": share(fresh[cid], counted[cid], "practice")} for cid in ids}
