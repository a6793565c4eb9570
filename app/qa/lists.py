"""Lists of questions (issue 12, point 8): the community's "Domande" tab, the practice's "Discussione" tab and
"le mie domande" — filters, sorts, pagination, and the rows' extras loaded in a fixed number of queries.

Every list starts from app.qa.queries.visible_questions(reader): a private community's questions, questions on a
draft practice and hidden or deleted questions never enter a list of someone who may not see them.

Query budget of one page, whatever the number of questions: the count and the page (db.paginate), then one query
each for the tags, the askers' organisations, the practices (and communities for "le mie domande") and the
questions that have a donors' (official) answer.

Decisions:
- Unknown filter or sort values fall back to the default (a hand-edited address is not an error page).
- "unanswered" means no visible answer (answer_count counts the visible ones); "open" excludes solved and closed.
- "mine" is asked or answered by the reader (answers not deleted); "followed" is a question the reader watches.
  For a visitor both are empty lists (and their links are not offered).
- Pinned questions come first only in the default sort (last activity).
- The tag filter matches the tag as typed or as the services normalise it ("Fondi UE" → "fondi-ue").
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import false, or_, select
from sqlalchemy.orm import selectinload

from app import permissions
from app.extensions import db
from app.forms import clean_line
from app.models import Answer, Follow, Question, QuestionTag
from app.models.qa import TAG_MAX, FollowLevel
from app.qa.queries import visible_questions
from app.qa.workflow import QuestionStatus, Visibility

COMMUNITY_FILTERS = ("all", "unanswered", "open", "solved", "mine", "followed")
PRACTICE_FILTERS = ("all", "open", "solved")
MINE_TABS = ("asked", "answered", "followed")
SORTS = ("activity", "newest", "votes")
DEFAULT_PER_PAGE = 20
DASHBOARD_BOX = 5


@dataclass
class ListArgs:
    """What the reader asked of a list (from the query string), already checked."""

    filter: str = "all"
    sort: str = "activity"
    tag: str = ""
    page: int = 1
    query: dict = field(default_factory=dict)  # the non-default values, for links that keep them

    def link(self, **changes) -> dict:
        """Query arguments of a link to this list with some values changed (a new filter starts at page 1)."""
        values = {"filter": self.filter, "sort": self.sort, "tag": self.tag}
        values.update(changes)
        return {key: value for key, value in values.items()
                if value and value != {"filter": "all", "sort": "activity"}.get(key)}


def parse_args(args, *, filters=COMMUNITY_FILTERS, sorts=SORTS, tags: bool = True) -> ListArgs:
    chosen = args.get("filter") or "all"
    sort = args.get("sort") or "activity"
    tag = clean_line(args.get("tag") or "")[:TAG_MAX] if tags else ""
    page = args.get("page", "1")
    result = ListArgs(filter=chosen if chosen in filters else "all", sort=sort if sort in sorts else "activity",
                      tag=tag or "", page=int(page) if page.isascii() and page.isdigit() and int(page) > 0 else 1)
    result.query = result.link()
    return result


def per_page() -> int:
    return current_app.config.get("QUESTIONS_PER_PAGE", DEFAULT_PER_PAGE)


def _tag_condition(tag: str):
    from app.qa.validation import normalize_tag

    names = {tag, normalize_tag(tag)} - {""}
    return Question.id.in_(select(QuestionTag.question_id).where(QuestionTag.name.in_(sorted(names))))


def _answered_by(user):
    return select(Answer.question_id).where(Answer.author_id == user.id, Answer.visibility != Visibility.DELETED)


def _followed_by(user):
    return select(Follow.target_id).where(Follow.user_id == user.id, Follow.target_type == "question",
                                          Follow.level == FollowLevel.WATCHING)


def _filtered(query, args: ListArgs, user):
    signed_in = permissions.is_signed_in(user)
    if args.filter == "unanswered":
        query = query.where(Question.answer_count == 0, Question.status != QuestionStatus.CLOSED)
    elif args.filter == "open":
        query = query.where(Question.status == QuestionStatus.OPEN)
    elif args.filter == "solved":
        query = query.where(Question.status == QuestionStatus.SOLVED)
    elif args.filter == "mine":
        query = query.where(or_(Question.author_id == user.id, Question.id.in_(_answered_by(user)))
                            if signed_in else false())
    elif args.filter == "followed":
        query = query.where(Question.id.in_(_followed_by(user)) if signed_in else false())
    if args.tag:
        query = query.where(_tag_condition(args.tag))
    return query


def _sorted(query, sort: str):
    if sort == "newest":
        return query.order_by(Question.created_at.desc(), Question.id.desc())
    if sort == "votes":
        return query.order_by(Question.vote_count.desc(), Question.last_activity_at.desc(), Question.id.desc())
    if sort == "recent":  # last activity, pinned or not (lists across communities)
        return query.order_by(Question.last_activity_at.desc(), Question.id.desc())
    return query.order_by(Question.pinned.desc(), Question.last_activity_at.desc(), Question.id.desc())


def _with_row_extras(query, *, communities: bool = False):
    options = [selectinload(Question.tags), selectinload(Question.organization), selectinload(Question.practice)]
    if communities:
        options.append(selectinload(Question.community))
    return query.options(*options)


def community_questions_query(community, user, args: ListArgs):
    query = visible_questions(user).where(Question.community_id == community.id)
    return _with_row_extras(_sorted(_filtered(query, args, user), args.sort))


def practice_questions_query(practice, user, args: ListArgs):
    query = visible_questions(user).where(Question.practice_id == practice.id)
    return _with_row_extras(_sorted(_filtered(query, args, user), args.sort))


def my_questions_query(user, tab: str):
    """What the person asked / answered / follows, across communities, that they may still see."""
    query = visible_questions(user)
    if tab == "answered":
        query = query.where(Question.id.in_(_answered_by(user)))
    elif tab == "followed":
        query = query.where(Question.id.in_(_followed_by(user)))
    else:
        query = query.where(Question.author_id == user.id)
    return _with_row_extras(_sorted(query, "newest" if tab == "asked" else "recent"),
                            communities=True)


def paginate(query, page: int):
    return db.paginate(query, page=page, per_page=per_page(), max_per_page=100, error_out=False)


def with_official_answer(questions) -> set[int]:
    """Of these questions, the ids of those with a visible answer of the practice's donors (one query)."""
    ids = [question.id for question in questions if question.practice_id is not None]
    if not ids:
        return set()
    return set(db.session.execute(select(Answer.question_id).where(
        Answer.question_id.in_(ids), Answer.official.is_(True), Answer.visibility == Visibility.VISIBLE)
        .distinct()).scalars())


def recent_of(user, limit: int = DASHBOARD_BOX) -> list[Question]:
    """The person's latest questions (asked or answered), for the dashboard's box."""
    if not permissions.is_member(user):
        return []
    query = visible_questions(user).where(or_(Question.author_id == user.id, Question.id.in_(_answered_by(user))))
    return list(db.session.execute(query.order_by(Question.last_activity_at.desc(), Question.id.desc())
                                   .limit(limit)).scalars())
