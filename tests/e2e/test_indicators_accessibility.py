"""axe-core on every page and htmx state of the indicators (issue 14), charts included: no serious or critical
violation (WCAG 2.1 AA). The site is the demo with its indicator history, loaded once for the module, plus a
community created today (not computed yet); the observatory's "not computed" state is shown by setting the network's
snapshots aside for one check and putting them back."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import insert, select

from app.extensions import db, limiter
from tests.conftest import empty_all_tables, make_community
from tests.e2e.test_evaluation_accessibility import Checker
from tests.e2e.test_indicators_journey import EUROPA, become, load_site

pytestmark = pytest.mark.e2e
NEW = "Comunità appena nata"  # created after the last computation: no snapshot yet


@pytest.fixture(scope="module")
def site(live_app):
    """The demo with its history, and a community with no snapshot; emptied at the end, as `page` does."""
    site = load_site(live_app)
    with live_app.app_context():
        community = make_community(NEW, "open")
        db.session.commit()
        site["new"] = community.slug
        db.session.remove()
    yield site
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
            if m.type == "error" and "status of 422" not in m.text else None)
    page.console_errors = errors
    yield page
    context.close()
    with live_app.app_context():
        limiter.reset()


def test_community_tab_states(tab, live_server, site):
    page, check = tab, Checker(tab, live_server)
    check.url("tab with figures and trends", f"/communities/{EUROPA}/indicators")
    for details in page.locator("article.indicator-figure details").all()[:3]:
        details.locator("summary").click()  # the trend's data table, as a reader opens it
    check.state("trend tables open")
    card = page.locator("article[aria-labelledby='figure-Q1']")
    card.get_by_role("link", name=re.compile("Vedi gli elementi")).click()
    expect(card.locator("#items-Q1 .indicator-drilldown")).to_be_visible()
    check.state("drill-down swapped in (htmx)")
    people = page.locator("article[aria-labelledby='figure-M1A']")
    people.get_by_role("link", name=re.compile("Vedi gli elementi")).click()
    expect(people.locator("#items-M1A .indicator-drilldown")).to_be_visible()
    check.state("two drill-downs open (htmx)")
    check.url("drill-down page", f"/communities/{EUROPA}/indicators/Q1")
    check.url("drill-down page of administrations", f"/communities/{EUROPA}/indicators/M1A")
    check.url("tab with insufficient data", "/communities/formazione-personale/indicators")
    expect(page.locator(".indicator-insufficient").first).to_be_visible()
    check.url("drill-down page with insufficient data", "/communities/formazione-personale/indicators/Q1")
    check.url("tab not computed", f"/communities/{site['new']}/indicators")
    expect(page.get_by_role("heading", name="Indicatori non ancora calcolati")).to_be_visible()
    check.url("community home with the stage box", f"/communities/{EUROPA}")
    expect(page.locator(".indicator-stage-box")).to_contain_text("Centro di competenza")
    check.url("practice page with its trend", f"/practices/{site['trended_practice']}")
    expect(page.locator(".indicator-practice-trend svg[role='img']")).to_be_visible()
    check.done()


def test_governance_states(tab, live_server):
    page, check = tab, Checker(tab, live_server)
    become(page, live_server, "admin")
    check.url("tab with the governance form", f"/communities/{EUROPA}/indicators")
    box = page.locator("#governance")
    box.get_by_role("textbox").fill("non è un indirizzo")
    box.get_by_role("button", name="Registra la pagina").click()
    expect(page.locator("#governance [aria-invalid='true']")).to_be_visible()
    check.state("governance address refused (htmx 422)")
    page.locator("#governance").get_by_role("textbox").fill("https://www.example.it/governance")
    page.locator("#governance").get_by_role("button", name="Registra la pagina").click()
    expect(page.locator("#governance").get_by_role("status")).to_be_visible()
    check.state("governance address recorded (htmx)")
    check.done()


def test_observatory_states(tab, live_server, live_app):
    from app.models import NetworkSnapshot

    page, check = tab, Checker(tab, live_server)
    check.url("observatory with data", "/observatory")
    select_box = page.get_by_label("Dati dei territori e delle pratiche")
    select_box.select_option(select_box.locator("option").nth(1).get_attribute("value"))
    expect(page).to_have_url(re.compile(r"period="))
    check.state("observatory, a quarter chosen (htmx)")
    check.url("observatory, a quarter not in the list", "/observatory?period=1999-Q1")
    expect(page.locator("#observatory-period-error")).to_be_visible()
    table = NetworkSnapshot.__table__
    with live_app.app_context():
        kept = [dict(row) for row in db.session.execute(select(table)).mappings()]
        db.session.execute(table.delete())
        db.session.commit()
    try:
        check.url("observatory not computed", "/observatory")
        expect(page.locator("#observatory-not-computed")).to_be_visible()
    finally:
        with live_app.app_context():
            db.session.execute(insert(table), kept)
            db.session.commit()
    check.done()


def test_conditions_pages_and_states(tab, live_server, site):
    page, check = tab, Checker(tab, live_server)
    become(page, live_server, "admin")
    check.url("change log, empty", "/admin/indicators/changes")
    check.url("conditions", "/admin/indicators/conditions")
    item = page.locator(f"#condition-{site['condition']}")
    item.locator("summary").click()
    item.get_by_label("Soglia").fill("-")
    item.get_by_role("button", name=re.compile("Salva la condizione")).click()
    expect(page.locator(f"#condition-{site['condition']} [aria-invalid='true']").first).to_be_visible()
    check.state("a threshold refused (htmx 422)")
    item = page.locator(f"#condition-{site['condition']}")
    item.get_by_label("Soglia").fill("4")
    item.get_by_label("Motivo della modifica").fill("Prova di accessibilità")
    item.get_by_role("button", name=re.compile("Salva la condizione")).click()
    expect(page.locator(f"#condition-{site['condition']}").get_by_role("status")).to_be_visible()
    check.state("a threshold saved (htmx)")
    check.url("change log with a change", "/admin/indicators/changes")
    check.done()
