"""The questions' side of a search (issue 12): their facets, their part of the reader's mask, re-reading question
hits and their excerpts, the database search for questions when the index cannot answer, and the similar questions
of the ask form.

Split from app.search.query (which re-exports the public names)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload
from whoosh import qparser
from whoosh.query import Or, Term

from app.extensions import db
from app.forms import clean_line
from app.models import Community, Question, SearchPending
from app.qa.queries import visible_questions, visible_questions_clause
from app.qa.workflow import QuestionStatus
from app.search.documents import _plain
from app.search.index import IndexUnavailable
from app.search.language import _is_empty, plain_words
from app.search.schema import build_schema

if TYPE_CHECKING:
    from app.search.query import Hit

TYPE_LABELS = {"practice": _l("Buone pratiche"), "question": _l("Domande"), "kpi": _l("Indicatori (KPI)")}
SOLVED_LABELS = {"yes": _l("Risolte"), "no": _l("Non ancora risolte")}


def question_excerpt(question: Question) -> str:
    """The beginning of a question, in plain text, for a hit without a snippet."""
    text = " ".join(_plain(question.body).split())  # mentions without names: visitors see no names
    return text if len(text) <= 240 else text[:240].rsplit(" ", 1)[0] + " …"


def unreadable_queued_questions(user, limit: int) -> list[int]:
    """Questions with queued index work that the database says this reader may no longer see: hidden or deleted
    since, moved to a private community, on a practice taken back to draft (at most `limit`)."""
    visible_now = (select(Question.id).join(Community, Question.community_id == Community.id)
                   .where(Question.id == SearchPending.question_id, visible_questions_clause(user)))
    return list(db.session.execute(
        select(SearchPending.question_id).where(SearchPending.question_id.is_not(None), ~visible_now.exists())
        .distinct().limit(limit)).scalars())


def _load_visible_questions(ids: list[int], user) -> dict[int, Question]:
    """The questions of a page of hits, read again through the rule of every other page (app.qa.queries)."""
    if not ids:
        return {}
    query = visible_questions(user).where(Question.id.in_(ids)).options(
        selectinload(Question.community), selectinload(Question.organization))
    return {q.id: q for q in db.session.execute(query).scalars()}


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _matches_without_mentions(words: list[str], title: str, body: str) -> bool:
    from app.qa.notify import MENTION_RE

    title, body = (title or "").lower(), MENTION_RE.sub("@", body or "").lower()
    return all(word in title or word in body for word in words)


def _question_database_query(words: str, filters: dict[str, str], user):
    """Questions whose title or body holds every word, as this reader may see them (app.qa.queries)."""
    query = visible_questions(user).options(selectinload(Question.community), selectinload(Question.organization))
    words_list = words.lower().split()[:8]
    for word in words_list:
        query = query.where(or_(func.lower(Question.title).like(_like(word), escape="\\"),
                                func.lower(Question.body).like(_like(word), escape="\\")))
    if words_list:
        # A mention's name is in the stored body but not in the index (visitors see no names): a question found
        # only through a mentioned person's name is not a hit, as in the index. Only bodies with a mention are
        # read again, in Python.
        with_mentions = (select(Question.id, Question.title, Question.body)
                         .join(Community, Community.id == Question.community_id)
                         .where(query.whereclause, Question.body.like("%@[%")))
        unmatched = [row.id for row in db.session.execute(with_mentions)
                     if not _matches_without_mentions(words_list, row.title, row.body)]
        if unmatched:
            query = query.where(Question.id.not_in(unmatched))
    if filters.get("community"):
        query = query.where(Community.slug == filters["community"])
    solved = or_(Question.status == QuestionStatus.SOLVED, Question.accepted_answer_id.is_not(None))
    if filters.get("solved") == "yes":
        query = query.where(solved)
    elif filters.get("solved") == "no":
        query = query.where(~solved)
    return query


# ---- similar questions while asking (issue 12, point 6) ------------------------------------------------------------

SIMILAR_MIN_CHARS = 10
SIMILAR_LIMIT = 5
_SIMILAR_CANDIDATES = 30
_SIMILAR_PARSER = None


def _similar_parser() -> qparser.QueryParser:
    """Any of the title's words (the more the better), no operators: a title being typed is not a query."""
    global _SIMILAR_PARSER
    if _SIMILAR_PARSER is None:
        parser = qparser.MultifieldParser(["title", "summary", "tags", "content", "accepted"], build_schema(),
                                          group=qparser.OrGroup.factory(0.9))
        for plugin in (qparser.FieldsPlugin, qparser.BoostPlugin, qparser.RangePlugin, qparser.WildcardPlugin,
                       qparser.PhrasePlugin, qparser.GroupPlugin, qparser.OperatorsPlugin, qparser.PlusMinusPlugin):
            parser.remove_plugin_class(plugin)
        _SIMILAR_PARSER = parser
    return _SIMILAR_PARSER


def is_solved(question: Question) -> bool:
    return question.status == QuestionStatus.SOLVED or question.accepted_answer_id is not None


def similar(index, title: str, user, community: Community | None = None,
            hidden: list[int] | None = None) -> list[Hit]:
    """Up to five questions and practices like a title being typed: solved questions first, then the other questions
    and the practices, each in order of relevance (the community's own first). Nothing under ten characters, and
    nothing when the index cannot answer (the ask form works without suggestions).

    The same mask as the search page and the same database re-reading: the `community` asked for only orders the
    suggestions, it never widens what the reader may see."""
    from app.search.query import communities_for, load_hits, reader_mask  # query.py imports this module

    title = clean_line(title or "")
    if len(title.strip()) < SIMILAR_MIN_CHARS:
        return []
    words = " ".join(plain_words(title).split()[:current_app.config["SEARCH_MAX_WORDS"]])
    try:
        query = _similar_parser().parse(words)
    except Exception:  # the parser refuses some inputs; no suggestions then
        return []
    if _is_empty(query):
        return []
    if hidden is None:
        _, hidden = communities_for(user)
    try:
        # KPI definitions (issue 16) have their own similar box, on the proposal form.
        reader = reader_mask(user, hidden)
        mask = Or([reader, Term("type", "kpi")]) if reader is not None else Term("type", "kpi")
        with index.searcher() as searcher:
            found = searcher.search(query, limit=_SIMILAR_CANDIDATES, mask=mask)
            keys = [(hit["id"], Markup("")) for hit in found]
    except IndexUnavailable as problem:
        from app.search.writer import wake

        current_app.logger.warning("Similar questions unavailable (%s)", problem)
        wake()
        return []
    hits = load_hits(keys, user)
    own = community.id if community is not None else None

    def order(pair):
        rank, hit = pair
        group = 0 if hit.question is not None and is_solved(hit.question) else 1
        community_id = hit.question.community_id if hit.question is not None else hit.practice.community_id
        return (group, community_id != own if own is not None else False, rank)

    return [hit for _, hit in sorted(enumerate(hits), key=order)][:SIMILAR_LIMIT]
