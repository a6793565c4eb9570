"""axe-core on every page and htmx state of questions and answers (issue 12): no serious or critical violation
(WCAG 2.1 AA), for a visitor, a member, the asker and the community's facilitator."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models.base import utcnow
from tests.conftest import index_now, make_community, make_org, make_practice, make_user, reset_search_index
from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import serious_violations
from tests.qa_world import make_answer, make_question

pytestmark = pytest.mark.e2e
COMMUNITY = "centrale-acquisti"
PRACTICE = "mensa-scolastica-condivisa"
BUSY = "Come avete scritto il capitolato della mensa scolastica?"


def check(page, name: str, found: dict, url: str | None = None) -> None:
    """axe on the page as it is now (after opening `url`, when given); what it finds is kept under `name`."""
    if url is not None:
        response = page.goto(url)
        assert response is not None and response.ok, f"{name}: {url} answered {response and response.status}"
    else:
        page.wait_for_timeout(400)  # let the buttons' colour transitions end: axe would measure a mid-way colour
    if problems := serious_violations(page):
        found[name] = problems


@pytest.fixture
def qa_site(live_app):
    """An open community with a practice of Chieri's; a busy practice question (an official answer accepted, other
    answers, comments, a hidden answer and a hidden comment after a facilitator's report, an edited answer with a
    hidden revision), a solved question, a closed one, a hidden one; indexed for search."""
    from app.models import Answer, Comment, ModerationEvent, Question, Report, Revision, Vote

    reset_search_index(live_app)
    with live_app.app_context():
        chieri = make_org("Comune di Chieri", ipa_code="c_c627")
        asti = make_org("Comune di Asti", ipa_code="c_a479", province_code="AT")
        bari = make_org("Comune di Bari", ipa_code="c_a662", region_code="16", province_code="BA")
        lecce = make_org("Comune di Lecce", ipa_code="c_e506", region_code="16", province_code="LE")
        facilitator = make_user("animatrice@asti.example.it", asti, full_name="Fabia Animatrice")
        asker = make_user("membro@bari.example.it", bari, full_name="Mario Membro")
        colleague = make_user("altra@lecce.example.it", lecce, full_name="Olga Altra")
        donor = make_user("cedente@chieri.example.it", chieri, full_name="Carla Cedente")
        community = make_community("Centrale acquisti", "open", facilitators=[facilitator],
                                   members=[asker, colleague, donor])
        practice = make_practice("Mensa scolastica condivisa", community, chieri,
                                 kit={"context": "Contesto", "costs": "Costi"})
        db.session.commit()
        busy = make_question(community.id, asker.id, title=BUSY, practice_id=practice.id, tags=("mensa", "cam"),
                             body="Dobbiamo rifare la gara: **da dove** partire?")
        official = make_answer(busy.id, donor.id, body="Noi siamo partiti dal bando tipo ANAC.")
        other = make_answer(busy.id, colleague.id, body="Anche i CAM della ristorazione collettiva.")
        hidden = make_answer(busy.id, facilitator.id, body="Risposta fuori tema.")
        for answer in (official, other):
            db.session.add(Comment(question_id=busy.id, answer_id=answer.id, author_id=asker.id,
                                   organization_id=bari.id, body="Grazie, ci è utile."))
        db.session.add(Comment(question_id=busy.id, author_id=colleague.id, organization_id=lecce.id,
                               body="Quanti lotti avete previsto?"))
        spam = Comment(question_id=busy.id, author_id=colleague.id, organization_id=lecce.id, body="Compra ora!",
                       visibility="hidden", needs_review=True, hidden_at=utcnow())
        db.session.add(spam)
        db.session.flush()
        hidden = db.session.get(Answer, hidden.id)
        hidden.visibility, hidden.needs_review, hidden.hidden_at = "hidden", True, utcnow()
        for kind, target in (("answer", hidden.id), ("comment", spam.id)):
            db.session.add(Report(community_id=community.id, question_id=busy.id, target_type=kind, target_id=target,
                                  reporter_id=facilitator.id, organization_id=asti.id, by_facilitator=True,
                                  reason="spam"))
            db.session.add(ModerationEvent(community_id=community.id, question_id=busy.id, target_type=kind,
                                           target_id=target, action="hidden_by_facilitator", actor_id=facilitator.id))
        other = db.session.get(Answer, other.id)
        other.body, other.updated_at = "Anche i CAM della ristorazione collettiva, e il DM 65/2020.", utcnow()
        db.session.add(Revision(target_type="answer", target_id=other.id, number=2, body=other.body,
                                editor_id=colleague.id))
        first = db.session.execute(db.select(Revision).where(Revision.target_type == "answer",
                                                             Revision.target_id == other.id,
                                                             Revision.number == 1)).scalar_one()
        first.hidden, first.hidden_reason, first.hidden_by_id, first.hidden_at = True, "dati personali", \
            facilitator.id, utcnow()
        busy = db.session.get(Question, busy.id)
        busy.status, busy.accepted_answer_id, busy.accepted_by_id, busy.accepted_at = "solved", official.id, \
            asker.id, utcnow()
        busy.answer_count = 2
        db.session.add(Vote(user_id=colleague.id, target_type="question", target_id=busy.id))
        db.session.add(Vote(user_id=asker.id, target_type="answer", target_id=official.id))
        busy.vote_count, db.session.get(Answer, official.id).vote_count = 1, 1
        db.session.commit()
        make_question(community.id, colleague.id, title="Quali criteri ambientali per la mensa?", tags=("cam",))
        closed = make_question(community.id, colleague.id, title="Gara mensa: duplicato della prima domanda")
        closed.status, closed.close_reason, closed.duplicate_of_id = "closed", "duplicate", busy.id
        closed.closed_by_id, closed.closed_at = facilitator.id, utcnow()
        gone = make_question(community.id, colleague.id, title="Domanda nascosta dopo le segnalazioni")
        gone.visibility, gone.needs_review, gone.hidden_at = "hidden", True, utcnow()
        db.session.commit()
        asker_comment = db.session.execute(db.select(Comment.id).where(Comment.author_id == asker.id)).scalars().first()
        ids = {"busy": busy.id, "other_answer": other.id, "hidden_answer": hidden.id, "asker_comment": asker_comment,
               "gone": gone.id, "closed": closed.id, "facilitator": facilitator.email, "asker": asker.email,
               "colleague": colleague.email}
    index_now(live_app)
    return ids


def test_visitor_pages(page, live_server, qa_site):
    found: dict = {}
    base = live_server
    for name, path in (("Domande tab", f"/communities/{COMMUNITY}/questions"),
                       ("Domande tab, solved", f"/communities/{COMMUNITY}/questions?filter=solved"),
                       ("Domande tab, tag", f"/communities/{COMMUNITY}/questions?tag=mensa"),
                       ("question page", f"/questions/{qa_site['busy']}"),
                       ("closed duplicate", f"/questions/{qa_site['closed']}"),
                       ("hidden question", f"/questions/{qa_site['gone']}"),
                       ("history", f"/questions/{qa_site['busy']}/history?post=answer:{qa_site['other_answer']}"),
                       ("Discussione tab", f"/practices/{PRACTICE}?tab=discussion"),
                       ("search with question hits", "/search?q=mensa"),
                       ("similar questions page",
                        f"/questions/similar?title=capitolato+della+mensa&community={COMMUNITY}")):
        check(page, name, found, base + path)
    # The search page really lists the questions (with their facets), not only practices.
    page.goto(f"{base}/search?q=mensa")
    expect(page.locator("#search-results").get_by_role("link", name=BUSY)).to_be_visible()
    page.locator("#search-facets").get_by_role("link", name=re.compile(r"^Risolte")).click()
    expect(page).to_have_url(re.compile(r"solved=yes"))
    expect(page.locator("#search-results").get_by_role("link", name=BUSY)).to_be_visible()
    check(page, "search, solved questions facet chosen in place", found)
    # The Domande tab as htmx leaves it: a filter chosen, then another order.
    page.goto(f"{base}/communities/{COMMUNITY}/questions")
    page.locator(".qa-filters").get_by_role("link", name="Risolte").click()
    expect(page).to_have_url(re.compile(r"filter=solved"))
    expect(page.locator("#question-list").get_by_role("link", name=BUSY)).to_be_visible()
    check(page, "Domande tab, filter chosen in place", found)
    page.locator("#sort").select_option("votes")
    expect(page).to_have_url(re.compile(r"sort=votes"))
    check(page, "Domande tab, sorted in place", found)
    # The practice's Discussione tab opened from the overview (htmx fragment into #practice-tab).
    page.goto(f"{base}/practices/{PRACTICE}")
    page.get_by_role("link", name="Discussione").first.click()
    expect(page.locator("#practice-tab").get_by_role("link", name=BUSY)).to_be_visible()
    check(page, "Discussione tab opened in place", found)
    assert found == {}


def test_member_pages_and_htmx_states(page, live_server, qa_site):
    found: dict = {}
    base = live_server
    sign_in(page, base, qa_site["asker"])  # the asker: accept controls, own edit links
    question = f"{base}/questions/{qa_site['busy']}"
    check(page, "question page (asker)", found, question)
    # The disclosures people open: a comment box, the report form.
    page.locator("#comments-question summary", has_text="Aggiungi un commento").click()
    check(page, "comment box open", found)
    page.locator("#comments-question").get_by_role("button", name="Pubblica il commento").click()
    expect(page.locator("#comments-question .invalid-feedback, #comments-question .is-invalid").first).to_be_visible()
    check(page, "comment refused (empty)", found)
    report = page.locator(f"#answer-{qa_site['other_answer']} summary", has_text="Segnala")
    report.click()
    check(page, "report form open", found)
    page.locator(f"#answer-{qa_site['other_answer']}").get_by_role("button", name="Invia la segnalazione").click()
    expect(page.locator(f"#answer-{qa_site['other_answer']} .qa-report")).to_be_visible()
    check(page, "report refused without a reason", found)
    # A vote and a follow change, in place.
    page.locator(f"#vote-answer-{qa_site['other_answer']}-button").click()
    expect(page.locator(f"#vote-answer-{qa_site['other_answer']}-button")).to_have_attribute("aria-pressed", "true")
    page.locator("#follow-muted").click()
    expect(page.locator("#follow-muted")).to_have_attribute("aria-pressed", "true")
    check(page, "after vote and follow", found)
    # Unaccept and accept again (the answers block re-rendered).
    page.get_by_role("button", name="Annulla l'accettazione").click()
    expect(page.get_by_role("button", name="Accetta questa risposta").first).to_be_visible()
    check(page, "after unaccept", found)
    for name, path in (("edit question", f"/questions/{qa_site['busy']}/edit"),
                       ("edit comment", f"/questions/{qa_site['busy']}/comments/{qa_site['asker_comment']}/edit"),
                       ("history (member)", f"/questions/{qa_site['busy']}/history"),
                       ("my questions", "/questions/mine"),
                       ("my questions, answered", "/questions/mine?tab=answered"),
                       ("my questions, followed", "/questions/mine?tab=followed"),
                       ("dashboard with my questions", "/dashboard"),
                       ("Domande tab (member)", f"/communities/{COMMUNITY}/questions"),
                       ("Discussione tab (member)", f"/practices/{PRACTICE}?tab=discussion"),
                       ("notifications", "/notifications/")):
        check(page, name, found, base + path)
    # "Le mie domande": another tab, in place.
    page.goto(f"{base}/questions/mine")
    page.locator("#my-questions").get_by_role("link", name="Con una mia risposta").click()
    expect(page).to_have_url(re.compile(r"tab=answered"))
    check(page, "my questions, tab chosen in place", found)
    # The edit form refused (empty body): errors at the field.
    page.goto(f"{base}/questions/{qa_site['busy']}/edit")
    page.get_by_label("Dettagli").fill("")
    page.get_by_role("button", name="Salva le modifiche").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    check(page, "edit refused", found)
    assert found == {}


def test_ask_form_with_preview_and_similar_questions(page, live_server, qa_site):
    found: dict = {}
    sign_in(page, live_server, qa_site["colleague"])
    check(page, "ask form", found, f"{live_server}/communities/{COMMUNITY}/questions/new")
    page.get_by_label("Titolo della domanda").press_sequentially("Capitolato della mensa scolastica", delay=10)
    expect(page.locator("#similar-questions").get_by_role("link", name=BUSY)).to_be_visible()
    page.get_by_label("Dettagli").fill("Un testo con **grassetto** e una lista:\n\n- uno\n- due")
    page.get_by_role("button", name="Anteprima").click()
    expect(page.locator("strong", has_text="grassetto").first).to_be_visible()
    check(page, "ask form with preview and similar box", found)
    page.get_by_label("Dettagli").fill("")
    page.get_by_label("Titolo della domanda").fill("")
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    check(page, "ask form refused", found)
    check(page, "practice ask form", found,
          f"{live_server}/communities/{COMMUNITY}/questions/new?practice={PRACTICE}")
    assert found == {}


def test_facilitator_pages(page, live_server, qa_site):
    found: dict = {}
    base = live_server
    sign_in(page, base, qa_site["facilitator"])
    question = f"{base}/questions/{qa_site['busy']}"
    check(page, "question page (facilitator: hidden content, tools)", found, question)
    page.locator("#close-box summary").click()
    check(page, "close form open", found)
    page.locator("#close-form").get_by_role("button", name="Chiudi la domanda").click()
    expect(page.locator("#close-form .invalid-feedback").first).to_be_visible()
    check(page, "close refused without a reason", found)
    check(page, "hidden question (facilitator)", found, f"{base}/questions/{qa_site['gone']}")
    history = f"{base}/questions/{qa_site['busy']}/history?post=answer:{qa_site['other_answer']}"
    check(page, "history with a hidden revision (facilitator)", found, history)
    check(page, "edit of one's own hidden answer", found,
          f"{base}/questions/{qa_site['busy']}/answers/{qa_site['hidden_answer']}/edit")
    check(page, "review queue", found, f"{base}/communities/{COMMUNITY}/questions/review")
    check(page, "community home with the queue link", found, f"{base}/communities/{COMMUNITY}")
    # A decision in place: the queue re-rendered.
    page.goto(f"{base}/communities/{COMMUNITY}/questions/review")
    page.get_by_role("button", name="Ripristina").first.click()
    expect(page.locator("#review-queue")).to_be_visible()
    check(page, "review queue after a decision", found)
    assert found == {}
