"""Practices and the KPIs they improve (issue 16, point 7): a practice declares a published KPI with its evidence,
or takes the declaration back; the reading side for the practice's page and the KPI's page, each showing only what
the reader may see (published practices of communities visible to them, KPIs visible to them)."""
from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app import permissions
from app.activity.services import visible_communities_clause
from app.calls.core import CallsError, commit_and_email, lock
from app.extensions import db
from app.kpi import access
from app.kpi.workflow import N_, DefinitionStatus
from app.models import Community, KpiDefinition, KpiPracticeLink, KpiVersion, Practice, practice_co_donor
from app.models.base import utcnow

EVIDENCE_MAX = 5000
# How many of the reader's own practices the KPI page offers to link (a referent of a large donor sees the first).
OWN_PRACTICES_SHOWN = 20

EVIDENCE_REQUIRED = N_("Descrivete che cosa è migliorato con la pratica e come lo avete misurato.")
KPI_NOT_PUBLISHED = N_("Scegliete un indicatore pubblicato della libreria.")
ALREADY_LINKED = N_("La pratica dichiara già questo indicatore.")
PRACTICE_NOT_PUBLISHED = N_("Si dichiarano gli indicatori di una pratica pubblicata.")


def linked_ids(practice: Practice) -> set[int]:
    return set(db.session.scalars(select(KpiPracticeLink.definition_id).where(
        KpiPracticeLink.practice_id == practice.id)))


def linkable_choices(practice: Practice) -> list[tuple[int, str]]:
    """The published KPIs the practice does not declare yet: (id, "KPI-0001 · name"), by name."""
    already = select(KpiPracticeLink.definition_id).where(KpiPracticeLink.practice_id == practice.id)
    rows = db.session.execute(
        select(KpiDefinition.id, KpiDefinition.code, KpiVersion.name)
        .join(KpiVersion, KpiVersion.id == KpiDefinition.current_version_id)
        .where(KpiDefinition.status == DefinitionStatus.PUBLISHED, KpiDefinition.id.not_in(already))
        .order_by(func.lower(KpiVersion.name), KpiDefinition.id)).all()
    return [(row.id, f"{row.code} · {row.name}") for row in rows]


def link_practice(practice: Practice, definition_id: int | None, evidence: str, actor) -> KpiPracticeLink:
    """The practice declares it improves a published KPI; CallsError (nothing saved) at the field that is wrong."""
    try:
        lock(practice)
        if practice.status != "published":
            raise CallsError(PRACTICE_NOT_PUBLISHED)
        definition = db.session.get(KpiDefinition, definition_id) if definition_id else None
        if definition is None or definition.status != DefinitionStatus.PUBLISHED:
            raise CallsError(KPI_NOT_PUBLISHED, field="definition")
        if definition.id in linked_ids(practice):
            raise CallsError(ALREADY_LINKED, field="definition")
        text = (evidence or "").strip()
        if not text:
            raise CallsError(EVIDENCE_REQUIRED, field="evidence")
        if len(text) > EVIDENCE_MAX:
            raise CallsError(N_("Al massimo %(max)d caratteri."), field="evidence", max=EVIDENCE_MAX)
        link = KpiPracticeLink(practice_id=practice.id, definition_id=definition.id, evidence=text,
                               declared_by_id=actor.id, created_at=utcnow())
        db.session.add(link)
        db.session.flush()
    except CallsError:
        db.session.rollback()
        raise
    except IntegrityError:  # the same declaration sent twice at once: the unique constraint keeps one
        db.session.rollback()
        raise CallsError(ALREADY_LINKED, field="definition") from None
    commit_and_email()
    return link


def unlink_practice(link: KpiPracticeLink) -> None:
    """Take a declaration back."""
    db.session.delete(link)
    db.session.commit()


def practice_links(practice: Practice, user) -> list[KpiPracticeLink]:
    """The KPIs a practice declares, those the reader may see, by name."""
    return list(db.session.scalars(
        select(KpiPracticeLink).join(KpiDefinition, KpiDefinition.id == KpiPracticeLink.definition_id)
        .join(KpiVersion, KpiVersion.id == KpiDefinition.current_version_id)
        .where(KpiPracticeLink.practice_id == practice.id, access.visible_definitions_clause(user))
        .options(selectinload(KpiPracticeLink.definition).selectinload(KpiDefinition.current_version))
        .order_by(func.lower(KpiVersion.name), KpiPracticeLink.id)))


def definition_practices(definition: KpiDefinition, user) -> list[KpiPracticeLink]:
    """The practices that declare they improve a KPI: only published practices of communities the reader sees."""
    visible = select(Community.id).where(visible_communities_clause(user))
    return list(db.session.scalars(
        select(KpiPracticeLink).join(Practice, Practice.id == KpiPracticeLink.practice_id)
        .where(KpiPracticeLink.definition_id == definition.id, Practice.status == "published",
               Practice.community_id.in_(visible))
        .options(selectinload(KpiPracticeLink.practice).selectinload(Practice.donor))
        .order_by(func.lower(Practice.title), KpiPracticeLink.id)))


def own_practices_to_link(definition: KpiDefinition, user) -> list[Practice]:
    """The reader's organisation's published practices (donor or co-donor) that could declare this KPI, when the
    reader may declare for them (its referents)."""
    if (definition.status != DefinitionStatus.PUBLISHED or not permissions.is_member(user)
            or user.organization_id is None or not user.is_referent):
        return []
    co_donated = select(practice_co_donor.c.practice_id).where(
        practice_co_donor.c.organization_id == user.organization_id)
    already = select(KpiPracticeLink.practice_id).where(KpiPracticeLink.definition_id == definition.id)
    visible = select(Community.id).where(visible_communities_clause(user))
    return list(db.session.scalars(
        select(Practice).where(Practice.status == "published", Practice.community_id.in_(visible),
                               or_(Practice.donor_id == user.organization_id, Practice.id.in_(co_donated)),
                               Practice.id.not_in(already))
        .order_by(func.lower(Practice.title), Practice.id).limit(OWN_PRACTICES_SHOWN)))
