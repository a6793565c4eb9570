"""axe-core on every page of this stage: no serious or critical violation (WCAG 2.1 AA)."""
from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from app.extensions import db, mail
from app.models import OrganizationStatus
from tests.conftest import make_org, make_user

from tests.e2e.conftest import sign_in
from tests.e2e.test_search_journey import make_searchable_practices

pytestmark = pytest.mark.e2e
AXE = Axe()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def serious_violations(page) -> list[str]:
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def people(live_app):
    from tests.conftest import make_community

    with live_app.app_context():
        chieri = make_org("Comune di Chieri", ipa_code="c_c627")
        make_org("Comune in verifica", status=OrganizationStatus.PENDING)
        admin = make_user("admin@example.it", None, is_admin=True, full_name="Ada Amministratrice")
        referent = make_user("referente@chieri.example.it", chieri, is_referent=True, full_name="Rita Referente")
        member = make_user("membro@chieri.example.it", chieri, full_name="Marco Membro")
        waiting = make_user("attesa@chieri.example.it", chieri, affiliation_status="pending", full_name="Anna Attesa")
        make_community("Servizio Europa", "moderated", facilitators=[referent], members=[member], pending=[waiting],
                       description="## Chi siamo\n\nUn **ufficio** europeo associato.")
        make_community("Tavolo riservato", "private", facilitators=[referent])
        from app.models import Community
        from tests.conftest import make_practice

        europa = db.session.execute(db.select(Community).where(Community.slug == "servizio-europa")).scalar_one()
        make_practice("Ufficio Europa associato", europa, chieri, description="## Come\n\nInsieme.",
                      kit={"context": "Contesto", "costs": "Costi"})
        db.session.commit()
        return {"admin": admin.email, "referent": referent.email, "member_id": member.id}


def check(page, url, found: dict) -> None:
    page.goto(url)
    if problems := serious_violations(page):
        found[url] = problems


def test_public_pages(page, live_server, people):
    found: dict = {}
    for path in ("/", "/privacy", "/accessibility", "/legal", "/glossary", "/organizations/", "/organizations/?q=chieri", "/communities/",
                 "/communities/servizio-europa",
                 "/organizations/comune-di-chieri", "/auth/login", "/auth/register", "/auth/registered?email=a@b.it",
                 "/auth/confirm", "/auth/confirm/not-a-token", "/auth/reset", "/auth/reset/not-a-token",
                 "/organizations/missing"):
        check(page, live_server + path, found)
    assert found == {}


def test_search_pages(page, live_server, live_app):
    from playwright.sync_api import expect

    make_searchable_practices(live_app)
    found: dict = {}
    for path in ("/search", "/search?q=protocollo", "/search?q=pagamenti+OR+protocollo&theme=digital_agenda",
                 "/search?q=protocolo", "/search?q=nessunaparolacosi", "/search?q=protocollo&sort=recent",
                 "/search?q=appalti&theme=inesistente"):
        check(page, live_server + path, found)
    # Facets and the live region, as htmx leaves them after typing.
    page.goto(f"{live_server}/search")
    page.locator("#search-q").press_sequentially("pagamenti OR protocollo", delay=20)
    expect(page.locator("#search-status")).to_have_text("2 pratiche trovate per «pagamenti OR protocollo»")
    facet = page.locator("#search-results").get_by_role("link", name="Agenda digitale e competenze digitali")
    expect(facet).to_be_visible()
    if problems := serious_violations(page):
        found["search after typing"] = problems
    expect(page.get_by_role("status")).to_have_count(1)
    expect(page.locator("#search-status")).to_have_attribute("role", "status")
    assert found == {}


def test_pages_with_form_errors(page, live_server, people):
    found: dict = {}
    page.goto(f"{live_server}/auth/register")
    page.get_by_role("button", name="Crea l'account").click()
    page.locator(".error-summary").wait_for()
    if problems := serious_violations(page):
        found["register with errors"] = problems
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("E-mail").fill("nessuno@example.it")
    page.locator("#password").fill("sbagliata")
    page.get_by_role("button", name="Accedi").click()
    page.get_by_text("E-mail o password non corretti").wait_for()
    if problems := serious_violations(page):
        found["login refused"] = problems
    assert found == {}


def test_signed_in_pages(page, live_server, people, live_app):
    found: dict = {}
    sign_in(page, live_server, people["referent"])
    for path in ("/organizations/comune-di-chieri", "/organizations/comune-di-chieri/edit",
                 "/organizations/comune-di-chieri/people", f"/users/{people['member_id']}", "/users/me",
                 "/auth/password", "/admin/", "/communities/", "/communities/?mine=y", "/communities/servizio-europa",
                 "/communities/servizio-europa/members", "/communities/servizio-europa/requests",
                 "/communities/servizio-europa/settings", "/communities/servizio-europa/invitations",
                 "/communities/tavolo-riservato", "/notifications/", "/dashboard",
                 "/communities/invitations/not-a-token", "/practices/", "/practices/mine", "/practices/new",
                 "/practices/import", "/practices/ufficio-europa-associato",
                 "/practices/ufficio-europa-associato?tab=kit", "/practices/ufficio-europa-associato?tab=versions",
                 "/practices/ufficio-europa-associato?tab=deployments", "/practices/ufficio-europa-associato/edit",
                 "/practices/ufficio-europa-associato/kit/edit", "/practices/ufficio-europa-associato/versions/1.0",
                 "/practices/ufficio-europa-associato/compare", "/communities/my-invitations"):
        check(page, live_server + path, found)
    # The reset form reached by a real emailed link.
    with mail.record_messages() as outbox:
        with live_app.test_request_context():
            from app.auth.services import request_password_reset

            request_password_reset(people["referent"])
    link = re.search(r"/auth/reset/\S+", outbox[0].body).group(0)
    check(page, live_server + link, found)
    assert found == {}


def test_admin_pages(page, live_server, people):
    found: dict = {}
    sign_in(page, live_server, people["admin"])
    for path in ("/admin/", "/organizations/comune-in-verifica", "/communities/new"):
        check(page, live_server + path, found)
    page.goto(f"{live_server}/language/en")  # GET is refused: the 405 page is checked too
    if problems := serious_violations(page):
        found["405"] = problems
    assert found == {}


def test_english_interface(page, live_server, people):
    found: dict = {}
    page.goto(live_server)
    page.get_by_role("button", name="Language: EN").click()
    page.wait_for_selector("html[lang=en]")
    for path in ("/", "/organizations/", "/auth/register"):
        check(page, live_server + path, found)
    assert found == {}
