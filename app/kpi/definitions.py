"""Writing KPI definitions and their discussion (issue 16): propose, edit (in place or as a new version), comment,
hide a comment. Each service is one transaction on top of app/kpi/core.py: it commits, or rolls back and raises
DefinitionRefused (an Italian msgid, and the form field it belongs to) with nothing applied."""
from __future__ import annotations

from flask import url_for
from sqlalchemy.exc import IntegrityError

from app.calls.core import commit_and_email, lock, notify_people
from app.extensions import db
from app.kpi import access, core
from app.kpi.workflow import (CHANGE_NOTE_REQUIRED, NOT_EDITABLE, DefinitionStatus, KpiWorkflowError, N_,
                              edit_makes_new_version)
from app.models import KpiComment, KpiDefinition, User
from app.models.base import utcnow

NOT_YOURS_TO_EDIT = N_("Modificano una proposta l'ente che l'ha presentata e chi la esamina; un indicatore "
                       "pubblicato lo cambiano, con una nuova versione, solo gli animatori o lo staff che lo "
                       "hanno pubblicato.")
NOT_YOURS_TO_PROPOSE = N_("Propongono indicatori le persone iscritte alla comunità, o lo staff e le "
                          "amministrazioni partecipanti del programma.")
NOT_YOURS_TO_COMMENT = N_("La discussione di questo indicatore è chiusa.")
ALREADY_CHANGED = N_("Nel frattempo l'indicatore è cambiato di stato: ricaricate la pagina e riprovate.")


class DefinitionRefused(Exception):
    """A refusal the person can act on; `field` names the form field it belongs to (or None)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _one_transaction(work):
    """Run `work`, then commit (and send the immediate e-mails); on any refusal or error, roll back."""
    try:
        result = work()
    except KpiWorkflowError as refused:
        db.session.rollback()
        field = "change_note" if str(refused) == CHANGE_NOTE_REQUIRED else None
        raise DefinitionRefused(str(refused), field) from refused
    except BaseException:
        db.session.rollback()
        raise
    commit_and_email()
    return result


def propose(actor: User, data: core.VersionData, community=None, programme=None,
            membership=None) -> KpiDefinition:
    """A new proposal in a community or a programme, its reviewers notified."""
    def work():
        if not access.can_propose(actor, community=community, programme=programme, membership=membership):
            raise DefinitionRefused(NOT_YOURS_TO_PROPOSE)
        return core.propose(actor, data, community=community, programme=programme)

    for attempt in range(3):
        try:
            return _one_transaction(work)
        except IntegrityError:  # a proposal saved meanwhile took the same code or slug: the next ones are free
            db.session.rollback()
            if attempt == 2:
                raise


def edit(definition: KpiDefinition, actor: User, data: core.VersionData, change_note: str = "",
         breaks_series: bool = False, new_version: bool | None = None):
    """The edit of a proposal in place, or a new version of a published KPI (its adopters notified).

    `new_version` says which of the two the form was for: if a reviewer moved the KPI meanwhile (a proposal
    published while its page was open), the edit is refused rather than written the other way."""
    def work():
        lock(definition)  # the status checked below cannot change before the commit
        if definition.status in (DefinitionStatus.DEPRECATED, DefinitionStatus.WITHDRAWN):
            raise DefinitionRefused(NOT_EDITABLE)
        if not access.can_edit_definition(actor, definition):
            raise DefinitionRefused(NOT_YOURS_TO_EDIT)
        makes_version = edit_makes_new_version(definition.status)
        if new_version is not None and makes_version != new_version:
            raise DefinitionRefused(ALREADY_CHANGED)
        return core.write_version(definition, data, actor, change_note=change_note if makes_version else "",
                                  breaks_series=bool(breaks_series) if makes_version else False)

    return _one_transaction(work)


def people_to_tell_of_comment(definition: KpiDefinition) -> list[User]:
    """The proposer and the reviewers (who all see the definition)."""
    return core.proposer_people(definition) + core.reviewer_people(definition)


def comment(definition: KpiDefinition, actor: User, body: str) -> KpiComment:
    """A message in the discussion; the proposer and the reviewers are notified."""
    def work():
        if not access.can_comment(actor, definition):
            raise DefinitionRefused(NOT_YOURS_TO_COMMENT, "body")
        posted = KpiComment(definition_id=definition.id, author_id=actor.id, organization_id=actor.organization_id,
                            body=body.strip(), created_at=utcnow())
        db.session.add(posted)
        db.session.flush()
        notify_people(people_to_tell_of_comment(definition), "kpi.commented", actor,
                      url_for("kpi.definition", slug=definition.slug) + "#discussion", kpi=definition.name)
        return posted

    return _one_transaction(work)


def hide_comment(comment_row: KpiComment, actor: User) -> KpiComment:
    """A reviewer hides a message (kept for the record, shown to reviewers as hidden)."""
    def work():
        if comment_row.hidden_at is None:
            comment_row.hidden_at = utcnow()
        return comment_row

    return _one_transaction(work)
