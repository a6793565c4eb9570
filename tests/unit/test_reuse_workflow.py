"""Adoption and support-request transitions on their own: every allowed and refused move, roles, reasons, reopening."""
from __future__ import annotations

from datetime import datetime, timedelta
from itertools import product

import pytest

from app.reuse.workflow import (ADOPTION_TRANSITIONS, REQUEST_TRANSITIONS, AdoptionAction, AdoptionStatus,
                                RequestAction, RequestStatus, ReuseWorkflowError, Role, adoption_transition,
                                check_confirmation, request_transition)

ALL = set(Role)
NOW = datetime(2026, 11, 24, 12, 0)


@pytest.mark.parametrize("status, action", list(product(AdoptionStatus, AdoptionAction)))
def test_every_adoption_move_is_allowed_or_refused_with_a_message(status, action):
    rule = ADOPTION_TRANSITIONS.get((status, action))
    if rule is None:
        with pytest.raises(ReuseWorkflowError) as refused:
            adoption_transition(status, action, ALL)
        assert str(refused.value)
    else:
        assert adoption_transition(status, action, {Role.REUSER}) == rule.to


def test_adoption_path_and_who_moves_it():
    status = adoption_transition("interested", AdoptionAction.START, {Role.REUSER})
    assert status == AdoptionStatus.IN_PROGRESS
    assert adoption_transition(status, AdoptionAction.COMPLETE, {Role.ADMIN}) == AdoptionStatus.COMPLETED
    with pytest.raises(ReuseWorkflowError, match="Solo le persone dell'ente che riusa"):
        adoption_transition("interested", AdoptionAction.START, {Role.DONOR})
    assert adoption_transition("in_progress", AdoptionAction.ABANDON, {Role.REUSER}) == AdoptionStatus.ABANDONED
    with pytest.raises(ReuseWorkflowError):
        adoption_transition("completed", AdoptionAction.ABANDON, {Role.REUSER})


@pytest.mark.parametrize("status, roles, confirmed, allowed", [
    ("in_progress", {Role.DONOR}, False, True),
    ("completed", {Role.ADMIN}, False, True),
    ("interested", {Role.DONOR}, False, False),
    ("abandoned", {Role.DONOR}, False, False),
    ("completed", {Role.DONOR}, True, False),
    ("completed", {Role.REUSER}, False, False),
    ("completed", set(), False, False),  # a supplier has no role on an adoption
])
def test_only_the_donor_team_confirms_an_adoption_under_way(status, roles, confirmed, allowed):
    if allowed:
        check_confirmation(status, roles, confirmed)
    else:
        with pytest.raises(ReuseWorkflowError):
            check_confirmation(status, roles, confirmed)


@pytest.mark.parametrize("status, action", list(product(RequestStatus, RequestAction)))
def test_every_request_move_is_allowed_or_refused_with_a_message(status, action):
    rule = REQUEST_TRANSITIONS.get((status, action))
    kwargs = dict(reason="Fuori dal nostro ambito", closed_at=NOW - timedelta(days=1), now=NOW)
    if rule is None:
        with pytest.raises(ReuseWorkflowError) as refused:
            request_transition(status, action, ALL, **kwargs)
        assert str(refused.value)
    else:
        assert request_transition(status, action, set(rule.roles), **kwargs) == rule.to


def test_request_path_roles_and_reason():
    status = request_transition("open", RequestAction.ACCEPT, {Role.DONOR})
    status = request_transition(status, RequestAction.RESOLVE, {Role.DONOR})
    assert request_transition(status, RequestAction.CLOSE, {Role.REUSER}) == RequestStatus.CLOSED
    with pytest.raises(ReuseWorkflowError, match="permessi"):
        request_transition("open", RequestAction.ACCEPT, {Role.REUSER})
    with pytest.raises(ReuseWorkflowError, match="permessi"):
        request_transition("resolved", RequestAction.CLOSE, {Role.DONOR})
    with pytest.raises(ReuseWorkflowError, match="Scrivi il motivo"):
        request_transition("accepted", RequestAction.DECLINE, {Role.DONOR}, reason="   ")
    assert request_transition("accepted", RequestAction.DECLINE, {Role.DONOR}, reason="Non è il nostro software") \
        == RequestStatus.DECLINED


def test_a_closed_request_reopens_once_within_the_window():
    closed = NOW - timedelta(days=10)
    assert request_transition("closed", RequestAction.REOPEN, {Role.REUSER}, closed_at=closed, now=NOW,
                              reopen_days=30) == RequestStatus.ACCEPTED
    with pytest.raises(ReuseWorkflowError, match="già stata riaperta"):
        request_transition("closed", RequestAction.REOPEN, {Role.REUSER}, closed_at=closed, now=NOW,
                           reopened_before=True)
    with pytest.raises(ReuseWorkflowError, match="scaduto"):
        request_transition("closed", RequestAction.REOPEN, {Role.REUSER}, closed_at=closed, now=NOW, reopen_days=7)
    with pytest.raises(ReuseWorkflowError, match="permessi"):
        request_transition("closed", RequestAction.REOPEN, {Role.DONOR}, closed_at=closed, now=NOW)


def test_the_workflow_module_has_no_flask_import():
    import app.reuse.workflow as module

    import re

    source = open(module.__file__, encoding="utf-8").read()
    assert not re.search(r"^\s*(from|import)\s+flask", source, re.MULTILINE)


# ---- working days (the inbox's overdue rule) -------------------------------------------------------------------

def test_working_days_skip_the_weekend():
    from app.reuse.support import working_days_before

    monday = datetime(2026, 6, 15, 10, 0)
    assert working_days_before(monday, 1) == datetime(2026, 6, 12, 10, 0)  # the Friday before
    assert working_days_before(monday, 5) == datetime(2026, 6, 8, 10, 0)  # a whole working week
    assert working_days_before(monday, 0) == monday


def test_no_working_time_passes_over_a_weekend():
    from app.reuse.support import working_days_before

    saturday_noon, sunday_evening = datetime(2026, 6, 13, 12, 0), datetime(2026, 6, 14, 20, 0)
    # From the weekend, the working days counted back end with Friday as a whole day.
    assert working_days_before(saturday_noon, 1) == datetime(2026, 6, 12, 0, 0)
    assert working_days_before(sunday_evening, 5) == datetime(2026, 6, 8, 0, 0)
    # A request opened on Monday at 10:00 is not five working days old on Saturday.
    assert datetime(2026, 6, 8, 10, 0) > working_days_before(saturday_noon, 5)
