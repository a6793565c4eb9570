"""The indicators (issue 14) end to end in Chromium: a community's "Indicatori" tab with its stage and checklist, a
figure's drill-down swapped in place by htmx (and the same address as a page), the reuse observatory with a chart,
its data table and a CSV, the administrators' conditions edited in place, a private community's figures hidden.

The site is the demo with its indicator history (app/demo/indicators.py), loaded once for the module: every test
only reads, except the conditions' edit, which the module's teardown empties with the rest."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.demo.data import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from app.extensions import db, limiter
from tests.conftest import empty_all_tables
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e
EUROPA = "servizio-europa"  # grown to a Competence centre in the demo's history
PRIVATE = "tavolo-rtd"
OUTSIDER = "martina.rossi"  # a member of other communities, not of the private one


def load_site(live_app) -> dict:
    """The demo and its indicator history (quarters and today's snapshot) in the live server's database."""
    from app.demo.indicators import load_indicator_history
    from app.demo.loader import load_demo
    from app.models import Practice, PracticeSnapshot, StageCondition

    with live_app.app_context():
        load_demo()
        load_indicator_history()
        trended = db.session.execute(select(Practice.slug).join(PracticeSnapshot,
                                                                PracticeSnapshot.practice_id == Practice.id)
                                     .order_by(Practice.id)).scalars().first()
        condition = db.session.execute(select(StageCondition).where(StageCondition.stage == "community")
                                       .order_by(StageCondition.position, StageCondition.id)).scalars().first()
        site = {"trended_practice": trended, "condition": condition.id if condition else None}
        db.session.remove()
    return site


@pytest.fixture(scope="module")
def site(live_app):
    """Loaded once (a quarter of a minute): the module's tests share it; emptied at the end, as `page` does."""
    yield load_site(live_app)
    with live_app.app_context():
        limiter.reset()
        db.session.remove()
        empty_all_tables()


@pytest.fixture
def tab(browser, live_app, site):
    """A fresh browser context on the shared site (unlike `page`, it leaves the database as it is)."""
    context = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and "status of 422" not in m.text and "status of 404" not in m.text else None)
    page.console_errors = errors
    yield page
    context.close()
    with live_app.app_context():
        limiter.reset()


def become(page, base: str, name: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, f"{name}@{DEMO_EMAIL_DOMAIN}", DEMO_PASSWORD)


def test_community_tab_stage_checklist_and_drilldown(tab, live_server):
    page = tab
    page.goto(f"{live_server}/communities/{EUROPA}")
    page.locator("main").get_by_role("link", name="Indicatori", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/communities/{EUROPA}/indicators$"))
    # The stage, then its checklist: a table per stage with every condition met or not.
    stage = page.locator("section[aria-labelledby='stage-heading']")
    expect(stage.get_by_role("heading", name="Stadio di maturità")).to_be_visible()
    expect(stage.locator(".badge.bg-primary")).to_have_text("Centro di competenza")
    checklist = stage.locator("table.indicators-checklist").first
    expect(checklist.locator("caption")).to_contain_text("Condizioni dello stadio")
    expect(checklist.get_by_role("columnheader", name="Soglia")).to_be_visible()
    expect(checklist.locator("tbody tr").first.locator(".badge")).to_have_text(re.compile("soddisfatta"))
    history = stage.locator("table.indicators-history")
    expect(history.locator("tbody tr")).to_have_count(8)
    # A figure with its numerator, denominator and window beside it, and its trend as a chart with a table.
    card = page.locator("article#figure-Q1, article[aria-labelledby='figure-Q1']").first
    expect(card.locator("dl.indicator-terms")).to_contain_text("Denominatore")
    expect(card.locator("dl.indicator-terms")).to_contain_text("Finestra")
    expect(card.locator("svg[role='img'] title")).to_have_count(1)
    # "Vedi gli elementi": the list appears in the card's panel, the page stays where it is.
    card.get_by_role("link", name=re.compile("Vedi gli elementi")).click()
    panel = card.locator("#items-Q1")
    expect(panel.locator(".indicator-drilldown")).to_be_visible()
    expect(panel).to_contain_text("Elementi contati al")
    expect(panel.locator("li.list-group-item").first).to_be_visible()
    expect(panel.locator(".badge").first).to_have_text(re.compile("conta nel numeratore"))
    expect(page).to_have_url(re.compile(rf"/communities/{EUROPA}/indicators$"))
    expect(page.locator("h1")).to_have_count(1)
    expect(panel.locator("h1, h2, nav")).to_have_count(0)  # the fragment brings no page around it
    # An item of the list opens: the question it counts.
    question = panel.locator("li.list-group-item a").first
    title = question.inner_text().strip()
    question.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title[:40])
    # The same address without htmx is a page of its own, with the way back.
    response = page.goto(f"{live_server}/communities/{EUROPA}/indicators/Q1")
    assert response.ok
    expect(page.get_by_role("heading", level=2, name=re.compile(r"\(Q1\)"))).to_be_visible()
    expect(page.locator("#items-Q1 li.list-group-item").first).to_be_visible()
    page.get_by_role("link", name="Torna agli indicatori").click()
    expect(page).to_have_url(re.compile(rf"/communities/{EUROPA}/indicators$"))
    # The figures as CSV, from the link beside the stage.
    csv = page.request.get(live_server + page.get_by_role("link", name="Scarica gli indicatori (CSV)")
                           .get_attribute("href"))
    assert csv.ok and csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv.headers["content-disposition"]
    lines = csv.text().lstrip("\ufeff").splitlines()
    assert lines[0] == "code,label,value,numerator,denominator,window,insufficient"
    assert any(line.startswith("Q1,") for line in lines[1:])
    assert page.console_errors == []


def test_insufficient_figures_say_so(tab, live_server):
    page = tab
    page.goto(f"{live_server}/communities/formazione-personale/indicators")
    expect(page.locator(".badge.bg-primary").first).to_have_text("In avvio")
    insufficient = page.locator(".indicator-value.indicator-insufficient")
    expect(insufficient.first).to_have_text(re.compile("dati insufficienti", re.I))
    expect(page.get_by_text("Meno di 5 elementi contati").first).to_be_visible()
    # Never 0 % or 100 % where the items are too few.
    for text in insufficient.all_inner_texts():
        assert "%" not in text
    assert page.console_errors == []


def test_observatory_chart_table_and_csv(tab, live_server):
    page = tab
    page.goto(live_server + "/")
    page.get_by_role("navigation").get_by_role("link", name="Osservatorio", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/observatory"))
    expect(page.get_by_role("heading", level=1, name="Osservatorio del riuso")).to_be_visible()
    # A chart reads as an image with a title and a description, and its numbers are in a table beside it.
    chart = page.locator("svg[role='img']").first
    expect(chart).to_be_visible()
    assert chart.locator("title").text_content().strip()  # SVG nodes: text_content, not inner_text
    assert chart.locator("desc").text_content().strip()
    totals = page.locator("#table-totals")
    expect(totals.locator("caption")).to_have_text("Totali della rete nel tempo")
    expect(totals.get_by_role("columnheader", name="Adozioni confermate")).to_be_visible()
    assert totals.locator("tbody tr").count() >= 2  # quarters over time, not one point
    regions = page.locator("#table-regions")
    expect(regions.locator("tbody th[scope='row']").first).to_be_visible()
    expect(page.locator("#observatory-left-out")).to_contain_text("comunità riservat")
    expect(page.locator("#table-practices tbody tr").first).to_be_visible()
    # Every table has its CSV: the link answers a CSV file with the table's header.
    link = page.get_by_role("link", name=re.compile("Scarica la tabella «Totali della rete nel tempo» in CSV"))
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith("osservatorio-totals-")
    response = page.request.get(live_server + link.get_attribute("href"))
    assert response.ok and response.headers["content-type"].startswith("text/csv")
    assert response.text().lstrip("\ufeff").splitlines()[0].startswith("Periodo,")
    # The quarter filter swaps the territories in place (htmx) and keeps the address.
    select_box = page.get_by_label("Dati dei territori e delle pratiche")
    quarter = select_box.locator("option").nth(1).get_attribute("value")
    select_box.select_option(quarter)
    expect(page.locator("#observatory-left-out")).to_contain_text(f"trimestre {quarter}")
    expect(page).to_have_url(re.compile(rf"period={quarter}"))
    assert page.console_errors == []


def test_admin_edits_a_threshold_in_place(tab, live_server, site):
    page = tab
    become(page, live_server, "admin")
    page.goto(live_server + "/admin/indicators/conditions")
    expect(page.get_by_role("heading", level=1, name="Condizioni degli stadi di maturità")).to_be_visible()
    item = page.locator(f"#condition-{site['condition']}")
    item.locator("summary").click()
    item.get_by_label("Soglia").fill("tanti")
    item.get_by_label("Motivo della modifica").fill("Prova di una soglia sbagliata")
    item.get_by_role("button", name=re.compile("Salva la condizione")).click()
    item = page.locator(f"#condition-{site['condition']}")
    threshold = item.get_by_label("Soglia")
    expect(threshold).to_have_attribute("aria-invalid", "true")
    expect(item.locator(".invalid-feedback")).to_contain_text("Scrivi un numero")
    expect(page).to_have_url(re.compile(r"/admin/indicators/conditions$"))
    threshold.fill("3")
    item.get_by_label("Motivo della modifica").fill("Soglia più bassa per le comunità piccole")
    item.get_by_role("button", name=re.compile("Salva la condizione")).click()
    item = page.locator(f"#condition-{site['condition']}")
    expect(item.get_by_role("status")).to_contain_text("Condizione aggiornata")
    expect(item).to_contain_text("Soglia più bassa per le comunità piccole")
    expect(item.locator("[aria-invalid='true']")).to_have_count(0)
    # The change is in the log.
    page.get_by_role("link", name="Registro delle modifiche").click()
    expect(page.locator("main")).to_contain_text("Soglia più bassa per le comunità piccole")
    assert page.console_errors == []


def test_private_community_indicators_hidden_from_outsiders(tab, live_server):
    page = tab
    paths = (f"/communities/{PRIVATE}/indicators", f"/communities/{PRIVATE}/indicators/M1P",
             f"/communities/{PRIVATE}/indicators.csv")
    for who in (None, OUTSIDER):
        if who:
            become(page, live_server, who)
        for path in paths[:2]:
            response = page.goto(live_server + path)
            assert response.status == 404, f"{who or 'a visitor'}: {path} answered {response.status}"
            expect(page.locator("h1")).to_be_visible()  # the site's "page not found", not a bare error
            expect(page.locator("main")).not_to_contain_text("Stadio di maturità")
        assert page.request.get(live_server + paths[2]).status == 404
    # A member sees them.
    become(page, live_server, "referente.torino")
    assert page.goto(f"{live_server}/communities/{PRIVATE}/indicators").ok
    expect(page.get_by_role("heading", name="Stadio di maturità")).to_be_visible()
