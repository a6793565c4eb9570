"""What the commission adds to lower areas' pages: the dashboard's box of assignments still to do."""
from __future__ import annotations

from flask import get_template_attribute
from markupsafe import Markup
from sqlalchemy import func, or_, select

from app import permissions
from app.evaluation.workflow import AssignmentStatus, CallPhase
from app.extensions import db
from app.hooks import contribute


@contribute("dashboard")
def commission_box(user, **_context):
    """For commission members and chairs of a call still running: how many reviews are to do, with the link."""
    if not permissions.is_member(user):
        return None
    from app.models import Assignment, Candidacy, CommissionMember, EvaluationCall

    running = EvaluationCall.phase.not_in((CallPhase.DRAFT, CallPhase.DECIDED))
    in_commission = db.session.execute(select(EvaluationCall.id).where(running, or_(
        EvaluationCall.chair_id == user.id, EvaluationCall.id.in_(select(CommissionMember.call_id).where(
            CommissionMember.user_id == user.id, CommissionMember.active.is_(True))))).limit(1)).first()
    if in_commission is None:
        return None
    to_do = db.session.execute(select(func.count(Assignment.id)).join(
        Candidacy, Candidacy.id == Assignment.candidacy_id).join(EvaluationCall, EvaluationCall.id == Candidacy.call_id)
        .where(running, Assignment.user_id == user.id, Assignment.status == AssignmentStatus.ASSIGNED)).scalar_one()
    unsigned = db.session.execute(select(func.count(CommissionMember.id)).join(
        EvaluationCall, EvaluationCall.id == CommissionMember.call_id).where(
        running, CommissionMember.user_id == user.id, CommissionMember.active.is_(True),
        CommissionMember.attested_at.is_(None))).scalar_one()
    return Markup(get_template_attribute("evaluation/_commission_macros.html", "dashboard_box")(to_do, unsigned))
