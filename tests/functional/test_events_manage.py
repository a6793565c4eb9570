"""Creating, editing, publishing, unpublishing and cancelling events (issue 15, part EVENTS): who may, what is
saved, who is told; and the event page (link to the registered only, private communities, presented practices)."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Activity, Event, EventOrganizer, Notification, SeatReservation
from tests.conftest import make_community, make_practice, post
from tests.programme_world import make_registration

EVENT = {"title": "Tavolo sulla misurazione", "summary": "Come si misura il valore pubblico",
         "description": "Un **tavolo** di confronto.", "kind": "round_table", "format": "hybrid",
         "place": "Sala Formez, Roma", "online_url": "https://meet.example.org/tavolo-2",
         "starts_on": "2027-03-29", "starts_time": "10:00", "ends_on": "", "ends_time": "13:00",
         "programme": "", "registration_enabled": "y", "seats": "30", "reserve_region": "10",
         "closes_on": "2027-03-28", "closes_time": "18:00", "terms": "Accetto le condizioni.",
         "questions-0-label": "Ente e ruolo", "questions-0-kind": "text", "questions-0-required": "y",
         "questions-1-label": "Pranzo", "questions-1-kind": "choice", "questions-1-choices": "Sì; No",
         "questions-2-label": "", "missions": ["01", "14"]}


def event_by_title(app, title):
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.title == title))
        if event is None:
            return None
        return dict(id=event.id, slug=event.slug, status=event.status, starts_at=event.starts_at,
                    ends_at=event.ends_at, closes=event.registration_closes_at, programme_id=event.programme_id,
                    restricted=event.restricted, missions=event.missions, seats=event.seats,
                    questionnaire=event.questionnaire, communities=[c.id for c in event.communities],
                    practices=[p.practice_id for p in event.practice_links],
                    reservations={r.pa_kind: r.seats for r in event.reservations},
                    organizers=sorted(o.user_id for o in event.organizers), place=event.place,
                    online_url=event.online_url, cancel_reason=event.cancel_reason)


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.mark.parametrize("htmx", [False, True])
def test_staff_creates_an_event_of_the_programme(app, client, as_user, progworld, htmx):
    as_user(progworld.staff)
    page = client.get(f"/events/new?programme={progworld.programme.slug}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f'<option selected value="{progworld.programme.id}">' in text
    data = {**EVENT, "programme": str(progworld.programme.id), "communities": [str(progworld.community.id)],
            "practices": [str(progworld.practice.id)], "organizers": progworld.organizer.email}
    response = post(client, "/events/new", data, htmx=htmx)
    assert response.status_code == (204 if htmx else 303), response.get_data(as_text=True)[:2000]
    saved = event_by_title(app, EVENT["title"])
    assert saved["status"] == "draft"
    # 10:00 in Rome on Monday 29 March 2027 (summer time) is 08:00 UTC.
    assert saved["starts_at"] == datetime(2027, 3, 29, 8, 0)
    assert saved["ends_at"] == datetime(2027, 3, 29, 11, 0)
    assert saved["closes"] == datetime(2027, 3, 28, 16, 0)
    assert saved["programme_id"] == progworld.programme.id
    assert saved["communities"] == [progworld.community.id] and saved["practices"] == [progworld.practice.id]
    assert saved["missions"] == ["01", "14"] and saved["seats"] == 30 and saved["reservations"] == {"region": 10}
    assert [q["label"] for q in saved["questionnaire"]] == ["Ente e ruolo", "Pranzo"]
    assert saved["questionnaire"][0]["required"] and saved["questionnaire"][1]["choices"] == ["Sì", "No"]
    assert saved["organizers"] == sorted([progworld.staff.id, progworld.organizer.id])


def test_who_may_open_the_new_event_form(app, client, as_user, progworld):
    assert client.get("/events/new").status_code == 302  # to sign in
    as_user(progworld.member)
    assert client.get("/events/new").status_code == 403
    assert client.get(f"/events/new?programme={progworld.programme.slug}").status_code == 403
    assert client.get("/events/new?programme=nessuno").status_code == 404
    post(client, "/auth/logout")
    as_user(progworld.organizer)  # a facilitator of the community
    assert client.get(f"/events/new?community={progworld.community.slug}").status_code == 200
    assert client.get(f"/events/new?programme={progworld.programme.slug}").status_code == 403
    assert client.get("/events/new?community=nessuna").status_code == 404
    # A facilitator may not put an event in a programme it does not manage, nor none at all.
    response = post(client, "/events/new", {**EVENT, "programme": str(progworld.programme.id)})
    assert response.status_code == 422
    response = post(client, "/events/new", EVENT)
    assert response.status_code == 422 and "comunità che animate" in response.get_data(as_text=True)
    assert event_by_title(app, EVENT["title"]) is None
    response = post(client, "/events/new", {**EVENT, "communities": [str(progworld.community.id)]})
    assert response.status_code == 303
    assert event_by_title(app, EVENT["title"])["organizers"] == [progworld.organizer.id]


def test_a_private_community_is_not_offered_to_outsiders(app, client, as_user, progworld):
    with app.app_context():
        private = make_community("Tavolo riservato delle regioni", "private")
        db.session.commit()
        private_id = private.id
    as_user(progworld.staff)
    text = client.get("/events/new").get_data(as_text=True)
    assert "Tavolo riservato delle regioni" not in text
    response = post(client, "/events/new", {**EVENT, "programme": str(progworld.programme.id),
                                            "communities": [str(private_id)]})
    assert response.status_code == 422 and event_by_title(app, EVENT["title"]) is None


@pytest.mark.parametrize("htmx", [False, True])
def test_edit_keeps_question_keys_and_replaces_reservations(app, client, as_user, progworld, htmx):
    as_user(progworld.organizer)
    slug = progworld.public_event.slug
    page = client.get(f"/events/{slug}/edit")
    assert page.status_code == 200 and "Tavolo di confronto sul valore pubblico" in page.get_data(as_text=True)
    data = {**EVENT, "title": "Tavolo rinnovato", "programme": str(progworld.programme.id),
            "communities": [str(progworld.community.id)], "reserve_region": "", "reserve_municipality": "5",
            "organizers": progworld.organizer.email}
    assert post(client, f"/events/{slug}/edit", data, htmx=htmx).status_code == (204 if htmx else 303)
    saved = event_by_title(app, "Tavolo rinnovato")
    assert saved["slug"] == slug and saved["reservations"] == {"municipality": 5}
    keys = [q["key"] for q in saved["questionnaire"]]
    data["questions-1-label"], data["questions-0-label"] = "Ente e ruolo", "Esigenze di accessibilità"
    assert post(client, f"/events/{slug}/edit", data).status_code == 303
    again = event_by_title(app, "Tavolo rinnovato")
    assert again["questionnaire"][1]["key"] == keys[0]  # the same label keeps its key
    # An organiser who is neither staff nor administrator may not leave the organisers' list.
    response = post(client, f"/events/{slug}/edit", {**data, "organizers": progworld.staff.email})
    assert response.status_code == 422 and "Restate nell" in response.get_data(as_text=True)
    assert event_by_title(app, "Tavolo rinnovato")["organizers"] == [progworld.organizer.id]


def test_unknown_organiser_email_is_refused(app, client, as_user, progworld):
    as_user(progworld.staff)
    response = post(client, "/events/new", {**EVENT, "programme": str(progworld.programme.id),
                                            "organizers": "nessuno@example.it"})
    assert response.status_code == 422 and "nessuno@example.it" in response.get_data(as_text=True)
    assert event_by_title(app, EVENT["title"]) is None


@pytest.mark.parametrize("htmx", [False, True])
def test_publishing_a_restricted_event_tells_the_participants_only(app, client, as_user, progworld, htmx):
    with app.app_context():
        event = db.session.get(Event, progworld.restricted_event.id)
        event.status = "draft"
        db.session.commit()
    as_user(progworld.staff)
    response = post(client, f"/events/{progworld.restricted_event.slug}/transition", {"action": "publish"},
                    htmx=htmx)
    assert response.status_code == (204 if htmx else 303)
    assert event_by_title(app, "Innovation Lab missione 01")["status"] == "published"
    told = count(app, Notification, Notification.verb == "events.published_to_participants")
    assert told == 2  # the region's referent and member
    assert count(app, Notification, Notification.verb == "events.published_to_participants",
                 Notification.user_id == progworld.member.id) == 0
    assert count(app, Activity, Activity.object_type == "event") == 0  # a restricted event leaves no record


def test_publishing_a_public_event_records_activity_per_community(app, client, as_user, progworld):
    with app.app_context():
        second = make_community("Seconda comunità", "open")
        event = db.session.get(Event, progworld.draft_event.id)
        event.communities = [db.session.get(type(second), progworld.community.id), second]
        db.session.commit()
    as_user(progworld.staff)
    assert post(client, f"/events/{progworld.draft_event.slug}/transition", {"action": "publish"}).status_code == 303
    assert count(app, Activity, Activity.verb == "event.published",
                 Activity.object_id == progworld.draft_event.id) == 2
    # Back to draft: allowed while nobody registered.
    assert post(client, f"/events/{progworld.draft_event.slug}/transition",
                {"action": "unpublish"}).status_code == 303
    assert event_by_title(app, "Plenaria in preparazione")["status"] == "draft"


@pytest.mark.parametrize("htmx", [False, True])
def test_unpublish_refused_with_registrations_and_cancel_needs_a_reason(app, client, as_user, progworld, htmx):
    as_user(progworld.organizer)
    url = f"/events/{progworld.public_event.slug}/transition"
    response = post(client, url, {"action": "unpublish"}, htmx=htmx)
    assert response.status_code == 422 and "annullatelo invece" in response.get_data(as_text=True)
    assert ("<html" in response.get_data(as_text=True)) is (not htmx)
    response = post(client, url, {"action": "cancel", "reason": "  "}, htmx=htmx)
    assert response.status_code == 422 and "motivo dell&#39;annullamento" in response.get_data(as_text=True)
    assert event_by_title(app, "Tavolo di confronto sul valore pubblico")["status"] == "published"
    with app.app_context():
        from app.models import User
        make_registration(db.session.get(Event, progworld.public_event.id), db.session.get(User, progworld.member.id),
                          status="waiting")
        db.session.commit()
    assert post(client, url, {"action": "cancel", "reason": "Sala non disponibile"}, htmx=htmx).status_code \
        == (204 if htmx else 303)
    saved = event_by_title(app, "Tavolo di confronto sul valore pubblico")
    assert saved["status"] == "cancelled" and saved["cancel_reason"] == "Sala non disponibile"
    told = {row for row in (progworld.attendee.id, progworld.member.id)
            if count(app, Notification, Notification.verb == "events.cancelled", Notification.user_id == row)}
    assert told == {progworld.attendee.id, progworld.member.id}
    page = client.get(f"/events/{progworld.public_event.slug}").get_data(as_text=True)
    assert "Sala non disponibile" in page
    assert post(client, url, {"action": "publish"}).status_code == 422
    assert post(client, url, {"action": "close"}).status_code == 400


def test_the_online_link_is_for_registered_people_and_organisers(app, client, as_user, progworld):
    url = f"/events/{progworld.public_event.slug}"
    link = "https://meet.example.org/tavolo"
    text = client.get(url).get_data(as_text=True)
    assert link not in text and "inviato agli iscritti" in text
    as_user(progworld.attendee)
    assert link in client.get(url).get_data(as_text=True)
    post(client, "/auth/logout")
    as_user(progworld.organizer)
    text = client.get(url).get_data(as_text=True)
    assert link in text and f"/events/{progworld.public_event.slug}/edit" in text


def test_the_page_shows_only_what_the_reader_may_see(app, client, as_user, progworld):
    with app.app_context():
        from app.models import Community, Organization, Practice
        private = make_community("Comunità segreta", "private")
        draft = make_practice("Pratica in bozza", db.session.get(Community, progworld.community.id),
                              db.session.get(Organization, progworld.region.id), status="draft", kit={})
        event = db.session.get(Event, progworld.public_event.id)
        event.communities = list(event.communities) + [private]
        from app.models import EventPractice
        db.session.add(EventPractice(event_id=event.id, practice_id=draft.id))
        event.missions = ["01"]
        db.session.commit()
        assert db.session.get(Practice, progworld.practice.id) is not None
    text = client.get(f"/events/{progworld.public_event.slug}").get_data(as_text=True)
    assert "Valore pubblico" in text and "Comunità segreta" not in text
    assert "Cruscotto del valore pubblico" in text and "Pratica in bozza" not in text
    assert "Servizi istituzionali" in text
    assert "Modifica" not in text  # no toolbar for a visitor


def test_event_card_macro_renders(app, progworld):
    with app.test_request_context("/"):
        from flask import render_template_string
        event = db.session.get(Event, progworld.public_event.id)
        html = render_template_string('{% from "events/_event_macros.html" import event_card %}{{ event_card(e) }}',
                                      e=event)
        assert "Tavolo di confronto sul valore pubblico" in html and f"/events/{event.slug}" in html


def test_organisers_and_reservations_rows(app, progworld):
    assert count(app, EventOrganizer, EventOrganizer.event_id == progworld.public_event.id) == 1
    assert count(app, SeatReservation) == 0


def test_the_event_page_issues_a_bounded_number_of_queries(app, client, as_user, progworld):
    from app.models import AgendaItem, AgendaSpeaker
    from tests.conftest import count_queries

    def add_items(number):
        with app.app_context():
            for position in range(number):
                item = AgendaItem(event_id=progworld.public_event.id, position=position, title=f"Intervento {position}")
                item.speakers = [AgendaSpeaker(user_id=progworld.speaker.id), AgendaSpeaker(name="Ospite"),
                                 AgendaSpeaker(organization_id=progworld.region.id)]
                db.session.add(item)
            db.session.commit()

    as_user(progworld.organizer)
    url = f"/events/{progworld.public_event.slug}"
    add_items(1)
    few = count_queries(app, client, url)
    add_items(6)
    assert count_queries(app, client, url) <= few + 2


def test_more_seats_promote_the_waiting_list(app, client, as_user, progworld):
    from app.models import Registration, User

    with app.app_context():
        event = db.session.get(Event, progworld.public_event.id)
        make_registration(event, db.session.get(User, progworld.member.id))
        waiting = make_registration(event, db.session.get(User, progworld.region_member.id), status="waiting")
        db.session.commit()
        waiting_id = waiting.id
    as_user(progworld.organizer)
    data = {**EVENT, "programme": str(progworld.programme.id), "communities": [str(progworld.community.id)],
            "seats": "3", "reserve_region": "", "closes_on": "", "closes_time": "", "starts_on": "2030-05-06",
            "organizers": progworld.organizer.email}
    response = post(client, f"/events/{progworld.public_event.slug}/edit", data)
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Registration, waiting_id).status == "registered"
    assert count(app, Notification, Notification.verb == "events.promoted",
                 Notification.user_id == progworld.region_member.id) == 1


def test_practices_are_offered_by_community(app, client, as_user, progworld):
    as_user(progworld.staff)
    text = client.get("/events/new").get_data(as_text=True)
    assert '<optgroup label="Valore pubblico">' in text and "Cruscotto del valore pubblico" in text
