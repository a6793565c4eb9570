"""Permission matrix of the discussion, decision, feedback and results routes (issue 13): every role of
tests/evaluation_world.py × the call's phases review, consensus, decided, as a full page and as an htmx request, with
what each POST changed (a refused request changes nothing).

Outcomes: "ok" (200, or 303 / 204 + HX-Redirect after a POST), "denied" (403 with the reason), "hidden" (404: the
candidacy does not exist for who may not see it — a conflicted member, a reviewer not assigned to it), "refused"
(422: the service says why, e.g. the discussion is closed), "login" (anonymous: 302 to sign in, 401 for htmx).
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Decision, DiscussionPost
from app.models.base import utcnow
from tests.conftest import csrf_token, login
from tests.evaluation_world import ROLES, add_conflict, assign, make_candidacy, make_review, set_phase

PHASES = ("review", "consensus", "decided")
SEES_CANDIDACY = {"candidate_referent", "candidate_member", "admin", "chair", "reviewer"}
COMMISSION = {"chair", "reviewer", "admin"}  # may discuss candidacy A
DECIDERS = {"chair", "admin"}
CANDIDATES = {"candidate_referent", "candidate_member"}


def expected(route: str, role: str, phase: str) -> str:
    if route == "results":
        return "ok" if phase == "decided" else "hidden"
    if role == "anonymous":
        return "login"
    if role not in SEES_CANDIDACY:
        return "hidden"
    if route == "discussion":
        return "ok" if role in COMMISSION else "denied"
    if route == "post":
        if role not in COMMISSION:
            return "denied"
        return "refused" if phase == "decided" else "ok"
    if route == "decision":
        return "ok" if role in DECIDERS else "denied"
    if route == "decide":
        return "ok" if role in DECIDERS and phase == "consensus" else "denied"
    if route == "feedback":
        return "ok" if phase == "decided" and role in CANDIDATES | {"admin"} else "denied"
    raise AssertionError(route)


def check(response, outcome: str, htmx: bool, method: str) -> None:
    code = response.status_code
    body = response.get_data(as_text=True)[:300]
    if outcome == "ok":
        if method == "GET":
            assert code == 200, (code, body)
            assert ("<html" in response.get_data(as_text=True)) != htmx
        elif htmx:
            assert code == 200 or (code == 204 and response.headers.get("HX-Redirect")), (code, body)
        else:
            assert code == 303, (code, body)
    elif outcome == "denied":
        assert code == 403, (code, body)
    elif outcome == "hidden":
        assert code == 404, (code, body)
    elif outcome == "refused":
        assert code == 422, (code, body)
    elif htmx:
        assert code == 401 and "/auth/login" in response.headers["HX-Redirect"], code
    else:
        assert code == 302 and "/auth/login" in response.headers["Location"], code


@pytest.fixture(params=PHASES)
def phase_scene(request, app, eworld):
    phase = request.param
    with app.app_context():
        a = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id)
        b = make_candidacy(eworld.call.id, eworld.other_practice.id, eworld.other_referent.id)
        make_review(assign(a.id, eworld.reviewer.id).id, {"innovation": 4, "impact": 4, "engagement": 3,
                                                           "relevance": 3, "sustainability": 3, "transferability": 3})
        assign(a.id, eworld.reviewer_conflicted.id)
        add_conflict(eworld.call.id, a.id, eworld.reviewer_conflicted.id, status="suggested")
        assign(b.id, eworld.reviewer_unassigned.id)
        a_id = a.id
        if phase == "decided":
            for candidacy in (a, b):
                db.session.add(Decision(candidacy_id=candidacy.id, outcome="recognised", motivation="Motivata.",
                                        published_at=utcnow()))
            db.session.commit()
    set_phase(app, eworld.call.id, phase)
    return phase, a_id


def counts(app) -> tuple[int, list]:
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(DiscussionPost)),
                sorted(db.session.execute(select(Decision.outcome, Decision.motivation)).all()))


@pytest.mark.parametrize("role", ROLES)
def test_routes_by_role_and_phase(app, eworld, phase_scene, role):
    phase, a = phase_scene
    client = app.test_client()
    if role != "anonymous":
        assert login(client, eworld.person(role)).status_code == 303
    routes = {
        "discussion": ("GET", f"/evaluation/candidacies/{a}/discussion", None),
        "post": ("POST", f"/evaluation/candidacies/{a}/discussion", {"body": "Un parere."}),
        "decision": ("GET", f"/evaluation/candidacies/{a}/decision", None),
        "decide": ("POST", f"/evaluation/candidacies/{a}/decision",
                   {"outcome": "special_mention", "motivation": "Per il metodo."}),
        "feedback": ("GET", f"/evaluation/candidacies/{a}/feedback", None),
        "results": ("GET", "/evaluation/calls/premio-buone-pratiche-2026/results", None),
    }
    token = csrf_token(client, "/privacy")
    for name, (method, url, data) in routes.items():
        outcome = expected(name, role, phase)
        for htmx in (False, True):
            before = counts(app)
            headers = {"HX-Request": "true"} if htmx else {}
            if method == "GET":
                response = client.get(url, headers=headers)
            else:
                response = client.post(url, data={**data, "csrf_token": token}, headers=headers)
            check(response, outcome, htmx, method)
            after = counts(app)
            if method == "POST" and outcome == "ok":
                if name == "post":
                    assert after[0] == before[0] + 1
                else:
                    assert ("special_mention", "Per il metodo.") in after[1]
            else:
                assert after == before, (name, role, phase)
