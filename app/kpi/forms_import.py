"""The form of the CSV import of KPI values (issue 16, point 5)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField
from wtforms.validators import ValidationError

from app.forms import FlaskForm


class ImportValuesForm(FlaskForm):
    """Upload one CSV of values for the reader's organisation's adoptions."""

    file = FileField(_l("File CSV dei valori"), description=_l(
        "Un file CSV (UTF-8 o ISO-8859-1, separato da virgole o da punti e virgola) di al massimo 2 MB, con la "
        "riga di intestazione. Scaricate il modello per avere le colonne e una riga per ogni indicatore adottato."))
    update_existing = BooleanField(_l("Aggiorna i valori esistenti"), description=_l(
        "Se un periodo ha già un valore, il file lo sostituisce. Senza questa spunta, una riga per un periodo già "
        "compilato è un errore e non si salva nulla."))

    def validate_file(self, field) -> None:
        if not getattr(field.data, "filename", ""):
            raise ValidationError(_l("Scegliete il file CSV da importare."))
