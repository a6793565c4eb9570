"""The question page (issue 12, point 8): answers in order, comments, votes, accept, follow, close / reopen / pin,
edit and history — each as a full page (303 back to the page) and as an htmx fragment updated in place, with what
changed in the database; bad input at its field with 422 and nothing saved; mentions; rate limits."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Answer, Comment, Follow, Question, Revision, Vote
from app.models.base import utcnow
from tests.conftest import login, post
from tests.qa_world import make_answer, make_question

HX = {"HX-Request": "true"}


@pytest.fixture
def as_user(client):
    """Sign in as this person (signing out whoever was signed in first)."""
    def sign_in(user):
        post(client, "/auth/logout")
        response = login(client, user)
        assert response.status_code in (302, 303), response.get_data(as_text=True)[:300]
        return client
    return sign_in


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar()


def question_in(app, qworld, where="open", author="member", practice=False, **fields):
    """A question of the community `where` (open / moderated / private); `fields` are the Question's columns."""
    with app.app_context():
        return make_question(qworld.community(where).id, getattr(qworld, author).id,
                             practice_id=qworld.practice(where).id if practice else None, **fields).id


def answer_in(app, question_id, author_id, **fields):
    with app.app_context():
        return make_answer(question_id, author_id, **fields).id


def read(app, model, row_id):
    with app.app_context():
        row = db.session.get(model, row_id)
        if row is not None:
            db.session.expunge(row)
        return row


def text_of(response) -> str:
    return response.get_data(as_text=True)


# ---- the page -----------------------------------------------------------------------------------------------------

def test_the_page_shows_the_question_its_answers_accepted_first_and_the_donors_badge(app, client, qworld, as_user):
    qid = question_in(app, qworld, practice=True, tags=("mensa", "gare"),
                      body="Vorremmo sapere **come** avete scritto il capitolato.")
    plain = answer_in(app, qid, qworld.other_member.id, body="Prima risposta, molto votata.")
    official = answer_in(app, qid, qworld.donor_member.id, body="La risposta del Comune di Chieri.")
    accepted = answer_in(app, qid, qworld.supplier.id, body="La risposta che ha funzionato.")
    with app.app_context():
        db.session.get(Answer, plain).vote_count = 5
        question = db.session.get(Question, qid)
        question.status, question.accepted_answer_id = "solved", accepted
        question.accepted_by_id, question.accepted_at = qworld.member.id, utcnow()
        db.session.commit()
    as_user(qworld.facilitator)
    page = text_of(client.get(f"/questions/{qid}"))
    assert "<strong>come</strong>" in page
    assert page.index(f'id="answer-{accepted}"') < page.index(f'id="answer-{plain}"') < page.index(
        f'id="answer-{official}"')
    assert "Risposta accettata da" in page and "Mario Membro" in page
    assert "Risposta degli enti cedenti" in page
    assert "rispondi solo se la soluzione non funziona per te" in page
    assert "mensa" in page and "gare" in page
    assert 'id="qa-status"' in page and 'aria-live="polite"' in page


def test_visitors_read_organisations_members_read_names(app, client, qworld, as_user):
    qid = question_in(app, qworld)
    answer_in(app, qid, qworld.other_member.id)
    page = text_of(client.get(f"/questions/{qid}"))
    assert "Comune di Bari" in page and "Comune di Lecce" in page
    assert "Mario Membro" not in page and "Olga Altra" not in page
    assert "Accedi per rispondere" in page
    as_user(qworld.outsider)
    page = text_of(client.get(f"/questions/{qid}"))
    assert "Mario Membro" in page and "Olga Altra" in page


def test_the_aside_slot_is_on_the_full_page_only(app, client, qworld, as_user, monkeypatch):
    qid = question_in(app, qworld)
    seen = []

    def marker(name, **context):
        seen.append((name, context["question"].id if context.get("question") is not None else None))
        return ""

    monkeypatch.setitem(app.jinja_env.globals, "slot", marker)
    as_user(qworld.member)
    client.get(f"/questions/{qid}")
    assert ("qa.question.aside", qid) in seen
    seen.clear()
    for part in ("answers", "question_header", "question_main"):
        response = client.get(f"/questions/{qid}?part={part}", headers=HX)
        assert response.status_code == 200 and "<html" not in text_of(response)
    assert not [s for s in seen if s[0] == "qa.question.aside"]


def test_hidden_posts_show_placeholders_and_their_text_only_to_moderators_and_authors(app, client, qworld, as_user):
    qid = question_in(app, qworld)
    aid = answer_in(app, qid, qworld.other_member.id, body="Testo della risposta nascosta", visibility="hidden")
    with app.app_context():
        db.session.add_all([Comment(question_id=qid, author_id=qworld.supplier.id, body="Commento nascosto",
                                    visibility="hidden"),
                            Comment(question_id=qid, author_id=qworld.supplier.id, body="Commento eliminato",
                                    visibility="deleted")])
        db.session.commit()
    as_user(qworld.member)
    page = text_of(client.get(f"/questions/{qid}"))
    assert f'id="answer-{aid}"' in page and "Contenuto nascosto in attesa di verifica" in page
    assert "Testo della risposta nascosta" not in page and "Commento nascosto" not in page
    assert "Commento eliminato" not in page
    assert "0 risposte" in page  # a hidden answer does not count
    as_user(qworld.facilitator)
    page = text_of(client.get(f"/questions/{qid}"))
    assert "Testo della risposta nascosta" in page and "Commento nascosto" in page
    assert "Commento eliminato" not in page
    as_user(qworld.other_member)
    page = text_of(client.get(f"/questions/{qid}"))
    assert "Testo della risposta nascosta" in page  # its author reads it, to fix it


def test_a_hidden_question_shows_only_its_placeholder_to_others(app, client, qworld, as_user):
    qid = question_in(app, qworld, title="Titolo della domanda nascosta", visibility="hidden")
    answer_in(app, qid, qworld.other_member.id, body="Una risposta sotto una domanda nascosta")
    page = text_of(client.get(f"/questions/{qid}"))
    assert "Titolo della domanda nascosta" not in page and "Domanda nascosta" in page
    assert "Una risposta sotto una domanda nascosta" not in page
    as_user(qworld.facilitator)
    page = text_of(client.get(f"/questions/{qid}"))
    assert "Titolo della domanda nascosta" in page and "Una risposta sotto una domanda nascosta" in page


def test_a_busy_page_has_unique_ids_and_no_inline_script_or_style(app, client, qworld, as_user):
    qid = question_in(app, qworld, practice=True, status="closed", close_reason="obsolete",
                      closed_by_id=qworld.member.id)
    answers = [answer_in(app, qid, getattr(qworld, who).id) for who in ("other_member", "supplier", "donor_member")]
    with app.app_context():
        db.session.add_all([Comment(question_id=qid, author_id=qworld.supplier.id, body="Sulla domanda"),
                            Comment(question_id=qid, answer_id=answers[0], author_id=qworld.member.id,
                                    body="Sulla risposta")])
        db.session.commit()
    open_one = question_in(app, qworld, title="Una domanda aperta con le sue risposte")
    answer_in(app, open_one, qworld.other_member.id)
    for who, shown in (("facilitator", qid), ("admin", qid), ("supplier", qid), ("facilitator", open_one),
                       ("member", open_one)):
        as_user(getattr(qworld, who))
        page = text_of(client.get(f"/questions/{shown}"))
        ids = re.findall(r'\sid="([^"]+)"', page)
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
        assert " style=" not in page and not re.search(r"<script(?![^>]*\ssrc=)", page)
        assert "Riapri la domanda" in page or who == "supplier" or shown == open_one


def test_a_practice_question_leads_back_to_the_practices_discussion(app, client, qworld):
    qid = question_in(app, qworld, practice=True)
    page = text_of(client.get(f"/questions/{qid}"))
    assert "tab=discussion" in page and "Pratica della comunità open" in page


def test_a_private_communitys_question_is_a_404_for_outsiders_and_visitors(app, client, qworld, as_user):
    qid = question_in(app, qworld, "private")
    assert client.get(f"/questions/{qid}").status_code == 404
    assert client.get(f"/questions/{qid}?part=answers", headers=HX).status_code == 404
    as_user(qworld.outsider)
    assert client.get(f"/questions/{qid}").status_code == 404
    assert client.get(f"/questions/{qid}/history").status_code == 404
    assert client.get(f"/questions/mentions?question={qid}&q=Ma", headers=HX).status_code == 404
    assert post(client, f"/questions/{qid}/answers", {"answer-body": "Ecco"}).status_code == 404
    assert count(app, Answer) == 0


def test_unknown_questions_and_bad_ids_are_404(client, qworld):
    assert client.get("/questions/999").status_code == 404
    assert client.get("/questions/99999999999").status_code == 404


# ---- answers ------------------------------------------------------------------------------------------------------

def test_an_answer_posted_with_htmx_appears_in_the_list_and_is_announced(app, client, qworld, as_user):
    qid = question_in(app, qworld)
    as_user(qworld.other_member)
    response = post(client, f"/questions/{qid}/answers", {"answer-body": "Abbiamo usato il **modello ANAC**."},
                    htmx=True)
    assert response.status_code == 200
    body = text_of(response)
    new = read(app, Answer, 1)
    assert new.author_id == qworld.other_member.id and new.organization_id == qworld.lecce.id
    assert body.lstrip().startswith('<span id="qa-status" hx-swap-oob="innerHTML">Risposta pubblicata.')
    assert f'id="answer-{new.id}"' in body and "autofocus" in body and "<strong>modello ANAC</strong>" in body
    assert 'id="answers"' in body and "<html" not in body
    assert "Modifica la tua risposta" in body  # one answer per person: the form gives way to the edit link
    assert read(app, Question, qid).answer_count == 1


def test_an_answer_without_htmx_redirects_to_its_anchor(app, client, qworld, as_user):
    qid = question_in(app, qworld)
    as_user(qworld.other_member)
    response = post(client, f"/questions/{qid}/answers", {"answer-body": "Risposta senza JavaScript."})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/questions/{qid}#answer-1")
    assert "Risposta pubblicata." in text_of(client.get(f"/questions/{qid}"))


def test_an_empty_answer_is_refused_at_its_field_and_nothing_is_saved(app, client, qworld, as_user):
    qid = question_in(app, qworld)
    as_user(qworld.other_member)
    for htmx in (True, False):
        response = post(client, f"/questions/{qid}/answers", {"answer-body": "   "}, htmx=htmx)
        assert response.status_code == 422
        body = text_of(response)
        assert 'id="answer-body-error"' in body and "Scrivi la risposta." in body
        assert ("<html" in body) is (not htmx)
    response = post(client, f"/questions/{qid}/answers", {"answer-body": "x" * 20_001}, htmx=True)
    assert response.status_code == 422 and "al massimo 20000 caratteri" in text_of(response).replace(".", "")
    assert count(app, Answer) == 0


def test_a_second_answer_by_the_same_person_is_refused_at_the_field(app, client, qworld, as_user):
    qid = question_in(app, qworld)
    answer_in(app, qid, qworld.other_member.id)
    as_user(qworld.other_member)
    response = post(client, f"/questions/{qid}/answers", {"answer-body": "Un'altra risposta"}, htmx=True)
    assert response.status_code == 422
    assert "Hai già risposto a questa domanda" in text_of(response)
    assert count(app, Answer) == 1


def test_a_closed_question_takes_no_answer_and_shows_why(app, client, qworld, as_user):
    original = question_in(app, qworld, title="La domanda originale sulla mensa")
    qid = question_in(app, qworld, status="closed", close_reason="duplicate", duplicate_of_id=original)
    as_user(qworld.other_member)
    page = text_of(client.get(f"/questions/{qid}"))
    assert "Domanda chiusa" in page and "Duplicato di un&#39;altra domanda" in page
    assert f'href="/questions/{original}"' in page
    assert 'id="answer-form"' not in page
    response = post(client, f"/questions/{qid}/answers", {"answer-body": "Risposta tardiva"}, htmx=True)
    assert response.status_code == 422 and "La domanda è chiusa" in text_of(response)
    assert count(app, Answer) == 0


# ---- comments -----------------------------------------------------------------------------------------------------

def test_comments_on_the_question_and_on_an_answer_appear_in_place(app, client, qworld, as_user):
    qid = question_in(app, qworld)
    aid = answer_in(app, qid, qworld.other_member.id)
    as_user(qworld.member)
    response = post(client, f"/questions/{qid}/comments", {"comment-q-body": "Serve anche il DUVRI?"}, htmx=True)
    assert response.status_code == 200
    body = text_of(response)
    assert 'id="comments-question"' in body and "Serve anche il DUVRI?" in body and "Commento pubblicato." in body
    response = post(client, f"/questions/{qid}/comments?answer={aid}", {f"comment-a{aid}-body": "Grazie!"},
                    htmx=True)
    assert response.status_code == 200
    body = text_of(response)
    assert f'id="comments-answer-{aid}"' in body and "Grazie!" in body
    with app.app_context():
        rows = db.session.execute(select(Comment.answer_id, Comment.body).order_by(Comment.id)).all()
    assert rows == [(None, "Serve anche il DUVRI?"), (aid, "Grazie!")]
    response = post(client, f"/questions/{qid}/comments", {"comment-q-body": "Senza htmx"})
    assert response.status_code == 303 and response.headers["Location"].endswith("#comment-3")


def test_a_too_long_or_empty_comment_is_refused_at_its_field(app, client, qworld, as_user):
    qid = question_in(app, qworld)
    as_user(qworld.member)
    response = post(client, f"/questions/{qid}/comments", {"comment-q-body": "x" * 601}, htmx=True)
    assert response.status_code == 422
    body = text_of(response)
    assert 'id="comment-q-body-error"' in body and "600 caratteri" in body and 'id="comments-question"' in body
    assert post(client, f"/questions/{qid}/comments", {"comment-q-body": ""}).status_code == 422
    assert count(app, Comment) == 0


def test_a_comment_on_an_answer_of_another_question_is_a_404(app, client, qworld, as_user):
    qid = question_in(app, qworld)
    other = question_in(app, qworld, title="Un'altra domanda sulla mensa")
    aid = answer_in(app, other, qworld.other_member.id)
    as_user(qworld.member)
    assert post(client, f"/questions/{qid}/comments?answer={aid}", {f"comment-a{aid}-body": "x"}).status_code == 404
    assert post(client, f"/questions/{qid}/comments?answer=abc", {"comment-q-body": "x"}).status_code == 404
    assert count(app, Comment) == 0


# ---- votes ----------------------------------------------------------------------------------------------------------

def test_a_vote_updates_the_button_and_the_count_and_can_be_taken_back(app, client, qworld, as_user):
    qid = question_in(app, qworld)
    aid = answer_in(app, qid, qworld.other_member.id)
    as_user(qworld.member)
    response = post(client, f"/questions/{qid}/votes/answer/{aid}", htmx=True)
    assert response.status_code == 200
    body = text_of(response)
    assert f'id="vote-answer-{aid}"' in body and 'aria-pressed="true"' in body and "Voto registrato." in body
    assert read(app, Answer, aid).vote_count == 1
    post(client, f"/questions/{qid}/votes/answer/{aid}", htmx=True)  # a double click: still one vote
    assert count(app, Vote) == 1 and read(app, Answer, aid).vote_count == 1
    response = post(client, f"/questions/{qid}/votes/answer/{aid}", {"undo": "1"}, htmx=True)
    assert "Voto ritirato." in text_of(response) and 'aria-pressed="false"' in text_of(response)
    assert count(app, Vote) == 0
    as_user(qworld.other_member)
    response = post(client, f"/questions/{qid}/votes/question/{qid}")
    assert response.status_code == 303 and response.headers["Location"].endswith("#question")
    assert read(app, Question, qid).vote_count == 1


def test_nobody_votes_their_own_post(app, client, qworld, as_user):
    qid = question_in(app, qworld)
    aid = answer_in(app, qid, qworld.other_member.id)
    as_user(qworld.other_member)
    response = post(client, f"/questions/{qid}/votes/answer/{aid}", htmx=True)
    assert response.status_code == 403
    as_user(qworld.member)
    assert post(client, f"/questions/{qid}/votes/question/{qid}").status_code == 403
    assert post(client, f"/questions/{qid}/votes/comment/{qid}").status_code == 404
    assert count(app, Vote) == 0


# ---- accept -------------------------------------------------------------------------------------------------------

def test_accepting_re_renders_the_answers_with_the_accepted_one_first(app, client, qworld, as_user):
    qid = question_in(app, qworld)
    first = answer_in(app, qid, qworld.other_member.id, body="La prima risposta.")
    second = answer_in(app, qid, qworld.supplier.id, body="La seconda risposta.")
    as_user(qworld.member)
    response = post(client, f"/questions/{qid}/answers/{second}/accept", htmx=True)
    assert response.status_code == 200
    body = text_of(response)
    assert body.index(f'id="answer-{second}"') < body.index(f'id="answer-{first}"')
    assert re.search(r'<span id="question-state"[^>]*hx-swap-oob="true"', body) and "Risolta" in body
    assert "Risposta accettata da" in body and "Annulla l'accettazione" in body
    question = read(app, Question, qid)
    assert (question.status, question.accepted_answer_id, question.accepted_by_id) == ("solved", second,
                                                                                       qworld.member.id)
    response = post(client, f"/questions/{qid}/unaccept")
    assert response.status_code == 303
    question = read(app, Question, qid)
    assert (question.status, question.accepted_answer_id) == ("open", None)


def test_accepting_a_hidden_answer_is_refused_with_a_message(app, client, qworld, as_user):
    qid = question_in(app, qworld)
    aid = answer_in(app, qid, qworld.other_member.id, visibility="hidden")
    as_user(qworld.member)
    response = post(client, f"/questions/{qid}/answers/{aid}/accept", htmx=True)
    assert response.status_code == 422
    assert "Una risposta nascosta o eliminata non può essere accettata." in text_of(response)
    assert read(app, Question, qid).status == "open"


def test_an_answerer_may_not_accept(app, client, qworld, as_user):
    qid = question_in(app, qworld)
    aid = answer_in(app, qid, qworld.other_member.id)
    as_user(qworld.other_member)
    assert "Accetta questa risposta" not in text_of(client.get(f"/questions/{qid}"))
    assert post(client, f"/questions/{qid}/answers/{aid}/accept", htmx=True).status_code == 403
    assert read(app, Question, qid).accepted_answer_id is None


# ---- follow -------------------------------------------------------------------------------------------------------

def test_the_follow_control_changes_the_level_in_place(app, client, qworld, as_user):
    qid = question_in(app, qworld)
    as_user(qworld.other_member)
    response = post(client, f"/questions/{qid}/follow", {"level": "muted"}, htmx=True)
    assert response.status_code == 200
    body = text_of(response)
    assert 'id="follow-control"' in body and re.search(r'id="follow-muted"[^>]*aria-pressed="true"', body)
    with app.app_context():
        assert db.session.execute(select(Follow.level).where(Follow.user_id == qworld.other_member.id)).scalar() \
            == "muted"
    assert post(client, f"/questions/{qid}/follow", {"level": "loud"}, htmx=True).status_code == 422
    response = post(client, f"/questions/{qid}/follow", {"level": "watching"})
    assert response.status_code == 303 and response.headers["Location"].endswith("#follow-control")


def test_following_a_communitys_questions_is_a_toggle(app, client, qworld, as_user):
    as_user(qworld.member)
    community = qworld.open.id
    response = post(client, f"/questions/follow/community/{community}", {"level": "watching"}, htmx=True)
    assert response.status_code == 200 and 'aria-pressed="true"' in text_of(response)
    assert count(app, Follow, Follow.target_type == "community") == 1
    response = post(client, f"/questions/follow/community/{community}",
                    {"level": "normal", "next": "/communities/"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/communities/")
    assert count(app, Follow, Follow.target_type == "community") == 0
    as_user(qworld.outsider)
    assert post(client, f"/questions/follow/community/{qworld.private.id}", {"level": "watching"}).status_code == 404
    assert post(client, f"/questions/follow/practice/{qworld.private_practice.id}",
                {"level": "watching"}).status_code == 404
    assert post(client, "/questions/follow/planet/1", {"level": "watching"}).status_code == 404


# ---- close, reopen, pin -----------------------------------------------------------------------------------------

def test_a_facilitator_closes_as_duplicate_with_the_original_and_reopens(app, client, qworld, as_user):
    original = question_in(app, qworld, title="La domanda originale sulla mensa")
    qid = question_in(app, qworld)
    as_user(qworld.facilitator)
    response = post(client, f"/questions/{qid}/close", {"close-reason": "duplicate", "close-duplicate_of": ""},
                    htmx=True)
    assert response.status_code == 422
    assert 'id="close-duplicate_of-error"' in text_of(response)
    assert read(app, Question, qid).status == "open"
    response = post(client, f"/questions/{qid}/close",
                    {"close-reason": "duplicate", "close-duplicate_of": f"http://localhost/questions/{original}"},
                    htmx=True)
    assert response.status_code == 200
    body = text_of(response)
    assert 'id="question-main"' in body and "Domanda chiusa" in body and 'id="answer-form"' not in body
    question = read(app, Question, qid)
    assert (question.status, question.close_reason, question.duplicate_of_id) == ("closed", "duplicate", original)
    response = post(client, f"/questions/{qid}/reopen", htmx=True)
    assert response.status_code == 200 and "Domanda riaperta." in text_of(response)
    assert read(app, Question, qid).status == "open"


def test_closing_without_a_reason_or_with_an_unknown_original_is_refused(app, client, qworld, as_user):
    qid = question_in(app, qworld)
    elsewhere = question_in(app, qworld, "private", title="Una domanda della comunità riservata")
    as_user(qworld.facilitator)
    response = post(client, f"/questions/{qid}/close", {"close-reason": ""})
    assert response.status_code == 422 and 'id="close-reason-error"' in text_of(response)
    response = post(client, f"/questions/{qid}/close", {"close-reason": "duplicate",
                                                        "close-duplicate_of": str(elsewhere)}, htmx=True)
    assert response.status_code == 422 and "stessa comunità" in text_of(response)
    response = post(client, f"/questions/{qid}/close", {"close-reason": "duplicate", "close-duplicate_of": "boh"},
                    htmx=True)
    assert response.status_code == 422
    assert read(app, Question, qid).status == "open"


def test_the_asker_closes_their_question_and_a_member_may_not(app, client, qworld, as_user):
    qid = question_in(app, qworld)
    as_user(qworld.other_member)
    assert post(client, f"/questions/{qid}/close", {"close-reason": "obsolete"}).status_code == 403
    as_user(qworld.member)
    assert post(client, f"/questions/{qid}/close", {"close-reason": "obsolete"}).status_code == 303
    assert read(app, Question, qid).close_reason == "obsolete"
    assert "Riapri la domanda" in text_of(client.get(f"/questions/{qid}"))


def test_pinning_is_for_moderators(app, client, qworld, as_user):
    qid = question_in(app, qworld)
    as_user(qworld.member)
    assert post(client, f"/questions/{qid}/pin", {"pinned": "1"}, htmx=True).status_code == 403
    as_user(qworld.facilitator)
    response = post(client, f"/questions/{qid}/pin", {"pinned": "1"}, htmx=True)
    assert response.status_code == 200 and "In evidenza" in text_of(response)
    assert 'id="question-header"' in text_of(response)
    assert read(app, Question, qid).pinned is True
    assert post(client, f"/questions/{qid}/pin", {"pinned": "0"}).status_code == 303
    assert read(app, Question, qid).pinned is False


# ---- edit and history -----------------------------------------------------------------------------------------------

def test_editing_a_question_keeps_a_revision_and_shows_in_the_history(app, client, qworld, as_user):
    qid = question_in(app, qworld, tags=("mensa",))
    as_user(qworld.member)
    page = text_of(client.get(f"/questions/{qid}/edit"))
    assert 'value="mensa"' in page
    response = post(client, f"/questions/{qid}/edit", {"title": "Come avete gestito la gara della mensa?",
                                                       "body": "Testo nuovo", "tags": "mensa, gare"})
    assert response.status_code == 303
    question = read(app, Question, qid)
    assert question.title == "Come avete gestito la gara della mensa?" and question.body == "Testo nuovo"
    assert count(app, Revision, Revision.target_type == "question") == 2
    history = text_of(client.get(f"/questions/{qid}/history"))
    assert "Versione 2" in history and "Versione 1" in history and "Testo nuovo" in history
    response = post(client, f"/questions/{qid}/edit", {"title": "Corto", "body": "x", "tags": ""})
    assert response.status_code == 422 and 'id="title-error"' in text_of(response)
    response = post(client, f"/questions/{qid}/edit", {"title": "Un titolo abbastanza lungo", "body": "x",
                                                       "tags": "a, b, c, d, e, f"})
    assert response.status_code == 422 and 'id="tags-error"' in text_of(response)
    assert count(app, Revision, Revision.target_type == "question") == 2


def test_editing_answers_and_comments_is_for_their_authors_and_moderators(app, client, qworld, as_user):
    qid = question_in(app, qworld)
    aid = answer_in(app, qid, qworld.other_member.id)
    as_user(qworld.member)
    assert client.get(f"/questions/{qid}/answers/{aid}/edit").status_code == 403
    assert post(client, f"/questions/{qid}/answers/{aid}/edit", {"body": "Mio!"}).status_code == 403
    as_user(qworld.other_member)
    response = post(client, f"/questions/{qid}/answers/{aid}/edit", {"body": "Risposta migliorata."})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#answer-{aid}")
    assert read(app, Answer, aid).body == "Risposta migliorata."
    assert post(client, f"/questions/{qid}/answers/{aid}/edit", {"body": ""}).status_code == 422
    post(client, f"/questions/{qid}/comments?answer={aid}", {f"comment-a{aid}-body": "Un commento."})
    cid = 1
    as_user(qworld.facilitator)
    response = post(client, f"/questions/{qid}/comments/{cid}/edit", {"body": "Commento corretto."})
    assert response.status_code == 303 and read(app, Comment, cid).body == "Commento corretto."
    other = question_in(app, qworld, title="Un'altra domanda della comunità")
    assert client.get(f"/questions/{other}/comments/{cid}/edit").status_code == 404
    assert client.get(f"/questions/{other}/answers/{aid}/edit").status_code == 404


def test_a_hidden_revision_shows_its_reason_and_moderators_still_read_it(app, client, qworld, as_user):
    qid = question_in(app, qworld, body="Telefonate a Mario al 333 1234567")
    as_user(qworld.member)
    post(client, f"/questions/{qid}/edit", {"title": "Come avete gestito la gara per la mensa?",
                                            "body": "Scriveteci tramite la piattaforma.", "tags": ""})
    with app.app_context():
        first = db.session.execute(select(Revision.id).where(Revision.number == 1)).scalar()
        latest = db.session.execute(select(Revision.id).where(Revision.number == 2)).scalar()
    assert post(client, f"/questions/{qid}/revisions/{first}/hide", {f"hide-{first}-reason": "x"}).status_code == 403
    as_user(qworld.facilitator)
    response = post(client, f"/questions/{qid}/revisions/{first}/hide", {f"hide-{first}-reason": ""}, htmx=True)
    assert response.status_code == 422 and f'id="hide-{first}-reason-error"' in text_of(response)
    response = post(client, f"/questions/{qid}/revisions/{latest}/hide", {f"hide-{latest}-reason": "dati"},
                    htmx=True)
    assert response.status_code == 422 and "versione attuale" in text_of(response)
    response = post(client, f"/questions/{qid}/revisions/{first}/hide", {f"hide-{first}-reason": "Dati personali"},
                    htmx=True)
    assert response.status_code == 200 and 'id="revisions"' in text_of(response)
    assert "333 1234567" in text_of(response)  # the moderator still reads it
    revision = read(app, Revision, first)
    assert revision.hidden and revision.hidden_reason == "Dati personali"
    as_user(qworld.other_member)
    history = text_of(client.get(f"/questions/{qid}/history"))
    assert "Nascosta: Dati personali" in history and "333 1234567" not in history
    assert client.get(f"/questions/{qid}/history?post=answer:99").status_code == 404
    assert client.get(f"/questions/{qid}/history?post=bogus").status_code == 404


# ---- mentions -------------------------------------------------------------------------------------------------------

def test_mention_suggestions_list_people_who_may_see_the_question(app, client, qworld, as_user):
    qid = question_in(app, qworld, "private")
    as_user(qworld.member)
    response = client.get(f"/questions/mentions?question={qid}&q=Ol", headers=HX)
    assert response.status_code == 200
    body = text_of(response)
    assert "Olga Altra" in body and f'data-mention="@[Olga Altra](user:{qworld.other_member.id})"' in body
    assert "<button" in body and "<html" not in body
    assert "Ettore" not in text_of(client.get(f"/questions/mentions?question={qid}&q=Ett", headers=HX))
    assert client.get("/questions/mentions?question=abc&q=x").status_code == 404
    client.post("/auth/logout")


def test_a_mention_is_shown_with_the_name_and_linked_for_members(app, client, qworld, as_user):
    olga = qworld.other_member.id
    qid = question_in(app, qworld, body=f"Chiedo a @[Olga Altra](user:{olga}) di rispondere.")
    page = text_of(client.get(f"/questions/{qid}"))
    # Visitors read no names of people, mentions included
    assert "Olga" not in page and "@una persona iscritta" in page
    assert f'href="/users/{olga}"' not in page and "user:" not in page
    as_user(qworld.member)
    page = text_of(client.get(f"/questions/{qid}"))
    assert f'<a href="/users/{olga}"' in page and "@Olga Altra" in page


# ---- rate limits ------------------------------------------------------------------------------------------------

def test_posting_is_rate_limited_per_account(app, client, qworld, as_user):
    qid = question_in(app, qworld)
    as_user(qworld.member)
    from tests.conftest import csrf_token

    token = csrf_token(client, "/privacy")
    for number in range(30):
        response = client.post(f"/questions/{qid}/comments", data={"comment-q-body": f"Commento {number}",
                                                                   "csrf_token": token}, headers=HX)
        assert response.status_code == 200, number
    response = client.post(f"/questions/{qid}/comments", data={"comment-q-body": "Uno di troppo",
                                                               "csrf_token": token}, headers=HX)
    assert response.status_code == 429 and "Troppi tentativi" in text_of(response)
    assert count(app, Comment) == 30


def test_facilitators_are_invited_to_choose_an_answer_after_seven_days(app, client, qworld, as_user):
    qid = question_in(app, qworld, created_at=utcnow() - timedelta(days=8))
    fresh = question_in(app, qworld, title="Una domanda di ieri, con risposta")
    for each in (qid, fresh):
        answer_in(app, each, qworld.other_member.id)
    hint = "Da più di 7 giorni questa domanda non ha una risposta accettata"
    as_user(qworld.facilitator)
    assert hint in text_of(client.get(f"/questions/{qid}"))
    assert hint not in text_of(client.get(f"/questions/{fresh}"))
    as_user(qworld.member)
    assert hint not in text_of(client.get(f"/questions/{qid}"))
