"""An adversarial review of the KPI library as its users would meet it (issue 16): links between the area's pages,
htmx fragments against their full pages, and a bounded number of queries whatever the data size."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.models import KpiDefinition, Organization
from tests.conftest import count_queries, login, make_org, make_user
from tests.kpi_world import make_adoption, make_kpi

HX = {"HX-Request": "true"}


def _org(app, ref_or_id) -> Organization:
    return db.session.get(Organization, getattr(ref_or_id, "id", ref_or_id))


def _definition(ref) -> KpiDefinition:
    return db.session.get(KpiDefinition, ref.id)


# ---- performance: query counts that must not grow with the data ------------------------------------------------

def _add_kpis(app, how_many: int, start: int = 0) -> None:
    with app.app_context():
        for number in range(start, start + how_many):
            make_kpi(f"Indicatore di prova numero {number:04d}", missions=("01", "04"), sdgs=(4, 16))
        db.session.commit()


@pytest.mark.parametrize("role", ["anonymous", "adopter", "admin"])
def test_library_queries_do_not_grow_with_the_kpis(app, client, kworld, role):
    if role != "anonymous":
        login(client, getattr(kworld, role))
    _add_kpis(app, 30)
    thirty = count_queries(app, client, "/kpi/?sort=adopted")
    _add_kpis(app, 270, start=30)
    assert count_queries(app, client, "/kpi/?sort=adopted") == thirty
    assert count_queries(app, client, "/kpi/?sort=adopted&page=3") <= thirty


def _add_adopters(app, kworld, how_many: int, start: int = 0) -> None:
    with app.app_context():
        definition = _definition(kworld.published)
        for number in range(start, start + how_many):
            organization = make_org(f"Comune di Prova {number:03d}", pa_kind="municipality",
                                    ipa_code=f"c_t{number:03d}")
            person = make_user(f"persona{number}@prova.example.it", organization)
            make_adoption(definition, organization, {"2023": 40.0 + number % 7, "2024": 35.0, "2025": 30.0},
                          provisional=("2025",), by=person)
        db.session.commit()


@pytest.mark.parametrize("role", ["anonymous", "adopter", "facilitator"])
def test_kpi_page_queries_do_not_grow_with_the_adopters(app, client, kworld, role):
    if role != "anonymous":
        login(client, getattr(kworld, role))
    url = f"/kpi/{kworld.published.slug}"
    _add_adopters(app, kworld, 3)
    few = count_queries(app, client, url)
    _add_adopters(app, kworld, 47, start=3)
    assert count_queries(app, client, url) == few


@pytest.mark.parametrize("query", ["", "?peers=all&year=2024&sort=value", "?peers=chosen"])
def test_comparison_queries_do_not_grow_with_peers_and_years(app, client, kworld, query):
    login(client, kworld.adopter)
    url = f"/kpi/{kworld.published.slug}/compare"
    _add_adopters(app, kworld, 2)
    if query == "?peers=chosen":
        query = "?peers=chosen&org=comune-di-prova-000&org=comune-di-prova-001&org=comune-di-chieri"
    few = count_queries(app, client, url + query)
    _add_adopters(app, kworld, 10, start=2)
    if "chosen" in query:
        query += "".join(f"&org=comune-di-prova-{n:03d}" for n in range(2, 11))
    assert count_queries(app, client, url + query) == few


@pytest.mark.parametrize("role", ["anonymous", "adopter"])
def test_organization_page_queries_do_not_grow_with_its_adoptions(app, client, kworld, role):
    if role != "anonymous":
        login(client, getattr(kworld, role))
    url = f"/kpi/organizations/{kworld.chieri.slug}"

    def adopt(how_many: int, start: int) -> None:
        with app.app_context():
            chieri = _org(app, kworld.chieri)
            for number in range(start, start + how_many):
                definition = make_kpi(f"Indicatore adottato {number:03d}", missions=(("01", "04", "09")[number % 3],))
                make_adoption(definition, chieri, {"2023": 40.0, "2024": 45.0, "2025": 47.0},
                              provisional=("2025",), open_data=number % 2 == 0)
            db.session.commit()

    adopt(3, 0)
    few = count_queries(app, client, url)
    adopt(27, 3)
    assert count_queries(app, client, url) == few
