"""The CAF 2020 questionnaire as data (app/evaluation/data/caf2020.yaml): reading it, checking a template's items
(also those an administrator edits as YAML), loading it as a template once per code and version."""
from __future__ import annotations

from pathlib import Path

import yaml

from app.evaluation.core import N_

CAF_FILE = Path(__file__).parent / "data" / "caf2020.yaml"
LEVELS = ("criterion", "sub")
KINDS = ("enabler", "result")
ITEM_KEYS = {"code", "level", "parent", "kind", "title_it", "title_en", "working_translation", "guidance"}
TITLE_MAX = 300
GUIDANCE_MAX = 4_000
MAX_ITEMS = 300


class ItemsError(ValueError):
    """The items are not a valid questionnaire: `message` is an Italian msgid, `params` fill it."""

    def __init__(self, message: str, **params) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


def read_caf() -> dict:
    """The CAF 2020 file as a dict (code, version, title, description, items)."""
    with CAF_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def parse_items_yaml(text: str) -> list[dict]:
    """Items written as YAML (a list of mappings), checked; raises ItemsError with a message people can act on."""
    try:
        data = yaml.safe_load(text or "")
    except yaml.YAMLError as error:
        line = getattr(getattr(error, "problem_mark", None), "line", None)
        if line is not None:
            raise ItemsError(N_("Il testo non è YAML valido (riga %(line)d)."), line=line + 1) from error
        raise ItemsError(N_("Il testo non è YAML valido.")) from error
    if isinstance(data, dict) and "items" in data:
        data = data["items"]
    return check_items(data)


def check_items(data) -> list[dict]:
    """The items, normalised (codes as text), if they form a questionnaire: criteria, each with sub-criteria."""
    if not isinstance(data, list) or not data:
        raise ItemsError(N_("Scrivi un elenco di voci: ognuna inizia con «- code: …»."))
    if len(data) > MAX_ITEMS:
        raise ItemsError(N_("Al massimo %(max)d voci."), max=MAX_ITEMS)
    items: list[dict] = []
    codes: dict[str, dict] = {}
    for number, raw in enumerate(data, start=1):
        if not isinstance(raw, dict):
            raise ItemsError(N_("La voce n. %(num)d non è una voce con campi (code, level, title_it…)."), num=number)
        unknown = sorted(set(map(str, raw)) - ITEM_KEYS)
        if unknown:
            raise ItemsError(N_("La voce n. %(num)d ha campi sconosciuti: %(keys)s."), num=number,
                             keys=", ".join(unknown))
        item = {key: raw[key] for key in raw}
        code = str(item.get("code") or "").strip()
        if not code or len(code) > 20:
            raise ItemsError(N_("La voce n. %(num)d non ha un codice (al massimo 20 caratteri)."), num=number)
        if code in codes:
            raise ItemsError(N_("Il codice %(code)s compare due volte."), code=code)
        item["code"] = code
        if item.get("level") not in LEVELS:
            raise ItemsError(N_("La voce %(code)s: il livello («level») è criterion oppure sub."), code=code)
        if item.get("kind") not in KINDS:
            raise ItemsError(N_("La voce %(code)s: il tipo («kind») è enabler oppure result."), code=code)
        for key in ("title_it", "title_en"):
            value = item.get(key)
            if key == "title_it" and (not isinstance(value, str) or not value.strip()):
                raise ItemsError(N_("La voce %(code)s non ha il titolo italiano («title_it»)."), code=code)
            if value is not None and (not isinstance(value, str) or len(value) > TITLE_MAX):
                raise ItemsError(N_("La voce %(code)s: un titolo è un testo di al massimo %(max)d caratteri."),
                                 code=code, max=TITLE_MAX)
        guidance = item.get("guidance")
        if guidance is not None and (not isinstance(guidance, str) or len(guidance) > GUIDANCE_MAX):
            raise ItemsError(N_("La voce %(code)s: le indicazioni sono un testo di al massimo %(max)d caratteri."),
                             code=code, max=GUIDANCE_MAX)
        item["working_translation"] = bool(item.get("working_translation", False))
        if item["level"] == "sub":
            parent = str(item.get("parent") or "").strip()
            if parent not in codes or codes[parent]["level"] != "criterion":
                raise ItemsError(N_("Il sottocriterio %(code)s deve indicare («parent») un criterio scritto prima."),
                                 code=code)
            if codes[parent]["kind"] != item["kind"]:
                raise ItemsError(N_("Il sottocriterio %(code)s ha un tipo diverso dal suo criterio."), code=code)
            item["parent"] = parent
        else:
            item.pop("parent", None)
        codes[code] = item
        items.append(item)
    for code, item in codes.items():
        if item["level"] == "criterion" and not any(each.get("parent") == code for each in items):
            raise ItemsError(N_("Il criterio %(code)s non ha sottocriteri."), code=code)
    return items


def items_yaml(items: list[dict]) -> str:
    """The items as the YAML an administrator edits."""
    return yaml.safe_dump(items, allow_unicode=True, sort_keys=False, width=120)


def load_caf(actor=None):
    """Load CAF 2020 as a template unless the same code and version exists; returns (template, created)."""
    from app.evaluation import self_queries
    from app.extensions import db
    from app.models import AssessmentTemplate

    data = read_caf()
    existing = self_queries.template_by_code(data["code"], int(data["version"]))
    if existing is not None:
        return existing, False
    template = AssessmentTemplate(code=data["code"], version=int(data["version"]), title=data["title"],
                                  description=data.get("description", ""), items=check_items(data["items"]),
                                  active=True, created_by_id=actor.id if actor is not None else None)
    db.session.add(template)
    db.session.commit()
    return template, True
