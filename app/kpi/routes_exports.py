"""The KPI library's exports (issue 16, point 8): definitions and values as CSV (what the reader may see), an
organisation's open-data values as CSV with their DCAT-AP_IT description. Thin routes: parse → visibility (404 for
what the reader may not see) → app/kpi/exports.py, app/kpi/dcat.py → file. Columns: exports.py's docstring."""
from __future__ import annotations

from flask import Response, abort, request
from flask_login import current_user
from sqlalchemy import select

from app import permissions
from app.extensions import db
from app.kpi import access, bp, dcat, exports
from app.models import KpiDefinition, Organization
from app.web import external_url

SLUG_MAX = 220


def _csv(body: bytes, name: str) -> Response:
    response = Response(body, content_type=exports.CSV_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _slug_argument(name: str) -> str | None:
    """A slug from the query string; None when absent; 404 for one that cannot be a slug (NUL, too long)."""
    value = request.args.get(name, "")
    if not value:
        return None
    if len(value) > SLUG_MAX or not value.isprintable():
        abort(404)
    return value


def _visible_definition_or_404(slug: str) -> KpiDefinition:
    found = db.session.scalar(select(KpiDefinition).where(KpiDefinition.slug == slug))
    if found is None or not access.can_view_definition(current_user, found):
        abort(404)
    return found


def _organization_or_404(slug: str, public_only: bool = False) -> Organization:
    if len(slug) > SLUG_MAX:
        abort(404)
    found = db.session.scalar(select(Organization).where(Organization.slug == slug))
    if found is None or (public_only and not found.is_active) \
            or not permissions.can_view_organization(current_user, found):
        abort(404)
    return found


@bp.get("/export/definitions.csv")
def export_definitions():
    """The definitions the reader may see, filtered like the library, one row each with its current version."""
    return _csv(exports.definitions_csv(current_user, request.args), "indicatori-kpi.csv")


@bp.get("/export/values.csv")
def export_values():
    """The values the reader may see (?kpi=<slug>, ?organization=<slug>), one row each."""
    kpi_slug, organization_slug = _slug_argument("kpi"), _slug_argument("organization")
    definition = _visible_definition_or_404(kpi_slug) if kpi_slug else None
    organization = _organization_or_404(organization_slug) if organization_slug else None
    found = exports.visible_values(current_user, definition, organization)
    parts = "-".join(each.slug for each in (definition, organization) if each is not None)
    return _csv(exports.values_csv(found), exports.file_name("valori-kpi", parts))


@bp.get("/organizations/<org_slug>/open-data.csv")
def open_data_csv(org_slug: str):
    """The final values of an organisation's open-data adoptions (public: the dataset of its DCAT description)."""
    organization = _organization_or_404(org_slug, public_only=True)
    return _csv(exports.values_csv(exports.open_data_values(organization)),
                exports.file_name("dati-aperti-kpi", organization.slug))


def _homepage(organization: Organization) -> str:
    """The organisation's KPI page."""
    return external_url("kpi.organization", org_slug=organization.slug)


@bp.get("/organizations/<org_slug>/open-data.ttl")
def open_data_dcat(org_slug: str):
    """The DCAT-AP_IT description (Turtle) of the organisation's open-data values, for the national catalogue."""
    organization = _organization_or_404(org_slug, public_only=True)
    body = dcat.open_data_turtle(
        organization, exports.open_data_adoptions(organization), exports.open_data_modified(organization),
        description_url=external_url("kpi.open_data_dcat", org_slug=organization.slug),
        csv_url=external_url("kpi.open_data_csv", org_slug=organization.slug),
        homepage=_homepage(organization),
        agent_url=external_url("organizations.profile", slug=organization.slug))
    response = Response(body, content_type=dcat.TURTLE_TYPE)
    response.headers["Content-Disposition"] = (
        f'inline; filename="{exports.file_name("dati-aperti-kpi", organization.slug, "ttl")}"')
    return response
