"""Shared reading of questions: which a reader may see (SQL), loading one with the reader's membership, who may be
told of one. Pages, search, feeds, notifications and figures all go through these, so the rule is written once."""
from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import or_, select

from app import permissions
from app.activity.services import visible_communities_clause
from app.communities import services as community_services
from app.extensions import db
from app.models import Community, Membership, Practice, Question, User, practice_co_donor
from app.qa.workflow import Visibility


def visible_practices_clause(user):
    """SQL condition on Question: no practice, or a practice the reader may see (drafts only to its donor team)."""
    if user is not None and user.is_authenticated and user.is_admin:
        return Question.id.is_not(None)
    shown = select(Practice.id).where(Practice.status != "draft")
    conditions = [Question.practice_id.is_(None), Question.practice_id.in_(shown)]
    if permissions.is_member(user) and user.organization_id is not None:
        conditions.append(Question.practice_id.in_(select(Practice.id).where(Practice.donor_id == user.organization_id)))
        conditions.append(Question.practice_id.in_(select(practice_co_donor.c.practice_id).where(
            practice_co_donor.c.organization_id == user.organization_id)))
    return or_(*conditions)


def visible_questions_clause(user, *, include_hidden: bool = False):
    """SQL condition on Question (joined to its Community): questions this reader may see in lists, search and
    feeds. Hidden and deleted ones are left out of lists (the question page shows a placeholder instead)."""
    condition = visible_communities_clause(user) & visible_practices_clause(user)
    if not include_hidden:
        condition = condition & (Question.visibility == Visibility.VISIBLE)
    return condition


def visible_questions(user, *, include_hidden: bool = False):
    """select(Question) of the questions the reader may see (see visible_questions_clause)."""
    return (select(Question).join(Community, Community.id == Question.community_id)
            .where(visible_questions_clause(user, include_hidden=include_hidden)))


def question_or_404(question_id: int) -> tuple[Question, Membership | None]:
    """The question and the reader's membership of its community; what may not be seen is a 404."""
    question = db.session.get(Question, question_id)
    if question is None:
        abort(404)
    membership = community_services.membership_of(question.community, current_user)
    if not permissions.can_view_question(current_user, question, membership):
        abort(404)
    return question, membership


def who_may_see(question: Question, people) -> list[User]:
    """Of these people, those who may see the question (nobody is told of what they may not see)."""
    people = [person for person in dict.fromkeys(people) if person is not None and person.can_sign_in]
    if not people:
        return []
    memberships = {m.user_id: m for m in db.session.execute(select(Membership).where(
        Membership.community_id == question.community_id,
        Membership.user_id.in_([person.id for person in people]))).scalars()}
    return [person for person in people
            if permissions.is_member(person)
            and permissions.can_view_question(person, question, memberships.get(person.id))
            and question.visibility == Visibility.VISIBLE]
