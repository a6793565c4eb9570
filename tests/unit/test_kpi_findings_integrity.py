"""Adversarial review of app/kpi/workflow.py (issue 16): values, bounds and targets at their edges."""
from __future__ import annotations

import pytest

from app.kpi import workflow as wf
from app.kpi.workflow import KpiWorkflowError, Polarity, Unit


@pytest.mark.parametrize("flag", [True, False])
@pytest.mark.parametrize("unit", [Unit.PERCENT, Unit.NUMBER, Unit.INDEX])
def test_a_boolean_is_not_a_value(flag, unit):
    """bool is an int subclass: True would be stored as 1.0."""
    with pytest.raises(KpiWorkflowError) as refused:
        wf.check_value(flag, unit)
    assert str(refused.value) == wf.VALUE_NOT_A_NUMBER
    with pytest.raises(KpiWorkflowError):
        wf.check_value(None, unit, numerator=flag, denominator=2)


def test_bounds_that_cross_refuse_everything_rather_than_accept_anything():
    """value_min above value_max (the form refuses it; an old row might have it): no value passes."""
    assert wf.value_bounds(Unit.PERCENT, 80, 20) == (80, 20)
    for value in (10, 50, 90):
        with pytest.raises(KpiWorkflowError):
            wf.check_value(value, Unit.PERCENT, 80, 20)
    # a version's range beyond the unit's own is narrowed by the unit
    with pytest.raises(KpiWorkflowError):
        wf.check_value(120, Unit.PERCENT, 0, 200)


@pytest.mark.parametrize("polarity, value, target, low, high, expected", [
    (Polarity.HIGHER, 50.0, 50.0, None, None, True),  # reaching the target is meeting it
    (Polarity.LOWER, 50.0, 50.0, None, None, True),
    (Polarity.HIGHER, 49.99, 50.0, None, None, False),
    (Polarity.LOWER, 0.0, 0.0, None, None, True),  # a zero target is a target
    (Polarity.HIGHER, 10.0, None, None, None, None),  # nothing to compare with
    (Polarity.RANGE, 10.0, None, None, None, None),
    (Polarity.RANGE, 10.0, 99.0, 5.0, 15.0, True),  # the band decides, not the yearly target
    (Polarity.RANGE, 15.0, None, 5.0, 15.0, True),  # the band's ends are inside
    (Polarity.RANGE, 15.01, None, 5.0, 15.0, False),
    (Polarity.RANGE, 4.0, None, 5.0, None, False),  # an open band
    (Polarity.RANGE, 400.0, None, 5.0, None, True),
])
def test_target_met_edges(polarity, value, target, low, high, expected):
    assert wf.target_met(polarity, value, target, low, high) is expected


@pytest.mark.parametrize("typed, frequency, stored", [
    ("2025-q1", "quarterly", "2025-Q1"), (" 2025 ", "annual", "2025"), ("2025-s2", "half_yearly", "2025-S2"),
])
def test_periods_are_read_canonical(typed, frequency, stored):
    assert wf.parse_period(typed, frequency) == (stored, 2025)


@pytest.mark.parametrize("typed, frequency", [("2025-13", "monthly"), ("2025-Q1", "annual"), ("2025 -Q1", "quarterly"),
                                              ("2025-Q1 junk", "quarterly"), ("+2025", "annual"), ("2025.0", "annual")])
def test_bad_periods(typed, frequency):
    with pytest.raises(KpiWorkflowError):
        wf.parse_period(typed, frequency)


def test_ratio_tolerance_is_rounding_only():
    assert wf.check_value(33.33, Unit.PERCENT, numerator=1, denominator=3) == 33.33
    assert wf.check_value(0.33, Unit.RATIO, numerator=1, denominator=3) == 0.33
    with pytest.raises(KpiWorkflowError):
        wf.check_value(34.0, Unit.PERCENT, numerator=1, denominator=3)
    # a ratio given with a negative numerator and denominator is still read as their quotient
    assert wf.check_value(None, Unit.PERCENT, numerator=-1, denominator=-4) == 25.0


@pytest.mark.parametrize("typed, number", [
    ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("12,5", 12.5), ("12.5", 12.5), ("1 234,5", 1234.5),
    ("-1.000,25", -1000.25), ("2,000,000.5", 2000000.5), ("2.000.000,5", 2000000.5),
])
def test_values_read_numbers_with_both_separators_the_way_they_are_written(typed, number):
    """The value form and the CSV import: the rightmost separator is the decimal one, as in the definition form
    (an English "1,234.5" was read as 1.2345)."""
    from app.kpi.forms_definition import parse_number as definition_number
    from app.kpi.values import parse_number

    assert parse_number(typed, "value") == number
    assert definition_number(typed) == number


@pytest.mark.parametrize("typed", ["1,2.3,4", "1.2,3.4", "1,,5", "1..5", ",5.", "1.234.5,6,7"])
def test_values_refuse_numbers_whose_separators_make_no_sense(typed):
    from app.kpi.values import ValueRefused, parse_number

    with pytest.raises(ValueRefused):
        parse_number(typed, "value")


@pytest.mark.parametrize("typed", ["1.2,3.4", "1,2.3,4", ",5.", "12.34,5"])
def test_the_definition_form_refuses_numbers_whose_separators_make_no_sense(typed):
    """value_min, value_max and the target band: "1.2,3.4" was read as 12.34."""
    from app.kpi.forms_definition import parse_number

    with pytest.raises(ValueError):
        parse_number(typed)
