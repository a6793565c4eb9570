"""Reuse in a real browser: a reuser declares, asks for support and records its deployment; the donor answers and
confirms. Then axe-core on every page of the reuse area, in the states people see (WCAG 2.1 AA)."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models.base import utcnow
from tests.conftest import make_community, make_org, make_practice, make_user
from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import serious_violations

pytestmark = pytest.mark.e2e
PRACTICE = "centrale-unica-di-committenza"
NOT_CONFIRMED = "Riuso non ancora confermato dal cedente"


def check(page, name: str, found: dict, url: str | None = None) -> None:
    """Run axe on the page as it is now (after opening `url`, when given); keep what it finds under `name`."""
    if url is not None:
        response = page.goto(url)
        assert response is not None and response.ok, f"{name}: {url} answered {response and response.status}"
    if problems := serious_violations(page):
        found[name] = problems


def definition(page, term: str):
    """The <dd> that follows the <dt> with this term."""
    return page.locator("dt", has_text=term).locator("xpath=following-sibling::dd[1]")


def new_person(browser, base: str, email: str):
    """A second person, in a browser context of their own, signed in; console errors recorded as the fixture does."""
    context = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900})
    person = context.new_page()
    person.set_default_timeout(10_000)
    person.console_errors = []
    person.on("console", lambda m: person.console_errors.append(m.text)
              if m.type == "error" and "status of 422" not in m.text else None)
    sign_in(person, base, email)
    return person


@pytest.fixture
def reuse_people(live_app):
    """Chieri documents a published practice in an open community; Bari may reuse it."""
    with live_app.app_context():
        chieri = make_org("Comune di Chieri", ipa_code="c_c627")
        bari = make_org("Comune di Bari", ipa_code="c_a662", region_code="16", province_code="BA")
        donor = make_user("cedente@chieri.example.it", chieri, is_referent=True, full_name="Carla Cedente")
        colleague = make_user("collega@chieri.example.it", chieri, full_name="Cesare Collega")
        reuser = make_user("riuso@bari.example.it", bari, is_referent=True, full_name="Rino Riuso")
        community = make_community("Comunità del riuso", "open", facilitators=[donor], members=[reuser, colleague])
        make_practice("Centrale unica di committenza", community, chieri, created_by_id=donor.id,
                      description="Una centrale di committenza per dodici Comuni.",
                      kit={"context": "Contesto", "deployment_plan": "Piano di dispiegamento"})
        db.session.commit()
        return {"donor": donor.email, "reuser": reuser.email}


def test_reuser_declares_asks_support_and_records_the_deployment_donor_answers_and_confirms(
        browser, page, live_server, reuse_people):
    practice_url = f"{live_server}/practices/{PRACTICE}"

    # 1. The reuser declares its interest and starts the reuse.
    sign_in(page, live_server, reuse_people["reuser"])
    page.goto(practice_url)
    page.get_by_role("link", name="Dichiara un riuso").click()
    expect(page.get_by_role("heading", name="Dichiara un riuso", level=1)).to_be_visible()
    page.get_by_label("Note per i cedenti").fill("Vorremmo partire a gennaio con **tre** Comuni.")
    page.get_by_role("button", name="Dichiara il riuso").click()
    expect(page.get_by_role("heading", name="Riuso di «Centrale unica di committenza»", level=1)).to_be_visible()
    expect(page.get_by_text("Riuso dichiarato: i cedenti ne sono informati.")).to_be_visible()
    expect(page.locator("#main-content strong", has_text="tre")).to_be_visible()  # the note, as Markdown
    adoption_url = page.url
    assert re.fullmatch(rf"{re.escape(live_server)}/adoptions/\d+", adoption_url)
    page.get_by_role("button", name="Avvia il riuso").click()
    expect(page.get_by_text("Riuso avviato.", exact=True)).to_be_visible()
    expect(page.locator(".lead .badge").first).to_have_text("In corso")

    # 2. It asks the donors for support: an empty subject is refused at the field, the rest is kept.
    page.get_by_role("link", name="Chiedi supporto ai cedenti per questo riuso").click()
    expect(page.get_by_role("heading", name="Chiedi supporto ai cedenti", level=1)).to_be_visible()
    page.get_by_label("Tipo di supporto").select_option(label="Formazione")
    page.get_by_label("Descrizione").fill("Ci serve una giornata di formazione per gli uffici gare.")
    page.get_by_role("button", name="Invia la richiesta").click()
    expect(page.locator("#subject-error")).to_have_text("Scrivi l'oggetto della richiesta.")
    expect(page.get_by_label("Oggetto")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Descrizione")).to_have_value("Ci serve una giornata di formazione per gli uffici gare.")
    expect(page.get_by_label("Tipo di supporto")).to_have_value("training")
    page.get_by_label("Oggetto").fill("Formazione sul regolamento della centrale")
    page.get_by_role("button", name="Invia la richiesta").click()
    expect(page.get_by_role("heading", name="Formazione sul regolamento della centrale", level=1)).to_be_visible()
    expect(page.get_by_text("Richiesta inviata ai cedenti.")).to_be_visible()
    # The adoption chosen by the link survived the refused submission: the request is about this reuse.
    expect(definition(page, "Riuso").get_by_role("link", name="In corso")).to_have_attribute(
        "href", adoption_url.removeprefix(live_server))
    request_url = page.url

    # 3. The donor sees the news on the bell, finds the request in the inbox and answers in place.
    donor = new_person(browser, live_server, reuse_people["donor"])
    bell_badge = donor.locator("#notification-bell .badge")
    expect(bell_badge).to_be_visible()
    expect(bell_badge).to_contain_text(re.compile(r"^\s*[1-9]\d*\s+non lette"))
    donor.get_by_role("navigation", name="Navigazione principale").get_by_role("link", name="Riuso e supporto").click()
    expect(donor.get_by_role("heading", name="Richieste di supporto ricevute", level=1)).to_be_visible()
    row = donor.locator("#box-results tr", has_text="Formazione sul regolamento della centrale")
    expect(row).to_contain_text("Comune di Bari")
    row.get_by_role("link", name="Formazione sul regolamento della centrale").click()
    expect(donor).to_have_url(request_url)
    conversation = donor.locator("#conversation")
    expect(conversation).to_contain_text("Ancora nessun messaggio.")
    donor.evaluate("window.__noReload = 'still here'")
    donor.get_by_label("Messaggio").fill("Certo: proponiamo il **12 marzo**, in videoconferenza.")
    donor.get_by_role("button", name="Invia il messaggio").click()
    expect(conversation.locator(".support-thread li")).to_have_count(1)
    expect(conversation.locator(".support-thread li")).to_contain_text("Carla Cedente")
    expect(conversation.locator(".support-thread strong", has_text="12 marzo")).to_be_visible()
    # The live region outside the swapped conversation announces it; the focus is back in the message box.
    expect(donor.locator("#conversation-status")).to_have_text("Messaggio inviato.")
    expect(donor.get_by_label("Messaggio")).to_be_focused()
    expect(donor.get_by_label("Messaggio")).to_have_value("")
    assert donor.evaluate("window.__noReload") == "still here"
    assert donor.url == request_url
    donor.get_by_role("button", name="Prendi in carico").click()
    expect(donor.get_by_text("Richiesta presa in carico.")).to_be_visible()
    expect(donor.locator("h1 + .lead .badge").first).to_have_text("Presa in carico")
    donor.get_by_role("button", name="Segna come risolta").click()
    expect(donor.get_by_text("Richiesta segnata come risolta")).to_be_visible()
    expect(donor.locator("h1 + .lead .badge").first).to_have_text("Risolta")

    # 4. The reuser completes the reuse and records the deployment; it shows in the kit, not yet confirmed.
    page.goto(request_url)
    expect(page.locator("#conversation")).to_contain_text("12 marzo")
    page.get_by_role("navigation", name="Navigazione principale").get_by_role("link", name="Riuso e supporto").click()
    page.get_by_role("link", name="I riusi del mio ente").click()
    page.get_by_role("link", name="Centrale unica di committenza").click()
    expect(page).to_have_url(adoption_url)
    page.get_by_role("button", name="Segna come completato").click()
    expect(page.get_by_role("heading", name="Il dispiegamento di «Centrale unica di committenza»")).to_be_visible()
    expect(page.get_by_text("Riuso completato: ora registra il dispiegamento")).to_be_visible()
    deployed_on = date.today() - timedelta(days=3)
    page.get_by_label("Data di avvio in esercizio").fill(deployed_on.isoformat())
    page.get_by_label("Dimensione dell'ente").select_option(label="Oltre 100.000 abitanti")
    page.get_by_label("Territorio").fill("Città metropolitana di Bari, 41 Comuni")
    page.get_by_label("Esito").fill("Gare aggregate in sei mesi, tempi dimezzati.")
    page.get_by_role("button", name="Salva il dispiegamento").click()
    expect(page).to_have_url(f"{practice_url}?tab=deployments")
    expect(page.get_by_text("Dispiegamento registrato: compare nel KIT della pratica.")).to_be_visible()
    record = page.locator("article", has_text="Città metropolitana di Bari, 41 Comuni")
    expect(record.get_by_role("heading", level=3)).to_contain_text("Comune di Bari")
    expect(record).to_contain_text("Oltre 100.000 abitanti")
    expect(record).to_contain_text("Gare aggregate in sei mesi")
    expect(record).to_contain_text(NOT_CONFIRMED)

    # 5. The donor confirms the reuse: Bari is a confirmed reuser, the deployment no longer waits.
    donor.goto(adoption_url)
    expect(donor.get_by_role("heading", name="Riuso di «Centrale unica di committenza»")).to_be_visible()
    donor.get_by_role("button", name="Conferma il riuso").click()
    expect(donor.get_by_text("Riuso confermato: ora conta tra i riusi verificati della pratica.")).to_be_visible()
    expect(donor.get_by_role("button", name="Conferma il riuso")).to_have_count(0)
    page.goto(practice_url)
    reusers = definition(page, "Enti che la riusano (confermati dal cedente)")
    expect(reusers.get_by_role("link", name="Comune di Bari")).to_be_visible()
    page.get_by_role("navigation", name="Sezioni della pratica").get_by_role("link", name="Dispiegamenti").click()
    expect(page).to_have_url(f"{practice_url}?tab=deployments")
    expect(page.locator("article", has_text="Città metropolitana di Bari")).to_be_visible()
    expect(page.get_by_text(NOT_CONFIRMED)).to_have_count(0)

    donor.context.close()
    assert page.console_errors == []
    assert donor.console_errors == []


# ---- accessibility sweep ---------------------------------------------------------------------------------------

@pytest.fixture
def reuse_world(live_app):
    """Every state the reuse pages show: confirmed and unconfirmed adoptions with deployments, an adoption under way,
    an overdue request, an accepted one with a conversation and an internal note, a closed one, visible and hidden
    supplier offers, and a reuser that became a donor."""
    from app.models import (Adoption, AdoptionEvent, Conversion, Deployment, SupplierOffer, SupportEvent,
                            SupportMessage, SupportRequest)

    with live_app.app_context():
        now = utcnow()
        chieri = make_org("Comune di Chieri", ipa_code="c_c627")
        bari = make_org("Comune di Bari", ipa_code="c_a662", region_code="16", province_code="BA")
        asti = make_org("Comune di Asti", ipa_code="c_a479", province_code="AT")
        vendor = make_org("Software Solidale S.r.l.", kind="supplier", pa_kind=None, ipa_code=None)
        other_vendor = make_org("Servizi Digitali S.p.A.", kind="supplier", pa_kind=None, ipa_code=None)
        donor = make_user("cedente@chieri.example.it", chieri, is_referent=True, full_name="Carla Cedente")
        colleague = make_user("collega@chieri.example.it", chieri, full_name="Cesare Collega")
        reuser = make_user("riuso@bari.example.it", bari, is_referent=True, full_name="Rino Riuso")
        asti_person = make_user("riuso@asti.example.it", asti, full_name="Anna Asti")
        supplier = make_user("fornitore@solidale.example.it", vendor, full_name="Franco Fornitore")
        other_supplier = make_user("fornitrice@digitali.example.it", other_vendor, full_name="Dora Digitali")
        community = make_community("Comunità del riuso", "open", facilitators=[donor],
                                   members=[colleague, reuser, asti_person])
        practice = make_practice("Centrale unica di committenza", community, chieri, created_by_id=donor.id,
                                 description="Una centrale di committenza per dodici Comuni.")
        make_practice("Sportello unico associato", community, chieri, created_by_id=donor.id)
        europa = make_practice("Ufficio Europa associato", community, chieri, created_by_id=donor.id)
        make_practice("Protocollo condiviso", community, bari, created_by_id=reuser.id)

        def adoption(org, person, target, status, confirmed=False, days_ago=60):
            start = now - timedelta(days=days_ago)
            row = Adoption(practice_id=target.id, organization_id=org.id, declared_by_id=person.id, status=status,
                           notes=f"Note di {org.name}.", created_at=start, updated_at=now,
                           started_at=start + timedelta(days=1))
            steps = [("declare", None, "interested"), ("start", "interested", "in_progress")]
            if status == "completed":
                row.ended_at = now - timedelta(days=5)
                steps.append(("complete", "in_progress", "completed"))
            if confirmed:
                row.confirmed_at, row.confirmed_by_id = now - timedelta(days=2), donor.id
                steps.append(("confirm", status, status))
            for index, (action, before, after) in enumerate(steps):
                row.events.append(AdoptionEvent(action=action, from_status=before, to_status=after, actor_id=(
                    donor if action == "confirm" else person).id, note="Si parte." if action == "start" else "",
                    created_at=start + timedelta(days=index)))
            db.session.add(row)
            db.session.flush()
            return row

        def deployment(row, territory):
            db.session.add(Deployment(
                adoption_id=row.id, practice_id=row.practice_id, organization_id=row.organization_id,
                deployed_on=date.today() - timedelta(days=10), size="l", territory=territory,
                adaptations="Regolamento adattato.", effort="2 persone per 4 mesi", cost_eur=12500,
                outcome="Tempi **dimezzati**.", lessons="Coinvolgere presto i Comuni.", contact="gare@example.it",
                created_by_id=row.declared_by_id))

        bari_done = adoption(bari, reuser, practice, "completed", confirmed=True)
        deployment(bari_done, "Città metropolitana di Bari")
        db.session.add(Conversion(adoption_id=bari_done.id, organization_id=bari.id, reason="deployment"))
        asti_done = adoption(asti, asti_person, practice, "completed")
        deployment(asti_done, "Provincia di Asti")
        bari_europa = adoption(bari, reuser, europa, "in_progress", days_ago=20)
        db.session.add_all([
            SupplierOffer(practice_id=practice.id, organization_id=vendor.id, services=["deployment", "training"],
                          description="Accompagniamo il **dispiegamento**.", created_by_id=supplier.id),
            SupplierOffer(practice_id=practice.id, organization_id=other_vendor.id, services=["maintenance"],
                          description="Manutenzione.", created_by_id=other_supplier.id, hidden_at=now,
                          hidden_by_id=donor.id)])

        def support(subject, status, days_ago, **fields):
            opened = now - timedelta(days=days_ago)
            row = SupportRequest(practice_id=practice.id, organization_id=bari.id, requester_id=reuser.id,
                                 kind="technical", subject=subject, description=f"Descrizione: {subject}.",
                                 status=status, created_at=opened, updated_at=opened, **fields)
            row.events.append(SupportEvent(action="open", from_status=None, to_status="open", actor_id=reuser.id,
                                           created_at=opened))
            db.session.add(row)
            return row

        overdue = support("Importare le gare del 2025", "open", 20)
        overdue.messages.append(SupportMessage(author_id=reuser.id, body="Aggiungo il tracciato.",
                                               created_at=now - timedelta(days=19)))
        accepted = support("Formazione sul regolamento", "accepted", 6, adoption_id=bari_done.id,
                           assignee_id=colleague.id, accepted_at=now - timedelta(days=5),
                           first_response_at=now - timedelta(days=5))
        accepted.events.append(SupportEvent(action="accept", from_status="open", to_status="accepted",
                                            actor_id=donor.id, created_at=now - timedelta(days=5)))
        accepted.events.append(SupportEvent(action="assign", from_status="accepted", to_status="accepted",
                                            actor_id=donor.id, note=colleague.full_name,
                                            created_at=now - timedelta(days=5)))
        accepted.messages.extend([
            SupportMessage(author_id=donor.id, body="Vi proponiamo due date.", from_donor=True,
                           created_at=now - timedelta(days=5)),
            SupportMessage(author_id=colleague.id, body="Nota: chiedere a Cesare.", from_donor=True, internal=True,
                           created_at=now - timedelta(days=4)),
            SupportMessage(author_id=reuser.id, body="Va bene la prima.", created_at=now - timedelta(days=3))])
        closed = support("Parere sul bando tipo", "closed", 12, first_response_at=now - timedelta(days=11),
                         accepted_at=now - timedelta(days=11), resolved_at=now - timedelta(days=3),
                         closed_at=now - timedelta(days=1))
        db.session.commit()
        return {"donor": donor.email, "reuser": reuser.email, "supplier": supplier.email,
                "bari_done": bari_done.id, "asti_done": asti_done.id, "bari_europa": bari_europa.id,
                "overdue": overdue.id, "accepted": accepted.id, "closed": closed.id}


def test_reuser_and_visitor_pages_are_accessible(browser, page, live_server, reuse_world):
    found: dict = {}
    base = live_server
    sign_in(page, base, reuse_world["reuser"])
    check(page, "practice without adoption, as reuser", found, f"{base}/practices/sportello-unico-associato")

    # Declaring: the form, the adoption it makes, and the refusal of a second declaration.
    page.get_by_role("link", name="Dichiara un riuso").click()
    expect(page.get_by_label("Note per i cedenti")).to_be_visible()
    check(page, "declare form", found)
    page.get_by_role("button", name="Dichiara il riuso").click()
    expect(page.get_by_text("Riuso dichiarato: i cedenti ne sono informati.")).to_be_visible()
    check(page, "adoption as reuser (interested)", found)
    page.goto(f"{base}/practices/sportello-unico-associato/adopt")
    page.get_by_role("button", name="Dichiara il riuso").click()
    expect(page.locator("#declare-form").get_by_role("alert")).to_contain_text("ha già un riuso in corso")
    check(page, "declare form, second declaration refused", found)

    # Asking for support with every required field empty.
    page.goto(f"{base}/practices/sportello-unico-associato/support/new")
    page.get_by_role("button", name="Invia la richiesta").click()
    expect(page.locator("#request-form .error-summary")).to_be_visible()
    expect(page.locator("#kind-error")).to_be_visible()
    check(page, "new support request with errors", found)

    # An adoption under way, then completed: the deployment form, empty and with errors.
    check(page, "adoption as reuser (in progress)", found, f"{base}/adoptions/{reuse_world['bari_europa']}")
    page.get_by_role("button", name="Segna come completato").click()
    expect(page.get_by_role("heading", name="Il dispiegamento di «Ufficio Europa associato»")).to_be_visible()
    check(page, "deployment form", found)
    page.get_by_role("button", name="Salva il dispiegamento").click()
    expect(page.locator("#deployment-form .error-summary")).to_be_visible()
    expect(page.locator("#outcome-error")).to_have_text("Racconta com'è andata.")
    check(page, "deployment form with errors", found)
    check(page, "adoption as reuser (completed, confirmed)", found, f"{base}/adoptions/{reuse_world['bari_done']}")

    # Support requests as the requester, and the conversation after an htmx swap.
    check(page, "closed request as reuser", found, f"{base}/support/{reuse_world['closed']}")
    expect(page.get_by_role("button", name="Riapri la richiesta")).to_be_visible()
    check(page, "accepted request as reuser", found, f"{base}/support/{reuse_world['accepted']}")
    expect(page.locator("#conversation")).not_to_contain_text("chiedere a Cesare")  # internal notes stay internal
    check(page, "overdue request as reuser", found, f"{base}/support/{reuse_world['overdue']}")
    page.get_by_label("Messaggio").fill("Vi abbiamo mandato il tracciato per e-mail.")
    page.get_by_role("button", name="Invia il messaggio").click()
    expect(page.locator("#conversation .support-thread > li")).to_have_count(2)
    expect(page.locator("#conversation-status")).to_have_text("Messaggio inviato.")
    check(page, "conversation after htmx swap, as reuser", found)
    page.get_by_role("button", name="Invia il messaggio").click()
    expect(page.locator("#body-error")).to_have_text("Scrivi il messaggio.")
    expect(page.locator("#conversation-status")).to_contain_text("non è stato inviato")
    expect(page.get_by_label("Messaggio")).to_be_focused()
    check(page, "conversation with an error, after htmx swap", found)

    for name, path in (("outbox", "/support/outbox"), ("my adoptions", "/reuse/mine"),
                       ("reuser's organisation profile", "/organizations/comune-di-bari"),
                       ("practice overview, as reuser", f"/practices/{PRACTICE}"),
                       ("deployments tab, as reuser", f"/practices/{PRACTICE}?tab=deployments")):
        check(page, name, found, base + path)
    expect(page.locator("article", has_text="Provincia di Asti")).to_have_count(0)  # not Bari's, not confirmed

    # A visitor: the public side of practices, a confirmed adoption and the organisations.
    visitor = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900}).new_page()
    for name, path in (("practice overview, visitor", f"/practices/{PRACTICE}"),
                       ("deployments tab, visitor", f"/practices/{PRACTICE}?tab=deployments"),
                       ("confirmed adoption, visitor", f"/adoptions/{reuse_world['bari_done']}"),
                       ("donor's organisation profile, visitor", "/organizations/comune-di-chieri"),
                       ("reuser's organisation profile, visitor", "/organizations/comune-di-bari")):
        check(visitor, name, found, base + path)
    expect(visitor.get_by_text("Da riusatore a cedente")).to_be_visible()
    visitor.context.close()
    assert found == {}
    assert page.console_errors == []


def test_donor_and_supplier_pages_are_accessible(browser, page, live_server, reuse_world):
    found: dict = {}
    base = live_server
    sign_in(page, base, reuse_world["donor"])

    # The inbox with an overdue request, then narrowed by htmx to the overdue ones.
    check(page, "inbox", found, f"{base}/support/inbox")
    expect(page.locator("#box-results tr.table-danger")).to_contain_text("Importare le gare del 2025")
    # Bootstrap Italia draws the checkbox on its label, which takes the click (as it does a person's).
    page.locator("label[for=overdue]").click()
    expect(page.get_by_label("Solo quelle in ritardo (senza prima risposta)")).to_be_checked()
    expect(page.locator("#box-status")).to_have_text("1 richiesta")
    check(page, "inbox filtered by htmx", found)

    # The overdue request: accept, decline and assign forms; the decline refused without a reason.
    page.locator("#box-results").get_by_role("link", name="Importare le gare del 2025").click()
    expect(page.get_by_text("In ritardo: nessuna prima risposta")).to_be_visible()
    expect(page.get_by_role("button", name="Prendi in carico")).to_be_visible()
    expect(page.get_by_label("Assegnata a")).to_be_visible()
    check(page, "overdue request as donor", found)
    page.locator("#decline-box summary").click()  # the reason is asked only once the donor chooses to decline
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Declina la richiesta", exact=True).click()
    expect(page.locator("#reason-error")).to_contain_text("Scrivi il motivo")
    check(page, "decline refused without a reason", found)

    # The accepted request: the conversation with an internal note, after an htmx swap.
    check(page, "accepted request as donor", found, f"{base}/support/{reuse_world['accepted']}")
    expect(page.locator("#conversation")).to_contain_text("chiedere a Cesare")
    page.get_by_label("Messaggio").fill("Confermiamo il 12 marzo.")
    page.get_by_role("button", name="Invia il messaggio").click()
    expect(page.locator("#conversation .support-thread > li")).to_have_count(4)
    check(page, "conversation after htmx swap, as donor", found)
    check(page, "closed request as donor", found, f"{base}/support/{reuse_world['closed']}")

    for name, path in (("outbox of the donor", "/support/outbox"),
                       ("adoption as donor (in progress)", f"/adoptions/{reuse_world['bari_europa']}"),
                       ("adoption as donor (completed, unconfirmed)", f"/adoptions/{reuse_world['asti_done']}"),
                       ("adoption as donor (confirmed)", f"/adoptions/{reuse_world['bari_done']}"),
                       ("practice overview, as donor", f"/practices/{PRACTICE}"),
                       ("deployments tab, as donor", f"/practices/{PRACTICE}?tab=deployments"),
                       ("donor's organisation profile", "/organizations/comune-di-chieri")):
        check(page, name, found, base + path)
    page.goto(f"{base}/adoptions/{reuse_world['asti_done']}")
    expect(page.get_by_role("button", name="Conferma il riuso")).to_be_visible()
    page.goto(f"{base}/practices/{PRACTICE}?tab=deployments")
    expect(page.get_by_text(NOT_CONFIRMED)).to_have_count(1)
    expect(page.get_by_role("heading", name="Riusi dichiarati, in attesa di conferma")).to_be_visible()
    page.goto(f"{base}/practices/{PRACTICE}")
    expect(page.get_by_text("Nascosta dai cedenti")).to_be_visible()
    expect(page.get_by_role("button", name="Mostra di nuovo l'offerta di Servizi Digitali S.p.A.")).to_be_visible()
    page.goto(f"{base}/practices/{PRACTICE}/adopt")
    expect(page.get_by_role("alert")).to_contain_text("Il tuo ente è tra i cedenti di questa pratica.")
    check(page, "declare refused to the donor", found)

    # A supplier: a new offer (empty, with errors), its existing offer, the practice page it sees.
    supplier = new_person(browser, base, reuse_world["supplier"])
    check(supplier, "offer form", found, f"{base}/practices/sportello-unico-associato/offer")
    supplier.get_by_role("button", name="Pubblica l'offerta").click()
    expect(supplier.locator("#services-error")).to_have_text("Scegli almeno un servizio.")
    check(supplier, "offer form with errors", found)
    # Filled in, the offer shows on the practice page; the donor hides it there, and the public no longer sees it.
    supplier.locator("label[for=services-0]").click()  # Bootstrap Italia draws the checkbox on its label
    supplier.get_by_label("Descrizione dell'offerta").fill("Dispiegamento chiavi in mano in tre mesi.")
    supplier.get_by_role("button", name="Pubblica l'offerta").click()
    expect(supplier.get_by_text("Offerta pubblicata sulla pagina della pratica.")).to_be_visible()
    expect(supplier.locator("#offers-heading + ul")).to_contain_text("Dispiegamento chiavi in mano")
    page.goto(f"{base}/practices/sportello-unico-associato")
    page.get_by_role("button", name="Nascondi l'offerta di Software Solidale S.r.l.").click()
    expect(page.get_by_text("Offerta nascosta dalla pagina della pratica.")).to_be_visible()
    expect(page.get_by_text("Nascosta dai cedenti")).to_be_visible()
    visitor = browser.new_page()
    visitor.goto(f"{base}/practices/sportello-unico-associato")
    expect(visitor.locator("main")).not_to_contain_text("Dispiegamento chiavi in mano")
    visitor.close()
    check(supplier, "existing offer form", found, f"{base}/practices/{PRACTICE}/offer")
    expect(supplier.get_by_label("Formazione")).to_be_checked()
    check(supplier, "practice overview, as supplier", found, f"{base}/practices/{PRACTICE}")
    expect(supplier.get_by_role("link", name="Modifica la tua offerta")).to_be_visible()
    check(supplier, "supplier's organisation profile", found, f"{base}/organizations/software-solidale-s-r-l")
    supplier.context.close()
    assert found == {}
    assert supplier.console_errors == []
    assert [e for e in page.console_errors if "status of 403" not in e] == []  # the donor's refused declaration
