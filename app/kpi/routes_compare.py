"""The comparison of a KPI across its adopters and an administration's page of adopted KPIs (issue 16, point 6)."""
from __future__ import annotations

from flask import abort, request, url_for
from flask_login import current_user

from app.kpi import access, bp
from app.kpi import slots_compare  # noqa: F401  (registers the KPI page's comparison box)
from app.kpi.comparison import build_comparison, definition_for_comparison, parse_filters
from app.kpi.comparison_organization import organization_kpis, organization_or_none
from app.kpi.forms_compare import compare_form
from app.web import render_page


@bp.app_template_global("kpi_compare_link")
def kpi_compare_link(endpoint: str, **values) -> str | None:
    """The URL of another page of the area (adoption page, open-data export)."""
    return url_for(endpoint, **values)


@bp.get("/<slug>/compare")
def compare(slug: str):
    """The same KPI across its adopters: peers of its level, all of them or a chosen set; htmx gets the block."""
    definition = definition_for_comparison(slug)
    if definition is None or definition.current_version_id is None \
            or not access.can_view_definition(current_user, definition):
        abort(404)
    view = build_comparison(definition, current_user, parse_filters(request.args))
    return render_page("kpi/compare.html", block="comparison", view=view, form=compare_form(view))


@bp.get("/organizations/<org_slug>")
def organization(org_slug: str):
    """An administration's adopted KPIs, by mission, against the targets of its plans."""
    found = organization_or_none(org_slug, current_user)
    if found is None:
        abort(404)
    return render_page("kpi/organization.html", view=organization_kpis(found, current_user))
