"""How an evaluation page shows a service's refusal (EvaluationError): its Italian text, at its field with the rest
of the form kept, or above the form."""
from __future__ import annotations

from flask_babel import gettext as _

from app.evaluation.core import EvaluationError
from app.extensions import db


def message_of(error: EvaluationError) -> str:
    """The refusal's text in the reader's language."""
    return _(error.message, **error.params)


def at_field(form, error: EvaluationError, default_field: str | None = None) -> None:
    """The refusal at its field (or `default_field`), else as a form-level error."""
    if form is None:
        return
    name = error.field or default_field
    if name and name in form:
        form[name].errors = list(form[name].errors or []) + [message_of(error)]
    else:
        form.form_errors.append(message_of(error))


def refuse_at(form, error: EvaluationError, default_field: str | None = None) -> None:
    """As at_field, after rolling back whatever the request had loaded: nothing was saved."""
    db.session.rollback()
    at_field(form, error, default_field)
