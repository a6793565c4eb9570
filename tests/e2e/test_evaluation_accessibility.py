"""axe-core on every page and htmx state of the evaluation (issue 13): no serious or critical violation (WCAG 2.1
AA). The site is the demo (app/demo/evaluation.py): a call in each phase, candidacies, conflicts, reviews, published
decisions, self-assessments; each person sees it as they would."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.demo.data import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from tests.conftest import index_now, reset_search_index
from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import serious_violations

pytestmark = pytest.mark.e2e
OPEN = "buone-pratiche-per-la-transizione-digitale-2027"
REVIEW = "premio-per-la-collaborazione-tra-enti-2026"
DECIDED = "buone-pratiche-di-innovazione-amministrativa-2026"
EUROPA = "Ufficio Europa associato della Bassa Reggiana"
CENTRALE = "Centrale unica di committenza dei Comuni del Chierese"
CRUSCOTTO = "Cruscotto degli indicatori di valore pubblico"
FORMAZIONE = "Piano di formazione condiviso sulle competenze digitali"


@pytest.fixture
def demo(live_app) -> dict:
    """The demo loaded in the live server's database, indexed; the ids the pages need."""
    from app.demo.loader import load_demo
    from app.models import Assignment, AssessmentTemplate, Candidacy, EvaluationCall, Practice, SelfAssessment, User

    reset_search_index(live_app)
    with live_app.app_context():
        load_demo()
        calls = {c.slug: c.id for c in db.session.execute(select(EvaluationCall)).scalars()}
        ids = {}
        for candidacy in db.session.execute(select(Candidacy)).scalars():
            slug = next(s for s, i in calls.items() if i == candidacy.call_id)
            ids[(slug, candidacy.practice.title)] = candidacy.id
        people = {u.email.split("@")[0]: u.id for u in db.session.execute(select(User)).scalars()}
        assignments = {(a.candidacy_id, a.user_id): a.id for a in db.session.execute(select(Assignment)).scalars()}
        assessments = {a.title: a.id for a in db.session.execute(select(SelfAssessment)).scalars()}
        practices = {p.title: p.slug for p in db.session.execute(select(Practice)).scalars()}
        template = db.session.execute(select(AssessmentTemplate.id)).scalars().first()
    index_now(live_app)
    return {"candidacy": ids, "people": people, "assignment": assignments, "assessment": assessments,
            "practice": practices, "template": template}


def refused(page):
    """What a refused form shows: a message at a field, or an alert in the page's content."""
    return page.locator("main").locator(".invalid-feedback, [aria-invalid='true'], .alert-danger:not([hidden])").first


def email(name: str) -> str:
    return f"{name}@{DEMO_EMAIL_DOMAIN}"


def become(page, base: str, name: str) -> None:
    """Sign in as a demo person (signed out of anyone before)."""
    page.context.clear_cookies()
    sign_in(page, base, email(name), DEMO_PASSWORD)


class Checker:
    """Runs axe on pages and states; what it finds (and any page that does not open) is kept by name."""

    def __init__(self, page, base: str):
        self.page, self.base, self.found = page, base, {}

    def url(self, name: str, path: str) -> None:
        response = self.page.goto(self.base + path)
        if response is None or not response.ok:
            self.found[name] = f"{path} answered {response and response.status}"
            return
        self.state(name, wait=False)

    def state(self, name: str, wait: bool = True) -> None:
        if wait:
            self.page.wait_for_timeout(400)  # let htmx settle and the colour transitions end
        if problems := serious_violations(self.page):
            self.found[name] = problems

    def done(self) -> None:
        assert self.found == {}
        assert self.page.console_errors == []


def test_visitor_pages(page, live_server, demo):
    check = Checker(page, live_server)
    for name, path in (("calls list", "/evaluation/"), ("open call", f"/evaluation/calls/{OPEN}"),
                       ("call under review", f"/evaluation/calls/{REVIEW}"),
                       ("decided call", f"/evaluation/calls/{DECIDED}"),
                       ("results", f"/evaluation/calls/{DECIDED}/results"),
                       ("archive with badges", "/practices/"),
                       ("recognised practice", f"/practices/{demo['practice'][CENTRALE]}"),
                       ("search, recognised filter", "/search?recognised=yes")):
        check.url(name, path)
    check.done()


def test_candidate_pages_and_states(page, live_server, demo):
    check = Checker(page, live_server)
    become(page, live_server, "referente.matera")
    submitted = demo["candidacy"][(OPEN, CRUSCOTTO)]
    latest, earlier = demo["assessment"]["Autovalutazione CAF 2026"], demo["assessment"]["Autovalutazione CAF 2025"]
    for name, path in (("my candidacies", "/evaluation/mine"),
                       ("submitted candidacy with shared items", f"/evaluation/candidacies/{submitted}"),
                       ("share items", f"/evaluation/candidacies/{submitted}/share"),
                       ("feedback report", f"/evaluation/candidacies/{demo['candidacy'][(DECIDED, CRUSCOTTO)]}"
                                           "/feedback"),
                       ("practice page with its candidacy", f"/practices/{demo['practice'][CRUSCOTTO]}"),
                       ("self-assessments", "/evaluation/self-assessment/"),
                       ("new self-assessment", "/evaluation/self-assessment/new"),
                       ("closed self-assessment", f"/evaluation/self-assessment/{earlier}"),
                       ("closed item", f"/evaluation/self-assessment/{earlier}/items/4.4"),
                       ("improvement plan", f"/evaluation/self-assessment/{latest}/plan"),
                       ("comparison over time", "/evaluation/self-assessment/compare"),
                       ("open self-assessment", f"/evaluation/self-assessment/{latest}"),
                       ("open item", f"/evaluation/self-assessment/{latest}/items/9.1")):
        check.url(name, path)
    # htmx states of an item: one's own score saved in place; a consensus out of range refused at its field.
    own = page.locator("#own-score")
    own.locator("#score").fill("75")
    own.get_by_role("button", name="Salva il mio punteggio").click()
    expect(own.get_by_role("status")).to_be_visible()
    check.state("own score saved (htmx)")
    box = page.locator("#consensus-box")
    box.locator("summary").click()
    box.locator("#consensus-score").fill("180")
    box.get_by_role("button", name="Salva il consenso").click()
    expect(box.locator(".invalid-feedback").first).to_be_visible()
    check.state("consensus refused (htmx 422)")
    check.done()


def test_draft_candidacy_form_states(page, live_server, demo):
    check = Checker(page, live_server)
    become(page, live_server, "referente.bologna")
    draft = demo["candidacy"][(OPEN, FORMAZIONE)]
    check.url("draft candidacy", f"/evaluation/candidacies/{draft}")
    check.url("edit the draft", f"/evaluation/candidacies/{draft}/edit")
    page.get_by_role("button", name="Salva e invia").click()  # half the fields are empty: refused in place
    expect(refused(page)).to_be_visible()
    check.state("sending an incomplete draft (htmx 422)")
    become(page, live_server, "referente.bassareggiana")
    check.url("new candidacy", f"/evaluation/calls/{OPEN}/candidacies/new?practice={demo['practice'][EUROPA]}")
    check.done()


def test_reviewer_pages_and_states(page, live_server, demo):
    check = Checker(page, live_server)
    become(page, live_server, "martina.rossi")
    centrale = demo["candidacy"][(REVIEW, CENTRALE)]
    todo = demo["assignment"][(centrale, demo["people"]["martina.rossi"])]
    check.url("reviewer dashboard", "/evaluation/reviewer")
    item = page.locator(f"#assignment-{todo}")
    item.locator("summary").click()
    item.get_by_role("button", name="Declina").click()  # no reason given: refused at the field
    expect(page.locator(f"#assignment-{todo}").locator("[aria-invalid='true']")).to_be_visible()
    check.state("declining without a reason (htmx 422)")
    check.url("preferences", f"/evaluation/calls/{REVIEW}/preferences")
    if page.get_by_role("button", name="Salva le preferenze").count():
        page.get_by_role("button", name="Salva le preferenze").click()
        check.state("preferences saved (htmx)")
    for name, path in (("candidacy for the commission", f"/evaluation/candidacies/{centrale}"),
                       ("declare a conflict", f"/evaluation/candidacies/{centrale}/conflict"),
                       ("review form", f"/evaluation/assignments/{todo}/review")):
        check.url(name, path)
    group = page.get_by_role("group").filter(has_text="Innovazione").first
    group.locator("label[for$='-4']").click()
    page.wait_for_timeout(300)
    check.state("a score given: the live total (htmx)")
    page.get_by_role("button", name="Invia la valutazione").click()
    expect(refused(page)).to_be_visible()
    check.state("an incomplete review sent (htmx 422)")
    rete = demo["candidacy"][(REVIEW, "Rete dei punti di facilitazione digitale")]
    check.url("the commission's reviews, after one's own", f"/evaluation/candidacies/{rete}/reviews")
    become(page, live_server, "matteo.grasselli")  # not attested for the open call yet
    check.url("attestation", f"/evaluation/calls/{OPEN}/attest")
    check.done()


def test_chair_pages_and_states(page, live_server, demo):
    check = Checker(page, live_server)
    become(page, live_server, "laura.bernardi")
    europa = demo["candidacy"][(REVIEW, EUROPA)]
    decided = demo["candidacy"][(DECIDED, FORMAZIONE)]
    for name, path in (("call settings", f"/evaluation/calls/{REVIEW}/edit"),
                       ("criteria", f"/evaluation/calls/{OPEN}/criteria"),
                       ("commission", f"/evaluation/calls/{OPEN}/commission"),
                       ("audit log", f"/evaluation/calls/{REVIEW}/audit"),
                       ("board with a disagreement", f"/evaluation/calls/{REVIEW}/board"),
                       ("reviews of a candidacy", f"/evaluation/candidacies/{europa}/reviews"),
                       ("decided board", f"/evaluation/calls/{DECIDED}/board"),
                       ("published decision", f"/evaluation/candidacies/{decided}/decision")):
        check.url(name, path)
    check.url("discussion", f"/evaluation/candidacies/{europa}/discussion")
    page.get_by_label("Messaggio").first.fill("Ne parliamo alla riunione di giovedì.")
    page.get_by_role("button", name="Pubblica il messaggio").first.click()
    expect(page.get_by_text("Ne parliamo alla riunione di giovedì.").first).to_be_visible()
    check.state("a message posted (htmx)")
    check.url("assignments", f"/evaluation/calls/{REVIEW}/assignments")
    page.get_by_role("button", name="Assegna automaticamente").click()
    check.state("automatic assignment (htmx)")
    check.done()


def test_administrator_pages(page, live_server, demo):
    check = Checker(page, live_server)
    become(page, live_server, "admin")
    for name, path in (("new call", "/evaluation/calls/new"), ("templates", "/evaluation/templates"),
                       ("template", f"/evaluation/templates/{demo['template']}")):
        check.url(name, path)
    check.url("new call again", "/evaluation/calls/new")
    page.locator("main form[method=post] button[type=submit]").last.click()  # nothing filled: refused at the fields
    expect(refused(page)).to_be_visible()
    check.state("new call refused (422)")
    check.done()


def test_chair_conflicts_page(page, live_server, demo):
    check = Checker(page, live_server)
    become(page, live_server, "laura.bernardi")
    check.url("conflicts, with the chair's own to hand to a deputy", f"/evaluation/calls/{REVIEW}/conflicts")
    page.get_by_role("button", name="Rileva i conflitti").click()
    page.wait_for_load_state()
    check.state("conflicts detected again")
    check.done()
