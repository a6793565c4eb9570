"""Italian working days, for every deadline and figure of the platform (support, Q&A, indicators).

A working day is Monday to Friday minus Italy's national public holidays (the maintained `holidays` package, which
follows the law: St Francis's day, 4 October, is national again from 2026) and minus the days of the configurable
extra list `EXTRA_HOLIDAYS` ("MM-DD" every year, e.g. a patron saint; or "YYYY-MM-DD" once). Working *time* is the
hours of working days: a deadline of 2 working days from Friday 15:00 falls on Tuesday 15:00. Days are UTC days.
No Flask import beyond reading the configuration when an application is there.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays

DAY = timedelta(days=1)


def _extra_days() -> tuple[str, ...]:
    from flask import current_app, has_app_context

    if not has_app_context():
        return ()
    return tuple(current_app.config.get("EXTRA_HOLIDAYS", ()))


def parse_extra_holidays(text: str) -> tuple[str, ...]:
    """The extra list from a comma-separated setting ("06-24, 2026-12-07"); a malformed entry is an error."""
    days = tuple(part.strip() for part in (text or "").split(",") if part.strip())
    for day in days:
        try:
            datetime.strptime(day if len(day) == 10 else f"2000-{day}", "%Y-%m-%d")
        except ValueError as error:
            raise ValueError(f"EXTRA_HOLIDAYS: {day!r} is neither MM-DD nor YYYY-MM-DD") from error
    return days


@lru_cache(maxsize=256)
def _holidays_of(year: int, extra: tuple[str, ...]) -> frozenset[date]:
    days = set(holidays.country_holidays("IT", years=year))
    for entry in extra:
        try:
            moment = datetime.strptime(entry if len(entry) == 10 else f"{year}-{entry}", "%Y-%m-%d").date()
        except ValueError:  # "02-29" in a common year: no such day to take off
            continue
        if moment.year == year:
            days.add(moment)
    return frozenset(days)


def italian_holidays(year: int) -> frozenset[date]:
    """The national public holidays of a year, plus the configured extra days."""
    return _holidays_of(year, _extra_days())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in italian_holidays(day.year)


def _midnight_after(moment: datetime) -> datetime:
    return datetime.combine(moment.date() + DAY, datetime.min.time())


def _midnight_of(moment: datetime) -> datetime:
    return datetime.combine(moment.date(), datetime.min.time())


def working_deadline(start: datetime, days: float) -> datetime:
    """The moment `days` working days of working time have passed since `start`."""
    remaining, cursor = timedelta(days=days), start
    while True:
        midnight = _midnight_after(cursor)
        if is_working_day(cursor.date()):
            if remaining <= midnight - cursor:
                return cursor + remaining
            remaining -= midnight - cursor
        cursor = midnight


def working_days_before(moment: datetime, days: float) -> datetime:
    """The start whose `days` working days end at `moment` (the inverse of working_deadline; when that start would
    fall outside working time, the moment working time resumed): requests opened before it and still unanswered are
    late."""
    remaining, cursor = timedelta(days=days), moment
    while remaining > timedelta(0):
        start_of_day = _midnight_of(cursor) if cursor != _midnight_of(cursor) else cursor - DAY
        if is_working_day(start_of_day.date()):
            if remaining <= cursor - start_of_day:
                return cursor - remaining
            remaining -= cursor - start_of_day
        cursor = start_of_day
    return cursor


def working_time_between(start: datetime, end: datetime) -> timedelta:
    """The working time from `start` to `end` (zero when `end` is not later)."""
    total, cursor = timedelta(0), start
    while cursor < end:
        midnight = min(_midnight_after(cursor), end)
        if is_working_day(cursor.date()):
            total += midnight - cursor
        cursor = midnight
    return total


def working_days_between(start: datetime, end: datetime) -> float:
    """The working time from `start` to `end`, in working days (1.5 = a day and a half of working days)."""
    return working_time_between(start, end) / DAY
