"""The registration form, built for each event (its terms, its questionnaire, the opt-in to be listed by name),
and the check-in form of the organisers."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.events.workflow import TERMS_REQUIRED
from app.forms import FlaskForm

ANSWER_REQUIRED = _l("Rispondete a questa domanda: serve per iscrivervi.")
NUMBER_MAX = 1_000_000_000
WHOLE = re.compile(r"^-?[0-9]{1,10}$")
THOUSANDS = re.compile(r"^-?[0-9]{1,3}(\.[0-9]{3})+$")


def clean_number(text: str | None) -> str:
    """"12", " 1.000 " (Italian thousands) → "12", "1000"; anything else as typed, for the check to refuse."""
    text = (text or "").strip().replace(" ", "")
    return text.replace(".", "") if THOUSANDS.match(text) else text


def _at_most(limit: int) -> Length:
    return Length(max=limit, message=_l("Al massimo %(max)d caratteri.", max=limit))


def _whole_number(form, field) -> None:
    text = clean_number(field.data)
    if not text:
        return
    if not WHOLE.match(text) or abs(int(text)) > NUMBER_MAX:
        raise ValidationError(_l("Scrivete un numero intero, per esempio 3."))


def _one_of(form, field) -> None:
    if field.data and field.data not in {value for value, _label in field.choices}:
        raise ValidationError(_l("Scegliete una delle voci dell'elenco."))


def _question_field(spec: dict):
    label = (spec.get("label") or spec.get("key") or "")[:300]
    kind, required = spec.get("kind", "text"), bool(spec.get("required"))
    needed = [DataRequired(message=ANSWER_REQUIRED)] if required else [Optional()]
    if kind == "textarea":
        return TextAreaField(label, validators=needed + [_at_most(2000)])
    if kind == "number":
        return StringField(label, validators=needed + [_at_most(20), _whole_number])
    if kind == "choice":
        choices = [("", _l("— Scegliete —"))] + [(str(each), str(each)) for each in spec.get("choices") or []]
        return SelectField(label, choices=choices, validators=needed + [_one_of], validate_choice=False)
    if kind == "checkbox":
        return BooleanField(label, validators=[InputRequired(message=ANSWER_REQUIRED)] if required else [])
    return StringField(label, validators=needed + [_at_most(300)])


class RegistrationFormBase(FlaskForm):
    event = None
    questions: list = []

    def question_fields(self):
        return [(spec, self[name]) for name, spec in self.questions]

    def answers(self) -> dict:
        """The answers by question key (numbers as integers, checkboxes as yes/no)."""
        answers = {}
        for spec, field in self.question_fields():
            data = field.data
            if spec.get("kind") == "checkbox":
                data = bool(data)
            elif spec.get("kind") == "number":
                text = clean_number(data)
                data = int(text) if text else None
            else:
                data = (data or "").strip()
            answers[spec.get("key") or field.name] = data
        return answers


def registration_form(event, **kwargs) -> RegistrationFormBase:
    """The registration form of this event (a class per event, since its questions are the event's)."""

    class RegistrationForm(RegistrationFormBase):
        pass

    questions = []
    for index, spec in enumerate(event.questionnaire or []):
        if not isinstance(spec, dict):
            continue
        name = f"q_{index}"
        setattr(RegistrationForm, name, _question_field(spec))
        questions.append((name, spec))
    RegistrationForm.questions = questions
    if (event.terms or "").strip():
        RegistrationForm.accept_terms = BooleanField(
            _l("Ho letto e accetto le condizioni di partecipazione"),
            validators=[InputRequired(message=_l(TERMS_REQUIRED))])
    RegistrationForm.public_attendance = BooleanField(
        _l("Il mio nome può comparire tra le persone che hanno partecipato"),
        description=_l("Facoltativo: senza il vostro consenso l'evento mostra solo il vostro ente."))
    RegistrationForm.event = event
    return RegistrationForm(**kwargs)


class CheckInForm(FlaskForm):
    code = StringField(_l("Codice di iscrizione"), validators=[DataRequired(message=_l("Scrivete il codice.")),
                                                            _at_most(16)],
                       description=_l("Gli 8 caratteri che la persona vede nella pagina dell'evento."))
