"""Forms of the community's indicators tab: recording the community's governance page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length, ValidationError

from app.forms import FlaskForm  # cleans every text field (see app/forms.py)
from app.links import is_http_url


class GovernanceForm(FlaskForm):
    """The address of the page where the community publishes how it is governed (a Competence centre condition)."""

    url = StringField(_l("Indirizzo della pagina di governance"), validators=[
        DataRequired(message=_l("Indica l'indirizzo della pagina di governance.")),
        Length(max=300, message=_l("Al massimo 300 caratteri."))],
        description=_l("La pagina pubblica che dice chi anima la comunità, come si decide e come si entra "
                       "(per esempio https://www.comune.example.it/comunita/governance)."))

    def validate_url(self, field) -> None:
        if not is_http_url(field.data):
            raise ValidationError(_l("Inserisci un indirizzo web completo (https://…)."))
