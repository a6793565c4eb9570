"""Q&A services (issue 12, points 1–5): posting, revisions, counters, moves, votes, follows — and refusals that
save nothing. Service level, real database (SQLite and PostgreSQL), each test in its own request context."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Activity, Community, Notification, Practice, User
from app.models.base import utcnow
from app.models.qa import (Answer, Comment, Follow, ModerationEvent, Question, QuestionEvent, QuestionTag, Revision,
                           Vote)
from app.qa import actions, services
from app.qa.services import QaError
from tests.qa_world import make_answer, make_question

TITLE = "Come avete scritto il capitolato della mensa?"
TABLES = (Question, QuestionTag, Answer, Comment, Revision, Vote, Follow, QuestionEvent, ModerationEvent, Activity,
          Notification)


@contextmanager
def ctx(app):
    with app.test_request_context("/"):
        yield
        db.session.remove()


def person(ref):
    return db.session.get(User, ref.id)


def community(ref):
    return db.session.get(Community, ref.id)


def counts() -> dict:
    return {model.__name__: db.session.execute(select(func.count()).select_from(model)).scalar() for model in TABLES}


def membership(user, question):
    return services.membership_of(user, question.community)


def refused(call, *, field="__any__") -> QaError:
    """Call; it must raise QaError and leave every table as it was."""
    before = counts()
    with pytest.raises(QaError) as error:
        call()
    db.session.rollback()
    assert counts() == before
    if field != "__any__":
        assert error.value.field == field, error.value.message
    assert error.value.message
    return error.value


# ---- asking --------------------------------------------------------------------------------------------------

def test_ask_writes_question_revision_follow_and_activity(app, qworld):
    with ctx(app):
        member = person(qworld.member)
        question = services.ask(member, community(qworld.open), title=f"  {TITLE}  ", body=" Il testo. ",
                                tags=["Mensa", "mensa", "Fondi UE", "  ", "!!!"])
        assert question.title == TITLE and question.body == "Il testo."
        assert question.tag_names == ["fondi-ue", "mensa"]
        assert question.organization_id == member.organization_id
        assert question.status == "open" and question.answer_count == 0
        revision, = services.revisions("question", question.id)
        assert (revision.number, revision.title, revision.body, revision.tags) == (1, TITLE, "Il testo.",
                                                                                    "mensa,fondi-ue")
        assert actions.follow_level(member, "question", question.id) == "watching"
        assert db.session.execute(select(Activity.verb).where(Activity.object_id == question.id)).scalars().all() \
            == ["question.asked"]


def test_ask_about_a_practice_and_its_donor_team(app, qworld):
    with ctx(app):
        practice = db.session.get(Practice, qworld.open_practice.id)
        # The donor referent is not a member of the community, but the practice's team may ask about it.
        question = services.ask(person(qworld.donor_referent), community(qworld.open), title=TITLE, body="Testo",
                                tags=[], practice=practice)
        assert question.practice_id == practice.id
        other = db.session.get(Practice, qworld.private_practice.id)
        refused(lambda: services.ask(person(qworld.member), community(qworld.open), title=TITLE, body="Testo",
                                     tags=[], practice=other))


@pytest.mark.parametrize("title, body, tags, field", [
    ("", "Testo", [], "title"),
    ("   ", "Testo", [], "title"),
    ("Breve?", "Testo", [], "title"),
    ("x" * 201, "Testo", [], "title"),
    (TITLE, "", [], "body"),
    (TITLE, " \n\t ", [], "body"),
    (TITLE, "x" * 20001, [], "body"),
    (TITLE, "Testo", ["a", "b", "c", "d", "e", "f"], "tags"),
    (TITLE, "Testo", ["x" * 41], "tags"),
])
def test_bad_questions_are_refused_at_the_field_and_save_nothing(app, qworld, title, body, tags, field):
    with ctx(app):
        refused(lambda: services.ask(person(qworld.member), community(qworld.open), title=title, body=body,
                                     tags=tags), field=field)


def test_limits_are_inclusive(app, qworld):
    with ctx(app):
        question = services.ask(person(qworld.member), community(qworld.open), title="x" * 200, body="y" * 20000,
                                tags=["a" * 40, "b", "c", "d", "e"])
        assert len(question.title) == 200 and len(question.tag_names) == 5
        assert services.ask(person(qworld.member), community(qworld.open), title="0123456789", body="y",
                            tags=[]).id


@pytest.mark.parametrize("who, where", [("outsider", "open"), ("outsider", "private"), ("donor_referent", "open"),
                                         ("supplier", "private")])
def test_who_may_ask(app, qworld, who, where):
    with ctx(app):
        call = lambda: services.ask(person(getattr(qworld, who)), community(qworld.community(where)),  # noqa: E731
                                    title=TITLE, body="Testo", tags=[])
        if who == "supplier":  # suppliers are members of the communities: they may ask
            assert call().id
        else:
            refused(call)


def test_a_question_edit_writes_a_revision_and_one_without_change_none(app, qworld):
    with ctx(app):
        member = person(qworld.member)
        question = services.ask(member, community(qworld.open), title=TITLE, body="Testo", tags=["mensa"])
        services.edit_question(member, question, title=TITLE, body="Testo", tags=["Mensa"])
        assert len(services.revisions("question", question.id)) == 1
        services.edit_question(member, question, title=TITLE + " E la gara?", body="Testo nuovo",
                               tags=["gara", "mensa"])
        first, second = services.revisions("question", question.id)
        assert (second.number, second.body, second.tags, second.editor_id) == (2, "Testo nuovo", "gara,mensa",
                                                                               member.id)
        assert first.body == "Testo"
        assert sorted(question.tag_names) == ["gara", "mensa"]
        refused(lambda: services.edit_question(person(qworld.other_member), question, title=TITLE, body="Mio",
                                               tags=[]))
        # Facilitators edit directly.
        services.edit_question(person(qworld.facilitator), question, title=TITLE, body="Corretto", tags=[])
        assert services.revisions("question", question.id)[-1].editor_id == qworld.facilitator.id


def test_an_authors_edit_of_a_hidden_post_goes_back_to_review(app, qworld):
    with ctx(app):
        member = person(qworld.member)
        question = services.ask(member, community(qworld.open), title=TITLE, body="Testo", tags=[])
        question.visibility, question.needs_review = "hidden", False
        db.session.commit()
        services.edit_question(member, question, title=TITLE, body="Testo corretto", tags=[])
        assert question.needs_review is True
        assert db.session.execute(select(ModerationEvent.action)).scalars().all() == ["edited_for_review"]


# ---- answers and comments ------------------------------------------------------------------------------------

def test_answer_counters_follow_and_official_mark(app, qworld):
    with ctx(app):
        practice = db.session.get(Practice, qworld.open_practice.id)
        asker = person(qworld.member)
        question = services.ask(asker, community(qworld.open), title=TITLE, body="Testo", tags=[],
                                practice=practice)
        own = services.answer(asker, question, body="Me lo chiedo anch'io")
        db.session.refresh(question)
        assert question.answer_count == 1 and question.first_answer_at is None  # the asker's own answer
        official = services.answer(person(qworld.donor_referent), question, body="Ecco il nostro capitolato")
        db.session.refresh(question)
        assert official.official and not own.official
        assert official.organization_id == qworld.chieri.id
        assert question.answer_count == 2 and question.first_answer_at == official.created_at
        assert question.last_activity_at == official.created_at
        assert actions.follow_level(person(qworld.donor_referent), "question", question.id) == "watching"
        assert [r.number for r in services.revisions("answer", official.id)] == [1]
        later = services.answer(person(qworld.other_member), question, body="Anche noi")
        db.session.refresh(question)
        assert question.first_answer_at == official.created_at and question.answer_count == 3
        assert not later.official
        assert db.session.execute(select(func.count()).select_from(Activity).where(
            Activity.verb == "question.answered")).scalar() == 3


def test_one_answer_per_person(app, qworld):
    with ctx(app):
        question = services.ask(person(qworld.member), community(qworld.open), title=TITLE, body="Testo", tags=[])
        services.answer(person(qworld.other_member), question, body="Prima")
        error = refused(lambda: services.answer(person(qworld.other_member), question, body="Seconda"),
                        field="body")
        assert error.message.startswith("Hai già risposto")
        db.session.refresh(question)
        assert question.answer_count == 1


def test_the_unique_constraint_catches_a_twin_answer(app, qworld, monkeypatch):
    """The check before the insert passed for both clicks: the database's constraint stops the second."""
    with ctx(app):
        question = services.ask(person(qworld.member), community(qworld.open), title=TITLE, body="Testo", tags=[])
        services.answer(person(qworld.other_member), question, body="Prima")
        # As a request that read before its twin committed.
        monkeypatch.setattr(services, "already_answered", lambda user, question: False)
        error = refused(lambda: services.answer(person(qworld.other_member), question, body="Gemella"),
                        field="body")
        assert error.message.startswith("Hai già risposto")


@pytest.mark.parametrize("reason", ["duplicate", "out_of_scope"])
def test_no_answer_or_comment_in_a_closed_question(app, qworld, reason):
    with ctx(app):
        asker = person(qworld.member)
        original = make_question(qworld.open.id, qworld.other_member.id, title="La domanda originale sulla mensa")
        question = services.ask(asker, community(qworld.open), title=TITLE, body="Testo", tags=[])
        answer = services.answer(person(qworld.other_member), question, body="Una risposta")
        actions.close(person(qworld.facilitator), question, membership(person(qworld.facilitator), question),
                      reason=reason, duplicate_of_id=original.id)
        refused(lambda: services.answer(person(qworld.donor_member), question, body="Tardi"), field=None)
        refused(lambda: services.comment(person(qworld.donor_member), question, body="Tardi"), field=None)
        refused(lambda: services.comment(person(qworld.donor_member), question, body="Tardi", answer=answer))


def test_comments_on_question_and_answer(app, qworld):
    with ctx(app):
        question = services.ask(person(qworld.member), community(qworld.open), title=TITLE, body="Testo", tags=[])
        answer = services.answer(person(qworld.other_member), question, body="Risposta")
        on_question = services.comment(person(qworld.supplier), question, body=" Chiarimento? ")
        on_answer = services.comment(person(qworld.member), question, body="Grazie", answer=answer)
        assert (on_question.answer_id, on_question.body) == (None, "Chiarimento?")
        assert on_answer.answer_id == answer.id and on_answer.organization_id == qworld.bari.id
        assert services.revisions("comment", on_answer.id)[0].body == "Grazie"
        refused(lambda: services.comment(person(qworld.supplier), question, body="x" * 601), field="body")
        refused(lambda: services.comment(person(qworld.supplier), question, body="  "), field="body")
        other = services.ask(person(qworld.member), community(qworld.open), title=TITLE + " Bis", body="T", tags=[])
        refused(lambda: services.comment(person(qworld.supplier), other, body="Qui?", answer=answer),
                field="answer")
        services.edit_comment(person(qworld.member), on_answer, body="Grazie mille")
        assert [r.body for r in services.revisions("comment", on_answer.id)] == ["Grazie", "Grazie mille"]
        refused(lambda: services.edit_comment(person(qworld.supplier), on_answer, body="Mio"))


def test_edit_answer(app, qworld):
    with ctx(app):
        question = services.ask(person(qworld.member), community(qworld.open), title=TITLE, body="Testo", tags=[])
        answer = services.answer(person(qworld.other_member), question, body="Risposta")
        services.edit_answer(person(qworld.other_member), answer, body="Risposta")
        assert len(services.revisions("answer", answer.id)) == 1
        services.edit_answer(person(qworld.other_member), answer, body="Risposta migliore")
        assert [r.number for r in services.revisions("answer", answer.id)] == [1, 2]
        refused(lambda: services.edit_answer(person(qworld.other_member), answer, body=""), field="body")
        refused(lambda: services.edit_answer(person(qworld.member), answer, body="Non è mia"))


def test_who_may_not_answer(app, qworld):
    with ctx(app):
        question = services.ask(person(qworld.member), community(qworld.private), title=TITLE, body="T", tags=[])
        refused(lambda: services.answer(person(qworld.outsider), question, body="Da fuori"))
        # The donor team answers its practice's questions without being a member; not other questions.
        refused(lambda: services.answer(person(qworld.donor_referent), question, body="Da fuori"))


# ---- revisions -----------------------------------------------------------------------------------------------

def test_hide_revision(app, qworld):
    with ctx(app):
        member = person(qworld.member)
        question = services.ask(member, community(qworld.open), title=TITLE, body="Il mio telefono è 333", tags=[])
        first, = services.revisions("question", question.id)
        refused(lambda: services.hide_revision(person(qworld.facilitator), first, reason="Dati personali"))  # latest
        services.edit_question(member, question, title=TITLE, body="Chiamatemi in ufficio", tags=[])
        refused(lambda: services.hide_revision(member, first, reason="Dati personali"))
        refused(lambda: services.hide_revision(person(qworld.facilitator), first, reason="  "), field="reason")
        services.hide_revision(person(qworld.facilitator), first, reason="Dati personali")
        db.session.refresh(first)
        assert first.hidden and first.hidden_reason == "Dati personali" and first.hidden_by_id == qworld.facilitator.id
        event = db.session.execute(select(ModerationEvent)).scalar_one()
        assert (event.action, event.target_type, event.target_id) == ("revision_hidden", "question", question.id)
        refused(lambda: services.hide_revision(person(qworld.admin), first, reason="Ancora"))  # already hidden


# ---- accept / unaccept ---------------------------------------------------------------------------------------

def _question_with_answers(qworld, where="open", practice=False):
    question = make_question(qworld.community(where).id, qworld.member.id,
                             practice_id=qworld.practice(where).id if practice else None)
    first = make_answer(question.id, qworld.other_member.id, "Prima risposta")
    second = make_answer(question.id, qworld.supplier.id, "Seconda risposta")
    return question, first, second


def test_accept_replace_and_unaccept(app, qworld):
    with ctx(app):
        question, first, second = _question_with_answers(qworld)
        asker = person(qworld.member)
        actions.accept(asker, question, first, membership(asker, question))
        assert (question.status, question.accepted_answer_id, question.accepted_by_id) == ("solved", first.id,
                                                                                           asker.id)
        actions.accept(asker, question, first, membership(asker, question))  # a second click: nothing new
        assert db.session.execute(select(func.count()).select_from(QuestionEvent)).scalar() == 1
        actions.accept(person(qworld.facilitator), question, second, membership(person(qworld.facilitator), question))
        assert question.accepted_answer_id == second.id and question.accepted_by_id == qworld.facilitator.id
        actions.unaccept(asker, question, membership(asker, question))
        assert (question.status, question.accepted_answer_id, question.accepted_at) == ("open", None, None)
        events = db.session.execute(select(QuestionEvent.action, QuestionEvent.from_status, QuestionEvent.to_status)
                                    .order_by(QuestionEvent.id)).all()
        assert [tuple(e) for e in events] == [("accept", "open", "solved"), ("accept", "solved", "solved"),
                                              ("unaccept", "solved", "open")]
        verbs = db.session.execute(select(Activity.verb).order_by(Activity.id)).scalars().all()
        assert verbs == ["question.solved", "question.reopened"]


@pytest.mark.parametrize("who, allowed", [("member", True), ("facilitator", True), ("admin", True),
                                          ("donor_referent", True), ("donor_member", False),
                                          ("other_member", False), ("supplier", False), ("outsider", False)])
def test_who_may_accept_on_a_practice_question(app, qworld, who, allowed):
    with ctx(app):
        question, first, _second = _question_with_answers(qworld, practice=True)
        user = person(getattr(qworld, who))
        call = lambda: actions.accept(user, question, first, membership(user, question))  # noqa: E731
        if allowed:
            assert call().accepted_answer_id == first.id
        else:
            refused(call, field=None)


def test_a_donor_referent_accepts_only_on_practice_questions(app, qworld):
    with ctx(app):
        question, first, _second = _question_with_answers(qworld)
        referent = person(qworld.donor_referent)
        refused(lambda: actions.accept(referent, question, first, membership(referent, question)), field=None)


def test_accepting_a_hidden_deleted_or_foreign_answer_is_refused(app, qworld):
    with ctx(app):
        question, first, second = _question_with_answers(qworld)
        other, foreign, _ = _question_with_answers(qworld)
        first.visibility = "hidden"
        second.visibility = "deleted"
        db.session.commit()
        asker = person(qworld.member)
        for answer in (first, second, foreign):
            refused(lambda answer=answer: actions.accept(asker, question, answer, membership(asker, question)),
                    field=None)
        db.session.refresh(question)
        assert question.status == "open" and question.accepted_answer_id is None


def test_unaccept_without_an_accepted_answer_is_refused(app, qworld):
    with ctx(app):
        question, _first, _second = _question_with_answers(qworld)
        refused(lambda: actions.unaccept(person(qworld.member), question, None), field=None)


# ---- close / reopen ------------------------------------------------------------------------------------------

def test_close_as_duplicate_needs_a_valid_original(app, qworld):
    with ctx(app):
        question, _first, _second = _question_with_answers(qworld)
        facilitator = person(qworld.facilitator)
        m = membership(facilitator, question)
        refused(lambda: actions.close(facilitator, question, m, reason="duplicate"), field="duplicate_of")
        refused(lambda: actions.close(facilitator, question, m, reason="duplicate", duplicate_of_id=question.id),
                field="duplicate_of")
        refused(lambda: actions.close(facilitator, question, m, reason="duplicate", duplicate_of_id=999999),
                field="duplicate_of")
        elsewhere = make_question(qworld.moderated.id, qworld.member.id, title="Una domanda di un'altra comunità")
        refused(lambda: actions.close(facilitator, question, m, reason="duplicate", duplicate_of_id=elsewhere.id),
                field="duplicate_of")
        hidden = make_question(qworld.open.id, qworld.member.id, title="Una domanda nascosta", visibility="hidden")
        refused(lambda: actions.close(facilitator, question, m, reason="duplicate", duplicate_of_id=hidden.id),
                field="duplicate_of")
        refused(lambda: actions.close(facilitator, question, m, reason="boh"), field="reason")
        refused(lambda: actions.close(facilitator, question, m, reason=""), field="reason")
        original = make_question(qworld.open.id, qworld.other_member.id, title="La domanda originale sulla mensa")
        actions.close(facilitator, question, m, reason="duplicate", duplicate_of_id=original.id, note="Vedi sopra")
        assert (question.status, question.close_reason, question.duplicate_of_id, question.closed_by_id) == (
            "closed", "duplicate", original.id, facilitator.id)
        refused(lambda: actions.close(facilitator, question, m, reason="obsolete"), field=None)  # already closed


def test_a_non_duplicate_reason_ignores_the_original(app, qworld):
    with ctx(app):
        question, _first, _second = _question_with_answers(qworld)
        asker = person(qworld.member)
        actions.close(asker, question, membership(asker, question), reason="obsolete", duplicate_of_id=12345)
        assert question.duplicate_of_id is None and question.close_reason == "obsolete"


def test_reopen_goes_back_to_solved_or_open(app, qworld):
    with ctx(app):
        question, first, _second = _question_with_answers(qworld)
        asker, facilitator = person(qworld.member), person(qworld.facilitator)
        actions.accept(asker, question, first, membership(asker, question))
        actions.close(facilitator, question, membership(facilitator, question), reason="obsolete")
        # The asker did not close it: only moderators reopen.
        refused(lambda: actions.reopen(asker, question, membership(asker, question)), field=None)
        actions.reopen(facilitator, question, membership(facilitator, question))
        assert question.status == "solved" and question.accepted_answer_id == first.id
        assert question.close_reason is None and question.closed_at is None
        actions.unaccept(asker, question, membership(asker, question))
        actions.close(asker, question, membership(asker, question), reason="needs_detail")
        actions.reopen(asker, question, membership(asker, question))  # the asker closed it: may reopen
        assert question.status == "open"
        verbs = db.session.execute(select(Activity.verb).order_by(Activity.id)).scalars().all()
        assert verbs == ["question.solved", "question.closed", "question.reopened", "question.reopened",
                         "question.closed", "question.reopened"]


def test_reopen_when_the_accepted_answer_was_hidden_meanwhile_goes_to_open(app, qworld):
    with ctx(app):
        question, first, _second = _question_with_answers(qworld)
        facilitator = person(qworld.facilitator)
        actions.accept(facilitator, question, first, membership(facilitator, question))
        actions.close(facilitator, question, membership(facilitator, question), reason="obsolete")
        first.visibility = "hidden"
        db.session.commit()
        actions.reopen(facilitator, question, membership(facilitator, question))
        assert question.status == "open" and question.accepted_answer_id is None


def test_pin_is_for_moderators(app, qworld):
    with ctx(app):
        question, _first, _second = _question_with_answers(qworld)
        refused(lambda: actions.set_pinned(person(qworld.member), question, membership(person(qworld.member),
                                                                                        question), True))
        facilitator = person(qworld.facilitator)
        actions.set_pinned(facilitator, question, membership(facilitator, question), True)
        assert question.pinned
        actions.set_pinned(facilitator, question, membership(facilitator, question), True)
        assert db.session.execute(select(func.count()).select_from(QuestionEvent)).scalar() == 1


# ---- votes ---------------------------------------------------------------------------------------------------

def test_votes_once_not_own_only_visible_and_undoable(app, qworld):
    with ctx(app):
        question, first, second = _question_with_answers(qworld)
        member, lecce = person(qworld.member), person(qworld.other_member)
        assert actions.vote(member, "answer", first.id) == 1
        assert actions.vote(member, "answer", first.id) == 1  # twice: nothing more
        assert actions.vote(lecce, "question", question.id) == 1
        refused(lambda: actions.vote(lecce, "answer", first.id))  # own answer
        refused(lambda: actions.vote(member, "question", question.id))  # own question
        second.visibility = "hidden"
        db.session.commit()
        refused(lambda: actions.vote(member, "answer", second.id))
        refused(lambda: actions.vote(member, "comment", 1))
        assert actions.has_voted(member, "answer", [first.id, second.id]) == {first.id}
        assert actions.unvote(member, "answer", first.id) == 0
        assert actions.unvote(member, "answer", first.id) == 0
        assert db.session.execute(select(func.count()).select_from(Vote)).scalar() == 1
        db.session.refresh(first)
        assert first.vote_count == 0


def test_outsiders_do_not_vote_in_a_private_community(app, qworld):
    with ctx(app):
        question, first, _second = _question_with_answers(qworld, "private")
        refused(lambda: actions.vote(person(qworld.outsider), "answer", first.id))
        refused(lambda: actions.unvote(person(qworld.outsider), "answer", first.id))


def test_answers_in_order(app, qworld):
    with ctx(app):
        question, first, second = _question_with_answers(qworld)
        third = make_answer(question.id, qworld.donor_member.id, "Terza")
        assert [a.id for a in actions.answers_in_order(question)] == [first.id, second.id, third.id]
        actions.vote(person(qworld.member), "answer", third.id)
        assert [a.id for a in actions.answers_in_order(question)] == [third.id, first.id, second.id]
        actions.accept(person(qworld.member), question, second, membership(person(qworld.member), question))
        assert [a.id for a in actions.answers_in_order(question)] == [second.id, third.id, first.id]


def test_accepted_answers_given(app, qworld):
    with ctx(app):
        question, first, _second = _question_with_answers(qworld)
        other, other_first, _ = _question_with_answers(qworld)
        asker = person(qworld.member)
        actions.accept(asker, question, first, membership(asker, question))
        actions.accept(asker, other, other_first, membership(asker, other))
        assert actions.accepted_answers_given(user_id=qworld.other_member.id) == 2
        assert actions.accepted_answers_given(organization_id=qworld.lecce.id) == 2
        assert actions.accepted_answers_given(user_id=qworld.supplier.id) == 0
        other.visibility = "hidden"
        db.session.commit()
        assert actions.accepted_answers_given(user_id=qworld.other_member.id) == 1
        # The organisation stored on the answer counts, not the author's current one.
        lecce_person = person(qworld.other_member)
        lecce_person.organization_id = qworld.bari.id
        db.session.commit()
        assert actions.accepted_answers_given(organization_id=qworld.lecce.id) == 1
        assert actions.accepted_answers_given(organization_id=qworld.bari.id) == 0


# ---- follows -------------------------------------------------------------------------------------------------

def test_follow_levels(app, qworld):
    with ctx(app):
        question, _first, _second = _question_with_answers(qworld)
        donor = person(qworld.donor_member)
        assert actions.follow_level(donor, "question", question.id) == "normal"
        actions.set_follow(donor, "question", question.id, "muted")
        actions.set_follow(donor, "question", question.id, "muted")
        assert actions.follow_level(donor, "question", question.id) == "muted"
        actions.set_follow(donor, "community", qworld.open.id, "watching")
        actions.set_follow(donor, "practice", qworld.open_practice.id, "watching")
        assert actions.follow_level(donor, "community", qworld.open.id) == "watching"
        actions.set_follow(donor, "community", qworld.open.id, "normal")
        assert actions.follow_level(donor, "community", qworld.open.id) == "normal"
        assert db.session.execute(select(func.count()).select_from(Follow).where(
            Follow.user_id == donor.id)).scalar() == 2
        refused(lambda: actions.set_follow(donor, "question", question.id, "loud"), field="level")
        refused(lambda: actions.set_follow(donor, "community", qworld.open.id, "muted"), field="level")
        refused(lambda: actions.set_follow(person(qworld.outsider), "community", qworld.private.id, "watching"))
        refused(lambda: actions.set_follow(donor, "community", 999999, "watching"))


def test_answering_does_not_override_a_chosen_level(app, qworld):
    with ctx(app):
        question = make_question(qworld.open.id, qworld.member.id)
        lecce = person(qworld.other_member)
        actions.set_follow(lecce, "question", question.id, "muted")
        services.answer(lecce, question, body="Rispondo ma non voglio notifiche")
        assert actions.follow_level(lecce, "question", question.id) == "muted"


def test_revision_dates_follow_the_post(app, qworld):
    with ctx(app):
        then = utcnow() - timedelta(days=3)
        question = services.ask(person(qworld.member), community(qworld.open), title=TITLE, body="T", tags=[],
                                now=then)
        assert services.revisions("question", question.id)[0].created_at == question.created_at == then
