"""Who may report, see the review queue and decide there: every role of the Q&A world × open, moderated and private
communities, full page and htmx, with the rows each POST changed (or did not)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.qa import Answer, ModerationEvent, Report
from tests.conftest import csrf_token, login
from tests.qa_world import ROLES, make_answer, make_question

VISIBILITIES = ("open", "moderated", "private")
NOT_MEMBERS = {"donor_referent", "outsider"}  # signed in, not members of the communities
MODERATORS = {"facilitator", "admin"}


@pytest.fixture
def target(app, qworld):
    """In each community a question by member and an answer by other_member; returns {visibility: (slug, answer id)}."""
    from app.models import Community

    with app.app_context():
        result = {}
        for visibility in VISIBILITIES:
            community = db.session.get(Community, qworld.community(visibility).id)
            question = make_question(community.id, qworld.member.id)
            answer = make_answer(question.id, qworld.other_member.id)
            result[visibility] = (community.slug, answer.id)
        return result


def _rows(app, answer_id):
    with app.app_context():
        answer = db.session.get(Answer, answer_id)
        return {"reports": db.session.execute(select(func.count()).select_from(Report)).scalar(),
                "events": db.session.execute(select(func.count()).select_from(ModerationEvent)).scalar(),
                "visibility": answer.visibility, "needs_review": answer.needs_review}


def _sign_in(client, qworld, role):
    if role != "anonymous":
        assert login(client, getattr(qworld, role)).status_code == 303


def _post(client, url, data, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url, data={**data, "csrf_token": csrf_token(client, "/privacy")}, headers=headers)


def _refused(response, role, visibility, htmx, *, moderators_only=False):
    """The status a refused role gets, or None when the role is allowed."""
    if role == "anonymous":
        return 401 if htmx else 302
    if visibility == "private" and role in NOT_MEMBERS:
        return 404
    if moderators_only:
        return None if role in MODERATORS else 403
    return 403 if role == "other_member" else None  # the answer's author


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", ROLES)
def test_report_an_answer(app, client, qworld, target, role, visibility, htmx):
    _slug, answer_id = target[visibility]
    before = _rows(app, answer_id)
    _sign_in(client, qworld, role)
    response = _post(client, "/questions/report", {"kind": "answer", "id": str(answer_id), "reason": "spam"}, htmx)
    after = _rows(app, answer_id)
    refused = _refused(response, role, visibility, htmx)
    if refused:
        assert response.status_code == refused, response.get_data(as_text=True)[:300]
        assert after == before
        return
    assert response.status_code == (200 if htmx else 303)
    if htmx:
        assert "Segnalazione inviata" in response.get_data(as_text=True)
    assert after["reports"] == before["reports"] + 1
    if role in MODERATORS:  # one facilitator's report hides at once
        assert (after["visibility"], after["needs_review"], after["events"]) == ("hidden", True, before["events"] + 1)
    else:
        assert (after["visibility"], after["events"]) == ("visible", before["events"])


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", ROLES)
def test_review_queue_page(app, client, qworld, target, role, visibility, htmx):
    slug, _answer_id = target[visibility]
    _sign_in(client, qworld, role)
    response = client.get(f"/communities/{slug}/questions/review", headers={"HX-Request": "true"} if htmx else {})
    refused = _refused(response, role, visibility, htmx, moderators_only=True)
    if refused:
        assert response.status_code == refused
        return
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Contenuti nascosti in attesa di decisione" in text
    assert ("<html" in text) is (not htmx)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", ROLES)
def test_restore_from_the_queue(app, client, qworld, target, role, visibility, htmx):
    slug, answer_id = target[visibility]
    with app.app_context():
        answer = db.session.get(Answer, answer_id)
        answer.visibility, answer.needs_review = "hidden", True
        db.session.commit()
    before = _rows(app, answer_id)
    _sign_in(client, qworld, role)
    response = _post(client, f"/communities/{slug}/questions/review/answer/{answer_id}", {"action": "restore"}, htmx)
    after = _rows(app, answer_id)
    refused = _refused(response, role, visibility, htmx, moderators_only=True)
    if refused:
        assert response.status_code == refused
        assert after == before
        return
    assert response.status_code == (200 if htmx else 303)
    assert (after["visibility"], after["needs_review"], after["events"]) == ("visible", False, before["events"] + 1)


def test_review_of_a_post_of_another_community_is_404(app, client, qworld, target):
    open_slug, _ = target["open"]
    _other_slug, private_answer = target["private"]
    with app.app_context():
        answer = db.session.get(Answer, private_answer)
        answer.visibility, answer.needs_review = "hidden", True
        db.session.commit()
    before = _rows(app, private_answer)
    login(client, qworld.facilitator)
    response = _post(client, f"/communities/{open_slug}/questions/review/answer/{private_answer}",
                     {"action": "restore"}, False)
    assert response.status_code == 404
    assert _rows(app, private_answer) == before
    for bad in ("bogus/1", "answer/999"):
        assert _post(client, f"/communities/{open_slug}/questions/review/{bad}", {"action": "restore"},
                     False).status_code == 404


@pytest.mark.parametrize("action", ["", "bogus"])
def test_review_without_a_valid_action_changes_nothing(app, client, qworld, target, action):
    slug, answer_id = target["open"]
    with app.app_context():
        answer = db.session.get(Answer, answer_id)
        answer.visibility, answer.needs_review = "hidden", True
        db.session.commit()
    before = _rows(app, answer_id)
    login(client, qworld.facilitator)
    response = _post(client, f"/communities/{slug}/questions/review/answer/{answer_id}", {"action": action}, True)
    assert response.status_code == 422
    assert "Scegli che cosa fare di questo contenuto." in response.get_data(as_text=True)
    assert _rows(app, answer_id) == before
