"""Organisation pages."""
from __future__ import annotations

from flask import abort, current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from app import permissions
from app.extensions import db
from app.models import AffiliationStatus, Organization, User
from app.organizations import bp, finder, services
from app.organizations.forms import DirectoryFilterForm, OrganizationProfileForm, PersonActionForm
from app.organizations.services import DirectoryFilters, PeopleRuleError
from app.web import redirect_to, render_page


def _organization_or_404(slug: str) -> Organization:
    organization = db.session.execute(select(Organization).where(Organization.slug == slug)).scalar_one_or_none()
    if organization is None or not permissions.can_view_organization(current_user, organization):
        abort(404)  # a pending organisation does not exist for those who may not see it
    return organization


@bp.route("/")
def directory():
    """Directory of organisations with filters; htmx gets only the results."""
    form = DirectoryFilterForm(request.args)
    filters = DirectoryFilters(
        q=(form.q.data or "").strip()[:100], kind=form.kind.data or "", region=form.region.data or ""
    )
    page = db.paginate(services.directory_query(filters), per_page=current_app.config["ORGANIZATIONS_PER_PAGE"],
                       max_per_page=100, error_out=False)
    return render_page("organizations/directory.html", block="results", form=form, page=page, filters=filters)


@bp.route("/choices")
def choices():
    """The registration form's search results by name, city or IPA code (htmx, as people type); at most 50."""
    found = finder.find(request.args.get("organization_search") or "", selected=request.args.get("organization"))
    return render_page("organizations/_choices.html", block="results", found=found, oob=True)


@bp.route("/<slug>")
def profile(slug: str):
    """An organisation's public profile; its people for signed-in members."""
    organization = _organization_or_404(slug)
    people = []
    if permissions.can_view_people(current_user, organization):
        people = services.people_of(organization, (AffiliationStatus.ACTIVE,))
    from app.reuse import figures
    from app.reuse.services import organization_reuse

    reuse = organization_reuse(organization, current_user)
    return render_page("organizations/profile.html", organization=organization, people=people, reuse=reuse,
                       figures=figures.donor_figures(organization.id, only=[p.id for p in reuse.gives]) if reuse.gives else None,
                       duration=figures.duration_parts)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    """Edit the profile (referents and administrators)."""
    organization = _organization_or_404(slug)
    permissions.require(permissions.can_manage_organization(current_user, organization))
    identity = permissions.is_admin(current_user)
    form = OrganizationProfileForm(obj=None, organization_id=organization.id)
    if request.method == "POST" and not identity:
        # Referents cannot change who the organisation is: the verified values are kept whatever was sent.
        form.name.data, form.kind.data, form.pa_kind.data = organization.name, organization.kind, organization.pa_kind
        form.ipa_code.data, form.region.data = organization.ipa_code, organization.region_code
        form.province.data = organization.province_code
    if request.method == "GET":
        form.name.data, form.kind.data, form.pa_kind.data = organization.name, organization.kind, organization.pa_kind
        form.ipa_code.data, form.region.data = organization.ipa_code, organization.region_code
        form.province.data, form.website.data = organization.province_code, organization.website
        form.email.data, form.description.data = organization.email, organization.description
    if form.validate_on_submit():
        services.update_profile(organization, form, identity=identity)
        flash(_("Profilo dell'ente aggiornato."), "success")
        return redirect_to(url_for("organizations.profile", slug=organization.slug))
    return render_page("organizations/edit.html", block="form", form=form, organization=organization,
                       identity=identity, status=422 if form.is_submitted() else 200)


@bp.route("/<slug>/people")
@login_required
def people(slug: str):
    """Manage the organisation's people: pending requests and active members."""
    organization = _organization_or_404(slug)
    permissions.require(permissions.can_manage_organization(current_user, organization))
    return _people_page(organization)


def _people_page(organization: Organization, status: int = 200):
    pending = services.people_of(organization, (AffiliationStatus.PENDING,))
    active = services.people_of(organization, (AffiliationStatus.ACTIVE,))
    return render_page("organizations/people.html", block="people", organization=organization,
                       pending=pending, active=active, action_form=PersonActionForm(), status=status)


PERSON_ACTIONS = {
    "approve": (lambda person: services.approve_person(person, current_user), _l("%(name)s è ora membro dell'ente.")),
    "reject": (lambda person: services.reject_person(person, current_user), _l("Richiesta di %(name)s respinta.")),
    "remove": (lambda person: services.remove_person(person, current_user), _l("%(name)s non fa più parte dell'ente.")),
    "make-referent": (lambda person: services.set_referent(person, True), _l("%(name)s ora è referente dell'ente.")),
    "revoke-referent": (lambda person: services.set_referent(person, False),
                        _l("%(name)s non è più referente dell'ente.")),
}


@bp.route("/<slug>/people/<int:user_id>/<action>", methods=["POST"])
@login_required
def person_action(slug: str, user_id: int, action: str):
    """Approve, reject, remove, make or revoke referent; htmx swaps the people panel in place."""
    organization = _organization_or_404(slug)
    permissions.require(permissions.can_manage_organization(current_user, organization))
    if action not in PERSON_ACTIONS:
        abort(404)
    person = db.session.get(User, user_id)
    if person is None or person.organization_id != organization.id:
        abort(404)
    form = PersonActionForm()
    if not form.validate_on_submit():
        abort(400)
    operation, message = PERSON_ACTIONS[action]
    try:
        operation(person)
    except PeopleRuleError as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        flash(str(message) % {"name": person.full_name}, "success")
    if not permissions.can_manage_organization(current_user, organization):
        # Whoever removed or demoted themself may no longer see this panel.
        return redirect_to(url_for("organizations.profile", slug=organization.slug))
    if request.htmx:
        # The panel carries the flash messages, so the outcome is announced where the person clicked.
        return _people_page(organization)
    return redirect_to(url_for("organizations.people", slug=organization.slug))
