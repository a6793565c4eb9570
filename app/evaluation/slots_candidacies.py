"""What the candidacies add to lower areas' pages (app/hooks.py): "Candida a un avviso" among a practice's actions
for the referents of its donor, and the organisation's candidacies in progress on the dashboard."""
from __future__ import annotations

from flask import get_template_attribute
from flask_login import current_user
from markupsafe import Markup

from app import permissions
from app.evaluation import access
from app.evaluation import candidacies as services
from app.hooks import contribute
from app.models import CANDIDACY_STATUS_LABELS
from app.practices.workflow import PracticeStatus


@contribute("practice.actions")
def candidate_links(practice, **_context):
    """Links to candidate the practice to each open call (two queries), for who may candidate it."""
    if practice.status != PracticeStatus.PUBLISHED or not access.can_candidate(current_user, practice):
        return None
    calls, taken = services.open_calls_for(practice, current_user)
    if not calls:
        return None
    return Markup(get_template_attribute("evaluation/_candidacy_macros.html", "practice_candidate_links")(
        practice, calls, taken))


@contribute("dashboard")
def candidacies_card(user, **_context):
    """The organisation's candidacies in progress (one query), for its people."""
    if not (permissions.is_member(user) and user.organization_id is not None and user.is_affiliated):
        return None
    found = services.in_progress_of(user.organization_id)
    if not found:
        return None
    return Markup(get_template_attribute("evaluation/_candidacy_macros.html", "dashboard_card")(
        found, CANDIDACY_STATUS_LABELS))
