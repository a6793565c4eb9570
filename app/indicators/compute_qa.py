"""Q&A indicators of a chunk of communities at ctx.now: Q1, Q2, Q3, Q4, QV, QA (/work/notes/ind/CONTRACT.md).

Counted questions are the visible ones, on no practice or on a practice not in draft (as app/qa/figures.py counts
them). The first answer is the earliest visible answer by someone other than the asker, given by `now`: computed
from the answers themselves rather than read from Question.first_answer_at, so that a past `now` (a quarter's end)
sees the answers as they stood then. Four queries per chunk, whatever its size. No Flask import beyond the session.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from sqlalchemy import func, or_, select

from app.extensions import db
from app.indicators.context import Context
from app.indicators.figures import Figure, count, median_of, share
from app.models import Organization, Practice, SupportRequest, User
from app.models.organization import OrganizationKind
from app.models.qa import Answer, Question
from app.qa.workflow import CloseReason, QuestionStatus, Visibility
from app.workdays import working_days_before, working_deadline, working_time_between

ANSWER_WORKING_DAYS = 2
SOLVED_AFTER = timedelta(days=14)  # Q3 leaves the last 14 days out: a question needs time to be solved
STALE_AFTER = timedelta(days=7)
CODES = ("Q1", "Q2", "Q3", "Q4", "QV", "QA")


def _counted(community_ids):
    """The visible questions of these communities (a practice's only while the practice is not in draft)."""
    return (Question.community_id.in_(community_ids), Question.visibility == Visibility.VISIBLE,
            or_(Question.practice_id.is_(None),
                Question.practice_id.in_(select(Practice.id).where(Practice.status != "draft"))))


def _first_answers(ctx: Context, community_ids):
    """question_id → the first visible answer by someone other than the asker, given by ctx.now."""
    return (select(Answer.question_id, func.min(Answer.created_at).label("first_at"))
            .join(Question, Question.id == Answer.question_id)
            .where(Question.community_id.in_(community_ids), Answer.visibility == Visibility.VISIBLE,
                   Answer.created_at <= ctx.now,
                   or_(Question.author_id.is_(None), Answer.author_id.is_(None),
                       Answer.author_id != Question.author_id))
            .group_by(Answer.question_id).subquery())


def _recent_questions(ctx: Context, community_ids) -> list:
    """The counted questions asked in W90, with their first answer by now."""
    first = _first_answers(ctx, community_ids)
    return db.session.execute(
        select(Question.id, Question.community_id, Question.created_at, Question.close_reason,
               Question.accepted_answer_id, Question.accepted_at, first.c.first_at)
        .outerjoin(first, first.c.question_id == Question.id)
        .where(*_counted(community_ids), Question.created_at >= ctx.w90, Question.created_at <= ctx.now)).all()


def _unanswered(ctx: Context, community_ids) -> dict[int, list[int]]:
    """Open questions asked 7 days or more before now with no answer by now (any age)."""
    first = _first_answers(ctx, community_ids)
    rows = db.session.execute(
        select(Question.id, Question.community_id).outerjoin(first, first.c.question_id == Question.id)
        .where(*_counted(community_ids),
               # open at `now`: open today, or closed (or solved) only after it (past quarters)
               (Question.status == QuestionStatus.OPEN) | (Question.closed_at > ctx.now)
               | (Question.accepted_at > ctx.now),
               Question.created_at <= ctx.now - STALE_AFTER, first.c.first_at.is_(None))).all()
    found: dict[int, list[int]] = defaultdict(list)
    for question_id, community_id in rows:
        found[community_id].append(question_id)
    return found


def _answering_administrations(ctx: Context, community_ids) -> dict[int, set[int]]:
    """Public administrations with a visible answer in W90 (the answer's organisation, else the author's)."""
    organization = func.coalesce(Answer.organization_id, User.organization_id)
    rows = db.session.execute(
        select(Question.community_id, Organization.id).distinct()
        .select_from(Answer).join(Question, Question.id == Answer.question_id)
        .outerjoin(User, User.id == Answer.author_id)
        .join(Organization, Organization.id == organization)
        .where(*_counted(community_ids), Answer.visibility == Visibility.VISIBLE,
               Answer.created_at >= ctx.w90, Answer.created_at <= ctx.now,
               Organization.kind == OrganizationKind.PUBLIC_ADMINISTRATION)).all()
    found: dict[int, set[int]] = defaultdict(set)
    for community_id, organization_id in rows:
        found[community_id].add(organization_id)
    return found


def _requests_opened(ctx: Context, community_ids) -> dict[int, int]:
    """How many support requests on the communities' practices were opened in W90."""
    rows = db.session.execute(
        select(Practice.community_id, func.count(SupportRequest.id))
        .join(Practice, Practice.id == SupportRequest.practice_id)
        .where(Practice.community_id.in_(community_ids), SupportRequest.created_at >= ctx.w90,
               SupportRequest.created_at <= ctx.now)
        .group_by(Practice.community_id)).all()
    return dict(rows)


def compute(ctx: Context, community_ids) -> dict[int, dict[str, Figure]]:
    """Q1…QA of every community in `community_ids` at ctx.now."""
    community_ids = list(community_ids)
    if not community_ids:
        return {}
    by_community: dict[int, list] = defaultdict(list)
    for row in _recent_questions(ctx, community_ids):
        by_community[row.community_id].append(row)
    unanswered = _unanswered(ctx, community_ids)
    administrations = _answering_administrations(ctx, community_ids)
    requests = _requests_opened(ctx, community_ids)
    due_before = working_days_before(ctx.now, ANSWER_WORKING_DAYS)
    solved_before = ctx.now - SOLVED_AFTER
    result = {}
    for cid in community_ids:
        rows = by_community.get(cid, [])
        kept = [row for row in rows if row.close_reason != CloseReason.DUPLICATE]
        due = [row for row in kept if row.created_at <= due_before]
        in_time = [row.id for row in due if row.first_at is not None
                   and row.first_at <= working_deadline(row.created_at, ANSWER_WORKING_DAYS)]
        hours = {row.id: working_time_between(row.created_at, row.first_at) / timedelta(hours=1)
                 for row in due if row.first_at is not None}
        settled = [row for row in kept if row.created_at <= solved_before]
        solved = [row.id for row in settled
                  if row.accepted_answer_id is not None and row.accepted_at is not None and row.accepted_at <= ctx.now]
        volume = len(rows) + requests.get(cid, 0)
        result[cid] = {
            "Q1": share(in_time, [row.id for row in due], "question"),
            "Q2": median_of(hours, "question"),
            "Q3": share(solved, [row.id for row in settled], "question"),
            "Q4": count(unanswered.get(cid, ()), "question"),
            # Questions and requests are two kinds of item: the figure has no single list to drill into.
            "QV": Figure(float(volume), volume, None, False, None),
            "QA": count(administrations.get(cid, ()), "organization"),
        }
    return result
