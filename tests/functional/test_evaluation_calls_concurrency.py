"""Simultaneous moves on a call (issue 13): the chair and an administrator closing at once, one person added twice
at once, two criteria with one code at once — one consistent result, the other refused. Real threads, each with
its own application context and database connection, on SQLite and PostgreSQL."""
from __future__ import annotations

from sqlalchemy import func, select

from app.evaluation import calls, commission
from app.evaluation.core import EvaluationError
from app.extensions import db
from app.models import CommissionMember, Criterion, EvaluationAudit, EvaluationCall, User
from tests.functional.test_qa_concurrency import at_once, count  # services released together, as in Q&A

CRITERION = dict(code="accessibility", title_it="Accessibilità", title_en="", guidance="", scale_min=0, scale_max=5,
                 anchors={}, weight=1.0, required=True, candidate_visible=True)


def loaded(call_id: int, user_id: int):
    return db.session.get(EvaluationCall, call_id), db.session.get(User, user_id)


def test_closing_twice_at_once_closes_once(app, eworld):
    def closer(user_id):
        def prepare():
            call, user = loaded(eworld.call.id, user_id)
            assert call.phase == "open"
            return lambda: calls.change_phase(call, "close", user)
        return prepare

    results = at_once(app, [closer(eworld.chair.id), closer(eworld.admin.id)])
    assert sorted(type(r).__name__ for r in results) == ["CallPhase", "EvaluationError"], results
    assert count(app, EvaluationAudit, EvaluationAudit.action == "call.close") == 1


def test_one_person_added_twice_at_once_is_one_member(app, eworld):
    def adder(user_id):
        def prepare():
            call, user = loaded(eworld.call.id, user_id)
            return lambda: commission.add_member(call, user, eworld.member.email)
        return prepare

    results = at_once(app, [adder(eworld.chair.id), adder(eworld.admin.id)])
    assert sum(isinstance(r, EvaluationError) for r in results) == 1, results
    assert count(app, CommissionMember, CommissionMember.user_id == eworld.member.id) == 1
    assert count(app, EvaluationAudit, EvaluationAudit.action == "commission.add") == 1


def test_two_criteria_with_one_code_at_once_are_one(app, eworld):
    def adder(user_id):
        def prepare():
            call, user = loaded(eworld.call.id, user_id)
            assert len(call.criteria) == 6
            return lambda: calls.save_criterion(call, user, dict(CRITERION))
        return prepare

    results = at_once(app, [adder(eworld.chair.id), adder(eworld.admin.id)])
    assert sum(isinstance(r, EvaluationError) for r in results) == 1, results
    assert count(app, Criterion, Criterion.code == "accessibility") == 1
