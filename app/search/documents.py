"""What the index holds for a practice, read from the database in batches."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.markdown import markdown_text
from app.models import KIT_SECTIONS, KitVersion, Practice
from app.practices.categories import category_label

BATCH = 500


def _kit_versions(practice_ids: list[int]) -> dict[int, KitVersion]:
    """The kit version each practice shows: its latest published one, else its draft (then the practice is a draft
    too, readable only by its donors)."""
    versions = db.session.execute(
        select(KitVersion).where(KitVersion.practice_id.in_(practice_ids))
        .options(selectinload(KitVersion.sections), selectinload(KitVersion.attachments))
        .order_by(KitVersion.practice_id, KitVersion.published_at.desc(), KitVersion.id.desc())).scalars()
    chosen: dict[int, KitVersion] = {}
    for version in versions:
        current = chosen.get(version.practice_id)
        if current is None or (current.status != "published" and version.status == "published"):
            chosen[version.practice_id] = version
    return chosen


def document(practice: Practice, kit: KitVersion | None) -> dict:
    """The fields of one practice's search document."""
    kit_text = []
    if kit is not None:
        bodies = kit.section_bodies()
        # Imports copy the description into the first section: the same text twice would only repeat snippets.
        kit_text = [markdown_text(bodies[key]) for key in KIT_SECTIONS
                    if bodies.get(key, "").strip() and bodies[key].strip() != (practice.description or "").strip()]
        kit_text += [attachment.original_name for attachment in kit.attachments]
    donors = [practice.donor.name] + [organization.name for organization in practice.co_donors]
    # The catalogue's English category codes, and their Italian names ("gestione documentale") beside them.
    with force_locale("it"):  # the index is Italian whatever the language of the request that wrote it
        tags = " ".join(dict.fromkeys(word for tag in practice.tags
                                      for word in (tag.name, category_label(tag.name))))
    if practice.publiccode and practice.publiccode.get("generic_name"):
        tags += " " + practice.publiccode["generic_name"]  # "Servizi per la sanità": the catalogue's own label
    # Plain text: snippets are cut from it, and "## Contesto" or "**" would show as such.
    content = "\n\n".join([markdown_text(practice.description)] + kit_text)
    donor = practice.donor
    return {
        "id": str(practice.id),
        "slug": practice.slug,
        "title": practice.title,
        "summary": practice.summary,
        "tags": tags,
        # The community is a facet (below), not words of every practice: "facilitazione" must not match them all.
        "donors": " ".join(donors),
        "content": content,
        "spell": " ".join([practice.title, practice.summary, tags, content]),
        "pairs": "\n".join([practice.title, practice.summary, tags, " ".join(donors), content]),
        "status": practice.status,
        "community": str(practice.community_id),
        "donor_ids": " ".join(str(i) for i in sorted(practice.donor_ids)),
        "theme": practice.theme or "",
        "mission": practice.mission or "",
        "region": practice.region_code or "",
        "donor_kind": (donor.pa_kind or donor.kind) or "",
        "licence": practice.licence or "",
        "kind": practice.kind or "",
        "origin": "catalogue" if practice.publiccode else "documented",
        "completeness": practice.kit_completeness or 0,
        "recognised": "no",  # recognition by the evaluation commission comes with its own issue
        "published": practice.published_at or practice.created_at,
        "updated": practice.updated_at,
    }


def documents_for(practice_ids: Iterable[int]) -> Iterator[tuple[int, dict | None]]:
    """(id, document) for each id; None for a practice that no longer exists."""
    ids = sorted(set(practice_ids))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        practices = {p.id: p for p in db.session.execute(
            select(Practice).where(Practice.id.in_(chunk))
            .options(selectinload(Practice.donor), selectinload(Practice.co_donors), selectinload(Practice.tags),
                     selectinload(Practice.community))).scalars()}
        kits = _kit_versions(list(practices))
        for practice_id in chunk:
            practice = practices.get(practice_id)
            yield practice_id, (document(practice, kits.get(practice_id)) if practice else None)
        if len(ids) > BATCH:
            db.session.expunge_all()  # a rebuild of 50k practices must not keep them all in the identity map


def all_practice_ids() -> list[int]:
    return list(db.session.execute(select(Practice.id).order_by(Practice.id)).scalars())
