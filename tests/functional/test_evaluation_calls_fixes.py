"""Fixes of the review findings on calls (issue 13): the audit log leaves out a conflicted reader's candidacies,
removing a commission member ends their assignments (refused once they sent a review), the call's dates are bounded,
and ids read from a query or a form never give a 500."""
from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Assignment, CommissionMember, EvaluationAudit, EvaluationCall
from tests.conftest import login, post
from tests.evaluation_world import add_conflict, assign, make_candidacy, make_review, set_phase
from tests.functional.test_evaluation_calls import GOOD

SCORES = {"innovation": 5, "impact": 4, "engagement": 3, "relevance": 3, "sustainability": 2, "transferability": 1}


def in_review(app, eworld, phase: str = "review") -> dict:
    """Chieri's candidacy assigned to `reviewer` and `reviewer_unassigned`."""
    with app.app_context():
        candidacy = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id)
        first = assign(candidacy.id, eworld.reviewer.id, by_id=eworld.chair.id)
        second = assign(candidacy.id, eworld.reviewer_unassigned.id, by_id=eworld.chair.id)
        ids = dict(candidacy=candidacy.id, first=first.id, second=second.id)
    set_phase(app, eworld.call.id, phase)
    return ids


def member_id(app, eworld, user) -> int:
    with app.app_context():
        return db.session.execute(select(CommissionMember.id).where(
            CommissionMember.call_id == eworld.call.id, CommissionMember.user_id == user.id)).scalar_one()


def actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.execute(select(EvaluationAudit.action).order_by(EvaluationAudit.id)).scalars())


# ---- the audit log (finding 3) ---------------------------------------------------------------------------------

def audit_text(app, eworld, user) -> str:
    client = app.test_client()
    login(client, user)
    response = client.get(f"/evaluation/calls/{eworld.call.slug}/audit")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_audit_log_hides_a_candidacy_from_a_conflicted_chair_only(app, client, eworld):
    from app.evaluation.core import audit
    from app.models import Candidacy

    ids = in_review(app, eworld)
    with app.app_context():
        call = db.session.get(EvaluationCall, eworld.call.id)
        candidacy = db.session.get(Candidacy, ids["candidacy"])
        audit(call, "review.submit", None, candidacy, assignment=ids["first"], total=3.0)
        audit(call, "criterion.update", None, code="nascosto-mai")
        db.session.commit()
    text = audit_text(app, eworld, eworld.chair)  # not conflicted: reads everything
    assert f"n. {ids['candidacy']}" in text and "total: 3.0" in text and "nascosto-mai" in text
    with app.app_context():
        add_conflict(eworld.call.id, ids["candidacy"], eworld.chair.id, kind="personal", source="chair",
                     status="confirmed")
    text = audit_text(app, eworld, eworld.chair)
    assert f"n. {ids['candidacy']}" not in text and "total: 3.0" not in text
    assert "nascosto-mai" in text  # the call's own entries stay
    text = audit_text(app, eworld, eworld.admin)  # administrators read every entry
    assert "total: 3.0" in text


def test_a_dismissed_conflict_does_not_hide_the_entries(app, client, eworld):
    from app.evaluation.core import audit
    from app.models import Candidacy

    ids = in_review(app, eworld)
    with app.app_context():
        audit(db.session.get(EvaluationCall, eworld.call.id), "review.submit", None,
              db.session.get(Candidacy, ids["candidacy"]), total=4.5)
        db.session.commit()
        add_conflict(eworld.call.id, ids["candidacy"], eworld.chair.id, status="dismissed")
    assert "total: 4.5" in audit_text(app, eworld, eworld.chair)


# ---- removing a member (finding 9) -----------------------------------------------------------------------------

def test_removing_a_member_ends_their_assignments_not_yet_done(app, client, eworld):
    ids = in_review(app, eworld)
    with app.app_context():
        make_review(ids["second"], {"innovation": 2}, submitted=False)  # a draft at most
    login(client, eworld.chair)
    response = post(client, f"/evaluation/calls/{eworld.call.slug}/commission/"
                            f"{member_id(app, eworld, eworld.reviewer_unassigned)}/remove")
    assert response.status_code == 303
    with app.app_context():
        ended = db.session.get(Assignment, ids["second"])
        assert ended.status == "declined" and ended.ended_at is not None
        assert db.session.get(Assignment, ids["first"]).status == "assigned"  # the others' stay
    assert actions(app)[-2:] == ["assignment.member_removed", "commission.remove"]
    page = client.get(f"/evaluation/calls/{eworld.call.slug}/audit").get_data(as_text=True)
    assert "tolta dalla commissione" in page


def test_removing_a_member_who_sent_a_review_is_refused(app, client, eworld):
    ids = in_review(app, eworld)
    with app.app_context():
        make_review(ids["second"], SCORES)
        before = db.session.execute(select(func.count()).select_from(EvaluationAudit)).scalar()
    login(client, eworld.chair)
    response = post(client, f"/evaluation/calls/{eworld.call.slug}/commission/"
                            f"{member_id(app, eworld, eworld.reviewer_unassigned)}/remove")
    assert response.status_code == 422
    assert "ha già inviato almeno una valutazione" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Assignment, ids["second"]).status == "submitted"
        assert db.session.execute(select(CommissionMember.active).where(
            CommissionMember.user_id == eworld.reviewer_unassigned.id)).scalar() is True
        assert db.session.execute(select(func.count()).select_from(EvaluationAudit)).scalar() == before


# ---- dates (finding 10) ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("field", ["opens_on", "closes_on", "review_due_on", "consensus_due_on"])
@pytest.mark.parametrize("value", ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"])
def test_every_date_of_the_call_is_bounded_at_its_field(app, client, eworld, field, value):
    login(client, eworld.admin)
    dates = {"opens_on": "", "closes_on": "", "review_due_on": "", "consensus_due_on": "", field: value}
    before = actions(app)
    response = post(client, "/evaluation/calls/new", {**GOOD, **dates, "closes_time": "00:30"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Indicate una data tra il 2000 e il 2100." in text and f'id="{field}-error"' in text
    assert "Budget complessivo" in text  # the rest is kept
    assert actions(app) == before


def test_the_edit_form_bounds_the_dates_too(app, client, eworld):
    login(client, eworld.chair)
    response = post(client, f"/evaluation/calls/{eworld.call.slug}/edit",
                    {**GOOD, "opens_on": "", "closes_on": "0001-01-01", "closes_time": "00:30"})
    assert response.status_code == 422
    assert 'id="closes_on-error"' in response.get_data(as_text=True)


def test_to_utc_refuses_a_moment_out_of_the_calendar(app):
    from app.evaluation.calls import to_utc
    from app.evaluation.core import EvaluationError

    with pytest.raises(EvaluationError) as refused:
        to_utc(date(1, 1, 1), time(0, 30))
    assert refused.value.field == "closes_on"
    assert to_utc(date(2027, 3, 31), time(18, 0)).hour == 16


# ---- ids from a query or a form (finding 11) -------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["%C2%B2", "%D9%A3", "1" * 5000, "-1", "abc", "99999999999", "%00"])
def test_a_strange_edit_parameter_is_just_no_edit(app, client, eworld, raw):
    login(client, eworld.chair)
    response = client.get(f"/evaluation/calls/{eworld.call.slug}/criteria?edit={raw}")
    assert response.status_code == 200


def test_the_edit_parameter_still_opens_a_criterion(app, client, eworld):
    from app.models import Criterion

    with app.app_context():
        criterion = db.session.execute(select(Criterion).where(Criterion.call_id == eworld.call.id,
                                                               Criterion.code == "impact")).scalar_one()
        criterion_id = criterion.id
    login(client, eworld.chair)
    text = client.get(f"/evaluation/calls/{eworld.call.slug}/criteria?edit={criterion_id}").get_data(as_text=True)
    assert f'value="{criterion_id}"' in text


@pytest.mark.parametrize("raw", ["²", "٣", "1" * 5000, "", "x"])
def test_a_strange_move_or_deputy_value_is_a_bad_request(app, client, eworld, raw):
    login(client, eworld.chair)
    before = actions(app)
    slug = eworld.call.slug
    assert post(client, f"/evaluation/calls/{slug}/criteria", {"move": raw, "direction": "up"}).status_code == 400
    assert post(client, f"/evaluation/calls/{slug}/commission", {"toggle_deputy": raw}).status_code == 400
    assert actions(app) == before


def test_an_anchor_score_of_many_digits_is_refused_at_its_field(app, client, eworld):
    login(client, eworld.chair)
    response = post(client, f"/evaluation/calls/{eworld.call.slug}/criteria",
                    {"code": "nuovo", "title_it": "Nuovo", "scale_min": "0", "scale_max": "5", "weight": "1",
                     "anchors": "9" * 4500 + ": troppo"})
    assert response.status_code == 422
    assert 'id="anchors-error"' in response.get_data(as_text=True)
