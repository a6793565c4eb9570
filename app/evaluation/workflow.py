"""The evaluation's state machines as transition tables (issue 13). No Flask import.

- A call: draft → open (candidacies) → closed → review → consensus → decided (decisions published). The chair (or an
  administrator) moves it one step at a time; an administrator may also send an open call back to draft while it
  has no submitted candidacy.
- A candidacy: draft → submitted → withdrawn (until review starts) → draft again while the call is open;
  submitted → under_review (when the call enters review) → decided (when the decisions are published).
- An assignment: assigned → submitted (the review is in) | declined (with a reason) | conflict (a conflict found
  after assigning: the assignment ends, someone else is assigned).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


def N_(message: str) -> str:
    """Marks a message for translation; the web layer translates it when it shows it."""
    return message


class EvaluationWorkflowError(Exception):
    """A move the rules refuse; the message (an Italian msgid) says why."""


# ---- the call ----------------------------------------------------------------------------------------------------

class CallPhase(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    REVIEW = "review"
    CONSENSUS = "consensus"
    DECIDED = "decided"


PHASE_ORDER = list(CallPhase)


class CallAction(StrEnum):
    OPEN = "open"  # draft → open
    CLOSE = "close"  # open → closed
    START_REVIEW = "start_review"  # closed → review
    START_CONSENSUS = "start_consensus"  # review → consensus
    PUBLISH_DECISIONS = "publish_decisions"  # consensus → decided
    BACK_TO_DRAFT = "back_to_draft"  # open → draft (administrators, no submitted candidacy)


class CallRole(StrEnum):
    ADMIN = "admin"
    CHAIR = "chair"


CALL_TRANSITIONS: dict[tuple[CallPhase, CallAction], tuple[CallPhase, frozenset[CallRole]]] = {
    (CallPhase.DRAFT, CallAction.OPEN): (CallPhase.OPEN, frozenset({CallRole.ADMIN, CallRole.CHAIR})),
    (CallPhase.OPEN, CallAction.CLOSE): (CallPhase.CLOSED, frozenset({CallRole.ADMIN, CallRole.CHAIR})),
    (CallPhase.CLOSED, CallAction.START_REVIEW): (CallPhase.REVIEW, frozenset({CallRole.ADMIN, CallRole.CHAIR})),
    (CallPhase.REVIEW, CallAction.START_CONSENSUS): (CallPhase.CONSENSUS,
                                                     frozenset({CallRole.ADMIN, CallRole.CHAIR})),
    (CallPhase.CONSENSUS, CallAction.PUBLISH_DECISIONS): (CallPhase.DECIDED,
                                                          frozenset({CallRole.ADMIN, CallRole.CHAIR})),
    (CallPhase.OPEN, CallAction.BACK_TO_DRAFT): (CallPhase.DRAFT, frozenset({CallRole.ADMIN})),
}

CALL_REFUSED = {
    CallAction.OPEN: N_("Si apre alle candidature solo un avviso in bozza."),
    CallAction.CLOSE: N_("Si chiudono le candidature solo di un avviso aperto."),
    CallAction.START_REVIEW: N_("La valutazione comincia dopo la chiusura delle candidature."),
    CallAction.START_CONSENSUS: N_("La fase di consenso segue la valutazione individuale."),
    CallAction.PUBLISH_DECISIONS: N_("Gli esiti si pubblicano alla fine della fase di consenso."),
    CallAction.BACK_TO_DRAFT: N_("Torna in bozza solo un avviso aperto."),
}

CALL_DENIED = N_("Fa avanzare l'avviso chi presiede la commissione, o chi amministra la piattaforma.")


@dataclass(frozen=True)
class CallFacts:
    """What the rules of a call's step look at, read by the service under a lock."""

    has_criteria: bool = True
    weights_positive: bool = True
    has_closing_date: bool = True
    submitted_candidacies: int = 0
    missing_decisions: int = 0  # submitted candidacies without a decision, at publication


def call_transition(phase: str, action: CallAction | str, roles: set[CallRole], facts: CallFacts) -> CallPhase:
    """The call's phase after `action` by someone holding `roles`, or EvaluationWorkflowError with the reason."""
    action = CallAction(action)
    found = CALL_TRANSITIONS.get((CallPhase(phase), action))
    if found is None:
        raise EvaluationWorkflowError(CALL_REFUSED[action])
    to, allowed = found
    if not set(roles) & allowed:
        if action == CallAction.BACK_TO_DRAFT:
            raise EvaluationWorkflowError(N_("Riporta un avviso in bozza solo chi amministra la piattaforma."))
        raise EvaluationWorkflowError(CALL_DENIED)
    if action == CallAction.OPEN:
        if not facts.has_criteria:
            raise EvaluationWorkflowError(N_("L'avviso ha bisogno di almeno un criterio di valutazione."))
        if not facts.weights_positive:
            raise EvaluationWorkflowError(N_("La somma dei pesi dei criteri deve essere maggiore di zero."))
        if not facts.has_closing_date:
            raise EvaluationWorkflowError(N_("Indicate la data di chiusura delle candidature."))
    if action == CallAction.BACK_TO_DRAFT and facts.submitted_candidacies:
        raise EvaluationWorkflowError(N_("L'avviso ha già candidature inviate: non può tornare in bozza."))
    if action == CallAction.PUBLISH_DECISIONS and facts.missing_decisions:
        raise EvaluationWorkflowError(N_("Prima di pubblicare gli esiti, registrate un esito per ogni candidatura."))
    return to


# ---- the candidacy -----------------------------------------------------------------------------------------------

class CandidacyStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    UNDER_REVIEW = "under_review"
    DECIDED = "decided"


class CandidacyAction(StrEnum):
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    REDRAFT = "redraft"  # a withdrawn candidacy back to draft, while the call is open
    START_REVIEW = "start_review"  # the call entered review
    DECIDE = "decide"  # the call's decisions were published


CANDIDACY_TRANSITIONS: dict[tuple[CandidacyStatus, CandidacyAction], CandidacyStatus] = {
    (CandidacyStatus.DRAFT, CandidacyAction.SUBMIT): CandidacyStatus.SUBMITTED,
    (CandidacyStatus.SUBMITTED, CandidacyAction.WITHDRAW): CandidacyStatus.WITHDRAWN,
    (CandidacyStatus.WITHDRAWN, CandidacyAction.REDRAFT): CandidacyStatus.DRAFT,
    (CandidacyStatus.SUBMITTED, CandidacyAction.START_REVIEW): CandidacyStatus.UNDER_REVIEW,
    (CandidacyStatus.UNDER_REVIEW, CandidacyAction.DECIDE): CandidacyStatus.DECIDED,
}

CANDIDACY_REFUSED = {
    CandidacyAction.SUBMIT: N_("Questa candidatura è già stata inviata."),
    CandidacyAction.WITHDRAW: N_("Si ritira solo una candidatura inviata, prima che cominci la valutazione."),
    CandidacyAction.REDRAFT: N_("Si riprende in bozza solo una candidatura ritirata."),
    CandidacyAction.START_REVIEW: N_("Entra in valutazione solo una candidatura inviata."),
    CandidacyAction.DECIDE: N_("Riceve un esito solo una candidatura in valutazione."),
}

# The call phases in which the candidate may take each action.
CANDIDATE_PHASES = {
    CandidacyAction.SUBMIT: {CallPhase.OPEN},
    CandidacyAction.WITHDRAW: {CallPhase.OPEN, CallPhase.CLOSED},
    CandidacyAction.REDRAFT: {CallPhase.OPEN},
}

PHASE_REFUSED = {
    CandidacyAction.SUBMIT: N_("Le candidature a questo avviso sono chiuse."),
    CandidacyAction.WITHDRAW: N_("La valutazione è cominciata: la candidatura non si può più ritirare."),
    CandidacyAction.REDRAFT: N_("Le candidature a questo avviso sono chiuse."),
}


def candidacy_transition(status: str, action: CandidacyAction | str, call_phase: str | None = None,
                         deadline_passed: bool = False) -> CandidacyStatus:
    """The candidacy's status after `action`, or EvaluationWorkflowError. `call_phase` is checked for the
    candidate's own actions (submit, withdraw, redraft); `deadline_passed` refuses a submission after the closing
    moment even before the chair closed the call."""
    action = CandidacyAction(action)
    to = CANDIDACY_TRANSITIONS.get((CandidacyStatus(status), action))
    if to is None:
        raise EvaluationWorkflowError(CANDIDACY_REFUSED[action])
    if action in CANDIDATE_PHASES:
        if call_phase is None or CallPhase(call_phase) not in CANDIDATE_PHASES[action]:
            raise EvaluationWorkflowError(PHASE_REFUSED[action])
        if action in (CandidacyAction.SUBMIT, CandidacyAction.REDRAFT) and deadline_passed:
            raise EvaluationWorkflowError(N_("Il termine per le candidature è scaduto."))
    return to


def candidacy_editable(status: str, call_phase: str, deadline_passed: bool) -> bool:
    """A draft is edited while the call takes candidacies; what was submitted is frozen."""
    return status == CandidacyStatus.DRAFT and call_phase == CallPhase.OPEN and not deadline_passed


# ---- assignments -------------------------------------------------------------------------------------------------

class AssignmentStatus(StrEnum):
    ASSIGNED = "assigned"
    SUBMITTED = "submitted"
    DECLINED = "declined"
    CONFLICT = "conflict"


class AssignmentAction(StrEnum):
    SUBMIT = "submit"
    DECLINE = "decline"
    CONFLICT = "conflict"
    REOPEN = "reopen"  # during consensus, a submitted review is edited again (every change kept)


ASSIGNMENT_TRANSITIONS: dict[tuple[AssignmentStatus, AssignmentAction], AssignmentStatus] = {
    (AssignmentStatus.ASSIGNED, AssignmentAction.SUBMIT): AssignmentStatus.SUBMITTED,
    (AssignmentStatus.ASSIGNED, AssignmentAction.DECLINE): AssignmentStatus.DECLINED,
    (AssignmentStatus.ASSIGNED, AssignmentAction.CONFLICT): AssignmentStatus.CONFLICT,
    (AssignmentStatus.SUBMITTED, AssignmentAction.CONFLICT): AssignmentStatus.CONFLICT,
}

ASSIGNMENT_REFUSED = {
    AssignmentAction.SUBMIT: N_("Questa valutazione è già stata inviata o non è più assegnata."),
    AssignmentAction.DECLINE: N_("Si declina solo un incarico non ancora svolto."),
    AssignmentAction.CONFLICT: N_("Questo incarico è già chiuso."),
    AssignmentAction.REOPEN: N_("Si modifica solo una valutazione inviata."),
}

# Phases in which reviewers score: submit during review; edit a submitted review during consensus.
REVIEW_PHASES = {CallPhase.REVIEW, CallPhase.CONSENSUS}


def assignment_transition(status: str, action: AssignmentAction | str, call_phase: str) -> AssignmentStatus:
    """The assignment's status after `action`, or EvaluationWorkflowError."""
    action = AssignmentAction(action)
    if action == AssignmentAction.REOPEN:
        if status != AssignmentStatus.SUBMITTED:
            raise EvaluationWorkflowError(ASSIGNMENT_REFUSED[action])
        if call_phase != CallPhase.CONSENSUS:
            raise EvaluationWorkflowError(N_("Le valutazioni inviate si modificano durante la fase di consenso."))
        return AssignmentStatus.SUBMITTED
    to = ASSIGNMENT_TRANSITIONS.get((AssignmentStatus(status), action))
    if to is None:
        raise EvaluationWorkflowError(ASSIGNMENT_REFUSED[action])
    if action == AssignmentAction.SUBMIT and CallPhase(call_phase) not in REVIEW_PHASES:
        raise EvaluationWorkflowError(N_("Le valutazioni si inviano durante la fase di valutazione."))
    return to


def may_assign(call_phase: str) -> bool:
    """Reviewers are assigned once candidacies are in and until consensus ends."""
    return CallPhase(call_phase) in (CallPhase.CLOSED, CallPhase.REVIEW, CallPhase.CONSENSUS)


# ---- decisions ---------------------------------------------------------------------------------------------------

class Outcome(StrEnum):
    RECOGNISED = "recognised"
    NOT_RECOGNISED = "not_recognised"
    SPECIAL_MENTION = "special_mention"


RECOGNISING = {Outcome.RECOGNISED, Outcome.SPECIAL_MENTION}


def may_decide(call_phase: str) -> bool:
    """Decisions are recorded (unpublished) during consensus."""
    return call_phase == CallPhase.CONSENSUS


# ---- conflicts ---------------------------------------------------------------------------------------------------

class ConflictKind(StrEnum):
    SAME_ORGANISATION = "same_organisation"
    DONOR = "donor"  # the reviewer's organisation is the practice's donor or co-donor
    REUSER = "reuser"  # ... has adopted the practice
    PARTNER = "partner"  # union of municipalities, agreement (convenzione)
    FACILITATOR = "facilitator"  # the reviewer facilitates the practice's community
    PERSONAL = "personal"
    OTHER = "other"


class ConflictSource(StrEnum):
    COMPUTED = "computed"
    REVIEWER = "reviewer"
    CANDIDATE = "candidate"
    CHAIR = "chair"


class ConflictStatus(StrEnum):
    SUGGESTED = "suggested"  # computed, waiting for the chair
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


def conflict_status_for(source: str) -> ConflictStatus:
    """A person recusing themselves (reviewer) or the chair's record stands at once; what the platform computes and
    what a candidate reports are suggestions the chair confirms (a candidate must not remove a reviewer at will)."""
    if source in (ConflictSource.COMPUTED, ConflictSource.CANDIDATE):
        return ConflictStatus.SUGGESTED
    return ConflictStatus.CONFIRMED
