"""Permission matrix of the candidacy routes (issue 13, point 3): every role of tests/evaluation_world.py × the
candidacy's state (a draft, submitted while the call is open, under review) × route, as a full page and as an htmx
request, with what each POST changed.

Outcomes: "ok" (200, or 303 after a POST), "denied" (403 with the reason), "hidden" (404: the candidacy does not exist
for the reader), "login" (anonymous on a signed-in route: 302 to the sign-in page, 401 for htmx).
"""
from __future__ import annotations


import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Candidacy, CandidacyAttachment
from tests.conftest import csrf_token, login
from tests.evaluation_world import ROLES, add_conflict, assign, make_candidacy, set_phase

STATES = ("draft", "submitted", "under_review")
CANDIDATES = {"candidate_referent", "candidate_member"}
# Who reads the candidacy in each state: the candidate organisation and administrators always; the chair and the
# assigned, attested reviewer once the call is past its candidacies (never the conflicted member).
READERS = {"draft": CANDIDATES | {"admin"}, "submitted": CANDIDATES | {"admin"},
           "under_review": CANDIDATES | {"admin", "chair", "reviewer"}}


def world_in(app, eworld, state: str) -> int:
    with app.app_context():
        candidacy = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id,
                                   status="draft" if state == "draft" else "submitted")
        db.session.add(CandidacyAttachment(candidacy_id=candidacy.id, storage_key="ab/cd/" + "abcd" + "0" * 28,
                                           original_name="relazione.pdf", mimetype="application/pdf", size=10,
                                           sha256="0" * 64))
        db.session.commit()
        assign(candidacy.id, eworld.reviewer.id)
        assign(candidacy.id, eworld.reviewer_conflicted.id)
        add_conflict(eworld.call.id, candidacy.id, eworld.reviewer_conflicted.id)
        candidacy_id = candidacy.id
    if state == "under_review":
        set_phase(app, eworld.call.id, "review")
    return candidacy_id


def client_as(app, eworld, role):
    client = app.test_client()
    if role != "anonymous":
        assert login(client, eworld.person(role)).status_code == 303
    return client


def status_of(app, candidacy_id) -> str:
    with app.app_context():
        return db.session.get(Candidacy, candidacy_id).status


def outcome(response) -> str:
    code = response.status_code
    if code in (200, 303, 204):
        return "ok"
    if code == 403:
        return "denied"
    if code == 404:
        return "hidden"
    if code in (302, 401):
        return "login"
    return str(code)


def expected_page(role, state) -> str:
    return "ok" if role in READERS[state] else "hidden"


def expected_edit(role, state) -> str:
    if role == "anonymous":
        return "login"
    if role not in READERS[state]:
        return "hidden"
    return "ok" if role == "candidate_referent" and state == "draft" else "denied"


def expected_action(role, state) -> str:
    """Submit (of a draft) or withdraw (of a submitted candidacy): the referents; under review, refused (422)."""
    if role == "anonymous":
        return "login"
    if role not in READERS[state]:
        return "hidden"
    if role != "candidate_referent":
        return "denied"
    return "422" if state == "under_review" else "ok"


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_candidacy_routes_by_role_and_state(app, eworld, role, state):
    candidacy_id = world_in(app, eworld, state)
    client = client_as(app, eworld, role)
    base = f"/evaluation/candidacies/{candidacy_id}"
    htmx = {"HX-Request": "true"}

    page = client.get(base)
    assert outcome(page) == expected_page(role, state), (role, state, page.status_code)
    fragment = client.get(base, headers=htmx)
    assert outcome(fragment) == expected_page(role, state)
    if page.status_code == 200:
        assert "<html" in page.get_data(as_text=True) and "<html" not in fragment.get_data(as_text=True)
        assert 'id="candidacy-main"' in fragment.get_data(as_text=True)
        assert fragment.headers["Vary"].count("HX-Request") == 1
    if page.status_code == 403:
        assert "referenti" in page.get_data(as_text=True)

    assert outcome(client.get(f"{base}/edit")) == expected_edit(role, state), (role, state)
    assert outcome(client.get(f"{base}/edit", headers=htmx)) == expected_edit(role, state)
    # The document: whoever reads the candidacy (the stored file is missing here: 404 for them too, never a 500).
    download = client.get(f"{base}/attachments/1")
    assert download.status_code in (404, 200)

    action = "submit" if state == "draft" else "withdraw"
    before = status_of(app, candidacy_id)
    token = csrf_token(client, "/privacy")
    response = client.post(f"{base}/{action}", data={"csrf_token": token, "confirmed": "1"}, headers=htmx)
    assert outcome(response) == expected_action(role, state), (role, state, response.status_code)
    after = status_of(app, candidacy_id)
    if expected_action(role, state) == "ok":
        assert after == {"submit": "submitted", "withdraw": "withdrawn"}[action]
    else:
        assert after == before


@pytest.mark.parametrize("role", ROLES)
def test_new_candidacy_and_my_candidacies_by_role(app, eworld, role):
    client = client_as(app, eworld, role)
    url = f"/evaluation/calls/{eworld.call.slug}/candidacies/new?practice={eworld.practice.slug}"
    response = client.get(url)
    expected = {"anonymous": 302, "candidate_referent": 200}.get(role, 403)
    assert response.status_code == expected, (role, response.status_code)
    token = csrf_token(client, "/privacy")
    sent = client.post(url, data={"csrf_token": token, "intent": "draft", "why_good": "X"})
    assert sent.status_code == {"anonymous": 302, "candidate_referent": 303}.get(role, 403)
    with app.app_context():
        made = db.session.execute(select(Candidacy)).scalars().all()
        assert len(made) == (1 if role == "candidate_referent" else 0)

    mine = client.get("/evaluation/mine")
    expected = {"anonymous": 302, "admin": 403}.get(role, 200)
    assert mine.status_code == expected, (role, mine.status_code)
    if expected == 200:
        text = mine.get_data(as_text=True)
        assert ("Sportello unico digitale" in text) == (role == "candidate_referent")
        fragment = client.get("/evaluation/mine", headers={"HX-Request": "true"})
        assert fragment.status_code == 200 and "<html" not in fragment.get_data(as_text=True)


def test_the_candidate_member_sees_the_organisations_candidacies(app, client, eworld):
    with app.app_context():
        make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id, status="draft")
    login(client, eworld.candidate_member)
    text = client.get("/evaluation/mine").get_data(as_text=True)
    assert "Sportello unico digitale" in text and "Completate i campi e inviate" in text
    other = app.test_client()
    login(other, eworld.other_referent)
    assert "Sportello unico digitale" not in other.get("/evaluation/mine").get_data(as_text=True)


def test_an_attachment_of_another_candidacy_is_not_found(app, client, eworld):
    with app.app_context():
        first = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id, status="draft")
        second = make_candidacy(eworld.call.id, eworld.other_practice.id, eworld.other_referent.id, status="draft")
        db.session.add(CandidacyAttachment(candidacy_id=second.id, storage_key="ab/cd/abcd" + "0" * 28,
                                           original_name="altro.pdf", mimetype="application/pdf", size=1,
                                           sha256="0" * 64))
        db.session.commit()
        first_id = first.id
        attachment_id = db.session.execute(select(CandidacyAttachment.id)).scalar_one()
    login(client, eworld.candidate_referent)
    assert client.get(f"/evaluation/candidacies/{first_id}/attachments/{attachment_id}").status_code == 404
    response = client.post(f"/evaluation/candidacies/{first_id}/attachments/{attachment_id}/delete",
                           data={"csrf_token": csrf_token(client, "/privacy")})
    assert response.status_code == 404
