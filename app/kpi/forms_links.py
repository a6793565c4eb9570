"""The form of a practice's declaration of a KPI it improves (issue 16, point 7)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from app.forms import FlaskForm
from app.kpi.links import EVIDENCE_MAX, EVIDENCE_REQUIRED, KPI_NOT_PUBLISHED


class LinkPracticeForm(FlaskForm):
    """Choose a published KPI the practice does not declare yet, and say what improved and how it was measured."""

    definition = SelectField(_l("Indicatore"), validate_choice=False,
                             validators=[InputRequired(message=_l(KPI_NOT_PUBLISHED))],
                             description=_l("Gli indicatori pubblicati della libreria che la pratica non dichiara "
                                            "ancora."))
    evidence = TextAreaField(_l("Evidenza"), validators=[
        InputRequired(message=_l(EVIDENCE_REQUIRED)),
        Length(max=EVIDENCE_MAX, message=_l("Al massimo %(max)d caratteri.", max=EVIDENCE_MAX))],
        description=_l("Che cosa è cambiato nell'indicatore con la pratica, in quale periodo, misurato come; "
                       "potete usare Markdown e collegamenti alle fonti."))

    def __init__(self, *args, choices: list[tuple[int, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.choice_ids = {str(each_id) for each_id, _label in choices}
        self.definition.choices = [("", _l("Scegliete un indicatore"))] + [
            (str(each_id), label) for each_id, label in choices]

    def validate_definition(self, field) -> None:
        if field.data not in self.choice_ids:
            raise ValidationError(_l(KPI_NOT_PUBLISHED))

    @property
    def definition_id(self) -> int | None:
        return int(self.definition.data) if self.definition.data in self.choice_ids else None
