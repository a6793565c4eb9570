"""Who sees a community's indicators, their drill-downs and CSV, and who records the governance page (issue 14).

A private community's figures exist only for its members and administrators (404 otherwise, as its other pages);
a drill-down lists only what the reader may see; governance is for administrators and the community's facilitators.
"""
from __future__ import annotations

import pytest

from app.extensions import db
from app.models import CommunityGovernance, Question, SupportRequest
from tests.conftest import csrf_token, login
from tests.functional.test_indicators_pages import write_daily
from tests.qa_world import make_question


@pytest.fixture
def seen(app, qworld):
    """Daily snapshots of the open and the private community, with questions, a support request and people."""
    with app.app_context():
        result = {}
        for visibility in ("open", "private"):
            community, practice = qworld.community(visibility), qworld.practice(visibility)
            question = make_question(community.id, qworld.member.id, title=f"Domanda nella comunità {visibility}")
            hidden = make_question(community.id, qworld.member.id, title=f"Domanda rimossa {visibility}",
                                   visibility="deleted")
            req = SupportRequest(practice_id=practice.id, organization_id=qworld.bari.id,
                                 requester_id=qworld.member.id, kind="technical",
                                 subject=f"Richiesta riservata di Bari {visibility}", description="Aiuto.")
            db.session.add(req)
            db.session.commit()
            write_daily(community.id, {
                "Q1": {"kind": "question", "ids": [question.id, hidden.id], "hits": [question.id]},
                "S1": {"kind": "request", "ids": [req.id], "hits": []},
                "M1P": {"kind": "user", "ids": [qworld.member.id, qworld.other_member.id], "hits": []}})
            result[visibility] = {"question": question.id, "hidden": hidden.id, "request": req.id}
        return result


def get_as(client, qworld, role: str, url: str, htmx: bool = False):
    if role != "anonymous":
        assert login(client, getattr(qworld, role)).status_code == 303
    return client.get(url, headers={"HX-Request": "true"} if htmx else {})


@pytest.mark.parametrize("suffix", ["", "/Q1", ".csv"])
@pytest.mark.parametrize("role,status", [("anonymous", 404), ("outsider", 404), ("member", 200),
                                         ("facilitator", 200), ("admin", 200)])
def test_private_community_tab_drilldown_and_csv(client, qworld, seen, role, status, suffix):
    url = f"/communities/{qworld.private.slug}/indicators{suffix}"
    assert get_as(client, qworld, role, url).status_code == status
    assert client.get(url, headers={"HX-Request": "true"}).status_code == status


@pytest.mark.parametrize("suffix", ["", "/Q1", ".csv"])
def test_open_community_figures_are_public(client, qworld, seen, suffix):
    assert client.get(f"/communities/{qworld.open.slug}/indicators{suffix}").status_code == 200


def test_private_figures_not_in_the_page_for_outsiders(client, qworld, seen):
    response = get_as(client, qworld, "outsider", f"/communities/{qworld.private.slug}/indicators/Q1", htmx=True)
    assert response.status_code == 404
    assert "Domanda nella comunità private" not in response.get_data(as_text=True)


@pytest.mark.parametrize("role,visible", [("member", True), ("donor_member", True), ("admin", True),
                                          ("other_member", False), ("facilitator", False), ("anonymous", False)])
def test_drilldown_hides_support_requests_the_reader_may_not_see(client, qworld, seen, role, visible):
    html = get_as(client, qworld, role, f"/communities/{qworld.open.slug}/indicators/S1",
                  htmx=True).get_data(as_text=True)
    assert ("Richiesta riservata di Bari open" in html) is visible
    assert (f'href="/support/{seen["open"]["request"]}"' in html) is visible
    assert ("1 elemento contato, non visibile a te" in html) is not visible


@pytest.mark.parametrize("role,listed", [("anonymous", False), ("member", True), ("outsider", True)])
def test_people_listed_only_when_members_list_is_visible(client, qworld, seen, role, listed):
    html = get_as(client, qworld, role, f"/communities/{qworld.open.slug}/indicators/M1P",
                  htmx=True).get_data(as_text=True)
    assert ("Mario Membro" in html and "Olga Altra" in html) is listed
    assert ("2 persone. I nomi delle persone sono visibili solo" in html) is not listed


@pytest.mark.parametrize("role,shown", [("member", False), ("facilitator", True), ("admin", True)])
def test_deleted_question_only_for_moderators(client, qworld, seen, role, shown):
    html = get_as(client, qworld, role, f"/communities/{qworld.open.slug}/indicators/Q1",
                  htmx=True).get_data(as_text=True)
    assert "Domanda nella comunità open" in html
    assert ("Domanda rimossa open" in html) is shown
    assert ("altra domanda non visibile a te" in html) is not shown


GOVERNANCE_URL = "https://www.example.it/comunita/governance"


@pytest.mark.parametrize("visibility", ["open", "private"])
@pytest.mark.parametrize("action", ["save", "clear"])
@pytest.mark.parametrize("role,allowed,denied_status", [
    ("admin", True, None), ("facilitator", True, None), ("member", False, 403), ("outsider", False, None),
    ("anonymous", False, 302)])
def test_governance_matrix(client, app, qworld, seen, visibility, action, role, allowed, denied_status):
    """Who may record or clear the governance page, and what each POST changed."""
    community = qworld.community(visibility)
    before = "https://www.example.it/vecchia" if action == "clear" else None
    with app.app_context():
        if before:
            db.session.add(CommunityGovernance(community_id=community.id, url=before))
            db.session.commit()
    if role != "anonymous":
        assert login(client, getattr(qworld, role)).status_code == 303
    response = client.post(f"/communities/{community.slug}/indicators/governance",
                           data={"action": action, "url": GOVERNANCE_URL, "csrf_token": csrf_token(client, "/privacy")})
    with app.app_context():
        row = db.session.get(CommunityGovernance, community.id)
        stored = row.url if row else None
        recorded_by = row.recorded_by_id if row else None
    if allowed:
        assert response.status_code == 303
        assert response.headers["Location"].endswith(f"/communities/{community.slug}/indicators#governance")
        assert stored == (GOVERNANCE_URL if action == "save" else None)
        if action == "save":
            assert recorded_by == getattr(qworld, role).id
        return
    if role == "outsider":
        # an outsider sees the open community (and is refused) but not the private one (it does not exist for them)
        denied_status = 403 if visibility == "open" else 404
    assert response.status_code == denied_status
    assert stored == before  # nothing changed


@pytest.mark.parametrize("role,form_shown", [("admin", True), ("facilitator", True), ("member", False),
                                             ("anonymous", False)])
def test_governance_form_only_for_who_may_edit(client, qworld, seen, role, form_shown):
    html = get_as(client, qworld, role, f"/communities/{qworld.open.slug}/indicators").get_data(as_text=True)
    assert "Governance della comunità" in html
    assert (f'action="/communities/{qworld.open.slug}/indicators/governance"' in html) is form_shown


def test_governance_get_is_not_a_drilldown(client, qworld, seen):
    assert client.get(f"/communities/{qworld.open.slug}/indicators/governance").status_code == 404


def test_stage_box_hidden_with_the_private_community(client, app, qworld, seen):
    assert client.get(f"/communities/{qworld.private.slug}").status_code == 404
    login(client, qworld.member)
    html = client.get(f"/communities/{qworld.private.slug}").get_data(as_text=True)
    assert "Stadio di maturità" in html and f"/communities/{qworld.private.slug}/indicators" in html
    with app.app_context():
        assert db.session.get(Question, seen["private"]["question"]) is not None
