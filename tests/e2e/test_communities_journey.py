"""A member asks to join a moderated community, the facilitator approves from the queue, the member sees it."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests.conftest import make_community, make_org, make_user

from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def community(live_app):
    with live_app.app_context():
        chieri = make_org("Comune di Chieri", ipa_code="c_c627")
        bari = make_org("Comune di Bari", ipa_code="c_a662", region_code="16", province_code="BA")
        facilitator = make_user("animatrice@chieri.example.it", chieri, full_name="Fabia Animatrice")
        make_user("membro@bari.example.it", bari, full_name="Mario Membro")
        make_community("Stazione unica appaltante", "moderated", facilitators=[facilitator],
                       description="Gare e contratti **insieme**.")
        make_community("Servizio Europa", "open", facilitators=[facilitator])
        db.session.commit()


def test_request_approve_and_see_it_in_my_communities(browser, page, live_server, community):
    sign_in(page, live_server, "membro@bari.example.it")
    page.get_by_role("navigation", name="Navigazione principale").get_by_role("link", name="Comunità").click()
    page.get_by_role("link", name="Stazione unica appaltante").click()
    page.get_by_role("button", name="Chiedi di iscriverti").click()
    expect(page.get_by_text("Richiesta inviata")).to_be_visible()
    expect(page.get_by_role("button", name="Ritira la richiesta")).to_be_visible()

    facilitator_context = browser.new_context()
    facilitator = facilitator_context.new_page()
    sign_in(facilitator, live_server, "animatrice@chieri.example.it")
    bell = facilitator.locator("#notification-bell")
    expect(bell).to_contain_text("1")
    bell.click()
    expect(facilitator.locator("li.list-group-item").filter(
        has_text="Mario Membro chiede di entrare nella comunità Stazione unica appaltante")).to_be_visible()
    facilitator.get_by_role("button", name="Apri").click()
    expect(facilitator.get_by_role("heading", name="Richieste di iscrizione in attesa")).to_be_visible()
    facilitator.get_by_role("button", name="Approva Mario Membro").click()
    expect(facilitator.get_by_text("Mario Membro ora fa parte della comunità")).to_be_visible()
    expect(facilitator.get_by_text("Nessuna richiesta in attesa")).to_be_visible()
    facilitator_context.close()

    page.goto(f"{live_server}/communities/")
    page.locator("label[for=mine]").click()
    expect(page.get_by_text("1 comunità trovata")).to_be_visible()
    expect(page.get_by_role("link", name="Stazione unica appaltante")).to_be_visible()
    expect(page.locator("#notification-bell")).to_contain_text("1")
    page.locator("#notification-bell").click()
    expect(page.locator("li.list-group-item").filter(
        has_text="La tua richiesta di entrare nella comunità Stazione unica appaltante è stata approvata")).to_be_visible()
    page.get_by_role("button", name="Segna tutte come lette").click()
    expect(page.get_by_text("0 notifiche non lette")).to_be_visible()
    expect(page.locator("#notification-bell .badge")).to_have_count(0)  # the bell in the header follows along
    page.goto(f"{live_server}/dashboard")
    expect(page.get_by_text("Nuova iscrizione: Mario Membro")).to_be_visible()
    assert page.console_errors == []


def test_join_and_leave_an_open_community_in_place(page, live_server, community):
    sign_in(page, live_server, "membro@bari.example.it")
    page.goto(f"{live_server}/communities/servizio-europa")
    page.get_by_role("button", name="Iscriviti").click()
    expect(page.get_by_text("Ti diamo il benvenuto nella comunità")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Lascia la comunità").click()
    expect(page.get_by_text("Hai lasciato la comunità")).to_be_visible()
    expect(page.get_by_role("button", name="Iscriviti")).to_be_visible()
    assert page.console_errors == []
