"""The forms of the review moves (issue 16, point 3): a note to the proposer, a deprecation with its note and
replacement; the other moves are a button (EmptyForm)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from app.forms import FlaskForm
from app.kpi.review import NOTE_MAX
from app.kpi.workflow import DEPRECATION_NOTE_REQUIRED, NOTE_REQUIRED, REPLACEMENT_NOT_PUBLISHED

TOO_LONG = _l("Al massimo %(max)d caratteri.", max=NOTE_MAX)


class ReturnForm(FlaskForm):
    """Send a proposal back to its proposer, saying what to change."""

    note = TextAreaField(_l("Nota per il proponente"), validators=[
        InputRequired(message=_l(NOTE_REQUIRED)), Length(max=NOTE_MAX, message=TOO_LONG)],
        description=_l("Che cosa cambiare prima di ripresentarlo. La riceve chi l'ha proposto."))


class DeprecateForm(FlaskForm):
    """Deprecate a published KPI: why, and which published KPI replaces it (if one does)."""

    note = TextAreaField(_l("Motivo della dismissione"), validators=[
        InputRequired(message=_l(DEPRECATION_NOTE_REQUIRED)), Length(max=NOTE_MAX, message=TOO_LONG)],
        description=_l("Compare sulla pagina dell'indicatore, accanto al collegamento a quello che lo sostituisce."))
    replacement = SelectField(_l("Indicatore che lo sostituisce (facoltativo)"), validate_choice=False,
                              description=_l("Solo indicatori pubblicati della libreria."))

    def __init__(self, *args, replacements: list[tuple[int, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.replacement_ids = {str(each_id) for each_id, _label in replacements}
        self.replacement.choices = [("", _l("Nessuno"))] + [(str(each_id), label) for each_id, label in replacements]

    def validate_replacement(self, field) -> None:
        if field.data and field.data not in self.replacement_ids:
            raise ValidationError(_l(REPLACEMENT_NOT_PUBLISHED))

    @property
    def replacement_id(self) -> int | None:
        return int(self.replacement.data) if self.replacement.data else None


FORMS = {"return": ReturnForm, "deprecate": DeprecateForm}
