"""The KPI library's CSV files (issue 16, point 8): what they hold, the queries that fill them (visibility of
app/kpi/access.py), the writers.

Every file is UTF-8 with a byte-order mark (spreadsheets then read accents right), comma-separated, with a header
row of stable English column names; numbers with a dot as decimal separator; moments in UTC (ISO 8601, "Z");
several codes in one cell joined by "|"; a text cell that a spreadsheet would run as a formula (starting with
= + - @) gets a leading quote (app/spreadsheet.py).

definitions.csv — one row per definition the reader may see, filtered like the library (status, mission, level, q,
bes, sdg, piao), with its current version:
    code, slug, status, version, name, short_name, description, typology, formula_kind, numerator, denominator,
    formula, unit, polarity, range_low, range_high (target band), value_min, value_max (admitted values),
    frequency, data_source, level, missions (codes), sdgs (codes), piao_subsection (code), bes_domain (code),
    external_code, tags, caveat, proposed_in (community or programme), author_organization, published_at,
    deprecated_at, replaced_by (code), adopters (administrations with an active adoption), url

values.csv and open-data.csv — one row per value (values.csv: those the reader may see; open-data.csv: the final
values of an organisation's active adoptions marked open data):
    kpi_code, kpi_slug, kpi_name, version, unit, organization, organization_slug, ipa_code, plan_kind, plan_year,
    period, year, value, numerator, denominator, status, target (the adoption's target for that year),
    source_note, source_url, reported_at, updated_at

The import's template (import/template.csv) has the import's columns (app/kpi/importer.py) and kpi_name, which the
import ignores.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager, selectinload

from app.extensions import db
from app.kpi import access
from app.kpi import library as library_queries
from app.kpi.workflow import ValueStatus, periods_of
from app.models import KpiAdoption, KpiDefinition, KpiValue, KpiVersion, Organization
from app.spreadsheet import safe_cell
from app.web import external_url

CSV_TYPE = "text/csv; charset=utf-8"

DEFINITION_COLUMNS = (
    "code", "slug", "status", "version", "name", "short_name", "description", "typology", "formula_kind",
    "numerator", "denominator", "formula", "unit", "polarity", "range_low", "range_high", "value_min", "value_max",
    "frequency", "data_source", "level", "missions", "sdgs", "piao_subsection", "bes_domain", "external_code", "tags",
    "caveat", "proposed_in", "author_organization", "published_at", "deprecated_at", "replaced_by", "adopters", "url")
VALUE_COLUMNS = (
    "kpi_code", "kpi_slug", "kpi_name", "version", "unit", "organization", "organization_slug", "ipa_code",
    "plan_kind", "plan_year", "period", "year", "value", "numerator", "denominator", "status", "target",
    "source_note", "source_url", "reported_at", "updated_at")
TEMPLATE_COLUMNS = ("kpi", "plan_year", "period", "value", "numerator", "denominator", "unit", "status",
                    "source_note", "source_url", "kpi_name")
JOINED = "|"


def file_name(prefix: str, slug: str = "", extension: str = "csv") -> str:
    """An ASCII file name for Content-Disposition ("valori-comune-di-chieri.csv")."""
    tail = re.sub(r"[^a-z0-9-]+", "", (slug or "").lower())[:80]
    return f"{prefix}-{tail}.{extension}" if tail else f"{prefix}.{extension}"


def moment(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat() + "Z"
    return value.isoformat()


def to_csv(header, rows) -> bytes:
    """UTF-8 with BOM, comma-separated, every cell through safe_cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


# ---- definitions --------------------------------------------------------------------------------------------

def definitions_query(user, args) -> Select:
    """The library's own filters and order (app/kpi/library.py), with what a row needs loaded up front."""
    filters, terms = library_queries.parse_filters(args)
    version = selectinload(KpiDefinition.current_version)
    return library_queries.library_query(user, filters, terms).options(
        version.selectinload(KpiVersion.piao_subsection), version.selectinload(KpiVersion.bes_domain),
        selectinload(KpiDefinition.community), selectinload(KpiDefinition.programme),
        selectinload(KpiDefinition.author_organization), selectinload(KpiDefinition.replaced_by))


def _codes(terms) -> str:
    return JOINED.join(term.code for term in terms)


def definition_row(definition: KpiDefinition) -> list:
    version = definition.current_version  # the library's query joins it: never None here
    place = definition.community or definition.programme
    return [
        definition.code, definition.slug, definition.status, version.number, version.name, version.short_name,
        version.description, version.typology, version.formula_kind, version.numerator, version.denominator,
        version.formula, version.unit, version.polarity, version.range_low, version.range_high, version.value_min,
        version.value_max, version.frequency, version.data_source, version.level, _codes(version.missions),
        _codes(version.sdgs), version.piao_subsection.code if version.piao_subsection else "",
        version.bes_domain.code if version.bes_domain else "", version.external_code,
        JOINED.join(str(tag) for tag in version.tags or []), version.caveat, place.name if place else "",
        definition.author_organization.name if definition.author_organization else "",
        moment(definition.published_at), moment(definition.deprecated_at),
        definition.replaced_by.code if definition.replaced_by else "", definition.adoption_count,
        external_url("kpi.definition", slug=definition.slug)]


def definitions_csv(user, args) -> bytes:
    return to_csv(DEFINITION_COLUMNS, (definition_row(each) for each in db.session.scalars(
        definitions_query(user, args))))


# ---- values -------------------------------------------------------------------------------------------------

def _values_query() -> Select:
    """Values joined to adoption, definition, organisation (one query) and the adopted versions (one more)."""
    return (select(KpiValue).join(KpiValue.adoption).join(KpiAdoption.definition).join(KpiAdoption.organization)
            .options(contains_eager(KpiValue.adoption).options(
                contains_eager(KpiAdoption.definition), contains_eager(KpiAdoption.organization),
                selectinload(KpiAdoption.version)))
            .order_by(KpiDefinition.code, Organization.sort_name, KpiAdoption.plan_year, KpiAdoption.plan_kind,
                      KpiValue.period))


def visible_values(user, definition: KpiDefinition | None = None,
                   organization: Organization | None = None) -> list[KpiValue]:
    """The values the reader may see (final ones, provisional ones of their organisation) of visible definitions."""
    query = _values_query().where(access.visible_values_clause(user), access.visible_definitions_clause(user))
    if definition is not None:
        query = query.where(KpiAdoption.definition_id == definition.id)
    if organization is not None:
        query = query.where(KpiAdoption.organization_id == organization.id)
    return list(db.session.scalars(query))


def _open_data_clause(organization: Organization):
    return (KpiAdoption.organization_id == organization.id, KpiAdoption.open_data.is_(True),
            KpiAdoption.active.is_(True), KpiDefinition.status.in_(access.PUBLIC_STATUSES))


def open_data_values(organization: Organization) -> list[KpiValue]:
    """The final values of the organisation's active adoptions marked open data (public definitions only)."""
    return list(db.session.scalars(_values_query().where(
        *_open_data_clause(organization), KpiValue.status == ValueStatus.FINAL)))


def open_data_adoptions(organization: Organization) -> list[KpiAdoption]:
    """The adoptions the open-data dataset is made of, with their definitions and versions."""
    return list(db.session.scalars(
        select(KpiAdoption).join(KpiAdoption.definition).where(*_open_data_clause(organization))
        .options(contains_eager(KpiAdoption.definition), selectinload(KpiAdoption.version))
        .order_by(KpiDefinition.code, KpiAdoption.plan_year)))


def open_data_modified(organization: Organization) -> datetime | None:
    """When the dataset last changed: its latest final value, or the latest change of its adoptions."""
    latest_value = db.session.scalar(
        select(func.max(KpiValue.updated_at)).join(KpiValue.adoption).join(KpiAdoption.definition)
        .where(*_open_data_clause(organization), KpiValue.status == ValueStatus.FINAL))
    latest_adoption = db.session.scalar(
        select(func.max(KpiAdoption.updated_at)).join(KpiAdoption.definition)
        .where(*_open_data_clause(organization)))
    found = [each for each in (latest_value, latest_adoption) if each is not None]
    return max(found) if found else None


def value_row(value: KpiValue) -> list:
    adoption = value.adoption
    definition, version, organization = adoption.definition, adoption.version, adoption.organization
    return [
        definition.code, definition.slug, version.name, version.number, version.unit, organization.name,
        organization.slug, organization.ipa_code or "", adoption.plan_kind, adoption.plan_year, value.period,
        value.year, value.value, value.numerator, value.denominator, value.status, adoption.target_for(value.year),
        value.source_note, value.source_url, moment(value.reported_at), moment(value.updated_at)]


def values_csv(found: list[KpiValue]) -> bytes:
    return to_csv(VALUE_COLUMNS, (value_row(each) for each in found))


# ---- the import's template ----------------------------------------------------------------------------------

def import_template_csv(adoptions: list[KpiAdoption], year: int | None = None) -> bytes:
    """The import's header and one example row per adoption (last year's last period, the value to fill in)."""
    year = year or date.today().year - 1
    rows = [[adoption.definition.code, adoption.plan_year, periods_of(adoption.version.frequency, year)[-1], "", "",
             "", adoption.version.unit, "provvisorio", "", "", adoption.definition.name]
            for adoption in sorted(adoptions, key=lambda each: (each.definition.code, each.plan_year))]
    return to_csv(TEMPLATE_COLUMNS, rows)
