"""axe-core on every page and htmx state of programmes, calls for expression of interest and events (issue 15): no
serious or critical violation (WCAG 2.1 AA). The site is the demo (app/demo/programmes.py: programmes, calls in every
state, two round tables held with materials, an upcoming restricted Innovation Lab with a waiting list, a public
webinar), loaded once for the module, plus what the demo has not: a cancelled event, an event started today and not
closed yet (its attendance, check-in and closing), a questionnaire and terms on the webinar."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db, limiter
from app.models.base import utcnow
from tests.conftest import empty_all_tables
from tests.e2e.test_evaluation_accessibility import Checker, refused
from tests.e2e.test_indicators_journey import become

pytestmark = pytest.mark.e2e
APV, PERFORMA, PROVINCE = "ask-public-value", "performa-pa", "province-e-comuni"
RESULTS, OPEN, CLOSED = "ask-public-value-innovation-lab", "ask-public-value-nuove-adesioni", "performa-pa-tavoli-2026"
DRAFT = "province-e-comuni-reti-tematiche"
HELD, LAB, WEBINAR = "tavolo-valore-pubblico-piao", "innovation-lab-missione-01", "webinar-reti-tematiche-province-comuni"
CANCELLED, TODAY = "plenaria-annullata-performa-pa", "plenaria-di-meta-percorso-performa-pa"
ORGANISER = "lorenzo.fabbri"  # organiser of today's event only (an EventOrganizer row, not programme staff)


def load_site(live_app) -> dict:
    """The demo with its programmes, and the few states the demo does not have; the ids and slugs the pages need."""
    from app.demo.loader import load_demo
    from app.models import (Event, InterestCall, InterestCandidacy, Organization, Practice, Programme, Registration,
                            User)
    from tests.programme_world import make_event, make_registration

    with live_app.app_context():
        load_demo()
        people = {u.email.split("@")[0]: u for u in db.session.scalars(select(User))}
        performa = db.session.scalar(select(Programme).where(Programme.slug == PERFORMA))
        cancelled = make_event("Plenaria annullata PerForma PA", programme=performa, status="cancelled",
                               starts_in_days=5, organizers=[people["dario.pace"]])
        cancelled.cancel_reason, cancelled.cancelled_at = "La sala non è più disponibile.", utcnow()
        today = make_event("Plenaria di metà percorso PerForma PA", programme=performa, starts_in_days=0,
                           organizers=[people[ORGANISER]], summary="Lo stato dei tavoli di confronto a metà anno.")
        today.starts_at = utcnow().replace(microsecond=0) - timedelta(hours=1)
        today.ends_at = today.starts_at + timedelta(hours=3)
        for local in ("referente.bologna", "referente.matera", "referente.alba"):
            make_registration(today, people[local])
        webinar = db.session.scalar(select(Event).where(Event.slug == WEBINAR))
        webinar.terms = "Accetto che il mio nome compaia tra i partecipanti, se lo scelgo."
        webinar.questionnaire = [
            {"key": "role", "label": "Il tuo ruolo nell'ente", "kind": "text", "required": True, "choices": []},
            {"key": "network", "label": "Rete tematica di interesse", "kind": "choice", "required": False,
             "choices": ["Stazioni uniche appaltanti", "Fondi europei", "Transizione digitale"]},
            {"key": "notes", "label": "Domande per i relatori", "kind": "textarea", "required": False, "choices": []}]
        db.session.commit()
        lab = db.session.scalar(select(Event).where(Event.slug == LAB))
        waiting = db.session.scalar(select(Registration).where(Registration.event_id == lab.id,
                                                                Registration.status == "waiting")
                                    .order_by(Registration.waiting_since))
        registered = db.session.scalar(select(Registration).where(Registration.event_id == lab.id,
                                                                   Registration.status == "registered")
                                       .order_by(Registration.id))

        def candidacy(call_slug: str, organisation: str) -> int:
            return db.session.scalar(select(InterestCandidacy.id).join(InterestCall).join(
                Organization, Organization.id == InterestCandidacy.organization_id)
                .where(InterestCall.slug == call_slug, Organization.name == organisation))

        site = {
            "waiting": waiting.user.email.split("@")[0], "registered": registered.user.email.split("@")[0],
            "submitted": candidacy(OPEN, "Comune di Trento"), "selected": candidacy(RESULTS, "Comune di Matera"),
            "admissible": candidacy(CLOSED, "Regione Emilia-Romagna"),
            "cruscotto": db.session.scalar(select(Practice.slug).where(
                Practice.title == "Cruscotto degli indicatori di valore pubblico")),
            "alba_registration": db.session.scalar(select(Registration.id).where(
                Registration.event_id == today.id, Registration.user_id == people["referente.alba"].id)),
        }
        db.session.remove()
    return site


@pytest.fixture(scope="module")
def site(live_app):
    """Loaded once: the module's tests share it (each one's changes touch states no other test looks at)."""
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
            if m.type == "error" and "status of 422" not in m.text and "status of 409" not in m.text else None)
    page.console_errors = errors
    yield page
    context.close()
    with live_app.app_context():
        limiter.reset()


def test_visitor_pages(tab, live_server, site):
    page, check = tab, Checker(tab, live_server)
    for name, path in (("programmes", "/programmes/"), ("programme with calls and events", f"/programmes/{APV}"),
                       ("programme with round tables", f"/programmes/{PERFORMA}"),
                       ("call with results", f"/calls/{RESULTS}"), ("call open", f"/calls/{OPEN}"),
                       ("call closed", f"/calls/{CLOSED}"),
                       ("agenda, upcoming", "/events/"), ("agenda, past", "/events/?when=past"),
                       ("agenda, filtered", f"/events/?when=past&programme={PERFORMA}&kind=round_table"),
                       ("public webinar", f"/events/{WEBINAR}"), ("held round table with its outcome", f"/events/{HELD}"),
                       ("cancelled event", f"/events/{CANCELLED}"),
                       ("practice presented at a round table", f"/practices/{site['cruscotto']}"),
                       ("home with the next events", "/"),
                       ("community with its events aside", "/communities/valore-pubblico-piao")):
        check.url(name, path)
    check.url("agenda again", "/events/")
    page.locator("#when").select_option("past")  # htmx swaps the list and pushes the address
    expect(page).to_have_url(re.compile(r"when=past"))
    check.state("agenda, past chosen (htmx)")
    check.done()


def test_referent_pages_and_states(tab, live_server, site):
    page, check = tab, Checker(tab, live_server)
    become(page, live_server, "referente.alghero")  # Comune di Alghero: a draft for the open call
    check.url("open call with the referent's box", f"/calls/{OPEN}")
    check.url("candidacy form", f"/calls/{OPEN}/candidacy")
    page.get_by_role("button", name="Invia la candidatura").click()  # no signed form, no protocol: refused
    expect(refused(page)).to_be_visible()
    check.state("candidacy sent incomplete (htmx 422)")
    check.url("dashboard of a referent", "/dashboard")
    become(page, live_server, "referente.matera")
    check.url("selected candidacy", f"/candidacies/{site['selected']}")
    check.url("call with results, as a selected one", f"/calls/{RESULTS}")
    check.done()


def test_staff_pages_and_states(tab, live_server, site):
    page, check = tab, Checker(tab, live_server)
    become(page, live_server, "serena.caputo")
    for name, path in (("programme, as its staff", f"/programmes/{APV}"),
                       ("programme form", f"/programmes/{APV}/edit"),
                       ("new call", f"/programmes/{APV}/calls/new"),
                       ("call, as its staff", f"/calls/{OPEN}"),
                       ("candidacy with the decide box", f"/candidacies/{site['submitted']}"),
                       ("board with results", f"/calls/{RESULTS}/candidacies"),
                       ("dashboard of the staff", "/dashboard")):
        check.url(name, path)
    check.url("call form", f"/calls/{OPEN}/edit")
    fields = page.locator("main fieldset, main .call-field").count()
    page.get_by_role("button", name="Aggiungi un campo").click()
    expect(page.locator("main fieldset, main .call-field")).not_to_have_count(fields)
    check.state("a field added to the designer (htmx)")
    check.url("board", f"/calls/{OPEN}/candidacies")
    page.locator("#board-status").select_option("submitted")
    page.locator("main").get_by_role("button", name="Filtra").click()
    expect(page).to_have_url(re.compile(r"status=submitted"))
    check.state("board filtered (htmx)")
    row = page.locator(f"#candidacy-row-{site['submitted']}")
    row.get_by_role("button", name=re.compile("^Dichiara inammissibile|^Respingi|^Non ammissibile")).first.click()
    expect(page.locator(f"#candidacy-row-{site['submitted']}").locator("[aria-invalid='true'], .alert-danger")
           .first).to_be_visible()
    check.state("a rejection without a reason (htmx 422)")
    page.locator(f"#candidacy-row-{site['submitted']}").get_by_role("button", name=re.compile("^Ammetti")).click()
    expect(page.locator(f"#candidacy-row-{site['submitted']}")).to_have_attribute("data-status", "admissible")
    check.state("a candidacy admitted (htmx)")
    become(page, live_server, "giovanna.ferri")
    check.url("draft call", f"/calls/{DRAFT}")
    become(page, live_server, "admin")
    check.url("new programme", "/programmes/new")
    page.locator("main form[method=post] button[type=submit]").last.click()
    expect(refused(page)).to_be_visible()
    check.state("new programme refused (422)")
    check.done()


def test_organiser_pages_and_states(tab, live_server, site):
    page, check = tab, Checker(tab, live_server)
    become(page, live_server, "dario.pace")
    check.url("held round table, as its organiser", f"/events/{HELD}")
    check.url("agenda items form", f"/events/{HELD}/agenda")
    check.url("event form", f"/events/{HELD}/edit")
    check.url("new event", f"/events/new?programme={PERFORMA}")
    page.locator("main form[method=post] button[type=submit]").last.click()
    expect(refused(page)).to_be_visible()
    check.state("new event refused (422)")
    become(page, live_server, ORGANISER)
    check.url("event started today, as its organiser", f"/events/{TODAY}")
    check.url("registrations", f"/events/{TODAY}/registrations")
    page.locator(f"main form[action$='/registrations/{site['alba_registration']}/attendance'] "
                 "input[type=checkbox]").check()
    expect(page.locator("[data-count='attended']")).to_have_text("1")
    check.state("attendance ticked (htmx)")
    page.locator("#check-in-form input[name=code]").fill("NOTACODE")
    page.locator("#check-in-form").get_by_role("button", name="Registra la presenza").click()
    expect(page.locator("#registrations-main").locator(".alert-danger, [aria-invalid='true']").first).to_be_visible()
    check.state("check-in with a wrong code (htmx)")
    check.url("close form", f"/events/{TODAY}/close")
    page.locator("#close-form").get_by_role("button", name="Chiudi l'evento").click()
    expect(refused(page)).to_be_visible()
    check.state("closing without a report (htmx 422)")
    check.done()


def test_participant_pages_and_states(tab, live_server, site):
    page, check = tab, Checker(tab, live_server)
    become(page, live_server, site["registered"])
    check.url("restricted lab, registered", f"/events/{LAB}")
    become(page, live_server, site["waiting"])
    check.url("restricted lab, on the waiting list", f"/events/{LAB}")
    check.url("dashboard with registrations", "/dashboard")
    become(page, live_server, "referente.matera")
    check.url("register form with terms and questionnaire", f"/events/{WEBINAR}/register")
    page.locator("#registration-form").get_by_role("button", name=re.compile("Iscriviti|lista d'attesa")).click()
    expect(refused(page)).to_be_visible()
    check.state("registration refused at its fields (htmx 422)")
    page.locator("#registration-form").get_by_label("Il tuo ruolo nell'ente").fill("Dirigente")
    page.locator("#registration-form").get_by_label(re.compile("accetto le condizioni")).check()
    page.locator("#registration-form").get_by_role("button", name=re.compile("Iscriviti|lista d'attesa")).click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text(re.compile("iscritt", re.I))
    check.state("registered (htmx)")
    check.url("webinar, registered", f"/events/{WEBINAR}")
    check.done()
