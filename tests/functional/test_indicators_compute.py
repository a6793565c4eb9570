"""The computation run (app/indicators/compute.py) and `flask indicators compute`: snapshots for every community,
in-place re-runs, drill-down items only on the latest daily snapshot, quarter snapshots and their catch-up, the CLI's
options and progress, and a failed run leaving the stored snapshots as they were.

The groups of indicators are replaced by fakes (monkeypatching compute.GROUPS, the run's own seam) so that these
tests know the figures without depending on the real computations; one test runs the real groups end to end.
"""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.indicators import compute, compute_network, compute_practices
from app.indicators.context import quarter_end
from app.indicators.definitions import INDICATORS
from app.indicators.figures import count, share
from app.models import Community, IndicatorSnapshot, NetworkSnapshot, PracticeSnapshot, StageCondition
from tests.conftest import make_org, make_practice

NOW = datetime(2026, 12, 1, 2, 30)  # a Tuesday; the last ended quarter is 2026-Q3


class FakeGroup:
    """A group of two indicators whose values are set by the test; records every call."""

    def __init__(self, hits: int = 3, fail_on: int | None = None):
        self.hits, self.fail_on, self.calls = hits, fail_on, []

    def compute(self, ctx, community_ids):
        self.calls.append((ctx.now, list(community_ids)))
        if self.fail_on in community_ids:
            raise RuntimeError("group failed")
        return {cid: {"X1": share(range(self.hits), range(5), "question"),
                      "X2": count([cid, cid + 100], "user")} for cid in community_ids}


@pytest.fixture
def fake(monkeypatch):
    """Fake groups in place of the real ones, and fake network and practice figures."""
    group = FakeGroup()
    monkeypatch.setattr(compute, "GROUPS", (group,))
    monkeypatch.setattr(compute_network, "compute", lambda ctx, stored: {"communities": len(stored),
                                                                         "at": ctx.now.isoformat()})
    monkeypatch.setattr(compute_practices, "compute", lambda ctx: {})
    return group


def rows(app, model=IndicatorSnapshot, **where) -> list[dict]:
    """The stored rows of `model` as dicts, in id order."""
    with app.app_context():
        found = db.session.execute(select(model).filter_by(**where).order_by(model.id)).scalars().all()
        return [{c.name: getattr(row, c.name) for c in model.__table__.columns} for row in found]


def run(app, now=None, **kwargs) -> int:
    with app.app_context():
        return compute.run(now, **kwargs)


def test_daily_run_writes_a_snapshot_for_every_community(app, cworld, fake):
    assert run(app, NOW) == 3
    daily = rows(app, kind="daily")
    assert sorted(r["community_id"] for r in daily) == sorted([cworld.open.id, cworld.moderated.id,
                                                                cworld.private.id])
    for row in daily:
        assert (row["as_of"], row["period"], row["stage"], row["qualified_stage"]) == (NOW.date(), None,
                                                                                         "starting", "starting")
        assert row["figures"] == {"X1": {"value": 0.6, "num": 3, "den": 5, "insufficient": False},
                                  "X2": {"value": 2.0, "num": 2, "den": None, "insufficient": False}}
        assert row["items"]["X2"] == {"kind": "user", "ids": [row["community_id"], row["community_id"] + 100],
                                      "hits": []}
        assert row["items"]["X1"] == {"kind": "question", "ids": [0, 1, 2, 3, 4], "hits": [0, 1, 2]}
        # the checklist lists every condition in force (the defaults, seeded on the first run), none met here
        assert len(row["checklist"]) == len(rows(app, StageCondition)) > 0
        assert not any(item["met"] for item in row["checklist"])
    # every community computed with the moment given, once, in one chunk
    assert fake.calls == [(NOW, sorted(r["community_id"] for r in daily))]
    network = rows(app, NetworkSnapshot)
    assert [(n["kind"], n["as_of"], n["period"], n["figures"]) for n in network] == [
        ("daily", NOW.date(), None, {"communities": 3, "at": NOW.isoformat()})]
    assert rows(app, IndicatorSnapshot, kind="quarter") == [] and rows(app, PracticeSnapshot) == []


def test_communities_are_computed_in_chunks(app, cworld, fake, monkeypatch):
    monkeypatch.setattr(compute, "CHUNK", 2)
    seen = []
    assert run(app, NOW, progress=seen.append) == 3
    assert [len(ids) for _, ids in fake.calls] == [2, 1]
    assert seen == [2, 1]  # the progress bar advances by each chunk's size
    assert len(rows(app, kind="daily")) == 3


def test_a_second_run_on_the_same_day_updates_in_place(app, cworld, fake):
    run(app, NOW)
    first = rows(app, kind="daily")
    fake.hits = 5
    run(app, NOW.replace(hour=23))
    second = rows(app, kind="daily")
    assert [r["id"] for r in second] == [r["id"] for r in first]  # the same rows, no duplicates
    assert all(r["figures"]["X1"]["value"] == 1.0 for r in second)
    assert all(r["items"]["X1"]["hits"] == [0, 1, 2, 3, 4] for r in second)
    assert all(b["computed_at"] >= a["computed_at"] for a, b in zip(first, second))
    assert len(rows(app, NetworkSnapshot)) == 1


def test_only_the_latest_daily_snapshot_keeps_its_items(app, cworld, fake):
    run(app, datetime(2026, 11, 29, 2, 30))
    run(app, datetime(2026, 11, 30, 2, 30))
    run(app, NOW)
    by_day: dict[date, list[dict]] = {}
    for row in rows(app, kind="daily"):
        by_day.setdefault(row["as_of"], []).append(row)
    assert sorted(by_day) == [date(2026, 11, 29), date(2026, 11, 30), NOW.date()]
    for day, snapshots in by_day.items():
        assert len(snapshots) == 3
        for row in snapshots:
            assert row["figures"]["X1"]["value"] == 0.6  # the figures stay for the history
            assert (row["items"] is not None) == (day == NOW.date())


def test_a_quarter_run_writes_quarter_snapshots_as_of_its_last_day(app, pworld, fake):
    assert run(app, period="2026-Q3") == 2
    quarter = rows(app, kind="quarter")
    assert len(quarter) == 2
    for row in quarter:
        assert (row["period"], row["as_of"]) == ("2026-Q3", date(2026, 9, 30))
        assert row["items"]["X1"]["kind"] == "question"  # quarter snapshots keep their drill-down
    # the groups saw the quarter's last moment, whatever the clock says
    assert fake.calls[0][0] == quarter_end("2026-Q3") == datetime(2026, 9, 30, 23, 59, 59, 999999)
    network = rows(app, NetworkSnapshot)
    assert [(n["kind"], n["period"], n["as_of"]) for n in network] == [("quarter", "2026-Q3", date(2026, 9, 30))]
    assert rows(app, IndicatorSnapshot, kind="daily") == []


def test_a_quarter_run_writes_the_practice_snapshots_and_is_idempotent(app, cworld, fake, monkeypatch):
    with app.app_context():
        practice = make_practice("Pratica del trimestre", db.session.get(Community, cworld.open.id),
                                 make_org("Comune di Prova"))
        db.session.commit()
        practice_id = practice.id
    monkeypatch.setattr(compute_practices, "compute", lambda ctx: {practice_id: {"answered": 4}})
    run(app, period="2026-Q3")
    run(app, period="2026-Q3")
    assert [(r["practice_id"], r["period"], r["as_of"], r["figures"]) for r in rows(app, PracticeSnapshot)] == [
        (practice_id, "2026-Q3", date(2026, 9, 30), {"answered": 4})]
    assert len(rows(app, kind="quarter")) == 3
    assert len(rows(app, NetworkSnapshot)) == 1


def test_a_later_daily_run_keeps_the_quarter_items(app, cworld, fake):
    run(app, period="2026-Q3")
    run(app, NOW)
    run(app, NOW.replace(day=2))
    assert all(r["items"] is not None for r in rows(app, kind="quarter"))


def _conditions(app, **thresholds) -> None:
    """Replace the stage conditions with one on X1 per stage given."""
    with app.app_context():
        db.session.execute(StageCondition.__table__.delete())
        for position, (stage, threshold) in enumerate(thresholds.items()):
            db.session.add(StageCondition(stage=stage, code="X1", operator=">=", threshold=threshold,
                                          position=position))
        db.session.commit()


def test_quarter_stages_move_after_two_qualifying_quarters_and_daily_runs_carry_them(app, cworld, fake):
    _conditions(app, community=0.5, hub=0.9)  # X1 = 0.6 qualifies for "community", not "hub"
    run(app, period="2026-Q2")
    assert {(r["qualified_stage"], r["stage"]) for r in rows(app, kind="quarter", period="2026-Q2")} == {
        ("community", "starting")}  # one qualifying quarter is not enough
    run(app, NOW.replace(month=9, day=1))
    assert {r["stage"] for r in rows(app, kind="daily")} == {"starting"}
    run(app, period="2026-Q3")
    assert {(r["qualified_stage"], r["stage"]) for r in rows(app, kind="quarter", period="2026-Q3")} == {
        ("community", "community")}
    run(app, NOW)
    latest = rows(app, kind="daily", as_of=NOW.date())
    assert {r["stage"] for r in latest} == {"community"}  # the stage held after the latest quarter
    assert all(r["checklist"][0]["met"] and not r["checklist"][1]["met"] for r in latest)


def test_missing_quarter(app, cworld, fake):
    with app.app_context():
        assert compute.missing_quarter(NOW) == "2026-Q3"
        assert compute.missing_quarter(datetime(2026, 10, 1, 0, 0)) == "2026-Q3"
        assert compute.missing_quarter(datetime(2026, 9, 30, 23, 0)) == "2026-Q2"
        assert compute.missing_quarter(datetime(2027, 1, 2)) == "2026-Q4"
    run(app, period="2026-Q3")
    with app.app_context():
        assert compute.missing_quarter(NOW) is None
        assert compute.missing_quarter(datetime(2027, 1, 2)) == "2026-Q4"


def test_cli_catches_up_the_last_ended_quarter_once(app, cworld, fake):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["indicators", "compute", "--at", "2026-12-01T02:30"])
    assert result.exit_code == 0, result.output
    assert "Quarter 2026-Q3" in result.output and "Daily 2026-12-01" in result.output  # the progress labels
    assert result.output.index("Quarter 2026-Q3") < result.output.index("Daily 2026-12-01")
    assert "Indicators computed for 3 communities (and the quarters 2026-Q3)." in result.output
    assert [moment for moment, _ in fake.calls] == [quarter_end("2026-Q3"), NOW]
    assert {(r["period"], r["as_of"]) for r in rows(app, kind="quarter")} == {("2026-Q3", date(2026, 9, 30))}
    assert {r["as_of"] for r in rows(app, kind="daily")} == {NOW.date()}

    again = runner.invoke(args=["indicators", "compute", "--at", "2026-12-01T03:00"])
    assert again.exit_code == 0, again.output
    assert "Quarter" not in again.output
    assert "Indicators computed for 3 communities." in again.output
    assert len(rows(app, kind="quarter")) == 3 and len(rows(app, kind="daily")) == 3


def test_cli_backfill_writes_three_quarters_in_order(app, cworld, fake):
    result = app.test_cli_runner().invoke(args=["indicators", "compute", "--at", "2026-12-01T02:30",
                                                "--backfill", "3"])
    assert result.exit_code == 0, result.output
    labels = [result.output.index(f"Quarter 2026-Q{q}") for q in (1, 2, 3)] + [result.output.index("Daily")]
    assert labels == sorted(labels)
    assert "(and the quarters 2026-Q1, 2026-Q2, 2026-Q3)." in result.output
    # oldest first, so that each quarter's stage follows from the one before
    assert [moment for moment, _ in fake.calls] == [quarter_end("2026-Q1"), quarter_end("2026-Q2"),
                                                    quarter_end("2026-Q3"), NOW]
    quarter = rows(app, kind="quarter")
    assert sorted({(r["period"], r["as_of"]) for r in quarter}) == [
        ("2026-Q1", date(2026, 3, 31)), ("2026-Q2", date(2026, 6, 30)), ("2026-Q3", date(2026, 9, 30))]
    assert len(quarter) == 9
    assert [n["period"] for n in rows(app, NetworkSnapshot, kind="quarter")] == ["2026-Q1", "2026-Q2", "2026-Q3"]


def test_cli_at_takes_a_date_alone(app, cworld, fake):
    result = app.test_cli_runner().invoke(args=["indicators", "compute", "--at", "2026-11-15"])
    assert result.exit_code == 0, result.output
    assert fake.calls[-1][0] == datetime(2026, 11, 15)
    assert {r["as_of"] for r in rows(app, kind="daily")} == {date(2026, 11, 15)}


def test_cli_at_with_an_offset_is_taken_as_utc(app, cworld, fake):
    result = app.test_cli_runner().invoke(args=["indicators", "compute", "--at", "2026-12-01T03:30+01:00"])
    assert result.exit_code == 0, result.output
    assert fake.calls[-1][0] == NOW  # 03:30 in Rome is 02:30 UTC
    assert {r["as_of"] for r in rows(app, kind="daily")} == {NOW.date()}


@pytest.mark.parametrize("bad", ["ieri", "2026-13-01", "01/12/2026", "2026-12-01T25:00"])
def test_cli_bad_at_gives_a_clear_error_and_writes_nothing(app, cworld, fake, bad):
    result = app.test_cli_runner().invoke(args=["indicators", "compute", "--at", bad])
    assert result.exit_code == 2
    assert "--at" in result.output and "YYYY-MM-DD" in result.output
    assert "Traceback" not in result.output
    assert fake.calls == []
    assert rows(app) == [] and rows(app, NetworkSnapshot) == []


def test_a_failing_group_leaves_the_earlier_snapshots_untouched(app, cworld, fake, monkeypatch):
    run(app, datetime(2026, 11, 30, 2, 30))
    before = rows(app)
    network_before = rows(app, NetworkSnapshot)
    # the next night, the group fails on the last community, after two chunks were computed and written
    monkeypatch.setattr(compute, "CHUNK", 1)
    broken = FakeGroup(hits=5, fail_on=max(r["community_id"] for r in before))
    monkeypatch.setattr(compute, "GROUPS", (broken,))
    with app.app_context():
        with pytest.raises(RuntimeError, match="group failed"):
            compute.run(NOW)
        db.session.rollback()
    assert len(broken.calls) == 3
    assert rows(app) == before  # figures, items (not emptied) and stages as they were
    assert rows(app, NetworkSnapshot) == network_before
    # and a failing re-run of the same day changes nothing either
    with app.app_context():
        with pytest.raises(RuntimeError):
            compute.run(datetime(2026, 11, 30, 20, 0))
        db.session.rollback()
    assert rows(app) == before


def test_a_failing_group_through_the_cli_writes_no_quarter_and_no_day(app, cworld, monkeypatch):
    monkeypatch.setattr(compute, "GROUPS", (FakeGroup(fail_on=cworld.private.id),))
    result = app.test_cli_runner().invoke(args=["indicators", "compute", "--at", "2026-12-01T02:30"])
    assert result.exit_code != 0
    assert isinstance(result.exception, RuntimeError)
    with app.app_context():
        db.session.rollback()
    assert rows(app) == [] and rows(app, NetworkSnapshot) == [] and rows(app, PracticeSnapshot) == []


def test_the_real_groups_give_every_indicator_for_every_community(app, rworld):
    """End to end, no fakes: every community gets every code of the definitions, in the stored JSON shape."""
    assert run(app, NOW) == 1
    run(app, period="2026-Q3")
    for row in rows(app):
        assert set(row["figures"]) == set(INDICATORS)
        for code, figure in row["figures"].items():
            assert set(figure) == {"value", "num", "den", "insufficient"}, code
            assert figure["value"] is None or isinstance(figure["value"], (int, float)), code
            if figure["insufficient"]:
                assert figure["value"] is None, code  # never 0 % or 100 % on too few items
        for code, items in row["items"].items():
            assert items["kind"] == INDICATORS[code].item_kind, code
            assert set(items["hits"]) <= set(items["ids"]) or INDICATORS[code].unit == "ratio", code
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(NetworkSnapshot)) == 2
