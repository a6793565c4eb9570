"""Programmes, calls and events in a real browser (issue 15, "End-to-end in Chromium"): a Region's referent sends a
candidacy with its signed document and protocol; the programme's staff admit and select it on the board (htmx swaps
the row); the Region, now a participant, sees the restricted Innovation Lab: its first member registers (terms
accepted) and fills the only seat, the second lands on the waiting list and is promoted (page and notification)
when the first cancels; once the event has started, the organiser closes it with a report and slides, adds a
booklet, and the materials appear on the linked practice's page ("Presentata all'Innovation Lab del …").

The rows are written directly (a programme with staff, a published call with an open window and quotas, the
event, the practice, the people); everything after that goes through the pages."""
from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models.base import utcnow
from app.web import local_date
from tests.conftest import make_community, make_org, make_practice, make_user, ref
from tests.e2e.conftest import sign_in
from tests.programme_world import make_call, make_event, make_programme

pytestmark = pytest.mark.e2e
CALL = "avviso-innovation-lab-2027"
EVENT = "innovation-lab-missione-01"
PRACTICE = "cruscotto-del-valore-pubblico"
TERMS = "Partecipo a tutta la giornata e autorizzo le riprese."
REPORT = "Dodici amministrazioni hanno confrontato i **cruscotti** del valore pubblico."
# A small but real PDF: the upload rules establish the type from the bytes.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
PAGES = ("calls.call", "calls.candidacy_form", "calls.candidacy", "calls.board", "calls.decide", "events.show",
         "events.register", "events.cancel_registration", "events.close", "events.upload_document",
         "events.document", "practices.show", "notifications.index")


def build_world(live_app) -> dict:
    """A programme with its staff and a published call (window open; one Region's seat); a Region that is not yet
    a participant, with its referent and two people; an Innovation Lab for the programme's participants only, one
    seat, terms to accept, presenting a published practice; its organiser."""
    from app.models import EventOrganizer, EventPractice

    with live_app.app_context():
        promoter = make_org("Formez PA", pa_kind="agency", ipa_code="formez", region_code="12", province_code="RM")
        region = make_org("Regione Piemonte", pa_kind="region", ipa_code="r_piemon")
        people = dict(
            staff=make_user("staff@formez.example.it", promoter, full_name="Stella Staff"),
            organizer=make_user("organizza@formez.example.it", promoter, full_name="Olga Organizza"),
            referent=make_user("referente@regione.example.it", region, is_referent=True, full_name="Renata Referente"),
            first=make_user("prima@regione.example.it", region, full_name="Paola Prima"),
            second=make_user("secondo@regione.example.it", region, full_name="Sandro Secondo"),
        )
        community = make_community("Valore pubblico", "open", facilitators=[people["organizer"]])
        programme = make_programme("Ask Public Value", promoter, staff=[people["staff"]], communities=[community])
        call = make_call(programme, "Avviso Innovation Lab 2027", {"region": 20, "metropolitan_city": 14})
        practice = make_practice("Cruscotto del valore pubblico", community, region)
        event = make_event("Innovation Lab missione 01", programme=programme, restricted=True, kind="innovation_lab",
                           starts_in_days=20, seats=1, terms=TERMS)
        db.session.add(EventOrganizer(event_id=event.id, user_id=people["organizer"].id))
        db.session.add(EventPractice(event_id=event.id, practice_id=practice.id, presented=True))
        db.session.commit()
        assert (call.slug, event.slug, practice.slug) == (CALL, EVENT, PRACTICE)
        found = {name: ref(person) for name, person in people.items()}
        found.update(region=ref(region), event=ref(event))
        db.session.remove()
    return found


def new_person(browser, base: str, email: str):
    """A person in a browser context of their own, signed in; console errors recorded."""
    context = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900})
    person = context.new_page()
    person.set_default_timeout(10_000)
    person.console_errors = []
    person.on("console", lambda m: person.console_errors.append(m.text)
              if m.type == "error" and "status of 422" not in m.text else None)
    sign_in(person, base, email)
    return person


def closed(*people) -> None:
    for person in people:
        assert person.console_errors == [], person.console_errors
        person.context.close()


def rows(live_app, model, **where):
    with live_app.app_context():
        found = db.session.execute(db.select(model).filter_by(**where)).scalars().all()
        db.session.expunge_all()
        return found


# ---- the stages -----------------------------------------------------------------------------------------------

def referent_sends_candidacy(browser, base: str, live_app, world: dict, signed_pdf) -> int:
    from app.models import InterestCandidacy

    page = new_person(browser, base, world["referent"].email)
    page.goto(f"{base}/calls/{CALL}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Avviso Innovation Lab 2027")
    box = page.locator(".call-candidacy-box")
    expect(box).to_contain_text("Il vostro ente può candidarsi")
    box.get_by_role("link", name="Presenta la candidatura").click()
    expect(page).to_have_url(re.compile(rf"/calls/{CALL}/candidacy$"))
    expect(page.locator(".lead")).to_contain_text("Regione Piemonte")
    # Sent without the signed document: the refusal is at its field, nothing is sent.
    page.get_by_label("Numero di protocollo").fill("PROT-2026-0412")
    page.get_by_role("button", name="Invia la candidatura").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#signed-error")).to_be_visible()
    assert [c.status for c in rows(live_app, InterestCandidacy)] in ([], ["draft"])
    # Now complete: the signed PDF, the protocol number and date, one person of the working group.
    today = utcnow().replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo("Europe/Rome")).date()
    page.get_by_label("Candidatura firmata").set_input_files(str(signed_pdf))
    expect(page.get_by_label("Numero di protocollo")).to_have_value("PROT-2026-0412")  # kept as typed
    page.get_by_label("Data di protocollo").fill((today - timedelta(days=2)).isoformat())
    page.get_by_label("Nome e cognome (persona 1)").fill("Giulia Gruppo")
    page.get_by_label("Ruolo (persona 1)").fill("Dirigente del bilancio")
    page.get_by_label("E-mail (persona 1)").fill("giulia.gruppo@regione.example.it")
    page.get_by_role("button", name="Invia la candidatura").click()
    expect(page).to_have_url(re.compile(r"/candidacies/\d+$"))
    expect(page.get_by_text("Candidatura inviata").first).to_be_visible()
    expect(page.locator(".candidacy-status").first).to_have_text("Inviata")
    expect(page.get_by_text("candidatura-firmata.pdf").first).to_be_visible()
    expect(page.get_by_text("Giulia Gruppo").first).to_be_visible()
    closed(page)
    candidacy, = rows(live_app, InterestCandidacy)
    assert (candidacy.status, candidacy.protocol_number, candidacy.pa_kind) == ("submitted", "PROT-2026-0412",
                                                                                  "region")
    assert candidacy.protocol_date == today - timedelta(days=2)
    return candidacy.id


def staff_select(browser, base: str, live_app, world: dict, candidacy_id: int) -> None:
    from app.models import InterestCandidacy, ProgrammeParticipant

    page = new_person(browser, base, world["staff"].email)
    page.goto(f"{base}/calls/{CALL}")
    page.get_by_role("link", name="Le candidature").click()
    expect(page).to_have_url(re.compile(rf"/calls/{CALL}/candidacies$"))
    row = page.locator(f"#candidacy-row-{candidacy_id}")
    expect(row).to_contain_text("Regione Piemonte")
    expect(row).to_contain_text("PROT-2026-0412")
    expect(row.get_by_role("link", name="candidatura-firmata.pdf")).to_be_visible()
    expect(row.locator(".candidacy-status")).to_have_text("Inviata")
    board_url = page.url
    page.evaluate("window.boardNotReloaded = true")  # lost if the decision reloaded the page
    row.get_by_role("button", name=re.compile(r"^Ammissibile")).click()
    # htmx swaps the row in place: same address, the new status, the next decisions.
    expect(row.locator(".candidacy-status")).to_have_text("Ammissibile")
    row.get_by_role("button", name=re.compile(r"^Seleziona")).click()
    expect(row.locator(".candidacy-status")).to_have_text("Selezionata")
    expect(row.get_by_role("button", name=re.compile(r"^Seleziona"))).to_have_count(0)
    assert page.url == board_url and page.evaluate("window.boardNotReloaded") is True
    expect(page.locator(".calls-quotas tr[data-kind=region] td").nth(1)).to_have_text("1")  # the counts reload
    closed(page)
    candidacy, = rows(live_app, InterestCandidacy, id=candidacy_id)
    assert candidacy.status == "selected"
    assert [p.organization_id for p in rows(live_app, ProgrammeParticipant)] == [world["region"].id]


def members_register(browser, base: str, live_app, world: dict):
    """The first fills the only seat; the second lands on the waiting list. Returns both pages."""
    from app.models import Registration

    first = new_person(browser, base, world["first"].email)
    first.goto(f"{base}/events/{EVENT}")
    expect(first.get_by_role("heading", level=1)).to_contain_text("Innovation Lab missione 01")
    box = first.locator(".event-registration-box")
    expect(box.locator(".registration-seats")).to_have_text("Resta 1 posto.")
    box.get_by_role("link", name="Iscriviti").click()
    expect(first).to_have_url(re.compile(rf"/events/{EVENT}/register$"))
    expect(first.locator(".registration-terms")).to_contain_text(TERMS)
    # Without the terms accepted: refused at the field, nobody registered.
    first.get_by_role("button", name="Iscriviti").click()
    expect(first.locator("#accept_terms-error")).to_be_visible()
    assert rows(live_app, Registration) == []
    first.locator("label[for=accept_terms]").click()
    expect(first.locator("#accept_terms")).to_be_checked()
    first.get_by_role("button", name="Iscriviti").click()
    expect(first).to_have_url(re.compile(rf"/events/{EVENT}$"))
    expect(first.get_by_text("Iscrizione confermata").first).to_be_visible()
    box = first.locator(".event-registration-box")
    expect(box.locator(".registration-status")).to_have_attribute("data-status", "registered")
    expect(box.locator(".registration-code")).to_have_text(re.compile(r"^[0-9A-F]{8}$"))

    second = new_person(browser, base, world["second"].email)
    second.goto(f"{base}/events/{EVENT}")
    box = second.locator(".event-registration-box")
    expect(box.locator(".registration-seats")).to_contain_text("I posti sono esauriti")
    box.get_by_role("link", name="Mettiti in lista d'attesa").click()
    second.locator("label[for=accept_terms]").click()
    second.get_by_role("button", name="Mettiti in lista d'attesa").click()
    expect(second).to_have_url(re.compile(rf"/events/{EVENT}$"))
    expect(second.get_by_text("L'evento è al completo: siete in lista d'attesa, in posizione 1").first).to_be_visible()
    box = second.locator(".event-registration-box")
    expect(box.locator(".registration-status")).to_have_attribute("data-status", "waiting")
    expect(box.locator(".registration-position")).to_have_text("Siete in posizione 1 della lista d'attesa.")
    statuses = {r.user_id: r.status for r in rows(live_app, Registration)}
    assert statuses == {world["first"].id: "registered", world["second"].id: "waiting"}
    return first, second


def first_cancels_second_promoted(live_app, world: dict, first, second, base: str) -> None:
    from app.models import Registration

    first.locator(".event-registration-box").get_by_role("button", name="Annulla l'iscrizione").click()
    expect(first.get_by_text("Iscrizione annullata.").first).to_be_visible()
    expect(first.locator(".event-registration-box .registration-status")).to_have_count(0)
    second.reload()
    box = second.locator(".event-registration-box")
    expect(box.locator(".registration-status")).to_have_attribute("data-status", "registered")
    expect(box.locator(".registration-code")).to_have_text(re.compile(r"^[0-9A-F]{8}$"))
    expect(box.locator(".registration-position")).to_have_count(0)
    second.goto(f"{base}/notifications/")
    notice = second.get_by_text(re.compile(r"Si è liberato un posto: la tua iscrizione all'evento "
                                           r"«Innovation Lab missione 01»"))
    expect(notice.first).to_be_visible()
    statuses = {r.user_id: r.status for r in rows(live_app, Registration)}
    assert statuses == {world["first"].id: "cancelled", world["second"].id: "registered"}


def organiser_closes(browser, base: str, live_app, world: dict, tmp_path) -> None:
    from app.models import Event, EventDocument

    with live_app.app_context():  # the day has come: the event started two hours ago
        event = db.session.get(Event, world["event"].id)
        event.starts_at = utcnow().replace(microsecond=0) - timedelta(hours=2)
        event.ends_at = event.starts_at + timedelta(hours=1)
        db.session.commit()
        db.session.remove()
    slides, booklet = tmp_path / "slide-cruscotti.pdf", tmp_path / "booklet-innovation-lab.pdf"
    slides.write_bytes(PDF)
    booklet.write_bytes(PDF)
    page = new_person(browser, base, world["organizer"].email)
    page.goto(f"{base}/events/{EVENT}")
    page.locator("#event-outcome").get_by_role("link", name="Chiudi l'evento").click()
    expect(page).to_have_url(re.compile(rf"/events/{EVENT}/close$"))
    # Without the report: refused at the field, the event still open.
    page.get_by_role("button", name="Chiudi l'evento").click()
    expect(page.locator("#report-error")).to_be_visible()
    assert rows(live_app, Event, id=world["event"].id)[0].status == "published"
    page.get_by_label("Resoconto").fill(REPORT)
    page.get_by_label("Registrazione video").fill("https://video.example.org/innovation-lab-01")
    page.get_by_label("Presentazioni").set_input_files(str(slides))
    page.get_by_role("button", name="Chiudi l'evento").click()
    expect(page).to_have_url(re.compile(rf"/events/{EVENT}#event-outcome$"))
    expect(page.get_by_text("Evento chiuso").first).to_be_visible()
    outcome = page.locator("#event-outcome")
    expect(outcome.get_by_role("heading", name="Com'è andata")).to_be_visible()
    expect(outcome.locator(".event-report strong")).to_have_text("cruscotti")
    expect(outcome.get_by_role("link", name="Guarda la registrazione dell'evento")).to_be_visible()
    expect(outcome.get_by_role("link", name="slide-cruscotti.pdf")).to_be_visible()
    # A booklet added afterwards through the materials form.
    outcome.get_by_role("link", name="Aggiungi o togli materiali").click()
    form = page.locator("#document-form")
    form.get_by_label("Tipo di materiale").select_option("booklet")
    form.get_by_label("Titolo (facoltativo)").fill("Booklet dell'Innovation Lab")
    form.get_by_label("File", exact=True).set_input_files(str(booklet))
    form.get_by_role("button", name="Carica").click()
    expect(page.get_by_text("Materiali aggiunti: 1.").first).to_be_visible()
    expect(page.locator("#event-materials").get_by_role("link", name="Booklet dell'Innovation Lab")).to_be_visible()
    closed(page)
    held, = rows(live_app, Event, id=world["event"].id)
    assert (held.status, held.report, held.recording_url) == ("held", REPORT,
                                                              "https://video.example.org/innovation-lab-01")
    documents = {d.role: d.original_name for d in rows(live_app, EventDocument, event_id=held.id)}
    assert documents == {"slides": "slide-cruscotti.pdf", "booklet": "booklet-innovation-lab.pdf"}


def materials_on_the_practice(browser, base: str, live_app, world: dict, reader, anonymous) -> None:
    """Whoever may see the restricted event reads it on the practice's page with its materials; nobody else."""
    from app.models import Event

    with live_app.app_context():
        day = local_date(db.session.get(Event, world["event"].id).starts_at, "long")
        db.session.remove()
    reader.goto(f"{base}/practices/{PRACTICE}")
    section = reader.locator(".practice-events")
    expect(section).to_contain_text(f"Presentata all'Innovation Lab del {day}:")
    expect(section.get_by_role("link", name="Innovation Lab missione 01")).to_have_attribute(
        "href", re.compile(rf"/events/{EVENT}$"))
    slides_link = section.get_by_role("link", name="slide-cruscotti.pdf")
    expect(slides_link).to_be_visible()
    expect(section.get_by_role("link", name="Booklet dell'Innovation Lab")).to_be_visible()
    download = reader.request.get(base + slides_link.get_attribute("href"))
    assert download.status == 200 and download.body().startswith(b"%PDF-")
    anonymous.goto(f"{base}/practices/{PRACTICE}")
    expect(anonymous.get_by_role("heading", level=1)).to_contain_text("Cruscotto del valore pubblico")
    expect(anonymous.locator(".practice-events")).to_have_count(0)  # a restricted event never shows to others


# ---- the test -------------------------------------------------------------------------------------------------

def test_candidacy_selection_registrations_waiting_list_closing_materials(browser, page, live_server, live_app,
                                                                           tmp_path):
    missing = [each for each in PAGES if each not in live_app.view_functions]
    assert not missing, f"pages missing: {missing}"
    world = build_world(live_app)
    signed = tmp_path / "candidatura-firmata.pdf"
    signed.write_bytes(PDF)
    base = live_server

    # Before the selection the Region's people do not see the restricted event.
    outsider = new_person(browser, base, world["first"].email)
    response = outsider.goto(f"{base}/events/{EVENT}")
    assert response.status == 404
    outsider.console_errors.clear()  # that 404 was expected
    closed(outsider)

    candidacy_id = referent_sends_candidacy(browser, base, live_app, world, signed)
    staff_select(browser, base, live_app, world, candidacy_id)
    first, second = members_register(browser, base, live_app, world)
    first_cancels_second_promoted(live_app, world, first, second, base)
    organiser_closes(browser, base, live_app, world, tmp_path)
    materials_on_the_practice(browser, base, live_app, world, second, page)
    closed(first, second)
    assert page.console_errors == []
