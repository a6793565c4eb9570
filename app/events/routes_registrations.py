"""Registrations (issue 15): register and cancel for people; for the organisers the lists with attendance,
check-in by code and the CSV. Thin routes: parse → permission → service (app/events/registrations.py) → page."""
from __future__ import annotations

import csv
import io

from flask import Response, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import permissions
from app.calls.core import CallsError
from app.events import access, bp
from app.events import registrations as services
from app.events import slots_registrations  # noqa: F401  (registers the slots)
from app.events.forms_registration import CheckInForm, registration_form
from app.events.labels import REGISTRATION_STATUS_LABELS
from app.events.workflow import (TERMS_REQUIRED, EventWorkflowError, RegistrationFacts, RegistrationStatus,
                                 registration_outcome)
from app.extensions import db
from app.models import PA_KIND_LABELS, Event
from app.spreadsheet import safe_cell
from app.web import EmptyForm, local_datetime, redirect_to, render_page

ORGANISERS_ONLY = "Questa pagina è degli organizzatori dell'evento."


def event_or_404(slug: str) -> Event:
    """The event, if the reader may see it."""
    if len(slug) > 120:
        abort(404)
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None or not access.can_view_event(current_user, event):
        abort(404)
    return event


def organised_or_404(slug: str) -> Event:
    event = event_or_404(slug)
    permissions.require(access.is_organizer(current_user, event), _(ORGANISERS_ONLY))
    return event


def _bad_post(form) -> int:
    if "csrf_token" in form.errors:
        abort(400)
    return 422


# ---- register, cancel ----------------------------------------------------------------------------------------

def state_refusal(event: Event, registration) -> str | None:
    """What the event's state refuses to anybody asking now (cancelled, held, closed…), or None."""
    try:
        registration_outcome(RegistrationFacts(
            event_status=event.status, registration_enabled=event.registration_enabled,
            closes_at=services.closes_at(event), now=services.now(),
            current_status=registration.status if registration else None, has_seat=True, accepted_terms=True,
            terms_required=False))
    except EventWorkflowError as refused:
        return str(refused)
    return None


def _register_page(event, form, registration=None, refusal: str | None = None, status: int = 200):
    registration = registration if registration is not None else access.registration_of(current_user, event)
    active = registration is not None and registration.status != RegistrationStatus.CANCELLED
    kind = current_user.organization.pa_kind if current_user.organization is not None else None
    return render_page("events/register.html", block="registration_form", status=status, event=event, form=form,
                       refusal=refusal, labels=REGISTRATION_STATUS_LABELS,
                       registration=registration if active else None,
                       position=services.waiting_position(registration) if active else None,
                       seats_left=services.seats_left_for(event, kind), cancel_form=EmptyForm(formdata=None),
                       event_url=services.event_link(event), closes_at=services.closes_at(event))


@bp.route("/<slug>/register", methods=["GET", "POST"])
@login_required
def register(slug: str):
    """Register to the event: the terms, the questionnaire, the opt-in to be listed by name."""
    event = event_or_404(slug)
    registration = access.registration_of(current_user, event)
    reason = services.refusal_for(event, current_user)
    if reason:
        return _register_page(event, None, registration, refusal=_(reason), status=403)
    refusal = state_refusal(event, registration)
    if refusal:
        return _register_page(event, None, registration, refusal=_(refusal),
                              status=200 if request.method == "GET" else 422)
    if request.method == "GET":
        return _register_page(event, registration_form(event, formdata=None), registration)
    form = registration_form(event)
    if not form.validate_on_submit():
        return _register_page(event, form, registration, status=_bad_post(form))
    try:
        registration = services.register(event, current_user, answers=form.answers(),
                                         accepted_terms=bool(form.accept_terms.data) if "accept_terms" in form
                                         else False, public_attendance=bool(form.public_attendance.data))
    except CallsError as refused:
        if refused.message == TERMS_REQUIRED and "accept_terms" in form:
            form.accept_terms.errors = list(form.accept_terms.errors) + [_(refused.message)]
            return _register_page(event, form, status=422)
        return _register_page(event, None, refusal=_(refused.message, **refused.params), status=422)
    if registration.status == RegistrationStatus.WAITING:
        flash(_("L'evento è al completo: siete in lista d'attesa, in posizione %(position)d. Se si libera un "
                "posto vi iscriviamo e ve lo notifichiamo.", position=services.waiting_position(registration)),
              "warning")
    else:
        flash(_("Iscrizione confermata. Il vostro codice per registrare la presenza è %(code)s.",
                code=registration.code), "success")
    return redirect_to(services.event_link(event))


@bp.post("/<slug>/registration/cancel")
@login_required
def cancel_registration(slug: str):
    """Cancel one's registration (or leave the waiting list); a freed seat goes to the waiting list."""
    event = event_or_404(slug)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.cancel(event, current_user)
    except CallsError as refused:
        flash(_(refused.message, **refused.params), "danger")
        return redirect_to(services.event_link(event))
    flash(_("Iscrizione annullata."), "success")
    return redirect_to(services.event_link(event))


# ---- the organisers' lists -----------------------------------------------------------------------------------

def _lists_page(event, form=None, message: str | None = None, error: str | None = None, status: int = 200):
    return render_page("events/registrations.html", block="registrations_main", status=status, event=event,
                       lists=services.registration_lists(event), form=form or CheckInForm(formdata=None),
                       toggle_form=EmptyForm(formdata=None), message=message, error=error,
                       kind_labels=PA_KIND_LABELS, event_url=services.event_link(event))


@bp.get("/<slug>/registrations")
@login_required
def registrations(slug: str):
    """The event's registered people and waiting list, with attendance, for its organisers."""
    return _lists_page(organised_or_404(slug))


def _wanted_mark() -> bool | None:
    """The checkbox's value ("1" ticked, "0" from the hidden field before it), or None to flip the mark."""
    values = request.form.getlist("attended")
    return None if not values else values[-1].strip().lower() in ("1", "y", "yes", "on", "true")


@bp.post("/<slug>/registrations/<int:registration_id>/attendance")
@login_required
def mark_attendance(slug: str, registration_id: int):
    """Mark or unmark a registered person as present."""
    event = organised_or_404(slug)
    registration = services.registration_or_404(event, registration_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        attended = services.set_attendance(event, registration, current_user, _wanted_mark())
    except CallsError as refused:
        if request.htmx:
            return _lists_page(event, error=_(refused.message, **refused.params), status=422)
        flash(_(refused.message, **refused.params), "danger")
        return redirect_to(url_for("events.registrations", slug=event.slug))
    name = registration.user.full_name
    message = (_("Presenza registrata: %(name)s.", name=name) if attended
               else _("Presenza tolta: %(name)s.", name=name))
    if request.htmx:
        return _lists_page(event, message=message)
    flash(message, "success")
    return redirect_to(url_for("events.registrations", slug=event.slug))


@bp.post("/<slug>/check-in")
@login_required
def check_in(slug: str):
    """Mark as present the person whose check-in code is typed."""
    event = organised_or_404(slug)
    form = CheckInForm()
    if not form.validate_on_submit():
        return _lists_page(event, form=form, status=_bad_post(form))
    try:
        registration, already = services.check_in(event, form.code.data, current_user)
    except CallsError as refused:
        db.session.rollback()
        if refused.field == "code":
            form.code.errors = list(form.code.errors) + [_(refused.message, **refused.params)]
            return _lists_page(event, form=form, status=422)
        return _lists_page(event, form=form, error=_(refused.message, **refused.params), status=422)
    who = registration.user.full_name
    if registration.organization is not None:
        who = f"{who} ({registration.organization.name})"
    message = (_("La presenza di %(name)s era già registrata.", name=who) if already
               else _("Presenza registrata: %(name)s.", name=who))
    if request.htmx:
        return _lists_page(event, message=message)
    flash(message, "info" if already else "success")
    return redirect_to(url_for("events.registrations", slug=event.slug))


@bp.get("/<slug>/registrations.csv")
@login_required
def registrations_csv(slug: str):
    """The registrations as a CSV file (UTF-8 with BOM), for the organisers."""
    event = organised_or_404(slug)
    lists = services.registration_lists(event)
    questions = [each for each in event.questionnaire or [] if isinstance(each, dict)]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(each) for each in [
        _("Stato"), _("Posizione in lista d'attesa"), _("Nome"), _("Email"), _("Ente"), _("Tipo di ente"),
        _("Iscrizione"), _("Presente"), _("Nome tra i partecipanti"), _("Codice"),
        *[each.get("label") or each.get("key") or "" for each in questions]]])
    for position, each in [(None, each) for each in lists["registered"]] + list(enumerate(lists["waiting"], 1)):
        answers = each.answers or {}
        writer.writerow([safe_cell(value) for value in [
            str(REGISTRATION_STATUS_LABELS.get(each.status, each.status)), position, each.user.full_name,
            each.user.email, each.organization.name if each.organization else "",
            str(PA_KIND_LABELS.get(each.pa_kind, each.pa_kind or "")),
            local_datetime(each.registered_at or each.waiting_since, "short"), each.attended,
            each.public_attendance, each.code,
            *[answers.get(question.get("key")) for question in questions]]])
    response = Response(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="iscrizioni-{event.slug}.csv"'
    return response
