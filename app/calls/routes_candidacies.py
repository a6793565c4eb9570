"""Candidacies to calls for expression of interest (issue 15): the referent's form (start, continue the draft, send
it), the candidacy's page (status with reason, answers, documents, working group, history; the staff's decisions),
withdrawal, the documents. Thin routes: parse → permission → service (app/calls/candidacies.py) → page or redirect."""
from __future__ import annotations

from flask import abort, current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import permissions
from app.calls import access, bp
from app.calls import candidacies as services
from app.calls.core import CallsError
from app.calls.forms_candidacy import CONTACT_ROWS, number_text
from app.calls.forms_candidacy import candidacy_form as build_form
from app.calls.labels import CANDIDACY_ACTION_LABELS, CANDIDACY_STATUS_LABELS, WINDOW_LABELS
from app.calls.workflow import CandidacyStatus
from app.confirmation import confirmation_page, confirmed
from app.extensions import db, limiter
from app.models import PA_KIND_LABELS, CandidacyDocument, InterestCall, InterestCandidacy
from app.web import EmptyForm, redirect_to, render_page, wants_fragment


def _user_key() -> str:
    return f"user:{current_user.get_id()}" if current_user.is_authenticated else request.remote_addr or ""


writing_limit = limiter.shared_limit("120 per hour", scope="calls-candidacy", key_func=_user_key,
                                     methods=["POST"], deduct_when=lambda response: response.status_code < 400)


def message_of(error: CallsError) -> str:
    return _(error.message, **error.params)


def _call_or_404(slug: str) -> InterestCall:
    call = db.session.execute(select(InterestCall).where(InterestCall.slug == slug)).scalar_one_or_none()
    if call is None or not access.can_view_call(current_user, call):
        abort(404)
    return call


def _candidacy_or_404(candidacy_id: int, for_page: bool = False) -> InterestCandidacy:
    """The candidacy, for the candidate organisation's people and whoever manages the programme; 404 for others."""
    found = (services.candidacy_for_page(candidacy_id) if for_page
             else db.session.get(InterestCandidacy, candidacy_id))
    if found is None or not access.can_view_candidacy(current_user, found):
        abort(404)
    return found


def _document_or_404(candidacy: InterestCandidacy, document_id: int) -> CandidacyDocument:
    document = db.session.get(CandidacyDocument, document_id)
    if document is None or document.candidacy_id != candidacy.id:
        abort(404)
    return document


def _bad_post(form) -> int:
    if "csrf_token" in form.errors:
        abort(400)
    return 422


def _refuse_at(form, error: CallsError) -> None:
    """A service's refusal at its fields (or above the form); nothing was saved."""
    db.session.rollback()
    if isinstance(error, services.FilesRefused):
        for name, rejections in error.rejections.items():
            form[name].errors = list(form[name].errors) + [
                _("«%(name)s»: %(reason)s", name=each.filename, reason=_(each.msgid, **each.params))
                for each in rejections]
        form.form_errors.append(message_of(error))
        return
    if isinstance(error, services.MissingItems):
        for name, msgid in error.missing.items():
            if name in form:
                form[name].errors = list(form[name].errors) + [_(msgid)]
        form.form_errors.append(message_of(error))
        return
    if error.field and error.field in form:
        form[error.field].errors = list(form[error.field].errors) + [message_of(error)]
    else:
        form.form_errors.append(message_of(error))


# ---- the referent's form ------------------------------------------------------------------------------------------

def _form_page(call, form, candidacy, status: int = 200, refusal: str | None = None):
    return render_page("calls/candidacy_form.html", block="candidacy_editor", status=status, call=call, form=form,
                       candidacy=candidacy, refusal=refusal, contact_rows=CONTACT_ROWS,
                       remove_form=EmptyForm(formdata=None), pa_kind_labels=PA_KIND_LABELS,
                       status_labels=CANDIDACY_STATUS_LABELS)


@bp.route("/calls/<slug>/candidacy", methods=["GET", "POST"])
@login_required
@writing_limit
def candidacy_form(slug: str):
    """The organisation's candidacy to the call, written by its referent: start it, continue the draft, send it."""
    call = _call_or_404(slug)
    permissions.require(access.can_candidate(current_user), _(services.NOT_REFERENT))
    refused_status = 200 if request.method == "GET" else 422
    found = services.existing(call, current_user.organization_id)
    if found is not None and found.status != CandidacyStatus.DRAFT:
        return _form_page(call, None, found, status=refused_status, refusal=_(services.ALREADY))
    refusal = services.candidacy_refusal(call, current_user)
    if refusal:
        return _form_page(call, None, found, status=refused_status, refusal=_(refusal))
    if request.method == "GET":
        form = build_form(call, formdata=None)
        if found is not None:
            form.fill_from(found)
        return _form_page(call, form, found)
    form = build_form(call)
    if form.validate_on_submit():
        submit = request.form.get("intent") == "submit"
        try:
            saved = services.save(call, current_user, form.values(), form.uploads(), submit=submit)
        except services.AlreadyCandidate as error:
            db.session.rollback()
            again = db.session.get(InterestCandidacy, error.candidacy_id) if error.candidacy_id else None
            return _form_page(call, None, again, status=422, refusal=message_of(error))
        except CallsError as error:
            _refuse_at(form, error)
            status = 422
        else:
            flash(_("Candidatura inviata: lo staff del programma la esaminerà.") if submit
                  else _("Bozza della candidatura salvata: potete completarla e inviarla finché l'avviso è aperto."),
                  "success")
            return redirect_to(url_for("calls.candidacy", candidacy_id=saved.id))
    else:
        status = _bad_post(form)
    if form.uploads():
        form.form_errors.append(_("I file scelti non sono stati salvati: selezionateli di nuovo."))
    return _form_page(call, form, services.existing(call, current_user.organization_id), status=status)


# ---- the candidacy's page -----------------------------------------------------------------------------------------

@bp.app_template_filter("calls_number")
def calls_number(value) -> str:
    """A number answer in the Italian writing, without exponents."""
    return number_text(value)


def render_candidacy(candidacy: InterestCandidacy, status: int = 200, message: str | None = None,
                     error: str | None = None):
    user = current_user
    referent = access.can_edit_candidacy(user, candidacy)
    documents = {}
    for document in candidacy.documents:
        documents.setdefault(document.field_key if document.role == "attachment" else "", []).append(document)
    return render_page(
        "calls/candidacy.html", block="candidacy_main", status=status, candidacy=candidacy, call=candidacy.call,
        referent=referent, editable=referent and services.is_editable(candidacy),
        withdrawable=referent and services.can_withdraw(candidacy), manager=access.can_manage_call(user, candidacy.call),
        documents=documents, status_labels=CANDIDACY_STATUS_LABELS, action_labels=CANDIDACY_ACTION_LABELS,
        pa_kind_labels=PA_KIND_LABELS, window_labels=WINDOW_LABELS, window=services.window_of(candidacy.call),
        form=EmptyForm(formdata=None), message=message, error=error)


@bp.route("/candidacies/<int:candidacy_id>")
def candidacy(candidacy_id: int):
    """A candidacy: the candidate organisation's people, the programme's staff and administrators."""
    return render_candidacy(_candidacy_or_404(candidacy_id, for_page=True))


@bp.route("/candidacies/<int:candidacy_id>/withdraw", methods=["POST"])
@login_required
@writing_limit
def withdraw(candidacy_id: int):
    """Withdraw the organisation's candidacy (asked first)."""
    found = _candidacy_or_404(candidacy_id)
    permissions.require(access.can_edit_candidacy(current_user, found),
                        _("Ritira la candidatura chi è referente dell'ente candidato."))
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not confirmed():
        return confirmation_page(
            _("Ritirare la candidatura all'avviso «%(call)s»?", call=found.call.title), _("Ritira la candidatura"),
            url_for("calls.candidacy", candidacy_id=found.id),
            _("Una candidatura ritirata non si riprende: il vostro ente non potrà candidarsi di nuovo a questo avviso."))
    try:
        services.withdraw(found, current_user)
    except CallsError as error:
        db.session.rollback()
        return render_candidacy(_candidacy_or_404(candidacy_id, for_page=True), status=422, error=message_of(error))
    message = _("Candidatura ritirata.")
    if not wants_fragment():
        flash(message, "success")
        return redirect_to(url_for("calls.candidacy", candidacy_id=candidacy_id))
    db.session.expire_all()
    return render_candidacy(_candidacy_or_404(candidacy_id, for_page=True), message=message)


# ---- documents ----------------------------------------------------------------------------------------------------

@bp.route("/candidacies/<int:candidacy_id>/documents/<int:document_id>")
def candidacy_document(candidacy_id: int, document_id: int):
    """A document of the candidacy, to whoever may see it, always as a download with safe headers."""
    from app.uploads import send_stored

    found = _candidacy_or_404(candidacy_id)
    return send_stored(current_app.config["UPLOAD_FOLDER"], _document_or_404(found, document_id))


@bp.route("/candidacies/<int:candidacy_id>/documents/<int:document_id>/remove", methods=["POST"])
@login_required
@writing_limit
def remove_document(candidacy_id: int, document_id: int):
    """Take a document out of a draft (asked first)."""
    found = _candidacy_or_404(candidacy_id)
    permissions.require(access.can_edit_candidacy(current_user, found),
                        _("Scrive la candidatura chi è referente dell'ente candidato."))
    document = _document_or_404(found, document_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not confirmed():
        return confirmation_page(_("Togliere «%(name)s» dalla candidatura?", name=document.original_name),
                                 _("Togli il documento"), url_for("calls.candidacy_form", slug=found.call.slug))
    try:
        services.remove_document(found, document, current_user)
    except CallsError as error:
        db.session.rollback()
        flash(message_of(error), "danger")
        return redirect_to(url_for("calls.candidacy", candidacy_id=candidacy_id))
    flash(_("Documento tolto dalla candidatura."), "success")
    return redirect_to(url_for("calls.candidacy_form", slug=found.call.slug))


# The area's routes.py imports a "slots" module that gathers the slot modules; until it exists, register ours here
# (the registry ignores a second registration).
from app.calls import slots_candidacies  # noqa: E402,F401
