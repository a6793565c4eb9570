"""Registrations at the same moment (issue 15): three people for the last seat get one seat and two places on the
waiting list; a double click makes one row; a cancellation racing a registration never gives a seat twice. Real
threads, each with its own application context and connection, on SQLite and PostgreSQL."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from app.calls.core import CallsError
from app.events import registrations as services
from app.extensions import db
from app.models import Event, Registration, User
from tests.programme_world import progworld  # noqa: F401


def at_once(app, calls) -> list:
    """Run each call in its own thread and request context, all released together; returns results or errors."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(i):
        with app.test_request_context("/"):
            try:
                prepared = calls[i]()
                barrier.wait()
                results[i] = prepared()
            except Exception as error:  # reported to the test
                results[i] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def registering(event_id, user_id):
    def prepare():
        event, user = db.session.get(Event, event_id), db.session.get(User, user_id)
        return lambda: services.register(event, user).status
    return prepare


def cancelling(event_id, user_id):
    def prepare():
        event, user = db.session.get(Event, event_id), db.session.get(User, user_id)
        return lambda: [each.user_id for each in services.cancel(event, user)]
    return prepare


def statuses(app, event_id) -> dict[int, str]:
    with app.app_context():
        return dict(db.session.execute(select(Registration.user_id, Registration.status).where(
            Registration.event_id == event_id)).all())


def test_three_people_for_the_last_seat(app, progworld):
    w, event_id = progworld, progworld.public_event.id  # 2 seats, the attendee holds one
    people = (w.member, w.region_member, w.metro_referent)
    results = at_once(app, [registering(event_id, person.id) for person in people])
    assert sorted(results) == ["registered", "waiting", "waiting"], results
    found = statuses(app, event_id)
    assert sorted(found[person.id] for person in people) == ["registered", "waiting", "waiting"]


def test_a_double_click_makes_one_registration(app, progworld):
    w, event_id = progworld, progworld.public_event.id
    results = at_once(app, [registering(event_id, w.member.id), registering(event_id, w.member.id)])
    assert sorted(map(str, results)) == ["Risultate già iscritti a questo evento.", "registered"], results
    assert sum(isinstance(each, CallsError) for each in results) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count(Registration.id)).where(
            Registration.event_id == event_id, Registration.user_id == w.member.id)) == 1


def test_a_cancellation_racing_a_registration(app, progworld):
    w, event_id = progworld, progworld.public_event.id
    with app.app_context():
        services.register(db.session.get(Event, event_id), db.session.get(User, w.member.id))  # now full
        services.register(db.session.get(Event, event_id), db.session.get(User, w.region_member.id))  # waiting
    results = at_once(app, [cancelling(event_id, w.attendee.id), registering(event_id, w.metro_referent.id)])
    found = statuses(app, event_id)
    assert found[w.attendee.id] == "cancelled"
    # the freed seat went to the oldest waiting person, never to the newcomer as well
    assert found[w.region_member.id] == "registered" and found[w.metro_referent.id] == "waiting", results
    assert list(found.values()).count("registered") == 2
