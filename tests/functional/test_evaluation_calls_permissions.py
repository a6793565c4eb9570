"""Permission matrix of the calls' routes (issue 13): every role of tests/evaluation_world.ROLES × every route ×
the phases draft and open, as a full page and as an htmx request, with what each POST changed.

Outcomes: "ok" (200, or 303 / 204 + HX-Redirect after a POST), "denied" (403 with the reason), "hidden" (404: a
draft call does not exist for outsiders), "login" (anonymous: 302 to sign in, or 401 + HX-Redirect for htmx).
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import CommissionMember, Criterion, EvaluationAudit, EvaluationCall
from tests.conftest import csrf_token, login
from tests.evaluation_world import ROLES, set_phase

COMMISSION = {"reviewer", "reviewer_conflicted", "reviewer_unassigned", "deputy"}
RUNNERS = {"admin", "chair"}
SEES_DRAFT = RUNNERS | COMMISSION
PUBLIC = {"list", "page"}

SETTINGS = {"title": "Premio rinnovato", "year": "2026", "reviewers_per_candidacy": "2", "max_load": "6",
            "disagreement_threshold": "1.5", "closes_on": "2030-12-31", "closes_time": "12:00"}
CRITERION = {"code": "extra1", "title_it": "Criterio in più", "scale_min": "0", "scale_max": "5", "weight": "1"}


def expected(route: str, role: str, phase: str) -> str:
    if route == "list":
        return "ok"
    if role == "anonymous" and route not in PUBLIC:
        return "login"
    if route == "new":
        return "ok" if role == "admin" else "denied"
    if phase == "draft" and role not in SEES_DRAFT:
        return "hidden"
    if route == "page":
        return "ok"
    return "ok" if role in RUNNERS else "denied"


def check(response, outcome: str, htmx: bool, post: bool = False) -> None:
    code = response.status_code
    text = response.get_data(as_text=True)
    if outcome == "ok":
        if post:
            assert code == (204 if htmx else 303), (code, text[:500])
            assert (response.headers.get("HX-Redirect") if htmx else response.headers.get("Location"))
        else:
            assert code == 200, (code, text[:500])
    elif outcome == "denied":
        assert code == 403, (code, text[:300])
    elif outcome == "hidden":
        assert code == 404, code
    elif htmx:
        assert code == 401 and "/auth/login" in response.headers["HX-Redirect"], code
    else:
        assert code == 302 and "/auth/login" in response.headers["Location"], code


def snapshot(app, call_id: int) -> dict:
    with app.app_context():
        call = db.session.get(EvaluationCall, call_id)
        return dict(title=call.title, phase=call.phase, criteria=sorted(c.code for c in call.criteria),
                    members=sorted((m.user_id, m.active) for m in db.session.execute(
                        select(CommissionMember).where(CommissionMember.call_id == call_id)).scalars()),
                    calls=db.session.execute(select(func.count()).select_from(EvaluationCall)).scalar(),
                    audits=db.session.execute(select(func.count()).select_from(EvaluationAudit)).scalar())


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("phase", ["draft", "open"])
@pytest.mark.parametrize("role", ROLES)
def test_call_routes(app, client, eworld, role, phase, htmx):
    if phase == "draft":
        set_phase(app, eworld.call.id, "draft")
    if role != "anonymous":
        assert login(client, eworld.person(role)).status_code in (302, 303)
    token = csrf_token(client, "/privacy")
    headers = {"HX-Request": "true"} if htmx else {}
    base = f"/evaluation/calls/{eworld.call.slug}"

    def send(url, data=None):
        return client.post(url, data={**(data or {}), "csrf_token": token}, headers=headers)

    def outcome(route):
        return expected(route, role, phase)

    # GETs
    response = client.get("/evaluation/", headers=headers)
    check(response, "ok", htmx)
    text = response.get_data(as_text=True)
    assert ("<html" in text) is (not htmx)
    assert ("Premio buone pratiche 2026" in text) is (phase == "open" or role in SEES_DRAFT)
    response = client.get(base, headers=headers)
    check(response, outcome("page"), htmx)
    if response.status_code == 200:
        page = response.get_data(as_text=True)
        assert ("/phase/" in page) is (role in RUNNERS)  # the phase buttons
        assert (f"{base}/criteria" in page) is (role in RUNNERS)
    for tail, route in (("/edit", "settings"), ("/criteria", "criteria"), ("/commission", "commission"),
                        ("/audit", "audit")):
        response = client.get(base + tail, headers=headers)
        check(response, outcome(route), htmx)
        if response.status_code == 200:
            assert ("<html" in response.get_data(as_text=True)) is (not htmx)
        if response.status_code == 403:
            assert "chi presiede la commissione" in response.get_data(as_text=True)
    check(client.get("/evaluation/calls/new", headers=headers), outcome("new"), htmx)

    # POSTs, each with what it changed.
    before = snapshot(app, eworld.call.id)
    check(send(base + "/edit", SETTINGS), outcome("settings"), htmx, post=True)
    after = snapshot(app, eworld.call.id)
    assert after["title"] == ("Premio rinnovato" if outcome("settings") == "ok" else before["title"])

    before = after
    check(send(base + "/criteria", CRITERION), outcome("criteria"), htmx, post=True)
    after = snapshot(app, eworld.call.id)
    assert ("extra1" in after["criteria"]) is (outcome("criteria") == "ok")

    with app.app_context():
        last = db.session.execute(select(Criterion.id).where(Criterion.call_id == eworld.call.id,
                                                             Criterion.code == "transferability")).scalar_one()
        unassigned = db.session.execute(select(CommissionMember.id).where(
            CommissionMember.user_id == eworld.reviewer_unassigned.id)).scalar_one()
    before = after
    check(send(f"{base}/criteria/{last}/delete"), outcome("criteria"), htmx, post=True)
    after = snapshot(app, eworld.call.id)
    assert ("transferability" in after["criteria"]) is (outcome("criteria") != "ok")

    before = after
    check(send(base + "/commission", {"email": eworld.member.email}), outcome("commission"), htmx, post=True)
    after = snapshot(app, eworld.call.id)
    assert ((eworld.member.id, True) in after["members"]) is (outcome("commission") == "ok")

    before = after
    check(send(f"{base}/commission/{unassigned}/remove"), outcome("commission"), htmx, post=True)
    after = snapshot(app, eworld.call.id)
    assert ((eworld.reviewer_unassigned.id, False) in after["members"]) is (outcome("commission") == "ok")

    before = after
    check(send(f"{base}/phase/{'open' if phase == 'draft' else 'close'}"), outcome("phase"), htmx, post=True)
    after = snapshot(app, eworld.call.id)
    moved = {"draft": "open", "open": "closed"}[phase]
    assert after["phase"] == (moved if outcome("phase") == "ok" else phase)

    check(send("/evaluation/calls/new", {**SETTINGS, "title": "Un avviso nuovo"}), outcome("new"), htmx, post=True)
    final = snapshot(app, eworld.call.id)
    assert final["calls"] == before["calls"] + (1 if outcome("new") == "ok" else 0)
    # Nothing refused left a trace in the audit log; what passed did.
    assert (final["audits"] > 0) is (role in RUNNERS)


@pytest.mark.parametrize("phase", ["closed", "review", "consensus", "decided"])
def test_later_phases_stay_public_and_run_by_the_same_people(app, client, eworld, phase):
    set_phase(app, eworld.call.id, phase)
    base = f"/evaluation/calls/{eworld.call.slug}"
    assert client.get(base).status_code == 200
    assert eworld.call.slug in client.get("/evaluation/?phase=" + phase).get_data(as_text=True)
    login(client, eworld.reviewer)
    assert client.get(base + "/criteria").status_code == 403
    other = app.test_client()
    login(other, eworld.chair)
    for tail in ("/edit", "/criteria", "/commission", "/audit"):
        assert other.get(base + tail).status_code == 200, tail
