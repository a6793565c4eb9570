"""Demo questions and answers (issue 12, point 12): in every community, solved and unsolved, the donors' answers,
a duplicate, an answer hidden after reports, comments and votes; consistent with what the services keep; loading
again changes nothing."""
from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import Activity, Community, Notification
from app.models.qa import (Answer, Comment, ModerationEvent, Question, QuestionEvent, Report, Revision, SupportLink,
                           Vote)

MODELS = (Question, Answer, Comment, Vote, Report, Revision, ModerationEvent, QuestionEvent, SupportLink)


def counts(app) -> dict[str, int]:
    with app.app_context():
        return {model.__name__: db.session.execute(select(func.count()).select_from(model)).scalar()
                for model in (*MODELS, Activity, Notification)}


def test_demo_questions_everywhere_once(app):
    from app.demo.loader import load_demo

    assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    first = counts(app)
    with app.app_context():
        again = load_demo()
    assert again["qa"] == 0 and counts(app) == first

    with app.app_context():
        questions = db.session.execute(select(Question)).scalars().all()
        communities = db.session.execute(select(Community)).scalars().all()
        assert {c.id for c in communities} <= {q.community_id for q in questions}
        assert {q.status for q in questions} == {"open", "solved", "closed"}
        duplicate = next(q for q in questions if q.status == "closed")
        assert duplicate.close_reason == "duplicate" and duplicate.duplicate_of.community_id == duplicate.community_id
        # Practice questions answered by their donors, the donors' answer accepted in some.
        official = [a for q in questions if q.practice_id for a in q.answers if a.official]
        assert official and all(a.organization_id in a.question.practice.donor_ids for a in official)
        assert any(q.accepted_answer is not None and q.accepted_answer.official for q in questions)
        assert any(q.practice_id and q.status == "open" for q in questions)  # and one still waiting
        # Someone other than the asker accepted at least once (the facilitator).
        assert any(q.accepted_by_id and q.accepted_by_id != q.author_id for q in questions)
        # One answer hidden after the reports of three people of two organisations.
        hidden = db.session.execute(select(Answer).where(Answer.visibility == "hidden")).scalars().all()
        assert len(hidden) == 1
        reports = db.session.execute(select(Report).where(Report.target_type == "answer",
                                                          Report.target_id == hidden[0].id)).scalars().all()
        assert len(reports) == 3 and len({r.organization_id for r in reports}) == 2
        assert db.session.execute(select(ModerationEvent).where(ModerationEvent.target_id == hidden[0].id)).first()
        # Comments and votes, and counters that agree with the rows.
        assert first["Comment"] >= 5 and first["Vote"] >= 20
        for question in questions:
            visible = [a for a in question.answers if a.visibility == "visible"]
            assert question.answer_count == len(visible)
            votes = db.session.execute(select(func.count()).select_from(Vote).where(
                Vote.target_type == "question", Vote.target_id == question.id)).scalar()
            assert question.vote_count == votes
            assert question.author_id not in {v.user_id for v in db.session.execute(select(Vote).where(
                Vote.target_type == "question", Vote.target_id == question.id)).scalars()}
            if question.first_answer_at is not None:
                assert question.first_answer_at >= question.created_at
        # Every post has its first revision; the feed's records are dated as the story says.
        assert first["Revision"] == first["Question"] + first["Answer"] + first["Comment"]
        asked = db.session.execute(select(Activity).where(Activity.verb == "question.asked")).scalars().all()
        by_id = {q.id: q for q in questions}
        assert len(asked) == len(questions)
        assert all(record.created_at == by_id[record.object_id].created_at for record in asked)


def test_demo_pages_show_the_questions(app):
    assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    client = app.test_client()
    home = client.get("/communities/servizio-europa").get_data(as_text=True)
    assert "ha fatto una domanda" in home and "Domande e risposte in numeri" in home
    with app.app_context():
        private = db.session.execute(select(Question.id).join(Community).where(
            Community.visibility == "private")).scalars().first()
        spam = db.session.execute(select(Answer).where(Answer.visibility == "hidden")).scalar_one()
        spam_question = spam.question_id
    assert client.get(f"/questions/{private}").status_code == 404
    page = client.get(f"/questions/{spam_question}").get_data(as_text=True)
    assert "FondiFacile" not in page and "costi standard" in page
