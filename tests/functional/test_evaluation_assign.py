"""Assignments (issue 13, point 6): the chair's matrix by role, a conflicted reviewer refused with nothing saved,
assign and remove (full page and htmx), the automatic assignment on a few candidacies, preferences, declining,
the reviewer's dashboard, the reminder and the dashboard box."""
from __future__ import annotations

from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Assignment, EvaluationAudit, EvaluationCall, Notification, ReviewPreference
from tests.conftest import csrf_token, login, make_practice
from tests.evaluation_world import ROLES, add_conflict, assign, make_candidacy, set_phase


def _sign_in(client, eworld, role):
    if role != "anonymous":
        assert login(client, eworld.person(role)).status_code == 303


def _post(client, url, data=None, htmx=False):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client, "/privacy")}, headers=headers)


def _get(client, url, htmx=False):
    return client.get(url, headers={"HX-Request": "true"} if htmx else {})


def _assignments(app):
    with app.app_context():
        return sorted((a.candidacy_id, a.user_id, a.status) for a in db.session.execute(select(Assignment)).scalars())


@pytest.fixture
def closed(app, eworld):
    """Two submitted candidacies; the reuser conflict of Torino on the first suggested; the call closed."""
    with app.app_context():
        first = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id).id
        second = make_candidacy(eworld.call.id, eworld.other_practice.id, eworld.other_referent.id).id
        add_conflict(eworld.call.id, first, eworld.reviewer_conflicted.id)
    set_phase(app, eworld.call.id, "closed")
    return first, second


# ---- the matrix ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("role", ROLES)
def test_the_assignments_page_by_role(app, client, eworld, closed, role, htmx):
    _sign_in(client, eworld, role)
    response = _get(client, f"/evaluation/calls/{eworld.call.slug}/assignments", htmx)
    allowed = role in ("chair", "admin")
    assert response.status_code == ((401 if htmx else 302) if role == "anonymous" else (200 if allowed else 403))
    if allowed:
        page = response.get_data(as_text=True)
        assert ("<html" in page) is not htmx
        assert "Assegna automaticamente" in page and "0 su 2" in page and "In conflitto" in page


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("role", ROLES)
def test_assigning_by_role(app, client, eworld, closed, role, htmx):
    first, _second = closed
    if role == "anonymous":
        return
    _sign_in(client, eworld, role)
    response = _post(client, f"/evaluation/calls/{eworld.call.slug}/assignments",
                     {"candidacy": str(first), "reviewer": str(eworld.reviewer.id)}, htmx=htmx)
    allowed = role in ("chair", "admin")
    assert response.status_code == ((200 if htmx else 303) if allowed else 403)
    assert _assignments(app) == ([(first, eworld.reviewer.id, "assigned")] if allowed else [])
    if allowed:
        with app.app_context():
            assert db.session.execute(select(Notification.user_id).where(
                Notification.verb == "evaluation.assigned")).scalars().all() == [eworld.reviewer.id]
            assert db.session.execute(select(EvaluationAudit.action)).scalars().all() == ["assignment.add"]
        if htmx:
            assert "1 su 2" in response.get_data(as_text=True)


@pytest.mark.parametrize("htmx", [False, True])
def test_assigning_a_conflicted_reviewer_is_refused_and_nothing_is_saved(app, client, eworld, closed, htmx):
    first, _second = closed
    _sign_in(client, eworld, "chair")
    response = _post(client, f"/evaluation/calls/{eworld.call.slug}/assignments",
                     {"candidacy": str(first), "reviewer": str(eworld.reviewer_conflicted.id)}, htmx=htmx)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "in conflitto di interessi con la candidatura" in page
    assert f'id="error-{first}-{eworld.reviewer_conflicted.id}"' in page  # at the cell
    assert _assignments(app) == []
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(EvaluationAudit)).scalar() == 0


def test_assigning_twice_a_non_member_or_a_foreign_candidacy(app, client, eworld, closed):
    first, _second = closed
    url = f"/evaluation/calls/{eworld.call.slug}/assignments"
    _sign_in(client, eworld, "chair")
    assert _post(client, url, {"candidacy": str(first), "reviewer": str(eworld.reviewer.id)}).status_code == 303
    response = _post(client, url, {"candidacy": str(first), "reviewer": str(eworld.reviewer.id)})
    assert response.status_code == 422
    assert "già la candidatura" in response.get_data(as_text=True)
    assert _post(client, url, {"candidacy": str(first), "reviewer": str(eworld.member.id)}).status_code == 422
    assert _post(client, url, {"candidacy": "999999", "reviewer": str(eworld.reviewer.id)}).status_code == 404
    assert _post(client, url, {"candidacy": "x", "reviewer": "y"}).status_code == 404
    assert len(_assignments(app)) == 1


def test_no_assignment_while_the_call_is_open(app, client, eworld):
    with app.app_context():
        first = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id).id
    _sign_in(client, eworld, "chair")
    page = client.get(f"/evaluation/calls/{eworld.call.slug}/assignments").get_data(as_text=True)
    assert "Assegna automaticamente" not in page
    response = _post(client, f"/evaluation/calls/{eworld.call.slug}/assignments",
                     {"candidacy": str(first), "reviewer": str(eworld.reviewer.id)})
    assert response.status_code == 422
    assert _assignments(app) == []


@pytest.mark.parametrize("htmx", [False, True])
def test_removing_an_assignment(app, client, eworld, closed, htmx):
    first, _second = closed
    with app.app_context():
        assignment_id = assign(first, eworld.reviewer.id).id
        done_id = assign(first, eworld.reviewer_unassigned.id, status="submitted").id
    _sign_in(client, eworld, "reviewer")
    assert _post(client, f"/evaluation/assignments/{assignment_id}/remove").status_code == 403
    _post(client, "/auth/logout")
    _sign_in(client, eworld, "chair")
    response = _post(client, f"/evaluation/assignments/{done_id}/remove", htmx=htmx)
    assert response.status_code == 422
    response = _post(client, f"/evaluation/assignments/{assignment_id}/remove", htmx=htmx)
    assert response.status_code == (200 if htmx else 303)
    assert _assignments(app) == [(first, eworld.reviewer_unassigned.id, "submitted")]
    assert _post(client, "/evaluation/assignments/999999/remove").status_code == 404


# ---- automatic -----------------------------------------------------------------------------------------------------

def test_auto_assign_covers_balances_and_skips_conflicts(app, client, eworld, closed):
    first, second = closed
    with app.app_context():
        from app.models import Community, Organization

        third = make_candidacy(eworld.call.id, make_practice(
            "Terza pratica", db.session.get(Community, eworld.community.id),
            db.session.get(Organization, eworld.chieri.id)).id, eworld.candidate_referent.id).id
    _sign_in(client, eworld, "chair")
    response = _post(client, f"/evaluation/calls/{eworld.call.slug}/assignments/auto", htmx=True)
    assert response.status_code == 200
    assert "nuovi incarichi" in response.get_data(as_text=True)
    rows = _assignments(app)
    reviewers = {eworld.reviewer.id, eworld.reviewer_conflicted.id, eworld.reviewer_unassigned.id}
    for cid in (first, second, third):
        assert len([r for r in rows if r[0] == cid]) == 2
    assert all(uid in reviewers for _cid, uid, _status in rows)  # not the deputy
    assert (first, eworld.reviewer_conflicted.id, "assigned") not in rows
    loads = [len([r for r in rows if r[1] == uid]) for uid in reviewers]
    assert sorted(loads) == [2, 2, 2]
    # Again: nothing new, everything covered.
    response = _post(client, f"/evaluation/calls/{eworld.call.slug}/assignments/auto")
    assert response.status_code == 303
    assert _assignments(app) == rows
    with app.app_context():
        automatic = db.session.execute(select(func.count()).select_from(Assignment).where(
            Assignment.automatic.is_(True))).scalar()
        assert automatic == 6


def test_auto_assign_reads_the_preferences(app, client, eworld, closed):
    first, second = closed
    with app.app_context():
        db.session.get(EvaluationCall, eworld.call.id).reviewers_per_candidacy = 1
        db.session.add_all([
            ReviewPreference(candidacy_id=second, user_id=eworld.reviewer.id, value=-2),
            ReviewPreference(candidacy_id=second, user_id=eworld.reviewer_unassigned.id, value=2),
            ReviewPreference(candidacy_id=first, user_id=eworld.reviewer_unassigned.id, value=-2)])
        db.session.commit()
    _sign_in(client, eworld, "chair")
    assert _post(client, f"/evaluation/calls/{eworld.call.slug}/assignments/auto").status_code == 303
    assert _assignments(app) == [(first, eworld.reviewer.id, "assigned"),
                                 (second, eworld.reviewer_unassigned.id, "assigned")]


def test_auto_assign_reports_what_stays_uncovered(app, client, eworld, closed):
    first, _second = closed
    with app.app_context():
        db.session.get(EvaluationCall, eworld.call.id).reviewers_per_candidacy = 3
        db.session.commit()
    _sign_in(client, eworld, "chair")
    response = _post(client, f"/evaluation/calls/{eworld.call.slug}/assignments/auto", htmx=True)
    page = response.get_data(as_text=True)
    assert "Restano senza abbastanza persone" in page and "ne manca 1" in page
    assert len([r for r in _assignments(app) if r[0] == first]) == 2


def test_auto_assign_refused_to_a_reviewer(app, client, eworld, closed):
    _sign_in(client, eworld, "reviewer")
    assert _post(client, f"/evaluation/calls/{eworld.call.slug}/assignments/auto").status_code == 403
    assert _assignments(app) == []


# ---- preferences ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_the_preferences_page_by_role(app, client, eworld, closed, role):
    _sign_in(client, eworld, role)
    response = client.get(f"/evaluation/calls/{eworld.call.slug}/preferences")
    members = {"reviewer", "reviewer_conflicted", "reviewer_unassigned", "deputy"}
    assert response.status_code == (302 if role == "anonymous" else (200 if role in members else 403))
    if role == "reviewer_conflicted":
        page = response.get_data(as_text=True)
        assert "Mensa scolastica in rete" in page and "Sportello unico digitale" not in page


def test_setting_preferences(app, client, eworld, closed):
    first, second = closed
    _sign_in(client, eworld, "reviewer")
    url = f"/evaluation/calls/{eworld.call.slug}/preferences"
    response = _post(client, url, {f"pref-{first}": "7", f"pref-{second}": "1"}, htmx=True)
    assert response.status_code == 422
    assert "Scegli un valore da −2 a +2." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(ReviewPreference)).scalar() == 0
    assert _post(client, url, {f"pref-{first}": "2", f"pref-{second}": "-2"}).status_code == 303
    assert _post(client, url, {f"pref-{first}": "1", f"pref-{second}": "-2"}).status_code == 303
    with app.app_context():
        rows = {(p.candidacy_id, p.value) for p in db.session.execute(select(ReviewPreference)).scalars()}
        assert rows == {(first, 1), (second, -2)}


def test_a_conflicted_reviewer_sets_no_preference_on_that_candidacy(app, client, eworld, closed):
    first, second = closed
    _sign_in(client, eworld, "reviewer_conflicted")
    url = f"/evaluation/calls/{eworld.call.slug}/preferences"
    assert _post(client, url, {f"pref-{first}": "2", f"pref-{second}": "1"}).status_code == 303
    with app.app_context():
        assert [(p.candidacy_id, p.value) for p in db.session.execute(select(ReviewPreference)).scalars()] == [
            (second, 1)]


# ---- declining, the dashboard ------------------------------------------------------------------------------------

def test_the_decline_flow(app, client, eworld, closed):
    first, second = closed
    set_phase(app, eworld.call.id, "review")
    with app.app_context():
        assignment_id = assign(first, eworld.reviewer.id).id
    _sign_in(client, eworld, "reviewer")
    page = unescape(client.get("/evaluation/reviewer").get_data(as_text=True))
    assert "Sportello unico digitale" in page and "Declina l'incarico" in page
    url = f"/evaluation/assignments/{assignment_id}/decline"
    response = _post(client, url, {"reason": "  "}, htmx=True)
    assert response.status_code == 422
    assert "Scrivi perché declini l'incarico." in unescape(response.get_data(as_text=True))
    assert _assignments(app) == [(first, eworld.reviewer.id, "assigned")]
    response = _post(client, url, {"reason": "Sono in ferie fino a fine mese."})
    assert response.status_code == 303
    assert _assignments(app) == [(first, eworld.reviewer.id, "declined")]
    with app.app_context():
        row = db.session.get(Assignment, assignment_id)
        assert row.decline_reason == "Sono in ferie fino a fine mese." and row.ended_at is not None
        assert db.session.execute(select(Notification.user_id).where(
            Notification.verb == "evaluation.declined")).scalars().all() == [eworld.chair.id]
    assert _post(client, url, {"reason": "Ancora."}).status_code == 422  # declined once
    _post(client, "/auth/logout")
    # The chair sees the candidacy needs a reviewer; the declined person cannot be assigned again.
    _sign_in(client, eworld, "chair")
    assert "serve un'altra persona" in unescape(client.get(
        f"/evaluation/calls/{eworld.call.slug}/assignments").get_data(as_text=True))
    response = _post(client, f"/evaluation/calls/{eworld.call.slug}/assignments",
                     {"candidacy": str(first), "reviewer": str(eworld.reviewer.id)})
    assert response.status_code == 422


def test_someone_else_cannot_decline(app, client, eworld, closed):
    first, _second = closed
    with app.app_context():
        assignment_id = assign(first, eworld.reviewer.id).id
    _sign_in(client, eworld, "reviewer_unassigned")
    assert _post(client, f"/evaluation/assignments/{assignment_id}/decline", {"reason": "No."}).status_code == 404
    assert _assignments(app) == [(first, eworld.reviewer.id, "assigned")]


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("role", ROLES)
def test_the_reviewer_dashboard_by_role(app, client, eworld, closed, role, htmx):
    first, _second = closed
    with app.app_context():
        assign(first, eworld.reviewer.id)
    _sign_in(client, eworld, role)
    response = _get(client, "/evaluation/reviewer", htmx)
    if role == "anonymous":
        assert response.status_code == (401 if htmx else 302)
        return
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert ("<html" in page) is not htmx
    in_commission = role in ("reviewer", "reviewer_conflicted", "reviewer_unassigned", "chair", "deputy")
    assert ("Premio buone pratiche 2026" in page) is in_commission
    assert ("Sportello unico digitale" in page) is (role == "reviewer")
    if role == "reviewer_conflicted":
        assert "I tuoi conflitti di interessi" in page


def test_the_dashboard_asks_to_sign_first(app, client, eworld, closed):
    first, _second = closed
    with app.app_context():
        from app.models import CommissionMember

        member = db.session.execute(select(CommissionMember).where(
            CommissionMember.user_id == eworld.reviewer.id)).scalar_one()
        member.attested_at = None
        db.session.commit()
        assign(first, eworld.reviewer.id)
    _sign_in(client, eworld, "reviewer")
    page = client.get("/evaluation/reviewer").get_data(as_text=True)
    assert f"/evaluation/calls/{eworld.call.slug}/attest" in page
    box = client.get("/dashboard").get_data(as_text=True)
    assert "Commissione di valutazione" in box and "1 candidatura da valutare." in box
    assert "Devi ancora firmare la dichiarazione" in box


def test_no_dashboard_box_outside_the_commission(app, client, eworld, closed):
    _sign_in(client, eworld, "member")
    assert "Commissione di valutazione" not in client.get("/dashboard").get_data(as_text=True)


# ---- the reminder ------------------------------------------------------------------------------------------------

def test_remind_once_per_assignment_when_due_within_three_days(app, eworld, closed):
    from app.evaluation.reminders import remind

    first, second = closed
    set_phase(app, eworld.call.id, "review")
    with app.app_context():
        assign(first, eworld.reviewer.id)
        assign(second, eworld.reviewer_unassigned.id, status="submitted")
        db.session.get(EvaluationCall, eworld.call.id).review_due_on = date.today() + timedelta(days=10)
        db.session.commit()
    with app.test_request_context():
        assert remind() == 0
        db.session.get(EvaluationCall, eworld.call.id).review_due_on = date.today() + timedelta(days=3)
        db.session.commit()
        assert remind() == 1
        assert remind() == 0
        told = db.session.execute(select(Notification.user_id).where(
            Notification.verb == "evaluation.review_due")).scalars().all()
        assert told == [eworld.reviewer.id]


def test_the_remind_command(app, eworld, closed):
    from app.evaluation.reminders import remind_command

    runner = app.test_cli_runner()
    result = runner.invoke(remind_command)
    assert result.exit_code == 0, result.output
    assert "Review reminders sent: 0" in result.output


def test_preferences_respect_a_blind_call(app, client, eworld, closed):
    with app.app_context():
        db.session.get(EvaluationCall, eworld.call.id).blind = True
        db.session.commit()
    _sign_in(client, eworld, "reviewer")
    page = client.get(f"/evaluation/calls/{eworld.call.slug}/preferences").get_data(as_text=True)
    assert "Sportello unico digitale" in page and "Comune di Chieri" not in page and "Comune di Bari" not in page


def test_preferences_outside_their_phases_are_refused(app, client, eworld, closed):
    first, _second = closed
    set_phase(app, eworld.call.id, "consensus")
    _sign_in(client, eworld, "reviewer")
    url = f"/evaluation/calls/{eworld.call.slug}/preferences"
    assert "Salva le preferenze" not in client.get(url).get_data(as_text=True)
    assert _post(client, url, {f"pref-{first}": "2"}).status_code == 422
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(ReviewPreference)).scalar() == 0
