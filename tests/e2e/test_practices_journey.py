"""A donor documents a practice and versions its kit; a member of another organisation reads versions and diff."""
from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from app.extensions import db
from tests.conftest import make_community, make_org, make_user
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "uploads"


@pytest.fixture
def donors(live_app):
    with live_app.app_context():
        chieri = make_org("Comune di Chieri", ipa_code="c_c627")
        bari = make_org("Comune di Bari", ipa_code="c_a662", region_code="16", province_code="BA")
        donor = make_user("cedente@chieri.example.it", chieri, is_referent=True, full_name="Carla Cedente")
        reader = make_user("lettore@bari.example.it", bari, full_name="Luca Lettore")
        make_community("Sportelli unici", "open", facilitators=[donor], members=[reader])
        db.session.commit()


def serious(page):
    response = Axe().run(page, options={"runOnly": {"type": "tag",
                                                    "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).response
    return [v["id"] for v in response["violations"] if v["impact"] in ("serious", "critical")]


def test_donor_versions_the_kit_and_a_reader_compares(browser, page, live_server, donors):
    violations = {}
    sign_in(page, live_server, "cedente@chieri.example.it")
    page.get_by_role("navigation", name="Navigazione principale").get_by_role("link", name="Buone pratiche").click()
    violations["archive"] = serious(page)
    page.get_by_role("link", name="Documenta una pratica").click()
    page.get_by_label("Titolo").fill("Sportello unico associato")
    page.get_by_label("Sintesi").fill("Un SUAP gestito insieme da dodici Comuni.")
    page.get_by_label("Comunità di pratica").select_option(label="Sportelli unici")
    page.get_by_label("Tema").select_option(label="Servizi a cittadini e imprese")
    page.get_by_label("Licenza", exact=True).fill("Licenza-Finta")
    page.get_by_role("button", name="Crea la bozza").click()
    expect(page.locator("#licence-error")).to_contain_text("Licenza non riconosciuta")
    violations["form with errors"] = serious(page)
    page.get_by_label("Licenza", exact=True).fill("EUPL-1.2")
    page.get_by_role("button", name="Crea la bozza").click()
    expect(page.get_by_role("heading", name="KIT di riuso", level=1)).to_be_visible()
    page.get_by_label("Contesto e obiettivi").fill("Le imprese aspettavano mesi.")
    page.get_by_label("Costi e risorse").fill("Una persona a tempo pieno.")
    page.get_by_role("button", name="Salva la bozza").click()
    expect(page.get_by_text("Bozza del KIT salvata")).to_be_visible()
    violations["kit editor"] = serious(page)
    page.get_by_label("Sezione del KIT").select_option(label="Atti amministrativi (delibere, convenzioni, modelli)")
    page.locator("#files").set_input_files([str(FIXTURES / "sample.pdf")])
    page.get_by_role("button", name="Carica i documenti").click()
    expect(page.get_by_text("1 documento caricato.")).to_be_visible()
    expect(page.locator("#kit-attachments").get_by_role("link", name="sample.pdf")).to_be_visible()
    page.get_by_label("Cosa cambia in questa versione").fill("Prima versione")
    page.get_by_role("button", name="Pubblica la versione").click()
    expect(page.get_by_text("Versione 1.0 del KIT pubblicata")).to_be_visible()
    page.get_by_role("button", name="Pubblica la pratica").click()
    expect(page.get_by_text("Pratica pubblicata.")).to_be_visible()
    page.get_by_role("link", name="Scrivi il KIT").click()
    page.get_by_label("Contesto e obiettivi").fill("Le imprese aspettavano mesi; ora due settimane.")
    page.get_by_role("button", name="Salva la bozza").click()
    expect(page.get_by_text("Bozza del KIT salvata (versione 1.1")).to_be_visible()
    expect(page.get_by_label("Etichetta della versione")).to_have_value("1.1")
    page.get_by_label("Cosa cambia in questa versione").fill("Tempi aggiornati")
    page.get_by_role("button", name="Pubblica la versione").click()
    expect(page.get_by_text("Versione 1.1 del KIT pubblicata")).to_be_visible()

    reader_context = browser.new_context()
    reader = reader_context.new_page()
    sign_in(reader, live_server, "lettore@bari.example.it")
    reader.goto(f"{live_server}/practices/")
    reader.get_by_role("link", name="Sportello unico associato").click()
    violations["practice overview"] = serious(reader)
    reader.get_by_role("link", name="Versioni").click()
    expect(reader.get_by_text("Tempi aggiornati")).to_be_visible()
    expect(reader).to_have_url(f"{live_server}/practices/sportello-unico-associato?tab=versions")
    violations["versions tab"] = serious(reader)
    reader.get_by_role("link", name="Confronta le versioni").click()
    expect(reader.get_by_text("1 sezione cambiata")).to_be_visible()
    expect(reader.locator("ins")).to_contain_text("ora due settimane")
    violations["compare"] = serious(reader)
    reader.locator("#main-content").get_by_role("link", name="Sportello unico associato").click()
    reader.get_by_role("navigation", name="Sezioni della pratica").get_by_role("link", name="KIT di riuso").click()
    expect(reader.get_by_text("Una persona a tempo pieno.")).to_be_visible()
    with reader.expect_download() as downloaded:
        reader.get_by_role("link", name="sample.pdf").click()
    assert downloaded.value.suggested_filename == "sample.pdf"
    assert open(downloaded.value.path(), "rb").read() == (FIXTURES / "sample.pdf").read_bytes()
    violations["kit tab"] = serious(reader)
    reader_context.close()
    assert {k: v for k, v in violations.items() if v} == {}
    assert page.console_errors == []


def test_donor_imports_a_publiccode_file_with_an_error_then_a_correct_one(page, live_server, donors):
    publiccode = Path(__file__).resolve().parent.parent / "fixtures" / "publiccode"
    sign_in(page, live_server, "cedente@chieri.example.it")
    page.goto(f"{live_server}/practices/import")
    page.get_by_label("Comunità di pratica").select_option(label="Sportelli unici")
    page.locator("#file").set_input_files(str(publiccode / "errors.yml"))
    page.get_by_role("button", name="Importa").click()
    errors = page.locator("#import-form").get_by_role("alert")
    expect(errors).to_contain_text("non è stato importato nulla")
    expect(errors.get_by_role("cell", name="url", exact=True)).to_be_visible()
    assert serious(page) == []
    page.get_by_label("Comunità di pratica").select_option(label="Sportelli unici")
    page.locator("#file").set_input_files(str(publiccode / "minimal.yml"))
    page.get_by_role("button", name="Importa").click()
    expect(page.get_by_text("Pratica importata come bozza")).to_be_visible()
    expect(page.get_by_role("heading", name="Prenota Sportello", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Scarica il publiccode.yml")).to_be_visible()
