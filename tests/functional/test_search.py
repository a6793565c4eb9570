"""Full-text search through the test client: Italian analysis, the query language, facets, pages, bad input."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from app.extensions import db
from app.models import Organization, PracticeTag
from tests.conftest import Ref, index_now, make_practice, ref


@dataclass
class SearchWorld:
    green: Ref
    protocol: Ref
    payments: Ref


@pytest.fixture
def sworld(app, pworld) -> SearchWorld:
    """Three published practices with telling words, beside pworld's draft, archived and private ones."""
    with app.app_context():
        open_community, chieri = pworld.open_community, chieri_of(app)
        green = make_practice("Appalti verdi nella città metropolitana", open_community, chieri, theme="environment",
                              mission="09", region_code="01", licence="CC-BY-4.0",
                              summary="Criteri ambientali minimi in ogni appalto pubblico",
                              kit={"context": "La centrale di committenza applica i CAM a tutte le gare."})
        protocol = make_practice("Protocollo informatico condiviso", open_community, chieri, theme="digital_agenda",
                                 mission="01", region_code="16", licence="EUPL-1.2",
                                 kit={"technical": "Firma digitale e conservazione a norma dei documenti.",
                                      "context": "Registrazione di protocollo per dodici Comuni."})
        payments = make_practice("Pagamenti elettronici con pagoPA", open_community, chieri, theme="digital_agenda",
                                 mission="01", region_code="16", licence="EUPL-1.2",
                                 kit={"context": "Pagamenti spontanei e avvisi per i tributi locali."})
        db.session.add(PracticeTag(practice_id=payments.id, name="tributi"))
        db.session.commit()
        world = SearchWorld(green=ref(green), protocol=ref(protocol), payments=ref(payments))
    index_now(app)
    return world


def chieri_of(app) -> Organization:
    return db.session.execute(db.select(Organization).where(Organization.name == "Comune di Chieri")).scalar_one()


def titles(response) -> list[str]:
    return re.findall(r'<h2 class="h5 card-title"><a href="[^"]+">([^<]+)</a>', response.get_data(as_text=True))


def found(client, q, **args) -> list[str]:
    response = client.get("/search", query_string={"q": q, **args})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return titles(response)


@pytest.mark.parametrize("q", ["appalto", "appalti", "APPALTI", "citta", "città", "Città metropolitane"])
def test_italian_stemming_and_accents(client, sworld, q):
    assert found(client, q) == ["Appalti verdi nella città metropolitana"]


def test_query_language(client, sworld):
    assert found(client, '"firma digitale"') == ["Protocollo informatico condiviso"]
    assert found(client, '"digitale firma"') == []
    assert set(found(client, "pagamenti OR protocollo")) == {"Protocollo informatico condiviso",
                                                            "Pagamenti elettronici con pagoPA"}
    assert found(client, "dodici") == ["Protocollo informatico condiviso"]
    assert found(client, "dodici -firma") == []
    assert found(client, "protoc*") == ["Protocollo informatico condiviso"]
    assert found(client, "tributi") == ["Pagamenti elettronici con pagoPA"]  # a tag
    assert found(client, "chieri pagopa") == ["Pagamenti elettronici con pagoPA"]  # the donor's name counts


def test_title_outranks_body_and_date_sort_is_offered(app, client, pworld, sworld):
    with app.app_context():
        make_practice("Gestione documentale", pworld.open_community, chieri_of(app),
                      kit={"context": "Anche qui si parla di protocollo, una volta."})
        db.session.commit()
    index_now(app)
    assert found(client, "protocollo")[0] == "Protocollo informatico condiviso"
    assert found(client, "protocollo", sort="recent")[0] == "Gestione documentale"


def test_snippets_are_highlighted_and_escaped(app, client, pworld, sworld):
    with app.app_context():
        make_practice("Pratica con markup", pworld.open_community, chieri_of(app),
                      kit={"context": "Un testo <script>alert(1)</script> sul riuso del bilancio partecipato."})
        db.session.commit()
    index_now(app)
    body = client.get("/search", query_string={"q": "bilancio partecipato"}).get_data(as_text=True)
    assert "<mark>bilancio</mark> <mark>partecipato</mark>" in body
    assert "<script>alert(1)" not in body and "alert(1)" in body


def test_facets_count_and_narrow(client, sworld):
    body = client.get("/search", query_string={"q": "pagamenti OR protocollo OR appalti"}).get_data(as_text=True)
    facets = dict(re.findall(r'community=[^"]*"[^>]*>([^<]+?)\s*<span class="visually-hidden">,</span> \((\d+)\)', body))
    assert facets == {"Comunità aperta": "3"}
    themes = re.findall(r'theme=(\w+)"\s+hx-get', body)
    assert set(themes) == {"environment", "digital_agenda"}
    assert "Agenda digitale e competenze digitali\n" in body and "(2)</a>" in body
    narrowed = found(client, "pagamenti OR protocollo OR appalti", theme="environment")
    assert narrowed == ["Appalti verdi nella città metropolitana"]
    assert set(found(client, "pagamenti OR protocollo OR appalti", region="16", licence="EUPL-1.2")) == {
        "Protocollo informatico condiviso", "Pagamenti elettronici con pagoPA"}
    assert found(client, "pagamenti", licence="MIT") == []


def test_did_you_mean(client, sworld):
    body = client.get("/search", query_string={"q": "protocolllo"}).get_data(as_text=True)
    assert "Forse cercavi:" in body and "<strong>protocollo</strong>" in body
    assert "Forse cercavi:" not in client.get("/search", query_string={"q": "protocollo"}).get_data(as_text=True)


def test_empty_query_lists_everything_visible_with_a_hint(client, sworld):
    response = client.get("/search")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Scrivi che cosa cerchi" in body
    assert set(titles(response)) == {"Appalti verdi nella città metropolitana", "Protocollo informatico condiviso",
                                     "Pagamenti elettronici con pagoPA", "Centrale unica di committenza",
                                     "Vecchio sportello unico"}


def test_pagination(app, client, pworld, sworld):
    with app.app_context():
        for n in range(12):
            make_practice(f"Riuso numero {n}", pworld.open_community, chieri_of(app), kit={"context": "Scheda di riuso."})
        db.session.commit()
    index_now(app)
    first = client.get("/search", query_string={"q": "riuso"})
    assert len(titles(first)) == 10 and "12 pratiche trovate" in first.get_data(as_text=True)
    assert "page=2" in first.get_data(as_text=True)
    second = client.get("/search", query_string={"q": "riuso", "page": 2})
    assert len(titles(second)) == 2
    assert set(titles(first)).isdisjoint(titles(second))
    assert titles(client.get("/search", query_string={"q": "riuso", "page": 9})) == []


def test_htmx_request_gets_the_results_fragment_and_the_announcement(client, sworld):
    response = client.get("/search", query_string={"q": "appalti"}, headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert titles(response) == ["Appalti verdi nella città metropolitana"]
    assert 'id="search-status" hx-swap-oob="innerHTML"' in body and "1 pratica trovata per «appalti»" in body
    assert "HX-Request" in response.headers["Vary"]
    full = client.get("/search", query_string={"q": "appalti"})
    assert "<html" in full.get_data(as_text=True) and 'role="status"' in full.get_data(as_text=True)


def test_header_search_box_on_every_page(client, sworld):
    body = client.get("/practices/").get_data(as_text=True)
    assert 'action="/search"' in body and 'name="q"' in body


@pytest.mark.parametrize("args, status, message", [
    ({"q": "appalti " * 40}, 400, "La ricerca è troppo lunga"),
    ({"q": '"appalti verdi'}, 200, "trovat"),
    ({"q": "di e per"}, 200, "solo parole troppo comuni"),
    ({"q": "il lo la"}, 200, "solo parole troppo comuni"),
    ({"q": "*?~^():[]{}!&|\\/"}, 200, "trovat"),
    ({"q": "AND OR NOT"}, 200, "trovat"),
    ({"q": "status:draft"}, 200, "0 pratiche"),
    ({"q": "appalti", "theme": "nope"}, 400, "Il filtro «nope» non esiste"),
    ({"q": "appalti", "community": "non-esiste"}, 400, "Il filtro «non-esiste» non esiste"),
    ({"q": "appalti", "sort": "random"}, 400, "Ordinamento non valido"),
    ({"q": "appalti", "licence": "x" * 300}, 400, "non esiste"),
    ({"q": "\x00 appalti \u202e"}, 200, "trovat"),
])
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_input_gets_a_clear_answer(client, sworld, args, status, message, htmx):
    response = client.get("/search", query_string=args, headers={"HX-Request": "true"} if htmx else {})
    expected = 422 if (htmx and status == 400) else status
    assert response.status_code == expected
    assert message in response.get_data(as_text=True)


def test_a_private_communitys_slug_is_an_unknown_filter_to_outsiders(client, sworld, pworld, as_user):
    response = client.get("/search", query_string={"q": "pratica", "community": "tavolo-riservato"})
    assert response.status_code == 400 and "Pratica del tavolo riservato" not in response.get_data(as_text=True)
    as_user(pworld.private_member)
    assert found(client, "pratica", community="tavolo-riservato") == ["Pratica del tavolo riservato"]


def test_bytes_that_are_not_utf8_get_a_page(client, sworld):
    response = client.get("/search?q=%FF%FE%00appalti")
    assert response.status_code in (200, 400) and "<html" in response.get_data(as_text=True)


def test_the_search_page_issues_a_bounded_number_of_queries(app, client, pworld, sworld):
    from tests.conftest import count_queries

    url = "/search?q=pratica+OR+riuso+OR+appalti"
    few = count_queries(app, client, url)
    with app.app_context():
        for n in range(25):
            make_practice(f"Altra pratica di riuso {n}", pworld.open_community, chieri_of(app),
                          kit={"context": "Riuso."}, theme="services")
        db.session.commit()
    index_now(app)
    assert count_queries(app, client, url) == few


@pytest.mark.parametrize("q", ["appalti (- firma)", "pagamenti (-) tributi", "C++ (+1)", "appalti NOT OR firma",
                               "NOT NOT a", "firma ANDNOT ANDMAYBE appalti", '(( "firma', "OR", "-", "+ -"])
@pytest.mark.parametrize("htmx", [False, True])
def test_half_typed_operators_never_break_the_page(client, sworld, q, htmx):
    response = client.get("/search", query_string={"q": q}, headers={"HX-Request": "true"} if htmx else {})
    assert response.status_code == 200


def test_a_random_mix_of_operators_never_breaks_the_page(client, sworld):
    import random

    pieces = ["appalti", "firma", "(", ")", '"', "-", "+", "*", "OR", "AND", "NOT", "ANDNOT", "ANDMAYBE", "pro*", "~"]
    generator = random.Random(5)
    for _ in range(300):
        q = " ".join(generator.choice(pieces) for _ in range(generator.randint(1, 7)))
        assert client.get("/search", query_string={"q": q}).status_code == 200, q


def test_hyphenated_words_are_words_not_exclusions(app, client, pworld, sworld):
    with app.app_context():
        make_practice("Piano anti-corruzione", pworld.open_community, chieri_of(app), kit={"context": "Trasparenza."})
        make_practice("Gare in e-procurement", pworld.open_community, chieri_of(app), kit={"context": "Gare."})
        db.session.commit()
    index_now(app)
    assert found(client, "anti-corruzione") == ["Piano anti-corruzione"]
    assert found(client, "piano anti-corruzione") == ["Piano anti-corruzione"]
    assert found(client, "e-procurement") == ["Gare in e-procurement"]
    assert "Piano anti-corruzione" not in found(client, "piano -trasparenza")


@pytest.mark.parametrize("q", ["*", "*a* *e* *i*", "[a TO z]", "a* b* c* d*", "?ppalti"])
def test_queries_that_would_walk_the_whole_index_are_tamed(client, sworld, q):
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 200  # a lone or early wildcard is dropped, ranges are plain words


def test_an_exclusion_alone_asks_for_a_word(client, sworld):
    assert "non solo che cosa escludere" in client.get("/search", query_string={"q": "-firma"}).get_data(as_text=True)


def test_a_search_over_its_time_limit_answers_with_partial_results(app, client, sworld, monkeypatch):
    monkeypatch.setitem(app.config, "SEARCH_TIME_LIMIT", 0)
    response = client.get("/search", query_string={"q": "pagamenti OR protocollo OR appalti"})
    assert response.status_code == 200 and "risultati mostrati sono parziali" in response.get_data(as_text=True)


def test_did_you_mean_leaves_stop_words_alone(client, sworld):
    body = client.get("/search", query_string={"q": "protocolllo per i comuni"}).get_data(as_text=True)
    assert "<strong>protocollo per i comuni</strong>" in body


def test_too_many_words_are_refused_at_the_field(client, sworld):
    response = client.get("/search", query_string={"q": " ".join(["riuso"] * 21)})
    assert response.status_code == 400 and "troppe parole" in response.get_data(as_text=True)


def test_a_page_number_in_other_digits_is_a_missing_page(client, sworld):
    assert client.get("/search?page=%C2%B2").status_code == 404


def test_phrases_of_two_and_more_words_are_exact(app, client, pworld, sworld):
    with app.app_context():
        make_practice("Firme in ordine sparso", pworld.open_community, chieri_of(app),
                      kit={"context": "Digitale è il protocollo; la firma arriva dopo."})
        db.session.commit()
    index_now(app)
    assert found(client, '"firma digitale"') == ["Protocollo informatico condiviso"]
    assert found(client, '"conservazione a norma dei documenti"') == ["Protocollo informatico condiviso"]
    assert found(client, '"conservazione documenti a norma"') == []
    body = client.get("/search", query_string={"q": '"firma digitale"'}).get_data(as_text=True)
    assert "<mark>Firma</mark> <mark>digitale</mark>" in body  # highlighted from the words, not the pairs


def test_a_word_deep_in_a_long_kit_is_still_highlighted(app, client, pworld, sworld):
    filler = "Il gruppo di lavoro si riunisce ogni settimana. " * 120
    with app.app_context():
        make_practice("Kit molto lungo", pworld.open_community, chieri_of(app),
                      kit={"context": filler + "Alla fine si parla della città di Ivrea e dei suoi sportelli."})
        db.session.commit()
    index_now(app)
    body = client.get("/search", query_string={"q": "citta ivrea"}).get_data(as_text=True)
    assert "<mark>città</mark> di <mark>Ivrea</mark>" in body
