"""The import's and the open data's box on an organisation's profile (slot organization.profile, issue 16): the
links to its open-data CSV and DCAT-AP_IT description, and, for its people, to the CSV import of values."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import func, select

from app.extensions import db
from app.hooks import contribute
from app.kpi import access, importer
from app.models import KpiAdoption, KpiDefinition


@contribute("organization.profile")
def open_data_and_import(organization, **_context):
    """"Dati aperti degli indicatori" when it publishes some; "Importa valori da CSV" for its people."""
    open_data = db.session.scalar(
        select(func.count(func.distinct(KpiAdoption.definition_id)))
        .join(KpiDefinition, KpiDefinition.id == KpiAdoption.definition_id)
        .where(KpiAdoption.organization_id == organization.id, KpiAdoption.active.is_(True),
               KpiAdoption.open_data.is_(True), KpiDefinition.status.in_(access.PUBLIC_STATUSES))) or 0
    importing = importer.importing_organization(current_user)
    can_import = importing is not None and importing.id == organization.id
    if not (open_data and organization.is_active) and not can_import:
        return None
    return Markup(render_template("kpi/_open_data_box.html", organization=organization, open_data=open_data,
                                  can_import=can_import))
