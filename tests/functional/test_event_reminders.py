"""The reminder the day before (`flask events send-reminders`): registered people of published events starting
tomorrow in Europe/Rome, once each; not the waiting, the cancelled, other days' or cancelled events."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from app.events.reminders import send_due_reminders, tomorrow_window
from app.extensions import db
from app.models import Event, Notification, Registration, User
from tests.programme_world import make_event, make_registration, progworld  # noqa: F401


def test_tomorrow_is_the_day_in_rome_across_summer_time():
    # Saturday 27 March 2027: tomorrow is the 23-hour day of the change to summer time
    assert tomorrow_window(datetime(2027, 3, 27, 12, 0)) == (datetime(2027, 3, 27, 23, 0),
                                                             datetime(2027, 3, 28, 22, 0))
    # Saturday 30 October 2027: tomorrow is the 25-hour day back to winter time
    assert tomorrow_window(datetime(2027, 10, 30, 12, 0)) == (datetime(2027, 10, 30, 22, 0),
                                                              datetime(2027, 10, 31, 23, 0))
    # 23:30 UTC on 10 January is already the 11th in Rome: tomorrow is the 12th
    assert tomorrow_window(datetime(2027, 1, 10, 23, 30)) == (datetime(2027, 1, 11, 23, 0),
                                                              datetime(2027, 1, 12, 23, 0))


def reminders_of(user_id: int) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user_id,
                                                              Notification.verb == "events.reminder")))


def build(app, progworld):
    """Tomorrow's public event with the attendee registered, the member waiting, the region's person cancelled."""
    with app.app_context():
        start, end = tomorrow_window()
        event = db.session.get(Event, progworld.public_event.id)
        event.starts_at, event.ends_at = start + timedelta(hours=10), start + timedelta(hours=13)
        make_registration(event, db.session.get(User, progworld.member.id), status="waiting")
        make_registration(event, db.session.get(User, progworld.region_member.id), status="cancelled")
        late = make_event("Tavolo serale di domani", starts_in_days=0)
        late.starts_at = end - timedelta(minutes=30)  # 23:30 in Rome, still tomorrow
        make_registration(late, db.session.get(User, progworld.region_referent.id))
        after = make_event("Tavolo di dopodomani", starts_in_days=0)
        after.starts_at = end + timedelta(minutes=30)
        make_registration(after, db.session.get(User, progworld.metro_referent.id))
        cancelled = make_event("Tavolo annullato di domani", status="cancelled", starts_in_days=0)
        cancelled.starts_at = start + timedelta(hours=9)
        make_registration(cancelled, db.session.get(User, progworld.staff.id))
        db.session.commit()
        return late.id


def test_reminds_once_each_registered_person(app, progworld):
    w = progworld
    late_id = build(app, progworld)
    with app.app_context():
        assert send_due_reminders() == 2
        told = reminders_of(w.attendee.id)
        assert len(told) == 1 and told[0].link == f"/events/{w.public_event.slug}"
        assert told[0].params["event"] == w.public_event.name
        assert len(reminders_of(w.region_referent.id)) == 1  # the late evening event, still tomorrow
        for person in (w.member, w.region_member, w.metro_referent, w.staff):
            assert reminders_of(person.id) == []
        reminded = db.session.scalars(select(Registration).where(Registration.reminded_at.is_not(None))).all()
        assert {(each.event_id, each.user_id) for each in reminded} == {
            (w.public_event.id, w.attendee.id), (late_id, w.region_referent.id)}
        assert send_due_reminders() == 0  # once each
        assert len(reminders_of(w.attendee.id)) == 1


def test_the_cli_command(app, progworld):
    build(app, progworld)
    result = app.test_cli_runner().invoke(args=["events", "send-reminders"])
    assert result.exit_code == 0, result.output
    assert "2 reminders sent." in result.output
    again = app.test_cli_runner().invoke(args=["events", "send-reminders"])
    assert "0 reminders sent." in again.output
    with app.app_context():
        assert len(reminders_of(progworld.attendee.id)) == 1


def test_a_person_promoted_after_the_reminders_is_reminded_next_run(app, progworld):
    w = progworld
    build(app, progworld)
    with app.app_context():
        assert send_due_reminders() == 2
        waiting = db.session.scalar(select(Registration).where(Registration.user_id == w.member.id))
        waiting.status = "registered"
        db.session.commit()
        assert send_due_reminders() == 1
        assert len(reminders_of(w.member.id)) == 1
