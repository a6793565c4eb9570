"""Maturity stages over quarters through compute.run (issue 14): promotion after two qualifying quarters, demotion
after two failing, and a threshold edited by an administrator in force from the next computation only, logged.

The group computations are replaced by a fake group whose figures the test chooses per quarter (the seam
`compute.GROUPS`, our own code); everything else — conditions, checklist, hysteresis, snapshots — is the real run
on the real database. The network and practice computations are stubbed the same way, so that these tests depend
only on the stages."""
from __future__ import annotations

import types

import pytest
from sqlalchemy import select

import app.indicators as indicators_package
from app.extensions import db
from app.indicators import compute
from app.indicators.context import quarter_of
from app.indicators.figures import Figure
from app.models import IndicatorSnapshot, StageCondition, StageConditionChange
from tests.conftest import csrf_token, login

PERIODS = ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1"]

# Figures meeting every "community" condition of the defaults (and no "hub" one: M3 and the rest are absent).
COMMUNITY = {"M1P": Figure(10.0), "M1A": Figure(5.0), "R1D": Figure(1.0), "R1R": Figure(2.0),
             "M2": Figure(0.3, 6, 20), "QV": Figure(7.0), "Q1": Figure(0.75, 15, 20), "M4A": Figure(3.0, None, 40)}
# ... and every "hub" condition too.
HUB = {**COMMUNITY, "M3": Figure(9.0), "Q3": Figure(0.6, 6, 10), "Q4": Figure(1.0), "QA": Figure(4.0),
       "K1N": Figure(3.0), "K2": Figure(0.7, 7, 10), "R2": Figure(0.4, 4, 10)}
# Below the "community" stage: too few members, an insufficient Q1.
NONE = {**COMMUNITY, "M1P": Figure(4.0), "Q1": Figure(None, 1, 3, True)}
LEVELS = {"community": COMMUNITY, "hub": HUB, "none": NONE}


class FakeGroup:
    """A group computation returning, for each community, the figures of the level the scenario gives its quarter."""

    def __init__(self, scenario: dict[int, dict[str, str]]) -> None:
        self.scenario = scenario
        self.calls: list[str] = []

    def compute(self, ctx, community_ids):
        period = quarter_of(ctx.now.date())
        self.calls.append(period)
        return {cid: dict(LEVELS[self.scenario.get(cid, {}).get(period, "none")]) for cid in community_ids}


@pytest.fixture
def fake_groups(monkeypatch):
    """Install a fake group for a scenario {community_id: {period: level}}; network and practices stubbed."""
    def install(scenario):
        group = FakeGroup(scenario)
        monkeypatch.setattr(compute, "GROUPS", (group,))
        monkeypatch.setattr(indicators_package, "compute_network",
                            types.SimpleNamespace(compute=lambda ctx, stored: {"communities": len(stored)}),
                            raising=False)
        monkeypatch.setattr(indicators_package, "compute_practices", types.SimpleNamespace(compute=lambda ctx: {}),
                            raising=False)
        return group
    return install


def run_quarters(app, periods) -> None:
    with app.app_context():
        for period in periods:
            compute.run(period=period)


def stages(app, community_id: int) -> list[tuple[str, str, str]]:
    """(period, qualified_stage, stage) of a community's quarter snapshots, oldest first."""
    with app.app_context():
        rows = db.session.execute(select(IndicatorSnapshot.period, IndicatorSnapshot.qualified_stage,
                                         IndicatorSnapshot.stage).where(
            IndicatorSnapshot.community_id == community_id, IndicatorSnapshot.kind == "quarter")
            .order_by(IndicatorSnapshot.as_of)).all()
        return [tuple(row) for row in rows]


def quarter_snapshot(app, community_id: int, period: str) -> dict:
    with app.app_context():
        row = db.session.execute(select(IndicatorSnapshot).where(
            IndicatorSnapshot.community_id == community_id, IndicatorSnapshot.period == period)).scalar_one()
        return {"stage": row.stage, "qualified": row.qualified_stage, "checklist": row.checklist,
                "figures": row.figures}


def condition_row(snapshot: dict, stage: str, code: str) -> dict:
    return next(r for r in snapshot["checklist"] if r["stage"] == stage and r["code"] == code)


def scenario(levels: str) -> dict[str, str]:
    """"c c n n c" → {2026-Q1: community, 2026-Q2: community, 2026-Q3: none, ...}."""
    names = {"c": "community", "h": "hub", "n": "none"}
    return dict(zip(PERIODS, (names[letter] for letter in levels.split())))


def test_promotion_after_two_qualifying_quarters_and_demotion_after_two_failing(app, cworld, fake_groups):
    group = fake_groups({cworld.open.id: scenario("c c n n c")})
    run_quarters(app, PERIODS)
    assert group.calls == PERIODS
    assert stages(app, cworld.open.id) == [
        ("2026-Q1", "community", "starting"),  # one qualifying quarter: not yet
        ("2026-Q2", "community", "community"),  # two in a row: promoted
        ("2026-Q3", "starting", "community"),  # one failing: kept
        ("2026-Q4", "starting", "starting"),  # two failing: demoted
        ("2027-Q1", "community", "starting"),  # one qualifying again: not yet
    ]


def test_mixed_quarters_keep_the_stage(app, cworld, fake_groups):
    fake_groups({cworld.open.id: scenario("c n c n c"), cworld.moderated.id: scenario("c c n c n")})
    run_quarters(app, PERIODS)
    assert [s for _p, _q, s in stages(app, cworld.open.id)] == ["starting"] * 5
    # Promoted at Q2, then never two failing quarters in a row: it stays a community.
    assert [s for _p, _q, s in stages(app, cworld.moderated.id)] == ["starting"] + ["community"] * 4


def test_jump_is_limited_to_the_lower_of_the_two_quarters(app, cworld, fake_groups):
    fake_groups({cworld.open.id: scenario("h h c h n"), cworld.moderated.id: scenario("c h h n n"),
                 cworld.private.id: scenario("n n n n n")})
    run_quarters(app, PERIODS)
    # Two hub quarters from the start: straight to hub; a community quarter then does not demote it.
    assert [s for _p, _q, s in stages(app, cworld.open.id)] == ["starting", "hub", "hub", "hub", "hub"]
    # community then hub: promoted to the lower, community; hub twice: hub; then two failing: down to starting.
    assert [s for _p, _q, s in stages(app, cworld.moderated.id)] == [
        "starting", "community", "hub", "hub", "starting"]
    assert [s for _p, _q, s in stages(app, cworld.private.id)] == ["starting"] * 5


def test_demotion_goes_to_the_higher_of_the_two_quarters(app, cworld, fake_groups):
    fake_groups({cworld.open.id: scenario("h h c n c")})
    run_quarters(app, PERIODS)
    # hub held; community then starting: both below hub, so down to the higher of the two, community.
    assert [s for _p, _q, s in stages(app, cworld.open.id)] == ["starting", "hub", "hub", "community", "community"]


def test_a_quarter_recomputed_gives_the_same_stage(app, cworld, fake_groups):
    fake_groups({cworld.open.id: scenario("c c n n c")})
    run_quarters(app, PERIODS[:2])
    run_quarters(app, PERIODS[1:2])
    assert stages(app, cworld.open.id) == [("2026-Q1", "community", "starting"), ("2026-Q2", "community",
                                                                                  "community")]


def test_checklist_stored_with_each_condition_met_or_not(app, cworld, fake_groups):
    fake_groups({cworld.open.id: scenario("c c n n c")})
    run_quarters(app, PERIODS[:3])
    q2 = quarter_snapshot(app, cworld.open.id, "2026-Q2")
    assert condition_row(q2, "community", "M1P") == {
        "stage": "community", "code": "M1P", "operator": ">=", "threshold": 10, "min_n": None, "value": 10.0,
        "den": None, "met": True}
    assert condition_row(q2, "hub", "M3")["met"] is False and condition_row(q2, "hub", "M3")["value"] is None
    q3 = quarter_snapshot(app, cworld.open.id, "2026-Q3")
    assert condition_row(q3, "community", "Q1")["met"] is False  # insufficient data never meets
    assert q3["figures"]["Q1"]["insufficient"] is True


def admin_edit(client, admin, stage: str, code: str, threshold: str, note: str, min_n: str = "") -> None:
    """Edit a condition through the administrators' page, as a person would (htmx)."""
    assert login(client, admin).status_code == 303
    page = client.get("/admin/indicators/conditions").get_data(as_text=True)  # seeds the conditions too
    with client.application.app_context():
        condition_id = db.session.execute(select(StageCondition.id).where(
            StageCondition.stage == stage, StageCondition.code == code)).scalar_one()
    assert f'action="/admin/indicators/conditions/{condition_id}"' in page
    response = client.post(f"/admin/indicators/conditions/{condition_id}", headers={"HX-Request": "true"}, data={
        "threshold": threshold, "min_n": min_n, "note": note, "csrf_token": csrf_token(client, "/privacy")})
    assert response.status_code == 200, response.get_data(as_text=True)[:800]


def test_threshold_edited_by_an_administrator_takes_effect_at_the_next_computation(app, client, cworld,
                                                                                 fake_groups):
    fake_groups({cworld.open.id: scenario("c c c c c")})
    run_quarters(app, PERIODS[:2])
    assert [s for _p, _q, s in stages(app, cworld.open.id)] == ["starting", "community"]
    before = quarter_snapshot(app, cworld.open.id, "2026-Q2")

    # The community has exactly 10 members: raising M1P's threshold to 12 makes it fall short from now on.
    admin_edit(client, cworld.admin, "community", "M1P", "12", "Soglia più alta per la rete nazionale")

    # Snapshots already stored keep the checklist they were computed with.
    assert quarter_snapshot(app, cworld.open.id, "2026-Q2") == before
    assert condition_row(before, "community", "M1P")["threshold"] == 10

    run_quarters(app, PERIODS[2:3])
    q3 = quarter_snapshot(app, cworld.open.id, "2026-Q3")
    assert condition_row(q3, "community", "M1P") | {"value": None} == {
        "stage": "community", "code": "M1P", "operator": ">=", "threshold": 12, "min_n": None, "value": None,
        "den": None, "met": False}
    assert (q3["qualified"], q3["stage"]) == ("starting", "community")  # one failing quarter: kept
    run_quarters(app, PERIODS[3:4])
    assert quarter_snapshot(app, cworld.open.id, "2026-Q4")["stage"] == "starting"  # two: demoted

    with app.app_context():
        (change,) = db.session.execute(select(StageConditionChange)).scalars().all()
        assert (change.stage, change.code, change.old_threshold, change.new_threshold) == ("community", "M1P",
                                                                                          10, 12)
        assert (change.actor_id, change.note) == (cworld.admin.id, "Soglia più alta per la rete nazionale")


def test_min_n_edited_takes_effect_at_the_next_computation(app, client, cworld, fake_groups):
    fake_groups({cworld.open.id: scenario("h h h h h")})
    run_quarters(app, PERIODS[:2])
    assert quarter_snapshot(app, cworld.open.id, "2026-Q2")["stage"] == "hub"
    # Q3 (solved questions) counts 10 questions: a minimum of 15 makes the hub condition fail.
    admin_edit(client, cworld.admin, "hub", "Q3", "50", "Servono più domande per giudicare", min_n="15")
    run_quarters(app, PERIODS[2:4])
    q3 = quarter_snapshot(app, cworld.open.id, "2026-Q3")
    assert condition_row(q3, "hub", "Q3")["min_n"] == 15 and condition_row(q3, "hub", "Q3")["met"] is False
    assert [s for _p, _q, s in stages(app, cworld.open.id)] == ["starting", "hub", "hub", "community"]
    assert condition_row(quarter_snapshot(app, cworld.open.id, "2026-Q2"), "hub", "Q3")["min_n"] == 10
