"""The stage conditions in force: seeded from the defaults, edited by administrators, every change logged."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.indicators.stages import DEFAULT_CONDITIONS, Condition
from app.models import StageCondition


def ensure_conditions() -> None:
    """Store the default conditions the first time (later edits are never overwritten)."""
    if db.session.execute(select(StageCondition.id).limit(1)).first() is not None:
        return
    for position, condition in enumerate(DEFAULT_CONDITIONS):
        db.session.add(StageCondition(stage=condition.stage, code=condition.code, operator=condition.operator,
                                      threshold=condition.threshold, min_n=condition.min_n, position=position))
    db.session.flush()


def current_conditions() -> list[Condition]:
    """The conditions the next computation applies, in the checklist's order."""
    ensure_conditions()
    rows = db.session.execute(select(StageCondition).order_by(StageCondition.position, StageCondition.id)).scalars()
    return [Condition(row.stage, row.code, row.operator, row.threshold, row.min_n) for row in rows]
