"""Forms of the self-assessment (issue 13, point 4): new assessment, a score (own or consensus, fields after the
panel), an action of the plan, sharing items, a template."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.forms import FlaskForm
from app.models.self_assessment import ACTION_STATUS_LABELS, PANEL_LABELS

TEXT_MAX = 5_000
ITEMS_MAX = 200_000

VALUE_LABELS = {
    "score": _l("Punteggio (0–100)"),
    "plan": _l("PLAN — pianificare (0–100)"),
    "do": _l("DO — realizzare (0–100)"),
    "check": _l("CHECK — verificare (0–100)"),
    "act": _l("ACT — riesaminare e migliorare (0–100)"),
    "trends": _l("Andamento negli ultimi tre anni (0–100)"),
    "targets": _l("Risultati rispetto agli obiettivi (0–100)"),
}


class ScoreField(StringField):
    """A whole number from 0 to 100, or empty; anything else is refused at the field, in Italian."""

    def process_formdata(self, valuelist) -> None:
        self.raw = (valuelist[0] if valuelist else "") or ""
        self.data = self.raw.strip() or None

    def pre_validate(self, form) -> None:
        if self.data is None or str(self.data).strip() == "":
            self.data = None
            return
        text = str(self.data).strip()
        if not (text.isascii() and text.lstrip("-").isdigit()):
            self.data = None
            raise ValidationError(_l("Scrivi un numero intero da 0 a 100."))
        number = int(text)
        if not 0 <= number <= 100:
            raise ValidationError(_l("Il punteggio va da 0 a 100."))
        self.data = number

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


class _ScoreBase(FlaskForm):
    strengths = TextAreaField(_l("Punti di forza"), validators=[Optional(), Length(max=TEXT_MAX, message=_l(
        "Al massimo %(max)d caratteri.", max=TEXT_MAX))])
    improvements = TextAreaField(_l("Aree di miglioramento"), validators=[Optional(), Length(
        max=TEXT_MAX, message=_l("Al massimo %(max)d caratteri.", max=TEXT_MAX))])
    evidence = TextAreaField(_l("Evidenze"), validators=[Optional(), Length(max=TEXT_MAX, message=_l(
        "Al massimo %(max)d caratteri.", max=TEXT_MAX))], description=_l(
        "Documenti, dati, fatti su cui si basa il punteggio."))

    value_keys: tuple[str, ...] = ()

    @property
    def value_fields(self) -> list:
        return [self[key] for key in self.value_keys]

    @property
    def values(self) -> dict:
        return {key: self[key].data for key in self.value_keys}


_FORM_CLASSES: dict[tuple[str, ...], type] = {}


def score_form(keys: tuple[str, ...], **kwargs) -> _ScoreBase:
    """The score form for the panel's values (own score: no prefix; consensus: prefix="consensus")."""
    if keys not in _FORM_CLASSES:
        fields = {key: ScoreField(VALUE_LABELS[key]) for key in keys}
        _FORM_CLASSES[keys] = type("ScoreForm_" + "_".join(keys), (_ScoreBase,), {**fields, "value_keys": keys})
    return _FORM_CLASSES[keys](**kwargs)


class NewAssessmentForm(FlaskForm):
    """A new self-assessment of the reader's organisation."""

    template = SelectField(_l("Questionario"), coerce=int, validate_choice=False, validators=[
        DataRequired(message=_l("Scegli un questionario."))])
    panel = SelectField(_l("Pannello di punteggio"), choices=lambda: list(PANEL_LABELS.items()),
                        validators=[DataRequired(message=_l("Scegli un pannello di punteggio."))])
    title = StringField(_l("Titolo"), validators=[DataRequired(message=_l("Dai un titolo all'autovalutazione.")),
                                                   Length(max=200, message=_l("Al massimo 200 caratteri."))],
                        description=_l("Per esempio: Autovalutazione CAF 2026."))
    assessed_on = DateField(_l("Data dell'autovalutazione"), format=["%Y-%m-%d", "%d/%m/%Y"], validators=[
        DataRequired(message=_l("Indica la data (gg/mm/aaaa o aaaa-mm-gg)."))])

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.template.choices = [(each.id, f"{each.title} (v. {each.version})") for each in templates]

    def validate_template(self, field) -> None:
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Scegli un questionario tra quelli disponibili."))

    def validate_assessed_on(self, field) -> None:
        if field.data and field.data.year < 2000:
            raise ValidationError(_l("Indica una data dal 2000 in poi."))


class ActionForm(FlaskForm):
    """An action of the improvement plan."""

    title = StringField(_l("Azione"), validators=[DataRequired(message=_l("Scrivi che cosa si farà.")),
                                                   Length(max=200, message=_l("Al massimo 200 caratteri."))])
    item_code = SelectField(_l("Sottocriterio"), validate_choice=False, validators=[Optional()])
    owner = StringField(_l("Responsabile"), validators=[Optional(), Length(max=120, message=_l(
        "Al massimo 120 caratteri."))], description=_l("Ufficio o persona che se ne occupa."))
    due_on = DateField(_l("Scadenza"), format=["%Y-%m-%d", "%d/%m/%Y"], validators=[Optional()])
    status = SelectField(_l("Stato"), choices=lambda: list(ACTION_STATUS_LABELS.items()))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.item_code.choices = [("", _l("— Nessuno in particolare —"))] + [
            (each["code"], f'{each["code"]} {each.get("title_it", "")}') for each in items]

    def validate_item_code(self, field) -> None:
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Scegli un sottocriterio del questionario."))


class ActionStatusForm(FlaskForm):
    """Moving an action of the plan."""

    status = SelectField(_l("Stato"), choices=lambda: list(ACTION_STATUS_LABELS.items()))


class TemplateForm(FlaskForm):
    """A questionnaire template, its items as YAML."""

    title = StringField(_l("Titolo"), validators=[DataRequired(message=_l("Dai un titolo al questionario.")),
                                                   Length(max=200, message=_l("Al massimo 200 caratteri."))])
    description = TextAreaField(_l("Descrizione"), validators=[Optional(), Length(max=TEXT_MAX)])
    items = TextAreaField(_l("Voci (YAML)"), validators=[
        DataRequired(message=_l("Scrivi le voci del questionario.")),
        Length(max=ITEMS_MAX, message=_l("Al massimo %(max)d caratteri.", max=ITEMS_MAX))],
                          description=_l("Un elenco: per ogni voce code, level (criterion o sub), parent, kind "
                                         "(enabler o result), title_it, title_en, working_translation, guidance."))
    active = BooleanField(_l("Proposto per le nuove autovalutazioni"))
