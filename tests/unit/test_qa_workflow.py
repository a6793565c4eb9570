"""The question workflow as a table (issue 12, point 2): every status × action × role, closing reasons, reopening,
moderation review and the threshold of reports. No database, no Flask."""
from __future__ import annotations

import itertools

import pytest

from app.qa.workflow import (DENIED, REFUSED, CloseReason, QaWorkflowError, QuestionAction, QuestionStatus,
                             ReviewAction, Role, Visibility, allowed_roles, check_close_reason, check_open_for_posts,
                             review, should_hide, transition)

O, S, C = QuestionStatus.OPEN, QuestionStatus.SOLVED, QuestionStatus.CLOSED
ASKER, FAC, DONOR, ADMIN = Role.ASKER, Role.FACILITATOR, Role.DONOR_REFERENT, Role.ADMIN
EVERYONE = (ASKER, FAC, DONOR, ADMIN)

# (status, action) → (status after, roles allowed); missing pairs are refused for everybody.
TABLE = {
    (O, QuestionAction.ACCEPT): (S, {ASKER, FAC, DONOR, ADMIN}),
    (S, QuestionAction.ACCEPT): (S, {ASKER, FAC, DONOR, ADMIN}),
    (S, QuestionAction.UNACCEPT): (O, {ASKER, FAC, DONOR, ADMIN}),
    (O, QuestionAction.CLOSE): (C, {ASKER, FAC, ADMIN}),
    (S, QuestionAction.CLOSE): (C, {ASKER, FAC, ADMIN}),
    (C, QuestionAction.REOPEN): (O, {FAC, ADMIN}),  # the asker only when the asker closed it (below)
}

CASES = list(itertools.product(QuestionStatus, QuestionAction, EVERYONE))


def _kwargs(action):
    return {"reason": CloseReason.OBSOLETE} if action == QuestionAction.CLOSE else {}


@pytest.mark.parametrize("status, action, role", CASES, ids=[f"{s}-{a}-{r}" for s, a, r in CASES])
def test_every_move_by_every_role(status, action, role):
    rule = TABLE.get((status, action))
    if rule is not None and role in rule[1]:
        assert transition(status, action, {role}, **_kwargs(action)) == rule[0]
        return
    with pytest.raises(QaWorkflowError) as error:
        transition(status, action, {role}, **_kwargs(action))
    expected = REFUSED[action] if rule is None else DENIED[action]
    assert str(error.value) == expected


@pytest.mark.parametrize("status, action", list(itertools.product(QuestionStatus, QuestionAction)))
def test_nobody_without_a_role_moves_anything(status, action):
    with pytest.raises(QaWorkflowError):
        transition(status, action, set(), **_kwargs(action))


def test_a_refused_move_says_why_before_who():
    """A move that does not exist from this status is refused with the status's reason, whoever asks."""
    with pytest.raises(QaWorkflowError, match="riaperta prima"):
        transition(C, QuestionAction.ACCEPT, {ADMIN})
    with pytest.raises(QaWorkflowError, match="non ha una risposta accettata"):
        transition(O, QuestionAction.UNACCEPT, {ADMIN})
    with pytest.raises(QaWorkflowError, match="già chiusa"):
        transition(C, QuestionAction.CLOSE, {ADMIN}, reason="obsolete")
    with pytest.raises(QaWorkflowError, match="solo una domanda chiusa"):
        transition(O, QuestionAction.REOPEN, {ADMIN})


@pytest.mark.parametrize("roles, closed_by_asker, allowed", [
    ({ASKER}, True, True),
    ({ASKER}, False, False),
    ({DONOR}, True, False),
    ({ASKER, DONOR}, False, False),
    ({ASKER, FAC}, False, True),
    ({ADMIN}, False, True),
])
def test_who_reopens(roles, closed_by_asker, allowed):
    if allowed:
        assert transition(C, QuestionAction.REOPEN, roles, closed_by_asker=closed_by_asker) == O
    else:
        with pytest.raises(QaWorkflowError, match="Riapre la domanda"):
            transition(C, QuestionAction.REOPEN, roles, closed_by_asker=closed_by_asker)


@pytest.mark.parametrize("has_accepted, to", [(True, S), (False, O)])
def test_reopen_goes_back_to_solved_or_open(has_accepted, to):
    assert transition(C, QuestionAction.REOPEN, {FAC}, has_accepted=has_accepted) == to


@pytest.mark.parametrize("reason", list(CloseReason))
def test_every_reason_closes(reason):
    duplicate_of = 7 if reason == CloseReason.DUPLICATE else None
    assert transition(O, QuestionAction.CLOSE, {FAC}, reason=reason, duplicate_of=duplicate_of, question_id=1) == C
    assert check_close_reason(reason, duplicate_of, 1) == reason


@pytest.mark.parametrize("reason, duplicate_of, question_id, message", [
    (None, None, 1, "Scegli il motivo"),
    ("", None, 1, "Scegli il motivo"),
    ("spam", None, 1, "Scegli il motivo"),
    ("duplicate", None, 1, "Indica la domanda originale"),
    ("duplicate", 1, 1, "duplicato di sé stessa"),
])
def test_bad_closings(reason, duplicate_of, question_id, message):
    with pytest.raises(QaWorkflowError, match=message):
        check_close_reason(reason, duplicate_of, question_id)
    with pytest.raises(QaWorkflowError, match=message):
        transition(S, QuestionAction.CLOSE, {ADMIN}, reason=reason, duplicate_of=duplicate_of,
                   question_id=question_id)


def test_permission_is_checked_before_the_reason():
    """Someone who may not close learns that, not which reason to choose."""
    with pytest.raises(QaWorkflowError, match="Chiudono una domanda"):
        transition(O, QuestionAction.CLOSE, {DONOR}, reason=None)


def test_a_duplicate_of_another_question_without_its_own_id_is_fine():
    assert check_close_reason("duplicate", 5) == CloseReason.DUPLICATE


@pytest.mark.parametrize("status, open_for_posts", [(O, True), (S, True), (C, False)])
def test_posts_only_in_questions_that_are_not_closed(status, open_for_posts):
    if open_for_posts:
        check_open_for_posts(status)
    else:
        with pytest.raises(QaWorkflowError, match="chiusa"):
            check_open_for_posts(status)


def test_allowed_roles():
    assert allowed_roles(QuestionAction.ACCEPT) == {ASKER, FAC, DONOR, ADMIN}
    assert allowed_roles(QuestionAction.UNACCEPT) == {ASKER, FAC, DONOR, ADMIN}
    assert allowed_roles(QuestionAction.CLOSE) == {ASKER, FAC, ADMIN}
    assert allowed_roles(QuestionAction.REOPEN) == {ASKER, FAC, ADMIN}


def test_unknown_status_or_action_is_an_error():
    with pytest.raises(ValueError):
        transition("archived", QuestionAction.ACCEPT, {ADMIN})
    with pytest.raises(ValueError):
        transition(O, "delete", {ADMIN})


# ---- moderation review ---------------------------------------------------------------------------------------

V, H, D = Visibility.VISIBLE, Visibility.HIDDEN, Visibility.DELETED
REVIEW_TABLE = {
    (H, ReviewAction.RESTORE): V,
    (H, ReviewAction.KEEP_HIDDEN): H,
    (H, ReviewAction.DELETE): D,
    (V, ReviewAction.DELETE): D,
    (V, ReviewAction.KEEP_HIDDEN): H,
    (V, ReviewAction.DISMISS): V,
}
REVIEW_CASES = list(itertools.product(Visibility, ReviewAction, EVERYONE))


@pytest.mark.parametrize("visibility, action, role", REVIEW_CASES,
                         ids=[f"{v}-{a}-{r}" for v, a, r in REVIEW_CASES])
def test_every_review_by_every_role(visibility, action, role):
    target = REVIEW_TABLE.get((visibility, action))
    if role not in (FAC, ADMIN):
        with pytest.raises(QaWorkflowError, match="Solo chi anima"):
            review(visibility, action, {role})
    elif target is None:
        with pytest.raises(QaWorkflowError, match="già stato eliminato o non è nascosto"):
            review(visibility, action, {role})
    else:
        assert review(visibility, action, {role}) == target


def test_a_deleted_item_stays_deleted():
    for action in ReviewAction:
        with pytest.raises(QaWorkflowError):
            review(D, action, {ADMIN})


# ---- the threshold of reports --------------------------------------------------------------------------------

@pytest.mark.parametrize("reports, hidden", [
    ([], False),
    ([(1, 10, False)], False),
    ([(1, 10, True)], True),  # one facilitator's report
    ([(1, 10, False), (2, 10, False)], False),
    ([(1, 10, False), (2, 10, False), (3, 10, False)], False),  # three people, one organisation
    ([(1, 10, False), (2, 10, False), (3, 20, False)], True),  # three people, two organisations
    ([(1, 10, False), (1, 20, False), (2, 30, False)], False),  # two people (one reported twice)
    ([(1, None, False), (2, None, False), (3, 10, False)], False),  # organisations unknown do not count
    ([(1, None, False), (2, 20, False), (3, 10, False)], True),
    ([(1, 10, False), (2, 20, False), (3, 30, False), (4, 40, False)], True),
])
def test_should_hide(reports, hidden):
    assert should_hide(reports) is hidden
