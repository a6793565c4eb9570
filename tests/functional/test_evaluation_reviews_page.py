"""The candidacy's reviews page (issue 13, point 7): independent first, shared after — a reviewer reads the others'
reviews only once their own is in; the chair and administrators always; candidates never (nor reviewers' names)."""
from __future__ import annotations

import pytest

from app.extensions import db
from tests.conftest import csrf_token, login
from tests.evaluation_world import assign, make_review, set_phase
from tests.functional.test_evaluation_review import SCORES, form_data, outcome, world_with_assignment

EXPECTED = {"anonymous": "login", "member": 404, "candidate_referent": 403, "candidate_member": 403,
            "other_referent": 404, "reviewer": 200, "reviewer_conflicted": 404, "reviewer_unassigned": 404,
            "chair": 200, "deputy": 403, "admin": 200, "supplier": 404}


def with_first_review(app, eworld, phase="review") -> dict:
    """`reviewer` has submitted (motivations "Motivo per <code>."); `deputy` is assigned and has not."""
    ids = world_with_assignment(app, eworld, "review")
    with app.app_context():
        make_review(ids["mine"], SCORES, comment="Commento riservato della prima valutazione.")
    if phase != "review":
        set_phase(app, eworld.call.id, phase)
    return ids


@pytest.mark.parametrize("phase", ["review", "consensus"])
@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("role", list(EXPECTED))
def test_reviews_page_role_matrix(app, client, eworld, role, phase, htmx):
    ids = with_first_review(app, eworld, phase)
    if role != "anonymous":
        assert login(client, eworld.person(role)).status_code == 303
    response = client.get(f"/evaluation/candidacies/{ids['candidacy']}/reviews",
                          headers={"HX-Request": "true"} if htmx else {})
    assert outcome(response) == EXPECTED[role]
    text = response.get_data(as_text=True)
    if EXPECTED[role] == 200:
        assert "Motivo per innovation." in text and eworld.reviewer.name in text
        assert ("<html" in text) != htmx and 'id="reviews"' in text
    else:
        assert "Motivo per innovation." not in text and eworld.reviewer.name not in text


def test_the_second_reviewer_sees_the_first_scores_only_after_submitting(app, client, eworld):
    ids = with_first_review(app, eworld)
    login(client, eworld.deputy)
    url = f"/evaluation/candidacies/{ids['candidacy']}/reviews"
    refused = client.get(url)
    assert refused.status_code == 403
    text = refused.get_data(as_text=True)
    assert "dopo aver inviato la propria" in text and "Motivo per innovation." not in text
    # their own form does not show the other review either
    form = client.get(f"/evaluation/assignments/{ids['second']}/review").get_data(as_text=True)
    assert "Motivo per innovation." not in form and "Commento riservato" not in form
    # nor does the other reviewer's assignment page
    assert client.get(f"/evaluation/assignments/{ids['mine']}/review").status_code == 403
    response = client.post(f"/evaluation/assignments/{ids['second']}/review",
                           data={**form_data(ids["criteria"], {**SCORES, "innovation": 1}),
                                 "csrf_token": csrf_token(client, "/privacy")})
    assert response.status_code == 303
    shared = client.get(url)
    text = shared.get_data(as_text=True)
    assert shared.status_code == 200
    assert "Motivo per innovation." in text and "Commento riservato della prima valutazione." in text
    assert eworld.reviewer.name in text and eworld.deputy.name in text
    assert "2/2 valutazioni inviate" in text


def test_aggregates_and_disagreement_on_the_page(app, client, eworld):
    ids = with_first_review(app, eworld)  # total 3
    with app.app_context():
        make_review(ids["second"], dict.fromkeys(SCORES, 5))  # total 5: spread 2 > 1.5
    login(client, eworld.chair)
    text = client.get(f"/evaluation/candidacies/{ids['candidacy']}/reviews").get_data(as_text=True)
    assert "2/2 valutazioni inviate" in text
    assert "<td>2</td><td>4</td><td>4</td><td>3</td><td>5</td><td>1</td>" in text.replace("\n", "").replace("    ", "")
    assert "discordanti" in text


def test_drafts_of_others_are_not_shown(app, client, eworld):
    ids = with_first_review(app, eworld)
    with app.app_context():
        make_review(ids["second"], {"innovation": 0}, submitted=False, comment="Bozza segreta.")
    login(client, eworld.chair)
    text = client.get(f"/evaluation/candidacies/{ids['candidacy']}/reviews").get_data(as_text=True)
    assert "1/2 valutazioni inviate" in text
    assert "Bozza segreta." not in text, text[text.find("<main"):]
    page = client.get(f"/evaluation/assignments/{ids['second']}/review").get_data(as_text=True)
    assert "Bozza segreta." not in page and "non è ancora stata inviata" in page


def test_an_unassigned_or_conflicted_member_learns_nothing(app, client, eworld):
    ids = with_first_review(app, eworld)
    for role in ("reviewer_unassigned", "reviewer_conflicted"):
        fresh = app.test_client()
        login(fresh, eworld.person(role))
        assert fresh.get(f"/evaluation/candidacies/{ids['candidacy']}/reviews").status_code == 404
        assert fresh.get(f"/evaluation/assignments/{ids['mine']}/review").status_code == 404


def test_a_reviewer_removed_from_an_assignment_after_submitting_still_has_the_page(app, client, eworld):
    """can_view_reviews: an assignment submitted stays the key even with a later live assignment elsewhere."""
    ids = with_first_review(app, eworld)
    with app.app_context():
        from app.models import Candidacy

        other = Candidacy(call_id=eworld.call.id, practice_id=eworld.other_practice.id,
                          organization_id=eworld.bari.id, status="under_review", category="servizi")
        db.session.add(other)
        db.session.commit()
        assign(other.id, eworld.reviewer.id)
    login(client, eworld.reviewer)
    assert client.get(f"/evaluation/candidacies/{ids['candidacy']}/reviews").status_code == 200
