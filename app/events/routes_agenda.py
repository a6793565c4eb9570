"""An event's agenda items with their speakers (the event's organisers): add, remove (issue 15)."""
from __future__ import annotations

from datetime import datetime

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.calls.core import CallsError
from app.events import bp
from app.events import events as services
from app.events.forms_agenda import AgendaItemForm
from app.events.routes_events import organised_or_404
from app.extensions import db
from app.models import AgendaItem, AgendaSpeaker
from app.web import EmptyForm, redirect_to, render_page


def _items(event):
    return list(db.session.scalars(select(AgendaItem).where(AgendaItem.event_id == event.id)
                                   .order_by(AgendaItem.position, AgendaItem.id).options(
        selectinload(AgendaItem.speakers).selectinload(AgendaSpeaker.user),
        selectinload(AgendaItem.speakers).selectinload(AgendaSpeaker.organization))))


def _render(event, form, status=200):
    return render_page("events/agenda_form.html", block="agenda_main", status=status, event=event, form=form,
                       items=_items(event), remove_form=EmptyForm(formdata=None))


@bp.route("/<slug>/agenda", methods=["GET", "POST"])
@login_required
def agenda_items(slug: str):
    """The agenda of an event: its items, a form to add one with its time and speakers."""
    event = organised_or_404(slug)
    form = AgendaItemForm()
    if request.method == "GET":
        return _render(event, form)
    if form.validate_on_submit():
        starts_at = None
        if form.at.data:
            day = form.day.data or services.to_rome(event.starts_at).date()
            starts_at = services.to_utc(datetime.combine(day, form.at.data))
        try:
            services.add_agenda_item(event, current_user, form.title.data, form.description.data, starts_at,
                                     people=form.people, organizations=form.organizations, names=form.names)
        except CallsError as error:
            form[error.field or "title"].errors = list(form[error.field or "title"].errors) + [
                _(error.message, **error.params)]
            event = organised_or_404(slug)
        else:
            flash(_("Intervento aggiunto al programma dei lavori."), "success")
            return redirect_to(url_for("events.agenda_items", slug=event.slug))
    elif "csrf_token" in form.errors:
        abort(400)
    return _render(event, form, status=422)


@bp.route("/<slug>/agenda/<int:item_id>/remove", methods=["POST"])
@login_required
def remove_agenda_item(slug: str, item_id: int):
    """Remove an agenda item and its speakers."""
    event = organised_or_404(slug)
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.event_id != event.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.remove_agenda_item(event, item)
    flash(_("Intervento tolto dal programma dei lavori."), "success")
    return redirect_to(url_for("events.agenda_items", slug=event.slug))
