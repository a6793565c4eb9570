"""axe-core on every page and htmx state of programmes, calls for expression of interest and events (issue 15): no
serious or critical violation (WCAG 2.1 AA). The site is the demo (app/demo/programmes.py: programmes, calls in every
state, two round tables held with materials, an upcoming restricted Innovation Lab with a waiting list, a public
webinar), loaded once for the module, plus what the demo has not: a cancelled event, an event started today and not
closed yet (its attendance, check-in and closing), a draft event, a questionnaire and terms on the webinar. Each
state is also checked for what axe's WCAG rules leave out (STRUCTURE: ids used twice, heading levels skipped, labels
and descriptions pointing at ids that are not there)."""
from __future__ import annotations

import re
import shutil
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.demo.programmes import minimal_pdf
from app.extensions import db, limiter
from app.models.base import utcnow
from tests.conftest import empty_all_tables
from tests.e2e.test_evaluation_accessibility import Checker as AxeChecker
from tests.e2e.test_evaluation_accessibility import refused
from tests.e2e.test_indicators_journey import become

pytestmark = pytest.mark.e2e
APV, PERFORMA, PROVINCE = "ask-public-value", "performa-pa", "province-e-comuni"
RESULTS, OPEN, CLOSED = "ask-public-value-innovation-lab", "ask-public-value-nuove-adesioni", "performa-pa-tavoli-2026"
DRAFT = "province-e-comuni-reti-tematiche"
HELD, LAB = "tavolo-valore-pubblico-piao", "innovation-lab-missione-01"
WEBINAR = "webinar-reti-tematiche-province-comuni"
CANCELLED, TODAY = "plenaria-annullata-performa-pa", "plenaria-di-meta-percorso-performa-pa"
DRAFT_EVENT = "incontro-laboratoriale-in-preparazione"
OPEN_TITLE = "Ask Public Value – nuove adesioni agli Innovation Lab"
ORGANISER = "lorenzo.fabbri"  # organiser of today's event only (an EventOrganizer row, not programme staff)


# What axe's WCAG rules leave out and this sweep checks too: ids used twice, a heading level skipped in the content,
# a label, description or control pointing at an id the page does not have (an htmx swap can leave one behind).
STRUCTURE = """() => {
  const seen = {}, problems = [];
  document.querySelectorAll('[id]').forEach(e => { seen[e.id] = (seen[e.id] || 0) + 1; });
  Object.entries(seen).filter(([, n]) => n > 1).forEach(([id]) => problems.push('duplicate id ' + id));
  let previous = 0;
  document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6').forEach(h => {
    if (h.closest('[hidden]')) return;
    const level = +h.tagName[1];
    if (previous && level > previous + 1) problems.push(h.tagName + ' after H' + previous + ': ' + h.innerText);
    previous = level;
  });
  document.querySelectorAll('[aria-describedby], [aria-labelledby], [aria-controls], label[for]').forEach(e => {
    for (const name of ['aria-describedby', 'aria-labelledby', 'aria-controls', 'for']) {
      (e.getAttribute(name) || '').split(/\\s+/).filter(Boolean).forEach(id => {
        if (!document.getElementById(id)) problems.push(name + ' points at a missing #' + id);
      });
    }
  });
  return problems;
}"""


class Checker(AxeChecker):
    """axe (no serious or critical violation) and the page's structure (STRUCTURE)."""

    def state(self, name: str, wait: bool = True) -> None:
        super().state(name, wait)
        if problems := self.page.evaluate(STRUCTURE):
            self.found[f"{name} (structure)"] = problems


def load_site(live_app) -> dict:
    """The demo with its programmes, and the few states the demo does not have; the ids and slugs the pages need."""
    from app.demo.loader import load_demo
    from app.models import (Event, InterestCall, InterestCandidacy, Organization, Practice, Programme,
                            ProgrammeParticipant, Registration, User)
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
        make_event("Incontro laboratoriale in preparazione", programme=performa, status="draft", starts_in_days=40,
                   organizers=[people["dario.pace"]], kind="workshop", summary="Ancora da pubblicare.")
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

        lab_people = set(db.session.scalars(select(Registration.user_id).where(Registration.event_id == lab.id)))
        participants = set(db.session.scalars(select(ProgrammeParticipant.organization_id).where(
            ProgrammeParticipant.programme_id == lab.programme_id)))
        invited = next((u.email.split("@")[0] for u in sorted(people.values(), key=lambda u: u.id)
                        if u.organization_id in participants and u.id not in lab_people
                        and u.affiliation_status == "active"), None)
        submitted = db.session.get(InterestCandidacy, candidacy(OPEN, "Comune di Trento"))
        site = {
            "invited": invited, "submitter": next((u.email.split("@")[0] for u in people.values()
                                                if u.id == submitted.submitted_by_id), None),
            "waiting": waiting.user.email.split("@")[0], "registered": registered.user.email.split("@")[0],
            "submitted": candidacy(OPEN, "Comune di Trento"), "selected": candidacy(RESULTS, "Comune di Matera"),
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
    shutil.rmtree(live_app.config["UPLOAD_FOLDER"], ignore_errors=True)  # the demo's and the tests' documents


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
                       ("public webinar", f"/events/{WEBINAR}"),
                       ("held round table with its outcome", f"/events/{HELD}"),
                       ("cancelled event", f"/events/{CANCELLED}"),
                       ("practice presented at a round table", f"/practices/{site['cruscotto']}"),
                       ("home with the next events", "/"),
                       ("community with its events aside", "/communities/stazione-unica-appaltante")):
        check.url(name, path)
    expect(page.locator(".events-community-box")).to_contain_text("Webinar")
    check.url("held round table again", f"/events/{HELD}")
    expect(page.locator("#event-outcome")).to_contain_text("Resoconto")
    check.url("practice page again", f"/practices/{site['cruscotto']}")
    expect(page.locator(".practice-events")).to_contain_text("Presentata al tavolo di confronto del")
    check.url("home again", "/")
    expect(page.locator("#events-home-title")).to_be_visible()
    check.url("agenda, nothing found", "/events/?kind=plenary&when=past")
    before = len(page.console_errors)
    response = page.goto(f"{live_server}/events/{DRAFT_EVENT}.ics")  # a draft: 404 with a page that says why
    assert response.status == 404
    check.state("calendar not available (404)", wait=False)
    page.console_errors[before:] = [e for e in page.console_errors[before:] if "status of 404" not in e]  # that one
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
    editor = page.locator("#candidacy-form")
    editor.locator("input[type=file][name=signed]").set_input_files(
        {"name": "candidatura-firmata.pdf", "mimeType": "application/pdf",
         "buffer": minimal_pdf("Modulo di candidatura", ["Comune di Alghero"])})
    editor.get_by_label("Numero di protocollo").fill("2026/00421")
    editor.get_by_label("E-mail (persona 2)").fill("ufficio.performance@example.it")  # the demo left it empty
    editor.get_by_role("button", name="Salva la bozza").click()
    expect(page).to_have_url(re.compile(r"/candidacies/\d+$"))
    check.state("draft saved: its page with the signed form (htmx redirect)")
    check.url("candidacy form with the signed form uploaded", f"/calls/{OPEN}/candidacy")
    expect(page.locator(".candidacy-signed")).to_be_visible()
    check.url("dashboard of a referent", "/dashboard")
    expect(page.locator(".calls-candidacies-dashboard")).to_be_visible()
    become(page, live_server, site["submitter"])
    check.url("submitted candidacy, as its referent", f"/candidacies/{site['submitted']}")
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
    expect(page.locator("main")).to_contain_text(OPEN_TITLE)  # the staff's box of calls to examine
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
    row.get_by_role("button", name=re.compile("^Non ammissibile")).first.click()
    expect(page.locator(f"#candidacy-row-{site['submitted']}").locator("[aria-invalid='true'], .alert-danger")
           .first).to_be_visible()
    check.state("a rejection without a reason (htmx 422)")
    page.locator(f"#candidacy-row-{site['submitted']}").get_by_role("button", name=re.compile("^Ammissibile")).click()
    expect(page.locator(f"#candidacy-row-{site['submitted']}")).to_have_attribute("data-status", "admissible")
    check.state("a candidacy admitted (htmx)")
    become(page, live_server, "giovanna.ferri")
    check.url("draft call", f"/calls/{DRAFT}")
    become(page, live_server, "admin")
    check.url("programme, as an administrator", f"/programmes/{PERFORMA}")
    staff = page.locator("#programme-staff")
    staff.get_by_label("E-mail").fill("nessuno@example.it")
    staff.get_by_role("button", name="Aggiungi allo staff").click()
    expect(page.locator("#programme-staff").locator(".alert-danger, [aria-invalid='true']").first).to_be_visible()
    check.state("staff: an unknown address refused (htmx)")
    check.url("new programme", "/programmes/new")
    page.locator("main form[method=post] button[type=submit]").last.click()
    expect(refused(page)).to_be_visible()
    check.state("new programme refused (422)")
    check.done()


def test_organiser_pages_and_states(tab, live_server, site):
    page, check = tab, Checker(tab, live_server)
    become(page, live_server, "dario.pace")
    check.url("held round table, as its organiser", f"/events/{HELD}")
    check.url("draft event, as its organiser", f"/events/{DRAFT_EVENT}")
    check.url("agenda items form", f"/events/{HELD}/agenda")
    page.locator("#agenda-form").get_by_role("button", name="Aggiungi l'intervento").click()  # no title
    expect(page.locator("#agenda-form [aria-invalid='true']").first).to_be_visible()
    check.state("agenda item refused (htmx 422)")
    check.url("event form", f"/events/{HELD}/edit")
    check.url("new event", f"/events/new?programme={PERFORMA}")
    page.locator("main form[method=post] button[type=submit]").last.click()
    expect(refused(page)).to_be_visible()
    check.state("new event refused (422)")
    become(page, live_server, ORGANISER)
    check.url("event started today, as its organiser", f"/events/{TODAY}")
    check.url("registrations", f"/events/{TODAY}/registrations")
    page.locator(f"label[for=attended-{site['alba_registration']}]").click()  # htmx posts it on change
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
    page.locator("#document-form").get_by_role("button", name="Carica").click()  # no file chosen
    expect(page.locator("#document-form").locator(".alert-danger, [aria-invalid='true']").first).to_be_visible()
    check.state("a document without a file (htmx 422)")
    page.locator("#close-form").get_by_label(re.compile("Resoconto")).fill("## Resoconto\n\nLo stato dei tavoli.")
    page.locator("#close-form").get_by_role("button", name="Chiudi l'evento").click()
    expect(page.locator("#event-outcome")).to_be_visible()
    check.state("event just closed, as its organiser")
    check.done()


def test_participant_pages_and_states(tab, live_server, site):
    page, check = tab, Checker(tab, live_server)
    become(page, live_server, site["registered"])
    check.url("restricted lab, registered", f"/events/{LAB}")
    expect(page.locator(".registration-code")).to_be_visible()
    become(page, live_server, site["waiting"])
    check.url("restricted lab, on the waiting list", f"/events/{LAB}")
    expect(page.locator(".registration-position")).to_be_visible()
    check.url("dashboard with registrations", "/dashboard")
    expect(page.locator(".registrations-dashboard-box")).to_contain_text("Innovation Lab")
    become(page, live_server, site["invited"])  # of a participant administration, not registered
    check.url("restricted lab, a participant not registered", f"/events/{LAB}")
    check.url("restricted lab's register form, full: the waiting list", f"/events/{LAB}/register")
    become(page, live_server, "referente.matera")
    check.url("register form with terms and questionnaire", f"/events/{WEBINAR}/register")
    page.locator("#registration-form").get_by_role("button", name=re.compile("Iscriviti|lista d'attesa")).click()
    expect(refused(page)).to_be_visible()
    check.state("registration refused at its fields (htmx 422)")
    page.locator("#registration-form").get_by_label("Il tuo ruolo nell'ente").fill("Dirigente")
    page.locator("#registration-form").locator("label[for=accept_terms]").click()
    page.locator("#registration-form").get_by_role("button", name=re.compile("Iscriviti|lista d'attesa")).click()
    expect(page.locator(".registration-code")).to_be_visible()
    check.state("registered (htmx)")
    check.url("webinar, registered", f"/events/{WEBINAR}")
    page.get_by_role("button", name="Annulla l'iscrizione").click()
    expect(page.get_by_role("link", name="Iscriviti")).to_be_visible()
    check.state("registration cancelled")
    check.done()
