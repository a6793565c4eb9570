"""What the calendar shows in other pages (app/hooks.py slots): the event's .ics link, the programme's events and
feed, the next public events on the home page, the next events of my communities and programmes on the
dashboard, the community's next events with its feed, and the community's "Eventi" tab."""
from __future__ import annotations

from flask import get_template_attribute, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app import permissions
from app.events import queries
from app.events.workflow import EventStatus
from app.hooks import contribute
from app.web import external_url

MACROS = "events/_calendar_macros.html"
HOME_EVENTS = 3
BOX_EVENTS = 5
PROGRAMME_UPCOMING = 10
PROGRAMME_PAST = 5


def _macro(name: str, *args) -> Markup:
    return Markup(get_template_attribute(MACROS, name)(*args))


@contribute("event.calendar")
def event_calendar(event, **_context):
    if event.status == EventStatus.DRAFT:
        return None  # a draft has no file yet
    return _macro("event_calendar_box", event)


@contribute("programme.events")
def programme_events(programme, **_context):
    upcoming = queries.next_events(current_user, PROGRAMME_UPCOMING, programme=programme)
    past = queries.past_events(current_user, PROGRAMME_PAST, programme=programme)
    return _macro("programme_box", programme, upcoming, past,
                  external_url("events.programme_feed", slug=programme.slug))


@contribute("home")
def home_events(user, **_context):
    # The home page is the same for everybody: public events only, whoever reads it.
    events = queries.next_events(None, HOME_EVENTS)
    return _macro("home_box", events) if events else None


@contribute("dashboard")
def dashboard_events(user, **_context):
    if not permissions.is_member(user):
        return None
    return _macro("dashboard_box", queries.next_events(user, BOX_EVENTS, mine=True))


@contribute("community.aside")
def community_events(community, membership=None, **_context):
    events = queries.next_events(current_user, HOME_EVENTS, community=community)
    feed = (external_url("events.community_feed", slug=community.slug)
            if queries.is_public_community(community) else None)
    return _macro("community_box", community, events, feed)


@contribute("community.nav")
def community_tab(community, membership=None, active=None, **_context):
    current = active == "events"
    return Markup('<li class="nav-item"><a class="nav-link{active}"{aria} href="{url}">{label}</a></li>').format(
        active=" active" if current else "", aria=Markup(' aria-current="page"') if current else "",
        url=url_for("events.agenda", community=community.slug), label=_("Eventi"))
