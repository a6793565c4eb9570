"""Adoptions and support requests as transition tables (DESIGN.md §4). No Flask import.

Adoption: interested → in progress → completed | abandoned (abandoned from either open state). The reuser's people
move it; the donor team only *confirms* it, once it is under way, which is what makes it a verified reuse.

Support request: open → accepted → resolved → closed; open | accepted → declined (with a reason). The requester closes
a resolved request (or an administrator does); a closed request can be reopened once, within a configurable number of
days, and goes back to accepted: the donor team already took it on.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


def N_(message: str) -> str:
    """Marks a message for translation; the web layer translates it when it shows it."""
    return message


class ReuseWorkflowError(Exception):
    """A transition the rules refuse; the message (an Italian msgid) says why."""


class Role(StrEnum):
    REUSER = "reuser"  # a person of the adopting (or requesting) organisation
    DONOR = "donor"  # a person of the practice's donor or co-donor organisations
    ADMIN = "admin"


@dataclass(frozen=True)
class Rule:
    to: str
    roles: frozenset[Role]


def _rule(table: dict, refused: dict, status, action, roles: set[Role], denied: str) -> Rule:
    """The rule for (status, action) if `roles` may use it, else ReuseWorkflowError with the reason."""
    rule = table.get((status, action))
    if rule is None:
        raise ReuseWorkflowError(refused[action])
    if not roles & rule.roles:
        raise ReuseWorkflowError(denied)
    return rule


# ---- adoptions ---------------------------------------------------------------------------------------------------

class AdoptionStatus(StrEnum):
    INTERESTED = "interested"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


class AdoptionAction(StrEnum):
    START = "start"
    COMPLETE = "complete"
    ABANDON = "abandon"


_REUSER = frozenset({Role.REUSER, Role.ADMIN})
ADOPTION_TRANSITIONS: dict[tuple[AdoptionStatus, AdoptionAction], Rule] = {
    (AdoptionStatus.INTERESTED, AdoptionAction.START): Rule(AdoptionStatus.IN_PROGRESS, _REUSER),
    (AdoptionStatus.IN_PROGRESS, AdoptionAction.COMPLETE): Rule(AdoptionStatus.COMPLETED, _REUSER),
    (AdoptionStatus.INTERESTED, AdoptionAction.ABANDON): Rule(AdoptionStatus.ABANDONED, _REUSER),
    (AdoptionStatus.IN_PROGRESS, AdoptionAction.ABANDON): Rule(AdoptionStatus.ABANDONED, _REUSER),
}

_ADOPTION_REFUSED = {
    AdoptionAction.START: N_("Si può avviare solo un riuso ancora in fase di interesse."),
    AdoptionAction.COMPLETE: N_("Si può completare solo un riuso in corso."),
    AdoptionAction.ABANDON: N_("Un riuso completato o già abbandonato non si può abbandonare."),
}
ACTIVE_ADOPTION = frozenset({AdoptionStatus.INTERESTED, AdoptionStatus.IN_PROGRESS})


def adoption_transition(status: str, action: AdoptionAction, roles: set[Role]) -> AdoptionStatus:
    """The adoption's status after `action` by someone holding `roles`, or ReuseWorkflowError."""
    rule = _rule(ADOPTION_TRANSITIONS, _ADOPTION_REFUSED, AdoptionStatus(status), AdoptionAction(action), roles,
                 N_("Solo le persone dell'ente che riusa possono aggiornare questo riuso."))
    return AdoptionStatus(rule.to)


def check_confirmation(status: str, roles: set[Role], confirmed: bool) -> None:
    """The donor team confirms an adoption under way or completed, once; suppliers and reusers never do."""
    if not roles & {Role.DONOR, Role.ADMIN}:
        raise ReuseWorkflowError(N_("Solo l'ente cedente può confermare un riuso."))
    if confirmed:
        raise ReuseWorkflowError(N_("Questo riuso è già confermato."))
    if AdoptionStatus(status) not in (AdoptionStatus.IN_PROGRESS, AdoptionStatus.COMPLETED):
        raise ReuseWorkflowError(N_("Si conferma un riuso avviato o completato, non un semplice interesse né un "
                                    "riuso abbandonato."))


# ---- support requests ------------------------------------------------------------------------------------------

class RequestStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    RESOLVED = "resolved"
    CLOSED = "closed"
    DECLINED = "declined"


class RequestAction(StrEnum):
    ACCEPT = "accept"
    RESOLVE = "resolve"
    CLOSE = "close"
    DECLINE = "decline"
    REOPEN = "reopen"


_DONOR = frozenset({Role.DONOR, Role.ADMIN})
REQUEST_TRANSITIONS: dict[tuple[RequestStatus, RequestAction], Rule] = {
    (RequestStatus.OPEN, RequestAction.ACCEPT): Rule(RequestStatus.ACCEPTED, _DONOR),
    (RequestStatus.ACCEPTED, RequestAction.RESOLVE): Rule(RequestStatus.RESOLVED, _DONOR),
    (RequestStatus.RESOLVED, RequestAction.CLOSE): Rule(RequestStatus.CLOSED, _REUSER),
    (RequestStatus.OPEN, RequestAction.DECLINE): Rule(RequestStatus.DECLINED, _DONOR),
    (RequestStatus.ACCEPTED, RequestAction.DECLINE): Rule(RequestStatus.DECLINED, _DONOR),
    (RequestStatus.CLOSED, RequestAction.REOPEN): Rule(RequestStatus.ACCEPTED, _REUSER),
}

_REQUEST_REFUSED = {
    RequestAction.ACCEPT: N_("Si può accettare solo una richiesta aperta."),
    RequestAction.RESOLVE: N_("Si può risolvere solo una richiesta accettata."),
    RequestAction.CLOSE: N_("Si può chiudere solo una richiesta risolta."),
    RequestAction.DECLINE: N_("Si può declinare solo una richiesta aperta o accettata."),
    RequestAction.REOPEN: N_("Si può riaprire solo una richiesta chiusa."),
}


def allowed_roles(action: RequestAction) -> set[Role]:
    """The roles that may take `action` from some status (a reader holding none of them is refused outright)."""
    return {role for (_status, each), rule in REQUEST_TRANSITIONS.items() if each == action for role in rule.roles}


def request_transition(status: str, action: RequestAction, roles: set[Role], *, reason: str = "",
                       closed_at: datetime | None = None, reopened_before: bool = False,
                       now: datetime | None = None, reopen_days: int = 30) -> RequestStatus:
    """The request's status after `action` by someone holding `roles`, or ReuseWorkflowError."""
    action = RequestAction(action)
    rule = _rule(REQUEST_TRANSITIONS, _REQUEST_REFUSED, RequestStatus(status), action, roles,
                 N_("Non hai i permessi per questa operazione sulla richiesta."))
    if action == RequestAction.DECLINE and not reason.strip():
        raise ReuseWorkflowError(N_("Scrivi il motivo: chi ha chiesto aiuto deve sapere perché la richiesta è "
                                    "declinata."))
    if action == RequestAction.REOPEN:
        if reopened_before:
            raise ReuseWorkflowError(N_("Questa richiesta è già stata riaperta una volta: aprine una nuova."))
        if closed_at is None or now is None or now - closed_at > timedelta(days=reopen_days):
            raise ReuseWorkflowError(N_("Il tempo per riaprire la richiesta è scaduto: aprine una nuova."))
    return RequestStatus(rule.to)
