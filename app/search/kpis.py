"""The KPI definitions' side of a search (issue 16): their part of the reader's mask, re-reading KPI hits and their
excerpts, the database search for KPIs when the index cannot answer, and the similar KPIs of the proposal form.

Who may see a definition is app.kpi.access's rule, read from the database every time: the index only narrows what
is looked at (its status field hides proposals and withdrawn definitions from whoever may not see them, so that
totals and facet counts never count them), and every hit is read again through `visible_definitions_clause`."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import String, and_, cast, func, or_, select
from sqlalchemy.orm import selectinload
from whoosh.query import And, Not, Or, Prefix, Term
from whoosh.support.charset import accent_map

from app import permissions
from app.extensions import db
from app.forms import clean_line
from app.kpi.access import PUBLIC_STATUSES, visible_definitions_clause
from app.kpi.workflow import DefinitionStatus
from app.markdown import markdown_text
from app.models import KpiDefinition, KpiVersion, ReferenceTerm, SearchPending
from app.models.kpi import NAME_MAX
from app.search.documents import kpi_key, parse_key
from app.search.index import IndexUnavailable
from app.search.language import plain_words
from app.search.schema import italian_analyzer

# The filters a KPI document can match: any other (community, theme, solved …) is about practices or questions.
KPI_FACETS = ("type", "mission")
# More proposals than this visible to one reader (not an administrator) are not masked one by one.
MAX_VISIBLE_PROPOSALS = 2000


def mission_filter(code: str):
    """A mission filter finds practices of that mission and KPIs with it among theirs (not only their first)."""
    return Or([Term("mission", code), Term("kpi_missions", code)])


# ---- the reader's mask ---------------------------------------------------------------------------------------

def _visible_proposal_ids(user) -> list[int]:
    """The definitions not yet (or never) public that this reader may see, by the database."""
    if not permissions.is_member(user):
        return []  # visible_definitions_clause gives them only the public ones
    ids = list(db.session.execute(
        select(KpiDefinition.id).where(KpiDefinition.status.not_in(PUBLIC_STATUSES),
                                       visible_definitions_clause(user))
        .order_by(KpiDefinition.id).limit(MAX_VISIBLE_PROPOSALS + 1)).scalars())
    if len(ids) > MAX_VISIBLE_PROPOSALS:
        raise IndexUnavailable(f"more than {MAX_VISIBLE_PROPOSALS} KPI proposals to unmask")
    return ids


def kpi_mask(user):
    """The KPI documents this reader must never get, or None (administrators see every definition).

    By the index's status: every definition that is not published or deprecated, except those the database says
    this reader may see. A definition only ever moves towards public (or to withdrawn), so a stale status in the
    index can hide too much for a moment, never too little; queued work is masked apart (unreadable_queued_kpis)."""
    if permissions.is_admin(user):
        return None
    not_public = And([Term("type", "kpi"), Not(Or([Term("status", str(s)) for s in PUBLIC_STATUSES]))])
    visible = _visible_proposal_ids(user)
    if not visible:
        return not_public
    return And([not_public, Not(Or([Term("id", kpi_key(i)) for i in visible]))])


def unreadable_queued_kpis(user, limit: int) -> list[int]:
    """Definitions with queued index work that the database says this reader may not see (at most `limit`)."""
    visible_now = select(KpiDefinition.id).where(KpiDefinition.id == SearchPending.kpi_id,
                                                 visible_definitions_clause(user))
    return list(db.session.execute(
        select(SearchPending.kpi_id).where(SearchPending.kpi_id.is_not(None), ~visible_now.exists())
        .distinct().limit(limit)).scalars())


# ---- reading hits back ---------------------------------------------------------------------------------------

def _with_version(query):
    version = selectinload(KpiDefinition.current_version)
    return query.options(version.selectinload(KpiVersion.terms))


def load_visible_kpis(ids: list[int], user) -> dict[int, KpiDefinition]:
    """The definitions of a page of hits, read again through the rule of every KPI page (app.kpi.access)."""
    if not ids:
        return {}
    query = _with_version(select(KpiDefinition).where(KpiDefinition.id.in_(ids), visible_definitions_clause(user)))
    return {d.id: d for d in db.session.execute(query).scalars()}


def kpi_excerpt(definition: KpiDefinition) -> str:
    """The beginning of a KPI's definition, in plain text, for a hit without a snippet."""
    version = definition.current_version
    if version is None:
        return ""
    text = " ".join(markdown_text(version.description or "").split()) or version.formula or version.short_name
    return text if len(text) <= 240 else text[:240].rsplit(" ", 1)[0] + " …"


# ---- when the index cannot answer ------------------------------------------------------------------------------

def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _text_columns():
    return (KpiVersion.name, KpiVersion.short_name, KpiVersion.description, cast(KpiVersion.tags, String),
            KpiDefinition.code, KpiVersion.external_code)


def kpi_database_query(words: str, filters: dict[str, str], user):
    """Definitions whose name, short name, definition, tags or codes hold every word, as this reader may see them;
    newest first."""
    query = (select(KpiDefinition).join(KpiVersion, KpiVersion.id == KpiDefinition.current_version_id)
             .where(visible_definitions_clause(user)))
    for word in words.lower().split()[:8]:
        query = query.where(or_(*(func.lower(column).like(_like(word), escape="\\") for column in _text_columns())))
    if filters.get("mission"):
        query = query.where(KpiVersion.terms.any(and_(ReferenceTerm.scheme == "mission_local",
                                                      ReferenceTerm.code == filters["mission"])))
    return _with_version(query).order_by(func.coalesce(KpiDefinition.published_at, KpiDefinition.created_at).desc(),
                                         KpiDefinition.id.desc())


def kpi_date(definition: KpiDefinition):
    return definition.published_at or definition.created_at


# ---- similar KPIs while proposing one (issue 16, point 3) ----------------------------------------------------

SIMILAR_KPI_MIN_CHARS = 3
SIMILAR_KPI_LIMIT = 5
_SIMILAR_CANDIDATES = 30
_SIMILAR_FIELDS = ("title", "tags")  # the name; the short name and the tags
_PREFIX_MIN = 3  # a shorter last word would expand to half the index's terms


def _similar_query(words: list[str]):
    """Any of the words (the more the better) in the name, short name or tags; the last one, maybe half-typed, also
    as a prefix. No operators: a name being typed is not a query."""
    analyzer = italian_analyzer()
    stems = list(dict.fromkeys(token.text for word in words for token in analyzer(word)))
    last = words[-1].lower().translate(accent_map)
    parts = [Term(field, stem) for field in _SIMILAR_FIELDS for stem in stems]
    if len(last) >= _PREFIX_MIN and last.replace("-", "").replace(".", "").isalnum():
        parts += [Prefix(field, last) for field in _SIMILAR_FIELDS]
    return Or(parts) if parts else None


def _similar_by_database(words: list[str], user) -> list[KpiDefinition]:
    """The index cannot answer: names, short names and tags holding any of the longer words, those holding the
    most first."""
    longer = [w.lower() for w in words if len(w) >= _PREFIX_MIN] or [w.lower() for w in words]
    columns = (KpiVersion.name, KpiVersion.short_name, cast(KpiVersion.tags, String))
    found = db.session.execute(_with_version(
        select(KpiDefinition).join(KpiVersion, KpiVersion.id == KpiDefinition.current_version_id)
        .where(visible_definitions_clause(user), KpiDefinition.status != DefinitionStatus.WITHDRAWN,
               or_(*(func.lower(column).like(_like(word), escape="\\") for word in longer for column in columns)))
        .order_by(KpiDefinition.adoption_count.desc(), KpiDefinition.id).limit(_SIMILAR_CANDIDATES))).scalars()

    def matched(definition: KpiDefinition) -> int:
        version = definition.current_version
        text = " ".join([version.name, version.short_name or "", " ".join(version.tags or [])]).lower()
        return sum(word in text for word in longer)

    return sorted(found, key=lambda d: -matched(d))


def similar_kpis(index, name: str, user, exclude: str = "") -> list[KpiDefinition]:
    """Up to five definitions this reader may see whose name is like the one being typed, the most similar first;
    none under three characters. Withdrawn ones are not suggested (they are not in the library), nor `exclude`
    (the slug of the definition being edited). A SQL search answers when the index cannot."""
    name = clean_line(name or "")[:NAME_MAX]
    if len(name.strip()) < SIMILAR_KPI_MIN_CHARS:
        return []
    words = plain_words(name).split()[:current_app.config["SEARCH_MAX_WORDS"]]
    if not words:
        return []
    try:
        query = _similar_query(words)
        if query is None:
            return []
        mask_parts = [part for part in (kpi_mask(user),) if part is not None]
        mask_parts += [Term("id", kpi_key(i)) for i in unreadable_queued_kpis(user, 501)]
        wanted = And([Term("type", "kpi"), Not(Term("status", str(DefinitionStatus.WITHDRAWN)))])
        with index.searcher() as searcher:
            found = searcher.search(query, limit=_SIMILAR_CANDIDATES, filter=wanted,
                                    mask=Or(mask_parts) if mask_parts else None)
            ids = [parse_key(hit["id"])[1] for hit in found]
        definitions = load_visible_kpis(ids, user)
        ordered = [definitions[i] for i in ids if i in definitions]
    except IndexUnavailable as problem:
        from app.search.writer import wake

        current_app.logger.warning("Similar KPIs from the database (%s)", problem)
        wake()
        ordered = _similar_by_database(words, user)
    return [d for d in ordered if d.slug != exclude and d.status != DefinitionStatus.WITHDRAWN][:SIMILAR_KPI_LIMIT]
