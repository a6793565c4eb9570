"""A practice declares the KPIs it improves (issue 16, point 7): the declaration page (a published KPI and the
evidence) and taking a declaration back. Who may not see the practice gets 404; who sees it but does not write it
(its donors' referents, administrators) 403."""
from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from app import permissions
from app.calls.core import CallsError
from app.communities import services as community_services
from app.extensions import db
from app.kpi import access, bp
from app.kpi import links as services
from app.kpi import slots_links  # noqa: F401  (fills the practice.kpis and kpi.definition.practices slots)
from app.kpi.forms_links import LinkPracticeForm
from app.models import KpiDefinition, KpiPracticeLink
from app.practices import services as practice_services
from app.web import EmptyForm, redirect_to, render_page

MAY_NOT_LINK = _l("Dichiarano gli indicatori di una pratica pubblicata i referenti degli enti che la cedono e chi "
                  "amministra la piattaforma.")


def practice_or_404(slug: str):
    """The practice, if the reader may see it."""
    if len(slug) > 120:
        abort(404)
    practice = practice_services.by_slug(slug)
    if practice is None:
        abort(404)
    membership = community_services.membership_of(practice.community, current_user)
    if not permissions.can_view_practice(current_user, practice, membership):
        abort(404)
    return practice


def _practice_url(practice) -> str:
    return url_for("practices.show", slug=practice.slug, _anchor="practice-kpis")


def _page(practice, form, status: int = 200):
    return render_page("kpi/link_practice.html", block="link_form", status=status, practice=practice, form=form,
                       links=services.practice_links(practice, current_user), remove_form=EmptyForm(formdata=None),
                       practice_url=_practice_url(practice))


def _preselected(practice, choices) -> str:
    """?kpi=<slug> from a KPI's page: that KPI chosen, when it is one of the choices."""
    slug = request.args.get("kpi", "")
    if not slug or len(slug) > 120 or "\x00" in slug:
        return ""
    found = db.session.scalar(select(KpiDefinition.id).where(KpiDefinition.slug == slug))
    return str(found) if found is not None and any(each_id == found for each_id, _label in choices) else ""


@bp.route("/practice/<practice_slug>/link", methods=["GET", "POST"])
@login_required
def link_practice(practice_slug: str):
    """Declare that the practice improves a published KPI, with the evidence."""
    practice = practice_or_404(practice_slug)
    permissions.require(practice.status == "published" and access.can_link_practice(current_user, practice),
                        MAY_NOT_LINK)
    choices = services.linkable_choices(practice)
    if request.method == "GET":
        form = LinkPracticeForm(formdata=None, choices=choices)
        form.definition.data = _preselected(practice, choices)
        return _page(practice, form)
    form = LinkPracticeForm(choices=choices)
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        return _page(practice, form, status=422)
    try:
        services.link_practice(practice, form.definition_id, form.evidence.data, current_user)
    except CallsError as error:
        message = _(error.message, **error.params)
        target = form[error.field] if error.field and error.field in form else None
        if target is not None:
            target.errors = list(target.errors) + [message]
        else:
            form.form_errors.append(message)
        return _page(practice_or_404(practice_slug), form, status=422)
    flash(_("Indicatore dichiarato: compare sulla pagina della pratica e su quella dell'indicatore."), "success")
    return redirect_to(_practice_url(practice))


@bp.route("/practice/<practice_slug>/unlink/<int:link_id>", methods=["POST"])
@login_required
def unlink_practice(practice_slug: str, link_id: int):
    """Take back a practice's declaration of a KPI."""
    practice = practice_or_404(practice_slug)
    permissions.require(access.can_link_practice(current_user, practice), MAY_NOT_LINK)
    link = db.session.get(KpiPracticeLink, link_id)
    if link is None or link.practice_id != practice.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.unlink_practice(link)
    flash(_("La pratica non dichiara più questo indicatore."), "success")
    return redirect_to(_practice_url(practice))
