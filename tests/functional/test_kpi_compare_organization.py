"""An administration's adopted KPIs against its targets (issue 16, point 6), and the comparison box of the KPI page
(slot `kpi.definition.comparison`). Real database, SQLite and PostgreSQL."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.hooks import render_slot
from app.models import KpiDefinition, Organization
from tests.conftest import count_queries, login, make_org
from tests.kpi_world import make_adoption, make_kpi

HX = {"HX-Request": "true"}
CHIERI = "/kpi/organizations/comune-di-chieri"
PUBLISHED = "tempo-medio-di-pagamento-delle-fatture"
CAVEAT = "il confronto non è una classifica"


def client_as(app, kworld, role: str):
    client = app.test_client()
    if role != "anonymous":
        assert login(client, getattr(kworld, role)).status_code == 303
    return client


def card_of(page: str, name: str) -> str:
    return page.split(f">{name}</a>", 1)[1].split("</article>", 1)[0]


@pytest.mark.parametrize("role", ("anonymous", "member", "adopter", "peer", "outsider", "facilitator", "staff",
                                  "supplier_person", "admin"))
def test_the_page_of_an_administration(app, kworld, role):
    client = client_as(app, kworld, role)
    fragment = client.get(CHIERI, headers=HX)  # no block of its own: htmx gets the whole page
    assert fragment.status_code == 200 and "Indicatori adottati da Comune di Chieri" in fragment.get_data(as_text=True)
    response = client.get(CHIERI)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Indicatori adottati da Comune di Chieri" in page
    assert "01 · Servizi istituzionali, generali e di gestione" in page  # grouped by mission
    card = card_of(page, "Tempo medio di pagamento delle fatture")
    assert "42 gg" in card and "(2023)" in card  # baseline
    assert "Obiettivi del triennio 2024–2026" in card
    assert all(target in card for target in ("35 gg", "30 gg", "28 gg"))
    own = role in ("member", "adopter", "admin")
    if own:
        # Its own people see the provisional 2025 value, marked, against the 2025 target (27 ≤ 30: on track).
        assert "ultimo valore 27 gg (2025, provvisorio) contro l'obiettivo 30 gg" in card
        assert "provvisorio" in card and "2025: 27 gg (provvisorio)" in card
    else:
        assert "27 gg" not in page and "provvisorio</span>" not in card
        assert "ultimo valore 31 gg (2024) contro l'obiettivo 35 gg" in card
    assert "In linea con l'obiettivo" in card and "it-check-circle" in card
    assert 'aria-hidden="true"' in card.split("it-check-circle")[0][-300:]  # the icon is decoration, words say it
    assert 'class="chart-sparkline"' in card and "2023: 38 gg; 2024: 31 gg" in card  # and its values in words
    assert "/kpi/tempo-medio-di-pagamento-delle-fatture/compare" in card


def test_links_to_the_adoption(app, kworld):
    page = client_as(app, kworld, "anonymous").get(CHIERI).get_data(as_text=True)
    assert f"/kpi/adoptions/{kworld.adoption.id}" in page


def test_the_open_data_link_when_an_adoption_is_open(app, kworld):
    client = client_as(app, kworld, "anonymous")
    assert "open-data.csv" not in client.get(CHIERI).get_data(as_text=True)
    with app.app_context():
        from app.models import KpiAdoption

        db.session.get(KpiAdoption, kworld.adoption.id).open_data = True
        db.session.commit()
    page = client.get(CHIERI).get_data(as_text=True)
    assert "/kpi/organizations/comune-di-chieri/open-data.csv" in page
    assert "Dati aperti" in page


def test_off_track_and_not_assessable_are_said_in_words(app, kworld):
    with app.app_context():
        chieri = db.session.get(Organization, kworld.chieri.id)
        late = make_kpi("Tempo medio di rilascio dei permessi di costruire", unit="days", polarity="lower",
                        missions=("08",))
        make_adoption(late, chieri, {"2024": 80.0}, target_1=60.0)
        empty = make_kpi("Posti negli asili comunali", unit="number", missions=("12",))
        make_adoption(empty, chieri, {})
        withdrawn = make_kpi("Indicatore abbandonato", unit="number", missions=("12",))
        make_adoption(withdrawn, chieri, {"2024": 3.0}, active=False)
        db.session.commit()
    page = client_as(app, kworld, "anonymous").get(CHIERI).get_data(as_text=True)
    late_card = card_of(page, "Tempo medio di rilascio dei permessi di costruire")
    assert "Non in linea con l'obiettivo" in late_card and "it-close-circle" in late_card
    empty_card = card_of(page, "Posti negli asili comunali")
    assert "Obiettivo non valutabile" in empty_card and "Nessun valore ancora" in empty_card
    assert "Indicatore abbandonato" not in page
    # Missions in code order: 01, then 08, then 12.
    assert page.index("01 · ") < page.index("08 · ") < page.index("12 · ")


def test_only_visible_definitions_are_listed(app, kworld):
    with app.app_context():
        proposal = db.session.get(KpiDefinition, kworld.proposed.id)
        make_adoption(proposal, db.session.get(Organization, kworld.chieri.id), {"2024": 3.0})
        db.session.commit()
    assert "Posti nido ogni 100 bambini" not in client_as(app, kworld, "anonymous").get(CHIERI).get_data(as_text=True)
    assert "Posti nido ogni 100 bambini" in client_as(app, kworld, "member").get(CHIERI).get_data(as_text=True)


def test_an_administration_without_adoptions(app, kworld):
    page = client_as(app, kworld, "anonymous").get("/kpi/organizations/comune-di-asti").get_data(as_text=True)
    assert "Questo ente non ha ancora adottato indicatori della libreria." in page


def test_unknown_organisations_are_not_found(app, kworld):
    client = client_as(app, kworld, "anonymous")
    for slug in ("non-esiste", "%00", "comune-di-chieri%00", "x" * 5000):
        assert client.get(f"/kpi/organizations/{slug}").status_code == 404, slug


def test_an_inactive_organisation_is_not_found(app, kworld):
    with app.app_context():
        make_org("Comune in attesa", status="pending", ipa_code=None)
        db.session.commit()
    for role in ("anonymous", "outsider", "adopter"):
        assert client_as(app, kworld, role).get("/kpi/organizations/comune-in-attesa").status_code == 404


@pytest.mark.parametrize("role", ("anonymous", "adopter"))
def test_queries_do_not_grow_with_the_adoptions(app, kworld, role):
    client = client_as(app, kworld, role)
    one = count_queries(app, client, CHIERI)
    with app.app_context():
        chieri = db.session.get(Organization, kworld.chieri.id)
        for number in range(10):
            kpi = make_kpi(f"Indicatore numero {number}", missions=(("01", "04", "08", "09", "12")[number % 5],))
            make_adoption(kpi, chieri, {"2023": 40.0, "2024": 42.0, "2025": 44.0}, provisional=("2025",))
        db.session.commit()
    assert count_queries(app, client, CHIERI) == one
    assert one <= 10  # the page (user, notifications…) plus organisation, adoptions, versions, missions, values


# ---- the box of the KPI page ----------------------------------------------------------------------------------

def test_the_box_renders_the_default_peers_with_the_caveat(app, kworld):
    with app.test_request_context():
        definition = db.session.scalar(db.select(KpiDefinition).where(KpiDefinition.slug == PUBLISHED))
        html = str(render_slot("kpi.definition.comparison", definition=definition, version=definition.current_version))
    assert "Confronto tra enti" in html and CAVEAT in html
    assert "Comune di Chieri" in html and "Comune di Moncalieri" in html
    assert f'href="/kpi/{PUBLISHED}/compare"' in html and "Confronta" in html
    assert "27 gg" not in html  # Chieri's provisional value is not for everybody


def test_the_box_on_the_kpi_page(app, kworld):
    page = client_as(app, kworld, "adopter").get(f"/kpi/{PUBLISHED}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Confronto tra enti" in text and CAVEAT in text and f"/kpi/{PUBLISHED}/compare" in text
    assert "27 gg" in text  # Chieri's own people see its provisional value


def test_no_box_for_a_proposal(app, kworld):
    with app.test_request_context():
        definition = db.session.get(KpiDefinition, kworld.proposed.id)
        assert "Confronto tra enti" not in str(render_slot("kpi.definition.comparison", definition=definition,
                                                           version=definition.current_version))
