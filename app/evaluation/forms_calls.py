"""Forms of the calls: the call's settings, a criterion, a commission member. The line-based fields (categories,
extra fields, anchors) are parsed here, with the line that is wrong named in the message."""
from __future__ import annotations

import re
from datetime import date, time

from flask_babel import lazy_gettext as _l
from slugify import slugify
from wtforms import (BooleanField, DateField, FloatField, IntegerField, SelectMultipleField, StringField,
                     TextAreaField, TimeField)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms import FlaskForm
from app.models import EXTRA_FIELD_KINDS, PA_KIND_LABELS
from app.models.evaluation import TEXT_MAX, TITLE_MAX

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
EMAIL_CHECK = Email(message=_l("Scrivete un indirizzo e-mail valido."), check_deliverability=False)
CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,29}$")
CATEGORY_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
# What people may write as an extra field's kind, besides the codes themselves.
KIND_WORDS = {"testo": "text", "testo breve": "text", "testo lungo": "textarea", "numero": "number",
              "scelta": "choice", "elenco": "choice", "dichiarazione": "checkbox", "spunta": "checkbox"}
REQUIRED_WORDS = {"obbligatorio": True, "sì": True, "si": True, "facoltativo": False, "no": False, "": False}


def _lines(text: str | None):
    for number, line in enumerate((text or "").splitlines(), start=1):
        if line.strip():
            yield number, line.strip()


def parse_categories(text: str | None) -> list[dict]:
    """"codice: etichetta" per line → [{"code", "label"}]."""
    categories, seen = [], set()
    for number, line in _lines(text):
        code, colon, label = line.partition(":")
        code, label = code.strip().lower(), label.strip()
        if not colon or not label or not CATEGORY_CODE.match(code):
            raise ValidationError(_l("Riga %(line)d: scrivete «codice: etichetta», con un codice di lettere minuscole, "
                                     "cifre o trattini.", line=number))
        if code in seen:
            raise ValidationError(_l("Riga %(line)d: il codice «%(code)s» è ripetuto.", line=number, code=code))
        seen.add(code)
        categories.append({"code": code, "label": label[:TITLE_MAX]})
    return categories


def categories_text(categories) -> str:
    return "\n".join(f"{each['code']}: {each['label']}" for each in categories or [])


def parse_extra_fields(text: str | None, existing=()) -> list[dict]:
    """"Etichetta | tipo | obbligatorio | scelta A; scelta B" per line → the call's extra fields (a field keeps its
    key while its label stays the same)."""
    keys = {each["label"]: each["key"] for each in existing or []}
    fields, seen = [], set()
    for number, line in _lines(text):
        parts = [part.strip() for part in line.split("|")]
        label = parts[0]
        kind_word = (parts[1] if len(parts) > 1 else "testo").lower()
        kind = kind_word if kind_word in EXTRA_FIELD_KINDS else KIND_WORDS.get(kind_word)
        required_word = (parts[2] if len(parts) > 2 else "").lower()
        choices = [each.strip() for each in (parts[3] if len(parts) > 3 else "").split(";") if each.strip()]
        if not label or len(parts) > 4:
            raise ValidationError(_l("Riga %(line)d: scrivete «etichetta | tipo | obbligatorio o facoltativo | "
                                     "scelte separate da punto e virgola».", line=number))
        if kind is None:
            raise ValidationError(_l("Riga %(line)d: il tipo «%(kind)s» non esiste; usate testo, testo lungo, numero, "
                                     "scelta o dichiarazione.", line=number, kind=kind_word))
        if required_word not in REQUIRED_WORDS:
            raise ValidationError(_l("Riga %(line)d: scrivete «obbligatorio» o «facoltativo».", line=number))
        if kind == "choice" and len(choices) < 2:
            raise ValidationError(_l("Riga %(line)d: una scelta da un elenco ha almeno due voci, separate da punto e "
                                     "virgola.", line=number))
        key = keys.get(label) or slugify(label, separator="_", max_length=40) or f"campo_{number}"
        while key in seen:
            key = f"{key}_{number}"
        seen.add(key)
        fields.append({"key": key, "label": label[:TITLE_MAX], "kind": kind, "required": REQUIRED_WORDS[required_word],
                       "choices": choices if kind == "choice" else []})
    return fields


def extra_fields_text(fields) -> str:
    words = {"text": "testo", "textarea": "testo lungo", "number": "numero", "choice": "scelta",
             "checkbox": "dichiarazione"}
    lines = []
    for each in fields or []:
        line = f"{each['label']} | {words.get(each['kind'], each['kind'])} | " \
               f"{'obbligatorio' if each.get('required') else 'facoltativo'}"
        if each.get("choices"):
            line += " | " + "; ".join(each["choices"])
        lines.append(line)
    return "\n".join(lines)


def parse_anchors(text: str | None, low: int, high: int) -> dict:
    """"n: etichetta" per line → {"n": "etichetta"}, n within the scale."""
    anchors = {}
    for number, line in _lines(text):
        value, colon, label = line.partition(":")
        value, label = value.strip(), label.strip()
        if not colon or not label or not re.fullmatch(r"-?[0-9]{1,4}", value):
            raise ValidationError(_l("Riga %(line)d: scrivete «punteggio: descrizione», per esempio «3: adeguato».",
                                     line=number))
        if not low <= int(value) <= high:
            raise ValidationError(_l("Riga %(line)d: il punteggio %(value)s è fuori dalla scala %(low)d–%(high)d.",
                                     line=number, value=value, low=low, high=high))
        anchors[str(int(value))] = label[:TITLE_MAX]
    return anchors


def anchors_text(anchors) -> str:
    return "\n".join(f"{key}: {label}" for key, label in sorted((anchors or {}).items(), key=lambda kv: int(kv[0])))


class NumberField(FloatField):
    """A decimal number written the Italian way ("1,5") or the other ("1.5")."""

    def process_formdata(self, valuelist):
        if valuelist and isinstance(valuelist[0], str):
            valuelist = [valuelist[0].strip().replace(",", ".")]
        super().process_formdata(valuelist)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)


def _date_in_range(field) -> None:
    """A call's dates lie between 2000 and 2100 (year 1 would overflow the Rome → UTC conversion)."""
    if field.data and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError(_l("Indicate una data tra il 2000 e il 2100."))


class CallForm(FlaskForm):
    """A call's settings (new call and edit); `chair_email` is removed for who may not change the chair."""

    title = StringField(_l("Titolo dell'avviso"), validators=[
        DataRequired(message=_l("Scrivete il titolo dell'avviso.")),
        Length(max=TITLE_MAX, message=_l("Al massimo %(max)d caratteri.", max=TITLE_MAX))])
    description = TextAreaField(_l("Descrizione"), validators=[Optional(), Length(max=TEXT_MAX)],
                                description=_l("Finalità, destinatari, premi. Potete usare Markdown."))
    year = IntegerField(_l("Anno"), default=lambda: date.today().year, validators=[
        DataRequired(message=_l("Indicate l'anno dell'avviso.")),
        NumberRange(min=2000, max=2100, message=_l("Indicate un anno tra il 2000 e il 2100."))])
    categories = TextAreaField(_l("Categorie"), validators=[Optional(), Length(max=5000)],
                               description=_l("Una per riga, «codice: etichetta», per esempio «digitale: "
                                              "Trasformazione digitale». Vuoto: nessuna categoria."))
    eligible_pa_kinds = MultiCheckboxField(_l("Amministrazioni che possono candidarsi"),
                                           choices=lambda: [(key, label) for key, label in PA_KIND_LABELS.items()],
                                           description=_l("Nessuna scelta: tutte le pubbliche amministrazioni."))
    require_completed = BooleanField(_l("Solo pratiche già realizzate"))
    extra_fields = TextAreaField(_l("Campi aggiuntivi del modulo di candidatura"), validators=[
        Optional(), Length(max=5000)], description=_l(
        "Uno per riga: «etichetta | tipo | obbligatorio o facoltativo | scelte separate da punto e virgola». Tipi: "
        "testo, testo lungo, numero, scelta, dichiarazione."))
    opens_on = DateField(_l("Apertura delle candidature"), format=DATE_FORMATS, validators=[Optional()])
    closes_on = DateField(_l("Chiusura delle candidature: giorno"), format=DATE_FORMATS, validators=[Optional()])
    closes_time = TimeField(_l("Chiusura delle candidature: ora (ora italiana)"), validators=[Optional()],
                            default=time(23, 59))
    review_due_on = DateField(_l("Termine delle valutazioni individuali"), format=DATE_FORMATS,
                              validators=[Optional()])
    consensus_due_on = DateField(_l("Termine della fase di consenso"), format=DATE_FORMATS, validators=[Optional()])
    reviewers_per_candidacy = IntegerField(_l("Valutazioni per candidatura"), default=2, validators=[
        DataRequired(message=_l("Indicate un numero da 1 a 10.")),
        NumberRange(min=1, max=10, message=_l("Indicate un numero da 1 a 10."))])
    max_load = IntegerField(_l("Candidature al massimo per chi valuta"), default=6, validators=[
        DataRequired(message=_l("Indicate un numero da 1 a 100.")),
        NumberRange(min=1, max=100, message=_l("Indicate un numero da 1 a 100."))])
    disagreement_threshold = NumberField(_l("Soglia di disaccordo"), default=1.5, validators=[
        Optional(), NumberRange(min=0, max=100, message=_l("Indicate un numero da 0 a 100."))],
        description=_l("Differenza tra il totale più alto e il più basso oltre la quale la candidatura è segnalata."))
    blind = BooleanField(_l("Valutazione alla cieca: chi valuta non vede il nome dell'ente"))
    chair_email = StringField(_l("Chi presiede la commissione (indirizzo e-mail)"), validators=[
        Optional(), EMAIL_CHECK, Length(max=254)],
        description=_l("Una persona attiva di una pubblica amministrazione."))

    chair_user = None

    def validate_categories(self, field) -> None:
        self.category_list = parse_categories(field.data)

    def validate_extra_fields(self, field) -> None:
        self.extra_field_list = parse_extra_fields(field.data, getattr(self, "existing_extra", ()))

    def validate_opens_on(self, field) -> None:
        _date_in_range(field)

    def validate_closes_on(self, field) -> None:
        _date_in_range(field)
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError(_l("La chiusura non può precedere l'apertura delle candidature."))

    def validate_review_due_on(self, field) -> None:
        _date_in_range(field)
        if field.data and self.closes_on.data and field.data < self.closes_on.data:
            raise ValidationError(_l("Le valutazioni si concludono dopo la chiusura delle candidature."))

    def validate_consensus_due_on(self, field) -> None:
        _date_in_range(field)
        if field.data and self.review_due_on.data and field.data < self.review_due_on.data:
            raise ValidationError(_l("Il consenso si conclude dopo le valutazioni individuali."))

    def validate_chair_email(self, field) -> None:
        from app.evaluation.calls import may_chair, person_by_email

        if not field.data:
            self.chair_user = None
            return
        person = person_by_email(field.data)
        if not may_chair(person):
            raise ValidationError(_l("Nessuna persona attiva di una pubblica amministrazione ha questo indirizzo: "
                                     "presiede una persona di un ente pubblico, mai di un fornitore."))
        self.chair_user = person

    def values(self) -> dict:
        """The call's columns from the form (call after validate)."""
        from app.evaluation.calls import to_utc

        return dict(title=self.title.data, description=self.description.data or "", year=self.year.data,
                    categories=getattr(self, "category_list", []),  # not parsed when empty (Optional)
                    eligible_pa_kinds=list(self.eligible_pa_kinds.data or []),
                    require_completed=bool(self.require_completed.data),
                    extra_fields=getattr(self, "extra_field_list", []),
                    opens_on=self.opens_on.data,
                    closes_at=to_utc(self.closes_on.data, self.closes_time.data or time(23, 59)),
                    review_due_on=self.review_due_on.data, consensus_due_on=self.consensus_due_on.data,
                    reviewers_per_candidacy=self.reviewers_per_candidacy.data, max_load=self.max_load.data,
                    disagreement_threshold=(self.disagreement_threshold.data
                                            if self.disagreement_threshold.data is not None else 1.5),
                    blind=bool(self.blind.data))

    def fill_from(self, call) -> None:
        """Show a call's stored settings (closing moment in Europe/Rome)."""
        from app.evaluation.calls import to_rome

        for key in ("title", "description", "year", "require_completed", "opens_on", "review_due_on",
                    "consensus_due_on", "reviewers_per_candidacy", "max_load", "disagreement_threshold", "blind"):
            getattr(self, key).data = getattr(call, key)
        self.categories.data = categories_text(call.categories)
        self.extra_fields.data = extra_fields_text(call.extra_fields)
        self.eligible_pa_kinds.data = list(call.eligible_pa_kinds or [])
        closing = to_rome(call.closes_at)
        self.closes_on.data = closing.date() if closing else None
        self.closes_time.data = closing.time() if closing else time(23, 59)
        if "chair_email" in self._fields:
            self.chair_email.data = call.chair.email if call.chair else ""


class CriterionForm(FlaskForm):
    """A criterion of the scoring form (add, or edit the one named by criterion_id)."""

    criterion_id = IntegerField(validators=[Optional()])
    code = StringField(_l("Codice"), validators=[DataRequired(message=_l("Scrivete un codice breve."))],
                       description=_l("Lettere minuscole, cifre, trattini; al massimo 30 caratteri."))
    title_it = StringField(_l("Titolo"), validators=[
        DataRequired(message=_l("Scrivete il titolo del criterio.")), Length(max=TITLE_MAX)])
    title_en = StringField(_l("Titolo in inglese"), validators=[Optional(), Length(max=TITLE_MAX)])
    guidance = TextAreaField(_l("Indicazioni per chi valuta"), validators=[Optional(), Length(max=TEXT_MAX)])
    scale_min = IntegerField(_l("Punteggio minimo"), default=0, validators=[
        NumberRange(min=0, max=99, message=_l("Indicate un numero da 0 a 99."))])
    scale_max = IntegerField(_l("Punteggio massimo"), default=5, validators=[
        NumberRange(min=1, max=100, message=_l("Indicate un numero da 1 a 100."))])
    anchors = TextAreaField(_l("Descrizione dei punteggi"), validators=[Optional(), Length(max=5000)],
                            description=_l("Una per riga, «punteggio: descrizione», per esempio «0: assente»."))
    weight = NumberField(_l("Peso"), default=1.0, validators=[
        DataRequired(message=_l("Il peso è un numero maggiore di zero.")),
        NumberRange(min=0.01, max=100, message=_l("Il peso è un numero maggiore di zero, al massimo 100."))])
    required = BooleanField(_l("Punteggio obbligatorio"), default=True)
    candidate_visible = BooleanField(_l("Le motivazioni arrivano all'ente candidato"), default=True)

    def validate_code(self, field) -> None:
        field.data = (field.data or "").strip().lower()
        if not CODE.match(field.data):
            raise ValidationError(_l("Lettere minuscole, cifre, trattini o trattini bassi; al massimo 30 caratteri."))

    def validate_scale_max(self, field) -> None:
        if field.data is not None and self.scale_min.data is not None and field.data <= self.scale_min.data:
            raise ValidationError(_l("Il massimo deve superare il minimo."))

    def validate_anchors(self, field) -> None:
        low = self.scale_min.data if self.scale_min.data is not None else 0
        high = self.scale_max.data if self.scale_max.data is not None else 5
        self.anchor_map = parse_anchors(field.data, low, high)

    def values(self) -> dict:
        return dict(code=self.code.data, title_it=self.title_it.data, title_en=self.title_en.data or "",
                    guidance=self.guidance.data or "", scale_min=self.scale_min.data, scale_max=self.scale_max.data,
                    anchors=getattr(self, "anchor_map", {}), weight=float(self.weight.data),
                    required=bool(self.required.data),
                    candidate_visible=bool(self.candidate_visible.data))

    def fill_from(self, criterion) -> None:
        self.criterion_id.data = criterion.id
        for key in ("code", "title_it", "title_en", "guidance", "scale_min", "scale_max", "weight", "required",
                    "candidate_visible"):
            getattr(self, key).data = getattr(criterion, key)
        self.anchors.data = anchors_text(criterion.anchors)


class MemberForm(FlaskForm):
    """Add a person to the commission by e-mail."""

    email = StringField(_l("Indirizzo e-mail della persona"), validators=[
        DataRequired(message=_l("Scrivete l'indirizzo e-mail.")),
        EMAIL_CHECK, Length(max=254)])
    is_deputy = BooleanField(_l("Vicepresidenza: sostituisce chi presiede quando è in conflitto di interessi"))
