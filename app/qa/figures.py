"""Figures of a community's questions (issue 12, point 11): how many are asked, how quickly and how well they are
answered. A pure service: no request, no Flask; `now` is passed by tests (frozen time).

Over the questions asked in the last 90 days (visible ones: hidden and deleted questions, and questions on a
practice back in draft, are not counted):
- asked: how many;
- answered in time: answered within 2 working days by someone other than the asker. A question asked less than 2
  working days ago and not yet answered is neither in time nor late: the share is over the questions whose time is
  up or that were answered in time (`due`);
- median time to the first answer by someone other than the asker, over the answered ones (`answered`), with the
  count of those not answered yet (`unanswered`);
- share solved (an accepted answer, as the questions stand now), over the questions asked.
And, whatever their age: open questions still without an answer 7 days after they were asked (`stale_open`).

Working days are Italian ones (app/workdays.py): weekends, national public holidays and the configured extra days.
The first answer is Question.first_answer_at, the counter the services keep.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import select

from app.extensions import db
from app.models import Practice
from app.models.qa import Question
from app.qa.workflow import QuestionStatus, Visibility
from app.workdays import is_working_day, italian_holidays, working_deadline  # noqa: F401  (re-exported)

WINDOW = timedelta(days=90)
ANSWER_WORKING_DAYS = 2
STALE_AFTER = timedelta(days=7)


# ---- figures ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class QuestionFigures:
    asked: int  # in the last 90 days
    due: int  # of those, answered in time or whose 2 working days are over
    answered_in_time: int
    answered: int  # by someone other than the asker, at any time
    unanswered: int
    median_first_answer: timedelta | None  # over the answered ones
    solved: int
    stale_open: int  # open, no answer 7 days after asking (any age)
    now: datetime

    @property
    def share_in_time(self) -> float | None:
        return self.answered_in_time / self.due if self.due else None

    @property
    def share_solved(self) -> float | None:
        return self.solved / self.asked if self.asked else None


def _counted(community_id: int, practice_id: int | None):
    query = (select(Question.created_at, Question.first_answer_at, Question.status, Question.accepted_answer_id)
             .where(Question.community_id == community_id, Question.visibility == Visibility.VISIBLE,
                    Question.practice_id.is_(None) | Question.practice_id.in_(
                        select(Practice.id).where(Practice.status != "draft"))))
    if practice_id is not None:
        query = query.where(Question.practice_id == practice_id)
    return query


def question_figures(community_id: int, practice_id: int | None = None, *, now: datetime) -> QuestionFigures:
    """The figures of a community's questions (of one of its practices with `practice_id`) at `now` (UTC)."""
    rows = db.session.execute(_counted(community_id, practice_id).where(
        Question.created_at >= now - WINDOW, Question.created_at <= now)).all()
    due = in_time = 0
    waits: list[timedelta] = []
    for created, first, _status, _accepted in rows:
        deadline = working_deadline(created, ANSWER_WORKING_DAYS)
        answered_now = first is not None and first <= now
        if answered_now:
            waits.append(first - created)
        if answered_now and first <= deadline:
            in_time += 1
            due += 1
        elif deadline <= now:
            due += 1
    stale = db.session.execute(_counted(community_id, practice_id).where(
        Question.status == QuestionStatus.OPEN, Question.created_at <= now - STALE_AFTER,
        Question.first_answer_at.is_(None) | (Question.first_answer_at > now))).all()
    return QuestionFigures(
        asked=len(rows), due=due, answered_in_time=in_time, answered=len(waits), unanswered=len(rows) - len(waits),
        median_first_answer=median(waits) if waits else None,
        solved=sum(1 for _c, _f, status, accepted in rows if status == QuestionStatus.SOLVED and accepted),
        stale_open=len(stale), now=now)


def duration_parts(value: timedelta | None) -> tuple[int, int, int] | None:
    """(days, hours, minutes) of a duration, for the page's wording."""
    if value is None:
        return None
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    return days, hours, minutes


__all__ = ["QuestionFigures", "question_figures", "working_deadline", "is_working_day", "italian_holidays",
           "duration_parts"]
