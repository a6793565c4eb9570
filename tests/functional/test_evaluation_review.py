"""The review form (issue 13, points 2 and 8): who may score, what is checked (422 at the field, nothing saved),
the live weighted total, submitting (criteria frozen, assignment submitted, audited, the chair notified), editing
during consensus with the history of every change."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (Assignment, Criterion, EvaluationAudit, EvaluationCall, Notification, Review, ReviewScore,
                        ScoreChange)
from tests.conftest import csrf_token, login
from tests.evaluation_world import add_conflict, assign, make_candidacy, make_review, set_phase

SCORES = {"innovation": 5, "impact": 4, "engagement": 3, "relevance": 3, "sustainability": 2, "transferability": 1}


def world_with_assignment(app, eworld, phase: str = "review") -> dict:
    """A submitted candidacy of Chieri assigned to `reviewer` and to `deputy` (as a second reviewer); the conflicted
    reviewer assigned too, with a confirmed conflict."""
    with app.app_context():
        candidacy = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id)
        mine = assign(candidacy.id, eworld.reviewer.id, by_id=eworld.chair.id)
        second = assign(candidacy.id, eworld.deputy.id, by_id=eworld.chair.id)
        conflicted = assign(candidacy.id, eworld.reviewer_conflicted.id, status="conflict", by_id=eworld.chair.id)
        add_conflict(eworld.call.id, candidacy.id, eworld.reviewer_conflicted.id, status="confirmed")
        criteria = {c.code: c.id for c in db.session.execute(
            select(Criterion).where(Criterion.call_id == eworld.call.id)).scalars()}
        ids = dict(candidacy=candidacy.id, mine=mine.id, second=second.id, conflicted=conflicted.id,
                   criteria=criteria)
    set_phase(app, eworld.call.id, phase)
    return ids


def form_data(criteria: dict, scores: dict = SCORES, action: str = "submit", **extra) -> dict:
    data = {"confidence": "2", "comment": "Buona pratica, ben documentata.", "action": action}
    for code, value in scores.items():
        data[f"score_{criteria[code]}"] = str(value)
        data[f"motivation_{criteria[code]}"] = f"Motivazione per {code}."
    data.update(extra)
    return data


def send(client, url, data, htmx=False):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url, data={**data, "csrf_token": csrf_token(client, "/privacy")}, headers=headers)


def count(app, model, **where) -> int:
    with app.app_context():
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return db.session.execute(query).scalar()


# ---- the role matrix -----------------------------------------------------------------------------------------------

# GET of the reviewer's assignment page: the reviewer writes, the chair and administrators read; the candidate
# organisation sees the candidacy but not this page (403); everybody else: the candidacy does not exist (404).
GET_EXPECTED = {"anonymous": "login", "member": 404, "candidate_referent": 403, "candidate_member": 403,
                "other_referent": 404, "reviewer": 200, "reviewer_conflicted": 404, "reviewer_unassigned": 404,
                "chair": 200, "deputy": 403, "admin": 200, "supplier": 404}
# POST (save a draft): only the assigned reviewer.
POST_EXPECTED = {**GET_EXPECTED, "reviewer": 303, "chair": 403, "admin": 403}


def outcome(response) -> int | str:
    if response.status_code in (302, 401) and ("/auth/login" in response.headers.get("Location", "")
                                               or "HX-Redirect" in response.headers or response.status_code == 401):
        return "login"
    return response.status_code


@pytest.mark.parametrize("phase", ["review", "consensus"])
@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("role", list(GET_EXPECTED))
def test_review_page_role_matrix(app, client, eworld, role, phase, htmx):
    ids = world_with_assignment(app, eworld, phase)
    url = f"/evaluation/assignments/{ids['mine']}/review"
    if role != "anonymous":
        assert login(client, eworld.person(role)).status_code == 303
    headers = {"HX-Request": "true"} if htmx else {}
    got = outcome(client.get(url, headers=headers))
    assert got == GET_EXPECTED[role]
    before = count(app, Review)
    data = form_data(ids["criteria"], action="draft")
    if role == "anonymous":
        response = client.post(url, data=data, headers=headers)
        assert outcome(response) in ("login", 400)
    else:
        response = send(client, url, data, htmx=htmx)
        expected = POST_EXPECTED[role]
        if htmx and expected == 303:
            assert response.status_code == 204 and "HX-Redirect" in response.headers
        else:
            assert outcome(response) == expected
    assert count(app, Review) == before + (1 if role == "reviewer" else 0)


def test_the_form_shows_radio_buttons_with_anchor_labels_and_the_fragment(app, client, eworld):
    ids = world_with_assignment(app, eworld)
    login(client, eworld.reviewer)
    page = client.get(f"/evaluation/assignments/{ids['mine']}/review").get_data(as_text=True)
    innovation = ids["criteria"]["innovation"]
    assert f'name="score_{innovation}"' in page and 'type="radio"' in page
    assert "<h1>" in page and 'hx-post="/evaluation/assignments/' in page
    with app.app_context():
        anchors = db.session.get(Criterion, innovation).anchors
    for label in anchors.values():
        assert label in page
    fragment = client.get(f"/evaluation/assignments/{ids['mine']}/review", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in text and 'id="review-area"' in text
    assert "HX-Request" in fragment.headers.get("Vary", "")


# ---- bad input ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("htmx", [False, True])
def test_a_score_outside_the_scale_is_refused_at_the_field(app, client, eworld, htmx):
    ids = world_with_assignment(app, eworld)
    login(client, eworld.reviewer)
    innovation = ids["criteria"]["innovation"]
    data = form_data(ids["criteria"], **{f"score_{innovation}": "9"})
    response = send(client, f"/evaluation/assignments/{ids['mine']}/review", data, htmx=htmx)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="score_{innovation}-error"' in page and "Scegli un punteggio tra 0 e 5." in page
    assert "Buona pratica, ben documentata." in page  # the rest of the form is kept
    assert f'id="score_{ids["criteria"]["impact"]}-4" value="4" checked' in page
    assert count(app, Review) == 0 and count(app, ReviewScore) == 0


def test_a_missing_required_motivation_is_refused_at_the_field(app, client, eworld):
    ids = world_with_assignment(app, eworld)
    login(client, eworld.reviewer)
    impact = ids["criteria"]["impact"]
    data = form_data(ids["criteria"], **{f"motivation_{impact}": "   "})
    response = send(client, f"/evaluation/assignments/{ids['mine']}/review", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="motivation_{impact}-error"' in page and "Motiva il punteggio" in page
    assert count(app, Review) == 0
    with app.app_context():
        assert db.session.get(Assignment, ids["mine"]).status == "assigned"


def test_a_missing_score_or_confidence_refuses_submission_but_a_draft_may_be_incomplete(app, client, eworld):
    ids = world_with_assignment(app, eworld)
    login(client, eworld.reviewer)
    url = f"/evaluation/assignments/{ids['mine']}/review"
    partial = {k: v for k, v in SCORES.items() if k != "impact"}
    response = send(client, url, form_data(ids["criteria"], partial, confidence=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Scegli un punteggio per questo criterio." in page
    assert "Indica il grado di sicurezza del tuo giudizio." in page
    assert count(app, Review) == 0
    response = send(client, url, form_data(ids["criteria"], partial, action="draft", confidence=""))
    assert response.status_code == 303
    with app.app_context():
        review = db.session.execute(select(Review)).scalar_one()
        assert review.submitted_at is None and review.total is None and len(review.scores) == 6
        assert db.session.get(Assignment, ids["mine"]).status == "assigned"
    again = client.get(url).get_data(as_text=True)  # the draft comes back into the form
    assert f'id="score_{ids["criteria"]["innovation"]}-5" value="5" checked' in again


def test_a_conflicted_reviewer_posting_gets_a_404_and_no_row(app, client, eworld):
    ids = world_with_assignment(app, eworld)
    login(client, eworld.reviewer_conflicted)
    url = f"/evaluation/assignments/{ids['conflicted']}/review"
    assert client.get(url).status_code == 404
    assert send(client, url, form_data(ids["criteria"])).status_code == 404
    assert send(client, f"/evaluation/assignments/{ids['conflicted']}/total",
                form_data(ids["criteria"])).status_code == 404
    assert count(app, Review) == 0


def test_a_reviewer_who_has_not_signed_the_attestation_is_told_so(app, client, eworld):
    from app.models import CommissionMember

    ids = world_with_assignment(app, eworld)
    with app.app_context():
        member = db.session.execute(select(CommissionMember).where(
            CommissionMember.user_id == eworld.reviewer.id)).scalar_one()
        member.attested_at = None
        db.session.commit()
    login(client, eworld.reviewer)
    response = client.get(f"/evaluation/assignments/{ids['mine']}/review")
    assert response.status_code == 403 and "dichiarazione" in response.get_data(as_text=True)


def test_outside_the_review_phases_the_form_is_closed(app, client, eworld):
    ids = world_with_assignment(app, eworld, phase="closed")
    login(client, eworld.reviewer)
    url = f"/evaluation/assignments/{ids['mine']}/review"
    page = client.get(url)
    assert page.status_code == 200 and "fase di valutazione" in page.get_data(as_text=True)
    assert 'id="review-form"' not in page.get_data(as_text=True)
    assert send(client, url, form_data(ids["criteria"])).status_code == 403
    assert count(app, Review) == 0


# ---- the live total ------------------------------------------------------------------------------------------------

def test_the_live_total_is_computed_by_the_server(app, client, eworld):
    ids = world_with_assignment(app, eworld)
    login(client, eworld.reviewer)
    url = f"/evaluation/assignments/{ids['mine']}/total"
    response = send(client, url, form_data(ids["criteria"]), htmx=True)
    assert response.status_code == 200
    text = response.get_data(as_text=True).strip()
    assert text == "3"  # (5+4+3+3+2+1)/6 with equal weights; the EPSA grid weights are all 1
    partial = {k: v for k, v in SCORES.items() if k != "impact"}
    text = send(client, url, form_data(ids["criteria"], partial), htmx=True).get_data(as_text=True)
    assert "ogni criterio" in text
    assert count(app, Review) == 0  # nothing saved


def test_the_live_total_follows_the_weights(app, client, eworld):
    ids = world_with_assignment(app, eworld)
    with app.app_context():
        db.session.get(Criterion, ids["criteria"]["innovation"]).weight = 3.0
        db.session.commit()
    login(client, eworld.reviewer)
    text = send(client, f"/evaluation/assignments/{ids['mine']}/total", form_data(ids["criteria"]),
                htmx=True).get_data(as_text=True).strip()
    assert text == "3,5"  # (3×5 + 4+3+3+2+1) / 8 = 28/8, in Italian


# ---- submitting ----------------------------------------------------------------------------------------------------

def test_submitting_freezes_criteria_moves_the_assignment_audits_and_notifies_the_chair(app, client, eworld):
    ids = world_with_assignment(app, eworld)
    login(client, eworld.reviewer)
    response = send(client, f"/evaluation/assignments/{ids['mine']}/review", form_data(ids["criteria"]))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/evaluation/candidacies/{ids['candidacy']}/reviews")
    with app.app_context():
        review = db.session.execute(select(Review)).scalar_one()
        assert review.submitted_at is not None and review.total == pytest.approx(3.0) and review.confidence == 2
        assert db.session.get(Assignment, ids["mine"]).status == "submitted"
        frozen = db.session.get(EvaluationCall, eworld.call.id).criteria_frozen_at
        assert frozen is not None
        actions = [each.action for each in db.session.execute(select(EvaluationAudit)).scalars()]
        assert "review.submit" in actions and actions.count("call.criteria_frozen") == 1
        notified = db.session.execute(select(Notification).where(
            Notification.verb == "evaluation.review_submitted")).scalars().all()
        assert [each.user_id for each in notified] == [eworld.chair.id]
    # the second submission does not move the freezing moment
    client = app.test_client()
    login(client, eworld.deputy)
    assert send(client, f"/evaluation/assignments/{ids['second']}/review",
                form_data(ids["criteria"])).status_code == 303
    with app.app_context():
        assert db.session.get(EvaluationCall, eworld.call.id).criteria_frozen_at == frozen
        assert count(app, EvaluationAudit, action="call.criteria_frozen") == 1


def test_a_submitted_review_cannot_be_changed_during_review(app, client, eworld):
    ids = world_with_assignment(app, eworld)
    with app.app_context():
        make_review(ids["mine"], SCORES)
    login(client, eworld.reviewer)
    url = f"/evaluation/assignments/{ids['mine']}/review"
    page = client.get(url).get_data(as_text=True)
    assert 'id="review-form"' not in page and "fase di consenso" in page
    response = send(client, url, form_data(ids["criteria"], {**SCORES, "impact": 0}))
    assert response.status_code == 403
    assert count(app, ScoreChange) == 0


# ---- consensus: edits with history ---------------------------------------------------------------------------------

def test_editing_during_consensus_keeps_every_change(app, client, eworld):
    ids = world_with_assignment(app, eworld)
    with app.app_context():
        review_id = make_review(ids["mine"], SCORES).id
    set_phase(app, eworld.call.id, "consensus")
    login(client, eworld.reviewer)
    url = f"/evaluation/assignments/{ids['mine']}/review"
    page = client.get(url).get_data(as_text=True)
    assert 'id="review-form"' in page and "Salva le modifiche" in page
    impact = ids["criteria"]["impact"]
    data = form_data(ids["criteria"], {**SCORES, "impact": 2})
    for code in SCORES:  # the motivations make_review wrote, unchanged but for one
        data[f"motivation_{ids['criteria'][code]}"] = f"Motivo per {code}."
    data[f"motivation_{impact}"] = "Dopo la discussione: impatto meno documentato."
    response = send(client, url, data)
    assert response.status_code == 303
    with app.app_context():
        changes = db.session.execute(select(ScoreChange)).scalars().all()
        assert len(changes) == 1
        change = changes[0]
        assert (change.review_id, change.criterion_id, change.old_score, change.new_score) == (
            review_id, impact, 4, 2)
        assert change.old_motivation == "Motivo per impact." and change.new_motivation.startswith("Dopo")
        assert change.changed_by_id == eworld.reviewer.id and change.changed_at is not None
        review = db.session.get(Review, review_id)
        assert review.total == pytest.approx(16 / 6)
        assert db.session.get(Assignment, ids["mine"]).status == "submitted"
        assert count(app, EvaluationAudit, action="review.edit") == 1
    page = client.get(url).get_data(as_text=True)
    assert "Storico delle modifiche" in page and "4 → 2" in page and "Motivo per impact." in page
    # the same values again: no new change
    assert send(client, url, data).status_code == 303
    assert count(app, ScoreChange) == 0 + 1
    # bad input during consensus: 422, nothing changed
    response = send(client, url, {**data, f"score_{impact}": "9"})
    assert response.status_code == 422 and count(app, ScoreChange) == 1
    reviews_page = client.get(f"/evaluation/candidacies/{ids['candidacy']}/reviews").get_data(as_text=True)
    assert "Storico delle modifiche" in reviews_page and "4 → 2" in reviews_page


def test_a_declined_assignment_cannot_be_reviewed(app, client, eworld):
    ids = world_with_assignment(app, eworld)
    with app.app_context():
        db.session.get(Assignment, ids["mine"]).status = "declined"
        db.session.commit()
    login(client, eworld.reviewer)
    assert send(client, f"/evaluation/assignments/{ids['mine']}/review",
                form_data(ids["criteria"])).status_code in (403, 404)
    assert count(app, Review) == 0


def test_a_missing_assignment_is_a_404(app, client, eworld):
    login(client, eworld.reviewer)
    assert client.get("/evaluation/assignments/999/review").status_code == 404
    assert client.get("/evaluation/assignments/99999999999/review").status_code == 404


@pytest.mark.parametrize("typed", ["--1", "-1", "6", "2.5", "tre", "٣", "1e3", "99999999999999999999"])
def test_odd_scores_are_refused_at_the_field_never_a_500(app, client, eworld, typed):
    ids = world_with_assignment(app, eworld)
    login(client, eworld.reviewer)
    innovation = ids["criteria"]["innovation"]
    for action in ("draft", "submit"):
        response = send(client, f"/evaluation/assignments/{ids['mine']}/review",
                        form_data(ids["criteria"], action=action, **{f"score_{innovation}": typed}))
        assert response.status_code == 422 and "Scegli un punteggio tra 0 e 5." in response.get_data(as_text=True)
    total = send(client, f"/evaluation/assignments/{ids['mine']}/total",
                 form_data(ids["criteria"], **{f"score_{innovation}": typed}), htmx=True)
    assert total.status_code == 200 and "ogni criterio" in total.get_data(as_text=True)
    assert count(app, Review) == 0


def test_the_service_refuses_a_second_submission_under_its_lock(app, eworld):
    """Two submissions racing: the second finds the assignment submitted (read under the lock) and is refused."""
    from app.evaluation import reviews
    from app.evaluation.core import EvaluationError
    from app.models import User

    ids = world_with_assignment(app, eworld)
    entries = {cid: (str(SCORES[code]), "Motivo.") for code, cid in ids["criteria"].items()}
    with app.test_request_context():
        person = db.session.get(User, eworld.reviewer.id)
        assignment = db.session.get(Assignment, ids["mine"])
        reviews.save(person, assignment, entries, 3, "", submit=True)
        with pytest.raises(EvaluationError):
            reviews.save(person, db.session.get(Assignment, ids["mine"]), entries, 3, "", submit=True)
    assert count(app, Review) == 1 and count(app, EvaluationAudit, action="review.submit") == 1


def test_when_the_chair_is_conflicted_the_deputy_handling_it_is_notified(app, client, eworld):
    from app.models import Candidacy

    ids = world_with_assignment(app, eworld)
    with app.app_context():
        add_conflict(eworld.call.id, ids["candidacy"], eworld.chair.id, kind="personal", source="reviewer",
                     status="confirmed")
        db.session.get(Candidacy, ids["candidacy"]).chair_handled_by_id = eworld.deputy.id
        db.session.commit()
    login(client, eworld.reviewer)
    assert send(client, f"/evaluation/assignments/{ids['mine']}/review",
                form_data(ids["criteria"])).status_code == 303
    with app.app_context():
        notified = db.session.execute(select(Notification).where(
            Notification.verb == "evaluation.review_submitted")).scalars().all()
        assert [each.user_id for each in notified] == [eworld.deputy.id]
