"""The iCalendar files of events (issue 15, point 6): they parse with the `icalendar` library, carry their times
in Europe/Rome with the zone (right across the changes to and from summer time), the event's page in URL and
DESCRIPTION, the status (a cancellation reaches the calendars), a SEQUENCE that grows with changes, and the online
link only when asked for (a personal file)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import icalendar
import pytest

from app.events.calendar import event_calendar, feed_calendar, sequence
from app.models import Event

BASE_URL = "https://comunita.example.gov.it"
UTC = timezone.utc


@pytest.fixture(scope="module")
def ics_app():
    from app import create_app
    from config import TestConfig

    return create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://", BASE_URL=BASE_URL)


def rome(year, month, day, hour, minute=0) -> datetime:
    """A Europe/Rome wall-clock time as the naive UTC the database stores."""
    from zoneinfo import ZoneInfo

    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Europe/Rome")).astimezone(UTC).replace(
        tzinfo=None)


def event(starts_at: datetime, hours: float = 2, **fields) -> Event:
    values = dict(id=7, slug="tavolo-di-confronto", title="Tavolo di confronto", summary="Le pratiche riconosciute.",
                  kind="round_table", format="in_person", place="Sala Auditorium, Via Roma 1, Torino",
                  online_url="", status="published", restricted=False, cancel_reason="",
                  created_at=datetime(2027, 1, 10, 9), updated_at=datetime(2027, 1, 10, 9),
                  published_at=datetime(2027, 1, 10, 9), cancelled_at=None, closed_at=None)
    values.update(fields)
    return Event(starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours), **values)


def parsed(ics_app, rows, with_link=False) -> icalendar.Calendar:
    with ics_app.test_request_context():
        body = (event_calendar(rows[0], with_link=with_link) if len(rows) == 1
                else feed_calendar("community", "valore-pubblico", "Eventi · Valore pubblico", rows))
    return icalendar.Calendar.from_ical(body)


def utc_of(value) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None)


@pytest.mark.parametrize("local, expected_utc", [
    (datetime(2027, 3, 27, 10), datetime(2027, 3, 27, 9)),   # Saturday before the change to summer time: +01:00
    (datetime(2027, 3, 29, 10), datetime(2027, 3, 29, 8)),   # Monday after it: +02:00
    (datetime(2027, 10, 30, 10), datetime(2027, 10, 30, 8)),  # Saturday before the return to standard time
    (datetime(2027, 11, 1, 10), datetime(2027, 11, 1, 9)),   # Monday after it
])
def test_times_across_the_changes_of_summer_time(ics_app, local, expected_utc):
    stored = rome(local.year, local.month, local.day, local.hour)
    assert stored == expected_utc
    entry = parsed(ics_app, [event(stored)]).events[0]
    start = entry.get("DTSTART")
    assert start.params["TZID"] == "Europe/Rome"
    assert entry.start.replace(tzinfo=None) == local  # the wall-clock time in Rome, as written in the file
    assert utc_of(entry.start) == expected_utc
    assert utc_of(entry.end) == expected_utc + timedelta(hours=2)


def test_an_event_spanning_the_change_keeps_its_real_duration(ics_app):
    # From Saturday 27 March 2027 at 22:00 to Sunday 28 at 10:00 in Rome: 11 hours, not 12 (the clocks jump).
    starts = rome(2027, 3, 27, 22)
    row = event(starts, hours=11)
    assert row.ends_at == rome(2027, 3, 28, 10)
    entry = parsed(ics_app, [row]).events[0]
    assert entry.start.replace(tzinfo=None) == datetime(2027, 3, 27, 22)
    assert entry.end.replace(tzinfo=None) == datetime(2027, 3, 28, 10)
    assert utc_of(entry.end) - utc_of(entry.start) == timedelta(hours=11)
    assert entry.start.utcoffset() == timedelta(hours=1) and entry.end.utcoffset() == timedelta(hours=2)


def test_the_file_carries_the_zone_the_entries_name(ics_app):
    calendar = parsed(ics_app, [event(rome(2027, 3, 29, 10))])
    assert [zone.tz_name for zone in calendar.timezones] == ["Europe/Rome"]
    assert calendar.get_missing_tzids() == set()
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Rome"
    assert str(calendar["VERSION"]) == "2.0" and "OpenCommunity PA" in str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]) == "Tavolo di confronto"


def test_entry_fields(ics_app):
    entry = parsed(ics_app, [event(rome(2027, 5, 12, 9, 30))]).events[0]
    page = f"{BASE_URL}/events/tavolo-di-confronto"
    assert str(entry["UID"]) == "event-7@comunita.example.gov.it"
    assert str(entry["SUMMARY"]) == "Tavolo di confronto"
    assert str(entry["URL"]) == page
    assert page in str(entry["DESCRIPTION"]) and "Le pratiche riconosciute." in str(entry["DESCRIPTION"])
    assert str(entry["LOCATION"]) == "Sala Auditorium, Via Roma 1, Torino"
    assert str(entry["STATUS"]) == "CONFIRMED"
    assert entry["DTSTAMP"].dt == datetime(2027, 1, 10, 9, tzinfo=UTC)
    assert entry.last_modified == datetime(2027, 1, 10, 9, tzinfo=UTC)


def test_a_cancelled_event_says_so(ics_app):
    row = event(rome(2027, 5, 12, 9), status="cancelled", cancel_reason="Sala non disponibile",
                cancelled_at=datetime(2027, 4, 1, 8))
    entry = parsed(ics_app, [row]).events[0]
    assert str(entry["STATUS"]) == "CANCELLED"
    assert "Sala non disponibile" in str(entry["DESCRIPTION"])
    assert entry.last_modified == datetime(2027, 4, 1, 8, tzinfo=UTC)


def test_sequence_grows_with_every_change():
    row = event(rome(2027, 5, 12, 9))
    first = sequence(row)
    row.updated_at = datetime(2027, 2, 1, 12)
    second = sequence(row)
    row.cancelled_at = datetime(2027, 3, 1, 12)
    assert 0 <= first < second < sequence(row) < 2**31


def test_online_link_only_in_a_personal_file(ics_app):
    row = event(rome(2027, 5, 12, 9), format="hybrid", online_url="https://meet.example.org/stanza-segreta")
    shared = parsed(ics_app, [row]).events[0]
    assert "stanza-segreta" not in shared.to_ical().decode()
    assert str(shared["LOCATION"]).startswith("Sala Auditorium")
    assert "Online" in str(shared["LOCATION"]) and f"{BASE_URL}/events/tavolo-di-confronto" in str(shared["LOCATION"])
    personal = parsed(ics_app, [row], with_link=True).events[0]
    assert "https://meet.example.org/stanza-segreta" in str(personal["LOCATION"])
    assert "https://meet.example.org/stanza-segreta" in str(personal["DESCRIPTION"])


def test_a_feed_has_one_entry_per_event_and_no_online_link(ics_app):
    rows = [event(rome(2027, 3, 27, 10), id=1, slug="primo"),
            event(rome(2027, 11, 1, 10), id=2, slug="secondo", format="online",
                  online_url="https://meet.example.org/x")]
    calendar = parsed(ics_app, rows)
    assert [str(entry["UID"]) for entry in calendar.events] == ["event-1@comunita.example.gov.it",
                                                                "event-2@comunita.example.gov.it"]
    assert str(calendar["X-WR-CALNAME"]) == "Eventi · Valore pubblico"
    assert "meet.example.org" not in calendar.to_ical().decode()
    assert [utc_of(entry.start) for entry in calendar.events] == [datetime(2027, 3, 27, 9), datetime(2027, 11, 1, 9)]


def test_an_empty_feed_is_still_a_calendar(ics_app):
    with ics_app.test_request_context():
        body = feed_calendar("programme", "ask-public-value", "Eventi · Ask Public Value", [])
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar.events == [] and str(calendar["X-WR-CALNAME"]) == "Eventi · Ask Public Value"
