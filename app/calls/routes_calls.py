"""Calls for expression of interest (issue 15): a programme's new call, a call's settings with its seats and its
candidacy form's fields, its phases, and its public page. Thin routes: parse → permission → service
(app/calls/calls.py) → page or redirect."""
from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import permissions
from app.calls import access, bp
from app.calls import calls as services
from app.calls.core import CallsError
from app.calls.forms_calls import MAX_FIELDS, CallForm, field_row
from app.calls.labels import CALL_PHASE_LABELS, FIELD_KINDS, WINDOW_LABELS
from app.calls.workflow import CALL_DENIED, CallPhase
from app.extensions import db
from app.web import EmptyForm, redirect_to, render_page

DESIGNER_BUTTONS = ("add_field", "remove_field", "move_up", "move_down")


def message_of(error: CallsError) -> str:
    return _(error.message, **error.params)


def refuse_at(form: CallForm, error: CallsError, default_field: str = "title") -> None:
    """A service refusal at its field (a designer row's field too), the rest of the form kept; nothing was saved."""
    db.session.rollback()
    name, text = error.field or default_field, message_of(error)
    target = None
    if name.startswith("fields-"):
        _prefix, position, part = (name.split("-", 2) + ["", ""])[:3]
        entries = form.fields.entries
        if position.isdigit() and int(position) < len(entries) and part in entries[int(position)].form:
            target = entries[int(position)].form[part]
    elif name in form:
        target = form[name]
    if target is None:
        form.form_errors.append(text)
    else:
        target.errors = [*target.errors, text]


def _csrf_or_400(form) -> None:
    if "csrf_token" in form.errors:
        abort(400)


def _position(raw: str | None, size: int) -> int | None:
    raw = raw or ""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 3 and int(raw) < size else None


def _designer_step(form: CallForm, call) -> tuple[bool, str | None]:
    """Apply a designer button (add, remove, move a row) without saving. Returns (handled, message)."""
    button = next((name for name in DESIGNER_BUTTONS if name in request.form), None)
    if button is None:
        return False, None
    if not EmptyForm().validate_on_submit():
        abort(400)
    rows = form.rows()
    locked = services.locked_keys(call) if call is not None else frozenset()
    if button == "add_field":
        if len(rows) >= MAX_FIELDS:
            return True, _("Il modulo ha già il numero massimo di campi (%(max)s).", max=MAX_FIELDS)
        rows.append(field_row({"kind": "text"}))
        form.set_rows(rows)
        return True, _("Campo aggiunto in fondo: scrivetene l'etichetta, poi salvate l'avviso.")
    position = _position(request.form.get(button), len(rows))
    if position is None:
        return True, None
    if button == "remove_field":
        if rows[position]["key"] in locked:
            form.set_rows(rows)
            row = form.fields.entries[position].form
            row.label.errors = [_(services.FIELD_LOCKED)]
            return True, None
        del rows[position]
        form.set_rows(rows)
        return True, _("Campo tolto: salvate l'avviso per confermare.")
    other = position - 1 if button == "move_up" else position + 1
    if 0 <= other < len(rows):
        rows[position], rows[other] = rows[other], rows[position]
    form.set_rows(rows)
    return True, _("Ordine cambiato: salvate l'avviso per confermare.")


def render_form(form: CallForm, call=None, programme=None, status: int = 200, notice: str | None = None):
    programme = programme or call.programme
    return render_page("calls/call_form.html", block="call_form", status=status, form=form, call=call,
                       programme=programme, kinds=FIELD_KINDS, notice=notice,
                       locked=services.locked_keys(call) if call is not None else frozenset())


# ---- a new call, its settings -----------------------------------------------------------------------------------

@bp.route("/programmes/<slug>/calls/new", methods=["GET", "POST"])
@login_required
def new_call(slug: str):
    """A new call of the programme, in draft (its staff, administrators)."""
    programme = services.programme_or_none(slug) or abort(404)
    permissions.require(access.can_manage_programme(current_user, programme), _(CALL_DENIED))
    form = CallForm()
    if request.method == "GET":
        return render_form(form, programme=programme)
    handled, notice = _designer_step(form, None)
    if handled:
        return render_form(form, programme=programme, notice=notice)
    if form.validate_on_submit():
        try:
            call = services.create_call(programme, current_user, form.values())
        except CallsError as error:
            refuse_at(form, error)
        else:
            flash(_("Avviso creato in bozza: pubblicatelo quando è pronto."), "success")
            return redirect_to(url_for("calls.call", slug=call.slug))
    _csrf_or_400(form)
    return render_form(form, programme=programme, status=422)


def _managed_call_or_404(slug: str):
    call = services.call_or_none(slug)
    if call is None or not access.can_view_call(current_user, call):
        abort(404)
    permissions.require(access.can_manage_call(current_user, call), _(CALL_DENIED))
    return call


@bp.route("/calls/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_call(slug: str):
    """A call's settings: window, seats, the candidacy form's fields (its programme's staff, administrators)."""
    call = _managed_call_or_404(slug)
    form = CallForm()
    form.existing_keys = frozenset(each["key"] for each in call.fields or [])
    if request.method == "GET":
        form.fill_from(call, services.to_rome(call.opens_at), services.to_rome(call.closes_at))
        return render_form(form, call)
    handled, notice = _designer_step(form, call)
    if handled:
        return render_form(form, call, notice=notice)
    if form.validate_on_submit():
        try:
            services.update_call(call, current_user, form.values())
        except CallsError as error:
            refuse_at(form, error)
            return render_form(form, services.call_or_none(slug), status=422)
        flash(_("Avviso salvato."), "success")
        return redirect_to(url_for("calls.call", slug=call.slug))
    _csrf_or_400(form)
    return render_form(form, call, status=422)


# ---- the call's page and its phases -----------------------------------------------------------------------------

def render_call(call, status: int = 200, block: str | None = None, phase_error: str | None = None):
    counts = services.status_counts(call)
    manage = access.can_manage_call(current_user, call)
    return render_page("calls/call.html", block=block, status=status, call=call, phase_labels=CALL_PHASE_LABELS,
                       window=services.window_of(call), window_labels=WINDOW_LABELS, kinds=FIELD_KINDS,
                       quotas=services.quota_rows(call, counts),
                       waiting_total=sum(count for (_kind, state), count in counts.items() if state == "waiting"),
                       selected=services.selected_by_kind(call) if call.phase == CallPhase.RESULTS else {},
                       manage=manage, actions=services.available_actions(current_user, call) if manage else [],
                       action_labels=services.CALL_ACTION_LABELS, phase_error=phase_error)


@bp.route("/calls/<slug>")
def call(slug: str):
    """A call's page: public once published; in draft only for its programme's staff and administrators."""
    found = services.call_or_none(slug)
    if found is None or not access.can_view_call(current_user, found):
        abort(404)
    return render_call(found)


@bp.route("/calls/<slug>/transition", methods=["POST"])
@login_required
def call_transition(slug: str):
    """Publish a call, publish its results, or send it back to draft: refused with the reason on the call's page."""
    found = _managed_call_or_404(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    action = (request.form.get("action") or "")[:40]
    try:
        after = services.change_phase(found, action, current_user)
    except CallsError as error:
        return render_call(services.call_or_none(slug), status=422, block="manage", phase_error=message_of(error))
    flash(str(services.CALL_ACTION_DONE.get(action, CALL_PHASE_LABELS[after])), "success")
    return redirect_to(url_for("calls.call", slug=found.slug))
