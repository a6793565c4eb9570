"""The routes of conflicts of interest (issue 13, point 5): the call's conflicts (detected, confirmed, dismissed),
a conflict declared by a commission member or by the candidate, a candidacy the chair is conflicted on handed to a
deputy. Thin: parse → permission → service (app/evaluation/conflicts.py) → render."""
from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import permissions
from app.evaluation import access, assignment as assigning, bp, conflicts, queries
from app.evaluation.core import EvaluationError
from app.evaluation.forms_commission import DeclareForm, DeputyForm
from app.evaluation.refusals import at_field, message_of
from app.evaluation.routes_commission import names_shown, require_run, visible_call
from app.evaluation.workflow import CallPhase
from app.extensions import db, limiter
from app.models import Candidacy, Conflict, User
from app.web import EmptyForm, redirect_to, render_page, wants_fragment

NAMED = (joinedload(Candidacy.practice), joinedload(Candidacy.organization))  # what candidacy_name reads


def _conflicts_page(call, status: int = 200, deputy_errors=None, message: str | None = None):
    rows = conflicts.call_conflicts(call)
    by_candidacy: dict[int, list[Conflict]] = {}
    for row in rows:
        by_candidacy.setdefault(row.candidacy_id, []).append(row)
    loaded = {c.id: c for c in db.session.execute(select(Candidacy).where(Candidacy.id.in_(list(by_candidacy)))
                                                  .options(*NAMED)).scalars()}
    candidacies = [loaded[cid] for cid in by_candidacy]
    chair_handover, free, blocked = conflicts.handover_state(call, assigning.call_candidacies(call, named=True))
    # who may confirm or dismiss each conflict, read once (for the template instead of eperm.can_decide_conflict)
    decidable = access.decidable_conflicts(current_user, rows,
                                           conflicted={cid for cid, uid in blocked if uid == current_user.id})
    deputy_forms = {}
    for candidacy in chair_handover:
        form = DeputyForm(formdata=None, data={"deputy": candidacy.chair_handled_by_id})
        form.deputy.choices = [("", _("Scegli…"))] + [(m.user_id, m.user.full_name) for m in free[candidacy.id]]
        if deputy_errors and deputy_errors[0] == candidacy.id:
            form.deputy.errors = [deputy_errors[1]]
        deputy_forms[candidacy.id] = form
    handlers = {person.id: person.full_name for person in db.session.execute(select(User).where(
        User.id.in_([c.chair_handled_by_id for c in chair_handover if c.chair_handled_by_id]))).scalars()}
    return render_page("evaluation/conflicts.html", block="conflicts", status=status, call=call,
                       candidacies=candidacies, by_candidacy=by_candidacy, chair_handover=chair_handover,
                       deputy_forms=deputy_forms, form=EmptyForm(formdata=None), message=message,
                       decidable=decidable, handled_names={c.id: handlers[c.chair_handled_by_id]
                                      for c in chair_handover if c.chair_handled_by_id},
                       may_compute=call.phase not in (CallPhase.DRAFT, CallPhase.DECIDED))


def _back_to_conflicts(call):
    """After a change: the conflicts again (htmx), or the page they are on."""
    if wants_fragment():
        return _conflicts_page(call)
    return redirect_to(url_for("evaluation.conflicts", slug=call.slug))


@bp.route("/calls/<slug>/conflicts", methods=["GET", "POST"], endpoint="conflicts")
@login_required
def conflicts_page(slug: str):
    """The call's conflicts: suggested ones to confirm or dismiss, the others; POST detects them again."""
    call = queries.run_call_or_404(slug)
    if request.method == "GET":
        return _conflicts_page(call)
    form = EmptyForm()
    if not form.validate_on_submit():
        return _conflicts_page(call, status=422, message=_("La richiesta è scaduta: riprova."))
    if call.phase in (CallPhase.DRAFT, CallPhase.DECIDED):
        return _conflicts_page(call, status=422, message=_("I conflitti si rilevano sulle candidature inviate, "
                                                           "prima della pubblicazione degli esiti."))
    found = conflicts.compute(call, current_user)
    flash(ngettext("Conflitti rilevati: %(num)d nuovo da confermare.",
                   "Conflitti rilevati: %(num)d nuovi da confermare.", len(found)), "success")
    return _back_to_conflicts(call)


@bp.route("/conflicts/<int:conflict_id>/<action>", methods=["POST"])
@login_required
def conflict_decide(conflict_id: int, action: str):
    """Confirm or dismiss a suggested conflict."""
    if action not in ("confirm", "dismiss"):
        abort(404)
    conflict = db.session.get(Conflict, conflict_id)
    if conflict is None:
        abort(404)
    call = visible_call(conflict.call_id)
    require_run(call)
    form = EmptyForm()
    if not form.validate_on_submit():
        return _conflicts_page(call, status=422, message=_("La richiesta è scaduta: riprova."))
    try:
        conflicts.decide(current_user, conflict, action)
    except EvaluationError as error:
        return _conflicts_page(call, status=422, message=message_of(error))
    flash(_("Conflitto confermato: la persona non vede più la candidatura.") if action == "confirm"
          else _("Conflitto escluso."), "success")
    return _back_to_conflicts(call)


@bp.route("/candidacies/<int:candidacy_id>/deputy", methods=["POST"])
@login_required
def hand_to_deputy(candidacy_id: int):
    """Hand a candidacy the chair is conflicted on to a deputy who is not."""
    candidacy = db.session.get(Candidacy, candidacy_id)
    if candidacy is None:
        abort(404)
    call = visible_call(candidacy.call_id)
    require_run(call)
    form = DeputyForm()
    form.deputy.choices = [(m.user_id, m.user.full_name) for m in conflicts.free_deputies(candidacy)]
    if not form.validate_on_submit():
        return _conflicts_page(call, status=422, deputy_errors=(candidacy.id, " ".join(
            str(e) for errors in form.errors.values() for e in errors)))
    try:
        deputy = conflicts.hand_to_deputy(current_user, candidacy, form.deputy.data)
    except EvaluationError as error:
        return _conflicts_page(call, status=422, deputy_errors=(candidacy.id, message_of(error)))
    flash(_("Candidatura affidata a %(name)s.", name=deputy.user.full_name), "success")
    return _back_to_conflicts(call)


@bp.route("/candidacies/<int:candidacy_id>/conflict", methods=["GET", "POST"])
@login_required
@limiter.limit("30 per hour", methods=["POST"])
def declare_conflict(candidacy_id: int):
    """Declare a conflict: a commission member their own, a candidate referent one with a named member."""
    candidacy = db.session.get(Candidacy, candidacy_id)
    if candidacy is None:
        abort(404)
    as_candidate = conflicts.may_declare_as_candidate(current_user, candidacy)
    if not as_candidate and not conflicts.may_declare_as_commission(current_user, candidacy):
        if access.can_view_candidacy(current_user, candidacy):
            permissions.require(False, _("Dichiara un conflitto chi fa parte della commissione, o chi è referente "
                                         "dell'ente candidato."))
        abort(404)
    form = DeclareForm() if request.method == "POST" else DeclareForm(formdata=None)
    people = conflicts.commission_people(candidacy.call) if as_candidate else []
    form.person.choices = [("", _("Scegli…"))] + [(p.id, p.full_name) for p in people]
    status = 200
    if request.method == "POST":
        status = 422
        if as_candidate and form.person.data is None:
            form.person.errors = [_("Scegli una persona della commissione.")]
        if form.validate_on_submit() and not form.person.errors:
            try:
                if as_candidate:
                    conflicts.declare_by_candidate(current_user, candidacy, form.person.data, form.kind.data,
                                                   form.note.data or "")
                else:
                    conflicts.declare_own(current_user, candidacy, form.kind.data, form.note.data or "")
            except EvaluationError as error:
                at_field(form, error)
            else:
                if as_candidate:
                    flash(_("Segnalazione inviata: chi presiede la commissione (o chi amministra la piattaforma) la "
                            "esamina."), "success")
                    return redirect_to(url_for("evaluation.candidacy", candidacy_id=candidacy.id))
                flash(_("Conflitto di interessi registrato: chi presiede la commissione ne è informato."), "success")
                return redirect_to(url_for("evaluation.reviewer_dashboard"))
    return render_page("evaluation/declare_conflict.html", block="declare_form", status=status, candidacy=candidacy,
                       form=form, as_candidate=as_candidate, show_names=names_shown(candidacy))
