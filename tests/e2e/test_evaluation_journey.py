"""The evaluation in a real browser (issue 13, "End-to-end in Chromium"): a referent fills a self-assessment and
submits a candidacy attaching two chosen items; the chair assigns reviewers (a computed conflict is refused); two
reviewers score (the second sees the first's scores only after submitting); the chair decides and publishes; the
candidate reads the feedback report; the badge appears in the archive and in search.

The whole journey runs once through the pages only (the chair moves the call from phase to phase); each stage also
runs on its own from the state the previous one leaves (written with tests/evaluation_world.py), so a page that goes
missing skips only the stages that go through it. axe checks the states the journey passes through.

STAGE_PAGES lists the endpoints each stage goes through."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests.conftest import index_now, reset_search_index
from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import serious_violations
from tests.evaluation_world import assign, make_candidacy, make_review, set_phase

pytestmark = pytest.mark.e2e
CALL = "premio-buone-pratiche-2026"
PRACTICE = "Sportello unico digitale"


@pytest.fixture
def app(live_app):
    """The evaluation world (tests/evaluation_world.py) is built in the live server's application."""
    return live_app


def new_person(browser, base: str, email: str):
    """Another person in a browser context of their own, signed in."""
    context = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900})
    person = context.new_page()
    person.set_default_timeout(10_000)
    person.console_errors = []
    person.on("console", lambda m: person.console_errors.append(m.text)
              if m.type == "error" and "status of 422" not in m.text else None)
    sign_in(person, base, email)
    return person


def needs(live_app, *endpoints: str) -> None:
    """Skip the stage when a page it goes through does not exist yet (never a fake pass)."""
    missing = [each for each in endpoints if each not in live_app.view_functions]
    if missing:
        pytest.skip(f"page missing: {', '.join(missing)}")


def axe(page, name: str, found: dict) -> None:
    """axe-core on the page as it is now: serious or critical violations are kept under `name`."""
    page.wait_for_timeout(400)  # let htmx settle and the colour transitions end
    if problems := serious_violations(page):
        found[name] = problems


def load_caf(live_app) -> None:
    from app.evaluation.caf import load_caf as load

    with live_app.app_context():
        load()


STAGE_PAGES = {
    "candidacy": ("evaluation.new_self_assessment", "evaluation.self_score", "evaluation.self_consensus",
                  "evaluation.call", "evaluation.new_candidacy", "evaluation.share_items",
                  "evaluation.candidacy_action"),
    "assignment": ("evaluation.conflicts", "evaluation.conflict_decide", "evaluation.assignments"),
    "review": ("evaluation.review", "evaluation.review_total", "evaluation.reviews"),
    "decision": ("evaluation.decision", "evaluation.call_phase", "evaluation.feedback", "practices.archive"),
}
CRITERIA = ("Innovazione", "Impatto e risultati", "Coinvolgimento dei portatori di interesse", "Rilevanza",
            "Sostenibilità", "Trasferibilità")
CODES = ("innovation", "impact", "engagement", "relevance", "sustainability", "transferability")
MOTIVATION = "Risultati misurati e un KIT completo: un modello per gli sportelli dei Comuni."


def submitted_candidacy(live_app, eworld, phase: str = "review") -> int:
    with live_app.app_context():
        candidacy_id = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id).id
    set_phase(live_app, eworld.call.id, phase)
    return candidacy_id


def assignment_ids(live_app, candidacy_id: int) -> dict[int, int]:
    from app.models import Assignment

    with live_app.app_context():
        return {a.user_id: a.id for a in db.session.execute(db.select(Assignment).where(
            Assignment.candidacy_id == candidacy_id)).scalars()}


def move_call(person, base: str, *buttons: str) -> None:
    """The chair moves the call on from its page, one step per button (htmx swaps the phase box)."""
    person.goto(f"{base}/evaluation/calls/{CALL}")
    for label in buttons:
        person.get_by_role("button", name=label).click()
        expect(person.get_by_role("button", name=label)).to_have_count(0)


def closed(*people) -> None:
    for person in people:
        assert person.console_errors == [], person.console_errors
        person.context.close()


# ---- the stages -----------------------------------------------------------------------------------------------

def referent_candidates(browser, base: str, live_app, eworld, found: dict) -> int:
    """A self-assessment item scored, two consensus values, a candidacy with those two items shared, sent."""
    load_caf(live_app)
    page = new_person(browser, base, eworld.candidate_referent.email)
    page.goto(f"{base}/evaluation/self-assessment/new")
    page.get_by_label("Titolo").fill("Autovalutazione CAF 2026")
    page.get_by_label("Data dell'autovalutazione").fill("2026-11-20")
    page.get_by_role("button", name="Crea l'autovalutazione").click()
    expect(page).to_have_url(re.compile(r"/evaluation/self-assessment/\d+$"))
    assessment_url = page.url
    page.get_by_role("link", name=re.compile(r"^4\.4 ")).click()
    expect(page).to_have_url(re.compile(r"/items/4\.4$"))
    own = page.locator("#own-score")
    own.locator("#score").fill("60")
    own.locator("#strengths").fill("Catalogo dei dati pubblicato.")
    own.get_by_role("button", name="Salva il mio punteggio").click()
    expect(own.get_by_role("status")).to_be_visible()
    for code, value, strength in (("4.4", "65", "Ogni banca dati ha una persona responsabile."),
                                  ("9.1", "70", "Indicatori di valore pubblico pubblicati ogni trimestre.")):
        page.goto(f"{assessment_url}/items/{code}")
        box = page.locator("#consensus-box")
        box.locator("summary").click()
        box.locator("#consensus-score").fill(value)
        box.locator("#consensus-strengths").fill(strength)
        box.get_by_role("button", name="Salva il consenso").click()
        expect(box.get_by_role("status")).to_contain_text("consenso è salvato")
        expect(box.locator("p", has_text=strength)).to_be_visible()
    axe(page, "item with its consensus (htmx)", found)
    # The candidacy: from the call's page, the practice chosen; saved as a draft.
    page.goto(f"{base}/evaluation/calls/{CALL}")
    page.get_by_label("Pratica da candidare").select_option(label=PRACTICE)
    page.get_by_role("button", name="Candida una pratica").click()
    expect(page).to_have_url(re.compile(r"/candidacies/new"))
    page.get_by_label("Categoria").select_option(label="Trasformazione digitale")
    texts = {"Perché è una buona pratica": "Riduce i tempi dei permessi da 60 a 15 giorni.",
             "Metodi e processi": "Analisi dei processi e sportello online.",
             "Risultati e loro evidenze": "Tempi medi ridotti del 75%.",
             "Risorse impiegate": "Due persone per sei mesi.",
             "Trasferibilità": "KIT pubblicato con la modulistica.",
             "Contatti": "Ufficio SUAP, suap@chieri.example.it"}
    for label, text in texts.items():
        page.get_by_label(label, exact=True).fill(text)
    page.get_by_role("button", name="Salva la bozza").click()
    expect(page).to_have_url(re.compile(r"/evaluation/candidacies/\d+$"))
    candidacy_url = page.url
    # Two chosen items of the assessment attached (copies of the consensus), then the candidacy sent.
    page.get_by_role("link", name="Scegli le voci dell'autovalutazione da condividere").click()
    for code in ("4.4", "9.1"):  # Bootstrap Italia draws the box on the label: a person clicks the label
        page.locator(f'label[for="item-{code}"]').click()
        expect(page.locator(f'[id="item-{code}"]')).to_be_checked()
    page.get_by_role("button", name="Condividi le voci scelte").click()
    expect(page.get_by_role("region", name="Voci già condivise").get_by_text("4.4").first).to_be_visible()
    axe(page, "items shared", found)
    page.goto(candidacy_url)
    expect(page.locator(".shared-item")).to_have_count(2)
    page.get_by_role("button", name="Invia la candidatura").click()
    expect(page.get_by_text("Inviata").first).to_be_visible()
    axe(page, "candidacy sent (htmx)", found)
    closed(page)
    with live_app.app_context():
        from app.models import Candidacy

        candidacy = db.session.execute(db.select(Candidacy)).scalar_one()
        assert candidacy.status == "submitted"
        assert candidacy.snapshot["fields"]["results"] == texts["Risultati e loro evidenze"]
        assert sorted(item.item_code for item in candidacy.shared_items) == ["4.4", "9.1"]
        assert {item.content["score"] for item in candidacy.shared_items} == {65, 70}
        return candidacy.id


def chair_assigns(browser, base: str, live_app, eworld, candidacy_id: int, found: dict) -> None:
    """Conflicts computed (Torino has adopted the practice) and confirmed; two reviewers assigned; the
    conflicted one has no button, and a forged request for them is refused."""
    page = new_person(browser, base, eworld.chair.email)
    page.goto(f"{base}/evaluation/calls/{CALL}/conflicts")
    page.get_by_role("button", name="Rileva i conflitti").click()
    # The detection swaps the list in: wait for its message, or the next click may land on a button being replaced.
    expect(page.get_by_text(re.compile("Conflitti rilevati"))).to_be_visible()
    conflicted = eworld.reviewer_conflicted.name
    page.get_by_role("button", name=f"Conferma — {conflicted}").click()
    expect(page.get_by_role("row", name=re.compile(conflicted)).get_by_text("Confermato")).to_be_visible()
    axe(page, "conflict confirmed (htmx)", found)
    page.goto(f"{base}/evaluation/calls/{CALL}/assignments")
    cell = page.locator(f"#cell-{candidacy_id}-{eworld.reviewer_conflicted.id}")
    expect(cell).to_contain_text("In conflitto")
    expect(cell.get_by_role("button")).to_have_count(0)
    for person in (eworld.reviewer, eworld.reviewer_unassigned):
        page.get_by_role("button", name=f"Assegna — {person.name}").click()
        expect(page.get_by_role("button", name=f"Togli — {person.name}")).to_be_visible()
    axe(page, "reviewers assigned (htmx)", found)
    token = page.locator("#assignment-matrix input[name=csrf_token]").first.input_value()
    response = page.request.post(f"{base}/evaluation/calls/{CALL}/assignments", form={
        "csrf_token": token, "candidacy": str(candidacy_id), "reviewer": str(eworld.reviewer_conflicted.id)})
    assert response.status == 422 and "conflitt" in response.text()
    closed(page)
    assert set(assignment_ids(live_app, candidacy_id)) == {eworld.reviewer.id, eworld.reviewer_unassigned.id}


def score(page, values: dict[str, int], confidence: str, comment: str, total: str) -> None:
    """Fill the review form: a score and a motivation per criterion (the weighted total follows live), the
    confidence, the comment; then submit."""
    for title, value in values.items():
        group = page.get_by_role("group", name=re.compile(rf"^{re.escape(title)} \("))
        group.locator(f"label[for$='-{value}']").click()  # the anchored scale: a radio per value
        page.get_by_label(f"Motivazione: {title}", exact=True).fill(f"{title}: elementi documentati.")
    page.locator("label[for^='confidence-']", has_text=confidence).click()
    expect(page.locator("#review-total")).to_contain_text(total)  # computed as the scores are given (htmx)
    page.get_by_label("Commento complessivo").fill(comment)
    page.get_by_role("button", name="Invia la valutazione").click()
    expect(page).to_have_url(re.compile(r"/evaluation/candidacies/\d+/reviews$"))  # sent: on to the reviews


def reviewers_score(browser, base: str, live_app, eworld, candidacy_id: int, found: dict) -> None:
    """The first reviewer scores (the total computed live); the second cannot read it until their own is in."""
    assignments = assignment_ids(live_app, candidacy_id)
    first = new_person(browser, base, eworld.reviewer.email)
    first.goto(f"{base}/evaluation/assignments/{assignments[eworld.reviewer.id]}/review")
    axe(first, "review form", found)
    score(first, dict(zip(CRITERIA, (4, 5, 4, 4, 3, 5))), "Alta", "Pratica solida, KIT completo.", "4,17")
    expect(first.get_by_text(re.compile(r"4,17|4\.17")).first).to_be_visible()  # the weighted total, computed
    axe(first, "review submitted: the reviews page", found)
    second = new_person(browser, base, eworld.reviewer_unassigned.email)
    reviews = second.goto(f"{base}/evaluation/candidacies/{candidacy_id}/reviews")
    assert reviews.status in (403, 404) or "Pratica solida" not in second.content()
    second.console_errors.clear()  # that refusal was expected
    second.goto(f"{base}/evaluation/assignments/{assignments[eworld.reviewer_unassigned.id]}/review")
    assert "Pratica solida" not in second.content()
    score(second, dict(zip(CRITERIA, (2, 3, 2, 3, 2, 2))), "Intermedia", "Risultati poco documentati.", "2,33")
    expect(second.get_by_text("Pratica solida, KIT completo.")).to_be_visible()  # now, and only now
    expect(second.get_by_text(re.compile(r"2,33|2\.33")).first).to_be_visible()
    axe(second, "the commission's reviews", found)
    closed(first, second)
    with live_app.app_context():
        from app.models import Review

        totals = sorted(r.total for r in db.session.execute(db.select(Review)).scalars())
    assert totals == pytest.approx([14 / 6, 25 / 6])


def chair_decides(browser, base: str, live_app, eworld, candidacy_id: int, found: dict) -> None:
    """The decision recorded and published; the candidate reads the feedback; the badge in the archive and search."""
    page = new_person(browser, base, eworld.chair.email)
    page.goto(f"{base}/evaluation/candidacies/{candidacy_id}/decision")
    axe(page, "decision form", found)
    page.get_by_label("Sintesi della commissione").fill("Valutazioni alte e concordi.")
    page.get_by_label("Esito proposto").select_option("recognised")
    page.get_by_label("Esito finale").select_option("recognised")
    page.get_by_label("Motivazione dell'esito").fill(MOTIVATION)
    page.get_by_role("button", name="Salva", exact=True).click()
    page.wait_for_timeout(300)
    axe(page, "decision saved (htmx)", found)
    move_call(page, base, "Pubblica gli esiti")
    expect(page.get_by_text("Esiti pubblicati").first).to_be_visible()
    axe(page, "decisions published (htmx)", found)
    candidate = new_person(browser, base, eworld.candidate_referent.email)
    candidate.goto(f"{base}/evaluation/candidacies/{candidacy_id}/feedback")
    expect(candidate.get_by_text(MOTIVATION)).to_be_visible()
    body = candidate.content()
    assert eworld.reviewer.name not in body and eworld.reviewer_unassigned.name not in body  # never their names
    axe(candidate, "feedback report", found)
    candidate.goto(f"{base}/practices/")
    card = candidate.locator(".card", has_text=PRACTICE).first
    expect(card.locator(".recognition-badge")).to_contain_text("Buona pratica riconosciuta")
    index_now(live_app)
    candidate.goto(f"{base}/search?q=sportello")
    expect(candidate.get_by_text("Buone pratiche riconosciute").first).to_be_visible()  # the facet
    candidate.goto(f"{base}/search?recognised=yes")
    expect(candidate.get_by_role("link", name=PRACTICE).first).to_be_visible()
    closed(page, candidate)


# ---- the tests ------------------------------------------------------------------------------------------------

def test_the_whole_journey_through_the_pages(browser, page, live_server, live_app, eworld):
    needs(live_app, *(each for pages in STAGE_PAGES.values() for each in pages))
    reset_search_index(live_app)
    found: dict = {}
    candidacy_id = referent_candidates(browser, live_server, live_app, eworld, found)
    chair = new_person(browser, live_server, eworld.chair.email)
    move_call(chair, live_server, "Chiudi le candidature", "Avvia la valutazione")
    chair_assigns(browser, live_server, live_app, eworld, candidacy_id, found)
    reviewers_score(browser, live_server, live_app, eworld, candidacy_id, found)
    move_call(chair, live_server, "Avvia la fase di consenso")
    closed(chair)
    chair_decides(browser, live_server, live_app, eworld, candidacy_id, found)
    assert found == {}


def test_referent_self_assessment_then_candidacy_with_two_items(browser, page, live_server, live_app, eworld):
    needs(live_app, *STAGE_PAGES["candidacy"])
    found: dict = {}
    referent_candidates(browser, live_server, live_app, eworld, found)
    assert found == {}


def test_chair_assigns_reviewers_and_a_computed_conflict_is_refused(browser, page, live_server, live_app, eworld):
    needs(live_app, *STAGE_PAGES["assignment"])
    found: dict = {}
    chair_assigns(browser, live_server, live_app, eworld, submitted_candidacy(live_app, eworld), found)
    assert found == {}


def test_two_reviewers_score_the_second_sees_the_first_only_after(browser, page, live_server, live_app, eworld):
    needs(live_app, *STAGE_PAGES["review"])
    candidacy_id = submitted_candidacy(live_app, eworld)
    with live_app.app_context():
        for person in (eworld.reviewer, eworld.reviewer_unassigned):
            assign(candidacy_id, person.id, by_id=eworld.chair.id)
    found: dict = {}
    reviewers_score(browser, live_server, live_app, eworld, candidacy_id, found)
    assert found == {}


def test_chair_decides_publishes_candidate_reads_feedback_badge_everywhere(browser, page, live_server, live_app,
                                                                          eworld):
    needs(live_app, *STAGE_PAGES["decision"])
    reset_search_index(live_app)
    candidacy_id = submitted_candidacy(live_app, eworld)
    with live_app.app_context():
        for person, values in ((eworld.reviewer, (4, 5, 4, 4, 3, 5)), (eworld.reviewer_unassigned, (4, 4, 4, 5, 4, 4))):
            assignment = assign(candidacy_id, person.id, by_id=eworld.chair.id)
            make_review(assignment.id, dict(zip(CODES, values)), comment=f"Commento di {person.name}.")
    set_phase(live_app, eworld.call.id, "consensus")
    found: dict = {}
    chair_decides(browser, live_server, live_app, eworld, candidacy_id, found)
    assert found == {}
