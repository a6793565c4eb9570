"""Reading for the chair's board and its export (issue 13, points 7 and 10): the candidacies the reader chairs ×
their reviewers, each assignment's status and total, the aggregates, the flags and the ranking per category.
A fixed number of queries whatever the number of candidacies (candidacies, assignments, reviews, scores, open
conflicts, decisions): the other rows are chosen by a subquery on the candidacies, never by a list of ids (a list
would be split in batches, and grow the statement's parameters, as the call grows). The page shows
EVALUATION_PER_PAGE rows (Board.narrow: filters, then one page): aggregates, flags and ranks are those of all."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app.evaluation import aggregates, queries
from app.evaluation.access import is_blocking
from app.evaluation.workflow import AssignmentStatus, ConflictStatus
from app.extensions import db
from app.models import Assignment, Candidacy, Conflict, Decision, Review, ReviewScore

LIVE = (AssignmentStatus.ASSIGNED, AssignmentStatus.SUBMITTED)
PER_PAGE = 50  # candidacies per page of the board and of the assignments matrix (config EVALUATION_PER_PAGE)


class ListPagination(Pagination):
    """Flask-SQLAlchemy's pagination (for the shared pagination macro) over a list already in memory."""

    def _query_items(self):
        start = (self.page - 1) * self.per_page
        return self._query_args["items"][start:start + self.per_page]

    def _query_count(self):
        return len(self._query_args["items"])


def per_page() -> int:
    return current_app.config.get("EVALUATION_PER_PAGE", PER_PAGE)


def parse_page(raw) -> int:
    """A page number from the query string (anything else: 1)."""
    try:
        return max(1, int(raw))
    except (TypeError, ValueError):
        return 1


def paginate(items: list, page: int) -> ListPagination:
    """One page of `items` (an out-of-range page is the last one)."""
    size = per_page()
    last = max(1, -(-len(items) // size))
    return ListPagination(page=min(page, last), per_page=size, error_out=False, items=items)


@dataclass
class Filters:
    """The GET filters of the board and of the matrix."""

    category: str | None = None
    disagreement: bool = False
    waiting: bool = False

    def args(self) -> dict:
        """As query-string arguments (the empty ones left out)."""
        return {key: value for key, value in (("category", self.category), ("disagreement", "1" if self.disagreement
                else None), ("waiting", "1" if self.waiting else None)) if value}


NO_CATEGORY = "-"  # the filter's value for the candidacies without a category


def parse_filters(values, call) -> Filters:
    """The filters from the query string (or a form's hidden fields); an unknown category is no filter."""
    codes = {each.get("code") for each in call.categories or []}
    category = values.get("category") or None
    if category not in codes and category != NO_CATEGORY:
        category = None
    return Filters(category=category, disagreement=values.get("disagreement") in ("1", "on", "y"),
                   waiting=values.get("waiting") in ("1", "on", "y"))


def category_matches(filters: Filters, category: str | None) -> bool:
    if filters.category is None:
        return True
    return (category or None) is None if filters.category == NO_CATEGORY else category == filters.category


@dataclass
class Row:
    """One candidacy of the board."""

    candidacy: Candidacy
    title: str
    organisation: str
    category: str | None
    category_label: str
    cells: dict = field(default_factory=dict)  # reviewer id → (assignment, review or None)
    totals: list = field(default_factory=list)  # the submitted reviews' totals
    stats: aggregates.Stats | None = None
    criterion_stats: dict = field(default_factory=dict)  # criterion id → Stats of its submitted scores
    submitted: int = 0
    expected: int = 0
    disagreement: bool = False
    rank: int | None = None
    open_conflicts: int = 0
    decision: Decision | None = None

    @property
    def id(self) -> int:
        return self.candidacy.id


@dataclass
class Board:
    call: object
    criteria: list
    reviewers: list  # the people with an assignment on a shown candidacy, by name
    rows: list[Row]  # every candidacy (aggregates and ranking are computed over all of them), sorted
    shown: list[Row] | None = None  # the rows passing the filters (None: all)
    page: ListPagination | None = None  # the page of `shown` to render

    @property
    def page_rows(self) -> list[Row]:
        return self.page.items if self.page is not None else self.rows

    def narrow(self, filters: Filters, page: int) -> "Board":
        """Keep the rows passing `filters` and the page `page` of them (the reviewers' columns: those of that page)."""
        self.shown = [row for row in self.rows if category_matches(filters, row.category)
                      and (row.disagreement or not filters.disagreement)]
        self.page = paginate(self.shown, page)
        on_page = {uid for row in self.page.items for uid in row.cells}
        self.reviewers = [person for person in self.reviewers if person.id in on_page]
        return self

    @property
    def categories(self) -> list[str | None]:
        seen: list = []
        for row in self.shown if self.shown is not None else self.rows:
            if row.category not in seen:
                seen.append(row.category)
        return seen


SORTS = {
    "title": lambda row: row.title.casefold(),
    "organisation": lambda row: row.organisation.casefold(),
    "category": lambda row: (row.category_label.casefold(), row.rank or 10**9, row.id),
    "submitted": lambda row: (row.submitted, row.expected),
    "mean": lambda row: (row.stats is not None, row.stats.mean if row.stats else 0),
    "median": lambda row: (row.stats is not None, row.stats.median if row.stats else 0),
    "min": lambda row: (row.stats is not None, row.stats.minimum if row.stats else 0),
    "max": lambda row: (row.stats is not None, row.stats.maximum if row.stats else 0),
    "stddev": lambda row: (row.stats is not None, row.stats.stddev if row.stats else 0),
    "flag": lambda row: row.disagreement,
    "rank": lambda row: (row.rank is None, row.rank or 0, row.category_label.casefold()),
}
DEFAULT_SORT = "category"


def parse_sort(raw_sort: str | None, raw_dir: str | None) -> tuple[str, str]:
    """A known column and a direction from the query string (anything else: the default)."""
    sort = raw_sort if raw_sort in SORTS else DEFAULT_SORT
    direction = raw_dir if raw_dir in ("asc", "desc") else "asc"
    return sort, direction


def build(user, call, sort: str = DEFAULT_SORT, direction: str = "asc", per_criterion: bool = True) -> Board:
    """The board of `call` as `user` (chair or administrator) sees it: queries.commission_candidacies decides which
    candidacies (a conflicted chair's are handled by a deputy and left out). `per_criterion`: also each criterion's
    statistics (the export's; the page shows only the totals', and then loads no score)."""
    criteria = list(call.criteria)
    shown = queries.commission_candidacies(user, call)
    candidacies = list(db.session.execute(
        shown.options(joinedload(Candidacy.practice), joinedload(Candidacy.organization))
        .order_by(Candidacy.id)).unique().scalars())
    ids = shown.with_only_columns(Candidacy.id).scalar_subquery() if candidacies else None
    assignments = list(db.session.execute(
        select(Assignment).where(Assignment.candidacy_id.in_(ids)).options(joinedload(Assignment.user))
        .order_by(Assignment.id)).scalars()) if candidacies else []
    reviews = {each.assignment_id: each for each in db.session.execute(
        select(Review).where(Review.candidacy_id.in_(ids))).scalars()} if candidacies else {}
    scores: dict[int, list] = {each: [] for each in (r.id for r in reviews.values())}
    if reviews and per_criterion:
        for score in db.session.execute(select(ReviewScore).join(Review, Review.id == ReviewScore.review_id).where(
                Review.candidacy_id.in_(ids)).order_by(ReviewScore.id)).scalars():
            scores.setdefault(score.review_id, []).append(score)
        for review in reviews.values():  # the relationship filled from the one query: reading it queries nothing
            set_committed_value(review, "scores", scores[review.id])
    standing = db.session.execute(select(Conflict).where(
        Conflict.candidacy_id.in_(ids), Conflict.status != ConflictStatus.DISMISSED)).scalars().all() \
        if candidacies else []
    conflicted = {(each.candidacy_id, each.user_id) for each in standing if is_blocking(each)}
    conflicts: dict[int, int] = {}  # open ones: suggested (by the platform or the candidate), for the chair
    for each in standing:
        if each.status == ConflictStatus.SUGGESTED:
            conflicts[each.candidacy_id] = conflicts.get(each.candidacy_id, 0) + 1
    decisions = {each.candidacy_id: each for each in db.session.execute(
        select(Decision).where(Decision.candidacy_id.in_(ids))).scalars()} if candidacies else {}

    rows = {each.id: Row(candidacy=each, title=(each.snapshot or {}).get("title") or each.practice.title,
                         organisation=each.organization.name, category=each.category,
                         category_label=call.category_label(each.category), open_conflicts=conflicts.get(each.id, 0),
                         decision=decisions.get(each.id)) for each in candidacies}
    reviewers = {}
    by_criterion: dict[int, dict[int, list]] = {each: {} for each in rows}
    for assignment in assignments:
        row = rows[assignment.candidacy_id]
        review = reviews.get(assignment.id)
        row.cells[assignment.user_id] = (assignment, review)
        reviewers[assignment.user_id] = assignment.user
        if (assignment.candidacy_id, assignment.user_id) in conflicted:
            continue  # a conflicted member's assignment and review do not count (the cell still shows its status)
        if assignment.status in LIVE:
            row.expected += 1
        if assignment.status == AssignmentStatus.SUBMITTED and review is not None and review.submitted_at:
            row.submitted += 1
            row.totals.append(review.total)
            for score in (review.scores if per_criterion else ()):
                by_criterion[row.id].setdefault(score.criterion_id, []).append(score.score)
    for row in rows.values():
        row.stats = aggregates.summarise(row.totals)
        row.disagreement = aggregates.disagreement(row.stats, call.disagreement_threshold)
        if per_criterion:
            row.criterion_stats = {c.id: aggregates.summarise(by_criterion[row.id].get(c.id, [])) for c in criteria}
    ranks = aggregates.rank_by_category(
        aggregates.Rankable(row.id, row.category, row.stats.mean if row.stats else None,
                            row.stats.median if row.stats else None) for row in rows.values())
    for row in rows.values():
        row.rank = ranks.get(row.id)
    ordered = sorted(rows.values(), key=lambda row: row.id)
    ordered.sort(key=SORTS.get(sort, SORTS[DEFAULT_SORT]), reverse=direction == "desc")
    people = sorted(reviewers.values(), key=lambda person: ((person.full_name or "").casefold(), person.id))
    return Board(call=call, criteria=criteria, reviewers=people, rows=ordered)

