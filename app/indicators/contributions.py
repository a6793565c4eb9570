"""Every contribution to a chunk of communities, read in a few batch queries (one per source), for the critical-mass
and rhythm figures. No Flask import.

A contribution is a question, an answer, a comment, an acceptance, a kit version authored, a maintenance entry, a
support message (internal notes too: they are work) or an adoption declared. Visible content only: hidden or deleted
posts, posts under a hidden question or answer, and anything about a practice still in draft do not count.
A contribution's administration is the organisation stored on the row when there is one (a post keeps the
organisation its author belonged to when posting; an adoption its adopting organisation), else the person's current
organisation while the affiliation is active; only public administrations count, otherwise it is None.
"""
from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Integer, case, cast, func, null, or_, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import (Adoption, AffiliationStatus, KitVersion, MaintenanceEntry, Organization, OrganizationKind,
                        Practice, SupportMessage, SupportRequest, User)
from app.models.qa import Answer, Comment, Question
from app.practices.workflow import PracticeStatus
from app.qa.workflow import Visibility


class Contribution(NamedTuple):
    community_id: int
    user_id: int | None
    organization_id: int | None  # a public administration, or None
    kind: str
    at: datetime


_NO_ORG = cast(null(), Integer)  # typed, so that PostgreSQL can COALESCE it with an integer


def _visible_question():
    """A visible question, not about a practice still in draft (as app/qa/figures.py counts them)."""
    return (Question.visibility == Visibility.VISIBLE) & (Question.practice_id.is_(None) | Question.practice_id.in_(
        select(Practice.id).where(Practice.status != PracticeStatus.DRAFT)))


def _questions(ids):
    return select(Question.community_id.label("community_id"), Question.author_id.label("user_id"),
                  Question.organization_id.label("stored_org"), Question.created_at.label("at")).where(
        Question.community_id.in_(ids), _visible_question()), Question.created_at


def _answers(ids):
    return select(Question.community_id.label("community_id"), Answer.author_id.label("user_id"),
                  Answer.organization_id.label("stored_org"), Answer.created_at.label("at")).join(
        Question, Answer.question_id == Question.id).where(
        Question.community_id.in_(ids), Answer.visibility == Visibility.VISIBLE, _visible_question()), Answer.created_at


def _comments(ids):
    return select(Question.community_id.label("community_id"), Comment.author_id.label("user_id"),
                  Comment.organization_id.label("stored_org"), Comment.created_at.label("at")).join(
        Question, Comment.question_id == Question.id).outerjoin(Answer, Comment.answer_id == Answer.id).where(
        Question.community_id.in_(ids), Comment.visibility == Visibility.VISIBLE, _visible_question(),
        or_(Comment.answer_id.is_(None), Answer.visibility == Visibility.VISIBLE)), Comment.created_at


def _acceptances(ids):
    return select(Question.community_id.label("community_id"), Question.accepted_by_id.label("user_id"),
                  _NO_ORG.label("stored_org"), Question.accepted_at.label("at")).where(
        Question.community_id.in_(ids), Question.accepted_answer_id.is_not(None), Question.accepted_at.is_not(None),
        _visible_question()), Question.accepted_at


def _on_practice(model, user_column, stored_org=_NO_ORG):
    """A builder for rows hanging off a practice of the community (not in draft)."""
    def build(ids):
        return select(Practice.community_id.label("community_id"), user_column.label("user_id"),
                      stored_org.label("stored_org"), model.created_at.label("at")).join(
            Practice, model.practice_id == Practice.id).where(
            Practice.community_id.in_(ids), Practice.status != PracticeStatus.DRAFT), model.created_at
    return build


def _support_messages(ids):
    return select(Practice.community_id.label("community_id"), SupportMessage.author_id.label("user_id"),
                  _NO_ORG.label("stored_org"), SupportMessage.created_at.label("at")).join(
        SupportRequest, SupportMessage.request_id == SupportRequest.id).join(
        Practice, SupportRequest.practice_id == Practice.id).where(
        Practice.community_id.in_(ids), Practice.status != PracticeStatus.DRAFT), SupportMessage.created_at


SOURCES = {
    "question": _questions,
    "answer": _answers,
    "comment": _comments,
    "acceptance": _acceptances,
    "kit_version": _on_practice(KitVersion, KitVersion.author_id),
    "maintenance": _on_practice(MaintenanceEntry, MaintenanceEntry.author_id),
    "support_message": _support_messages,
    "adoption": _on_practice(Adoption, Adoption.declared_by_id, Adoption.organization_id),
}


def load_contributions(community_ids, start: datetime | None, end: datetime) -> list[Contribution]:
    """Every contribution to these communities with start ≤ at ≤ end (start None: since the beginning)."""
    ids = list(community_ids)
    if not ids:
        return []
    found: list[Contribution] = []
    for kind, build in SOURCES.items():
        base, at = build(ids)
        base = base.where(at <= end) if start is None else base.where(at >= start, at <= end)
        rows = db.session.execute(_with_administration(base.subquery())).all()
        found.extend(Contribution(row.community_id, row.user_id, row.organization_id, kind, row.at) for row in rows)
    return found


def _with_administration(base):
    """The base rows with their administration resolved (the stored organisation, else the person's current one)."""
    person, org = aliased(User), aliased(Organization)
    current = case((person.affiliation_status == AffiliationStatus.ACTIVE, person.organization_id), else_=None)
    administration = case((org.kind == OrganizationKind.PUBLIC_ADMINISTRATION, org.id), else_=None)
    return (select(base.c.community_id, base.c.user_id, administration.label("organization_id"), base.c.at)
            .select_from(base).outerjoin(person, person.id == base.c.user_id)
            .outerjoin(org, org.id == func.coalesce(base.c.stored_org, current)))


def first_contributions(community_ids, end: datetime) -> dict[tuple[int, int], datetime]:
    """Each person's first contribution ever (up to `end`) per community: {(community_id, user_id): at}."""
    ids = list(community_ids)
    first: dict[tuple[int, int], datetime] = {}
    if not ids:
        return first
    for build in SOURCES.values():
        base, at = build(ids)
        sub = base.where(at <= end).subquery()
        rows = db.session.execute(select(sub.c.community_id, sub.c.user_id, func.min(sub.c.at).label("at"))
                                  .where(sub.c.user_id.is_not(None))
                                  .group_by(sub.c.community_id, sub.c.user_id)).all()
        for row in rows:
            key = (row.community_id, row.user_id)
            if key not in first or row.at < first[key]:
                first[key] = row.at
    return first
