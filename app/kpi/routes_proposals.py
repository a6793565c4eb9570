"""Proposing a KPI, editing it (in place or as a new version) and its discussion (issue 16). Thin routes: parse →
permission → service (app/kpi/definitions.py) → page or redirect. What the reader may not see answers 404."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import permissions
from app.communities.services import membership_of
from app.extensions import db, limiter
from app.kpi import access, bp, definitions
from app.kpi.forms_definition import DefinitionForm, NewVersionForm, load_choices
from app.kpi.forms_discussion import CommentForm
from app.kpi.slots_proposals import discussion_context
from app.kpi.workflow import NOT_EDITABLE, DefinitionStatus
from app.models import (Community, KpiComment, KpiDefinition, KpiVersion, Membership, Programme,
                        ProgrammeParticipant, ProgrammeStaff)
from app.qa.routes_posting import user_key
from app.web import EmptyForm, redirect_to, render_page, wants_fragment

COMMENT_LIMIT = "30 per hour"
COMMENT_REASON = _l("Scrivono nella discussione le persone iscritte che vedono l'indicatore, finché non è ritirato.")
MODERATE_REASON = _l("Nascondono i messaggi gli animatori della comunità o lo staff del programma in cui "
                     "l'indicatore è stato proposto, e chi amministra la piattaforma.")


def definition_or_404(slug: str) -> KpiDefinition:
    """The definition with its current version and terms, if the reader may see it."""
    found = db.session.scalar(select(KpiDefinition).where(KpiDefinition.slug == slug).options(
        selectinload(KpiDefinition.current_version).selectinload(KpiVersion.terms),
        selectinload(KpiDefinition.community), selectinload(KpiDefinition.programme)))
    if found is None or not access.can_view_definition(current_user, found):
        abort(404)
    return found


def _refuse_at(form, refused: definitions.DefinitionRefused) -> None:
    message = _(refused.message)
    if refused.field and refused.field in form:
        form[refused.field].errors = list(form[refused.field].errors or []) + [message]
    else:
        form.form_errors.append(message)


# ---- propose -------------------------------------------------------------------------------------------------

def _place():
    """The community or programme of ?community= / ?programme= (404 when unknown or invisible)."""
    community_slug, programme_slug = request.args.get("community", ""), request.args.get("programme", "")
    if "\x00" in community_slug + programme_slug or (community_slug and programme_slug):
        abort(404)  # one place only; and no slug has a NUL (PostgreSQL refuses it)
    community = programme = membership = None
    if community_slug:
        community = db.session.scalar(select(Community).where(Community.slug == community_slug))
        membership = membership_of(community, current_user) if community is not None else None
        if community is None or not permissions.can_view_community(current_user, community, membership):
            abort(404)
    elif programme_slug:
        programme = db.session.scalar(select(Programme).where(Programme.slug == programme_slug))
        if programme is None:
            abort(404)
    return community, programme, membership


def _places_of(user) -> dict:
    """Where this person may propose: their communities, and the programmes they run or take part in."""
    if not permissions.is_member(user):
        return dict(communities=[], programmes=[])
    communities = list(db.session.scalars(select(Community).join(Membership, Membership.community_id == Community.id)
                                          .where(Membership.user_id == user.id, Membership.status == "active")
                                          .order_by(Community.name)))
    run = select(ProgrammeStaff.programme_id).where(ProgrammeStaff.user_id == user.id)
    joined = select(ProgrammeParticipant.programme_id).where(
        ProgrammeParticipant.organization_id == user.organization_id)
    programmes = list(db.session.scalars(select(Programme).where(
        Programme.id.in_(run) | Programme.id.in_(joined)).order_by(Programme.name))) \
        if user.organization_id is not None else []
    return dict(communities=communities, programmes=programmes)


def _render_proposal(form, community, programme, status: int = 200):
    return render_page("kpi/propose.html", block="definition_form", status=status, form=form,
                       community=community, programme=programme, definition=None,
                       action=url_for("kpi.propose", community=community.slug if community else None,
                                      programme=programme.slug if programme else None))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def propose():
    """A new KPI proposed in a community (?community=<slug>) or a programme (?programme=<slug>)."""
    community, programme, membership = _place()
    if community is None and programme is None:
        return render_page("kpi/propose.html", places=_places_of(current_user), form=None, community=None,
                           programme=None, definition=None)
    permissions.require(access.can_propose(current_user, community=community, programme=programme,
                                           membership=membership), _(definitions.NOT_YOURS_TO_PROPOSE))
    form = DefinitionForm(choices=load_choices())
    if request.method == "GET":
        return _render_proposal(form, community, programme)
    if form.validate_on_submit():
        try:
            created = definitions.propose(current_user, form.values(), community=community, programme=programme,
                                          membership=membership)
        except definitions.DefinitionRefused as refused:
            _refuse_at(form, refused)
        else:
            flash(_("Indicatore proposto: chi anima la comunità o lo staff del programma lo esaminerà. Potete "
                    "modificarlo finché non è pubblicato."), "success")
            return redirect_to(url_for("kpi.definition", slug=created.slug))
    return _render_proposal(form, community, programme, status=422)


# ---- edit ----------------------------------------------------------------------------------------------------

def _render_edit(form, definition, status: int = 200):
    return render_page("kpi/edit.html", block="definition_form", status=status, form=form, definition=definition,
                       new_version=isinstance(form, NewVersionForm),
                       action=url_for("kpi.edit", slug=definition.slug))


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    """Edit a proposal in place, or change a published KPI with a new version (change note, breaks the series)."""
    definition = definition_or_404(slug)
    permissions.require(definition.status not in (DefinitionStatus.DEPRECATED, DefinitionStatus.WITHDRAWN),
                        _(NOT_EDITABLE))
    permissions.require(access.can_edit_definition(current_user, definition), _(definitions.NOT_YOURS_TO_EDIT))
    new_version = definition.status == DefinitionStatus.PUBLISHED
    form = (NewVersionForm if new_version else DefinitionForm)(choices=load_choices())
    if request.method == "GET":
        form.fill_from(definition.current_version)
        return _render_edit(form, definition)
    if form.validate_on_submit():
        try:
            definitions.edit(definition, current_user, form.values(),
                             change_note=form.change_note.data if new_version else "",
                             breaks_series=form.breaks_series.data if new_version else False,
                             new_version=new_version)
        except definitions.DefinitionRefused as refused:
            _refuse_at(form, refused)
            definition = definition_or_404(slug)
        else:
            flash(_("Nuova versione pubblicata: chi ha adottato l'indicatore ne riceve l'avviso.") if new_version
                  else _("Modifiche salvate."), "success")
            return redirect_to(url_for("kpi.definition", slug=definition.slug))
    return _render_edit(form, definition, status=422)


# ---- discussion ----------------------------------------------------------------------------------------------

def _discussion_page(definition, form=None, status: int = 200, message: str | None = None):
    """The thread alone for htmx (swapped in place); a page of its own otherwise (a message to correct)."""
    context = discussion_context(definition, form=form, message=message)
    if wants_fragment():
        return render_template("kpi/_discussion.html", **context), status
    return render_template("kpi/discussion.html", **context), status


# As in the Q&A area: 30 messages an hour per account; a refused or invalid message does not use up the allowance.
comment_limit = limiter.limit(COMMENT_LIMIT, key_func=user_key, methods=["POST"],
                              deduct_when=lambda response: response.status_code < 400)


def _back_to_discussion(definition):
    return redirect(url_for("kpi.definition", slug=definition.slug) + "#discussion", code=303)


@bp.route("/<slug>/comments", methods=["POST"])
@login_required
@comment_limit
def comment(slug: str):
    """A message in a KPI's discussion (htmx: the thread comes back with it)."""
    definition = definition_or_404(slug)
    permissions.require(access.can_comment(current_user, definition), str(COMMENT_REASON))
    form = CommentForm()
    if form.validate_on_submit():
        try:
            definitions.comment(definition, current_user, form.body.data)
        except definitions.DefinitionRefused as refused:
            _refuse_at(form, refused)
        else:
            if not wants_fragment():
                flash(_("Messaggio pubblicato."), "success")
                return _back_to_discussion(definition)
            return _discussion_page(definition, message=_("Messaggio pubblicato."))
    if "csrf_token" in form.errors:
        abort(400)
    return _discussion_page(definition, form=form, status=422,
                            message=_("Il messaggio non è stato pubblicato: correggete quanto segnalato."))


@bp.route("/<slug>/comments/<int:comment_id>/hide", methods=["POST"])
@login_required
def hide_comment(slug: str, comment_id: int):
    """Hide a message of the discussion (reviewers); it stays, marked, for them."""
    definition = definition_or_404(slug)
    permissions.require(access.can_moderate_comments(current_user, definition), str(MODERATE_REASON))
    found = db.session.get(KpiComment, comment_id)
    if found is None or found.definition_id != definition.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    definitions.hide_comment(found, current_user)
    if not wants_fragment():
        flash(_("Messaggio nascosto."), "success")
        return _back_to_discussion(definition)
    return _discussion_page(definition, message=_("Messaggio nascosto."))
