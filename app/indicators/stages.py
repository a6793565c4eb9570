"""Maturity stages as checklists of conditions on the indicators, with hysteresis (no Flask import).

A quarter *qualifies* for the highest stage whose conditions, and those of every stage below, are all met.
Promotion: the two latest quarters both qualify above the current stage (to the lower of the two). Demotion: the two
latest quarters both qualify below it (to the higher of the two). Otherwise the stage stays.
A figure with "dati insufficienti" meets no condition. Starting thresholds: ../shared/research/qa-indicators.md.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.indicators.definitions import STAGE_ORDER


@dataclass(frozen=True)
class Condition:
    stage: str
    code: str
    operator: str  # ">=" or "<="
    threshold: float
    min_n: int | None = None  # at least this many counted items (the figure's denominator)


# (stage, code, operator, threshold, min_n) in the order the checklist shows them.
DEFAULT_CONDITIONS: list[Condition] = [Condition(*row) for row in (
    ("community", "M1P", ">=", 10, None),
    ("community", "M1A", ">=", 5, None),
    ("community", "R1D", ">=", 1, None),
    ("community", "R1R", ">=", 2, None),
    ("community", "M2", ">=", 0.25, None),
    ("community", "QV", ">=", 5, None),
    ("community", "Q1", ">=", 0.5, None),
    ("community", "M4A", ">=", 2, None),
    ("hub", "M3", ">=", 8, None),
    ("hub", "Q1", ">=", 0.7, None),
    ("hub", "Q3", ">=", 0.5, 10),
    ("hub", "Q4", "<=", 5, None),
    ("hub", "QA", ">=", 4, None),
    ("hub", "M4A", ">=", 3, None),
    ("hub", "K1N", ">=", 3, None),
    ("hub", "K2", ">=", 0.6, None),
    ("hub", "R2", ">=", 0.3, None),
    ("centre", "M1A", ">=", 15, None),
    ("centre", "S1", ">=", 0.8, 5),
    ("centre", "S3", ">=", 0.8, None),
    ("centre", "S4", "<=", 30, None),
    ("centre", "R3C", ">=", 0.25, None),
    ("centre", "R3N", ">=", 1, None),
    ("centre", "CORE", ">=", 5, None),
    ("centre", "COREA", ">=", 3, None),
    ("centre", "M4P", ">=", 3, None),
    ("centre", "K1", ">=", 0.8, None),
    ("centre", "F1", ">=", 1, None),
    ("centre", "F2", ">=", 1, None),
)]

OPERATORS = (">=", "<=")


def is_met(condition: Condition, figure: dict | None) -> bool:
    """Whether a stored figure ({"value", "den", "insufficient"}) meets the condition."""
    if not figure or figure.get("insufficient") or figure.get("value") is None:
        return False
    if condition.min_n is not None and (figure.get("den") or 0) < condition.min_n:
        return False
    value = figure["value"]
    return value >= condition.threshold if condition.operator == ">=" else value <= condition.threshold


def checklist(figures: dict, conditions: list[Condition]) -> tuple[str, list[dict]]:
    """The stage these figures qualify for, and every condition with its value and whether it is met."""
    rows, failed = [], set()
    for condition in conditions:
        figure = figures.get(condition.code) or {}
        met = is_met(condition, figure)
        if not met:
            failed.add(condition.stage)
        rows.append({"stage": condition.stage, "code": condition.code, "operator": condition.operator,
                     "threshold": condition.threshold, "min_n": condition.min_n, "value": figure.get("value"),
                     "den": figure.get("den"), "met": met})
    qualified = STAGE_ORDER[0]
    for stage in STAGE_ORDER[1:]:
        if stage in failed or not any(c.stage == stage for c in conditions):
            break
        qualified = stage
    return qualified, rows


def next_stage(current: str, previous_qualified: str | None, latest_qualified: str) -> str:
    """The stage after a quarter, given the stage held and the two latest quarters' qualified stages."""
    if previous_qualified is None:
        return current
    rank = STAGE_ORDER.index
    low, high = sorted((rank(previous_qualified), rank(latest_qualified)))
    if low > rank(current):
        return STAGE_ORDER[low]
    if high < rank(current):
        return STAGE_ORDER[high]
    return current
