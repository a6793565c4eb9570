"""The membership transition table on its own: every allowed and refused move, and the last-facilitator rule."""
from __future__ import annotations

import itertools

import pytest

from app.communities.workflow import (TRANSITIONS, Action, Actor, Role, Situation, Status, Visibility, WorkflowError,
                                      transition)


def situation(status=Status.NONE, role=Role.MEMBER, visibility=Visibility.OPEN, actor=Actor.SELF, facilitators=2):
    return Situation(status=status, role=role, visibility=visibility, actor=actor, active_facilitators=facilitators)


OPEN, MODERATED, ANY = [Visibility.OPEN], [Visibility.MODERATED], list(Visibility)
# (status, action, visibilities where allowed, actor) → status after
RULES = [
    (Status.NONE, Action.JOIN, OPEN, Actor.SELF, Status.ACTIVE),
    (Status.LEFT, Action.JOIN, OPEN, Actor.SELF, Status.ACTIVE),
    (Status.REJECTED, Action.JOIN, OPEN, Actor.SELF, Status.ACTIVE),
    (Status.NONE, Action.REQUEST, MODERATED, Actor.SELF, Status.PENDING),
    (Status.LEFT, Action.REQUEST, MODERATED, Actor.SELF, Status.PENDING),
    (Status.REJECTED, Action.REQUEST, MODERATED, Actor.SELF, Status.PENDING),
    (Status.REMOVED, Action.REQUEST, OPEN + MODERATED, Actor.SELF, Status.PENDING),
    (Status.PENDING, Action.WITHDRAW, ANY, Actor.SELF, Status.LEFT),
    (Status.PENDING, Action.APPROVE, ANY, Actor.MANAGER, Status.ACTIVE),
    (Status.PENDING, Action.REJECT, ANY, Actor.MANAGER, Status.REJECTED),
    (Status.ACTIVE, Action.LEAVE, ANY, Actor.SELF, Status.LEFT),
    (Status.ACTIVE, Action.REMOVE, ANY, Actor.MANAGER, Status.REMOVED),
    (Status.ACTIVE, Action.PROMOTE, ANY, Actor.MANAGER, Status.ACTIVE),
    *[(status, Action.ACCEPT_INVITATION, ANY, Actor.SELF, Status.ACTIVE)
      for status in (Status.NONE, Status.PENDING, Status.REJECTED, Status.LEFT, Status.REMOVED)],
]
ALLOWED = [(status, action, visibility, actor, to) for status, action, visibilities, actor, to in RULES
           for visibility in visibilities]


@pytest.mark.parametrize("status,action,visibility,actor,expected", ALLOWED)
def test_allowed_transitions(status, action, visibility, actor, expected):
    outcome = transition(situation(status, visibility=visibility, actor=actor), action)
    assert outcome.status == expected
    assert outcome.role == (Role.FACILITATOR if action == Action.PROMOTE else Role.MEMBER)


ALLOWED_KEYS = {(s, a, v, who) for s, a, v, who, _ in ALLOWED}


def test_demote_is_allowed_for_a_facilitator_when_another_remains():
    outcome = transition(situation(Status.ACTIVE, Role.FACILITATOR, actor=Actor.MANAGER, facilitators=2), Action.DEMOTE)
    assert outcome == type(outcome)(Status.ACTIVE, Role.MEMBER)


@pytest.mark.parametrize("status,action,visibility,actor", [
    combo for combo in itertools.product(Status, Action, Visibility, Actor)
    if combo not in ALLOWED_KEYS and combo[1] != Action.DEMOTE
])
def test_every_other_transition_is_refused_with_a_message(status, action, visibility, actor):
    with pytest.raises(WorkflowError) as refused:
        transition(situation(status, visibility=visibility, actor=actor), action)
    assert str(refused.value)  # a sentence for the person, never an empty error


def test_the_table_lists_only_what_the_tests_allow():
    listed = {(status, action) for status, action in TRANSITIONS}
    tested = {(s, a) for s, a, *_ in ALLOWED} | {(Status.ACTIVE, Action.DEMOTE)}
    assert listed == tested


def test_private_community_is_by_invitation_only():
    with pytest.raises(WorkflowError, match="solo su invito"):
        transition(situation(visibility=Visibility.PRIVATE), Action.JOIN)
    with pytest.raises(WorkflowError, match="solo su invito"):
        transition(situation(visibility=Visibility.PRIVATE), Action.REQUEST)


def test_moderated_community_explains_that_joining_needs_approval():
    with pytest.raises(WorkflowError, match="approvata da un animatore"):
        transition(situation(visibility=Visibility.MODERATED), Action.JOIN)


@pytest.mark.parametrize("action,actor", [(Action.LEAVE, Actor.SELF), (Action.REMOVE, Actor.MANAGER),
                                          (Action.DEMOTE, Actor.MANAGER)])
def test_the_last_facilitator_cannot_go(action, actor):
    with pytest.raises(WorkflowError, match="almeno un animatore"):
        transition(situation(Status.ACTIVE, Role.FACILITATOR, actor=actor, facilitators=1), action)
    outcome = transition(situation(Status.ACTIVE, Role.FACILITATOR, actor=actor, facilitators=2), action)
    assert outcome.role == Role.MEMBER


def test_promoting_a_facilitator_or_demoting_a_member_is_refused():
    with pytest.raises(WorkflowError, match="anima già"):
        transition(situation(Status.ACTIVE, Role.FACILITATOR, actor=Actor.MANAGER), Action.PROMOTE)
    with pytest.raises(WorkflowError, match="non anima la comunità"):
        transition(situation(Status.ACTIVE, Role.MEMBER, actor=Actor.MANAGER), Action.DEMOTE)


def test_nobody_acts_for_someone_else_nor_approves_themself():
    with pytest.raises(WorkflowError, match="per conto di un'altra persona"):
        transition(situation(Status.NONE, actor=Actor.MANAGER), Action.JOIN)
    with pytest.raises(WorkflowError, match="Solo un animatore"):
        transition(situation(Status.PENDING, visibility=Visibility.MODERATED, actor=Actor.SELF), Action.APPROVE)


def test_a_removed_facilitator_comes_back_as_a_member():
    outcome = transition(situation(Status.REMOVED, Role.FACILITATOR, visibility=Visibility.PRIVATE),
                         Action.ACCEPT_INVITATION)
    assert outcome.role == Role.MEMBER


def test_workflow_module_has_no_flask_import():
    import app.communities.workflow as workflow

    source = open(workflow.__file__).read()
    assert "flask" not in source.lower().replace("no flask import", "")
