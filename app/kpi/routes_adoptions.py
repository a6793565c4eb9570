"""Adopting a KPI and the adoption's page (issue 16): adopt, the adoption with its targets and values, edit,
withdraw. Thin routes: parse → permission → service (app/kpi/adoptions.py) → page or redirect. What the reader may
not know exists answers 404; what they see but may not do, 403."""
from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import permissions
from app.confirmation import confirmation_page, confirmed
from app.extensions import db
from app.kpi import access, bp
from app.kpi import adoptions as services
from app.kpi.forms_adoption import AdoptionForm, refuse_at
from app.kpi.forms_values import ValueForm
from app.kpi.values import ValueRefused
from app.kpi.workflow import DefinitionStatus, Frequency, period_example, target_met
from app.models import KpiAdoption, KpiDefinition, KpiValue, KpiVersion
from app.web import EmptyForm, redirect_to, render_page

ADOPTERS_ONLY = _l("Adottano gli indicatori pubblicati le persone di una pubblica amministrazione attiva.")
MANAGERS_ONLY = _l("Gestiscono l'adozione le persone dell'ente che l'ha adottata e chi amministra la piattaforma.")
WITHDRAWN_ADOPTION = _l("L'adozione è stata ritirata: per riprenderla adottate di nuovo l'indicatore.")
NOT_PUBLISHED = _l("Si adottano solo gli indicatori pubblicati nella libreria.")


def definition_or_404(slug: str) -> KpiDefinition:
    """The definition by its slug, if the reader may see it (with its current version and replacement)."""
    found = db.session.scalar(select(KpiDefinition).where(KpiDefinition.slug == slug).options(
        joinedload(KpiDefinition.current_version), joinedload(KpiDefinition.replaced_by)))
    if found is None or not access.can_view_definition(current_user, found):
        abort(404)
    return found


def adoption_or_404(adoption_id: int) -> KpiAdoption:
    """The adoption, if the reader may see its definition (adoptions are public once the definition is)."""
    adoption = db.session.scalar(select(KpiAdoption).where(KpiAdoption.id == adoption_id).options(
        joinedload(KpiAdoption.organization), joinedload(KpiAdoption.version),
        joinedload(KpiAdoption.definition).joinedload(KpiDefinition.current_version)))
    if adoption is None or not access.can_view_definition(current_user, adoption.definition):
        abort(404)
    return adoption


def managed_or_403(adoption_id: int) -> KpiAdoption:
    adoption = adoption_or_404(adoption_id)
    permissions.require(access.can_manage_adoption(current_user, adoption), MANAGERS_ONLY)
    return adoption


def own_adoptions(definition: KpiDefinition) -> list[KpiAdoption]:
    """The reader's organisation's adoptions of this definition (active first)."""
    if not permissions.is_member(current_user) or current_user.organization_id is None:
        return []
    return list(db.session.scalars(select(KpiAdoption).where(
        KpiAdoption.definition_id == definition.id, KpiAdoption.organization_id == current_user.organization_id)
        .order_by(KpiAdoption.active.desc(), KpiAdoption.plan_year.desc())))


# ---- adopt -----------------------------------------------------------------------------------------------------

def _render_adopt(definition, form, status=200):
    return render_page("kpi/adopt.html", block="adopt_form", status=status, definition=definition,
                       version=definition.current_version, form=form, own=own_adoptions(definition))


@bp.route("/<slug>/adopt", methods=["GET", "POST"])
@login_required
def adopt(slug: str):
    """Adopt a published KPI for a plan of the reader's administration (baseline, three targets, office)."""
    definition = definition_or_404(slug)
    if definition.status == DefinitionStatus.DEPRECATED:
        # Explain, and point at the replacement; nothing to post.
        return render_page("kpi/adopt.html", status=200 if request.method == "GET" else 403, definition=definition,
                           version=definition.current_version, form=None, own=[], deprecated=True)
    permissions.require(definition.status == DefinitionStatus.PUBLISHED, NOT_PUBLISHED)
    permissions.require(access.can_adopt(current_user, definition), ADOPTERS_ONLY)
    form = AdoptionForm(version=definition.current_version)
    if form.is_submitted():
        if not form.validate():
            if form.errors.get("csrf_token"):
                abort(400)
            return _render_adopt(definition, form, status=422)
        try:
            adoption = services.adopt(definition, current_user, form.data_for_service())
        except ValueRefused as refused:
            refuse_at(form, refused)
            return _render_adopt(definition, form, status=422)
        flash(_("Indicatore adottato: ora potete registrarne i valori."), "success")
        return redirect_to(url_for("kpi.adoption", adoption_id=adoption.id))
    return _render_adopt(definition, form)


# ---- the adoption's page ---------------------------------------------------------------------------------------

def visible_values(adoption: KpiAdoption) -> list[KpiValue]:
    """The adoption's values the reader may see (provisional ones only for its organisation), in period order."""
    query = select(KpiValue).where(KpiValue.adoption_id == adoption.id).options(
        joinedload(KpiValue.reported_by)).order_by(KpiValue.period)
    if not access.can_see_provisional(current_user, adoption.organization_id):
        query = query.where(KpiValue.status == "final")
    return list(db.session.scalars(query))


def value_rows(adoption: KpiAdoption, values: list[KpiValue]) -> list[dict]:
    """Each value with the target of its year and whether it reaches it (None: nothing to compare with)."""
    version = adoption.version
    rows = []
    for value in values:
        target = adoption.target_for(value.year)
        rows.append(dict(value=value, target=target, met=target_met(
            version.polarity, value.value, target, version.range_low, version.range_high)))
    return rows


def newer_versions(adoption: KpiAdoption) -> list[KpiVersion]:
    """The definition's versions after the one adopted (their change notes and whether they break the series)."""
    return list(db.session.scalars(select(KpiVersion).where(
        KpiVersion.definition_id == adoption.definition_id, KpiVersion.number > adoption.version.number)
        .order_by(KpiVersion.number)))


def adoption_context(adoption: KpiAdoption, value_form: ValueForm | None = None, added: KpiValue | None = None):
    """What kpi/adoption.html and its `values` block need."""
    can_write = access.can_write_values(current_user, adoption)
    if can_write and value_form is None:
        value_form = ValueForm(adoption=adoption, formdata=None)
    frequency = adoption.version.frequency or Frequency.ANNUAL
    targets = [(adoption.plan_year + offset, adoption.target_for(adoption.plan_year + offset)) for offset in (0, 1, 2)]
    return dict(adoption=adoption, definition=adoption.definition, version=adoption.version,
                rows=value_rows(adoption, visible_values(adoption)), targets=targets,
                newer=newer_versions(adoption), can_write=can_write,
                can_manage=access.can_manage_adoption(current_user, adoption),
                sees_provisional=access.can_see_provisional(current_user, adoption.organization_id),
                shows_people=permissions.is_member(current_user),
                value_form=value_form, period_example=period_example(frequency), added=added,
                row_form=EmptyForm(formdata=None))


@bp.get("/adoptions/<int:adoption_id>")
def adoption(adoption_id: int):
    """An adoption: version, baseline, targets, the values against their targets, the value form."""
    found = adoption_or_404(adoption_id)
    return render_page("kpi/adoption.html", block="values", **adoption_context(found))


# ---- edit and withdraw -----------------------------------------------------------------------------------------

def _render_edit(adoption, form, status=200):
    return render_page("kpi/edit_adoption.html", block="edit_form", status=status, adoption=adoption,
                       definition=adoption.definition, form=form, newer=newer_versions(adoption))


@bp.route("/adoptions/<int:adoption_id>/edit", methods=["GET", "POST"])
@login_required
def edit_adoption(adoption_id: int):
    """Change an adoption's plan, baseline, targets, office, notes, open data (or move to the current version)."""
    found = managed_or_403(adoption_id)
    permissions.require(found.active, WITHDRAWN_ADOPTION)
    upgrading = False
    form = AdoptionForm(version=found.version)
    if form.is_submitted():
        upgrading = bool(form.upgrade_version.data) and found.version_id != found.definition.current_version_id
        form.version = found.definition.current_version if upgrading else found.version
        if not form.validate():
            if form.errors.get("csrf_token"):
                abort(400)
            return _render_edit(found, form, status=422)
        try:
            services.edit(found, current_user, form.data_for_service(), upgrade_version=upgrading)
        except ValueRefused as refused:
            refuse_at(form, refused)
            return _render_edit(adoption_or_404(adoption_id), form, status=422)
        flash(_("Adozione aggiornata."), "success")
        return redirect_to(url_for("kpi.adoption", adoption_id=adoption_id))
    form.fill_from(found)
    return _render_edit(found, form)


@bp.post("/adoptions/<int:adoption_id>/withdraw")
@login_required
def withdraw_adoption(adoption_id: int):
    """Stop following the KPI: the adoption and its values stay, out of the counts and comparisons."""
    found = managed_or_403(adoption_id)
    form = EmptyForm()
    if not form.validate():
        abort(400)
    if not confirmed():
        return confirmation_page(
            _("Ritirare l'adozione di «%(name)s»?", name=found.definition.name), _("Ritira l'adozione"),
            url_for("kpi.adoption", adoption_id=adoption_id),
            _("I valori registrati restano, ma non se ne aggiungono altri e l'ente non figura più tra chi adotta "
              "l'indicatore."))
    try:
        services.withdraw(found, current_user)
    except ValueRefused as refused:
        from app.kpi.values import error_text

        flash(error_text(refused), "warning")
        return redirect_to(url_for("kpi.adoption", adoption_id=adoption_id))
    flash(_("Adozione ritirata."), "success")
    return redirect_to(url_for("kpi.adoption", adoption_id=adoption_id))
