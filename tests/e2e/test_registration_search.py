"""Finding one's organisation at registration in a real browser, with and without JavaScript."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests.conftest import PASSWORD, make_org
from tests.e2e.test_accessibility import serious_violations

pytestmark = pytest.mark.e2e


@pytest.fixture
def organizations(live_app):
    with live_app.app_context():
        make_org("Comune di Chieri", ipa_code="c_c627", city="Chieri")
        make_org("ASL TO5", ipa_code="asl_to5", pa_kind="health_authority", city="Chieri")
        make_org("Comune di Torino", ipa_code="c_l219", city="Torino")
        for n in range(60):
            make_org(f"Istituto comprensivo {n:02d}", ipa_code=f"ic_{n:02d}", city="Torino")
        db.session.commit()


def fill_person(page) -> None:
    page.get_by_label("Nome e cognome").fill("Giulia Ferraris")
    page.get_by_label("E-mail di lavoro").fill("giulia.ferraris@chieri.example.it")
    page.locator("#password").fill(PASSWORD)
    page.get_by_label("Ripeti la password").fill(PASSWORD)
    page.locator("label[for=accept_terms]").click()


def test_results_narrow_as_one_types_and_the_choice_survives_a_new_search(page, live_server, organizations):
    page.goto(f"{live_server}/auth/register")
    search = page.get_by_label("Cerca il tuo ente")
    search.press_sequentially("istituto", delay=20)
    expect(page.locator("#organization-count")).to_have_text(
        "Più di 50 enti: restringi la ricerca (aggiungi il comune o scrivi il codice IPA).")
    expect(page.locator("#organization input[type=radio]")).to_have_count(51)  # 50 and "Non trovi il tuo ente?"
    if problems := serious_violations(page):
        pytest.fail(f"register with results: {problems}")
    search.fill("")
    search.press_sequentially("chieri", delay=20)
    expect(page.locator("#organization-count")).to_have_text("2 enti trovati.")
    page.locator("#organization label", has_text="Comune di Chieri").click()
    search.fill("")
    search.press_sequentially("torino", delay=20)
    expect(page.locator("#organization-count")).to_contain_text("Più di 50 enti")
    # What was chosen stays, first and checked, while the list shows the new search.
    expect(page.locator("#organization input[type=radio]").first).to_have_attribute("id", "organization-1")
    expect(page.get_by_label("Comune di Chieri")).to_be_checked()
    fill_person(page)
    page.locator("#password").press("Enter")  # Enter registers (the search has its own button)
    expect(page.get_by_role("heading", name="Controlla la tua e-mail")).to_be_visible()
    assert page.console_errors == []


def test_without_javascript_the_search_is_a_step_of_the_form(browser, page, live_server, organizations):
    # `page` (unused) empties the tables afterwards; this test drives a context of its own, without JavaScript.
    context = browser.new_context(locale="it-IT", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/auth/register")
        fill_person(page)
        page.get_by_label("Cerca il tuo ente").fill("asl chieri")
        page.get_by_role("button", name="Cerca l'ente").click()
        expect(page.locator("#organization-count")).to_have_text("1 ente trovato.")
        expect(page.get_by_label("Nome e cognome")).to_have_value("Giulia Ferraris")  # what was typed is kept
        page.locator("#organization label", has_text="ASL TO5").click()
        # The passwords are never written back into a page: they are typed again.
        page.locator("#password").fill(PASSWORD)
        page.get_by_label("Ripeti la password").fill(PASSWORD)
        page.get_by_role("button", name="Crea l'account").click()
        expect(page.get_by_role("heading", name="Controlla la tua e-mail")).to_be_visible()
    finally:
        context.close()


def test_a_body_of_the_ipa_registry_is_asked_for_with_its_data_filled_in(page, live_app, live_server, organizations,
                                                                         tmp_path):
    table = tmp_path / "enti.tsv"
    table.write_text("Codice_IPA\tDenominazione_ente\tComune\tProvincia\tRegione\tSito_istituzionale\n"
                     "c_g674\tComune di Pinerolo\tPINEROLO\tTO\tPiemonte\twww.comune.pinerolo.to.it\n")
    assert live_app.test_cli_runner().invoke(args=["organizations", "load-ipa-codes", str(table)]).exit_code == 0
    page.goto(f"{live_server}/auth/register")
    expect(page.locator("#new-organization")).to_be_hidden()
    page.get_by_label("Cerca il tuo ente").press_sequentially("pinerolo", delay=20)
    page.get_by_role("button", name="Chiedi di registrare Comune di Pinerolo").click()
    expect(page.locator("#new-organization")).to_be_visible()
    expect(page.get_by_label("Nome dell'ente")).to_have_value("Comune di Pinerolo")
    expect(page.get_by_label("Codice IPA")).to_have_value("c_g674")
    expect(page.get_by_label("Comune della sede")).to_have_value("Pinerolo")
    expect(page.get_by_label("Provincia")).to_have_value("TO")
    fill_person(page)
    page.get_by_role("button", name="Crea l'account").click()
    expect(page.get_by_role("heading", name="Controlla la tua e-mail")).to_be_visible()
    assert page.console_errors == []
