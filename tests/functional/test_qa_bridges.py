"""Bridges between questions and support requests (issue 12, point 10): a practice question escalated to the donors
(prefilled, linked both ways, seen only by who may see the request), a resolved request published as a solved
question once the requester agrees (internal notes never leak), and Q&A in the community's activity feed."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Notification, SupportMessage, SupportRequest
from app.models.base import utcnow
from app.models.qa import Answer, Question, SupportLink
from tests.conftest import csrf_token, login, make_user
from tests.qa_world import make_question

BODY = "Nel capitolato della mensa non sappiamo come pesare i **criteri ambientali minimi**."
TITLE = "Come avete pesato i CAM nel capitolato della mensa?"


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar()


def notifications(app, user_id: int, verb: str) -> int:
    return count(app, Notification, Notification.user_id == user_id, Notification.verb == verb)


def signed_in(app, person):
    client = app.test_client()
    assert login(client, person).status_code in (302, 303)
    return client


def practice_question(app, qworld, visibility="open", author=None):
    with app.app_context():
        return make_question(qworld.community(visibility).id, (author or qworld.member).id, title=TITLE, body=BODY,
                             practice_id=qworld.practice(visibility).id).id


@pytest.fixture
def colleague(app, qworld):
    """Another person of Bari (the asker's organisation), member of no community."""
    from app.models import Organization

    with app.app_context():
        person = make_user("collega@bari.example.it", db.session.get(Organization, qworld.bari.id),
                           full_name="Bruna Collega")
        db.session.commit()
        return type("P", (), {"id": person.id, "email": person.email})()


def escalate(client, question_id, htmx=False, **fields):
    data = {"csrf_token": csrf_token(client, "/privacy"), "kind": "consultancy", "subject": TITLE,
            "description": BODY, **fields}
    return client.post(f"/questions/{question_id}/escalate", data=data, content_type="multipart/form-data",
                       headers={"HX-Request": "true"} if htmx else {})


# ---- escalate --------------------------------------------------------------------------------------------------

def test_a_colleague_of_the_asker_opens_a_prefilled_request_linked_both_ways(app, qworld, colleague):
    question_id = practice_question(app, qworld)
    client = signed_in(app, colleague)
    form = client.get(f"/questions/{question_id}/escalate")
    page = form.get_data(as_text=True)
    assert form.status_code == 200
    assert f'value="{TITLE}"' in page and "criteri ambientali minimi" in page
    assert f"/questions/{question_id}" in page  # the description links back to the question
    token = re.search(r'name="submission" type="hidden" value="([^"]+)"', page).group(1)

    response = escalate(client, question_id, submission=token, description=BODY + "\n\nGrazie.")
    assert response.status_code == 303
    with app.app_context():
        request = db.session.execute(select(SupportRequest)).scalar_one()
        assert (request.organization_id, request.requester_id) == (qworld.bari.id, colleague.id)
        assert request.practice_id == qworld.open_practice.id and request.subject == TITLE
        link = db.session.execute(select(SupportLink)).scalar_one()
        assert (link.question_id, link.support_request_id, link.kind) == (question_id, request.id, "escalated")
        request_id = request.id
    assert response.headers["Location"].endswith(f"/support/{request_id}")
    # The same form sent again: the same request, still one link.
    assert escalate(client, question_id, submission=token).status_code == 303
    assert count(app, SupportRequest) == 1 and count(app, SupportLink) == 1
    # The asker hears of it; the donors hear of the request through the support service.
    assert notifications(app, qworld.member.id, "qa.support_escalated") == 1
    assert notifications(app, qworld.donor_referent.id, "support.opened") == 1

    # The question page says so to who may see the request: the asker's organisation and the donors.
    for person in (colleague, qworld.member, qworld.donor_referent, qworld.admin):
        text = signed_in(app, person).get(f"/questions/{question_id}").get_data(as_text=True)
        assert "Richiesta di supporto aperta" in text and f"/support/{request_id}" in text
    for person in (qworld.other_member, qworld.supplier, qworld.facilitator):
        text = signed_in(app, person).get(f"/questions/{question_id}").get_data(as_text=True)
        assert "Richiesta di supporto aperta" not in text and f"/support/{request_id}" not in text
    assert "Richiesta di supporto aperta" not in app.test_client().get(f"/questions/{question_id}").get_data(
        as_text=True)
    # The request page shows the question it came from.
    text = signed_in(app, qworld.donor_referent).get(f"/support/{request_id}").get_data(as_text=True)
    assert "Nata dalla domanda" in text and f"/questions/{question_id}" in text


def test_the_escalate_button_only_for_the_askers_organisation(app, qworld, colleague):
    question_id = practice_question(app, qworld)
    assert "Chiedi supporto ai cedenti" in signed_in(app, colleague).get(f"/questions/{question_id}").get_data(
        as_text=True)
    for person in (qworld.other_member, qworld.donor_referent, qworld.supplier):
        assert "Chiedi supporto ai cedenti" not in signed_in(app, person).get(
            f"/questions/{question_id}").get_data(as_text=True)


@pytest.mark.parametrize("role, status", [
    ("other_member", 403), ("donor_member", 403), ("donor_referent", 403), ("supplier", 403), ("facilitator", 403),
    ("outsider", 403), ("admin", 403)])
def test_who_may_not_escalate_changes_nothing(app, qworld, role, status):
    question_id = practice_question(app, qworld)
    client = signed_in(app, getattr(qworld, role))
    assert client.get(f"/questions/{question_id}/escalate").status_code == status
    assert escalate(client, question_id).status_code == status
    assert escalate(client, question_id, htmx=True).status_code == status
    assert count(app, SupportRequest) == 0 and count(app, SupportLink) == 0


def test_anonymous_is_sent_to_sign_in_and_a_private_question_is_a_404_outside(app, qworld):
    question_id = practice_question(app, qworld)
    assert app.test_client().get(f"/questions/{question_id}/escalate").status_code == 302
    private_id = practice_question(app, qworld, "private")
    assert signed_in(app, qworld.outsider).get(f"/questions/{private_id}/escalate").status_code == 404
    # The asker, member of the private community, may.
    assert signed_in(app, qworld.member).get(f"/questions/{private_id}/escalate").status_code == 200


def test_a_question_without_a_practice_is_not_escalated(app, qworld):
    with app.app_context():
        question_id = make_question(qworld.open.id, qworld.member.id).id
    client = signed_in(app, qworld.member)
    assert client.get(f"/questions/{question_id}/escalate").status_code == 403
    assert escalate(client, question_id).status_code == 403
    assert count(app, SupportRequest) == 0


def test_bad_input_is_shown_at_the_field_and_nothing_saved(app, qworld):
    question_id = practice_question(app, qworld)
    client = signed_in(app, qworld.member)
    response = escalate(client, question_id, subject="", htmx=True)
    assert response.status_code == 422 and "oggetto della richiesta." in response.get_data(as_text=True), response.get_data(as_text=True)
    assert "<html" not in response.get_data(as_text=True)
    assert escalate(client, question_id, kind="nonsense").status_code == 422
    assert count(app, SupportRequest) == 0 and count(app, SupportLink) == 0


# ---- publish ---------------------------------------------------------------------------------------------------

def resolved_request(app, qworld, visibility="open", status="resolved"):
    """A request of Bari (member) to Chieri on the practice, with a donor message, an internal note and a reply."""
    with app.app_context():
        now = utcnow()
        request = SupportRequest(practice_id=qworld.practice(visibility).id, organization_id=qworld.bari.id,
                                 requester_id=qworld.member.id, kind="technical",
                                 subject="Configurare il modulo delle iscrizioni alla mensa",
                                 description="Il modulo non invia le conferme alle famiglie: come lo configurate?",
                                 status=status, created_at=now, updated_at=now, resolved_at=now)
        request.messages = [
            SupportMessage(author_id=qworld.donor_referent.id, from_donor=True, internal=False,
                           body="Attivate l'invio nella sezione *Notifiche* e indicate la casella PEC dell'ufficio."),
            SupportMessage(author_id=qworld.donor_member.id, from_donor=True, internal=True,
                           body="NOTA INTERNA: il loro fornitore ha sbagliato la configurazione, non diciamolo."),
            SupportMessage(author_id=qworld.member.id, from_donor=False, internal=False,
                           body="Funziona, grazie!"),
        ]
        db.session.add(request)
        db.session.commit()
        return request.id


def propose(client, request_id, **fields):
    data = {"csrf_token": csrf_token(client, "/privacy"), "title": "Come si configurano le conferme del modulo mensa?",
            "body": "Il modulo non invia le conferme alle famiglie.",
            "answer": "Attivate l'invio nella sezione *Notifiche* e indicate la casella PEC dell'ufficio.", **fields}
    return client.post(f"/support/{request_id}/publish", data=data)


def decide(client, request_id, link_id, decision):
    return client.post(f"/support/{request_id}/publish/{link_id}/{decision}",
                       data={"csrf_token": csrf_token(client, "/privacy")})


def test_a_donor_proposes_the_requester_agrees_and_a_solved_question_appears(app, qworld):
    request_id = resolved_request(app, qworld)
    donor = signed_in(app, qworld.donor_referent)
    assert "Proponi di pubblicarla" in donor.get(f"/support/{request_id}").get_data(as_text=True)
    form = donor.get(f"/support/{request_id}/publish").get_data(as_text=True)
    assert "Configurare il modulo delle iscrizioni alla mensa" in form and "casella PEC" in form
    assert "NOTA INTERNA" not in form and "Funziona, grazie" not in form

    assert propose(donor, request_id).status_code == 303
    with app.app_context():
        link = db.session.execute(select(SupportLink)).scalar_one()
        assert (link.kind, link.state, link.question_id, link.proposed_by_id) == (
            "published", "proposed", None, qworld.donor_referent.id)
        link_id = link.id
    assert count(app, Question) == 0
    assert notifications(app, qworld.member.id, "qa.publish_proposed") == 1
    # A second proposal while one waits is refused at the form with the reason, nothing added.
    again = propose(donor, request_id)
    assert again.status_code == 422 and "già stata proposta" in again.get_data(as_text=True)
    assert count(app, SupportLink) == 1

    requester = signed_in(app, qworld.member)
    page = requester.get(f"/support/{request_id}").get_data(as_text=True)
    assert "Leggi la proposta e decidi" in page
    decision_page = requester.get(f"/support/{request_id}/publish").get_data(as_text=True)
    assert "Sì, pubblicatela" in decision_page and "casella PEC" in decision_page
    # The donors do not decide for the requester.
    assert decide(donor, request_id, link_id, "agree").status_code == 403
    assert count(app, Question) == 0

    response = decide(requester, request_id, link_id, "agree")
    assert response.status_code == 303
    with app.app_context():
        question = db.session.execute(select(Question)).scalar_one()
        answer = db.session.execute(select(Answer)).scalar_one()
        assert (question.community_id, question.practice_id) == (qworld.open.id, qworld.open_practice.id)
        assert (question.author_id, question.organization_id) == (qworld.member.id, qworld.bari.id)
        assert question.status == "solved" and question.accepted_answer_id == answer.id
        assert question.accepted_by_id == qworld.member.id and question.answer_count == 1
        assert question.first_answer_at is not None
        assert (answer.author_id, answer.organization_id, answer.official) == (
            qworld.donor_referent.id, qworld.chieri.id, True)
        link = db.session.get(SupportLink, link_id)
        assert (link.state, link.question_id, link.decided_by_id) == ("agreed", question.id, qworld.member.id)
        question_id = question.id
    assert response.headers["Location"].endswith(f"/questions/{question_id}")
    assert notifications(app, qworld.donor_referent.id, "qa.publish_agreed") == 1
    # The question is public as its community is; internal notes never show.
    text = app.test_client().get(f"/questions/{question_id}").get_data(as_text=True)
    assert "Come si configurano le conferme del modulo mensa?" in text and "casella PEC" in text
    assert "NOTA INTERNA" not in text
    # Deciding twice, or proposing again once published, is refused.
    assert decide(requester, request_id, link_id, "refuse").status_code == 422
    again = propose(donor, request_id)
    assert again.status_code == 422 and "già pubblicata come domanda risolta" in again.get_data(as_text=True)
    assert count(app, Question) == 1 and count(app, SupportLink) == 1
    # Both pages link to each other.
    assert f"/questions/{question_id}" in donor.get(f"/support/{request_id}").get_data(as_text=True)


def test_the_requester_refuses_and_nothing_is_published(app, qworld):
    request_id = resolved_request(app, qworld, status="closed")
    donor = signed_in(app, qworld.donor_referent)
    assert propose(donor, request_id).status_code == 303
    with app.app_context():
        link_id = db.session.execute(select(SupportLink.id)).scalar_one()
    requester = signed_in(app, qworld.member)
    assert decide(requester, request_id, link_id, "refuse").status_code == 303
    with app.app_context():
        link = db.session.get(SupportLink, link_id)
        assert link.state == "refused" and link.question_id is None
    assert count(app, Question) == 0 and count(app, Answer) == 0
    assert notifications(app, qworld.donor_referent.id, "qa.publish_refused") == 1
    assert "non ha voluto pubblicare" in requester.get(f"/support/{request_id}").get_data(as_text=True)


@pytest.mark.parametrize("role, status", [
    ("member", 403), ("other_member", 404), ("outsider", 404), ("facilitator", 404), ("supplier", 404)])
def test_who_may_not_propose_changes_nothing(app, qworld, role, status):
    request_id = resolved_request(app, qworld)
    client = signed_in(app, getattr(qworld, role))
    assert client.get(f"/support/{request_id}/publish").status_code == status
    assert propose(client, request_id).status_code == status
    assert count(app, SupportLink) == 0


def test_a_live_request_is_not_published(app, qworld):
    request_id = resolved_request(app, qworld, status="accepted")
    donor = signed_in(app, qworld.donor_referent)
    assert "Proponi di pubblicarla" not in donor.get(f"/support/{request_id}").get_data(as_text=True)
    assert donor.get(f"/support/{request_id}/publish").status_code == 403
    refused = propose(donor, request_id)
    assert refused.status_code == 422 and "richiesta risolta o chiusa" in refused.get_data(as_text=True)
    assert count(app, SupportLink) == 0


def test_a_bad_proposal_is_shown_at_the_field(app, qworld):
    request_id = resolved_request(app, qworld)
    donor = signed_in(app, qworld.donor_referent)
    response = propose(donor, request_id, title="Breve")
    assert response.status_code == 422 and "troppo breve" in response.get_data(as_text=True)
    assert propose(donor, request_id, answer="   ").status_code == 422
    fragment = donor.post(f"/support/{request_id}/publish", headers={"HX-Request": "true"},
                          data={"csrf_token": csrf_token(donor, "/"), "title": "", "body": "x", "answer": "y"})
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 422 and "<html" not in text and text.strip().startswith("<form")
    assert count(app, SupportLink) == 0


def test_a_private_communitys_request_lands_there_with_its_visibility(app, qworld):
    request_id = resolved_request(app, qworld, "private")
    # Chieri's referent is not in the private community: the request does not exist for them.
    assert signed_in(app, qworld.donor_referent).get(f"/support/{request_id}/publish").status_code == 404
    donor = signed_in(app, qworld.donor_member)
    form = donor.get(f"/support/{request_id}/publish").get_data(as_text=True)
    assert "la domanda la vedranno solo le persone iscritte" in form
    assert propose(donor, request_id).status_code == 303
    with app.app_context():
        link_id = db.session.execute(select(SupportLink.id)).scalar_one()
    assert decide(signed_in(app, qworld.member), request_id, link_id, "agree").status_code == 303
    with app.app_context():
        question = db.session.execute(select(Question)).scalar_one()
        assert question.community_id == qworld.private.id
        question_id = question.id
    assert app.test_client().get(f"/questions/{question_id}").status_code == 404
    assert signed_in(app, qworld.outsider).get(f"/questions/{question_id}").status_code == 404
    assert signed_in(app, qworld.other_member).get(f"/questions/{question_id}").status_code == 200


# ---- the community's activity feed -------------------------------------------------------------------------------

def test_questions_show_in_the_community_feed_and_a_hidden_ones_record_does_not(app, qworld):
    from app.qa import services

    with app.test_request_context():
        from app.models import Community, User

        asker = db.session.get(User, qworld.member.id)
        community = db.session.get(Community, qworld.open.id)
        shown = services.ask(asker, community, title="Chi usa già il nuovo modello di DUP semplificato?",
                             body="Ci interessa il confronto tra enti.", tags=[])
        hidden = services.ask(asker, community, title="Domanda con dati personali da nascondere",
                              body="Testo da nascondere.", tags=[])
        hidden.visibility = "hidden"
        db.session.commit()
        shown_id, hidden_id = shown.id, hidden.id
    home = app.test_client().get(f"/communities/{qworld.open.slug}").get_data(as_text=True)
    assert "ha fatto una domanda" in home
    assert "Chi usa già il nuovo modello di DUP semplificato?" in home
    assert "Domanda con dati personali da nascondere" not in home
    assert shown_id != hidden_id


# ---- at the same moment -------------------------------------------------------------------------------------------

def test_a_double_clicked_agreement_publishes_once(app, qworld):
    from tests.functional.test_concurrent_submissions import at_once

    request_id = resolved_request(app, qworld)
    assert propose(signed_in(app, qworld.donor_referent), request_id).status_code == 303
    with app.app_context():
        link_id = db.session.execute(select(SupportLink.id)).scalar_one()
    responses = at_once(app, qworld.member, f"/support/{request_id}/publish/{link_id}/agree", [{}, {}])
    assert sorted(r.status_code for r in responses) == [303, 422]
    assert count(app, Question) == 1 and count(app, Answer) == 1
    assert notifications(app, qworld.donor_referent.id, "qa.publish_agreed") == 1


def test_two_proposals_at_once_make_one(app, qworld):
    from tests.functional.test_concurrent_submissions import at_once

    request_id = resolved_request(app, qworld)
    data = {"title": "Come si configurano le conferme del modulo mensa?", "body": "Il modulo non invia conferme.",
            "answer": "Attivate l'invio nella sezione Notifiche."}
    responses = at_once(app, qworld.donor_referent, f"/support/{request_id}/publish", [data, data])
    # The second passed the page's check before the first committed: the service says why, at the form.
    assert sorted(r.status_code for r in responses) == [303, 422]
    refused = next(r for r in responses if r.status_code == 422).get_data(as_text=True)
    assert "già stata proposta" in refused
    assert count(app, SupportLink) == 1
    assert notifications(app, qworld.member.id, "qa.publish_proposed") == 1
