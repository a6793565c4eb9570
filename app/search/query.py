"""Running a search for one reader: the request, snippets, and what the reader may see.

Visibility is decided at query time, from the database: a mask hides the practices and questions of communities the
reader may not see, drafts of other organisations and the questions on them, KPI proposals the reader may not see
(issue 16), and anything whose queued index work would make it unreadable (a question hidden, deleted or moved
since). The hits shown are then read from the database through the same rules as every other page (practices:
readable_clause; questions: app.qa.queries; KPIs: app.kpi.access), so a stale index can never show more. The
similar-questions box of the ask form (issue 12) goes through the same mask and re-reading.

Split by responsibility (the names stay importable from here): the query language and "did you mean" are in
app.search.language, the facets in app.search.facets, the questions' side (their facets, mask, excerpts, database
fallback and the similar questions) in app.search.questions, the KPI definitions' side in app.search.kpis.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import nh3
from flask import current_app
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from whoosh import highlight, sorting
from whoosh.collectors import FilterCollector
from whoosh.searching import TimeLimit
from whoosh.support.charset import accent_map
from whoosh.query import And, Every, Not, NullQuery, Or, Term

from app.activity.services import visible_communities_clause
from app.extensions import db
from app.forms import clean_line
from app.models import Community, KpiDefinition, Practice, Question, SearchPending
from app.practices.services import ArchiveFilters, archive_query, readable_clause
from app.search.documents import kpi_key, parse_key, question_key
# Re-exported (noqa: F401) where callers imported them before the split.
from app.search.facets import (ORIGIN_LABELS, PRACTICE_FACETS, FacetValue, _facet_choices,  # noqa: F401
                               _facet_labels, _filter_query, _ListFacet)
from app.search.index import IndexUnavailable
from app.search.kpis import (KPI_FACETS, kpi_database_query, kpi_date, kpi_excerpt, kpi_mask, load_visible_kpis,
                             unreadable_queued_kpis)
from app.search.language import (QueryNotUnderstood, _is_empty, _suggest, fast_query, parse_query,  # noqa: F401
                                 plain_words)
from app.search.questions import (SIMILAR_LIMIT, SIMILAR_MIN_CHARS, SOLVED_LABELS, TYPE_LABELS,  # noqa: F401
                                  _load_visible_questions, _question_database_query, is_solved, question_excerpt,
                                  similar, unreadable_queued_questions)
from app.search.schema import FACETS, spelling_analyzer

SORTS = ("relevance", "recent")
_FOLD = accent_map  # str.translate table: città -> citta, as the index folds it


class DeadlineFilterCollector(FilterCollector):
    """Whoosh's filter-and-mask collector with a deadline. (Its TimeLimitCollector cannot be combined with a filter:
    it walks the matches itself and skips the filter — our tests caught drafts in the totals.)"""

    def __init__(self, child, allow, restrict, seconds: float):
        super().__init__(child, allow, restrict)
        self.seconds = seconds
        self.deadline = 0.0

    def prepare(self, top_searcher, q, context):
        super().prepare(top_searcher, q, context)
        self.deadline = time.monotonic() + self.seconds

    def collect_matches(self):
        child, allow, restrict = self.child, self._allow, self._restrict
        for seen, sub_docnum in enumerate(child.matches(), 1):
            if seen % 256 == 1 and time.monotonic() > self.deadline:
                raise TimeLimit
            docnum = self.offset + sub_docnum
            if (allow is not None and docnum not in allow) or (restrict is not None and docnum in restrict):
                self.filtered_count += 1
                continue
            child.collect(sub_docnum)


class ListPagination(Pagination):
    """Flask-SQLAlchemy's pagination (for the shared pagination macro) over a known page of items and total."""

    def _query_items(self):
        return self._query_args["items"]

    def _query_count(self):
        return self._query_args["total"]


@dataclass
class SearchRequest:
    q: str = ""
    filters: dict[str, str] = field(default_factory=dict)  # facet -> value as in the URL (community: its slug)
    sort: str = "relevance"
    page: int = 1

    def url_args(self, **changes) -> dict:
        """Query-string arguments for a link to this search with some values changed (None removes one)."""
        args = {"q": self.q, **self.filters, "sort": self.sort if self.sort != "relevance" else None}
        args.update(changes)
        return {k: v for k, v in args.items() if v not in (None, "")}


@dataclass
class Hit:
    practice: Practice | None
    snippet: Markup
    question: Question | None = None  # a question hit (issue 12): practice is then None
    kpi: KpiDefinition | None = None  # a KPI definition hit (issue 16): practice is then None

    @property
    def kind(self) -> str:
        return "question" if self.question is not None else "kpi" if self.kpi is not None else "practice"

    @property
    def excerpt(self) -> str:
        """What a hit shows without a snippet: a practice's summary, the beginning of a question or of a KPI's
        definition (plain text)."""
        if self.kpi is not None:
            return kpi_excerpt(self.kpi)
        if self.question is None:
            return self.practice.summary
        return question_excerpt(self.question)


@dataclass
class SearchResults:
    request: SearchRequest
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: ListPagination | None = None
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestion: str | None = None
    practice_total: int | None = None  # of `total`, how many are practices and how many questions (issue 12)
    question_total: int = 0
    kpi_total: int = 0
    incomplete: bool = False  # the index is being rebuilt: these results come from a simpler database search
    notice: str | None = None


# ---- reading the request -----------------------------------------------------------------------------------------

def parse_request(args, communities: dict[str, Community]) -> tuple[SearchRequest, dict[str, str]]:
    """The search asked for in the query string, and a message for each value that cannot be used."""
    errors: dict[str, str] = {}
    q = clean_line(args.get("q") or "")  # one line of visible text: no NUL for the database (issue 11, 21/31)
    limit = current_app.config["SEARCH_MAX_QUERY_LENGTH"]
    if len(q) > limit:
        errors["q"] = _("La ricerca è troppo lunga: al massimo %(n)d caratteri.", n=limit)
    elif len(q.split()) > current_app.config["SEARCH_MAX_WORDS"]:
        errors["q"] = _("La ricerca ha troppe parole: al massimo %(n)d.", n=current_app.config["SEARCH_MAX_WORDS"])
    filters = {}
    for name, allowed in _facet_choices().items():
        value = clean_line(args.get(name) or "")
        if not value:
            continue
        if name == "community":
            valid = value in communities
        elif allowed is None:
            valid = len(value) <= 100
        else:
            valid = value in allowed
        if valid:
            filters[name] = value
        else:
            errors[name] = _("Il filtro «%(value)s» non esiste: toglilo o scegline uno dall'elenco.", value=value[:60])
    sort = args.get("sort") or "relevance"
    if sort not in SORTS:
        errors["sort"] = _("Ordinamento non valido: scegli per pertinenza o per data.")
        sort = "relevance"
    return SearchRequest(q=q, filters=filters, sort=sort, page=max(1, args.get("page", 1, type=int) or 1)), errors


def communities_for(user) -> tuple[dict[str, Community], list[int]]:
    """The communities this reader may see, by slug, and the ids of those they may not."""
    visible = {c.slug: c for c in db.session.execute(select(Community).where(visible_communities_clause(user))).scalars()}
    visible_ids = {c.id for c in visible.values()}
    hidden = [i for i in db.session.execute(select(Community.id)).scalars() if i not in visible_ids]
    return visible, hidden


# ---- the reader's mask -----------------------------------------------------------------------------------------

MAX_QUEUED_MASK = 500


def reader_mask(user, hidden_communities: list[int]):
    """Documents this reader must never get, in hits, counts, suggestions or snippets.

    IndexUnavailable when so much work is queued that masking it one document at a time is no longer sensible."""
    parts = [Term("community", str(i)) for i in hidden_communities]
    is_admin = user is not None and user.is_authenticated and user.is_admin
    if not is_admin:
        organization_id = getattr(user, "organization_id", None) if user is not None and user.is_authenticated \
            else None
        # Drafts, and the questions of draft practices (issue 12), only to the practice's donor team.
        drafts = Or([Term("status", "draft"), Term("draft_practice", "yes")])
        if organization_id is None:
            parts.append(drafts)
        else:
            parts.append(And([drafts, Not(Term("donor_ids", str(organization_id)))]))
    # Queued work means the index may still describe an older state: hide what the database says is not readable
    # (the database picks them, so the cost does not grow with the queue).
    readable_now = (select(Practice.id).join(Community, Practice.community_id == Community.id)
                    .where(Practice.id == SearchPending.practice_id, visible_communities_clause(user),
                           readable_clause(user)))
    unreadable = list(db.session.execute(
        select(SearchPending.practice_id).where(SearchPending.practice_id.is_not(None), ~readable_now.exists())
        .distinct().limit(MAX_QUEUED_MASK + 1)).scalars())
    # The same for questions (app.search.questions) and KPI definitions (app.search.kpis).
    unreadable_questions = unreadable_queued_questions(user, MAX_QUEUED_MASK + 1)
    unreadable_kpis = unreadable_queued_kpis(user, MAX_QUEUED_MASK + 1)
    if len(unreadable) + len(unreadable_questions) + len(unreadable_kpis) > MAX_QUEUED_MASK:
        raise IndexUnavailable(f"more than {MAX_QUEUED_MASK} queued changes hide practices, questions or KPIs")
    parts += [Term("id", str(i)) for i in sorted(unreadable)]
    parts += [Term("id", question_key(i)) for i in sorted(unreadable_questions)]
    parts += [Term("id", kpi_key(i)) for i in sorted(unreadable_kpis)]
    hidden_kpis = kpi_mask(user)  # proposals and withdrawn definitions, unless the reader may see them
    if hidden_kpis is not None:
        parts.append(hidden_kpis)
    return Or(parts) if parts else None


# ---- running it ------------------------------------------------------------------------------------------------

SNIPPET_WINDOW = 600  # characters: room for two 220-character fragments


def _snippet(hit, stems: set[str]) -> Markup:
    """Up to two highlighted fragments of the kit text (else of the summary).

    Whoosh re-analyses the whole text to find the words, stemmer included: on a long kit that was most of a page's
    time, so only a window around the first place a searched stem occurs is analysed."""
    content = hit.get("content") or ""
    window = content
    if len(content) > SNIPPET_WINDOW and stems:
        folded = content.lower().translate(_FOLD)
        found = [match.start() for stem in stems if (match := re.search(r"(?<!\w)" + re.escape(stem), folded))]
        if found:
            start = max(0, min(found) - SNIPPET_WINDOW // 4)
            window = content[start:start + SNIPPET_WINDOW]
    text = hit.highlights("content", text=window, top=2) or hit.highlights("summary") or ""
    # Whoosh escapes the text it cuts; nh3 makes sure nothing but <mark> can ever come through.
    return Markup(nh3.clean(text, tags={"mark"}, attributes={})) if text else Markup("")


def _load_readable(ids: list[int], user) -> dict[int, Practice]:
    if not ids:
        return {}
    query = (select(Practice).join(Community, Practice.community_id == Community.id)
             .where(Practice.id.in_(ids), visible_communities_clause(user), readable_clause(user))
             .options(selectinload(Practice.donor), selectinload(Practice.community)))
    return {p.id: p for p in db.session.execute(query).scalars()}


def load_hits(page_hits: list[tuple[str, Markup]], user) -> list[Hit]:
    """Hits of index documents, in the index's order, keeping only what the database says this reader may see;
    a document with queued work shows no snippet (it may quote text just removed)."""
    keys = [(parse_key(key), snippet) for key, snippet in page_hits]
    practice_ids = [i for (kind, i), _ in keys if kind == "practice"]
    question_ids = [i for (kind, i), _ in keys if kind == "question"]
    kpi_ids = [i for (kind, i), _ in keys if kind == "kpi"]
    practices = _load_readable(practice_ids, user)
    questions = _load_visible_questions(question_ids, user)
    kpis = load_visible_kpis(kpi_ids, user)
    queued_practices = set(db.session.execute(select(SearchPending.practice_id).where(
        SearchPending.practice_id.in_(list(practices)))).scalars()) if practices else set()
    queued_questions = set(db.session.execute(select(SearchPending.question_id).where(
        SearchPending.question_id.in_(list(questions)))).scalars()) if questions else set()
    queued_kpis = set(db.session.execute(select(SearchPending.kpi_id).where(
        SearchPending.kpi_id.in_(list(kpis)))).scalars()) if kpis else set()
    hits = []
    for (kind, i), snippet in keys:
        if kind == "practice" and i in practices:
            hits.append(Hit(practices[i], Markup("") if i in queued_practices else snippet))
        elif kind == "question" and i in questions:
            hits.append(Hit(None, Markup("") if i in queued_questions else snippet, question=questions[i]))
        elif kind == "kpi" and i in kpis:
            hits.append(Hit(None, Markup("") if i in queued_kpis else snippet, kpi=kpis[i]))
    return hits


def search(index, request: SearchRequest, user, communities: dict[str, Community], hidden: list[int]) -> SearchResults:
    """Search the index as this reader may see it; a database search, said to be incomplete, if the index cannot."""
    try:
        return _search_index(index, request, user, communities, hidden)
    except IndexUnavailable as problem:
        from app.search.writer import wake

        current_app.logger.error("Search index unavailable (%s): answering from the database", problem)
        wake()
        return _search_database(request, user)


def _understood_query(request: SearchRequest, results: SearchResults):
    try:
        query = parse_query(request.q)
    except QueryNotUnderstood:
        results.notice = _("Alcuni simboli della ricerca non sono stati capiti: si cercano le parole così come sono.")
        try:
            query = parse_query(plain_words(request.q))
        except QueryNotUnderstood:
            query = NullQuery
    if request.q and _is_empty(query):
        if any(len(t.text) > 1 for t in spelling_analyzer()(plain_words(request.q))):
            results.notice = _("Scrivi anche che cosa cerchi, non solo che cosa escludere.")
        else:
            results.notice = _("La ricerca contiene solo parole troppo comuni (come «di», «e», «per»): aggiungi una "
                               "parola che descriva la pratica.")
        query = Every()
    return query


def _search_index(index, request, user, communities, hidden) -> SearchResults:
    per_page = current_app.config["SEARCH_PER_PAGE"]
    results = SearchResults(request=request)
    query = _understood_query(request, results)
    filter_query = _filter_query(request, communities)
    mask = reader_mask(user, hidden)
    communities_by_id = {str(c.id): c for c in communities.values()}
    sort_by_date = request.sort == "recent" or isinstance(query, Every)
    sortedby = "published" if sort_by_date else None
    if isinstance(query, Every) and request.sort != "recent":
        # Browsing without words: what people documented first, then the catalogue's imports, each newest first.
        sortedby = sorting.MultiFacet([sorting.FieldFacet("origin", reverse=True),
                                       sorting.FieldFacet("published", reverse=True)])
    # Only Whoosh work happens while this process's searcher is held; the database is read afterwards.
    with index.searcher() as searcher:
        facets = {name: _ListFacet(values) for name, values in index.facet_values(searcher, FACETS).items()}
        collector = DeadlineFilterCollector(
            searcher.collector(limit=request.page * per_page, groupedby=facets, sortedby=sortedby,
                               reverse=sort_by_date and isinstance(sortedby, str)),
            filter_query, mask, current_app.config["SEARCH_TIME_LIMIT"])
        try:
            searcher.search_with_collector(fast_query(query), collector)
        except TimeLimit:
            results.notice = _("La ricerca è molto ampia: i risultati mostrati sono parziali. Aggiungi una parola "
                               "o un filtro.")
        found = collector.results()
        found.q = query  # highlights come from the words as typed, not from the pairs
        found.fragmenter = highlight.ContextFragmenter(maxchars=220, surround=70)
        found.fragmenter.charlimit = 20_000
        found.formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
        results.total = len(found)
        stems = {text for field, text in query.iter_all_terms() if field == "content" and isinstance(text, str)}
        page_hits = [(hit["id"], _snippet(hit, stems))
                     for hit in found[(request.page - 1) * per_page:request.page * per_page]]
        counts = {name: found.groups(name) for name in FACETS}
        results.question_total = counts["type"].get("question", 0)
        results.kpi_total = counts["type"].get("kpi", 0)
        results.practice_total = results.total - results.question_total - results.kpi_total
        if results.total == 0 and request.q:
            results.suggestion = _suggest(searcher, request.q, filter_query, mask)
    # A snippet of a document with queued work may quote text its authors just removed: show the summary instead.
    results.hits = load_hits(page_hits, user)
    for name in FACETS:
        values = []
        for value, count in counts[name].items():
            labelled = _facet_labels(name, value, communities_by_id) if value else None
            if labelled:
                values.append(FacetValue(labelled[0], labelled[1], count, request.filters.get(name) == labelled[0]))
        results.facets[name] = sorted(values, key=lambda v: (-v.count, v.label))
    results.page = ListPagination(page=request.page, per_page=per_page, error_out=False, items=results.hits,
                                  total=results.total)
    return results


def _search_database(request: SearchRequest, user) -> SearchResults:
    """The index cannot answer: titles and summaries (of questions, titles and bodies; of KPIs, names, definitions,
    tags and codes) from the database, through the same visibility rules, newest first."""
    words = plain_words(request.q)
    per_page = current_app.config["SEARCH_PER_PAGE"]
    kind = request.filters.get("type")
    practice_filters = {k: v for k, v in request.filters.items() if k not in ("type", "solved")}
    want_practices = kind in (None, "practice") and "solved" not in request.filters
    want_questions = kind in (None, "question") and not any(name in request.filters for name in PRACTICE_FACETS)
    want_kpis = kind in (None, "kpi") and all(name in KPI_FACETS for name in request.filters)
    if want_practices and not want_questions and not want_kpis:
        filters = ArchiveFilters(q=words, status="", sort="recent", **practice_filters)
        page = db.paginate(archive_query(filters, user), page=request.page, per_page=per_page, error_out=False)
        results = SearchResults(request=request, total=page.total or 0, incomplete=True)
        results.practice_total = results.total
        results.hits = [Hit(p, Markup("")) for p in page.items]
    else:
        # Every kind asked for, newest first: the first page * per_page of each, merged (pages are short).
        limit = request.page * per_page
        dated: list[tuple] = []
        totals = {"practice": 0, "question": 0, "kpi": 0}

        def count(query) -> int:
            return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0

        if want_practices:
            query = archive_query(ArchiveFilters(q=words, status="", sort="recent", **practice_filters), user)
            totals["practice"] = count(query)
            dated += [(p.published_at or p.created_at, Hit(p, Markup("")))
                      for p in db.session.execute(query.limit(limit)).scalars()]
        if want_questions:
            query = _question_database_query(words, request.filters, user)
            totals["question"] = count(query)
            dated += [(q.created_at, Hit(None, Markup(""), question=q)) for q in db.session.execute(
                query.order_by(Question.created_at.desc(), Question.id.desc()).limit(limit)).scalars()]
        if want_kpis:
            query = kpi_database_query(words, request.filters, user)
            totals["kpi"] = count(query)
            dated += [(kpi_date(d), Hit(None, Markup(""), kpi=d))
                      for d in db.session.execute(query.limit(limit)).scalars()]
        dated.sort(key=lambda pair: pair[0], reverse=True)
        results = SearchResults(request=request, total=sum(totals.values()), incomplete=True,
                                practice_total=totals["practice"], question_total=totals["question"],
                                kpi_total=totals["kpi"])
        results.hits = [hit for _, hit in dated[(request.page - 1) * per_page:limit]]
    results.page = ListPagination(page=request.page, per_page=per_page, error_out=False, items=results.hits,
                                  total=results.total)
    return results
