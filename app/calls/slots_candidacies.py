"""What the candidacies add to other pages (app/hooks.py): the referent's box on a call's page, the organisation's
candidacies on the dashboard, the programmes an organisation takes part in on its profile."""
from __future__ import annotations

from flask import get_template_attribute
from flask_login import current_user
from markupsafe import Markup

from app import permissions
from app.calls import access
from app.calls import candidacies as services
from app.calls.labels import CANDIDACY_STATUS_LABELS
from app.calls.workflow import CallPhase
from app.hooks import contribute
from app.models import OrganizationKind

MACROS = "calls/_candidacy_slots.html"


@contribute("call.candidacy")
def call_box(call, **_context):
    """The reader's box on a published call: start, continue or see the organisation's candidacy, or why not."""
    if call.phase == CallPhase.DRAFT:
        return None
    user = current_user
    window = services.window_of(call)
    if not permissions.is_signed_in(user):
        if call.phase != CallPhase.PUBLISHED or window not in ("open", "upcoming"):
            return None
        return Markup(get_template_attribute(MACROS, "call_box")(call, None, None, None, False))
    organization = user.organization if permissions.is_member(user) and user.is_affiliated else None
    if organization is None or organization.kind != OrganizationKind.PUBLIC_ADMINISTRATION:
        return None
    referent = access.can_candidate(user)
    if not referent and access.can_manage_call(user, call):
        return None  # the programme's staff have their own links on the page
    found = services.existing(call, organization.id)
    refusal = services.candidacy_refusal(call, user) if referent and found is None else None
    if found is None and not referent and (call.phase != CallPhase.PUBLISHED or window != "open"):
        return None  # nothing to say to a colleague of the referents once the call takes no candidacies
    return Markup(get_template_attribute(MACROS, "call_box")(
        call, organization, found, refusal, referent, editable=found is not None and referent
        and services.is_editable(found), labels=CANDIDACY_STATUS_LABELS))


@contribute("dashboard")
def dashboard_card(user, **_context):
    """The organisation's candidacies to calls and their status (one query), for its people."""
    if not (permissions.is_member(user) and user.organization_id is not None and user.is_affiliated):
        return None
    found = services.of_organization(user.organization_id)
    if not found:
        return None
    return Markup(get_template_attribute(MACROS, "dashboard_card")(found, CANDIDACY_STATUS_LABELS))


@contribute("organization.profile")
def programmes_box(organization, **_context):
    """The programmes the organisation takes part in (its own people also see those not yet announced)."""
    everything = permissions.is_admin(current_user) or permissions.is_of_organization(current_user, organization.id)
    found = services.participations(organization.id, everything)
    if not found:
        return None
    return Markup(get_template_attribute(MACROS, "organization_programmes")(organization, found))
