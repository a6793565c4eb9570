"""The library's pages (issue 16): the list of KPIs with its filters, a KPI's page, one of its older versions.
Thin routes: parse → visibility (404 for what the reader may not see) → queries of app/kpi/library.py → page."""
from __future__ import annotations

from flask import abort, request
from flask_login import current_user

from app.kpi import bp
from app.kpi import library as queries
from app.kpi.review import reviews_anything
from app.kpi.labels import CHANGE_LABELS, LEVEL_LABELS, SCHEME_LABELS, STATUS_LABELS
from app.web import render_page


@bp.get("/")
def library():
    """The library of KPIs: published ones by default, filters, order, 20 per page; htmx gets the results."""
    filters, terms = queries.parse_filters(request.args)
    page = queries.paginate(queries.library_query(current_user, filters, terms),
                            request.args.get("page", 1, type=int) or 1)
    return render_page("kpi/library.html", block="results", filters=filters, page=page,
                       counts=queries.status_counts(current_user, filters, terms),
                       choices=queries.filter_terms(), level_labels=LEVEL_LABELS, status_labels=STATUS_LABELS,
                       reviewer=reviews_anything(current_user))


@bp.get("/<slug>")
def definition(slug: str):
    """A KPI's page: header, record, the slots of the other parts of the area, history."""
    found = queries.definition_for(current_user, slug)
    if found is None:
        abort(404)
    return render_page("kpi/definition.html", block="definition_page", definition=found,
                       version=found.current_version, changes=queries.changes_of(found),
                       change_labels=CHANGE_LABELS, scheme_labels=SCHEME_LABELS)


@bp.get("/<slug>/versions/<int:number>")
def version(slug: str, number: int):
    """An older version of a KPI, readable in full, with what changed and whether it breaks the series."""
    found = queries.definition_for(current_user, slug)
    if found is None:
        abort(404)
    shown = queries.version_of(found, number) if 0 < number < 100_000 else None
    if shown is None:
        abort(404)
    return render_page("kpi/version.html", block="version_page", definition=found, version=shown)
