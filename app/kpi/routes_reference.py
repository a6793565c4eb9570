"""The reference taxonomies of the library (issue 16): every scheme with its edition, validity, codes and names,
and how many published KPIs each term has (links to the library's filter)."""
from __future__ import annotations

from flask_babel import get_locale

from app.kpi import bp
from app.kpi import library as queries
from app.kpi.labels import SCHEME_LABELS, term_label
from app.web import render_page

# The library's filter argument of each scheme that has one.
FILTER_ARGS = {"mission_local": "mission", "mission_state": "mission", "programme_local": "mission",
               "bes_domain": "bes", "sdg": "sdg", "piao_subsection": "piao"}


@bp.get("/reference")
def reference():
    """The read-only taxonomies: missions (technical ones flagged, programmes under them), PIAO, BES, SDGs."""
    editions, programmes = queries.reference_schemes(tuple(SCHEME_LABELS))
    locale = str(get_locale() or "it")[:2]
    return render_page("kpi/reference.html", editions=editions, programmes=programmes,
                       counts=queries.published_counts(), scheme_labels=SCHEME_LABELS, filter_args=FILTER_ARGS,
                       locale=locale, term_label=term_label)
