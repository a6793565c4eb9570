"""The adoption form (adopt and edit): plan kind and year, baseline, three targets checked against the adopted
version's unit and range, responsible office, notes, open data. Every error is Italian and at its field; the
service checks everything again (a forged request)."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from app.forms import FlaskForm
from app.kpi.adoptions import (FIRST_BASELINE_YEAR, FIRST_PLAN_YEAR, NOTES_MAX, OFFICE_MAX, AdoptionData,
                               last_plan_year)
from app.kpi.labels import PLAN_LABELS
from app.kpi.values import ValueRefused, checked_number, error_text
from app.kpi.workflow import PlanKind

NUMBER_FIELDS = ("baseline_value", "target_1", "target_2", "target_3")


def typed_number(number: float | None) -> str:
    """A stored number as a person types it back ("12,5"; parse_number reads it again)."""
    if number is None:
        return ""
    return f"{number:.6f}".rstrip("0").rstrip(".").replace(".", ",")


def read_year(raw) -> int | None:
    """A four-digit year typed in a text field; None when empty or not a year."""
    text = str(raw or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) == 4 else None


class AdoptionForm(FlaskForm):
    """Adopt a KPI (or edit the adoption): `version` is the version the numbers are checked against."""

    plan_kind = SelectField(_l("Piano"), choices=lambda: [(str(k), str(v)) for k, v in PLAN_LABELS.items()],
                            default=str(PlanKind.PIAO), validate_choice=False,
                            description=_l("Il documento di programmazione in cui l'ente inserisce l'indicatore."))
    plan_year = StringField(_l("Primo anno del triennio"), validators=[Length(max=10)],
                            description=_l("Per esempio 2025 per il piano 2025–2027."))
    baseline_value = StringField(_l("Valore di partenza"), validators=[Optional(), Length(max=40)],
                                 description=_l("Il valore misurato prima del piano (base di partenza)."))
    baseline_year = StringField(_l("Anno del valore di partenza"), validators=[Optional(), Length(max=10)])
    target_1 = StringField(_l("Obiettivo del primo anno"), validators=[Optional(), Length(max=40)])
    target_2 = StringField(_l("Obiettivo del secondo anno"), validators=[Optional(), Length(max=40)])
    target_3 = StringField(_l("Obiettivo del terzo anno"), validators=[Optional(), Length(max=40)])
    responsible_office = StringField(_l("Ufficio responsabile"), validators=[Length(max=OFFICE_MAX, message=_l(
        "Al massimo %(max)d caratteri.", max=OFFICE_MAX))])
    notes = TextAreaField(_l("Note"), validators=[Optional(), Length(max=NOTES_MAX, message=_l(
        "Al massimo %(max)d caratteri.", max=NOTES_MAX))],
        description=_l("Come l'ente misura l'indicatore, scelte e limiti. Potete usare Markdown."))
    open_data = BooleanField(_l("Pubblica i valori definitivi come dati aperti"))
    upgrade_version = BooleanField(_l("Passa alla versione attuale della definizione"))

    def __init__(self, *args, version=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.version = version

    def validate(self, extra_validators=None) -> bool:
        """The fields' own checks, then each number against the version, the years, the office."""
        valid = super().validate(extra_validators)
        if self.plan_kind.data not in set(PlanKind):
            self.plan_kind.errors = [*self.plan_kind.errors, _("Scegliete il piano: PIAO, DUP o DEFR.")]
            valid = False
        plan_year = read_year(self.plan_year.data)
        if plan_year is None or not FIRST_PLAN_YEAR <= plan_year <= last_plan_year():
            self.plan_year.errors = [*self.plan_year.errors, _(
                "Indicate il primo anno del triennio, tra %(first)s e %(last)s.", first=FIRST_PLAN_YEAR,
                last=last_plan_year())]
            valid = False
        baseline_year = read_year(self.baseline_year.data)
        typed_baseline_year = (self.baseline_year.data or "").strip()
        if typed_baseline_year and (baseline_year is None or baseline_year < FIRST_BASELINE_YEAR):
            self.baseline_year.errors = [*self.baseline_year.errors, _(
                "Indicate un anno di quattro cifre, dal %(first)s in poi.", first=FIRST_BASELINE_YEAR)]
            valid = False
        elif baseline_year is not None and plan_year is not None and baseline_year > plan_year:
            self.baseline_year.errors = [*self.baseline_year.errors, _(
                "L'anno della base di partenza non può essere successivo al primo anno del piano.")]
            valid = False
        elif baseline_year is not None and baseline_year > date.today().year:
            self.baseline_year.errors = [*self.baseline_year.errors, _(
                "Il valore di partenza è un valore già misurato: il suo anno non può essere nel futuro.")]
            valid = False
        elif baseline_year is None and (self.baseline_value.data or "").strip():
            self.baseline_year.errors = [*self.baseline_year.errors, _(
                "Indicate l'anno a cui si riferisce il valore di partenza.")]
            valid = False
        for name in NUMBER_FIELDS:
            field = self[name]
            if self.version is None or not (field.data or "").strip() or field.errors:
                continue
            try:
                checked_number(self.version, field.data, field=name)
            except ValueRefused as refused:
                field.errors = [*field.errors, error_text(refused)]
                valid = False
        if not (self.responsible_office.data or "").strip():
            self.responsible_office.errors = [*self.responsible_office.errors, _("Indicate l'ufficio responsabile.")]
            valid = False
        return valid

    def data_for_service(self) -> AdoptionData:
        return AdoptionData(plan_kind=self.plan_kind.data, plan_year=read_year(self.plan_year.data),
                            baseline_value=self.baseline_value.data, baseline_year=read_year(self.baseline_year.data),
                            target_1=self.target_1.data, target_2=self.target_2.data, target_3=self.target_3.data,
                            responsible_office=self.responsible_office.data or "", notes=self.notes.data or "",
                            open_data=bool(self.open_data.data))

    def fill_from(self, adoption) -> None:
        """Pre-fill the edit form with the adoption (numbers as the reader writes them)."""
        self.plan_kind.data, self.plan_year.data = adoption.plan_kind, str(adoption.plan_year)
        for name in NUMBER_FIELDS:
            number = getattr(adoption, name)
            self[name].data = typed_number(number)
        self.baseline_year.data = "" if adoption.baseline_year is None else str(adoption.baseline_year)
        self.responsible_office.data, self.notes.data = adoption.responsible_office, adoption.notes
        self.open_data.data = adoption.open_data


def refuse_at(form, refused: ValueRefused) -> None:
    """A service's refusal shown at its field (or above the form when it has none)."""
    message = error_text(refused)
    if refused.field and refused.field in form:
        form[refused.field].errors = [*(form[refused.field].errors or []), message]
    else:
        form.form_errors.append(message)
