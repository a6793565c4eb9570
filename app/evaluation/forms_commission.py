"""The commission's forms (issue 13, points 5–6): attestation, declaring a conflict, assigning, declining,
handing a candidacy to a deputy. Choices are filled by the routes; the services check everything again."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.evaluation.assignment import REASON_MAX
from app.evaluation.conflicts import DECLARABLE_KINDS, NOTE_MAX
from app.forms import FlaskForm
from app.models.evaluation import CONFLICT_KIND_LABELS


def kind_choices():
    return [("", _l("Scegli…"))] + [(kind.value, CONFLICT_KIND_LABELS[kind]) for kind in DECLARABLE_KINDS]


def _int_or_none(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AttestForm(FlaskForm):
    agree = BooleanField(_l("Dichiaro di non avere conflitti di interessi oltre a quelli indicati qui sotto e di "
                            "mantenere riservato quanto leggerò nelle candidature e nei lavori della commissione."),
                         validators=[DataRequired(message=_l("Per firmare, spunta la dichiarazione."))])
    conflicts = MultiCheckboxField(_l("Candidature su cui hai un conflitto di interessi"), coerce=int,
                                   validate_choice=False)
    kind = SelectField(_l("Tipo di conflitto (per le candidature indicate)"), validate_choice=False,
                       validators=[Optional()])
    note = TextAreaField(_l("Nota (facoltativa)"), validators=[
        Optional(), Length(max=NOTE_MAX, message=_l("La nota può avere al massimo %(max)d caratteri.", max=NOTE_MAX))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = kind_choices()


class DeclareForm(FlaskForm):
    """A reviewer's own conflict (no `person`) or the candidate's, with a named commission member."""

    person = SelectField(_l("Persona della commissione"), coerce=_int_or_none, validate_choice=False)
    kind = SelectField(_l("Tipo di conflitto"), validate_choice=False,
                       validators=[DataRequired(message=_l("Scegli il tipo di conflitto."))])
    note = TextAreaField(_l("Nota (facoltativa)"), validators=[
        Optional(), Length(max=NOTE_MAX, message=_l("La nota può avere al massimo %(max)d caratteri.", max=NOTE_MAX))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = kind_choices()


class AssignForm(FlaskForm):
    candidacy = HiddenField()
    reviewer = HiddenField()

    @property
    def candidacy_id(self):
        return _int_or_none(self.candidacy.data)

    @property
    def reviewer_id(self):
        return _int_or_none(self.reviewer.data)


class DeclineForm(FlaskForm):
    reason = TextAreaField(_l("Perché declini l'incarico?"), validators=[
        DataRequired(message=_l("Scrivi perché declini l'incarico.")),
        Length(max=REASON_MAX, message=_l("Il motivo può avere al massimo %(max)d caratteri.", max=REASON_MAX))],
        description=_l("Lo legge chi presiede la commissione, per assegnare la candidatura a un'altra persona."))


class DeputyForm(FlaskForm):
    deputy = SelectField(_l("Vicepresidenza a cui affidarla"), coerce=_int_or_none, validate_choice=False,
                         validators=[DataRequired(message=_l("Scegli a chi affidare la candidatura."))])
