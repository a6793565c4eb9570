"""Fixes of the review findings on candidacies (issue 13): withdrawing once candidacies are closed ends the
assignments not yet started (refused once a reviewer has started a review); a practice parameter with a control
character is a 404, never a 500."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Assignment, Candidacy, EvaluationAudit, Review
from tests.conftest import login, post
from tests.evaluation_world import assign, make_candidacy, make_review, set_phase


def in_closed_phase(app, eworld) -> dict:
    with app.app_context():
        candidacy = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id)
        first = assign(candidacy.id, eworld.reviewer.id, by_id=eworld.chair.id)
        second = assign(candidacy.id, eworld.reviewer_unassigned.id, by_id=eworld.chair.id)
        declined = assign(candidacy.id, eworld.deputy.id, status="declined")
        ids = dict(candidacy=candidacy.id, first=first.id, second=second.id, declined=declined.id)
    set_phase(app, eworld.call.id, "closed")
    return ids


def withdraw(client, candidacy_id: int, htmx: bool = False):
    return post(client, f"/evaluation/candidacies/{candidacy_id}/withdraw", {"confirmed": "1"}, htmx=htmx)


def test_withdrawing_deletes_the_assignments_not_yet_started_and_audits_them(app, client, eworld):
    ids = in_closed_phase(app, eworld)
    login(client, eworld.candidate_referent)
    assert withdraw(client, ids["candidacy"]).status_code == 303
    with app.app_context():
        assert db.session.get(Candidacy, ids["candidacy"]).status == "withdrawn"
        assert db.session.get(Assignment, ids["first"]) is None and db.session.get(Assignment, ids["second"]) is None
        assert db.session.get(Assignment, ids["declined"]).status == "declined"  # kept for the minutes
        entries = db.session.execute(select(EvaluationAudit).where(
            EvaluationAudit.candidacy_id == ids["candidacy"]).order_by(EvaluationAudit.id)).scalars().all()
        removed = [each.detail for each in entries if each.action == "assignment.remove"]
        assert sorted(each["assignment"] for each in removed) == sorted([ids["first"], ids["second"]])
        assert all(each["withdrawn"] is True for each in removed)
        assert entries[-1].action == "candidacy.withdraw"
    reviewer = app.test_client()
    login(reviewer, eworld.reviewer)
    assert reviewer.get("/evaluation/reviewer").status_code == 200


@pytest.mark.parametrize("submitted", [False, True])
def test_withdrawing_is_refused_once_a_reviewer_has_started(app, client, eworld, submitted):
    ids = in_closed_phase(app, eworld)
    with app.app_context():
        make_review(ids["first"], {"innovation": 3}, submitted=submitted)
        before = db.session.execute(select(func.count()).select_from(EvaluationAudit)).scalar()
    login(client, eworld.candidate_referent)
    response = withdraw(client, ids["candidacy"], htmx=True)
    assert response.status_code == 422
    assert "La commissione ha già iniziato a valutare" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Candidacy, ids["candidacy"]).status == "submitted"
        assert db.session.get(Assignment, ids["second"]).status == "assigned"
        assert db.session.execute(select(func.count()).select_from(Review)).scalar() == 1
        assert db.session.execute(select(func.count()).select_from(EvaluationAudit)).scalar() == before


def test_withdrawing_while_open_without_assignments_is_unchanged(app, client, eworld):
    with app.app_context():
        candidacy_id = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id).id
    login(client, eworld.candidate_referent)
    assert withdraw(client, candidacy_id).status_code == 303
    with app.app_context():
        assert db.session.get(Candidacy, candidacy_id).status == "withdrawn"


@pytest.mark.parametrize("raw", ["a%00b", "%00", "a%0Ab", "a%7Fb", "x" * 300])
def test_a_practice_parameter_with_a_control_character_is_a_404(app, client, eworld, raw):
    login(client, eworld.candidate_referent)
    for method in (client.get, client.post):
        response = method(f"/evaluation/calls/{eworld.call.slug}/candidacies/new?practice={raw}")
        assert response.status_code in (400, 404), (method, response.status_code)


def test_the_practice_parameter_still_finds_the_practice(app, client, eworld):
    login(client, eworld.candidate_referent)
    response = client.get(f"/evaluation/calls/{eworld.call.slug}/candidacies/new?practice={eworld.practice.slug}")
    assert response.status_code == 200
