"""Registering to events (issue 15): the seats fill, the next person waits with their position, a cancellation
promotes the oldest waiting person the seat fits (reserved seats kept for their kind) and tells them; refusals
(twice, cancelled, held, closed, restricted, terms, questionnaire) say why and save nothing. Full page and htmx."""
from __future__ import annotations

import html
import re

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Event, Notification, Registration, SeatReservation, User
from app.models.base import utcnow
from tests.conftest import login, post
from tests.programme_world import make_registration, progworld  # noqa: F401

pytestmark = pytest.mark.usefixtures("progworld")


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def signed_in(app, person):
    client = app.test_client()
    response = login(client, person)
    assert response.status_code in (302, 303)
    return client


def reg_of(app, event_ref, person):
    with app.app_context():
        row = db.session.scalar(select(Registration).where(Registration.event_id == event_ref.id,
                                                           Registration.user_id == person.id))
        if row is not None:
            db.session.expunge(row)
        return row


def registrations_count(app, event_ref) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Registration.id)).where(Registration.event_id == event_ref.id))


def notifications_of(app, person, verb):
    with app.app_context():
        return [(row.link, row.params) for row in db.session.scalars(select(Notification).where(
            Notification.user_id == person.id, Notification.verb == verb))]


def change_event(app, event_ref, **values):
    with app.app_context():
        event = db.session.get(Event, event_ref.id)
        reservations = values.pop("reservations", None)
        for key, value in values.items():
            setattr(event, key, value)
        for kind, seats in (reservations or {}).items():
            db.session.add(SeatReservation(event_id=event.id, pa_kind=kind, seats=seats))
        db.session.commit()


def register_url(event_ref):
    return f"/events/{event_ref.slug}/register"


def cancel_url(event_ref):
    return f"/events/{event_ref.slug}/registration/cancel"


@pytest.mark.parametrize("htmx", [False, True])
def test_fill_wait_cancel_promote(app, progworld, htmx):
    w, event = progworld, progworld.public_event  # 2 seats, the attendee holds one
    member = signed_in(app, w.member)
    page = member.get(register_url(event))
    assert page.status_code == 200
    assert "Resta 1 posto." in page_text(page)
    response = post(member, register_url(event), {"public_attendance": "y"}, htmx=htmx)
    if htmx:
        assert response.status_code == 204 and response.headers["HX-Redirect"] == f"/events/{event.slug}"
    else:
        assert response.status_code == 303 and response.headers["Location"].endswith(f"/events/{event.slug}")
    mine = reg_of(app, event, w.member)
    assert mine.status == "registered" and mine.public_attendance and mine.registered_at is not None
    assert len(mine.code) == 8 and int(mine.code, 16) >= 0
    shown = page_text(member.get(f"/events/{event.slug}"))
    assert mine.code in shown and "Iscrizione confermata" in shown

    second = signed_in(app, w.region_member)
    page = page_text(second.get(register_url(event)))
    assert "I posti sono esauriti" in page and "Mettiti in lista d'attesa" in page
    response = post(second, register_url(event), {}, htmx=htmx)
    assert response.status_code in (204, 303)
    waiting = reg_of(app, event, w.region_member)
    assert waiting.status == "waiting" and waiting.waiting_since is not None and waiting.registered_at is None
    shown = page_text(second.get(f"/events/{event.slug}"))
    assert "lista d'attesa, in posizione 1" in shown
    assert "Siete in posizione 1 della lista d'attesa." in shown
    assert waiting.code not in shown  # no check-in code while waiting

    response = post(member, cancel_url(event), htmx=htmx)
    assert response.status_code in (204, 303)
    assert reg_of(app, event, w.member).status == "cancelled"
    promoted = reg_of(app, event, w.region_member)
    assert promoted.status == "registered" and promoted.registered_at is not None and promoted.waiting_since is None
    told = notifications_of(app, w.region_member, "events.promoted")
    assert told == [(f"/events/{event.slug}", told[0][1])]
    assert told[0][1]["event"] == event.name
    assert notifications_of(app, w.member, "events.promoted") == []
    assert promoted.code in page_text(second.get(f"/events/{event.slug}"))


def test_second_place_on_the_waiting_list(app, progworld):
    w, event = progworld, progworld.public_event
    with app.app_context():
        make_registration(db.session.get(Event, event.id), db.session.get(User, w.member.id))
        db.session.commit()
    post(signed_in(app, w.region_member), register_url(event))
    third = signed_in(app, w.metro_referent)
    response = post(third, register_url(event), follow_redirects=True)
    assert "lista d'attesa, in posizione 2" in page_text(response)
    assert reg_of(app, event, w.metro_referent).status == "waiting"


def test_a_cancelled_person_registers_again_at_the_end_of_the_list(app, progworld):
    w, event = progworld, progworld.public_event
    change_event(app, event, seats=1)
    attendee = signed_in(app, w.attendee)
    post(signed_in(app, w.member), register_url(event))  # waiting 1
    assert post(attendee, cancel_url(event)).status_code == 303  # the member is promoted
    assert reg_of(app, event, w.member).status == "registered"
    before = reg_of(app, event, w.attendee)
    post(attendee, register_url(event))
    again = reg_of(app, event, w.attendee)
    assert again.id == before.id and again.status == "waiting" and again.cancelled_at is None
    assert again.code == before.code


def test_reserved_seats_are_kept_and_respected_by_promotion(app, progworld):
    w, event = progworld, progworld.public_event
    change_event(app, event, seats=2, reservations={"region": 1})  # 1 general seat: the attendee's
    post(signed_in(app, w.member), register_url(event))
    assert reg_of(app, event, w.member).status == "waiting"  # Comune: no general seat left
    metro = signed_in(app, w.metro_referent)
    post(metro, register_url(event))
    assert reg_of(app, event, w.metro_referent).status == "waiting"
    region = signed_in(app, w.region_member)
    page = page_text(region.get(register_url(event)))
    assert "Resta 1 posto." in page  # the region's reserved seat
    post(region, register_url(event))
    assert reg_of(app, event, w.region_member).status == "registered"

    post(region, cancel_url(event))  # the reserved seat frees: nobody waiting is a region
    assert reg_of(app, event, w.member).status == "waiting"
    assert reg_of(app, event, w.metro_referent).status == "waiting"
    post(signed_in(app, w.attendee), cancel_url(event))  # the general seat frees: the oldest waiting
    assert reg_of(app, event, w.member).status == "registered"
    assert reg_of(app, event, w.metro_referent).status == "waiting"
    assert notifications_of(app, w.metro_referent, "events.promoted") == []
    assert len(notifications_of(app, w.member, "events.promoted")) == 1


def test_waiting_person_leaves_the_list_without_promoting_anybody(app, progworld):
    w, event = progworld, progworld.public_event
    change_event(app, event, seats=1)
    post(signed_in(app, w.member), register_url(event))
    region = signed_in(app, w.region_member)
    post(region, register_url(event))
    assert post(signed_in(app, w.member), cancel_url(event)).status_code == 303
    assert reg_of(app, event, w.member).status == "cancelled"
    assert reg_of(app, event, w.region_member).status == "waiting"
    assert reg_of(app, event, w.attendee).status == "registered"


@pytest.mark.parametrize("htmx", [False, True])
def test_double_registration_is_refused(app, progworld, htmx):
    w, event = progworld, progworld.public_event
    attendee = signed_in(app, w.attendee)
    before = reg_of(app, event, w.attendee)
    response = post(attendee, register_url(event), {"public_attendance": "y"}, htmx=htmx)
    assert response.status_code == 422
    assert "Risultate già iscritti a questo evento." in page_text(response)
    after = reg_of(app, event, w.attendee)
    assert (after.status, after.public_attendance, after.updated_at) == ("registered", False, before.updated_at)
    assert registrations_count(app, event) == 1


@pytest.mark.parametrize("values,message", [
    (dict(status="cancelled", cancel_reason="Sala inagibile"), "L'evento è stato annullato"),
    (dict(status="held", report="Fatto."), "L'evento si è già svolto."),
    ("closed", "Le iscrizioni a questo evento sono chiuse."),
    (dict(registration_enabled=False), "non raccoglie iscrizioni"),
])
@pytest.mark.parametrize("htmx", [False, True])
def test_event_state_refusals_save_nothing(app, progworld, values, message, htmx):
    w, event = progworld, progworld.public_event
    if values == "closed":
        values = dict(registration_closes_at=utcnow() - timedelta(hours=1))
    change_event(app, event, **values)
    member = signed_in(app, w.member)
    page = member.get(register_url(event))
    assert page.status_code == 200 and message in page_text(page)
    assert 'id="registration-form"' not in page_text(page)
    response = post(member, register_url(event), htmx=htmx)
    assert response.status_code == 422 and message in page_text(response)
    assert reg_of(app, event, w.member) is None


def test_restricted_event(app, progworld):
    w, event = progworld, progworld.restricted_event
    outsider = signed_in(app, w.member)  # Comune di Chieri: not a participant of the programme
    assert outsider.get(register_url(event)).status_code == 404
    assert post(outsider, register_url(event)).status_code == 404
    assert post(outsider, register_url(event), htmx=True).status_code == 404
    assert reg_of(app, event, w.member) is None
    speaker = signed_in(app, w.speaker)  # sees the event, is not a participant
    response = post(speaker, register_url(event))
    assert response.status_code == 403
    assert "enti partecipanti al programma" in page_text(response)
    assert reg_of(app, event, w.speaker) is None
    participant = signed_in(app, w.region_member)
    assert participant.get(register_url(event)).status_code == 200
    assert post(participant, register_url(event)).status_code == 303
    assert reg_of(app, event, w.region_member).status == "registered"


def test_draft_event_and_anonymous(app, progworld, client):
    w = progworld
    assert signed_in(app, w.member).get(register_url(w.draft_event)).status_code == 404
    response = client.get(register_url(w.public_event))
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert client.post(register_url(w.public_event)).status_code in (302, 400)
    assert signed_in(app, w.member).get("/events/no-such-event/register").status_code == 404


def test_terms_must_be_accepted(app, progworld):
    w, event = progworld, progworld.public_event
    change_event(app, event, terms="Accetto la **registrazione video** dell'incontro.")
    member = signed_in(app, w.member)
    page = page_text(member.get(register_url(event)))
    assert "<strong>registrazione video</strong>" in page and 'name="accept_terms"' in page
    for htmx in (False, True):
        response = post(member, register_url(event), {"public_attendance": "y"}, htmx=htmx)
        assert response.status_code == 422
        body = page_text(response)
        assert "accettate le condizioni di partecipazione" in body
        kept = re.search(r"<input[^>]*id=\"public_attendance\"[^>]*>", body).group(0)
        assert "checked" in kept  # the rest of the form is kept
    assert reg_of(app, event, w.member) is None
    assert post(member, register_url(event), {"accept_terms": "y"}).status_code == 303
    assert reg_of(app, event, w.member).accepted_terms_at is not None


def test_questionnaire_answers(app, progworld):
    w, event = progworld, progworld.public_event
    change_event(app, event, questionnaire=[
        {"key": "role", "label": "Il vostro ruolo", "kind": "text", "required": True},
        {"key": "people", "label": "Quanti colleghi porterete", "kind": "number"},
        {"key": "lunch", "label": "Pranzo", "kind": "choice", "choices": ["Sì", "No"], "required": True},
        {"key": "diet", "label": "Esigenze alimentari", "kind": "textarea"},
        {"key": "stream", "label": "Seguirò online", "kind": "checkbox"},
    ])
    member = signed_in(app, w.member)
    page = page_text(member.get(register_url(event)))
    assert "Il vostro ruolo" in page and "Quanti colleghi porterete" in page
    response = post(member, register_url(event), {"q_1": "tre", "q_2": "Forse", "q_3": "x" * 5000}, htmx=True)
    assert response.status_code == 422
    body = page_text(response)
    assert "Rispondete a questa domanda" in body and "Scrivete un numero intero" in body
    assert "Scegliete una delle voci" in body and "Al massimo 2000 caratteri." in body
    assert reg_of(app, event, w.member) is None
    for typed in ("--5", "1e5", "٣", "99999999999", "-", "1.5"):
        response = post(member, register_url(event), {"q_0": "Ruolo", "q_1": typed, "q_2": "No"})
        assert response.status_code == 422 and "Scrivete un numero intero" in page_text(response)
    response = post(member, register_url(event), {"q_0": "Responsabile della transizione digitale", "q_1": "2",
                                                  "q_2": "No", "q_3": "Vegetariano", "q_4": "y"})
    assert response.status_code == 303
    assert reg_of(app, event, w.member).answers == {
        "role": "Responsabile della transizione digitale", "people": 2, "lunch": "No", "diet": "Vegetariano",
        "stream": True}


def test_cancelling_without_a_registration_or_after_the_event(app, progworld):
    w, event = progworld, progworld.public_event
    member = signed_in(app, w.member)
    response = post(member, cancel_url(event), follow_redirects=True)
    assert "Non risultate iscritti a questo evento." in page_text(response)
    change_event(app, event, status="held", report="Fatto.")
    attendee = signed_in(app, w.attendee)
    response = post(attendee, cancel_url(event), follow_redirects=True)
    assert "L'evento si è già svolto." in page_text(response)
    assert reg_of(app, event, w.attendee).status == "registered"


def test_dashboard_lists_my_upcoming_registrations(app, progworld):
    w = progworld
    attendee = signed_in(app, w.attendee)
    page = page_text(attendee.get("/dashboard"))
    assert "I miei prossimi eventi" in page and w.public_event.name in page
    assert "I miei prossimi eventi" not in page_text(signed_in(app, w.member).get("/dashboard"))


def test_the_registration_box_on_the_event_page(app, progworld, client):
    w, event = progworld, progworld.public_event
    anonymous = page_text(client.get(f"/events/{event.slug}"))
    assert "Accedete per iscrivervi" in anonymous and "Resta 1 posto." in anonymous
    assert "Iscrizioni e presenze" not in anonymous
    member = page_text(signed_in(app, w.member).get(f"/events/{event.slug}"))
    assert f'href="/events/{event.slug}/register"' in member and "Iscrizioni e presenze" not in member
    organiser = page_text(signed_in(app, w.organizer).get(f"/events/{event.slug}"))
    assert f'href="/events/{event.slug}/registrations"' in organiser
    speaker = page_text(signed_in(app, w.speaker).get(f"/events/{w.restricted_event.slug}"))
    assert "enti partecipanti al programma" in speaker
    change_event(app, event, status="cancelled", cancel_reason="Sala inagibile")
    member = page_text(signed_in(app, w.member).get(f"/events/{event.slug}"))
    assert "L'evento è stato annullato: non ci si può iscrivere." in member
    assert f'href="/events/{event.slug}/register"' not in member
