"""Calendars of events (issue 15, point 6): the .ics of an event (none for a draft — a page that says so, nothing
saved — nor for an event the reader may not see), the subscribable feeds of a community and of a programme (public
events only, none for a private community), and the calendar's boxes on the event, programme, home, dashboard and
community pages. Real database, SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import timedelta, timezone

import icalendar
import pytest

from app.extensions import db
from app.models import Community, Event, Programme, Registration, User
from app.models.base import utcnow
from tests.conftest import login, make_community
from tests.programme_world import make_event, make_registration

HX = {"HX-Request": "true"}
PUBLIC, RESTRICTED, DRAFT = ("tavolo-di-confronto-sul-valore-pubblico", "innovation-lab-missione-01",
                             "plenaria-in-preparazione")
MEETING = "https://meet.example.org/tavolo"


def client_as(app, progworld, role: str):
    client = app.test_client()
    if role != "anonymous":
        assert login(client, getattr(progworld, role)).status_code == 303
    return client


def uids_of(response) -> list[str]:
    return [str(entry["UID"]) for entry in icalendar.Calendar.from_ical(response.data).events]


def event_id(app, slug: str) -> int:
    with app.app_context():
        return db.session.scalar(db.select(Event.id).where(Event.slug == slug))


# ---- the .ics of an event ------------------------------------------------------------------------------------

def test_the_ics_of_a_public_event(app, progworld):
    response = app.test_client().get(f"/events/{PUBLIC}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{PUBLIC}.ics"'
    assert "private" in response.headers["Cache-Control"]
    calendar = icalendar.Calendar.from_ical(response.data)
    [entry] = calendar.events
    page = f"{app.config['BASE_URL']}/events/{PUBLIC}"
    assert str(entry["UID"]) == f"event-{progworld.public_event.id}@127.0.0.1"
    assert str(entry["URL"]) == page and page in str(entry["DESCRIPTION"])
    assert str(entry["SUMMARY"]) == "Tavolo di confronto sul valore pubblico"
    assert str(entry["STATUS"]) == "CONFIRMED"
    assert entry.get("DTSTART").params["TZID"] == "Europe/Rome"
    with app.app_context():
        starts = db.session.get(Event, progworld.public_event.id).starts_at
    assert entry.start.astimezone(timezone.utc).replace(tzinfo=None) == starts
    assert entry.end - entry.start == timedelta(hours=3)
    assert MEETING not in response.get_data(as_text=True)  # not registered: "online" and the page


@pytest.mark.parametrize("role, link", [("attendee", True), ("organizer", True), ("staff", True),
                                        ("member", False), ("anonymous", False)])
def test_the_online_link_only_for_who_may_follow(app, progworld, role, link):
    response = client_as(app, progworld, role).get(f"/events/{PUBLIC}.ics")
    assert response.status_code == 200
    assert (MEETING in response.get_data(as_text=True)) is link


def test_a_waiting_person_gets_no_link_and_no_registration_means_link_for_all(app, progworld):
    with app.app_context():
        make_registration(db.session.get(Event, progworld.public_event.id),
                          db.session.get(User, progworld.member.id), status="waiting")
        db.session.commit()
    assert MEETING not in client_as(app, progworld, "member").get(f"/events/{PUBLIC}.ics").get_data(as_text=True)
    with app.app_context():
        db.session.get(Event, progworld.public_event.id).registration_enabled = False
        db.session.commit()
    assert MEETING in app.test_client().get(f"/events/{PUBLIC}.ics").get_data(as_text=True)  # as on its page


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("role", ["anonymous", "member", "region_member", "organizer"])
def test_no_ics_for_a_draft(app, progworld, role, htmx):
    before = _snapshot(app, progworld.draft_event.id)
    response = client_as(app, progworld, role).get(f"/events/{DRAFT}.ics", headers=HX if htmx else {})
    text = response.get_data(as_text=True)
    assert response.status_code == 404 and "text/html" in response.headers["Content-Type"]
    assert "Calendario non disponibile" in text and "non è visibile con il tuo account" in text
    assert "Plenaria in preparazione" not in text  # its existence is not told
    assert ("<html" in text) is not htmx
    assert _snapshot(app, progworld.draft_event.id) == before


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_the_organisers_of_a_draft_are_told_why(app, progworld, role):
    before = _snapshot(app, progworld.draft_event.id)
    response = client_as(app, progworld, role).get(f"/events/{DRAFT}.ics")
    assert response.status_code == 404
    assert "«Plenaria in preparazione» è ancora in bozza" in response.get_data(as_text=True)
    assert _snapshot(app, progworld.draft_event.id) == before


def _snapshot(app, event_id: int):
    with app.app_context():
        row = db.session.get(Event, event_id)
        return (row.status, row.updated_at, row.published_at, db.session.scalar(
            db.select(db.func.count(Registration.id)).where(Registration.event_id == event_id)))


@pytest.mark.parametrize("role, status", [("anonymous", 404), ("member", 404), ("attendee", 404),
                                          ("organizer", 404), ("region_member", 200), ("speaker", 200),
                                          ("staff", 200), ("admin", 200)])
def test_the_ics_of_a_restricted_event(app, progworld, role, status):
    response = client_as(app, progworld, role).get(f"/events/{RESTRICTED}.ics")
    assert response.status_code == status
    if status == 404:
        assert "Innovation Lab missione 01" not in response.get_data(as_text=True)
    else:
        assert uids_of(response) == [f"event-{progworld.restricted_event.id}@127.0.0.1"]


def test_a_cancelled_event_keeps_its_file_with_the_status(app, progworld):
    with app.app_context():
        row = db.session.get(Event, progworld.public_event.id)
        row.status, row.cancel_reason, row.cancelled_at = "cancelled", "Sala non disponibile", utcnow()
        db.session.commit()
    entry = icalendar.Calendar.from_ical(app.test_client().get(f"/events/{PUBLIC}.ics").data).events[0]
    assert str(entry["STATUS"]) == "CANCELLED" and "Sala non disponibile" in str(entry["DESCRIPTION"])


@pytest.mark.parametrize("url", ["/events/nessuno.ics", "/events/.ics", "/events/a%00b.ics"])
def test_unknown_events_have_no_file(app, progworld, url):
    assert app.test_client().get(url).status_code == 404


# ---- the feeds -----------------------------------------------------------------------------------------------

def _feed_world(app, progworld) -> dict[str, int]:
    """Around the world's events: a held one of six months ago, one of thirteen months ago, a cancelled one ahead,
    all public and linked to the community; and the restricted event linked to it too."""
    with app.app_context():
        programme = db.session.get(Programme, progworld.programme.id)
        community = db.session.get(Community, progworld.community.id)
        rows = dict(
            held=make_event("Tavolo di sei mesi fa", programme=programme, communities=[community],
                            status="held", starts_in_days=-180),
            old=make_event("Tavolo di tredici mesi fa", programme=programme, communities=[community],
                           status="held", starts_in_days=-400),
            cancelled=make_event("Webinar annullato", programme=programme, communities=[community],
                                 status="cancelled", starts_in_days=5),
        )
        db.session.get(Event, progworld.restricted_event.id).communities = [community]
        db.session.get(Event, progworld.draft_event.id).communities = [community]
        db.session.commit()
        return {key: row.id for key, row in rows.items()}


@pytest.mark.parametrize("url", ["/events/communities/valore-pubblico.ics", "/events/programmes/ask-public-value.ics"])
@pytest.mark.parametrize("role", ["anonymous", "staff"])
def test_feeds_carry_public_events_only(app, progworld, url, role):
    ids = _feed_world(app, progworld)
    response = client_as(app, progworld, role).get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "public" in response.headers["Cache-Control"]
    expected = [f"event-{ids['held']}@127.0.0.1", f"event-{ids['cancelled']}@127.0.0.1",
                f"event-{progworld.public_event.id}@127.0.0.1"]
    assert uids_of(response) == expected  # no draft, no restricted event, nothing older than 12 months
    calendar = icalendar.Calendar.from_ical(response.data)
    assert [str(entry["STATUS"]) for entry in calendar.events] == ["CONFIRMED", "CANCELLED", "CONFIRMED"]
    assert str(calendar["X-WR-CALNAME"]).startswith("Eventi · ")
    assert MEETING not in response.get_data(as_text=True)
    assert calendar.get_missing_tzids() == set()


@pytest.mark.parametrize("role", ["anonymous", "member", "admin"])
def test_no_feed_for_a_private_community(app, progworld, role):
    with app.app_context():
        private = make_community("Tavolo riservato", "private", members=[db.session.get(User, progworld.member.id)])
        make_event("Incontro riservato", communities=[private])
        db.session.commit()
    response = client_as(app, progworld, role).get("/events/communities/tavolo-riservato.ics")
    assert response.status_code == 404 and "Incontro riservato" not in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/events/communities/nessuna.ics", "/events/programmes/nessuno.ics"])
def test_unknown_feeds(app, progworld, url):
    assert app.test_client().get(url).status_code == 404
