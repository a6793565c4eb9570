"""Shared reading of the evaluation area: loading a call or a candidacy for the reader (what may not be seen is a
404), and the SQL conditions for lists, so every page, fragment, export and notification uses one rule."""
from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import and_, exists, or_, select

from app import permissions
from app.evaluation import access
from app.evaluation.workflow import AssignmentStatus, CandidacyStatus
from app.extensions import db
from app.models import Assignment, Candidacy, CommissionMember, Conflict, EvaluationCall

SUBMITTED_STATUSES = (CandidacyStatus.SUBMITTED, CandidacyStatus.UNDER_REVIEW, CandidacyStatus.DECIDED)
LIVE_ASSIGNMENT = (AssignmentStatus.ASSIGNED, AssignmentStatus.SUBMITTED)


def call_or_404(slug: str) -> EvaluationCall:
    """The call, if the reader may see it."""
    call = db.session.execute(select(EvaluationCall).where(EvaluationCall.slug == slug)).scalar_one_or_none()
    if call is None or not access.can_view_call(current_user, call):
        abort(404)
    return call


def run_call_or_404(slug: str) -> EvaluationCall:
    """The call for its chair and administrators: others who may see it get a 403 with the reason."""
    call = call_or_404(slug)
    permissions.require(access.can_run_call(current_user, call),
                        "Questa pagina è di chi presiede la commissione e di chi amministra la piattaforma.")
    return call


def candidacy_or_404(candidacy_id: int) -> Candidacy:
    """The candidacy, if the reader may see it (a conflicted member gets a 404, as if it did not exist)."""
    candidacy = db.session.get(Candidacy, candidacy_id)
    if candidacy is None or not access.can_view_candidacy(current_user, candidacy):
        abort(404)
    return candidacy


def visible_calls_clause(user):
    """SQL condition on EvaluationCall: public once open; drafts for administrators, the chair and the commission."""
    if permissions.is_admin(user):
        return EvaluationCall.id.is_not(None)
    conditions = [EvaluationCall.phase.in_(access.VISIBLE_PHASES)]
    if permissions.is_member(user):
        conditions.append(EvaluationCall.chair_id == user.id)
        conditions.append(EvaluationCall.id.in_(select(CommissionMember.call_id).where(
            CommissionMember.user_id == user.id, CommissionMember.active.is_(True))))
    return or_(*conditions)


def not_conflicted_clause(user):
    """SQL condition on Candidacy: no blocking conflict between the reader and it."""
    return ~exists().where(Conflict.candidacy_id == Candidacy.id, Conflict.user_id == user.id,
                           access.blocking_conflict())


def commission_candidacies(user, call):
    """select(Candidacy) of a call's candidacies the reader sees as commission: all submitted ones for the chair
    and administrators (minus the chair's conflicts, which a deputy handles), their assigned ones for reviewers."""
    query = select(Candidacy).where(Candidacy.call_id == call.id, Candidacy.status.in_(SUBMITTED_STATUSES))
    if permissions.is_admin(user):
        return query
    if access.is_chair(user, call):
        return query.where(or_(and_(Candidacy.chair_handled_by_id.is_(None), not_conflicted_clause(user)),
                               Candidacy.chair_handled_by_id == user.id))
    handled = Candidacy.chair_handled_by_id == user.id
    assigned = Candidacy.id.in_(select(Assignment.candidacy_id).where(
        Assignment.user_id == user.id, Assignment.status.in_(LIVE_ASSIGNMENT)))
    return query.where(or_(handled, assigned), not_conflicted_clause(user))


def organization_candidacies(organization_id: int):
    """select(Candidacy) of an organisation's candidacies, newest first."""
    return (select(Candidacy).where(Candidacy.organization_id == organization_id)
            .order_by(Candidacy.created_at.desc(), Candidacy.id.desc()))
