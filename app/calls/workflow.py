"""The state machines of calls for expression of interest and their candidacies (issue 15). No Flask import.

- A call: draft → published (its window decides when candidacies are accepted) → results published (the list of
  selected administrations becomes public). An administrator may send a published call back to draft while no
  candidacy has been submitted.
- A candidacy: draft → submitted → admissible | inadmissible (with a reason) → selected | waiting list | not
  selected; waiting list → selected (by the staff, or automatically when a selected one withdraws) | not selected;
  draft, submitted, admissible, selected, waiting list → withdrawn (by the organisation).

Quotas: each eligible organisation kind has a number of seats; a candidacy is selected only while its kind has a
free seat. `promotion_after_withdrawal` names who takes a freed seat.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


def N_(message: str) -> str:
    """Marks a message for translation; the web layer translates it when it shows it."""
    return message


class CallWorkflowError(Exception):
    """A move the rules refuse; the message (an Italian msgid) says why."""


# ---- the call ------------------------------------------------------------------------------------------------

class CallPhase(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RESULTS = "results"  # results published: the selected administrations are listed on the call page


class CallAction(StrEnum):
    PUBLISH = "publish"  # draft → published
    PUBLISH_RESULTS = "publish_results"  # published → results
    BACK_TO_DRAFT = "back_to_draft"  # published → draft (administrators only, nothing submitted yet)


class CallRole(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"  # the programme's staff


CALL_TRANSITIONS: dict[tuple[CallPhase, CallAction], tuple[CallPhase, frozenset[CallRole]]] = {
    (CallPhase.DRAFT, CallAction.PUBLISH): (CallPhase.PUBLISHED, frozenset({CallRole.ADMIN, CallRole.STAFF})),
    (CallPhase.PUBLISHED, CallAction.PUBLISH_RESULTS): (CallPhase.RESULTS,
                                                        frozenset({CallRole.ADMIN, CallRole.STAFF})),
    (CallPhase.PUBLISHED, CallAction.BACK_TO_DRAFT): (CallPhase.DRAFT, frozenset({CallRole.ADMIN})),
}

CALL_REFUSED = {
    CallAction.PUBLISH: N_("Si pubblica solo un avviso in bozza."),
    CallAction.PUBLISH_RESULTS: N_("Gli esiti si pubblicano per un avviso pubblicato, una volta sola."),
    CallAction.BACK_TO_DRAFT: N_("Torna in bozza solo un avviso pubblicato."),
}
CALL_DENIED = N_("Gestisce l'avviso lo staff del programma, o chi amministra la piattaforma.")
NO_QUOTAS = N_("Indicate almeno un tipo di ente ammesso, con il numero di posti.")
NO_WINDOW = N_("Indicate quando si aprono e quando si chiudono le candidature.")
WINDOW_NOT_CLOSED = N_("Gli esiti si pubblicano dopo la chiusura delle candidature.")
PENDING_CANDIDACIES = N_("Restano candidature da esaminare: decidete su ognuna prima di pubblicare gli esiti.")
HAS_SUBMISSIONS = N_("L'avviso ha già candidature inviate: non può tornare in bozza.")


@dataclass(frozen=True)
class CallFacts:
    """What the rules of a call's step look at (read by the service under a lock)."""

    has_quotas: bool
    has_window: bool
    window_closed: bool
    undecided_candidacies: int  # submitted or admissible
    submitted_candidacies: int  # ever submitted (not drafts)


def call_transition(phase: str, action: str, roles: set, facts: CallFacts) -> CallPhase:
    """The phase after `action`, or CallWorkflowError with the reason."""
    try:
        phase, action = CallPhase(phase), CallAction(action)
    except ValueError:
        raise CallWorkflowError(N_("Operazione non riconosciuta.")) from None
    rule = CALL_TRANSITIONS.get((phase, action))
    if rule is None:
        raise CallWorkflowError(CALL_REFUSED[action])
    target, allowed = rule
    if not (set(roles) & allowed):
        raise CallWorkflowError(CALL_DENIED)
    if action == CallAction.PUBLISH:
        if not facts.has_quotas:
            raise CallWorkflowError(NO_QUOTAS)
        if not facts.has_window:
            raise CallWorkflowError(NO_WINDOW)
    if action == CallAction.PUBLISH_RESULTS:
        if not facts.window_closed:
            raise CallWorkflowError(WINDOW_NOT_CLOSED)
        if facts.undecided_candidacies:
            raise CallWorkflowError(PENDING_CANDIDACIES)
    if action == CallAction.BACK_TO_DRAFT and facts.submitted_candidacies:
        raise CallWorkflowError(HAS_SUBMISSIONS)
    return target


def window_state(opens_at: datetime | None, closes_at: datetime | None, now: datetime) -> str:
    """"not_set", "upcoming", "open" or "closed" (naive UTC datetimes)."""
    if opens_at is None or closes_at is None:
        return "not_set"
    if now < opens_at:
        return "upcoming"
    return "open" if now <= closes_at else "closed"


# ---- the candidacy -------------------------------------------------------------------------------------------

class CandidacyStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ADMISSIBLE = "admissible"
    INADMISSIBLE = "inadmissible"
    SELECTED = "selected"
    WAITING = "waiting"  # on the waiting list
    NOT_SELECTED = "not_selected"
    WITHDRAWN = "withdrawn"


class CandidacyAction(StrEnum):
    SUBMIT = "submit"
    ADMIT = "admit"
    REJECT = "reject"  # inadmissible, with a reason
    SELECT = "select"
    WAIT_LIST = "wait_list"
    NOT_SELECT = "not_select"
    WITHDRAW = "withdraw"
    PROMOTE = "promote"  # waiting → selected, automatically when a seat frees


class CandidacyRole(StrEnum):
    CANDIDATE = "candidate"  # a referent of the candidate organisation
    STAFF = "staff"  # the programme's staff or an administrator
    SYSTEM = "system"  # automatic promotion


S, A = CandidacyStatus, CandidacyAction
_CANDIDATE = frozenset({CandidacyRole.CANDIDATE})
_STAFF = frozenset({CandidacyRole.STAFF})
_SYSTEM = frozenset({CandidacyRole.SYSTEM, CandidacyRole.STAFF})

CANDIDACY_TRANSITIONS: dict[tuple[CandidacyStatus, CandidacyAction], tuple[CandidacyStatus, frozenset]] = {
    (S.DRAFT, A.SUBMIT): (S.SUBMITTED, _CANDIDATE),
    (S.SUBMITTED, A.ADMIT): (S.ADMISSIBLE, _STAFF),
    (S.SUBMITTED, A.REJECT): (S.INADMISSIBLE, _STAFF),
    (S.ADMISSIBLE, A.SELECT): (S.SELECTED, _STAFF),
    (S.ADMISSIBLE, A.WAIT_LIST): (S.WAITING, _STAFF),
    (S.ADMISSIBLE, A.NOT_SELECT): (S.NOT_SELECTED, _STAFF),
    (S.WAITING, A.SELECT): (S.SELECTED, _STAFF),
    (S.WAITING, A.PROMOTE): (S.SELECTED, _SYSTEM),
    (S.WAITING, A.NOT_SELECT): (S.NOT_SELECTED, _STAFF),
    (S.DRAFT, A.WITHDRAW): (S.WITHDRAWN, _CANDIDATE),
    (S.SUBMITTED, A.WITHDRAW): (S.WITHDRAWN, _CANDIDATE),
    (S.ADMISSIBLE, A.WITHDRAW): (S.WITHDRAWN, _CANDIDATE),
    (S.SELECTED, A.WITHDRAW): (S.WITHDRAWN, _CANDIDATE),
    (S.WAITING, A.WITHDRAW): (S.WITHDRAWN, _CANDIDATE),
}
del S, A

CANDIDACY_REFUSED = {
    CandidacyAction.SUBMIT: N_("Questa candidatura è già stata inviata."),
    CandidacyAction.ADMIT: N_("Si dichiara ammissibile solo una candidatura inviata e non ancora esaminata."),
    CandidacyAction.REJECT: N_("Si dichiara inammissibile solo una candidatura inviata e non ancora esaminata."),
    CandidacyAction.SELECT: N_("Si seleziona una candidatura ammissibile o in lista d'attesa."),
    CandidacyAction.WAIT_LIST: N_("In lista d'attesa va solo una candidatura ammissibile."),
    CandidacyAction.NOT_SELECT: N_("Non si seleziona una candidatura ammissibile o in lista d'attesa."),
    CandidacyAction.WITHDRAW: N_("Questa candidatura non si può più ritirare."),
    CandidacyAction.PROMOTE: N_("Sale dalla lista d'attesa solo una candidatura che vi si trova."),
}
CANDIDACY_DENIED = {
    CandidacyRole.CANDIDATE: N_("Invia o ritira la candidatura chi è referente dell'ente candidato."),
    CandidacyRole.STAFF: N_("Esamina le candidature lo staff del programma."),
}
REASON_REQUIRED = N_("Scrivete il motivo dell'inammissibilità: l'ente lo leggerà.")
QUOTA_FULL = N_("I posti per questo tipo di ente sono esauriti: mettete la candidatura in lista d'attesa o "
                "liberate un posto.")
WINDOW_CLOSED = N_("Le candidature per questo avviso sono chiuse.")
WINDOW_NOT_OPEN = N_("Le candidature per questo avviso non sono ancora aperte.")
CALL_NOT_PUBLISHED = N_("Questo avviso non è pubblicato.")
RESULTS_FINAL = N_("Gli esiti dell'avviso sono pubblicati: la selezione non si può più cambiare.")
NOT_ELIGIBLE = N_("Il vostro tipo di ente non è tra quelli ammessi da questo avviso.")

UNDECIDED = frozenset({CandidacyStatus.SUBMITTED, CandidacyStatus.ADMISSIBLE})
# Statuses in which the organisation still counts as a candidate (one candidacy per organisation and call).
ACTIVE = frozenset({CandidacyStatus.DRAFT, CandidacyStatus.SUBMITTED, CandidacyStatus.ADMISSIBLE,
                    CandidacyStatus.SELECTED, CandidacyStatus.WAITING})


@dataclass(frozen=True)
class CandidacyFacts:
    """What the rules of a candidacy's step look at (read by the service under a lock on the call)."""

    call_phase: str
    window: str  # window_state(...)
    eligible: bool  # the organisation's kind has a quota in the call
    seats_free: int  # free seats for the organisation's kind (quota minus selected)
    reason: str = ""  # for REJECT


def candidacy_transition(status: str, action: str, role: str, facts: CandidacyFacts) -> CandidacyStatus:
    """The status after `action` by `role`, or CallWorkflowError with the reason."""
    try:
        status, action, role = CandidacyStatus(status), CandidacyAction(action), CandidacyRole(role)
    except ValueError:
        raise CallWorkflowError(N_("Operazione non riconosciuta.")) from None
    rule = CANDIDACY_TRANSITIONS.get((status, action))
    if rule is None:
        raise CallWorkflowError(CANDIDACY_REFUSED[action])
    target, allowed = rule
    if role not in allowed:
        raise CallWorkflowError(CANDIDACY_DENIED.get(role, CANDIDACY_DENIED[CandidacyRole.STAFF]))
    if facts.call_phase == CallPhase.DRAFT:
        raise CallWorkflowError(CALL_NOT_PUBLISHED)
    # Once the results are out the staff decide nothing more; a withdrawal, and the promotion of the
    # longest-waiting candidacy into the seat it frees, still happen (the waiting list stays in force).
    if facts.call_phase == CallPhase.RESULTS and action not in (CandidacyAction.WITHDRAW, CandidacyAction.PROMOTE):
        raise CallWorkflowError(RESULTS_FINAL)
    if action == CandidacyAction.SUBMIT:
        if facts.window == "upcoming":
            raise CallWorkflowError(WINDOW_NOT_OPEN)
        if facts.window != "open":
            raise CallWorkflowError(WINDOW_CLOSED)
        if not facts.eligible:
            raise CallWorkflowError(NOT_ELIGIBLE)
    if action == CandidacyAction.REJECT and not facts.reason.strip():
        raise CallWorkflowError(REASON_REQUIRED)
    if target == CandidacyStatus.SELECTED and facts.seats_free <= 0:
        raise CallWorkflowError(QUOTA_FULL)
    return target


def promotion_after_withdrawal(withdrawn_status: str, waiting: list[tuple[int, datetime]]) -> int | None:
    """The candidacy that takes the seat a withdrawal freed: the longest-waiting of the same organisation kind
    (`waiting`: (candidacy id, on the list since) of that kind), or None when no seat was freed or nobody waits."""
    if withdrawn_status != CandidacyStatus.SELECTED or not waiting:
        return None
    return min(waiting, key=lambda item: (item[1], item[0]))[0]
