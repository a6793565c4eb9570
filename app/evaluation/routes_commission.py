"""The commission's routes (issue 13, points 5–6): attestation, assignments (by hand and automatic), preferences,
declining, the reviewer's dashboard. Conflicts of interest and handing a candidacy to a deputy: routes_conflicts.py.
Thin: parse → permission → service (app/evaluation/conflicts.py, assignment.py) → render."""
from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app import permissions
from app.evaluation import access, assignment as assigning, board, bp, conflicts, queries
from app.evaluation.core import EvaluationError
from app.evaluation.forms_commission import AssignForm, AttestForm, DeclineForm
from app.evaluation.refusals import at_field, message_of
from app.evaluation.workflow import may_assign
from app.extensions import db
from app.models import Assignment, Candidacy, EvaluationCall
from app.web import EmptyForm, redirect_to, render_page, wants_fragment


def visible_call(call_id: int) -> EvaluationCall:
    call = db.session.get(EvaluationCall, call_id)
    if call is None or not access.can_view_call(current_user, call):
        abort(404)
    return call


def require_run(call) -> None:
    permissions.require(access.can_run_call(current_user, call),
                        _("Questa pagina è di chi presiede la commissione e di chi amministra la piattaforma."))


def names_shown(candidacy) -> bool:
    return access.shows_candidate_names(current_user, candidacy)


# ---- attestation -------------------------------------------------------------------------------------------------

@bp.route("/calls/<slug>/attest", methods=["GET", "POST"])
@login_required
def attest(slug: str):
    """The commission member's signed attestation (no undeclared conflict, confidentiality), with conflicts."""
    call = queries.call_or_404(slug)
    member = access.membership_of(current_user, call)
    permissions.require(member is not None, _("La dichiarazione la firma chi fa parte della commissione."))
    candidacies = (assigning.preference_candidacies(current_user, call)
                   if call.phase in access.COMMISSION_PHASES else [])
    form = AttestForm() if request.method == "POST" else AttestForm(formdata=None)
    form.conflicts.choices = [(c.id, c.snapshot.get("title") if c.snapshot else c.practice.title)
                              for c in candidacies]
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                conflicts.declare_at_attestation(current_user, call, form.conflicts.data, form.kind.data or "",
                                                 form.note.data or "")
            except EvaluationError as error:
                at_field(form, error)
            else:
                flash(_("Dichiarazione firmata: ora puoi aprire le candidature che ti sono assegnate."), "success")
                return redirect_to(url_for("evaluation.reviewer_dashboard"))
    return render_page("evaluation/attest.html", block="attest_form", status=status, call=call, member=member,
                       form=form, candidacies=candidacies)


# ---- assignments ---------------------------------------------------------------------------------------------------

def _matrix_state(call) -> tuple[board.Filters, int]:
    """The matrix's filters and page: from the query string, or from a cell's form (its hidden fields)."""
    return board.parse_filters(request.values, call), board.parse_page(request.values.get("page"))


def _matrix_url(call) -> str:
    """The matrix with the filters and page the request came from (after a POST without JavaScript)."""
    filters, page = _matrix_state(call)
    return url_for("evaluation.assignments", slug=call.slug, **filters.args(), **({"page": page} if page > 1 else {}))


def _matrix(call, error=None, report=None, message=None):
    """The whole matrix's figures (loads, live assignments) and the page of candidacies to render."""
    filters, page = _matrix_state(call)
    everyone = assigning.call_candidacies(call, named=True)
    members = assigning.active_members(call)
    cells = {(a.candidacy_id, a.user_id): a for a in assigning.call_assignments(call)}
    blocked = assigning.blocking_conflicts(call)
    live = {}
    load = {m.user_id: 0 for m in members}
    for (cid, uid), row in cells.items():
        if row.status in queries.LIVE_ASSIGNMENT:
            live[cid] = live.get(cid, 0) + 1
            if uid in load:
                load[uid] += 1
    shown = [c for c in everyone if board.category_matches(filters, c.category)
             and (not filters.waiting or live.get(c.id, 0) < call.reviewers_per_candidacy)]
    page_of = board.paginate(shown, page)
    candidacies = page_of.items
    hidden = {c.id for c in candidacies if (c.id, current_user.id) in blocked}
    return dict(call=call, everyone=everyone, shown=shown, page=page_of, filters=filters,
                no_category=board.NO_CATEGORY, candidacies=candidacies, members=members, cells=cells,
                blocked=blocked, live=live, load=load, hidden=hidden, may_assign=may_assign(call.phase), error=error,
                report=report, message=message, form=EmptyForm(formdata=None))


def _assignments_page(call, status: int = 200, **kwargs):
    return render_page("evaluation/assignments.html", block="matrix", status=status, **_matrix(call, **kwargs))


@bp.route("/calls/<slug>/assignments", methods=["GET", "POST"])
@login_required
def assignments(slug: str):
    """Candidacies × reviewers: who reviews what, with the load of each; POST assigns one reviewer."""
    call = queries.run_call_or_404(slug)
    if request.method == "GET":
        return _assignments_page(call)
    form = AssignForm()
    if not form.validate_on_submit():
        return _assignments_page(call, status=422, message=_("La richiesta è scaduta: riprova."))
    candidacy = db.session.get(Candidacy, form.candidacy_id) if form.candidacy_id else None
    if candidacy is None or candidacy.call_id != call.id or form.reviewer_id is None:
        abort(404)
    try:
        assigning.assign(current_user, candidacy, form.reviewer_id)
    except EvaluationError as error:
        return _assignments_page(call, status=422, error=(candidacy.id, form.reviewer_id, message_of(error)))
    if wants_fragment():
        return _assignments_page(call)
    flash(_("Incarico assegnato."), "success")
    return redirect_to(_matrix_url(call))


@bp.route("/calls/<slug>/assignments/auto", methods=["POST"])
@login_required
def auto_assign(slug: str):
    """Assign reviewers automatically: balanced, never conflicted, honouring preferences."""
    call = queries.run_call_or_404(slug)
    if not EmptyForm().validate_on_submit():
        return _assignments_page(call, status=422, message=_("La richiesta è scaduta: riprova."))
    try:
        result = assigning.auto_assign(current_user, call)
    except EvaluationError as error:
        return _assignments_page(call, status=422, message=message_of(error))
    if wants_fragment():
        return _assignments_page(call, report=result)
    flash(ngettext("Assegnazione automatica: %(num)d nuovo incarico.",
                   "Assegnazione automatica: %(num)d nuovi incarichi.", len(result.pairs)), "success")
    if result.uncovered:
        flash(ngettext("Resta senza abbastanza persone %(num)d candidatura: assegnala a mano.",
                       "Restano senza abbastanza persone %(num)d candidature: assegnale a mano.",
                       len(result.uncovered)), "warning")
    return redirect_to(_matrix_url(call))


@bp.route("/assignments/<int:assignment_id>/remove", methods=["POST"])
@login_required
def unassign(assignment_id: int):
    """Remove an assignment not yet done."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        abort(404)
    call = visible_call(assignment.candidacy.call_id)
    require_run(call)
    if not EmptyForm().validate_on_submit():
        return _assignments_page(call, status=422, message=_("La richiesta è scaduta: riprova."))
    candidacy_id, user_id = assignment.candidacy_id, assignment.user_id
    try:
        assigning.unassign(current_user, assignment)
    except EvaluationError as error:
        return _assignments_page(call, status=422, error=(candidacy_id, user_id, message_of(error)))
    if wants_fragment():
        return _assignments_page(call)
    flash(_("Incarico tolto."), "success")
    return redirect_to(_matrix_url(call))


# ---- the reviewer's side -------------------------------------------------------------------------------------------

@bp.route("/calls/<slug>/preferences", methods=["GET", "POST"])
@login_required
def preferences(slug: str):
    """A reviewer's wishes, −2…+2, for the call's candidacies they are not conflicted on."""
    call = queries.call_or_404(slug)
    permissions.require(access.membership_of(current_user, call) is not None,
                        _("Le preferenze le indica chi fa parte della commissione."))
    candidacies = assigning.preference_candidacies(current_user, call)
    values = assigning.preferences_of(current_user, call)
    errors: dict[str, str] = {}
    status, message = 200, None
    if request.method == "POST":
        status = 422
        chosen = {}
        for candidacy in candidacies:
            raw = request.form.get(f"pref-{candidacy.id}", "0")
            try:
                chosen[candidacy.id] = int(raw.replace("+", ""))
            except ValueError:
                chosen[candidacy.id] = None
            if chosen[candidacy.id] not in assigning.PREFERENCE_VALUES:
                errors[f"pref-{candidacy.id}"] = _("Scegli un valore da −2 a +2.")
        values.update({k: v for k, v in chosen.items() if v is not None})
        if not EmptyForm().validate_on_submit():
            message = _("La richiesta è scaduta: riprova.")
        elif not errors:
            try:
                assigning.set_preferences(current_user, call, chosen)
            except EvaluationError as error:
                if error.field:
                    errors[error.field] = message_of(error)
                else:
                    message = message_of(error)
            else:
                flash(_("Preferenze salvate."), "success")
                return redirect_to(url_for("evaluation.preferences", slug=call.slug))
    return render_page("evaluation/preferences.html", block="preferences_form", status=status, call=call,
                       candidacies=candidacies, values=values, errors=errors, message=message,
                       form=EmptyForm(formdata=None), open_phase=call.phase in assigning.PREFERENCE_PHASES,
                       names_shown=names_shown)


def _dashboard(status: int = 200, decline_error=None):
    """Per call where the reader is in the commission (or chairs): attestation, assignments, conflicts."""
    return render_page("evaluation/reviewer_dashboard.html", block="dashboard", status=status,
                       sections=assigning.reviewer_sections(current_user),
                       decline_form=DeclineForm(formdata=None), decline_error=decline_error)


@bp.route("/reviewer")
@login_required
def reviewer_dashboard():
    """The reviewer's dashboard: to do, done, declined, conflicts, per call."""
    return _dashboard()


@bp.route("/assignments/<int:assignment_id>/decline", methods=["POST"])
@login_required
def decline(assignment_id: int):
    """The reviewer declines an assignment not yet done, with a reason."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.user_id != current_user.id:
        abort(404)
    form = DeclineForm()
    if not form.validate_on_submit():
        return _dashboard(status=422, decline_error=(assignment.id, " ".join(
            str(e) for errors in form.errors.values() for e in errors)))
    try:
        assigning.decline(current_user, assignment, form.reason.data)
    except EvaluationError as error:
        return _dashboard(status=422, decline_error=(assignment.id, message_of(error)))
    flash(_("Incarico declinato: chi presiede la commissione ne è informato."), "success")
    if wants_fragment():
        return _dashboard()
    return redirect_to(url_for("evaluation.reviewer_dashboard"))


@bp.record_once
def _commission_labels(state) -> None:
    from app.models.evaluation import (ASSIGNMENT_STATUS_LABELS, CALL_PHASE_LABELS, CONFLICT_KIND_LABELS,
                                       CONFLICT_SOURCE_LABELS, CONFLICT_STATUS_LABELS)

    state.app.jinja_env.globals["commission_labels"] = dict(
        kind=CONFLICT_KIND_LABELS, source=CONFLICT_SOURCE_LABELS, status=CONFLICT_STATUS_LABELS,
        assignment=ASSIGNMENT_STATUS_LABELS, phase=CALL_PHASE_LABELS)
