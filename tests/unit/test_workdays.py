"""Italian working days (app/workdays.py): weekends, national holidays from the `holidays` package, the configured
extra days, and working time across them."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from app import create_app
from app.workdays import (is_working_day, italian_holidays, parse_extra_holidays, working_days_before,
                          working_days_between, working_deadline, working_time_between)
from config import TestConfig

HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def test_national_holidays_are_not_working_days():
    assert not is_working_day(date(2025, 4, 21))  # Easter Monday (Pasquetta), a Monday
    assert not is_working_day(date(2026, 4, 6))  # Easter Monday moves with Easter
    assert not is_working_day(date(2025, 4, 25))  # Liberation Day, a Friday
    assert not is_working_day(date(2026, 6, 2))  # Republic Day, a Tuesday
    assert not is_working_day(date(2026, 12, 8)) and not is_working_day(date(2026, 12, 25))
    assert is_working_day(date(2026, 6, 1)) and is_working_day(date(2026, 6, 3))


def test_weekends_are_not_working_days():
    assert not is_working_day(date(2026, 6, 13)) and not is_working_day(date(2026, 6, 14))  # Saturday, Sunday
    assert is_working_day(date(2026, 6, 12)) and is_working_day(date(2026, 6, 15))  # Friday, Monday


def test_st_francis_day_is_a_national_holiday_from_2026():
    assert date(2026, 10, 4) in italian_holidays(2026)
    assert not is_working_day(date(2027, 10, 4))  # a Monday
    assert date(2025, 10, 4) not in italian_holidays(2025)
    assert is_working_day(date(2024, 10, 4))  # a Friday, before the law


def test_extra_holidays_from_the_configuration(tmp_path):
    app = create_app(TestConfig, EXTRA_HOLIDAYS=("06-24", "2026-12-07"), SEARCH_DIR=str(tmp_path / "search"),
                     UPLOAD_FOLDER=str(tmp_path / "uploads"))
    assert is_working_day(date(2026, 6, 24))  # without an application, only the national calendar
    with app.app_context():
        assert not is_working_day(date(2026, 6, 24))  # St John, Turin's patron: every year ("MM-DD")
        assert not is_working_day(date(2027, 6, 24))
        assert not is_working_day(date(2026, 12, 7))  # once ("YYYY-MM-DD")
        assert is_working_day(date(2027, 12, 7))
        # A 1-working-day deadline from Tuesday 23 June 2026 noon skips the 24th.
        assert working_deadline(datetime(2026, 6, 23, 12), 1) == datetime(2026, 6, 25, 12)
    assert is_working_day(date(2026, 12, 7))


def test_a_malformed_extra_entry_is_refused():
    assert parse_extra_holidays(" 06-24, 2026-12-07 ,") == ("06-24", "2026-12-07")
    assert parse_extra_holidays("") == ()
    for wrong in ("24-06", "2026-13-01", "06/24", "san giovanni", "2026-02-30", "6-24x"):
        with pytest.raises(ValueError, match="EXTRA_HOLIDAYS"):
            parse_extra_holidays(wrong)
    with pytest.raises(ValueError, match="EXTRA_HOLIDAYS"):
        create_app(TestConfig, EXTRA_HOLIDAYS=("13-01",))


def test_deadline_across_a_weekend():
    # Friday 15:00 + 2 working days = Tuesday 15:00.
    assert working_deadline(datetime(2026, 6, 12, 15), 2) == datetime(2026, 6, 16, 15)
    # Opened on Saturday: the clock starts on Monday at midnight.
    assert working_deadline(datetime(2026, 6, 13, 10), 1) == datetime(2026, 6, 16, 0)


def test_deadline_across_easter_monday_25_april_and_2_june():
    # Thursday 17 April 2025 09:00 + 2: Friday 18 is a working day, then the weekend and Easter Monday 21 April.
    assert working_deadline(datetime(2025, 4, 17, 9), 2) == datetime(2025, 4, 22, 9)
    # Thursday 24 April 2025 12:00 + 1: Friday 25 April and the weekend are skipped.
    assert working_deadline(datetime(2025, 4, 24, 12), 1) == datetime(2025, 4, 28, 12)
    # Friday 29 May 2026 10:00 + 5: Mon 1, Wed 3, Thu 4, Fri 5 June; not Tuesday 2 June nor the weekends.
    assert working_deadline(datetime(2026, 5, 29, 10), 5) == datetime(2026, 6, 8, 10)


@pytest.mark.parametrize("start", [datetime(2026, 6, 12, 15), datetime(2025, 4, 17, 9, 30), datetime(2026, 5, 29),
                                   datetime(2026, 6, 13, 10), datetime(2026, 12, 24, 23, 59)])
@pytest.mark.parametrize("days", [0.5, 1, 2, 5])
def test_working_deadline_and_working_days_before_are_inverses(start, days):
    deadline = working_deadline(start, days)
    assert working_time_between(start, deadline) == timedelta(days=days)
    earliest = working_days_before(deadline, days)
    # The same start, or, for a start outside working time, the moment working time resumed: no working time
    # lies between the two, and every start up to it has its deadline by `deadline`.
    assert working_deadline(earliest, days) == deadline
    low, high = sorted((start, earliest))
    assert working_time_between(low, high) == timedelta(0)


@pytest.mark.parametrize("moment", [datetime(2026, 6, 16, 15), datetime(2025, 4, 22, 9), datetime(2026, 6, 3, 8),
                                    datetime(2026, 6, 8, 10)])
def test_working_days_before_then_deadline_gives_the_moment_back(moment):
    for days in (1, 2, 5):
        assert working_deadline(working_days_before(moment, days), days) == moment


def test_working_days_before_across_holidays():
    # 2 working days before Tuesday 22 April 2025 09:00: back over Easter Monday and the weekend to Thursday 09:00.
    assert working_days_before(datetime(2025, 4, 22, 9), 2) == datetime(2025, 4, 17, 9)
    assert working_days_before(datetime(2026, 6, 3, 12), 1) == datetime(2026, 6, 1, 12)  # over 2 June


def test_working_time_between():
    # Friday 29 May 2026 17:00 → Wednesday 3 June 09:00: 7 h + Monday + 9 h.
    assert working_time_between(datetime(2026, 5, 29, 17), datetime(2026, 6, 3, 9)) == 40 * HOUR
    assert working_days_between(datetime(2026, 5, 29, 17), datetime(2026, 6, 3, 9)) == pytest.approx(40 / 24)
    # Wholly inside a weekend or a holiday: nothing.
    assert working_time_between(datetime(2026, 6, 13, 1), datetime(2026, 6, 14, 23)) == timedelta(0)
    assert working_time_between(datetime(2025, 4, 25, 8), datetime(2025, 4, 25, 18)) == timedelta(0)
    # Same working day, and an end that is not later.
    assert working_time_between(datetime(2026, 6, 15, 8), datetime(2026, 6, 15, 13, 30)) == timedelta(hours=5.5)
    assert working_time_between(datetime(2026, 6, 15, 8), datetime(2026, 6, 15, 8)) == timedelta(0)
    assert working_time_between(datetime(2026, 6, 15, 8), datetime(2026, 6, 14, 8)) == timedelta(0)
    # A week of calendar time is five working days, unless a holiday is in it.
    assert working_days_between(datetime(2026, 6, 8), datetime(2026, 6, 15)) == 5
    assert working_days_between(datetime(2026, 6, 1), datetime(2026, 6, 8)) == 4
