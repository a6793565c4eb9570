"""Maturity stages as checklists (app/indicators/stages.py): what qualifies, what never does, and the hysteresis."""
from __future__ import annotations

import pytest

from app.indicators.definitions import INDICATORS, STAGE_ORDER
from app.indicators.stages import DEFAULT_CONDITIONS, Condition, checklist, is_met, next_stage

# A small checklist: two conditions for "community", one each for "hub" and "centre".
CONDITIONS = [
    Condition("community", "M1P", ">=", 10),
    Condition("community", "Q1", ">=", 0.5),
    Condition("hub", "Q4", "<=", 5),
    Condition("centre", "S1", ">=", 0.8, 5),
]


def fig(value, den=None, insufficient=False) -> dict:
    return {"value": value, "num": None, "den": den, "insufficient": insufficient}


def figures(**values) -> dict:
    """Figures meeting every condition of CONDITIONS, with `values` replacing some."""
    base = {"M1P": fig(12.0), "Q1": fig(0.6, 20), "Q4": fig(2.0), "S1": fig(0.9, 8)}
    base.update(values)
    return base


# ---- is_met -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, met", [(9.0, False), (10.0, True), (10.5, True)])
def test_at_least_is_met_from_the_threshold_up(value, met):
    assert is_met(Condition("community", "M1P", ">=", 10), fig(value)) is met


@pytest.mark.parametrize("value, met", [(0.0, True), (5.0, True), (6.0, False)])
def test_at_most_is_met_up_to_the_threshold(value, met):
    assert is_met(Condition("hub", "Q4", "<=", 5), fig(value)) is met


@pytest.mark.parametrize("figure", [None, {}, fig(None), fig(None, 3, True), fig(0.9, 3, True)])
def test_insufficient_or_missing_figures_never_meet(figure):
    assert is_met(Condition("hub", "Q1", ">=", 0.0), figure) is False
    assert is_met(Condition("hub", "Q4", "<=", 1000), figure) is False  # not even an "at most" condition


@pytest.mark.parametrize("den, met", [(None, False), (4, False), (5, True), (50, True)])
def test_min_n_needs_that_many_counted_items(den, met):
    assert is_met(Condition("centre", "S1", ">=", 0.8, 5), fig(0.95, den)) is met


def test_min_n_zero_or_none_asks_for_nothing_more():
    assert is_met(Condition("centre", "S1", ">=", 0.8, 0), fig(0.95, None)) is True
    assert is_met(Condition("centre", "S1", ">=", 0.8, None), fig(0.95, None)) is True


# ---- checklist --------------------------------------------------------------------------------------------------

def test_every_condition_met_qualifies_for_the_highest_stage():
    qualified, rows = checklist(figures(), CONDITIONS)
    assert qualified == "centre"
    assert [row["met"] for row in rows] == [True] * 4


def test_rows_keep_the_conditions_order_with_value_and_den():
    _, rows = checklist(figures(), CONDITIONS)
    assert [(r["stage"], r["code"], r["operator"], r["threshold"], r["min_n"]) for r in rows] == [
        (c.stage, c.code, c.operator, c.threshold, c.min_n) for c in CONDITIONS]
    assert rows[1]["value"] == 0.6 and rows[1]["den"] == 20
    assert rows[3]["min_n"] == 5 and rows[3]["den"] == 8


def test_one_failed_condition_of_a_stage_stops_below_it():
    assert checklist(figures(Q4=fig(9.0)), CONDITIONS)[0] == "community"
    assert checklist(figures(S1=fig(0.5, 8)), CONDITIONS)[0] == "hub"


def test_a_higher_stage_met_does_not_count_when_a_lower_one_fails():
    # hub and centre conditions met, one community condition not: the quarter qualifies for nothing.
    qualified, rows = checklist(figures(M1P=fig(3.0)), CONDITIONS)
    assert qualified == "starting"
    assert [r["met"] for r in rows] == [False, True, True, True]


def test_insufficient_figure_fails_its_stage():
    assert checklist(figures(Q1=fig(None, 2, True)), CONDITIONS)[0] == "starting"
    assert checklist(figures(S1=fig(0.9, 4)), CONDITIONS)[0] == "hub"  # below its min_n


def test_missing_figure_fails_its_stage():
    incomplete = figures()
    del incomplete["Q4"]
    qualified, rows = checklist(incomplete, CONDITIONS)
    assert qualified == "community"
    assert rows[2]["value"] is None and rows[2]["met"] is False


def test_a_stage_without_conditions_is_never_reached():
    only_community = [c for c in CONDITIONS if c.stage != "hub"]
    assert checklist(figures(), only_community)[0] == "community"  # centre lies above an empty hub
    assert checklist({}, [])[0] == "starting"


def test_no_figures_qualify_for_nothing():
    qualified, rows = checklist({}, DEFAULT_CONDITIONS)
    assert qualified == "starting"
    assert not any(row["met"] for row in rows)


def test_default_conditions_name_real_indicators_and_stages_once():
    assert all(c.code in INDICATORS and c.stage in STAGE_ORDER[1:] for c in DEFAULT_CONDITIONS)
    assert all(c.operator in (">=", "<=") for c in DEFAULT_CONDITIONS)
    assert len({(c.stage, c.code) for c in DEFAULT_CONDITIONS}) == len(DEFAULT_CONDITIONS)
    assert all(0 <= c.threshold <= 1 for c in DEFAULT_CONDITIONS if INDICATORS[c.code].unit == "share")


def test_default_conditions_all_met_qualify_for_centre():
    # The strictest threshold of every code, with enough items for every min_n.
    best = {}
    for c in DEFAULT_CONDITIONS:
        value = c.threshold
        if c.code in best:
            value = max(best[c.code]["value"], value) if c.operator == ">=" else min(best[c.code]["value"], value)
        best[c.code] = fig(value, 100)
    assert checklist(best, DEFAULT_CONDITIONS)[0] == "centre"


# ---- next_stage: hysteresis -------------------------------------------------------------------------------------

def test_first_quarter_never_moves_the_stage():
    assert next_stage("starting", None, "centre") == "starting"
    assert next_stage("hub", None, "starting") == "hub"


def test_promotion_after_two_qualifying_quarters():
    assert next_stage("starting", "community", "community") == "community"
    assert next_stage("community", "hub", "hub") == "hub"


def test_one_qualifying_quarter_does_not_promote():
    assert next_stage("starting", "starting", "community") == "starting"
    assert next_stage("community", "community", "hub") == "community"


def test_demotion_after_two_failing_quarters():
    assert next_stage("hub", "community", "community") == "community"
    assert next_stage("community", "starting", "starting") == "starting"


def test_one_failing_quarter_does_not_demote():
    assert next_stage("hub", "hub", "community") == "hub"
    assert next_stage("hub", "community", "hub") == "hub"


@pytest.mark.parametrize("previous, latest", [("starting", "centre"), ("centre", "starting"),
                                              ("community", "centre"), ("centre", "community")])
def test_mixed_quarters_around_the_stage_keep_it(previous, latest):
    assert next_stage("hub", previous, latest) == "hub"


@pytest.mark.parametrize("previous, latest, expected", [
    ("hub", "centre", "hub"), ("centre", "hub", "hub"), ("centre", "centre", "centre"),
    ("community", "centre", "community"), ("centre", "community", "community")])
def test_promotion_goes_to_the_lower_of_the_two_quarters(previous, latest, expected):
    assert next_stage("starting", previous, latest) == expected


@pytest.mark.parametrize("previous, latest, expected", [
    ("starting", "community", "community"), ("community", "starting", "community"),
    ("starting", "starting", "starting"), ("hub", "community", "hub")])
def test_demotion_goes_to_the_higher_of_the_two_quarters(previous, latest, expected):
    assert next_stage("centre", previous, latest) == expected


def test_staying_qualified_keeps_the_stage():
    for stage in STAGE_ORDER:
        assert next_stage(stage, stage, stage) == stage
