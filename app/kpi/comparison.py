"""The comparison of a KPI across its adopters and an administration's KPIs against its targets (issue 16, point 6).

Each page costs a fixed number of queries whatever the number of adopters: the definition with its versions, the
active adoptions with their organisations, the values the reader may see (access.visible_values_clause). Rows are
in alphabetical order unless the reader asks for the order by value; the polarity then says which end is better.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from app import permissions
from app.extensions import db
from app.indicators import charts
from app.kpi import access
from app.kpi.filters import kpi_number
from app.kpi.labels import COMPARABILITY_CAVEAT, LEVEL_PA_KINDS
from app.kpi.workflow import Polarity, ValueStatus, target_met
from app.models import KpiAdoption, KpiDefinition, KpiValue, KpiVersion, Organization
from app.models.organization import OrganizationStatus

PEERS = ("level", "all", "chosen")
SORTS = ("name", "value")
MAX_CHOSEN = 12  # organisations a reader may pick
MAX_SERIES = 12  # lines on the chart (the table has every row)
MAX_ORG_PARAMS = 200  # org parameters read at all; the rest of a crafted URL is dropped unread
SLUG_MAX = 220
CHART_WIDTH = 720
LEGEND_ENTRY = 170  # line_chart puts its legend on one row, 170 units per series


def clean_slug(text) -> str:
    """A slug from the URL: no NUL (PostgreSQL refuses it), trimmed, bounded."""
    return str(text or "").replace("\x00", "").strip()[:SLUG_MAX]


@dataclass(frozen=True)
class CompareFilters:
    peers: str = "level"
    chosen: tuple[str, ...] = ()
    year: int | None = None
    sort: str = "name"
    dropped: int = 0  # organisations asked beyond MAX_CHOSEN

    def args(self) -> dict:
        """The filters as GET parameters (for links to the full page)."""
        found: dict = {"peers": self.peers}
        if self.peers == "chosen":
            found["org"] = list(self.chosen)
        if self.year is not None:
            found["year"] = self.year
        if self.sort != "name":
            found["sort"] = self.sort
        return found


def parse_filters(args: Mapping) -> CompareFilters:
    """The comparison's filters from the query string; what makes no sense falls back to the default."""
    slugs: list[str] = []
    for raw in (args.getlist("org") if hasattr(args, "getlist") else [])[:MAX_ORG_PARAMS]:
        slug = clean_slug(raw)
        if slug and slug not in slugs:
            slugs.append(slug)
    peers = clean_slug(args.get("peers"))
    if peers not in PEERS:
        peers = "chosen" if slugs and not peers else "level"
    year_text = clean_slug(args.get("year"))
    year = int(year_text) if re.fullmatch(r"[0-9]{4}", year_text) and 1900 <= int(year_text) <= 2100 else None
    sort = clean_slug(args.get("sort"))
    return CompareFilters(peers=peers, chosen=tuple(slugs[:MAX_CHOSEN]), year=year,
                          sort=sort if sort in SORTS else "name", dropped=max(len(slugs) - MAX_CHOSEN, 0))


def definition_for_comparison(slug: str) -> KpiDefinition | None:
    """The definition with every version (one query each), or None."""
    slug = clean_slug(slug)
    if not slug:
        return None
    return db.session.scalar(select(KpiDefinition).where(KpiDefinition.slug == slug)
                             .options(selectinload(KpiDefinition.versions)))


@dataclass
class YearValue:
    year: int
    period: str
    value: float
    provisional: bool


@dataclass
class Row:
    """One organisation of the comparison: its latest active adoption (version, baseline) and its values by year."""

    organization: Organization
    adoptions: list[KpiAdoption]  # latest plan first
    values: dict[int, YearValue] = field(default_factory=dict)
    own: bool = False
    focus: YearValue | None = None
    target: float | None = None
    met: bool | None = None

    @property
    def adoption(self) -> KpiAdoption:
        return self.adoptions[0]

    @property
    def version(self) -> KpiVersion:
        return self.adoption.version

    def target_for(self, year: int) -> float | None:
        for adoption in self.adoptions:
            if (target := adoption.target_for(year)) is not None:
                return target
        return None


@dataclass
class Comparison:
    definition: KpiDefinition
    version: KpiVersion  # the current one: its level decides the peers
    filters: CompareFilters
    adopters: list[Row]  # every active adopter (the chosen-set checkboxes)
    rows: list[Row]  # those compared, in the order shown
    years: list[int]  # the years with a value among the rows
    all_years: list[int]  # the years with a value among all adopters (the year choice)
    focus_year: int | None  # the year asked when it has values, else the latest with values
    unknown: list[str]  # chosen slugs that name no adopter (ignored)
    versions: list[KpiVersion]  # the versions the rows adopted, oldest first
    breaking: list[KpiVersion]  # versions between those adopted that break the series
    caveats: list[str]
    chart: Markup = Markup("")
    chart_rows: list[Row] = field(default_factory=list)
    chart_scrolls: bool = False

    @property
    def peer_kinds(self) -> tuple[str, ...] | None:
        return LEVEL_PA_KINDS.get(self.version.level)

    @property
    def year_without_values(self) -> bool:
        """A year was asked for which the compared organisations report nothing."""
        return self.filters.year is not None and self.filters.year != self.focus_year

    @property
    def general_caveat(self) -> str:
        return str(COMPARABILITY_CAVEAT)

    @property
    def versions_differ(self) -> bool:
        return len(self.versions) > 1


def _active_adoptions(definition_id: int) -> list[KpiAdoption]:
    """The definition's active adoptions by active organisations, alphabetical, latest plan first (one query)."""
    return list(db.session.scalars(
        select(KpiAdoption).join(Organization, KpiAdoption.organization_id == Organization.id)
        .where(KpiAdoption.definition_id == definition_id, KpiAdoption.active.is_(True),
               Organization.status == OrganizationStatus.ACTIVE)
        .options(contains_eager(KpiAdoption.organization))
        .order_by(Organization.sort_name, Organization.id, KpiAdoption.plan_year.desc(), KpiAdoption.id.desc())))


def visible_values(user, adoption_clause) -> list[KpiValue]:
    """The values the reader may see of the adoptions matched by `adoption_clause`, oldest period first."""
    return list(db.session.scalars(
        select(KpiValue).join(KpiAdoption, KpiValue.adoption_id == KpiAdoption.id)
        .where(adoption_clause, KpiAdoption.active.is_(True), access.visible_values_clause(user))
        .order_by(KpiValue.period, KpiValue.id)))


def values_by_year(values: list[KpiValue], adoption_order: list[int]) -> dict[int, YearValue]:
    """One value per year: the latest period of the year, from the latest plan when two plans report it."""
    rank = {adoption_id: position for position, adoption_id in enumerate(adoption_order)}
    found: dict[int, tuple[tuple, YearValue]] = {}
    for value in values:
        key = (-rank.get(value.adoption_id, len(rank)), value.period)
        if value.year not in found or key > found[value.year][0]:
            found[value.year] = (key, YearValue(value.year, value.period, value.value,
                                                value.status == ValueStatus.PROVISIONAL))
    return {year: entry for year, (_key, entry) in sorted(found.items())}


def is_met(version: KpiVersion, value: float | None, target: float | None) -> bool | None:
    if value is None:
        return None
    return target_met(version.polarity, value, target, version.range_low, version.range_high)


def _value_order(polarity: str, version: KpiVersion):
    """The sort key of "ordina per valore": the better end first as the polarity says; rows without value last."""
    def key(row: Row):
        if row.focus is None:
            return (1, 0.0, row.organization.sort_name)
        value = row.focus.value
        if polarity == Polarity.LOWER:
            score = value
        elif polarity == Polarity.RANGE:
            low, high = version.range_low, version.range_high
            score = (low - value if low is not None and value < low else
                     value - high if high is not None and value > high else 0.0)
        else:
            score = -value
        return (0, score, row.organization.sort_name)
    return key


def _peers(adopters: list[Row], version: KpiVersion, filters: CompareFilters) -> tuple[list[Row], list[str]]:
    if filters.peers == "chosen":
        by_slug = {row.organization.slug: row for row in adopters}
        unknown = [slug for slug in filters.chosen if slug not in by_slug]
        chosen = set(filters.chosen)
        return [row for row in adopters if row.organization.slug in chosen], unknown
    kinds = LEVEL_PA_KINDS.get(version.level)
    if filters.peers == "all" or kinds is None:
        return list(adopters), []
    return [row for row in adopters if row.organization.pa_kind in kinds], []


def build_comparison(definition: KpiDefinition, user, filters: CompareFilters) -> Comparison:
    """The comparison of `definition` for `user`: two queries (adoptions, values), three when the definition's
    versions were not loaded with it; nothing per row."""
    # The versions once for all (the adoptions' versions then come from the session, no query per row).
    versions_by_id = {each.id: each for each in definition.versions}
    version = versions_by_id.get(definition.current_version_id) or definition.current_version
    adoptions = _active_adoptions(definition.id)
    values = visible_values(user, KpiAdoption.definition_id == definition.id) if adoptions else []
    own_org = user.organization_id if permissions.is_member(user) else None
    grouped: dict[int, Row] = {}
    for adoption in adoptions:
        row = grouped.setdefault(adoption.organization_id, Row(adoption.organization, [],
                                                               own=adoption.organization_id == own_org))
        row.adoptions.append(adoption)
    adopters = list(grouped.values())
    values_of: dict[int, list[KpiValue]] = {}
    org_of_adoption = {adoption.id: adoption.organization_id for adoption in adoptions}
    for value in values:
        values_of.setdefault(org_of_adoption.get(value.adoption_id), []).append(value)
    for row in adopters:
        row.values = values_by_year(values_of.get(row.organization.id, []), [a.id for a in row.adoptions])
    all_years = sorted({year for row in adopters for year in row.values})

    rows, unknown = _peers(adopters, version, filters)
    years = sorted({year for row in rows for year in row.values})
    focus_year = filters.year if filters.year in years else (years[-1] if years else None)
    for row in rows:
        row.focus = row.values.get(focus_year) if focus_year is not None else None
        row.target = row.target_for(focus_year) if focus_year is not None else None
        row.met = is_met(row.version, row.focus.value if row.focus else None, row.target)
    if filters.sort == "value":
        rows.sort(key=_value_order(version.polarity, version))

    numbers = sorted({row.version.number for row in rows})
    versions = sorted({row.version.id: row.version for row in rows}.values(), key=lambda each: each.number)
    breaking = [each for each in definition.versions
                if each.breaks_series and numbers and numbers[0] < each.number <= numbers[-1]]
    caveats = []
    for each in [version, *versions]:
        if each.caveat and each.caveat not in caveats:
            caveats.append(each.caveat)
    view = Comparison(definition=definition, version=version, filters=filters, adopters=adopters, rows=rows,
                      years=years, all_years=all_years, focus_year=focus_year, unknown=unknown, versions=versions,
                      breaking=breaking, caveats=caveats)
    _draw_chart(view)
    return view


def _draw_chart(view: Comparison) -> None:
    """The line chart of the first MAX_SERIES rows: one line per organisation, the years on the x axis."""
    rows = [row for row in view.rows if row.values][:MAX_SERIES]
    if not rows or not view.years:
        return
    series: dict[str, list[float | None]] = {}
    for row in rows:
        name = row.organization.name
        while name in series:  # two organisations of one name still get a line each
            name += " ·"
        series[name] = [row.values[year].value if year in row.values else None for year in view.years]
    unit = view.version.unit
    def trend(row: Row) -> str:
        first, last = next(iter(row.values.values())), list(row.values.values())[-1]
        text = _("%(organization)s da %(first)s (%(first_year)s) a %(last)s (%(last_year)s)",
                 organization=row.organization.name, first=kpi_number(first.value, unit), first_year=first.year,
                 last=kpi_number(last.value, unit), last_year=last.year)
        return text + (", " + _("provvisorio") if last.provisional else "")

    trends = "; ".join(trend(row) for row in rows)
    summary = ngettext("Valori per anno di un ente, dal %(first)s al %(last)s: %(trends)s. Tutti i valori sono "
                       "nella tabella.",
                       "Valori per anno di %(num)d enti, dal %(first)s al %(last)s: %(trends)s. Tutti i valori "
                       "sono nella tabella.", len(rows), first=view.years[0], last=view.years[-1], trends=trends)
    title = _("«%(name)s» negli enti a confronto", name=view.version.name)
    width = max(CHART_WIDTH, 48 + LEGEND_ENTRY * len(rows) + 32)
    chart = charts.line_chart([str(year) for year in view.years], series, title, summary, width=width)
    if width > CHART_WIDTH:
        # Wider than the page: drawn at its own size in a scrolling box, so that labels keep a readable size.
        chart = Markup(str(chart).replace('width="100%"', f'width="{width}"', 1))
        view.chart_scrolls = True
    view.chart, view.chart_rows = chart, rows
