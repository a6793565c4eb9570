"""What adoptions add to other pages (app/hooks.py slots): the KPI page's adopters and its "Adotta" button, and the
"Indicatori adottati" box of an organisation's profile. One query each."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app import permissions
from app.extensions import db
from app.hooks import contribute
from app.kpi import access
from app.kpi.workflow import DefinitionStatus
from app.models import PA_KIND_LABELS, KpiAdoption, KpiDefinition, Organization


@contribute("kpi.definition.adopters")
def definition_adopters(definition, **_context):
    """How many administrations adopt the KPI and which, with plan, year, version and a link to each adoption."""
    if definition.status not in (DefinitionStatus.PUBLISHED, DefinitionStatus.DEPRECATED):
        return None  # a proposal has no adoptions
    adoptions = list(db.session.scalars(
        select(KpiAdoption).join(Organization, Organization.id == KpiAdoption.organization_id)
        .where(KpiAdoption.definition_id == definition.id, KpiAdoption.active.is_(True))
        .options(joinedload(KpiAdoption.organization), joinedload(KpiAdoption.version))
        .order_by(Organization.sort_name, KpiAdoption.plan_year.desc(), KpiAdoption.id)))
    organizations = len({adoption.organization_id for adoption in adoptions})
    return Markup(render_template("kpi/_adopters.html", definition=definition, adoptions=adoptions,
                                  organizations=organizations, pa_kinds=PA_KIND_LABELS))


@contribute("kpi.definition.actions")
def definition_adopt_button(definition, **_context):
    """"Adotta l'indicatore" for who may adopt it; "La vostra adozione" when the reader's organisation has."""
    if definition.status not in (DefinitionStatus.PUBLISHED, DefinitionStatus.DEPRECATED):
        return None
    own = []
    if permissions.is_member(current_user) and current_user.organization_id is not None:
        own = list(db.session.scalars(select(KpiAdoption).where(
            KpiAdoption.definition_id == definition.id, KpiAdoption.organization_id == current_user.organization_id,
            KpiAdoption.active.is_(True)).order_by(KpiAdoption.plan_year.desc())))
    can_adopt = access.can_adopt(current_user, definition)
    if not own and not can_adopt:
        return None
    return Markup(render_template("kpi/_adopt_button.html", definition=definition, own=own, can_adopt=can_adopt))


@contribute("organization.profile")
def organization_adoptions(organization, **_context):
    """"Indicatori adottati: N", linking to the administration's KPI page when that page exists."""
    count = db.session.scalar(select(func.count(func.distinct(KpiAdoption.definition_id)))
                              .join(KpiDefinition, KpiDefinition.id == KpiAdoption.definition_id)
                              .where(KpiAdoption.organization_id == organization.id, KpiAdoption.active.is_(True),
                                     KpiDefinition.status.in_(access.PUBLIC_STATUSES))) or 0
    if not count:
        return None
    return Markup(render_template("kpi/_organization_adoptions.html", organization=organization, count=count))
