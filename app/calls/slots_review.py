"""What the examination of candidacies adds to lower areas' pages (app/hooks.py): the staff's dashboard box of the
calls with candidacies to examine."""
from __future__ import annotations

from flask import current_app
from markupsafe import Markup

from app.calls import review
from app.hooks import contribute

# The box's markup (this part owns no macros file); compiled once per application.
BOX = """\
<section class="calls-review-box card card-bg mb-4" aria-labelledby="calls-review-title"><div class="card-body">
  <h2 class="h5 card-title" id="calls-review-title">{{ _("Candidature da esaminare") }}</h2>
  <ul class="list-unstyled mb-0">
    {% for call, submitted, admissible in found %}
    <li class="mb-2"><a href="{{ url_for('calls.board', slug=call.slug) }}">{{ call.title }}</a>
      <span class="small text-muted">· {{ call.programme.name }}</span><br>
      <span class="small">
        {%- if submitted %}{{ ngettext("%(num)d inviata da esaminare", "%(num)d inviate da esaminare",
                                       submitted) }}{% endif %}
        {%- if submitted and admissible %} · {% endif %}
        {%- if admissible %}{{ ngettext("%(num)d ammissibile da decidere", "%(num)d ammissibili da decidere",
                                        admissible) }}{% endif -%}
      </span></li>
    {% endfor %}
  </ul>
</div></section>
"""


def _box_template():
    cache = current_app.extensions.setdefault("calls_review_box", {})
    if "template" not in cache:
        cache["template"] = current_app.jinja_env.from_string(BOX)
    return cache["template"]


@contribute("dashboard")
def calls_to_examine_box(user, **_context):
    """For the programmes' staff (and administrators): the published calls with candidacies to examine, with their
    counts and the link to each board (two queries)."""
    found = review.calls_to_examine(user)
    if not found:
        return None
    return Markup(_box_template().render(found=found))
