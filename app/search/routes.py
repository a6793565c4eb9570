"""The search page: live results through htmx, a full page without JavaScript."""
from flask import current_app, make_response, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.search import bp
from app.search.query import communities_for, parse_request, search
from app.search.schema import FACETS
from app.search.writer import search_index
from app.web import render_page

FACET_TITLES = {"type": _l("Tipo di risultato"), "solved": _l("Stato delle domande"), "recognised": _l("Riconoscimento"), "origin": _l("Provenienza"), "community": _l("Comunità"), "theme": _l("Tema"), "mission": _l("Missione di bilancio"),
                "region": _l("Territorio"), "donor_kind": _l("Tipo di ente cedente"), "licence": _l("Licenza")}


@bp.get("/search")
def index():
    """Search the practices and questions this reader may see; bad input gets a message at the field, never an error page."""
    communities, hidden = communities_for(current_user)
    search_request, errors = parse_request(request.args, communities)
    results = None
    status = 200
    if errors:
        status = 422 if request.headers.get("HX-Request") else 400
    else:
        results = search(search_index(current_app), search_request, current_user, communities, hidden)
    body, status = render_page("search/index.html", block="results", status=status, search=search_request,
                               errors=errors, results=results, facet_names=FACETS, facet_titles=FACET_TITLES)
    response = make_response(body, status)
    if request.headers.get("HX-Request") and not errors:
        # The form sends every field (the default sort, empty ones): push the same canonical URL a link would have.
        response.headers["HX-Push-Url"] = url_for("search.index", **search_request.url_args())
    return response
