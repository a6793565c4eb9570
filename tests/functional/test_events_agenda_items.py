"""Agenda items with their speakers, and the event form's bad input (issue 15, part EVENTS): each mistake is told
at its field, the rest of the form is kept, nothing is saved — as a full page and as an htmx fragment."""
from __future__ import annotations

import re
from datetime import datetime

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AgendaItem, AgendaSpeaker, Event
from tests.conftest import post
from tests.functional.test_events_manage import EVENT

BAD = {
    "end_before_start": ({"ends_time": "09:00"}, "ends_time", "deve seguire il suo inizio"),
    "in_presence_without_place": ({"format": "in_person", "place": ""}, "place", "Indicate il luogo"),
    "online_without_link": ({"format": "online", "online_url": ""}, "online_url", "Indicate il collegamento"),
    "link_not_http": ({"format": "online", "online_url": "javascript:alert(1)"}, "online_url", "http://"),
    "reserved_over_total": ({"seats": "10", "reserve_region": "8", "reserve_municipality": "5"}, "seats",
                            "superano i posti"),
    "reserved_without_total": ({"seats": "", "reserve_region": "3"}, "seats", "posti in tutto"),
    "restricted_without_programme": ({"restricted": "y", "programme": ""}, "restricted", "riservato appartiene"),
    "unknown_practice": ({"practices": ["999999"]}, "practices", "non esiste o non è pubblicata"),
    "practice_not_a_number": ({"practices": ["abc"]}, "practices", "non esiste o non è pubblicata"),
    "bad_date": ({"starts_on": "31/02/2027"}, "starts_on", ""),
    "year_one": ({"starts_on": "0001-01-01"}, "starts_on", "tra il 2000 e il 2100"),
    "unknown_kind": ({"kind": "festa"}, "kind", "tipo di evento"),
    "too_long_title": ({"title": "x" * 500}, "title", "Al massimo"),
    "choice_with_one_item": ({"questions-1-choices": "Solo questa"}, "questions-1-choices", "almeno due voci"),
    "closing_after_end": ({"closes_on": "2027-04-10"}, "closes_on", "prima della fine"),
    "unknown_programme": ({"programme": "424242"}, "programme", "programma dall"),
}


def errors_in(response) -> list:
    return re.findall(r'-error">([^<]*)<', response.get_data(as_text=True))


def events_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Event.id)))


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_event_input_is_told_at_the_field(app, client, as_user, progworld, case, htmx):
    changes, field, message = BAD[case]
    as_user(progworld.staff)
    before = events_count(app)
    data = {**EVENT, "programme": str(progworld.programme.id), **changes}
    response = post(client, "/events/new", data, htmx=htmx)
    text = response.get_data(as_text=True)
    assert response.status_code == 422, text[:500]
    assert ("<html" in text) is (not htmx)
    assert f'id="{field}-error"' in text, text[:3000]
    assert message.replace("'", "&#39;") in text
    assert "Sala Formez, Roma" in text or changes.get("place") == ""  # the rest of the form is kept
    assert events_count(app) == before


def test_bad_input_on_edit_saves_nothing(app, client, as_user, progworld):
    as_user(progworld.staff)
    slug = progworld.public_event.slug
    data = {**EVENT, "programme": str(progworld.programme.id), "restricted": "y", "seats": "2",
            "reserve_region": "3", "title": "Titolo che non deve restare"}
    response = post(client, f"/events/{slug}/edit", data, htmx=True)
    assert response.status_code == 422
    with app.app_context():
        event = db.session.get(Event, progworld.public_event.id)
        assert event.title == "Tavolo di confronto sul valore pubblico" and event.seats == 2
        assert not event.restricted and not event.reservations


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_agenda_items_with_people_organisations_and_guests(app, client, as_user, progworld, htmx):
    as_user(progworld.organizer)
    slug = progworld.public_event.slug
    page = client.get(f"/events/{slug}/agenda")
    assert page.status_code == 200 and "Aggiungi un intervento" in page.get_data(as_text=True)
    with app.app_context():
        event = db.session.get(Event, progworld.public_event.id)
        event.starts_at, event.ends_at = datetime(2030, 5, 6, 8, 0), datetime(2030, 5, 6, 11, 0)
        db.session.commit()
    data = {"title": "Il cruscotto della Regione", "day": "", "at": "10:30",
            "speaker_emails": progworld.region_referent.email.upper(),
            "speaker_organizations": "regione piemonte", "speaker_names": "Prof. Gianni Esterno, Università"}
    response = post(client, f"/events/{slug}/agenda", data, htmx=htmx)
    assert response.status_code == (204 if htmx else 303), errors_in(response)
    with app.app_context():
        item = db.session.scalar(select(AgendaItem).where(AgendaItem.event_id == progworld.public_event.id))
        assert item.title == "Il cruscotto della Regione" and item.position == 1
        assert item.starts_at == datetime(2030, 5, 6, 8, 30)  # 10:30 in Rome, summer time
        speakers = db.session.scalars(select(AgendaSpeaker).where(AgendaSpeaker.item_id == item.id)
                                      .order_by(AgendaSpeaker.id)).all()
        assert [(s.user_id, s.organization_id, s.name) for s in speakers] == [
            (progworld.region_referent.id, None, ""), (None, progworld.region.id, ""),
            (None, None, "Prof. Gianni Esterno, Università")]
        item_id = item.id
    text = client.get(f"/events/{slug}").get_data(as_text=True)
    assert "Il cruscotto della Regione" in text and f"/users/{progworld.region_referent.id}" in text
    assert "Prof. Gianni Esterno" in text
    # An anonymous reader sees the speaker's name, never a link to a profile they may not open.
    post(client, "/auth/logout")
    text = client.get(f"/events/{slug}").get_data(as_text=True)
    assert "Renata Referente" in text and f"/users/{progworld.region_referent.id}" not in text
    as_user(progworld.organizer)
    response = post(client, f"/events/{slug}/agenda/{item_id}/remove", htmx=htmx)
    assert response.status_code == (204 if htmx else 303)
    with app.app_context():
        assert db.session.get(AgendaItem, item_id) is None
        assert db.session.scalar(select(func.count(AgendaSpeaker.id)).where(AgendaSpeaker.item_id == item_id)) == 0


AGENDA_BAD = {
    "no_title": ({"title": ""}, "title", "Scrivete il titolo"),
    "unknown_person": ({"speaker_emails": "nessuno@example.it"}, "speaker_emails", "nessuno@example.it"),
    "unknown_organisation": ({"speaker_organizations": "Ente inesistente"}, "speaker_organizations",
                             "Ente inesistente"),
    "outside_the_event": ({"day": "2031-01-01", "at": "10:00"}, "at", "durante l"),
    "bad_day": ({"day": "2031-13-01", "at": "10:00"}, "day", ""),
}


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("case", sorted(AGENDA_BAD))
def test_bad_agenda_input_saves_nothing(app, client, as_user, progworld, case, htmx):
    changes, field, message = AGENDA_BAD[case]
    as_user(progworld.staff)
    data = {"title": "Intervento", "speaker_names": "Ospite esterno", **changes}
    response = post(client, f"/events/{progworld.public_event.slug}/agenda", data, htmx=htmx)
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and f'id="{field}-error"' in text and message in text
    assert ("<html" in text) is (not htmx)
    assert "Ospite esterno" in text
    with app.app_context():
        assert db.session.scalar(select(func.count(AgendaItem.id)).where(
            AgendaItem.event_id == progworld.public_event.id)) == 0


def test_an_item_of_another_event_is_not_found(app, client, as_user, progworld):
    as_user(progworld.staff)
    with app.app_context():
        item = db.session.scalar(select(AgendaItem).where(AgendaItem.event_id == progworld.restricted_event.id))
        item_id = item.id
    response = post(client, f"/events/{progworld.public_event.slug}/agenda/{item_id}/remove")
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(AgendaItem, item_id) is not None


def test_times_are_read_in_rome_across_summer_time(app, client, as_user, progworld):
    as_user(progworld.staff)
    data = {**EVENT, "programme": str(progworld.programme.id), "starts_on": "2027-10-30",
            "ends_on": "2027-11-01", "closes_on": "", "closes_time": ""}
    response = post(client, "/events/new", data)
    assert response.status_code == 303, errors_in(response)
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.title == EVENT["title"]))
        assert event.starts_at == datetime(2027, 10, 30, 8, 0)  # summer time
        assert event.ends_at == datetime(2027, 11, 1, 12, 0)  # winter time
