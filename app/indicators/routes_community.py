"""The community's "Indicatori" tab, its drill-downs, its CSV and the governance page it records.

Read-only on snapshots: a page never computes a figure (`flask indicators compute` writes them nightly). Whoever may
view the community sees its figures (404 otherwise, as the community pages do).
"""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Response, abort, current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import permissions
from app.communities.routes import community_or_404
from app.extensions import db
from app.indicators import bp, charts, drilldown, presenters, queries
from app.indicators.definitions import INDICATORS
from app.indicators.forms import GovernanceForm
from app.models import CommunityGovernance
from app.models.base import utcnow
from app.spreadsheet import safe_cell
from app.web import EmptyForm, redirect_to, render_page, wants_fragment

TEMPLATE = "indicators/community.html"
NIGHTLY_AT = "02:15"  # the time of the cron line the README suggests; INDICATORS_NIGHTLY_AT overrides it


# ---- services ---------------------------------------------------------------------------------------------------

def governance_of(community_id: int) -> CommunityGovernance | None:
    return db.session.get(CommunityGovernance, community_id)


def record_governance(community, url: str, actor) -> None:
    """Record (or replace) the community's governance page; the figure F2 follows at the next computation."""
    row = governance_of(community.id)
    if row is None:
        row = CommunityGovernance(community_id=community.id)
        db.session.add(row)
    row.url, row.recorded_by_id, row.recorded_at = url, actor.id, utcnow()
    db.session.commit()


def clear_governance(community) -> bool:
    row = governance_of(community.id)
    if row is None:
        return False
    db.session.delete(row)
    db.session.commit()
    return True


def may_edit_governance(community, membership) -> bool:
    """Administrators and the community's facilitators."""
    return permissions.can_manage_community(current_user, community, membership)


def next_nightly(now: datetime) -> datetime:
    """When the next nightly computation runs (Italian time), from the configured time of the cron line."""
    at = current_app.config.get("INDICATORS_NIGHTLY_AT", NIGHTLY_AT)
    hour, minute = (int(part) for part in at.split(":"))
    local = now.replace(tzinfo=UTC).astimezone(ZoneInfo("Europe/Rome"))
    run = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return run if run > local else run + timedelta(days=1)


# ---- the tab ----------------------------------------------------------------------------------------------------

def _tab_context(community, membership, governance_form=None, message: str | None = None) -> dict:
    """Everything the tab shows: a fixed number of queries however long the history."""
    latest = queries.latest_snapshot(community.id)
    quarters = queries.quarter_snapshots(community.id)
    current = latest or (quarters[-1] if quarters else None)
    governance = governance_of(community.id)
    editor = may_edit_governance(community, membership)
    run = next_nightly(utcnow())
    return dict(
        community=community, membership=membership, snapshot=current, quarters=quarters,
        groups=presenters.groups_of(current.figures or {}, quarters, current.items) if current else [],
        checklist=presenters.checklist_of(current.checklist) if current else [],
        stage_label=presenters.stage_label, governance=governance, may_edit_governance=editor,
        governance_form=governance_form or GovernanceForm(formdata=None, url=governance.url if governance else None),
        clear_form=EmptyForm(formdata=None), next_run=run, next_run_time=run.strftime("%H:%M"),
        sparkline=charts.sparkline, governance_message=message)


@bp.get("/communities/<slug>/indicators")
def community(slug: str):
    """The stage with its checklist and history, then every group of figures with its trend."""
    community_row, membership = community_or_404(slug)
    return render_page(TEMPLATE, block="tab", **_tab_context(community_row, membership))


@bp.get("/communities/<slug>/indicators/<code>", endpoint="drilldown")
def drilldown_view(slug: str, code: str):
    """The items a figure counts: a fragment into the figure's panel for htmx, a page otherwise."""
    community_row, membership = community_or_404(slug)
    indicator = INDICATORS.get(code)
    if indicator is None or indicator.item_kind is None:
        abort(404)
    latest = queries.latest_snapshot(community_row.id)
    if latest is None:
        abort(404)
    page = int(request.args.get("page", "1"))  # digits only: app/web.py refuses any other page number
    stored = (latest.items or {}).get(code)
    found = drilldown.load(stored, current_user, community_row, membership, page=page,
                           marks_hits=indicator.unit in ("share", "ratio"), code=code)
    figure = (latest.figures or {}).get(code)
    return render_page("indicators/drilldown.html", block="items", community=community_row, membership=membership,
                       indicator=indicator, words=presenters.words(indicator), snapshot=latest, found=found,
                       value=presenters.value_text(indicator, figure), parts=presenters.parts_text(indicator, figure),
                       counted=presenters.counted, hidden_text=presenters.hidden_text)


@bp.get("/communities/<slug>/indicators.csv")
def community_csv(slug: str):
    """The latest figures as CSV: code, label, value, numerator, denominator, window, insufficient."""
    community_row, _membership = community_or_404(slug)
    latest = queries.latest_snapshot(community_row.id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["code", "label", "value", "numerator", "denominator", "window", "insufficient"])
    for row in presenters.csv_rows((latest.figures or {}) if latest else {}):
        writer.writerow([safe_cell(each) for each in row])
    response = Response(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    day = latest.as_of.isoformat() if latest else "non-calcolati"
    response.headers["Content-Disposition"] = f'attachment; filename="indicatori-{community_row.slug}-{day}.csv"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    if community_row.is_private:
        response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/communities/<slug>/indicators/governance")
@login_required
def governance(slug: str):
    """Record or clear the governance page's address (administrators and the community's facilitators)."""
    community_row, membership = community_or_404(slug)
    permissions.require(may_edit_governance(community_row, membership))
    if request.form.get("action") == "clear":
        if not EmptyForm().validate_on_submit():
            abort(400)
        clear_governance(community_row)
        return _after_governance(community_row, membership,
                                 _("Pagina di governance tolta: il prossimo calcolo notturno ne terrà conto."))
    form = GovernanceForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        context = _tab_context(community_row, membership, governance_form=form)
        return render_page(TEMPLATE, block="governance" if wants_fragment() else None, status=422, **context)
    record_governance(community_row, form.url.data, current_user)
    return _after_governance(community_row, membership,
                             _("Pagina di governance registrata: il prossimo calcolo notturno ne terrà conto."))


def _after_governance(community_row, membership, message: str):
    """htmx swaps the governance box with the message in it; without htmx, back to the tab with a flash."""
    if wants_fragment():
        return render_page(TEMPLATE, block="governance", **_tab_context(community_row, membership, message=message))
    flash(message, "success")
    return redirect_to(url_for("indicators.community", slug=community_row.slug, _anchor="governance"))


__all__ = ["community", "drilldown_view", "community_csv", "governance", "governance_of"]
