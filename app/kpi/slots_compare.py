"""The comparison box of a KPI's page (slot `kpi.definition.comparison`): the default peers in the latest year,
the comparability caveat, a link to the full comparison."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user
from markupsafe import Markup

from app.hooks import contribute
from app.kpi import access
from app.kpi.comparison import CompareFilters, build_comparison


@contribute("kpi.definition.comparison")
def comparison_box(definition, version=None, **_context):
    if definition.current_version_id is None or definition.status not in access.PUBLIC_STATUSES:
        return None
    view = build_comparison(definition, current_user, CompareFilters())
    return Markup(render_template("kpi/_comparison.html", view=view))
