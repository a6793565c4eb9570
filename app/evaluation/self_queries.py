"""Every read of the self-assessment tables (issue 13, point 4). An assessment belongs to its organisation alone:
each query here is filtered by the READER's organisation, so the chair, a reviewer, a platform administrator or
another organisation's people find nothing (a 404, an empty list). No other module queries these tables."""
from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import func, select

from app.evaluation import access
from app.extensions import db
from app.models import AssessmentScore, AssessmentTemplate, ImprovementAction, SelfAssessment, SharedItem


def reader_organization_id(user) -> int | None:
    """The organisation whose assessments the reader may use, or None (anonymous, unaffiliated, administrator
    without an organisation)."""
    organization_id = getattr(user, "organization_id", None) if getattr(user, "is_authenticated", False) else None
    return organization_id if access.can_use_self_assessment(user, organization_id) else None


def _own(user, query):
    """Restrict a select on SelfAssessment (or joined to it) to the reader's organisation; nothing for others."""
    organization_id = reader_organization_id(user)
    if organization_id is None:
        return query.where(SelfAssessment.id.is_(None))
    return query.where(SelfAssessment.organization_id == organization_id)


# ---- assessments -------------------------------------------------------------------------------------------------

def assessments_of(user) -> list[SelfAssessment]:
    """The reader's organisation's assessments, newest first."""
    query = _own(user, select(SelfAssessment)).order_by(SelfAssessment.assessed_on.desc(), SelfAssessment.id.desc())
    return list(db.session.execute(query).scalars())


def assessment_for(user, assessment_id: int) -> SelfAssessment | None:
    """The assessment, if it is the reader's organisation's."""
    query = _own(user, select(SelfAssessment).where(SelfAssessment.id == assessment_id))
    return db.session.execute(query).scalar_one_or_none()


def assessment_or_404(assessment_id: int) -> SelfAssessment:
    """The assessment for the signed-in reader; anybody outside its organisation gets a 404, as if none existed."""
    found = assessment_for(current_user, assessment_id)
    if found is None:
        abort(404)
    return found


def scores_of(user, assessment_id: int, item_code: str | None = None) -> list[AssessmentScore]:
    """Every score (people's and the consensus) of an assessment of the reader's organisation."""
    query = _own(user, select(AssessmentScore).join(SelfAssessment, SelfAssessment.id == AssessmentScore.assessment_id)
                 .where(AssessmentScore.assessment_id == assessment_id))
    if item_code is not None:
        query = query.where(AssessmentScore.item_code == item_code)
    return list(db.session.execute(query.order_by(AssessmentScore.id)).scalars())


def score_of(user, assessment_id: int, item_code: str, person_id: int | None) -> AssessmentScore | None:
    """One person's score of an item (person_id None: the consensus), in the reader's organisation."""
    query = _own(user, select(AssessmentScore).join(SelfAssessment, SelfAssessment.id == AssessmentScore.assessment_id)
                 .where(AssessmentScore.assessment_id == assessment_id, AssessmentScore.item_code == item_code))
    query = query.where(AssessmentScore.user_id.is_(None) if person_id is None
                        else AssessmentScore.user_id == person_id)
    return db.session.execute(query.order_by(AssessmentScore.id).limit(1)).scalar_one_or_none()


def consensus_by_assessment(user, assessment_ids: list[int]) -> dict[int, dict[str, AssessmentScore]]:
    """assessment id → item code → consensus score, for assessments of the reader's organisation."""
    result: dict[int, dict[str, AssessmentScore]] = {each: {} for each in assessment_ids}
    if not assessment_ids:
        return result
    query = _own(user, select(AssessmentScore).join(SelfAssessment, SelfAssessment.id == AssessmentScore.assessment_id)
                 .where(AssessmentScore.assessment_id.in_(assessment_ids), AssessmentScore.user_id.is_(None)))
    for score in db.session.execute(query.order_by(AssessmentScore.id)).scalars():
        result[score.assessment_id].setdefault(score.item_code, score)
    return result


def actions_of(user, assessment_id: int) -> list[ImprovementAction]:
    query = _own(user, select(ImprovementAction).join(SelfAssessment,
                                                      SelfAssessment.id == ImprovementAction.assessment_id)
                 .where(ImprovementAction.assessment_id == assessment_id)).order_by(ImprovementAction.id)
    return list(db.session.execute(query).scalars())


def action_of(user, assessment_id: int, action_id: int) -> ImprovementAction | None:
    query = _own(user, select(ImprovementAction).join(SelfAssessment,
                                                      SelfAssessment.id == ImprovementAction.assessment_id)
                 .where(ImprovementAction.assessment_id == assessment_id, ImprovementAction.id == action_id))
    return db.session.execute(query).scalar_one_or_none()


# ---- templates (not private: the questionnaires themselves) ------------------------------------------------------

def active_templates() -> list[AssessmentTemplate]:
    return list(db.session.execute(select(AssessmentTemplate).where(AssessmentTemplate.active.is_(True))
                                   .order_by(AssessmentTemplate.title, AssessmentTemplate.version.desc())).scalars())


def all_templates() -> list[AssessmentTemplate]:
    return list(db.session.execute(select(AssessmentTemplate).order_by(
        AssessmentTemplate.code, AssessmentTemplate.version)).scalars())


def template_or_404(template_id: int) -> AssessmentTemplate:
    found = db.session.get(AssessmentTemplate, template_id)
    if found is None:
        abort(404)
    return found


def template_by_code(code: str, version: int) -> AssessmentTemplate | None:
    return db.session.execute(select(AssessmentTemplate).where(
        AssessmentTemplate.code == code, AssessmentTemplate.version == version)).scalar_one_or_none()


def next_template_version(code: str) -> int:
    highest = db.session.execute(select(func.max(AssessmentTemplate.version)).where(
        AssessmentTemplate.code == code)).scalar()
    return (highest or 0) + 1


def template_in_use(template_id: int) -> bool:
    """Whether any assessment uses the template (a count across organisations: no assessment is read)."""
    return db.session.execute(select(SelfAssessment.id).where(
        SelfAssessment.template_id == template_id).limit(1)).first() is not None


# ---- what was shared (copies on the candidacy) -------------------------------------------------------------------

def shared_items_of(candidacy_id: int) -> list[SharedItem]:
    return list(db.session.execute(select(SharedItem).where(SharedItem.candidacy_id == candidacy_id)
                                   .order_by(SharedItem.id)).scalars())
