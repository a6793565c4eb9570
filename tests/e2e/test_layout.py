"""Layout in a real browser at a phone's width (390 px) and a desktop's (1366 px): no page wider than the screen, a
menu that opens on screen, labels that do not cover what is above them, results before facets, tabs that show there
are more, and static files a returning visitor does not download again."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.extensions import db, limiter
from app.models.base import utcnow
from tests.conftest import (empty_all_tables, index_now, make_community, make_org, make_practice, make_user,
                            reset_search_index)
from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import serious_violations

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PRACTICE = "/practices/centrale-unica-di-committenza"
BARI = "/practices/protocollo-aperto-di-bari"  # a practice Chieri may reuse and ask support for
PUBLIC_PAGES = ("/", "/practices/", PRACTICE, f"{PRACTICE}?tab=kit", f"{PRACTICE}?tab=versions",
                f"{PRACTICE}?tab=deployments", f"{PRACTICE}?tab=discussion", "/communities/",
                "/communities/comunita-del-riuso", "/organizations/", "/organizations/comune-di-chieri",
                "/auth/register", "/auth/login", "/search", "/search?q=committenza")
SIGNED_IN_PAGES = ("/", "/dashboard", "/users/me", "/support/inbox", "/support/outbox", "/reuse/mine",
                   "/practices/mine", f"{PRACTICE}/edit", f"{PRACTICE}/kit/edit", f"{BARI}/support/new",
                   f"{BARI}/adopt", "/practices/", PRACTICE, f"{PRACTICE}?tab=versions",
                   "/communities/comunita-del-riuso", "/communities/comunita-del-riuso/members",
                   "/organizations/comune-di-chieri/people", "/notifications/", "/search?q=committenza")
AXE_PAGES = ("/support/outbox", "/organizations/comune-di-chieri/people", f"{PRACTICE}?tab=versions")
# A Markdown table in the description, wider than a phone.
WIDE_TABLE = ("| Fase | Responsabile | Durata | Costo | Strumenti | Risultato |\n"
              "| --- | --- | --- | --- | --- | --- |\n"
              "| Analisi organizzativa | Ufficio appalti | tre mesi | 12.000 euro | questionari | mappatura |\n")
# Forms named in the review, with the person who may open them.
FORMS = {"donor": ("/users/me", f"{PRACTICE}/edit", f"{PRACTICE}/kit/edit", f"{BARI}/support/new", f"{BARI}/adopt",
                   "/support/inbox", "/search"),
         "admin": ("/communities/new",),
         None: ("/auth/register", "/auth/login", "/practices/", "/communities/", "/organizations/")}


@pytest.fixture
def screens(browser):
    """Browser pages at a given viewport, each in a context of its own, closed after the test."""
    contexts = []

    def open_screen(viewport: dict, **options):
        context = browser.new_context(locale="it-IT", viewport=viewport, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_screen
    for context in contexts:
        context.close()


@pytest.fixture
def town(live_app):
    """Chieri gives a practice with several kit versions and receives a support request from Bari; Chieri also asks
    Bari for support, so both of its boxes hold a wide table."""
    from app.models import KitSection, KitVersion, SupportRequest

    reset_search_index(live_app)
    with live_app.app_context():
        chieri = make_org("Comune di Chieri", ipa_code="c_c627")
        bari = make_org("Comune di Bari", ipa_code="c_a662", region_code="16", province_code="BA")
        make_user("admin@example.it", None, is_admin=True, full_name="Ada Amministratrice")
        donor = make_user("cedente@chieri.example.it", chieri, is_referent=True, full_name="Carla Cedente")
        reuser = make_user("riuso@bari.example.it", bari, is_referent=True, full_name="Rino Riuso")
        community = make_community("Comunità del riuso", "open", facilitators=[donor], members=[reuser])
        practice = make_practice("Centrale unica di committenza", community, chieri, created_by_id=donor.id,
                                 description="Una centrale di committenza per dodici Comuni.\n\n" + WIDE_TABLE,
                                 kit={"context": "Contesto", "deployment_plan": "Piano di dispiegamento"})
        for label in ("1.1", "1.2", "2.0"):
            db.session.add(KitVersion(practice_id=practice.id, label=label, status="published", published_at=utcnow(),
                                      changelog=f"Revisione complessiva della documentazione {label}",
                                      sections=[KitSection(key="context", body=f"Contesto {label}")]))
        software = make_practice("Protocollo aperto di Bari", community, bari, kind="software", licence="EUPL-1.2")
        now = utcnow()
        for target, asker, person in ((practice, bari, reuser), (software, chieri, donor)):
            db.session.add(SupportRequest(
                practice_id=target.id, organization_id=asker.id, requester_id=person.id, kind="technical",
                subject="Configurazione dell'interoperabilità con il protocollo informatico regionale",
                description="Descrizione.", status="open", created_at=now - timedelta(days=3),
                updated_at=now - timedelta(days=3)))
        db.session.commit()
    index_now(live_app)
    yield {"donor": "cedente@chieri.example.it", "admin": "admin@example.it"}
    with live_app.app_context():  # as the page fixture does after each test
        limiter.reset()
        db.session.remove()
        empty_all_tables()


def open_page(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, f"{url} answered {response and response.status}"


# What sticks out of the viewport (outside any element that scrolls by itself), to name it when a page is too wide.
TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => { for (let p = el.parentElement; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; }
    return false; };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && !scrolls(el)) {
      const name = `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')}`;
      out.push(`${name} → ${Math.round(box.right)}`);
    }
  }
  return {page: document.documentElement.scrollWidth, width, out: out.slice(0, 5)};
}"""


def too_wide(page) -> dict | None:
    measure = page.evaluate(TOO_WIDE)
    return measure if measure["page"] > measure["width"] else None


# Each visible label of a form must not cover the visible element laid out just above it (a heading, a legend, a
# paragraph, another field).
OVERLAPS = """() => {
  const visible = (el) => { const b = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return b.width > 1 && b.height > 1 && s.visibility !== 'hidden' && !el.closest('.visually-hidden'); };
  const blocks = [...document.querySelectorAll('#main-content h1, #main-content h2, #main-content h3, #main-content h4,'
    + ' #main-content h5, #main-content legend, #main-content p, #main-content label, #main-content input,'
    + ' #main-content select, #main-content textarea, #main-content .form-text, #main-content .btn')].filter(visible);
  const found = [];
  for (const label of document.querySelectorAll('#main-content form label')) {
    if (!visible(label)) continue;
    const l = label.getBoundingClientRect();
    const group = label.closest('.form-group, .select-wrapper, .form-check') || label.parentElement;
    for (const other of blocks) {
      if (other === label || other.contains(label) || label.contains(other) || group.contains(other)) continue;
      const o = other.getBoundingClientRect();
      if (l.left < o.right - 1 && o.left < l.right - 1 && l.top < o.bottom - 1 && o.top < l.bottom - 1) {
        const text = (el) => el.textContent.trim().slice(0, 40);
        found.push(`«${text(label)}» covers ${other.tagName.toLowerCase()} «${text(other)}»`);
      }
    }
  }
  return found;
}"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_page_is_wider_than_the_screen(screens, live_server, town, viewport):
    page = screens(viewport)
    found = {}
    for url in PUBLIC_PAGES:
        open_page(page, live_server + url)
        if problem := too_wide(page):
            found[f"visitor {url}"] = problem
    sign_in(page, live_server, town["donor"])
    for url in SIGNED_IN_PAGES:
        open_page(page, live_server + url)
        if problem := too_wide(page):
            found[f"signed in {url}"] = problem
        if url in AXE_PAGES and (problems := serious_violations(page)):  # scrolling tables, folded header
            found[f"axe {url}"] = problems
    assert found == {}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_form_labels_do_not_cover_what_is_above_them(screens, live_server, town, viewport):
    page = screens(viewport)
    found = {}
    for person in (None, "donor", "admin"):
        if person:
            page.context.clear_cookies()
            sign_in(page, live_server, town[person])
        for url in FORMS[person]:
            open_page(page, live_server + url)
            if problems := page.evaluate(OVERLAPS):
                found[url] = problems
    # The registration form as it is when the person asks for a new organisation, and with errors at the fields.
    page.context.clear_cookies()
    open_page(page, live_server + "/auth/register")
    choice = page.locator("[data-new-org-toggle]")
    if choice.evaluate("el => el.tagName") == "SELECT":
        choice.select_option("new")
    else:
        choice.check(force=True)  # the design system draws the radio over its label
    page.get_by_role("button", name="Crea l'account").click()
    page.locator(".error-summary").wait_for()
    if problems := page.evaluate(OVERLAPS):
        found["registration with errors"] = problems
    assert found == {}


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "signed-in"])
def test_the_menu_opens_on_a_phones_screen(screens, live_server, town, signed_in):
    page = screens(PHONE)
    if signed_in:
        sign_in(page, live_server, town["donor"])
    open_page(page, live_server + PRACTICE)
    toggler = page.get_by_role("button", name="Mostra o nascondi il menu")
    expect(toggler).to_be_visible()
    toggler.click()
    close = page.get_by_role("button", name="Chiudi il menu")
    expect(close).to_be_visible()
    expect(close).to_be_in_viewport(ratio=1)
    for name in ("Home", "Buone pratiche", "Enti"):
        expect(page.locator("#main-nav").get_by_role("link", name=name, exact=True)).to_be_in_viewport(ratio=1)
    assert too_wide(page) is None
    close.click()
    expect(close).to_be_hidden()
    expect(page.locator("#main-nav").get_by_role("link", name="Enti", exact=True)).to_be_hidden()


def test_the_header_search_folds_into_an_icon_on_a_phone(screens, live_server, town):
    phone = screens(PHONE)
    open_page(phone, live_server + "/")
    expect(phone.locator("#header-q")).to_be_hidden()
    phone.locator(".it-header-center-wrapper").get_by_role("link", name="Cerca nelle buone pratiche").click()
    expect(phone.get_by_label("Che cosa cerchi?")).to_be_visible()
    assert phone.url.startswith(f"{live_server}/search")
    desktop = screens(DESKTOP)
    open_page(desktop, live_server + "/")
    expect(desktop.locator(".it-header-center-wrapper .search-link")).to_be_hidden()
    desktop.locator("#header-q").fill("committenza")
    desktop.locator("#header-q").press("Enter")
    expect(desktop.locator(".search-hit")).to_have_count(1)
    for page in (phone, desktop):
        assert serious_violations(page) == []


def test_on_a_phone_the_search_shows_results_first_and_facets_behind_a_button(screens, live_server, town):
    page = screens(PHONE)
    open_page(page, live_server + "/search?q=committenza")
    first_hit = page.locator(".search-hit").first
    facets = page.locator("#search-facets")
    toggle = page.get_by_role("button", name="Restringi i risultati")
    expect(first_hit).to_be_visible()
    expect(facets).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    assert toggle.bounding_box()["y"] < first_hit.bounding_box()["y"] < PHONE["height"]
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(facets).to_be_visible()
    assert serious_violations(page) == []
    # A facet chosen keeps the panel open (htmx re-renders it), with the filter shown as active.
    facets.get_by_role("link", name=re.compile("Appalti")).click()
    expect(page).to_have_url(re.compile("theme=procurement"))
    expect(page.locator("#search-facets")).to_be_visible()
    expect(page.locator("#search-facets").get_by_role("link", name="Togli il filtro")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Restringi i risultati"))).to_contain_text("1 filtro attivo")
    # On a desktop the facets sit beside the results, with no button.
    desktop = screens(DESKTOP)
    open_page(desktop, live_server + "/search?q=committenza")
    expect(desktop.locator("#search-facets")).to_be_visible()
    expect(desktop.get_by_role("button", name="Restringi i risultati")).to_be_hidden()
    # Without JavaScript the facets are simply there.
    plain = screens(PHONE, java_script_enabled=False)
    plain.goto(live_server + "/search?q=committenza")
    expect(plain.locator("#search-facets")).to_be_visible()
    expect(plain.get_by_role("button", name="Restringi i risultati")).to_be_hidden()


def test_on_a_phone_the_practice_tabs_show_that_more_tabs_exist(screens, live_server, town):
    page = screens(PHONE)
    open_page(page, live_server + PRACTICE)
    bar = page.locator("#practice-tab .nav-tabs")
    style = bar.evaluate("el => ({overflow: getComputedStyle(el).overflowX, scroll: el.scrollWidth,"
                         " width: el.clientWidth, background: getComputedStyle(el).backgroundImage})")
    assert style["overflow"] == "auto" and style["scroll"] > style["width"], style  # more tabs than the screen holds
    assert style["background"].count("gradient") == 4, style  # the shadow at the edge where more tabs wait
    last = bar.get_by_role("link", name="Discussione")
    expect(last).not_to_be_in_viewport(ratio=1)
    last.focus()  # reached with the keyboard, the tab scrolls into view
    expect(last).to_be_in_viewport(ratio=0.9)
    last.click()
    expect(page).to_have_url(re.compile("tab=discussion"))
    assert too_wide(page) is None


def test_a_returning_visitor_downloads_no_static_file_again(screens, live_server, town):
    page = screens(DESKTOP)
    open_page(page, live_server + "/")
    # Every file received in full (and so written to the cache) before the next page: on a busy machine a font or
    # the icon sprite still arriving when the next navigation starts is fetched again, which says nothing of ours.
    page.wait_for_load_state("networkidle")
    static = "performance.getEntriesByType('resource').filter(e => e.name.includes('/static/'))"
    first = page.evaluate(f"{static}.map(e => e.name)")
    assert len(first) >= 8 and all("?v=" in url for url in first), first
    fetched = []
    page.on("request", lambda request: fetched.append(request.url) if "/static/" in request.url else None)
    served = []
    page.on("response", lambda response: served.append(response.url)
            if "/static/" in response.url and not response.from_service_worker and response.status != 200 else None)
    open_page(page, live_server + "/practices/")
    page.wait_for_load_state("networkidle")
    open_page(page, live_server + PRACTICE)
    page.wait_for_load_state("networkidle")
    # Every file came from the browser's cache: nothing transferred, no revalidation (304) either.
    entries = page.evaluate(f"{static}.map(e => [e.name, e.transferSize])")
    assert entries and all(size == 0 for _, size in entries), entries
    assert served == [], served
