"""The comparison's rules without the web (issue 16, point 6): reading the filters from any query string, one
value per year, the order by value as the polarity says, the target met."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from werkzeug.datastructures import MultiDict

from app.kpi.comparison import (MAX_CHOSEN, CompareFilters, Row, YearValue, _value_order, is_met, parse_filters,
                                values_by_year)


def test_defaults():
    assert parse_filters(MultiDict()) == CompareFilters(peers="level", chosen=(), year=None, sort="name", dropped=0)


@pytest.mark.parametrize("args, expected", [
    ({"peers": "all"}, CompareFilters(peers="all")),
    ({"peers": "chosen", "org": ["a", "b", "a", " ", "\x00c"]}, CompareFilters(peers="chosen", chosen=("a", "b", "c"))),
    ({"org": ["a"]}, CompareFilters(peers="chosen", chosen=("a",))),  # organisations without peers: a chosen set
    ({"peers": "level", "org": ["a"]}, CompareFilters(peers="level", chosen=("a",))),
    ({"peers": "ranking"}, CompareFilters()),
    ({"year": "2024"}, CompareFilters(year=2024)),
    ({"year": "abc"}, CompareFilters()),
    ({"year": "-2024"}, CompareFilters()),
    ({"year": "1800"}, CompareFilters()),
    ({"year": "9" * 40}, CompareFilters()),
    ({"year": "２０２４"}, CompareFilters()),  # full-width digits are digits to Python, not a year here
    ({"sort": "value"}, CompareFilters(sort="value")),
    ({"sort": "best"}, CompareFilters()),
])
def test_filters_from_the_query_string(args, expected):
    assert parse_filters(MultiDict([(k, v) for k, values in args.items()
                                    for v in (values if isinstance(values, list) else [values])])) == expected


def test_too_many_organisations_are_cut_and_counted():
    filters = parse_filters(MultiDict([("org", f"ente-{n}") for n in range(500)]))
    assert len(filters.chosen) == MAX_CHOSEN and filters.chosen[0] == "ente-0"
    assert filters.dropped == 200 - MAX_CHOSEN  # beyond 200 parameters nothing is read at all


def test_args_round_trip():
    filters = CompareFilters(peers="chosen", chosen=("a", "b"), year=2024, sort="value")
    assert parse_filters(MultiDict([(k, v) for k, values in filters.args().items()
                                    for v in (values if isinstance(values, list) else [values])])) == filters


def value(adoption_id, period, number, status="final"):
    return SimpleNamespace(adoption_id=adoption_id, period=period, year=int(period[:4]), value=number, status=status)


def test_one_value_per_year_the_latest_period_of_the_latest_plan():
    values = [value(1, "2024-S1", 10.0), value(1, "2024-S2", 12.0), value(2, "2024-S1", 11.0),
              value(1, "2023-S2", 9.0, "provisional")]
    found = values_by_year(values, [2, 1])  # adoption 2 is the latest plan
    assert list(found) == [2023, 2024]
    assert found[2024] == YearValue(2024, "2024-S1", 11.0, False)
    assert found[2023] == YearValue(2023, "2023-S2", 9.0, True)
    assert values_by_year([value(1, "2024-S1", 10.0), value(1, "2024-S2", 12.0)], [1])[2024].value == 12.0


@pytest.mark.parametrize("polarity, value_, target, low, high, expected", [
    ("lower", 27.0, 30.0, None, None, True), ("lower", 31.0, 30.0, None, None, False),
    ("higher", 50.0, 45.0, None, None, True), ("higher", 40.0, 45.0, None, None, False),
    ("higher", 40.0, None, None, None, None), ("range", 5.0, None, 4.0, 6.0, True),
    ("range", 7.0, None, 4.0, 6.0, False),
])
def test_target_met(polarity, value_, target, low, high, expected):
    version = SimpleNamespace(polarity=polarity, range_low=low, range_high=high)
    assert is_met(version, value_, target) is expected
    assert is_met(version, None, target) is None


def rows_with(values: dict[str, float | None]) -> list[Row]:
    rows = []
    for name, number in values.items():
        row = Row(organization=SimpleNamespace(sort_name=name.lower(), name=name), adoptions=[])
        row.focus = YearValue(2024, "2024", number, False) if number is not None else None
        rows.append(row)
    return rows


@pytest.mark.parametrize("polarity, expected", [
    ("lower", ["B", "C", "A", "D"]), ("higher", ["A", "C", "B", "D"]), ("range", ["C", "A", "B", "D"]),
])
def test_order_by_value_puts_the_better_end_first(polarity, expected):
    version = SimpleNamespace(range_low=40.0, range_high=50.0)
    rows = rows_with({"A": 70.0, "B": 20.0, "C": 45.0, "D": None})
    rows.sort(key=_value_order(polarity, version))
    assert [row.organization.name for row in rows] == expected
