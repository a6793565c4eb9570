"""Forms of the organisations area."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import URL, Email, Length, Optional, Regexp

from app import geo
from app.forms import FlaskForm  # cleans every text field (see app/forms.py)
from app.models import KIND_LABELS, PA_KIND_LABELS
from app.organizations.validation import organization_problems


def kind_choices() -> list[tuple[str, str]]:
    return [("", _l("— Scegli —"))] + [(k.value, label) for k, label in KIND_LABELS.items()]


def pa_kind_choices(blank=_l("— Non applicabile —")) -> list[tuple[str, str]]:
    return [("", blank)] + [(k.value, label) for k, label in PA_KIND_LABELS.items()]


def region_choices(blank=_l("— Nessuna (ente nazionale) —")) -> list[tuple[str, str]]:
    return [("", blank)] + list(geo.REGIONS)


def province_choices() -> list[tuple[str, str]]:
    items = sorted(geo.PROVINCES, key=lambda p: p[1])
    return [("", _l("— Nessuna —"))] + [(sigla, f"{name} ({sigla})") for sigla, name, _region in items]


class OrganizationFields:
    """Field set and cross-field rules of an organisation, mixed into concrete forms."""

    name = StringField(_l("Nome dell'ente"), validators=[Optional(), Length(max=200)])
    kind = SelectField(_l("Tipo di soggetto"), choices=kind_choices, validators=[Optional()], validate_choice=True)
    pa_kind = SelectField(_l("Tipo di amministrazione"), choices=pa_kind_choices, validators=[Optional()])
    ipa_code = StringField(
        _l("Codice IPA"),
        validators=[Optional(), Length(max=16)],
        description=_l("Il codice dell'ente nell'Indice dei domicili digitali della PA (es. c_h501)."),
    )
    region = SelectField(_l("Regione"), choices=region_choices, validators=[Optional()])
    province = SelectField(_l("Provincia"), choices=province_choices, validators=[Optional()])
    website = URLField(
        _l("Sito web"),
        validators=[Optional(), Length(max=300), URL(message=_l("Inserisci un indirizzo web completo (https://…).")),
                    Regexp(r"^https?://", flags=re.IGNORECASE,
                           message=_l("Inserisci un indirizzo web completo (https://…)."))],
    )

    def organization_errors(self, exclude_id: int | None = None) -> bool:
        """Apply the required and cross-field rules; False (with messages at the fields) when something is wrong."""
        ok = True
        if not (self.name.data or "").strip():
            self.name.errors = [*self.name.errors, _l("Indica il nome dell'ente.")]
            ok = False
        if not self.kind.data:
            self.kind.errors = [*self.kind.errors, _l("Indica il tipo di soggetto.")]
            ok = False
        problems = organization_problems(
            kind=self.kind.data, pa_kind=self.pa_kind.data, ipa_code=(self.ipa_code.data or "").strip(),
            region=self.region.data, province=self.province.data, exclude_id=exclude_id,
        )
        for field_name, message in problems.items():
            field = getattr(self, field_name)
            field.errors = [*field.errors, message]
            ok = False
        return ok


class OrganizationProfileForm(OrganizationFields, FlaskForm):
    """Edit an organisation's profile (referents and administrators)."""

    email = EmailField(
        _l("E-mail istituzionale"),
        validators=[Optional(), Length(max=254), Email(message=_l("Indirizzo e-mail non valido."))],
    )
    description = TextAreaField(_l("Presentazione"), validators=[Optional(), Length(max=5000)])

    def __init__(self, *args, organization_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._organization_id = organization_id

    def validate(self, extra_validators=None) -> bool:
        fields_ok = super().validate(extra_validators)
        return self.organization_errors(exclude_id=self._organization_id) and fields_ok


class DirectoryFilterForm(FlaskForm):
    """Directory filters, read from the query string (GET, so no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(_l("Nome dell'ente"), validators=[Optional(), Length(max=100)])
    kind = SelectField(_l("Tipo"), choices=lambda: [("", _l("Tutti i tipi"))] + directory_kind_choices(),
                       validators=[Optional()], validate_choice=False)
    region = SelectField(_l("Regione"), choices=lambda: region_choices(_l("Tutte le regioni")),
                         validators=[Optional()], validate_choice=False)


def directory_kind_choices() -> list[tuple[str, str]]:
    """PA kinds and the non-PA kinds in one list, as the directory filters by either (one value per option)."""
    from app.models.organization import kind_filter_choices

    return kind_filter_choices()


class PersonActionForm(FlaskForm):
    """Approve, reject, remove, make or revoke referent: the button carries the CSRF token."""
