"""Forms of the people area."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.forms import FlaskForm  # cleans every text field (see app/forms.py)


class ProfileForm(FlaskForm):
    """Edit one's own name, role and language."""

    full_name = StringField(_l("Nome e cognome"), validators=[
        DataRequired(message=_l("Indica nome e cognome.")), Length(max=120, message=_l("Al massimo 120 caratteri."))])
    job_title = StringField(_l("Ruolo nell'ente"), validators=[Length(max=120, message=_l("Al massimo 120 caratteri."))])
    locale = SelectField(_l("Lingua dell'interfaccia e delle e-mail"),
                         choices=[("it", "Italiano"), ("en", "English")])
    notification_email = SelectField(
        _l("Notifiche per e-mail"),
        choices=lambda: [("immediate", _l("Subito, una e-mail per notifica")),
                         ("daily", _l("Un riepilogo al giorno")), ("never", _l("Mai (solo sulla piattaforma)"))])
