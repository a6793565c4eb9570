"""The form of a call for expression of interest (issue 15): title, description, window (Europe/Rome), seats per
eligible organisation kind, and the candidacy form's fields (a list the staff add to, remove from and reorder)."""
from __future__ import annotations

import re
from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from slugify import slugify
from wtforms import (BooleanField, DateField, FieldList, FormField, HiddenField, IntegerField, SelectField,
                     StringField, TextAreaField, TimeField)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.calls.labels import FIELD_KINDS
from app.forms import FlaskForm
from app.models import PA_KIND_LABELS
from app.models.programme import NAME_MAX, TEXT_MAX

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
MAX_FIELDS = 40
MAX_CHOICES = 50
MAX_SEATS = 10_000
KEY_MAX = 40
# Names the candidacy form uses for its own inputs (or WTForms for its methods): a field of the call never takes
# one of them as its key, so that an answer never shadows the protocol, the documents or the form itself.
RESERVED_KEYS = frozenset({"csrf_token", "protocol_number", "protocol_date", "signed", "signed_document", "save",
                           "submit", "data", "errors", "meta", "process", "validate", "populate_obj", "contacts",
                           "documents", "files", "action"})
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
SEATS_MESSAGE = _l("Indicate un numero di posti da 1 a 10.000, o lasciate vuoto se questo tipo di ente non è "
                   "ammesso.")


def key_for(label: str) -> str:
    """A field's key from its label: lower-case letters, digits and underscores, never a reserved name."""
    key = slugify(label or "", separator="_", max_length=KEY_MAX) or "campo"
    if not key[0].isalpha():
        key = f"campo_{key}"[:KEY_MAX]
    if key in RESERVED_KEYS:
        key = f"{key}_campo"
    return key


def choice_lines(text: str | None) -> list[str]:
    """The choices of a "choice" field, one per line, without blanks or repeats."""
    seen: list[str] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if line and line not in seen:
            seen.append(line)
    return seen


def _in_range(field) -> None:
    if field.data and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError(_l("Indicate una data tra il 2000 e il 2100."))


class DayField(DateField):
    """A date, with the message in Italian when it is not one."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Scrivete una data valida, per esempio 31/03/2027.")) from None


class HourField(TimeField):
    """A time of day, with the message in Italian when it is not one."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Scrivete un'ora valida, per esempio 18:00.")) from None


class SeatsField(IntegerField):
    """A number of seats, or nothing (the kind is not eligible); the message in Italian when it is not a number."""

    def process_formdata(self, valuelist):
        if valuelist and not (valuelist[0] or "").strip():
            self.data = None
            return
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(SEATS_MESSAGE) from None


class FieldForm(FlaskForm):
    """One field of the candidacy form (a row of the designer)."""

    class Meta:
        csrf = False  # a part of CallForm, which carries the token

    key = HiddenField()
    label = StringField(_l("Etichetta"), validators=[
        DataRequired(message=_l("Scrivete l'etichetta del campo.")),
        Length(max=NAME_MAX, message=_l("Al massimo %(max)d caratteri.", max=NAME_MAX))])
    kind = SelectField(_l("Tipo"), choices=lambda: list(FIELD_KINDS.items()), default="text", validate_choice=False)
    required = BooleanField(_l("Obbligatorio"))
    choices = TextAreaField(_l("Voci dell'elenco (una per riga)"), validators=[
        Length(max=5000, message=_l("Al massimo %(max)d caratteri.", max=5000))],
        description=_l("Solo per una scelta da un elenco: almeno due voci."))
    help = StringField(_l("Testo di aiuto"), validators=[
        Optional(), Length(max=300, message=_l("Al massimo %(max)d caratteri.", max=300))])

    def validate_kind(self, field) -> None:
        if field.data not in FIELD_KINDS:
            raise ValidationError(_l("Scegliete un tipo dell'elenco."))

    def validate_choices(self, field) -> None:
        lines = choice_lines(field.data)
        if self.kind.data != "choice":
            return
        if len(lines) < 2:
            raise ValidationError(_l("Una scelta da un elenco ha almeno due voci, una per riga."))
        if len(lines) > MAX_CHOICES or any(len(line) > NAME_MAX for line in lines):
            raise ValidationError(_l("Al massimo 50 voci, di 200 caratteri ciascuna."))


def field_row(field: dict) -> dict:
    """A stored field as the designer's row shows it (choices one per line)."""
    return {"key": field.get("key", ""), "label": field.get("label", ""), "kind": field.get("kind", "text"),
            "required": bool(field.get("required")), "choices": "\n".join(field.get("choices") or []),
            "help": field.get("help", "")}


class CallForm(FlaskForm):
    """A call's settings (new call and edit). The designer's buttons (add, remove, move) re-show the form unsaved."""

    title = StringField(_l("Titolo dell'avviso"), validators=[
        DataRequired(message=_l("Scrivete il titolo dell'avviso.")),
        Length(max=NAME_MAX, message=_l("Al massimo %(max)d caratteri.", max=NAME_MAX))])
    description = TextAreaField(_l("Descrizione"), validators=[
        Optional(), Length(max=TEXT_MAX, message=_l("Al massimo %(max)d caratteri.", max=TEXT_MAX))],
        description=_l("Finalità, destinatari, impegni richiesti, modalità di selezione. Potete usare Markdown."))
    opens_on = DayField(_l("Apertura delle candidature: giorno"), format=DATE_FORMATS, validators=[Optional()])
    opens_time = HourField(_l("Apertura: ora (ora italiana)"), default=time(9, 0), validators=[Optional()])
    closes_on = DayField(_l("Chiusura delle candidature: giorno"), format=DATE_FORMATS, validators=[Optional()])
    closes_time = HourField(_l("Chiusura: ora (ora italiana)"), default=time(23, 59), validators=[Optional()])
    fields = FieldList(FormField(FieldForm), min_entries=0, max_entries=MAX_FIELDS)

    # Filled by the route: the keys of the call's stored fields (a hidden key not among them is a new field).
    existing_keys: frozenset = frozenset()
    quotas_error: str | None = None

    def seats_fields(self):
        """(PA kind, its label, its seats field), in the order of PA_KIND_LABELS."""
        return [(kind, label, self[f"seats_{kind}"]) for kind, label in PA_KIND_LABELS.items()]

    def validate_opens_on(self, field) -> None:
        _in_range(field)

    def validate_closes_on(self, field) -> None:
        _in_range(field)
        opens, closes = self.opening(), self.closing()
        if opens is not None and closes is not None and closes <= opens:
            raise ValidationError(_l("La chiusura delle candidature deve venire dopo l'apertura."))

    def _check_both_days(self) -> bool:
        """An empty day skips its field's validators: one day without the other is told here."""
        for given, missing, message in (
                (self.closes_on, self.opens_on, _l("Indicate anche il giorno di apertura delle candidature.")),
                (self.opens_on, self.closes_on, _l("Indicate anche il giorno di chiusura delle candidature."))):
            if given.data is not None and missing.data is None and not missing.errors:
                missing.errors = [*missing.errors, message]
                return False
        return True

    def opening(self) -> datetime | None:
        if not self.opens_on.data:
            return None
        return datetime.combine(self.opens_on.data, self.opens_time.data or time(9, 0))

    def closing(self) -> datetime | None:
        if not self.closes_on.data:
            return None
        return datetime.combine(self.closes_on.data, self.closes_time.data or time(23, 59))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        seats = [field for _kind, _label, field in self.seats_fields()]
        if not any(field.data for field in seats) and not any(field.errors for field in seats):
            self.quotas_error = str(_l("Indicate almeno un tipo di ente ammesso, con il numero di posti."))
            valid = False
        valid = self._check_both_days() and valid
        return self._check_keys() and valid

    def _check_keys(self) -> bool:
        """Each field gets its key (kept for a stored field, made from the label for a new one); two fields with the
        same key are refused at the second one's label."""
        seen, valid = set(), True
        for entry in self.fields:
            row = entry.form
            if row.key.data not in self.existing_keys:
                row.key.data = key_for(row.label.data) if row.label.data else ""
            if not row.key.data:
                continue
            if row.key.data in seen:
                row.label.errors = [*row.label.errors, str(_l(
                    "Un altro campo ha già il codice «%(key)s» (nasce dall'etichetta): cambiate l'etichetta.",
                    key=row.key.data))]
                valid = False
            seen.add(row.key.data)
        return valid

    def field_list(self) -> list[dict]:
        """The fields as the call stores them."""
        rows = []
        for entry in self.fields:
            row = entry.form
            rows.append({"key": row.key.data, "label": row.label.data, "kind": row.kind.data,
                         "required": bool(row.required.data),
                         "choices": choice_lines(row.choices.data) if row.kind.data == "choice" else [],
                         "help": row.help.data or ""})
        return rows

    def quota_map(self) -> dict[str, int]:
        return {kind: seats.data for kind, _label, seats in self.seats_fields() if seats.data}

    def values(self) -> dict:
        """The call's settings from the form (after validate): the moments still in Europe/Rome, naive."""
        return dict(title=self.title.data, description=self.description.data or "", opens_local=self.opening(),
                    closes_local=self.closing(), quotas=self.quota_map(), fields=self.field_list())

    def fill_from(self, call, opens_local: datetime | None, closes_local: datetime | None) -> None:
        """Show a call's stored settings (its moments already in Europe/Rome)."""
        self.title.data, self.description.data = call.title, call.description
        if opens_local is not None:
            self.opens_on.data, self.opens_time.data = opens_local.date(), opens_local.time()
        if closes_local is not None:
            self.closes_on.data, self.closes_time.data = closes_local.date(), closes_local.time()
        for quota in call.quotas:
            if f"seats_{quota.pa_kind}" in self:
                self[f"seats_{quota.pa_kind}"].data = quota.seats
        self.set_rows([field_row(each) for each in call.fields or []])

    # ---- the designer's rows, changed without saving -------------------------------------------------------------

    def rows(self) -> list[dict]:
        return [dict(entry.form.data) for entry in self.fields]

    def set_rows(self, rows: list[dict]) -> None:
        """Replace the rows, numbered again from 0 (the order posted is the order of the numbers)."""
        self.fields.entries = []
        self.fields.last_index = -1
        for row in rows:
            self.fields.append_entry({key: row.get(key) for key in ("key", "label", "kind", "required", "choices",
                                                                     "help")})


for _kind in PA_KIND_LABELS:
    setattr(CallForm, f"seats_{_kind}", SeatsField(PA_KIND_LABELS[_kind], validators=[
        Optional(), NumberRange(min=1, max=MAX_SEATS, message=SEATS_MESSAGE)]))
del _kind
