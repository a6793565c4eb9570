"""The rules of calls for expression of interest and their candidacies (app/calls/workflow.py, issue 15): every
transition of the call and of the candidacy, each refusal and its message, quotas, window states, and who takes a
seat a withdrawal frees."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.calls import workflow as wf
from app.calls.workflow import (CallAction, CallFacts, CallPhase, CallRole, CallWorkflowError, CandidacyAction,
                                CandidacyFacts, CandidacyRole, CandidacyStatus, call_transition,
                                candidacy_transition, promotion_after_withdrawal, window_state)

READY = CallFacts(has_quotas=True, has_window=True, window_closed=True, undecided_candidacies=0,
                  submitted_candidacies=0)
ADMIN, STAFF = {CallRole.ADMIN}, {CallRole.STAFF}


def refused(function, *args) -> str:
    with pytest.raises(CallWorkflowError) as caught:
        function(*args)
    return str(caught.value)


# ---- the call --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("phase, action, roles, target", [
    ("draft", "publish", STAFF, "published"),
    ("draft", "publish", ADMIN, "published"),
    ("published", "publish_results", STAFF, "results"),
    ("published", "publish_results", ADMIN, "results"),
    ("published", "back_to_draft", ADMIN, "draft"),
    ("published", "back_to_draft", ADMIN | STAFF, "draft"),
])
def test_every_call_transition(phase, action, roles, target):
    assert call_transition(phase, action, roles, READY) == target


def test_the_call_table_is_what_the_tests_cover():
    assert set(wf.CALL_TRANSITIONS) == {(CallPhase.DRAFT, CallAction.PUBLISH),
                                        (CallPhase.PUBLISHED, CallAction.PUBLISH_RESULTS),
                                        (CallPhase.PUBLISHED, CallAction.BACK_TO_DRAFT)}


@pytest.mark.parametrize("phase, action, message", [
    ("published", "publish", wf.CALL_REFUSED[CallAction.PUBLISH]),
    ("results", "publish", wf.CALL_REFUSED[CallAction.PUBLISH]),
    ("draft", "publish_results", wf.CALL_REFUSED[CallAction.PUBLISH_RESULTS]),
    ("results", "publish_results", wf.CALL_REFUSED[CallAction.PUBLISH_RESULTS]),
    ("draft", "back_to_draft", wf.CALL_REFUSED[CallAction.BACK_TO_DRAFT]),
    ("results", "back_to_draft", wf.CALL_REFUSED[CallAction.BACK_TO_DRAFT]),
])
def test_a_call_move_from_the_wrong_phase_is_refused_with_its_reason(phase, action, message):
    assert refused(call_transition, phase, action, ADMIN | STAFF, READY) == message


@pytest.mark.parametrize("phase, action, roles", [
    ("draft", "publish", set()),
    ("published", "publish_results", set()),
    ("published", "back_to_draft", STAFF),
    ("published", "back_to_draft", set()),
])
def test_a_call_move_by_the_wrong_role_is_refused(phase, action, roles):
    assert refused(call_transition, phase, action, roles, READY) == wf.CALL_DENIED


@pytest.mark.parametrize("phase, action, facts, message", [
    ("draft", "publish", {"has_quotas": False}, wf.NO_QUOTAS),
    ("draft", "publish", {"has_quotas": False, "has_window": False}, wf.NO_QUOTAS),
    ("draft", "publish", {"has_window": False}, wf.NO_WINDOW),
    ("published", "publish_results", {"window_closed": False}, wf.WINDOW_NOT_CLOSED),
    ("published", "publish_results", {"window_closed": False, "undecided_candidacies": 2}, wf.WINDOW_NOT_CLOSED),
    ("published", "publish_results", {"undecided_candidacies": 1}, wf.PENDING_CANDIDACIES),
    ("published", "back_to_draft", {"submitted_candidacies": 1}, wf.HAS_SUBMISSIONS),
])
def test_a_call_move_the_facts_do_not_allow_is_refused(phase, action, facts, message):
    facts = CallFacts(**{**READY.__dict__, **facts})
    assert refused(call_transition, phase, action, ADMIN | STAFF, facts) == message


def test_facts_that_concern_another_move_do_not_stop_a_call_move():
    # Publishing does not care about candidacies or the closing; publishing results not about quotas.
    busy = CallFacts(has_quotas=True, has_window=True, window_closed=False, undecided_candidacies=4,
                     submitted_candidacies=9)
    assert call_transition("draft", "publish", STAFF, busy) == "published"
    closed = CallFacts(has_quotas=False, has_window=True, window_closed=True, undecided_candidacies=0,
                       submitted_candidacies=9)
    assert call_transition("published", "publish_results", STAFF, closed) == "results"


@pytest.mark.parametrize("phase, action", [("archived", "publish"), ("draft", "open"), ("", "")])
def test_an_unknown_phase_or_action_is_refused(phase, action):
    assert refused(call_transition, phase, action, ADMIN, READY) == "Operazione non riconosciuta."


# ---- the window ------------------------------------------------------------------------------------------------

OPENS, CLOSES = datetime(2027, 3, 1, 8, 0), datetime(2027, 3, 31, 16, 0)


@pytest.mark.parametrize("opens, closes, now, state", [
    (None, None, OPENS, "not_set"),
    (OPENS, None, OPENS, "not_set"),
    (None, CLOSES, OPENS, "not_set"),
    (OPENS, CLOSES, OPENS - timedelta(seconds=1), "upcoming"),
    (OPENS, CLOSES, OPENS, "open"),
    (OPENS, CLOSES, OPENS + timedelta(days=10), "open"),
    (OPENS, CLOSES, CLOSES, "open"),  # the closing moment itself is still in
    (OPENS, CLOSES, CLOSES + timedelta(seconds=1), "closed"),
])
def test_window_states(opens, closes, now, state):
    assert window_state(opens, closes, now) == state


# ---- the candidacy ---------------------------------------------------------------------------------------------

def facts(phase="published", window="open", eligible=True, seats_free=1, reason="") -> CandidacyFacts:
    return CandidacyFacts(call_phase=phase, window=window, eligible=eligible, seats_free=seats_free, reason=reason)


S, A, R = CandidacyStatus, CandidacyAction, CandidacyRole
EVERY_MOVE = [
    (S.DRAFT, A.SUBMIT, R.CANDIDATE, S.SUBMITTED),
    (S.SUBMITTED, A.ADMIT, R.STAFF, S.ADMISSIBLE),
    (S.SUBMITTED, A.REJECT, R.STAFF, S.INADMISSIBLE),
    (S.ADMISSIBLE, A.SELECT, R.STAFF, S.SELECTED),
    (S.ADMISSIBLE, A.WAIT_LIST, R.STAFF, S.WAITING),
    (S.ADMISSIBLE, A.NOT_SELECT, R.STAFF, S.NOT_SELECTED),
    (S.WAITING, A.SELECT, R.STAFF, S.SELECTED),
    (S.WAITING, A.PROMOTE, R.SYSTEM, S.SELECTED),
    (S.WAITING, A.PROMOTE, R.STAFF, S.SELECTED),
    (S.WAITING, A.NOT_SELECT, R.STAFF, S.NOT_SELECTED),
    (S.DRAFT, A.WITHDRAW, R.CANDIDATE, S.WITHDRAWN),
    (S.SUBMITTED, A.WITHDRAW, R.CANDIDATE, S.WITHDRAWN),
    (S.ADMISSIBLE, A.WITHDRAW, R.CANDIDATE, S.WITHDRAWN),
    (S.SELECTED, A.WITHDRAW, R.CANDIDATE, S.WITHDRAWN),
    (S.WAITING, A.WITHDRAW, R.CANDIDATE, S.WITHDRAWN),
]


@pytest.mark.parametrize("status, action, role, target", EVERY_MOVE)
def test_every_candidacy_transition(status, action, role, target):
    assert candidacy_transition(status, action, role, facts(reason="Manca la delibera")) == target


def test_the_candidacy_table_is_what_the_tests_cover():
    assert set(wf.CANDIDACY_TRANSITIONS) == {(status, action) for status, action, _role, _to in EVERY_MOVE}


def _wrong_status_cases():
    for action in CandidacyAction:
        for status in CandidacyStatus:
            if (status, action) not in wf.CANDIDACY_TRANSITIONS:
                yield status, action


@pytest.mark.parametrize("status, action", list(_wrong_status_cases()))
def test_a_candidacy_move_from_the_wrong_status_is_refused_with_its_reason(status, action):
    for role in CandidacyRole:
        assert refused(candidacy_transition, status, action, role, facts(reason="x")) == \
            wf.CANDIDACY_REFUSED[action]


@pytest.mark.parametrize("status, action, role, message", [
    (S.DRAFT, A.SUBMIT, R.STAFF, wf.CANDIDACY_DENIED[R.STAFF]),
    (S.DRAFT, A.SUBMIT, R.SYSTEM, wf.CANDIDACY_DENIED[R.STAFF]),
    (S.SELECTED, A.WITHDRAW, R.STAFF, wf.CANDIDACY_DENIED[R.STAFF]),
    (S.SUBMITTED, A.ADMIT, R.CANDIDATE, wf.CANDIDACY_DENIED[R.CANDIDATE]),
    (S.SUBMITTED, A.REJECT, R.CANDIDATE, wf.CANDIDACY_DENIED[R.CANDIDATE]),
    (S.ADMISSIBLE, A.SELECT, R.CANDIDATE, wf.CANDIDACY_DENIED[R.CANDIDATE]),
    (S.ADMISSIBLE, A.SELECT, R.SYSTEM, wf.CANDIDACY_DENIED[R.STAFF]),
    (S.WAITING, A.PROMOTE, R.CANDIDATE, wf.CANDIDACY_DENIED[R.CANDIDATE]),
])
def test_a_candidacy_move_by_the_wrong_role_is_refused(status, action, role, message):
    assert refused(candidacy_transition, status, action, role, facts(reason="x")) == message


@pytest.mark.parametrize("status, action, role", [(s, a, r) for s, a, r, _to in EVERY_MOVE])
def test_nothing_moves_while_the_call_is_in_draft(status, action, role):
    assert refused(candidacy_transition, status, action, role, facts(phase="draft", reason="x")) == \
        wf.CALL_NOT_PUBLISHED


@pytest.mark.parametrize("status, action, role, target", EVERY_MOVE)
def test_once_the_results_are_out_only_withdrawals_remain(status, action, role, target):
    late = facts(phase="results", window="closed", reason="x")
    if action in (A.WITHDRAW, A.PROMOTE):  # the waiting list stays in force: a freed seat is taken
        assert candidacy_transition(status, action, role, late) == target
    else:
        assert refused(candidacy_transition, status, action, role, late) == wf.RESULTS_FINAL


@pytest.mark.parametrize("window, message", [("upcoming", wf.WINDOW_NOT_OPEN), ("closed", wf.WINDOW_CLOSED),
                                             ("not_set", wf.WINDOW_CLOSED)])
def test_submitting_outside_the_window_is_refused(window, message):
    assert refused(candidacy_transition, S.DRAFT, A.SUBMIT, R.CANDIDATE, facts(window=window)) == message


def test_the_window_matters_for_submitting_only():
    closed = facts(window="closed", reason="x")
    assert candidacy_transition(S.SUBMITTED, A.ADMIT, R.STAFF, closed) == S.ADMISSIBLE
    assert candidacy_transition(S.ADMISSIBLE, A.SELECT, R.STAFF, closed) == S.SELECTED
    assert candidacy_transition(S.DRAFT, A.WITHDRAW, R.CANDIDATE, closed) == S.WITHDRAWN


def test_an_organisation_of_a_kind_without_quota_cannot_submit():
    assert refused(candidacy_transition, S.DRAFT, A.SUBMIT, R.CANDIDATE, facts(eligible=False)) == wf.NOT_ELIGIBLE
    # The window is told first: an ineligible organisation outside the window hears of the window.
    assert refused(candidacy_transition, S.DRAFT, A.SUBMIT, R.CANDIDATE,
                   facts(eligible=False, window="closed")) == wf.WINDOW_CLOSED


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_inadmissibility_needs_a_reason(reason):
    assert refused(candidacy_transition, S.SUBMITTED, A.REJECT, R.STAFF, facts(reason=reason)) == \
        wf.REASON_REQUIRED


@pytest.mark.parametrize("status, action, role", [(S.ADMISSIBLE, A.SELECT, R.STAFF), (S.WAITING, A.SELECT, R.STAFF),
                                                  (S.WAITING, A.PROMOTE, R.SYSTEM)])
@pytest.mark.parametrize("seats_free", [0, -1])
def test_selection_respects_the_quota(status, action, role, seats_free):
    assert refused(candidacy_transition, status, action, role, facts(seats_free=seats_free)) == wf.QUOTA_FULL


def test_a_full_quota_still_lets_the_staff_wait_list_or_not_select():
    full = facts(seats_free=0)
    assert candidacy_transition(S.ADMISSIBLE, A.WAIT_LIST, R.STAFF, full) == S.WAITING
    assert candidacy_transition(S.ADMISSIBLE, A.NOT_SELECT, R.STAFF, full) == S.NOT_SELECTED
    assert candidacy_transition(S.WAITING, A.NOT_SELECT, R.STAFF, full) == S.NOT_SELECTED
    assert candidacy_transition(S.SELECTED, A.WITHDRAW, R.CANDIDATE, full) == S.WITHDRAWN
    assert candidacy_transition(S.ADMISSIBLE, A.SELECT, R.STAFF, facts(seats_free=1)) == S.SELECTED


@pytest.mark.parametrize("status, action, role", [("lost", "submit", "candidate"), ("draft", "jump", "candidate"),
                                                  ("draft", "submit", "mayor")])
def test_an_unknown_status_action_or_role_is_refused(status, action, role):
    assert refused(candidacy_transition, status, action, role, facts()) == "Operazione non riconosciuta."


def test_undecided_and_active_statuses():
    assert wf.UNDECIDED == {S.SUBMITTED, S.ADMISSIBLE}
    assert wf.ACTIVE == {S.DRAFT, S.SUBMITTED, S.ADMISSIBLE, S.SELECTED, S.WAITING}


# ---- who takes a freed seat ------------------------------------------------------------------------------------

T0 = datetime(2027, 4, 1, 9, 0)


def test_the_longest_waiting_takes_the_seat_a_selected_withdrawal_frees():
    waiting = [(7, T0 + timedelta(hours=2)), (3, T0 + timedelta(hours=1)), (9, T0 + timedelta(days=1))]
    assert promotion_after_withdrawal(S.SELECTED, waiting) == 3


def test_on_the_same_moment_the_older_candidacy_goes_first():
    assert promotion_after_withdrawal(S.SELECTED, [(12, T0), (5, T0), (8, T0 + timedelta(seconds=1))]) == 5


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.ADMISSIBLE, S.WAITING, S.NOT_SELECTED, S.INADMISSIBLE])
def test_no_seat_is_freed_by_a_candidacy_that_did_not_hold_one(status):
    assert promotion_after_withdrawal(status, [(1, T0)]) is None


def test_nobody_is_promoted_when_nobody_waits():
    assert promotion_after_withdrawal(S.SELECTED, []) is None
    assert promotion_after_withdrawal("selected", [(4, T0)]) == 4  # the plain value works as the enum does
