"""The organisers' registrations page (issue 15): lists with organisations, kinds and answers, counts, attendance
ticked (full page and htmx) or recorded by check-in code, the CSV; who may see and do it; refusals change nothing."""
from __future__ import annotations

import csv
import html
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Event, Registration, User
from app.models.base import utcnow
from tests.conftest import count_queries, login, make_user, post
from tests.programme_world import make_registration, progworld  # noqa: F401


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def signed_in(app, person):
    client = app.test_client()
    assert login(client, person).status_code in (302, 303)
    return client


def starting_soon(app, event_ref, **values):
    """The event starts in an hour (attendance is recorded from the day of the event)."""
    with app.app_context():
        event = db.session.get(Event, event_ref.id)
        event.starts_at = utcnow() + timedelta(hours=1)
        event.ends_at = event.starts_at + timedelta(hours=3)
        for key, value in values.items():
            setattr(event, key, value)
        db.session.commit()


def registration(app, event_ref, person) -> Registration:
    with app.app_context():
        row = db.session.scalar(select(Registration).where(Registration.event_id == event_ref.id,
                                                           Registration.user_id == person.id))
        db.session.expunge(row)
        return row


def add_registration(app, event_ref, person, **fields) -> Registration:
    with app.app_context():
        row = make_registration(db.session.get(Event, event_ref.id), db.session.get(User, person.id), **fields)
        db.session.commit()
        db.session.refresh(row)
        db.session.expunge(row)
        return row


def lists_url(event_ref):
    return f"/events/{event_ref.slug}/registrations"


def mark_url(event_ref, registration_id):
    return f"/events/{event_ref.slug}/registrations/{registration_id}/attendance"


def test_the_page_for_organisers(app, progworld):
    w, event = progworld, progworld.public_event
    with app.app_context():
        db.session.get(Event, event.id).questionnaire = [{"key": "role", "label": "Il vostro ruolo", "kind": "text"}]
        db.session.commit()
    add_registration(app, event, w.region_member, status="waiting", answers={"role": "Dirigente"})
    for person in (w.organizer, w.staff, w.admin):
        client = signed_in(app, person)
        response = client.get(lists_url(event))
        assert response.status_code == 200
        body = page_text(response)
        assert "Irene Iscritta" in body and "Comune di Chieri" in body and "Comune" in body
        assert "Remo Regione" in body and "Regione Piemonte" in body and "Dirigente" in body
        assert 'data-count="registered">1<' in body and 'data-count="waiting">1<' in body
        assert "su 2 posti" in body
        fragment = client.get(lists_url(event), headers={"HX-Request": "true"})
        assert fragment.status_code == 200 and "<html" not in fragment.get_data(as_text=True)
        assert 'id="registrations-main"' in fragment.get_data(as_text=True)


def test_who_may_not_see_the_page(app, progworld, client):
    w = progworld
    for person in (w.member, w.attendee, w.region_referent):
        assert signed_in(app, person).get(lists_url(w.public_event)).status_code == 403
    assert signed_in(app, w.member).get(lists_url(w.restricted_event)).status_code == 404  # may not see it
    assert signed_in(app, w.member).get(lists_url(w.draft_event)).status_code == 404
    assert client.get(lists_url(w.public_event)).status_code == 302  # to sign in
    assert signed_in(app, w.organizer).get("/events/nothing-here/registrations").status_code == 404


def test_queries_do_not_grow_with_the_registrations(app, progworld):
    w, event = progworld, progworld.public_event
    organiser = signed_in(app, w.organizer)
    few = count_queries(app, organiser, lists_url(event))
    with app.app_context():
        from app.models import Organization

        for index in range(8):
            org = Organization(name=f"Comune {index}", slug=f"comune-{index}", kind="public_administration",
                               pa_kind="municipality", status="active")
            db.session.add(org)
            db.session.flush()
            person = make_user(f"persona{index}@example.it", org)
            make_registration(db.session.get(Event, event.id), person,
                              status="registered" if index % 2 else "waiting")
        db.session.commit()
    assert count_queries(app, organiser, lists_url(event)) <= few + 1


@pytest.mark.parametrize("htmx", [False, True])
def test_tick_and_untick_attendance(app, progworld, htmx):
    w, event = progworld, progworld.public_event
    starting_soon(app, event)
    organiser = signed_in(app, w.organizer)
    row = registration(app, event, w.attendee)
    response = post(organiser, mark_url(event, row.id), {"attended": ["0", "1"]}, htmx=htmx)
    if htmx:
        assert response.status_code == 200
        body = page_text(response)
        assert "Presenza registrata: Irene Iscritta." in body and "<html" not in body
        assert f'id="attended-{row.id}" checked' in body
    else:
        assert response.status_code == 303 and response.headers["Location"].endswith(lists_url(event))
    marked = registration(app, event, w.attendee)
    assert marked.attended and marked.attended_at is not None and marked.attendance_by_id == w.organizer.id
    post(organiser, mark_url(event, row.id), {"attended": ["0", "1"]}, htmx=htmx)  # the same mark again
    assert registration(app, event, w.attendee).attended_at == marked.attended_at
    response = post(organiser, mark_url(event, row.id), {"attended": "0"}, htmx=htmx)
    assert response.status_code in (200, 303)
    cleared = registration(app, event, w.attendee)
    assert not cleared.attended and cleared.attended_at is None and cleared.attendance_by_id is None
    post(organiser, mark_url(event, row.id), htmx=htmx)  # without a value: the mark flips
    assert registration(app, event, w.attendee).attended
    post(organiser, mark_url(event, row.id), {"attended": "n"}, htmx=htmx)
    assert not registration(app, event, w.attendee).attended
    post(organiser, mark_url(event, row.id), {"attended": "y"}, htmx=htmx)
    assert registration(app, event, w.attendee).attended


@pytest.mark.parametrize("htmx", [False, True])
def test_attendance_refusals_change_nothing(app, progworld, htmx):
    w, event = progworld, progworld.public_event  # ten days ahead
    organiser = signed_in(app, w.organizer)
    row = registration(app, event, w.attendee)
    response = post(organiser, mark_url(event, row.id), {"attended": "1"}, htmx=htmx, follow_redirects=not htmx)
    assert response.status_code == (422 if htmx else 200)
    assert "Le presenze si registrano dal giorno dell'evento." in page_text(response)
    assert not registration(app, event, w.attendee).attended
    starting_soon(app, event)
    waiting = add_registration(app, event, w.region_member, status="waiting")
    response = post(organiser, mark_url(event, waiting.id), {"attended": "1"}, htmx=htmx, follow_redirects=not htmx)
    assert "solo per chi è iscritto" in page_text(response)
    assert not registration(app, event, w.region_member).attended
    # a registration of another event, an unknown one: 404
    other = add_registration(app, progworld.restricted_event, w.region_referent)
    assert post(organiser, mark_url(event, other.id), {"attended": "1"}, htmx=htmx).status_code == 404
    assert post(organiser, mark_url(event, 999999), htmx=htmx).status_code == 404
    # not an organiser: 403, nothing changed
    assert post(signed_in(app, w.attendee), mark_url(event, row.id), {"attended": "1"},
                htmx=htmx).status_code == 403
    assert not registration(app, event, w.attendee).attended


def test_attendance_of_a_cancelled_event_is_refused(app, progworld):
    w, event = progworld, progworld.public_event
    starting_soon(app, event, status="cancelled", cancel_reason="Sciopero")
    row = registration(app, event, w.attendee)
    response = post(signed_in(app, w.organizer), mark_url(event, row.id), {"attended": "1"}, htmx=True)
    assert response.status_code == 422 and "solo per un evento pubblicato o svolto" in page_text(response)
    assert not registration(app, event, w.attendee).attended


@pytest.mark.parametrize("htmx", [False, True])
def test_check_in_by_code(app, progworld, htmx):
    w, event = progworld, progworld.public_event
    starting_soon(app, event)
    organiser = signed_in(app, w.organizer)
    row = registration(app, event, w.attendee)
    typed = f" {row.code[:4].lower()} {row.code[4:].lower()} "
    response = post(organiser, f"/events/{event.slug}/check-in", {"code": typed}, htmx=htmx)
    assert response.status_code == (200 if htmx else 303)
    if htmx:
        assert "Presenza registrata: Irene Iscritta (Comune di Chieri)." in page_text(response)
    marked = registration(app, event, w.attendee)
    assert marked.attended and marked.attendance_by_id == w.organizer.id
    response = post(organiser, f"/events/{event.slug}/check-in", {"code": row.code}, htmx=htmx,
                    follow_redirects=True)
    assert "era già registrata" in page_text(response)
    assert registration(app, event, w.attendee).attended_at == marked.attended_at


@pytest.mark.parametrize("code,message", [
    ("ABCDEF12", "Nessuna iscrizione a questo evento ha il codice «ABCDEF12»."),
    ("", "Scrivete il codice."),
    ("x" * 500, "Al massimo 16 caratteri."),
])
@pytest.mark.parametrize("htmx", [False, True])
def test_check_in_refusals(app, progworld, code, message, htmx):
    w, event = progworld, progworld.public_event
    starting_soon(app, event)
    other = add_registration(app, progworld.restricted_event, w.region_referent)
    organiser = signed_in(app, w.organizer)
    response = post(organiser, f"/events/{event.slug}/check-in", {"code": code}, htmx=htmx)
    assert response.status_code == 422
    body = page_text(response)
    assert 'id="code-error"' in body
    assert message in body
    # another event's code is unknown here
    response = post(organiser, f"/events/{event.slug}/check-in", {"code": other.code}, htmx=htmx)
    assert response.status_code == 422 and "Nessuna iscrizione a questo evento" in page_text(response)
    assert not registration(app, event, w.attendee).attended
    assert not registration(app, progworld.restricted_event, w.region_referent).attended
    assert post(signed_in(app, w.attendee), f"/events/{event.slug}/check-in",
                {"code": other.code}).status_code == 403


def test_csv(app, progworld):
    w, event = progworld, progworld.public_event
    with app.app_context():
        db.session.get(User, w.attendee.id).full_name = "=HYPERLINK(\"http://x.example\")"
        db.session.get(Event, event.id).questionnaire = [{"key": "role", "label": "Ruolo", "kind": "text"}]
        db.session.commit()
    add_registration(app, event, w.region_member, status="waiting", answers={"role": "+39 Dirigente"},
                     public_attendance=True)
    response = signed_in(app, w.organizer).get(f"/events/{event.slug}/registrations.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Stato", "Posizione in lista d'attesa", "Nome"] and rows[0][-1] == "Ruolo"
    assert rows[1][0] == "Iscritto" and rows[1][2].startswith("'=HYPERLINK")
    assert rows[1][4] == "Comune di Chieri" and rows[1][5] == "Comune"
    assert rows[2][:3] == ["In lista d'attesa", "1", "Remo Regione"] and rows[2][-1] == "'+39 Dirigente"
    assert rows[2][8] == "sì"
    assert signed_in(app, w.attendee).get(f"/events/{event.slug}/registrations.csv").status_code == 403
    assert signed_in(app, w.member).get(
        f"/events/{progworld.restricted_event.slug}/registrations.csv").status_code == 404
