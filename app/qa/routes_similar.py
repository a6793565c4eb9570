"""Similar questions while asking (issue 12, point 6): GET /questions/similar?title=…&community=<slug>.

The ask form asks for it on keyup (hx-get, delay 500 ms, hx-include of the title); without htmx it is a page of its
own. Suggestions come from the full-text index through the search page's mask and database re-reading
(app.search.query.similar): a private community's questions never reach outsiders, whatever `community` says."""
from __future__ import annotations

from flask import current_app, request
from flask_login import current_user

from app.forms import clean_line
from app.models.qa import TITLE_MAX
from app.qa import bp
from app.search.query import SIMILAR_MIN_CHARS, communities_for, similar as similar_hits
from app.search.writer import search_index
from app.web import render_page


@bp.get("/questions/similar")
def similar():
    title = clean_line(request.args.get("title") or "")[:TITLE_MAX]
    slug = clean_line(request.args.get("community") or "")[:200]
    communities, hidden = communities_for(current_user)
    community = communities.get(slug)  # a community the reader may not see is simply ignored
    hits = similar_hits(search_index(current_app), title, current_user, community, hidden)
    return render_page("qa/_similar.html", block="similar", title=title, community=community, hits=hits,
                       min_chars=SIMILAR_MIN_CHARS, slug=community.slug if community else "")
