"""Simultaneous Q&A moves (issue 12): two people accepting different answers at once, double-clicked votes and
answers, two answers at once — one consistent result, no duplicate row, counters right. Real threads, each with its
own application context and database connection, on SQLite and PostgreSQL."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from app.extensions import db
from app.models import User
from app.models.qa import Answer, Follow, Question, QuestionEvent, Vote
from app.qa import actions, services
from app.qa.services import QaError
from tests.qa_world import make_answer, make_question


def at_once(app, calls) -> list:
    """Run each call(…) in its own thread and request context, all released together; returns each result (or
    the QaError / exception it raised)."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(i):
        with app.test_request_context("/"):
            try:
                prepared = calls[i]()  # load the rows in this thread's session
                barrier.wait()
                results[i] = prepared()
            except Exception as error:  # reported to the test
                results[i] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar()


def setup_question(app, qworld):
    with app.app_context():
        question = make_question(qworld.open.id, qworld.member.id)
        first = make_answer(question.id, qworld.other_member.id, "Prima")
        second = make_answer(question.id, qworld.supplier.id, "Seconda")
        return question.id, first.id, second.id


def accept_call(user_id, question_id, answer_id):
    def prepare():
        user = db.session.get(User, user_id)
        question = db.session.get(Question, question_id)
        answer = db.session.get(Answer, answer_id)
        membership = services.membership_of(user, question.community)
        return lambda: actions.accept(user, question, answer, membership).id
    return prepare


def test_two_people_accepting_different_answers_at_once(app, qworld):
    question_id, first, second = setup_question(app, qworld)
    results = at_once(app, [accept_call(qworld.member.id, question_id, first),
                            accept_call(qworld.facilitator.id, question_id, second)])
    assert all(not isinstance(r, Exception) or isinstance(r, QaError) for r in results), results
    with app.app_context():
        question = db.session.get(Question, question_id)
        events = db.session.execute(select(QuestionEvent).where(QuestionEvent.question_id == question_id)
                                    .order_by(QuestionEvent.id)).scalars().all()
        assert question.status == "solved"
        assert question.accepted_answer_id in (first, second)
        # The question agrees with the last move logged: who accepted it and which answer.
        assert events, "no acceptance logged"
        assert (events[-1].answer_id, events[-1].actor_id) == (question.accepted_answer_id, question.accepted_by_id)
        assert [e.from_status for e in events] == ["open", "solved"][:len(events)]
        assert len(events) == sum(1 for r in results if r == question_id)


def test_the_same_answer_accepted_twice_at_once_is_logged_once(app, qworld):
    question_id, first, _second = setup_question(app, qworld)
    results = at_once(app, [accept_call(qworld.member.id, question_id, first),
                            accept_call(qworld.facilitator.id, question_id, first)])
    assert results == [question_id, question_id]
    assert count(app, QuestionEvent, QuestionEvent.question_id == question_id) == 1


def test_accepting_while_the_question_is_closed_is_refused_cleanly(app, qworld):
    question_id, first, _second = setup_question(app, qworld)

    def close_call():
        user = db.session.get(User, qworld.facilitator.id)
        question = db.session.get(Question, question_id)
        membership = services.membership_of(user, question.community)
        return lambda: actions.close(user, question, membership, reason="obsolete").id

    results = at_once(app, [close_call, accept_call(qworld.member.id, question_id, first)])
    assert all(r == question_id or isinstance(r, QaError) for r in results), results
    with app.app_context():
        question = db.session.get(Question, question_id)
        assert question.status == "closed"
        moves = [e.action for e in db.session.execute(select(QuestionEvent).order_by(QuestionEvent.id)).scalars()]
        # Either the acceptance came first (then the closing), or it was refused.
        assert moves in (["close"], ["accept", "close"])
        assert (question.accepted_answer_id is not None) == (moves == ["accept", "close"])


def vote_call(user_id, target_type, target_id):
    def prepare():
        user = db.session.get(User, user_id)
        return lambda: actions.vote(user, target_type, target_id)
    return prepare


def test_a_double_clicked_vote_is_one_row(app, qworld):
    question_id, first, _second = setup_question(app, qworld)
    results = at_once(app, [vote_call(qworld.member.id, "answer", first)] * 3)
    assert results == [1, 1, 1]
    assert count(app, Vote, Vote.target_id == first) == 1
    with app.app_context():
        assert db.session.get(Answer, first).vote_count == 1


def test_votes_of_different_people_at_once_all_count(app, qworld):
    question_id, first, _second = setup_question(app, qworld)
    voters = [qworld.member.id, qworld.donor_member.id, qworld.facilitator.id, qworld.supplier.id]
    results = at_once(app, [vote_call(v, "answer", first) for v in voters])
    assert all(isinstance(r, int) for r in results), results
    with app.app_context():
        assert db.session.get(Answer, first).vote_count == 4
    assert count(app, Vote, Vote.target_id == first) == 4


def answer_call(user_id, question_id, body):
    def prepare():
        user = db.session.get(User, user_id)
        question = db.session.get(Question, question_id)
        return lambda: services.answer(user, question, body=body).id
    return prepare


def test_a_double_clicked_answer_is_one_answer(app, qworld):
    with app.app_context():
        question_id = make_question(qworld.open.id, qworld.member.id).id
    results = at_once(app, [answer_call(qworld.other_member.id, question_id, "Risposta")] * 2)
    assert sum(isinstance(r, int) for r in results) == 1, results
    refusal, = [r for r in results if not isinstance(r, int)]
    assert isinstance(refusal, QaError) and refusal.field == "body"
    assert count(app, Answer, Answer.question_id == question_id) == 1
    with app.app_context():
        assert db.session.get(Question, question_id).answer_count == 1
    assert count(app, Follow, Follow.user_id == qworld.other_member.id) == 1


def test_two_answers_at_once_both_count(app, qworld):
    with app.app_context():
        question_id = make_question(qworld.open.id, qworld.member.id).id
    results = at_once(app, [answer_call(qworld.other_member.id, question_id, "Una"),
                            answer_call(qworld.supplier.id, question_id, "Due")])
    assert all(isinstance(r, int) for r in results), results
    with app.app_context():
        question = db.session.get(Question, question_id)
        assert question.answer_count == 2
        assert question.first_answer_at == min(db.session.get(Answer, r).created_at for r in results)
