"""An administration's adopted KPIs against its targets (issue 16, point 6): active adoptions of the definitions
the reader may see, grouped by budget mission, each with baseline, the triennium's targets, the latest visible
value and whether it is on track. Four queries whatever the number of adoptions."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from app import permissions
from app.extensions import db
from app.indicators import charts
from app.kpi import access
from app.kpi.comparison import YearValue, clean_slug, is_met, values_by_year, visible_values
from app.kpi.filters import kpi_number
from app.kpi.workflow import ValueStatus
from app.models import KpiAdoption, KpiDefinition, KpiValue, KpiVersion, Organization, ReferenceTerm

NO_MISSION = None


def organization_or_none(slug: str, user) -> Organization | None:
    """The organisation, when the reader may see it (active ones; administrators see them all)."""
    slug = clean_slug(slug)
    if not slug:
        return None
    organization = db.session.scalar(select(Organization).where(Organization.slug == slug))
    if organization is None or not permissions.can_view_organization(user, organization):
        return None
    return organization


@dataclass
class AdoptedKpi:
    adoption: KpiAdoption
    latest: KpiValue | None
    yearly: dict[int, YearValue]
    met: bool | None
    target_of_latest: float | None
    sparkline: Markup = Markup("")
    trend_text: str = ""

    @property
    def definition(self) -> KpiDefinition:
        return self.adoption.definition

    @property
    def version(self) -> KpiVersion:
        return self.adoption.version

    @property
    def targets(self) -> list[tuple[int, float | None]]:
        plan = self.adoption.plan_year
        return [(plan, self.adoption.target_1), (plan + 1, self.adoption.target_2),
                (plan + 2, self.adoption.target_3)]

    @property
    def latest_provisional(self) -> bool:
        return self.latest is not None and self.latest.status == ValueStatus.PROVISIONAL


@dataclass
class MissionGroup:
    mission: ReferenceTerm | None
    items: list[AdoptedKpi] = field(default_factory=list)


@dataclass
class OrganizationKpis:
    organization: Organization
    groups: list[MissionGroup]
    count: int
    open_data: bool  # at least one adoption is in the open-data export
    own: bool  # the reader's own organisation (sees its provisional values)


def _adoptions_of(organization_id: int, user) -> list[KpiAdoption]:
    """Active adoptions of definitions the reader may see, with their versions and missions (three queries)."""
    return list(db.session.scalars(
        select(KpiAdoption).join(KpiDefinition, KpiAdoption.definition_id == KpiDefinition.id)
        .where(KpiAdoption.organization_id == organization_id, KpiAdoption.active.is_(True),
               access.visible_definitions_clause(user))
        .options(contains_eager(KpiAdoption.definition), selectinload(KpiAdoption.version)
                 .selectinload(KpiVersion.terms))
        .order_by(KpiAdoption.plan_year.desc(), KpiAdoption.id)))


def _sparkline(item: AdoptedKpi) -> None:
    """The small line of the yearly values (gaps for the years without one) and the same values in words."""
    if not item.yearly:
        return
    unit = item.version.unit
    words = []
    for year, entry in item.yearly.items():
        text = f"{year}: {kpi_number(entry.value, unit)}"
        words.append(text + (" (" + _("provvisorio") + ")" if entry.provisional else ""))
    item.trend_text = "; ".join(words)
    first, last = min(item.yearly), max(item.yearly)
    if last == first:
        return  # one point draws no line: the words say it
    values = [item.yearly[year].value if year in item.yearly else None for year in range(first, last + 1)]
    drawn = charts.sparkline(values, _("Andamento di «%(name)s»", name=item.version.name), item.trend_text)
    # Its own size (the helper draws at the container's width, which no stylesheet of this page bounds).
    item.sparkline = Markup(str(drawn).replace('width="100%"', 'width="160" height="40"', 1))


def organization_kpis(organization: Organization, user) -> OrganizationKpis:
    """The page's content: adoptions grouped by their version's first mission, missions in code order."""
    adoptions = _adoptions_of(organization.id, user)
    values = (visible_values(user, KpiAdoption.organization_id == organization.id) if adoptions else [])
    values_of: dict[int, list[KpiValue]] = {}
    for value in values:
        values_of.setdefault(value.adoption_id, []).append(value)
    groups: dict[int | None, MissionGroup] = {}
    for adoption in adoptions:
        own_values = values_of.get(adoption.id, [])
        latest = max(own_values, key=lambda each: (each.year, each.period), default=None)
        target = adoption.target_for(latest.year) if latest is not None else None
        item = AdoptedKpi(adoption=adoption, latest=latest, yearly=values_by_year(own_values, [adoption.id]),
                          met=is_met(adoption.version, latest.value if latest else None, target),
                          target_of_latest=target)
        _sparkline(item)
        missions = adoption.version.missions
        mission = missions[0] if missions else NO_MISSION
        groups.setdefault(mission.id if mission else None, MissionGroup(mission)).items.append(item)
    ordered = sorted(groups.values(), key=lambda group: (group.mission is None,
                                                         group.mission.scheme if group.mission else "",
                                                         group.mission.code if group.mission else ""))
    for group in ordered:
        group.items.sort(key=lambda item: (item.version.name.lower(), -item.adoption.plan_year))
    return OrganizationKpis(organization=organization, groups=ordered, count=len(adoptions),
                            open_data=any(a.open_data for a in adoptions),
                            own=permissions.is_of_organization(user, organization.id))
