"""What the indicators show in the pages of lower areas (app/hooks.py slots): the community's "Indicatori" tab,
the community home's stage box and the practice's service figures over the quarters. Snapshots only."""
from __future__ import annotations

from flask import get_template_attribute, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from app import permissions
from app.extensions import db
from app.hooks import contribute
from app.indicators import charts, presenters, queries
from app.models import PracticeSnapshot


@contribute("community.nav")
def community_tab(community, membership, active, **_context):
    current = active == "indicators"
    return Markup('<li class="nav-item"><a class="nav-link{active}"{aria} href="{url}">{label}</a></li>').format(
        active=" active" if current else "", aria=Markup(' aria-current="page"') if current else "",
        url=url_for("indicators.community", slug=community.slug), label=_("Indicatori"))


@contribute("community.aside")
def stage_box(community, membership, **_context):
    if not permissions.can_view_community(current_user, community, membership):
        return None
    latest = queries.latest_snapshot(community.id)
    return Markup(get_template_attribute("indicators/_macros.html", "stage_box")(
        community, presenters.stage_label(latest.stage) if latest else None))


def _plain(value):
    """A practice figure as a number, whether stored bare or as {"value": …}."""
    if isinstance(value, dict):
        return None if value.get("insufficient") else value.get("value")
    return value


@contribute("practice.figures")
def practice_trend(practice, **_context):
    rows = db.session.execute(select(PracticeSnapshot).where(PracticeSnapshot.practice_id == practice.id)
                              .order_by(PracticeSnapshot.as_of.desc()).limit(queries.TREND_QUARTERS)).scalars().all()
    if not rows:
        return None
    rows = list(reversed(rows))
    lines = [(row.period, _plain((row.figures or {}).get("confirmed_adoptions")),
              _plain((row.figures or {}).get("median_first_response_wd")),
              _plain((row.figures or {}).get("median_resolution_days"))) for row in rows]
    adoptions = [line[1] for line in lines]
    summary = _("Riusi confermati a fine trimestre, da %(first)s a %(last)s: da %(start)s a %(end)s.",
                first=lines[0][0], last=lines[-1][0], start=presenters.number(adoptions[0] or 0, 0),
                end=presenters.number(adoptions[-1] or 0, 0))
    chart = charts.sparkline([float(v) if v is not None else None for v in adoptions],
                             _("Riusi confermati per trimestre"), summary)
    return Markup(get_template_attribute("indicators/_macros.html", "practice_trend")(
        practice, lines, chart, summary, presenters.number))


__all__ = ["community_tab", "stage_box", "practice_trend"]
