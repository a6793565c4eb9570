"""The evaluation's numbers (app/evaluation/aggregates.py) on data computed by hand in each test."""
from __future__ import annotations

import math

import pytest

from app.evaluation import aggregates
from app.evaluation.aggregates import Rankable


def test_weighted_total_by_hand():
    # (2×4 + 1×3 + 1×5) / (2+1+1) = 16/4 = 4
    assert aggregates.weighted_total({"a": 4, "b": 3, "c": 5}, {"a": 2, "b": 1, "c": 1}) == 4.0
    # equal weights: the plain mean, (5+4+3+3+2+1)/6 = 3
    assert aggregates.weighted_total(dict(zip("abcdef", [5, 4, 3, 3, 2, 1])), dict.fromkeys("abcdef", 1)) == 3.0
    # fractional weights: (0.5×2 + 1.5×4) / 2 = 7/2
    assert aggregates.weighted_total({"x": 2, "y": 4}, {"x": 0.5, "y": 1.5}) == pytest.approx(3.5)
    # a zero score counts, a zero weight does not
    assert aggregates.weighted_total({"x": 0, "y": 4, "z": 5}, {"x": 1, "y": 1, "z": 0}) == 2.0


def test_weighted_total_needs_every_score_and_some_weight():
    assert aggregates.weighted_total({"a": 4}, {"a": 1, "b": 1}) is None
    assert aggregates.weighted_total({"a": 4, "b": None}, {"a": 1, "b": 1}) is None
    assert aggregates.weighted_total({"a": 4}, {"a": 0}) is None
    assert aggregates.weighted_total({}, {}) is None
    # scores of criteria outside the weights are ignored
    assert aggregates.weighted_total({"a": 4, "zzz": 0}, {"a": 1}) == 4.0


def test_summarise_by_hand():
    stats = aggregates.summarise([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])
    # mean 40/8 = 5; squared deviations 9+1+1+1+0+0+4+16 = 32; population variance 32/8 = 4 → σ = 2
    assert (stats.n, stats.mean, stats.median, stats.minimum, stats.maximum, stats.stddev) == (
        8, 5.0, 4.5, 2.0, 9.0, 2.0)
    assert stats.spread == 7.0


def test_summarise_odd_count_one_value_and_none():
    stats = aggregates.summarise([3.0, 1.0, 2.0])
    # mean 2, median 2, deviations 1+1+0 → variance 2/3
    assert stats.median == 2.0 and stats.stddev == pytest.approx(math.sqrt(2 / 3))
    single = aggregates.summarise([3.5])
    assert (single.mean, single.median, single.stddev, single.spread) == (3.5, 3.5, 0.0, 0.0)
    assert aggregates.summarise([]) is None
    assert aggregates.summarise([None, None]) is None
    # None (an incomplete review) is left out: mean of 2 and 4
    assert aggregates.summarise([2, None, 4]).mean == 3.0


def test_disagreement_flag():
    # 4.5 − 2.5 = 2 > 1.5
    assert aggregates.disagreement(aggregates.summarise([2.5, 4.5]), 1.5)
    # exactly the threshold is not a disagreement: 4 − 2.5 = 1.5
    assert not aggregates.disagreement(aggregates.summarise([2.5, 4.0]), 1.5)
    # one review cannot disagree with itself
    assert not aggregates.disagreement(aggregates.summarise([0.0]), 0)
    assert not aggregates.disagreement(None, 1.5)
    # floating point: 0.1 + 0.2 spread against 0.3 is not above it
    assert not aggregates.disagreement(aggregates.summarise([0.0, 0.1 + 0.2]), 0.3)


def test_ranking_per_category_with_ties():
    items = [
        Rankable(1, "digitale", 3.0, 3.0),
        Rankable(2, "digitale", 4.0, 3.5),
        Rankable(3, "digitale", 4.0, 4.0),  # same mean as 2, higher median: before 2
        Rankable(4, "digitale", 3.0, 3.0),  # same mean and median as 1: the older id first
        Rankable(5, "servizi", 2.0, 2.0),
        Rankable(6, "servizi", 4.5, 4.0),
        Rankable(7, "servizi", None, None),  # no review in yet: not ranked
        Rankable(8, None, 1.0, 1.0),  # a call without categories ranks everything together
    ]
    assert aggregates.rank_by_category(items) == {3: 1, 2: 2, 1: 3, 4: 4, 6: 1, 5: 2, 8: 1}


def test_submitted_label():
    assert aggregates.submitted_label(2, 3) == "2/3"
