"""Closing an event (issue 15, point 5): the report is required, only after the start, by the organisers; once
closed the event is held with its report, recording, count and materials, the registered people are told and
the linked communities' feeds say so (public events only)."""
from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Activity, Event, EventDocument, Notification, Registration
from app.models.base import utcnow
from tests.conftest import csrf_token, make_user, post
from tests.programme_world import make_registration

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "uploads"


def started(app, event_id, days_ago: int = 1) -> None:
    """Move the event's start into the past (the fixture's events are ahead)."""
    with app.app_context():
        event = db.session.get(Event, event_id)
        event.starts_at = utcnow().replace(microsecond=0) - timedelta(days=days_ago)
        event.ends_at = event.starts_at + timedelta(hours=3)
        db.session.commit()


def mark_attended(app, event_id, user_id) -> None:
    with app.app_context():
        registration = db.session.scalar(select(Registration).where(Registration.event_id == event_id,
                                                                    Registration.user_id == user_id))
        registration.attended, registration.attended_at = True, utcnow()
        db.session.commit()


def close_post(client, slug, data, files=None, htmx=False):
    payload = {"csrf_token": csrf_token(client, f"/events/{slug}/close"), **data}
    for name, items in (files or {}).items():
        payload[name] = [(io.BytesIO(content), filename) for filename, content in items]
    return client.post(f"/events/{slug}/close", data=payload, content_type="multipart/form-data",
                       headers={"HX-Request": "true"} if htmx else {})


def stored_files(app) -> list[Path]:
    return [p for p in Path(app.config["UPLOAD_FOLDER"]).rglob("*") if p.is_file()]


def snapshot(app, event_id):
    with app.app_context():
        event = db.session.get(Event, event_id)
        return (event.status, event.report, event.recording_url, event.attendees_count, event.closed_at,
                db.session.scalar(select(func.count(EventDocument.id))),
                db.session.scalar(select(func.count(Notification.id)).where(Notification.verb == "events.held")),
                db.session.scalar(select(func.count(Activity.id)).where(Activity.verb == "event.held")))


@pytest.mark.parametrize("htmx", [False, True])
def test_closing_without_a_report_is_refused_and_nothing_changes(app, client, progworld, as_user, htmx):
    event = progworld.public_event
    started(app, event.id)
    before = snapshot(app, event.id)
    as_user(progworld.organizer)
    response = close_post(client, event.slug, {"report": "   ", "recording_url": "https://video.example.org/1"},
                          files={"slides": [("slide.pdf", (FIXTURES / "sample.pdf").read_bytes())]}, htmx=htmx)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "senza resoconto l&#39;evento non si chiude" in body
    assert 'value="https://video.example.org/1"' in body  # the rest of the form kept
    assert ("<html" in body) is not htmx
    assert snapshot(app, event.id) == before
    assert stored_files(app) == []


@pytest.mark.parametrize("htmx", [False, True])
def test_closing_before_the_start_is_refused(app, client, progworld, as_user, htmx):
    event = progworld.public_event  # ten days ahead
    before = snapshot(app, event.id)
    as_user(progworld.organizer)
    page = client.get(f"/events/{event.slug}/close").get_data(as_text=True)
    assert "non è ancora cominciato" in page and 'id="close-form"' not in page
    response = close_post(client, event.slug, {"report": "Un resoconto"}, htmx=htmx)
    assert response.status_code == 422
    assert "non è ancora cominciato" in response.get_data(as_text=True)
    assert snapshot(app, event.id) == before


@pytest.mark.parametrize("htmx", [False, True])
def test_closing_makes_the_event_held_and_tells_the_registered(app, client, progworld, as_user, fetch, htmx):
    event = progworld.public_event
    with app.app_context():
        from app.models import Organization, User

        other = make_user("seconda@regione.example.it", db.session.get(Organization, progworld.region.id))
        make_registration(db.session.get(Event, event.id), other)
        absent = make_user("assente@regione.example.it", db.session.get(Organization, progworld.region.id))
        make_registration(db.session.get(Event, event.id), absent)
        waiting = make_user("attesa@regione.example.it", db.session.get(Organization, progworld.region.id))
        make_registration(db.session.get(Event, event.id), waiting, status="waiting")
        db.session.commit()
        other_id, absent_id, waiting_id = other.id, absent.id, waiting.id
        assert db.session.get(User, other_id) is not None
    started(app, event.id)
    mark_attended(app, event.id, progworld.attendee.id)
    mark_attended(app, event.id, other_id)
    as_user(progworld.organizer)
    page = client.get(f"/events/{event.slug}/close")
    assert page.status_code == 200
    assert 'name="attendees_count" type="text" value="2"' in page.get_data(as_text=True)  # the attended ones

    pdf = (FIXTURES / "sample.pdf").read_bytes()
    response = close_post(client, event.slug, {
        "report": "## Cosa è emerso\n\nTre enti hanno raccontato il loro cruscotto.",
        "recording_url": "https://video.example.org/tavolo", "attendees_count": "25"},
        files={"slides": [("presentazione.pdf", pdf)], "booklet": [("booklet.pdf", pdf)]}, htmx=htmx)
    if htmx:
        assert response.status_code == 204 and "event-outcome" in response.headers["HX-Redirect"]
    else:
        assert response.status_code == 303
    row = fetch(Event, event.id)
    assert (row.status, row.recording_url, row.attendees_count) == ("held", "https://video.example.org/tavolo", 25)
    assert row.report.startswith("## Cosa è emerso") and row.closed_at is not None
    assert row.closed_by_id == progworld.organizer.id
    with app.app_context():
        documents = db.session.scalars(select(EventDocument).order_by(EventDocument.id)).all()
        assert [(d.role, d.original_name, d.size) for d in documents] == [
            ("slides", "presentazione.pdf", len(pdf)), ("booklet", "booklet.pdf", len(pdf))]
        told = set(db.session.scalars(select(Notification.user_id).where(Notification.verb == "events.held")))
        # Everybody registered, present or not; never the waiting list nor the organiser.
        assert told == {progworld.attendee.id, other_id, absent_id}
        assert waiting_id not in told
        activity = db.session.scalars(select(Activity).where(Activity.verb == "event.held")).all()
        assert [(a.community_id, a.object_type, a.object_id) for a in activity] == [
            (progworld.community.id, "event", event.id)]
    # Once held, the closing page says so and offers no form.
    again = client.get(f"/events/{event.slug}/close").get_data(as_text=True)
    assert "evento è stato chiuso" in again and 'id="close-form"' not in again


def test_the_default_count_and_bad_values(app, client, progworld, as_user, fetch):
    event = progworld.public_event
    started(app, event.id)
    mark_attended(app, event.id, progworld.attendee.id)
    as_user(progworld.organizer)
    for data, message in (({"recording_url": "javascript:alert(1)"}, "http:// o https://"),
                          ({"attendees_count": "molti"}, "tra 0 e 100000"),
                          ({"attendees_count": "100001"}, "tra 0 e 100000"),
                          ({"recording_url": "https://x.example.org/" + "a" * 600}, "Al massimo 500")):
        response = close_post(client, event.slug, {"report": "Resoconto", **data})
        assert response.status_code == 422 and message in response.get_data(as_text=True), data
        assert fetch(Event, event.id).status == "published"
    assert close_post(client, event.slug, {"report": "Resoconto", "attendees_count": ""}).status_code == 303
    assert fetch(Event, event.id).attendees_count == 1


def test_who_may_close(app, client, progworld, as_user, fetch):
    started(app, progworld.public_event.id)
    started(app, progworld.restricted_event.id)
    with app.app_context():
        from app.models import Community

        restricted = db.session.get(Event, progworld.restricted_event.id)
        restricted.communities = [db.session.get(Community, progworld.community.id)]
        db.session.commit()
    slug = progworld.public_event.slug
    assert client.get(f"/events/{slug}/close").status_code == 302  # sign in first
    as_user(progworld.member)
    assert client.get(f"/events/{slug}/close").status_code == 403
    assert post(client, f"/events/{slug}/close", {"report": "Resoconto"}).status_code == 403
    assert client.get(f"/events/{progworld.restricted_event.slug}/close").status_code == 404
    assert client.get(f"/events/{progworld.draft_event.slug}/close").status_code == 404
    assert client.get("/events/nessuno/close").status_code == 404
    assert fetch(Event, progworld.public_event.id).status == "published"
    # The programme's staff close a restricted event: nobody outside hears of it in a community feed.
    client.get("/auth/logout")
    other = app.test_client()
    from tests.conftest import login

    login(other, progworld.staff)
    assert close_post(other, progworld.restricted_event.slug, {"report": "Resoconto"}).status_code == 303
    assert fetch(Event, progworld.restricted_event.id).status == "held"
    with app.app_context():
        assert db.session.scalar(select(func.count(Activity.id)).where(Activity.verb == "event.held")) == 0


def test_every_mistake_is_told_at_once(app, client, progworld, as_user, fetch):
    event = progworld.public_event
    started(app, event.id)
    as_user(progworld.organizer)
    response = close_post(client, event.slug, {"report": "", "recording_url": "ftp://video.example.org/1",
                                               "attendees_count": "-3"},
                          files={"booklet": [("booklet.pdf", b"MZ\x90\x00")]}, htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "senza resoconto" in body and "http:// o https://" in body and "tra 0 e 100000" in body
    assert fetch(Event, event.id).status == "published" and stored_files(app) == []
