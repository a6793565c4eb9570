"""Questions as a transition table (issue 12, point 2). No Flask import.

open → solved (an answer accepted) → open (unaccepted); a solved question's accepted answer can be replaced.
open | solved → closed with a reason (duplicate needs the original) → reopened: back to solved when it still has an
accepted answer, else open. Who may accept: the asker while the question is not closed, the community's
facilitators, on a practice question the donor team's referents, administrators. Closing: the asker (their own
question), facilitators, administrators; reopening: facilitators and administrators, and the asker when the asker
closed it. Nobody answers, comments on or accepts in a closed question: it is reopened first.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


def N_(message: str) -> str:
    """Marks a message for translation; the web layer translates it when it shows it."""
    return message


class QaWorkflowError(Exception):
    """A move the rules refuse; the message (an Italian msgid) says why."""


class QuestionStatus(StrEnum):
    OPEN = "open"
    SOLVED = "solved"
    CLOSED = "closed"


class QuestionAction(StrEnum):
    ACCEPT = "accept"
    UNACCEPT = "unaccept"
    CLOSE = "close"
    REOPEN = "reopen"


class CloseReason(StrEnum):
    DUPLICATE = "duplicate"
    OUT_OF_SCOPE = "out_of_scope"
    NEEDS_DETAIL = "needs_detail"
    OBSOLETE = "obsolete"


class Role(StrEnum):
    ASKER = "asker"  # the person who asked
    FACILITATOR = "facilitator"  # of the question's community
    DONOR_REFERENT = "donor_referent"  # a referent of the donor or a co-donor, on a practice question
    ADMIN = "admin"


@dataclass(frozen=True)
class Rule:
    to: QuestionStatus | None  # None: decided by the question's data (reopen)
    roles: frozenset[Role]


_ACCEPTORS = frozenset({Role.ASKER, Role.FACILITATOR, Role.DONOR_REFERENT, Role.ADMIN})
_CLOSERS = frozenset({Role.ASKER, Role.FACILITATOR, Role.ADMIN})
_MODERATORS = frozenset({Role.FACILITATOR, Role.ADMIN})

TRANSITIONS: dict[tuple[QuestionStatus, QuestionAction], Rule] = {
    (QuestionStatus.OPEN, QuestionAction.ACCEPT): Rule(QuestionStatus.SOLVED, _ACCEPTORS),
    (QuestionStatus.SOLVED, QuestionAction.ACCEPT): Rule(QuestionStatus.SOLVED, _ACCEPTORS),  # another answer
    (QuestionStatus.SOLVED, QuestionAction.UNACCEPT): Rule(QuestionStatus.OPEN, _ACCEPTORS),
    (QuestionStatus.OPEN, QuestionAction.CLOSE): Rule(QuestionStatus.CLOSED, _CLOSERS),
    (QuestionStatus.SOLVED, QuestionAction.CLOSE): Rule(QuestionStatus.CLOSED, _CLOSERS),
    (QuestionStatus.CLOSED, QuestionAction.REOPEN): Rule(None, _MODERATORS | {Role.ASKER}),
}

REFUSED = {
    QuestionAction.ACCEPT: N_("Una domanda chiusa va riaperta prima di accettare una risposta."),
    QuestionAction.UNACCEPT: N_("Questa domanda non ha una risposta accettata."),
    QuestionAction.CLOSE: N_("Questa domanda è già chiusa."),
    QuestionAction.REOPEN: N_("Si può riaprire solo una domanda chiusa."),
}

DENIED = {
    QuestionAction.ACCEPT: N_("Accettano una risposta chi ha fatto la domanda, chi anima la comunità e, sulle "
                              "domande di una pratica, i referenti degli enti cedenti."),
    QuestionAction.UNACCEPT: N_("Annullano l'accettazione chi ha fatto la domanda, chi anima la comunità e, sulle "
                                "domande di una pratica, i referenti degli enti cedenti."),
    QuestionAction.CLOSE: N_("Chiudono una domanda chi l'ha fatta e chi anima la comunità."),
    QuestionAction.REOPEN: N_("Riapre la domanda chi anima la comunità, oppure chi l'ha fatta se l'aveva chiusa."),
}


def allowed_roles(action: QuestionAction) -> frozenset[Role]:
    """The roles that may take `action` from some status."""
    return frozenset(role for (_status, each), rule in TRANSITIONS.items() if each == action for role in rule.roles)


def transition(status: str, action: QuestionAction | str, roles: set[Role], *, has_accepted: bool = False,
               reason: str | None = None, duplicate_of: int | None = None, question_id: int | None = None,
               closed_by_asker: bool = False) -> QuestionStatus:
    """The question's status after `action` by someone holding `roles`, or QaWorkflowError with the reason.

    `has_accepted`: the question keeps an accepted answer (decides where a reopened question goes);
    `reason` and `duplicate_of` are a closing's; `closed_by_asker`: the asker closed it (then the asker may reopen).
    """
    action = QuestionAction(action)
    rule = TRANSITIONS.get((QuestionStatus(status), action))
    if rule is None:
        raise QaWorkflowError(REFUSED[action])
    effective = set(roles)
    if action == QuestionAction.REOPEN and not closed_by_asker:
        effective.discard(Role.ASKER)
    if not effective & rule.roles:
        raise QaWorkflowError(DENIED[action])
    if action == QuestionAction.CLOSE:
        check_close_reason(reason, duplicate_of, question_id)
    if rule.to is None:  # reopen
        return QuestionStatus.SOLVED if has_accepted else QuestionStatus.OPEN
    return rule.to


def check_close_reason(reason: str | None, duplicate_of: int | None, question_id: int | None = None) -> CloseReason:
    """A closing names one of the reasons; a duplicate names the original, which is another question."""
    try:
        close_reason = CloseReason(reason or "")
    except ValueError:
        raise QaWorkflowError(N_("Scegli il motivo della chiusura.")) from None
    if close_reason == CloseReason.DUPLICATE:
        if duplicate_of is None:
            raise QaWorkflowError(N_("Indica la domanda originale: un duplicato rimanda sempre a essa."))
        if question_id is not None and duplicate_of == question_id:
            raise QaWorkflowError(N_("Una domanda non può essere il duplicato di sé stessa."))
    return close_reason


def check_open_for_posts(status: str) -> None:
    """Answers and comments go to questions that are not closed."""
    if QuestionStatus(status) == QuestionStatus.CLOSED:
        raise QaWorkflowError(N_("La domanda è chiusa: non si possono aggiungere risposte o commenti."))


# ---- moderation ------------------------------------------------------------------------------------------------

class Visibility(StrEnum):
    """A post's moderation state; a hidden one shows a placeholder, a deleted one too, with no way back."""

    VISIBLE = "visible"
    HIDDEN = "hidden"
    DELETED = "deleted"


class ReportReason(StrEnum):
    SPAM = "spam"
    OFFENSIVE = "offensive"
    OFF_TOPIC = "off_topic"
    DUPLICATE = "duplicate"
    OUTDATED = "outdated"


class ReviewAction(StrEnum):
    RESTORE = "restore"
    KEEP_HIDDEN = "keep_hidden"
    DELETE = "delete"
    DISMISS = "dismiss"  # a reported item that stays visible: the reports are set aside


# Hidden at once by one facilitator's report, or by reports from this many people of at least two organisations.
REPORTS_TO_HIDE = 3
ORGANIZATIONS_TO_HIDE = 2

REVIEW_TRANSITIONS: dict[tuple[Visibility, ReviewAction], Visibility] = {
    (Visibility.HIDDEN, ReviewAction.RESTORE): Visibility.VISIBLE,
    (Visibility.HIDDEN, ReviewAction.KEEP_HIDDEN): Visibility.HIDDEN,
    (Visibility.HIDDEN, ReviewAction.DELETE): Visibility.DELETED,
    (Visibility.VISIBLE, ReviewAction.DELETE): Visibility.DELETED,
    (Visibility.VISIBLE, ReviewAction.KEEP_HIDDEN): Visibility.HIDDEN,  # a reported item the facilitator hides
    (Visibility.VISIBLE, ReviewAction.DISMISS): Visibility.VISIBLE,  # reports found groundless
}


def review(visibility: str, action: ReviewAction | str, roles: set[Role]) -> Visibility:
    """A post's moderation state after a facilitator's review, or QaWorkflowError."""
    if not roles & _MODERATORS:
        raise QaWorkflowError(N_("Solo chi anima la comunità esamina le segnalazioni."))
    target = REVIEW_TRANSITIONS.get((Visibility(visibility), ReviewAction(action)))
    if target is None:
        raise QaWorkflowError(N_("Questo contenuto è già stato eliminato o non è nascosto."))
    return target


def should_hide(reports: list[tuple[int, int | None, bool]]) -> bool:
    """Whether reports hide an item at once: each is (reporter id, reporter's organisation id, by a facilitator)."""
    if any(by_facilitator for _person, _organization, by_facilitator in reports):
        return True
    people = {person for person, _organization, _by in reports}
    organizations = {organization for _person, organization, _by in reports if organization is not None}
    return len(people) >= REPORTS_TO_HIDE and len(organizations) >= ORGANIZATIONS_TO_HIDE
