"""Q&A moderation (issue 12, point 7): reports and their thresholds, hiding, the review queue's decisions, the
notifications, the placeholders and hidden items left out of lists."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Notification, User
from app.models.qa import (REPORT_REASON_LABELS, Answer, Comment, ModerationEvent, Question, QuestionEvent,
                           Report)
from tests.conftest import login, make_user, post
from tests.qa_world import make_answer, make_question

REPORT_URL = "/questions/report"


def _queue_url(world, visibility="open"):
    from slugify import slugify

    return f"/communities/{slugify('Comunità ' + visibility)}/questions/review"


@pytest.fixture
def thread(app, qworld):
    """A question by member (Bari) in the open community, an answer by other_member (Lecce), a comment by
    donor_member (Chieri) on the answer."""
    with app.app_context():
        question = make_question(qworld.open.id, qworld.member.id)
        answer = make_answer(question.id, qworld.other_member.id)
        comment = Comment(question_id=question.id, answer_id=answer.id, author_id=qworld.donor_member.id,
                          organization_id=qworld.chieri.id, body="Confermo, anche da noi.")
        db.session.add(comment)
        db.session.commit()
        return {"question": question.id, "answer": answer.id, "comment": comment.id}


def _extra_people(app, qworld):
    """Two more people of Bari (the member's organisation), members of the open community."""
    from app.models import Membership, Organization

    with app.app_context():
        bari = db.session.get(Organization, qworld.bari.id)
        people = [make_user(f"collega{n}@bari.example.it", bari, full_name=f"Collega {n}") for n in (1, 2)]
        for person in people:
            db.session.add(Membership(community_id=qworld.open.id, user_id=person.id, status="active",
                                      role="member"))
        db.session.commit()
        return [(person.id, person.email) for person in people]


def _report(client, person, kind, target_id, reason="spam", note="", htmx=False):
    """A report by `person` through the real form; a fresh client is signed in first."""
    if person is not None:
        assert login(client, person).status_code == 303
    return post(client, REPORT_URL, {"kind": kind, "id": str(target_id), "reason": reason, "note": note},
                htmx=htmx)


def _fresh(app):
    return app.test_client()


def _visibility(app, model, row_id):
    with app.app_context():
        return db.session.get(model, row_id).visibility


def _count(app, model, **where):
    with app.app_context():
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return db.session.execute(query).scalar()


def _notifications(app, user_id, verb):
    with app.app_context():
        return list(db.session.execute(select(Notification).where(
            Notification.user_id == user_id, Notification.verb == verb)).scalars())


# ---- thresholds ------------------------------------------------------------------------------------------------

def test_reports_of_one_organisation_do_not_hide_then_a_second_organisation_does(app, qworld, thread):
    extra = _extra_people(app, qworld)
    assert _report(_fresh(app), qworld.member, "answer", thread["answer"]).status_code == 303
    assert _report(_fresh(app), extra[0][1], "answer", thread["answer"]).status_code == 303
    assert _visibility(app, Answer, thread["answer"]) == "visible"  # 2 people of one organisation
    assert _report(_fresh(app), extra[1][1], "answer", thread["answer"]).status_code == 303
    assert _visibility(app, Answer, thread["answer"]) == "visible"  # 3 people, still one organisation
    assert _report(_fresh(app), qworld.donor_member, "answer", thread["answer"], reason="offensive").status_code == 303
    assert _visibility(app, Answer, thread["answer"]) == "hidden"  # 4 people of 2 organisations
    assert _count(app, Report, target_type="answer", target_id=thread["answer"]) == 4


def test_three_people_of_two_organisations_hide_at_once(app, qworld, thread, outbox):
    extra = _extra_people(app, qworld)
    _report(_fresh(app), qworld.other_member, "question", thread["question"], reason="off_topic")
    _report(_fresh(app), qworld.donor_member, "question", thread["question"], reason="off_topic")
    assert _visibility(app, Question, thread["question"]) == "visible"
    response = _report(_fresh(app), qworld.supplier, "question", thread["question"], reason="spam", htmx=True)
    assert response.status_code == 200
    assert "Segnalazione inviata" in response.get_data(as_text=True)
    assert "nascosto in attesa di verifica" in response.get_data(as_text=True)
    with app.app_context():
        question = db.session.get(Question, thread["question"])
        assert (question.visibility, question.needs_review) == ("hidden", True)
        assert question.hidden_at is not None
        events = db.session.execute(select(ModerationEvent).where(
            ModerationEvent.target_id == question.id, ModerationEvent.target_type == "question")).scalars().all()
        assert [(e.action, e.actor_id) for e in events] == [("hidden_by_reports", None)]
    assert len(_notifications(app, qworld.member.id, "qa.post_hidden")) == 1  # the author
    assert len(_notifications(app, qworld.facilitator.id, "qa.review_needed")) == 1
    assert extra  # the extra people exist but did not report


def test_one_facilitator_report_hides_at_once(app, qworld, thread):
    response = _report(_fresh(app), qworld.facilitator, "comment", thread["comment"], reason="offensive",
                       note="Tono inappropriato")
    assert response.status_code == 303
    with app.app_context():
        comment = db.session.get(Comment, thread["comment"])
        assert (comment.visibility, comment.needs_review) == ("hidden", True)
        row = db.session.execute(select(Report)).scalar_one()
        assert row.by_facilitator and row.organization_id is not None
        event = db.session.execute(select(ModerationEvent)).scalar_one()
        assert (event.action, event.actor_id, event.note) == ("hidden_by_facilitator", qworld.facilitator.id,
                                                              "Tono inappropriato")
    assert len(_notifications(app, qworld.donor_member.id, "qa.post_hidden")) == 1
    # the only facilitator acted herself: nobody else to ask
    assert _notifications(app, qworld.facilitator.id, "qa.review_needed") == []


def test_an_administrator_report_counts_as_a_facilitator(app, qworld, thread):
    _report(_fresh(app), qworld.admin, "answer", thread["answer"])
    assert _visibility(app, Answer, thread["answer"]) == "hidden"
    with app.app_context():
        assert db.session.get(Question, thread["question"]).answer_count == 0  # counts visible answers


# ---- refusals --------------------------------------------------------------------------------------------------

def test_reporting_twice_is_refused_with_a_message_and_saves_nothing(app, qworld, thread):
    client = _fresh(app)
    assert _report(client, qworld.member, "answer", thread["answer"]).status_code == 303
    again = _report(client, None, "answer", thread["answer"], reason="offensive", htmx=True)
    assert again.status_code == 422
    assert "Hai già segnalato questo contenuto" in again.get_data(as_text=True)
    full = _report(client, None, "answer", thread["answer"], reason="offensive")
    assert full.status_code == 422 and "Hai già segnalato questo contenuto" in full.get_data(as_text=True)
    assert _count(app, Report) == 1
    with app.app_context():
        assert db.session.execute(select(Report.reason)).scalar_one() == "spam"


def test_one_cannot_report_ones_own_post(app, qworld, thread):
    response = _report(_fresh(app), qworld.other_member, "answer", thread["answer"])
    assert response.status_code == 403
    assert "Non puoi segnalare un tuo contenuto" in response.get_data(as_text=True)
    assert _count(app, Report) == 0


@pytest.mark.parametrize("data, message", [
    ({"reason": ""}, "Scegli il motivo della segnalazione."),
    ({"reason": "bogus"}, "Scegli il motivo della segnalazione."),
    ({"reason": "spam", "note": "x" * 1001}, "La nota può avere al massimo 1000 caratteri."),
])
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_input_is_shown_at_the_field_and_saves_nothing(app, qworld, thread, data, message, htmx):
    client = _fresh(app)
    login(client, qworld.member)
    response = post(client, REPORT_URL, {"kind": "answer", "id": str(thread["answer"]), **data}, htmx=htmx)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert ("<html" in page) is (not htmx)
    assert 'id="report-answer-%d"' % thread["answer"] in page or not htmx
    assert _count(app, Report) == 0


@pytest.mark.parametrize("kind, raw_id", [("answer", "999"), ("bogus", "1"), ("answer", "abc"),
                                          ("answer", "99999999999"), ("answer", "")])
def test_unknown_targets_are_404(app, qworld, thread, kind, raw_id):
    client = _fresh(app)
    login(client, qworld.member)
    assert post(client, REPORT_URL, {"kind": kind, "id": raw_id, "reason": "spam"}).status_code == 404
    assert _count(app, Report) == 0


def test_the_full_page_form_works_without_javascript(app, qworld, thread):
    client = _fresh(app)
    login(client, qworld.member)
    page = client.get(f"{REPORT_URL}?kind=answer&id={thread['answer']}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Segnala un contenuto" in text
    for label in REPORT_REASON_LABELS.values():
        assert str(label) in text
    response = post(client, REPORT_URL, {"kind": "answer", "id": str(thread["answer"]), "reason": "duplicate"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/questions/{thread['question']}#answer-{thread['answer']}")
    with client.session_transaction() as session:
        assert any("Segnalazione inviata" in message for _category, message in session["_flashes"])


# ---- the macros ------------------------------------------------------------------------------------------------

def test_report_control_offers_the_reasons_of_the_model_and_only_to_who_may_report(app, qworld, thread):
    from flask_login import login_user

    from app.communities.services import membership_of

    with app.test_request_context("/"):
        question = db.session.get(Question, thread["question"])
        answer = db.session.get(Answer, thread["answer"])
        control = app.jinja_env.globals["report_control"]
        assert str(control("answer", answer, question, None)).strip() == ""  # anonymous
        login_user(db.session.get(User, qworld.member.id))
        html = str(control("answer", answer, question, membership_of(question.community, db.session.get(
            User, qworld.member.id))))
        assert "Segnala" in html and 'hx-post="/questions/report"' in html
        values = re.findall(r'name="reason"[^>]*value="([^"]+)"', html.replace("\n", " "))
        assert values == [reason.value for reason in REPORT_REASON_LABELS]
        for label in REPORT_REASON_LABELS.values():
            assert str(label) in html
        assert str(control("question", question, question, None)).strip() == ""  # one's own question


def test_placeholders_for_readers_authors_and_moderators(app, qworld, thread):
    from flask_login import login_user, logout_user

    from app.communities.services import membership_of

    with app.app_context():
        answer = db.session.get(Answer, thread["answer"])
        answer.visibility = "hidden"
        answer.body = "Testo segnalato da verificare"
        db.session.commit()
    with app.test_request_context("/"):
        question = db.session.get(Question, thread["question"])
        answer = db.session.get(Answer, thread["answer"])
        placeholder = app.jinja_env.globals["hidden_placeholder"]
        assert str(placeholder("question", question, question, None)).strip() == ""  # visible: nothing
        html = str(placeholder("answer", answer, question, None))
        assert "Contenuto nascosto in attesa di verifica" in html and "Testo segnalato" not in html
        for person, sees in ((qworld.other_member, True), (qworld.facilitator, True), (qworld.member, False)):
            user = db.session.get(User, person.id)
            login_user(user)
            html = str(placeholder("answer", answer, question, membership_of(question.community, user)))
            assert ("Testo segnalato" in html) is sees, person
            logout_user()
        answer.visibility = "deleted"
        for person, sees in ((qworld.other_member, False), (qworld.facilitator, True)):
            user = db.session.get(User, person.id)
            login_user(user)
            html = str(placeholder("answer", answer, question, membership_of(question.community, user)))
            assert "Contenuto eliminato da chi anima la comunità" in html
            assert ("Testo segnalato" in html) is sees, person
            logout_user()
        db.session.rollback()


# ---- the review queue ------------------------------------------------------------------------------------------

def _hide_by_facilitator_report(app, qworld, kind, target_id):
    assert _report(_fresh(app), qworld.facilitator, kind, target_id).status_code == 303


def _review(client, qworld, kind, target_id, action, htmx=False, note="", confirmed=True):
    data = {"action": action, "note": note}
    if confirmed:
        data["confirmed"] = "1"
    return post(client, f"{_queue_url(qworld)}/{kind}/{target_id}", data, htmx=htmx)


def test_queue_lists_pending_items_with_reports_and_history(app, qworld, thread):
    _report(_fresh(app), qworld.member, "comment", thread["comment"], reason="off_topic", note="Non c'entra")
    _hide_by_facilitator_report(app, qworld, "answer", thread["answer"])
    client = _fresh(app)
    login(client, qworld.facilitator)
    page = client.get(_queue_url(qworld))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Contenuti nascosti in attesa di decisione" in text
    assert "Abbiamo usato il modello ANAC." in text  # the hidden answer's content
    assert "Comune di Asti" in text  # the facilitator's organisation, as reporter
    assert "Storico" in text and "Nascosto da chi anima la comunità" in text
    assert "Contenuti segnalati ancora visibili" in text and "Confermo, anche da noi." in text
    assert "Non c&#39;entra" in text or "Non c'entra" in text
    assert f"/questions/{thread['question']}" in text
    fragment = client.get(_queue_url(qworld), headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.get_data(as_text=True)


def test_restore_makes_visible_resolves_reports_and_tells_the_author(app, qworld, thread):
    _hide_by_facilitator_report(app, qworld, "answer", thread["answer"])
    client = _fresh(app)
    login(client, qworld.facilitator)
    response = _review(client, qworld, "answer", thread["answer"], "restore", htmx=True, note="Va bene così")
    assert response.status_code == 200
    assert "Contenuto ripristinato" in response.get_data(as_text=True)
    with app.app_context():
        answer = db.session.get(Answer, thread["answer"])
        assert (answer.visibility, answer.needs_review, answer.hidden_at) == ("visible", False, None)
        assert db.session.get(Question, thread["question"]).answer_count == 1
        assert db.session.execute(select(Report.resolved_at)).scalar_one() is not None
        actions = db.session.execute(select(ModerationEvent.action, ModerationEvent.actor_id, ModerationEvent.note)
                                     .order_by(ModerationEvent.id)).all()
        assert [tuple(a) for a in actions] == [("hidden_by_facilitator", qworld.facilitator.id, ""),
                                               ("restored", qworld.facilitator.id, "Va bene così")]
    assert len(_notifications(app, qworld.other_member.id, "qa.post_restored")) == 1
    # reports once resolved no longer count: a new report by a member does not hide it again
    _report(_fresh(app), qworld.member, "answer", thread["answer"])
    assert _visibility(app, Answer, thread["answer"]) == "visible"


def test_keep_hidden_takes_the_item_out_of_the_queue(app, qworld, thread):
    _hide_by_facilitator_report(app, qworld, "comment", thread["comment"])
    client = _fresh(app)
    login(client, qworld.facilitator)
    response = _review(client, qworld, "comment", thread["comment"], "keep_hidden")
    assert response.status_code == 303
    with app.app_context():
        comment = db.session.get(Comment, thread["comment"])
        assert (comment.visibility, comment.needs_review) == ("hidden", False)
        assert db.session.execute(select(ModerationEvent.action).order_by(ModerationEvent.id.desc())).first()[0] \
            == "kept_hidden"
    assert "Nessun contenuto da esaminare." in client.get(_queue_url(qworld)).get_data(as_text=True)
    # the author edits it: back to the queue (the services helper's edit)
    with app.app_context():
        from app.qa import services

        comment = db.session.get(Comment, thread["comment"])
        services.edit_comment(db.session.get(User, qworld.donor_member.id), comment, body="Testo corretto")
        assert db.session.get(Comment, thread["comment"]).needs_review is True
    assert "Testo corretto" in client.get(_queue_url(qworld)).get_data(as_text=True)


def test_delete_asks_first_then_deletes_and_drops_an_accepted_answer(app, qworld, thread):
    with app.app_context():
        question = db.session.get(Question, thread["question"])
        question.status, question.accepted_answer_id = "solved", thread["answer"]
        question.accepted_by_id = qworld.member.id
        db.session.commit()
    _hide_by_facilitator_report(app, qworld, "answer", thread["answer"])
    client = _fresh(app)
    login(client, qworld.facilitator)
    ask = _review(client, qworld, "answer", thread["answer"], "delete", confirmed=False)
    assert ask.status_code == 200 and "Eliminare questo contenuto?" in ask.get_data(as_text=True)
    assert _visibility(app, Answer, thread["answer"]) == "hidden"
    response = _review(client, qworld, "answer", thread["answer"], "delete")
    assert response.status_code == 303
    with app.app_context():
        answer = db.session.get(Answer, thread["answer"])
        question = db.session.get(Question, thread["question"])
        assert answer.visibility == "deleted" and not answer.needs_review
        assert (question.status, question.accepted_answer_id, question.answer_count) == ("open", None, 0)
        event = db.session.execute(select(QuestionEvent)).scalar_one()
        assert (event.action, event.from_status, event.to_status, event.answer_id) == (
            "unaccept", "solved", "open", thread["answer"])
    assert len(_notifications(app, qworld.other_member.id, "qa.post_deleted")) == 1
    again = _review(client, qworld, "answer", thread["answer"], "restore", htmx=True)
    assert again.status_code == 422 and "già stato eliminato" in again.get_data(as_text=True)


def test_a_facilitator_hides_a_reported_visible_item_from_the_queue(app, qworld, thread):
    _report(_fresh(app), qworld.member, "answer", thread["answer"])
    client = _fresh(app)
    login(client, qworld.facilitator)
    assert "Nascondi" in client.get(_queue_url(qworld)).get_data(as_text=True)
    response = _review(client, qworld, "answer", thread["answer"], "keep_hidden", htmx=True)
    assert response.status_code == 200 and "Contenuto nascosto" in response.get_data(as_text=True)
    with app.app_context():
        answer = db.session.get(Answer, thread["answer"])
        assert (answer.visibility, answer.needs_review) == ("hidden", False)
        assert db.session.get(Question, thread["question"]).answer_count == 0
        assert db.session.execute(select(Report.resolved_at)).scalar_one() is not None
    assert len(_notifications(app, qworld.other_member.id, "qa.post_hidden")) == 1


def test_a_facilitator_dismisses_the_reports_of_a_visible_item(app, qworld, thread):
    _report(_fresh(app), qworld.member, "answer", thread["answer"])
    client = _fresh(app)
    login(client, qworld.facilitator)
    response = _review(client, qworld, "answer", thread["answer"], "dismiss", htmx=True, note="Va bene così")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "Segnalazioni archiviate" in text
    assert "Nessun contenuto segnalato." in text  # the item left the queue
    with app.app_context():
        answer = db.session.get(Answer, thread["answer"])
        assert (answer.visibility, answer.needs_review) == ("visible", False)
        assert db.session.execute(select(Report.resolved_at)).scalar_one() is not None
        event = db.session.execute(select(ModerationEvent).where(
            ModerationEvent.action == "reports_dismissed")).scalar_one()
        assert (event.actor_id, event.note) == (qworld.facilitator.id, "Va bene così")
    assert _notifications(app, qworld.other_member.id, "qa.post_hidden") == []
    # A hidden item cannot be "dismissed": it is restored instead
    _hide_by_facilitator_report(app, qworld, "comment", thread["comment"])
    assert _review(client, qworld, "comment", thread["comment"], "dismiss").status_code in (303, 422)
    assert _visibility(app, Comment, thread["comment"]) == "hidden"


def test_hidden_and_deleted_questions_leave_lists(app, qworld, thread):
    from app.qa.queries import visible_questions

    _hide_by_facilitator_report(app, qworld, "question", thread["question"])
    with app.app_context():
        member = db.session.get(User, qworld.other_member.id)
        assert db.session.execute(visible_questions(member)).scalars().all() == []
        assert len(db.session.execute(visible_questions(member, include_hidden=True)).scalars().all()) == 1
    client = _fresh(app)
    login(client, qworld.facilitator)
    assert _review(client, qworld, "question", thread["question"], "delete").status_code == 303
    with app.app_context():
        assert db.session.get(Question, thread["question"]).visibility == "deleted"
        member = db.session.get(User, qworld.other_member.id)
        assert db.session.execute(visible_questions(member)).scalars().all() == []
    notes = _notifications(app, qworld.member.id, "qa.post_deleted")
    assert len(notes) == 1 and "/questions/" not in notes[0].link  # the author cannot open it any more


def test_a_hidden_question_answers_200_with_a_placeholder_a_deleted_one_404(app, qworld, thread):
    if "qa.community_questions" not in app.view_functions:  # the lists helper's tab, which the page links to
        pytest.skip("qa.community_questions is not there yet: the question page cannot render")
    _hide_by_facilitator_report(app, qworld, "question", thread["question"])
    reader = _fresh(app)
    login(reader, qworld.other_member)
    page = reader.get(f"/questions/{thread['question']}")
    assert page.status_code == 200 and "nascosta" in page.get_data(as_text=True)  # links keep working
    client = _fresh(app)
    login(client, qworld.facilitator)
    assert _review(client, qworld, "question", thread["question"], "delete").status_code == 303
    assert reader.get(f"/questions/{thread['question']}").status_code == 404
    assert client.get(f"/questions/{thread['question']}").status_code == 200


def test_the_community_home_links_moderators_to_the_queue(app, qworld, thread):
    _hide_by_facilitator_report(app, qworld, "answer", thread["answer"])
    from slugify import slugify

    home = f"/communities/{slugify('Comunità open')}"
    client = _fresh(app)
    login(client, qworld.facilitator)
    text = client.get(home).get_data(as_text=True)
    assert "1 contenuto da esaminare" in text and _queue_url(qworld) in text
    member = _fresh(app)
    login(member, qworld.member)
    assert _queue_url(qworld) not in member.get(home).get_data(as_text=True)


# ---- at the same moment ----------------------------------------------------------------------------------------

def _all_at_once(app, people, data):
    """Each person POSTs `data` to the report URL at the same moment, from their own client."""
    import threading

    from tests.conftest import csrf_token

    clients = []
    for person in people:
        client = app.test_client()
        assert login(client, person).status_code == 303
        clients.append((client, csrf_token(client, "/privacy")))
    barrier, responses = threading.Barrier(len(people)), [None] * len(people)

    def send(i):
        client, token = clients[i]
        barrier.wait()
        responses[i] = client.post(REPORT_URL, data={**data, "csrf_token": token})

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(people))]
    for each in threads:
        each.start()
    for each in threads:
        each.join(60)
    return [response.status_code for response in responses]


def test_a_double_clicked_report_is_saved_once(app, qworld, thread):
    data = {"kind": "answer", "id": str(thread["answer"]), "reason": "spam"}
    statuses = _all_at_once(app, [qworld.member, qworld.member], data)
    assert sorted(statuses) == [303, 422]
    assert _count(app, Report) == 1


def test_three_reports_at_once_hide_once(app, qworld, thread):
    data = {"kind": "answer", "id": str(thread["answer"]), "reason": "offensive"}
    statuses = _all_at_once(app, [qworld.member, qworld.donor_member, qworld.supplier], data)
    assert statuses == [303, 303, 303]
    assert _visibility(app, Answer, thread["answer"]) == "hidden"
    assert _count(app, ModerationEvent, action="hidden_by_reports") == 1
    assert len(_notifications(app, qworld.other_member.id, "qa.post_hidden")) == 1
    with app.app_context():
        assert db.session.get(Question, thread["question"]).answer_count == 0


def test_the_queue_costs_the_same_number_of_queries_for_more_items(app, qworld, thread):
    from tests.conftest import count_queries

    def hide(kind, target_id):
        with app.app_context():
            model = {"question": Question, "answer": Answer, "comment": Comment}[kind]
            post = db.session.get(model, target_id)
            post.visibility, post.needs_review = "hidden", True
            question_id = target_id if kind == "question" else post.question_id
            db.session.add(Report(community_id=qworld.open.id, question_id=question_id, target_type=kind,
                                  target_id=target_id, reporter_id=qworld.member.id, organization_id=qworld.bari.id,
                                  reason="spam"))
            db.session.add(ModerationEvent(community_id=qworld.open.id, question_id=question_id, target_type=kind,
                                           target_id=target_id, action="hidden_by_reports"))
            db.session.commit()

    hide("answer", thread["answer"])
    hide("comment", thread["comment"])
    hide("question", thread["question"])  # one of each kind: each kind costs its own queries
    client = _fresh(app)
    login(client, qworld.facilitator)
    few = count_queries(app, client, _queue_url(qworld))
    with app.app_context():
        more = []
        authors = [qworld.donor_referent, qworld.outsider, qworld.admin, qworld.donor_member]  # new people each
        for n, author in enumerate(authors):
            question = make_question(qworld.open.id, qworld.supplier.id, title=f"Domanda numero {n} sul tema")
            more.append((question.id, make_answer(question.id, author.id).id))
    for question_id, answer_id in more:
        hide("question", question_id)
        hide("answer", answer_id)
    assert count_queries(app, client, _queue_url(qworld)) == few
