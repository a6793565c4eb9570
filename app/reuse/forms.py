"""Forms of the reuse area: one per action."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (BooleanField, DateField, HiddenField, IntegerField, MultipleFileField, SelectField,
                     SelectMultipleField, StringField, TextAreaField)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms import FlaskForm  # cleans every text field (see app/forms.py)
from app.models import DEPLOYMENT_SIZES, OFFER_SERVICES, REQUEST_KINDS, REQUEST_STATUS_LABELS
from app.web import local_date  # the dates of the pages, in Europe/Rome

FILES_HELP = _l("Facoltativi; più file insieme, al massimo 25 MB ciascuno: PDF, documenti di testo, fogli di "
                "calcolo e presentazioni (LibreOffice o Microsoft Office), immagini, ZIP, Markdown, testo, YAML.")


class AdoptionForm(FlaskForm):
    """Declare the organisation's interest in reusing a practice."""

    notes = TextAreaField(_l("Note per i cedenti"), validators=[Optional(), Length(max=5000, message=_l(
        "Al massimo 5.000 caratteri."))], description=_l("Perché vi interessa, che tempi prevedete, cosa vi serve."))


class AdoptionStepForm(FlaskForm):
    """Move an adoption along, with an optional note."""

    note = TextAreaField(_l("Nota (facoltativa)"), validators=[Optional(), Length(max=5000, message=_l(
        "Al massimo 5.000 caratteri."))])


class DeploymentForm(FlaskForm):
    """The deployment record of a completed adoption."""

    deployed_on = DateField(_l("Data di avvio in esercizio"), format=["%Y-%m-%d", "%d/%m/%Y"], validators=[
        DataRequired(message=_l("Indica la data (gg/mm/aaaa o aaaa-mm-gg)."))])
    size = SelectField(_l("Dimensione dell'ente"), choices=lambda: [("", _l("— Scegli —"))] + list(
        DEPLOYMENT_SIZES.items()), validators=[DataRequired(message=_l("Scegli la dimensione dell'ente."))])
    territory = StringField(_l("Territorio"), validators=[
        DataRequired(message=_l("Indica il territorio servito.")), Length(max=200, message=_l(
            "Al massimo 200 caratteri."))], description=_l("Per esempio: 12 Comuni della Val di Susa."))
    adaptations = TextAreaField(_l("Cosa avete adattato"), validators=[Optional(), Length(max=10000)])
    effort = StringField(_l("Impegno"), validators=[Optional(), Length(max=300, message=_l(
        "Al massimo 300 caratteri."))], description=_l("Persone e mesi, per esempio: 2 persone per 4 mesi."))
    cost_eur = IntegerField(_l("Costo in euro"), validators=[Optional(), NumberRange(
        min=0, max=100_000_000, message=_l("Indica un importo in euro, senza decimali."))])
    outcome = TextAreaField(_l("Esito"), validators=[DataRequired(message=_l("Racconta com'è andata.")),
                                                     Length(max=10000)])
    lessons = TextAreaField(_l("Lezioni apprese"), validators=[Optional(), Length(max=10000)])
    contact = StringField(_l("Contatto"), validators=[Optional(), Length(max=300, message=_l(
        "Al massimo 300 caratteri."))], description=_l("Ufficio o e-mail a cui altri enti possono chiedere."))

    def validate_deployed_on(self, field) -> None:
        if field.data and field.data > date.today():
            raise ValidationError(_l("La data non può essere nel futuro."))


def _kind_choices(blank=None):
    return ([("", blank)] if blank else [("", _l("— Scegli —"))]) + list(REQUEST_KINDS.items())


class SupportRequestForm(FlaskForm):
    """Ask the donors of a practice for support."""

    kind = SelectField(_l("Tipo di supporto"), choices=lambda: _kind_choices(),
                       validators=[DataRequired(message=_l("Scegli il tipo di supporto."))])
    subject = StringField(_l("Oggetto"), validators=[DataRequired(message=_l("Scrivi l'oggetto della richiesta.")),
                                                     Length(max=200, message=_l("Al massimo 200 caratteri."))])
    description = TextAreaField(_l("Descrizione"), validators=[
        DataRequired(message=_l("Descrivi che cosa vi serve.")), Length(max=20000)],
        description=_l("Puoi usare Markdown: **grassetto**, elenchi, collegamenti."))
    adoption = SelectField(_l("Riuso a cui si riferisce"), validators=[Optional()], validate_choice=False)
    files = MultipleFileField(_l("Documenti"), description=FILES_HELP)
    submission = HiddenField()  # the same request sent twice opens one request (issue 11, point 29)

    def __init__(self, *args, adoptions=(), **kwargs):
        from app.practices.forms import new_submission_token

        super().__init__(*args, **kwargs)
        if not self.submission.data:
            self.submission.data = new_submission_token()
        self.adoption.choices = [("", _l("— Nessuno —"))] + [
            (str(a.id), f"{a.status_label} · {local_date(a.created_at, 'short')}") for a in adoptions]

    def validate_adoption(self, field) -> None:
        if field.data and field.data not in {value for value, _label in self.adoption.choices}:
            raise ValidationError(_l("Scegli un riuso del tuo ente per questa pratica."))


class MessageForm(FlaskForm):
    """A message in a request's conversation."""

    body = TextAreaField(_l("Messaggio"), validators=[DataRequired(message=_l("Scrivi il messaggio.")),
                                                      Length(max=20000, message=_l("Al massimo 20.000 caratteri."))])
    internal = BooleanField(_l("Nota interna (visibile solo al gruppo dei cedenti)"))
    files = MultipleFileField(_l("Documenti"), description=FILES_HELP)


class DeclineForm(FlaskForm):
    """Decline a request: the requester must learn why."""

    reason = TextAreaField(_l("Motivo del rifiuto"), validators=[DataRequired(message=_l(
        "Scrivi il motivo: chi ha chiesto aiuto deve sapere perché la richiesta è declinata.")), Length(max=5000)])


class AssignForm(FlaskForm):
    """Give the request to one person of the donor team."""

    assignee = SelectField(_l("Assegnata a"), validate_choice=False)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.assignee.choices = [("", _l("— Nessuno —"))] + [(str(p.id), p.full_name) for p in people]


class BoxFilterForm(FlaskForm):
    """Filters of the inbox and the outbox (GET, shareable)."""

    class Meta:
        csrf = False

    status = SelectField(_l("Stato"), choices=lambda: [("", _l("Tutti")), ("live", _l("Da seguire (aperte o in "
                                                                                       "carico)"))] + list(
        REQUEST_STATUS_LABELS.items()), validate_choice=False)
    kind = SelectField(_l("Tipo"), choices=lambda: _kind_choices(_l("Tutti i tipi")), validate_choice=False)
    practice = SelectField(_l("Pratica"), validate_choice=False)
    age = SelectField(_l("Aperta da"), choices=lambda: [
        ("", _l("Qualsiasi")), ("week", _l("Meno di 7 giorni")), ("month", _l("Da 7 a 30 giorni")),
        ("older", _l("Oltre 30 giorni"))], validate_choice=False)
    overdue = BooleanField(_l("Solo quelle in ritardo (senza prima risposta)"))


class OfferForm(FlaskForm):
    """A supplier's services on a practice."""

    services = SelectMultipleField(_l("Servizi offerti"), choices=lambda: list(OFFER_SERVICES.items()),
                                   widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
                                   validators=[DataRequired(message=_l("Scegli almeno un servizio."))])
    description = TextAreaField(_l("Descrizione dell'offerta"), validators=[
        DataRequired(message=_l("Descrivi che cosa offrite.")), Length(max=5000)])
