"""What the self-assessment adds to lower areas' pages: a link on the dashboard of people of an organisation.
Nothing of an assessment's content is shown outside its own pages."""
from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from app.evaluation import access
from app.hooks import contribute


@contribute("dashboard")
def self_assessment_link(user, **_context):
    if not access.can_use_self_assessment(user, getattr(user, "organization_id", None)):
        return None
    return Markup(render_template("evaluation/self/_dashboard_box.html"))


__all__ = ["self_assessment_link"]
