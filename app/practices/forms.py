"""Forms of the practices area: one per action."""
from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from flask_wtf.file import FileField
from wtforms import HiddenField, IntegerField, MultipleFileField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from app.communities.forms import theme_choices
from app.extensions import db
from app.forms import FlaskForm  # cleans every text field (see app/forms.py)
from app.models import BUDGET_MISSIONS, KIT_SECTIONS, PRACTICE_KINDS, Organization, OrganizationStatus
from app.organizations.forms import directory_kind_choices, region_choices

WEB_ADDRESS = [Optional(), Length(max=300), URL(message=_l("Inserisci un indirizzo web completo (https://…).")),
               Regexp(r"^https?://", flags=re.IGNORECASE, message=_l("Inserisci un indirizzo web completo (https://…)."))]


def mission_choices(blank) -> list[tuple[str, str]]:
    return [("", blank)] + [(code, f"{code} — {label}") for code, label in BUDGET_MISSIONS.items()]


class PracticeForm(FlaskForm):
    """Describe a practice (create and edit)."""

    title = StringField(_l("Titolo"), validators=[DataRequired(message=_l("Indica il titolo della pratica.")),
                                                  Length(max=200, message=_l("Al massimo 200 caratteri."))])
    summary = TextAreaField(_l("Sintesi"), validators=[
        DataRequired(message=_l("Scrivi una sintesi della pratica.")),
        Length(max=300, message=_l("La sintesi può avere al massimo 300 caratteri."))],
        description=_l("Al massimo 300 caratteri: compare negli elenchi e nei risultati di ricerca."))
    description = TextAreaField(_l("Descrizione"), validators=[Optional(), Length(max=20000)],
                                description=_l("Puoi usare Markdown: **grassetto**, elenchi, collegamenti."))
    kind = SelectField(_l("Tipo di pratica"), choices=lambda: list(PRACTICE_KINDS.items()))
    community = SelectField(_l("Comunità di pratica"), validators=[DataRequired(message=_l("Scegli la comunità."))])
    theme = SelectField(_l("Tema"), choices=lambda: theme_choices(_l("— Scegli —")),
                        validators=[DataRequired(message=_l("Scegli il tema."))])
    mission = SelectField(_l("Missione di bilancio"), choices=lambda: mission_choices(_l("— Nessuna —")),
                          validators=[Optional()])
    region = SelectField(_l("Territorio"), choices=lambda: region_choices(_l("— Nazionale —")), validators=[Optional()])
    start_year = IntegerField(_l("Anno di avvio"), validators=[
        Optional(), NumberRange(min=1990, max=date.today().year + 1,
                                message=_l("Indica un anno tra il 1990 e il prossimo."))])
    website = URLField(_l("Sito web"), validators=WEB_ADDRESS)
    repository_url = URLField(_l("Indirizzo del codice sorgente (repository)"), validators=WEB_ADDRESS)
    licence = StringField(_l("Licenza"), validators=[Optional(), Length(max=100)],
                          description=_l("La sigla standard della licenza: per esempio EUPL-1.2 o AGPL-3.0-or-later per "
                                         "il software, CC-BY-4.0 per i documenti."))
    tags = StringField(_l("Parole chiave"), validators=[Optional(), Length(max=500)],
                       description=_l("Separate da virgole, al massimo 10."))
    co_donors = StringField(_l("Codici IPA degli enti co-cedenti"), validators=[Optional(), Length(max=500)],
                            description=_l("Separati da virgole, se altri enti hanno costruito la pratica con voi: ogni "
                                                        "ente diventa co-cedente quando un suo referente accetta "
                                                        "l'invito."))

    donor = StringField(_l("Ente cedente (codice IPA)"), validators=[
        DataRequired(message=_l("Indica il codice IPA dell'ente per cui documenti la pratica.")), Length(max=16)],
        description=_l("Chi amministra la piattaforma agisce per conto di un ente: indica il suo codice IPA."))
    submission = HiddenField()

    def __init__(self, *args, communities=(), donor_id: int | None = None, choose_donor: bool = False,
                 fixed_co_donor_ids: set[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Who is co-donor is stated in public by the donor's referents: for anyone else the list may not change.
        self._fixed_co_donor_ids = fixed_co_donor_ids
        self.community.choices = [("", _l("— Scegli —"))] + [(str(c.id), c.name) for c in communities]
        self._donor_id = donor_id
        self.donor_organization: Organization | None = None
        if not choose_donor:
            del self.donor  # only an administrator, who belongs to no organisation, says which one they act for
        if not self.submission.data:
            self.submission.data = new_submission_token()
        self.normalized_licence = ""
        self.tag_names: list[str] = []
        self.co_donor_organizations: list[Organization] = []

    def validate_donor(self, field) -> None:
        self.donor_organization = active_organization_by_ipa_code(field.data)
        if self.donor_organization is None:
            raise ValidationError(_l("Nessun ente attivo della piattaforma ha questo codice IPA."))
        self._donor_id = self.donor_organization.id

    def validate_licence(self, field) -> None:
        from license_expression import ExpressionError, get_spdx_licensing

        text = (field.data or "").strip()
        if not text:
            return
        try:
            info = get_spdx_licensing().validate(text)
        except ExpressionError:
            info = None
        if info is None or info.errors or not info.normalized_expression:
            raise ValidationError(_l("Licenza non riconosciuta: scrivi la sigla standard della licenza, per esempio EUPL-1.2."))
        self.normalized_licence = info.normalized_expression

    def validate_tags(self, field) -> None:
        names = []
        for part in (field.data or "").split(","):
            name = " ".join(part.split()).lower()
            if name and name not in names:
                names.append(name)
        if len(names) > 10:
            raise ValidationError(_l("Al massimo 10 parole chiave."))
        if any(len(n) > 50 for n in names):
            raise ValidationError(_l("Ogni parola chiave può avere al massimo 50 caratteri."))
        self.tag_names = names

    def validate_co_donors(self, field) -> None:
        codes = [c.strip().lower() for c in (field.data or "").split(",") if c.strip()]
        if not codes:
            return
        found = db.session.execute(select(Organization).where(
            func.lower(Organization.ipa_code).in_(codes), Organization.status == OrganizationStatus.ACTIVE)).scalars().all()
        missing = sorted(set(codes) - {o.ipa_code.lower() for o in found})
        if missing:
            raise ValidationError(_l("Nessun ente della piattaforma ha questi codici IPA: %(codes)s",
                                     codes=", ".join(missing)))
        self.co_donor_organizations = [o for o in found if o.id != self._donor_id]
        self._check_co_donors_unchanged()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.co_donors.data or "").strip() and not self.co_donors.errors:  # Optional() skipped the check
            try:
                self._check_co_donors_unchanged()
            except ValidationError as error:
                self.co_donors.errors = [*self.co_donors.errors, str(error)]
                valid = False
        return valid

    def _check_co_donors_unchanged(self) -> None:
        if self._fixed_co_donor_ids is not None and (
                {o.id for o in self.co_donor_organizations} != self._fixed_co_donor_ids):
            raise ValidationError(_l("Invitare o togliere enti co-cedenti spetta a un referente dell'ente cedente: "
                                     "lascia l'elenco com'era o chiedi a un referente."))


def new_submission_token() -> str:
    """A token carried by a creation form: the same submission sent twice creates one row (issue 11, point 29)."""
    import secrets

    return secrets.token_urlsafe(24)


def active_organization_by_ipa_code(code: str | None) -> Organization | None:
    code = (code or "").strip().lower()
    if not code:
        return None
    return db.session.execute(select(Organization).where(
        func.lower(Organization.ipa_code) == code, Organization.status == OrganizationStatus.ACTIVE)).scalar_one_or_none()


class KitForm(FlaskForm):
    """Write the sections of the kit's working version."""


for _key, _label in KIT_SECTIONS.items():
    setattr(KitForm, f"section_{_key}", TextAreaField(_label, validators=[Optional(), Length(max=50000)]))


class PublishKitForm(FlaskForm):
    """Publish the working version of the kit."""

    label = StringField(_l("Etichetta della versione"), validators=[
        DataRequired(message=_l("Indica l'etichetta della versione.")),
        Regexp(r"^\d+(\.\d+){0,2}$", message=_l("Usa numeri separati da punti, per esempio 1.0 o 2.1.3."))])
    changelog = TextAreaField(_l("Cosa cambia in questa versione"), validators=[
        DataRequired(message=_l("Descrivi cosa cambia: chi riusa la pratica deve saperlo.")), Length(max=5000)])


class MaintenanceForm(FlaskForm):
    note = TextAreaField(_l("Aggiornamento"), validators=[DataRequired(message=_l("Scrivi l'aggiornamento.")),
                                                          Length(max=2000)])


class ArchiveFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Cerca nel titolo e nella sintesi"), validators=[Optional(), Length(max=100)])
    community = SelectField(_l("Comunità"), validators=[Optional()], validate_choice=False)
    theme = SelectField(_l("Tema"), choices=lambda: theme_choices(_l("Tutti i temi")), validate_choice=False)
    mission = SelectField(_l("Missione di bilancio"), choices=lambda: mission_choices(_l("Tutte le missioni")),
                          validate_choice=False)
    region = SelectField(_l("Territorio"), choices=lambda: region_choices(_l("Tutti i territori")),
                         validate_choice=False)
    donor_kind = SelectField(_l("Tipo di ente cedente"),
                             choices=lambda: [("", _l("Tutti i tipi"))] + directory_kind_choices(), validate_choice=False)
    licence = SelectField(_l("Licenza"), validate_choice=False)
    completeness = SelectField(_l("Completezza del KIT"), choices=lambda: [
        ("", _l("Qualsiasi")), ("50", _l("Almeno metà")), ("80", _l("Almeno 80%")), ("100", _l("Completo"))],
        validate_choice=False)
    status = SelectField(_l("Stato"), choices=lambda: [
        ("published", _l("Pubblicate")), ("archived", _l("Archiviate")), ("draft", _l("Bozze (del mio ente)")),
        ("all", _l("Tutte"))], validate_choice=False)
    origin = SelectField(_l("Provenienza"), choices=lambda: [
        ("", _l("Tutte")), ("documented", _l("Documentate sulla piattaforma")),
        ("catalogue", _l("Dal catalogo del riuso (publiccode.yml)"))], validate_choice=False)
    recognised = SelectField(_l("Riconoscimento"), choices=lambda: [
        ("", _l("Tutte")), ("1", _l("Buone pratiche riconosciute"))], validate_choice=False)
    sort = SelectField(_l("Ordina per"), choices=lambda: [
        ("documented", _l("Prima le documentate, poi le più recenti")), ("recent", _l("Più recenti")),
        ("title", _l("Titolo")), ("completeness", _l("Completezza del KIT"))],
        validate_choice=False)


class AttachmentForm(FlaskForm):
    """Upload one or more documents into a section of the kit's working version."""

    section = SelectField(_l("Sezione del KIT"), choices=lambda: list(KIT_SECTIONS.items()))
    files = MultipleFileField(_l("Documenti"), description=_l(
        "Puoi scegliere più file insieme (al massimo 25 MB ciascuno): PDF, documenti di testo, fogli di calcolo e "
        "presentazioni (LibreOffice o Microsoft Office), immagini, ZIP, Markdown, testo, YAML."))

    def validate_files(self, field) -> None:
        if not [f for f in field.data or [] if getattr(f, "filename", "")]:
            raise ValidationError(_l("Scegli almeno un file."))


class ImportForm(FlaskForm):
    """Create or update a software practice from a publiccode.yml, uploaded or pasted."""

    community = SelectField(_l("Comunità di pratica"), validators=[DataRequired(message=_l("Scegli la comunità."))])
    file = FileField(_l("File publiccode.yml"))
    text = TextAreaField(_l("Oppure incolla qui il contenuto"), validators=[Optional(), Length(max=200_000)])

    donor = StringField(_l("Ente cedente (codice IPA)"), validators=[Optional(), Length(max=16)],
                        description=_l("Chi amministra la piattaforma agisce per conto di un ente: indica il suo "
                                       "codice IPA, se il file non lo riporta."))

    def __init__(self, *args, communities=(), choose_donor: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.community.choices = [("", _l("— Scegli —"))] + [(str(c.id), c.name) for c in communities]
        self.donor_organization: Organization | None = None
        if not choose_donor:
            del self.donor

    def validate_donor(self, field) -> None:
        if (field.data or "").strip():
            self.donor_organization = active_organization_by_ipa_code(field.data)
            if self.donor_organization is None:
                raise ValidationError(_l("Nessun ente attivo della piattaforma ha questo codice IPA."))

    def yaml_text(self) -> str | bytes | None:
        """The publiccode.yml (bytes as uploaded, or pasted text), or None with a message at the field."""
        upload = self.file.data
        if upload is not None and getattr(upload, "filename", ""):
            raw = upload.read(200_001)
            if len(raw) > 200_000:
                self.file.errors = [*self.file.errors, _l("Il file è troppo grande per un publiccode.yml.")]
                return None
            return raw
        if (self.text.data or "").strip():
            return self.text.data
        self.text.errors = [*self.text.errors, _l("Carica un file publiccode.yml o incollane il contenuto.")]
        return None
