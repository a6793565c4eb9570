"""Similar KPIs while proposing one (issue 16, point 3): GET /kpi/similar?name=…&exclude=<slug>.

From three characters of the name, up to five definitions the reader may see (never a proposal of others, never a
withdrawn one), each with its status and adopters; `exclude` leaves out the definition being edited. From the index,
or from the database when there is none."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import KpiDefinition
from tests.conftest import count_queries, index_now, login
from tests.kpi_world import make_kpi

FRAGMENT = {"HX-Request": "true"}
PUBLISHED_URL = "/kpi/tempo-medio-di-pagamento-delle-fatture"
DEPRECATED_URL = "/kpi/giorni-di-pagamento-fatture-vecchia-definizione"
INTRO = "Indicatori simili già presenti: verificate prima di proporne uno nuovo."

# role -> (the community's proposal, the programme's one in review) suggested; the withdrawn one never is
MATRIX = {
    "anonymous": (False, False),
    "outsider": (False, False),
    "supplier_person": (False, False),
    "peer": (True, False),
    "member": (True, False),
    "facilitator": (True, False),
    "staff": (False, True),
    "region_person": (False, True),
    "admin": (True, True),
}


def similar(client, name, htmx=True, **args) -> str:
    response = client.get("/kpi/similar", query_string={"name": name, **args}, headers=FRAGMENT if htmx else {})
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def links(body: str) -> list[str]:
    return re.findall(r'<li class="mb-2"><a href="([^"]+)">', body)


@pytest.mark.parametrize("indexed", [True, False], ids=["index", "database"])
def test_the_similar_published_kpi_is_suggested_and_exclude_leaves_it_out(app, client, kworld, indexed):
    if indexed:
        index_now(app)
    body = similar(client, "tempo pagamento fatture")
    found = links(body)
    assert found[0] == PUBLISHED_URL and DEPRECATED_URL in found
    assert INTRO in body and "<h2" not in body and "<html" not in body  # the fragment only, no heading
    assert "Pubblicato" in body and "Dismesso" in body and "adottato da 2 enti" in body and "KPI-0001" in body
    assert "non ancora adottato" in body  # the deprecated one
    excluded = links(similar(client, "tempo pagamento fatture", exclude="tempo-medio-di-pagamento-delle-fatture"))
    assert PUBLISHED_URL not in excluded and DEPRECATED_URL in excluded
    # Similar, not equal: another word order, a plural, a half-typed last word.
    assert PUBLISHED_URL in links(similar(client, "Fatture: tempi di pagamento"))
    if indexed:
        assert links(similar(client, "Durata media dei pagam"))[0] in (PUBLISHED_URL, DEPRECATED_URL)
        assert links(similar(client, "spi")) == ["/kpi/servizi-online-accessibili-con-spid-e-cie"]


def _suggests_only_what_it_may(client, role: str) -> None:
    sees_proposed, sees_in_review = MATRIX[role]
    body = similar(client, "Posti nido per bambini")
    assert ("/kpi/posti-nido-ogni-100-bambini" in body) is sees_proposed
    assert ("Posti nido" in body) is sees_proposed
    assert ("/kpi/quota-di-raccolta-differenziata" in similar(client, "Raccolta differenziata")) is sees_in_review
    # Withdrawn: out of the library, for its proposer too.
    assert "/kpi/indicatore-ritirato-di-prova" not in similar(client, "Indicatore ritirato di prova")


@pytest.mark.parametrize("role", MATRIX)
def test_never_an_invisible_or_withdrawn_kpi(app, client, kworld, role):
    if role != "anonymous":
        assert login(client, getattr(kworld, role)).status_code in (302, 303)
    _suggests_only_what_it_may(client, role)  # no index yet: from the database
    index_now(app)
    _suggests_only_what_it_may(client, role)


def test_under_three_characters_odd_input_and_the_full_page(app, client, kworld):
    index_now(app)
    assert similar(client, "fa").strip() == "" and similar(client, "  fa   ").strip() == ""
    assert similar(client, "").strip() == ""
    for name in ("\x00" * 30, "fatt\x00ure", "a" * 50_000, "*" * 300, "fatture AND OR NOT (((", '"fatture" -tempo',
                 "ùàè€" * 20, "%_%", "di di di"):
        body = similar(client, name)
        assert len(links(body)) <= 5 and "Traceback" not in body
    assert PUBLISHED_URL in similar(client, "fatt\x00ure")  # NUL removed, the rest kept
    assert links(similar(client, "%_%")) == []  # LIKE's wildcards are words, not patterns
    page = similar(client, "tempo pagamento fatture", htmx=False, exclude="x")
    assert "<h1>Indicatori simili</h1>" in page and 'id="kpi-similar" aria-live="polite"' in page
    assert 'for="kpi-similar-name"' in page and 'name="exclude" value="x"' in page and PUBLISHED_URL in page
    assert "Nessun indicatore simile" in similar(client, "Ornitorinchi avvistati sul Po")
    assert 'id="kpi-similar"' in similar(client, "", htmx=False)


def test_at_most_five_and_a_bounded_number_of_queries(app, client, kworld):
    with app.app_context():
        for n in range(8):
            make_kpi(f"Tempo di pagamento delle fatture del settore {n}")
        db.session.commit()
    index_now(app)
    assert len(links(similar(client, "tempo pagamento fatture"))) == 5
    login(client, kworld.member)
    few = count_queries(app, client, "/kpi/similar?name=posti+nido")
    many = count_queries(app, client, "/kpi/similar?name=tempo+pagamento+fatture")
    assert many <= few + 1  # not one query per suggestion
    with app.app_context():
        assert db.session.query(KpiDefinition).count() == 14
