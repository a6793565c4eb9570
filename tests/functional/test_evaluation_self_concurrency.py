"""Simultaneous self-assessment writes (issue 13, point 4): the consensus (user_id NULL, which the unique constraint
does not cover) recorded twice at once stays one row; a score sent while the assessment is closed is either saved
before the close or refused. Real threads, each with its own session, on SQLite and PostgreSQL."""
from __future__ import annotations

from sqlalchemy import func, select

from app.evaluation import self_services
from app.evaluation.core import EvaluationError
from app.extensions import db
from app.models import AssessmentScore, SelfAssessment, User
from tests.functional.test_evaluation_self import load_template, make_assessment
from tests.functional.test_qa_concurrency import at_once  # services released together, as in Q&A


def consensus_call(user_id, assessment_id, value):
    def prepare():
        user = db.session.get(User, user_id)
        assessment = db.session.get(SelfAssessment, assessment_id)
        return lambda: self_services.save_consensus(user, assessment, "1.1", {"score": value}).id
    return prepare


def test_consensus_recorded_twice_at_once_is_one_row(app, eworld):
    template_id = load_template(app)
    assessment_id = make_assessment(app, eworld.chieri.id, template_id, eworld.candidate_referent.id)
    results = at_once(app, [consensus_call(eworld.candidate_referent.id, assessment_id, value)
                            for value in (40, 60, 80)])
    assert all(not isinstance(each, Exception) for each in results), results
    with app.app_context():
        rows = list(db.session.execute(select(AssessmentScore).where(
            AssessmentScore.assessment_id == assessment_id, AssessmentScore.user_id.is_(None))).scalars())
        assert len(rows) == 1 and rows[0].values["score"] in (40, 60, 80)


def test_a_score_sent_while_closing_is_saved_before_or_refused(app, eworld):
    template_id = load_template(app)
    assessment_id = make_assessment(app, eworld.chieri.id, template_id, eworld.candidate_referent.id)

    def close():
        user = db.session.get(User, eworld.candidate_referent.id)
        assessment = db.session.get(SelfAssessment, assessment_id)
        return lambda: self_services.close_assessment(user, assessment)

    def score():
        user = db.session.get(User, eworld.candidate_member.id)
        assessment = db.session.get(SelfAssessment, assessment_id)
        return lambda: self_services.save_own_score(user, assessment, "2.2", {"score": 70}).id

    closed, scored = at_once(app, [close, score])
    assert closed is None, closed
    assert not isinstance(scored, Exception) or isinstance(scored, EvaluationError), scored
    with app.app_context():
        assessment = db.session.get(SelfAssessment, assessment_id)
        assert assessment.status == "closed"
        saved = db.session.execute(select(func.count()).select_from(AssessmentScore).where(
            AssessmentScore.assessment_id == assessment_id)).scalar()
        assert saved == (0 if isinstance(scored, EvaluationError) else 1)
