"""What every indicator computation shares: the moment, the windows and the communities being computed."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

W90 = timedelta(days=90)
W365 = timedelta(days=365)


@dataclass(frozen=True)
class CommunityInfo:
    id: int
    visibility: str
    scope: str
    region_code: str | None
    province_code: str | None
    theme: str


@dataclass
class Context:
    now: datetime  # naive UTC, the end of every window
    communities: dict[int, CommunityInfo] = field(default_factory=dict)

    @property
    def w90(self) -> datetime:
        return self.now - W90

    @property
    def w365(self) -> datetime:
        return self.now - W365


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_end(period: str) -> datetime:
    """The last moment of a quarter ("2026-Q3" → 2026-09-30 23:59:59.999999)."""
    year, quarter = int(period[:4]), int(period[-1])
    first_of_next = date(year + quarter // 4, quarter % 4 * 3 + 1, 1)
    return datetime.combine(first_of_next, datetime.min.time()) - timedelta(microseconds=1)


def previous_quarter(period: str) -> str:
    year, quarter = int(period[:4]), int(period[-1])
    return f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}"


def last_ended_quarter(now: datetime) -> str:
    """The latest quarter wholly before `now`."""
    return previous_quarter(quarter_of(now.date()))
