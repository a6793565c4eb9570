"""The agenda of events (issue 15, point 6): upcoming by default and past ones latest first, filters by programme,
community, kind, format and mission as GET parameters, the list as an htmx fragment whose pushed URL is the full
page, pagination; drafts and restricted events only for those who may see them; a bounded number of queries
whatever the number of events. Real database, SQLite and PostgreSQL."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Community, Event, Programme
from tests.conftest import count_queries, login, make_community
from tests.programme_world import make_event, make_programme

HX = {"HX-Request": "true"}
AGENDA = "/events/"


def client_as(app, progworld, role: str):
    client = app.test_client()
    if role != "anonymous":
        assert login(client, getattr(progworld, role)).status_code == 303
    return client


def slugs(page: str) -> list[str]:
    """The events listed, in order (each card links to its page once by its title)."""
    return re.findall(r'<h3 class="(?:card-title h5|h5 card-title)"><a href="/events/([^"/]+)">', page)


def add_event(app, title: str, **fields) -> str:
    with app.app_context():
        programme = fields.pop("programme", None)
        communities = [db.session.scalar(db.select(Community).where(Community.slug == slug))
                       for slug in fields.pop("communities", ())]
        row = make_event(title, programme=db.session.scalar(db.select(Programme).where(Programme.slug == programme))
                         if programme else None, communities=communities, **fields)
        db.session.commit()
        return row.slug


PUBLIC, RESTRICTED, DRAFT = ("tavolo-di-confronto-sul-valore-pubblico", "innovation-lab-missione-01",
                             "plenaria-in-preparazione")


@pytest.mark.parametrize("role, expected", [
    ("anonymous", [PUBLIC]),
    ("member", [PUBLIC]),
    ("attendee", [PUBLIC]),
    ("organizer", [PUBLIC]),  # organiser of the public event only
    ("region_member", [PUBLIC, RESTRICTED]),  # the region takes part in the programme
    ("speaker", [PUBLIC, RESTRICTED]),
    ("staff", [PUBLIC, DRAFT, RESTRICTED]),  # the programme's staff organise its events, drafts included
    ("admin", [PUBLIC, DRAFT, RESTRICTED]),
])
def test_who_sees_which_event(app, progworld, role, expected):
    page = client_as(app, progworld, role).get(AGENDA)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert slugs(text) == expected
    if DRAFT not in expected:
        assert "Plenaria in preparazione" not in text
    if RESTRICTED not in expected:
        assert "Innovation Lab missione 01" not in text
    assert 'href="/programmes/"' in text  # the programmes of the calls


def test_upcoming_soonest_first_and_past_latest_first(app, progworld):
    add_event(app, "Tavolo di un mese fa", starts_in_days=-30, status="held")
    add_event(app, "Tavolo di ieri", starts_in_days=-1)
    add_event(app, "Tavolo di domani", starts_in_days=1)
    add_event(app, "Annullato della settimana prossima", starts_in_days=7, status="cancelled")
    add_event(app, "Bozza di ieri", starts_in_days=-1, status="draft")
    client = app.test_client()
    upcoming = client.get(AGENDA).get_data(as_text=True)
    assert slugs(upcoming) == ["tavolo-di-domani", "annullato-della-settimana-prossima", PUBLIC]
    past = client.get(AGENDA + "?when=past").get_data(as_text=True)
    assert slugs(past) == ["tavolo-di-ieri", "tavolo-di-un-mese-fa"]
    assert "Eventi passati" in past and 'value="past" selected' in past


def test_an_event_under_way_is_still_upcoming(app, progworld):
    add_event(app, "Webinar in corso", starts_in_days=-0.05)  # started an hour ago, ends in two
    assert slugs(app.test_client().get(AGENDA).get_data(as_text=True))[0] == "webinar-in-corso"


def test_filters(app, progworld):
    with app.app_context():
        make_community("Altra comunità", "open")
        make_programme("PerForma PA", None)
        db.session.commit()
    add_event(app, "Webinar sul bilancio", kind="webinar", format="online", missions=["01", "14"],
              communities=["altra-comunita"], programme="performa-pa", starts_in_days=3)
    add_event(app, "Laboratorio in presenza", kind="workshop", format="in_person", place="Torino",
              missions=["14"], starts_in_days=4)
    client = client_as(app, progworld, "region_member")
    cases = {
        "": ["webinar-sul-bilancio", "laboratorio-in-presenza", PUBLIC, RESTRICTED],
        "?programme=ask-public-value": [PUBLIC, RESTRICTED],
        "?programme=performa-pa": ["webinar-sul-bilancio"],
        "?community=valore-pubblico": [PUBLIC],
        "?community=altra-comunita": ["webinar-sul-bilancio"],
        "?kind=innovation_lab": [RESTRICTED],
        "?kind=webinar": ["webinar-sul-bilancio"],
        "?format=in_person": ["laboratorio-in-presenza"],
        "?format=online": ["webinar-sul-bilancio", PUBLIC, RESTRICTED],
        "?mission=14": ["webinar-sul-bilancio", "laboratorio-in-presenza"],
        "?mission=01": ["webinar-sul-bilancio"],
        "?mission=1": ["webinar-sul-bilancio", "laboratorio-in-presenza", PUBLIC, RESTRICTED],  # no such code
        "?kind=webinar&format=in_person": [],
        "?programme=performa-pa&when=past": [],
    }
    for query, expected in cases.items():
        page = client.get(AGENDA + query)
        assert page.status_code == 200, query
        assert slugs(page.get_data(as_text=True)) == expected, query
    empty = client.get(AGENDA + "?kind=webinar&format=in_person").get_data(as_text=True)
    assert "Nessun evento corrisponde ai filtri scelti." in empty


@pytest.mark.parametrize("query", ["?kind=%00", "?when=ieri", "?programme=nessuno", "?community=" + "x" * 500,
                                   "?mission='%20OR%201=1", "?format[]=online", "?page=999"])
def test_odd_parameters_never_break_the_page(app, progworld, query):
    assert app.test_client().get(AGENDA + query).status_code == 200


def test_a_bad_page_number_is_not_found(app, progworld):
    assert app.test_client().get(AGENDA + "?page=abc").status_code == 404


def test_a_private_community_filters_only_for_its_members(app, progworld):
    with app.app_context():
        from app.models import User

        make_community("Tavolo riservato", "private",
                       members=[db.session.get(User, progworld.member.id)])
        db.session.commit()
    add_event(app, "Incontro della comunità riservata", communities=["tavolo-riservato"], starts_in_days=2)
    outsider = client_as(app, progworld, "attendee").get(AGENDA + "?community=tavolo-riservato").get_data(as_text=True)
    assert 'value="tavolo-riservato"' not in outsider  # neither offered nor applied
    assert slugs(outsider) == ["incontro-della-comunita-riservata", PUBLIC]
    member = client_as(app, progworld, "member").get(AGENDA + "?community=tavolo-riservato").get_data(as_text=True)
    assert 'value="tavolo-riservato" selected' in member
    assert slugs(member) == ["incontro-della-comunita-riservata"]


def test_htmx_gets_the_list_and_the_pushed_url_the_full_page(app, progworld):
    client = app.test_client()
    fragment = client.get(AGENDA + "?kind=round_table", headers=HX)
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in text and "<form" not in text
    assert slugs(text) == [PUBLIC] and "1 evento" in text
    assert "HX-Request" in fragment.headers.get("Vary", "")
    full = client.get(AGENDA + "?kind=round_table").get_data(as_text=True)
    assert "<html" in full and 'id="agenda-results"' in full and 'hx-push-url="true"' in full
    assert 'value="round_table" selected' in full and slugs(full) == [PUBLIC]
    restored = client.get(AGENDA + "?kind=round_table", headers={**HX, "HX-History-Restore-Request": "true"})
    assert "<html" in restored.get_data(as_text=True)


def test_pagination_keeps_the_filters(app, progworld):
    for number in range(14):
        add_event(app, f"Webinar numero {number:02d}", kind="webinar", starts_in_days=1 + number / 10)
    client = app.test_client()
    first = client.get(AGENDA + "?kind=webinar").get_data(as_text=True)
    assert len(slugs(first)) == 12 and "14 eventi" in first
    assert "/events/?kind=webinar&amp;page=2" in first
    second = client.get(AGENDA + "?kind=webinar&page=2", headers=HX).get_data(as_text=True)
    assert slugs(second) == ["webinar-numero-12", "webinar-numero-13"]


def _grow(app, count: int, start: int) -> None:
    with app.app_context():
        programme = db.session.scalar(db.select(Programme))
        communities = list(db.session.scalars(db.select(Community)))
        for number in range(start, start + count):
            make_event(f"Evento numero {number}", programme=programme, communities=communities,
                       restricted=number % 3 == 0, starts_in_days=1 + number / 100, missions=["01"])
        db.session.commit()


@pytest.mark.parametrize("role", ["anonymous", "region_member", "staff"])
def test_queries_do_not_grow_with_the_events(app, progworld, role):
    client = client_as(app, progworld, role)
    _grow(app, 3, 0)
    small = count_queries(app, client, AGENDA)
    _grow(app, 27, 3)
    large = count_queries(app, client, AGENDA)
    assert len(slugs(client.get(AGENDA).get_data(as_text=True))) == 12
    assert large == small, (small, large)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Event.id))) == 33
