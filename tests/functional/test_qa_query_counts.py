"""Bounded queries (issue 12, benchmark): the question page, the community's "Domande" tab and the practice's
"Discussione" tab issue the same number of SQL statements with 3 and with 30 answers, comments and questions,
for a visitor and for people signed in (a member, the facilitator)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from flask import url_for

from app.extensions import db
from app.models.base import utcnow
from tests.conftest import count_queries, login, make_org, make_user
from tests.qa_world import make_answer, make_question

SMALL, LARGE = 3, 30
READERS = ("anonymous", "member", "facilitator")


def _people(count: int, start: int) -> list[int]:
    """`count` more members of every community of the world, of two organisations (in the caller's app context)."""
    from app.models import Community, Membership, Organization

    orgs = [db.session.execute(db.select(Organization).where(Organization.slug == slug)).scalar_one_or_none()
            or make_org(name, ipa_code=code)
            for slug, name, code in (("comune-di-moncalieri", "Comune di Moncalieri", "c_f335"),
                                     ("comune-di-pinerolo", "Comune di Pinerolo", "c_g674"))]
    ids = []
    communities = db.session.execute(db.select(Community.id)).scalars().all()
    for n in range(start, start + count):
        person = make_user(f"persona{n}@example.it", orgs[n % 2], full_name=f"Persona Numero{n}")
        for community_id in communities:
            db.session.add(Membership(community_id=community_id, user_id=person.id, status="active", role="member",
                                      joined_at=utcnow()))
        ids.append(person.id)
    db.session.commit()
    return ids


def _comment(question_id: int, author_id: int, answer_id: int | None = None, hidden: bool = False) -> None:
    from app.models import Comment, Revision, User

    author = db.session.get(User, author_id)
    comment = Comment(question_id=question_id, answer_id=answer_id, author_id=author_id,
                      organization_id=author.organization_id, body="Grazie, potete dire quanti lotti avete previsto?",
                      visibility="hidden" if hidden else "visible", needs_review=hidden,
                      hidden_at=utcnow() if hidden else None)
    db.session.add(comment)
    db.session.flush()
    db.session.add(Revision(target_type="comment", target_id=comment.id, number=1, body=comment.body,
                            editor_id=author_id))


def _vote(user_id: int, target_type: str, row) -> None:
    from app.models import Vote

    db.session.add(Vote(user_id=user_id, target_type=target_type, target_id=row.id))
    row.vote_count += 1


def grow_question(qworld, question_id: int, have: int, want: int) -> None:
    """Bring the question to `want` answers, each with a comment and votes, and `want` comments on the question;
    the first answer accepted, the second hidden after a report, one comment hidden, an official answer."""
    from app.models import Answer, Question, Report

    people = _people(want - have, have)
    for n, person in enumerate(people, start=have):
        answer = make_answer(question_id, person, body=f"Risposta numero {n}: abbiamo usato il modello ANAC.")
        _comment(question_id, qworld.member.id, answer_id=answer.id)
        _comment(question_id, person, hidden=n == 2)
        for voter in (qworld.member.id, qworld.other_member.id)[: n % 3]:
            _vote(voter, "answer", db.session.get(Answer, answer.id))
        if n == 1:
            answer = db.session.get(Answer, answer.id)
            answer.visibility, answer.needs_review, answer.hidden_at = "hidden", True, utcnow()
            db.session.get(Question, question_id).answer_count -= 1  # the counter counts visible answers
            db.session.add(Report(community_id=qworld.open.id, question_id=question_id, target_type="answer",
                                  target_id=answer.id, reporter_id=qworld.facilitator.id, by_facilitator=True,
                                  reason="off_topic"))
        db.session.commit()
    question = db.session.get(Question, question_id)
    if question.accepted_answer_id is None:
        first = db.session.execute(db.select(Answer).where(Answer.question_id == question_id)
                                   .order_by(Answer.id)).scalars().first()
        question.status, question.accepted_answer_id = "solved", first.id
        question.accepted_by_id, question.accepted_at = question.author_id, utcnow()
        _vote(qworld.other_member.id, "question", question)
        db.session.commit()


def grow_list(qworld, have: int, want: int, practice: bool) -> None:
    """Bring the open community (or its practice) to `want` questions: tags, answers (one official), solved,
    closed, pinned and hidden ones among them."""
    from app.models import Question

    start = utcnow() - timedelta(days=60)
    for n in range(have, want):
        question = make_question(
            qworld.open.id, (qworld.member.id, qworld.other_member.id, qworld.supplier.id)[n % 3],
            title=f"Come avete gestito la procedura numero {n}?", tags=("appalti", f"tema-{n % 4}"),
            practice_id=qworld.open_practice.id if practice else None, created_at=start + timedelta(hours=n),
            last_activity_at=start + timedelta(hours=n), pinned=n == 1)
        if n % 3:
            answer = make_answer(question.id, qworld.donor_member.id if n % 3 == 1 else qworld.facilitator.id)
            if n % 3 == 2:
                question = db.session.get(Question, question.id)
                question.status, question.accepted_answer_id = "solved", answer.id
                question.accepted_by_id, question.accepted_at = question.author_id, utcnow()
        question = db.session.get(Question, question.id)
        if n == 4:
            question.status, question.close_reason, question.closed_at = "closed", "out_of_scope", utcnow()
        if n == 5:
            question.visibility, question.needs_review, question.hidden_at = "hidden", True, utcnow()
        if n % 2:
            _vote(qworld.facilitator.id, "question", question)
        db.session.commit()


def _counts(app, qworld, urls: list[str]) -> dict:
    """Statements per (url, reader), after a warm-up request (per-process caches are not the page's cost)."""
    counts = {}
    for reader in READERS:
        client = app.test_client()
        if reader != "anonymous":
            assert login(client, getattr(qworld, reader)).status_code == 303
        for url in urls:
            for headers in ({}, {"HX-Request": "true"}):
                assert client.get(url, headers=headers).status_code == 200, (url, reader)
                counts[(url, reader, bool(headers))] = _count(app, client, url, headers)
    return counts


def _count(app, client, url: str, headers: dict) -> int:
    if not headers:
        return count_queries(app, client, url)
    from sqlalchemy import event

    statements: list[str] = []

    def listener(*args):
        statements.append(args[2])

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(url, headers=headers).status_code == 200
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def _differences(small: dict, large: dict) -> dict:
    return {key: (small[key], large[key]) for key in small if small[key] != large[key]}


def test_question_page_queries_do_not_grow_with_answers_and_comments(app, qworld):
    with app.app_context():
        question = make_question(qworld.open.id, qworld.member.id, practice_id=qworld.open_practice.id,
                                 tags=("appalti", "mensa"))
        question_id = question.id
        grow_question(qworld, question_id, 0, SMALL)
    with app.test_request_context():
        urls = [url_for("qa.question", question_id=question_id)]
    small = _counts(app, qworld, urls)
    with app.app_context():
        grow_question(qworld, question_id, SMALL, LARGE)
    large = _counts(app, qworld, urls)
    assert _differences(small, large) == {}


def test_domande_tab_queries_do_not_grow_with_questions(app, qworld):
    with app.app_context():
        grow_list(qworld, 0, SMALL, practice=False)
    with app.test_request_context():
        slug = qworld.open.slug
        urls = [url_for("qa.community_questions", slug=slug),
                url_for("qa.community_questions", slug=slug, filter="solved", sort="votes"),
                url_for("qa.community_questions", slug=slug, tag="appalti")]
    small = _counts(app, qworld, urls)
    with app.app_context():
        grow_list(qworld, SMALL, LARGE, practice=False)
    large = _counts(app, qworld, urls)
    assert _differences(small, large) == {}


def test_discussione_tab_queries_do_not_grow_with_questions(app, qworld):
    with app.app_context():
        grow_list(qworld, 0, SMALL, practice=True)
    with app.test_request_context():
        urls = [url_for("practices.show", slug=qworld.open_practice.slug, tab="discussion")]
    small = _counts(app, qworld, urls)
    with app.app_context():
        grow_list(qworld, SMALL, LARGE, practice=True)
    large = _counts(app, qworld, urls)
    assert _differences(small, large) == {}
    page = app.test_client().get(urls[0]).get_data(as_text=True)  # the questions are really on the tab
    assert "Come avete gestito la procedura numero 29?" in page


def test_my_questions_queries_do_not_grow(app, qworld):
    """"Le mie domande" (asked / answered / followed) for the member who asked them."""
    with app.app_context():
        grow_list(qworld, 0, SMALL, practice=False)
    with app.test_request_context():
        urls = [url_for("qa.my_questions")]
    client = app.test_client()
    assert login(client, qworld.member).status_code == 303
    client.get(urls[0])
    small = count_queries(app, client, urls[0])
    with app.app_context():
        grow_list(qworld, SMALL, LARGE, practice=False)
    assert count_queries(app, client, urls[0]) == small


@pytest.mark.parametrize("reader", ["member"])
def test_the_question_page_shows_what_was_counted(app, qworld, reader):
    """The counted page is the real one: the 30 answers, the accepted one, the placeholder of the hidden one."""
    with app.app_context():
        question = make_question(qworld.open.id, qworld.member.id, practice_id=qworld.open_practice.id)
        question_id = question.id
        grow_question(qworld, question_id, 0, LARGE)
    client = app.test_client()
    assert login(client, getattr(qworld, reader)).status_code == 303
    with app.test_request_context():
        url = url_for("qa.question", question_id=question_id)
    page = client.get(url).get_data(as_text=True)
    assert "Risposta numero 29" in page and "Risposta numero 0" in page
