"""The forms of closing an event and of its materials (issue 15, point 5)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from app.events.closing import BAD_COUNT, BAD_RECORDING, MAX_ATTENDEES
from app.events.labels import DOCUMENT_ROLE_LABELS
from app.events.workflow import REPORT_REQUIRED
from app.forms import FlaskForm
from app.links import is_http_url
from app.models.event import TEXT_MAX, TITLE_MAX

FILES_HELP = _l("PDF, documenti, presentazioni, fogli di calcolo, immagini o ZIP; potete sceglierne più d'uno.")


class CloseForm(FlaskForm):
    """Close the event: report (required), recording, attendees count, slides, booklet and other materials."""

    report = TextAreaField(_l("Resoconto"), validators=[
        InputRequired(message=_l(REPORT_REQUIRED)),
        Length(max=TEXT_MAX, message=_l("Al massimo %(max)d caratteri.", max=TEXT_MAX))],
        description=_l("Com'è andata, cosa è emerso, i prossimi passi. Potete usare Markdown."))
    recording_url = StringField(_l("Registrazione video"), validators=[
        Optional(), Length(max=500, message=_l("Al massimo %(max)d caratteri.", max=500))],
        description=_l("L'indirizzo della registrazione (http:// o https://), se c'è."))
    # Text, not IntegerField: the service parses it and says what is wrong in Italian.
    attendees_count = StringField(_l("Numero dei presenti"), validators=[Optional(), Length(max=12)],
                                  description=_l("Proposto dalle presenze registrate; correggetelo se serve."))
    slides = MultipleFileField(_l("Presentazioni"), description=FILES_HELP)
    booklet = MultipleFileField(_l("Booklet"), description=FILES_HELP)
    other = MultipleFileField(_l("Altri documenti"), description=FILES_HELP)

    # The service checks these again (app/events/closing.py); here they are told together with the others.
    def validate_recording_url(self, field) -> None:
        if field.data and not is_http_url(field.data):
            raise ValidationError(_l(BAD_RECORDING))

    def validate_attendees_count(self, field) -> None:
        text = (field.data or "").strip()
        if text and not (text.isascii() and text.isdigit() and int(text) <= MAX_ATTENDEES):
            raise ValidationError(_l(BAD_COUNT))


class DocumentForm(FlaskForm):
    """Add materials to an event."""

    role = SelectField(_l("Tipo di materiale"), choices=lambda: [(key, str(label)) for key, label in
                                                                 DOCUMENT_ROLE_LABELS.items()], default="slides")
    title = StringField(_l("Titolo (facoltativo)"), validators=[
        Optional(), Length(max=TITLE_MAX, message=_l("Al massimo %(max)d caratteri.", max=TITLE_MAX))],
        description=_l("Vuoto: si mostra il nome del file."))
    files = MultipleFileField(_l("File"), description=FILES_HELP)
