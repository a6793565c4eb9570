"""How one figure is built from the items it counts: shares, medians, counts and "dati insufficienti".

A figure is stored as JSON in a snapshot: {"value", "num", "den", "insufficient"}; its items (for the drill-down)
separately: {"kind", "ids", "hits"} (`hits`: the numerator's items among `ids`). No Flask import.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median

from app.indicators.definitions import MIN_ITEMS


@dataclass
class Figure:
    value: float | None
    num: int | None = None
    den: int | None = None
    insufficient: bool = False
    kind: str | None = None
    ids: list[int] = field(default_factory=list)
    hits: list[int] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"value": self.value, "num": self.num, "den": self.den, "insufficient": self.insufficient}

    def items_json(self) -> dict | None:
        if self.kind is None:
            return None
        return {"kind": self.kind, "ids": sorted(set(self.ids)), "hits": sorted(set(self.hits))}


def share(hits, counted, kind: str | None, min_items: int = MIN_ITEMS) -> Figure:
    """hits ÷ counted (ids; hits ⊆ counted), or "dati insufficienti" below `min_items` counted items."""
    counted, hits = set(counted), set(hits)
    num, den = len(hits), len(counted)
    if den < min_items:
        return Figure(None, num, den, True, kind, list(counted), list(hits))
    return Figure(num / den, num, den, False, kind, list(counted), list(hits))


def ratio(num: int, den: int, kind: str | None = None, ids=(), hits=(), min_items: int = MIN_ITEMS) -> Figure:
    """num ÷ den where the numerator is not a subset of the denominator (a closure ratio can pass 1)."""
    if den < min_items:
        return Figure(None, num, den, True, kind, list(ids), list(hits))
    return Figure(num / den, num, den, False, kind, list(ids), list(hits))


def median_of(values_by_id: dict[int, float], kind: str | None, min_items: int = MIN_ITEMS) -> Figure:
    """The median of the values (one per item), or "dati insufficienti" below `min_items` items."""
    n = len(values_by_id)
    if n < min_items:
        return Figure(None, None, n, True, kind, list(values_by_id))
    return Figure(float(median(values_by_id.values())), None, n, False, kind, list(values_by_id))


def count(ids, kind: str | None) -> Figure:
    """How many items (always shown, even when small)."""
    ids = set(ids)
    return Figure(float(len(ids)), len(ids), None, False, kind, list(ids))


def smallest_half(contributions_by_key: dict[int, int], kind: str | None, min_items: int = MIN_ITEMS) -> Figure:
    """The smallest number of contributors (people or administrations) making at least half of the contributions
    (CHAOSS absence / elephant factor); the drill-down lists those contributors. `den` is the contribution count."""
    total = sum(contributions_by_key.values())
    if total < min_items:
        return Figure(None, None, total, True, kind, list(contributions_by_key))
    running, chosen = 0, []
    for key, amount in sorted(contributions_by_key.items(), key=lambda item: (-item[1], item[0])):
        running += amount
        chosen.append(key)
        if 2 * running >= total:
            break
    return Figure(float(len(chosen)), len(chosen), total, False, kind, list(chosen), list(chosen))
