"""The steps every KPI service builds on (issue 16): propose, write a version (in place or as a new one), move a
definition through its workflow with its history and notifications, keep the adopters' count. Nothing here
commits: the services of the area (definitions.py, adoptions.py …) call these inside their one transaction."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for
from flask_babel import lazy_gettext as _l
from slugify import slugify
from sqlalchemy import func, select

from app.extensions import db
from app.kpi import access
from app.kpi.workflow import (CHANGE_NOTE_REQUIRED, DefinitionAction, DefinitionStatus, KpiWorkflowError,
                              TransitionFacts, edit_makes_new_version, transition)
from app.models import KpiAdoption, KpiChange, KpiDefinition, KpiVersion, Membership, ProgrammeStaff, ReferenceTerm, User
from app.models.base import utcnow
from app.verbs import NOTIFICATION_TEXTS


NOTIFICATION_TEXTS.update({
    "kpi.proposed": _l("%(actor)s ha proposto l'indicatore «%(kpi)s»"),
    "kpi.start_review": _l("L'indicatore «%(kpi)s» che avete proposto è in esame"),
    "kpi.return": _l("L'indicatore «%(kpi)s» vi è stato rimandato: %(note)s"),
    "kpi.publish": _l("L'indicatore «%(kpi)s» è pubblicato nella libreria"),
    "kpi.deprecate": _l("L'indicatore «%(kpi)s» è stato dismesso"),
    "kpi.withdraw": _l("La proposta dell'indicatore «%(kpi)s» è stata ritirata"),
    "kpi.new_version": _l("L'indicatore «%(kpi)s» che adottate ha una nuova versione"),
    "kpi.commented": _l("%(actor)s ha scritto nella discussione dell'indicatore «%(kpi)s»"),
})

# The version's own columns a form may set (terms are set apart: missions and SDGs).
VERSION_FIELDS = ("name", "short_name", "description", "typology", "formula_kind", "numerator", "denominator",
                  "formula", "unit", "polarity", "range_low", "range_high", "value_min", "value_max", "frequency",
                  "data_source", "level", "piao_subsection_id", "bes_domain_id", "external_code", "tags", "caveat")


# Single-segment paths of the area's own pages, which a KPI's slug must not take.
RESERVED_SLUGS = {"new", "reference", "review", "import", "similar", "search", "export", "compare", "organizations",
                  "adoptions", "practice"}


@dataclass
class VersionData:
    """What a form gives for a version: its fields and the ids of its missions and SDGs."""

    fields: dict
    term_ids: list[int] = field(default_factory=list)


def _terms(ids: list[int]) -> list[ReferenceTerm]:
    if not ids:
        return []
    return list(db.session.execute(select(ReferenceTerm).where(ReferenceTerm.id.in_(ids))).scalars())


def _unique_slug(name: str) -> str:
    base = (slugify(name, max_length=100, word_boundary=True) or "indicatore")
    if base in RESERVED_SLUGS:
        base = f"indicatore-{base}"
    slug, n = base, 2
    while db.session.scalar(select(KpiDefinition.id).where(KpiDefinition.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _next_code() -> str:
    highest = db.session.scalar(select(func.max(KpiDefinition.id))) or 0
    code, n = f"KPI-{highest + 1:04d}", highest + 1
    while db.session.scalar(select(KpiDefinition.id).where(KpiDefinition.code == code)) is not None:
        n += 1
        code = f"KPI-{n:04d}"
    return code


def history(definition: KpiDefinition, action: str, actor: User | None, before: str, after: str,
            note: str = "") -> None:
    db.session.add(KpiChange(definition_id=definition.id, action=action, from_status=before, to_status=after,
                             version_number=definition.current_version.number if definition.current_version else None,
                             actor_id=actor.id if actor else None, note=note.strip(), created_at=utcnow()))


def propose(actor: User, data: VersionData, community=None, programme=None,
            status: str = DefinitionStatus.PROPOSED) -> KpiDefinition:
    """A new definition with its first version, proposed in a community or a programme (or, for the demo and the
    administrators' imports, created straight in another status)."""
    now = utcnow()
    definition = KpiDefinition(slug=_unique_slug(data.fields["name"]), code=_next_code(), status=status,
                               community_id=community.id if community else None,
                               programme_id=programme.id if programme else None,
                               author_organization_id=actor.organization_id if actor else None,
                               proposed_by_id=actor.id if actor else None, created_at=now, updated_at=now,
                               published_at=now if status == DefinitionStatus.PUBLISHED else None)
    db.session.add(definition)
    db.session.flush()
    version = KpiVersion(definition_id=definition.id, number=1, created_by_id=actor.id if actor else None,
                         created_at=now, **{k: v for k, v in data.fields.items() if k in VERSION_FIELDS})
    version.terms = _terms(data.term_ids)
    db.session.add(version)
    db.session.flush()
    definition.current_version = version
    history(definition, "propose", actor, "", status)
    db.session.flush()
    if status == DefinitionStatus.PROPOSED:
        _tell(definition, "kpi.proposed", actor, reviewer_people(definition))
    return definition


def write_version(definition: KpiDefinition, data: VersionData, actor: User, change_note: str = "",
                  breaks_series: bool = False) -> KpiVersion:
    """Apply an edit: in place on a proposal, as a new version (with its change note) on a published one."""
    current = definition.current_version
    if edit_makes_new_version(definition.status):
        if not change_note.strip():
            raise KpiWorkflowError(CHANGE_NOTE_REQUIRED)
        version = KpiVersion(definition_id=definition.id, number=current.number + 1, created_by_id=actor.id,
                             created_at=utcnow(), change_note=change_note.strip(), breaks_series=breaks_series,
                             **{k: v for k, v in data.fields.items() if k in VERSION_FIELDS})
        version.terms = _terms(data.term_ids)
        db.session.add(version)
        db.session.flush()
        definition.current_version = version
        history(definition, "new_version", actor, definition.status, definition.status, change_note)
        adopters = db.session.execute(select(User).join(KpiAdoption, KpiAdoption.organization_id
                                                        == User.organization_id)
                                      .where(KpiAdoption.definition_id == definition.id,
                                             KpiAdoption.active.is_(True), User.is_referent.is_(True))).scalars()
        _tell(definition, "kpi.new_version", actor, list(adopters))
    else:
        version = current
        for name, value in data.fields.items():
            if name in VERSION_FIELDS:
                setattr(version, name, value)
        version.terms = _terms(data.term_ids)
        history(definition, "edit", actor, definition.status, definition.status)
    definition.updated_at = utcnow()
    db.session.flush()
    return version


def move(definition: KpiDefinition, action: str, actor: User, note: str = "",
         replacement: KpiDefinition | None = None) -> str:
    """One workflow step, in the caller's transaction; KpiWorkflowError (nothing applied) when refused."""
    before = definition.status
    facts = TransitionFacts(note=note, replacement_id=replacement.id if replacement else None,
                            replacement_published=bool(replacement and replacement.status
                                                       == DefinitionStatus.PUBLISHED),
                            definition_id=definition.id)
    roles = access.roles(actor, definition)
    role = next((r for r in ("admin", "reviewer", "proposer") if r in roles), "")
    if action == DefinitionAction.WITHDRAW and "proposer" in roles:
        role = "proposer"
    target = transition(before, action, role, facts)
    now = utcnow()
    definition.status = target
    definition.updated_at = now
    if action == DefinitionAction.RETURN:
        definition.review_note = note.strip()
    elif action == DefinitionAction.PUBLISH:
        definition.published_at = definition.published_at or now
        definition.review_note = ""
    elif action == DefinitionAction.DEPRECATE:
        definition.deprecated_at = now
        definition.deprecation_note = note.strip()
        definition.replaced_by_id = replacement.id if replacement else None
    history(definition, action, actor, before, target, note)
    db.session.flush()
    if action == DefinitionAction.WITHDRAW:
        _tell(definition, "kpi.withdraw", actor, reviewer_people(definition))
    else:
        _tell(definition, f"kpi.{action}", actor, proposer_people(definition), note=note.strip())
    return target


def refresh_adoption_count(definition: KpiDefinition) -> None:
    """The count of organisations with an active adoption, kept on the definition for lists at scale."""
    definition.adoption_count = db.session.scalar(
        select(func.count(func.distinct(KpiAdoption.organization_id))).where(
            KpiAdoption.definition_id == definition.id, KpiAdoption.active.is_(True))) or 0


def proposer_people(definition: KpiDefinition) -> list[User]:
    people = []
    if definition.proposed_by_id:
        people.append(db.session.get(User, definition.proposed_by_id))
    return people


def reviewer_people(definition: KpiDefinition) -> list[User]:
    """The facilitators of its community and the staff of its programme (administrators are not notified)."""
    people: list[User] = []
    if definition.community_id:
        people += db.session.execute(select(User).join(Membership, Membership.user_id == User.id).where(
            Membership.community_id == definition.community_id, Membership.status == "active",
            Membership.role == "facilitator")).scalars()
    if definition.programme_id:
        people += db.session.execute(select(User).join(ProgrammeStaff, ProgrammeStaff.user_id == User.id).where(
            ProgrammeStaff.programme_id == definition.programme_id)).scalars()
    return people


def _tell(definition: KpiDefinition, verb: str, actor: User | None, people, **params) -> None:
    from app.calls.core import notify_people

    notify_people(people, verb, actor, url_for("kpi.definition", slug=definition.slug), kpi=definition.name,
                  **params)
