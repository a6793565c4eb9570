"""The rules of the KPI library (app/kpi/workflow.py, issue 16): every transition allowed and refused per role, the
notes a move requires, deprecation's replacement, versioning and editing, value checks for every unit, periods per
frequency, targets per polarity. No database, no Flask."""
from __future__ import annotations

import math

import pytest

from app.kpi import workflow as wf
from app.kpi.workflow import (DefinitionAction as A, DefinitionStatus as S, Frequency, KpiRole as R, KpiWorkflowError,
                              Polarity, TransitionFacts, Unit)

ALL_ROLES = ("admin", "reviewer", "proposer", "")
REVIEWERS = {"admin", "reviewer"}
NOTE = TransitionFacts(note="Rivedete il denominatore.")

# (status, action) → (target, roles allowed); everything not listed is refused whoever asks.
EXPECTED = {
    (S.PROPOSED, A.START_REVIEW): (S.IN_REVIEW, REVIEWERS),
    (S.IN_REVIEW, A.RETURN): (S.PROPOSED, REVIEWERS),
    (S.IN_REVIEW, A.PUBLISH): (S.PUBLISHED, REVIEWERS),
    (S.PUBLISHED, A.DEPRECATE): (S.DEPRECATED, REVIEWERS),
    (S.PROPOSED, A.WITHDRAW): (S.WITHDRAWN, {"proposer", "admin"}),
    (S.IN_REVIEW, A.WITHDRAW): (S.WITHDRAWN, {"proposer", "admin"}),
}


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", list(A))
@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_transition_per_role(status, action, role):
    rule = EXPECTED.get((status, action))
    if rule is not None and role in rule[1]:
        assert wf.transition(status, action, role, NOTE) == rule[0]
        return
    with pytest.raises(KpiWorkflowError) as refused:
        wf.transition(status, action, role, NOTE)
    if rule is None:
        assert str(refused.value) == wf.REFUSED[action]  # the status is wrong, whoever asks
    elif action == A.WITHDRAW:
        assert str(refused.value) == wf.DENIED[A.WITHDRAW]
    else:
        assert str(refused.value) == wf.DENIED_REVIEW


def test_unknown_status_or_action_is_refused():
    for status, action in (("archived", "publish"), ("proposed", "delete"), ("", "")):
        with pytest.raises(KpiWorkflowError, match="sconosciuta"):
            wf.transition(status, action, "admin")


@pytest.mark.parametrize("note", ["", "   ", "\n\t"])
def test_return_requires_a_note(note):
    with pytest.raises(KpiWorkflowError) as refused:
        wf.transition(S.IN_REVIEW, A.RETURN, "reviewer", TransitionFacts(note=note))
    assert str(refused.value) == wf.NOTE_REQUIRED


@pytest.mark.parametrize("note", ["", "  "])
def test_deprecation_requires_a_note(note):
    with pytest.raises(KpiWorkflowError) as refused:
        wf.transition(S.PUBLISHED, A.DEPRECATE, "admin", TransitionFacts(note=note))
    assert str(refused.value) == wf.DEPRECATION_NOTE_REQUIRED


def test_other_moves_need_no_note():
    assert wf.transition(S.PROPOSED, A.START_REVIEW, "reviewer") == S.IN_REVIEW
    assert wf.transition(S.IN_REVIEW, A.PUBLISH, "admin") == S.PUBLISHED
    assert wf.transition(S.PROPOSED, A.WITHDRAW, "proposer") == S.WITHDRAWN


def test_the_status_is_checked_before_the_role_and_the_note():
    with pytest.raises(KpiWorkflowError) as refused:
        wf.transition(S.PUBLISHED, A.RETURN, "", TransitionFacts(note=""))
    assert str(refused.value) == wf.REFUSED[A.RETURN]


@pytest.mark.parametrize("replacement_id, published, definition_id, fine", [
    (None, False, 1, True),  # no replacement: allowed
    (2, True, 1, True),  # another published KPI
    (2, False, 1, False),  # not published
    (1, True, 1, False),  # itself
])
def test_deprecation_replacement_rules(replacement_id, published, definition_id, fine):
    facts = TransitionFacts(note="Superato.", replacement_id=replacement_id, replacement_published=published,
                            definition_id=definition_id)
    if fine:
        assert wf.transition(S.PUBLISHED, A.DEPRECATE, "reviewer", facts) == S.DEPRECATED
    else:
        with pytest.raises(KpiWorkflowError) as refused:
            wf.transition(S.PUBLISHED, A.DEPRECATE, "reviewer", facts)
        assert str(refused.value) == wf.REPLACEMENT_NOT_PUBLISHED


@pytest.mark.parametrize("status, roles, expected", [
    (S.PROPOSED, {"reviewer"}, [A.START_REVIEW]),
    (S.PROPOSED, {"proposer"}, [A.WITHDRAW]),
    (S.PROPOSED, {"admin"}, [A.START_REVIEW, A.WITHDRAW]),
    (S.IN_REVIEW, {"reviewer"}, [A.RETURN, A.PUBLISH]),
    (S.IN_REVIEW, {"reviewer", "proposer"}, [A.RETURN, A.PUBLISH, A.WITHDRAW]),
    (S.PUBLISHED, {"reviewer"}, [A.DEPRECATE]),
    (S.PUBLISHED, {"proposer"}, []),
    (S.DEPRECATED, {"admin"}, []),
    (S.WITHDRAWN, {"admin", "reviewer", "proposer"}, []),
    (S.PROPOSED, set(), []),
])
def test_allowed_actions(status, roles, expected):
    assert wf.allowed_actions(status, roles) == expected


@pytest.mark.parametrize("status, new_version", [(S.PROPOSED, False), (S.IN_REVIEW, False), (S.PUBLISHED, True)])
def test_edit_makes_new_version(status, new_version):
    assert wf.edit_makes_new_version(status) is new_version


@pytest.mark.parametrize("status", [S.DEPRECATED, S.WITHDRAWN])
def test_deprecated_and_withdrawn_are_not_edited(status):
    with pytest.raises(KpiWorkflowError) as refused:
        wf.edit_makes_new_version(status)
    assert str(refused.value) == wf.NOT_EDITABLE


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("role", ["admin", "reviewer", "proposer"])
def test_may_edit(status, role):
    expected = {S.PROPOSED: True, S.IN_REVIEW: True, S.PUBLISHED: role in REVIEWERS, S.DEPRECATED: False,
                S.WITHDRAWN: False}[status]
    assert wf.may_edit(status, {role}) is expected
    assert wf.may_edit(status, set()) is False


# ---- values ---------------------------------------------------------------------------------------------------

NATURAL = {  # unit → (a fitting value, a value below, a value above) — None when there is no such bound
    Unit.PERCENT: (45.5, -0.1, 100.1), Unit.RATIO: (0.5, -0.01, 1.01), Unit.NUMBER: (12, -1, None),
    Unit.EUROS: (-250.0, None, None), Unit.DAYS: (31, -1, None), Unit.HOURS: (0, -0.5, None),
    Unit.PER_100: (33.3, -2, None), Unit.PER_1000: (4.2, -0.1, None), Unit.SCORE: (-3, None, None),
    Unit.INDEX: (-1e6, None, None),
}


def test_every_unit_has_its_natural_bounds():
    assert set(NATURAL) == set(Unit) == set(wf.UNIT_BOUNDS)


@pytest.mark.parametrize("unit", list(Unit))
def test_check_value_per_unit(unit):
    fitting, below, above = NATURAL[unit]
    assert wf.check_value(fitting, unit) == float(fitting)
    assert isinstance(wf.check_value(fitting, unit), float)
    if below is not None:
        with pytest.raises(KpiWorkflowError) as refused:
            wf.check_value(below, unit)
        assert str(refused.value) == wf.VALUE_BELOW
    if above is not None:
        with pytest.raises(KpiWorkflowError) as refused:
            wf.check_value(above, unit)
        assert str(refused.value) == wf.VALUE_ABOVE


@pytest.mark.parametrize("unit", list(Unit))
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, None, "12", [1]])
def test_check_value_refuses_what_is_not_a_number(unit, bad):
    with pytest.raises(KpiWorkflowError) as refused:
        wf.check_value(bad, unit)
    assert str(refused.value) == wf.VALUE_NOT_A_NUMBER


@pytest.mark.parametrize("unit", list(Unit))
def test_the_version_range_narrows_the_unit(unit):
    scale = 0.1 if unit == Unit.RATIO else 1  # a ratio lives in 0–1
    assert wf.check_value(5 * scale, unit, low=2 * scale, high=8 * scale) == 5 * scale
    with pytest.raises(KpiWorkflowError) as refused:
        wf.check_value(1 * scale, unit, low=2 * scale, high=8 * scale)
    assert str(refused.value) == wf.VALUE_BELOW
    with pytest.raises(KpiWorkflowError) as refused:
        wf.check_value(9 * scale, unit, low=2 * scale, high=8 * scale)
    assert str(refused.value) == wf.VALUE_ABOVE


def test_value_bounds_keep_the_narrower_limit():
    assert wf.value_bounds(Unit.PERCENT, None, None) == (0.0, 100.0)
    assert wf.value_bounds(Unit.PERCENT, -10, 150) == (0.0, 100.0)  # the version cannot widen the unit
    assert wf.value_bounds(Unit.PERCENT, 20, 80) == (20, 80)
    assert wf.value_bounds(Unit.EUROS, None, None) == (None, None)
    assert wf.value_bounds(Unit.DAYS, None, 60) == (0.0, 60)
    assert wf.value_bounds("unknown", 1, None) == (1, None)


@pytest.mark.parametrize("unit, numerator, denominator, expected", [
    (Unit.PERCENT, 45, 60, 75.0), (Unit.RATIO, 1, 4, 0.25), (Unit.PER_100, 30, 120, 25.0),
    (Unit.PER_1000, 3, 1500, 2.0), (Unit.NUMBER, 10, 4, 2.5), (Unit.INDEX, -3, 2, -1.5),
])
def test_ratio_is_computed_from_numerator_and_denominator(unit, numerator, denominator, expected):
    assert wf.check_value(None, unit, numerator=numerator, denominator=denominator) == pytest.approx(expected)
    assert wf.check_value(expected, unit, numerator=numerator, denominator=denominator) == pytest.approx(expected)


@pytest.mark.parametrize("unit", [Unit.PERCENT, Unit.RATIO, Unit.PER_100, Unit.NUMBER])
def test_denominator_zero_is_refused(unit):
    for value in (None, 10.0):
        with pytest.raises(KpiWorkflowError) as refused:
            wf.check_value(value, unit, numerator=5, denominator=0)
        assert str(refused.value) == wf.DENOMINATOR_ZERO


def test_ratio_mismatch_is_refused_beyond_rounding():
    assert wf.check_value(75.3, Unit.PERCENT, numerator=45, denominator=60) == 75.3  # within 0.5 %
    with pytest.raises(KpiWorkflowError) as refused:
        wf.check_value(80.0, Unit.PERCENT, numerator=45, denominator=60)
    assert str(refused.value) == wf.RATIO_MISMATCH
    with pytest.raises(KpiWorkflowError):
        wf.check_value(0.05, Unit.RATIO, numerator=0, denominator=7)  # 0 vs 0.05: beyond the 0.01 floor


def test_a_computed_ratio_is_still_checked_against_the_range():
    with pytest.raises(KpiWorkflowError) as refused:
        wf.check_value(None, Unit.PERCENT, numerator=70, denominator=60)  # 116.7 %
    assert str(refused.value) == wf.VALUE_ABOVE
    with pytest.raises(KpiWorkflowError) as refused:
        wf.check_value(None, Unit.PERCENT, numerator=math.nan, denominator=60)
    assert str(refused.value) == wf.VALUE_NOT_A_NUMBER


def test_only_numerator_or_only_denominator_needs_the_value():
    with pytest.raises(KpiWorkflowError):
        wf.check_value(None, Unit.PERCENT, numerator=5)
    assert wf.check_value(12.0, Unit.PERCENT, denominator=5) == 12.0


# ---- periods --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("frequency, good, canonical", [
    (Frequency.ANNUAL, "2025", "2025"), (Frequency.ANNUAL, " 2025 ", "2025"),
    (Frequency.HALF_YEARLY, "2025-S1", "2025-S1"), (Frequency.HALF_YEARLY, "2025-s2", "2025-S2"),
    (Frequency.QUARTERLY, "2025-q3", "2025-Q3"), (Frequency.QUARTERLY, "2024-Q4", "2024-Q4"),
    (Frequency.MONTHLY, "2025-07", "2025-07"), (Frequency.MONTHLY, "2025-12", "2025-12"),
])
def test_parse_period_accepts(frequency, good, canonical):
    assert wf.parse_period(good, frequency) == (canonical, int(canonical[:4]))


@pytest.mark.parametrize("frequency, bad", [
    (Frequency.ANNUAL, "2025-S1"), (Frequency.ANNUAL, "25"), (Frequency.ANNUAL, "1899"), (Frequency.ANNUAL, "2101"),
    (Frequency.ANNUAL, ""), (Frequency.ANNUAL, None), (Frequency.ANNUAL, "2025\x00"), (Frequency.ANNUAL, "abcd"),
    (Frequency.HALF_YEARLY, "2025"), (Frequency.HALF_YEARLY, "2025-S3"), (Frequency.HALF_YEARLY, "2025-Q1"),
    (Frequency.QUARTERLY, "2025-Q0"), (Frequency.QUARTERLY, "2025-Q5"), (Frequency.QUARTERLY, "2025-07"),
    (Frequency.MONTHLY, "2025-7"), (Frequency.MONTHLY, "2025-13"), (Frequency.MONTHLY, "2025-00"),
    (Frequency.MONTHLY, "x" * 10_000),
])
def test_parse_period_refuses(frequency, bad):
    with pytest.raises(KpiWorkflowError) as refused:
        wf.parse_period(bad, frequency)
    assert str(refused.value) == wf.PERIOD_INVALID


def test_periods_of_and_example():
    assert wf.periods_of(Frequency.ANNUAL, 2025) == ["2025"]
    assert wf.periods_of(Frequency.HALF_YEARLY, 2025) == ["2025-S1", "2025-S2"]
    assert wf.periods_of(Frequency.QUARTERLY, 2025) == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    assert len(wf.periods_of(Frequency.MONTHLY, 2025)) == 12 and wf.periods_of(Frequency.MONTHLY, 2025)[0] == "2025-01"
    assert [wf.period_example(f) for f in Frequency] == ["2025", "2025-S2", "2025-Q4", "2025-12"]


# ---- targets --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("polarity, value, target, low, high, expected", [
    (Polarity.HIGHER, 50, 45, None, None, True), (Polarity.HIGHER, 45, 45, None, None, True),
    (Polarity.HIGHER, 40, 45, None, None, False), (Polarity.HIGHER, 40, None, None, None, None),
    (Polarity.LOWER, 30, 35, None, None, True), (Polarity.LOWER, 35, 35, None, None, True),
    (Polarity.LOWER, 36, 35, None, None, False), (Polarity.LOWER, 36, None, 0, 100, None),
    (Polarity.RANGE, 5, None, 2, 8, True), (Polarity.RANGE, 2, 99, 2, 8, True), (Polarity.RANGE, 9, 5, 2, 8, False),
    (Polarity.RANGE, 1, None, 2, None, False), (Polarity.RANGE, 100, None, None, 8, False),
    (Polarity.RANGE, 100, None, 2, None, True), (Polarity.RANGE, 5, 5, None, None, None),
])
def test_target_met(polarity, value, target, low, high, expected):
    assert wf.target_met(polarity, value, target, low, high) is expected


def test_roles_and_statuses_are_the_strings_stored():
    assert {str(r) for r in R} == {"admin", "reviewer", "proposer"}
    assert {str(s) for s in S} == {"proposed", "in_review", "published", "deprecated", "withdrawn"}
