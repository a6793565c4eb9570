"""The commission's discussion, decisions, the candidate's feedback report and the call's public results (issue 13,
points 8–10). Thin routes: parse → permission → service → the page's named block (htmx) or a redirect (303).

Publishing the decisions is the call's phase change (evaluation.call_phase, action publish_decisions), which calls
app.evaluation.decisions.publish.
"""
from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import permissions
from app.evaluation import access, bp, decisions, discussion
from app.evaluation.core import EvaluationError
from app.evaluation.forms_decisions import DecisionForm, DiscussionPostForm
from app.evaluation.queries import call_or_404, candidacy_or_404
from app.evaluation.refusals import refuse_at
from app.evaluation.workflow import CallPhase, may_decide
from app.extensions import limiter
from app.models.evaluation import OUTCOME_LABELS
from app.web import redirect_to, render_page, wants_fragment


def _user_key() -> str:
    return f"user:{current_user.get_id()}" if current_user.is_authenticated else request.remote_addr or ""


posting_limit = limiter.shared_limit("60 per hour", scope="evaluation-discussion", key_func=_user_key,
                                     methods=["POST"], deduct_when=lambda response: response.status_code < 400)


@bp.app_template_global("evaluation_results")
def evaluation_results(call):
    """The call's published results, per category (for evaluation/_results.html, included by the call page)."""
    return decisions.results(call)


@bp.app_template_global("outcome_label")
def outcome_label(code) -> str:
    return str(OUTCOME_LABELS.get(code, "")) if code else ""


def _practice_title(candidacy) -> str:
    return (candidacy.snapshot or {}).get("title") or candidacy.practice.title


# ---- discussion ------------------------------------------------------------------------------------------------

def _discussion_page(candidacy, form, status: int = 200, posted: int | None = None):
    return render_page("evaluation/discussion.html", block="discussion", status=status, candidacy=candidacy,
                       call=candidacy.call, practice_title=_practice_title(candidacy),
                       threads=discussion.threads(candidacy), form=form, may_post=discussion.may_post(candidacy),
                       posted=posted)


@bp.route("/candidacies/<int:candidacy_id>/discussion", methods=["GET", "POST"], endpoint="discussion")
@login_required
@posting_limit
def discussion_page(candidacy_id: int):
    """The commission's private discussion of a candidacy; htmx posts get the discussion block back."""
    candidacy = candidacy_or_404(candidacy_id)
    permissions.require(access.can_discuss(current_user, candidacy),
                        _("La discussione è riservata a chi presiede e a chi valuta questa candidatura, dalla fase "
                          "di valutazione in poi e dopo aver inviato la propria valutazione."))
    if request.method == "GET":
        return _discussion_page(candidacy, DiscussionPostForm(formdata=None))
    form = DiscussionPostForm()
    if form.validate_on_submit():
        try:
            posted = discussion.post(candidacy, current_user, form.body.data, parent_id=form.parent_id)
        except EvaluationError as error:
            refuse_at(form, error, "body")
        else:
            if not wants_fragment():
                flash(_("Messaggio pubblicato."), "success")
                return redirect_to(url_for("evaluation.discussion", candidacy_id=candidacy.id,
                                           _anchor=f"post-{posted.id}"))
            candidacy = candidacy_or_404(candidacy_id)
            return _discussion_page(candidacy, DiscussionPostForm(formdata=None), posted=posted.id)
    elif "csrf_token" in form.errors:
        abort(400)
    return _discussion_page(candidacy, form, status=422)


# ---- decision --------------------------------------------------------------------------------------------------

def _decision_page(candidacy, form, status: int = 200):
    reviews = decisions.submitted_reviews(candidacy) if access.can_view_reviews(current_user, candidacy) else []
    return render_page("evaluation/decision.html", block="decision_form", status=status, candidacy=candidacy,
                       call=candidacy.call, practice_title=_practice_title(candidacy),
                       decision=decisions.decision_of(candidacy), form=form,
                       editable=may_decide(candidacy.call.phase) and candidacy.status in decisions.DECIDABLE,
                       figures=decisions.commission_figures(candidacy, reviews) if reviews else None,
                       may_discuss=access.can_discuss(current_user, candidacy))


@bp.route("/candidacies/<int:candidacy_id>/decision", methods=["GET", "POST"])
@login_required
def decision(candidacy_id: int):
    """The chair's synthesis, proposal and final outcome of a candidacy (stored unpublished, during consensus)."""
    candidacy = candidacy_or_404(candidacy_id)
    permissions.require(access.can_decide(current_user, candidacy),
                        _("L'esito lo registra chi presiede la commissione (o chi la sostituisce per questa "
                          "candidatura)."))
    found = decisions.decision_of(candidacy)
    if request.method == "GET":
        data = dict(synthesis=found.synthesis, proposed_outcome=found.proposed_outcome or "",
                    outcome=found.outcome or "", motivation=found.motivation) if found else None
        return _decision_page(candidacy, DecisionForm(formdata=None, data=data))
    permissions.require(may_decide(candidacy.call.phase),
                        _("Gli esiti si registrano durante la fase di consenso."))
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            decisions.record(candidacy, current_user, synthesis=form.synthesis.data,
                             proposed_outcome=form.proposed_outcome.data, outcome=form.outcome.data,
                             motivation=form.motivation.data)
        except EvaluationError as error:
            refuse_at(form, error)
        else:
            flash(_("Esito registrato: resta riservato fino alla pubblicazione degli esiti."), "success")
            return redirect_to(url_for("evaluation.decision", candidacy_id=candidacy.id))
    elif "csrf_token" in form.errors:
        abort(400)
    return _decision_page(candidacy, form, status=422)


# ---- the candidate's feedback report ----------------------------------------------------------------------------

@bp.route("/candidacies/<int:candidacy_id>/feedback")
@login_required
def feedback(candidacy_id: int):
    """The feedback report: outcome, motivation, mean scores and the candidate-visible motivations — no names."""
    candidacy = candidacy_or_404(candidacy_id)
    permissions.require(access.can_read_feedback(current_user, candidacy),
                        _("Il resoconto della valutazione lo legge l'ente candidato, dopo la pubblicazione degli "
                          "esiti."))
    found = decisions.decision_of(candidacy)
    if found is None or found.published_at is None:
        abort(404)
    return render_page("evaluation/feedback.html", block="report", candidacy=candidacy, call=candidacy.call,
                       practice_title=_practice_title(candidacy), decision=found,
                       criteria=decisions.criterion_summaries(candidacy, motivations=True))


# ---- the call's public results --------------------------------------------------------------------------------

@bp.route("/calls/<slug>/results")
def results(slug: str):
    """The recognised practices and special mentions of a call, per category, once its decisions are published."""
    call = call_or_404(slug)
    if call.phase != CallPhase.DECIDED:
        abort(404)
    return render_page("evaluation/results.html", block="results", call=call, groups=decisions.results(call))
