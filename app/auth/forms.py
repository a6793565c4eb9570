"""Forms of the accounts area: one per action."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SearchField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from app.auth.passwords import MAX_LENGTH, password_problem
from app.forms import FlaskForm  # cleans every text field (see app/forms.py)
from app.models import User
from app.organizations import finder
from app.organizations.forms import OrganizationFields

NEW_ORGANIZATION = "new"
EMAIL_VALIDATORS = [
    DataRequired(message=_l("Indica il tuo indirizzo e-mail.")),
    Length(max=254, message=_l("L'indirizzo e-mail può avere al massimo 254 caratteri.")),
    Email(message=_l("Indirizzo e-mail non valido."), check_deliverability=False),
]


class NewPasswordMixin:
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Scegli una password.")), Length(max=MAX_LENGTH)],
        description=_l("Almeno 10 caratteri; una frase di più parole è facile da ricordare e difficile da indovinare."),
    )
    password_confirm = PasswordField(
        _l("Ripeti la password"),
        validators=[DataRequired(message=_l("Ripeti la password.")),
                    EqualTo("password", message=_l("Le due password non coincidono."))],
    )

    def personal_hints(self) -> tuple[str, ...]:
        return ()

    def validate_password(self, field) -> None:
        if message := password_problem(field.data or "", *self.personal_hints()):
            raise ValidationError(message)


class RegistrationForm(NewPasswordMixin, OrganizationFields, FlaskForm):
    """Create an account and join an existing organisation, or ask for a new one."""

    full_name = StringField(_l("Nome e cognome"), validators=[
        DataRequired(message=_l("Indica nome e cognome.")),
        Length(max=120, message=_l("Al massimo 120 caratteri."))])
    email = EmailField(_l("E-mail di lavoro"), validators=EMAIL_VALIDATORS)
    job_title = StringField(_l("Ruolo nell'ente"), validators=[Length(max=120, message=_l("Al massimo 120 caratteri."))])
    # One search field instead of a list of every organisation (tens of thousands at national scale).
    organization_search = SearchField(_l("Cerca il tuo ente"), validators=[Length(max=100)],
                                      description=_l("Nome, comune o codice IPA, per esempio «Chieri» o «c_c627»."))
    # The chosen result: an organisation's id, or "new" to ask for one (radio buttons written by the template).
    organization = StringField(_l("Ente di appartenenza"),
                               validators=[DataRequired(message=_l("Cerca il tuo ente e sceglilo, oppure chiedi di "
                                                                   "registrarlo."))])
    city = StringField(_l("Comune della sede"), validators=[Optional(), Length(max=100)])
    accept_terms = BooleanField(
        _l("Ho letto l'informativa sul trattamento dei dati personali"),
        validators=[DataRequired(message=_l("Per registrarti devi accettare l'informativa."))],
    )

    # The order of the page, so that the error summary lists problems top to bottom.
    FIELD_ORDER = ("full_name", "email", "job_title", "password", "password_confirm", "organization_search",
                   "organization", "name", "kind", "pa_kind", "ipa_code", "region", "province", "city", "website",
                   "accept_terms")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rank = {name: n for n, name in enumerate(self.FIELD_ORDER)}
        self._fields = dict(sorted(self._fields.items(), key=lambda item: rank.get(item[0], -1)))

    def personal_hints(self) -> tuple[str, ...]:
        return (self.email.data or "", self.full_name.data or "")

    # No check that the address is free: saying so would tell anyone which addresses have an account (the
    # service answers as for a new registration and writes to the owner instead).

    def validate_organization(self, field) -> None:
        if field.data != NEW_ORGANIZATION and finder.active_organization(field.data) is None:
            raise ValidationError(_l("Questo ente non è disponibile: cercalo di nuovo e sceglilo dall'elenco."))

    @property
    def wants_new_organization(self) -> bool:
        return self.organization.data == NEW_ORGANIZATION

    def validate(self, extra_validators=None) -> bool:
        fields_ok = super().validate(extra_validators)
        if self.wants_new_organization:
            return self.organization_errors() and fields_ok
        # The new-organisation part is hidden and ignored when an existing organisation is chosen.
        new_org_fields = [getattr(self, name) for name in ("name", "kind", "pa_kind", "ipa_code", "region",
                                                           "province", "city", "website")]
        for field in new_org_fields:
            field.errors = []
        return not any(f.errors for f in self if f not in new_org_fields)


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=EMAIL_VALIDATORS)
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Inserisci la password.")),
                                                         Length(max=MAX_LENGTH)])
    remember_me = BooleanField(_l("Ricordami su questo dispositivo"))


class EmailOnlyForm(FlaskForm):
    """Ask again for a confirmation link, or for a password reset link."""

    email = EmailField(_l("E-mail"), validators=EMAIL_VALIDATORS)


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    """Choose a new password from a reset link."""

    def __init__(self, *args, hints: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self._hints = hints

    def personal_hints(self) -> tuple[str, ...]:
        return self._hints


class ChangePasswordForm(ResetPasswordForm):
    """Change the password while signed in: the current one is asked first."""

    current_password = PasswordField(_l("Password attuale"),
                                     validators=[DataRequired(message=_l("Inserisci la password attuale."))])

    def __init__(self, *args, user: User | None = None, **kwargs):
        super().__init__(*args, hints=(user.email, user.full_name) if user else (), **kwargs)
        self._user = user

    def validate_current_password(self, field) -> None:
        from app.auth.passwords import verify_password

        if self._user is None or not verify_password(self._user.password_hash, field.data or ""):
            raise ValidationError(_l("La password attuale non è corretta."))
