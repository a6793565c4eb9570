"""Keyboard focus after htmx swaps: to the updated control or the heading of what changed, never the page top."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests.conftest import make_community, make_org, make_practice, make_user

from tests.e2e.conftest import sign_in
from tests.e2e.test_search_journey import make_searchable_practices

pytestmark = pytest.mark.e2e


def focused(page) -> dict:
    """What the keyboard is on: tag, id, text, and the id of the nearest region with an id."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        const region = el && el.parentElement ? el.parentElement.closest('[id]') : null;
        return {tag: el ? el.tagName.toLowerCase() : null, id: el ? el.id : null,
                text: el ? el.textContent.trim().replace(/\\s+/g, ' ') : '', region: region ? region.id : null,
                inFooter: !!(el && el.closest('footer')), body: el === document.body};
    }""")


def focus_settled(page) -> None:
    """The swap has settled and focus was decided (app.js decides just after htmx settles)."""
    page.wait_for_function("document.activeElement && document.activeElement !== document.body", timeout=3000)


def press(page, locator) -> None:
    """Activate a control with the keyboard, as a keyboard user does."""
    locator.focus()
    page.keyboard.press("Enter")


@pytest.fixture
def people(live_app):
    with live_app.app_context():
        chieri = make_org("Comune di Chieri", ipa_code="c_c627")
        bari = make_org("Comune di Bari", ipa_code="c_a662", region_code="16", province_code="BA")
        facilitator = make_user("animatrice@chieri.example.it", chieri, full_name="Fabia Animatrice")
        member = make_user("membro@bari.example.it", bari, full_name="Mario Membro")
        europa = make_community("Servizio Europa", "open", facilitators=[facilitator])
        make_community("Tavolo con i colleghi", "open", facilitators=[facilitator], members=[member])
        make_practice("Ufficio Europa associato", europa, chieri, kit={"context": "Contesto", "costs": "Costi"})
        db.session.commit()


def test_join_keeps_focus_in_the_membership_box(page, live_server, people):
    sign_in(page, live_server, "membro@bari.example.it")
    page.goto(f"{live_server}/communities/servizio-europa")
    press(page, page.get_by_role("button", name="Iscriviti"))
    expect(page.get_by_role("button", name="Lascia la comunità")).to_be_visible()
    expect(page.locator("#membership-box h2")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Lascia la comunità")).to_be_focused()
    assert page.console_errors == []


def test_practice_tab_keeps_focus_on_the_chosen_tab(page, live_server, people):
    page.goto(f"{live_server}/practices/ufficio-europa-associato")
    tab = page.locator("#practice-tab [data-tab-link]").nth(1)  # the kit
    press(page, tab)
    expect(page.locator("#practice-tab [aria-current=page]")).to_be_focused()
    assert "KIT" in focused(page)["text"]


def test_search_facet_moves_focus_to_its_group(page, live_server, live_app):
    make_searchable_practices(live_app)
    page.goto(f"{live_server}/search")
    page.evaluate("window.sameDocument = true")
    facet = page.locator("#search-results a[data-focus-after='#facet-theme']").first
    press(page, facet)
    expect(page.locator("#search-results .active-facet[aria-current=true]")).to_have_count(1)
    expect(page.locator("#facet-theme")).to_be_focused()
    assert page.evaluate("window.sameDocument") is True  # swapped in place, not reloaded
    page.keyboard.press("Tab")  # the next control is the group's own "remove the filter" link, not the footer
    assert focused(page)["inFooter"] is False
    expect(page.locator("#search-results a.active-facet")).to_be_focused()


def test_in_place_actions_never_drop_focus_to_the_page(browser, page, live_server, people):
    # A facilitator promotes a member in the members table: focus stays in the refreshed table.
    sign_in(page, live_server, "animatrice@chieri.example.it")
    page.goto(f"{live_server}/communities/tavolo-con-i-colleghi/members")
    press(page, page.get_by_role("button", name="Nomina animatore Mario Membro"))
    expect(page.get_by_role("button", name="Togli animatore Mario Membro")).to_be_visible()
    focus_settled(page)
    where = focused(page)
    assert not where["body"] and not where["inFooter"]
    assert page.locator("#member-results").evaluate("(region) => region.contains(document.activeElement)")

    # The member marks a notification read: focus goes to the list's status, the next Tab to a notification.
    other = browser.new_context(locale="it-IT").new_page()
    sign_in(other, live_server, "membro@bari.example.it")
    other.goto(f"{live_server}/notifications/")
    press(other, other.get_by_role("button", name="Segna come letta").first)
    expect(other.get_by_text("0 notifiche non lette")).to_be_visible()
    focus_settled(other)
    where = focused(other)
    assert not where["body"] and not where["inFooter"]
    assert other.locator("#notification-list").evaluate("(region) => region.contains(document.activeElement)")
    other.context.close()


# ---- the same swaps leave no stale state (issue 11, points 8 and 14) ------------------------------------------------

@pytest.fixture
def support(live_app):
    with live_app.app_context():
        chieri = make_org("Comune di Chieri", ipa_code="c_c627")
        bari = make_org("Comune di Bari", ipa_code="c_a662", region_code="16", province_code="BA")
        donor = make_user("cedente@chieri.example.it", chieri, is_referent=True, full_name="Carla Cedente")
        reuser = make_user("riuso@bari.example.it", bari, full_name="Rino Riuso")
        community = make_community("Comunità del riuso", "open", facilitators=[donor], members=[reuser])
        make_practice("Centrale unica di committenza", community, chieri, created_by_id=donor.id)
        db.session.commit()


def test_an_earlier_message_goes_and_declining_asks_first(browser, page, live_server, support):
    sign_in(page, live_server, "riuso@bari.example.it")
    page.goto(f"{live_server}/practices/centrale-unica-di-committenza/support/new")
    page.get_by_label("Tipo di supporto").select_option(index=1)
    page.get_by_label("Oggetto").fill("Installazione del modulo gare")
    page.get_by_label("Descrizione").fill("Non riusciamo a configurarlo.")
    page.get_by_role("button", name="Invia la richiesta").click()
    expect(page.locator(".flash-messages")).to_contain_text("Richiesta inviata")
    request_url = page.url
    page.get_by_label("Messaggio").fill("Aggiungo il capitolato.")
    page.get_by_role("button", name="Invia il messaggio").click()
    expect(page.locator("#conversation .support-thread > li")).to_have_count(1)
    expect(page.locator(".flash-messages")).to_have_count(0)  # the earlier "request sent" is stale now
    expect(page.get_by_label("Messaggio")).to_be_focused()

    donor = browser.new_context(locale="it-IT").new_page()
    sign_in(donor, live_server, "cedente@chieri.example.it")
    donor.goto(request_url)
    expect(donor.get_by_label("Motivo del rifiuto")).to_be_hidden()  # asked only once the donor chooses to decline
    donor.locator("#decline-box summary").click()
    donor.get_by_label("Motivo del rifiuto").fill("Fuori dal perimetro del KIT.")
    questions = []
    donor.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    donor.get_by_role("button", name="Declina la richiesta", exact=True).click()
    expect(donor.get_by_label("Motivo del rifiuto")).to_have_value("Fuori dal perimetro del KIT.")
    assert questions and "Declinare la richiesta" in questions[0]  # dismissed: nothing sent
    donor.once("dialog", lambda dialog: dialog.accept())
    donor.get_by_role("button", name="Declina la richiesta", exact=True).click()
    expect(donor.get_by_text("Richiesta declinata")).to_be_visible()
    expect(donor.locator("#decline-box")).to_have_count(0)
    donor.context.close()


def test_without_javascript_a_confirmation_page_asks_first(browser, page, live_server, support):
    sign_in(page, live_server, "riuso@bari.example.it")
    page.goto(f"{live_server}/practices/centrale-unica-di-committenza/support/new")
    page.get_by_label("Tipo di supporto").select_option(index=1)
    page.get_by_label("Oggetto").fill("Installazione del modulo gare")
    page.get_by_label("Descrizione").fill("Non riusciamo a configurarlo.")
    page.get_by_role("button", name="Invia la richiesta").click()
    expect(page.locator(".flash-messages")).to_contain_text("Richiesta inviata")
    request_url = page.url

    context = browser.new_context(locale="it-IT", java_script_enabled=False)
    donor = context.new_page()
    donor.set_default_timeout(10_000)
    donor.goto(f"{live_server}/auth/login")
    donor.get_by_label("E-mail").fill("cedente@chieri.example.it")
    from tests.conftest import PASSWORD

    donor.locator("#password").fill(PASSWORD)
    donor.get_by_role("button", name="Accedi").click()
    donor.goto(request_url)
    donor.locator("#decline-box summary").click()  # <details> opens without JavaScript
    donor.get_by_label("Motivo del rifiuto").fill("Fuori dal perimetro del KIT.")
    donor.get_by_role("button", name="Declina la richiesta", exact=True).click()
    expect(donor.get_by_role("heading", level=1)).to_contain_text("Declinare la richiesta")
    expect(donor.get_by_role("link", name="No, torna indietro")).to_have_attribute("href", re.compile(r"/support/"))
    donor.get_by_role("button", name="Sì, declina la richiesta").click()
    expect(donor.get_by_text("Richiesta declinata")).to_be_visible()
    context.close()
