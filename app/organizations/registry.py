"""The national IPA registry: reading its files, and what it tells about a code (to prefill a request)."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from app import geo
from app.extensions import db
from app.models import IpaRegistryEntry, Organization, OrganizationKind

# Column names of the IPA open-data tables ("enti" and the older "amministrazioni"), compared without case.
COLUMNS = {
    "code": ("codice_ipa", "cod_amm", "codice ipa"),
    "name": ("denominazione_ente", "des_amm", "denominazione"),
    "city": ("comune", "denominazione_comune", "des_comune"),
    "province_code": ("provincia", "sigla_provincia"),
    "region_code": ("regione",),
    "website": ("sito_istituzionale", "sito_web"),
}
LIMITS = {"code": 16, "name": 200, "city": 100, "website": 300}
REGION_BY_NAME = {name.casefold(): code for code, name in geo.REGIONS}
# The kind of administration a registry name announces; the person can still change it.
PA_KIND_BY_NAME = [
    (re.compile(r"^comune\b", re.I), "municipality"),
    (re.compile(r"^regione\b", re.I), "region"),
    (re.compile(r"^provincia\b", re.I), "province"),
    (re.compile(r"^citt[aà] metropolitana\b", re.I), "metropolitan_city"),
    (re.compile(r"^unione\b", re.I), "union_of_municipalities"),
    (re.compile(r"^universit", re.I), "university"),
    (re.compile(r"^(azienda (sanitaria|ospedaliera|unit)|a\.?s\.?l\b|ats\b|asp\b|ausl\b)", re.I), "health_authority"),
    (re.compile(r"^agenzia\b", re.I), "agency"),
    (re.compile(r"^ministero\b", re.I), "central_administration"),
]


def read_registry_file(path: Path) -> list[dict]:
    """Rows of the registry from a bare list of codes (one a line) or an IPA table with a header (CSV or TSV)."""
    text = path.read_text(encoding="utf-8-sig")
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        return []
    header = lines[0]
    delimiter = next((d for d in ("\t", ";", ",") if d in header), None)
    columns = _column_positions(next(csv.reader([header], delimiter=delimiter))) if delimiter else {}
    rows: dict[str, dict] = {}
    if "code" not in columns:  # a bare list of codes
        for line in lines:
            code = line.strip()
            rows.setdefault(code.lower(), {"code": code, "code_lower": code.lower()})
        return list(rows.values())
    for record in csv.reader(io.StringIO("\n".join(lines[1:])), delimiter=delimiter):
        row = _row(record, columns)
        if row is not None:
            rows.setdefault(row["code_lower"], row)
    return list(rows.values())


def _column_positions(header: list[str]) -> dict[str, int]:
    names = [h.strip().strip('"').lower() for h in header]
    return {key: names.index(alias) for key, aliases in COLUMNS.items() for alias in aliases if alias in names}


def _row(record: list[str], columns: dict[str, int]) -> dict | None:
    values = {key: (record[i].strip() if i < len(record) else "") for key, i in columns.items()}
    code = values.get("code", "")
    if not code or len(code) > LIMITS["code"]:
        return None
    province = values.get("province_code", "").upper()
    region = values.get("region_code", "")
    region = region if region in geo.REGION_NAMES else REGION_BY_NAME.get(region.casefold())
    website = values.get("website", "")
    if website and not re.match(r"^https?://", website, re.I):
        website = "https://" + website  # the registry often writes "www.comune.chieri.to.it"
    return {
        "code": code, "code_lower": code.lower(),
        "name": values.get("name", "")[:LIMITS["name"]] or None,
        "city": _city(values.get("city", ""))[:LIMITS["city"]] or None,
        "province_code": province if province in geo.PROVINCE_NAMES else None,
        "region_code": region or (geo.PROVINCE_REGION.get(province) if province in geo.PROVINCE_NAMES else None),
        "website": website if len(website) <= LIMITS["website"] and " " not in website else None,
    }


def _city(value: str) -> str:
    # The registry writes cities in capitals ("CHIERI"); people search and read "Chieri".
    return value.title() if value.isupper() else value


def entry(code: str) -> IpaRegistryEntry | None:
    """The registry's entry for a code (compared without case), or None."""
    code = (code or "").strip().lower()
    if not code:
        return None
    return db.session.execute(select(IpaRegistryEntry).where(IpaRegistryEntry.code_lower == code)).scalar_one_or_none()


def unregistered_matches(query: str, limit: int = 5) -> list[IpaRegistryEntry]:
    """Registry entries matching the words (code, name or city) that no organisation of the platform holds yet."""
    words = [w for w in query.lower().split() if w][:8]
    if not words:
        return []
    statement = select(IpaRegistryEntry).where(
        ~select(Organization.id).where(func.lower(Organization.ipa_code) == IpaRegistryEntry.code_lower).exists())
    for word in words:
        pattern = f"%{_escape(word)}%"
        statement = statement.where(or_(func.lower(IpaRegistryEntry.name).like(pattern, escape="\\"),
                                        func.lower(IpaRegistryEntry.city).like(pattern, escape="\\"),
                                        IpaRegistryEntry.code_lower == word))
    return list(db.session.execute(statement.order_by(IpaRegistryEntry.name, IpaRegistryEntry.code)
                                   .limit(limit)).scalars())


def has_details() -> bool:
    """True when the loaded registry knows names (an IPA table), not only codes: then it can prefill a request."""
    return db.session.execute(select(IpaRegistryEntry.code).where(IpaRegistryEntry.name.is_not(None))
                              .limit(1)).first() is not None


def prefill_request(form, code: str) -> None:
    """A code chosen at registration: its organisation when already on the platform, else a request from the registry."""
    code = (code or "").strip()
    held = db.session.execute(select(Organization).where(func.lower(Organization.ipa_code) == code.lower())
                              .limit(1)).scalar_one_or_none() if code else None
    if held is not None and held.is_active:
        form.organization.data = str(held.id)
        return
    found = entry(code)
    form.organization.data = "new"
    if found is None:
        form.ipa_code.data = code or form.ipa_code.data
        form.ipa_code.errors = [_("Codice IPA non trovato nell'Indice PA: compila i dati dell'ente a mano.")]
        return
    prefill(form, found)


def prefill(form, registry_entry: IpaRegistryEntry) -> None:
    """Fill the new-organisation fields of a registration form from the registry (what the person typed is kept)."""
    form.organization.data = "new"
    form.kind.data = form.kind.data or OrganizationKind.PUBLIC_ADMINISTRATION.value
    form.ipa_code.data = registry_entry.code
    for field, value in (("name", registry_entry.name), ("region", registry_entry.region_code),
                         ("province", registry_entry.province_code), ("website", registry_entry.website),
                         ("city", registry_entry.city)):
        if value and not (getattr(form, field).data or "").strip():
            getattr(form, field).data = value
    if not form.pa_kind.data and registry_entry.name:
        form.pa_kind.data = next((kind for pattern, kind in PA_KIND_BY_NAME if pattern.search(registry_entry.name)),
                                 "")


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
