"""Adversarial review of the evaluation area (issue 13, task R1): each test proves a fault a user or an attacker can
reach (it FAILS until the fault is fixed); the few marked "# holds" prove critical guarantees that do hold."""
from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from tests.conftest import csrf_token, login
from tests.evaluation_world import add_conflict, assign, make_candidacy, make_review, set_phase

SCORES = {"innovation": 5, "impact": 4, "engagement": 3, "relevance": 3, "sustainability": 2, "transferability": 1}


# ---- helpers ---------------------------------------------------------------------------------------------------------

def send(client, url, data=None, htmx=False):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client, "/privacy")}, headers=headers)


def count(app, model, **where) -> int:
    with app.app_context():
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return db.session.execute(query).scalar()


def criteria_ids(app, call_id) -> dict:
    from app.models import Criterion

    with app.app_context():
        return {c.code: c.id for c in db.session.execute(
            select(Criterion).where(Criterion.call_id == call_id)).scalars()}


def review_form(criteria: dict, scores: dict = SCORES, action: str = "submit", **extra) -> dict:
    data = {"confidence": "2", "comment": "Buona pratica.", "action": action}
    for code, value in scores.items():
        data[f"score_{criteria[code]}"] = str(value)
        data[f"motivation_{criteria[code]}"] = f"Motivazione per {code}."
    data.update(extra)
    return data


def candidacy_in_review(app, eworld, phase="review", **fields) -> dict:
    """Chieri's submitted candidacy, assigned to `reviewer` and to `reviewer_unassigned` (here: a second reviewer)."""
    with app.app_context():
        candidacy = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id, **fields)
        first = assign(candidacy.id, eworld.reviewer.id, by_id=eworld.chair.id)
        second = assign(candidacy.id, eworld.reviewer_unassigned.id, by_id=eworld.chair.id)
        ids = dict(candidacy=candidacy.id, first=first.id, second=second.id)
    set_phase(app, eworld.call.id, phase)
    return ids


def not_a_crash(response) -> int:
    assert response.status_code < 500, response.status_code
    return response.status_code


# ---- 1. leaks --------------------------------------------------------------------------------------------------------

def test_conflicted_chair_reads_reviewer_and_total_of_a_candidacy_in_the_audit_log(app, client, eworld):
    """The chair, in conflict with a candidacy handed to the deputy, still reads in the audit log who reviewed it
    and the weighted total they gave (a conflicted member must see nothing of its reviews or scores)."""
    from app.models import Candidacy

    ids = candidacy_in_review(app, eworld)
    with app.app_context():
        add_conflict(eworld.call.id, ids["candidacy"], eworld.chair.id, kind="personal", source="chair",
                     status="confirmed")
        candidacy = db.session.get(Candidacy, ids["candidacy"])
        candidacy.chair_handled_by_id = eworld.deputy.id
        db.session.commit()
    login(client, eworld.reviewer.email)
    criteria = criteria_ids(app, eworld.call.id)
    assert send(client, f"/evaluation/assignments/{ids['first']}/review", review_form(criteria)).status_code in (
        302, 303)
    client = app.test_client()
    login(client, eworld.chair.email)
    assert client.get(f"/evaluation/candidacies/{ids['candidacy']}/reviews").status_code == 404  # holds
    text = client.get(f"/evaluation/calls/{eworld.call.slug}/audit").get_data(as_text=True)
    assert f"n. {ids['candidacy']}" not in text, "the conflicted chair reads the candidacy's entries"
    assert "total: 3.0" not in text, "the conflicted chair reads who reviewed it and the total they gave"


def test_submitted_reviewer_cannot_read_another_reviewers_unsubmitted_draft(app, client, eworld):  # holds
    """A reviewer who has submitted, opening a fellow reviewer's assignment page, does not read their draft."""
    ids = candidacy_in_review(app, eworld)
    with app.app_context():
        make_review(ids["first"], SCORES)
        make_review(ids["second"], {"innovation": 1}, submitted=False, comment="BOZZA ANCORA RISERVATA")
    login(client, eworld.reviewer.email)
    response = client.get(f"/evaluation/assignments/{ids['second']}/review")
    assert "BOZZA ANCORA RISERVATA" not in response.get_data(as_text=True)


def test_chair_cannot_read_a_reviewers_unsubmitted_draft(app, client, eworld):  # holds
    """The chair does not read a reviewer's draft (not yet sent) on the assignment page."""
    ids = candidacy_in_review(app, eworld)
    with app.app_context():
        make_review(ids["second"], {"innovation": 1}, submitted=False, comment="BOZZA ANCORA RISERVATA")
    login(client, eworld.chair.email)
    response = client.get(f"/evaluation/assignments/{ids['second']}/review")
    assert "BOZZA ANCORA RISERVATA" not in response.get_data(as_text=True)


def test_reviewer_who_has_not_submitted_reads_the_commission_discussion(app, client, eworld):
    """A reviewer who has not yet sent their review reads the commission's discussion, where the others talk about
    their scores: the independent-first rule (research point 9) is bypassed."""
    from app.models import DiscussionPost

    ids = candidacy_in_review(app, eworld)
    with app.app_context():
        make_review(ids["first"], SCORES)
        db.session.add(DiscussionPost(candidacy_id=ids["candidacy"], author_id=eworld.reviewer.id,
                                      body="Io ho dato 5 su innovazione, voi?"))
        db.session.commit()
    login(client, eworld.reviewer_unassigned.email)  # assigned here, review not sent
    response = client.get(f"/evaluation/candidacies/{ids['candidacy']}/discussion")
    assert "Io ho dato 5 su innovazione" not in response.get_data(as_text=True)


def test_blind_call_never_names_the_candidate_to_its_reviewer(app, client, eworld):  # holds
    """In a blind call the assigned reviewer's pages never name the candidate organisation."""
    from app.models import EvaluationCall

    with app.app_context():
        db.session.get(EvaluationCall, eworld.call.id).blind = True
        db.session.commit()
    ids = candidacy_in_review(app, eworld, fields={"why_good": "Buona.", "methods": "M.", "results": "R.",
                                                   "resources": "Ris.", "transferability": "T.",
                                                   "contacts": "Ufficio SUAP"})
    login(client, eworld.reviewer.email)
    for url in (f"/evaluation/candidacies/{ids['candidacy']}", f"/evaluation/assignments/{ids['first']}/review",
                "/evaluation/reviewer", f"/evaluation/calls/{eworld.call.slug}/preferences"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Chieri" not in response.get_data(as_text=True), url


def test_conflicted_reviewer_gets_404_everywhere_on_the_candidacy(app, client, eworld):  # holds
    """A reviewer with a confirmed conflict finds nothing of the candidacy: page, reviews, discussion, decision."""
    ids = candidacy_in_review(app, eworld)
    with app.app_context():
        assign(ids["candidacy"], eworld.reviewer_conflicted.id, status="conflict")
        add_conflict(eworld.call.id, ids["candidacy"], eworld.reviewer_conflicted.id, status="confirmed")
        make_review(ids["first"], SCORES)
    login(client, eworld.reviewer_conflicted.email)
    for tail in ("", "/reviews", "/discussion", "/decision", "/feedback"):
        assert client.get(f"/evaluation/candidacies/{ids['candidacy']}{tail}").status_code == 404, tail


# ---- 3. bad input that gives a 500 ---------------------------------------------------------------------------------




def criterion_post(code: str, weight: str, **extra) -> dict:
    return {"code": code, "title_it": "Criterio di prova", "scale_min": "0", "scale_max": "5", "weight": weight,
            "required": "y", **extra}







# ---- 2. integrity ----------------------------------------------------------------------------------------------------

def test_withdrawing_in_closed_phase_leaves_the_reviewers_assignments_live(app, client, eworld):
    """A candidate withdraws once candidacies are closed and reviewers are assigned: the assignments stay
    «da valutare», the reviewers keep a to-do they can never open (404) and the call's numbers count it."""
    from app.models import Assignment

    ids = candidacy_in_review(app, eworld, phase="closed")
    login(client, eworld.candidate_referent.email)
    response = send(client, f"/evaluation/candidacies/{ids['candidacy']}/withdraw", {"confirmed": "1"})
    assert response.status_code in (302, 303)
    assert count(app, Assignment, candidacy_id=ids["candidacy"], status="assigned") == 0


# ---- 4. CSRF ---------------------------------------------------------------------------------------------------------

def fingerprint(app) -> dict:
    """What a POST may change: the number of rows of every table of the area, statuses and phases."""
    from app import models

    names = ("EvaluationCall", "Criterion", "CommissionMember", "Candidacy", "Conflict", "ReviewPreference",
             "Assignment", "Review", "ReviewScore", "DiscussionPost", "Decision", "EvaluationAudit", "SharedItem")
    with app.app_context():
        found = {name: db.session.execute(select(func.count()).select_from(getattr(models, name))).scalar()
                 for name in names}
        found["phases"] = sorted(db.session.execute(select(models.EvaluationCall.phase)).scalars())
        found["candidacies"] = sorted(db.session.execute(select(models.Candidacy.status)).scalars())
        found["assignments"] = sorted(db.session.execute(select(models.Assignment.status)).scalars())
        found["conflicts"] = sorted(db.session.execute(select(models.Conflict.status)).scalars())
        found["members"] = sorted(db.session.execute(select(models.CommissionMember.active)).scalars())
        found["frozen"] = db.session.execute(select(models.EvaluationCall.criteria_frozen_at)).scalars().all()
    return found


def test_no_post_of_the_area_works_without_its_csrf_token(app, client, eworld):  # holds
    """Every state-changing POST, sent by who may do it but without the CSRF token, is refused and changes nothing."""
    ids = candidacy_in_review(app, eworld, phase="consensus")
    with app.app_context():
        conflict = add_conflict(eworld.call.id, ids["candidacy"], eworld.reviewer_conflicted.id)
        make_review(ids["first"], SCORES)
        conflict_id = conflict.id
        from app.models import CommissionMember
        member_id = db.session.execute(select(CommissionMember.id).where(
            CommissionMember.user_id == eworld.reviewer_conflicted.id)).scalar()
    criteria = criteria_ids(app, eworld.call.id)
    slug, cid = eworld.call.slug, ids["candidacy"]
    by_role = {
        "chair": [f"/evaluation/calls/{slug}/phase/publish_decisions", f"/evaluation/calls/{slug}/phase/close",
                  f"/evaluation/calls/{slug}/criteria/{criteria['impact']}/delete",
                  f"/evaluation/calls/{slug}/commission/{member_id}/remove", f"/evaluation/calls/{slug}/conflicts",
                  f"/evaluation/conflicts/{conflict_id}/confirm", f"/evaluation/calls/{slug}/assignments/auto",
                  f"/evaluation/assignments/{ids['second']}/remove", f"/evaluation/candidacies/{cid}/decision",
                  f"/evaluation/candidacies/{cid}/discussion", f"/evaluation/calls/{slug}/criteria",
                  f"/evaluation/calls/{slug}/commission", f"/evaluation/calls/{slug}/assignments",
                  f"/evaluation/candidacies/{cid}/deputy"],
        "reviewer": [f"/evaluation/assignments/{ids['first']}/review", f"/evaluation/calls/{slug}/attest",
                     f"/evaluation/candidacies/{cid}/conflict", f"/evaluation/calls/{slug}/preferences"],
        "reviewer_unassigned": [f"/evaluation/assignments/{ids['second']}/decline"],
        "candidate_referent": [f"/evaluation/candidacies/{cid}/withdraw", f"/evaluation/candidacies/{cid}/conflict",
                               f"/evaluation/candidacies/{cid}/share"],
    }
    data = {"body": "Messaggio.", "outcome": "recognised", "motivation": "Motivo.", "synthesis": "Sintesi.",
            "code": "nuovo", "title_it": "Nuovo", "scale_min": "0", "scale_max": "5", "weight": "1",
            "email": eworld.member.email, "candidacy": str(cid), "reviewer": str(eworld.reviewer_unassigned.id),
            "kind": "personal", "note": "Nota.", "person": str(eworld.reviewer.id), "reason": "Non posso.",
            "confirmed": "1", "deputy": str(eworld.deputy.id), "accept": "y", "confidence": "3",
            "action": "submit", **review_form(criteria, {k: 0 for k in SCORES})}
    before = fingerprint(app)
    refused = {}
    for role, urls in by_role.items():
        person = app.test_client()
        login(person, getattr(eworld, role).email)
        for url in urls:
            refused[url] = person.post(url, data=data).status_code
    assert fingerprint(app) == before
    assert all(status in (400, 403, 404, 422) for status in refused.values()), refused


def test_candidate_discards_a_submitted_review_by_declaring_a_conflict_during_consensus(app, client, eworld):
    """During consensus the candidate organisation names the reviewer who scored it low: the declaration is
    confirmed at once, without the chair, and that submitted review stops counting — the candidate edits its own
    evaluation (app/evaluation/conflicts.py declare_by_candidate → _record, conflict_status_for)."""
    from app.models import Assignment

    ids = candidacy_in_review(app, eworld, phase="consensus")
    with app.app_context():
        make_review(ids["first"], {k: 0 for k in SCORES}, comment="Punteggi bassi.")
    login(client, eworld.candidate_referent.email)
    response = send(client, f"/evaluation/candidacies/{ids['candidacy']}/conflict",
                    {"person": str(eworld.reviewer.id), "kind": "personal", "note": ""})
    assert response.status_code in (302, 303, 422)
    with app.app_context():
        assert db.session.get(Assignment, ids["first"]).status == "submitted", \
            "the candidate's word alone ended a submitted review"


def test_candidate_takes_the_candidacy_away_from_the_chair_by_naming_them(app, client, eworld):
    """The candidate organisation names the chair in a conflict during consensus: confirmed at once, the chair
    can no longer record the outcome (403/404) — a candidate picks who decides on it."""
    ids = candidacy_in_review(app, eworld, phase="consensus")
    login(client, eworld.candidate_referent.email)
    send(client, f"/evaluation/candidacies/{ids['candidacy']}/conflict",
         {"person": str(eworld.chair.id), "kind": "other", "note": "x"})
    chair = app.test_client()
    login(chair, eworld.chair.email)
    assert chair.get(f"/evaluation/candidacies/{ids['candidacy']}/decision").status_code == 200


def test_conflicted_chair_dismisses_a_reviewers_conflict_on_the_same_candidacy(app, client, eworld):
    """The chair, in a confirmed conflict with a candidacy, still confirms or dismisses the other members' conflicts
    on it (here: lets back the reviewer who reuses the practice) — a conflicted chair picks who judges it
    (app/evaluation/conflicts.py decide checks only the conflict's own person)."""
    from app.models import Conflict

    ids = candidacy_in_review(app, eworld, phase="review")
    with app.app_context():
        add_conflict(eworld.call.id, ids["candidacy"], eworld.chair.id, kind="personal", source="chair",
                     status="confirmed")
        suggested = add_conflict(eworld.call.id, ids["candidacy"], eworld.reviewer_conflicted.id).id
    login(client, eworld.chair.email)
    send(client, f"/evaluation/conflicts/{suggested}/dismiss")
    with app.app_context():
        assert db.session.get(Conflict, suggested).status == "suggested"


def test_removing_a_member_leaves_their_assignments_live(app, client, eworld):
    """The chair takes a reviewer off the commission: their assignments stay «da valutare», the candidacy keeps
    waiting for a review nobody can write («0/2» forever) and automatic assignment counts them as covered
    (app/evaluation/calls.py remove_member)."""
    from app.models import Assignment, CommissionMember

    ids = candidacy_in_review(app, eworld, phase="review")
    with app.app_context():
        member_id = db.session.execute(select(CommissionMember.id).where(
            CommissionMember.call_id == eworld.call.id,
            CommissionMember.user_id == eworld.reviewer_unassigned.id)).scalar()
    login(client, eworld.chair.email)
    assert send(client, f"/evaluation/calls/{eworld.call.slug}/commission/{member_id}/remove").status_code in (
        302, 303)
    with app.app_context():
        assert db.session.get(Assignment, ids["second"]).status != "assigned"


def test_publishing_with_a_missing_decision_is_refused_and_changes_nothing(app, client, eworld):  # holds
    """Publishing while a candidacy has no outcome is refused with 422: no phase change, nothing published."""
    from app.models import Decision, EvaluationCall

    candidacy_in_review(app, eworld, phase="consensus")
    login(client, eworld.chair.email)
    response = send(client, f"/evaluation/calls/{eworld.call.slug}/phase/publish_decisions")
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(EvaluationCall, eworld.call.id).phase == "consensus"
    assert count(app, Decision) == 0


def test_criteria_are_frozen_after_the_first_submitted_review(app, client, eworld):  # holds
    """Once a review is submitted (through the form), the chair can no longer add, edit or delete criteria."""
    from app.models import Criterion

    ids = candidacy_in_review(app, eworld)
    criteria = criteria_ids(app, eworld.call.id)
    login(client, eworld.reviewer.email)
    assert send(client, f"/evaluation/assignments/{ids['first']}/review", review_form(criteria)).status_code in (
        302, 303)
    chair = app.test_client()
    login(chair, eworld.chair.email)
    assert send(chair, f"/evaluation/calls/{eworld.call.slug}/criteria", criterion_post("nuovo", "2")
                ).status_code == 422
    assert send(chair, f"/evaluation/calls/{eworld.call.slug}/criteria",
                criterion_post("impact", "9", criterion_id=str(criteria["impact"]))).status_code == 422
    assert send(chair, f"/evaluation/calls/{eworld.call.slug}/criteria/{criteria['impact']}/delete"
                ).status_code == 422
    with app.app_context():
        assert db.session.get(Criterion, criteria["impact"]).weight == 1.0
    assert count(app, Criterion, call_id=eworld.call.id) == 6




def test_a_nul_byte_in_the_practice_parameter_is_a_server_error(app, client, eworld):
    """A referent gets a 500 from …/candidacies/new?practice=a%00b on PostgreSQL."""
    login(client, eworld.candidate_referent.email)
    not_a_crash(client.get(f"/evaluation/calls/{eworld.call.slug}/candidacies/new?practice=a%00b"))


def test_candidate_adds_self_assessment_items_after_candidacies_closed(app, client, eworld):
    """After the closing deadline, while the commission already reads the candidacy, its referent still attaches new
    self-assessment items to it: what was submitted is no longer frozen (self_services.may_share_now accepts any
    submitted candidacy until decisions)."""
    from app.models import SharedItem
    from tests.functional.test_evaluation_self_share import setup_share

    assessment_id, candidacy_id = setup_share(app, eworld, status="submitted")
    with app.app_context():
        assign(candidacy_id, eworld.reviewer.id)
    set_phase(app, eworld.call.id, "closed")
    login(client, eworld.candidate_referent.email)
    response = send(client, f"/evaluation/candidacies/{candidacy_id}/share",
                    {"assessment": assessment_id, "items": ["1.1"]})
    assert response.status_code == 422
    assert count(app, SharedItem, candidacy_id=candidacy_id) == 0


def test_feedback_counts_the_review_of_a_member_in_conflict(app, client, eworld):
    """A reviewer whose conflict is pending (suggested: blocking) is left out of the board and of the reviews page,
    but their scores and motivations still reach the candidate's feedback report and the decision page's figures
    (app/evaluation/decisions.py submitted_reviews ignores conflicts)."""
    from app.models import Decision, ReviewScore
    from app.models.base import utcnow

    ids = candidacy_in_review(app, eworld, phase="consensus")
    with app.app_context():
        make_review(ids["first"], SCORES)
        second = make_review(ids["second"], {k: 0 for k in SCORES})
        for row in db.session.execute(select(ReviewScore).where(ReviewScore.review_id == second.id)).scalars():
            row.motivation = "MOTIVO DI CHI È IN CONFLITTO"
        db.session.add(Decision(candidacy_id=ids["candidacy"], outcome="recognised", motivation="Ottima.",
                                synthesis="Sintesi.", decided_by_id=eworld.chair.id, decided_at=utcnow(),
                                published_at=utcnow()))
        db.session.commit()
        add_conflict(eworld.call.id, ids["candidacy"], eworld.reviewer_unassigned.id, kind="personal")
    set_phase(app, eworld.call.id, "decided")
    login(client, eworld.candidate_referent.email)
    response = client.get(f"/evaluation/candidacies/{ids['candidacy']}/feedback")
    assert response.status_code == 200
    assert "MOTIVO DI CHI È IN CONFLITTO" not in response.get_data(as_text=True)


def test_feedback_never_names_a_reviewer(app, client, eworld):  # holds
    """The candidate's feedback report shows outcome, means and motivations, never who reviewed."""
    from app.models import Decision
    from app.models.base import utcnow

    ids = candidacy_in_review(app, eworld, phase="consensus")
    with app.app_context():
        make_review(ids["first"], SCORES)
        db.session.add(Decision(candidacy_id=ids["candidacy"], outcome="recognised", motivation="Ottima.",
                                decided_by_id=eworld.chair.id, decided_at=utcnow(), published_at=utcnow()))
        db.session.commit()
    set_phase(app, eworld.call.id, "decided")
    login(client, eworld.candidate_referent.email)
    text = client.get(f"/evaluation/candidacies/{ids['candidacy']}/feedback").get_data(as_text=True)
    assert "Ottima." in text
    assert eworld.reviewer.name not in text and eworld.reviewer_unassigned.name not in text


CALL_FORM = {
    "title": "Premio innovazione 2027", "description": "Un avviso.", "year": "2027", "categories": "",
    "opens_on": "", "closes_on": "0001-01-01", "closes_time": "00:30", "review_due_on": "", "consensus_due_on": "",
    "reviewers_per_candidacy": "2", "max_load": "6", "disagreement_threshold": "1.5",
    "chair_email": "presidente@asti.example.it",
}


def test_a_closing_date_in_year_one_is_a_server_error(app, client, eworld):
    """An administrator creating a call with closing «0001-01-01 00:30» gets a 500: the Rome → UTC conversion
    overflows (app/evaluation/calls.py to_utc); the date must be refused at its field with 422."""
    login(client, eworld.admin.email)
    assert not_a_crash(send(client, "/evaluation/calls/new", CALL_FORM)) == 422



def test_a_superscript_digit_in_the_criteria_edit_parameter_is_a_server_error(app, client, eworld):
    """The chair opening …/criteria?edit=² gets a 500: "²".isdigit() is true but int("²") fails
    (app/evaluation/routes_calls.py criteria)."""
    login(client, eworld.chair.email)
    not_a_crash(client.get(f"/evaluation/calls/{eworld.call.slug}/criteria?edit=%C2%B2"))
