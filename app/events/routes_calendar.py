"""The agenda page and the iCalendar files: one per event, and the feeds of a community and of a programme
(issue 15)."""
from __future__ import annotations

import re

from flask import Response, abort, current_app, get_template_attribute, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from jinja2 import TemplateNotFound
from sqlalchemy import select
from werkzeug.routing import BuildError

from app.events import access, bp, labels, queries
from app.events import calendar as ics_files
from app.events import slots_calendar  # noqa: F401  (registers the slots)
from app.events.workflow import EventStatus, RegistrationStatus
from app.extensions import db
from app.models import BUDGET_MISSIONS, Community, Event, Programme
from app.models.event import EventFormat
from app.web import render_page

AGENDA_PER_PAGE = 12
FEED_MAX_AGE = 15 * 60  # calendar clients poll feeds; a quarter of an hour spares the database


@bp.app_template_global("event_labels")
def event_labels():
    """The labels of kinds, formats and statuses, for the calendar's templates."""
    return labels


def _url_or_none(endpoint: str, **values) -> str | None:
    # The programmes list and the new-event form belong to other parts of the area: a link, when they exist.
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def _event_card():
    """The `event_card` macro of the events pages, when written; else the agenda's own card."""
    try:
        return get_template_attribute("events/_event_macros.html", "event_card")
    except (TemplateNotFound, AttributeError):
        return None


@bp.get("/")
def agenda():
    """The agenda: upcoming (or past) events the reader may see, with filters; htmx gets only the list."""
    filters, programme, community = queries.parse_filters(request.args, current_user)
    page = db.paginate(queries.agenda_query(current_user, filters, programme, community),
                       per_page=current_app.config.get("EVENTS_PER_PAGE", AGENDA_PER_PAGE), max_per_page=100,
                       error_out=False)
    return render_page(
        "events/agenda.html", block="results", page=page, filters=filters, programme=programme,
        community=community, programmes=queries.programme_choices(),
        communities=queries.community_choices(current_user), missions=BUDGET_MISSIONS,
        event_card=_event_card(), programmes_url=_url_or_none("calls.programmes"),
        new_event_url=_url_or_none("events.new") if access.can_create_any_event(current_user) else None)


def _ics_response(body: bytes, name: str, cache: str) -> Response:
    response = Response(body, mimetype="text/calendar")  # text/*: Flask adds "; charset=utf-8"
    filename = re.sub(r"[^A-Za-z0-9._-]", "-", name)[:100] or "evento"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    response.headers["Cache-Control"] = cache
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _shows_online_link(event: Event) -> bool:
    """The online link goes into the file for whom the event's page shows it: everybody when the event takes no
    registrations, else organisers, speakers and people registered (not those waiting)."""
    if event.format == EventFormat.IN_PERSON or not event.online_url:
        return False
    if not event.registration_enabled:
        return True
    if access.is_organizer(current_user, event) or access.is_speaker(current_user, event):
        return True
    registration = access.registration_of(current_user, event)
    return registration is not None and registration.status == RegistrationStatus.REGISTERED


@bp.get("/<slug>.ics")
def ics(slug: str):
    """The .ics file of an event (not of a draft, nor of one the reader may not see: a page that says so)."""
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None or not access.can_view_event(current_user, event):
        return render_page("events/calendar_unavailable.html", block="message", status=404, draft=False)
    if event.status == EventStatus.DRAFT:
        # Only its organisers see a draft: they may be told why there is no file yet.
        return render_page("events/calendar_unavailable.html", block="message", status=404, draft=True,
                           event=event)
    body = ics_files.event_calendar(event, with_link=_shows_online_link(event))
    # Personal (it may carry the online link), and it changes with the event: never kept by shared caches.
    return _ics_response(body, event.slug, "private, no-cache")


@bp.get("/communities/<slug>.ics")
def community_feed(slug: str):
    """The subscribable calendar of a community's public events (none for a private community)."""
    community = db.session.scalar(select(Community).where(Community.slug == slug))
    if community is None or not queries.is_public_community(community):
        abort(404)
    body = ics_files.feed_calendar("community", community.slug, _("Eventi · %(name)s", name=community.name),
                                   queries.feed_events(community=community))
    return _ics_response(body, f"eventi-{community.slug}", f"public, max-age={FEED_MAX_AGE}")


@bp.get("/programmes/<slug>.ics")
def programme_feed(slug: str):
    """The subscribable calendar of a programme's public events."""
    programme = db.session.scalar(select(Programme).where(Programme.slug == slug))
    if programme is None:
        abort(404)
    body = ics_files.feed_calendar("programme", programme.slug, _("Eventi · %(name)s", name=programme.name),
                                   queries.feed_events(programme=programme))
    return _ics_response(body, f"eventi-{programme.slug}", f"public, max-age={FEED_MAX_AGE}")
