"""publiccode.yml import and export of software practices, on top of the pure parser in publiccode.py."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.extensions import db
from app.links import is_http_url
from app.models import Community, KitSection, KitVersion, MaintenanceEntry, Organization, Practice, PracticeTag
from app.models.base import utcnow
from app.practices.categories import classify
from app.practices.publiccode import Issue, ParseResult, dump_publiccode, parse_publiccode, practice_fields
from app.practices.services import unique_slug
from app.practices.workflow import PracticeStatus


@dataclass
class ImportOutcome:
    """What happened to one file: imported, updated or rejected (with the errors), and its warnings."""

    status: str  # "imported" | "updated" | "rejected" | "skipped" (same repository as an earlier file of a batch)
    practice: Practice | None = None
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)


def _reject(message: str, path: str = "", result: ParseResult | None = None) -> ImportOutcome:
    errors = list(result.errors) if result else []
    if message:
        errors.append(Issue(path=path, message=message, line=None, severity="error"))
    return ImportOutcome("rejected", errors=errors, warnings=list(result.warnings) if result else [])


def _kit_sections(fields: dict) -> dict[str, str]:
    """Kit sections written from the metadata, so an imported software practice is reusable at once."""
    sections: dict[str, str] = {}
    if fields.get("long_description"):
        sections["context"] = fields["long_description"]
    technical = []
    if fields.get("features"):
        technical.append("Funzionalità:\n" + "\n".join(f"- {f}" for f in fields["features"]))
    if fields.get("platforms"):
        technical.append("Piattaforme: " + ", ".join(fields["platforms"]))
    if fields.get("dependencies"):
        technical.append("Dipendenze:\n" + "\n".join(
            f"- {d.get('name')} ({d.get('kind')})" for d in fields["dependencies"]))
    if fields.get("url"):
        technical.append(f"Codice sorgente: {fields['url']}")
    if technical:
        sections["technical"] = "\n\n".join(technical)
    if fields.get("licence"):
        sections["licence"] = f"Licenza: {fields['licence']}"
    maintenance = fields.get("maintenance") or {}
    if maintenance.get("type"):
        lines = [f"Tipo di manutenzione: {maintenance['type']}"]
        lines += [f"- Fornitore: {c.get('name')}" + (f", fino al {c['until']}" if c.get("until") else "")
                  for c in maintenance.get("contractors") or []]
        lines += [f"- Contatto: {c.get('name')}" + (f" <{c['email']}>" if c.get("email") else "")
                  for c in maintenance.get("contacts") or []]
        sections["maintenance"] = "\n".join(lines)
    return sections


def tolerated(result: ParseResult) -> ParseResult:
    """The result with its errors demoted to warnings if a practice can still be written from it, else unchanged."""
    lenient = ParseResult(data=result.data, errors=[], warnings=result.warnings + result.errors,
                          version=result.version)
    try:
        fields = practice_fields(lenient)
        _kit_sections(fields)
    except Exception:  # values of the wrong shape: the strict result, with its errors, is the answer
        return result
    if not fields.get("name") or any(issue.path in ("name", "url") for issue in result.errors):
        return result  # the repository URL is how a re-import finds its practice: never guessed
    return lenient


def _normal_url(url: str | None) -> str:
    return (url or "").strip().rstrip("/").removesuffix(".git").lower()


def import_publiccode(text: str | bytes, community: Community, *, donor: Organization | None,
                      author_id: int | None, publish: bool, editor=None, lenient: bool = False,
                      seen_urls: dict[str, str] | None = None, source: str = "") -> ImportOutcome:
    """Create or update a software practice from a publiccode.yml text; a file with errors changes nothing.

    The practice is matched by its repository URL, so importing the same file again updates it. The donor is the
    organisation named by the IPA code in the file, else `donor`; `publish` publishes at once (catalogue imports),
    otherwise the practice stays a draft for its donors to review. `editor` is the signed-in person of a web
    import: they may only create practices of their own organisation and update practices they may edit. Every
    check happens before anything is written.

    `lenient` (catalogue imports by an administrator, never web imports) accepts a file whose errors leave the
    practice describable — as the national catalogue lists files its own validator flags — keeping the errors as
    warnings; a file that is not YAML, or has no name or repository, is still refused.

    `seen_urls` (batch imports) maps the repositories already imported in the batch to their file (`source`): a
    second file declaring the same repository is skipped with a warning naming both, instead of updating the
    practice the first one wrote.
    """
    from app.models import IpaRegistryEntry

    checker = (lambda code: IpaRegistryEntry.canonical(code) is not None) if IpaRegistryEntry.registry_loaded() else None
    result = parse_publiccode(text, ipa_code_exists=checker)
    if not result.ok and lenient and result.data is not None:
        result = tolerated(result)
    if not result.ok:
        return _reject("", result=result)
    fields = practice_fields(result)
    owner = donor
    if fields.get("ipa_code"):
        owner = db.session.execute(select(Organization).where(
            func.lower(Organization.ipa_code) == fields["ipa_code"].lower())).scalar_one_or_none() or donor
    if owner is None:
        return _reject("Nessun ente della piattaforma corrisponde al codice IPA del file: indica l'ente cedente.",
                       "it.riuso.codiceIPA", result)
    for key, limit in (("url", 300), ("landing_url", 300), ("licence", 100)):
        if len(fields.get(key) or "") > limit:
            return _reject(f"Valore troppo lungo (al massimo {limit} caratteri).", key, result)
    for key, path in (("url", "url"), ("landing_url", "landingURL")):
        if fields.get(key) and not is_http_url(fields[key]):  # a javascript: link would be stored, then rendered
            return _reject("Indirizzo non accettato: usa un indirizzo web che inizia con http:// o https://.",
                           path, result)
    wanted_url = _normal_url(fields.get("url"))
    if seen_urls is not None and wanted_url in seen_urls:
        return ImportOutcome("skipped", warnings=[Issue(
            path="url", line=None, severity="warning",
            message=f"Lo stesso repository ({fields['url']}) è dichiarato anche da {seen_urls[wanted_url]}: il file "
                    f"non è stato importato, la pratica resta quella di {seen_urls[wanted_url]}.")])
    matches = [p for p in db.session.execute(select(Practice).where(Practice.repository_url.is_not(None))).scalars()
               if _normal_url(p.repository_url) == wanted_url] if wanted_url else []
    existing = matches[0] if len(matches) == 1 else None
    if editor is not None:
        from app import permissions
        from app.communities.services import membership_of

        # One answer for a practice the editor may not edit and one they may not even see: nothing about it leaks.
        if any(not permissions.can_view_practice(editor, p, membership_of(p.community, editor))
               or not permissions.can_edit_practice(editor, p) for p in matches):
            return _reject("Non puoi importare un publiccode.yml con questo repository. Se il software è del tuo "
                           "ente, chiedi aiuto al referente del tuo ente.", "url", result)
        if existing is None and not editor.is_admin and owner.id != editor.organization_id:
            return _reject("Il codice IPA del file indica un altro ente: puoi importare solo le pratiche del tuo "
                           "ente.", "it.riuso.codiceIPA", result)
    elif existing is not None and existing.donor_id != owner.id:
        return _reject("Questa pratica è già documentata da un altro ente.", "url", result)
    if len(matches) > 1:
        return _reject("Più pratiche hanno questo repository: aggiornale dalla loro pagina.", "url", result)
    if existing is not None and existing.status == PracticeStatus.ARCHIVED:
        return _reject("La pratica con questo repository è archiviata: ripristinala prima di aggiornarla.", "url",
                       result)
    if existing is not None and db.session.execute(select(KitVersion.id).where(
            KitVersion.practice_id == existing.id, KitVersion.status == "draft")).first():
        return _reject("C'è una nuova versione del KIT in scrittura: pubblicala prima di importare di nuovo il "
                       "publiccode.yml.", "url", result)
    theme, mission = classify(fields.get("categories") or [], fields.get("scopes") or [], community.theme)
    practice = existing or Practice(donor_id=owner.id, created_by_id=author_id, kind="software",
                                    community_id=community.id, theme=theme, mission=mission,
                                    status=PracticeStatus.PUBLISHED if publish else PracticeStatus.DRAFT,
                                    published_at=utcnow() if publish else None)
    practice.title = fields["name"][:200]
    practice.summary = (fields.get("short_description") or fields["name"])[:300]
    practice.description = fields.get("long_description") or ""
    practice.kind = "software"
    practice.licence = fields.get("licence")
    practice.website = fields.get("landing_url")
    practice.repository_url = fields.get("url")
    practice.publiccode = fields
    practice.updated_at = utcnow()
    wanted = list(dict.fromkeys(c.lower()[:50] for c in fields.get("categories") or []))[:10]  # once each
    practice.tags = [t for t in practice.tags if t.name in wanted] + [
        PracticeTag(name=c[:50]) for c in wanted if c not in {t.name for t in practice.tags}]
    if existing is None:
        practice.slug = unique_slug(practice.title)
        db.session.add(practice)
    db.session.flush()
    new_version = _write_kit(practice, fields, author_id)
    _record_conversions(practice, created=existing is None, published=publish, new_version=new_version,
                        editor=editor)
    db.session.commit()
    if seen_urls is not None and wanted_url:
        seen_urls[wanted_url] = source or fields["url"]
    return ImportOutcome("updated" if existing else "imported", practice=practice, warnings=list(result.warnings))


def _record_conversions(practice: Practice, *, created: bool, published: bool, new_version: bool, editor) -> None:
    """An import converts reusers as the web flows do: a practice published at once in the community of one its
    donor reused, or a kit version written by a co-donor that reused this practice."""
    from app.reuse.services import record_conversion

    if created and published:
        record_conversion(practice.donor_id, "own_practice", practice=practice)
    if new_version and editor is not None and editor.organization_id not in (None, practice.donor_id) \
            and editor.organization_id in practice.donor_ids:
        record_conversion(editor.organization_id, "kit_version", practice=practice)


def _write_kit(practice: Practice, fields: dict, author_id: int | None) -> bool:
    """Publish a kit version from the metadata when it differs from the latest one; True when it did."""
    sections = _kit_sections(fields)
    if not sections:
        return False
    latest = db.session.execute(select(KitVersion).where(KitVersion.practice_id == practice.id,
                                                         KitVersion.status == "published")
                                .order_by(KitVersion.id.desc())).scalars().first()
    if latest is not None and latest.section_bodies() == {**{k: "" for k in latest.section_bodies()}, **sections}:
        return False  # nothing changed: importing the same file again adds no version
    from app.practices.services import suggest_next_label

    taken = set(db.session.execute(select(KitVersion.label).where(KitVersion.practice_id == practice.id)).scalars())
    label = suggest_next_label(latest.label if latest else None)
    while label in taken:
        label = suggest_next_label(label)
    now = utcnow()
    version = KitVersion(practice_id=practice.id, label=label, status="published", author_id=author_id,
                         changelog="Importata da publiccode.yml", published_at=now,
                         sections=[KitSection(key=k, body=v) for k, v in sections.items()])
    db.session.add(version)
    db.session.add(MaintenanceEntry(practice_id=practice.id, author_id=author_id, created_at=now,
                                    note=f"Versione {label} del KIT importata da publiccode.yml."))
    practice.kit_completeness = round(100 * len(sections) / 9)
    practice.kit_updated_at = now
    return True


def export_publiccode(practice: Practice, used_by: list[str] | None = None) -> str:
    """A publiccode.yml for a software practice, from its current description (validator-clean).

    `used_by`: the organisations whose adoption the donors confirmed (the page passes them); None keeps the list
    the imported file declared (only the importer's own round trip does that).
    """
    fields = dict(practice.publiccode or {})
    fields.update({"name": practice.title, "short_description": practice.summary,
                   "long_description": practice.description or fields.get("long_description", ""),
                   "licence": practice.licence or fields.get("licence"),
                   "url": practice.repository_url or fields.get("url"),
                   "landing_url": practice.website or fields.get("landing_url")})
    if practice.donor.ipa_code:
        fields["ipa_code"] = practice.donor.ipa_code
    fields["awards"] = list(fields.get("awards") or []) + recognition_awards(practice)
    return dump_publiccode(fields, used_by=used_by)


def recognition_awards(practice: Practice) -> list[str]:
    """The recognitions of evaluation calls (Practice.recognitions) as the standard's description/[lang]/awards:
    plain Italian like the rest of the exported description, whatever the language of the request."""
    awards = []
    for each in practice.recognitions or []:
        title, year = each.get("title") or "", each.get("year")
        call = title if not year or str(year) in title else f"{title} {year}"
        kind = "Menzione speciale" if each.get("outcome") == "special_mention" else "Buona pratica riconosciuta"
        awards.append(f"{kind} · {call}")
    return awards
