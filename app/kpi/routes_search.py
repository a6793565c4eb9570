"""Similar KPIs while proposing one (issue 16, point 3): GET /kpi/similar?name=…&exclude=<slug>.

The proposal form asks for it while the name is typed (hx-get into #kpi-similar, parameter `name`); without htmx it
is a page of its own. Suggestions come from the search index through the reader's mask and are read again through
app.kpi.access (app.search.kpis.similar_kpis): a proposal the reader may not see is never suggested."""
from __future__ import annotations

from flask import current_app, request
from flask_login import current_user

from app.forms import clean_line
from app.kpi import bp
from app.models.kpi import NAME_MAX
from app.search.kpis import SIMILAR_KPI_MIN_CHARS, similar_kpis
from app.search.writer import search_index
from app.web import render_page


@bp.get("/similar")
def similar():
    """Up to five existing KPIs like the name being typed (an htmx fragment, or a page without htmx)."""
    name = clean_line(request.args.get("name") or "")[:NAME_MAX]
    exclude = clean_line(request.args.get("exclude") or "")[:120]
    definitions = similar_kpis(search_index(current_app), name, current_user, exclude=exclude)
    return render_page("kpi/_similar.html", block="similar", name=name, exclude=exclude, definitions=definitions,
                       min_chars=SIMILAR_KPI_MIN_CHARS)
