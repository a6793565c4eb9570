"""The record form of a KPI (issue 16), shared by the proposal and the edit: the whole DPCM 18/9/2012 record with
the library's taxonomies. Choices come from the reference tables (app/kpi/reference.py); every id typed or forged
is checked against them and refused at its field in Italian, never with a 500."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms import FlaskForm
from app.kpi import reference
from app.kpi.core import VersionData
from app.kpi.labels import (FORMULA_LABELS, FREQUENCY_LABELS, LEVEL_LABELS, POLARITY_LABELS, TYPOLOGY_LABELS,
                            UNIT_LABELS)
from app.kpi.workflow import FormulaKind, Frequency, Level, Polarity, Typology, Unit, value_bounds
from app.models import ReferenceScheme
from app.models.kpi import NAME_MAX, TEXT_MAX

MAX_TAGS = 10
TAG_MAX = 40
NUMBER_LIMIT = 1e15  # beyond this a "number" is a typing accident (and floats lose their digits)
MISSION_SCHEMES = (ReferenceScheme.MISSION_LOCAL, ReferenceScheme.MISSION_STATE)


def _too_long(limit: int):
    return Length(max=limit, message=_l("Al massimo %(max)d caratteri.", max=limit))


def parse_number(text: str | None) -> float | None:
    """A number typed the Italian way ("1.234,5", "3,5") or the other ("3.5"); None when empty; ValueError else."""
    cleaned = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    if not cleaned:
        return None
    if "," in cleaned and "." in cleaned:
        decimal = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        if not re.fullmatch(rf"[+-]?\d{{1,3}}(\{thousands}\d{{3}})+", cleaned.rpartition(decimal)[0]):
            raise ValueError(cleaned)  # "1.2,3.4" is no number
        cleaned = cleaned.replace(thousands, "").replace(decimal, ".")
    else:
        cleaned = cleaned.replace(",", ".")
    if not cleaned.isascii() or len(cleaned) > 30:
        raise ValueError(cleaned)
    value = float(cleaned)
    if math.isnan(value) or math.isinf(value) or abs(value) > NUMBER_LIMIT:
        raise ValueError(cleaned)
    return value


def number_text(value: float | None) -> str:
    """A stored number as the form shows it again ("35", "2.5")."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def parse_tags(text: str | None) -> list[str]:
    """Comma-separated tags, lower-cased, without repeats, in the order typed."""
    tags: list[str] = []
    for raw in (text or "").split(","):
        tag = " ".join(raw.split()).lower()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def _id_of(raw) -> int | None:
    raw = str(raw or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 10 and int(raw) < 2**31 else None


class NumberField(StringField):
    """A decimal number as text: parsed by the form, so a wrong one gets an Italian message at the field."""

    number: float | None = None

    def pre_validate(self, form) -> None:
        try:
            self.number = parse_number(self.data)
        except ValueError:
            self.number = None
            raise ValidationError(_l("Scrivete un numero, per esempio 12 o 3,5.")) from None


class LooseMultipleField(SelectMultipleField):
    """A multiple choice whose values the form checks (an Italian message at the field, never wtforms')."""

    def pre_validate(self, form) -> None:
        pass


class CheckboxesField(LooseMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


@dataclass
class DefinitionChoices:
    """The reference terms a record may use, loaded once per request (one query per scheme)."""

    missions: dict = field(default_factory=dict)  # {group label: [(id, text)]}, technical missions last
    sdgs: list = field(default_factory=list)
    piao: list = field(default_factory=list)
    bes: list = field(default_factory=list)
    mission_ids: set = field(default_factory=set)
    policy_mission_ids: set = field(default_factory=set)  # local and State missions: one of them is required
    sdg_ids: set = field(default_factory=set)
    piao_ids: set = field(default_factory=set)
    bes_ids: set = field(default_factory=set)


def _text(term) -> str:
    return f"{term.code} · {term.label_it}"


def load_choices() -> DefinitionChoices:
    """Missions of local authorities and of the State (technical ones in a group of their own, last), programmes
    when loaded, PIAO sub-sections, BES domains and SDGs."""
    local = reference.terms(ReferenceScheme.MISSION_LOCAL)
    state = reference.terms(ReferenceScheme.MISSION_STATE)
    programmes = reference.terms(ReferenceScheme.PROGRAMME_LOCAL)
    choices = DefinitionChoices()
    groups = {
        str(_l("Missioni di Regioni ed enti locali")): [t for t in local if not t.technical],
        str(_l("Missioni del bilancio dello Stato")): [t for t in state if not t.technical],
        str(_l("Programmi delle missioni")): programmes,
        str(_l("Missioni tecniche (di norma senza indicatori di valore pubblico)")):
            [t for t in local + state if t.technical],
    }
    choices.missions = {label: [(str(t.id), _text(t)) for t in rows] for label, rows in groups.items() if rows}
    choices.mission_ids = {t.id for t in local + state + programmes}
    choices.policy_mission_ids = {t.id for t in local + state}
    sdgs = reference.terms(ReferenceScheme.SDG)
    choices.sdgs = [(str(t.id), _text(t)) for t in sdgs]
    choices.sdg_ids = {t.id for t in sdgs}
    piao = reference.terms(ReferenceScheme.PIAO_SUBSECTION)
    choices.piao = [(str(t.id), _text(t)) for t in piao]
    choices.piao_ids = {t.id for t in piao}
    bes = reference.terms(ReferenceScheme.BES_DOMAIN)
    choices.bes = [(str(t.id), t.label_it) for t in bes]
    choices.bes_ids = {t.id for t in bes}
    return choices


def _label_choices(table: dict) -> list[tuple[str, str]]:
    return [(str(code), label) for code, label in table.items()]


class DefinitionForm(FlaskForm):
    """A KPI's record: what it measures, how it is computed, how it is read, where it belongs."""

    name = StringField(_l("Nome dell'indicatore"), validators=[
        DataRequired(message=_l("Scrivete il nome dell'indicatore.")), _too_long(NAME_MAX)],
        description=_l("Come lo leggerà chi lo adotta, per esempio «Tempo medio di pagamento delle fatture»."))
    short_name = StringField(_l("Nome breve"), validators=[Optional(), _too_long(80)],
                             description=_l("Facoltativo: per tabelle e grafici."))
    description = TextAreaField(_l("Definizione"), validators=[
        DataRequired(message=_l("Scrivete che cosa misura l'indicatore.")), _too_long(TEXT_MAX)],
        description=_l("Che cosa misura, con quali inclusioni ed esclusioni. Potete usare Markdown."))
    typology = SelectField(_l("Tipologia"), choices=lambda: _label_choices(TYPOLOGY_LABELS),
                           default=str(Typology.OUTCOME), validate_choice=False,
                           description=_l("Secondo il DPCM 18 settembre 2012."))
    formula_kind = SelectField(_l("Come si calcola"), choices=lambda: _label_choices(FORMULA_LABELS),
                               default=str(FormulaKind.RATIO), validate_choice=False)
    numerator = StringField(_l("Numeratore"), validators=[_too_long(500)],
                            description=_l("Obbligatorio se l'indicatore è un rapporto."))
    denominator = StringField(_l("Denominatore"), validators=[_too_long(500)],
                              description=_l("Obbligatorio se l'indicatore è un rapporto."))
    formula = TextAreaField(_l("Descrizione del calcolo"), validators=[_too_long(TEXT_MAX)],
                            description=_l("Obbligatoria se il calcolo non è un semplice rapporto."))
    unit = SelectField(_l("Unità di misura"), choices=lambda: _label_choices(UNIT_LABELS), default=str(Unit.PERCENT),
                       validate_choice=False)
    polarity = SelectField(_l("Polarità"), choices=lambda: _label_choices(POLARITY_LABELS),
                           default=str(Polarity.HIGHER), validate_choice=False)
    range_low = NumberField(_l("Intervallo obiettivo: da"), description=_l(
        "Obbligatorio con la polarità «entro un intervallo obiettivo»."))
    range_high = NumberField(_l("Intervallo obiettivo: a"), description=_l(
        "Obbligatorio con la polarità «entro un intervallo obiettivo»."))
    value_min = NumberField(_l("Valore minimo ammesso"), description=_l(
        "Facoltativo: restringe i valori che l'unità di misura ammette."))
    value_max = NumberField(_l("Valore massimo ammesso"), description=_l(
        "Facoltativo: restringe i valori che l'unità di misura ammette."))
    frequency = SelectField(_l("Frequenza di rilevazione"), choices=lambda: _label_choices(FREQUENCY_LABELS),
                            default=str(Frequency.ANNUAL), validate_choice=False)
    data_source = StringField(_l("Fonte dei dati"), validators=[
        DataRequired(message=_l("Indicate da dove vengono i dati.")), _too_long(500)],
        description=_l("Il sistema, la banca dati o la rilevazione da cui si prendono i valori."))
    level = SelectField(_l("Livello di governo"), choices=lambda: _label_choices(LEVEL_LABELS), default=str(Level.ANY),
                        validate_choice=False,
                        description=_l("Gli enti che possono adottarlo e con cui si confronta."))
    missions = LooseMultipleField(_l("Missioni di bilancio"), choices=[], description=_l(
        "Almeno una. Tenete premuto Ctrl (o Cmd) per sceglierne più di una."))
    piao_subsection = SelectField(_l("Sottosezione del PIAO"), choices=[], validate_choice=False)
    bes_domain = SelectField(_l("Dominio BES"), choices=[], validate_choice=False)
    external_code = StringField(_l("Codice ISTAT o di un'altra fonte"), validators=[Optional(), _too_long(40)],
                                description=_l("Facoltativo: per esempio il codice dell'indicatore BES."))
    sdgs = CheckboxesField(_l("Obiettivi di sviluppo sostenibile"), choices=[])
    tags = StringField(_l("Parole chiave"), validators=[Optional(), _too_long(MAX_TAGS * (TAG_MAX + 2))],
                       description=_l("Separate da virgole, al massimo 10, ciascuna di al massimo 40 caratteri."))
    caveat = TextAreaField(_l("Avvertenze sulla confrontabilità"), validators=[Optional(), _too_long(TEXT_MAX)],
                           description=_l("Che cosa rende difficile confrontare i valori di enti diversi."))

    def __init__(self, *args, choices: DefinitionChoices | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reference = choices or load_choices()
        self.missions.choices = self.reference.missions
        self.missions.flags.required = True  # checked by validate_missions; the label shows it
        self.sdgs.choices = self.reference.sdgs
        self.piao_subsection.choices = [("", str(_l("Nessuna")))] + self.reference.piao
        self.bes_domain.choices = [("", str(_l("Nessuno")))] + self.reference.bes

    # ---- one field at a time -----------------------------------------------------------------------------------

    def validate_typology(self, field) -> None:
        if field.data not in TYPOLOGY_LABELS:
            raise ValidationError(_l("Scegliete la tipologia dall'elenco."))

    def validate_formula_kind(self, field) -> None:
        if field.data not in FORMULA_LABELS:
            raise ValidationError(_l("Scegliete come si calcola dall'elenco."))

    def validate_unit(self, field) -> None:
        if field.data not in UNIT_LABELS:
            raise ValidationError(_l("Scegliete l'unità di misura dall'elenco."))

    def validate_polarity(self, field) -> None:
        if field.data not in POLARITY_LABELS:
            raise ValidationError(_l("Scegliete la polarità dall'elenco."))

    def validate_frequency(self, field) -> None:
        if field.data not in FREQUENCY_LABELS:
            raise ValidationError(_l("Scegliete la frequenza dall'elenco."))

    def validate_level(self, field) -> None:
        if field.data not in LEVEL_LABELS:
            raise ValidationError(_l("Scegliete il livello dall'elenco."))

    def validate_numerator(self, field) -> None:
        if self.formula_kind.data == FormulaKind.RATIO and not field.data:
            raise ValidationError(_l("Scrivete il numeratore del rapporto."))

    def validate_denominator(self, field) -> None:
        if self.formula_kind.data == FormulaKind.RATIO and not field.data:
            raise ValidationError(_l("Scrivete il denominatore del rapporto."))

    def validate_formula(self, field) -> None:
        if self.formula_kind.data == FormulaKind.DESCRIPTION and not field.data:
            raise ValidationError(_l("Descrivete come si calcola l'indicatore."))

    def validate_range_low(self, field) -> None:
        if self.polarity.data == Polarity.RANGE and field.number is None and not field.errors:
            raise ValidationError(_l("Indicate dove comincia l'intervallo obiettivo."))

    def validate_range_high(self, field) -> None:
        if self.polarity.data == Polarity.RANGE and field.number is None and not field.errors:
            raise ValidationError(_l("Indicate dove finisce l'intervallo obiettivo."))
        low = self.range_low.number
        if field.number is not None and low is not None and low > field.number:
            raise ValidationError(_l("L'intervallo obiettivo deve finire dopo dove comincia."))

    def validate_value_max(self, field) -> None:
        low = self.value_min.number
        if field.number is not None and low is not None and low > field.number:
            raise ValidationError(_l("Il massimo ammesso non può essere minore del minimo."))

    def validate_missions(self, field) -> None:
        ids = [_id_of(raw) for raw in field.data or []]
        if any(i is None or i not in self.reference.mission_ids for i in ids):
            raise ValidationError(_l("Scegliete le missioni dall'elenco."))
        if not any(i in self.reference.policy_mission_ids for i in ids):
            raise ValidationError(_l("Scegliete almeno una missione di bilancio."))

    def validate_sdgs(self, field) -> None:
        if any(_id_of(raw) not in self.reference.sdg_ids for raw in field.data or []):
            raise ValidationError(_l("Scegliete gli obiettivi dall'elenco."))

    def validate_piao_subsection(self, field) -> None:
        if field.data and _id_of(field.data) not in self.reference.piao_ids:
            raise ValidationError(_l("Scegliete la sottosezione dall'elenco."))

    def validate_bes_domain(self, field) -> None:
        if field.data and _id_of(field.data) not in self.reference.bes_ids:
            raise ValidationError(_l("Scegliete il dominio dall'elenco."))

    def validate_tags(self, field) -> None:
        tags = parse_tags(field.data)
        if len(tags) > MAX_TAGS:
            raise ValidationError(_l("Al massimo %(max)d parole chiave.", max=MAX_TAGS))
        if any(len(tag) > TAG_MAX for tag in tags):
            raise ValidationError(_l("Ogni parola chiave ha al massimo %(max)d caratteri.", max=TAG_MAX))

    def validate(self, extra_validators=None) -> bool:
        """The fields, then what ties the unit to the admitted values and the target band."""
        valid = super().validate(extra_validators)
        if not valid or self.unit.data not in UNIT_LABELS:
            return valid
        low, high = value_bounds(self.unit.data, self.value_min.number, self.value_max.number)
        for each in (self.value_min, self.value_max, self.range_low, self.range_high):
            number = each.number
            if number is not None and ((low is not None and number < low) or (high is not None and number > high)):
                each.errors = list(each.errors) + [str(_l("Il numero è fuori dai valori ammessi dall'unità di "
                                                        "misura e dai limiti indicati."))]
                valid = False
        return valid

    # ---- in and out ----------------------------------------------------------------------------------------------

    def values(self) -> VersionData:
        """The version's fields and its terms (missions first, then SDGs), as core.VersionData."""
        ratio = self.formula_kind.data == FormulaKind.RATIO
        ranged = self.polarity.data == Polarity.RANGE
        fields = dict(
            name=self.name.data, short_name=self.short_name.data or "", description=self.description.data or "",
            typology=self.typology.data, formula_kind=self.formula_kind.data,
            numerator=(self.numerator.data or "") if ratio else "",
            denominator=(self.denominator.data or "") if ratio else "", formula=self.formula.data or "",
            unit=self.unit.data, polarity=self.polarity.data,
            range_low=self.range_low.number if ranged else None, range_high=self.range_high.number if ranged else None,
            value_min=self.value_min.number, value_max=self.value_max.number, frequency=self.frequency.data,
            data_source=self.data_source.data or "", level=self.level.data,
            piao_subsection_id=_id_of(self.piao_subsection.data), bes_domain_id=_id_of(self.bes_domain.data),
            external_code=self.external_code.data or "", tags=parse_tags(self.tags.data),
            caveat=self.caveat.data or "")
        term_ids = list(dict.fromkeys([_id_of(raw) for raw in self.missions.data or []]
                                      + [_id_of(raw) for raw in self.sdgs.data or []]))
        return VersionData(fields=fields, term_ids=term_ids)

    def fill_from(self, version) -> None:
        """Show a version's record in the form (GET of the edit)."""
        for name in ("name", "short_name", "description", "typology", "formula_kind", "numerator", "denominator",
                     "formula", "unit", "polarity", "frequency", "data_source", "level", "external_code", "caveat"):
            self[name].data = getattr(version, name) or ""
        for name in ("range_low", "range_high", "value_min", "value_max"):
            self[name].data = number_text(getattr(version, name))
        self.piao_subsection.data = str(version.piao_subsection_id or "")
        self.bes_domain.data = str(version.bes_domain_id or "")
        self.missions.data = [str(t.id) for t in version.missions]
        self.sdgs.data = [str(t.id) for t in version.sdgs]
        self.tags.data = ", ".join(version.tags or [])


class NewVersionForm(DefinitionForm):
    """The record of a published KPI, changed by a new version: what changes and whether the series breaks."""

    change_note = TextAreaField(_l("Che cosa cambia in questa versione"), validators=[
        DataRequired(message=_l("Descrivete che cosa cambia in questa versione.")), _too_long(TEXT_MAX)],
        description=_l("Chi ha adottato l'indicatore riceve un avviso con questa nota."))
    breaks_series = BooleanField(_l("La nuova versione interrompe la serie storica"), description=_l(
        "Spuntate se i valori calcolati con la nuova definizione non sono confrontabili con quelli precedenti."))
