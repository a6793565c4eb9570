"""Who may do what in the KPI library (issue 16). Plain functions; routes call them, pass the answers to their
templates and answer 404 for what the reader may not know exists, 403 for what they see but may not do.

- Published and deprecated definitions are public, with their versions, adoptions and final values.
- A proposal (proposed, in review) is seen by the proposer's organisation, its reviewers and the people of the place
  it was proposed in (the community's active members; the programme's staff and participants). A withdrawn one only
  by the proposer's organisation and its reviewers.
- Reviewers: the facilitators of the proposing community, the staff of the proposing programme, administrators.
- Adoptions are public once the definition is; values marked provisional are seen only by the adopting
  organisation's people and administrators; final values by everybody.
"""
from __future__ import annotations

from sqlalchemy import and_, exists, false, or_, select, true

from app import permissions
from app.extensions import db
from app.kpi.workflow import DefinitionStatus, KpiRole, ValueStatus, allowed_actions, may_edit
from app.models import (KpiAdoption, KpiDefinition, KpiValue, Membership, OrganizationKind, ProgrammeParticipant,
                        ProgrammeStaff)

PUBLIC_STATUSES = (DefinitionStatus.PUBLISHED, DefinitionStatus.DEPRECATED)
PROPOSAL_STATUSES = (DefinitionStatus.PROPOSED, DefinitionStatus.IN_REVIEW)


def _is_facilitator(user, community_id: int | None) -> bool:
    if community_id is None or not permissions.is_member(user):
        return False
    return db.session.scalar(select(Membership.id).where(
        Membership.community_id == community_id, Membership.user_id == user.id,
        Membership.status == "active", Membership.role == "facilitator")) is not None


def _is_community_member(user, community_id: int | None) -> bool:
    if community_id is None or not permissions.is_member(user):
        return False
    return db.session.scalar(select(Membership.id).where(
        Membership.community_id == community_id, Membership.user_id == user.id,
        Membership.status == "active")) is not None


def _is_programme_staff(user, programme_id: int | None) -> bool:
    if programme_id is None or not permissions.is_member(user):
        return False
    return db.session.scalar(select(ProgrammeStaff.id).where(
        ProgrammeStaff.programme_id == programme_id, ProgrammeStaff.user_id == user.id)) is not None


def _is_programme_participant(user, programme_id: int | None) -> bool:
    if programme_id is None or not permissions.is_member(user) or user.organization_id is None:
        return False
    return db.session.scalar(select(ProgrammeParticipant.id).where(
        ProgrammeParticipant.programme_id == programme_id,
        ProgrammeParticipant.organization_id == user.organization_id)) is not None


def is_reviewer(user, definition: KpiDefinition) -> bool:
    """The facilitators of its community, the staff of its programme, administrators."""
    return (permissions.is_admin(user) or _is_facilitator(user, definition.community_id)
            or _is_programme_staff(user, definition.programme_id))


def is_proposer(user, definition: KpiDefinition) -> bool:
    """A person of the organisation that proposed it."""
    return permissions.is_of_organization(user, definition.author_organization_id)


def roles(user, definition: KpiDefinition) -> set[str]:
    """The reader's roles on a definition, for the workflow."""
    found = set()
    if permissions.is_admin(user):
        found.add(KpiRole.ADMIN)
    if _is_facilitator(user, definition.community_id) or _is_programme_staff(user, definition.programme_id):
        found.add(KpiRole.REVIEWER)
    if is_proposer(user, definition):
        found.add(KpiRole.PROPOSER)
    return found


def can_view_definition(user, definition: KpiDefinition) -> bool:
    if definition.status in PUBLIC_STATUSES:
        return True
    if is_proposer(user, definition) or is_reviewer(user, definition):
        return True
    if definition.status == DefinitionStatus.WITHDRAWN:
        return False
    return (_is_community_member(user, definition.community_id)
            or _is_programme_participant(user, definition.programme_id))


def visible_definitions_clause(user):
    """The SQL condition for the definitions this reader may see (lists, search, exports)."""
    public = KpiDefinition.status.in_(PUBLIC_STATUSES)
    if not permissions.is_signed_in(user):
        return public
    if permissions.is_admin(user):
        return true()
    facilitator = exists().where(Membership.community_id == KpiDefinition.community_id,
                                 Membership.user_id == user.id, Membership.status == "active",
                                 Membership.role == "facilitator")
    staff = exists().where(ProgrammeStaff.programme_id == KpiDefinition.programme_id,
                           ProgrammeStaff.user_id == user.id)
    member = exists().where(Membership.community_id == KpiDefinition.community_id,
                            Membership.user_id == user.id, Membership.status == "active")
    participant = (exists().where(ProgrammeParticipant.programme_id == KpiDefinition.programme_id,
                                  ProgrammeParticipant.organization_id == user.organization_id)
                   if user.organization_id is not None and permissions.is_member(user) else false())
    own = (KpiDefinition.author_organization_id == user.organization_id
           if user.organization_id is not None and permissions.is_member(user) else false())
    if not permissions.is_member(user):
        return public
    return or_(public, own, facilitator, staff,
               and_(KpiDefinition.status.in_(PROPOSAL_STATUSES), or_(member, participant)))


def can_propose(user, community=None, programme=None, membership=None) -> bool:
    """Propose a KPI: an active member of the community, or the staff or a participant's person of the programme."""
    if not permissions.is_member(user) or user.organization_id is None:
        return permissions.is_admin(user) and (community is not None or programme is not None)
    if community is not None:
        return permissions.is_admin(user) or (membership is not None and membership.is_active)
    if programme is not None:
        return (permissions.is_admin(user) or _is_programme_staff(user, programme.id)
                or _is_programme_participant(user, programme.id))
    return False


def can_edit_definition(user, definition: KpiDefinition) -> bool:
    return may_edit(definition.status, roles(user, definition))


def actions_for(user, definition: KpiDefinition) -> list[str]:
    """The workflow buttons this reader gets."""
    return [str(action) for action in allowed_actions(definition.status, roles(user, definition))]


def can_comment(user, definition: KpiDefinition) -> bool:
    """Write in the discussion: a member who can see it, until it is withdrawn."""
    return (permissions.is_member(user) and definition.status != DefinitionStatus.WITHDRAWN
            and can_view_definition(user, definition))


def can_moderate_comments(user, definition: KpiDefinition) -> bool:
    return is_reviewer(user, definition)


def can_adopt(user, definition: KpiDefinition | None = None) -> bool:
    """Adopt a published KPI: a person of an active public administration."""
    organization = user.organization if permissions.is_member(user) else None
    if organization is None or not organization.is_active:
        return False
    if organization.kind != OrganizationKind.PUBLIC_ADMINISTRATION:
        return False
    return definition is None or definition.status == DefinitionStatus.PUBLISHED


def can_manage_adoption(user, adoption: KpiAdoption) -> bool:
    """Edit, withdraw, write values: the adopting organisation's people (administrators too)."""
    return permissions.is_admin(user) or permissions.is_of_organization(user, adoption.organization_id)


def can_write_values(user, adoption: KpiAdoption) -> bool:
    """Only the adopting organisation's people (issue 16: not even administrators, whose values would stand in the
    administration's official series and open data as if it had reported them)."""
    return adoption.active and permissions.is_of_organization(user, adoption.organization_id)


def can_see_provisional(user, organization_id: int) -> bool:
    return permissions.is_admin(user) or permissions.is_of_organization(user, organization_id)


def visible_values_clause(user):
    """Final values for everybody; provisional ones for the adopting organisation's people and administrators."""
    final = KpiValue.status == ValueStatus.FINAL
    if permissions.is_admin(user):
        return true()
    if permissions.is_member(user) and user.organization_id is not None:
        own = select(KpiAdoption.id).where(KpiAdoption.organization_id == user.organization_id)
        return or_(final, KpiValue.adoption_id.in_(own))
    return final


def can_link_practice(user, practice) -> bool:
    """Declare that a practice improves KPIs: who writes the practice (its donors' people)."""
    return permissions.can_edit_practice(user, practice)
