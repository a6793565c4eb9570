"""Programmes (issue 15, point 1): the list, a programme's page, the new programme and its edit, the staff.
Thin routes: parse → permission → service (app/calls/programmes.py) → page or redirect."""
from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import permissions
from app.calls import access, bp
from app.calls import programmes as services
from app.calls.core import CallsError
from app.calls.forms_programmes import ProgrammeForm, StaffForm
from app.calls.labels import CALL_PHASE_LABELS, WINDOW_LABELS
from app.confirmation import confirmation_page, confirmed
from app.extensions import db
from app.models import PA_KIND_LABELS, ProgrammeStaff
from app.web import EmptyForm, redirect_to, render_page

MANAGE_REASON = "Modifica il programma il suo staff, o chi amministra la piattaforma."
STAFF_REASON = "Lo staff del programma lo nomina chi amministra la piattaforma."


def programme_or_404(slug: str):
    programme = services.programme_by_slug(slug)
    if programme is None:
        abort(404)
    return programme


def _message(error: CallsError) -> str:
    return _(error.message, **error.params)


def _refuse_at(form, error: CallsError, default_field: str) -> None:
    db.session.rollback()
    name = error.field or default_field
    if name in form:
        form[name].errors = list(form[name].errors or []) + [_message(error)]
    else:
        form.form_errors.append(_message(error))


def _csrf_or_400(form) -> None:
    if "csrf_token" in form.errors:
        abort(400)


# ---- the list ---------------------------------------------------------------------------------------------------

@bp.route("/programmes/")
def programmes():
    """The programmes (htmx swaps the list when paging)."""
    page = services.list_programmes(int(request.args.get("page", 1)))
    return render_page("calls/programmes.html", block="programmes_list", page=page,
                       open_calls=services.open_call_counts([each.id for each in page.items]),
                       can_create=access.can_create_programme(current_user))


# ---- the programme's page -----------------------------------------------------------------------------------------

def render_programme(programme, staff_form=None, status: int = 200, block: str | None = None):
    manager = access.can_manage_programme(current_user, programme)
    admin = access.can_manage_staff(current_user, programme)
    return render_page(
        "calls/programme.html", block=block, status=status, programme=programme, manager=manager,
        staff_admin=admin, communities=services.visible_communities(current_user, programme),
        staff=services.staff_of(programme), calls=services.calls_of(programme, manager),
        participants=services.participants_by_kind(programme, everything=manager), pa_kind_labels=PA_KIND_LABELS,
        phase_labels=CALL_PHASE_LABELS, window_labels=WINDOW_LABELS,
        staff_form=staff_form if staff_form is not None else (StaffForm(formdata=None) if admin else None))


@bp.route("/programmes/<slug>")
def programme(slug: str):
    """A programme: promoter, period, description, communities, staff, calls, participants, events."""
    return render_programme(programme_or_404(slug))


# ---- new and edit -------------------------------------------------------------------------------------------------

def _form_choices(form) -> None:
    form.promoter_id.choices = services.promoter_choices()
    form.communities.choices = services.community_choices(current_user)


@bp.route("/programmes/new", methods=["GET", "POST"])
@login_required
def new_programme():
    """A new programme (administrators)."""
    permissions.require(access.can_create_programme(current_user),
                        _("Un nuovo programma lo crea chi amministra la piattaforma."))
    form = ProgrammeForm() if request.method == "POST" else ProgrammeForm(formdata=None)
    _form_choices(form)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                created = services.create_programme(current_user, form.values(), form.communities.data)
            except CallsError as error:
                _refuse_at(form, error, "name")
                _form_choices(form)
            else:
                flash(_("Programma creato: nominate il suo staff."), "success")
                return redirect_to(url_for("calls.programme", slug=created.slug))
        else:
            _csrf_or_400(form)
    return render_page("calls/programme_form.html", block="programme_form", status=status, form=form,
                       programme=None)


@bp.route("/programmes/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_programme(slug: str):
    """A programme's edit (administrators and its staff)."""
    found = programme_or_404(slug)
    permissions.require(access.can_manage_programme(current_user, found), _(MANAGE_REASON))
    form = ProgrammeForm() if request.method == "POST" else ProgrammeForm(formdata=None)
    _form_choices(form)
    status = 200
    if request.method == "GET":
        form.fill_from(found)
    else:
        status = 422
        if form.validate_on_submit():
            try:
                services.update_programme(found, current_user, form.values(), form.communities.data)
            except CallsError as error:
                _refuse_at(form, error, "name")
                found = programme_or_404(slug)
                _form_choices(form)
            else:
                flash(_("Programma salvato."), "success")
                return redirect_to(url_for("calls.programme", slug=found.slug))
        else:
            _csrf_or_400(form)
    return render_page("calls/programme_form.html", block="programme_form", status=status, form=form,
                       programme=found)


# ---- the staff ----------------------------------------------------------------------------------------------------

@bp.route("/programmes/<slug>/staff", methods=["POST"])
@login_required
def add_staff(slug: str):
    """Appoint a person to the staff by e-mail (administrators); htmx swaps the staff section on a refusal."""
    found = programme_or_404(slug)
    permissions.require(access.can_manage_staff(current_user, found), _(STAFF_REASON))
    form = StaffForm()
    if form.validate_on_submit():
        try:
            staff = services.add_staff(found, current_user, form.email.data)
        except CallsError as error:
            _refuse_at(form, error, "email")
            found = programme_or_404(slug)
        else:
            flash(_("%(name)s fa ora parte dello staff del programma.", name=staff.user.full_name), "success")
            return redirect_to(url_for("calls.programme", slug=found.slug) + "#programme-staff")
    else:
        _csrf_or_400(form)
    return render_programme(found, staff_form=form, status=422, block="staff")


@bp.route("/programmes/<slug>/staff/<int:staff_id>/remove", methods=["POST"])
@login_required
def remove_staff(slug: str, staff_id: int):
    """Remove a person from the staff (administrators), after a confirmation."""
    found = programme_or_404(slug)
    permissions.require(access.can_manage_staff(current_user, found), _(STAFF_REASON))
    staff = db.session.get(ProgrammeStaff, staff_id)
    if staff is None or staff.programme_id != found.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    back = url_for("calls.programme", slug=found.slug) + "#programme-staff"
    if not confirmed():
        return confirmation_page(_("Togliere %(name)s dallo staff del programma «%(programme)s»?",
                                   name=staff.user.full_name, programme=found.name),
                                 _("Togli dallo staff"), back)
    try:
        person = services.remove_staff(found, current_user, staff_id)
    except CallsError as error:
        flash(_message(error), "danger")
    else:
        flash(_("%(name)s non fa più parte dello staff del programma.", name=person.full_name), "success")
    return redirect_to(back)
