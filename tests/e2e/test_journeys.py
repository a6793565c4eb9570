"""The main journeys of this stage, clicked through in a real browser."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db, mail
from tests.conftest import PASSWORD, make_org, make_user

from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def seeded(live_app):
    with live_app.app_context():
        chieri = make_org("Comune di Chieri", ipa_code="c_c627")
        make_org("Comune di Torino", ipa_code="c_l219")
        make_org("Regione Piemonte", pa_kind="region", ipa_code="r_piemon", province_code=None)
        make_org("Comune di Bari", ipa_code="c_a662", region_code="16", province_code="BA")
        make_user("referente@chieri.example.it", chieri, is_referent=True, full_name="Rita Referente")
        db.session.commit()


def test_register_confirm_wait_approve_sign_in_and_see_own_organization(browser, page, live_app, live_server, seeded):
    with mail.record_messages() as outbox:
        page.goto(live_server)
        page.get_by_role("navigation", name="Navigazione principale").get_by_role("link", name="Registrati").click()
        expect(page.get_by_role("heading", name="Registrati", level=1)).to_be_visible()
        # The "new organisation" part appears only when asked for.
        expect(page.locator("#new-organization")).to_be_hidden()
        page.get_by_label("Nome e cognome").fill("Giulia Ferraris")
        page.get_by_label("E-mail di lavoro").fill("giulia.ferraris@chieri.example.it")
        page.locator("#password").fill("corta")
        page.get_by_label("Ripeti la password").fill("corta")
        # One search field (name, city or IPA code): the results narrow as one types, with a truthful count.
        page.get_by_label("Cerca il tuo ente").press_sequentially("chier", delay=30)
        expect(page.locator("#organization-count")).to_have_text("1 ente trovato.")
        expect(page.locator("#organization input[type=radio]")).to_have_count(2)  # Chieri and "Non trovi…?"
        page.locator("label[for=organization-new]").click()
        expect(page.locator("#new-organization")).to_be_visible()
        page.locator("#organization label", has_text="Comune di Chieri").click()
        expect(page.locator("#new-organization")).to_be_hidden()
        page.locator("label[for=accept_terms]").click()
        page.get_by_role("button", name="Crea l'account").click()
        # htmx swaps the form with its errors in place; what was typed is kept.
        expect(page.locator("#password-error")).to_contain_text("almeno 10 caratteri")
        expect(page.get_by_label("Nome e cognome")).to_have_value("Giulia Ferraris")
        expect(page.get_by_label("Comune di Chieri")).to_be_checked()
        page.locator("#password").fill(PASSWORD)
        page.get_by_label("Ripeti la password").fill(PASSWORD)
        page.get_by_role("button", name="Crea l'account").click()
        expect(page.get_by_role("heading", name="Controlla la tua e-mail")).to_be_visible()

        link = re.search(r"https?://\S+/auth/confirm/\S+", outbox[0].body).group(0)
        page.goto(re.sub(r"^https?://[^/]+", live_server, link))
        expect(page.get_by_text("Indirizzo confermato")).to_be_visible()
        expect(page.get_by_text("attende l'approvazione del referente")).to_be_visible()
        sign_in(page, live_server, "giulia.ferraris@chieri.example.it", succeeds=False)
        expect(page.locator("#login-form").get_by_role("alert")).to_contain_text("in attesa di approvazione")

        referent_context = browser.new_context()
        referent = referent_context.new_page()
        sign_in(referent, live_server, "referente@chieri.example.it")
        referent.goto(f"{live_server}/organizations/comune-di-chieri/people")
        referent.get_by_role("button", name="Approva Giulia Ferraris").click()
        expect(referent.get_by_text("Giulia Ferraris è ora membro dell'ente")).to_be_visible()
        expect(referent.get_by_text("Nessuna richiesta in attesa")).to_be_visible()
        referent_context.close()
        assert outbox[-1].recipients == ["giulia.ferraris@chieri.example.it"]

    sign_in(page, live_server, "giulia.ferraris@chieri.example.it")
    expect(page.get_by_text("Ti diamo il bentornato, Giulia Ferraris")).to_be_visible()
    page.get_by_role("link", name="Il mio ente").click()
    expect(page.get_by_role("heading", name="Comune di Chieri", level=1)).to_be_visible()
    expect(page.locator("#main-content").get_by_role("link", name="Giulia Ferraris")).to_be_visible()
    assert page.console_errors == []


def test_live_directory_filter_updates_results_and_url(page, live_server, seeded):
    page.goto(f"{live_server}/organizations/")
    expect(page.get_by_text("4 enti trovati")).to_be_visible()
    page.get_by_label("Nome dell'ente").press_sequentially("tor", delay=50)
    expect(page.get_by_text("1 ente trovato")).to_be_visible()
    expect(page.get_by_role("link", name="Comune di Torino")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/organizations/\?q=tor"))
    page.get_by_label("Regione").select_option(label="Puglia")
    expect(page.get_by_text("0 enti trovati")).to_be_visible()
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?q=tor$"))
    expect(page.get_by_text("1 ente trovato")).to_be_visible()
    # The shared URL opens as a full page with the same results.
    page.goto(f"{live_server}/organizations/?q=bari")
    expect(page.get_by_role("link", name="Comune di Bari")).to_be_visible()
    assert page.console_errors == []


def test_keyboard_user_reaches_the_content_through_the_skip_link(page, live_server, seeded):
    page.goto(live_server)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Vai al contenuto principale")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()
