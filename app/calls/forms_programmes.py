"""Forms of the programmes (issue 15): the programme itself (new and edit) and the appointment of a staff member."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms import FlaskForm
from app.models.programme import NAME_MAX, TEXT_MAX

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _coerce_id(value):
    """A choice's id from the form; anything else becomes -1, which no choice has (a field error, never a 500)."""
    if isinstance(value, int):
        return value
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 10 and int(text) < 2**31 else -1


class ProgrammeForm(FlaskForm):
    """A programme's name, promoter, period, description and communities (choices set by the route)."""

    name = StringField(_l("Nome del programma"), validators=[
        DataRequired(message=_l("Scrivete il nome del programma.")),
        Length(max=NAME_MAX, message=_l("Al massimo %(max)d caratteri.", max=NAME_MAX))])
    summary = StringField(_l("In breve"), validators=[
        Optional(), Length(max=300, message=_l("Al massimo %(max)d caratteri.", max=300))],
        description=_l("Una frase che compare nell'elenco dei programmi."))
    promoter_id = SelectField(_l("Ente promotore"), coerce=_coerce_id, validate_choice=False,
                              description=_l("L'organizzazione che promuove il programma."))
    starts_on = DateField(_l("Inizio"), format=DATE_FORMATS, validators=[Optional()],
                          description=_l("Per esempio 01/09/2024."))
    ends_on = DateField(_l("Fine"), format=DATE_FORMATS, validators=[Optional()])
    website = URLField(_l("Sito web del programma"), validators=[
        Optional(), Length(max=300, message=_l("Al massimo %(max)d caratteri.", max=300)),
        Regexp(r"^https?://[^\s/]+\.[^\s]+$", flags=re.IGNORECASE,
               message=_l("Inserisci un indirizzo web completo (https://…)."))])
    description = TextAreaField(_l("Descrizione"), validators=[
        Optional(), Length(max=TEXT_MAX, message=_l("Al massimo %(max)d caratteri.", max=TEXT_MAX))],
        description=_l("Obiettivi, destinatari, linee di attività. Potete usare Markdown."))
    communities = SelectMultipleField(_l("Comunità collegate"), coerce=_coerce_id, validate_choice=False,
                                      widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
                                      description=_l("Le comunità di pratica in cui il programma è di casa."))

    def validate_promoter_id(self, field) -> None:
        known = {value for value, _label in field.choices}
        if field.data in (None, 0):
            field.data = 0
            return
        if field.data not in known:
            raise ValidationError(_l("Scegliete l'ente promotore dall'elenco."))

    def validate_communities(self, field) -> None:
        known = {value for value, _label in field.choices}
        if any(each not in known for each in field.data or []):
            raise ValidationError(_l("Scegliete le comunità dall'elenco."))

    def validate_starts_on(self, field) -> None:
        _in_range(field)

    def validate_ends_on(self, field) -> None:
        _in_range(field)
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("La fine del programma deve seguire il suo inizio."))

    def values(self) -> dict:
        """The programme's columns from the form (call after validate)."""
        return dict(name=self.name.data, summary=self.summary.data or "", description=self.description.data or "",
                    promoter_id=self.promoter_id.data or None, starts_on=self.starts_on.data,
                    ends_on=self.ends_on.data, website=self.website.data or "")

    def fill_from(self, programme) -> None:
        self.name.data, self.summary.data = programme.name, programme.summary
        self.description.data, self.website.data = programme.description, programme.website
        self.promoter_id.data = programme.promoter_id or 0
        self.starts_on.data, self.ends_on.data = programme.starts_on, programme.ends_on
        self.communities.data = [each.id for each in programme.communities]


def _in_range(field) -> None:
    if field.data and not 2000 <= field.data.year <= 2100:
        raise ValidationError(_l("Indicate una data tra il 2000 e il 2100."))


class StaffForm(FlaskForm):
    """Appoint a person to the staff by the e-mail address of their account."""

    email = StringField(_l("Indirizzo e-mail della persona"), validators=[
        DataRequired(message=_l("Scrivete l'indirizzo e-mail della persona.")),
        Length(max=254, message=_l("Al massimo %(max)d caratteri.", max=254)),
        Email(message=_l("Scrivete un indirizzo e-mail valido."), check_deliverability=False)],
        description=_l("Una persona già iscritta alla piattaforma, attiva nel suo ente."))
