"""Queries of the library's pages (issue 16): the filtered list, a KPI's page with its versions and history, the
reference taxonomies with the number of published KPIs per term. Read-only: nothing here writes."""
from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Select, String, cast, func, or_, select, union_all
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.kpi import access
from app.kpi.workflow import DefinitionStatus, Level
from app.models import (KpiChange, KpiDefinition, KpiVersion, ReferenceScheme, ReferenceTerm, User)
from app.models.kpi import kpi_version_term

PER_PAGE = 20
QUERY_MAX = 100  # characters of free text kept from the search box
WORDS_MAX = 8
MISSION_SCHEMES = (ReferenceScheme.MISSION_LOCAL, ReferenceScheme.MISSION_STATE, ReferenceScheme.PROGRAMME_LOCAL)
STATUS_CHOICES = ("published", "deprecated", "proposals")
SORT_CHOICES = ("name", "adopted", "newest")


@dataclass
class LibraryFilters:
    """What the reader chose in the library's filters (already cleaned: unknown values are empty)."""

    q: str = ""
    mission: str = ""
    bes: str = ""
    sdg: str = ""
    level: str = ""
    piao: str = ""
    status: str = "published"
    sort: str = "name"

    def query_args(self) -> dict:
        """The non-default filters, as URL arguments (links to the same list, the CSV export)."""
        args = {name: getattr(self, name) for name in ("q", "mission", "bes", "sdg", "level", "piao")
                if getattr(self, name)}
        if self.status != "published":
            args["status"] = self.status
        if self.sort != "name":
            args["sort"] = self.sort
        return args


def _text(value, limit: int = QUERY_MAX) -> str:
    """A request argument as plain text: no NUL or other control characters (PostgreSQL refuses NUL)."""
    if not isinstance(value, str):
        return ""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in value[: limit * 4]).split())[:limit]


def _current_term(schemes, code: str) -> ReferenceTerm | None:
    if not code or len(code) > 16:
        return None
    return db.session.scalar(select(ReferenceTerm).where(
        ReferenceTerm.scheme.in_(schemes), ReferenceTerm.code == code, ReferenceTerm.valid_to.is_(None))
        .order_by(ReferenceTerm.scheme))


def parse_filters(args) -> tuple[LibraryFilters, dict[str, ReferenceTerm]]:
    """The filters from the query string; unknown codes and choices are dropped (never an error page)."""
    filters = LibraryFilters(q=_text(args.get("q")))
    found: dict[str, ReferenceTerm] = {}
    for name, schemes in (("mission", MISSION_SCHEMES), ("bes", (ReferenceScheme.BES_DOMAIN,)),
                          ("sdg", (ReferenceScheme.SDG,)), ("piao", (ReferenceScheme.PIAO_SUBSECTION,))):
        term = _current_term(schemes, _text(args.get(name), 16))
        if term is not None:
            found[name] = term
            setattr(filters, name, term.code)
    level = _text(args.get("level"), 24)
    filters.level = level if level in {str(each) for each in Level} else ""
    status = _text(args.get("status"), 16)
    filters.status = status if status in STATUS_CHOICES else "published"
    sort = _text(args.get("sort"), 16)
    filters.sort = sort if sort in SORT_CHOICES else "name"
    return filters, found


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _word_clause(word: str):
    """One word in the name, the short name or the tags (stored as JSON: non-ASCII letters are escaped there)."""
    tags = func.lower(cast(KpiVersion.tags, String))
    in_json = json.dumps(word)[1:-1]
    clauses = [func.lower(KpiVersion.name).like(_like(word), escape="\\"),
               func.lower(KpiVersion.short_name).like(_like(word), escape="\\"),
               tags.like(_like(word), escape="\\")]
    if in_json != word:
        clauses.append(tags.like(_like(in_json.lower()), escape="\\"))
    return or_(*clauses)


def _with_term(term: ReferenceTerm):
    """Current versions tagged with the term (a mission also through its programmes)."""
    term_ids = select(ReferenceTerm.id).where(or_(ReferenceTerm.id == term.id, ReferenceTerm.parent_id == term.id))
    return KpiVersion.id.in_(select(kpi_version_term.c.version_id).where(kpi_version_term.c.term_id.in_(term_ids)))


def _status_clause(status: str):
    if status == "deprecated":
        return KpiDefinition.status == DefinitionStatus.DEPRECATED
    if status == "proposals":
        return KpiDefinition.status.in_(access.PROPOSAL_STATUSES)
    return KpiDefinition.status == DefinitionStatus.PUBLISHED


def _filtered(user, filters: LibraryFilters, terms: dict[str, ReferenceTerm]) -> Select:
    """The definitions the reader may see matching every filter but the status (joined to their current version)."""
    query = (select(KpiDefinition).join(KpiVersion, KpiVersion.id == KpiDefinition.current_version_id)
             .where(access.visible_definitions_clause(user)))
    for word in filters.q.lower().split()[:WORDS_MAX]:
        query = query.where(_word_clause(word))
    for name in ("mission", "sdg"):
        if name in terms:
            query = query.where(_with_term(terms[name]))
    if "bes" in terms:
        query = query.where(KpiVersion.bes_domain_id == terms["bes"].id)
    if "piao" in terms:
        query = query.where(KpiVersion.piao_subsection_id == terms["piao"].id)
    if filters.level:
        query = query.where(KpiVersion.level == filters.level)
    return query


def library_query(user, filters: LibraryFilters, terms: dict[str, ReferenceTerm]) -> Select:
    """The library's list: the visible definitions matching the filters, in the chosen order, cards ready."""
    query = _filtered(user, filters, terms).where(_status_clause(filters.status)).options(
        selectinload(KpiDefinition.current_version).selectinload(KpiVersion.terms))
    if filters.sort == "adopted":
        order = (KpiDefinition.adoption_count.desc(), func.lower(KpiVersion.name))
    elif filters.sort == "newest":
        order = (func.coalesce(KpiDefinition.published_at, KpiDefinition.created_at).desc(),)
    else:
        order = (func.lower(KpiVersion.name),)
    return query.order_by(*order, KpiDefinition.id)


def status_counts(user, filters: LibraryFilters, terms: dict[str, ReferenceTerm]) -> dict[str, int]:
    """How many visible definitions match the other filters, per status choice (one grouped query)."""
    query = _filtered(user, filters, terms).with_only_columns(
        KpiDefinition.status, func.count(KpiDefinition.id)).group_by(KpiDefinition.status)
    counts = dict(db.session.execute(query).all())
    return {"published": counts.get(DefinitionStatus.PUBLISHED, 0),
            "deprecated": counts.get(DefinitionStatus.DEPRECATED, 0),
            "proposals": sum(counts.get(status, 0) for status in access.PROPOSAL_STATUSES)}


def paginate(query: Select, page: int):
    return db.paginate(query, page=max(1, min(page, 10_000)), per_page=PER_PAGE, max_per_page=PER_PAGE,
                       error_out=False)


def filter_terms() -> dict[str, list[ReferenceTerm]]:
    """The terms offered by the filters, in one query: missions (policy ones first), BES, SDGs, PIAO."""
    rows = db.session.execute(select(ReferenceTerm).where(
        ReferenceTerm.valid_to.is_(None), ReferenceTerm.scheme.in_(
            (ReferenceScheme.MISSION_LOCAL, ReferenceScheme.MISSION_STATE, ReferenceScheme.BES_DOMAIN,
             ReferenceScheme.SDG, ReferenceScheme.PIAO_SUBSECTION)))
        .order_by(ReferenceTerm.scheme, ReferenceTerm.position)).scalars().all()
    by_scheme: dict[str, list[ReferenceTerm]] = {}
    for term in rows:
        by_scheme.setdefault(term.scheme, []).append(term)
    return by_scheme


# ---- a KPI's page ----------------------------------------------------------------------------------------------

def _version_options():
    return (selectinload(KpiVersion.terms), selectinload(KpiVersion.piao_subsection),
            selectinload(KpiVersion.bes_domain))


def definition_for(user, slug: str) -> KpiDefinition | None:
    """The definition by its slug with what its page shows, if the reader may see it (None otherwise)."""
    if not isinstance(slug, str) or "\x00" in slug or len(slug) > 120:
        return None
    definition = db.session.scalar(select(KpiDefinition).where(KpiDefinition.slug == slug).options(
        selectinload(KpiDefinition.current_version).options(*_version_options()),
        selectinload(KpiDefinition.versions), selectinload(KpiDefinition.community),
        selectinload(KpiDefinition.programme), selectinload(KpiDefinition.author_organization),
        selectinload(KpiDefinition.replaced_by).selectinload(KpiDefinition.current_version)))
    if definition is None or not access.can_view_definition(user, definition):
        return None
    return definition


def version_of(definition: KpiDefinition, number: int) -> KpiVersion | None:
    """One version of the definition, with its taxonomies."""
    return db.session.scalar(select(KpiVersion).where(
        KpiVersion.definition_id == definition.id, KpiVersion.number == number).options(*_version_options()))


def changes_of(definition: KpiDefinition) -> list[KpiChange]:
    """The definition's history, oldest first, with who did each step."""
    return list(db.session.execute(select(KpiChange).where(KpiChange.definition_id == definition.id).options(
        selectinload(KpiChange.actor).selectinload(User.organization))
        .order_by(KpiChange.created_at, KpiChange.id)).scalars())


# ---- the reference page ----------------------------------------------------------------------------------------

def reference_terms() -> list[ReferenceTerm]:
    """Every reference term (all editions), with their parents, in one query."""
    return list(db.session.execute(select(ReferenceTerm).order_by(
        ReferenceTerm.scheme, ReferenceTerm.valid_from.desc(), ReferenceTerm.position, ReferenceTerm.id)).scalars())


def published_counts() -> dict[int, int]:
    """The number of published KPIs per term (missions, SDGs through the current version; BES domains; PIAO
    sub-sections), in one grouped query."""
    published = KpiDefinition.status == DefinitionStatus.PUBLISHED
    by_link = (select(kpi_version_term.c.term_id.label("term_id"), func.count(KpiDefinition.id).label("n"))
               .select_from(kpi_version_term)
               .join(KpiDefinition, KpiDefinition.current_version_id == kpi_version_term.c.version_id)
               .where(published).group_by(kpi_version_term.c.term_id))
    by_bes = (select(KpiVersion.bes_domain_id.label("term_id"), func.count(KpiDefinition.id).label("n"))
              .join(KpiDefinition, KpiDefinition.current_version_id == KpiVersion.id)
              .where(published, KpiVersion.bes_domain_id.is_not(None)).group_by(KpiVersion.bes_domain_id))
    by_piao = (select(KpiVersion.piao_subsection_id.label("term_id"), func.count(KpiDefinition.id).label("n"))
               .join(KpiDefinition, KpiDefinition.current_version_id == KpiVersion.id)
               .where(published, KpiVersion.piao_subsection_id.is_not(None))
               .group_by(KpiVersion.piao_subsection_id))
    return {term_id: count for term_id, count in db.session.execute(union_all(by_link, by_bes, by_piao)).all()}


@dataclass
class SchemeEdition:
    """The terms of one scheme in one edition, with its validity."""

    scheme: str
    edition: str
    valid_from: object
    valid_to: object
    terms: list


def reference_schemes(schemes) -> tuple[list[SchemeEdition], dict[int, list[ReferenceTerm]]]:
    """The schemes by edition (current edition first) and the programmes of each mission (by the mission's id)."""
    editions: dict[tuple[str, str, object], SchemeEdition] = {}
    programmes: dict[int, list[ReferenceTerm]] = {}
    for term in reference_terms():
        if term.scheme == ReferenceScheme.PROGRAMME_LOCAL and term.parent_id is not None:
            programmes.setdefault(term.parent_id, []).append(term)
            continue
        key = (term.scheme, term.edition, term.valid_from)
        if key not in editions:
            editions[key] = SchemeEdition(term.scheme, term.edition, term.valid_from, term.valid_to, [])
        editions[key].terms.append(term)
    order = {scheme: index for index, scheme in enumerate(schemes)}
    found = sorted(editions.values(), key=lambda e: (order.get(e.scheme, len(order)), e.valid_to is not None,
                                                     -e.valid_from.toordinal()))
    return found, programmes
