"""Questions and answers in a real browser (issue 12): a member asks (the similar-questions box offers a solved
question), a colleague answers and comments in place, the asker hears of it through the bell and accepts; a
facilitator's report hides a comment and the facilitator restores it from the review queue."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests.conftest import index_now, make_community, make_org, make_user, reset_search_index
from tests.e2e.conftest import sign_in
from tests.qa_world import make_answer, make_question

pytestmark = pytest.mark.e2e

COMMUNITY = "centrale-acquisti"
SOLVED = "Come avete scritto il capitolato della mensa scolastica?"
TITLE = "Capitolato per la mensa scolastica con i criteri ambientali minimi"
ANSWER = "Abbiamo usato il bando tipo ANAC e i CAM della ristorazione collettiva."
COMMENT = "Ci mandate anche la tabella dei punteggi tecnici?"


@pytest.fixture
def qa_people(live_app):
    """An open community: its facilitator (Asti), the asker (Bari), a colleague who answers (Lecce), and a question
    on school canteens that a veteran (Chieri) asked and the colleague's answer solved, in the search index."""
    reset_search_index(live_app)  # the tables were emptied after the last test: the index must follow
    with live_app.app_context():
        asti = make_org("Comune di Asti", ipa_code="c_a479", province_code="AT")
        bari = make_org("Comune di Bari", ipa_code="c_a662", region_code="16", province_code="BA")
        lecce = make_org("Comune di Lecce", ipa_code="c_e506", region_code="16", province_code="LE")
        chieri = make_org("Comune di Chieri", ipa_code="c_c627")
        facilitator = make_user("animatrice@asti.example.it", asti, full_name="Fabia Animatrice")
        asker = make_user("membro@bari.example.it", bari, full_name="Mario Membro")
        colleague = make_user("altra@lecce.example.it", lecce, full_name="Olga Altra")
        veteran = make_user("veterana@chieri.example.it", chieri, full_name="Vera Veterana")
        community = make_community("Centrale acquisti", "open", facilitators=[facilitator],
                                   members=[asker, colleague, veteran])
        db.session.commit()
        solved = make_question(community.id, veteran.id, title=SOLVED, tags=("mensa",),
                               body="Dobbiamo rifare la gara della mensa scolastica: da dove partire?")
        answer = make_answer(solved.id, colleague.id, body="Partite dal bando tipo ANAC e dai CAM.")
        emails = {"facilitator": facilitator.email, "asker": asker.email, "colleague": colleague.email}
        solved.status, solved.accepted_answer_id = "solved", answer.id
        solved.accepted_by_id, solved.accepted_at = veteran.id, answer.created_at
        db.session.commit()
    index_now(live_app)
    return emails


def new_person(browser, base: str, email: str):
    """Another person in a browser context of their own, signed in, console errors recorded as the fixture does."""
    context = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900})
    person = context.new_page()
    person.set_default_timeout(10_000)
    person.console_errors = []
    person.on("console", lambda m: person.console_errors.append(m.text)
              if m.type == "error" and "status of 422" not in m.text else None)
    sign_in(person, base, email)
    return person


def mark_page(page) -> None:
    """A flag that a full page load would lose: checked after in-place updates."""
    page.evaluate("window.__qaSamePage = true")


def still_same_page(page) -> bool:
    return page.evaluate("window.__qaSamePage === true")


def test_ask_answer_comment_accept_notify_report_restore(browser, page, live_server, qa_people):
    # 1. The asker opens the community's questions and asks; the similar box offers the solved question.
    sign_in(page, live_server, qa_people["asker"])
    page.goto(f"{live_server}/communities/{COMMUNITY}")
    page.get_by_role("link", name="Domande").first.click()
    expect(page).to_have_url(re.compile(rf"/communities/{COMMUNITY}/questions"))
    page.get_by_role("link", name="Fai una domanda").first.click()
    title = page.get_by_label("Titolo della domanda")
    title.press_sequentially(TITLE, delay=10)
    similar = page.locator("#similar-questions")
    expect(similar.get_by_role("link", name=SOLVED)).to_be_visible()
    expect(similar).to_contain_text("Risolta")
    page.get_by_label("Dettagli").fill("Stiamo preparando la gara: come avete pesato i **criteri ambientali**?")
    page.get_by_label("Etichette").fill("mensa, CAM")
    page.locator("main form button[type=submit]", has_text=re.compile("Pubblica|Invia|Fai la domanda")).last.click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    question_url = page.url.split("#")[0]
    assert re.search(r"/questions/\d+", question_url)
    expect(page.locator("#question-header strong", has_text="criteri ambientali")).to_be_visible()  # Markdown

    # 2. A colleague answers: the answer appears in place, without a page load.
    colleague = new_person(browser, live_server, qa_people["colleague"])
    colleague.goto(question_url)
    mark_page(colleague)
    colleague.get_by_label("La tua risposta").fill(ANSWER)
    colleague.get_by_role("button", name="Pubblica la risposta").click()
    answers = colleague.locator("#answers")
    expect(answers.locator("article.qa-answer", has_text=ANSWER)).to_be_visible()
    expect(answers.get_by_role("heading", name="1 risposta", level=2)).to_be_visible()
    expect(colleague.get_by_text("Hai già risposto a questa domanda.")).to_be_visible()
    assert still_same_page(colleague)

    # 3. ... and comments on the question, in place as well.
    comments = colleague.locator("#comments-question")
    comments.locator("summary", has_text="Aggiungi un commento").click()
    comments.get_by_label("Commento").fill(COMMENT)
    comments.get_by_role("button", name="Pubblica il commento").click()
    expect(colleague.locator("#comments-question .qa-comment", has_text=COMMENT)).to_be_visible()
    assert still_same_page(colleague)

    # 4. The asker hears of both through the bell, and accepts the answer in place.
    page.goto(question_url)
    bell = page.locator("#notification-bell")
    expect(bell).to_contain_text("2")
    bell.click()
    expect(page.locator("li.list-group-item").filter(
        has_text=f"Olga Altra ha risposto alla domanda «{TITLE}»")).to_be_visible()
    expect(page.locator("li.list-group-item").filter(
        has_text=f"Olga Altra ha commentato nella domanda «{TITLE}»")).to_be_visible()
    page.goto(question_url)
    mark_page(page)
    page.get_by_role("button", name="Accetta questa risposta").click()
    accepted = page.locator("#answers article.qa-answer-accepted", has_text=ANSWER)
    expect(accepted).to_be_visible()
    expect(accepted.get_by_text("Risposta accettata", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Annulla l'accettazione")).to_be_visible()
    expect(page.locator("#question-header")).to_contain_text("Risolta")
    assert still_same_page(page)

    # The colleague hears that the answer was accepted.
    colleague.goto(f"{live_server}/notifications/")
    expect(colleague.locator("li.list-group-item").filter(
        has_text=f"La tua risposta alla domanda «{TITLE}» è stata accettata da Mario Membro")).to_be_visible()

    # 5. The facilitator reports the comment: one facilitator's report hides it at once.
    facilitator = new_person(browser, live_server, qa_people["facilitator"])
    facilitator.goto(question_url)
    comment = facilitator.locator("#comments-question .qa-comment", has_text=COMMENT)
    comment.locator("summary", has_text="Segnala").click()
    comment.locator("label", has_text="Spam o pubblicità").click()  # Bootstrap Italia draws the radio on the label
    comment.get_by_role("button", name="Invia la segnalazione").click()
    expect(facilitator.get_by_text(re.compile("Segnalazione inviata|nascost"))).to_be_visible()

    # Everybody else now reads a placeholder instead of the comment.
    page.goto(question_url)
    expect(page.locator("#comments-question")).to_contain_text("Contenuto nascosto in attesa di verifica")
    expect(page.locator("#comments-question")).not_to_contain_text(COMMENT)
    colleague.goto(f"{live_server}/notifications/")
    expect(colleague.locator("li.list-group-item").filter(
        has_text=f"Un tuo contenuto nella domanda «{TITLE}» è stato nascosto")).to_be_visible()

    # 6. The facilitator restores it from the community's review queue.
    facilitator.goto(f"{live_server}/communities/{COMMUNITY}/questions/review")
    expect(facilitator.locator("#review-queue")).to_contain_text(COMMENT)
    facilitator.get_by_role("button", name=re.compile(r"^Ripristina")).first.click()
    expect(facilitator.locator("#review-queue").get_by_text("Nessun contenuto da esaminare.")).to_be_visible()
    page.goto(question_url)
    expect(page.locator("#comments-question .qa-comment", has_text=COMMENT)).to_be_visible()
    expect(page.locator("#comments-question")).not_to_contain_text("Contenuto nascosto")
    colleague.goto(f"{live_server}/notifications/")
    expect(colleague.locator("li.list-group-item").filter(
        has_text=f"Un tuo contenuto nella domanda «{TITLE}» è di nuovo visibile")).to_be_visible()

    for person in (page, colleague, facilitator):
        assert person.console_errors == []
    colleague.context.close()
    facilitator.context.close()
