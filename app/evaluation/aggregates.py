"""The numbers of the evaluation (issue 13, point 7): a review's weighted total, the statistics of a candidacy's
totals (and of each criterion's scores), the disagreement flag and the ranking per category. Pure functions on
plain values: no Flask, no database.

- weighted total = Σ(weight × score) / Σ(weight), on the criteria's scale; None until every criterion is scored.
- standard deviation is the population one (the reviews are all the reviews, not a sample).
- disagreement: max − min of the totals above the call's threshold (needs two totals at least).
- ranking: within each category, by mean total (higher first); ties broken by median (higher first), then by
  candidacy id (older first). Candidacies without any submitted total are not ranked.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


def weighted_total(scores: Mapping, weights: Mapping) -> float | None:
    """Σ(weight × score) / Σ(weight) over the criteria of `weights`; None if one is unscored or no weight counts."""
    if not weights:
        return None
    weight_sum = 0.0
    weighted = 0.0
    for key, weight in weights.items():
        score = scores.get(key)
        if score is None:
            return None
        weighted += float(weight) * float(score)
        weight_sum += float(weight)
    if weight_sum <= 0:
        return None
    return weighted / weight_sum


@dataclass(frozen=True)
class Stats:
    """The statistics of a list of numbers."""

    n: int
    mean: float
    median: float
    minimum: float
    maximum: float
    stddev: float  # population standard deviation

    @property
    def spread(self) -> float:
        return self.maximum - self.minimum


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def summarise(values: Iterable[float | None]) -> Stats | None:
    """Mean, median, min, max and population standard deviation of the values that are not None (None if none)."""
    numbers = [float(each) for each in values if each is not None]
    if not numbers:
        return None
    mean = math.fsum(numbers) / len(numbers)
    variance = math.fsum((each - mean) ** 2 for each in numbers) / len(numbers)
    return Stats(n=len(numbers), mean=mean, median=median(numbers), minimum=min(numbers), maximum=max(numbers),
                 stddev=math.sqrt(variance))


def disagreement(stats: Stats | None, threshold: float | None) -> bool:
    """The reviewers disagree when the highest and the lowest total are further apart than the threshold."""
    if stats is None or stats.n < 2 or threshold is None:
        return False
    return stats.spread - float(threshold) > 1e-9


@dataclass(frozen=True)
class Rankable:
    """What the ranking looks at for one candidacy."""

    candidacy_id: int
    category: str | None
    mean: float | None
    median: float | None


def rank_key(item: Rankable) -> tuple:
    return (-item.mean, -(item.median if item.median is not None else item.mean), item.candidacy_id)


def rank_by_category(items: Iterable[Rankable]) -> dict[int, int]:
    """candidacy id → its position (1 = first) within its category; unranked candidacies (no total) are absent."""
    by_category: dict[str | None, list[Rankable]] = {}
    for item in items:
        if item.mean is not None:
            by_category.setdefault(item.category, []).append(item)
    ranks: dict[int, int] = {}
    for members in by_category.values():
        for position, item in enumerate(sorted(members, key=rank_key), start=1):
            ranks[item.candidacy_id] = position
    return ranks


def submitted_label(submitted: int, expected: int) -> str:
    """"2/3": reviews submitted over reviews expected (live assignments)."""
    return f"{submitted}/{expected}"
