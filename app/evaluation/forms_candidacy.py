"""The candidacy form, built for each call: the category (when the call has categories), the six standard fields,
the call's extra fields by kind, the date the practice was completed (when the call asks), documents. A draft may
be incomplete: what submission requires is checked by the service (app/evaluation/candidacies.py)."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from app.forms import FlaskForm
from app.models import CANDIDACY_FIELDS
from app.models.evaluation import TEXT_MAX

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
FILES_HELP = _l("Facoltativi; più file insieme, al massimo 25 MB ciascuno: PDF, documenti di testo, fogli di calcolo e "
                "presentazioni (LibreOffice o Microsoft Office), immagini, ZIP, Markdown, testo, YAML.")
NUMBER = re.compile(r"^-?\d{1,15}([.,]\d{1,6})?$")
THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


def parse_number(text: str | None):
    """"12", "3,5", "40.000", "1.234,5", "2.5" → a number (int when whole), None when empty; ValueError when not
    a number."""
    text = (text or "").strip().replace(" ", "")
    if not text:
        return None
    if "," in text or THOUSANDS.match(text):
        text = text.replace(".", "")  # Italian writing: "40.000" and "40.000,5"
    if not NUMBER.match(text):
        raise ValueError(text)
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError(text) from None
    return int(value) if value == value.to_integral_value() else float(value)


def _number_check(form, field) -> None:
    try:
        parse_number(field.data)
    except ValueError:
        raise ValidationError(_l("Scrivete un numero, per esempio 12 o 3,5.")) from None


def _not_future(form, field) -> None:
    if field.data is not None and field.data > date.today():
        raise ValidationError(_l("La data non può essere nel futuro."))


def _one_of(form, field) -> None:
    if field.data and field.data not in {value for value, _label in field.choices}:
        raise ValidationError(_l("Scegliete una delle voci dell'elenco."))


class DayField(DateField):
    """A date, with the message in Italian when it is not one."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Scrivete una data valida, per esempio 15/03/2025.")) from None


class CandidacyFormBase(FlaskForm):
    call = None

    def standard_fields(self):
        return [self[key] for key in CANDIDACY_FIELDS]

    def extra_form_fields(self):
        return [(each, self[f"extra_{each['key']}"]) for each in self.call.extra_fields or []]

    def values(self) -> dict:
        """What the service stores: category, fields, extra (numbers parsed), completed_on."""
        values = {"fields": {key: self[key].data or "" for key in CANDIDACY_FIELDS}, "extra": {}}
        if "category" in self:
            values["category"] = self.category.data or None
        for spec, form_field in self.extra_form_fields():
            data = form_field.data
            if spec["kind"] == "number":
                data = parse_number(data)
            elif spec["kind"] == "checkbox":
                data = bool(data)
            elif spec["kind"] == "choice":
                data = data or None
            else:
                data = data or ""
            values["extra"][spec["key"]] = data
        if "completed_on" in self:
            values["completed_on"] = self.completed_on.data
        return values

    def fill_from(self, candidacy) -> None:
        if "category" in self:
            self.category.data = candidacy.category or ""
        for key in CANDIDACY_FIELDS:
            self[key].data = (candidacy.fields or {}).get(key, "")
        for spec, form_field in self.extra_form_fields():
            value = (candidacy.extra or {}).get(spec["key"])
            if spec["kind"] == "number":
                form_field.data = "" if value is None else str(value).replace(".", ",")
            elif spec["kind"] == "checkbox":
                form_field.data = bool(value)
            else:
                form_field.data = value or ""
        if "completed_on" in self:
            self.completed_on.data = candidacy.completed_on


def _extra_field(spec: dict):
    label, kind = spec.get("label") or spec["key"], spec.get("kind", "text")
    if kind == "textarea":
        return TextAreaField(label, validators=[Optional(), Length(max=TEXT_MAX)])
    if kind == "number":
        return StringField(label, validators=[Optional(), Length(max=40), _number_check])
    if kind == "choice":
        choices = [("", _l("— Scegliete —"))] + [(each, each) for each in spec.get("choices") or []]
        return SelectField(label, choices=choices, validators=[Optional(), _one_of], validate_choice=False)
    if kind == "checkbox":
        return BooleanField(label)
    return StringField(label, validators=[Optional(), Length(max=500)])


def candidacy_form(call, **kwargs) -> CandidacyFormBase:
    """The form of a call's candidacies (a class per call, since its fields are the call's)."""

    class CandidacyForm(CandidacyFormBase):
        pass

    if call.categories:
        CandidacyForm.category = SelectField(
            _l("Categoria"), choices=[("", _l("— Scegliete —"))] + [
                (each["code"], each["label"]) for each in call.categories], validators=[Optional(), _one_of],
            validate_choice=False)
    for key, (label, help_text) in CANDIDACY_FIELDS.items():
        setattr(CandidacyForm, key, TextAreaField(label, description=help_text,
                                                  validators=[Optional(), Length(max=TEXT_MAX)]))
    for spec in call.extra_fields or []:
        setattr(CandidacyForm, f"extra_{spec['key']}", _extra_field(spec))
    if call.require_completed:
        CandidacyForm.completed_on = DayField(_l("Data di realizzazione della pratica"), format=DATE_FORMATS,
                                               validators=[Optional(), _not_future],
                                               description=_l("L'avviso ammette solo pratiche già realizzate."))
    CandidacyForm.files = MultipleFileField(_l("Documenti"), description=FILES_HELP)
    CandidacyForm.call = call
    return CandidacyForm(**kwargs)
