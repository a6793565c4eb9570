"""The figure builders of app/indicators/figures.py on data counted by hand: shares, ratios, medians, counts, the
smallest half (CHAOSS absence / elephant factor) and "dati insufficienti" below 5 counted items."""
from __future__ import annotations

import pytest

from app.indicators.definitions import MIN_ITEMS
from app.indicators.figures import Figure, count, median_of, ratio, share, smallest_half


def test_the_threshold_is_five():
    assert MIN_ITEMS == 5


def test_share_by_hand():
    figure = share(hits=[2, 4, 6], counted=[1, 2, 3, 4, 5, 6, 7, 8], kind="question")
    assert (figure.value, figure.num, figure.den, figure.insufficient) == (3 / 8, 3, 8, False)
    assert figure.items_json() == {"kind": "question", "ids": [1, 2, 3, 4, 5, 6, 7, 8], "hits": [2, 4, 6]}
    assert figure.as_json() == {"value": 0.375, "num": 3, "den": 8, "insufficient": False}


def test_share_counts_each_item_once():
    figure = share(hits=[1, 1, 2], counted=[1, 1, 2, 2, 3, 4, 5, 5], kind="request")
    assert (figure.num, figure.den, figure.value) == (2, 5, 0.4)
    assert figure.items_json()["ids"] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("hits", [[], [1, 2, 3, 4]])
def test_share_below_five_is_insufficient_never_0_or_100_percent(hits):
    # four questions, none (0 %) or all (100 %) answered in time: too few to say either
    figure = share(hits=hits, counted=[1, 2, 3, 4], kind="question")
    assert figure.insufficient is True
    assert figure.value is None
    assert figure.as_json() == {"value": None, "num": len(hits), "den": 4, "insufficient": True}
    # the drill-down still lists what was counted
    assert figure.items_json() == {"kind": "question", "ids": [1, 2, 3, 4], "hits": sorted(hits)}


def test_share_at_exactly_five_is_a_figure_even_at_0_and_100_percent():
    assert share([], [1, 2, 3, 4, 5], "question").as_json() == {"value": 0.0, "num": 0, "den": 5,
                                                                 "insufficient": False}
    assert share([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], "question").value == 1.0


def test_share_of_nothing_is_insufficient():
    figure = share([], [], "practice")
    assert (figure.value, figure.num, figure.den, figure.insufficient) == (None, 0, 0, True)


def test_share_threshold_can_be_raised():
    assert share([1], [1, 2, 3, 4, 5], "user", min_items=6).insufficient is True
    assert share([1], list(range(1, 7)), "user", min_items=6).value == pytest.approx(1 / 6)


def test_ratio_can_pass_one():
    # seven requests closed in the window, five opened in it (two closed were opened before)
    figure = ratio(7, 5, "request", ids=[1, 2, 3, 4, 5, 6, 7], hits=[1, 2, 3, 4, 5, 6, 7])
    assert (figure.value, figure.num, figure.den, figure.insufficient) == (1.4, 7, 5, False)
    assert figure.items_json()["kind"] == "request"


def test_ratio_below_five_opened_is_insufficient():
    figure = ratio(3, 4, "request")
    assert (figure.value, figure.num, figure.den, figure.insufficient) == (None, 3, 4, True)
    assert ratio(0, 0).as_json() == {"value": None, "num": 0, "den": 0, "insufficient": True}
    # no kind: no drill-down
    assert ratio(0, 0).items_json() is None


def test_median_not_mean():
    # one very slow answer does not move the median: values 1, 2, 3, 4, 100 → 3 (the mean would be 22)
    figure = median_of({10: 1.0, 11: 2.0, 12: 3.0, 13: 4.0, 14: 100.0}, "question")
    assert (figure.value, figure.num, figure.den, figure.insufficient) == (3.0, None, 5, False)
    assert figure.items_json() == {"kind": "question", "ids": [10, 11, 12, 13, 14], "hits": []}


def test_median_of_an_even_count_is_the_middle_pair_halved():
    assert median_of({1: 1, 2: 2, 3: 4, 4: 8, 5: 16, 6: 32}, "request").value == 6.0  # (4 + 8) / 2


def test_median_below_five_is_insufficient():
    figure = median_of({1: 2.0, 2: 3.0, 3: 5.0, 4: 7.0}, "request")
    assert (figure.value, figure.den, figure.insufficient) == (None, 4, True)
    assert median_of({}, "request").as_json() == {"value": None, "num": None, "den": 0, "insufficient": True}


def test_count_is_always_shown_even_small():
    assert count([], "question").as_json() == {"value": 0.0, "num": 0, "den": None, "insufficient": False}
    figure = count([3, 1, 3, 2], "organization")
    assert (figure.value, figure.num, figure.insufficient) == (3.0, 3, False)
    assert figure.items_json() == {"kind": "organization", "ids": [1, 2, 3], "hits": []}
    assert count([1, 2], None).items_json() is None


def test_smallest_half_chaoss_worked_example():
    # contributions a 5, b 3, c 1, d 1: half of 10 is 5 and a alone makes 5 → 1
    figure = smallest_half({"a": 5, "b": 3, "c": 1, "d": 1}, "user")
    assert (figure.value, figure.num, figure.den, figure.insufficient) == (1.0, 1, 10, False)
    assert figure.ids == ["a"]


def test_smallest_half_of_two():
    # 4, 3, 2, 1: the first makes 4 of 10 (less than half), with the second 7 → 2; the drill-down lists those two
    figure = smallest_half({1: 4, 2: 3, 3: 2, 4: 1}, "organization")
    assert (figure.value, figure.num, figure.den) == (2.0, 2, 10)
    assert figure.items_json() == {"kind": "organization", "ids": [1, 2], "hits": [1, 2]}


def test_smallest_half_of_equals_and_exact_halves():
    # ten people with one contribution each: five make half
    assert smallest_half(dict.fromkeys(range(1, 11), 1), "user").value == 5.0
    # exactly half counts as half
    assert smallest_half({1: 5, 2: 5}, "user").value == 1.0
    # three equal: one third is less than half, two thirds is more → 2
    assert smallest_half({7: 2, 8: 2, 9: 2}, "user").value == 2.0


def test_smallest_half_ties_are_broken_by_id_so_the_list_is_stable():
    figure = smallest_half({9: 3, 4: 3, 6: 3, 1: 1}, "user")  # total 10: two of the threes make 6
    assert figure.value == 2.0
    assert figure.ids == [4, 6]


def test_smallest_half_below_five_contributions_is_insufficient():
    figure = smallest_half({1: 2, 2: 2}, "user")
    assert (figure.value, figure.num, figure.den, figure.insufficient) == (None, None, 4, True)
    assert smallest_half({}, "organization").as_json() == {"value": None, "num": None, "den": 0,
                                                           "insufficient": True}


def test_a_figure_without_kind_has_no_items():
    assert Figure(1.0).items_json() is None
    assert Figure(1.0, kind="practice", ids=[3, 1, 3], hits=[3]).items_json() == {"kind": "practice",
                                                                                  "ids": [1, 3], "hits": [3]}
