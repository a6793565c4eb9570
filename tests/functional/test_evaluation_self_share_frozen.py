"""Sharing self-assessment items once candidacies are closed (review finding 7): a submitted candidacy takes new
items only while the call is open and before its deadline; after that what was submitted is frozen. A draft still
takes them (it can no longer be sent anyway)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import EvaluationCall
from app.models.base import utcnow
from tests.conftest import login, post
from tests.evaluation_world import set_phase
from tests.functional.test_evaluation_self_share import audits, setup_share, shared


def share(client, candidacy_id: int, assessment_id: int):
    return post(client, f"/evaluation/candidacies/{candidacy_id}/share",
                {"assessment": assessment_id, "items": ["1.1"]})


def test_a_submitted_candidacy_takes_items_while_the_call_is_open(app, client, eworld):
    assessment_id, candidacy_id = setup_share(app, eworld, status="submitted")
    login(client, eworld.candidate_referent)
    assert share(client, candidacy_id, assessment_id).status_code == 303
    assert [each.item_code for each in shared(app)] == ["1.1"]


def test_no_new_item_after_the_deadline_even_while_the_phase_is_open(app, client, eworld):
    assessment_id, candidacy_id = setup_share(app, eworld, status="submitted")
    with app.app_context():
        db.session.get(EvaluationCall, eworld.call.id).closes_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    login(client, eworld.candidate_referent)
    page = client.get(f"/evaluation/candidacies/{candidacy_id}/share")
    assert page.status_code == 200
    response = share(client, candidacy_id, assessment_id)
    assert response.status_code == 422
    assert "dopo la chiusura quanto inviato non cambia più" in response.get_data(as_text=True)
    assert shared(app) == [] and audits(app, "candidacy.share_items") == []


@pytest.mark.parametrize("phase", ["closed", "review", "consensus"])
def test_a_submitted_candidacy_is_frozen_once_candidacies_are_closed(app, client, eworld, phase):
    assessment_id, candidacy_id = setup_share(app, eworld, status="submitted")
    set_phase(app, eworld.call.id, phase)
    login(client, eworld.candidate_referent)
    assert share(client, candidacy_id, assessment_id).status_code == 422
    assert shared(app) == []


def test_a_draft_still_takes_items_after_closing(app, client, eworld):
    assessment_id, candidacy_id = setup_share(app, eworld, status="draft")
    set_phase(app, eworld.call.id, "closed")
    login(client, eworld.candidate_referent)
    assert share(client, candidacy_id, assessment_id).status_code == 303
    assert len(shared(app)) == 1


def test_may_share_now_reads_status_phase_and_deadline(app, eworld):
    from app.evaluation.self_services import may_share_now
    from app.models import Candidacy

    _assessment_id, candidacy_id = setup_share(app, eworld, status="submitted")
    with app.app_context():
        candidacy = db.session.get(Candidacy, candidacy_id)
        assert may_share_now(candidacy)
        candidacy.call.closes_at = utcnow() - timedelta(seconds=1)
        assert not may_share_now(candidacy)
        candidacy.status = "draft"
        assert may_share_now(candidacy)
        candidacy.call.phase = "decided"
        assert not may_share_now(candidacy)
        candidacy.status, candidacy.call.phase = "withdrawn", "open"
        assert not may_share_now(candidacy)
        db.session.rollback()
