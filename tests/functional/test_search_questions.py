"""Questions in full-text search (issue 12, point 9): the same index, queue, rebuild and visibility rules as practices;
type and solved facets; the accepted answer boosts its question; `flask search status` counts both kinds."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Answer, Comment, Community, Practice, Question, QuestionTag, SearchPending
from tests.conftest import index_now, login
from tests.qa_world import make_answer, make_question

OPEN_TITLE = "Come avete scritto il capitolato della refezione scolastica?"
PRIVATE_TITLE = "Zanzibar: chi ha già firmato la convenzione riservata?"
PRIVATE_ANSWER = "Abbiamo firmato con il protocollo quokka del tavolo."

# role -> sees the private community's question
MATRIX = {"anonymous": False, "outsider": False, "member": True, "facilitator": True, "admin": True}


@pytest.fixture
def qa_index(app, qworld):
    with app.app_context():
        open_q = make_question(qworld.open.id, qworld.member.id, title=OPEN_TITLE,
                               body="Cerchiamo un modello di **capitolato** con menu stagionali.", tags=["mense"])
        make_answer(open_q.id, qworld.other_member.id, body="Noi abbiamo usato il bando tipo ANAC per le mense.")
        private_q = make_question(qworld.private.id, qworld.member.id, title=PRIVATE_TITLE,
                                  body="Ci serve sapere chi ha firmato.")
        make_answer(private_q.id, qworld.other_member.id, body=PRIVATE_ANSWER)
        ids = {"open": open_q.id, "private": private_q.id}
    index_now(app)
    return qworld, ids


def page(client, htmx=False, **args) -> str:
    response = client.get("/search", query_string=args, headers={"HX-Request": "true"} if htmx else {})
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def titles(body: str) -> list[str]:
    return re.findall(r'<h2 class="h5 card-title"><a href="[^"]+">([^<]+)</a>', body)


def status(app) -> dict:
    with app.app_context():
        report = app.extensions["search_index"].status()
        db.session.remove()
        return report


def drift(app) -> int:
    return sum(len(ids) for ids in status(app)["drift"].values())


def sign_in(client, world, role):
    if role != "anonymous":
        assert login(client, getattr(world, role)).status_code in (302, 303)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("role", MATRIX)
def test_a_private_communitys_question_never_reaches_an_outsider(app, client, qa_index, role, htmx):
    world, ids = qa_index
    sees = MATRIX[role]
    sign_in(client, world, role)

    body = page(client, htmx, q="zanzibar")
    assert (PRIVATE_TITLE in body) is sees
    assert ("protocollo <mark>quokka</mark>" in page(client, htmx, q="quokka")) is sees  # the answer's snippet
    assert (f"/questions/{ids['private']}" in body) is sees
    # Totals and facet counts never count it.
    everything = page(client, htmx)
    questions = 2 if sees else 1
    assert f"3 pratiche e {questions} domande" in everything if sees else "2 pratiche e 1 domanda" in everything
    assert re.search(r"Domande\s*<span class=\"visually-hidden\">,</span> \(%d\)" % questions, everything)
    assert re.search(r"Non ancora risolte\s*<span class=\"visually-hidden\">,</span> \(%d\)" % questions, everything)
    assert ("Comunità private" in everything) is sees
    only_questions = page(client, htmx, type="question")
    assert (PRIVATE_TITLE in only_questions) is sees and OPEN_TITLE in only_questions
    # "Did you mean" never offers a word only the hidden question contains.
    assert ("<strong>quokka</strong>" in page(client, htmx, q="quokkaa")) is sees
    # The similar-questions box.
    similar = client.get("/questions/similar", query_string={"title": "Zanzibar convenzione firmata",
                                                             "community": world.private.slug},
                         headers={"HX-Request": "true"}).get_data(as_text=True)
    assert (PRIVATE_TITLE in similar) is sees


def test_question_hits_show_state_community_and_answer_count(app, client, qa_index):
    world, ids = qa_index
    body = page(client, q="capitolato")
    assert titles(body) == [OPEN_TITLE]
    assert f'href="/questions/{ids["open"]}"' in body
    assert "Comunità open" in body and "1 risposta" in body and "Aperta" in body
    assert "1 domanda trovata per «capitolato»" in body
    # Markdown is indexed as text: no asterisks in snippets.
    assert "**" not in page(client, q="modello")


def test_type_and_solved_facets_filter_and_count(app, client, qa_index):
    world, ids = qa_index
    with app.app_context():
        solved = make_question(world.open.id, world.other_member.id, title="Mense: quale ribasso avete accettato?",
                               body="Per la refezione.")
        answer = make_answer(solved.id, world.member.id, body="Un ribasso del dieci per cento.")
        question = db.session.get(Question, solved.id)
        question.status, question.accepted_answer_id = "solved", answer.id
        db.session.commit()
    index_now(app)
    body = page(client, q="refezione")
    assert sorted(titles(body)) == sorted([OPEN_TITLE, "Mense: quale ribasso avete accettato?"])
    assert re.search(r"Risolte\s*<span class=\"visually-hidden\">,</span> \(1\)", body)
    assert titles(page(client, q="refezione", solved="yes")) == ["Mense: quale ribasso avete accettato?"]
    assert titles(page(client, q="refezione", solved="no")) == [OPEN_TITLE]
    practices_only = page(client, type="practice")
    assert "2 pratiche" in practices_only and "domand" not in " ".join(titles(practices_only)).lower()
    assert OPEN_TITLE not in practices_only
    # A practice-only facet finds no question; a bad value is a message, not an error page.
    assert OPEN_TITLE not in page(client, q="refezione", theme="procurement")
    assert client.get("/search", query_string={"type": "people"}).status_code == 400
    assert client.get("/search", query_string={"solved": "forse"}, headers={"HX-Request": "true"}).status_code == 422


def test_the_accepted_answer_boosts_its_question(app, client, qworld):
    with app.app_context():
        plain = make_question(qworld.open.id, qworld.member.id, title="Domanda sul protocollo informatico",
                              body="Vorremmo cambiare fornitore.")
        make_answer(plain.id, qworld.other_member.id, body="Serve un piano di migrazione documentale.")
        boosted = make_question(qworld.open.id, qworld.member.id, title="Domanda sul protocollo in cloud",
                                body="Vorremmo cambiare fornitore.")
        accepted = make_answer(boosted.id, qworld.other_member.id, body="Serve un piano di migrazione documentale.")
        question = db.session.get(Question, boosted.id)
        question.status, question.accepted_answer_id = "solved", accepted.id
        db.session.commit()
    index_now(app)
    assert titles(page(client, q="migrazione")) == ["Domanda sul protocollo in cloud",
                                                    "Domanda sul protocollo informatico"]


def test_edits_keep_the_index_in_step_and_status_reports_no_drift(app, client, qa_index):
    world, ids = qa_index
    assert drift(app) == 0
    report = status(app)
    assert (report["database_practices"], report["database_questions"]) == (3, 2)
    assert (report["index_practices"], report["index_questions"]) == (3, 2)

    with app.app_context():  # the title, then a tag, an answer, a comment
        question = db.session.get(Question, ids["open"])
        question.title = "Capitolato per le mense biologiche"
        db.session.commit()
    assert drift(app) == 1  # stale until the writer runs
    index_now(app)
    assert drift(app) == 0 and titles(page(client, q="biologiche")) == ["Capitolato per le mense biologiche"]

    with app.app_context():
        db.session.add(QuestionTag(question_id=ids["open"], name="filiera corta"))
        db.session.commit()
        answer = make_answer(ids["open"], world.donor_member.id, body="Il nostro disciplinare parla di ornitorinchi.")
        db.session.add(Comment(question_id=ids["open"], answer_id=answer.id, author_id=world.member.id,
                               body="Grazie, anche per la clausola sui lombrichi."))
        db.session.commit()
        answer_id = answer.id
    assert drift(app) == 1
    index_now(app)
    assert drift(app) == 0
    for word in ("filiera", "ornitorinchi", "lombrichi"):
        assert titles(page(client, q=word)) == ["Capitolato per le mense biologiche"], word

    with app.app_context():  # a hidden answer leaves the index with its comments
        db.session.get(Answer, answer_id).visibility = "hidden"
        db.session.commit()
    assert "<mark>ornitorinchi</mark>" not in page(client, q="ornitorinchi")  # no snippet of queued work meanwhile
    index_now(app)
    assert drift(app) == 0
    assert titles(page(client, q="ornitorinchi")) == [] and titles(page(client, q="lombrichi")) == []

    with app.app_context():  # a hidden question disappears at once, and from the index after the writer ran
        db.session.get(Question, ids["open"]).visibility = "hidden"
        db.session.commit()
    assert titles(page(client, q="biologiche")) == []
    index_now(app)
    report = status(app)
    assert drift(app) == 0 and report["database_questions"] == 1 and report["index_questions"] == 1

    with app.app_context():  # a deleted row is forgotten too
        question = db.session.get(Question, ids["private"])
        for answer in db.session.execute(select(Answer).where(Answer.question_id == question.id)).scalars():
            db.session.delete(answer)
        db.session.execute(db.delete(db.metadata.tables["qa_revision"]))
        db.session.delete(question)
        db.session.commit()
    index_now(app)
    report = status(app)
    assert drift(app) == 0 and report["index_questions"] == 0

    result = app.test_cli_runner().invoke(args=["search", "status", "--check"])
    assert result.exit_code == 0, result.output
    assert "practices:         3 in the database, 3 in the index" in result.output
    assert "questions:         0 in the database, 0 in the index" in result.output


def test_rebuild_includes_questions(app, client, qa_index):
    world, ids = qa_index
    runner = app.test_cli_runner()
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0 and "Index rebuilt: 5 documents." in result.output, result.output
    result = runner.invoke(args=["search", "status", "--check"])
    assert result.exit_code == 0, result.output
    assert "questions:         2 in the database, 2 in the index" in result.output
    assert "Drift:               0" in result.output
    assert titles(page(client, q="capitolato")) == [OPEN_TITLE]


def test_a_draft_practices_questions_follow_the_practice(app, client, qa_index, as_user):
    world, ids = qa_index
    with app.app_context():
        on_practice = make_question(world.open.id, world.member.id, title="Il kit della pratica ha un errore?",
                                    body="Nella sezione sul contesto manca un dato.",
                                    practice_id=world.open_practice.id)
        question_id = on_practice.id
    index_now(app)
    assert titles(page(client, q="kit errore")) == ["Il kit della pratica ha un errore?"]
    with app.app_context():  # taken back to draft: its questions go with it, before the writer runs
        db.session.get(Practice, world.open_practice.id).status = "draft"
        db.session.commit()
        queued = db.session.scalar(select(func.count(SearchPending.id)).where(SearchPending.question_id == question_id))
    assert queued >= 1
    assert titles(page(client, q="kit errore")) == []
    index_now(app)
    assert titles(page(client, q="kit errore")) == [] and drift(app) == 0
    similar = {"title": "Il kit della pratica ha un errore", "community": world.open.slug}
    assert f"/questions/{question_id}" not in client.get("/questions/similar", query_string=similar).get_data(
        as_text=True)
    as_user(world.donor_member)  # the donor team still finds it
    assert titles(page(client, q="kit errore")) == ["Il kit della pratica ha un errore?"]
    assert f"/questions/{question_id}" in client.get("/questions/similar", query_string=similar).get_data(
        as_text=True)


def test_a_community_made_private_hides_its_questions_at_once(app, client, qa_index):
    world, ids = qa_index
    assert titles(page(client, q="capitolato")) == [OPEN_TITLE]
    with app.app_context():
        db.session.get(Community, world.open.id).visibility = "private"
        db.session.commit()
    assert titles(page(client, q="capitolato")) == []
    assert "/questions/" not in page(client)


def test_the_database_fallback_finds_questions_and_never_leaks(app, client, qworld):
    with app.app_context():
        make_question(qworld.open.id, qworld.member.id, title="Refezione: chi ha un capitolato?", body="Grazie.")
        make_question(qworld.private.id, qworld.member.id, title="Refezione riservata del tavolo", body="Grazie.")
    # No index built: search answers from the database.
    body = page(client, q="refezione")
    assert "temporaneamente incompleti" in body
    assert "Refezione: chi ha un capitolato?" in body and "Refezione riservata" not in body
    assert "Refezione riservata" not in page(client, q="refezione", type="question")
    assert "Refezione: chi ha un capitolato?" not in page(client, q="refezione", type="practice")
    login(client, qworld.member)
    assert "Refezione riservata del tavolo" in page(client, q="refezione", type="question")
