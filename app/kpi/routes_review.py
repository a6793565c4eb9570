"""Reviewing KPI definitions (issue 16, point 3): the confirmation page and POST of each workflow move, and the
reviewers' queue. Thin routes: parse → permission → service (app/kpi/review.py) → page or redirect. Who may not
see the definition gets 404, who sees it but may not take the move 403."""
from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import permissions
from app.extensions import db
from app.kpi import access, bp, review
from app.kpi import slots_review  # noqa: F401  (fills the kpi.definition.actions slot)
from app.kpi.forms_review import FORMS
from app.kpi.labels import ACTION_LABELS
from app.kpi.workflow import (DEPRECATION_NOTE_REQUIRED, NOTE_REQUIRED, REPLACEMENT_NOT_PUBLISHED, DefinitionAction,
                              KpiWorkflowError)
from app.models import KpiDefinition
from app.web import EmptyForm, redirect_to, render_page

DONE = {
    DefinitionAction.START_REVIEW: _l("Indicatore preso in esame: il proponente ne riceve l'avviso."),
    DefinitionAction.RETURN: _l("Indicatore rimandato al proponente con la vostra nota."),
    DefinitionAction.PUBLISH: _l("Indicatore pubblicato nella libreria."),
    DefinitionAction.DEPRECATE: _l("Indicatore dismesso."),
    DefinitionAction.WITHDRAW: _l("Proposta ritirata."),
}
MAY_NOT_WITHDRAW = _l("Ritira la proposta l'ente che l'ha presentata (o chi amministra la piattaforma).")
MAY_NOT_REVIEW = _l("Esaminano e pubblicano gli indicatori gli animatori della comunità o lo staff del programma "
                    "in cui sono stati proposti, o chi amministra la piattaforma.")


def definition_or_404(slug: str) -> KpiDefinition:
    """The definition, if the reader may see it."""
    if len(slug) > 120:
        abort(404)
    definition = db.session.scalar(select(KpiDefinition).where(KpiDefinition.slug == slug).options(
        selectinload(KpiDefinition.current_version)))
    if definition is None or not access.can_view_definition(current_user, definition):
        abort(404)
    return definition


def _form_for(action: str, definition: KpiDefinition, formdata=None):
    if action == DefinitionAction.DEPRECATE:
        return FORMS[action](formdata=formdata, replacements=review.replacement_choices(definition))
    return FORMS[action](formdata=formdata)


def _page(definition: KpiDefinition, action: str, form=None, refusal: str | None = None, status: int = 200):
    return render_page("kpi/move.html", block="move_form", status=status, definition=definition, action=action,
                       action_label=ACTION_LABELS[action], form=form, refusal=refusal,
                       definition_url=url_for("kpi.definition", slug=definition.slug),
                       needs_note=action in review.MOVES_WITH_NOTE)


def _refuse_at(form, message: str) -> None:
    """A refusal of the workflow at its field (the replacement, the note) or above the form (the status)."""
    if message == REPLACEMENT_NOT_PUBLISHED and "replacement" in form:
        form.replacement.errors = list(form.replacement.errors) + [_(message)]
    elif message in (NOTE_REQUIRED, DEPRECATION_NOTE_REQUIRED):
        form.note.errors = list(form.note.errors) + [_(message)]
    else:
        form.form_errors.append(_(message))


@bp.route("/<slug>/move/<action>", methods=["GET", "POST"])
@login_required
def move(slug: str, action: str):
    """Confirm a workflow move (with its note and, for a deprecation, the replacement) and apply it."""
    chosen = review.action_or_none(action)
    if chosen is None:
        abort(404)
    definition = definition_or_404(slug)
    permissions.require(review.may_take(current_user, definition, chosen),
                        MAY_NOT_WITHDRAW if chosen == DefinitionAction.WITHDRAW else MAY_NOT_REVIEW)
    page_url = url_for("kpi.definition", slug=definition.slug)
    if request.method == "GET":
        refusal = review.refusal_now(current_user, definition, chosen)
        if refusal:
            return _page(definition, chosen, refusal=_(refusal), status=400)
        form = _form_for(chosen, definition) if chosen in review.MOVES_WITH_NOTE else EmptyForm(formdata=None)
        return _page(definition, chosen, form=form)
    if chosen not in review.MOVES_WITH_NOTE:
        # A button (on the KPI's page or the confirmation page): a refusal comes back as a message on the KPI page.
        if not EmptyForm().validate_on_submit():
            abort(400)
        try:
            review.move_definition(definition, chosen, current_user)
        except KpiWorkflowError as refused:
            flash(_(str(refused)), "danger")
        else:
            flash(str(DONE[chosen]), "success")
        return redirect_to(page_url)
    form = _form_for(chosen, definition, formdata=request.form)
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        return _page(definition, chosen, form=form, status=422)  # htmx swaps 422, not 400 (base.html)
    try:
        review.move_definition(definition, chosen, current_user, note=form.note.data or "",
                               replacement_id=getattr(form, "replacement_id", None))
    except KpiWorkflowError as refused:
        _refuse_at(form, str(refused))
        return _page(definition_or_404(slug), chosen, form=form, status=422)
    flash(str(DONE[chosen]), "success")
    return redirect_to(page_url)


@bp.get("/review")
@login_required
def review_queue():
    """The proposals the reader reviews (facilitators, programme staff, administrators), by community/programme."""
    permissions.require(review.reviews_anything(current_user), _(review.NOT_A_REVIEWER))
    return render_page("kpi/review_queue.html", block="queue", places=review.review_queue(current_user))
