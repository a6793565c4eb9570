"""The chair's board (issue 13, points 7 and 10): candidacies × reviewers, aggregates, flags, ranking per category,
sortable by the query string, filtered and paginated by GET; and its export (always complete) as CSV or ODS.
For the chair and administrators."""
from __future__ import annotations

from flask import Response, abort, request
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.evaluation import aggregates, board, bp, exports, queries
from app.models.evaluation import ASSIGNMENT_STATUS_LABELS
from app.web import render_page


@bp.app_template_filter("eval_number")
def evaluation_number(value) -> str:
    """A score or a statistic as people read it in their language: at most two decimals."""
    if value is None:
        return "—"
    return format_decimal(round(float(value), 2), format="#,##0.##")


@bp.route("/calls/<slug>/board", endpoint="board")
@login_required
def board_page(slug: str):
    """The chair's board of a call: every candidacy with its reviews, numbers and ranking."""
    call = queries.run_call_or_404(slug)
    sort, direction = board.parse_sort(request.args.get("sort"), request.args.get("dir"))
    filters = board.parse_filters(request.args, call)
    data = board.build(current_user, call, sort, direction, per_criterion=False).narrow(
        filters, board.parse_page(request.args.get("page")))
    return render_page("evaluation/board.html", block="board", call=call, data=data, sort=sort, direction=direction,
                       filters=filters, no_category=board.NO_CATEGORY, columns=COLUMNS,
                       status_labels=ASSIGNMENT_STATUS_LABELS, submitted_label=aggregates.submitted_label)


# The sortable columns of the board's table, in order.
COLUMNS = {"title": _l("Candidatura"), "organisation": _l("Ente"), "category": _l("Categoria"),
           "submitted": _l("Inviate"), "mean": _l("Media"), "median": _l("Mediana"), "min": _l("Minimo"),
           "max": _l("Massimo"), "stddev": _l("Deviazione standard"), "flag": _l("Disaccordo"),
           "rank": _l("Posizione")}


@bp.route("/calls/<slug>/export.<fmt>")
@login_required
def export(slug: str, fmt: str):
    """The board as a spreadsheet: one row per candidacy (no reviewer's name)."""
    if fmt not in ("csv", "ods"):
        abort(404)
    call = queries.run_call_or_404(slug)
    data = board.build(current_user, call, "category", "asc")
    if fmt == "csv":
        body, mimetype = exports.to_csv(data), exports.CSV_TYPE
    else:
        body, mimetype = exports.to_ods(data), exports.ODS_TYPE
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{exports.file_name(call, fmt)}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response

