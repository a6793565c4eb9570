"""The reuse observatory (GET /observatory), for everybody: the network's public figures from the snapshots, and
each of its tables as CSV. The quarter filter swaps only the territorial part (an htmx fragment)."""
from __future__ import annotations

from flask import Response, abort, request

from app.indicators import bp, observatory
from app.web import render_page

TEMPLATE = "indicators/observatory.html"


@bp.route("/observatory", endpoint="observatory")
def observatory_page():
    """The network's totals over time, reuse by region, the most reused practices and the territories."""
    view = observatory.load(request.args.get("period"))
    return render_page(TEMPLATE, block="detail", view=view, number=observatory.number)


@bp.route("/observatory/<table>.csv", endpoint="observatory_csv")
def observatory_csv(table: str):
    """One of the observatory's tables as CSV (the quarter chosen by ?period=, else the latest figures)."""
    if table not in observatory.TABLES:
        abort(404)
    view = observatory.load(request.args.get("period"))
    if not view.computed or view.error:
        abort(404)
    response = Response(observatory.to_csv(view.tables[table]), content_type=observatory.CSV_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{observatory.file_name(table, view)}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
