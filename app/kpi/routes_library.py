"""The library's pages: the list of KPIs and a KPI's page (placeholder of the foundation, written by its owner)."""
from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.kpi import access, bp
from app.models import KpiDefinition


@bp.get("/<slug>")
def definition(slug: str):
    """A KPI's page."""
    found = db.session.scalar(select(KpiDefinition).where(KpiDefinition.slug == slug))
    if found is None or not access.can_view_definition(current_user, found):
        abort(404)
    return found.name
