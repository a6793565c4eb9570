"""Mentions in search (review finding 3 of issue 12): visitors read organisations, not names — neither the excerpt
of a hit without a snippet nor the database search used while the index cannot answer names a mentioned person,
and a mentioned person's name finds nothing there, as in the index."""
from __future__ import annotations

import pytest

from app.search.index import IndexUnavailable
from tests.conftest import index_now
from tests.qa_world import make_question

TITLE = "Capitolato mensa scolastica biologica"


@pytest.fixture
def mentioned(app, qworld):
    with app.app_context():
        make_question(qworld.open.id, qworld.member.id, title=TITLE,
                      body=f"Chiedo a @[Olga Altra](user:{qworld.other_member.id}) come ha fatto col menu.")
    return qworld


@pytest.fixture
def no_index(monkeypatch):
    def unavailable(*args, **kwargs):
        raise IndexUnavailable("test: the index is being rebuilt")

    monkeypatch.setattr("app.search.query._search_index", unavailable)


def _page(client, q: str) -> str:
    return client.get("/search", query_string={"q": q}).get_data(as_text=True)


def test_the_excerpt_of_a_title_only_hit_names_nobody(app, client, mentioned):
    index_now(app)
    body = _page(client, "capitolato")
    assert TITLE in body and "Chiedo a @" in body and "Olga Altra" not in body
    assert TITLE not in _page(client, "olga")


def test_the_database_search_names_nobody_and_a_name_finds_nothing(app, client, mentioned, no_index):
    body = _page(client, "capitolato")
    assert "temporaneamente incompleti" in body
    assert TITLE in body and "Olga Altra" not in body
    assert TITLE in _page(client, "menu")  # a word of the body, outside the mention
    assert TITLE in _page(client, "capitolato chiedo")
    assert TITLE not in _page(client, "olga")
    assert TITLE not in _page(client, "capitolato altra")
