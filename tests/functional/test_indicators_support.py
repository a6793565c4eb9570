"""Support indicators (S1…S5) on known data at a frozen moment, with the windows' edges, Italian working days
(Easter Monday, 25 April, a weekend), "dati insufficienti" below 5 items, a bounded query count, and the support
area's overdue rule on the same calendar."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.extensions import db
from app.indicators import compute_support
from app.indicators.compute import load_context
from app.models import Practice, SupportRequest
from app.reuse.support import is_overdue, overdue_cutoff
from app.workdays import working_days_before, working_deadline
from tests.conftest import make_community, make_org, make_practice, statements_issued

NOW = datetime(2025, 4, 30, 12, 0)  # a Wednesday after Easter Monday (21 April) and Liberation Day (Friday 25)
SECOND, MINUTE, HOUR, DAY = timedelta(seconds=1), timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
CODES = {"S1", "S2", "S3", "S4", "S5"}


def add_request(practice_id: int, org_id: int, created: datetime, status: str = "open", **moments) -> int:
    """A support request written directly, with the moments given (first_response_at, resolved_at, …)."""
    row = SupportRequest(practice_id=practice_id, organization_id=org_id, kind="technical", subject="S",
                         description="D", status=status, created_at=created, updated_at=created, **moments)
    db.session.add(row)
    db.session.flush()
    return row.id


def figures_of(community_id: int, now: datetime = NOW) -> dict:
    return compute_support.compute(load_context(now), [community_id])[community_id]


def test_s1_and_s2_first_response_within_five_working_days(app, rworld):
    practice, bari = rworld.practice.id, rworld.reuser_org.id
    with app.app_context():
        # Thursday 17 April noon + 5 working days: Friday 18, (Easter Monday), Tuesday 22, Wednesday 23, Thursday 24,
        # (25 April and the weekend), Monday 28 noon: eleven calendar days.
        holy_week = datetime(2025, 4, 17, 12)
        assert working_deadline(holy_week, 5) == datetime(2025, 4, 28, 12)
        edge = working_days_before(NOW, 5)
        assert edge == datetime(2025, 4, 22, 12)
        ids = {
            "exact": add_request(practice, bari, holy_week, "accepted", first_response_at=datetime(2025, 4, 28, 12)),
            "minute_late": add_request(practice, bari, holy_week, "accepted",
                                       first_response_at=datetime(2025, 4, 28, 12, 1)),
            "edge": add_request(practice, bari, edge, "accepted", first_response_at=datetime(2025, 4, 23, 12)),
            "window_start": add_request(practice, bari, NOW - 90 * DAY, "resolved",
                                        first_response_at=NOW - 90 * DAY + HOUR, resolved_at=NOW - 80 * DAY),
            "unanswered": add_request(practice, bari, datetime(2025, 4, 1, 9)),
            "after_now": add_request(practice, bari, datetime(2025, 4, 2, 9), first_response_at=NOW + MINUTE),
            # Monday 3 March 09:00 → Wednesday 5 March 09:00: 2 working days.
            "two_days": add_request(practice, bari, datetime(2025, 3, 3, 9), "accepted",
                                    first_response_at=datetime(2025, 3, 5, 9)),
        }
        not_due = add_request(practice, bari, edge + SECOND)  # its 5 working days are not over: not counted
        too_old = add_request(practice, bari, NOW - 90 * DAY - SECOND, first_response_at=NOW - 89 * DAY)
        other_community = make_community("Altra comunità")
        elsewhere = make_practice("Pratica altrove", other_community, make_org("Comune di Alba", ipa_code="c_a124"))
        add_request(elsewhere.id, bari, datetime(2025, 4, 1, 9))
        db.session.commit()
        result = figures_of(rworld.community.id)
    assert set(result) == CODES
    s1 = result["S1"]
    assert s1.kind == "request" and set(s1.ids) == set(ids.values()) and not {not_due, too_old} & set(s1.ids)
    assert set(s1.hits) == {ids["exact"], ids["edge"], ids["window_start"], ids["two_days"]}
    assert (s1.num, s1.den) == (4, 7) and s1.value == pytest.approx(4 / 7)
    s2 = result["S2"]
    # Working days of the answered: 5, 5 + 1', 1, 1/24, 2 → the median is 2.
    assert set(s2.ids) == {ids[k] for k in ("exact", "minute_late", "edge", "window_start", "two_days")}
    assert s2.den == 5 and s2.value == pytest.approx(2.0)


def test_fewer_than_five_requests_are_dati_insufficienti(app, rworld):
    practice, bari = rworld.practice.id, rworld.reuser_org.id
    with app.app_context():
        for day in (10, 20, 30, 40):
            add_request(practice, bari, NOW - day * DAY, "resolved", first_response_at=NOW - day * DAY + HOUR,
                        resolved_at=NOW - day * DAY + DAY)
        db.session.commit()
        result = figures_of(rworld.community.id)
        empty = figures_of(rworld.community.id, NOW - 400 * DAY)
    for code in ("S1", "S2", "S3", "S4"):
        assert result[code].insufficient and result[code].value is None, code
    assert (result["S1"].num, result["S1"].den) == (4, 4)  # all in time, yet not "100 %"
    assert (result["S3"].num, result["S3"].den) == (4, 4)
    assert set(empty) == CODES and empty["S1"].den == 0 and empty["S5"].value == 0


def test_s3_closure_ratio_over_90_days(app, rworld):
    practice, bari = rworld.practice.id, rworld.reuser_org.id
    with app.app_context():
        opened = [
            add_request(practice, bari, NOW - 10 * DAY, "resolved", resolved_at=NOW - 5 * DAY),
            add_request(practice, bari, NOW - 20 * DAY, "closed", resolved_at=NOW - 15 * DAY),
            add_request(practice, bari, NOW - 30 * DAY, "declined", declined_at=NOW - 29 * DAY),
            add_request(practice, bari, NOW - 40 * DAY, "resolved", resolved_at=NOW + HOUR),  # closed after NOW
            add_request(practice, bari, NOW - 90 * DAY),  # exactly at the window's start
        ]
        # Opened long ago, resolved in the window: closed, not opened (the ratio may pass 1).
        old = add_request(practice, bari, NOW - 200 * DAY, "resolved", resolved_at=NOW - 90 * DAY)
        add_request(practice, bari, NOW - 200 * DAY, "resolved", resolved_at=NOW - 90 * DAY - SECOND)
        db.session.commit()
        s3 = figures_of(rworld.community.id)["S3"]
    assert (s3.num, s3.den) == (4, 5) and s3.value == pytest.approx(0.8) and not s3.insufficient
    assert set(s3.hits) == {opened[0], opened[1], opened[2], old}
    assert set(s3.ids) == set(opened) | {old}


def test_s4_median_calendar_days_to_close_over_365_days(app, rworld):
    practice, bari = rworld.practice.id, rworld.reuser_org.id
    with app.app_context():
        closed = [
            add_request(practice, bari, NOW - 10 * DAY, "resolved", resolved_at=NOW - 8 * DAY),  # 2 days
            add_request(practice, bari, NOW - 20 * DAY, "closed", resolved_at=NOW - 16 * DAY),  # 4
            add_request(practice, bari, NOW - 30 * DAY, "declined", declined_at=NOW - 24 * DAY),  # 6
            add_request(practice, bari, NOW - 60 * DAY, "resolved", resolved_at=NOW - 50 * DAY),  # 10
            add_request(practice, bari, NOW - 400 * DAY, "resolved", resolved_at=NOW - 100 * DAY),  # 300
            add_request(practice, bari, NOW - 380 * DAY, "resolved", resolved_at=NOW - 365 * DAY),  # 15, at the edge
        ]
        add_request(practice, bari, NOW - 400 * DAY, "resolved", resolved_at=NOW - 365 * DAY - SECOND)
        add_request(practice, bari, NOW - 10 * DAY, "resolved", resolved_at=NOW + HOUR)  # after NOW
        add_request(practice, bari, NOW - 10 * DAY, "accepted")  # not closed
        db.session.commit()
        s4 = figures_of(rworld.community.id)["S4"]
    assert s4.kind == "request" and set(s4.ids) == set(closed)
    assert s4.den == 6 and s4.value == pytest.approx(8.0)  # of 2, 4, 6, 10, 15, 300: calendar days


def test_s5_requests_open_for_more_than_30_days(app, rworld):
    practice, bari = rworld.practice.id, rworld.reuser_org.id
    with app.app_context():
        stale = {
            add_request(practice, bari, NOW - 30 * DAY),  # exactly 30 days
            add_request(practice, bari, NOW - 31 * DAY, "open"),
            add_request(practice, bari, NOW - 500 * DAY, "accepted", first_response_at=NOW - 499 * DAY),
        }
        add_request(practice, bari, NOW - 30 * DAY + SECOND)
        add_request(practice, bari, NOW - 100 * DAY, "resolved", resolved_at=NOW - 90 * DAY)
        add_request(practice, bari, NOW - 100 * DAY, "declined", declined_at=NOW - 99 * DAY)
        add_request(practice, bari, NOW - 100 * DAY, "closed", resolved_at=NOW - 90 * DAY)
        db.session.commit()
        s5 = figures_of(rworld.community.id)["S5"]
    assert s5.kind == "request" and set(s5.ids) == stale and s5.value == 3 and not s5.insufficient


def test_the_overdue_rule_of_the_support_area_skips_easter_monday_and_25_april(app, rworld):
    practice, bari = rworld.practice.id, rworld.reuser_org.id
    with app.app_context():
        assert app.config["SUPPORT_RESPONSE_DAYS"] == 5
        # At Monday 28 April noon, a request of Thursday 17 April noon has just reached its 5 working days.
        cutoff = overdue_cutoff(datetime(2025, 4, 28, 12))
        assert cutoff == datetime(2025, 4, 17, 12)
        on_time = db.session.get(SupportRequest, add_request(practice, bari, datetime(2025, 4, 17, 12)))
        late = db.session.get(SupportRequest, add_request(practice, bari, datetime(2025, 4, 17, 11, 59)))
        assert not is_overdue(on_time, cutoff) and is_overdue(late, cutoff)
        # 5 working days before Monday 9 June 2025 10:00: back over two weekends and Monday 2 June (Republic Day)
        # to Friday 30 May 10:00.
        assert overdue_cutoff(datetime(2025, 6, 9, 10)) == datetime(2025, 5, 30, 10)
        db.session.rollback()


def test_every_community_gets_every_code_and_the_query_count_is_bounded(app, rworld):
    with app.app_context():
        donor = make_org("Comune di Alba", ipa_code="c_a124")
        communities = [make_community(f"Comunità {n}") for n in range(20)]
        for n, community in enumerate(communities):
            practice = make_practice(f"Pratica {n}", community, donor)
            for k in range(3):
                add_request(practice.id, rworld.reuser_org.id, NOW - (10 + 20 * k + n) * DAY, "resolved",
                            first_response_at=NOW - (9 + 20 * k + n) * DAY, resolved_at=NOW - (8 + 20 * k + n) * DAY)
        db.session.commit()
        ids = [community.id for community in communities]
        ctx = load_context(NOW)
        results = {}
        for_one = statements_issued(lambda: results.update(one=compute_support.compute(ctx, ids[:1])))
        for_twenty = statements_issued(lambda: results.update(twenty=compute_support.compute(ctx, ids)))
        one, twenty = results["one"], results["twenty"]
    assert set(one) == {ids[0]} and set(twenty) == set(ids)
    assert for_one == for_twenty == 1
    assert all(set(figures) == CODES for figures in twenty.values())
    assert all(figures["S3"].num == 3 and figures["S3"].den == 3 for figures in twenty.values())


def test_an_unused_practice_of_the_community_is_harmless(app, rworld):
    with app.app_context():
        assert db.session.get(Practice, rworld.draft.id).status == "draft"
        result = compute_support.compute(load_context(NOW), [rworld.community.id, 10_000])
    assert set(result) == {rworld.community.id, 10_000}
    assert all(set(figures) == CODES for figures in result.values())
