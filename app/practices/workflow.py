"""A practice's publication state as a transition table (DESIGN.md §4). No Flask import.

draft → published → archived. Publication is separate from evaluation. Facilitators of the community (and
administrators) can archive or take back to draft a practice that breaks the community's rules; the donor team
publishes, archives and restores its own practices.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


def N_(message: str) -> str:
    """Marks a message for translation; the web layer translates it when it shows it."""
    return message


class PracticeStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class PracticeAction(StrEnum):
    PUBLISH = "publish"
    ARCHIVE = "archive"
    RESTORE = "restore"  # archived → published
    UNPUBLISH = "unpublish"  # published → draft


class Role(StrEnum):
    DONOR = "donor"  # a person of the donor or a co-donor organisation
    MODERATOR = "moderator"  # a facilitator of the practice's community
    ADMIN = "admin"


class PracticeWorkflowError(Exception):
    """A transition the rules refuse; the message (an Italian msgid) says why."""


@dataclass(frozen=True)
class Rule:
    to: PracticeStatus
    roles: frozenset[Role]


_ALL = frozenset(Role)
TRANSITIONS: dict[tuple[PracticeStatus, PracticeAction], Rule] = {
    (PracticeStatus.DRAFT, PracticeAction.PUBLISH): Rule(PracticeStatus.PUBLISHED, frozenset({Role.DONOR, Role.ADMIN})),
    (PracticeStatus.PUBLISHED, PracticeAction.ARCHIVE): Rule(PracticeStatus.ARCHIVED, _ALL),
    (PracticeStatus.ARCHIVED, PracticeAction.RESTORE): Rule(PracticeStatus.PUBLISHED, frozenset({Role.DONOR, Role.ADMIN})),
    (PracticeStatus.PUBLISHED, PracticeAction.UNPUBLISH): Rule(PracticeStatus.DRAFT, _ALL),
}

_REFUSED = {
    PracticeAction.PUBLISH: N_("Solo una bozza può essere pubblicata."),
    PracticeAction.ARCHIVE: N_("Solo una pratica pubblicata può essere archiviata."),
    PracticeAction.RESTORE: N_("Solo una pratica archiviata può essere ripristinata."),
    PracticeAction.UNPUBLISH: N_("Solo una pratica pubblicata può tornare in bozza."),
}


def transition(status: PracticeStatus, action: PracticeAction, roles: set[Role],
               has_published_kit: bool = True) -> PracticeStatus:
    """The status after `action` by someone holding `roles`, or PracticeWorkflowError."""
    rule = TRANSITIONS.get((PracticeStatus(status), action))
    if rule is None:
        raise PracticeWorkflowError(_REFUSED[action])
    if not roles & rule.roles:
        raise PracticeWorkflowError(N_("Non hai i permessi per questa operazione su questa pratica."))
    if action == PracticeAction.PUBLISH and not has_published_kit:
        raise PracticeWorkflowError(N_("Pubblica prima una versione del KIT di riuso: senza KIT la pratica non si "
                                       "può riusare."))
    return rule.to
