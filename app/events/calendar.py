"""iCalendar files of events (issue 15): one per event, and the subscribable feeds of a community and of a
programme. Built with the `icalendar` library; times carry their zone (TZID=Europe/Rome, with its VTIMEZONE), the
event's page is in URL and in DESCRIPTION (Decidim #11994: entries without a link back to the meeting).

The online link of an event goes only into the personal file of someone the event's page shows it to (see
routes_calendar.py); a feed, read by calendar clients on behalf of anybody, says "Online" and gives the page.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from flask import current_app
from flask_babel import gettext as _

from app.events.workflow import EventStatus
from app.models import Event
from app.models.event import EventFormat
from app.web import external_url

ROME = ZoneInfo("Europe/Rome")
PRODID = "-//OpenCommunity PA//Eventi//IT"
SEQUENCE_MAX = 2**31 - 1  # SEQUENCE is an INTEGER (RFC 5545 §3.3.8)


def as_rome(moment: datetime) -> datetime:
    """A stored moment (naive UTC) as a Europe/Rome time with its zone."""
    return moment.replace(tzinfo=timezone.utc).astimezone(ROME)


def as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc)


def host() -> str:
    """The host of BASE_URL: UIDs must not change with the Host header a request happens to carry."""
    return urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"


def event_uid(event: Event) -> str:
    return f"event-{event.id}@{host()}"


def last_change(event: Event) -> datetime:
    """When the event last changed, as far as a calendar is concerned (an edit, publication, cancellation,
    closing)."""
    moments = [event.created_at, event.updated_at, event.published_at, event.cancelled_at, event.closed_at]
    return max(moment for moment in moments if moment is not None)


def sequence(event: Event) -> int:
    """Seconds from creation to the last change: grows with every change, as calendar clients expect."""
    seconds = int((last_change(event) - event.created_at).total_seconds()) if event.created_at else 0
    return max(0, min(seconds, SEQUENCE_MAX))


def page_url(event: Event) -> str:
    return external_url("events.show", slug=event.slug)


def location(event: Event, with_link: bool) -> str:
    """The place in presence; for online, the link when the file is personal, else "Online" and the page."""
    parts = []
    if event.format in (EventFormat.IN_PERSON, EventFormat.HYBRID) and event.place:
        parts.append(event.place)
    if event.format in (EventFormat.ONLINE, EventFormat.HYBRID):
        if with_link and event.online_url:
            parts.append(_("Online: %(url)s", url=event.online_url))
        else:
            parts.append(_("Online: il collegamento è nella pagina dell'evento %(url)s", url=page_url(event)))
    return " · ".join(parts)


def description(event: Event, with_link: bool) -> str:
    """The summary, the cancellation if any, the online link (personal files only) and the event's page."""
    lines = []
    if event.status == EventStatus.CANCELLED:
        lines.append(_("Evento annullato.") + (" " + _("Motivo: %(reason)s", reason=event.cancel_reason)
                                                if event.cancel_reason else ""))
    if event.summary:
        lines.append(event.summary)
    if with_link and event.online_url and event.format != EventFormat.IN_PERSON:
        lines.append(_("Collegamento per seguire l'evento: %(url)s", url=event.online_url))
    lines.append(_("Pagina dell'evento: %(url)s", url=page_url(event)))
    return "\n\n".join(lines)


def vevent(event: Event, with_link: bool = False) -> icalendar.Event:
    """The VEVENT of one event (not a draft: callers never pass one)."""
    changed = as_utc(last_change(event))
    return icalendar.Event.new(
        uid=event_uid(event), stamp=changed, last_modified=changed, sequence=sequence(event),
        start=as_rome(event.starts_at), end=as_rome(event.ends_at), summary=event.title,
        description=description(event, with_link), url=page_url(event),
        location=location(event, with_link) or None,
        status="CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")


def calendar(name: str, events: Iterable[Event], uid: str, with_link: bool = False) -> bytes:
    """A VCALENDAR with the events and the VTIMEZONE of Europe/Rome over the span they cover."""
    events = list(events)
    cal = icalendar.Calendar.new(prodid=PRODID, name=name, uid=uid)
    cal.add("X-WR-TIMEZONE", "Europe/Rome")
    for event in events:
        cal.add_component(vevent(event, with_link))
    if events:
        # The zone's rules only over the years the events cover: a full 1970–2038 table weighs ~5 KB per file.
        first = min(event.starts_at for event in events).date() - timedelta(days=366)
        last = max(event.ends_at for event in events).date() + timedelta(days=366)
        cal.add_missing_timezones(first_date=date(first.year, 1, 1), last_date=date(last.year, 12, 31))
    return cal.to_ical()


def event_calendar(event: Event, with_link: bool) -> bytes:
    """The .ics file of one event."""
    return calendar(event.title, [event], uid=f"calendar-{event_uid(event)}", with_link=with_link)


def feed_calendar(kind: str, slug: str, name: str, events: Iterable[Event]) -> bytes:
    """The feed of a community or a programme (kind "community" or "programme"): never an online link."""
    return calendar(name, events, uid=f"{kind}-{slug}@{host()}", with_link=False)
