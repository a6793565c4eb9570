"""Calls (issue 13, points 1, 2, 5, 10): the list, a call's page, its settings, criteria, commission, phases and
audit log. Thin routes: parse → permission → service (app/evaluation/calls.py) → page or redirect."""
from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import permissions
from app.evaluation import access, audit_log, bp, rules
from app.evaluation import commission as members
from app.evaluation import calls as services
from app.evaluation.core import EvaluationError
from app.evaluation.forms_calls import CallForm, CriterionForm, MemberForm
from app.evaluation.queries import call_or_404, run_call_or_404
from app.evaluation.refusals import message_of, refuse_at
from app.evaluation.workflow import CallAction, CallPhase
from app.extensions import db
from app.models import CALL_PHASE_LABELS, PA_KIND_LABELS, Candidacy, CommissionMember, Practice
from app.practices.workflow import PracticeStatus
from app.web import EmptyForm, redirect_to, render_page

RUN_REASON = "Questa pagina è di chi presiede la commissione e di chi amministra la piattaforma."


def _form_error(form) -> None:
    if "csrf_token" in form.errors:
        abort(400)


def _page_number() -> int:
    return int(request.args.get("page", 1))  # checked by app.web (a small positive integer)


def _id_of(raw: str | None) -> int | None:
    """A row id given in a query or form value, or None when it is not one (never int() of "²" or of 5000 digits)."""
    raw = raw or ""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 10 and int(raw) < 2**31 else None


# ---- the list ---------------------------------------------------------------------------------------------------

@bp.route("/")
def calls():
    """The calls the reader may see; ?phase= filters (htmx swaps the list)."""
    phase = request.args.get("phase") or None
    if phase is not None and phase not in set(CallPhase):
        phase = None
    page = services.list_calls(current_user, phase, _page_number())
    counts = services.candidacy_counts([each.id for each in page.items if each.phase not in (CallPhase.DRAFT,
                                                                                           CallPhase.OPEN)])
    return render_page("evaluation/calls.html", block="calls_list", page=page, counts=counts, phase=phase,
                       phase_labels=CALL_PHASE_LABELS)


# ---- a new call, its settings -----------------------------------------------------------------------------------

@bp.route("/calls/new", methods=["GET", "POST"])
@login_required
def new_call():
    """A new call (administrators): settings, with the default EPSA criteria."""
    permissions.require(access.can_create_call(current_user),
                        _("Un nuovo avviso lo crea chi amministra la piattaforma."))
    form = CallForm()
    status = 200
    if form.validate_on_submit():
        try:
            call = services.create_call(current_user, form.values(), chair=form.chair_user)
        except EvaluationError as error:
            refuse_at(form, error, "title")
        else:
            flash(_("Avviso creato in bozza, con i sei criteri EPSA: rivedeteli prima di aprirlo."), "success")
            return redirect_to(url_for("evaluation.call", slug=call.slug))
    if request.method == "POST":
        _form_error(form)
        status = 422
    return render_page("evaluation/call_form.html", block="call_form", status=status, form=form, call=None)


@bp.route("/calls/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_call(slug: str):
    """A call's settings (the chair and administrators; only administrators change the chair)."""
    call = run_call_or_404(slug)
    form = CallForm(obj=None)
    form.existing_extra = call.extra_fields
    if not access.is_admin(current_user):
        del form.chair_email
    status = 200
    if request.method == "GET":
        form.fill_from(call)
    elif form.validate_on_submit():
        chair = form.chair_user if "chair_email" in form._fields else False
        try:
            services.update_call(call, current_user, form.values(), chair=chair)
        except EvaluationError as error:
            refuse_at(form, error, "title")
            status = 422
        else:
            flash(_("Impostazioni dell'avviso salvate."), "success")
            return redirect_to(url_for("evaluation.call", slug=call.slug))
    else:
        _form_error(form)
        status = 422
    return render_page("evaluation/call_form.html", block="call_form", status=status, form=form, call=call)


# ---- the call's page --------------------------------------------------------------------------------------------

def _candidate_context(call) -> dict:
    """What a referent of an eligible organisation needs to candidate a practice: its published practices."""
    user = current_user
    if not (permissions.is_member(user) and user.is_referent and user.organization is not None
            and not permissions.is_supplier(user)):
        return {}
    eligible = rules.organization_eligible(call, user.organization)
    own = db.session.execute(select(Candidacy).where(Candidacy.call_id == call.id,
                                                     Candidacy.organization_id == user.organization_id)
                             .order_by(Candidacy.created_at)).scalars().all()
    taken = {each.practice_id for each in own}
    practices = [each for each in db.session.execute(select(Practice).where(
        Practice.donor_id == user.organization_id, Practice.status == PracticeStatus.PUBLISHED)
        .order_by(Practice.title)).scalars() if each.id not in taken] if eligible else []
    return {"candidate": {"eligible": eligible, "practices": practices, "own": own,
                          "open": call.phase == CallPhase.OPEN and not rules.deadline_passed(call)}}


def render_call(call, status: int = 200, block: str | None = None, phase_error: str | None = None):
    counts = services.candidacy_counts([call.id]) if call.phase not in (CallPhase.DRAFT, CallPhase.OPEN) else {}
    return render_page("evaluation/call.html", block=block, status=status, call=call,
                       phase_labels=CALL_PHASE_LABELS, pa_kind_labels=PA_KIND_LABELS,
                       actions=services.available_actions(current_user, call),
                       action_labels=services.CALL_ACTION_LABELS,
                       shares=services.weight_shares(call), submitted=counts.get(call.id, 0), phase_error=phase_error,
                       **_candidate_context(call))


@bp.route("/calls/<slug>")
def call(slug: str):
    """A call: public once open; in draft for its chair, its commission and administrators."""
    return render_call(call_or_404(slug))


@bp.route("/calls/<slug>/phase/<action>", methods=["POST"])
@login_required
def call_phase(slug: str, action: str):
    """Move the call one phase on (the chair, administrators): refused with the reason on the call's page."""
    if action not in set(CallAction):
        abort(404)
    found = call_or_404(slug)
    permissions.require(access.can_run_call(current_user, found), _(RUN_REASON))
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        after = services.change_phase(found, action, current_user)
    except EvaluationError as error:
        db.session.rollback()
        found = call_or_404(slug)
        return render_call(found, status=422, block="phase", phase_error=message_of(error))
    flash(_("L'avviso è ora nella fase «%(phase)s».", phase=CALL_PHASE_LABELS[after]), "success")
    return redirect_to(url_for("evaluation.call", slug=found.slug))


# ---- criteria ---------------------------------------------------------------------------------------------------

def render_criteria(call, form, status: int = 200, error: str | None = None):
    return render_page("evaluation/criteria.html", block="criteria_main", status=status, call=call, form=form,
                       shares=services.weight_shares(call), error=error, editing=form.criterion_id.data)


@bp.route("/calls/<slug>/criteria", methods=["GET", "POST"])
@login_required
def criteria(slug: str):
    """The criteria editor: add, edit (?edit=<id>), reorder; refused once the criteria are frozen."""
    found = run_call_or_404(slug)
    if request.method == "POST" and "move" in request.form:
        if not EmptyForm().validate_on_submit():
            abort(400)
        moved = _id_of(request.form.get("move"))
        if moved is None or request.form.get("direction") not in ("up", "down"):
            abort(400)
        try:
            services.move_criterion(found, current_user, moved, request.form["direction"])
        except EvaluationError as error:
            db.session.rollback()
            return render_criteria(run_call_or_404(slug), CriterionForm(formdata=None), 422,
                                   message_of(error))
        return redirect_to(url_for("evaluation.criteria", slug=found.slug))
    form = CriterionForm()
    if request.method == "GET":
        edit = _id_of(request.args.get("edit"))
        chosen = next((c for c in found.criteria if edit is not None and c.id == edit), None)
        if chosen is not None:
            form.fill_from(chosen)
        return render_criteria(found, form)
    if form.validate_on_submit():
        try:
            services.save_criterion(found, current_user, form.values(), criterion_id=form.criterion_id.data)
        except EvaluationError as error:
            refuse_at(form, error)
            return render_criteria(run_call_or_404(slug), form, 422)
        flash(_("Criterio salvato."), "success")
        return redirect_to(url_for("evaluation.criteria", slug=found.slug))
    _form_error(form)
    return render_criteria(found, form, 422)


@bp.route("/calls/<slug>/criteria/<int:criterion_id>/delete", methods=["POST"])
@login_required
def criterion_delete(slug: str, criterion_id: int):
    found = run_call_or_404(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.delete_criterion(found, current_user, criterion_id)
    except EvaluationError as error:
        db.session.rollback()
        return render_criteria(run_call_or_404(slug), CriterionForm(formdata=None), 422,
                               message_of(error))
    flash(_("Criterio eliminato."), "success")
    return redirect_to(url_for("evaluation.criteria", slug=found.slug))


# ---- the commission ---------------------------------------------------------------------------------------------

def render_commission(call, form, status: int = 200, error: str | None = None):
    members = db.session.execute(select(CommissionMember).where(CommissionMember.call_id == call.id)
                                 .order_by(CommissionMember.is_deputy.desc(), CommissionMember.added_at,
                                           CommissionMember.id)).scalars().all()
    return render_page("evaluation/commission.html", block="commission_main", status=status, call=call, form=form,
                       active=[m for m in members if m.active], removed=[m for m in members if not m.active],
                       error=error)


@bp.route("/calls/<slug>/commission", methods=["GET", "POST"])
@login_required
def commission(slug: str):
    """The commission: add a person by e-mail, mark or unmark a deputy."""
    found = run_call_or_404(slug)
    if request.method == "POST" and "toggle_deputy" in request.form:
        member_id = _id_of(request.form.get("toggle_deputy"))
        if not EmptyForm().validate_on_submit() or member_id is None:
            abort(400)
        try:
            members.toggle_deputy(found, current_user, member_id)
        except EvaluationError as error:
            db.session.rollback()
            return render_commission(run_call_or_404(slug), MemberForm(formdata=None), 422,
                                     message_of(error))
        return redirect_to(url_for("evaluation.commission", slug=found.slug))
    form = MemberForm()
    if request.method == "GET":
        return render_commission(found, form)
    if form.validate_on_submit():
        try:
            members.add_member(found, current_user, form.email.data, bool(form.is_deputy.data))
        except EvaluationError as error:
            refuse_at(form, error)
            return render_commission(run_call_or_404(slug), form, 422)
        flash(_("Persona inserita nella commissione: riceve un avviso."), "success")
        return redirect_to(url_for("evaluation.commission", slug=found.slug))
    _form_error(form)
    return render_commission(found, form, 422)


@bp.route("/calls/<slug>/commission/<int:member_id>/remove", methods=["POST"])
@login_required
def commission_remove(slug: str, member_id: int):
    """Take a person off the commission (kept, inactive, for the minutes)."""
    found = run_call_or_404(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        members.remove_member(found, current_user, member_id)
    except EvaluationError as error:
        db.session.rollback()
        return render_commission(run_call_or_404(slug), MemberForm(formdata=None), 422,
                                 message_of(error))
    flash(_("Persona tolta dalla commissione."), "success")
    return redirect_to(url_for("evaluation.commission", slug=found.slug))


# ---- the audit log ----------------------------------------------------------------------------------------------

@bp.route("/calls/<slug>/audit")
@login_required
def audit(slug: str):
    """The call's audit log, newest first (the chair and administrators)."""
    found = run_call_or_404(slug)
    page = audit_log.audit_page(found, current_user, _page_number())
    names = audit_log.audit_names(page.items)
    return render_page("evaluation/audit.html", block="audit_list", call=found, page=page,
                       labels=audit_log.AUDIT_LABELS, details={e.id: audit_log.describe(e, names) for e in page.items})

