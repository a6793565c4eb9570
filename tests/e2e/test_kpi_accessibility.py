"""axe-core on every page and htmx state of the KPI library (issue 16): no serious or critical violation (WCAG 2.1
AA), and the STRUCTURE check of the programmes' sweep (ids used twice, heading levels skipped, labels and
descriptions pointing at ids that are not there). The site is the demo (app/demo/kpis.py: about thirty published
KPIs, a deprecated one and its replacement, a KPI with a second version, a proposal and a proposal in review with
their discussion, adoptions with three years of values, practices that declare they improve a KPI), loaded and
indexed once for the module; each person sees it as they would: a visitor, the proposer, the reviewers, an adopting
administration's referent; the wide pages again at a phone's width, where tables and the chart scroll in their box."""
from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import expect

from app.extensions import db, limiter
from tests.conftest import empty_all_tables, index_now, reset_search_index
from tests.e2e.test_evaluation_accessibility import refused
from tests.e2e.test_indicators_journey import become
from tests.e2e.test_programmes_accessibility import Checker

pytestmark = pytest.mark.e2e
PAGAMENTI = "tempo-medio-ponderato-di-pagamento-delle-fatture"  # published, six adopters, Bologna among them
SEMPLICE = "tempo-medio-di-pagamento-delle-fatture-media-semplice"  # deprecated, replaced by PAGAMENTI
PERMESSI = "tempo-medio-di-rilascio-dei-permessi-di-costruire"  # a second version that breaks the series
SPID = "quota-di-servizi-online-accessibili-con-spid-e-cie"  # declared improved by a practice
CDU = "tempo-medio-di-rilascio-dei-certificati-di-destinazione-urbanistica"  # published, nobody adopts it
PROPOSAL = "giorni-tra-la-richiesta-e-la-presa-in-carico-da-parte-del-servizio-sociale"  # proposed, with a thread
IN_REVIEW = "tempo-medio-di-assegnazione-degli-alloggi-di-edilizia-residenziale-pubblica"
VALORE, ASK = "valore-pubblico-piao", "ask-public-value"
FACILITATION = "rete-dei-punti-di-facilitazione-digitale"  # a practice with its KPI box
BOLOGNA_PRACTICE = "piano-di-formazione-condiviso-sulle-competenze-digitali"  # Comune di Bologna's practice
BOLOGNA = "comune-di-bologna"
PROPOSER, FACILITATOR, STAFF, ADOPTER = "lorenzo.fabbri", "referente.matera", "serena.caputo", "referente.bologna"


@pytest.fixture(scope="module")
def site(live_app) -> dict:
    """The demo, loaded and indexed once: the module's tests share it (each one's changes touch states no other test
    looks at); the adoption the adopter's pages use."""
    from sqlalchemy import select

    from app.demo.loader import load_demo
    from app.models import KpiAdoption, KpiDefinition, Organization

    reset_search_index(live_app)
    with live_app.app_context():
        load_demo()
        adoption = db.session.scalar(select(KpiAdoption.id).join(KpiDefinition).join(
            Organization, Organization.id == KpiAdoption.organization_id)
            .where(KpiDefinition.slug == PAGAMENTI, Organization.slug == BOLOGNA))
        code = db.session.scalar(select(KpiDefinition.code).where(KpiDefinition.slug == PAGAMENTI))
        db.session.remove()
    index_now(live_app)
    yield {"adoption": adoption, "code": code}
    with live_app.app_context():
        limiter.reset()
        db.session.remove()
        empty_all_tables()
    reset_search_index(live_app)
    shutil.rmtree(live_app.config["UPLOAD_FOLDER"], ignore_errors=True)


@pytest.fixture
def tab(browser, live_app, site):
    """A fresh browser context on the shared site (unlike `page`, it leaves the database as it is)."""
    context = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and "status of 422" not in m.text else None)
    page.console_errors = errors
    yield page
    context.close()
    with live_app.app_context():
        limiter.reset()


def test_visitor_pages_and_states(tab, live_server, site):
    page, check = tab, Checker(tab, live_server)
    compare = f"/kpi/{PAGAMENTI}/compare"
    for name, path in (("library", "/kpi/"), ("library, filtered", "/kpi/?mission=01&sort=adopted"),
                       ("library, nothing found", "/kpi/?q=zzzzzz"), ("library, deprecated", "/kpi/?status=deprecated"),
                       ("KPI with adopters, comparison box, practices", f"/kpi/{SPID}"),
                       ("KPI with six adopters", f"/kpi/{PAGAMENTI}"),
                       ("deprecated KPI", f"/kpi/{SEMPLICE}"),
                       ("KPI in its second version", f"/kpi/{PERMESSI}"),
                       ("old version", f"/kpi/{PERMESSI}/versions/1"),
                       ("KPI nobody adopts", f"/kpi/{CDU}"),
                       ("reference taxonomies", "/kpi/reference"),
                       ("comparison", compare), ("comparison, all", f"{compare}?peers=all"),
                       ("comparison, chosen", f"{compare}?peers=chosen&org={BOLOGNA}&org=comune-di-torino"),
                       ("comparison, chosen none", f"{compare}?peers=chosen"),
                       ("comparison, by value", f"{compare}?peers=all&sort=value"),
                       ("comparison, a year without values", f"{compare}?peers=all&year=2019"),
                       ("comparison of a KPI in its second version", f"/kpi/{PERMESSI}/compare?peers=all"),
                       ("organisation's KPIs", f"/kpi/organizations/{BOLOGNA}"),
                       ("organisation profile with its KPIs", f"/organizations/{BOLOGNA}"),
                       ("practice with its KPIs", f"/practices/{FACILITATION}"),
                       ("community with its KPIs", f"/communities/{VALORE}"),
                       ("programme with its KPIs", f"/programmes/{ASK}"),
                       ("similar KPIs, alone", "/kpi/similar?name=pagamento+fatture"),
                       ("search with KPI hits", "/search?q=pagamento"),
                       ("search, KPI type facet", "/search?q=pagamento&type=kpi")):
        check.url(name, path)
    expect(page.locator(".search-hit-kpi").first).to_be_visible()
    check.url("community page again", f"/communities/{VALORE}")
    expect(page.locator("main")).to_contain_text("Tempo medio ponderato")  # its KPI box
    check.url("practice page again", f"/practices/{FACILITATION}")
    expect(page.locator("main")).to_contain_text("Quota di servizi online")
    before = len(page.console_errors)
    response = page.goto(f"{live_server}/kpi/{PROPOSAL}")  # a proposal: a visitor may not know it exists
    assert response.status == 404
    check.state("proposal hidden from a visitor (404)", wait=False)
    page.console_errors[before:] = [e for e in page.console_errors[before:] if "status of 404" not in e]
    check.url("library again", "/kpi/")
    page.locator("#kpi-results .pagination a.page-link", has_text=re.compile(r"^\s*2\s*$")).click()
    expect(page).to_have_url(re.compile(r"page=2"))
    check.state("library, second page (htmx)")
    page.locator("#kpi-mission").select_option("04")  # htmx swaps the results and pushes the address
    expect(page).to_have_url(re.compile(r"mission=04"))
    check.state("library, mission chosen (htmx)")
    page.locator("#kpi-q").fill("zzzzzz")
    expect(page.locator("#kpi-results")).to_contain_text("Nessun indicatore")
    check.state("library, nothing found (htmx)")
    check.url("comparison again", compare)
    page.locator("#sort").select_option("value")
    expect(page).to_have_url(re.compile(r"sort=value"))
    check.state("comparison, by value (htmx)")
    page.locator("label", has_text="Gli enti che scelgo").click()
    expect(page).to_have_url(re.compile(r"peers=chosen"))
    check.state("comparison, chosen peers (htmx)")
    page.locator("main form label", has_text="Comune di Bologna").click()
    expect(page).to_have_url(re.compile(BOLOGNA))
    check.state("comparison, one organisation chosen (htmx)")
    check.done()


def test_proposer_pages_and_states(tab, live_server, site):
    page, check = tab, Checker(tab, live_server)
    become(page, live_server, PROPOSER)
    for name, path in (("library, proposals", "/kpi/?status=proposals"),
                       ("proposal, as its proposer", f"/kpi/{PROPOSAL}"),
                       ("proposal edit form", f"/kpi/{PROPOSAL}/edit"),
                       ("withdraw confirmation", f"/kpi/{PROPOSAL}/move/withdraw"),
                       ("propose, where", "/kpi/new"),
                       ("community with its KPIs, as a member", f"/communities/{VALORE}"),
                       ("notifications of the KPI workflow", "/notifications/")):
        check.url(name, path)
    check.url("library again", "/kpi/")
    page.locator("#kpi-status").select_option("proposals")
    expect(page).to_have_url(re.compile(r"status=proposals"))
    check.state("library, proposals chosen (htmx)")
    check.url("proposal edit form again", f"/kpi/{PROPOSAL}/edit")
    page.locator("#kpi-definition-form").get_by_label(re.compile("^Nome")).first.fill("")
    page.locator("#kpi-definition-form").get_by_role("button", name="Salva le modifiche").click()
    expect(refused(page)).to_be_visible()
    check.state("proposal edit refused (htmx 422)")
    check.url("propose form", f"/kpi/new?community={VALORE}")
    page.locator("#kpi-definition-form").get_by_role("button", name="Proponi l'indicatore").click()
    expect(refused(page)).to_be_visible()
    check.state("proposal refused at its fields (htmx 422)")
    page.locator("#kpi-definition-form").get_by_label(re.compile("^Nome")).first.fill("Tempo medio di pagamento")
    expect(page.locator("#kpi-similar")).to_contain_text("Tempo medio ponderato")
    check.state("similar KPIs suggested while typing (htmx)")
    page.locator("#kpi-definition-form").get_by_label(re.compile("^Nome")).first.fill("Zqxw jkvy qqqq")
    expect(page.locator("#kpi-similar")).to_contain_text("Nessun indicatore simile")
    check.state("no similar KPI (htmx)")
    check.url("proposal again", f"/kpi/{PROPOSAL}")
    page.locator("#kpi-comment-form").get_by_role("button", name="Pubblica il messaggio").click()
    expect(refused(page)).to_be_visible()
    check.state("empty message refused (htmx 422)")
    page.locator("#kpi-comment-form textarea").fill("Aggiungiamo le urgenze come indicatore a parte.")
    page.locator("#kpi-comment-form").get_by_role("button", name="Pubblica il messaggio").click()
    expect(page.locator("#discussion")).to_contain_text("urgenze come indicatore a parte")
    check.state("message published (htmx)")
    check.done()


def test_reviewer_pages_and_states(tab, live_server, site):
    page, check = tab, Checker(tab, live_server)
    become(page, live_server, FACILITATOR)  # animates Valore pubblico e PIAO: reviews its proposals
    for name, path in (("proposal, as a reviewer with the actions", f"/kpi/{PROPOSAL}"),
                       ("review queue", "/kpi/review"),
                       ("published KPI, as a reviewer", f"/kpi/{PAGAMENTI}")):
        check.url(name, path)
    expect(page.locator(".kpi-edit-link")).to_be_visible()
    check.url("deprecate confirmation", f"/kpi/{PAGAMENTI}/move/deprecate")
    page.locator("#kpi-move-form button[type=submit]").click()  # no reason given
    expect(refused(page)).to_be_visible()
    check.state("deprecation refused without a reason (htmx 422)")
    check.url("new version form", f"/kpi/{PAGAMENTI}/edit")
    expect(page.locator("#new-version-notice")).to_be_visible()
    page.locator("#kpi-definition-form").get_by_role("button", name="Pubblica la nuova versione").click()
    expect(refused(page)).to_be_visible()
    check.state("new version refused without a change note (htmx 422)")
    check.url("proposal again, as a reviewer", f"/kpi/{PROPOSAL}")
    expect(page.locator(".kpi-review-actions")).to_be_visible()
    page.locator("#discussion").get_by_role("button", name=re.compile("^Nascondi il messaggio")).first.click()
    expect(page.locator("#discussion .badge", has_text="messaggio nascosto")).to_be_visible()
    check.state("a message hidden (htmx)")
    page.locator(".kpi-move-start_review").click()
    expect(page.locator("main .alert-success, .alert-success").first).to_be_visible()
    check.state("proposal taken in review (the button, a message)")
    become(page, live_server, STAFF)  # staff of Ask Public Value: the proposal in review is hers
    for name, path in (("review queue of the programme's staff", "/kpi/review"),
                       ("proposal in review, as its reviewer", f"/kpi/{IN_REVIEW}"),
                       ("return confirmation", f"/kpi/{IN_REVIEW}/move/return"),
                       ("publish confirmation", f"/kpi/{IN_REVIEW}/move/publish"),
                       ("programme with its KPIs, as its staff", f"/programmes/{ASK}")):
        check.url(name, path)
    check.url("return confirmation again", f"/kpi/{IN_REVIEW}/move/return")
    page.locator("#kpi-move-form button[type=submit]").click()  # no note for the proposer
    expect(refused(page)).to_be_visible()
    check.state("return refused without a note (htmx 422)")
    check.done()


def test_adopter_pages_and_states(tab, live_server, site):
    page, check = tab, Checker(tab, live_server)
    adoption = f"/kpi/adoptions/{site['adoption']}"
    become(page, live_server, ADOPTER)  # referent of Comune di Bologna
    for name, path in (("KPI adopted by the reader's organisation", f"/kpi/{PAGAMENTI}"),
                       ("adoption with values", adoption),
                       ("adoption edit form", f"{adoption}/edit"),
                       ("KPI the reader's organisation may adopt", f"/kpi/{CDU}"),
                       ("adopt form of a deprecated KPI", f"/kpi/{SEMPLICE}/adopt"),
                       ("organisation's KPIs, as its person", f"/kpi/organizations/{BOLOGNA}"),
                       ("comparison, as an adopter", f"/kpi/{PAGAMENTI}/compare?peers=all"),
                       ("link a practice to a KPI", f"/kpi/practice/{BOLOGNA_PRACTICE}/link"),
                       ("practice with its KPIs, as its referent", f"/practices/{BOLOGNA_PRACTICE}"),
                       ("organisation profile with open data and import, as its person", f"/organizations/{BOLOGNA}"),
                       ("import", "/kpi/import")):
        check.url(name, path)
    check.url("adopt form", f"/kpi/{CDU}/adopt")
    page.locator("#adopt-form").get_by_role("button", name="Adotta l'indicatore").click()
    expect(refused(page)).to_be_visible()
    check.state("adoption refused at its fields (htmx 422)")
    form = page.locator("#adopt-form")
    form.get_by_label("Primo anno del triennio").fill("2025")
    for label, figure in (("Obiettivo del primo anno", "60"), ("Obiettivo del secondo anno", "50"),
                          ("Obiettivo del terzo anno", "40")):
        form.get_by_label(label).fill(figure)
    form.get_by_label("Ufficio responsabile").fill("Settore Urbanistica")
    form.get_by_role("button", name="Adotta l'indicatore").click()
    expect(page).to_have_url(re.compile(r"/kpi/adoptions/\d+$"))
    check.state("adopted: the new adoption without values (htmx redirect)")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Ritira l'adozione").click()
    expect(page.locator("main .alert-warning", has_text="Adozione ritirata")).to_be_visible()
    check.state("adoption withdrawn")
    check.url("adoption edit form again", f"{adoption}/edit")
    page.locator("#edit-adoption").get_by_label("Obiettivo del primo anno").fill("abc")
    page.locator("#edit-adoption").get_by_role("button", name="Salva l'adozione").click()
    expect(refused(page)).to_be_visible()
    check.state("adoption edit refused (htmx 422)")
    check.url("link form again", f"/kpi/practice/{BOLOGNA_PRACTICE}/link")
    page.locator("#kpi-link-form").get_by_role("button", name="Dichiara").click()
    expect(refused(page)).to_be_visible()
    check.state("link refused at its fields (htmx 422)")

    check.url("adoption again", adoption)
    values = page.locator("#values")
    values.get_by_role("textbox", name="Periodo", exact=True).fill("2022")
    values.get_by_role("textbox", name="Valore", exact=True).fill("abc")
    values.get_by_role("button", name="Registra il valore").click()
    expect(refused(page)).to_be_visible()
    check.state("value refused at its field (htmx 422)")
    values.get_by_role("textbox", name="Valore", exact=True).fill("41")
    values.get_by_role("button", name="Registra il valore").click()
    expect(page.locator("#values .alert-success")).to_be_visible()
    check.state("value added (htmx)")
    page.locator("#values").get_by_role("link", name=re.compile("^Correggi 2022")).click()
    expect(page).to_have_url(re.compile(r"/values/\d+/edit$"))
    check.state("edit value")
    page.locator("#edit-value").get_by_label("Valore", exact=True).fill("-5")
    page.locator("#edit-value").get_by_role("button", name="Salva la correzione").click()
    expect(refused(page)).to_be_visible()
    check.state("correction refused (htmx 422)")
    check.url("adoption with the value of 2022", adoption)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#values").get_by_role("button", name=re.compile("^Elimina 2022")).click()
    expect(page.locator("#values")).not_to_contain_text("Elimina 2022")
    check.state("value deleted (htmx)")

    check.url("import again", "/kpi/import")
    page.locator("#import-form").get_by_role("button", name="Controlla e importa").click()
    expect(refused(page)).to_be_visible()
    check.state("import without a file (htmx 422)")
    page.locator("#import-form input[type=file]").set_input_files(
        {"name": "valori.csv", "mimeType": "text/csv",
         "buffer": ("kpi,plan_year,period,value,unit,status\nKPI-9999,2024,2025,12,days,definitivo\n"
                    "KPI-0002,2024,2025-Q9,abc,days,definitivo\n").encode()})
    page.locator("#import-form").get_by_role("button", name="Controlla e importa").click()
    expect(page.locator("#import-report .alert-danger")).to_be_visible()
    check.state("import report of a bad file (htmx 422)")
    page.locator("#import-form input[type=file]").set_input_files(
        {"name": "valori.csv", "mimeType": "text/csv",
         "buffer": f"kpi,plan_year,period,value,status\n{site['code']},2024,2021,44,definitivo\n".encode()})
    page.locator("#import-form").get_by_role("button", name="Controlla e importa").click()
    expect(page.locator("#import-report .alert-success")).to_be_visible()
    check.state("import report of a good file (htmx)")
    check.done()



def test_phone_width_pages(browser, live_app, live_server, site):
    """The wide pages (the library's filters, the record, the comparison's table and chart, the values table) on a
    phone's width: the same checks."""
    context = browser.new_context(locale="it-IT", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    try:
        check = Checker(page, live_server)
        for name, path in (("library on a phone", "/kpi/"), ("KPI page on a phone", f"/kpi/{PAGAMENTI}"),
                           ("comparison on a phone", f"/kpi/{PAGAMENTI}/compare?peers=all"),
                           ("adoption on a phone", f"/kpi/adoptions/{site['adoption']}"),
                           ("reference on a phone", "/kpi/reference"),
                           ("organisation's KPIs on a phone", f"/kpi/organizations/{BOLOGNA}"),
                           ("old version on a phone", f"/kpi/{PERMESSI}/versions/1")):
            check.url(name, path)
        become(page, live_server, ADOPTER)
        check.url("adoption with its value form on a phone", f"/kpi/adoptions/{site['adoption']}")
        check.url("import on a phone", "/kpi/import")
        page.locator("#import-form input[type=file]").set_input_files(
            {"name": "valori.csv", "mimeType": "text/csv",
             "buffer": f"kpi,plan_year,period,value,status\n{site['code']},2024,2025-Q9,abc,definitivo\n".encode()})
        page.locator("#import-form").get_by_role("button", name="Controlla e importa").click()
        expect(page.locator("#import-report .alert-danger")).to_be_visible()
        page.console_errors[:] = [e for e in page.console_errors if "status of 422" not in e]
        check.state("import report on a phone (htmx 422)")
        for name, path in (("KPI page on a phone, as an adopter", f"/kpi/{PAGAMENTI}"),
                           ("organisation's KPIs on a phone, as its person", f"/kpi/organizations/{BOLOGNA}"),
                           ("link form on a phone", f"/kpi/practice/{BOLOGNA_PRACTICE}/link"),
                           ("adoption edit form on a phone", f"/kpi/adoptions/{site['adoption']}/edit")):
            check.url(name, path)
        become(page, live_server, STAFF)
        for name, path in (("review queue on a phone", "/kpi/review"),
                           ("proposal in review on a phone", f"/kpi/{IN_REVIEW}"),
                           ("propose form on a phone", f"/kpi/new?programme={ASK}"),
                           ("new version form on a phone", f"/kpi/{PERMESSI}/edit")):
            check.url(name, path)
        check.done()
    finally:
        context.close()
        with live_app.app_context():
            limiter.reset()
