"""A reader searches the practices: live results while typing, facets, back button, shared URL, header box, no JS."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests.conftest import index_now, make_community, make_org, make_practice, make_user, reset_search_index

pytestmark = pytest.mark.e2e

PRACTICES = {
    "appalti": ("Appalti verdi nella città metropolitana", "environment"),
    "protocollo": ("Protocollo informatico condiviso", "digital_agenda"),
    "pagamenti": ("Pagamenti elettronici con pagoPA", "digital_agenda"),
    "sportello": ("Sportello unico per le attività produttive", "services"),
}
DIGITAL_AGENDA = "Agenda digitale e competenze digitali"


def make_searchable_practices(live_app) -> None:
    """Four published practices with distinct words and themes, indexed."""
    reset_search_index(live_app)  # the tables were emptied after the last test: the index must follow
    with live_app.app_context():
        chieri = make_org("Comune di Chieri", ipa_code="c_c627")
        donor = make_user("cedente@chieri.example.it", chieri, full_name="Carla Cedente")
        community = make_community("Innovazione nei Comuni", "open", facilitators=[donor])
        for title, theme in PRACTICES.values():
            make_practice(title, community, chieri, theme=theme, licence="EUPL-1.2")
        db.session.commit()
    index_now(live_app)


@pytest.fixture
def searchable(live_app):
    make_searchable_practices(live_app)


def hits(page):
    return page.locator("#search-results .search-hit h2 a")


def expect_hits(page, *keys: str) -> None:
    """Exactly these practices are listed, in any order."""
    expect(hits(page)).to_have_count(len(keys))
    for key in keys:
        expect(hits(page).filter(has_text=PRACTICES[key][0])).to_have_count(1)


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_live_search_facets_history_shared_url_and_header_box(browser, page, live_server, searchable):
    # (a) Typing, without pressing Enter: the results follow, the URL and the live region too.
    page.goto(f"{live_server}/search")
    expect(page.get_by_label("Che cosa cerchi?")).to_be_visible()
    expect(hits(page)).to_have_count(4)  # no words yet: every practice, the most recent first
    status = page.locator("#search-status")
    expect(status).to_have_attribute("role", "status")
    page.evaluate("window.sameDocument = true")  # gone if anything below reloads the page instead of swapping
    page.locator("#search-q").press_sequentially("protocollo", delay=40)
    expect_hits(page, "protocollo")
    expect(page.locator("#search-q")).to_be_focused()
    expect(status).to_have_text("1 pratica trovata per «protocollo»")
    page.wait_for_url(lambda url: query_of(url).get("q") == ["protocollo"])
    assert urlsplit(page.url).path == "/search"
    # The form pushes every field, so the default sort shows up too (see test_pushed_url_is_the_canonical_one).
    assert query_of(page.url) in ({"q": ["protocollo"]}, {"q": ["protocollo"], "sort": ["relevance"]})

    # (b) A broader query, then a theme facet narrows it.
    broad = "pagamenti OR protocollo OR appalti"
    page.locator("#search-q").fill("")
    page.locator("#search-q").press_sequentially(broad, delay=20)
    expect_hits(page, "appalti", "protocollo", "pagamenti")
    expect(status).to_have_text(f"3 pratiche trovate per «{broad}»")
    page.wait_for_url(lambda url: query_of(url).get("q") == [broad])
    broad_url = page.url
    facet = page.locator("#search-results").get_by_role("link", name=DIGITAL_AGENDA)
    expect(facet).to_contain_text("(2)")
    facet.click()
    expect_hits(page, "protocollo", "pagamenti")
    page.wait_for_url(lambda url: query_of(url).get("theme") == ["digital_agenda"])
    assert query_of(page.url)["q"] == [broad]
    expect(status).to_have_text(f"2 pratiche trovate per «{broad}»")
    expect(page.locator("#search-results [aria-current=true]")).to_contain_text(DIGITAL_AGENDA)
    assert page.evaluate("window.sameDocument") is True
    narrowed_url = page.url

    # (c) Back: the broader results come back, without the theme.
    page.go_back()
    expect(page).to_have_url(broad_url)
    assert "theme" not in query_of(page.url)
    expect_hits(page, "appalti", "protocollo", "pagamenti")
    expect(page.locator("#search-q")).to_have_value(broad)
    expect(page.locator("#search-results").get_by_role("link", name=DIGITAL_AGENDA)).to_be_visible()

    # (d) The narrowed URL, shared: the same results as a whole page.
    shared_context = browser.new_context(locale="it-IT")
    shared = shared_context.new_page()
    shared_errors = []
    shared.on("console", lambda message: shared_errors.append(message.text) if message.type == "error" else None)
    response = shared.goto(narrowed_url)
    assert response.status == 200
    expect_hits(shared, "protocollo", "pagamenti")
    expect(shared.locator("#search-q")).to_have_value(broad)
    expect(shared.locator("#search-status")).to_have_text(f"2 pratiche trovate per «{broad}»")
    expect(shared.locator("#search-results [aria-current=true]")).to_contain_text(DIGITAL_AGENDA)
    expect(shared.locator("#search-results").get_by_role("link", name="Togli il filtro")).to_be_visible()
    shared_context.close()
    assert shared_errors == []

    # (e) From the home page, the header's search box.
    page.goto(live_server)
    page.locator("#header-q").fill("pagoPA")
    page.locator("#header-q").press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == "/search")
    assert query_of(page.url)["q"] == ["pagoPA"]
    expect_hits(page, "pagamenti")
    expect(page.locator("#search-q")).to_have_value("pagoPA")
    expect(page.locator("#search-status")).to_have_text("1 pratica trovata per «pagoPA»")
    assert page.console_errors == []


def test_pushed_url_is_the_canonical_one(page, live_server, searchable):
    """Typing pushes the same URL as a link to that search: no default sort, no empty fields."""
    page.goto(f"{live_server}/search")
    page.locator("#search-q").press_sequentially("protocollo", delay=40)
    expect_hits(page, "protocollo")
    page.wait_for_url(lambda url: query_of(url).get("q") == ["protocollo"])
    assert page.url == f"{live_server}/search?q=protocollo"


def test_search_without_javascript(browser, page, live_server, searchable):
    # `page` is requested for its clean-up (it empties the tables afterwards); this test drives its own context.
    context = browser.new_context(locale="it-IT", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server}/search")
        page.get_by_label("Che cosa cerchi?").fill("appalti")
        page.locator("#search-form").get_by_role("button", name="Cerca").click()
        page.wait_for_url(lambda url: query_of(url).get("q") == ["appalti"])
        expect_hits(page, "appalti")
        expect(page.locator("#search-status")).to_have_text("1 pratica trovata per «appalti»")
        # A facet is a plain link: it works without JavaScript too.
        page.get_by_label("Che cosa cerchi?").fill("pagamenti OR protocollo")
        page.locator("#search-form").get_by_role("button", name="Cerca").click()
        expect_hits(page, "protocollo", "pagamenti")
        page.locator("#search-results").get_by_role("link", name=DIGITAL_AGENDA).click()
        page.wait_for_url(lambda url: query_of(url).get("theme") == ["digital_agenda"])
        expect_hits(page, "protocollo", "pagamenti")
    finally:
        context.close()
