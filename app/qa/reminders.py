"""The 7-day invitation to choose an answer (issue 12, point 2; `flask qa invite-acceptors`): questions open for a
week with answers but none accepted; those who may accept are told once per question."""
from __future__ import annotations

from sqlalchemy import select, update

from app.communities.services import facilitators
from app.extensions import db
from app.models.base import utcnow
from app.models.qa import Answer, Question
from app.qa.services import commit_and_email
from app.qa.workflow import QuestionStatus, Visibility

INVITE_AFTER_DAYS = 7


def questions_awaiting_acceptors(now=None):
    """select(Question): open for at least 7 days, with a visible answer, none accepted, not yet invited."""
    from datetime import timedelta

    now = now or utcnow()
    has_visible_answer = select(Answer.id).where(Answer.question_id == Question.id,
                                                 Answer.visibility == Visibility.VISIBLE).exists()
    return (select(Question).where(Question.status == QuestionStatus.OPEN, Question.visibility == Visibility.VISIBLE,
                                   Question.accepted_answer_id.is_(None), Question.acceptors_invited_at.is_(None),
                                   Question.created_at <= now - timedelta(days=INVITE_AFTER_DAYS), has_visible_answer)
            .order_by(Question.id))


def acceptors_to_invite(question) -> list:
    """The community's facilitators and, on a practice question, the referents of the donor organisations."""
    from app.models import User

    people = facilitators(question.community)
    if question.practice is not None and question.practice.donor_ids:
        people += list(db.session.execute(select(User).where(
            User.organization_id.in_(question.practice.donor_ids), User.is_referent.is_(True),
            User.affiliation_status == "active").order_by(User.id)).scalars())
    return list(dict.fromkeys(people))


def invite_acceptors(now=None) -> int:
    """Invite those who may accept to choose an answer on each question waiting for 7 days (notification
    qa.choose_answer), once per question: acceptors_invited_at is stamped even when nobody could be told, and a
    second run at the same time invites nobody twice. Returns how many questions were stamped."""
    from app.qa import notify

    now = now or utcnow()
    stamped = 0
    waiting = db.session.execute(questions_awaiting_acceptors(now).with_only_columns(Question.id)).scalars().all()
    for question_id in waiting:
        claimed = db.session.execute(update(Question).where(Question.id == question_id,
                                                            Question.acceptors_invited_at.is_(None))
                                     .values(acceptors_invited_at=now)
                                     .execution_options(synchronize_session=False)).rowcount
        if claimed:
            question = db.session.get(Question, question_id)
            notify.choose_answer(question, acceptors_to_invite(question))
            stamped += 1
        commit_and_email()
    return stamped
