"""Demo evaluation (issue 13, point 11): one call in each phase (open, under review, decided) on the EPSA grid,
candidacies from several administrations, conflicts computed and declared (never assigned), reviews that disagree on
one candidacy, published decisions with motivations and the recognitions on the practices, two CAF self-assessments
a year apart with two items shared; loading again changes nothing."""
from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models.base import utcnow
from app.models import (Assignment, AssessmentScore, Candidacy, CommissionMember, Conflict, Criterion, Decision,
                        DiscussionPost, EvaluationAudit, EvaluationCall, ImprovementAction, Practice, Review,
                        ReviewPreference, ReviewScore, ScoreChange, SelfAssessment, SharedItem)

MODELS = (EvaluationCall, Criterion, CommissionMember, Candidacy, SharedItem, Conflict, ReviewPreference, Assignment,
          Review, ReviewScore, ScoreChange, DiscussionPost, Decision, EvaluationAudit, SelfAssessment,
          AssessmentScore, ImprovementAction)


def counts(app) -> dict[str, int]:
    with app.app_context():
        return {model.__name__: db.session.execute(select(func.count()).select_from(model)).scalar()
                for model in MODELS}


def loaded(app) -> dict[str, int]:
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return counts(app)


def test_demo_evaluation_once_with_every_phase(app):
    from app.demo.loader import load_demo

    first = loaded(app)
    with app.app_context():
        again = load_demo()
        recognitions = {p.title: list(p.recognitions) for p in db.session.execute(select(Practice)).scalars()}
    assert again["evaluation"] == 0 and counts(app) == first
    assert first["EvaluationCall"] == 3 and first["Criterion"] == 18 and first["SelfAssessment"] == 2
    with app.app_context():
        again = load_demo()
        assert {p.title: list(p.recognitions) for p in db.session.execute(select(Practice)).scalars()} == recognitions

    with app.app_context():
        calls = {c.phase: c for c in db.session.execute(select(EvaluationCall)).scalars()}
        assert set(calls) == {"open", "review", "decided"}
        for call in calls.values():
            assert [c.code for c in call.criteria] == ["innovation", "impact", "engagement", "relevance",
                                                       "sustainability", "transferability"]
            assert call.chair is not None and any(m.is_deputy for m in call.members)
            assert all(not m.is_deputy for m in call.members if m.user_id == call.chair_id)
            assert sum(not m.is_deputy for m in call.members) >= 3
            assert all(m.user.organization.kind != "supplier" for m in call.members)
        candidacies = db.session.execute(select(Candidacy)).scalars().all()
        assert len({c.organization_id for c in candidacies}) >= 4  # several administrations
        assert {c.status for c in candidacies} == {"draft", "submitted", "withdrawn", "under_review", "decided"}
        for candidacy in candidacies:  # by a referent of the donor, on a published practice
            assert candidacy.organization_id == candidacy.practice.donor_id
            if candidacy.status != "draft":
                assert candidacy.snapshot["title"] == candidacy.practice.title and candidacy.kit_version_id


def test_demo_conflicts_reviews_and_disagreement(app):
    from app.evaluation.aggregates import disagreement, summarise

    loaded(app)
    with app.app_context():
        conflicts = db.session.execute(select(Conflict)).scalars().all()
        computed = [c for c in conflicts if c.source == "computed"]
        assert computed and all(c.status == "confirmed" and c.decided_by_id for c in computed)
        assert {c.kind for c in computed} >= {"same_organisation", "donor", "reuser", "facilitator"}
        declared = [c for c in conflicts if c.source == "reviewer"]
        assert len(declared) == 1 and declared[0].created_by_id == declared[0].user_id and declared[0].note
        # Nobody with a conflict is ever assigned to that candidacy.
        live = {(c.candidacy_id, c.user_id) for c in conflicts if c.status != "dismissed"}
        assignments = db.session.execute(select(Assignment)).scalars().all()
        assert not live & {(a.candidacy_id, a.user_id) for a in assignments}
        assert {a.status for a in assignments} == {"assigned", "submitted", "declined"}
        assert all(a.decline_reason for a in assignments if a.status == "declined")
        # The chair's own conflict: the candidacy is handled by a deputy of the commission.
        handled = db.session.execute(select(Candidacy).where(Candidacy.chair_handled_by_id.is_not(None))).scalar_one()
        assert any(c.user_id == handled.call.chair_id for c in conflicts if c.candidacy_id == handled.id)
        assert handled.chair_handled_by_id in {m.user_id for m in handled.call.members if m.is_deputy}
        # Submitted reviews are complete, their totals computed; a draft has none.
        for review in db.session.execute(select(Review)).scalars():
            if review.submitted_at:
                assert len(review.scores) == 6 and review.total is not None
                assert review.total == sum(s.score for s in review.scores) / 6
                assert review.submitted_at >= review.assignment.candidacy.call.criteria_frozen_at
            else:
                assert review.total is None and len(review.scores) < 6
            call = review.assignment.candidacy.call
            assert call.closes_at < review.assignment.assigned_at < review.updated_at
            assert call.decisions_published_at is None or review.updated_at < call.decisions_published_at
        # The story is told in order and in the past: each call's log, and the candidacies in their call's dates.
        for call in db.session.execute(select(EvaluationCall)).scalars():
            moments = [e.at for e in db.session.execute(select(EvaluationAudit).where(
                EvaluationAudit.call_id == call.id)).scalars()]
            assert max(moments) < utcnow() and min(moments) >= call.created_at
        for candidacy in db.session.execute(select(Candidacy).where(Candidacy.submitted_at.is_not(None))).scalars():
            assert candidacy.practice.published_at < candidacy.created_at <= candidacy.submitted_at
            assert candidacy.call.opens_on <= candidacy.submitted_at.date() and \
                candidacy.submitted_at < candidacy.call.closes_at
        review_call = db.session.execute(select(EvaluationCall).where(EvaluationCall.phase == "review")).scalar_one()
        flagged = []
        for candidacy in db.session.execute(select(Candidacy).where(Candidacy.call_id == review_call.id)).scalars():
            totals = [r.total for r in db.session.execute(select(Review).where(
                Review.candidacy_id == candidacy.id, Review.submitted_at.is_not(None))).scalars()]
            if disagreement(summarise(totals), review_call.disagreement_threshold):
                flagged.append(candidacy.practice.title)
        assert flagged == ["Ufficio Europa associato della Bassa Reggiana"]


def test_demo_published_decisions_and_recognitions(app):
    loaded(app)
    with app.app_context():
        call = db.session.execute(select(EvaluationCall).where(EvaluationCall.phase == "decided")).scalar_one()
        candidacies = db.session.execute(select(Candidacy).where(Candidacy.call_id == call.id)).scalars().all()
        assert call.decisions_published_at and all(c.status == "decided" for c in candidacies)
        decisions = {d.candidacy.practice.title: d for d in db.session.execute(select(Decision)).scalars()}
        assert {d.outcome for d in decisions.values()} == {"recognised", "special_mention", "not_recognised"}
        assert all(d.motivation and d.synthesis and d.published_at == call.decisions_published_at
                   for d in decisions.values())
        assert db.session.execute(select(ScoreChange)).scalars().first() is not None
        practices = {p.title: p for p in db.session.execute(select(Practice)).scalars()}
        for title, decision in decisions.items():
            practice = practices[title]
            if decision.outcome == "not_recognised":
                assert practice.recognitions == [] and not practice.recognised
            else:
                assert practice.recognised and practice.recognitions == [
                    {"call": call.slug, "title": call.title, "year": call.year, "outcome": decision.outcome}]
        audit = {e.action for e in db.session.execute(select(EvaluationAudit).where(
            EvaluationAudit.call_id == call.id)).scalars()}
        assert {"call.create", "call.open", "call.close", "call.start_review", "call.start_consensus",
                "call.publish_decisions", "candidacy.submit", "assignment.add", "review.submit", "conflict.confirm",
                "decision.record", "decision.publish"} <= audit


def test_demo_self_assessments_a_year_apart_two_items_shared(app):
    loaded(app)
    with app.app_context():
        assessments = db.session.execute(select(SelfAssessment).order_by(SelfAssessment.assessed_on)).scalars().all()
        first, second = assessments
        assert first.organization_id == second.organization_id and first.template.code == "caf-2020"
        assert 360 <= (second.assessed_on - first.assessed_on).days <= 370
        assert first.status == "closed" and second.status == "open"
        subs = {item["code"] for item in first.template.sub_items()}
        assert len(subs) == 28
        for assessment in assessments:
            consensus = {s.item_code for s in assessment.scores if s.user_id is None}
            assert consensus == subs
            assert len({s.user_id for s in assessment.scores if s.user_id}) == 2
            assert all(0 <= s.values["score"] <= 100 for s in assessment.scores)
            assert assessment.actions
        shared = db.session.execute(select(SharedItem)).scalars().all()
        assert sorted(s.item_code for s in shared) == ["4.4", "9.1"]
        consensus = {s.item_code: s for s in second.scores if s.user_id is None}
        for item in shared:
            assert item.assessment_id == second.id and item.candidacy.organization_id == second.organization_id
            assert item.content["score"] == consensus[item.item_code].values["score"]
            assert item.content["strengths"] == consensus[item.item_code].strengths


def test_demo_pages(app):
    from tests.conftest import index_now, reset_search_index

    reset_search_index(app)
    loaded(app)
    index_now(app)
    client = app.test_client()
    with app.app_context():
        calls = {c.phase: c.slug for c in db.session.execute(select(EvaluationCall)).scalars()}
    listing = client.get("/evaluation/")
    assert listing.status_code == 200
    page = listing.get_data(as_text=True)
    assert "Buone pratiche per la transizione digitale 2027" in page
    assert client.get(f"/evaluation/calls/{calls['open']}").status_code == 200
    archive = client.get("/practices/").get_data(as_text=True)
    assert "Buona pratica riconosciuta · Buone pratiche di innovazione amministrativa 2026" in archive
    assert "Menzione speciale · Buone pratiche di innovazione amministrativa 2026" in archive
    found = client.get("/search", query_string={"recognised": "yes"}).get_data(as_text=True)
    assert "Centrale unica di committenza dei Comuni del Chierese" in found
    assert "Piano di formazione condiviso sulle competenze digitali" in found
    assert "Cruscotto degli indicatori di valore pubblico" not in found
    # The chair's board of the call under review flags the one candidacy whose reviews disagree.
    from app.demo.data import DEMO_PASSWORD
    from tests.conftest import login

    login(client, "laura.bernardi@demo.opencommunitypa.it", DEMO_PASSWORD)
    board = client.get(f"/evaluation/calls/{calls['review']}/board")
    assert board.status_code == 200
    assert board.get_data(as_text=True).count("Discordanti") == 1
