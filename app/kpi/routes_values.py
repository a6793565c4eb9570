"""The values of an adoption (issue 16): add (htmx re-renders the page's `values` block), edit, delete. Only the
adopting organisation's people (and administrators) write them, while the adoption is active. Thin routes over
app/kpi/values.py."""
from __future__ import annotations

from flask import abort, flash, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from app import permissions
from app.confirmation import confirmation_page, confirmed
from app.extensions import db
from app.kpi import access, bp
from app.kpi import values as services
from app.kpi.filters import kpi_number
from app.kpi.forms_values import ValueForm, refuse_at
from app.kpi.routes_adoptions import adoption_context, adoption_or_404
from app.kpi.values import ValueRefused, error_text
from app.kpi.workflow import period_example
from app.models import KpiValue
from app.web import EmptyForm, redirect_to, render_page, wants_fragment

WRITERS_ONLY = _l("Registrano i valori le persone dell'ente che ha adottato l'indicatore, finché l'adozione è attiva.")


def _writable_or_403(adoption_id: int):
    adoption = adoption_or_404(adoption_id)
    permissions.require(access.can_write_values(current_user, adoption), WRITERS_ONLY)
    return adoption


def _value_or_404(adoption, value_id: int) -> KpiValue:
    """A value of this adoption the reader may see (a provisional one of another organisation does not exist)."""
    row = db.session.scalar(select(KpiValue).where(KpiValue.id == value_id, KpiValue.adoption_id == adoption.id))
    if row is None or (row.status != "final" and not access.can_see_provisional(current_user,
                                                                                  adoption.organization_id)):
        abort(404)
    return row


def _fields(form: ValueForm) -> dict:
    return dict(period=form.period.data, value=form.value.data, numerator=form.numerator.data,
                denominator=form.denominator.data, status=form.status.data, source_note=form.source_note.data,
                source_url=form.source_url.data)


def _adoption_page(adoption, form=None, status=200, added=None):
    return render_page("kpi/adoption.html", block="values", status=status,
                       **adoption_context(adoption, value_form=form, added=added))


@bp.post("/adoptions/<int:adoption_id>/values")
@login_required
def add_value(adoption_id: int):
    """Record one value; htmx gets the values block again (the table and an empty form), others a redirect."""
    adoption = _writable_or_403(adoption_id)
    form = ValueForm(adoption=adoption)
    if not form.validate():
        if form.errors.get("csrf_token"):
            abort(400)
        return _adoption_page(adoption, form, status=422)
    try:
        row = services.add_value(adoption, current_user, **_fields(form))
    except ValueRefused as refused:
        refuse_at(form, refused)
        return _adoption_page(adoption_or_404(adoption_id), form, status=422)
    message = _("Valore registrato per %(period)s: %(value)s.", period=row.period,
                value=kpi_number(row.value, adoption.version.unit))
    if wants_fragment():
        return _adoption_page(adoption_or_404(adoption_id), added=message)
    flash(message, "success")
    return redirect_to(url_for("kpi.adoption", adoption_id=adoption_id) + "#values")


def _render_edit(adoption, row, form, status=200):
    return render_page("kpi/edit_value.html", block="value_form", status=status, adoption=adoption,
                       definition=adoption.definition, version=adoption.version, row=row, form=form,
                       period_example=period_example(adoption.version.frequency))


@bp.route("/adoptions/<int:adoption_id>/values/<int:value_id>/edit", methods=["GET", "POST"])
@login_required
def edit_value(adoption_id: int, value_id: int):
    """Correct a value: the same checks as a new one; nothing saved when something is wrong."""
    adoption = adoption_or_404(adoption_id)
    row = _value_or_404(adoption, value_id)
    permissions.require(access.can_write_values(current_user, adoption), WRITERS_ONLY)
    form = ValueForm(adoption=adoption)
    if form.is_submitted():
        if not form.validate():
            if form.errors.get("csrf_token"):
                abort(400)
            return _render_edit(adoption, row, form, status=422)
        try:
            services.edit_value(row, current_user, **_fields(form))
        except ValueRefused as refused:
            refuse_at(form, refused)
            adoption = adoption_or_404(adoption_id)
            return _render_edit(adoption, _value_or_404(adoption, value_id), form, status=422)
        flash(_("Valore corretto."), "success")
        return redirect_to(url_for("kpi.adoption", adoption_id=adoption_id) + "#values")
    form.fill_from(row)
    return _render_edit(adoption, row, form)


@bp.post("/adoptions/<int:adoption_id>/values/<int:value_id>/delete")
@login_required
def delete_value(adoption_id: int, value_id: int):
    """Remove a value reported by mistake (asks first)."""
    adoption = adoption_or_404(adoption_id)
    row = _value_or_404(adoption, value_id)
    permissions.require(access.can_write_values(current_user, adoption), WRITERS_ONLY)
    if not EmptyForm().validate():
        abort(400)
    back = url_for("kpi.adoption", adoption_id=adoption_id)
    if not confirmed():
        return confirmation_page(_("Eliminare il valore di %(period)s?", period=row.period), _("Elimina il valore"),
                                 back, _("Il valore non si recupera: potrete registrarlo di nuovo."))
    period = row.period
    try:
        services.delete_value(row, current_user)
    except ValueRefused as refused:
        flash(error_text(refused), "warning")
        return redirect_to(back)
    message = _("Valore di %(period)s eliminato.", period=period)
    if wants_fragment():
        return _adoption_page(adoption_or_404(adoption_id), added=message)
    flash(message, "success")
    return redirect_to(back + "#values")
