"""The KPI definitions' search documents and queries (issue 16), without a database: what a document holds, its id,
the similar-name query, the anonymous reader's mask."""
from __future__ import annotations

from datetime import datetime

from flask_login import AnonymousUserMixin
from whoosh.query import And, Not, Or, Prefix, Term

from app.models import KpiDefinition, KpiVersion, ReferenceTerm
from app.search.documents import kpi_document, kpi_key, parse_key
from app.search.kpis import _similar_query, kpi_mask, mission_filter


def _term(scheme: str, code: str, label: str) -> ReferenceTerm:
    return ReferenceTerm(scheme=scheme, code=code, label_it=label)


def _definition() -> KpiDefinition:
    version = KpiVersion(name="Tempo medio di pagamento delle fatture", short_name="ITP",
                         description="I **giorni** tra ricezione e pagamento.", formula="Media ponderata",
                         numerator="Somma dei giorni", denominator="Importo pagato", data_source="PCC",
                         external_code="BDAP-7", tags=["pagamenti", "fatture"], unit="days")
    version.terms = [_term("mission_local", "12", "Diritti sociali, politiche sociali e famiglia"),
                     _term("mission_local", "01", "Servizi istituzionali, generali e di gestione"),
                     _term("sdg", "16", "Pace, giustizia e istituzioni solide")]
    version.bes_domain = _term("bes_domain", "BES_12", "Qualità dei servizi")
    version.piao_subsection = _term("piao_subsection", "2.1", "Valore pubblico")
    created = datetime(2026, 1, 5)
    return KpiDefinition(id=7, slug="tempo-medio", code="KPI-0007", status="proposed", community_id=3,
                         current_version=version, created_at=created, updated_at=created)


def test_a_kpi_document_holds_its_words_codes_and_taxonomies():
    doc = kpi_document(_definition())
    assert (doc["id"], doc["type"], doc["status"], doc["slug"]) == ("k7", "kpi", "proposed", "tempo-medio")
    assert doc["title"] == "Tempo medio di pagamento delle fatture"
    assert doc["summary"] == "I giorni tra ricezione e pagamento."  # plain text: snippets quote no Markdown
    assert doc["tags"] == "ITP pagamenti fatture"
    assert all(part in doc["content"] for part in ("Media ponderata", "Somma dei giorni", "Importo pagato", "PCC"))
    for part in ("KPI-0007", "BDAP-7", "12 Diritti sociali", "01 Servizi istituzionali", "16 Pace, giustizia",
                 "BES_12 Qualità dei servizi", "2.1 Valore pubblico"):
        assert part in doc["labels"] and part not in doc["content"], part
    # The mission facet counts its first mission; filtering finds it by any of them.
    assert (doc["mission"], doc["kpi_missions"]) == ("12", "12 01")
    # Visibility is decided from the database at query time: no community id, nothing a mask could misread.
    assert (doc["community"], doc["donor_ids"], doc["draft_practice"]) == ("", "", "no")
    assert doc["published"] == datetime(2026, 1, 5)


def test_document_ids_of_the_three_kinds():
    assert kpi_key(12) == "k12"
    assert parse_key("k12") == ("kpi", 12) and parse_key("q12") == ("question", 12) and parse_key("12") == (
        "practice", 12)


def test_the_similar_query_is_any_word_with_the_last_one_as_a_prefix():
    query = _similar_query(["Tempo", "di", "pagam"])
    assert isinstance(query, Or)
    parts = set(query.subqueries)
    assert Term("title", "temp") in parts and Term("tags", "temp") in parts  # stemmed, as the index
    assert not any(isinstance(p, Term) and p.text == "di" for p in parts)  # stop words are not looked for
    assert Prefix("title", "pagam") in parts and Prefix("tags", "pagam") in parts
    assert not any(isinstance(p, Prefix) for p in _similar_query(["fatture", "di"]).subqueries)  # too short
    assert Prefix("title", "citta") in _similar_query(["Città"]).subqueries  # accents folded as in the index
    assert _similar_query(["di", "e"]) is None


def test_an_anonymous_reader_never_gets_a_kpi_that_is_not_public():
    mask = kpi_mask(AnonymousUserMixin())
    assert mask == And([Term("type", "kpi"), Not(Or([Term("status", "published"), Term("status", "deprecated")]))])
    assert mission_filter("04") == Or([Term("mission", "04"), Term("kpi_missions", "04")])
