"""A community's activity feed shows its events' publication and closing only while the event is public: a record
about an event sent back to draft or made restricted disappears (issue 15)."""
from __future__ import annotations

import html

from app.extensions import db
from app.models import Activity, Event


def _feed(client, slug: str) -> str:
    return html.unescape(client.get(f"/communities/{slug}").get_data(as_text=True))


def _record(app, world, verb: str) -> None:
    with app.app_context():
        db.session.add(Activity(verb=verb, actor_id=world.organizer.id, community_id=world.community.id,
                                object_type="event", object_id=world.public_event.id,
                                object_label=world.public_event.name))
        db.session.commit()


def test_published_and_held_records_show_while_the_event_is_public(app, client, progworld):
    _record(app, progworld, "event.published")
    _record(app, progworld, "event.held")
    page = _feed(client, progworld.community.slug)
    assert "ha pubblicato l'evento «Tavolo di confronto sul valore pubblico»" in page
    assert "Si è svolto l'evento «Tavolo di confronto sul valore pubblico»" in page


def test_records_vanish_when_the_event_becomes_restricted_or_draft(app, client, progworld):
    _record(app, progworld, "event.published")
    with app.app_context():
        db.session.get(Event, progworld.public_event.id).restricted = True
        db.session.commit()
    assert "Tavolo di confronto sul valore pubblico" not in _feed(client, progworld.community.slug)
    with app.app_context():
        event = db.session.get(Event, progworld.public_event.id)
        event.restricted, event.status = False, "draft"
        db.session.commit()
    assert "Tavolo di confronto sul valore pubblico" not in _feed(client, progworld.community.slug)
