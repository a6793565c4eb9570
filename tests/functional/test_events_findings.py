"""Findings of the adversarial review of the events area (issue 15): each test is a bug a user or an attacker
would have hit, kept so that it does not come back."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Event, Registration, User
from app.models.base import utcnow
from tests.conftest import login, post
from tests.programme_world import make_registration, progworld  # noqa: F401

pytestmark = pytest.mark.usefixtures("progworld")


def signed_in(app, person):
    client = app.test_client()
    assert login(client, person).status_code in (302, 303)
    return client


def change_event(app, event_ref, **values):
    with app.app_context():
        event = db.session.get(Event, event_ref.id)
        for key, value in values.items():
            setattr(event, key, value)
        db.session.commit()


def status_of(app, event_ref, person):
    with app.app_context():
        return db.session.scalar(select(Registration.status).where(Registration.event_id == event_ref.id,
                                                                   Registration.user_id == person.id))


# ---- a draft cancelled before it was ever published stays the organisers' ---------------------------------------

@pytest.mark.parametrize("htmx", [False, True])
def test_a_cancelled_draft_never_becomes_public(app, progworld, htmx):
    w = progworld
    staff = signed_in(app, w.staff)
    url = f"/events/{w.draft_event.slug}/transition"
    assert post(staff, url, {"action": "cancel", "reason": "Non si farà"}, htmx=htmx).status_code in (204, 303)
    with app.app_context():
        assert db.session.get(Event, w.draft_event.id).status == "cancelled"
    slug = w.draft_event.slug
    for reader in (app.test_client(), signed_in(app, w.member)):
        assert reader.get(f"/events/{slug}").status_code == 404
        assert reader.get(f"/events/{slug}.ics").status_code == 404
        assert "Plenaria in preparazione" not in reader.get("/events/").get_data(as_text=True)
        assert "Plenaria in preparazione" not in reader.get(
            f"/events/programmes/{w.programme.slug}.ics").get_data(as_text=True)
    assert staff.get(f"/events/{slug}").status_code == 200  # its organisers still see it


def test_an_unpublished_then_cancelled_event_stays_hidden(app, progworld):
    w = progworld
    event = w.restricted_event  # nobody registered: it may go back to draft
    change_event(app, event, restricted=False)
    staff = signed_in(app, w.staff)
    url = f"/events/{event.slug}/transition"
    assert post(staff, url, {"action": "unpublish"}).status_code == 303
    assert post(staff, url, {"action": "cancel", "reason": "Rinviato"}).status_code == 303
    assert app.test_client().get(f"/events/{event.slug}").status_code == 404


def test_a_published_then_cancelled_event_is_still_shown_as_cancelled(app, progworld):
    w = progworld
    staff = signed_in(app, w.staff)
    url = f"/events/{w.public_event.slug}/transition"
    assert post(staff, url, {"action": "cancel", "reason": "Sala non disponibile"}).status_code == 303
    page = app.test_client().get(f"/events/{w.public_event.slug}")
    assert page.status_code == 200 and "annullato" in page.get_data(as_text=True)


# ---- the waiting list keeps its turn while registrations stay open after the start ------------------------------

def test_a_seat_freed_after_the_start_goes_to_the_waiting_list_not_to_a_newcomer(app, progworld):
    w = progworld
    event = w.public_event  # 2 seats: the attendee and one more
    with app.app_context():
        row = db.session.get(Event, event.id)
        make_registration(row, db.session.get(User, w.region_member.id))
        make_registration(row, db.session.get(User, w.member.id), status="waiting")
        row.starts_at = utcnow() - timedelta(minutes=30)
        row.ends_at = utcnow() + timedelta(hours=3)
        row.registration_closes_at = utcnow() + timedelta(hours=2)
        db.session.commit()
    assert post(signed_in(app, w.attendee), f"/events/{event.slug}/registration/cancel").status_code == 303
    newcomer = signed_in(app, w.region_referent)
    assert post(newcomer, f"/events/{event.slug}/register", {"public_attendance": ""}).status_code == 303
    assert status_of(app, event, w.member) == "registered"
    assert status_of(app, event, w.region_referent) == "waiting"


# ---- odd ids answer 404, never 500 -------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/documents/99999999999999999999", "/documents/2147483648"])
def test_huge_document_ids_are_404(app, progworld, path):
    assert app.test_client().get(f"/events/{progworld.public_event.slug}{path}").status_code == 404


def test_huge_ids_in_organiser_posts_are_404(app, progworld):
    staff = signed_in(app, progworld.staff)
    slug = progworld.public_event.slug
    for path in ("/registrations/99999999999999999999/attendance", "/agenda/99999999999999999999/remove",
                 "/documents/9223372036854775808/remove"):
        assert post(staff, f"/events/{slug}{path}").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count(Registration.id))) == 1


# ---- a postponed event is reminded again the day before its new date ---------------------------------------------

EDIT = {"title": "Tavolo di confronto sul valore pubblico", "kind": "round_table", "format": "online",
        "online_url": "https://meet.example.org/tavolo", "starts_time": "10:00", "ends_time": "13:00",
        "registration_enabled": "y", "seats": "2"}


def edit_data(progworld, **values):
    return {**EDIT, "programme": str(progworld.programme.id), "communities": [str(progworld.community.id)],
            "organizers": progworld.organizer.email, **values}


def test_moving_the_event_asks_for_a_new_reminder(app, progworld):
    from app.events.events import to_rome

    w = progworld
    with app.app_context():
        registration = db.session.scalar(select(Registration).where(Registration.event_id == w.public_event.id))
        registration.reminded_at = utcnow()
        event = db.session.get(Event, w.public_event.id)
        event.starts_at = event.starts_at.replace(second=0)
        db.session.commit()
        day = to_rome(db.session.get(Event, w.public_event.id).starts_at).date()
    organizer = signed_in(app, w.organizer)
    url = f"/events/{w.public_event.slug}/edit"
    same = edit_data(w, starts_on=day.isoformat(), starts_time=to_rome_time(app, w), ends_time="23:59")
    assert post(organizer, url, same).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Registration.reminded_at).where(
            Registration.event_id == w.public_event.id)) is not None  # same start: reminded already
    later = edit_data(w, starts_on=(day + timedelta(days=7)).isoformat())
    assert post(organizer, url, later).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Registration.reminded_at).where(
            Registration.event_id == w.public_event.id)) is None


def to_rome_time(app, w) -> str:
    from app.events.events import to_rome

    with app.app_context():
        return to_rome(db.session.get(Event, w.public_event.id).starts_at).strftime("%H:%M")


# ---- odd input on the event form: a field error, never a 500 ------------------------------------------------------

@pytest.mark.parametrize("values", [
    {"starts_on": "2027-02-30"}, {"starts_on": "30/02/2027"}, {"starts_time": "25:61"}, {"starts_on": "9999-01-01"},
    {"seats": "abc"}, {"seats": "99999999999999999999"}, {"reserve_region": "-5"}, {"programme": "1e5"},
    {"programme": "99999999999999999999"}, {"communities": ["²"]}, {"practices": ["-1"]}, {"kind": "x" * 5000},
    {"title": "x" * 5000}, {"place": "y" * 5000, "format": "in_person"}, {"online_url": "javascript:alert(1)"},
    {"questions-0-label": "Domanda", "questions-0-kind": "choice", "questions-0-choices": "solo una"},
    {"questions-25-label": "Troppe"}, {"closes_on": "2099-01-01", "closes_time": "10:00"},
    {"organizers": "nessuno@example.org"}, {"missions": ["99"]}, {"starts_on": ""},
])
def test_odd_event_form_input_is_refused_at_a_field(app, progworld, values):
    w = progworld
    organizer = signed_in(app, w.organizer)
    data = edit_data(w, **{"starts_on": "2030-05-06", **values})
    response = post(organizer, f"/events/{w.public_event.slug}/edit", data)
    assert response.status_code in (303, 422), response.status_code
    if response.status_code == 422:
        with app.app_context():
            assert db.session.get(Event, w.public_event.id).title == EDIT["title"]


# ---- the organisers' lists do not issue a query per registration --------------------------------------------------

def test_registrations_page_and_csv_are_bounded_in_queries(app, progworld):
    from tests.conftest import count_queries, make_org, make_user

    w = progworld

    def add_people(number, start):
        with app.app_context():
            event = db.session.get(Event, w.public_event.id)
            event.seats = None
            for index in range(start, start + number):
                org = make_org(f"Comune numero {index}", ipa_code=f"c_n{index}")
                make_registration(event, make_user(f"persona{index}@comune.example.it", org))
            db.session.commit()

    organizer = signed_in(app, w.organizer)
    for url in (f"/events/{w.public_event.slug}/registrations", f"/events/{w.public_event.slug}/registrations.csv"):
        add_people(2, len(url) * 100)
        few = count_queries(app, organizer, url)
        add_people(12, len(url) * 100 + 50)
        assert count_queries(app, organizer, url) <= few + 2, url


def test_an_unpublished_event_leaves_no_activity_behind(app, progworld):
    from app.activity.services import community_feed
    from app.models import Activity, Community

    w = progworld
    with app.app_context():
        db.session.get(Event, w.draft_event.id).communities = [db.session.get(Community, w.community.id)]
        db.session.commit()
    staff = signed_in(app, w.staff)
    url = f"/events/{w.draft_event.slug}/transition"
    assert post(staff, url, {"action": "publish"}).status_code == 303
    assert post(staff, url, {"action": "unpublish"}).status_code == 303
    assert post(staff, url, {"action": "cancel", "reason": "Rinviato a data da destinarsi"}).status_code == 303
    with app.app_context():
        rows = db.session.scalars(community_feed(db.session.get(Community, w.community.id))).all()
        assert all(row.object_id != w.draft_event.id for row in rows if row.object_type == "event")
        assert db.session.scalar(select(func.count(Activity.id)).where(
            Activity.object_type == "event", Activity.object_id == w.draft_event.id)) == 0
    # published again: one record, not two
    with app.app_context():
        row = db.session.get(Event, w.draft_event.id)
        row.status = "draft"
        db.session.commit()
    assert post(staff, url, {"action": "publish"}).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count(Activity.id)).where(
            Activity.object_type == "event", Activity.object_id == w.draft_event.id)) == 1


def test_agenda_and_feeds_are_bounded_in_queries(app, progworld):
    from app.models import Community, Programme
    from tests.conftest import count_queries
    from tests.programme_world import make_event

    w = progworld

    def add_events(number, start):
        with app.app_context():
            programme = db.session.get(Programme, w.programme.id)
            community = db.session.get(Community, w.community.id)
            for index in range(start, start + number):
                make_event(f"Webinar numero {index}", programme=programme, communities=[community],
                           starts_in_days=2 + index % 5, kind="webinar")
            db.session.commit()

    reader = signed_in(app, w.region_member)
    for number, url in enumerate(("/events/", f"/events/programmes/{w.programme.slug}.ics",
                                  f"/events/communities/{w.community.slug}.ics", "/dashboard",
                                  f"/programmes/{w.programme.slug}")):
        add_events(1, number * 100)
        few = count_queries(app, reader, url)
        add_events(8, number * 100 + 10)
        assert count_queries(app, reader, url) <= few + 2, url


def test_an_event_called_new_is_reachable(app, progworld):
    w = progworld
    staff = signed_in(app, w.staff)
    data = {**EDIT, "title": "New", "programme": str(w.programme.id), "starts_on": "2030-05-06"}
    response = post(staff, "/events/new", data)
    assert response.status_code == 303
    page = staff.get(response.headers["Location"])
    assert page.status_code == 200 and "<h1>New</h1>" in page.get_data(as_text=True)


@pytest.mark.parametrize("query", ["?page=99999999999999999999", "?page=9223372036854775807", "?page=-3",
                                   "?page=abc", "?when=past&page=100000000000", "?kind=" + "x" * 3000,
                                   "?programme=%00&community=%00", "?mission=%25"])
def test_odd_agenda_parameters_never_fail(app, progworld, query):
    for htmx in (False, True):
        response = app.test_client().get(f"/events/{query}", headers={"HX-Request": "true"} if htmx else {})
        assert response.status_code in (200, 404), response.status_code


@pytest.mark.parametrize("path", ["/events/a%00b", "/events/a%00b.ics", "/events/a%00b/register",
                                  "/events/a%00b/close", "/events/a%00b/documents/1", "/events/a%00b/registrations",
                                  "/events/communities/a%00b.ics", "/events/programmes/a%00b.ics",
                                  "/events/new?programme=a%00b", "/events/new?community=a%00b"])
def test_a_nul_byte_in_a_slug_is_404(app, progworld, path):
    staff = signed_in(app, progworld.staff)
    assert staff.get(path).status_code in (404,), path


def test_staff_cannot_edit_themselves_out_of_an_event(app, progworld):
    w = progworld
    staff = signed_in(app, w.staff)
    data = {**edit_data(w, starts_on="2030-05-06"), "programme": ""}  # out of the programme they manage
    response = post(staff, f"/events/{w.draft_event.slug}/edit", data)
    assert response.status_code == 422
    assert "Restate nell" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Event, w.draft_event.id).programme_id == w.programme.id
    assert staff.get(f"/events/{w.draft_event.slug}").status_code == 200


def test_the_agenda_filter_does_not_hint_at_hidden_events(app, progworld):
    from tests.conftest import make_community

    w = progworld
    with app.app_context():
        hidden = make_community("Comunità delle sole bozze", "open")
        db.session.get(Event, w.draft_event.id).communities = [hidden]
        db.session.get(Event, w.restricted_event.id).communities = [hidden]
        db.session.commit()
    assert "Comunità delle sole bozze" not in app.test_client().get("/events/").get_data(as_text=True)
    assert "Comunità delle sole bozze" in signed_in(app, w.staff).get("/events/").get_data(as_text=True)


@pytest.mark.parametrize("htmx", [False, True])
def test_every_post_with_odd_fields_answers_without_a_500(app, progworld, htmx):
    w = progworld
    with app.app_context():
        registration_id = db.session.scalar(select(Registration.id))
    staff = signed_in(app, w.staff)
    odd = {"action": "x" * 3000, "reason": "r" * 6000, "code": "ç" * 40, "attended": ["1", "0", "2"],
           "title": "t" * 400, "day": "31/31/2031", "at": "99:99", "speaker_emails": "a@" * 100,
           "speaker_organizations": "Ente inesistente", "speaker_names": "n" * 300, "report": "",
           "recording_url": "ftp://x", "attendees_count": "1e9", "role": "nope", "accept_terms": "maybe",
           "public_attendance": "x"}
    for slug in (w.public_event.slug, w.restricted_event.slug, w.draft_event.slug):
        for path in ("/transition", "/agenda", "/agenda/1/remove", "/register", "/registration/cancel",
                     f"/registrations/{registration_id}/attendance", "/check-in", "/close", "/documents",
                     "/documents/1/remove", "/edit"):
            response = post(staff, f"/events/{slug}{path}", odd, htmx=htmx)
            assert response.status_code < 500, (slug, path, response.status_code)


def test_the_agenda_items_page_is_bounded_in_queries(app, progworld):
    from app.models import AgendaItem, AgendaSpeaker
    from tests.conftest import count_queries

    w = progworld

    def add_items(number, start):
        with app.app_context():
            for position in range(start, start + number):
                item = AgendaItem(event_id=w.public_event.id, position=position, title=f"Intervento {position}")
                item.speakers = [AgendaSpeaker(user_id=w.speaker.id), AgendaSpeaker(name="Ospite"),
                                 AgendaSpeaker(user_id=w.region_member.id),
                                 AgendaSpeaker(organization_id=w.region.id)]
                db.session.add(item)
            db.session.commit()

    organizer = signed_in(app, w.organizer)
    url = f"/events/{w.public_event.slug}/agenda"
    add_items(1, 1)
    few = count_queries(app, organizer, url)
    add_items(8, 10)
    assert count_queries(app, organizer, url) <= few + 2
