"""What closing an event adds to pages (app/hooks.py slots): the event page's outcome box (report, recording,
materials, attendance figures, follow-up, the organisers' links) and, on a practice's page, the events it was
presented at (only events the reader may see)."""
from __future__ import annotations

from flask import get_template_attribute
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import case, select
from sqlalchemy.orm import selectinload

from app.events import access
from app.events import closing as services
from app.events.workflow import EventStatus
from app.extensions import db
from app.hooks import contribute
from app.models import Event, EventPractice
from app.models.event import EventKind
from app.web import local_date

# One whole sentence per kind (the article changes with the noun: "al tavolo", "all'Innovation Lab", "alla plenaria").
PRESENTED_AT = {
    EventKind.ROUND_TABLE: _l("Presentata al tavolo di confronto del %(date)s:"),
    EventKind.INNOVATION_LAB: _l("Presentata all'Innovation Lab del %(date)s:"),
    EventKind.WORKSHOP: _l("Presentata all'incontro laboratoriale del %(date)s:"),
    EventKind.WEBINAR: _l("Presentata al webinar del %(date)s:"),
    EventKind.PLENARY: _l("Presentata alla plenaria del %(date)s:"),
}
DISCUSSED_AT = {
    EventKind.ROUND_TABLE: _l("Discussa al tavolo di confronto del %(date)s:"),
    EventKind.INNOVATION_LAB: _l("Discussa all'Innovation Lab del %(date)s:"),
    EventKind.WORKSHOP: _l("Discussa all'incontro laboratoriale del %(date)s:"),
    EventKind.WEBINAR: _l("Discussa al webinar del %(date)s:"),
    EventKind.PLENARY: _l("Discussa alla plenaria del %(date)s:"),
}


@contribute("event.outcome")
def outcome_box(event, **_context):
    if not access.can_view_event(current_user, event):
        return None
    organizer = access.is_organizer(current_user, event)
    held = event.status == EventStatus.HELD
    documents = list(event.documents)
    if not (held or documents or organizer):
        return None
    figures = services.attendance(event) if held else None
    adoptions = services.follow_up(event, current_user) if held else []
    return Markup(get_template_attribute("events/_outcome.html", "outcome_box")(
        event, documents, figures, adoptions, organizer=organizer,
        can_close=organizer and services.closable(event) is None))


@contribute("practice.events")
def practice_events(practice, **_context):
    links = db.session.scalars(
        select(EventPractice).join(Event, Event.id == EventPractice.event_id)
        .where(EventPractice.practice_id == practice.id, access.visible_events_clause(current_user),
               Event.status.in_((EventStatus.PUBLISHED, EventStatus.HELD)))
        .options(selectinload(EventPractice.event).selectinload(Event.documents))
        .order_by(case((Event.status == EventStatus.HELD, 0), else_=1), Event.starts_at.desc())).all()
    if not links:
        return None
    lines = []
    for link in links:
        sentence = (PRESENTED_AT if link.presented else DISCUSSED_AT).get(link.event.kind,
                                                                        PRESENTED_AT[EventKind.ROUND_TABLE])
        lines.append((str(sentence) % {"date": local_date(link.event.starts_at, "long")}, link.event))
    return Markup(get_template_attribute("events/_outcome.html", "practice_events")(practice, lines))
