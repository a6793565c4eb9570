"""Checks on an organisation's data shared by the registration and the profile forms."""
from __future__ import annotations

import re

from flask_babel import gettext as _

from app import geo
from app.models import IpaRegistryEntry, OrganizationKind, ipa_code_taken

IPA_CODE_FORMAT = re.compile(r"^[A-Za-z0-9_]{2,16}$")


def ipa_code_problem(code: str, exclude_id: int | None = None) -> str | None:
    """Why an IPA code cannot be used, or None. The registry is checked when it has been loaded."""
    code = code.strip()
    if not IPA_CODE_FORMAT.match(code):
        return _("Il codice IPA è formato da 2–16 lettere, cifre o trattini bassi (per esempio c_h501).")
    if IpaRegistryEntry.registry_loaded() and IpaRegistryEntry.canonical(code) is None:
        return _("Codice IPA sconosciuto: non risulta nell'Indice dei domicili digitali della PA (IPA).")
    if ipa_code_taken(code, exclude_id):
        return _("Questo codice IPA è già registrato per un altro ente della piattaforma.")
    return None


def canonical_ipa_code(code: str) -> str:
    """The registry's own spelling of a code when the registry is loaded, else the code as typed."""
    code = code.strip()
    return IpaRegistryEntry.canonical(code) or code


def organization_problems(
    *, kind: str | None, pa_kind: str | None, ipa_code: str | None, region: str | None, province: str | None,
    exclude_id: int | None = None,
) -> dict[str, str]:
    """Field name → message for the cross-field rules of an organisation."""
    problems: dict[str, str] = {}
    if kind == OrganizationKind.PUBLIC_ADMINISTRATION:
        if not pa_kind:
            problems["pa_kind"] = _("Indica il tipo di amministrazione.")
        if not ipa_code:
            problems["ipa_code"] = _("Il codice IPA è obbligatorio per una pubblica amministrazione.")
        elif message := ipa_code_problem(ipa_code, exclude_id):
            problems["ipa_code"] = message
        national = pa_kind in {"central_administration", "agency", "other"}
        if not region and not national:
            problems["region"] = _("Indica la regione dell'ente.")
    elif ipa_code:
        problems["ipa_code"] = _("Solo le pubbliche amministrazioni hanno un codice IPA.")
    if province:
        if province not in geo.PROVINCE_NAMES:
            problems["province"] = _("Provincia sconosciuta.")
        elif region and geo.PROVINCE_REGION[province] != region:
            problems["province"] = _("La provincia scelta non appartiene alla regione indicata.")
        elif not region:
            problems["region"] = _("Indica anche la regione della provincia scelta.")
    if region and region not in geo.REGION_NAMES:
        problems["region"] = _("Regione sconosciuta.")
    return problems
