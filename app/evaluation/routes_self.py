"""The organisation's private self-assessment (issue 13, point 4): its assessments, each person's scores and the
consensus, closing, the improvement plan, the comparison over time, sharing chosen items to a candidacy, and the
questionnaire templates (administrators). Outside the organisation every assessment route is a 404."""
from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import permissions
from app.evaluation import access, bp, self_chart, self_queries, self_services
from app.evaluation.caf import items_yaml
from app.evaluation.core import EvaluationError
from app.evaluation.forms_self import ActionForm, ActionStatusForm, NewAssessmentForm, TemplateForm, score_form
from app.evaluation.refusals import at_field, message_of
from app.extensions import db
from app.models import Candidacy
from app.models.self_assessment import ACTION_STATUS_LABELS, PANEL_LABELS
from app.web import EmptyForm, redirect_to, render_page, wants_fragment

SELF = "evaluation/self/"


def _page(page: str, block: str | None = None, status: int = 200, **context):
    """render_page with the helpers every self-assessment template uses."""
    return render_page(SELF + page, block=block, status=status, item_value=self_services.item_value,
                       panel_label=lambda key: PANEL_LABELS.get(key, key),
                       action_status_label=lambda key: ACTION_STATUS_LABELS.get(key, key), **context)


def _reader_or_404() -> int:
    """The reader's organisation; people with none (an administrator, for one) have no self-assessment here."""
    organization_id = self_queries.reader_organization_id(current_user)
    if organization_id is None:
        abort(404)
    return organization_id


def _button_form() -> None:
    if not EmptyForm().validate_on_submit():
        abort(400)


def _sub_item_or_404(assessment, code: str) -> dict:
    item = assessment.template.item(code)
    if item is None or item.get("level") != "sub":
        abort(404)
    return item


# ---- the organisation's assessments -------------------------------------------------------------------------------

@bp.route("/self-assessment/")
@login_required
def self_assessments():
    """The reader's organisation's assessments."""
    _reader_or_404()
    return _page("list.html", assessments=self_queries.assessments_of(current_user))


@bp.route("/self-assessment/new", methods=["GET", "POST"])
@login_required
def new_self_assessment():
    """Start an assessment of the reader's organisation."""
    _reader_or_404()
    templates = self_queries.active_templates()
    form = NewAssessmentForm(templates=templates)
    if request.method == "GET" and templates:
        form.template.data = templates[0].id
    if form.validate_on_submit():
        chosen = next((each for each in templates if each.id == form.template.data), None)
        try:
            assessment = self_services.create_assessment(current_user, chosen, form.panel.data, form.title.data,
                                                         form.assessed_on.data)
        except EvaluationError as error:
            at_field(form, error)
        else:
            flash(_("Autovalutazione creata: ogni persona del gruppo ora può dare i propri punteggi."), "success")
            return redirect_to(url_for("evaluation.self_assessment", assessment_id=assessment.id))
    status = 422 if request.method == "POST" else 200
    return _page("new.html", block="form", status=status, form=form, templates=templates)


def _overview(assessment) -> list[dict]:
    """Criteria with their sub-criteria, the reader's own figure and the consensus figure of each."""
    scores = self_queries.scores_of(current_user, assessment.id)
    own = {each.item_code: each for each in scores if each.user_id == current_user.id}
    consensus = {each.item_code: each for each in scores if each.user_id is None}
    people = {}
    for each in scores:
        if each.user_id is not None:
            people.setdefault(each.item_code, 0)
            people[each.item_code] += 1
    groups = []
    for criterion in (each for each in assessment.template.items if each.get("level") == "criterion"):
        subs = [dict(item=sub, own=own.get(sub["code"]), consensus=consensus.get(sub["code"]),
                     people=people.get(sub["code"], 0))
                for sub in assessment.template.items if sub.get("parent") == criterion["code"]]
        groups.append(dict(criterion=criterion, subs=subs))
    return groups


@bp.route("/self-assessment/<int:assessment_id>")
@login_required
def self_assessment(assessment_id: int):
    """An assessment: criteria, sub-criteria, the reader's scores and the consensus."""
    assessment = self_queries.assessment_or_404(assessment_id)
    return _page("assessment.html", block="overview", assessment=assessment,
                 groups=_overview(assessment),
                 may_close=access.can_share_self_assessment(current_user, assessment.organization_id))


def _render_item(assessment, item, status: int = 200, block: str | None = None, own_form=None,
                 consensus_form=None, own_message: str | None = None, consensus_message: str | None = None):
    keys = self_services.value_keys(assessment.panel, item.get("kind"))
    scores = self_queries.scores_of(current_user, assessment.id, item["code"])
    own = next((each for each in scores if each.user_id == current_user.id), None)
    consensus = next((each for each in scores if each.user_id is None), None)
    if own_form is None:
        own_form = score_form(keys, formdata=None, data={**(own.values if own else {}), **(
            dict(strengths=own.strengths, improvements=own.improvements, evidence=own.evidence) if own else {})})
    may_consensus = access.can_share_self_assessment(current_user, assessment.organization_id)
    if consensus_form is None and may_consensus:
        consensus_form = score_form(keys, formdata=None, prefix="consensus", data={
            **(consensus.values if consensus else {}), **(dict(
                strengths=consensus.strengths, improvements=consensus.improvements, evidence=consensus.evidence)
                if consensus else {})})
    parent = assessment.template.item(item.get("parent") or "")
    return _page("item.html", block=block, status=status, assessment=assessment, item=item,
                 criterion=parent, keys=keys, own_form=own_form, consensus_form=consensus_form,
                 people=[each for each in scores if each.user_id is not None], consensus=consensus,
                 may_consensus=may_consensus, own_message=own_message,
                 consensus_message=consensus_message)


def _save_score(assessment, item, code: str, form, save, message: str, block: str, kind: str):
    """One's own score or the consensus (`kind`), saved by `save`: the item again, or the form with its errors."""
    if form.validate_on_submit():
        try:
            save(current_user, assessment, code, form.values, form.strengths.data, form.improvements.data,
                 form.evidence.data)
        except EvaluationError as error:
            at_field(form, error)
        else:
            if not wants_fragment():
                flash(message, "success")
                return redirect_to(url_for("evaluation.self_score", assessment_id=assessment.id, code=code))
            return _render_item(assessment, item, block=block, **{f"{kind}_message": message})
    elif "csrf_token" in form.errors:
        abort(400)
    return _render_item(assessment, item, status=422, block=block, **{f"{kind}_form": form})


@bp.route("/self-assessment/<int:assessment_id>/items/<code>", methods=["GET", "POST"])
@login_required
def self_score(assessment_id: int, code: str):
    """A sub-criterion: the reader's own score (POST), the group's scores and the consensus."""
    assessment = self_queries.assessment_or_404(assessment_id)
    item = _sub_item_or_404(assessment, code)
    if request.method == "GET":
        return _render_item(assessment, item)
    form = score_form(self_services.value_keys(assessment.panel, item.get("kind")))
    return _save_score(assessment, item, code, form, self_services.save_own_score, _("Il tuo punteggio è salvato."),
                       block="own_score", kind="own")


@bp.route("/self-assessment/<int:assessment_id>/items/<code>/consensus", methods=["POST"])
@login_required
def self_consensus(assessment_id: int, code: str):
    """The group's consensus on a sub-criterion, recorded by a referent."""
    assessment = self_queries.assessment_or_404(assessment_id)
    item = _sub_item_or_404(assessment, code)
    permissions.require(access.can_share_self_assessment(current_user, assessment.organization_id),
                        _("Il valore di consenso lo registrano i referenti dell'ente."))
    form = score_form(self_services.value_keys(assessment.panel, item.get("kind")), prefix="consensus")
    return _save_score(assessment, item, code, form, self_services.save_consensus,
                       _("Il valore di consenso è salvato."), block="consensus_box", kind="consensus")


@bp.route("/self-assessment/<int:assessment_id>/close", methods=["POST"])
@login_required
def self_close(assessment_id: int):
    """Close an assessment (referents): scores and consensus are fixed."""
    assessment = self_queries.assessment_or_404(assessment_id)
    permissions.require(access.can_share_self_assessment(current_user, assessment.organization_id),
                        _("Chiudono l'autovalutazione i referenti dell'ente."))
    _button_form()
    try:
        self_services.close_assessment(current_user, assessment)
    except EvaluationError as error:
        flash(message_of(error), "danger")
    else:
        flash(_("Autovalutazione chiusa: i punteggi di consenso sono fissati."), "success")
    return redirect_to(url_for("evaluation.self_assessment", assessment_id=assessment_id))


# ---- improvement plan ---------------------------------------------------------------------------------------------

@bp.route("/self-assessment/<int:assessment_id>/plan", methods=["GET", "POST"])
@login_required
def self_actions(assessment_id: int):
    """The improvement plan: its actions; add one, or move one (POST with action_id)."""
    assessment = self_queries.assessment_or_404(assessment_id)
    items = assessment.template.sub_items()
    form = ActionForm(items=items, formdata=None if request.method == "GET" else request.form)
    status, plan_error = 200, None
    if request.method == "POST":
        action_id = request.form.get("action_id", type=int)
        if action_id is not None:
            status_form = ActionStatusForm()
            status_form.validate_on_submit()
            if "csrf_token" in status_form.errors:
                abort(400)
            try:
                self_services.set_action_status(current_user, assessment, action_id, status_form.status.data)
            except EvaluationError as error:
                plan_error = message_of(error)
            else:
                flash(_("Stato dell'azione aggiornato."), "success")
                return redirect_to(url_for("evaluation.self_actions", assessment_id=assessment_id))
        elif form.validate_on_submit():
            try:
                self_services.add_action(current_user, assessment, form.title.data, form.owner.data,
                                         form.due_on.data, form.item_code.data or None, form.status.data)
            except EvaluationError as error:
                at_field(form, error)
            else:
                flash(_("Azione aggiunta al piano di miglioramento."), "success")
                return redirect_to(url_for("evaluation.self_actions", assessment_id=assessment_id))
        elif "csrf_token" in form.errors:
            abort(400)
        status = 422
    return _page("plan.html", block="action_form", status=status, assessment=assessment, form=form,
                 actions=self_queries.actions_of(current_user, assessment.id),
                 status_form=ActionStatusForm(formdata=None), plan_error=plan_error)


# ---- comparison over time -----------------------------------------------------------------------------------------

@bp.route("/self-assessment/compare")
@login_required
def self_compare():
    """The consensus per criterion of the organisation's assessments, over time: a chart and its table."""
    _reader_or_404()
    assessments = self_queries.assessments_of(current_user)
    consensus = self_queries.consensus_by_assessment(current_user, [each.id for each in assessments])
    data = self_chart.comparison(assessments, consensus)
    return _page("compare.html", data=data, chart=self_chart.bar_geometry(data))


# ---- sharing items to a candidacy ---------------------------------------------------------------------------------

@bp.route("/candidacies/<int:candidacy_id>/share", methods=["GET", "POST"])
@login_required
def share_items(candidacy_id: int):
    """Choose items of an assessment to attach (as copies) to the candidacy; take one back while a draft."""
    candidacy = db.session.get(Candidacy, candidacy_id)
    if candidacy is None or not access.can_use_self_assessment(current_user, candidacy.organization_id):
        abort(404)  # nobody outside the candidate organisation learns anything of its assessments
    permissions.require(access.can_share_self_assessment(current_user, candidacy.organization_id),
                        _("Condividono le voci dell'autovalutazione i referenti dell'ente candidato."))
    assessments = self_queries.assessments_of(current_user)
    chosen_id = request.values.get("assessment", type=int)
    chosen = next((each for each in assessments if each.id == chosen_id), None)
    if chosen is None and assessments and request.method == "GET":
        chosen = assessments[0]
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        _button_form()
        unshare = request.form.get("unshare", type=int)
        try:
            if unshare is not None:
                self_services.unshare_item(current_user, candidacy, unshare)
                flash(_("Voce ritirata dalla candidatura."), "success")
            else:
                added = self_services.share_items(current_user, candidacy, chosen, request.form.getlist("items"))
                flash(_("Voci condivise con la candidatura: %(num)d.", num=len(added)), "success")
        except EvaluationError as error:
            errors[error.field or "form"] = message_of(error)
            status = 422
        else:
            return redirect_to(url_for("evaluation.share_items", candidacy_id=candidacy.id,
                                       assessment=chosen.id if chosen else None))
    consensus = self_queries.consensus_by_assessment(current_user, [chosen.id] if chosen else [])
    return _page("share.html", block="share_form", status=status, candidacy=candidacy,
                 assessments=assessments, chosen=chosen, consensus=consensus.get(chosen.id, {}) if chosen
                 else {}, shared=self_queries.shared_items_of(candidacy.id), errors=errors,
                 checked=set(request.form.getlist("items")), may_share=self_services.may_share_now(candidacy))


# ---- templates (administrators) -----------------------------------------------------------------------------------

@bp.route("/templates")
@login_required
def templates():
    """The questionnaire templates."""
    permissions.require(access.can_manage_templates(current_user),
                        _("I questionari li gestisce chi amministra la piattaforma."))
    return _page("templates.html", templates=self_queries.all_templates())


@bp.route("/templates/<int:template_id>", methods=["GET", "POST"])
@login_required
def template_edit(template_id: int):
    """Edit a template: title, description, items as YAML (checked, with the reason at the field)."""
    permissions.require(access.can_manage_templates(current_user),
                        _("I questionari li gestisce chi amministra la piattaforma."))
    template = self_queries.template_or_404(template_id)
    form = TemplateForm(data=dict(title=template.title, description=template.description,
                                  items=items_yaml(template.items), active=template.active))
    if form.validate_on_submit():
        try:
            self_services.save_template(current_user, template, form.title.data, form.description.data,
                                        form.items.data, form.active.data)
        except EvaluationError as error:
            at_field(form, error)
        else:
            flash(_("Questionario salvato."), "success")
            return redirect_to(url_for("evaluation.template_edit", template_id=template.id))
    status = 422 if request.method == "POST" else 200
    return _page("template_edit.html", block="form", status=status, questionnaire=template, form=form,
                 in_use=self_queries.template_in_use(template.id))


@bp.route("/templates/<int:template_id>/clone", methods=["POST"])
@login_required
def template_clone(template_id: int):
    """A new version of a template, to edit."""
    permissions.require(access.can_manage_templates(current_user),
                        _("I questionari li gestisce chi amministra la piattaforma."))
    template = self_queries.template_or_404(template_id)
    _button_form()
    copy = self_services.clone_template(current_user, template)
    flash(_("Nuova versione creata (v. %(version)d): non è ancora proposta agli enti.", version=copy.version),
          "success")
    return redirect_to(url_for("evaluation.template_edit", template_id=copy.id))
