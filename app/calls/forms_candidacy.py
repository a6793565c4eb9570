"""The candidacy form of a call for expression of interest, built for each call: the call's own fields by kind, the
signed candidacy document with its protocol number and date, the attachment fields' files, the working group (a few
rows of contacts). A draft may be incomplete: what submission requires is checked by the service
(app/calls/candidacies.py `missing_for_submission`)."""
from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, FileField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from app.forms import FlaskForm
from app.models.programme import TEXT_MAX

ROME = ZoneInfo("Europe/Rome")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
CONTACT_ROWS = 5  # the working group: a few people (rows left empty are ignored)
CONTACT_PARTS = ("name", "role", "email", "phone")
NUMBER = re.compile(r"^-?\d{1,15}([.,]\d{1,6})?$")
THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$")
PHONE = re.compile(r"^\+?[0-9 ./()-]{5,30}$")
FILE_HELP = _l("Un file fino a 25 MB: PDF, documenti di testo, fogli di calcolo e presentazioni (LibreOffice o "
               "Microsoft Office), immagini, ZIP, Markdown, testo, YAML.")


def rome_today():
    """Today in Europe/Rome: a protocol date is the administration's local date."""
    return datetime.now(ROME).date()


def parse_number(text: str | None):
    """"12", "3,5", "40.000", "1.234,5", "2.5" → a number (int when whole), None when empty; ValueError when not
    a number (the Italian writing with thousands dots is understood)."""
    text = (text or "").strip().replace(" ", "")
    if not text:
        return None
    if "," in text or THOUSANDS.match(text):
        text = text.replace(".", "")
    if not NUMBER.match(text):
        raise ValueError(text)
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError(text) from None
    return int(value) if value == value.to_integral_value() else float(value)


def number_text(value) -> str:
    """A stored number answer as the Italian writing shows it ("3,5", "0,00001": never "1e-05")."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    text = format(Decimal(str(value)), "f") if isinstance(value, float) else str(value)
    return text.replace(".", ",")


def _number_check(form, field) -> None:
    try:
        parse_number(field.data)
    except ValueError:
        raise ValidationError(_l("Scrivete un numero, per esempio 12 o 3,5.")) from None


def _one_of(form, field) -> None:
    if field.data and field.data not in {value for value, _label in field.choices}:
        raise ValidationError(_l("Scegliete una delle voci dell'elenco."))


def _not_future(form, field) -> None:
    if field.data is not None and field.data > rome_today():
        raise ValidationError(_l("La data di protocollo non può essere nel futuro."))


class DayField(DateField):
    """A date, with the message in Italian when it is not one."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Scrivete una data valida, per esempio 15/03/2027.")) from None


class CandidacyFormBase(FlaskForm):
    call = None
    signed = FileField(_l("Candidatura firmata"), description=_l(
        "Il modulo di candidatura firmato digitalmente o scansionato dopo la firma; un nuovo file sostituisce "
        "quello caricato prima."))
    protocol_number = StringField(_l("Numero di protocollo"), validators=[Optional(), Length(max=60)],
                                  description=_l("Il numero con cui il vostro ente ha protocollato la candidatura."))
    protocol_date = DayField(_l("Data di protocollo"), format=DATE_FORMATS, validators=[Optional(), _not_future],
                             description=_l("Per esempio 15/03/2027; non nel futuro."))

    def call_fields(self):
        """(spec, form field) of each of the call's own fields, in the call's order."""
        return [(spec, self[f"field_{spec['key']}"]) for spec in self.call.fields or [] if spec.get("key")]

    def contact_rows(self):
        """Each row of the working group: {"name": field, "role": field, "email": field, "phone": field}."""
        return [{part: self[f"contact_{part}_{index}"] for part in CONTACT_PARTS} for index in range(CONTACT_ROWS)]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for row in self.contact_rows():
            if not any((row[part].data or "").strip() for part in CONTACT_PARTS):
                continue
            if not (row["name"].data or "").strip():
                row["name"].errors = list(row["name"].errors) + [_l("Scrivete il nome e cognome della persona.")]
                valid = False
            email = (row["email"].data or "").strip()
            if not email:
                row["email"].errors = list(row["email"].errors) + [_l("Scrivete l'indirizzo e-mail della persona.")]
                valid = False
            elif not EMAIL.match(email):
                row["email"].errors = list(row["email"].errors) + [
                    _l("Scrivete un indirizzo e-mail valido, per esempio nome@ente.gov.it.")]
                valid = False
            phone = (row["phone"].data or "").strip()
            if phone and not PHONE.match(phone):
                row["phone"].errors = list(row["phone"].errors) + [
                    _l("Scrivete un numero di telefono, per esempio 011 1234567.")]
                valid = False
        return valid

    # ---- what the service stores, and back ------------------------------------------------------------------

    def answers(self) -> dict:
        """The call's fields (attachments excepted: they are files), numbers parsed."""
        found = {}
        for spec, form_field in self.call_fields():
            kind, data = spec.get("kind", "text"), form_field.data
            if kind == "attachment":
                continue
            if kind == "number":
                data = parse_number(data)
            elif kind == "checkbox":
                data = bool(data)
            elif kind == "choice":
                data = data or None
            else:
                data = data or ""
            found[spec["key"]] = data
        return found

    def contacts(self) -> list[dict]:
        return [{part: (row[part].data or "").strip() for part in CONTACT_PARTS} for row in self.contact_rows()
                if any((row[part].data or "").strip() for part in CONTACT_PARTS)]

    def uploads(self) -> dict:
        """Form field name → the uploaded file (only fields that received one)."""
        found = {}
        for name in ["signed"] + [form_field.name for spec, form_field in self.call_fields()
                                  if spec.get("kind") == "attachment"]:
            upload = self[name].data
            if upload is not None and getattr(upload, "filename", ""):
                found[name] = upload
        return found

    def values(self) -> dict:
        return {"answers": self.answers(), "protocol_number": (self.protocol_number.data or "").strip(),
                "protocol_date": self.protocol_date.data, "contacts": self.contacts()}

    def fill_from(self, candidacy) -> None:
        answers = candidacy.answers or {}
        for spec, form_field in self.call_fields():
            kind, value = spec.get("kind", "text"), answers.get(spec["key"])
            if kind == "attachment":
                continue
            if kind == "number":
                form_field.data = number_text(value)
            elif kind == "checkbox":
                form_field.data = bool(value)
            else:
                form_field.data = value or ""
        self.protocol_number.data = candidacy.protocol_number or ""
        self.protocol_date.data = candidacy.protocol_date
        rows = self.contact_rows()
        for row, contact in zip(rows, candidacy.contacts, strict=False):
            row["name"].data, row["role"].data = contact.full_name, contact.role
            row["email"].data, row["phone"].data = contact.email, contact.phone


def _call_field(spec: dict):
    label, kind = spec.get("label") or spec["key"], spec.get("kind", "text")
    help_text = spec.get("help") or ""
    if kind == "textarea":
        return TextAreaField(label, description=help_text, validators=[Optional(), Length(max=TEXT_MAX)])
    if kind == "number":
        return StringField(label, description=help_text, validators=[Optional(), Length(max=40), _number_check])
    if kind == "choice":
        choices = [("", _l("— Scegliete —"))] + [(str(each), str(each)) for each in spec.get("choices") or []]
        return SelectField(label, description=help_text, choices=choices, validators=[Optional(), _one_of],
                           validate_choice=False)
    if kind == "checkbox":
        return BooleanField(label, description=help_text)
    if kind == "attachment":
        return FileField(label, description=help_text or FILE_HELP)
    return StringField(label, description=help_text, validators=[Optional(), Length(max=500)])


def candidacy_form(call, **kwargs) -> CandidacyFormBase:
    """The candidacy form of a call (a class per call, since its fields are the call's)."""

    class CandidacyForm(CandidacyFormBase):
        pass

    for spec in call.fields or []:
        if spec.get("key"):
            setattr(CandidacyForm, f"field_{spec['key']}", _call_field(spec))
    for index in range(CONTACT_ROWS):
        number = index + 1
        setattr(CandidacyForm, f"contact_name_{index}", StringField(
            _l("Nome e cognome (persona %(num)d)", num=number), validators=[Optional(), Length(max=120)]))
        setattr(CandidacyForm, f"contact_role_{index}", StringField(
            _l("Ruolo (persona %(num)d)", num=number), validators=[Optional(), Length(max=120)]))
        setattr(CandidacyForm, f"contact_email_{index}", StringField(
            _l("E-mail (persona %(num)d)", num=number), validators=[Optional(), Length(max=254)]))
        setattr(CandidacyForm, f"contact_phone_{index}", StringField(
            _l("Telefono (persona %(num)d)", num=number), validators=[Optional(), Length(max=40)]))
    CandidacyForm.call = call
    return CandidacyForm(**kwargs)
