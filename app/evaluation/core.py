"""What every evaluation service shares: the error type, the audit log, locking, committing with e-mails, notifying
only who may see."""
from __future__ import annotations

from functools import wraps

from app.evaluation.workflow import EvaluationWorkflowError
from app.extensions import db
from app.models import EvaluationAudit
from app.models.base import utcnow


def N_(message: str) -> str:
    return message


class EvaluationError(Exception):
    """A refusal the person can act on: `message` is an Italian msgid (params fill it), `field` the form field."""

    def __init__(self, message: str, field: str | None = None, **params) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.params = params


def refusal_rolls_back(function):
    """A service refusal (or a workflow refusal) leaves nothing half-applied: the session is rolled back and the
    refusal raised as EvaluationError."""
    @wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except EvaluationWorkflowError as refused:
            db.session.rollback()
            raise EvaluationError(str(refused)) from refused
        except EvaluationError:
            db.session.rollback()
            raise
    return wrapper


def audit(call, action: str, actor, candidacy=None, **detail) -> EvaluationAudit:
    """Add an audit entry (committed with the operation): every transition of the call, its candidacies,
    assignments, conflicts and decisions. `detail` holds ids and codes, never free text of a self-assessment."""
    entry = EvaluationAudit(call_id=call.id, candidacy_id=candidacy.id if candidacy is not None else None,
                            actor_id=actor.id if actor is not None and getattr(actor, "is_authenticated", True)
                            else None, action=action, detail=detail, at=utcnow())
    db.session.add(entry)
    return entry


def lock(row) -> None:
    """Lock the row until commit (PostgreSQL); on SQLite the write transaction serialises instead."""
    from app.reuse.services import lock_row

    lock_row(row)


def commit_and_email() -> None:
    from app.reuse.services import commit_and_email as commit

    commit()


def notify_people(people, verb: str, actor, link: str, **params) -> None:
    """Notify each person once (never the actor); the caller passes only people who may see what it links to."""
    from app.reuse.services import notify_all

    notify_all(people, verb, actor, link, **params)
