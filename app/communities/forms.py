"""Forms of the communities area: one per action."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app import geo
from app.communities.services import slug_taken
from app.extensions import db
from app.forms import FlaskForm  # cleans every text field (see app/forms.py)
from app.models import SCOPE_LABELS, THEME_LABELS, VISIBILITY_LABELS, AffiliationStatus, User
from app.organizations.forms import directory_kind_choices, province_choices, region_choices


SLUG_FORMAT = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def theme_choices(blank=None) -> list[tuple[str, str]]:
    return ([("", blank)] if blank else []) + [(key, label) for key, label in THEME_LABELS.items()]


class CommunityForm(FlaskForm):
    """Settings of a community (create and edit)."""

    name = StringField(_l("Nome della comunità"), validators=[
        DataRequired(message=_l("Indica il nome della comunità.")), Length(max=150, message=_l("Al massimo 150 caratteri."))])
    # No Optional(): an empty slug is made from the name, and that one must be free too.
    slug = StringField(_l("Indirizzo breve della pagina"), validators=[Length(max=80, message=_l("Al massimo 80 caratteri."))],
                       description=_l("L'ultima parte dell'indirizzo web della comunità, per esempio servizio-europa; se "
                                      "lo lasci vuoto è ricavato dal nome."))
    theme = SelectField(_l("Tema"), choices=lambda: theme_choices(_l("— Scegli —")),
                        validators=[DataRequired(message=_l("Scegli il tema."))])
    description = TextAreaField(_l("Descrizione"), validators=[Optional(), Length(max=10000)],
                                description=_l("Puoi usare Markdown: **grassetto**, elenchi, collegamenti."))
    visibility = SelectField(_l("Accesso"), choices=lambda: [(k.value, v) for k, v in VISIBILITY_LABELS.items()],
                             validators=[DataRequired()])
    scope = SelectField(_l("Ambito territoriale"), choices=lambda: list(SCOPE_LABELS.items()),
                        validators=[DataRequired()])
    region = SelectField(_l("Regione"), choices=lambda: region_choices(_l("— Nessuna —")), validators=[Optional()])
    province = SelectField(_l("Provincia"), choices=province_choices, validators=[Optional()])

    def __init__(self, *args, community_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._community_id = community_id

    def validate_slug(self, field) -> None:
        from app.communities.services import suggest_slug

        typed = (field.data or "").strip()
        if typed and not SLUG_FORMAT.match(typed):
            raise ValidationError(_l("Solo lettere minuscole, cifre e trattini (es. servizio-europa)."))
        slug = typed or suggest_slug(self.name.data or "")
        if slug_taken(slug, self._community_id):
            raise ValidationError(_l("Questo indirizzo è già usato da un'altra comunità: scegline un altro."))

    def validate_region(self, field) -> None:
        if self.scope.data in ("region", "province") and not field.data:
            raise ValidationError(_l("Indica la regione della comunità."))

    def validate_province(self, field) -> None:
        if self.scope.data == "province":
            if not field.data:
                raise ValidationError(_l("Indica la provincia della comunità."))
            if self.region.data and geo.PROVINCE_REGION.get(field.data) != self.region.data:
                raise ValidationError(_l("La provincia scelta non appartiene alla regione indicata."))


class NewCommunityForm(CommunityForm):
    """Create a community and appoint its first facilitators (administrators)."""

    facilitators = TextAreaField(_l("E-mail dei primi animatori"), validators=[
        DataRequired(message=_l("Indica almeno un animatore."))],
        description=_l("Una o più e-mail di persone già iscritte alla piattaforma, separate da virgole o a capo."))

    def validate_facilitators(self, field) -> None:
        emails = parse_emails(field.data)
        if not emails:
            raise ValidationError(_l("Indica almeno un animatore."))
        found = {u.email: u for u in db.session.execute(select(User).where(
            func.lower(User.email).in_(emails), User.affiliation_status == AffiliationStatus.ACTIVE)).scalars()}
        missing = [e for e in emails if e not in found]
        if missing:
            raise ValidationError(_l("Nessuna persona attiva con questi indirizzi: %(emails)s", emails=", ".join(missing)))
        self.facilitator_users = [found[e] for e in emails]


def parse_emails(text: str | None) -> list[str]:
    seen: list[str] = []
    for part in (text or "").replace(";", ",").replace("\n", ",").split(","):
        email = part.strip().lower()
        if email and email not in seen:
            seen.append(email)
    return seen


class InviteForm(FlaskForm):
    """Invite people by e-mail."""

    emails = TextAreaField(_l("Indirizzi e-mail"), validators=[DataRequired(message=_l("Indica almeno un indirizzo."))],
                           description=_l("Uno o più indirizzi, separati da virgole o a capo (al massimo 50)."))

    def validate_emails(self, field) -> None:
        from email_validator import EmailNotValidError, validate_email

        emails = parse_emails(field.data)
        if not emails:
            raise ValidationError(_l("Indica almeno un indirizzo."))
        if len(emails) > 50:
            raise ValidationError(_l("Al massimo 50 indirizzi per volta."))
        wrong = []
        for email in emails:
            try:
                validate_email(email, check_deliverability=False)
            except EmailNotValidError:
                wrong.append(email)
        if wrong:
            raise ValidationError(_l("Indirizzi non validi: %(emails)s", emails=", ".join(wrong)))
        self.parsed = emails


class RejectForm(FlaskForm):
    """Reject a request or remove a member, with an optional reason sent to the person."""

    reason = TextAreaField(_l("Motivo (facoltativo, sarà comunicato alla persona)"),
                           validators=[Optional(), Length(max=1000, message=_l("Al massimo 1000 caratteri."))])


class JoinRequestForm(FlaskForm):
    """Ask to join a moderated community, saying why if one wishes: the facilitators read it in their queue."""

    message = TextAreaField(_l("Perché vuoi entrare? (facoltativo)"), validators=[
        Optional(), Length(max=1000, message=_l("Al massimo 1000 caratteri."))],
        description=_l("Lo legge solo chi anima la comunità, quando esamina la richiesta."))


class DirectoryFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Nome della comunità"), validators=[Optional(), Length(max=100)])
    theme = SelectField(_l("Tema"), choices=lambda: theme_choices(_l("Tutti i temi")), validators=[Optional()],
                        validate_choice=False)
    region = SelectField(_l("Territorio"), choices=lambda: region_choices(_l("Tutti i territori")),
                         validators=[Optional()], validate_choice=False)
    mine = BooleanField(_l("Solo le mie comunità"))


class MemberFilterForm(FlaskForm):
    class Meta:
        csrf = False

    org_kind = SelectField(_l("Tipo di ente"), choices=lambda: [("", _l("Tutti i tipi"))] + directory_kind_choices(),
                           validators=[Optional()], validate_choice=False)
    region = SelectField(_l("Regione dell'ente"), choices=lambda: region_choices(_l("Tutte le regioni")),
                         validators=[Optional()], validate_choice=False)

