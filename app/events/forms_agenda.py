"""The form of an agenda item with its speakers (people of the platform by e-mail, organisations by name, others
by name and role); split from app/events/forms_events.py, whose helpers it shares."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.events.forms_events import DATE_FORMATS, MAX_LIST, _in_range, lines_of
from app.forms import FlaskForm
from app.models.event import TEXT_MAX, TITLE_MAX


class AgendaItemForm(FlaskForm):
    """An agenda item with its optional time and speakers."""

    people: list = []  # filled by the checks below (an empty field is not checked)
    organizations: list = []
    names: list = []

    title = StringField(_l("Titolo dell'intervento"), validators=[
        DataRequired(message=_l("Scrivete il titolo dell'intervento.")),
        Length(max=TITLE_MAX, message=_l("Al massimo %(max)d caratteri.", max=TITLE_MAX))])
    description = TextAreaField(_l("Descrizione"), validators=[Optional(), Length(max=TEXT_MAX)])
    day = DateField(_l("Giorno"), format=DATE_FORMATS, validators=[Optional()],
                    description=_l("Vuoto: il giorno di inizio dell'evento."))
    at = TimeField(_l("Ora (ora italiana)"), validators=[Optional()], description=_l("Facoltativa."))
    speaker_emails = TextAreaField(_l("Relatori iscritti alla piattaforma"), validators=[
        Optional(), Length(max=MAX_LIST)], description=_l("Un indirizzo e-mail per riga."))
    speaker_organizations = TextAreaField(_l("Enti relatori"), validators=[Optional(), Length(max=MAX_LIST)],
                                          description=_l("Il nome dell'ente come compare sulla piattaforma, uno "
                                                         "per riga."))
    speaker_names = TextAreaField(_l("Altri relatori"), validators=[Optional(), Length(max=MAX_LIST)],
                                  description=_l("Nome e ruolo di chi non è sulla piattaforma, uno per riga."))

    def validate_day(self, field) -> None:
        _in_range(field)

    def validate_speaker_emails(self, field) -> None:
        from app.events.events import person_by_email

        self.people = []
        for line in lines_of(field.data):
            person = person_by_email(line)
            if person is None or not person.can_sign_in:
                raise ValidationError(_l("Nessuna persona della piattaforma ha l'indirizzo «%(email)s»: scrivete "
                                         "il suo nome tra gli altri relatori.", email=line[:254]))
            if all(each.id != person.id for each in self.people):
                self.people.append(person)

    def validate_speaker_organizations(self, field) -> None:
        from app.events.events import organization_by_name

        self.organizations = []
        for line in lines_of(field.data):
            organization = organization_by_name(line)
            if organization is None:
                raise ValidationError(_l("Nessun ente della piattaforma si chiama «%(name)s»: scrivetelo tra gli "
                                         "altri relatori.", name=line[:200]))
            if all(each.id != organization.id for each in self.organizations):
                self.organizations.append(organization)

    def validate_speaker_names(self, field) -> None:
        names = lines_of(field.data)
        if any(len(each) > 200 for each in names):
            raise ValidationError(_l("Al massimo %(max)d caratteri per nome.", max=200))
        self.names = list(dict.fromkeys(names))
