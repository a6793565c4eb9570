"""PRIVACY of the self-assessment (issue 13, point 4): nobody outside the organisation reads an assessment — not the
chair, not a reviewer, not a platform administrator, not another organisation's referent, not anonymous people.
Every self-assessment route and fragment is a 404 (or the sign-in page), lists show nothing, and no other page they
can reach (calls, board, candidacy, reviews, search, notifications, administration) contains a word written in the
assessment. On the candidacy only the copy of what was shared appears — and only that."""
from __future__ import annotations

import re

import pytest
from flask import url_for
from sqlalchemy import func, select

from app.extensions import db
from app.models import AssessmentScore, ImprovementAction, SelfAssessment, SharedItem
from tests.conftest import index_now, login, post
from tests.evaluation_world import assign, make_candidacy, set_phase
from tests.functional.test_evaluation_self import add_score, load_template, make_assessment

TITLE = "Autovalutazione OSSIDIANA"
OWN = "ZAFFIROPRIVATO"  # a person's own strengths
HIDDEN = "SMERALDONASCOSTO"  # the consensus of an item not shared
PLAN = "RUBINOPIANO"  # an action of the improvement plan
SHARED = "LAPISLAZZULO"  # the consensus strengths of the item that is shared
PRIVATE_MARKERS = (TITLE, OWN, HIDDEN, PLAN)
OUTSIDERS = ("chair", "reviewer", "admin", "other_referent", "anonymous")


@pytest.fixture
def private(app, eworld):
    """Chieri's assessment, with one item shared to a submitted candidacy now in review, assigned to `reviewer`."""
    template_id = load_template(app)
    assessment_id = make_assessment(app, eworld.chieri.id, template_id, eworld.candidate_referent.id, title=TITLE)
    add_score(app, assessment_id, "1.1", eworld.candidate_member.id, {"score": 20}, strengths=f"Nota {OWN}",
              evidence=f"Evidenza {OWN}")
    add_score(app, assessment_id, "1.1", None, {"score": 65}, strengths=f"Missione {SHARED}",
              improvements="Riesame annuale.")
    add_score(app, assessment_id, "2.1", None, {"score": 30}, strengths=f"Stakeholder {HIDDEN}")
    with app.app_context():
        db.session.add(ImprovementAction(assessment_id=assessment_id, title=f"Azione {PLAN}", owner="Segreteria"))
        db.session.commit()
        candidacy = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id)
        candidacy_id = candidacy.id
    client = app.test_client()
    login(client, eworld.candidate_referent)
    assert post(client, f"/evaluation/candidacies/{candidacy_id}/share",
                {"assessment": assessment_id, "items": ["1.1"]}).status_code == 303
    set_phase(app, eworld.call.id, "review")
    with app.app_context():
        assign(candidacy_id, eworld.reviewer.id)
    index_now(app)
    return dict(assessment=assessment_id, candidacy=candidacy_id)


def state(app) -> tuple:
    with app.app_context():
        count = lambda model: db.session.execute(select(func.count()).select_from(model)).scalar()  # noqa: E731
        statuses = tuple(db.session.execute(select(SelfAssessment.status).order_by(SelfAssessment.id)).scalars())
        return count(SelfAssessment), count(AssessmentScore), count(ImprovementAction), count(SharedItem), statuses


def sign_in(client, eworld, role: str) -> None:
    if role != "anonymous":
        response = login(client, eworld.person(role))
        assert response.status_code in (302, 303)


def assert_hidden(response, role: str, htmx: bool, where: str) -> None:
    if role == "anonymous":
        assert response.status_code == (401 if htmx else 302), where
        if not htmx:
            assert "/auth/login" in response.headers["Location"], where
    else:
        assert response.status_code == 404, (role, where, response.status_code)
    text = response.get_data(as_text=True)
    assert not [marker for marker in PRIVATE_MARKERS + (SHARED,) if marker in text], (role, where)


@pytest.mark.parametrize("role", OUTSIDERS)
@pytest.mark.parametrize("htmx", [False, True])
def test_every_route_of_the_assessment_is_a_404_to_outsiders(app, client, eworld, private, role, htmx):
    base = f"/evaluation/self-assessment/{private['assessment']}"
    before = state(app)
    sign_in(client, eworld, role)
    headers = {"HX-Request": "true"} if htmx else {}
    for url in (base, f"{base}/items/1.1", f"{base}/items/2.1", f"{base}/plan", f"{base}/items/9.9"):
        assert_hidden(client.get(url, headers=headers), role, htmx, url)
    posts = {f"{base}/items/1.1": {"score": "99", "strengths": "intrusione"},
             f"{base}/items/1.1/consensus": {"consensus-score": "99"},
             f"{base}/plan": {"title": "intrusione", "status": "planned"},
             f"{base}/close": {},
             f"/evaluation/candidacies/{private['candidacy']}/share": {"assessment": private["assessment"],
                                                                        "items": ["2.1"]}}
    for url, data in posts.items():
        assert_hidden(post(client, url, data, htmx=htmx), role, htmx, url)
    assert_hidden(client.get(f"/evaluation/candidacies/{private['candidacy']}/share", headers=headers), role, htmx,
                  "share")
    assert state(app) == before


@pytest.mark.parametrize("role", OUTSIDERS)
def test_lists_of_outsiders_show_nothing_of_it(app, client, eworld, private, role):
    sign_in(client, eworld, role)
    for url in ("/evaluation/self-assessment/", "/evaluation/self-assessment/compare",
                "/evaluation/self-assessment/new"):
        response = client.get(url)
        if role in ("anonymous",):
            assert response.status_code == 302
        elif role == "admin":  # no organisation: no self-assessment area at all
            assert response.status_code == 404
        else:  # their own organisation's (empty) area
            assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert not [marker for marker in PRIVATE_MARKERS + (SHARED,) if marker in text], (role, url)


def other_pages(app, eworld, private) -> list[str]:
    """Every page of the platform an outsider might reach that could show something of the candidacy."""
    wanted = [("evaluation.calls", {}), ("evaluation.call", {"slug": eworld.call.slug}),
              ("evaluation.board", {"slug": eworld.call.slug}), ("evaluation.audit", {"slug": eworld.call.slug}),
              ("evaluation.results", {"slug": eworld.call.slug}),
              ("evaluation.export", {"slug": eworld.call.slug, "fmt": "csv"}),
              ("evaluation.candidacy", {"candidacy_id": private["candidacy"]}),
              ("evaluation.reviews", {"candidacy_id": private["candidacy"]}),
              ("evaluation.discussion", {"candidacy_id": private["candidacy"]}),
              ("evaluation.feedback", {"candidacy_id": private["candidacy"]}),
              ("evaluation.my_candidacies", {}), ("evaluation.reviewer_dashboard", {}),
              ("main.dashboard", {}), ("notifications.index", {}), ("admin.dashboard", {}),
              ("organizations.profile", {"slug": "comune-di-chieri"}),
              ("practices.show", {"slug": eworld.practice.slug})]
    with app.test_request_context():
        return [url_for(endpoint, **values) for endpoint, values in wanted]


@pytest.mark.parametrize("role", OUTSIDERS)
def test_no_other_page_shows_what_was_not_shared(app, client, eworld, private, role):
    sign_in(client, eworld, role)
    urls = other_pages(app, eworld, private)
    assert "/notifications/" in urls and "/admin/" in urls and "/evaluation/" in urls
    seen = 0
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            continue
        seen += 1
        text = response.get_data(as_text=True)
        assert not [marker for marker in PRIVATE_MARKERS if marker in text], (role, url)
    assert seen >= (1 if role == "anonymous" else 3)


def without_tokens(page: str) -> str:
    """The page without its CSRF tokens (signed with the time: they differ from one second to the next)."""
    page = re.sub(r'(name="csrf_token" type="hidden" value=")[^"]+', r"\1", page)
    return re.sub(r'("X-CSRFToken": ")[^"]+', r"\1", page)


@pytest.mark.parametrize("role", OUTSIDERS + ("candidate_member",))
def test_search_finds_nothing_of_an_assessment(app, client, eworld, private, role):
    """The search page echoes the words asked: it reads the same for a word of the assessment as for a word
    written nowhere (no result, no excerpt)."""
    sign_in(client, eworld, role)
    client.get("/privacy")  # shows (and so clears) the sign-in message
    control = "QUARZOINESISTENTE"
    nowhere = client.get(f"/search?q={control}")
    assert nowhere.status_code == 200
    assert "Sportello unico digitale" in client.get("/search?q=sportello").get_data(as_text=True)  # the index works
    for marker in PRIVATE_MARKERS[1:] + (SHARED,):
        response = client.get(f"/search?q={marker}")
        assert response.status_code == 200
        same = without_tokens(response.get_data(as_text=True).replace(marker, control))
        assert same == without_tokens(nowhere.get_data(as_text=True)), (role, marker)


def test_the_candidacy_shows_the_shared_copy_only(app, client, eworld, private):
    """The reviewer and the chair read the shared consensus on the candidacy; nothing else of the assessment."""
    with app.test_request_context():
        url = url_for("evaluation.candidacy", candidacy_id=private["candidacy"])
    for role in ("reviewer", "chair", "candidate_member"):
        sign_in(client, eworld, role)
        response = client.get(url)
        assert response.status_code == 200, role
        text = response.get_data(as_text=True)
        assert not [marker for marker in PRIVATE_MARKERS if marker in text], role
        assert SHARED in text, role  # the copy the referents chose to share
        post(client, "/auth/logout")


def test_the_shared_copy_holds_only_the_consensus_of_the_chosen_item(app, private):
    with app.app_context():
        rows = list(db.session.execute(select(SharedItem)).scalars())
        assert [each.item_code for each in rows] == ["1.1"]
        content = str(rows[0].content)
        assert SHARED in content and not [marker for marker in PRIVATE_MARKERS if marker in content]


def test_no_notification_or_search_entry_is_made_of_an_assessment(app, eworld, private):
    from app.models import Notification

    with app.app_context():
        texts = [str(each.__dict__) for each in db.session.execute(select(Notification)).scalars()]
        assert not [text for text in texts if any(marker in text for marker in PRIVATE_MARKERS + (SHARED,))]
