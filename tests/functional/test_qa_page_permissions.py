"""Permission matrix of the question page's routes (issue 12): every route × every role of tests/qa_world.py ×
(open, moderated, private community), as a full page and as an htmx request, with what each POST changed.

Expected outcomes: "ok" (200 for htmx, 200/303 for a full page), "denied" (403), "hidden" (404: a private
community's question does not exist for outsiders), "login" (anonymous: 401 + HX-Redirect for htmx, 302 to the
sign-in page otherwise). A refused request changes nothing.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Answer, Comment, Follow, Question, Revision, Vote
from tests.conftest import csrf_token, login
from tests.qa_world import ROLES, make_answer, make_question

VISIBILITIES = ("open", "moderated", "private")
MEMBERS = {"member", "other_member", "facilitator", "donor_member", "supplier"}  # active members of every community
PARTICIPANTS = MEMBERS | {"admin"}  # may answer and comment a community question
# The question is asked by `member`; the answer is by `other_member`.
RULES = {
    "page": PARTICIPANTS | {"anonymous", "donor_referent", "outsider"},
    "answer": PARTICIPANTS - {"other_member"},  # other_member already answered: see the 422 below
    "comment": PARTICIPANTS,
    "vote": PARTICIPANTS - {"other_member"},  # not one's own answer
    "accept": {"member", "facilitator", "admin"},
    "close": {"member", "facilitator", "admin"},
    "pin": {"facilitator", "admin"},
    "follow": PARTICIPANTS | {"donor_referent", "outsider"},
    "edit_answer": {"other_member", "facilitator", "admin"},
    "history": PARTICIPANTS | {"anonymous", "donor_referent", "outsider"},
    "mentions": PARTICIPANTS,
}
# Who sees a private community's question: its active members and administrators.
SEES_PRIVATE = PARTICIPANTS


PUBLIC_ROUTES = {"page", "history"}  # the others sign in first (the same answer whether or not the question exists)


def expected(route: str, role: str, visibility: str) -> str:
    if role == "anonymous" and route not in PUBLIC_ROUTES:
        return "login"
    if visibility == "private" and role not in SEES_PRIVATE:
        return "hidden"
    if role in RULES[route]:
        return "ok"
    if role == "anonymous":
        return "login"
    return "denied"


def snapshot(app, question_id: int) -> dict:
    with app.app_context():
        def rows(model):
            return db.session.execute(select(func.count()).select_from(model)).scalar()

        question = db.session.get(Question, question_id)
        return dict(answers=rows(Answer), comments=rows(Comment), votes=rows(Vote), follows=rows(Follow),
                    revisions=rows(Revision), status=question.status, pinned=question.pinned,
                    accepted=question.accepted_answer_id, answer_body=db.session.get(Answer, 1).body)


def check(response, outcome: str, htmx: bool, ok_codes=(200, 303), htmx_ok=(200,)) -> None:
    code = response.status_code
    if outcome == "ok":
        assert code in (htmx_ok if htmx else ok_codes), (code, response.get_data(as_text=True)[:300])
    elif outcome == "denied":
        assert code == 403, code
    elif outcome == "hidden":
        assert code == 404, code
    elif htmx:
        assert code == 401 and "/auth/login" in response.headers["HX-Redirect"], code
    else:
        assert code == 302 and "/auth/login" in response.headers["Location"], code


@pytest.fixture
def scene(app, qworld):
    def build(visibility: str, practice: bool = False):
        with app.app_context():
            question = make_question(qworld.community(visibility).id, qworld.member.id,
                                     practice_id=qworld.practice(visibility).id if practice else None)
            answer = make_answer(question.id, qworld.other_member.id)
            return question.id, answer.id
    return build


def signed_in(client, qworld, role: str) -> str:
    """Sign in as the role (or stay anonymous); a CSRF token of this session."""
    if role != "anonymous":
        response = login(client, getattr(qworld, role))
        assert response.status_code in (302, 303)
    return csrf_token(client, "/privacy")


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", ROLES)
def test_question_page_routes(app, client, qworld, scene, role, visibility, htmx):
    qid, aid = scene(visibility)
    token = signed_in(client, qworld, role)
    headers = {"HX-Request": "true"} if htmx else {}
    me = getattr(qworld, role).id if role != "anonymous" else None

    def send(url, data=None):
        return client.post(url, data={**(data or {}), "csrf_token": token}, headers=headers)

    def outcome(route):
        return expected(route, role, visibility)

    # GETs: the page, a fragment of it, the history, the edit page, the mention list.
    response = client.get(f"/questions/{qid}" + ("?part=answers" if htmx else ""), headers=headers)
    check(response, "hidden" if outcome("page") == "hidden" else "ok", htmx)
    if response.status_code == 200:
        assert ("<html" in response.get_data(as_text=True)) is (not htmx)
    check(client.get(f"/questions/{qid}/history", headers=headers),
          "hidden" if outcome("history") == "hidden" else "ok", htmx)
    check(client.get(f"/questions/{qid}/answers/{aid}/edit", headers=headers), outcome("edit_answer"), htmx)
    check(client.get(f"/questions/mentions?question={qid}&q=Ma", headers={"HX-Request": "true"}),
          outcome("mentions"), True)

    # POSTs, each with what it changed.
    before = snapshot(app, qid)
    response = send(f"/questions/{qid}/votes/answer/{aid}")
    check(response, outcome("vote"), htmx)
    after = snapshot(app, qid)
    assert after["votes"] == before["votes"] + (1 if outcome("vote") == "ok" else 0)

    before = after
    response = send(f"/questions/{qid}/comments", {"comment-q-body": "Un commento di prova"})
    check(response, outcome("comment"), htmx)
    after = snapshot(app, qid)
    assert after["comments"] == before["comments"] + (1 if outcome("comment") == "ok" else 0)

    before = after
    response = send(f"/questions/{qid}/answers", {"answer-body": "Una risposta di prova"})
    if role == "other_member" and outcome("page") != "hidden":
        assert response.status_code == 422  # already answered: the message at the field
    else:
        check(response, outcome("answer"), htmx)
    after = snapshot(app, qid)
    assert after["answers"] == before["answers"] + (1 if outcome("answer") == "ok" else 0)

    before = after
    response = send(f"/questions/{qid}/follow", {"level": "muted"})
    check(response, outcome("follow"), htmx)
    after = snapshot(app, qid)
    if outcome("follow") == "ok":
        with app.app_context():
            assert db.session.execute(select(Follow.level).where(
                Follow.user_id == me, Follow.target_type == "question", Follow.target_id == qid)).scalar() == "muted"
    else:
        assert after["follows"] == before["follows"]

    before = after
    response = send(f"/questions/{qid}/answers/{aid}/edit", {"body": "Risposta corretta"})
    # The edit page is a page of its own: after saving, back to the question (HX-Redirect for htmx).
    check(response, outcome("edit_answer"), htmx, ok_codes=(303,), htmx_ok=(204,))
    if htmx and outcome("edit_answer") == "ok":
        assert response.headers["HX-Redirect"].endswith(f"/questions/{qid}#answer-{aid}")
    after = snapshot(app, qid)
    assert (after["answer_body"] == "Risposta corretta") is (outcome("edit_answer") == "ok")
    assert after["revisions"] == before["revisions"] + (1 if outcome("edit_answer") == "ok" else 0)

    before = after
    response = send(f"/questions/{qid}/pin", {"pinned": "1"})
    check(response, outcome("pin"), htmx)
    after = snapshot(app, qid)
    assert after["pinned"] is (outcome("pin") == "ok")

    before = after
    response = send(f"/questions/{qid}/answers/{aid}/accept")
    check(response, outcome("accept"), htmx)
    after = snapshot(app, qid)
    assert (after["status"], after["accepted"]) == (("solved", aid) if outcome("accept") == "ok" else ("open", None))

    before = after
    response = send(f"/questions/{qid}/close", {"close-reason": "obsolete"})
    check(response, outcome("close"), htmx)
    after = snapshot(app, qid)
    assert after["status"] == ("closed" if outcome("close") == "ok" else before["status"])
    if outcome("close") == "ok":
        response = send(f"/questions/{qid}/reopen")
        check(response, "ok", htmx)
        assert snapshot(app, qid)["status"] == "solved"  # it kept its accepted answer


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_the_donor_referent_answers_and_accepts_on_a_practice_question(app, client, qworld, scene, visibility):
    """Not a member of the community, the donor's referent takes part in its practice's questions (where the
    community is public) and may accept an answer; the answer is marked as the donors'."""
    qid, aid = scene(visibility, practice=True)
    token = signed_in(client, qworld, "donor_referent")
    response = client.post(f"/questions/{qid}/answers", data={"answer-body": "La risposta degli enti cedenti",
                                                              "csrf_token": token}, headers={"HX-Request": "true"})
    if visibility == "private":
        assert response.status_code == 404
        assert snapshot(app, qid)["answers"] == 1
        return
    assert response.status_code == 200 and "Risposta degli enti cedenti" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(Answer.official).where(Answer.author_id == qworld.donor_referent.id)
                                  ).scalar() is True
    response = client.post(f"/questions/{qid}/answers/{aid}/accept", data={"csrf_token": token})
    assert response.status_code == 303
    assert snapshot(app, qid)["accepted"] == aid


def test_a_post_without_its_csrf_token_is_refused_and_changes_nothing(app, client, qworld, scene):
    qid, aid = scene("open")
    signed_in(client, qworld, "facilitator")
    before = snapshot(app, qid)
    for url, data in ((f"/questions/{qid}/answers", {"answer-body": "x"}),
                      (f"/questions/{qid}/comments", {"comment-q-body": "x"}),
                      (f"/questions/{qid}/votes/answer/{aid}", {}), (f"/questions/{qid}/pin", {"pinned": "1"}),
                      (f"/questions/{qid}/answers/{aid}/accept", {}), (f"/questions/{qid}/close",
                                                                       {"close-reason": "obsolete"})):
        assert client.post(url, data=data).status_code == 400, url
    assert snapshot(app, qid) == before
