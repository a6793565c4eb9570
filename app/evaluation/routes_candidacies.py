"""Candidacies (issue 13, point 3): a new candidacy, its edit, submit / withdraw / redraft, its page (the frozen
submission, documents, shared self-assessment items, the reuse evidence panel), its documents, the organisation's
candidacies. Thin routes: parse → permission → service (app/evaluation/candidacies.py) → page or redirect."""
from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import permissions
from app.confirmation import confirmation_page, confirmed
from app.evaluation import access, bp, rules
from app.evaluation import candidacies as services
from app.evaluation.core import EvaluationError
from app.evaluation.evidence import reuse_evidence
from app.evaluation.forms_candidacy import candidacy_form
from app.evaluation.queries import call_or_404, candidacy_or_404
from app.evaluation.refusals import at_field, message_of
from app.evaluation.workflow import CallPhase, CandidacyAction, CandidacyStatus
from app.extensions import db, limiter
from app.models import (ADOPTION_STATUS_LABELS, CALL_PHASE_LABELS, CANDIDACY_FIELDS, CANDIDACY_STATUS_LABELS,
                        Candidacy, CandidacyAttachment, Practice, User)
from app.practices.workflow import PracticeStatus
from app.web import EmptyForm, redirect_to, render_page, wants_fragment

WRITERS = "Scrivono e inviano la candidatura i referenti dell'ente candidato."
ACTION_DONE = {
    CandidacyAction.SUBMIT: "Candidatura inviata: la versione inviata è ora fissata.",
    CandidacyAction.WITHDRAW: "Candidatura ritirata.",
    CandidacyAction.REDRAFT: "Candidatura ripresa in bozza: potete modificarla e inviarla di nuovo.",
}


def _user_key() -> str:
    return f"user:{current_user.get_id()}" if current_user.is_authenticated else request.remote_addr or ""


writing_limit = limiter.shared_limit("120 per hour", scope="evaluation-candidacy", key_func=_user_key,
                                     methods=["POST"], deduct_when=lambda response: response.status_code < 400)


def _refuse_at(form, error: EvaluationError) -> None:
    """A service's refusal at its fields (or above the form); nothing was saved."""
    db.session.rollback()
    if isinstance(error, services.AttachmentsRefused):
        form.files.errors = list(form.files.errors) + [
            _("«%(name)s»: %(reason)s", name=each.filename, reason=_(each.msgid, **each.params))
            for each in error.rejections]
        return
    if isinstance(error, services.MissingFields):
        for name, msgid in error.missing.items():
            if name in form:
                form[name].errors = list(form[name].errors) + [_(msgid)]
        form.form_errors.append(_(error.message))
        return
    at_field(form, error)


def _bad_post(form) -> int:
    if "csrf_token" in form.errors:
        abort(400)
    return 422


def _practice_for(slug: str | None):
    """The practice named in ?practice=: 404 when the reader may not see it, 403 when they may not candidate it."""
    from app.communities.services import membership_of

    if slug and (len(slug) > 200 or any(ch < " " or ch == "\x7f" for ch in slug)):
        abort(404)  # no practice has a control character (PostgreSQL refuses NUL in a query) or such a length
    practice = db.session.execute(select(Practice).where(Practice.slug == slug)).scalar_one_or_none() if slug \
        else None
    if practice is None:
        abort(404)
    if not permissions.can_view_practice(current_user, practice, membership_of(practice.community, current_user)):
        abort(404)
    permissions.require(access.can_candidate(current_user, practice),
                        _("Candida una pratica chi è referente del suo ente cedente."))
    return practice


def _own_practices(call) -> list:
    """The published practices the reader's organisation donates and has not yet candidated to the call."""
    taken = select(Candidacy.practice_id).where(Candidacy.call_id == call.id)
    return db.session.execute(select(Practice).where(
        Practice.donor_id == current_user.organization_id, Practice.status == PracticeStatus.PUBLISHED,
        Practice.id.not_in(taken)).order_by(Practice.title)).scalars().all()


# ---- a new candidacy, its edit --------------------------------------------------------------------------------

def _form_page(call, practice, form, candidacy=None, status: int = 200, refusal: str | None = None,
               existing=None, choose=None):
    block = "candidacy_form" if form is not None and not refusal else None  # a refusal or the choice: whole page
    return render_page("evaluation/candidacy_form.html", block=block, status=status, call=call,
                       practice=practice, form=form, candidacy=candidacy, refusal=refusal, existing=existing,
                       choose=choose, delete_form=EmptyForm(formdata=None))


def _saved(candidacy):
    """After saving the form: the candidacy's page, saying whether it was sent or kept as a draft."""
    flash(_(ACTION_DONE[CandidacyAction.SUBMIT]) if candidacy.status == CandidacyStatus.SUBMITTED
          else _("Bozza della candidatura salvata."), "success")
    return redirect_to(url_for("evaluation.candidacy", candidacy_id=candidacy.id))


@bp.route("/calls/<slug>/candidacies/new", methods=["GET", "POST"])
@login_required
@writing_limit
def new_candidacy(slug: str):
    """A new candidacy of one of the organisation's published practices (?practice=); without it, the choice."""
    call = call_or_404(slug)
    practice_slug = request.args.get("practice")
    if not practice_slug:
        permissions.require(permissions.is_member(current_user) and current_user.is_referent
                            and not permissions.is_supplier(current_user) and current_user.organization is not None,
                            _("Candida una pratica chi è referente del suo ente cedente."))
        refusal = None
        if call.phase != CallPhase.OPEN or rules.deadline_passed(call):
            refusal = _("Le candidature a questo avviso sono chiuse.")
        elif not rules.organization_eligible(call, current_user.organization):
            refusal = _("Il vostro ente non rientra tra quelli che possono candidarsi a questo avviso.")
        return _form_page(call, None, None, refusal=refusal, choose=[] if refusal else _own_practices(call))
    practice = _practice_for(practice_slug)
    if request.method == "GET":
        refusal = services.candidacy_refusal(call, practice, current_user)
        found = services.existing(call, practice) if refusal == services.ALREADY else None
        return _form_page(call, practice, candidacy_form(call, formdata=None), refusal=_(refusal) if refusal else None,
                          existing=found)
    form = candidacy_form(call)
    status = 200
    if form.validate_on_submit():
        try:
            candidacy = services.create(call, practice, current_user, form.values(), files=form.files.data,
                                        submit_now=request.form.get("intent") == "submit")
        except EvaluationError as error:
            _refuse_at(form, error)
            status = 422
        else:
            return _saved(candidacy)
    else:
        status = _bad_post(form)
    found = services.existing(call, practice)
    return _form_page(call, practice, form, status=status, existing=found)


@bp.route("/candidacies/<int:candidacy_id>/edit", methods=["GET", "POST"])
@login_required
@writing_limit
def edit_candidacy(candidacy_id: int):
    """A draft's fields and documents (referents of the candidate organisation, while the call is open)."""
    candidacy = candidacy_or_404(candidacy_id)
    permissions.require(access.is_candidate_referent(current_user, candidacy), _(WRITERS))
    permissions.require(services.is_editable(candidacy),
                        _("La candidatura si modifica solo in bozza, finché l'avviso è aperto."))
    call = candidacy.call
    if request.method == "GET":
        form = candidacy_form(call, formdata=None)
        form.fill_from(candidacy)
        return _form_page(call, candidacy.practice, form, candidacy=candidacy)
    form = candidacy_form(call)
    if form.validate_on_submit():
        try:
            services.update(candidacy, current_user, form.values(), files=form.files.data,
                            submit_now=request.form.get("intent") == "submit")
        except EvaluationError as error:
            _refuse_at(form, error)
            status = 422
        else:
            return _saved(candidacy)
    else:
        status = _bad_post(form)
    candidacy = candidacy_or_404(candidacy_id)
    return _form_page(call, candidacy.practice, form, candidacy=candidacy, status=status)


# ---- the candidacy's page -------------------------------------------------------------------------------------

def _shown(candidacy) -> dict:
    """What the page shows: the submitted version once sent (frozen), the live draft before."""
    if candidacy.snapshot and candidacy.status != CandidacyStatus.DRAFT:
        return dict(candidacy.snapshot, frozen=True)
    practice, call = candidacy.practice, candidacy.call
    return {"title": practice.title, "summary": practice.summary, "fields": candidacy.fields or {},
            "extra": candidacy.extra or {}, "category": candidacy.category,
            "category_label": call.category_label(candidacy.category) if candidacy.category else "",
            "completed_on": candidacy.completed_on.isoformat() if candidacy.completed_on else None,
            "kit_version": None, "frozen": False}


def _actions(candidacy) -> list[str]:
    """The moves open to the reader now (referents of the candidate organisation)."""
    if not access.is_candidate_referent(current_user, candidacy):
        return []
    call, status, late = candidacy.call, candidacy.status, rules.deadline_passed(candidacy.call)
    found = []
    if status == CandidacyStatus.DRAFT and call.phase == CallPhase.OPEN and not late:
        found.append(CandidacyAction.SUBMIT)
    if status == CandidacyStatus.SUBMITTED and call.phase in (CallPhase.OPEN, CallPhase.CLOSED):
        found.append(CandidacyAction.WITHDRAW)
    if status == CandidacyStatus.WITHDRAWN and call.phase == CallPhase.OPEN and not late:
        found.append(CandidacyAction.REDRAFT)
    return found


def _share_url(candidacy) -> str | None:
    """The sharing page of the self-assessment items, for the organisation's referents."""
    if not access.can_share_self_assessment(current_user, candidacy.organization_id):
        return None
    return url_for("evaluation.share_items", candidacy_id=candidacy.id)


def render_candidacy(candidacy, status: int = 200, message: str | None = None, error: str | None = None):
    user = current_user
    candidate = access.is_candidate(user, candidacy)
    shows_names = access.shows_candidate_names(user, candidacy)
    shown = _shown(candidacy)
    if shown.get("completed_on"):
        shown["completed_on_date"] = date.fromisoformat(shown["completed_on"])
    submitted_by = (db.session.get(User, candidacy.submitted_by_id)
                    if shows_names and candidacy.submitted_by_id else None)
    return render_page(
        "evaluation/candidacy.html", block="candidacy_main", status=status, candidacy=candidacy,
        call=candidacy.call, shown=shown, shows_names=shows_names, submitted_by=submitted_by,
        share_url=_share_url(candidacy), adoption_status_labels=ADOPTION_STATUS_LABELS,
        candidate=candidate, referent=access.is_candidate_referent(user, candidacy),
        editable=services.is_editable(candidacy), actions=_actions(candidacy),
        evidence=reuse_evidence(candidacy.practice) if candidacy.status != CandidacyStatus.DRAFT or candidate
        else None,
        next_step=_(services.next_step(candidacy)) if candidate else None, standard_fields=CANDIDACY_FIELDS,
        status_labels=CANDIDACY_STATUS_LABELS, phase_labels=CALL_PHASE_LABELS, form=EmptyForm(formdata=None),
        message=message, error=error)


@bp.route("/candidacies/<int:candidacy_id>")
def candidacy(candidacy_id: int):
    """A candidacy: the candidate organisation, administrators, and the commission once candidacies are closed."""
    return render_candidacy(candidacy_or_404(candidacy_id))


@bp.route("/candidacies/<int:candidacy_id>/<any(submit, withdraw, redraft):action>", methods=["POST"])
@login_required
@writing_limit
def candidacy_action(candidacy_id: int, action: str):
    """Submit, withdraw (asked first) or take back to draft."""
    found = candidacy_or_404(candidacy_id)
    permissions.require(access.is_candidate_referent(current_user, found), _(WRITERS))
    if not EmptyForm().validate_on_submit():
        abort(400)
    if action == CandidacyAction.WITHDRAW and not confirmed():
        return confirmation_page(_("Ritirare la candidatura all'avviso «%(call)s»?", call=found.call.title),
                                 _("Ritira la candidatura"), url_for("evaluation.candidacy", candidacy_id=found.id),
                                 _("Potrete riprenderla in bozza e inviarla di nuovo finché l'avviso è aperto."))
    try:
        services.act(found, current_user, action)
    except EvaluationError as error:
        db.session.rollback()
        message = message_of(error)
        if isinstance(error, services.MissingFields):
            message = _("Per inviare la candidatura completate prima i campi richiesti: %(fields)s.",
                        fields=", ".join(_field_labels(found, error.missing)))
        return render_candidacy(candidacy_or_404(candidacy_id), status=422, error=message)
    message = _(ACTION_DONE[CandidacyAction(action)])
    if not wants_fragment():
        flash(message, "success")
        return redirect_to(url_for("evaluation.candidacy", candidacy_id=found.id))
    return render_candidacy(candidacy_or_404(candidacy_id), message=message)


def _field_labels(candidacy, missing) -> list[str]:
    labels = {key: str(label) for key, (label, _help) in CANDIDACY_FIELDS.items()}
    labels.update({f"extra_{each['key']}": each.get("label", each["key"])
                   for each in candidacy.call.extra_fields or []})
    labels.update({"category": _("Categoria"), "completed_on": _("Data di realizzazione della pratica")})
    return [labels.get(name, name) for name in missing]


# ---- documents ----------------------------------------------------------------------------------------------

def _attachment(candidacy, attachment_id: int) -> CandidacyAttachment:
    attachment = db.session.get(CandidacyAttachment, attachment_id)
    if attachment is None or attachment.candidacy_id != candidacy.id:
        abort(404)
    return attachment


@bp.route("/candidacies/<int:candidacy_id>/attachments/<int:attachment_id>")
def candidacy_attachment(candidacy_id: int, attachment_id: int):
    """A document, to whoever may see the candidacy, always as a download with safe headers."""
    from app.uploads import send_stored

    found = candidacy_or_404(candidacy_id)
    return send_stored(current_app.config["UPLOAD_FOLDER"], _attachment(found, attachment_id))


@bp.route("/candidacies/<int:candidacy_id>/attachments/<int:attachment_id>/delete", methods=["POST"])
@login_required
@writing_limit
def candidacy_attachment_delete(candidacy_id: int, attachment_id: int):
    """Take a document out of a draft."""
    found = candidacy_or_404(candidacy_id)
    permissions.require(access.is_candidate_referent(current_user, found), _(WRITERS))
    attachment = _attachment(found, attachment_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.remove_attachment(found, attachment, current_user)
    except EvaluationError as error:
        db.session.rollback()
        flash(message_of(error), "danger")
        return redirect_to(url_for("evaluation.candidacy", candidacy_id=found.id))
    flash(_("Documento tolto dalla candidatura."), "success")
    return redirect_to(url_for("evaluation.edit_candidacy", candidacy_id=found.id))


# ---- the organisation's candidacies ---------------------------------------------------------------------------

@bp.route("/mine")
@login_required
def my_candidacies():
    """The candidacies of the reader's organisation, with their call, dates and next step."""
    permissions.require(permissions.is_member(current_user) and current_user.organization_id is not None
                        and current_user.is_affiliated,
                        _("Le candidature sono degli enti: questa pagina è per le persone di un ente."))
    page_number = int(request.args.get("page", 1))  # checked by app.web (a small positive integer)
    page = services.organization_page(current_user.organization_id, page_number)
    steps = {each.id: _(services.next_step(each)) for each in page.items}
    return render_page("evaluation/my_candidacies.html", block="candidacies_list", page=page, steps=steps,
                       status_labels=CANDIDACY_STATUS_LABELS, phase_labels=CALL_PHASE_LABELS)
