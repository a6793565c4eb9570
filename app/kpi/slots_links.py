"""What the practice links add to pages (app/hooks.py slots): on a practice's page the KPIs it declares it improves
(`practice.kpis`), on a KPI's page the practices that declare it (`kpi.definition.practices`) — each showing only
what the reader may see."""
from __future__ import annotations

from flask import get_template_attribute
from flask_login import current_user
from markupsafe import Markup

from app.hooks import contribute
from app.kpi import access
from app.kpi import links as services
from app.kpi.access import PUBLIC_STATUSES


@contribute("practice.kpis")
def practice_kpis(practice, **_context):
    links = services.practice_links(practice, current_user)
    can_link = practice.status == "published" and access.can_link_practice(current_user, practice)
    if not (links or can_link):
        return None
    return Markup(get_template_attribute("kpi/_practice_kpis.html", "practice_kpis")(practice, links, can_link))


@contribute("kpi.definition.practices")
def definition_practices(definition, **_context):
    if definition.status not in PUBLIC_STATUSES or not access.can_view_definition(current_user, definition):
        return None
    links = services.definition_practices(definition, current_user)
    own = services.own_practices_to_link(definition, current_user)
    return Markup(get_template_attribute("kpi/_definition_practices.html", "definition_practices")(
        definition, links, own))
