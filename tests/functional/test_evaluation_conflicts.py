"""Conflicts of interest (issue 13, point 5): computed on the fixture world, declared by a reviewer or by the
candidate, confirmed or dismissed by the chair, the chair's own conflict handed to a deputy, the attestation;
the role matrix of each route, full page and htmx, with what changed in the database."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Assignment, Candidacy, CommissionMember, Conflict, EvaluationAudit, Notification
from tests.conftest import csrf_token, login
from tests.evaluation_world import ROLES, add_commission, add_conflict, assign, make_candidacy, set_phase


def _sign_in(client, eworld, role):
    if role != "anonymous":
        assert login(client, eworld.person(role)).status_code == 303


def _post(client, url, data=None, htmx=False):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client, "/privacy")}, headers=headers)


def _get(client, url, htmx=False):
    return client.get(url, headers={"HX-Request": "true"} if htmx else {})


def _anonymous(htmx):
    return 401 if htmx else 302


@pytest.fixture
def closed(app, eworld):
    """Two submitted candidacies (Chieri's practice, Bari's practice); the call closed. Returns their ids."""
    with app.app_context():
        first = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id).id
        second = make_candidacy(eworld.call.id, eworld.other_practice.id, eworld.other_referent.id).id
    set_phase(app, eworld.call.id, "closed")
    return first, second


def _conflicts(app):
    with app.app_context():
        return sorted((c.candidacy_id, c.user_id, c.kind, c.source, c.status)
                      for c in db.session.execute(select(Conflict)).scalars())


# ---- computed ------------------------------------------------------------------------------------------------------

def test_compute_on_the_fixture_world_finds_the_reuser_only(app, eworld, closed):
    from app.evaluation import conflicts
    from app.models import EvaluationCall

    first, _second = closed
    with app.test_request_context():
        call = db.session.get(EvaluationCall, eworld.call.id)
        created = conflicts.compute(call)
        # Torino adopted the practice → reuser; the chair (Asti) is neither donor, reuser nor facilitator (the
        # facilitator is another person of Asti, not in the commission).
        assert [(c.candidacy_id, c.user_id, c.kind) for c in created] == [
            (first, eworld.reviewer_conflicted.id, "reuser")]
        assert conflicts.compute(call) == []  # idempotent
    assert _conflicts(app) == [(first, eworld.reviewer_conflicted.id, "reuser", "computed", "suggested")]


def test_compute_finds_same_organisation_donor_and_facilitator(app, eworld, closed):
    from app.evaluation import conflicts
    from app.models import EvaluationCall, Organization, Practice, User

    first, second = closed
    with app.test_request_context():
        call = db.session.get(EvaluationCall, eworld.call.id)
        add_commission(call, reviewers=[db.session.get(User, uid)
                                        for uid in (eworld.candidate_member.id, eworld.facilitator.id)])
        practice = db.session.get(Practice, eworld.other_practice.id)
        practice.co_donors.append(db.session.get(Organization, eworld.torino.id))
        db.session.commit()
        conflicts.compute(call)
    found = {(cid, uid, kind) for cid, uid, kind, _source, _status in _conflicts(app)}
    assert (first, eworld.candidate_member.id, "same_organisation") in found
    assert (first, eworld.facilitator.id, "facilitator") in found
    assert (second, eworld.facilitator.id, "facilitator") in found  # same community
    assert (second, eworld.reviewer_conflicted.id, "donor") in found  # Torino co-donor of Bari's practice
    assert (first, eworld.chair.id, "facilitator") not in found


def test_a_dismissed_conflict_is_not_suggested_again(app, eworld, closed):
    from app.evaluation import conflicts
    from app.models import EvaluationCall

    first, _second = closed
    with app.app_context():
        add_conflict(eworld.call.id, first, eworld.reviewer_conflicted.id, status="dismissed")
    with app.test_request_context():
        assert conflicts.compute(db.session.get(EvaluationCall, eworld.call.id)) == []


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("role", ROLES)
def test_the_conflicts_page_and_detect_button_by_role(app, client, eworld, closed, role, htmx):
    _sign_in(client, eworld, role)
    url = f"/evaluation/calls/{eworld.call.slug}/conflicts"
    allowed = role in ("chair", "admin")
    expected_get = _anonymous(htmx) if role == "anonymous" else (200 if allowed else 403)
    response = _get(client, url, htmx)
    assert response.status_code == expected_get
    if allowed:
        page = response.get_data(as_text=True)
        assert "Rileva i conflitti" in page
        assert ("<html" in page) is not htmx
    if role == "anonymous":
        return
    response = _post(client, url, htmx=htmx)
    assert response.status_code == ((200 if htmx else 303) if allowed else 403)
    assert len(_conflicts(app)) == (1 if allowed else 0)
    if allowed and htmx:
        assert "Tullio Torinese" in response.get_data(as_text=True)


@pytest.mark.parametrize("action, status", [("confirm", "confirmed"), ("dismiss", "dismissed")])
@pytest.mark.parametrize("role", ["chair", "admin", "reviewer", "deputy", "candidate_referent"])
def test_deciding_a_suggested_conflict(app, client, eworld, closed, role, action, status):
    first, _second = closed
    with app.app_context():
        conflict_id = add_conflict(eworld.call.id, first, eworld.reviewer_conflicted.id).id
        assign(first, eworld.reviewer_conflicted.id)
    _sign_in(client, eworld, role)
    response = _post(client, f"/evaluation/conflicts/{conflict_id}/{action}")
    allowed = role in ("chair", "admin")
    assert response.status_code == (303 if allowed else 403)
    with app.app_context():
        conflict = db.session.get(Conflict, conflict_id)
        assignment = db.session.execute(select(Assignment)).scalar_one()
        assert conflict.status == (status if allowed else "suggested")
        assert assignment.status == ("conflict" if allowed and action == "confirm" else "assigned")
        audits = db.session.execute(select(EvaluationAudit.action)).scalars().all()
        assert (f"conflict.{action}" in audits) is allowed


def test_deciding_twice_is_refused_and_unknown_action_is_404(app, client, eworld, closed):
    first, _second = closed
    with app.app_context():
        conflict_id = add_conflict(eworld.call.id, first, eworld.reviewer_conflicted.id, status="confirmed").id
    _sign_in(client, eworld, "chair")
    response = _post(client, f"/evaluation/conflicts/{conflict_id}/dismiss", htmx=True)
    assert response.status_code == 422
    assert "già stato deciso" in response.get_data(as_text=True)
    assert _post(client, f"/evaluation/conflicts/{conflict_id}/maybe").status_code == 404
    assert _post(client, "/evaluation/conflicts/999999/confirm").status_code == 404


def test_the_chair_does_not_decide_her_own_conflict(app, client, eworld, closed):
    first, _second = closed
    with app.app_context():
        conflict_id = add_conflict(eworld.call.id, first, eworld.chair.id, kind="personal").id
    _sign_in(client, eworld, "chair")
    response = _post(client, f"/evaluation/conflicts/{conflict_id}/dismiss")
    assert response.status_code == 422
    assert "chi amministra la piattaforma" in response.get_data(as_text=True)
    assert _conflicts(app)[0][4] == "suggested"


# ---- declared ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("role", ROLES)
def test_declare_page_by_role(app, client, eworld, closed, role, htmx):
    first, _second = closed
    _sign_in(client, eworld, role)
    response = _get(client, f"/evaluation/candidacies/{first}/conflict", htmx)
    commission = {"reviewer", "reviewer_conflicted", "reviewer_unassigned", "chair", "deputy"}
    if role == "anonymous":
        expected = _anonymous(htmx)
    elif role in commission or role == "candidate_referent":
        expected = 200
    elif role in ("candidate_member", "admin"):
        expected = 403  # they see the candidacy, but do not declare here
    else:
        expected = 404
    assert response.status_code == expected
    if expected == 200:
        page = response.get_data(as_text=True)
        assert ("Persona della commissione" in page) is (role == "candidate_referent")


def test_a_reviewer_declares_their_conflict_and_the_assignment_ends(app, client, eworld, closed):
    first, _second = closed
    set_phase(app, eworld.call.id, "review")
    with app.app_context():
        assignment_id = assign(first, eworld.reviewer.id).id
    _sign_in(client, eworld, "reviewer")
    url = f"/evaluation/candidacies/{first}/conflict"
    response = _post(client, url, {"kind": "", "note": "Conosco chi ha scritto la candidatura."})
    assert response.status_code == 422
    assert "Scegli il tipo di conflitto." in response.get_data(as_text=True)
    assert "Conosco chi ha scritto" in response.get_data(as_text=True)  # the rest of the form kept
    assert _conflicts(app) == []
    response = _post(client, url, {"kind": "personal", "note": "Conosco chi ha scritto la candidatura."})
    assert response.status_code == 303
    assert _conflicts(app) == [(first, eworld.reviewer.id, "personal", "reviewer", "confirmed")]
    with app.app_context():
        assert db.session.get(Assignment, assignment_id).status == "conflict"
        told = db.session.execute(select(Notification.user_id).where(
            Notification.verb == "evaluation.conflict_declared")).scalars().all()
        assert told == [eworld.chair.id]
    # From now on the candidacy is out of reach for them.
    assert client.get(url).status_code == 404


def test_the_candidate_suggests_a_conflict_with_a_named_member(app, client, eworld, closed):
    """A candidate's declaration is a suggestion (lead's decision): it blocks nobody and ends no assignment until
    the chair confirms it; the chair is told."""
    first, _second = closed
    with app.app_context():
        assign(first, eworld.reviewer_unassigned.id)
    _sign_in(client, eworld, "candidate_referent")
    url = f"/evaluation/candidacies/{first}/conflict"
    page = client.get(url).get_data(as_text=True)
    assert "Pia Pisana" in page and "Paola Presidente" in page
    response = _post(client, url, {"person": str(eworld.member.id), "kind": "partner"}, htmx=True)
    assert response.status_code == 422
    assert "Scegli una persona della commissione." in response.get_data(as_text=True)
    response = _post(client, url, {"person": str(eworld.reviewer_unassigned.id), "kind": "partner",
                                   "note": "Convenzione tra i due comuni."})
    assert response.status_code == 303
    assert _conflicts(app) == [(first, eworld.reviewer_unassigned.id, "partner", "candidate", "suggested")]
    with app.app_context():
        assert db.session.execute(select(Assignment.status)).scalar_one() == "assigned"
        told = db.session.execute(select(Notification.user_id).where(
            Notification.verb == "evaluation.conflict_suggested")).scalars().all()
        assert told == [eworld.chair.id]
        assert "conflict.suggest" in db.session.execute(select(EvaluationAudit.action)).scalars().all()
    # Not blocking: the named reviewer still has the candidacy (and may review it, once assigned and signed).
    from app.evaluation import access
    from app.models import User

    with app.test_request_context():
        candidacy = db.session.get(Candidacy, first)
        assert not access.is_conflicted(db.session.get(User, eworld.reviewer_unassigned.id), candidacy)
    # The chair confirms it: now it blocks and the assignment ends.
    chair = app.test_client()
    _sign_in(chair, eworld, "chair")
    with app.app_context():
        conflict_id = db.session.execute(select(Conflict.id)).scalar_one()
    assert _post(chair, f"/evaluation/conflicts/{conflict_id}/confirm").status_code == 303
    assert _conflicts(app) == [(first, eworld.reviewer_unassigned.id, "partner", "candidate", "confirmed")]
    with app.app_context():
        assert db.session.execute(select(Assignment.status)).scalar_one() == "conflict"


def test_a_candidate_suggestion_naming_the_chair_goes_to_the_administrators(app, client, eworld, closed):
    first, _second = closed
    _sign_in(client, eworld, "candidate_referent")
    response = _post(client, f"/evaluation/candidacies/{first}/conflict",
                     {"person": str(eworld.chair.id), "kind": "other", "note": "Motivo."})
    assert response.status_code == 303
    assert _conflicts(app) == [(first, eworld.chair.id, "other", "candidate", "suggested")]
    with app.app_context():
        told = db.session.execute(select(Notification.user_id).where(
            Notification.verb == "evaluation.conflict_suggested")).scalars().all()
        assert told == [eworld.admin.id]
        conflict_id = db.session.execute(select(Conflict.id)).scalar_one()
    # The chair keeps the candidacy (not blocking) but does not decide it; an administrator does.
    chair = app.test_client()
    _sign_in(chair, eworld, "chair")
    assert chair.get(f"/evaluation/candidacies/{first}").status_code == 200
    assert _post(chair, f"/evaluation/conflicts/{conflict_id}/dismiss").status_code == 422
    admin = app.test_client()
    _sign_in(admin, eworld, "admin")
    assert _post(admin, f"/evaluation/conflicts/{conflict_id}/dismiss").status_code == 303
    assert _conflicts(app) == [(first, eworld.chair.id, "other", "candidate", "dismissed")]


@pytest.mark.parametrize("phase", ["review", "consensus"])
def test_the_candidate_cannot_suggest_a_conflict_once_review_has_started(app, client, eworld, closed, phase):
    first, _second = closed
    with app.app_context():
        assignment_id = assign(first, eworld.reviewer.id).id
    set_phase(app, eworld.call.id, phase)
    _sign_in(client, eworld, "candidate_referent")
    response = _post(client, f"/evaluation/candidacies/{first}/conflict",
                     {"person": str(eworld.reviewer.id), "kind": "personal", "note": "Nota."}, htmx=True)
    assert response.status_code == 422
    assert "prima che inizi la valutazione" in response.get_data(as_text=True)
    assert _conflicts(app) == []
    with app.app_context():
        assert db.session.get(Assignment, assignment_id).status == "assigned"
        assert db.session.execute(select(func.count()).select_from(Notification)).scalar() == 0


def test_the_candidate_naming_a_suggested_conflict_does_not_confirm_it(app, client, eworld, closed):
    first, _second = closed
    with app.app_context():
        add_conflict(eworld.call.id, first, eworld.reviewer_conflicted.id)
    _sign_in(client, eworld, "candidate_referent")
    response = _post(client, f"/evaluation/candidacies/{first}/conflict",
                     {"person": str(eworld.reviewer_conflicted.id), "kind": "reuser", "note": "Lo riusano."})
    assert response.status_code == 303
    assert _conflicts(app) == [(first, eworld.reviewer_conflicted.id, "reuser", "computed", "suggested")]
    with app.app_context():
        assert db.session.execute(select(Conflict.note)).scalar_one() == "Lo riusano."


def test_a_candidate_may_suggest_again_a_dismissed_conflict(app, client, eworld, closed):
    first, _second = closed
    with app.app_context():
        add_conflict(eworld.call.id, first, eworld.reviewer_conflicted.id, status="dismissed")
    _sign_in(client, eworld, "candidate_referent")
    assert _post(client, f"/evaluation/candidacies/{first}/conflict",
                 {"person": str(eworld.reviewer_conflicted.id), "kind": "reuser"}).status_code == 303
    assert _conflicts(app) == [(first, eworld.reviewer_conflicted.id, "reuser", "candidate", "suggested")]


def test_a_conflicted_chair_does_not_decide_others_conflicts_on_that_candidacy(app, client, eworld, closed):
    first, second = closed
    with app.app_context():
        add_conflict(eworld.call.id, first, eworld.chair.id, kind="personal", source="chair", status="confirmed")
        on_first = add_conflict(eworld.call.id, first, eworld.reviewer_conflicted.id).id
        on_second = add_conflict(eworld.call.id, second, eworld.reviewer.id, kind="personal").id
    _sign_in(client, eworld, "chair")
    response = _post(client, f"/evaluation/conflicts/{on_first}/dismiss", htmx=True)
    assert response.status_code == 422
    assert "Sei in conflitto di interessi su questa candidatura" in response.get_data(as_text=True)
    assert _post(client, f"/evaluation/conflicts/{on_second}/dismiss").status_code == 303  # not conflicted there
    from app.evaluation import access
    from app.models import User

    with app.test_request_context():
        conflict = db.session.get(Conflict, on_first)
        assert not access.can_decide_conflict(db.session.get(User, eworld.chair.id), conflict)
        assert access.can_decide_conflict(db.session.get(User, eworld.admin.id), conflict)
        assert not access.can_decide_conflict(db.session.get(User, eworld.reviewer.id), conflict)
    admin = app.test_client()
    _sign_in(admin, eworld, "admin")
    assert _post(admin, f"/evaluation/conflicts/{on_first}/confirm").status_code == 303
    with app.app_context():
        assert db.session.get(Conflict, on_first).status == "confirmed"
        assert db.session.get(Conflict, on_second).status == "dismissed"


# ---- the chair conflicted: hand to a deputy --------------------------------------------------------------------------

def test_a_conflicted_chair_hands_the_candidacy_to_a_deputy(app, client, eworld, closed):
    first, _second = closed
    with app.app_context():
        add_conflict(eworld.call.id, first, eworld.chair.id, kind="personal", source="chair", status="confirmed")
    _sign_in(client, eworld, "chair")
    page = client.get(f"/evaluation/calls/{eworld.call.slug}/conflicts").get_data(as_text=True)
    assert "Candidature su cui chi presiede è in conflitto" in page and "Vito Vice" in page
    url = f"/evaluation/candidacies/{first}/deputy"
    response = _post(client, url, {"deputy": str(eworld.reviewer.id)}, htmx=True)
    assert response.status_code == 422  # not a deputy
    with app.app_context():
        assert db.session.get(Candidacy, first).chair_handled_by_id is None
    response = _post(client, url, {"deputy": str(eworld.deputy.id)})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Candidacy, first).chair_handled_by_id == eworld.deputy.id
        assert "candidacy.hand_to_deputy" in db.session.execute(select(EvaluationAudit.action)).scalars().all()
    # The deputy now handles it; the chair still does not see it.
    from app.evaluation import access
    from app.models import User

    with app.test_request_context():
        candidacy = db.session.get(Candidacy, first)
        assert access.handles_candidacy(db.session.get(User, eworld.deputy.id), candidacy)
        assert not access.can_view_candidacy(db.session.get(User, eworld.chair.id), candidacy)


def test_handing_over_is_refused_when_the_chair_is_not_conflicted(app, client, eworld, closed):
    first, _second = closed
    _sign_in(client, eworld, "chair")
    response = _post(client, f"/evaluation/candidacies/{first}/deputy", {"deputy": str(eworld.deputy.id)})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(Candidacy, first).chair_handled_by_id is None
    _post(client, "/auth/logout")
    _sign_in(client, eworld, "reviewer")
    assert _post(client, f"/evaluation/candidacies/{first}/deputy",
                 {"deputy": str(eworld.deputy.id)}).status_code == 403


# ---- attestation -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("role", ROLES)
def test_the_attestation_page_by_role(app, client, eworld, closed, role, htmx):
    _sign_in(client, eworld, role)
    response = _get(client, f"/evaluation/calls/{eworld.call.slug}/attest", htmx)
    members = {"reviewer", "reviewer_conflicted", "reviewer_unassigned", "deputy"}
    expected = _anonymous(htmx) if role == "anonymous" else (200 if role in members else 403)
    assert response.status_code == expected


def test_signing_the_attestation_with_declared_conflicts(app, client, eworld, closed):
    first, second = closed
    with app.app_context():
        member = db.session.execute(select(CommissionMember).where(
            CommissionMember.user_id == eworld.reviewer.id)).scalar_one()
        member.attested_at = None
        db.session.commit()
        assignment_id = assign(first, eworld.reviewer.id).id
    set_phase(app, eworld.call.id, "review")
    _sign_in(client, eworld, "reviewer")
    url = f"/evaluation/calls/{eworld.call.slug}/attest"
    page = client.get(url).get_data(as_text=True)
    assert "Sportello unico digitale" in page and "Mensa scolastica in rete" in page
    response = _post(client, url, {"conflicts": [str(second)], "kind": "personal"})
    assert response.status_code == 422
    assert "Per firmare, spunta la dichiarazione." in response.get_data(as_text=True)
    assert _conflicts(app) == []
    response = _post(client, url, {"agree": "y", "conflicts": [str(second)], "kind": "personal"})
    assert response.status_code == 303
    assert _conflicts(app) == [(second, eworld.reviewer.id, "personal", "reviewer", "confirmed")]
    with app.app_context():
        member = db.session.execute(select(CommissionMember).where(
            CommissionMember.user_id == eworld.reviewer.id)).scalar_one()
        assert member.attested_at is not None
        assert db.session.get(Assignment, assignment_id).status == "assigned"
        assert db.session.execute(select(func.count()).select_from(EvaluationAudit).where(
            EvaluationAudit.action == "commission.attest")).scalar() == 1
    response = _post(client, url, {"agree": "y"})
    assert response.status_code == 422  # signed once


# ---- the commission's box on the candidacy page (H2's page includes it) ----------------------------------------------

@pytest.mark.parametrize("role, expected", [
    ("reviewer", "Dichiara un conflitto di interessi"), ("chair", "Conflitti di interessi e affidamento"),
    ("candidate_referent", "Segnala un conflitto di interessi con una persona della commissione")])
def test_the_candidacy_page_links_to_the_commission_actions(app, client, eworld, closed, role, expected):
    first, _second = closed
    with app.app_context():
        assign(first, eworld.reviewer.id)
    _sign_in(client, eworld, role)
    response = client.get(f"/evaluation/candidacies/{first}")
    assert response.status_code == 200
    assert expected in response.get_data(as_text=True)


def test_a_conflicted_deputy_is_not_offered_nor_accepted(app, client, eworld, closed):
    first, _second = closed
    with app.app_context():
        add_conflict(eworld.call.id, first, eworld.chair.id, kind="personal", source="chair", status="confirmed")
        add_conflict(eworld.call.id, first, eworld.deputy.id, kind="personal", source="reviewer", status="confirmed")
    _sign_in(client, eworld, "chair")
    page = client.get(f"/evaluation/calls/{eworld.call.slug}/conflicts").get_data(as_text=True)
    assert f'<option value="{eworld.deputy.id}"' not in page
    response = _post(client, f"/evaluation/candidacies/{first}/deputy", {"deputy": str(eworld.deputy.id)}, htmx=True)
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(Candidacy, first).chair_handled_by_id is None


def test_compute_inside_the_callers_transaction(app, eworld, closed):
    """What the call's phase change does (CLOSE / START_REVIEW): compute without committing, the caller commits."""
    from app.evaluation import conflicts
    from app.models import EvaluationCall, User

    with app.test_request_context():
        call = db.session.get(EvaluationCall, eworld.call.id)
        call.phase = "review"
        conflicts.compute(call, db.session.get(User, eworld.chair.id), commit=False)
        db.session.rollback()
    assert _conflicts(app) == []
    with app.test_request_context():
        call = db.session.get(EvaluationCall, eworld.call.id)
        call.phase = "review"
        conflicts.compute(call, db.session.get(User, eworld.chair.id), commit=False)
        db.session.commit()
        assert db.session.get(EvaluationCall, eworld.call.id).phase == "review"
    assert len(_conflicts(app)) == 1
