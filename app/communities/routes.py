"""Community pages: thin — parse, check permission, call a service, render."""
from __future__ import annotations

from flask import abort, current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import permissions
from app.activity import services as activity
from app.communities import bp, services
from app.communities.forms import (CommunityForm, DirectoryFilterForm, InviteForm, JoinRequestForm, MemberFilterForm,
                                   NewCommunityForm, RejectForm)
from app.communities.services import InvitationError
from app.communities.workflow import N_, Action, WorkflowError
from app.confirmation import confirmation_page, confirmed
from app.extensions import db, limiter
from app.models import Membership, User
from app.web import EmptyForm, redirect_to, render_page


def community_or_404(slug: str):
    """The community and the reader's membership; a private one is a 404 for those who may not see it."""
    community = services.by_slug(slug)
    if community is None:
        abort(404)
    membership = services.membership_of(community, current_user)
    if not permissions.can_view_community(current_user, community, membership):
        abort(404)
    return community, membership


def _require_manager(community, membership) -> None:
    permissions.require(permissions.can_manage_community(current_user, community, membership))


@bp.route("/")
def directory():
    """Directory of communities with filters; htmx gets only the results."""
    form = DirectoryFilterForm(request.args)
    filters = services.DirectoryFilters(q=(form.q.data or "").strip()[:100], theme=form.theme.data or "",
                                        region=form.region.data or "", mine=bool(form.mine.data))
    page = db.paginate(services.directory_query(filters, current_user),
                       per_page=current_app.config["COMMUNITIES_PER_PAGE"], max_per_page=100, error_out=False)
    ids = [community.id for community in page.items]
    return render_page("communities/directory.html", block="results", form=form, page=page,
                       mine=services.my_statuses(current_user, ids), counts=services.member_counts(ids),
                       practices=services.practice_counts(ids))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Create a community and appoint its first facilitators (administrators)."""
    permissions.require(permissions.can_create_community(current_user))
    form = NewCommunityForm()
    if form.validate_on_submit():
        community = services.create_community(form, current_user, form.facilitator_users)
        flash(_("Comunità creata."), "success")
        return redirect_to(url_for("communities.home", slug=community.slug))
    return render_page("communities/new.html", block="form", form=form, status=422 if form.is_submitted() else 200)


@bp.route("/<slug>")
def home(slug: str):
    """Community home: description, facilitators, membership button, latest activity."""
    return _home_page(slug)


def _home_page(slug: str, status: int = 200, request_form=None):
    community, membership = community_or_404(slug)
    feed = db.paginate(activity.community_feed(community), per_page=current_app.config["FEED_PER_PAGE"],
                       max_per_page=100, error_out=False)
    return render_page("communities/home.html", block=_home_block(), community=community, membership=membership,
                       facilitators=services.facilitators(community), members=services.count_active(community),
                       practices=services.practice_counts([community.id]).get(community.id, 0),
                       feed=feed, form=EmptyForm(), request_form=request_form or JoinRequestForm(formdata=None),
                       pending=services.pending_count(community)
                       if permissions.can_manage_community(current_user, community, membership) else 0,
                       status=status)


def _home_block() -> str:
    # The activity list paginates in place; everything else asks for the whole page.
    return "feed" if request.args.get("page") else None


SELF_ACTIONS = {"join": Action.JOIN, "request": Action.REQUEST, "withdraw": Action.WITHDRAW, "leave": Action.LEAVE}
SELF_MESSAGES = {
    Action.JOIN: N_("Ti diamo il benvenuto nella comunità!"),
    Action.REQUEST: N_("Richiesta inviata: un animatore la esaminerà presto."),
    Action.WITHDRAW: N_("Richiesta ritirata."),
    Action.LEAVE: N_("Hai lasciato la comunità."),
}


def _list_args():
    """The list's filters and page: the query string, or after an htmx action the page the person was on."""
    if request.method == "POST" and request.htmx and request.htmx.current_url:
        from urllib.parse import parse_qsl, urlsplit

        from werkzeug.datastructures import MultiDict

        return MultiDict(parse_qsl(urlsplit(request.htmx.current_url).query))
    return request.args


def _current_user_key() -> str:
    return f"user:{current_user.get_id()}" if current_user.is_authenticated else request.remote_addr or ""


@bp.route("/<slug>/membership/<action>", methods=["POST"])
@login_required
@limiter.limit("30 per hour", methods=["POST"], key_func=_current_user_key)
def membership(slug: str, action: str):
    """Join, request, withdraw or leave; htmx swaps the membership box in place."""
    community, own = community_or_404(slug)
    if action not in SELF_ACTIONS:
        abort(404)
    permissions.require(permissions.is_member(current_user))
    form = JoinRequestForm() if action == "request" else EmptyForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors or action != "request":
            abort(400)
        return _membership_box(community, own, status=422, request_form=form)  # the message, too long, kept
    if action == "leave" and own is not None and own.is_active and not confirmed():
        return confirmation_page(_("Vuoi davvero lasciare la comunità %(name)s?", name=community.name),
                                 _("Sì, lascia la comunità"), url_for("communities.home", slug=community.slug))
    try:
        own = services.change_membership(community, current_user, SELF_ACTIONS[action], current_user,
                                         membership=own,
                                         request_message=form.message.data if action == "request" else None)
    except WorkflowError as error:
        db.session.rollback()
        own = services.membership_of(community, current_user)
        flash(_(str(error)), "danger")
    else:
        flash(_(SELF_MESSAGES[SELF_ACTIONS[action]]), "success")
    if not permissions.can_view_community(current_user, community, own):
        return redirect_to(url_for("communities.directory"))  # left a private community: nothing to show here
    if request.htmx:
        return _membership_box(community, own)
    return redirect_to(url_for("communities.home", slug=community.slug))


def _membership_box(community, own, status: int = 200, request_form=None):
    """The membership box for htmx (with the member count, which changes with it), or the whole page without."""
    if not request.htmx:
        return _home_page(community.slug, status=status, request_form=request_form)
    return render_page("communities/home.html", block="membership", community=community, membership=own,
                       form=EmptyForm(), request_form=request_form or JoinRequestForm(formdata=None),
                       members=services.count_active(community), status=status)


@bp.route("/<slug>/members")
@login_required
def members(slug: str):
    """Active members with organisation, role and joined date; filters and pagination."""
    community, membership = community_or_404(slug)
    permissions.require(permissions.can_view_members(current_user, community, membership))
    args = _list_args()
    form = MemberFilterForm(args)
    filters = services.MemberFilters(org_kind=form.org_kind.data or "", region=form.region.data or "")
    page = db.paginate(services.members_query(community, filters), page=args.get("page", 1, type=int),
                       per_page=current_app.config["MEMBERS_PER_PAGE"], max_per_page=100, error_out=False)
    return render_page("communities/members.html", block="results", community=community, membership=membership,
                       form=form, page=page, action_form=EmptyForm(), pagination_args={"slug": community.slug},
                       query=args.to_dict(),
                       can_manage=permissions.can_manage_community(current_user, community, membership))


MANAGER_ACTIONS = {"remove": Action.REMOVE, "promote": Action.PROMOTE, "demote": Action.DEMOTE,
                   "approve": Action.APPROVE, "reject": Action.REJECT}
MANAGER_MESSAGES = {
    Action.REMOVE: N_("%(name)s non fa più parte della comunità."),
    Action.PROMOTE: N_("%(name)s ora anima la comunità."),
    Action.DEMOTE: N_("%(name)s non anima più la comunità."),
    Action.APPROVE: N_("%(name)s ora fa parte della comunità."),
    Action.REJECT: N_("Richiesta di %(name)s respinta."),
}


@bp.route("/<slug>/memberships/<int:membership_id>/<action>", methods=["POST"])
@login_required
def manage_membership(slug: str, membership_id: int, action: str):
    """A facilitator approves, rejects, removes, promotes or demotes; htmx re-renders the panel it came from."""
    community, own = community_or_404(slug)
    _require_manager(community, own)
    if action not in MANAGER_ACTIONS:
        abort(404)
    target = db.session.get(Membership, membership_id)
    if target is None or target.community_id != community.id:
        abort(404)
    form = RejectForm()
    back = request.form.get("back") if request.form.get("back") in ("requests", "members") else "members"
    if action == "remove" and form.validate_on_submit() and not confirmed():
        return confirmation_page(_("Rimuovere %(name)s dalla comunità?", name=target.user.full_name),
                                 _("Sì, rimuovi"), url_for(f"communities.{back}", slug=community.slug))
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.reason.errors) or _("Richiesta non valida."), "danger")
    else:
        person = db.session.get(User, target.user_id)
        try:
            services.change_membership(community, person, MANAGER_ACTIONS[action], current_user,
                                       reason=form.reason.data, membership=target)
        except WorkflowError as error:
            db.session.rollback()
            flash(_(str(error)), "danger")
        else:
            flash(_(MANAGER_MESSAGES[MANAGER_ACTIONS[action]], name=person.full_name), "success")
    if request.htmx:
        return requests(slug) if back == "requests" else members(slug)
    return redirect_to(url_for(f"communities.{back}", slug=community.slug))


@bp.route("/<slug>/requests")
@login_required
def requests(slug: str):
    """The facilitators' queue of pending requests, with approve and reject in place."""
    community, membership = community_or_404(slug)
    _require_manager(community, membership)
    return render_page("communities/requests.html", block="queue", community=community, membership=membership,
                       pending=services.pending_requests(community), form=RejectForm())


@bp.route("/<slug>/settings", methods=["GET", "POST"])
@login_required
def settings(slug: str):
    """Edit the community (facilitators and administrators)."""
    community, membership = community_or_404(slug)
    _require_manager(community, membership)
    form = CommunityForm(community_id=community.id)
    if request.method == "GET":
        form.name.data, form.slug.data, form.theme.data = community.name, community.slug, community.theme
        form.description.data, form.visibility.data = community.description, community.visibility
        form.scope.data, form.region.data, form.province.data = community.scope, community.region_code, community.province_code
    if form.validate_on_submit():
        services.update_community(community, form)
        flash(_("Impostazioni salvate."), "success")
        return redirect_to(url_for("communities.home", slug=community.slug))
    return render_page("communities/settings.html", block="form", form=form, community=community,
                       membership=membership, status=422 if form.is_submitted() else 200)


@bp.route("/<slug>/invitations", methods=["GET", "POST"])
@login_required
@limiter.limit("20 per hour", methods=["POST"], key_func=_current_user_key)
def invitations(slug: str):
    """Invite people by e-mail (facilitators and administrators)."""
    community, membership = community_or_404(slug)
    _require_manager(community, membership)
    form = InviteForm()
    if form.validate_on_submit():
        sent = services.invite(community, form.parsed, current_user)
        flash(_("Inviti inviati: %(n)d. Chi faceva già parte della comunità non ha ricevuto un nuovo invito.", n=sent), "success")
        return redirect_to(url_for("communities.invitations", slug=community.slug))
    return render_page("communities/invitations.html", block="form", form=form, community=community,
                       membership=membership, status=422 if form.is_submitted() else 200)


@bp.route("/my-invitations")
@login_required
def my_invitations():
    """The invitations addressed to one's own e-mail that can still be accepted."""
    return render_page("communities/my_invitations.html", invitations=services.open_invitations_for(current_user),
                       form=EmptyForm())


@bp.route("/my-invitations/<int:invitation_id>/accept", methods=["POST"])
@login_required
def accept_my_invitation(invitation_id: int):
    """Accept one of one's own invitations."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        community = services.accept_invitation(None, current_user, invitation_id=invitation_id)
    except (InvitationError, WorkflowError) as error:
        db.session.rollback()
        flash(_(str(error)), "danger")
        return redirect_to(url_for("communities.my_invitations"))
    flash(_("Ti diamo il benvenuto nella comunità %(name)s!", name=community.name), "success")
    return redirect_to(url_for("communities.home", slug=community.slug))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str):
    """Show an invitation and accept it (signed in, with the invited address)."""
    try:
        invite = services.find_invitation(token)
    except InvitationError as error:
        return render_page("communities/invitation.html", error=str(error), invitation=None, status=410)
    if request.method == "POST":
        if not current_user.is_authenticated:
            return redirect_to(url_for("auth.login", next=request.path))
        if not EmptyForm().validate_on_submit():
            abort(400)
        try:
            community = services.accept_invitation(token, current_user)
        except (InvitationError, WorkflowError) as error:
            db.session.rollback()
            return render_page("communities/invitation.html", error=_(str(error)), invitation=invite, status=409,
                               form=EmptyForm())
        flash(_("Ti diamo il benvenuto nella comunità %(name)s!", name=community.name), "success")
        return redirect_to(url_for("communities.home", slug=community.slug))
    return render_page("communities/invitation.html", error=None, invitation=invite, form=EmptyForm())
