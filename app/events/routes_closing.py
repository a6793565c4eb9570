"""Closing an event and its materials (issue 15, point 5): the closing page (report, recording, attendance count,
materials), materials added and removed by the organisers, downloads for whoever may see the event. Thin routes:
parse → permission → service (app/events/closing.py) → page or redirect."""
from __future__ import annotations

from flask import abort, current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import permissions
from app.calls.core import CallsError
from app.events import access, bp
from app.events import closing as services
from app.events import slots_closing  # noqa: F401  (fills the event.outcome and practice.events slots)
from app.events.forms_closing import CloseForm, DocumentForm
from app.events.labels import DOCUMENT_ROLE_LABELS
from app.extensions import db
from app.models import Event, EventDocument
from app.web import EmptyForm, redirect_to, render_page


@bp.app_template_global("event_page_url")
def event_page_url(event, **values) -> str:
    """The event's page, for the closing templates."""
    return services.event_url(event, **values)


@bp.app_template_filter("event_document_role")
def event_document_role(role: str) -> str:
    return str(DOCUMENT_ROLE_LABELS.get(role, DOCUMENT_ROLE_LABELS["other"]))


def _event_or_404(slug: str) -> Event:
    """The event, if the reader may see it (a draft or a restricted event answers 404 to others)."""
    if len(slug) > 120:
        abort(404)
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None or not access.can_view_event(current_user, event):
        abort(404)
    return event


def _organizer_only(event: Event) -> None:
    permissions.require(access.is_organizer(current_user, event), _(services.NOT_ORGANIZER))


def _document_or_404(event: Event, document_id: int) -> EventDocument:
    document = db.session.get(EventDocument, document_id)
    if document is None or document.event_id != event.id:
        abort(404)
    return document


def _refuse_at(form, error: CallsError) -> None:
    """A refusal at its field(s), the rest of the form kept; nothing was saved."""
    db.session.rollback()
    if isinstance(error, services.DocumentsRefused):
        for name, rejections in error.rejections.items():
            if name in form:
                form[name].errors = list(form[name].errors) + [
                    _("«%(name)s»: %(reason)s", name=each.filename, reason=_(each.msgid, **each.params))
                    for each in rejections]
        return
    message = _(error.message, **error.params)
    if error.field and error.field in form:
        form[error.field].errors = list(form[error.field].errors) + [message]
    else:
        form.form_errors.append(message)


def _bad_post(form) -> int:
    if "csrf_token" in form.errors:
        abort(400)
    return 422


def _page(event, close_form=None, document_form=None, status: int = 200, block: str | None = None):
    refusal = services.closable(event)
    if close_form is None and refusal is None:
        close_form = CloseForm(formdata=None, attendees_count=str(services.attended_count(event)),
                               report=event.report, recording_url=event.recording_url)
    return render_page("events/close.html", block=block, status=status, event=event,
                       close_form=close_form, refusal=_(refusal) if refusal else None,
                       document_form=document_form or DocumentForm(formdata=None),
                       remove_form=EmptyForm(formdata=None), event_url=services.event_url(event))


@bp.route("/<slug>/close", methods=["GET", "POST"])
@login_required
def close(slug: str):
    """The closing page: the report form while the event can be closed, and its materials."""
    event = _event_or_404(slug)
    _organizer_only(event)
    if request.method == "GET":
        return _page(event)
    form = CloseForm()
    if not form.validate_on_submit():
        return _page(event, close_form=form, status=_bad_post(form), block="close_form")
    try:
        services.close(event, current_user, form.report.data, form.recording_url.data, form.attendees_count.data,
                       files_by_role={name: form[name].data for name in services.DOCUMENT_ROLES})
    except CallsError as error:
        _refuse_at(form, error)
        # A refusal of the move itself (not started yet, already closed) is above the form; the whole page says
        # it without the form, the htmx fragment with the form as typed.
        return _page(_event_or_404(slug), close_form=form, status=422, block="close_form")
    flash(_("Evento chiuso: resoconto e materiali sono sulla sua pagina."), "success")
    return redirect_to(services.event_url(event, _anchor="event-outcome"))


@bp.route("/<slug>/documents", methods=["POST"])
@login_required
def upload_document(slug: str):
    """Add materials to the event (organisers; before or after closing)."""
    event = _event_or_404(slug)
    _organizer_only(event)
    form = DocumentForm()
    if not form.validate_on_submit():
        return _page(event, document_form=form, status=_bad_post(form), block="document_form")
    try:
        documents = services.upload_documents(event, current_user, form.role.data, form.title.data or "",
                                              form.files.data)
    except CallsError as error:
        _refuse_at(form, error)
        return _page(_event_or_404(slug), document_form=form, status=422, block="document_form")
    flash(_("Materiali aggiunti: %(num)d.", num=len(documents)), "success")
    response = redirect_to(url_for("events.close", slug=event.slug, _anchor="event-materials"))
    if request.htmx:  # the same page with an anchor: htmx's HX-Redirect alone would only scroll, not reload
        response.headers["HX-Refresh"] = "true"
    return response


@bp.route("/<slug>/documents/<int:document_id>")
def document(slug: str, document_id: int):
    """A material of the event, to whoever may see the event, always as a download with safe headers."""
    from app.uploads import send_stored

    event = _event_or_404(slug)
    return send_stored(current_app.config["UPLOAD_FOLDER"], _document_or_404(event, document_id))


@bp.route("/<slug>/documents/<int:document_id>/remove", methods=["POST"])
@login_required
def remove_document(slug: str, document_id: int):
    """Take a material out of the event (organisers)."""
    event = _event_or_404(slug)
    _organizer_only(event)
    found = _document_or_404(event, document_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.remove_document(event, found, current_user)
    except CallsError as error:
        db.session.rollback()
        flash(_(error.message, **error.params), "danger")
    else:
        flash(_("Materiale tolto dall'evento."), "success")
    return redirect_to(url_for("events.close", slug=slug, _anchor="event-materials"))
