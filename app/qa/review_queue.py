"""The facilitators' review queue of Q&A (issue 12, point 7): what waits for a decision, what is reported but still
visible, each with its open reports and audit trail; read in a fixed number of queries. Decisions are taken by
app.qa.moderation."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Organization
from app.models.qa import REPORT_REASON_LABELS, Answer, Comment, ModerationEvent, Question, Report
from app.qa.moderation import KINDS
from app.qa.workflow import Visibility

@dataclass
class QueueItem:
    kind: str
    post: object
    question: Question
    reports: list = field(default_factory=list)  # open (unresolved) reports
    events: list = field(default_factory=list)  # the audit trail, oldest first
    organizations: dict = field(default_factory=dict)  # organisation id → name, for the reports

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.post.id}"

    @property
    def reason_counts(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for each in self.reports:
            counts[each.reason] = counts.get(each.reason, 0) + 1
        return [(str(REPORT_REASON_LABELS.get(reason, reason)), count) for reason, count in counts.items()]

    @property
    def reporter_organizations(self) -> list[str]:
        names = {self.organizations.get(each.organization_id) for each in self.reports}
        return sorted(name for name in names if name)


@dataclass
class Queue:
    pending: list[QueueItem]  # hidden and waiting for a decision (needs_review)
    reported: list[QueueItem]  # still visible, with open reports below the threshold


QUEUE_LIMIT = 100


def pending_count(community) -> int:
    """Items of the community waiting for review."""
    total = db.session.execute(select(func.count()).select_from(Question).where(
        Question.community_id == community.id, Question.needs_review.is_(True))).scalar()
    for model in (Answer, Comment):
        total += db.session.execute(select(func.count()).select_from(model).join(
            Question, Question.id == model.question_id).where(
            Question.community_id == community.id, model.needs_review.is_(True))).scalar()
    return total


def queue(community) -> Queue:
    """What the community's moderators have to look at, oldest first; a fixed number of queries."""
    pending: dict[tuple[str, int], object] = {}
    for kind, model in KINDS.items():
        query = select(model).where(model.needs_review.is_(True))
        if model is Question:
            query = query.where(Question.community_id == community.id)
        else:
            query = query.join(Question, Question.id == model.question_id).where(
                Question.community_id == community.id)
        query = query.options(selectinload(model.author)).order_by(model.hidden_at, model.id).limit(QUEUE_LIMIT)
        for post in db.session.execute(query).scalars():
            pending[(kind, post.id)] = post
    open_reports = list(db.session.execute(select(Report).where(
        Report.community_id == community.id, Report.resolved_at.is_(None)).order_by(Report.created_at, Report.id)
        .options(selectinload(Report.reporter))).scalars())
    reported_ids: dict[str, set[int]] = {}
    for each in open_reports:
        if (each.target_type, each.target_id) not in pending:
            reported_ids.setdefault(each.target_type, set()).add(each.target_id)
    reported: dict[tuple[str, int], object] = {}
    for kind, ids in reported_ids.items():
        model = KINDS.get(kind)
        if model is None:
            continue
        for post in db.session.execute(select(model).where(model.id.in_(ids), model.visibility == Visibility.VISIBLE)
                                       .options(selectinload(model.author))).scalars():
            reported[(kind, post.id)] = post
    targets = list(pending) + list(reported)
    events: dict[tuple[str, int], list] = {}
    if targets:
        by_kind: dict[str, list[int]] = {}
        for kind, post_id in targets:
            by_kind.setdefault(kind, []).append(post_id)
        rows = db.session.execute(select(ModerationEvent).where(
            ModerationEvent.community_id == community.id,
            or_(*[and_(ModerationEvent.target_type == kind, ModerationEvent.target_id.in_(ids))
                  for kind, ids in by_kind.items()])).order_by(ModerationEvent.created_at, ModerationEvent.id)
            .options(selectinload(ModerationEvent.actor))).scalars()
        for event in rows:
            events.setdefault((event.target_type, event.target_id), []).append(event)
    question_ids = {post.id if isinstance(post, Question) else post.question_id
                    for post in (*pending.values(), *reported.values())}
    questions = {q.id: q for q in db.session.execute(select(Question).where(Question.id.in_(question_ids))
                                                     .options(selectinload(Question.author))).scalars()} \
        if question_ids else {}
    organization_ids = {each.organization_id for each in open_reports if each.organization_id}
    organization_ids |= {post.organization_id for post in (*pending.values(), *reported.values())
                         if post.organization_id}
    organizations = dict(db.session.execute(select(Organization.id, Organization.name).where(
        Organization.id.in_(organization_ids))).all()) if organization_ids else {}
    reports_by_target: dict[tuple[str, int], list] = {}
    for each in open_reports:
        reports_by_target.setdefault((each.target_type, each.target_id), []).append(each)

    def item(key, post) -> QueueItem:
        question = post if isinstance(post, Question) else questions[post.question_id]
        return QueueItem(kind=key[0], post=post, question=question, reports=reports_by_target.get(key, []),
                         events=events.get(key, []), organizations=organizations)

    ordered_pending = sorted(pending.items(), key=lambda kv: (kv[1].hidden_at or kv[1].created_at, kv[0]))
    ordered_reported = sorted(reported.items(),
                              key=lambda kv: (reports_by_target[kv[0]][0].created_at, kv[0]))
    return Queue(pending=[item(k, p) for k, p in ordered_pending][:QUEUE_LIMIT],
                 reported=[item(k, p) for k, p in ordered_reported][:QUEUE_LIMIT])


def history(kind: str, post_id: int) -> list[ModerationEvent]:
    """The audit trail of one post, oldest first."""
    return list(db.session.execute(select(ModerationEvent).where(
        ModerationEvent.target_type == kind, ModerationEvent.target_id == post_id)
        .order_by(ModerationEvent.created_at, ModerationEvent.id)).scalars())

