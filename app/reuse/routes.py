"""Reuse pages: thin — parse, check permission, call a service, render or redirect."""
from __future__ import annotations

from flask import abort, current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import permissions
from app.confirmation import confirmation_page, confirmed
from app.extensions import db
from app.models import SupportAttachment
from app.practices.routes import _practice_or_404
from app.reuse import bp, figures, services, support
from app.reuse.forms import (AdoptionForm, AdoptionStepForm, AssignForm, BoxFilterForm, DeclineForm, DeploymentForm,
                             MessageForm, OfferForm, SupportRequestForm)
from app.reuse.services import ReuseError
from app.reuse.support import AttachmentsRefused
from app.reuse.workflow import N_, AdoptionAction, RequestAction, ReuseWorkflowError, allowed_roles
from app.web import EmptyForm, redirect_to, render_page


def _refused(form, error: ReuseError | ReuseWorkflowError) -> None:
    """Show a refusal at its field when it has one, else above the form."""
    db.session.rollback()
    name = getattr(error, "field", None)
    if name and name in form:
        form[name].errors = list(form[name].errors) + [_(str(error))]
    else:
        form.form_errors.append(_(str(error)))


def _file_errors(form, refused: AttachmentsRefused) -> None:
    db.session.rollback()
    form.files.errors = [_("«%(name)s»: %(reason)s", name=r.filename, reason=_(r.msgid, **r.params))
                         for r in refused.rejections]


def _has_organization() -> bool:
    return permissions.is_member(current_user) and current_user.organization_id is not None


def _refusal(practice) -> ReuseError | None:
    """Why this person's organisation cannot reuse the practice (its own, a draft, archived, a supplier), if so."""
    try:
        services.check_reusable(practice, current_user)
    except ReuseError as error:
        return error
    return None


def _refuse_page(template: str, form, refusal: ReuseError, **context):
    """The form page with the reason instead of the form: 403 when opened, 422 when submitted anyway."""
    form.form_errors.append(_(str(refusal)))
    return render_page(template, block="form", form=form, refused=True, status=422 if form.is_submitted() else 403,
                       **context)


# ---- adoptions -------------------------------------------------------------------------------------------------

@bp.route("/practices/<slug>/adopt", methods=["GET", "POST"])
@login_required
def declare(slug: str):
    """Declare that my organisation is interested in reusing this practice (its referents do)."""
    practice, _membership = _practice_or_404(slug)
    permissions.require(_has_organization(), permissions.why_not_declare(current_user))
    form = AdoptionForm()
    if (refusal := _refusal(practice)) is not None:
        return _refuse_page("reuse/declare.html", form, refusal, practice=practice)
    permissions.require(permissions.can_declare_reuse(current_user), permissions.why_not_declare(current_user))
    if form.validate_on_submit():
        try:
            adoption = services.declare_adoption(practice, current_user, form.notes.data or "")
        except ReuseError as error:
            _refused(form, error)
        else:
            flash(_("Riuso dichiarato: i cedenti ne sono informati."), "success")
            return redirect_to(url_for("reuse.adoption", adoption_id=adoption.id))
    return render_page("reuse/declare.html", block="form", form=form, practice=practice,
                       status=422 if form.is_submitted() else 200)


def _adoption_or_404(adoption_id: int):
    adoption = services.adoption_by_id(adoption_id)
    if adoption is None:
        abort(404)
    _practice_or_404(adoption.practice.slug)  # a practice the reader may not see hides its adoptions too
    if not permissions.can_view_adoption(current_user, adoption):
        abort(404)
    return adoption


@bp.route("/adoptions/<int:adoption_id>")
def adoption(adoption_id: int):
    """One adoption: its state, history, deployment record and the actions this reader may take."""
    found = _adoption_or_404(adoption_id)
    return render_page("reuse/adoption.html", adoption=found, step_form=AdoptionStepForm(), form=EmptyForm())


ADOPTION_MESSAGES = {
    AdoptionAction.START: N_("Riuso avviato."),
    AdoptionAction.COMPLETE: N_("Riuso completato: ora registra il dispiegamento, comparirà nel KIT."),
    AdoptionAction.ABANDON: N_("Riuso abbandonato."),
}


@bp.route("/adoptions/<int:adoption_id>/step/<action>", methods=["POST"])
@login_required
def adoption_step(adoption_id: int, action: str):
    """Start, complete or abandon an adoption (its organisation's people)."""
    found = _adoption_or_404(adoption_id)
    try:
        chosen = AdoptionAction(action)
    except ValueError:
        abort(404)
    permissions.require(permissions.can_update_adoption(current_user, found))
    form = AdoptionStepForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.note.errors) or _("Richiesta non valida."), "danger")
        return redirect_to(url_for("reuse.adoption", adoption_id=found.id))
    if chosen == AdoptionAction.ABANDON and not confirmed():
        return confirmation_page(_("Abbandonare il riuso di «%(title)s»?", title=found.practice.title),
                                 _("Sì, abbandona il riuso"), url_for("reuse.adoption", adoption_id=found.id),
                                 _("I cedenti ne saranno informati; per riprenderlo servirà una nuova dichiarazione di "
                                   "interesse."))
    try:
        services.move_adoption(found, chosen, current_user, form.note.data or "")
    except ReuseWorkflowError as error:
        db.session.rollback()
        flash(_(str(error)), "danger")
        return redirect_to(url_for("reuse.adoption", adoption_id=found.id))
    flash(_(ADOPTION_MESSAGES[chosen]), "success")
    if chosen == AdoptionAction.COMPLETE:
        return redirect_to(url_for("reuse.deployment", adoption_id=found.id))
    return redirect_to(url_for("reuse.adoption", adoption_id=found.id))


@bp.route("/adoptions/<int:adoption_id>/confirm", methods=["POST"])
@login_required
def confirm(adoption_id: int):
    """The donor team confirms the adoption: a verified reuse."""
    found = _adoption_or_404(adoption_id)
    permissions.require(permissions.can_confirm_adoption(current_user, found))
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.confirm_adoption(found, current_user)
    except ReuseWorkflowError as error:
        db.session.rollback()
        flash(_(str(error)), "danger")
    else:
        flash(_("Riuso confermato: ora conta tra i riusi verificati della pratica."), "success")
    return redirect_to(url_for("reuse.adoption", adoption_id=found.id))


@bp.route("/adoptions/<int:adoption_id>/invite", methods=["POST"])
@login_required
def invite_co_donor(adoption_id: int):
    """The donors invite the reusing organisation to keep the kit with them, as co-donor."""
    found = _adoption_or_404(adoption_id)
    permissions.require(permissions.can_confirm_adoption(current_user, found)
                        and permissions.can_edit_practice(current_user, found.practice))
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.invite_co_donor(found, current_user)
    except ReuseError as error:
        db.session.rollback()
        flash(_(str(error)), "danger")
    else:
        flash(_("Invito inviato: %(name)s diventa co-cedente quando un suo referente accetta.",
                name=found.organization.name), "success")
    return redirect_to(url_for("reuse.adoption", adoption_id=found.id))


@bp.route("/adoptions/<int:adoption_id>/deployment", methods=["GET", "POST"])
@login_required
def deployment(adoption_id: int):
    """The deployment record of a completed adoption (its organisation's people write it)."""
    found = _adoption_or_404(adoption_id)
    permissions.require(permissions.can_update_adoption(current_user, found))
    record = found.deployment
    form = DeploymentForm(obj=record if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.save_deployment(found, form, current_user)
        except ReuseError as error:
            _refused(form, error)
        else:
            flash(_("Dispiegamento registrato: compare nel KIT della pratica."), "success")
            return redirect_to(url_for("practices.show", slug=found.practice.slug, tab="deployments"))
    return render_page("reuse/deployment.html", block="form", form=form, adoption=found,
                       status=422 if form.is_submitted() else 200)


@bp.route("/reuse/mine")
@login_required
def my_adoptions():
    """The adoptions of my organisation, in every state."""
    permissions.require(_has_organization())
    return render_page("reuse/mine.html", adoptions=services.adoptions_of(current_user))


# ---- support requests ------------------------------------------------------------------------------------------

@bp.route("/practices/<slug>/support/new", methods=["GET", "POST"])
@login_required
def new_request(slug: str):
    """Ask the donors of this practice for support."""
    practice, _membership = _practice_or_404(slug)
    permissions.require(_has_organization())
    adoptions = services.adoptions_of(current_user, practice)
    form = SupportRequestForm(adoptions=adoptions)
    if (refusal := _refusal(practice)) is not None:
        return _refuse_page("reuse/new_request.html", form, refusal, practice=practice)
    if request.method == "GET" and request.args.get("adoption"):
        form.adoption.data = request.args["adoption"]
    if form.validate_on_submit():
        try:
            created = support.open_request(
                practice, current_user, kind=form.kind.data, subject=form.subject.data,
                description=form.description.data, adoption_id=int(form.adoption.data) if form.adoption.data else None,
                files=form.files.data, token=form.submission.data)
        except ReuseError as error:
            _refused(form, error)
        except AttachmentsRefused as refused:
            _file_errors(form, refused)
        else:
            flash(_("Richiesta inviata ai cedenti."), "success")
            return redirect_to(url_for("reuse.support_request", request_id=created.id))
    return render_page("reuse/new_request.html", block="form", form=form, practice=practice,
                       status=422 if form.is_submitted() else 200)


def _request_or_404(request_id: int):
    found = support.request_by_id(request_id)
    if found is None:
        abort(404)
    _practice_or_404(found.practice.slug)  # requests follow their practice: hidden with it (private community)
    if not permissions.can_view_request(current_user, found):
        abort(404)
    return found


def _request_context(found, message_form=None, decline_form=None, status: int = 200) -> dict:
    people = support.donor_people(found) if permissions.is_request_donor(current_user, found) else []
    assign_form = AssignForm(people=people)
    assign_form.assignee.data = str(found.assignee_id or "")
    return dict(req=found, messages=support.visible_messages(found, current_user),
                files=support.attachments_by_message(found), message_form=message_form or MessageForm(formdata=None),
                decline_form=decline_form or DeclineForm(formdata=None), assign_form=assign_form,
                roles=support.request_roles(current_user, found), form=EmptyForm(),
                overdue=support.is_overdue(found, support.overdue_cutoff()),
                reopen_days=current_app.config["SUPPORT_REOPEN_DAYS"], status=status)


@bp.route("/support/<int:request_id>")
@login_required
def support_request(request_id: int):
    """A support request with its conversation and the actions this reader may take."""
    found = _request_or_404(request_id)
    return render_page("reuse/request.html", block="conversation" if request.args.get("part") else None,
                       **_request_context(found))


@bp.route("/support/<int:request_id>/messages", methods=["POST"])
@login_required
def post_message(request_id: int):
    """Append a message to the conversation; htmx swaps the conversation in place."""
    found = _request_or_404(request_id)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            support.add_message(found, current_user, form.body.data, bool(form.internal.data), form.files.data)
        except ReuseError as error:
            _refused(form, error)
        except AttachmentsRefused as refused:
            _file_errors(form, refused)
        else:
            from app.web import wants_fragment

            if not wants_fragment():
                flash(_("Messaggio inviato."), "success")
                return redirect_to(url_for("reuse.support_request", request_id=found.id, _anchor="conversation"))
            found = _request_or_404(request_id)
            return render_page("reuse/request.html", block="conversation", posted=True, **_request_context(found))
    return render_page("reuse/request.html", block="conversation",
                       **_request_context(found, message_form=form, status=422))


REQUEST_MESSAGES = {
    RequestAction.ACCEPT: N_("Richiesta presa in carico."),
    RequestAction.RESOLVE: N_("Richiesta segnata come risolta: chi l'ha aperta può chiuderla o rispondere."),
    RequestAction.CLOSE: N_("Richiesta chiusa."),
    RequestAction.DECLINE: N_("Richiesta declinata: il motivo è stato inviato a chi l'ha aperta."),
    RequestAction.REOPEN: N_("Richiesta riaperta."),
}


@bp.route("/support/<int:request_id>/status/<action>", methods=["POST"])
@login_required
def request_status(request_id: int, action: str):
    """Accept, resolve, close, decline (with a reason) or reopen a request."""
    found = _request_or_404(request_id)
    try:
        chosen = RequestAction(action)
    except ValueError:
        abort(404)
    permissions.require(bool(support.request_roles(current_user, found) & allowed_roles(chosen)))
    decline_form = DeclineForm()
    if not decline_form.validate_on_submit() and chosen == RequestAction.DECLINE:
        return render_page("reuse/request.html", **_request_context(found, decline_form=decline_form, status=422))
    if not EmptyForm().validate_on_submit():
        abort(400)
    if chosen == RequestAction.DECLINE and not confirmed():
        return confirmation_page(_("Declinare la richiesta «%(subject)s»?", subject=found.subject),
                                 _("Sì, declina la richiesta"), url_for("reuse.support_request", request_id=found.id),
                                 _("Il motivo sarà inviato a chi l'ha aperta: «%(reason)s»",
                                   reason=decline_form.reason.data))
    try:
        support.change_status(found, chosen, current_user, reason=decline_form.reason.data or "")
    except ReuseWorkflowError as error:
        db.session.rollback()
        flash(_(str(error)), "danger")
    else:
        flash(_(REQUEST_MESSAGES[chosen]), "success")
    return redirect_to(url_for("reuse.support_request", request_id=found.id))


@bp.route("/support/<int:request_id>/assign", methods=["POST"])
@login_required
def assign(request_id: int):
    """Give the request to one person of the donor team."""
    found = _request_or_404(request_id)
    permissions.require(permissions.is_request_donor(current_user, found))
    form = AssignForm(people=support.donor_people(found))
    if not form.validate_on_submit():
        abort(400)
    try:
        value = form.assignee.data or ""
        support.assign(found, current_user, int(value) if value.isdigit() else None)
    except ReuseError as error:
        db.session.rollback()
        flash(_(str(error)), "danger")
    else:
        flash(_("Assegnazione aggiornata."), "success")
    return redirect_to(url_for("reuse.support_request", request_id=found.id))


@bp.route("/support/<int:request_id>/attachments/<int:attachment_id>")
@login_required
def download(request_id: int, attachment_id: int):
    """A document of the request, for those who may see it (an internal note's only for the donor team)."""
    from app.uploads import send_stored

    found = _request_or_404(request_id)
    attachment = db.session.get(SupportAttachment, attachment_id)
    if attachment is None or attachment.request_id != found.id:
        abort(404)
    if attachment.message is not None and attachment.message.internal and not permissions.can_see_internal_notes(
            current_user, found):
        abort(404)
    return send_stored(current_app.config["UPLOAD_FOLDER"], attachment)


def _box(kind: str):
    form = BoxFilterForm(request.args)
    practices = support.inbox_practices(current_user) if kind == "inbox" else []
    form.practice.choices = [("", _("Tutte le pratiche"))] + [(p.slug, p.title) for p in practices]
    filters = support.BoxFilters(
        status=form.status.data if form.status.data in {v for v, _l in form.status.choices} else "",
        kind=form.kind.data if form.kind.data in {v for v, _l in form.kind.choices} else "",
        practice=form.practice.data or "", age=form.age.data if form.age.data in support.AGES else "",
        overdue=bool(form.overdue.data))
    query = support.inbox_query(current_user, filters) if kind == "inbox" else support.outbox_query(current_user,
                                                                                                     filters)
    page = db.paginate(query, per_page=current_app.config["SUPPORT_PER_PAGE"], max_per_page=100, error_out=False)
    return render_page("reuse/box.html", block="results", form=form, page=page, box=kind,
                       cutoff=support.overdue_cutoff(), is_overdue=support.is_overdue, response_days=current_app.config["SUPPORT_RESPONSE_DAYS"])


@bp.route("/support/inbox")
@login_required
def inbox():
    """The donor team's inbox: requests to my organisation's practices."""
    permissions.require(permissions.is_admin(current_user) or _has_organization())
    return _box("inbox")


@bp.route("/support/outbox")
@login_required
def outbox():
    """The requests my organisation sent."""
    permissions.require(_has_organization())
    return _box("outbox")


# ---- supplier offers ------------------------------------------------------------------------------------------

@bp.route("/practices/<slug>/offer", methods=["GET", "POST"])
@login_required
def offer(slug: str):
    """A supplier offers its services on this practice (or updates its offer)."""
    practice, _membership = _practice_or_404(slug)
    permissions.require(permissions.can_offer_services(current_user, practice))
    existing = services.offer_of(practice, current_user.organization_id)
    form = OfferForm(obj=existing if request.method == "GET" else None)
    if form.validate_on_submit():
        services.save_offer(practice, current_user, form.services.data, form.description.data)
        flash(_("Offerta pubblicata sulla pagina della pratica."), "success")
        return redirect_to(url_for("practices.show", slug=practice.slug))
    return render_page("reuse/offer.html", block="form", form=form, practice=practice, existing=existing,
                       status=422 if form.is_submitted() else 200)


@bp.route("/practices/<slug>/offers/<int:offer_id>/<action>", methods=["POST"])
@login_required
def moderate_offer(slug: str, offer_id: int, action: str):
    """The donors hide a supplier's offer from the practice page, or show it again."""
    from app.models import SupplierOffer

    practice, _membership = _practice_or_404(slug)
    found = db.session.get(SupplierOffer, offer_id)
    if found is None or found.practice_id != practice.id or action not in ("hide", "show"):
        abort(404)
    permissions.require(permissions.can_moderate_offers(current_user, practice))
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.set_offer_hidden(found, current_user, action == "hide")
    flash(_("Offerta nascosta dalla pagina della pratica.") if action == "hide" else _("Offerta di nuovo visibile."),
          "success")
    return redirect_to(url_for("practices.show", slug=practice.slug))


def practice_context(practice, user) -> dict:
    """What the practice page needs of reuse: adoptions, deployments, offers and service figures."""
    return dict(reuse=services.practice_reuse(practice, user), figures=figures.practice_figures(practice),
                duration=figures.duration_parts, can_reuse=permissions.can_reuse(user, practice),
                can_offer=permissions.can_offer_services(user, practice),
                can_moderate_offers=permissions.can_moderate_offers(user, practice))
