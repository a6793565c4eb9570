"""Practice pages: thin — parse, check permission, call a service, render."""
from __future__ import annotations

from flask import abort, current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from app import permissions
from app.activity.services import visible_communities_clause
from app.communities import services as community_services
from app.communities.workflow import Status
from app.extensions import db
from app.models import KIT_SECTIONS, Attachment, Community, Membership
from app.practices import bp, services
from app.practices.forms import (ArchiveFilterForm, AttachmentForm, KitForm, MaintenanceForm, PracticeForm,
                                 ImportForm, PublishKitForm)
from app.practices.services import AttachmentError, KitError
from app.practices.workflow import N_, PracticeAction, PracticeWorkflowError
from app.web import EmptyForm, redirect_to, render_page

TABS = ("overview", "kit", "versions", "deployments", "discussion")


def _practice_or_404(slug: str):
    """The practice and the reader's membership of its community; what may not be seen is a 404."""
    practice = services.by_slug(slug)
    if practice is None:
        abort(404)
    membership = community_services.membership_of(practice.community, current_user)
    if not permissions.can_view_practice(current_user, practice, membership):
        abort(404)
    return practice, membership


def _editable_practice(slug: str):
    """The practice, when the reader may see it (else 404) and change what it states (else 403, saying who may)."""
    practice, _membership = _practice_or_404(slug)
    permissions.require(permissions.can_edit_practice(current_user, practice),
                        permissions.why_not_publish(current_user, practice))
    return practice


def _kit_writable(slug: str):
    """The practice, when the reader may see it (else 404) and write its kit's working version (else 403)."""
    practice, _membership = _practice_or_404(slug)
    permissions.require(permissions.can_write_kit(current_user, practice),
                        permissions.why_not_publish(current_user, practice))
    return practice


def _invited(practice) -> list:
    """Organisations asked to be co-donors that have not answered: shown to the donor team only."""
    from app.practices.codonors import pending_organizations

    return pending_organizations(practice) if permissions.is_donor_team(current_user, practice) else []


def _my_communities() -> list[Community]:
    """Communities where the person may document a practice: those they are active in (all, for admins)."""
    query = select(Community).order_by(Community.name)
    if not current_user.is_admin:
        query = query.where(Community.id.in_(select(Membership.community_id).where(
            Membership.user_id == current_user.id, Membership.status == Status.ACTIVE)))
    return list(db.session.execute(query).scalars())


@bp.route("/")
def archive():
    """The archive of good practices, with filters and sorting; htmx gets only the results."""
    form = ArchiveFilterForm(request.args)
    visible = db.session.execute(select(Community).where(
        visible_communities_clause(current_user)).order_by(Community.name)).scalars().all()
    form.community.choices = [("", _("Tutte le comunità"))] + [(c.slug, c.name) for c in visible]
    form.licence.choices = [("", _("Tutte le licenze"))] + [(x, x) for x in services.licences_in_use(current_user)]
    filters = services.ArchiveFilters(
        q=(form.q.data or "").strip()[:100], community=form.community.data or "", theme=form.theme.data or "",
        mission=form.mission.data or "", region=form.region.data or "", donor_kind=form.donor_kind.data or "",
        licence=form.licence.data or "",
        completeness=int(form.completeness.data) if form.completeness.data in ("50", "80", "100") else 0,
        status=form.status.data if form.status.data in ("published", "archived", "draft", "all") else "published",
        origin=form.origin.data if form.origin.data in services.ORIGINS else "",
        recognised="1" if form.recognised.data == "1" else "",
        sort=form.sort.data if form.sort.data in services.SORTS else "documented")
    page = db.paginate(services.archive_query(filters, current_user),
                       per_page=current_app.config["PRACTICES_PER_PAGE"], max_per_page=100, error_out=False)
    return render_page("practices/archive.html", block="results", form=form, page=page)


@bp.route("/mine")
@login_required
def mine():
    """The practices of my organisation, in every state."""
    permissions.require(permissions.is_member(current_user) and current_user.organization_id is not None,
                        _("Questa pagina elenca le pratiche del tuo ente: il tuo profilo non è legato a un ente."))
    from app.practices.codonors import pending_for

    return render_page("practices/mine.html", practices=services.my_practices(current_user),
                       invitations=pending_for(current_user._get_current_object()))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Document a new practice of my organisation (it starts as a draft)."""
    permissions.require(permissions.can_create_practice(current_user))
    communities = _my_communities()
    form = PracticeForm(communities=communities, donor_id=current_user.organization_id,
                        choose_donor=current_user.organization_id is None,
                        fixed_co_donor_ids=None if permissions.can_act_for(current_user, current_user.organization_id)
                        else set())
    if form.validate_on_submit():
        practice, created = services.create_practice(form, current_user)
        if created:
            flash(_("Bozza creata: ora scrivi il KIT di riuso."), "success")
        return redirect_to(url_for("practices.edit_kit", slug=practice.slug))
    return render_page("practices/form.html", block="form", form=form, practice=None, communities=communities,
                       status=422 if form.is_submitted() else 200)


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_publiccode():
    """Create or update a software practice of my organisation from a publiccode.yml (errors change nothing)."""
    from app.practices.importer import import_publiccode as run_import

    permissions.require(permissions.can_create_practice(current_user))
    communities = _my_communities()
    form = ImportForm(communities=communities, choose_donor=current_user.organization_id is None)
    outcome = None
    if form.validate_on_submit() and (text := form.yaml_text()) is not None:
        community = db.session.get(Community, int(form.community.data))
        outcome = run_import(text, community, donor=form.donor_organization or current_user.organization,
                             author_id=current_user.id, publish=False, editor=current_user)
        if outcome.status == "rejected":
            db.session.rollback()
        else:
            flash(_("Pratica importata come bozza: controllala e pubblicala.") if outcome.status == "imported"
                  else _("Pratica aggiornata dal publiccode.yml."), "success")
            for warning in outcome.warnings:
                flash(_("Avviso — %(path)s: %(message)s", path=warning.path, message=warning.message), "warning")
            return redirect_to(url_for("practices.show", slug=outcome.practice.slug))
    return render_page("practices/import.html", block="form", form=form, outcome=outcome,
                       status=422 if form.is_submitted() else 200)


@bp.route("/<slug>/publiccode.yml")
def export_publiccode(slug: str):
    """The practice's publiccode.yml, for the national reuse catalogue."""
    from flask import Response

    from app.practices.importer import export_publiccode as export
    from app.reuse.services import confirmed_adopter_names

    practice, _membership = _practice_or_404(slug)
    if practice.kind != "software":
        abort(404)
    response = Response(export(practice, used_by=confirmed_adopter_names(practice)), mimetype="text/plain")
    response.headers["Content-Type"] = "text/plain; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="publiccode-{practice.slug}.yml"'
    return response


@bp.route("/<slug>")
def show(slug: str):
    """A practice with its tabs; htmx loads one tab, the full page shows the chosen one."""
    practice, membership = _practice_or_404(slug)
    tab = request.args.get("tab", "overview")
    if tab not in TABS:
        abort(404)
    versions = services.published_versions(practice)
    context = dict(practice=practice, membership=membership, tab=tab, versions=versions, form=EmptyForm(),
                   stale=services.is_stale(practice), stale_days=current_app.config["KIT_STALE_DAYS"],
                   sections=KIT_SECTIONS,
                   roles=services.roles_of(current_user, practice, membership),
                   can_edit=permissions.can_edit_practice(current_user, practice),
                   can_write_kit=permissions.can_write_kit(current_user, practice),
                   invited_co_donors=_invited(practice))
    if tab in ("overview", "deployments"):
        from app.reuse.routes import practice_context

        context.update(practice_context(practice, current_user))
    if tab == "kit":
        context["log"] = services.maintenance_log(practice, current_user)
        context["maintenance_form"] = MaintenanceForm()
    return render_page("practices/show.html", block="tab" if request.args.get("tab") else None, **context)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    """Edit the practice's description (donor team and administrators)."""
    practice = _editable_practice(slug)
    communities = _my_communities()
    if practice.community not in communities:
        communities.append(practice.community)
    from app.practices.codonors import pending_organizations

    named_co_donors = [*practice.co_donors, *pending_organizations(practice)]
    form = PracticeForm(obj=practice if request.method == "GET" else None, communities=communities,
                        donor_id=practice.donor_id,
                        fixed_co_donor_ids=None if permissions.can_act_for(current_user, practice.donor_id)
                        else {o.id for o in named_co_donors})
    if request.method == "GET":
        form.community.data = str(practice.community_id)
        form.region.data = practice.region_code
        form.tags.data = ", ".join(t.name for t in practice.tags)
        form.co_donors.data = ", ".join(o.ipa_code for o in named_co_donors if o.ipa_code)
    if form.validate_on_submit():
        services.update_practice(practice, form, current_user)
        flash(_("Pratica aggiornata."), "success")
        return redirect_to(url_for("practices.show", slug=practice.slug))
    return render_page("practices/form.html", block="form", form=form, practice=practice, communities=communities,
                       status=422 if form.is_submitted() else 200)


STATUS_MESSAGES = {
    PracticeAction.PUBLISH: N_("Pratica pubblicata."),
    PracticeAction.ARCHIVE: N_("Pratica archiviata: resta consultabile, segnata come archiviata."),
    PracticeAction.RESTORE: N_("Pratica ripristinata."),
    PracticeAction.UNPUBLISH: N_("Pratica riportata in bozza."),
}


@bp.route("/<slug>/status/<action>", methods=["POST"])
@login_required
def change_status(slug: str, action: str):
    """Publish, archive, restore or take back to draft."""
    practice, membership = _practice_or_404(slug)
    try:
        chosen = PracticeAction(action)
    except ValueError:
        abort(404)
    roles = services.roles_of(current_user, practice, membership)
    permissions.require(bool(roles), permissions.why_not_publish(current_user, practice))
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.change_status(practice, chosen, current_user, roles, reason=request.form.get("reason", "")[:1000])
    except (PracticeWorkflowError, services.ModerationError) as error:
        db.session.rollback()
        flash(_(str(error)), "danger")
    else:
        flash(_(STATUS_MESSAGES[chosen]), "success")
    if not permissions.can_view_practice(current_user, practice, membership):
        return redirect_to(url_for("practices.archive"))
    return redirect_to(url_for("practices.show", slug=practice.slug))


@bp.route("/<slug>/kit/edit", methods=["GET", "POST"])
@login_required
def edit_kit(slug: str):
    """Write the kit's working version; publishing it is a separate step."""
    practice = _kit_writable(slug)
    draft = services.draft_version(practice)
    latest = None if draft else next(iter(services.published_versions(practice)), None)
    form = KitForm() if request.method == "POST" else _kit_form(practice, draft, latest)
    if form.validate_on_submit():
        draft = services.save_draft(practice, form, current_user)
        flash(_("Bozza del KIT salvata (versione %(label)s, non ancora pubblicata).", label=draft.label), "success")
        return redirect_to(url_for("practices.edit_kit", slug=practice.slug))
    publish_form = PublishKitForm(label=draft.label if draft else services.suggest_next_label(
        latest.label if latest else None))
    return render_page("practices/kit_edit.html", block="form", form=form, practice=practice, draft=draft,
                       publish_form=publish_form, attachment_form=AttachmentForm(), upload_errors=[],
                       sections=KIT_SECTIONS, status=422 if form.is_submitted() else 200)


def _kit_form(practice, draft, latest=None) -> KitForm:
    """The kit editor filled with the working version, or the latest published one (no-JS pages re-render it)."""
    form = KitForm(formdata=None)
    if draft is None:
        latest = latest or next(iter(services.published_versions(practice)), None)
        bodies = latest.section_bodies() if latest else {}
    else:
        bodies = draft.section_bodies()
    for key in KIT_SECTIONS:
        getattr(form, f"section_{key}").data = bodies.get(key, "")
    return form


@bp.route("/<slug>/kit/publish", methods=["POST"])
@login_required
def publish_kit(slug: str):
    """Publish the kit's working version under a label, with its changelog."""
    practice = _editable_practice(slug)
    form = PublishKitForm()
    if form.validate_on_submit():
        try:
            version = services.publish_kit(practice, form.label.data.strip(), form.changelog.data.strip(),
                                           current_user)
        except KitError as error:
            db.session.rollback()
            form.label.errors.append(_(str(error)))
        else:
            flash(_("Versione %(label)s del KIT pubblicata.", label=version.label), "success")
            return redirect_to(url_for("practices.show", slug=practice.slug, tab="versions"))
    draft = services.draft_version(practice)
    return render_page("practices/kit_edit.html", block="publish", form=_kit_form(practice, draft), practice=practice,
                       draft=draft, publish_form=form, attachment_form=AttachmentForm(),
                       upload_errors=[], sections=KIT_SECTIONS, status=422)


@bp.route("/<slug>/kit/maintenance", methods=["POST"])
@login_required
def maintenance(slug: str):
    """Add an entry to the kit's maintenance log."""
    practice = _editable_practice(slug)
    form = MaintenanceForm()
    if form.validate_on_submit():
        services.add_maintenance_note(practice, form.note.data, current_user)
        flash(_("Aggiornamento registrato."), "success")
    else:
        flash(" ".join(str(e) for e in form.note.errors), "danger")
    return redirect_to(url_for("practices.show", slug=practice.slug, tab="kit"))


@bp.route("/<slug>/versions/<label>")
def version(slug: str, label: str):
    """One published version of the kit, as it was published."""
    practice, membership = _practice_or_404(slug)
    found = services.version_by_label(practice, label)
    if found is None:
        abort(404)
    return render_page("practices/version.html", practice=practice, version=found, sections=KIT_SECTIONS)


@bp.route("/<slug>/compare")
def compare(slug: str):
    """What changed between two published versions, section by section."""
    practice, membership = _practice_or_404(slug)
    versions = services.published_versions(practice)
    labels = [v.label for v in versions]
    older_label = request.args.get("from") or (labels[1] if len(labels) > 1 else None)
    newer_label = request.args.get("to") or (labels[0] if labels else None)
    older = services.version_by_label(practice, older_label) if older_label else None
    newer = services.version_by_label(practice, newer_label) if newer_label else None
    if (request.args.get("from") and older is None) or (request.args.get("to") and newer is None):
        abort(404)
    diff = services.compare(older, newer) if older and newer else []
    return render_page("practices/compare.html", block="diff", practice=practice, versions=versions,
                       older=older, newer=newer, diff=diff)


@bp.route("/<slug>/kit/attachments", methods=["POST"])
@login_required
def upload(slug: str):
    """Add documents to a kit section (all of them, or none when one is refused)."""
    practice = _kit_writable(slug)
    form = AttachmentForm()
    stored, rejected = [], []
    if form.validate_on_submit():
        stored, rejected = services.add_attachments(practice, form.section.data, form.files.data, current_user)
    messages = [_("«%(name)s»: %(reason)s", name=r.filename, reason=_(r.msgid, **r.params)) for r in rejected]
    if stored:
        flash(ngettext("%(num)d documento caricato.", "%(num)d documenti caricati.", len(stored)), "success")
    status = 200 if stored else 422
    draft = services.draft_version(practice)
    return render_page("practices/kit_edit.html", block="attachments", form=_kit_form(practice, draft),
                       practice=practice, draft=draft, attachment_form=form, sections=KIT_SECTIONS,
                       upload_errors=messages, publish_form=PublishKitForm(), status=status)


@bp.route("/<slug>/kit/attachments/<int:attachment_id>/delete", methods=["POST"])
@login_required
def delete_attachment(slug: str, attachment_id: int):
    """Remove a document from the kit's working version."""
    practice = _kit_writable(slug)
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.version.practice_id != practice.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.remove_attachment(practice, attachment)
    except AttachmentError as error:
        flash(_(str(error)), "danger")
    else:
        flash(_("Documento tolto dalla bozza."), "success")
    return redirect_to(url_for("practices.edit_kit", slug=practice.slug))


@bp.route("/<slug>/attachments/<int:attachment_id>")
def download(slug: str, attachment_id: int):
    """Download a document with a safe content type, always as an attachment."""
    from app.uploads import send_stored

    practice, _membership = _practice_or_404(slug)
    attachment = db.session.get(Attachment, attachment_id)
    if (attachment is None or attachment.version.practice_id != practice.id
            or not services.can_download(current_user, practice, attachment)):
        abort(404)
    return send_stored(current_app.config["UPLOAD_FOLDER"], attachment)


from app.practices import codonor_routes as _codonor_routes  # noqa: E402,F401  (its routes join bp)
