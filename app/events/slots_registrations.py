"""What registrations add to pages (app/hooks.py): the registration box on the event page ("event.registration")
and the person's upcoming registrations on the dashboard."""
from __future__ import annotations

from flask import get_template_attribute
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app import permissions
from app.events import access
from app.events import registrations as services
from app.events.labels import REGISTRATION_STATUS_LABELS
from app.events.workflow import RegistrationStatus
from app.hooks import contribute
from app.web import EmptyForm


@contribute("event.registration")
def registration_box(event, **_context):
    """Seats left, the person's status (code, position on the waiting list), register or cancel."""
    if not event.registration_enabled or (event.status == "draft" and not access.is_organizer(current_user, event)):
        return None
    from app.events.routes_registrations import state_refusal

    registration = access.registration_of(current_user, event)
    if registration is not None and registration.status == RegistrationStatus.CANCELLED:
        registration = None
    user = current_user if permissions.is_signed_in(current_user) else None
    kind = user.organization.pa_kind if user is not None and user.organization is not None else None
    reason = services.refusal_for(event, current_user) if user is not None else None
    return Markup(get_template_attribute("events/_registration_box.html", "registration_box")(
        event, registration=registration, position=services.waiting_position(registration) if registration
        else None, seats_left=services.seats_left_for(event, kind), closes_at=services.closes_at(event),
        refusal=_(reason) if reason else None, state=_(msg) if (msg := state_refusal(event, registration)) else None,
        is_organizer=access.is_organizer(current_user, event), cancel_form=EmptyForm(formdata=None),
        labels=REGISTRATION_STATUS_LABELS))


@contribute("dashboard")
def my_registrations(user, **_context):
    """The person's registrations to events to come (one query)."""
    if not permissions.is_signed_in(user):
        return None
    found = services.upcoming_of(user)
    if not found:
        return None
    return Markup(get_template_attribute("events/_registration_box.html", "dashboard_card")(
        found, REGISTRATION_STATUS_LABELS, services.event_link))
