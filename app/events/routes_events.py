"""An event's page, a new event, its edit and its transitions (issue 15). Thin routes: parse → permission →
service (app/events/events.py) → page or redirect. What a reader may not see answers 404."""
from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import permissions
from app.activity.services import visible_communities_clause
from app.calls.core import CallsError
from app.events import access, bp
from app.events import events as services
from app.events.forms_events import EventForm, TransitionForm
from app.events.labels import EVENT_FORMAT_LABELS, EVENT_KIND_LABELS, EVENT_STATUS_LABELS, QUESTION_KINDS
from app.events.workflow import EventAction, EventStatus, RegistrationStatus
from app.extensions import db
from app.models import (AgendaItem, AgendaSpeaker, Community, Event, EventPractice, Practice, Programme,
                        User)
from app.models.practice import BUDGET_MISSIONS
from app.web import redirect_to, render_page

ORGANISERS_ONLY = _l("Questa pagina è di chi organizza l'evento, dello staff del suo programma e di chi "
                     "amministra la piattaforma.")
CREATE_REASON = _l("Un evento lo crea lo staff di un programma, chi anima una comunità o chi amministra la "
                   "piattaforma.")
ACTION_LABELS = {EventAction.PUBLISH: _l("Pubblica"), EventAction.UNPUBLISH: _l("Riporta in bozza"),
                 EventAction.CANCEL: _l("Annulla l'evento")}
ACTIONS_FROM = {EventStatus.DRAFT: (EventAction.PUBLISH, EventAction.CANCEL),
                EventStatus.PUBLISHED: (EventAction.UNPUBLISH, EventAction.CANCEL)}

bp.add_app_template_global(access, "events_access")


@bp.app_template_filter()
def event_kind_label(code: str) -> str:
    return str(EVENT_KIND_LABELS.get(code, code or ""))


@bp.app_template_filter()
def event_format_label(code: str) -> str:
    return str(EVENT_FORMAT_LABELS.get(code, code or ""))


@bp.app_template_filter()
def event_status_label(code: str) -> str:
    return str(EVENT_STATUS_LABELS.get(code, code or ""))


@bp.app_template_filter()
def mission_label(code: str) -> str:
    return str(BUDGET_MISSIONS.get(code, code or ""))


def event_or_404(slug: str) -> Event:
    """The event by its slug, if the reader may see it."""
    event = db.session.scalar(select(Event).where(Event.slug == slug).options(
        selectinload(Event.organizers), selectinload(Event.communities), selectinload(Event.reservations),
        selectinload(Event.practice_links)))
    if event is None or not access.can_view_event(current_user, event):
        abort(404)
    return event


def organised_or_404(slug: str) -> Event:
    event = event_or_404(slug)
    permissions.require(access.is_organizer(current_user, event), str(ORGANISERS_ONLY))
    return event


def _csrf_or_400(form) -> None:
    if "csrf_token" in form.errors:
        abort(400)


def _event_form(event: Event | None, **kwargs) -> EventForm:
    user = current_user
    return EventForm(programmes=services.programmes_for(user, event), communities=services.communities_for(user, event),
                     practices=services.practices_for(user, event), **kwargs)


def _render_form(form, event, status=200, programme=None, community=None):
    return render_page("events/event_form.html", block="event_form", status=status, form=form, event=event,
                       question_kinds=QUESTION_KINDS, preselected_programme=programme,
                       preselected_community=community)


def _refuse_at(form, error: CallsError) -> None:
    name = error.field if error.field and error.field in form else None
    message = _(error.message, **error.params)
    if name:
        form[name].errors = list(form[name].errors or []) + [message]
    else:
        form.form_errors.append(message)


# ---- new and edit ----------------------------------------------------------------------------------------------

@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """A new event in draft (?programme=<slug> or ?community=<slug> preselects)."""
    programme = community = None
    if any("\x00" in request.args.get(name, "") for name in ("programme", "community")):
        abort(404)  # PostgreSQL refuses NUL in text: no slug has one
    if request.args.get("programme"):
        programme = db.session.scalar(select(Programme).where(Programme.slug == request.args["programme"]))
        if programme is None:
            abort(404)
    if request.args.get("community"):
        community = db.session.scalar(select(Community).where(
            Community.slug == request.args["community"], visible_communities_clause(current_user)))
        if community is None:
            abort(404)
    if programme is not None:
        allowed = (access.can_create_event(current_user, programme=programme)
                   or access.can_create_event(current_user, community=community))
    else:
        # A community preselects a link: programme staff may link their events to it too (the service checks the
        # whole rule when the form is sent).
        allowed = access.can_create_any_event(current_user)
    permissions.require(allowed, str(CREATE_REASON))
    form = _event_form(None)
    if request.method == "GET":
        form.programme.data = str(programme.id) if programme is not None and programme.id in form.programme_rows \
            else ""
        form.communities.data = [str(community.id)] if community is not None else []
        return _render_form(form, None, programme=programme, community=community)
    if form.validate_on_submit():
        try:
            event = services.create_event(current_user, form.values())
        except CallsError as error:
            _refuse_at(form, error)
        else:
            flash(_("Evento creato in bozza: completate il programma dei lavori e pubblicatelo."), "success")
            return redirect_to(url_for("events.show", slug=event.slug))
    _csrf_or_400(form)
    return _render_form(form, None, status=422, programme=programme, community=community)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    """An event's details (its organisers, the programme's staff, administrators)."""
    event = organised_or_404(slug)
    form = _event_form(event)
    if request.method == "GET":
        form.fill_from(event)
        return _render_form(form, event)
    if form.validate_on_submit():
        try:
            services.update_event(event, current_user, form.values(event.questionnaire))
        except CallsError as error:
            _refuse_at(form, error)
            event = event_or_404(slug)
        else:
            flash(_("Evento salvato."), "success")
            return redirect_to(url_for("events.show", slug=event.slug))
    _csrf_or_400(form)
    return _render_form(form, event, status=422)


# ---- the page --------------------------------------------------------------------------------------------------

def _page_context(event: Event) -> dict:
    user = current_user
    organizer = access.is_organizer(user, event)
    items = list(db.session.scalars(select(AgendaItem).where(AgendaItem.event_id == event.id)
                                    .order_by(AgendaItem.position, AgendaItem.id).options(
        selectinload(AgendaItem.speakers).selectinload(AgendaSpeaker.user).selectinload(User.organization),
        selectinload(AgendaItem.speakers).selectinload(AgendaSpeaker.organization))))
    speaker = permissions.is_member(user) and any(
        each.user_id == user.id for item in items for each in item.speakers)
    registration = access.registration_of(user, event)
    registered = registration is not None and registration.status == RegistrationStatus.REGISTERED
    communities = []
    if event.communities:
        communities = list(db.session.scalars(select(Community).where(
            Community.id.in_([each.id for each in event.communities]), visible_communities_clause(user))
            .order_by(Community.name)))
    practices = []
    if event.practice_links:
        visible = select(Community.id).where(visible_communities_clause(user))
        practices = list(db.session.scalars(
            select(Practice).join(EventPractice, EventPractice.practice_id == Practice.id)
            .where(EventPractice.event_id == event.id, Practice.status != "draft", Practice.community_id.in_(visible))
            .order_by(Practice.title)))
    return dict(event=event, organizer=organizer, items=items, communities=communities, practices=practices,
                sees_link=organizer or speaker or registered or not event.registration_enabled,
                registration=registration,
                actions=ACTIONS_FROM.get(event.status, ()) if organizer else (),
                action_labels=ACTION_LABELS)


def render_event(event: Event, status: int = 200, block: str | None = None, form=None, error: str | None = None):
    return render_page("events/event.html", block=block, status=status, transition_form=form or TransitionForm(
        formdata=None), transition_error=error, **_page_context(event))


@bp.route("/<slug>")
def show(slug: str):
    """An event: what, when, where, its agenda, what it is linked to; its organisers' toolbar."""
    return render_event(event_or_404(slug))


@bp.route("/<slug>/transition", methods=["POST"])
@login_required
def transition(slug: str):
    """Publish, back to draft, cancel with a reason (the event's organisers); refused with the reason on the page."""
    event = organised_or_404(slug)
    form = TransitionForm()
    if not form.validate_on_submit():
        _csrf_or_400(form)
        abort(400)
    action = form.action.data
    if action not in (EventAction.PUBLISH, EventAction.UNPUBLISH, EventAction.CANCEL):
        abort(400)
    try:
        after = services.transition(event, current_user, action, form.reason.data or "")
    except CallsError as error:
        return render_event(event_or_404(slug), status=422, block="event_toolbar", form=form,
                            error=_(error.message, **error.params))
    flash({EventStatus.PUBLISHED: _("Evento pubblicato."), EventStatus.DRAFT: _("L'evento è tornato in bozza."),
           EventStatus.CANCELLED: _("Evento annullato: chi si era iscritto ne riceve l'avviso.")}[after], "success")
    return redirect_to(url_for("events.show", slug=event.slug))
