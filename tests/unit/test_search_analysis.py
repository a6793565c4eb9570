"""The Italian analysis of the index, on its own: stems, accents, stop words, tokens people type."""
from __future__ import annotations

import pytest

from app.search.query import parse_query
from app.search.schema import italian_analyzer, spelling_analyzer


def terms(text: str) -> list[str]:
    return [token.text for token in italian_analyzer()(text)]


@pytest.mark.parametrize("one, other", [("appalto", "appalti"), ("città", "citta"), ("Città", "CITTA"),
                                        ("pagamento", "pagamenti"), ("sanitario", "sanitari"),
                                        ("accessibilità", "accessibilita"), ("protocollo", "protocolli")])
def test_inflections_and_accents_meet(one, other):
    assert terms(one) == terms(other) and terms(one)


def test_stop_words_and_elisions_go():
    assert terms("di e per il lo la") == []
    assert terms("qualità dell'aria") == terms("qualita aria")


def test_dotted_and_hyphenated_words_stay_whole():
    assert len(terms("e-procurement")) == 1 and len(terms("D.Lgs")) == 1


def test_spelling_keeps_words_as_written():
    assert [t.text for t in spelling_analyzer()("Protocollo informatico")] == ["protocollo", "informatico"]


def test_field_syntax_is_plain_text_for_the_reader():
    # `status:draft` must not become a query on the status field (the mask would still hide drafts).
    assert "status" not in {field for field, _ in parse_query("status:draft").iter_all_terms()}
