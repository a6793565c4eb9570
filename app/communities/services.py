"""Community operations; each runs in one transaction and commits here."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from slugify import slugify
from sqlalchemy import Select, case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.activity import services as activity
from app.activity.services import visible_communities_clause
from app.communities.workflow import Action, Actor, Role, Situation, Status, WorkflowError, transition
from app.extensions import db
from app.web import external_url
from app.mailer import send_email
from app.models import (AffiliationStatus, Community, Invitation, Membership, MembershipEvent, Notification,
                        Organization, User)
from app.models.base import utcnow
from app.models.organization import kind_filter_clause
from app.notifications.services import notify, send_pending_immediate_emails


# ---- reading -------------------------------------------------------------------------------------------------

def membership_of(community: Community, user) -> Membership | None:
    if user is None or not user.is_authenticated:
        return None
    return db.session.execute(
        select(Membership).where(Membership.community_id == community.id, Membership.user_id == user.id)
    ).scalar_one_or_none()


def by_slug(slug: str) -> Community | None:
    return db.session.execute(select(Community).where(Community.slug == slug)).scalar_one_or_none()


@dataclass
class DirectoryFilters:
    q: str = ""
    theme: str = ""
    region: str = ""
    mine: bool = False


def member_counts(community_ids: list[int]) -> dict[int, int]:
    """Active members of each listed community, in one query."""
    if not community_ids:
        return {}
    return dict(db.session.execute(
        select(Membership.community_id, func.count()).where(Membership.community_id.in_(community_ids),
                                                            Membership.status == Status.ACTIVE)
        .group_by(Membership.community_id)).all())


def practice_counts(community_ids: list[int]) -> dict[int, int]:
    """Published practices of each listed community, in one query (drafts are not counted for anyone)."""
    from app.models import Practice

    if not community_ids:
        return {}
    return dict(db.session.execute(
        select(Practice.community_id, func.count()).where(Practice.community_id.in_(community_ids),
                                                          Practice.status == "published")
        .group_by(Practice.community_id)).all())


def directory_query(filters: DirectoryFilters, user) -> Select:
    """Communities the reader may see (private ones only to their members)."""
    query = select(Community).where(visible_communities_clause(user))
    for word in filters.q.lower().split()[:8]:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(func.lower(Community.name).like(f"%{escaped}%", escape="\\"))
    if filters.theme:
        query = query.where(Community.theme == filters.theme)
    if filters.region:
        # A region's reader also cares about the national communities.
        query = query.where((Community.region_code == filters.region) | (Community.scope == "national"))
    if filters.mine and user is not None and user.is_authenticated:
        query = query.where(Community.id.in_(
            select(Membership.community_id).where(Membership.user_id == user.id, Membership.status == Status.ACTIVE)))
    return query.order_by(Community.name, Community.id)


def my_statuses(user, community_ids: list[int]) -> dict[int, Membership]:
    """The reader's memberships among the listed communities, in one query."""
    if user is None or not user.is_authenticated or not community_ids:
        return {}
    rows = db.session.execute(select(Membership).where(Membership.user_id == user.id,
                                                       Membership.community_id.in_(community_ids))).scalars()
    return {m.community_id: m for m in rows}


def _can_sign_in():
    # Facilitators whose account was removed from their organisation cannot act: they do not count.
    return (User.email_confirmed_at.is_not(None)
            & ((User.affiliation_status == AffiliationStatus.ACTIVE) | User.is_admin.is_(True)))


def facilitators(community: Community) -> list[User]:
    return list(db.session.execute(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.community_id == community.id, Membership.status == Status.ACTIVE,
               Membership.role == Role.FACILITATOR, _can_sign_in())
        .options(selectinload(User.organization)).order_by(User.full_name)
    ).scalars())


def count_active(community: Community) -> int:
    return db.session.execute(select(func.count()).select_from(Membership).where(
        Membership.community_id == community.id, Membership.status == Status.ACTIVE)).scalar()


def active_facilitator_count(community: Community) -> int:
    return db.session.execute(select(func.count()).select_from(Membership).join(User, Membership.user_id == User.id)
                              .where(Membership.community_id == community.id, Membership.status == Status.ACTIVE,
                                     Membership.role == Role.FACILITATOR, _can_sign_in())).scalar()


def pending_count(community: Community) -> int:
    return db.session.execute(select(func.count()).select_from(Membership).where(
        Membership.community_id == community.id, Membership.status == Status.PENDING)).scalar()


@dataclass
class MemberFilters:
    org_kind: str = ""
    region: str = ""


def members_query(community: Community, filters: MemberFilters) -> Select:
    """Active members with their organisation, facilitators first."""
    query = (select(Membership).join(User, Membership.user_id == User.id)
             .outerjoin(Organization, User.organization_id == Organization.id)
             .where(Membership.community_id == community.id, Membership.status == Status.ACTIVE)
             .options(selectinload(Membership.user).selectinload(User.organization)))
    if filters.org_kind:
        query = query.where(kind_filter_clause(filters.org_kind))
    if filters.region:
        query = query.where(Organization.region_code == filters.region)
    facilitators_first = case((Membership.role == Role.FACILITATOR, 0), else_=1)
    return query.order_by(facilitators_first, User.full_name, Membership.id)


def pending_requests(community: Community) -> list[Membership]:
    return list(db.session.execute(
        select(Membership).where(Membership.community_id == community.id, Membership.status == Status.PENDING)
        .options(selectinload(Membership.user).selectinload(User.organization))
        .order_by(Membership.requested_at)
    ).scalars())


# ---- membership transitions ----------------------------------------------------------------------------------

_ALREADY = {
    (Status.ACTIVE, Action.JOIN): _l("Fai già parte di questa comunità."),
    (Status.ACTIVE, Action.REQUEST): _l("Fai già parte di questa comunità."),
    (Status.PENDING, Action.REQUEST): _l("La tua richiesta è già in attesa di approvazione."),
    (Status.PENDING, Action.JOIN): _l("La tua richiesta è già in attesa di approvazione."),
}


def lock_community(community_id: int) -> None:
    """Take the community's write lock for this transaction: a row lock on PostgreSQL, the database write
    lock on SQLite (a no-op UPDATE). Everything read after it is current and stays so until the commit."""
    db.session.execute(update(Community).where(Community.id == community_id).values(id=Community.id))


def _fresh_membership(community_id: int, user_id: int) -> Membership | None:
    # populate_existing: objects the route loaded before the lock are refreshed, not trusted.
    return db.session.execute(
        select(Membership).where(Membership.community_id == community_id, Membership.user_id == user_id)
        .execution_options(populate_existing=True)).scalar_one_or_none()


_MANAGER_ACTIONS = {Action.APPROVE, Action.REJECT, Action.REMOVE, Action.PROMOTE, Action.DEMOTE}


def change_membership(community: Community, person: User, action: Action, actor: User,
                      reason: str | None = None, membership: Membership | None = None,
                      request_message: str | None = None) -> Membership:
    """Apply one workflow action, log it, record activity, notify; one commit. Raises WorkflowError.

    `membership` is only a hint from the route: the row is read again under the community's lock, so two
    facilitators (or a double click) never act on a state that has already changed.
    """
    lock_community(community.id)
    membership = _fresh_membership(community.id, person.id)
    status = Status(membership.status) if membership else Status.NONE
    if message := _ALREADY.get((status, action)):
        raise WorkflowError(str(message))
    own = membership if actor.id == person.id else _fresh_membership(community.id, actor.id)
    is_manager = actor.is_admin or bool(own and own.is_facilitator)
    if actor.id == person.id and action == Action.REMOVE:
        raise WorkflowError(str(_l("Per uscire dalla comunità usa «Lascia la comunità».")))
    acting_as = Actor.MANAGER if action in _MANAGER_ACTIONS and (actor.id != person.id or is_manager) else Actor.SELF
    if acting_as == Actor.MANAGER and not is_manager:
        raise WorkflowError("Solo un animatore della comunità può farlo.")
    situation = Situation(
        status=status, role=Role(membership.role) if membership else Role.MEMBER,
        visibility=community.visibility, actor=acting_as, active_facilitators=active_facilitator_count(community),
    )
    outcome = transition(situation, action)
    now = utcnow()
    if membership is None:
        membership = Membership(community_id=community.id, user_id=person.id, status=outcome.status,
                                role=outcome.role, requested_at=now)
        db.session.add(membership)
    if outcome.status == Status.PENDING:
        membership.requested_at = now
        membership.request_message = (request_message or "").strip() or None  # each request says why anew
    if outcome.status == Status.ACTIVE and status != Status.ACTIVE:
        membership.joined_at = now
    membership.status, membership.role, membership.updated_at = outcome.status, outcome.role, now
    if action in (Action.REJECT, Action.REMOVE):
        membership.reason = (reason or "").strip() or None
    try:
        db.session.flush()
    except IntegrityError as error:  # the same person pressed twice at once: the first one won
        db.session.rollback()
        raise WorkflowError(str(_ALREADY[(Status.ACTIVE, Action.JOIN)])) from error
    db.session.add(MembershipEvent(membership_id=membership.id, action=action, from_status=status,
                                   to_status=outcome.status, role=outcome.role, actor_id=actor.id, created_at=now,
                                   note=membership.reason if action in (Action.REJECT, Action.REMOVE) else None))
    _after_transition(community, person, actor, action, status, outcome, membership.reason)
    db.session.commit()
    send_pending_immediate_emails()
    return membership


def _after_transition(community, person, actor, action, before, outcome, reason) -> None:
    home = url_for("communities.home", slug=community.slug)
    if outcome.status == Status.ACTIVE and before != Status.ACTIVE:
        activity.record("member.joined", actor=person, community=community)
    if action in (Action.LEAVE, Action.REMOVE):
        activity.record("member.left", actor=person, community=community)
    if action == Action.REQUEST:
        already_told = set(db.session.execute(select(Notification.user_id).where(
            Notification.verb == "membership.requested", Notification.community_id == community.id,
            Notification.actor_id == person.id, Notification.read_at.is_(None))).scalars())
        for facilitator in facilitators(community):
            if facilitator.id not in already_told:  # request, withdraw, request again: one unread note is enough
                notify(facilitator, "membership.requested", actor=person, community=community,
                       link=url_for("communities.requests", slug=community.slug))
    elif action == Action.APPROVE:
        notify(person, "membership.approved", actor=actor, community=community, link=home)
    elif action == Action.REJECT:
        notify(person, "membership.rejected", actor=actor, community=community, link=home, reason=reason or "")
    elif action == Action.REMOVE:
        notify(person, "membership.removed", actor=actor, community=community, link=home, reason=reason or "")
    elif action == Action.PROMOTE:
        activity.record("facilitator.appointed", actor=actor, community=community, object_type="user",
                        object_id=person.id, object_label=person.full_name)
        notify(person, "facilitator.appointed", actor=actor, community=community, link=home)


# ---- communities ---------------------------------------------------------------------------------------------

RESERVED_SLUGS = {"new", "invitations", "my-invitations"}  # words the routes use after /communities/


def slug_taken(slug: str, exclude_id: int | None = None) -> bool:
    if slug in RESERVED_SLUGS:
        return True
    query = select(Community.id).where(Community.slug == slug)
    if exclude_id is not None:
        query = query.where(Community.id != exclude_id)
    return db.session.execute(query).first() is not None


def suggest_slug(name: str) -> str:
    return slugify(name, max_length=80) or "comunita"


def _apply_fields(community: Community, form) -> None:
    community.name = form.name.data.strip()
    community.slug = (form.slug.data or "").strip() or suggest_slug(community.name)
    community.theme = form.theme.data
    community.description = (form.description.data or "").strip()
    community.visibility = form.visibility.data
    community.scope = form.scope.data
    community.region_code = form.region.data or None if form.scope.data != "national" else None
    community.province_code = form.province.data or None if form.scope.data == "province" else None


def create_community(form, actor: User, first_facilitators: list[User]) -> Community:
    """Create a community with its first facilitators (an administrator's action); its creator is one of them."""
    community = Community(created_by_id=actor.id)
    _apply_fields(community, form)
    db.session.add(community)
    db.session.flush()
    now = utcnow()
    if all(person.id != actor.id for person in first_facilitators):
        first_facilitators = [actor, *first_facilitators]  # who creates a community is in it, not outside asking
    for person in first_facilitators:
        membership = Membership(community_id=community.id, user_id=person.id, status=Status.ACTIVE,
                                role=Role.FACILITATOR, requested_at=now, joined_at=now, updated_at=now)
        db.session.add(membership)
        db.session.flush()
        db.session.add(MembershipEvent(membership_id=membership.id, action=Action.PROMOTE, from_status=Status.NONE,
                                       to_status=Status.ACTIVE, role=Role.FACILITATOR, actor_id=actor.id,
                                       created_at=now, note="first facilitator"))
        if person.id != actor.id:
            notify(person, "facilitator.appointed", actor=actor, community=community,
                   link=url_for("communities.home", slug=community.slug))
    activity.record("community.created", actor=actor, community=community)
    db.session.commit()
    send_pending_immediate_emails()
    return community


def update_community(community: Community, form) -> None:
    """Save the settings; members already in stay whatever the new visibility."""
    _apply_fields(community, form)
    db.session.commit()


# ---- invitations ---------------------------------------------------------------------------------------------

def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(community: Community, emails: list[str], actor: User) -> int:
    """Send one invitation per address (people already active are skipped); returns how many were sent."""
    days = current_app.config["INVITATION_DAYS"]
    existing = {u.email: u for u in db.session.execute(select(User).where(User.email.in_(emails))).scalars()}
    active = {m.user_id for m in db.session.execute(select(Membership).where(
        Membership.community_id == community.id, Membership.status == Status.ACTIVE)).scalars()}
    outgoing = []
    for email in emails:
        person = existing.get(email)
        if person is not None and person.id in active:
            continue
        token = secrets.token_urlsafe(32)
        db.session.add(Invitation(community_id=community.id, email=email, token_hash=_hash(token),
                                  invited_by_id=actor.id, expires_at=utcnow() + timedelta(days=days)))
        if person is not None:
            # In-app only (the invitation e-mail below is the e-mail), and without the token: the link leads to
            # the person's own invitations, which need their sign-in.
            notify(person, "invitation.received", actor=actor, community=community,
                   link=url_for("communities.my_invitations"), email=False)
        outgoing.append((email, person, token))
    db.session.commit()
    for email, person, token in outgoing:
        send_email(email, _l("Invito nella comunità %(name)s", name=community.name), "invitation",
                   locale=person.locale if person else None, community=community, actor=actor,
                   link=external_url("communities.invitation", token=token), days=days)
    return len(outgoing)


class InvitationError(Exception):
    """The invitation link cannot be used; the message says why."""


def find_invitation(token: str) -> Invitation:
    invitation = db.session.execute(select(Invitation).where(Invitation.token_hash == _hash(token))
                                    .options(selectinload(Invitation.community))).scalar_one_or_none()
    if invitation is None or invitation.revoked_at is not None:
        raise InvitationError(_l("Questo invito non è valido."))
    if invitation.accepted_at is not None:
        raise InvitationError(_l("Questo invito è già stato usato."))
    if invitation.expires_at < utcnow():
        raise InvitationError(_l("Questo invito è scaduto: chiedine uno nuovo a un animatore della comunità."))
    return invitation


def open_invitations_for(user: User) -> list[Invitation]:
    """Invitations addressed to the person's e-mail that can still be accepted."""
    return list(db.session.execute(
        select(Invitation).where(func.lower(Invitation.email) == user.email.lower(), Invitation.accepted_at.is_(None),
                                 Invitation.revoked_at.is_(None), Invitation.expires_at >= utcnow())
        .options(selectinload(Invitation.community), selectinload(Invitation.invited_by))
        .order_by(Invitation.created_at.desc())).scalars())


def accept_invitation(token: str | None, user: User, invitation_id: int | None = None) -> Community:
    """Make the invited person an active member; an invitation works once, for the invited address only."""
    if token is not None:
        invitation = find_invitation(token)
    else:
        invitation = next((i for i in open_invitations_for(user) if i.id == invitation_id), None)
        if invitation is None:
            raise InvitationError(_l("Questo invito non è valido."))
    if invitation.email.lower() != user.email.lower():
        raise InvitationError(_l("Questo invito è stato inviato a un altro indirizzo e-mail."))
    community = invitation.community
    invitation.accepted_at, invitation.accepted_by_id = utcnow(), user.id
    db.session.flush()
    try:
        change_membership(community, user, Action.ACCEPT_INVITATION, user)
    except WorkflowError:
        db.session.rollback()
        raise
    return community


def only_who_may_see(community, people) -> list:
    """Of a private community, only its active members (and administrators) may hear of what it holds."""
    people = [p for p in people if p is not None]
    if not community.is_private or not people:
        return people
    inside = set(db.session.execute(select(Membership.user_id).where(
        Membership.community_id == community.id, Membership.status == Status.ACTIVE,
        Membership.user_id.in_([p.id for p in people]))).scalars())
    return [p for p in people if p.id in inside or p.is_admin]
