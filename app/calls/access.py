"""Who may do what with programmes, calls and candidacies (issue 15). Plain functions; the routes call them (and
pass the answers to their templates) and answer 404 for what the reader may not know exists."""
from __future__ import annotations

from sqlalchemy import select

from app import permissions
from app.calls.workflow import CallPhase
from app.extensions import db
from app.models import InterestCall, InterestCandidacy, OrganizationKind, Programme, ProgrammeParticipant, ProgrammeStaff


def can_create_programme(user) -> bool:
    return permissions.is_admin(user)


def is_programme_staff(user, programme: Programme | None) -> bool:
    """The programme's staff (administrators are not staff, they are more: see `can_manage_programme`)."""
    if programme is None or not permissions.is_member(user):
        return False
    return db.session.scalar(select(ProgrammeStaff.id).where(
        ProgrammeStaff.programme_id == programme.id, ProgrammeStaff.user_id == user.id)) is not None


def can_manage_programme(user, programme: Programme | None) -> bool:
    """Edit the programme, write its calls and events, examine candidacies: its staff and administrators."""
    return permissions.is_admin(user) or is_programme_staff(user, programme)


def can_manage_staff(user, programme: Programme) -> bool:
    """Appoint and remove the staff: administrators."""
    return permissions.is_admin(user)


def is_participant(user, programme: Programme | None) -> bool:
    """The person's organisation takes part in the programme."""
    if programme is None or not permissions.is_member(user) or user.organization_id is None:
        return False
    return db.session.scalar(select(ProgrammeParticipant.id).where(
        ProgrammeParticipant.programme_id == programme.id,
        ProgrammeParticipant.organization_id == user.organization_id)) is not None


def can_view_call(user, call: InterestCall) -> bool:
    """A published call is public; a draft only for whoever manages the programme."""
    return call.phase != CallPhase.DRAFT or can_manage_programme(user, call.programme)


def can_manage_call(user, call: InterestCall) -> bool:
    return can_manage_programme(user, call.programme)


def can_candidate(user) -> bool:
    """Writes, submits and withdraws candidacies: a referent of an active public administration (whether its kind
    is eligible is the call's rule, told with its own message)."""
    organization = user.organization if permissions.is_signed_in(user) else None
    return (organization is not None and organization.is_active
            and organization.kind == OrganizationKind.PUBLIC_ADMINISTRATION
            and permissions.is_referent_of(user, organization))


def is_of_candidate(user, candidacy: InterestCandidacy) -> bool:
    return permissions.is_of_organization(user, candidacy.organization_id)


def can_view_candidacy(user, candidacy: InterestCandidacy) -> bool:
    """The candidate organisation's people, the programme's staff and administrators (a call sent back to draft
    is its managers' alone: its candidacies too, until it is published again)."""
    if can_manage_call(user, candidacy.call):
        return True
    return is_of_candidate(user, candidacy) and candidacy.call.phase != CallPhase.DRAFT


def can_edit_candidacy(user, candidacy: InterestCandidacy) -> bool:
    """The candidate organisation's referents."""
    return permissions.is_referent_of(user, candidacy.organization)
