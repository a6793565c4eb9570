"""Who hears of what in Q&A (issue 12, point 5): watchers, followers of a community or practice, mentions,
acceptance, duplicate closing; muted people and people who may not see the question never."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import Community, Membership, Notification, Practice, User
from app.models.base import utcnow
from app.models.qa import Answer, Follow, Question
from app.qa import actions, notify, reminders, services
from tests.qa_world import make_answer, make_question

TITLE = "Come avete organizzato lo sportello unico?"


@contextmanager
def ctx(app):
    with app.test_request_context("/"):
        yield
        db.session.remove()


def person(ref):
    return db.session.get(User, ref.id)


def told(verb: str | None = None) -> dict[int, list[str]]:
    """Notifications by person: {user id: [verbs]} (only `verb` when given)."""
    result: dict[int, list[str]] = {}
    query = select(Notification).order_by(Notification.id)
    if verb:
        query = query.where(Notification.verb == verb)
    for row in db.session.execute(query).scalars():
        result.setdefault(row.user_id, []).append(row.verb)
    return result


def follow(user_ref, target_type: str, target_id: int, level: str = "watching") -> None:
    """A follow row written directly (also for people the services would refuse: who lost access since)."""
    db.session.add(Follow(user_id=user_ref.id, target_type=target_type, target_id=target_id, level=level))
    db.session.commit()


def mention(ref) -> str:
    return f"@[{ref.name}](user:{ref.id})"


def ask(app_world, where="open", author="member", practice=False, body="Testo della domanda"):
    qworld = app_world
    return services.ask(person(getattr(qworld, author)), db.session.get(Community, qworld.community(where).id),
                        title=TITLE, body=body, tags=[],
                        practice=db.session.get(Practice, qworld.practice(where).id) if practice else None)


# ---- new questions -------------------------------------------------------------------------------------------

def test_followers_of_the_community_and_of_the_practice_hear_of_a_new_question(app, qworld):
    with ctx(app):
        follow(qworld.other_member, "community", qworld.open.id)
        follow(qworld.supplier, "practice", qworld.open_practice.id)
        follow(qworld.donor_member, "community", qworld.moderated.id)  # another community
        follow(qworld.member, "community", qworld.open.id)  # the asker: not told of their own question
        follow(qworld.facilitator, "community", qworld.open.id, "normal")  # not following
        question = ask(qworld, practice=True)
        assert told() == {qworld.other_member.id: ["qa.question_new"], qworld.supplier.id: ["qa.question_new"]}
        row = db.session.execute(select(Notification)).scalars().first()
        assert row.params["question"] == TITLE and row.community_id == qworld.open.id
        assert row.link.endswith(f"/questions/{question.id}")


def test_a_question_on_a_practice_is_not_news_for_followers_of_another_practice(app, qworld):
    with ctx(app):
        follow(qworld.supplier, "practice", qworld.moderated_practice.id)
        ask(qworld, practice=True)
        assert told() == {}


def test_outsiders_never_hear_of_a_private_communitys_questions(app, qworld):
    with ctx(app):
        # Rows from before they lost access (or written by hand): still nobody outside is told.
        follow(qworld.outsider, "community", qworld.private.id)
        follow(qworld.other_member, "community", qworld.private.id)
        ask(qworld, where="private", body=f"Chiedo a {mention(qworld.outsider)} e {mention(qworld.donor_referent)}")
        assert told() == {qworld.other_member.id: ["qa.question_new"]}


def test_a_member_who_left_the_private_community_is_not_told(app, qworld):
    with ctx(app):
        follow(qworld.other_member, "community", qworld.private.id)
        membership = db.session.execute(select(Membership).where(
            Membership.user_id == qworld.other_member.id, Membership.community_id == qworld.private.id)).scalar_one()
        membership.status = "left"
        db.session.commit()
        ask(qworld, where="private")
        assert told() == {}


# ---- answers and comments ------------------------------------------------------------------------------------

def test_watchers_hear_of_answers_not_the_answerer_not_normal_not_muted(app, qworld):
    with ctx(app):
        question = ask(qworld)  # the asker watches
        follow(qworld.supplier, "question", question.id, "watching")
        follow(qworld.donor_member, "question", question.id, "normal")
        follow(qworld.facilitator, "question", question.id, "muted")
        answer = services.answer(person(qworld.other_member), question, body="Noi così")
        assert told() == {qworld.member.id: ["qa.answer_new"], qworld.supplier.id: ["qa.answer_new"]}
        row = db.session.execute(select(Notification).where(Notification.user_id == qworld.member.id)).scalar_one()
        assert row.link.endswith(f"/questions/{question.id}#answer-{answer.id}")
        assert row.actor_id == qworld.other_member.id


def test_answering_watches_the_question(app, qworld):
    with ctx(app):
        question = ask(qworld)
        services.answer(person(qworld.other_member), question, body="Prima")
        services.answer(person(qworld.supplier), question, body="Seconda")
        assert told() == {qworld.member.id: ["qa.answer_new", "qa.answer_new"],
                          qworld.other_member.id: ["qa.answer_new"]}


def test_the_donors_answer_is_announced_as_such(app, qworld):
    with ctx(app):
        question = ask(qworld, practice=True)
        services.answer(person(qworld.donor_referent), question, body="La risposta degli enti cedenti")
        assert told() == {qworld.member.id: ["qa.answer_official"]}


def test_comments_reach_the_watchers(app, qworld):
    with ctx(app):
        question = ask(qworld)
        answer = services.answer(person(qworld.other_member), question, body="Risposta")
        db.session.execute(Notification.__table__.delete())
        db.session.commit()
        comment = services.comment(person(qworld.supplier), question, body="E i costi?", answer=answer)
        assert told() == {qworld.member.id: ["qa.comment_new"], qworld.other_member.id: ["qa.comment_new"]}
        row = db.session.execute(select(Notification)).scalars().first()
        assert row.link.endswith(f"#comment-{comment.id}")


# ---- mentions ------------------------------------------------------------------------------------------------

def test_mentions_reach_who_may_see_once_and_not_muted(app, qworld):
    with ctx(app):
        question = ask(qworld)
        follow(qworld.facilitator, "question", question.id, "muted")
        body = (f"Come dice {mention(qworld.donor_member)} (e ancora {mention(qworld.donor_member)}), chiedo a "
                f"{mention(qworld.facilitator)} e a me stessa {mention(qworld.other_member)}; "
                f"@[Nessuno](user:999999) e @Mario Membro non menzionano nessuno")
        services.answer(person(qworld.other_member), question, body=body)
        assert told() == {qworld.donor_member.id: ["qa.mention"], qworld.member.id: ["qa.answer_new"]}


def test_a_mentioned_watcher_hears_once(app, qworld):
    with ctx(app):
        question = ask(qworld)
        services.answer(person(qworld.other_member), question, body=f"Ciao {mention(qworld.member)}")
        assert told() == {qworld.member.id: ["qa.mention"]}


def test_mentions_in_a_new_question_and_in_an_edit_only_the_new_ones(app, qworld):
    with ctx(app):
        question = ask(qworld, body=f"Chiedo a {mention(qworld.supplier)}")
        assert told() == {qworld.supplier.id: ["qa.mention"]}
        services.edit_question(person(qworld.member), question, title=TITLE,
                               body=f"Chiedo a {mention(qworld.supplier)} e {mention(qworld.other_member)}", tags=[])
        assert told() == {qworld.supplier.id: ["qa.mention"], qworld.other_member.id: ["qa.mention"]}


def test_in_a_private_community_only_members_are_mentioned(app, qworld):
    with ctx(app):
        question = ask(qworld, where="private")
        services.comment(person(qworld.other_member), question,
                         body=f"{mention(qworld.outsider)} {mention(qworld.supplier)} {mention(qworld.admin)}")
        assert told("qa.mention") == {qworld.supplier.id: ["qa.mention"], qworld.admin.id: ["qa.mention"]}


def test_mention_candidates(app, qworld):
    with ctx(app):
        question = ask(qworld, where="private")
        names = lambda prefix: [p.full_name for p in notify.mention_candidates(question, prefix)]  # noqa: E731
        assert names("") == []
        assert names("ett") == []  # Ettore Esterno is not a member of the private community
        assert names("mario") == ["Mario Membro"]
        assert names("@Olg") == ["Olga Altra"]
        assert names("%") == [] and names("_") == []
        # Names starting with the prefix first, then names containing it.
        assert names("o")[0] == "Olga Altra" and "Mario Membro" in names("o")
        assert len(notify.mention_candidates(question, "a", limit=2)) == 2
        open_question = ask(qworld)
        # The donor team may be mentioned on their practice's questions, even when not members.
        practice_question = ask(qworld, practice=True)
        assert "Renata Referente" in [p.full_name for p in notify.mention_candidates(practice_question, "renata")]
        assert [p.full_name for p in notify.mention_candidates(open_question, "renata")] == []


def test_mention_syntax_round_trip(app, qworld):
    with ctx(app):
        user = person(qworld.member)
        assert notify.mention_syntax(user) == f"@[Mario Membro](user:{user.id})"
        assert notify.mentioned_ids(notify.mention_syntax(user) + " " + notify.mention_syntax(user)) == [user.id]


# ---- acceptance and duplicates -------------------------------------------------------------------------------

def test_acceptance_tells_the_answerer_and_the_asker_when_someone_else_accepted(app, qworld):
    with ctx(app):
        question = make_question(qworld.open.id, qworld.member.id)
        first = make_answer(question.id, qworld.other_member.id)
        second = make_answer(question.id, qworld.supplier.id)
        asker = person(qworld.member)
        actions.accept(asker, question, first, services.membership_of(asker, question.community))
        assert told() == {qworld.other_member.id: ["qa.answer_accepted"]}
        facilitator = person(qworld.facilitator)
        actions.accept(facilitator, question, second, services.membership_of(facilitator, question.community))
        assert told() == {qworld.other_member.id: ["qa.answer_accepted"], qworld.supplier.id: ["qa.answer_accepted"],
                          qworld.member.id: ["qa.accepted_by_other"]}
        row = db.session.execute(select(Notification).where(Notification.user_id == qworld.member.id)).scalar_one()
        assert row.params["actor"] == "Fabia Animatrice" and row.link.endswith(f"#answer-{second.id}")


def test_a_muted_answerer_hears_nothing_of_the_acceptance(app, qworld):
    with ctx(app):
        question = make_question(qworld.open.id, qworld.member.id)
        answer = make_answer(question.id, qworld.other_member.id)
        follow(qworld.other_member, "question", question.id, "muted")
        asker = person(qworld.member)
        actions.accept(asker, question, answer, services.membership_of(asker, question.community))
        assert told() == {}


def test_closing_as_duplicate_tells_the_asker_and_the_watchers(app, qworld):
    with ctx(app):
        original = make_question(qworld.open.id, qworld.other_member.id, title="Lo sportello unico: come partire")
        question = make_question(qworld.open.id, qworld.member.id)
        follow(qworld.supplier, "question", question.id)
        follow(qworld.donor_member, "question", question.id, "normal")
        follow(qworld.facilitator, "question", question.id)  # the actor
        facilitator = person(qworld.facilitator)
        actions.close(facilitator, question, services.membership_of(facilitator, question.community),
                      reason="duplicate", duplicate_of_id=original.id)
        assert told() == {qworld.member.id: ["qa.closed_duplicate"], qworld.supplier.id: ["qa.closed_duplicate"]}
        row = db.session.execute(select(Notification)).scalars().first()
        assert row.params["original"] == "Lo sportello unico: come partire"
        # Another reason tells nobody.
        other = make_question(qworld.open.id, qworld.member.id, title="Un'altra domanda qualunque")
        actions.close(facilitator, other, services.membership_of(facilitator, other.community), reason="obsolete")
        assert len(told("qa.closed_duplicate")) == 2


def test_a_hidden_question_tells_nobody(app, qworld):
    with ctx(app):
        question = make_question(qworld.open.id, qworld.member.id)
        follow(qworld.member, "question", question.id)
        question.visibility = "hidden"
        db.session.commit()
        services.edit_question(person(qworld.member), question, title=question.title,
                               body=f"Ora con {mention(qworld.supplier)}", tags=[])
        assert told() == {}


def test_mentions_in_the_edit_of_a_hidden_answer_tell_nobody(app, qworld):
    with ctx(app):
        question = make_question(qworld.open.id, qworld.member.id)
        answer = make_answer(question.id, qworld.other_member.id, visibility="hidden")
        services.edit_answer(person(qworld.other_member), answer, body=f"Ora con {mention(qworld.supplier)}")
        assert told() == {}
        services.edit_answer(person(qworld.other_member), answer, body="Di nuovo")
        answer.visibility = "visible"
        db.session.commit()
        services.edit_answer(person(qworld.other_member), answer, body=f"Visibile, {mention(qworld.supplier)}")
        assert told() == {qworld.supplier.id: ["qa.mention"]}


def test_immediate_email_after_the_commit(app, qworld, outbox):
    with ctx(app):
        question = ask(qworld)
        services.answer(person(qworld.other_member), question, body="Risposta")
    assert [m.recipients for m in outbox] == [[qworld.member.email]]
    assert TITLE in outbox[0].body


# ---- the 7-day invitation (flask qa invite-acceptors) --------------------------------------------------------

def _aged_question(qworld, days: float, where="open", practice=False, answers=1, **fields):
    then = utcnow() - timedelta(days=days)
    question = make_question(qworld.community(where).id, qworld.member.id,
                             title=f"Domanda di {days} giorni nella comunità {where}",
                             practice_id=qworld.practice(where).id if practice else None, created_at=then, **fields)
    for author in (qworld.other_member, qworld.supplier)[:answers]:
        make_answer(question.id, author.id)
    return question


def test_invite_acceptors_with_frozen_time(app, qworld):
    with ctx(app):
        due = _aged_question(qworld, 7.5)
        on_practice = _aged_question(qworld, 10, practice=True)
        private = _aged_question(qworld, 10, where="private", practice=True)
        young = _aged_question(qworld, 6.5)
        unanswered = _aged_question(qworld, 20, answers=0)
        hidden_only = _aged_question(qworld, 20)
        db.session.execute(Answer.__table__.update().where(Answer.__table__.c.question_id == hidden_only.id)
                           .values(visibility="hidden"))
        solved = _aged_question(qworld, 20, status="solved")
        closed = _aged_question(qworld, 20, status="closed", close_reason="obsolete")
        db.session.commit()
        now = utcnow()
        assert reminders.invite_acceptors(now=now) == 3
        invited = {q.id for q in db.session.execute(select(Question).where(
            Question.acceptors_invited_at == now)).scalars()}
        assert invited == {due.id, on_practice.id, private.id}
        by_question = {}
        for row in db.session.execute(select(Notification).where(Notification.verb == "qa.choose_answer")).scalars():
            by_question.setdefault(int(row.link.rsplit("/", 1)[1]), set()).add(row.user_id)
        assert by_question == {
            due.id: {qworld.facilitator.id},
            on_practice.id: {qworld.facilitator.id, qworld.donor_referent.id},
            # The donor referent is not a member of the private community: not told of its questions.
            private.id: {qworld.facilitator.id},
        }
        assert db.session.execute(select(func.count()).select_from(Notification)).scalar() == 4
        # Idempotent: a second run invites nobody again.
        assert reminders.invite_acceptors(now=now) == 0
        # A day later the young one is due, and only it.
        assert reminders.invite_acceptors(now=now + timedelta(days=1)) == 1
        assert db.session.get(Question, young.id).acceptors_invited_at == now + timedelta(days=1)
        assert reminders.invite_acceptors(now=now + timedelta(days=30)) == 0
        assert db.session.execute(select(func.count()).select_from(Notification)).scalar() == 5
        for question in (unanswered, hidden_only, solved, closed):
            assert db.session.get(Question, question.id).acceptors_invited_at is None


def test_invite_acceptors_command(app, qworld):
    with ctx(app):
        _aged_question(qworld, 8)
    result = app.test_cli_runner().invoke(args=["qa", "invite-acceptors"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith(": 1")
    assert app.test_cli_runner().invoke(args=["qa", "invite-acceptors"]).output.strip().endswith(": 0")
    with app.app_context():
        row = db.session.execute(select(Notification)).scalar_one()
        assert row.user_id == qworld.facilitator.id and row.link.startswith("/questions/")
