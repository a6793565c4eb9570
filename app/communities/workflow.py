"""Membership of a community as a transition table (DESIGN.md §4). No Flask import: unit-tested on its own.

open community → active at once; moderated → pending → active | rejected; active → left | removed;
private → by invitation only. Facilitator is a role of an active membership; a community keeps at least one.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Visibility(StrEnum):
    OPEN = "open"
    MODERATED = "moderated"
    PRIVATE = "private"


class Status(StrEnum):
    NONE = "none"  # no membership row yet
    PENDING = "pending"
    ACTIVE = "active"
    REJECTED = "rejected"
    LEFT = "left"
    REMOVED = "removed"


class Role(StrEnum):
    MEMBER = "member"
    FACILITATOR = "facilitator"


class Action(StrEnum):
    JOIN = "join"  # open community: active at once
    REQUEST = "request"  # moderated community (or after a removal): wait for a facilitator
    WITHDRAW = "withdraw"  # the requester takes the request back
    APPROVE = "approve"
    REJECT = "reject"
    LEAVE = "leave"
    REMOVE = "remove"
    ACCEPT_INVITATION = "accept_invitation"
    PROMOTE = "promote"  # member → facilitator
    DEMOTE = "demote"  # facilitator → member


class Actor(StrEnum):
    SELF = "self"  # the person whose membership it is
    MANAGER = "manager"  # a facilitator of the community or a platform administrator


def N_(message: str) -> str:
    """Marks a message for translation; the web layer translates it when it shows it."""
    return message


class WorkflowError(Exception):
    """A transition the rules refuse; the message (an Italian msgid) explains why, for the person."""


@dataclass(frozen=True)
class Rule:
    actor: Actor
    to: Status
    visibilities: frozenset[Visibility] = frozenset(Visibility)


_ANY = frozenset(Visibility)
_OPEN = frozenset({Visibility.OPEN})
_MODERATED = frozenset({Visibility.MODERATED})
_OPEN_OR_MODERATED = frozenset({Visibility.OPEN, Visibility.MODERATED})

# (current status, action) → rule. Anything not listed is refused.
TRANSITIONS: dict[tuple[Status, Action], Rule] = {
    (Status.NONE, Action.JOIN): Rule(Actor.SELF, Status.ACTIVE, _OPEN),
    (Status.LEFT, Action.JOIN): Rule(Actor.SELF, Status.ACTIVE, _OPEN),
    (Status.REJECTED, Action.JOIN): Rule(Actor.SELF, Status.ACTIVE, _OPEN),
    (Status.NONE, Action.REQUEST): Rule(Actor.SELF, Status.PENDING, _MODERATED),
    (Status.LEFT, Action.REQUEST): Rule(Actor.SELF, Status.PENDING, _MODERATED),
    (Status.REJECTED, Action.REQUEST): Rule(Actor.SELF, Status.PENDING, _MODERATED),
    # Someone a facilitator removed does not walk back in alone, even into an open community.
    (Status.REMOVED, Action.REQUEST): Rule(Actor.SELF, Status.PENDING, _OPEN_OR_MODERATED),
    (Status.PENDING, Action.WITHDRAW): Rule(Actor.SELF, Status.LEFT, _ANY),
    (Status.PENDING, Action.APPROVE): Rule(Actor.MANAGER, Status.ACTIVE, _ANY),
    (Status.PENDING, Action.REJECT): Rule(Actor.MANAGER, Status.REJECTED, _ANY),
    (Status.ACTIVE, Action.LEAVE): Rule(Actor.SELF, Status.LEFT, _ANY),
    (Status.ACTIVE, Action.REMOVE): Rule(Actor.MANAGER, Status.REMOVED, _ANY),
    (Status.ACTIVE, Action.PROMOTE): Rule(Actor.MANAGER, Status.ACTIVE, _ANY),
    (Status.ACTIVE, Action.DEMOTE): Rule(Actor.MANAGER, Status.ACTIVE, _ANY),
    **{(status, Action.ACCEPT_INVITATION): Rule(Actor.SELF, Status.ACTIVE, _ANY)
       for status in (Status.NONE, Status.PENDING, Status.REJECTED, Status.LEFT, Status.REMOVED)},
}

_REFUSALS = {
    Action.JOIN: N_("Non puoi iscriverti direttamente a questa comunità."),
    Action.REQUEST: N_("Non puoi chiedere l'iscrizione a questa comunità."),
    Action.WITHDRAW: N_("Non c'è una richiesta in attesa da ritirare."),
    Action.APPROVE: N_("Questa richiesta è già stata gestita."),
    Action.REJECT: N_("Questa richiesta è già stata gestita."),
    Action.LEAVE: N_("Non fai parte di questa comunità."),
    Action.REMOVE: N_("Questa persona non è iscritta alla comunità."),
    Action.ACCEPT_INVITATION: N_("Fai già parte di questa comunità."),
    Action.PROMOTE: N_("Solo chi fa parte della comunità può animarla."),
    Action.DEMOTE: N_("Solo chi fa parte della comunità può smettere di animarla."),
}


@dataclass(frozen=True)
class Situation:
    """What the rules need to know about one membership and who acts on it."""

    status: Status
    role: Role
    visibility: Visibility
    actor: Actor
    active_facilitators: int  # in the community, this membership included if it is one


@dataclass(frozen=True)
class Outcome:
    status: Status
    role: Role


def transition(situation: Situation, action: Action) -> Outcome:
    """The membership after `action`, or WorkflowError when the rules refuse it."""
    rule = TRANSITIONS.get((situation.status, action))
    if rule is None:
        raise WorkflowError(_REFUSALS[action])
    if situation.visibility not in rule.visibilities:
        if situation.visibility == Visibility.PRIVATE:
            raise WorkflowError(N_("Questa comunità è riservata: si entra solo su invito."))
        if action == Action.JOIN:
            raise WorkflowError(N_("In questa comunità l'iscrizione va richiesta e approvata da un animatore."))
        raise WorkflowError(_REFUSALS[action])
    if rule.actor != situation.actor:
        raise WorkflowError(N_("Non puoi fare questa operazione per conto di un'altra persona.")
                            if rule.actor == Actor.SELF else N_("Solo un animatore della comunità può farlo."))
    is_facilitator = situation.status == Status.ACTIVE and situation.role == Role.FACILITATOR
    if action == Action.PROMOTE and is_facilitator:
        raise WorkflowError(N_("Questa persona anima già la comunità."))
    if action == Action.DEMOTE and not is_facilitator:
        raise WorkflowError(N_("Questa persona non anima la comunità."))
    if is_facilitator and action in (Action.LEAVE, Action.REMOVE, Action.DEMOTE) and situation.active_facilitators <= 1:
        raise WorkflowError(N_("La comunità deve avere almeno un animatore: nominane prima un altro."))
    role = situation.role
    if action == Action.PROMOTE:
        role = Role.FACILITATOR
    elif action in (Action.DEMOTE, Action.LEAVE, Action.REMOVE) or rule.to != Status.ACTIVE:
        role = Role.MEMBER
    elif situation.status != Status.ACTIVE:
        role = Role.MEMBER  # whoever (re)enters comes in as a member
    return Outcome(rule.to, role)
