"""Forms of the events: the event itself (new and edit) and a transition; an agenda item's form is in
app/events/forms_agenda.py. Choices (programmes, communities, practices) are given by the route for the person
filling the form; every id typed or forged is checked against them and refused at its field in Italian."""
from __future__ import annotations

from datetime import date, time

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from slugify import slugify
from wtforms import (BooleanField, DateField, FieldList, FormField, IntegerField, SelectField, SelectMultipleField,
                     StringField, TextAreaField, TimeField)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.events.labels import EVENT_FORMAT_LABELS, EVENT_KIND_LABELS, QUESTION_KINDS
from app.events.workflow import ENDS_BEFORE_START, format_problems
from app.forms import FlaskForm
from app.models import PA_KIND_LABELS
from app.models.event import TEXT_MAX, TITLE_MAX
from app.models.practice import BUDGET_MISSIONS

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
MAX_QUESTIONS = 20
MAX_SEATS = 100_000
MAX_LIST = 5000  # characters of a one-per-line list (e-mails, names)


def _id_of(raw) -> int | None:
    raw = str(raw or "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 10 and int(raw) < 2**31 else None


def _in_range(field) -> None:
    if field.data and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError(_l("Indicate una data tra il 2000 e il 2100."))


def web_link(value: str) -> bool:
    """Only http and https links (never javascript: or a bare word)."""
    from urllib.parse import urlsplit

    parts = urlsplit(value.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and " " not in value.strip()


def lines_of(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LooseMultipleField(SelectMultipleField):
    """A multiple choice whose values are checked by the form (an Italian message at the field, never wtforms')."""

    def pre_validate(self, form) -> None:
        pass


class QuestionForm(FlaskForm):
    """One question of the registration questionnaire (a row of the designer; an empty label leaves it out)."""

    class Meta:
        csrf = False

    label = StringField(_l("Domanda"), validators=[Optional(), Length(max=TITLE_MAX)])
    kind = SelectField(_l("Tipo di risposta"), choices=lambda: list(QUESTION_KINDS.items()), default="text",
                       validate_choice=False)
    required = BooleanField(_l("Risposta obbligatoria"))
    choices = StringField(_l("Scelte (separate da punto e virgola)"), validators=[Optional(), Length(max=1000)])


class EventForm(FlaskForm):
    """An event's details, registrations and questionnaire (new event and edit)."""

    title = StringField(_l("Titolo"), validators=[
        DataRequired(message=_l("Scrivete il titolo dell'evento.")),
        Length(max=TITLE_MAX, message=_l("Al massimo %(max)d caratteri.", max=TITLE_MAX))])
    summary = StringField(_l("In breve"), validators=[Optional(), Length(max=300, message=_l(
        "Al massimo %(max)d caratteri.", max=300))], description=_l("Una frase per gli elenchi e il calendario."))
    description = TextAreaField(_l("Descrizione"), validators=[Optional(), Length(max=TEXT_MAX)],
                                description=_l("Obiettivi, destinatari, come partecipare. Potete usare Markdown."))
    kind = SelectField(_l("Tipo di evento"), choices=lambda: list(EVENT_KIND_LABELS.items()), validate_choice=False)
    format = SelectField(_l("Modalità"), choices=lambda: list(EVENT_FORMAT_LABELS.items()), validate_choice=False)
    place = StringField(_l("Luogo"), validators=[Optional(), Length(max=300, message=_l(
        "Al massimo %(max)d caratteri.", max=300))], description=_l("Sede e indirizzo, per un evento in presenza."))
    online_url = StringField(_l("Collegamento online"), validators=[Optional(), Length(max=500, message=_l(
        "Al massimo %(max)d caratteri.", max=500))],
        description=_l("Un indirizzo http o https; lo vedono gli iscritti e chi organizza."))
    starts_on = DateField(_l("Inizio: giorno"), format=DATE_FORMATS, validators=[
        DataRequired(message=_l("Indicate il giorno di inizio."))])
    starts_time = TimeField(_l("Inizio: ora (ora italiana)"), validators=[
        DataRequired(message=_l("Indicate l'ora di inizio."))])
    ends_on = DateField(_l("Fine: giorno"), format=DATE_FORMATS, validators=[Optional()],
                        description=_l("Vuoto: lo stesso giorno dell'inizio."))
    ends_time = TimeField(_l("Fine: ora (ora italiana)"), validators=[
        DataRequired(message=_l("Indicate l'ora di fine."))])
    programme = SelectField(_l("Programma"), choices=[], validate_choice=False)
    restricted = BooleanField(_l("Riservato alle amministrazioni partecipanti del programma"))
    communities = MultiCheckboxField(_l("Comunità"), choices=[], validate_choice=False)
    practices = LooseMultipleField(_l("Buone pratiche presentate"), choices=[],
                                   description=_l("Tenete premuto Ctrl (o Cmd) per sceglierne più di una."))
    missions = MultiCheckboxField(_l("Missioni di bilancio"), choices=lambda: list(BUDGET_MISSIONS.items()),
                                  validate_choice=False)
    registration_enabled = BooleanField(_l("Iscrizioni sulla piattaforma"))
    seats = IntegerField(_l("Posti"), validators=[Optional(), NumberRange(min=1, max=MAX_SEATS, message=_l(
        "Indicate un numero da 1 a %(max)d.", max=MAX_SEATS))], description=_l("Vuoto: nessun limite."))
    closes_on = DateField(_l("Chiusura delle iscrizioni: giorno"), format=DATE_FORMATS, validators=[Optional()],
                          description=_l("Vuoto: le iscrizioni chiudono all'inizio dell'evento."))
    closes_time = TimeField(_l("Chiusura delle iscrizioni: ora (ora italiana)"), validators=[Optional()])
    terms = TextAreaField(_l("Condizioni di partecipazione"), validators=[Optional(), Length(max=TEXT_MAX)],
                          description=_l("Se le scrivete, chi si iscrive deve accettarle."))
    questions = FieldList(FormField(QuestionForm), min_entries=3, max_entries=MAX_QUESTIONS)
    organizers = TextAreaField(_l("Altre persone che organizzano"), validators=[Optional(), Length(max=MAX_LIST)],
                               description=_l("Un indirizzo e-mail per riga: persone iscritte alla piattaforma."))

    # Filled by the route: {id: row} of what the person may choose, and the current event (edit) or None.
    programme_rows: dict = {}
    community_rows: dict = {}
    practice_rows: dict = {}

    def __init__(self, *args, programmes=(), communities=(), practices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.programme_rows = {each.id: each for each in programmes}
        self.community_rows = {each.id: each for each in communities}
        self.practice_rows = {each.id: each for each in practices}
        self.programme.choices = [("", _("Nessun programma"))] + [(str(each.id), each.name) for each in programmes]
        self.communities.choices = [(str(each.id), each.name) for each in communities]
        grouped: dict[str, list] = {}
        for each in practices:  # grouped by community, as the route orders them
            grouped.setdefault(each.community.name if each.community else "", []).append((str(each.id), each.title))
        self.practices.choices = grouped
        self.reserved_fields = []
        for kind, label in PA_KIND_LABELS.items():
            self.reserved_fields.append((kind, self[f"reserve_{kind}"], label))

    # ---- field checks ----------------------------------------------------------------------------------------

    def validate_kind(self, field) -> None:
        if field.data not in EVENT_KIND_LABELS:
            raise ValidationError(_l("Scegliete il tipo di evento dall'elenco."))

    def validate_format(self, field) -> None:
        if field.data not in EVENT_FORMAT_LABELS:
            raise ValidationError(_l("Scegliete la modalità dall'elenco."))

    def validate_online_url(self, field) -> None:
        if field.data and not web_link(field.data):
            raise ValidationError(_l("Scrivete un indirizzo che comincia con http:// o https://."))

    def validate_starts_on(self, field) -> None:
        _in_range(field)

    def validate_ends_on(self, field) -> None:
        _in_range(field)

    def validate_closes_on(self, field) -> None:
        _in_range(field)

    def validate_programme(self, field) -> None:
        if field.data and _id_of(field.data) not in self.programme_rows:
            raise ValidationError(_l("Scegliete un programma dall'elenco."))

    def validate_communities(self, field) -> None:
        if any(_id_of(each) not in self.community_rows for each in field.data or []):
            raise ValidationError(_l("Scegliete le comunità dall'elenco."))

    def validate_practices(self, field) -> None:
        if any(_id_of(each) not in self.practice_rows for each in field.data or []):
            raise ValidationError(_l("Una delle buone pratiche scelte non esiste o non è pubblicata: sceglietele "
                                     "dall'elenco."))

    def validate_missions(self, field) -> None:
        if any(each not in BUDGET_MISSIONS for each in field.data or []):
            raise ValidationError(_l("Scegliete le missioni dall'elenco."))

    def validate_organizers(self, field) -> None:
        from app.events.events import person_by_email

        people = []
        for line in lines_of(field.data):
            person = person_by_email(line)
            if person is None or not person.can_sign_in or not (person.is_admin or person.is_affiliated):
                raise ValidationError(_l("Nessuna persona attiva della piattaforma ha l'indirizzo «%(email)s».",
                                         email=line[:254]))
            if all(each.id != person.id for each in people):
                people.append(person)
        self.organizer_people = people

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for problem, name in zip(format_problems(self.format.data, self.place.data, self.online_url.data),
                                 self._format_fields(), strict=False):
            self[name].errors = list(self[name].errors) + [_(problem)]
            valid = False
        starts, ends = self.local_start(), self.local_end()
        if starts and ends and ends <= starts:
            self.ends_time.errors = list(self.ends_time.errors) + [_(ENDS_BEFORE_START)]
            valid = False
        if self.restricted.data and not self.programme.data:
            self.restricted.errors = list(self.restricted.errors) + [
                _("Un evento riservato appartiene a un programma: sceglietelo, o togliete la riserva.")]
            valid = False
        reserved = sum(field.data or 0 for _kind, field, _label in self.reserved_fields)
        if reserved and self.seats.data is None and not self.seats.errors:
            self.seats.errors = list(self.seats.errors) + [
                _("Indicate i posti in tutto per riservarne una parte.")]
            valid = False
        elif self.seats.data is not None and reserved > self.seats.data:
            self.seats.errors = list(self.seats.errors) + [
                _("I posti riservati (%(reserved)d) superano i posti in tutto (%(seats)d).", reserved=reserved,
                  seats=self.seats.data)]
            valid = False
        closes = self.local_closing()
        if closes and ends and closes > ends:
            self.closes_on.errors = list(self.closes_on.errors) + [
                _("Le iscrizioni devono chiudere prima della fine dell'evento.")]
            valid = False
        if self.closes_time.data and not self.closes_on.data:
            self.closes_on.errors = list(self.closes_on.errors) + [_("Indicate anche il giorno di chiusura.")]
            valid = False
        for entry in self.questions:
            question = entry.form
            label = (question.label.data or "").strip()
            if not label:
                continue
            if question.kind.data not in QUESTION_KINDS:
                question.kind.errors = list(question.kind.errors) + [_("Scegliete il tipo dall'elenco.")]
                valid = False
            elif question.kind.data == "choice" and len(_choices(question.choices.data)) < 2:
                question.choices.errors = list(question.choices.errors) + [
                    _("Una scelta da un elenco ha almeno due voci, separate da punto e virgola.")]
                valid = False
        return valid

    def _format_fields(self) -> list[str]:
        if self.format.data == "hybrid":
            return [name for name, value in (("place", self.place.data), ("online_url", self.online_url.data))
                    if not (value or "").strip()]
        return ["place"] if self.format.data == "in_person" else ["online_url"]

    # ---- values ------------------------------------------------------------------------------------------------

    def local_start(self):
        from datetime import datetime

        if self.starts_on.data and self.starts_time.data and not self.starts_on.errors:
            return datetime.combine(self.starts_on.data, self.starts_time.data)
        return None

    def local_end(self):
        from datetime import datetime

        day = self.ends_on.data or self.starts_on.data
        if day and self.ends_time.data and not self.ends_on.errors and not self.starts_on.errors:
            return datetime.combine(day, self.ends_time.data)
        return None

    def local_closing(self):
        from datetime import datetime

        if self.closes_on.data and not self.closes_on.errors:
            return datetime.combine(self.closes_on.data, self.closes_time.data or time(23, 59))
        return None

    def question_list(self, existing=()) -> list[dict]:
        """The designer's rows as the event's questionnaire (a question keeps its key while its label stays)."""
        keys = {each.get("label"): each.get("key") for each in existing or []}
        questions, seen = [], set()
        for number, entry in enumerate(self.questions, start=1):
            question = entry.form
            label = (question.label.data or "").strip()
            if not label:
                continue
            key = keys.get(label) or slugify(label, separator="_", max_length=40) or f"domanda_{number}"
            while key in seen:
                key = f"{key}_{number}"
            seen.add(key)
            kind = question.kind.data
            questions.append({"key": key, "label": label, "kind": kind, "required": bool(question.required.data),
                              "choices": _choices(question.choices.data) if kind == "choice" else []})
        return questions

    def values(self, existing_questions=()) -> dict:
        from app.events.events import to_utc

        programme = self.programme_rows.get(_id_of(self.programme.data)) if self.programme.data else None
        return dict(
            title=self.title.data.strip(), summary=(self.summary.data or "").strip(),
            description=self.description.data or "", kind=self.kind.data, format=self.format.data,
            place=(self.place.data or "").strip() if self.format.data != "online" else "",
            online_url=(self.online_url.data or "").strip() if self.format.data != "in_person" else "",
            starts_at=to_utc(self.local_start()), ends_at=to_utc(self.local_end()),
            programme=programme, restricted=bool(self.restricted.data) and programme is not None,
            communities=[self.community_rows[_id_of(each)] for each in dict.fromkeys(self.communities.data or [])],
            practices=[self.practice_rows[_id_of(each)] for each in dict.fromkeys(self.practices.data or [])],
            missions=[code for code in BUDGET_MISSIONS if code in (self.missions.data or [])],
            registration_enabled=bool(self.registration_enabled.data), seats=self.seats.data,
            reservations={kind: field.data for kind, field, _label in self.reserved_fields if field.data},
            registration_closes_at=to_utc(self.local_closing()), terms=self.terms.data or "",
            questionnaire=self.question_list(existing_questions),
            organizers=getattr(self, "organizer_people", []))

    def fill_from(self, event) -> None:
        """Show an event's stored details (times in Europe/Rome)."""
        from app.events.events import to_rome

        for key in ("title", "summary", "description", "kind", "format", "place", "online_url", "restricted",
                    "registration_enabled", "seats", "terms"):
            getattr(self, key).data = getattr(event, key)
        starts, ends, closes = to_rome(event.starts_at), to_rome(event.ends_at), to_rome(event.registration_closes_at)
        self.starts_on.data, self.starts_time.data = starts.date(), starts.time()
        self.ends_on.data, self.ends_time.data = ends.date(), ends.time()
        if closes:
            self.closes_on.data, self.closes_time.data = closes.date(), closes.time()
        self.programme.data = str(event.programme_id) if event.programme_id else ""
        self.communities.data = [str(each.id) for each in event.communities]
        self.practices.data = [str(link.practice_id) for link in event.practice_links]
        self.missions.data = list(event.missions or [])
        reserved = {each.pa_kind: each.seats for each in event.reservations}
        for kind, field, _label in self.reserved_fields:
            field.data = reserved.get(kind)
        self.organizers.data = "\n".join(each.user.email for each in event.organizers)
        while len(self.questions.entries):
            self.questions.pop_entry()
        for question in list(event.questionnaire or []) + [{}, {}]:
            if len(self.questions.entries) >= MAX_QUESTIONS:
                break
            self.questions.append_entry({"label": question.get("label", ""), "kind": question.get("kind", "text"),
                                         "required": bool(question.get("required")),
                                         "choices": "; ".join(question.get("choices") or [])})


def _choices(text: str | None) -> list[str]:
    return [each.strip()[:TITLE_MAX] for each in (text or "").split(";") if each.strip()]


for _kind, _label in PA_KIND_LABELS.items():
    setattr(EventForm, f"reserve_{_kind}", IntegerField(
        _l("Posti riservati: %(kind)s", kind=_label), validators=[Optional(), NumberRange(
            min=0, max=MAX_SEATS, message=_l("Indicate un numero da 0 a %(max)d.", max=MAX_SEATS))]))


class TransitionForm(FlaskForm):
    """Publish, back to draft, cancel (with the reason people registered will read)."""

    action = StringField(validators=[DataRequired()])
    reason = TextAreaField(_l("Motivo dell'annullamento"), validators=[Optional(), Length(max=5000)],
                           description=_l("Lo leggono le persone iscritte e in lista d'attesa."))
