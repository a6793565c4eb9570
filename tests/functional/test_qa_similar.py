"""The similar-questions box of the ask form (issue 12, point 6): GET /questions/similar?title=…&community=<slug>.

From ten characters of the title, up to five suggestions from the index, solved questions first, then the other
questions and the practices; never a question the reader may not see, whatever `community` says."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Question
from tests.conftest import index_now, login
from tests.qa_world import make_answer, make_question

FRAGMENT = {"HX-Request": "true"}


def solve(question_id: int, answer_id: int) -> None:
    question = db.session.get(Question, question_id)
    question.status, question.accepted_answer_id = "solved", answer_id
    db.session.commit()


@pytest.fixture
def asked(app, qworld):
    """Questions about school canteens in the open and the private community, one of them solved."""
    with app.app_context():
        ids = {}
        ids["open"] = make_question(qworld.open.id, qworld.member.id, title="Gara per la mensa scolastica: tempi?",
                                    body="Quanto dura la gara della mensa?").id
        ids["solved"] = make_question(qworld.open.id, qworld.other_member.id,
                                      title="Capitolato della mensa scolastica biologica",
                                      body="Chi ha un capitolato per la mensa?").id
        solve(ids["solved"], make_answer(ids["solved"], qworld.member.id, body="Il nostro, con i CAM.").id)
        ids["private"] = make_question(qworld.private.id, qworld.member.id,
                                       title="Mensa scolastica riservata del tavolo chiuso",
                                       body="Una domanda per i soli membri sulla mensa.").id
        ids["hidden"] = make_question(qworld.open.id, qworld.member.id, title="Mensa scolastica nascosta",
                                      body="Segnalata.", visibility="hidden").id
    index_now(app)
    return qworld, ids


def similar(client, title, htmx=True, **args):
    response = client.get("/questions/similar", query_string={"title": title, **args},
                          headers=FRAGMENT if htmx else {})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def links(body: str) -> list[str]:
    return re.findall(r'<li class="mb-2"><a href="([^"]+)">', body)


def test_nothing_under_ten_characters(client, asked):
    world, ids = asked
    body = similar(client, "Mensa sc")  # 8 characters
    assert links(body) == [] and "<a " not in body and "Nessuna domanda simile" not in body
    assert "<html" not in body  # the fragment only
    body = similar(client, "   mensa   ")  # spaces do not count
    assert links(body) == []


def test_solved_questions_first_then_the_others_up_to_five(app, client, asked):
    world, ids = asked
    body = similar(client, "Mensa scolastica", community=world.open.slug)
    found = links(body)
    assert found[0] == f"/questions/{ids['solved']}"
    assert f"/questions/{ids['open']}" in found
    assert f"/questions/{ids['private']}" not in found and f"/questions/{ids['hidden']}" not in found
    assert "Risolta" in body and "Comunità open" in body and "1 risposta" in body
    assert 'target="_blank"' not in body
    with app.app_context():
        for n in range(6):
            make_question(world.open.id, world.member.id, title=f"Mensa scolastica numero {n}", body="Mensa.")
    index_now(app)
    found = links(similar(client, "Mensa scolastica numero"))
    assert len(found) == 5 and found[0] == f"/questions/{ids['solved']}"


def test_practices_are_suggested_after_questions(app, client, asked):
    world, ids = asked
    body = similar(client, "Pratica della comunità aperta")
    assert "/practices/pratica-della-comunita-open" in body and "Buona pratica" in body
    assert "/practices/pratica-della-comunita-private" not in body


@pytest.mark.parametrize("role, sees", [("anonymous", False), ("outsider", False), ("supplier", True),
                                        ("facilitator", True), ("admin", True)])
def test_a_private_communitys_question_never_reaches_outsiders_whatever_the_community(client, asked, role, sees):
    world, ids = asked
    if role != "anonymous":
        login(client, getattr(world, role))
    for community in (world.private.slug, world.open.slug, "", "non-esiste"):
        body = similar(client, "Mensa scolastica riservata", community=community)
        assert (f"/questions/{ids['private']}" in body) is sees, community
        assert ("tavolo chiuso" in body) is sees
        assert (f"/questions/{ids['solved']}" in body)  # what the reader may see is still suggested


def test_full_page_without_htmx(client, asked):
    world, ids = asked
    body = similar(client, "Mensa scolastica", htmx=False, community=world.open.slug)
    assert "<h1>Domande simili</h1>" in body and 'id="qa-similar" aria-live="polite"' in body
    assert f"/questions/{ids['solved']}" in body
    assert f'name="community" value="{world.open.slug}"' in body
    assert 'id="qa-similar" aria-live="polite"' in similar(client, "", htmx=False)
    # Odd input is never an error.
    for title in ("\x00" * 30, "*" * 300, "mensa AND OR NOT (((", '"mensa scolastica" -gara'):
        assert similar(client, title).count("<li") <= 5
    body = similar(client, "Una domanda del tutto nuova su ornitorinchi")
    assert links(body) == [] and "Nessuna domanda simile" in body


def test_no_index_gives_an_empty_polite_box(app, client, qworld):
    with app.app_context():
        make_question(qworld.open.id, qworld.member.id, title="Mensa scolastica senza indice", body="Mensa.")
    body = similar(client, "Mensa scolastica senza indice")  # no index was built
    assert links(body) == []
