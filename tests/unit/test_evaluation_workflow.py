"""The evaluation's state machines (app/evaluation/workflow.py), without the application: every transition of a
call, a candidacy and an assignment, allowed and refused, with the reason a refusal gives."""
from __future__ import annotations

import itertools

import pytest

from app.evaluation.workflow import (CALL_DENIED, CALL_REFUSED, CANDIDACY_REFUSED, PHASE_REFUSED, AssignmentAction,
                                     AssignmentStatus, CallAction, CallFacts, CallPhase, CallRole, CandidacyAction,
                                     CandidacyStatus, ConflictSource, ConflictStatus, EvaluationWorkflowError,
                                     assignment_transition, call_transition, candidacy_editable,
                                     candidacy_transition, conflict_status_for, may_assign, may_decide)

ADMIN, CHAIR = CallRole.ADMIN, CallRole.CHAIR

# ---- calls -------------------------------------------------------------------------------------------------------

# Written out here rather than read from the module: (phase, action) → (next phase, who may).
CALL_MOVES = {
    ("draft", "open"): ("open", {ADMIN, CHAIR}),
    ("open", "close"): ("closed", {ADMIN, CHAIR}),
    ("closed", "start_review"): ("review", {ADMIN, CHAIR}),
    ("review", "start_consensus"): ("consensus", {ADMIN, CHAIR}),
    ("consensus", "publish_decisions"): ("decided", {ADMIN, CHAIR}),
    ("open", "back_to_draft"): ("draft", {ADMIN}),
}
ROLE_SETS = [set(), {ADMIN}, {CHAIR}, {ADMIN, CHAIR}]


@pytest.mark.parametrize("phase, action", list(itertools.product(list(CallPhase), list(CallAction))))
@pytest.mark.parametrize("roles", ROLE_SETS, ids=["nobody", "admin", "chair", "both"])
def test_every_call_move(phase, action, roles):
    move = CALL_MOVES.get((str(phase), str(action)))
    if move is None:
        with pytest.raises(EvaluationWorkflowError) as refused:
            call_transition(phase, action, roles, CallFacts())
        assert str(refused.value) == CALL_REFUSED[action]
    elif roles & move[1]:
        assert call_transition(phase, action, roles, CallFacts()) == move[0]
    else:
        with pytest.raises(EvaluationWorkflowError) as refused:
            call_transition(phase, action, roles, CallFacts())
        if action == CallAction.BACK_TO_DRAFT:
            assert "solo chi amministra" in str(refused.value)
        else:
            assert str(refused.value) == CALL_DENIED


def test_call_moves_accept_plain_strings():
    assert call_transition("draft", "open", {"chair"}, CallFacts()) == CallPhase.OPEN
    with pytest.raises(ValueError):
        call_transition("draft", "launch", {ADMIN}, CallFacts())
    with pytest.raises(ValueError):
        call_transition("archived", "open", {ADMIN}, CallFacts())


@pytest.mark.parametrize("facts, message", [
    (CallFacts(has_criteria=False), "almeno un criterio"),
    (CallFacts(weights_positive=False), "somma dei pesi"),
    (CallFacts(has_closing_date=False), "data di chiusura"),
])
def test_opening_needs_a_grid_and_a_closing_date(facts, message):
    with pytest.raises(EvaluationWorkflowError, match=message):
        call_transition(CallPhase.DRAFT, CallAction.OPEN, {ADMIN}, facts)


def test_the_facts_matter_only_to_their_own_move():
    lacking = CallFacts(has_criteria=False, weights_positive=False, has_closing_date=False, submitted_candidacies=3,
                        missing_decisions=0)
    assert call_transition(CallPhase.OPEN, CallAction.CLOSE, {CHAIR}, lacking) == CallPhase.CLOSED
    assert call_transition(CallPhase.CLOSED, CallAction.START_REVIEW, {CHAIR}, lacking) == CallPhase.REVIEW
    assert call_transition(CallPhase.CONSENSUS, CallAction.PUBLISH_DECISIONS, {CHAIR}, lacking) == CallPhase.DECIDED


def test_back_to_draft_only_without_submitted_candidacies():
    with pytest.raises(EvaluationWorkflowError, match="candidature inviate"):
        call_transition(CallPhase.OPEN, CallAction.BACK_TO_DRAFT, {ADMIN}, CallFacts(submitted_candidacies=1))
    assert call_transition(CallPhase.OPEN, CallAction.BACK_TO_DRAFT, {ADMIN},
                           CallFacts(submitted_candidacies=0)) == CallPhase.DRAFT


def test_publishing_needs_every_decision():
    with pytest.raises(EvaluationWorkflowError, match="un esito per ogni candidatura"):
        call_transition(CallPhase.CONSENSUS, CallAction.PUBLISH_DECISIONS, {CHAIR}, CallFacts(missing_decisions=2))


def test_a_refusal_of_the_phase_comes_before_the_roles():
    """Who may not act at all still learns the phase is wrong first (the message a page shows)."""
    with pytest.raises(EvaluationWorkflowError) as refused:
        call_transition(CallPhase.DECIDED, CallAction.OPEN, set(), CallFacts())
    assert str(refused.value) == CALL_REFUSED[CallAction.OPEN]


# ---- candidacies -------------------------------------------------------------------------------------------------

CANDIDACY_MOVES = {
    ("draft", "submit"): "submitted",
    ("submitted", "withdraw"): "withdrawn",
    ("withdrawn", "redraft"): "draft",
    ("submitted", "start_review"): "under_review",
    ("under_review", "decide"): "decided",
}
# The call phases in which the candidate's own moves are allowed.
CANDIDATE_MOVE_PHASES = {"submit": {"open"}, "withdraw": {"open", "closed"}, "redraft": {"open"}}


@pytest.mark.parametrize("status, action, phase", list(itertools.product(
    list(CandidacyStatus), list(CandidacyAction), list(CallPhase))))
def test_every_candidacy_move(status, action, phase):
    target = CANDIDACY_MOVES.get((str(status), str(action)))
    if target is None:
        with pytest.raises(EvaluationWorkflowError) as refused:
            candidacy_transition(status, action, phase)
        assert str(refused.value) == CANDIDACY_REFUSED[action]
    elif str(action) in CANDIDATE_MOVE_PHASES and str(phase) not in CANDIDATE_MOVE_PHASES[str(action)]:
        with pytest.raises(EvaluationWorkflowError) as refused:
            candidacy_transition(status, action, phase)
        assert str(refused.value) == PHASE_REFUSED[action]
    else:
        assert candidacy_transition(status, action, phase) == target


@pytest.mark.parametrize("action", ["submit", "withdraw", "redraft"])
def test_the_candidates_moves_need_the_call_phase(action):
    status = {"submit": "draft", "withdraw": "submitted", "redraft": "withdrawn"}[action]
    with pytest.raises(EvaluationWorkflowError):
        candidacy_transition(status, action)  # no phase given


def test_the_deadline_stops_submitting_and_redrafting_but_not_withdrawing():
    with pytest.raises(EvaluationWorkflowError, match="termine per le candidature è scaduto"):
        candidacy_transition("draft", "submit", "open", deadline_passed=True)
    with pytest.raises(EvaluationWorkflowError, match="termine"):
        candidacy_transition("withdrawn", "redraft", "open", deadline_passed=True)
    assert candidacy_transition("submitted", "withdraw", "open", deadline_passed=True) == CandidacyStatus.WITHDRAWN
    assert candidacy_transition("submitted", "withdraw", "closed", deadline_passed=True) == CandidacyStatus.WITHDRAWN


def test_the_calls_own_moves_ignore_the_phase_and_deadline():
    assert candidacy_transition("submitted", "start_review") == CandidacyStatus.UNDER_REVIEW
    assert candidacy_transition("under_review", "decide", deadline_passed=True) == CandidacyStatus.DECIDED


@pytest.mark.parametrize("status, phase, deadline_passed", list(itertools.product(
    list(CandidacyStatus), list(CallPhase), [False, True])))
def test_only_a_draft_of_an_open_call_before_the_deadline_is_editable(status, phase, deadline_passed):
    assert candidacy_editable(status, phase, deadline_passed) is (
        status == "draft" and phase == "open" and not deadline_passed)


# ---- assignments -------------------------------------------------------------------------------------------------

ASSIGNMENT_MOVES = {
    ("assigned", "submit"): "submitted",
    ("assigned", "decline"): "declined",
    ("assigned", "conflict"): "conflict",
    ("submitted", "conflict"): "conflict",
}


@pytest.mark.parametrize("status, action, phase", list(itertools.product(
    list(AssignmentStatus), list(AssignmentAction), list(CallPhase))))
def test_every_assignment_move(status, action, phase):
    if action == AssignmentAction.REOPEN:
        if status != "submitted":
            with pytest.raises(EvaluationWorkflowError, match="Si modifica solo una valutazione inviata"):
                assignment_transition(status, action, phase)
        elif phase != "consensus":
            with pytest.raises(EvaluationWorkflowError, match="durante la fase di consenso"):
                assignment_transition(status, action, phase)
        else:
            assert assignment_transition(status, action, phase) == AssignmentStatus.SUBMITTED
        return
    target = ASSIGNMENT_MOVES.get((str(status), str(action)))
    if target is None:
        with pytest.raises(EvaluationWorkflowError):
            assignment_transition(status, action, phase)
    elif action == AssignmentAction.SUBMIT and phase not in ("review", "consensus"):
        with pytest.raises(EvaluationWorkflowError, match="durante la fase di valutazione"):
            assignment_transition(status, action, phase)
    else:
        assert assignment_transition(status, action, phase) == target


@pytest.mark.parametrize("phase", list(CallPhase))
def test_assigning_and_deciding_phases(phase):
    assert may_assign(phase) is (phase in ("closed", "review", "consensus"))
    assert may_decide(phase) is (phase == "consensus")


@pytest.mark.parametrize("source", list(ConflictSource))
def test_a_recusal_stands_a_computed_or_reported_one_waits_for_the_chair(source):
    assert conflict_status_for(source) == (ConflictStatus.SUGGESTED if source in ("computed", "candidate")
                                           else ConflictStatus.CONFIRMED)
