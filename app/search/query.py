"""Running a search for one reader: the query language, facets, "did you mean", snippets, and what the reader may see.

Visibility is decided at query time, from the database: a mask hides the practices of communities the reader may not
see, drafts of other organisations, and anything whose queued index work would make it unreadable. The hits shown are
then read from the database through the same rules as every other page, so a stale index can never show more.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import nh3
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from whoosh import highlight, qparser, sorting
from whoosh.collectors import FilterCollector
from whoosh.searching import TimeLimit
from whoosh.support.charset import accent_map
from whoosh.query import And, Every, Not, NullQuery, Or, Phrase, Term

from app import geo
from app.activity.services import visible_communities_clause
from app.extensions import db
from app.forms import clean_line
from app.models import (BUDGET_MISSIONS, KIND_LABELS, PA_KIND_LABELS, THEME_LABELS, Community, Practice,
                        SearchPending)
from app.practices.services import ArchiveFilters, archive_query, readable_clause
from app.search.index import IndexUnavailable
from app.search.schema import FACETS, build_schema, spelling_analyzer

SORTS = ("relevance", "recent")
_FOLD = accent_map  # str.translate table: città -> citta, as the index folds it
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}


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


class _ListCategorizer(sorting.Categorizer):
    """A facet's value per document from a list in memory (see SearchIndex.facet_values)."""

    def __init__(self, values: list):
        self.values, self.offset = values, 0

    def set_searcher(self, segment_searcher, offset):
        self.offset = offset

    def key_for(self, matcher, segment_docnum):
        return self.values[self.offset + segment_docnum]


class _ListFacet(sorting.FacetType):
    maptype = sorting.Count

    def __init__(self, values: list):
        self.values = values

    def categorizer(self, global_searcher):
        return _ListCategorizer(self.values)


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
class FacetValue:
    value: str
    label: str
    count: int
    active: bool


@dataclass
class Hit:
    practice: Practice
    snippet: Markup


@dataclass
class SearchResults:
    request: SearchRequest
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: ListPagination | None = None
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestion: str | None = None
    incomplete: bool = False  # the index is being rebuilt: these results come from a simpler database search
    notice: str | None = None


# ---- reading the request -----------------------------------------------------------------------------------------

def _facet_choices() -> dict[str, set[str] | None]:
    return {
        "theme": set(THEME_LABELS),
        "mission": set(BUDGET_MISSIONS),
        "region": {code for code, _ in geo.REGIONS},
        "donor_kind": set(PA_KIND_LABELS) | set(KIND_LABELS),
        "licence": None,  # any licence expression; an unknown one simply finds nothing
        "community": None,  # checked against the communities the reader may see
        "origin": set(ORIGIN_LABELS),
    }


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
        if organization_id is None:
            parts.append(Term("status", "draft"))
        else:
            parts.append(And([Term("status", "draft"), Not(Term("donor_ids", str(organization_id)))]))
    # Queued work means the index may still describe an older state: hide what the database says is not readable
    # (the database picks them, so the cost does not grow with the queue).
    readable_now = (select(Practice.id).join(Community, Practice.community_id == Community.id)
                    .where(Practice.id == SearchPending.practice_id, visible_communities_clause(user),
                           readable_clause(user)))
    unreadable = list(db.session.execute(
        select(SearchPending.practice_id).where(~readable_now.exists()).distinct()
        .limit(MAX_QUEUED_MASK + 1)).scalars())
    if len(unreadable) > MAX_QUEUED_MASK:
        raise IndexUnavailable(f"more than {MAX_QUEUED_MASK} queued changes hide practices")
    parts += [Term("id", str(i)) for i in sorted(unreadable)]
    return Or(parts) if parts else None


# ---- the query language ----------------------------------------------------------------------------------------

_SCHEMA = None
# A wildcard needs three letters before it (pro*): a lone * or *a* would walk every term of the index.
_SHORT_WILDCARD = re.compile(r"(?<!\w\w\w)\*|\?")
# + and - are operators only at the start of a word: e-procurement and anti-corruzione stay words.
_AT_WORD_START = r"(?:(?<=\s)|(?<=\()|^)"
_SYNTAX = re.compile(r'["()*+\-]|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b')


class QueryNotUnderstood(Exception):
    """Whoosh's parser refused the text (half-typed operators such as `appalti NOT OR`)."""


def _parser() -> qparser.QueryParser:
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = build_schema()
    parser = qparser.MultifieldParser(["title", "summary", "tags", "donors", "content"], _SCHEMA,
                                      group=qparser.AndGroup)
    # Fields are ours, not the reader's: `status:draft` must be a word, never a way around the mask.
    parser.remove_plugin_class(qparser.FieldsPlugin)
    parser.remove_plugin_class(qparser.BoostPlugin)
    # Ranges and free wildcards can cost seconds on a large index; prefixes (pro*) are enough for people.
    parser.remove_plugin_class(qparser.RangePlugin)
    parser.remove_plugin_class(qparser.WildcardPlugin)
    parser.add_plugin(qparser.PrefixPlugin())
    parser.add_plugin(qparser.PlusMinusPlugin(plusexpr=_AT_WORD_START + r"\+", minusexpr=_AT_WORD_START + "-"))
    return parser


def parse_query(text: str):
    """Words (all of them), "phrases", -exclusion, prefix*, OR; QueryNotUnderstood if the parser gives up."""
    text = _SHORT_WILDCARD.sub(" ", text).strip()
    if not text:
        return Every()
    try:
        return _parser().parse(text)
    except Exception as error:  # the parser raises NotImplementedError, IndexError, AssertionError...
        raise QueryNotUnderstood(str(error)) from error


def _pairs(words) -> list:
    return [Term("pairs", f"{first} {second}") for first, second in zip(words, words[1:])]


def _phrase_by_pairs(query):
    """A quoted phrase looked up in the `pairs` field instead of checking word positions in Python (10x slower than
    SQLite FTS5 at p95 in bench/search.py). Exact for two words; a longer phrase becomes a chain of adjacent pairs,
    which could also match "a b" and "b c" written apart — rare in real text, and we chose speed."""
    if isinstance(query, Or) and query.subqueries and all(isinstance(c, Phrase) for c in query.subqueries) \
            and len({tuple(c.words) for c in query.subqueries}) == 1 and len(query.subqueries[0].words) >= 2:
        return And(_pairs(query.subqueries[0].words))  # the parser writes a phrase once per field
    if isinstance(query, Phrase) and len(query.words) >= 2:
        return And(_pairs(query.words))
    return query if query.is_leaf() else query.apply(_phrase_by_pairs)


def fast_query(query):
    """The query as it is run: phrases through word pairs (the parsed query still drives the highlights)."""
    return _phrase_by_pairs(query).normalize()


def plain_words(text: str) -> str:
    """The text with every operator and symbol removed: what is searched when the syntax is not understood."""
    return " ".join(_SYNTAX.sub(" ", text).split())


def _is_empty(query) -> bool:
    """Nothing left to look for (the words were all stop words, or only exclusions)."""
    return query is None or query is NullQuery


# ---- running it ------------------------------------------------------------------------------------------------

def _filter_query(request: SearchRequest, communities: dict[str, Community]):
    terms = []
    for name, value in request.filters.items():
        if name == "community":
            value = str(communities[value].id)
        terms.append(Term(name, value))
    return And(terms) if terms else None


def _facet_labels(name: str, value: str, communities_by_id: dict[str, Community]) -> tuple[str, str] | None:
    """(value for the URL, label) of a facet value, or None when this reader may not see it."""
    if name == "community":
        community = communities_by_id.get(value)
        return (community.slug, community.name) if community else None
    label = {
        "theme": lambda v: THEME_LABELS.get(v),
        "mission": lambda v: f"{v} · {BUDGET_MISSIONS[v]}" if v in BUDGET_MISSIONS else None,
        "region": geo.region_name,
        "donor_kind": lambda v: PA_KIND_LABELS.get(v) or KIND_LABELS.get(v),
        "licence": lambda v: v,
        "origin": lambda v: ORIGIN_LABELS.get(v),
    }[name](value)
    return (value, str(label)) if label else None


ORIGIN_LABELS = {"documented": _l("Documentate sulla piattaforma"),
                 "catalogue": _l("Dal catalogo del riuso (publiccode.yml)")}

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


def _finds_any(searcher, query, filter_query, mask) -> bool:
    return not searcher.search(query, limit=1, filter=filter_query, mask=mask).is_empty()


def _suggest(searcher, text: str, filter_query, mask) -> str | None:
    """A corrected query, offered only if it finds something this reader may see.

    A word counts as known only if a document the reader may see contains it, and a replacement must itself occur in
    such a document: otherwise the presence or absence of a suggestion would tell whether hidden practices contain
    a word. Only a few words of four letters or more are corrected (the corrector walks the word list)."""
    corrector = searcher.corrector("spell")
    corrected, shift, changed = text, 0, False
    # Whoosh reuses one Token object for the whole stream: copy what is needed as the tokens go by.
    words = [(t.text, t.startchar, t.endchar) for t in spelling_analyzer()(text, chars=True)
             if len(t.text) >= 4 and t.text.upper() not in _OPERATORS]
    for word, start, end in words[:5]:
        if _finds_any(searcher, Term("spell", word), None, mask):
            continue
        for candidate in corrector.suggest(word, limit=8, maxdist=2, prefix=1):
            if candidate != word and _finds_any(searcher, Term("spell", candidate), None, mask):
                corrected = corrected[:start + shift] + candidate + corrected[end + shift:]
                shift += len(candidate) - (end - start)
                changed = True
                break
    if not changed or corrected == text:
        return None
    try:
        return corrected if _finds_any(searcher, fast_query(parse_query(corrected)), filter_query, mask) else None
    except QueryNotUnderstood:
        return None


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
        page_hits = [(int(hit["id"]), _snippet(hit, stems))
                     for hit in found[(request.page - 1) * per_page:request.page * per_page]]
        counts = {name: found.groups(name) for name in FACETS}
        if results.total == 0 and request.q:
            results.suggestion = _suggest(searcher, request.q, filter_query, mask)
    practices = _load_readable([practice_id for practice_id, _ in page_hits], user)
    # A snippet of a practice with queued work may quote text its donors just removed: show the summary instead.
    queued = set(db.session.execute(select(SearchPending.practice_id).where(
        SearchPending.practice_id.in_(list(practices)))).scalars()) if practices else set()
    results.hits = [Hit(practices[i], Markup("") if i in queued else snippet)
                    for i, snippet in page_hits if i in practices]
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
    filters = ArchiveFilters(q=plain_words(request.q), status="",
                             sort="recent", **{k: v for k, v in request.filters.items()})
    per_page = current_app.config["SEARCH_PER_PAGE"]
    page = db.paginate(archive_query(filters, user), page=request.page, per_page=per_page, error_out=False)
    results = SearchResults(request=request, total=page.total or 0, incomplete=True)
    results.hits = [Hit(p, Markup("")) for p in page.items]
    results.page = ListPagination(page=request.page, per_page=per_page, error_out=False, items=results.hits,
                                  total=results.total)
    return results
