"""The stage conditions in force: seeded from the defaults, edited by administrators, every change logged."""
from __future__ import annotations

import math

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.indicators.definitions import INDICATORS
from app.indicators.stages import DEFAULT_CONDITIONS, Condition
from app.models import StageCondition, StageConditionChange
from app.models.base import utcnow


def ensure_conditions() -> None:
    """Store the default conditions the first time (later edits are never overwritten)."""
    if db.session.execute(select(StageCondition.id).limit(1)).first() is not None:
        return
    for position, condition in enumerate(DEFAULT_CONDITIONS):
        db.session.add(StageCondition(stage=condition.stage, code=condition.code, operator=condition.operator,
                                      threshold=condition.threshold, min_n=condition.min_n, position=position))
    db.session.flush()


def ensure_conditions_saved() -> None:
    """As ensure_conditions, committed: for a page that shows the conditions with their ids before any computation."""
    if db.session.execute(select(StageCondition.id).limit(1)).first() is None:
        ensure_conditions()
        db.session.commit()


def current_conditions() -> list[Condition]:
    """The conditions the next computation applies, in the checklist's order."""
    ensure_conditions()
    rows = db.session.execute(select(StageCondition).order_by(StageCondition.position, StageCondition.id)).scalars()
    return [Condition(row.stage, row.code, row.operator, row.threshold, row.min_n) for row in rows]


# ---- administrators' edits --------------------------------------------------------------------------------------

def N_(message: str) -> str:
    """Marks a message for translation; the web layer translates it when it shows it."""
    return message


NOTE_MAX = 1000
WHOLE_UNITS = ("count", "factor", "flag")  # numbers of people, administrations, items: whole numbers


class ConditionError(Exception):
    """A refused edit the administrator can act on: `message` is an Italian msgid (params fill it), `field` the
    form field it belongs to."""

    def __init__(self, message: str, field: str | None = None, **params) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.params = params


def check_threshold(unit: str, threshold) -> float:
    """The threshold as stored, or ConditionError when it makes no sense for the indicator's unit."""
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not math.isfinite(threshold):
        raise ConditionError(N_("Scrivi un numero."), "threshold")
    if unit == "share" and not 0 <= threshold <= 1:
        raise ConditionError(N_("Una percentuale va da 0 a 100."), "threshold")
    if unit == "flag" and threshold not in (0, 1):
        raise ConditionError(N_("Questa condizione vale 1 (sì) o 0 (no)."), "threshold")
    if threshold < 0:
        raise ConditionError(N_("La soglia non può essere negativa."), "threshold")
    if unit in WHOLE_UNITS and threshold != int(threshold):
        raise ConditionError(N_("Questa soglia è un numero intero."), "threshold")
    return float(threshold)


def check_min_n(min_n) -> int | None:
    """The minimum number of counted items as stored (None: no minimum), or ConditionError."""
    if min_n is None:
        return None
    if isinstance(min_n, bool) or not isinstance(min_n, int):
        raise ConditionError(N_("Scrivi un numero intero, o lascia vuoto."), "min_n")
    if not 0 <= min_n < 2**31:
        raise ConditionError(N_("Il minimo di elementi contati non può essere negativo."), "min_n")
    return min_n


def update_condition(condition_id: int, threshold: float, min_n: int | None, note: str,
                     actor) -> StageConditionChange:
    """Change a condition's threshold and minimum and log who, from what, to what and why, in one transaction.
    The threshold is in the stored unit (a share from 0 to 1). Raises LookupError for an unknown condition and
    ConditionError (nothing changed) for a refused edit."""
    # Locked: two administrators saving at once are logged one after the other, each from what the other left.
    condition = db.session.execute(select(StageCondition).where(StageCondition.id == condition_id)
                                   .with_for_update()).scalar_one_or_none()
    if condition is None:
        db.session.rollback()
        raise LookupError(condition_id)
    try:
        indicator = INDICATORS.get(condition.code)
        threshold = check_threshold(indicator.unit if indicator else "count", threshold)
        min_n = check_min_n(min_n)
        if min_n and indicator is not None and indicator.min_items is None:
            # A count has no denominator: any minimum would make the condition impossible to meet.
            raise ConditionError(N_("Questo indicatore è un conteggio: non ha elementi contati su cui chiedere un "
                                    "minimo. Lascia vuoto."), "min_n")
        note = (note or "").strip()
        if not note:
            raise ConditionError(N_("Scrivi il motivo della modifica: resta nel registro."), "note")
        if len(note) > NOTE_MAX:
            raise ConditionError(N_("Il motivo può avere al massimo %(max)d caratteri."), "note", max=NOTE_MAX)
        if math.isclose(threshold, condition.threshold, rel_tol=0, abs_tol=1e-9) and min_n == condition.min_n:
            raise ConditionError(N_("Nessuna modifica: la soglia e il minimo sono già questi."), "threshold")
    except ConditionError:
        db.session.rollback()
        raise
    change = StageConditionChange(stage=condition.stage, code=condition.code, old_threshold=condition.threshold,
                                  new_threshold=threshold, old_min_n=condition.min_n, new_min_n=min_n, note=note,
                                  actor_id=actor.id, created_at=utcnow())
    condition.threshold, condition.min_n = threshold, min_n
    condition.updated_at, condition.updated_by_id = change.created_at, actor.id
    db.session.add(change)
    db.session.commit()
    return change


def last_changes() -> dict[tuple[str, str], StageConditionChange]:
    """The latest change of each condition, by (stage, code)."""
    latest = (select(db.func.max(StageConditionChange.id))
              .group_by(StageConditionChange.stage, StageConditionChange.code))
    rows = db.session.execute(select(StageConditionChange).where(StageConditionChange.id.in_(latest))
                              .options(joinedload(StageConditionChange.actor))).scalars()
    return {(row.stage, row.code): row for row in rows}


def changes_page(page: int = 1, per_page: int = 50):
    """One page of the change log, newest first."""
    query = (select(StageConditionChange).options(joinedload(StageConditionChange.actor))
             .order_by(StageConditionChange.created_at.desc(), StageConditionChange.id.desc()))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
