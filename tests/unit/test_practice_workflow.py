"""The practice publication table on its own."""
from __future__ import annotations

import itertools

import pytest

from app.practices.workflow import (TRANSITIONS, PracticeAction, PracticeStatus, PracticeWorkflowError, Role,
                                    transition)

ALLOWED = {
    (PracticeStatus.DRAFT, PracticeAction.PUBLISH): (PracticeStatus.PUBLISHED, {Role.DONOR, Role.ADMIN}),
    (PracticeStatus.PUBLISHED, PracticeAction.ARCHIVE): (PracticeStatus.ARCHIVED, set(Role)),
    (PracticeStatus.ARCHIVED, PracticeAction.RESTORE): (PracticeStatus.PUBLISHED, {Role.DONOR, Role.ADMIN}),
    (PracticeStatus.PUBLISHED, PracticeAction.UNPUBLISH): (PracticeStatus.DRAFT, set(Role)),
}


@pytest.mark.parametrize("status,action,role", list(itertools.product(PracticeStatus, PracticeAction, Role)))
def test_every_transition_for_every_role(status, action, role):
    allowed = ALLOWED.get((status, action))
    if allowed and role in allowed[1]:
        assert transition(status, action, {role}) == allowed[0]
    else:
        with pytest.raises(PracticeWorkflowError) as refused:
            transition(status, action, {role})
        assert str(refused.value)


def test_table_matches_the_tests():
    assert set(TRANSITIONS) == set(ALLOWED)


def test_a_practice_without_a_published_kit_cannot_be_published():
    with pytest.raises(PracticeWorkflowError, match="KIT"):
        transition(PracticeStatus.DRAFT, PracticeAction.PUBLISH, {Role.DONOR}, has_published_kit=False)


def test_facilitators_moderate_but_do_not_publish_for_the_donors():
    assert transition(PracticeStatus.PUBLISHED, PracticeAction.UNPUBLISH, {Role.MODERATOR}) == PracticeStatus.DRAFT
    with pytest.raises(PracticeWorkflowError):
        transition(PracticeStatus.DRAFT, PracticeAction.PUBLISH, {Role.MODERATOR})
