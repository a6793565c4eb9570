"""The chair's board (issue 13, points 7 and 10): who sees it, what it shows (matrix, aggregates, flags, ranking),
sorting by the query string, a conflicted chair's candidacies left out, a bounded number of queries."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from tests.conftest import count_queries, login, make_practice
from tests.evaluation_world import ROLES, add_conflict, assign, make_candidacy, make_review, set_phase
from tests.functional.test_evaluation_review import SCORES, outcome

BOARD_ROLES = {"chair", "admin"}


def board_world(app, eworld, extra: int = 0, phase: str = "review") -> dict:
    """Three candidacies with their reviews, plus `extra` more (each with two reviews):

    - A «Sportello unico digitale» (Chieri, digitale): reviewer 3, deputy 5 → mean 4, spread 2 (> 1.5: flagged)
    - B «Mensa scolastica in rete» (Bari, servizi): reviewer 4, deputy assigned without a review → 1/2
    - C «Protocollo informatico» (Chieri, digitale): reviewer 4.5 (innovation..: 5,5,5,4,4,4), deputy 4 → mean 4.25
    """
    with app.app_context():
        from app.models import Community, Organization

        community = db.session.get(Community, eworld.community.id)
        chieri = db.session.get(Organization, eworld.chieri.id)
        a = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id)
        b = make_candidacy(eworld.call.id, eworld.other_practice.id, eworld.other_referent.id, category="servizi")
        third = make_practice("Protocollo informatico", community, chieri)
        db.session.commit()
        c = make_candidacy(eworld.call.id, third.id, eworld.candidate_referent.id)
        ids = dict(a=a.id, b=b.id, c=c.id)
        make_review(assign(a.id, eworld.reviewer.id).id, SCORES)
        make_review(assign(a.id, eworld.deputy.id).id, dict.fromkeys(SCORES, 5))
        make_review(assign(b.id, eworld.reviewer.id).id, dict.fromkeys(SCORES, 4))
        ids["b_pending"] = assign(b.id, eworld.deputy.id).id
        make_review(assign(c.id, eworld.reviewer.id).id, dict(zip(SCORES, [5, 5, 5, 4, 4, 4])))
        make_review(assign(c.id, eworld.deputy.id).id, dict.fromkeys(SCORES, 4))
        for number in range(extra):
            practice = make_practice(f"Pratica aggiuntiva {number}", community, chieri)
            db.session.commit()
            more = make_candidacy(eworld.call.id, practice.id, eworld.candidate_referent.id)
            make_review(assign(more.id, eworld.reviewer.id).id, dict.fromkeys(SCORES, number % 6))
            make_review(assign(more.id, eworld.deputy.id).id, dict.fromkeys(SCORES, (number + 1) % 6))
    set_phase(app, eworld.call.id, phase)
    return ids


def board_url(eworld, **query) -> str:
    tail = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/evaluation/calls/{eworld.call.slug}/board" + (f"?{tail}" if tail else "")


@pytest.mark.parametrize("phase", ["review", "consensus"])
@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("role", ROLES)
def test_board_and_export_role_matrix(app, client, eworld, role, phase, htmx):
    board_world(app, eworld, phase=phase)
    if role != "anonymous":
        assert login(client, eworld.person(role)).status_code == 303
    headers = {"HX-Request": "true"} if htmx else {}
    expected = "login" if role == "anonymous" else (200 if role in BOARD_ROLES else 403)
    response = client.get(board_url(eworld), headers=headers)
    assert outcome(response) == expected
    text = response.get_data(as_text=True)
    if expected == 200:
        assert 'id="board"' in text and ("<html" in text) != htmx
    else:
        assert "Sportello unico digitale" not in text
    for fmt in ("csv", "ods"):
        response = client.get(f"/evaluation/calls/{eworld.call.slug}/export.{fmt}")
        assert outcome(response) == expected
        if expected != 200:
            assert b"Sportello" not in response.data


def test_a_draft_call_board_is_hidden_from_the_public(app, client, eworld):
    set_phase(app, eworld.call.id, "draft")
    login(client, eworld.member)
    assert client.get(board_url(eworld)).status_code == 404
    assert client.get(f"/evaluation/calls/{eworld.call.slug}/export.csv").status_code == 404
    assert client.get("/evaluation/calls/nessuno/board").status_code == 404


def cells(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def row_of(text: str, candidacy_id: int) -> str:
    start = text.index(f'<tr id="candidacy-{candidacy_id}">')
    return cells(text[start:text.index("</tr>", start)])


def test_the_board_shows_the_grid_aggregates_flags_and_ranking(app, client, eworld):
    ids = board_world(app, eworld)
    login(client, eworld.chair)
    text = client.get(board_url(eworld)).get_data(as_text=True)
    assert eworld.reviewer.name in text and eworld.deputy.name in text  # the reviewers' columns
    a = row_of(text, ids["a"])
    assert "Sportello unico digitale" in a and "Comune di Chieri" in a and "Trasformazione digitale" in a
    assert ">3</a>" in a and ">5</a>" in a and "2/2" in a
    assert "<td>4</td> <td>4</td> <td>3</td> <td>5</td> <td>1</td>" in a  # mean, median, min, max, σ
    assert "Discordanti" in a and "<td>2</td>" in a  # flagged; second in «digitale» (C has 4.25)
    b = row_of(text, ids["b"])
    assert "1/2" in b and "Da valutare" in b and "Discordanti" not in b and "<td>1</td>" in b  # first in servizi
    c = row_of(text, ids["c"])
    assert "<td>4,25</td>" in c and ">4,5</a>" in c and "Discordanti" not in c
    ranking = cells(text[text.index("Graduatoria per categoria"):])
    assert ranking.index("Protocollo informatico") < ranking.index("Sportello unico digitale")
    assert "Servizi ai cittadini" in ranking and "Mensa scolastica in rete" in ranking
    assert f'href="/evaluation/candidacies/{ids["a"]}/reviews"' in text


def test_sorting_by_the_query_string(app, client, eworld):
    ids = board_world(app, eworld)
    login(client, eworld.chair)

    def order(**query):
        text = client.get(board_url(eworld, **query)).get_data(as_text=True)
        return [int(each) for each in re.findall(r'<tr id="candidacy-(\d+)">', text)]

    assert order(sort="mean", dir="desc") == [ids["c"], ids["a"], ids["b"]]  # 4.25, 4, 4
    assert order(sort="mean", dir="asc") == [ids["a"], ids["b"], ids["c"]]  # ties keep the id order
    assert order(sort="title") == [ids["b"], ids["c"], ids["a"]]  # Mensa, Protocollo, Sportello
    assert order(sort="stddev", dir="desc")[0] == ids["a"]
    assert order(sort="rank") == [ids["b"], ids["c"], ids["a"]]  # 1 (Servizi…), 1 (Trasformazione…), 2
    assert order(sort="nonsense", dir="sideways") == order()  # the default, not an error
    fragment = client.get(board_url(eworld, sort="mean", dir="desc"), headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.get_data(as_text=True)
    assert 'aria-sort="descending"' in fragment.get_data(as_text=True)


def test_a_conflicted_chair_does_not_see_that_candidacy(app, client, eworld):
    ids = board_world(app, eworld)
    with app.app_context():
        add_conflict(eworld.call.id, ids["a"], eworld.chair.id, kind="personal", source="reviewer",
                     status="confirmed")
    login(client, eworld.chair)
    text = client.get(board_url(eworld)).get_data(as_text=True)
    assert f'candidacy-{ids["a"]}"' not in text and "Sportello unico digitale" not in text
    assert f'candidacy-{ids["c"]}"' in text
    csv_text = client.get(f"/evaluation/calls/{eworld.call.slug}/export.csv").data.decode("utf-8-sig")
    assert "Sportello unico digitale" not in csv_text and "Protocollo informatico" in csv_text
    # the ranking is among what the chair sees: C is now first and alone in «digitale»
    admin = app.test_client()
    login(admin, eworld.admin)
    assert f'candidacy-{ids["a"]}"' in admin.get(board_url(eworld)).get_data(as_text=True)


def test_suggested_conflicts_are_flagged_on_the_board(app, client, eworld):
    ids = board_world(app, eworld)
    with app.app_context():
        add_conflict(eworld.call.id, ids["c"], eworld.reviewer_unassigned.id)
    login(client, eworld.chair)
    text = client.get(board_url(eworld)).get_data(as_text=True)
    assert "1 conflitto da confermare" in row_of(text, ids["c"])


def test_the_board_issues_a_bounded_number_of_queries(app, client, eworld):
    board_world(app, eworld, extra=2)  # 5 candidacies
    login(client, eworld.chair)
    few = count_queries(app, client, board_url(eworld))
    with app.app_context():
        from app.models import Community, Organization

        community = db.session.get(Community, eworld.community.id)
        chieri = db.session.get(Organization, eworld.chieri.id)
        for number in range(15):
            practice = make_practice(f"Altra pratica {number}", community, chieri)
            db.session.commit()
            more = make_candidacy(eworld.call.id, practice.id, eworld.candidate_referent.id, status="under_review")
            make_review(assign(more.id, eworld.reviewer.id).id, dict.fromkeys(SCORES, 3))
            assign(more.id, eworld.deputy.id)
    many = count_queries(app, client, board_url(eworld))  # 20 candidacies
    assert many == few
    assert few < 25


def test_a_review_ended_by_a_conflict_no_longer_counts(app, client, eworld):
    """A conflict found after submitting ends the assignment (H4): that review leaves the numbers and the page."""
    from app.models import Assignment

    ids = board_world(app, eworld)
    with app.app_context():
        from sqlalchemy import select

        ended = db.session.execute(select(Assignment).where(Assignment.candidacy_id == ids["a"],
                                                            Assignment.user_id == eworld.deputy.id)).scalar_one()
        ended.status = "conflict"
        db.session.commit()
        add_conflict(eworld.call.id, ids["a"], eworld.deputy.id, kind="personal", source="reviewer",
                     status="confirmed")
    login(client, eworld.chair)
    a = row_of(client.get(board_url(eworld)).get_data(as_text=True), ids["a"])
    assert "1/1" in a and "Conflitto di interessi" in a and "Discordanti" not in a
    assert "<td>3</td> <td>3</td> <td>3</td> <td>3</td> <td>0</td>" in a
    page = client.get(f"/evaluation/candidacies/{ids['a']}/reviews").get_data(as_text=True)
    assert "1/1 valutazione inviata" in page and eworld.deputy.name not in page
