"""The chair's board and the assignments matrix, page by page (issue 13): EVALUATION_PER_PAGE candidacies a page,
aggregates, flags and ranking computed over every candidacy, sorting before paginating, GET filters (category,
disagreement; on the matrix, those still waiting for someone) with and without htmx, the cell forms keeping the page
and the filters, the export always complete."""
from __future__ import annotations

import csv
import io
import re

import pytest

from app.extensions import db
from tests.conftest import csrf_token, login
from tests.evaluation_world import set_phase
from tests.functional.test_evaluation_query_counts import grow

PER_PAGE = 5
COUNT = 12


@pytest.fixture
def paged(app, client, eworld, monkeypatch):
    """Twelve candidacies under review (half «digitale», half «servizi»), the chair logged in, 5 a page."""
    monkeypatch.setitem(app.config, "EVALUATION_PER_PAGE", PER_PAGE)
    set_phase(app, eworld.call.id, "review")
    ids = grow(app, eworld, eworld.call.id, 0, COUNT)
    assert login(client, eworld.chair).status_code == 303
    return ids


def full_board(app, eworld, sort="category", direction="asc"):
    """The board over every candidacy, as the service computes it (no page)."""
    with app.app_context():
        from app.evaluation import board
        from app.models import EvaluationCall, User

        call = db.session.get(EvaluationCall, eworld.call.id)
        data = board.build(db.session.get(User, eworld.chair.id), call, sort, direction)
        return [(row.id, row.rank, row.disagreement, row.category) for row in data.rows]


def board_rows(text: str) -> list[int]:
    return [int(each) for each in re.findall(r'<tr id="candidacy-(\d+)"', text)]


def board_url(eworld, **query) -> str:
    tail = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/evaluation/calls/{eworld.call.slug}/board" + (f"?{tail}" if tail else "")


def ranks_shown(text: str) -> dict[int, str]:
    """candidacy id → the «Posizione» cell of its row in the board's table."""
    found = {}
    for match in re.finditer(r'<tr id="candidacy-(\d+)">(.*?)</tr>', text, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", match.group(2), re.S)
        found[int(match.group(1))] = cells[-2].strip()
    return found


@pytest.mark.parametrize("sort,direction", [("category", "asc"), ("mean", "desc"), ("title", "asc")])
def test_the_pages_follow_the_sort_and_keep_the_ranks_global(app, client, eworld, paged, sort, direction):
    expected = full_board(app, eworld, sort, direction)
    seen: list[int] = []
    for page in (1, 2, 3):
        response = client.get(board_url(eworld, sort=sort, dir=direction, page=page))
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        rows = board_rows(text)
        assert len(rows) == (PER_PAGE if page < 3 else COUNT - 2 * PER_PAGE)
        for row_id, rank, _flag, _category in expected:
            if row_id in rows:
                assert ranks_shown(text)[row_id] == (str(rank) if rank else "—")
        seen += rows
        assert "Pagina %d di 3." % page in text
    assert seen == [row[0] for row in expected]


def test_the_page_nav_carries_sort_and_filters(app, client, eworld, paged):
    text = client.get(board_url(eworld, sort="mean", dir="desc")).get_data(as_text=True)
    assert 'class="pagination"' in text
    link = re.search(r'<a class="page-link" href="([^"]*page=2[^"]*)"', text).group(1)
    assert "sort=mean" in link and "dir=desc" in link
    text = client.get(board_url(eworld, category="digitale")).get_data(as_text=True)
    assert 'class="pagination"' in text  # 6 «digitale»: two pages
    link = re.search(r'<a class="page-link" href="([^"]*page=2[^"]*)"', text).group(1)
    assert "category=digitale" in link


@pytest.mark.parametrize("htmx", [False, True])
def test_the_board_filters_work_with_and_without_htmx(app, client, eworld, paged, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    everything = full_board(app, eworld)
    response = client.get(board_url(eworld, category="digitale", page=2), headers=headers)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert ("<html" in text) != htmx and 'id="board"' in text
    digital = [row[0] for row in everything if row[3] == "digitale"]
    assert board_rows(text) == digital[PER_PAGE:]
    assert 'hx-get="/evaluation/calls/%s/board"' % eworld.call.slug in text and 'hx-push-url="true"' in text
    assert '<option value="digitale" selected>' in text
    response = client.get(board_url(eworld, disagreement=1), headers=headers)
    flagged = [row[0] for row in everything if row[2]]
    assert board_rows(response.get_data(as_text=True)) == flagged[:PER_PAGE]
    text = client.get(board_url(eworld, category="nessuna", disagreement="x"), headers=headers).get_data(as_text=True)
    assert board_rows(text) == [row[0] for row in everything][:PER_PAGE]  # unknown values: no filter


def test_a_filter_matching_nothing_says_so(app, client, eworld, paged):
    text = client.get(board_url(eworld, category="-")).get_data(as_text=True)
    assert "Nessuna candidatura corrisponde ai filtri." in text and board_rows(text) == []


@pytest.mark.parametrize("raw", ["0", "abc", "-3"])
@pytest.mark.parametrize("where", ["board", "assignments"])
def test_a_page_that_cannot_exist_is_not_found(app, client, eworld, paged, raw, where):
    url = f"/evaluation/calls/{eworld.call.slug}/{where}?page={raw}"
    assert client.get(url).status_code == 404  # the project's rule (app/web.py), never a 500


def test_a_page_past_the_end_is_the_last_one(app, client, eworld, paged):
    response = client.get(board_url(eworld, page=99))
    assert response.status_code == 200
    assert len(board_rows(response.get_data(as_text=True))) == COUNT - 2 * PER_PAGE
    response = client.get(f"/evaluation/calls/{eworld.call.slug}/assignments?page=99")
    assert response.status_code == 200
    assert len(re.findall(r'<tr id="row-', response.get_data(as_text=True))) == COUNT - 2 * PER_PAGE


def test_the_export_stays_complete(app, client, eworld, paged):
    response = client.get(f"/evaluation/calls/{eworld.call.slug}/export.csv?page=2&category=digitale")
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(lines) == COUNT + 1


# ---- the assignments matrix ----------------------------------------------------------------------------------------

def matrix_url(eworld, **query) -> str:
    tail = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/evaluation/calls/{eworld.call.slug}/assignments" + (f"?{tail}" if tail else "")


def matrix_rows(text: str) -> list[int]:
    return [int(each) for each in re.findall(r'<tr id="row-(\d+)"', text)]


@pytest.mark.parametrize("htmx", [False, True])
def test_the_matrix_pages_and_filters(app, client, eworld, paged, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    seen = []
    for page in (1, 2, 3):
        text = client.get(matrix_url(eworld, page=page), headers=headers).get_data(as_text=True)
        assert ("<html" in text) != htmx
        seen += matrix_rows(text)
    assert seen == sorted(paged)
    text = client.get(matrix_url(eworld, category="servizi"), headers=headers).get_data(as_text=True)
    assert matrix_rows(text) == [cid for n, cid in enumerate(paged) if n % 2 == 0][:PER_PAGE]
    # every candidacy has two live assignments (reviewers_per_candidacy decides who waits)
    with app.app_context():
        from app.models import EvaluationCall

        wanted = db.session.get(EvaluationCall, eworld.call.id).reviewers_per_candidacy
    text = client.get(matrix_url(eworld, waiting=1), headers=headers).get_data(as_text=True)
    if wanted > 2:
        assert len(matrix_rows(text)) == PER_PAGE
    else:
        assert matrix_rows(text) == [] and "Nessuna candidatura corrisponde ai filtri." in text
    # the loads in the columns are the whole call's, not the page's
    text = client.get(matrix_url(eworld, page=3), headers=headers).get_data(as_text=True)
    assert f'id="load-{eworld.reviewer.id}">{COUNT} incarichi' in text


@pytest.mark.parametrize("htmx", [False, True])
def test_a_cell_keeps_the_page_and_the_filters(app, client, eworld, paged, htmx):
    digital = [cid for n, cid in enumerate(paged) if n % 2]
    target = digital[-1]  # on page 2 of «digitale»
    page = client.get(matrix_url(eworld, category="digitale", page=2)).get_data(as_text=True)
    assert matrix_rows(page) == digital[PER_PAGE:]
    assert '<input type="hidden" name="category" value="digitale">' in page
    assert '<input type="hidden" name="page" value="2">' in page
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(matrix_url(eworld), data={
        "csrf_token": csrf_token(client, matrix_url(eworld)), "candidacy": target, "reviewer": eworld.deputy.id,
        "category": "digitale", "page": "2"}, headers=headers)
    with app.app_context():
        from app.models import Assignment

        assert db.session.query(Assignment).filter_by(candidacy_id=target, user_id=eworld.deputy.id).count() == 1
    if htmx:
        assert response.status_code == 200
        assert matrix_rows(response.get_data(as_text=True)) == digital[PER_PAGE:]
    else:
        assert response.status_code == 303
        assert "category=digitale" in response.location and "page=2" in response.location
