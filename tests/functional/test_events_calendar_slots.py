"""The calendar's boxes in other pages (issue 15, point 6): the event page's .ics link with its explanation, the
programme's events with its feed, the next public events on the home page, the next events of my communities and
programmes on the dashboard, the community's next events with its feed and its "Eventi" tab. Drafts and restricted
events only where the reader may see them. Real database, SQLite and PostgreSQL."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Community, Event, Programme, User
from tests.conftest import count_queries, login, make_community
from tests.programme_world import make_event

PUBLIC, RESTRICTED, DRAFT = ("Tavolo di confronto sul valore pubblico", "Innovation Lab missione 01",
                             "Plenaria in preparazione")


def client_as(app, progworld, role: str):
    client = app.test_client()
    if role != "anonymous":
        assert login(client, getattr(progworld, role)).status_code == 303
    return client


def page_of(app, progworld, role: str, url: str) -> str:
    response = client_as(app, progworld, role).get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_the_event_page_offers_its_file(app, progworld):
    text = page_of(app, progworld, "anonymous", "/events/tavolo-di-confronto-sul-valore-pubblico")
    assert 'href="/events/tavolo-di-confronto-sul-valore-pubblico.ics"' in text
    assert "Aggiungi al tuo calendario (.ics)" in text and "se l'evento cambia, scaricalo di nuovo" in text


def test_a_draft_page_offers_no_file(app, progworld):
    text = page_of(app, progworld, "staff", "/events/plenaria-in-preparazione")
    assert "plenaria-in-preparazione.ics" not in text


def test_home_shows_the_next_three_public_events(app, progworld):
    with app.app_context():
        for number in range(4):
            make_event(f"Webinar pubblico {number}", starts_in_days=1 + number)
        make_event("Webinar passato", starts_in_days=-2)
        make_event("Webinar annullato", starts_in_days=0.5, status="cancelled")
        db.session.commit()
    text = page_of(app, progworld, "anonymous", "/")  # people signed in are sent on to their dashboard
    box = text[text.index('id="events-home-title"'):]
    box = box[:box.index("</section>")]
    assert [f"Webinar pubblico {n}" in box for n in range(4)] == [True, True, True, False]
    for absent in (RESTRICTED, DRAFT, "Webinar passato", "Webinar annullato", PUBLIC):
        assert absent not in box  # the public event is the fifth in time
    assert 'href="/events/"' in box


def test_home_without_upcoming_public_events_has_no_box(app, progworld):
    with app.app_context():
        db.session.get(Event, progworld.public_event.id).restricted = True
        db.session.commit()
    assert 'id="events-home-title"' not in page_of(app, progworld, "anonymous", "/")


@pytest.mark.parametrize("role, present, absent", [
    ("member", [PUBLIC], [RESTRICTED, DRAFT]),  # a member of the community, not of a participant organisation
    ("region_member", [PUBLIC, RESTRICTED], [DRAFT]),  # member of the community; the region takes part
    ("region_referent", [PUBLIC, RESTRICTED], [DRAFT]),  # not in the community: both are of the programme
    ("metro_referent", [], [PUBLIC, RESTRICTED, DRAFT]),  # neither
])
def test_dashboard_shows_the_next_events_of_my_communities_and_programmes(app, progworld, role, present, absent):
    text = page_of(app, progworld, role, "/dashboard")
    box = text[text.index('id="events-dashboard-title"'):]
    box = box[:box.index("</section>")]
    for title in present:
        assert title in box
    for title in absent:
        assert title not in box
    if not present:
        assert "Nessun evento in programma nelle tue comunità" in box


def test_community_page_shows_its_next_events_feed_and_tab(app, progworld):
    with app.app_context():
        community = db.session.get(Community, progworld.community.id)
        db.session.get(Event, progworld.restricted_event.id).communities = [community]
        db.session.get(Event, progworld.draft_event.id).communities = [community]
        db.session.commit()
    anonymous = page_of(app, progworld, "anonymous", "/communities/valore-pubblico")
    box = anonymous[anonymous.index('id="events-community-title"'):]
    box = box[:box.index("</section>")]
    assert PUBLIC in box and RESTRICTED not in box and DRAFT not in box
    assert f'href="{app.config["BASE_URL"]}/events/communities/valore-pubblico.ics"' in box
    assert "Copia l'indirizzo del collegamento" in box
    assert 'href="/events/?community=valore-pubblico"' in box
    assert '<a class="nav-link" href="/events/?community=valore-pubblico">Eventi</a>' in anonymous
    participant = page_of(app, progworld, "region_member", "/communities/valore-pubblico")
    assert RESTRICTED in participant[participant.index('id="events-community-title"'):]


def test_a_private_community_shows_its_events_to_members_without_a_feed(app, progworld):
    with app.app_context():
        member = db.session.get(User, progworld.member.id)
        private = make_community("Tavolo riservato", "private", members=[member])
        make_event("Incontro riservato", communities=[private], starts_in_days=2)
        db.session.commit()
    text = page_of(app, progworld, "member", "/communities/tavolo-riservato")
    box = text[text.index('id="events-community-title"'):]
    box = box[:box.index("</section>")]
    assert "Incontro riservato" in box and ".ics" not in box
    assert "/events/?community=tavolo-riservato" in text


def test_programme_page_lists_upcoming_and_past_events_with_its_feed(app, progworld):
    with app.app_context():
        programme = db.session.get(Programme, progworld.programme.id)
        make_event("Tavolo svolto a settembre", programme=programme, status="held", starts_in_days=-60)
        make_event("Tavolo annullato", programme=programme, status="cancelled", starts_in_days=3)
        db.session.commit()
    for role, present, absent in (("anonymous", [PUBLIC], [RESTRICTED, DRAFT]),
                                  ("region_member", [PUBLIC, RESTRICTED], [DRAFT])):
        text = page_of(app, progworld, role, "/programmes/ask-public-value")
        box = text[text.index('id="programme-events"'):]
        box = box[:box.index("</section>")]
        upcoming, past = box.split("Svolti", 1)
        for title in present:
            assert title in upcoming
        for title in absent:
            assert title not in box
        assert "Tavolo svolto a settembre" in past and "Tavolo annullato" not in box
        assert f'href="{app.config["BASE_URL"]}/events/programmes/ask-public-value.ics"' in box
        assert "/events/?programme=ask-public-value&amp;when=past" in box


@pytest.mark.parametrize("url", ["/", "/communities/valore-pubblico", "/programmes/ask-public-value", "/dashboard"])
def test_boxes_issue_the_same_queries_with_more_events(app, progworld, url):
    client = client_as(app, progworld, "anonymous" if url == "/" else "region_member")

    def grow(count: int, start: int) -> None:
        with app.app_context():
            programme = db.session.get(Programme, progworld.programme.id)
            community = db.session.get(Community, progworld.community.id)
            for number in range(start, start + count):
                make_event(f"Evento {number}", programme=programme, communities=[community],
                           starts_in_days=1 + number / 10, restricted=number % 2 == 0)
                make_event(f"Evento passato {number}", programme=programme, communities=[community],
                           starts_in_days=-1 - number, status="held")
            db.session.commit()

    grow(1, 0)
    small = count_queries(app, client, url)
    grow(12, 1)
    assert count_queries(app, client, url) == small
