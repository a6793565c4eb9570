"""The search's facets: the values a filter may take, their labels, and Whoosh facets over values in memory.

Split from app.search.query (which re-exports these names)."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from whoosh import sorting
from whoosh.query import And, Term

from app import geo
from app.models import BUDGET_MISSIONS, KIND_LABELS, PA_KIND_LABELS, THEME_LABELS, Community
from app.search.kpis import mission_filter
from app.search.questions import SOLVED_LABELS, TYPE_LABELS

ORIGIN_LABELS = {"documented": _l("Documentate sulla piattaforma"),
                 "catalogue": _l("Dal catalogo del riuso (publiccode.yml)")}
# Only the recognised ones are a choice: "not recognised" is every other practice, not a useful filter.
RECOGNISED_LABELS = {"yes": _l("Buone pratiche riconosciute")}
# Facets that only practices have: a search filtered on one finds no question (KPIs have a mission too, see
# app.search.kpis.KPI_FACETS).
PRACTICE_FACETS = ("recognised", "origin", "theme", "mission", "region", "donor_kind", "licence")


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


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    active: bool


def _facet_choices() -> dict[str, set[str] | None]:
    return {
        "theme": set(THEME_LABELS),
        "mission": set(BUDGET_MISSIONS),
        "region": {code for code, _ in geo.REGIONS},
        "donor_kind": set(PA_KIND_LABELS) | set(KIND_LABELS),
        "licence": None,  # any licence expression; an unknown one simply finds nothing
        "community": None,  # checked against the communities the reader may see
        "origin": set(ORIGIN_LABELS),
        "recognised": set(RECOGNISED_LABELS),
        "type": set(TYPE_LABELS),
        "solved": set(SOLVED_LABELS),
    }


def _filter_query(request, communities: dict[str, Community]):
    terms = []
    for name, value in request.filters.items():
        if name == "community":
            value = str(communities[value].id)
        terms.append(mission_filter(value) if name == "mission" else Term(name, value))
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
        "recognised": lambda v: RECOGNISED_LABELS.get(v),
        "type": lambda v: TYPE_LABELS.get(v),
        "solved": lambda v: SOLVED_LABELS.get(v),
    }[name](value)
    return (value, str(label)) if label else None
