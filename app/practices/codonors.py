"""Co-donors with their consent (issue 11, point 30): an organisation a donor names becomes co-donor only when one
of its referents accepts the invitation. Each operation commits here, except `sync`, part of the caller's save."""
from __future__ import annotations

from flask import url_for
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import CoDonorInvitation, MaintenanceEntry, Organization, Practice, User
from app.models.base import utcnow
from app.practices.workflow import N_

PENDING, ACCEPTED, DECLINED = "pending", "accepted", "declined"


class CoDonorError(Exception):
    """The invitation cannot be decided (any more); the message says why."""


def invitations_of(practice: Practice) -> list[CoDonorInvitation]:
    return list(db.session.execute(select(CoDonorInvitation).where(CoDonorInvitation.practice_id == practice.id)
                                   .options(selectinload(CoDonorInvitation.organization))).scalars())


def pending_organizations(practice: Practice) -> list[Organization]:
    """Organisations invited as co-donors that have not answered yet."""
    return [i.organization for i in invitations_of(practice) if i.status == PENDING]


def pending_for(user: User) -> list[CoDonorInvitation]:
    """The invitations waiting for the answer of the reader's organisation, of practices the reader may see."""
    if user.organization_id is None:
        return []
    waiting = db.session.execute(
        select(CoDonorInvitation).where(CoDonorInvitation.organization_id == user.organization_id,
                                        CoDonorInvitation.status == PENDING)
        .options(selectinload(CoDonorInvitation.practice)).order_by(CoDonorInvitation.created_at)).scalars()
    return [i for i in waiting if may_see_practice(i.practice, [user])]


def invitation_by_id(invitation_id: int) -> CoDonorInvitation | None:
    return db.session.get(CoDonorInvitation, invitation_id)


def _referents(organization_id: int) -> list[User]:
    return list(db.session.execute(select(User).where(
        User.organization_id == organization_id, User.is_referent.is_(True),
        User.affiliation_status == "active")).scalars())


def sync(practice: Practice, wanted: list[Organization], user: User) -> None:
    """In the caller's transaction (the practice has an id): keep the named co-donors that already are, drop the
    ones no longer named, withdraw unanswered invitations no longer named, and invite the new ones."""
    wanted_ids = {o.id for o in wanted if o.id != practice.donor_id}
    practice.co_donors = [o for o in practice.co_donors if o.id in wanted_ids]
    current = {o.id for o in practice.co_donors}
    existing = {i.organization_id: i for i in invitations_of(practice)}
    for invitation in existing.values():
        if invitation.status == PENDING and invitation.organization_id not in wanted_ids:
            db.session.delete(invitation)
    for organization in wanted:
        if organization.id in wanted_ids and organization.id not in current:
            invite(practice, organization, user, existing.get(organization.id))


def invite(practice: Practice, organization: Organization, user: User, invitation=None, also=()) -> None:
    """In the caller's transaction: ask `organization` to be co-donor (again, if it declined), unless it is asked
    already; its referents (and `also`) are told and one of them answers."""
    from app.reuse.services import notify_all

    if invitation is None:
        invitation = db.session.execute(select(CoDonorInvitation).where(
            CoDonorInvitation.practice_id == practice.id,
            CoDonorInvitation.organization_id == organization.id)).scalar_one_or_none()
    if invitation is not None and invitation.status == PENDING:
        return
    now = utcnow()
    if invitation is not None:  # declined or left before: ask again
        invitation.status, invitation.invited_by_id, invitation.created_at = PENDING, user.id, now
        invitation.decided_by_id = invitation.decided_at = None
    else:
        try:
            # A savepoint: the same invitation written a moment ago by another request stands, and this save goes
            # on instead of failing on the unique constraint (issue 11, point 28).
            with db.session.begin_nested():
                db.session.add(CoDonorInvitation(practice_id=practice.id, organization_id=organization.id,
                                                 status=PENDING, invited_by_id=user.id, created_at=now))
        except IntegrityError:
            return
    notify_all(may_see_practice(practice, [*_referents(organization.id), *also]), "codonor.asked", user,
               url_for("practices.co_donor_invitation", invitation_id=_id_of(practice, organization)),
               organization=organization.name, practice=practice.title)


def may_see_practice(practice: Practice, people):
    """Of a private community's practice, only its active members (and administrators) hear of it."""
    from app.communities.services import only_who_may_see

    return only_who_may_see(practice.community, people)


def _id_of(practice: Practice, organization: Organization) -> int:
    db.session.flush()
    return db.session.execute(select(CoDonorInvitation.id).where(
        CoDonorInvitation.practice_id == practice.id,
        CoDonorInvitation.organization_id == organization.id)).scalar_one()


def decide(invitation: CoDonorInvitation, user: User, accept: bool) -> None:
    """The invited organisation's referent accepts (it becomes co-donor) or declines; decided once."""
    from app.reuse.services import commit_and_email, donor_contacts, notify_all

    # Two answers at once (a double click, two referents): the row lock makes the second see the first's decision.
    locked = db.session.execute(update(CoDonorInvitation).where(CoDonorInvitation.id == invitation.id)
                                .values(id=CoDonorInvitation.id))
    if locked.rowcount == 0:  # the donors withdrew it a moment ago
        raise CoDonorError(N_("Questo invito è stato ritirato dai cedenti."))
    db.session.refresh(invitation)
    if invitation.status != PENDING:
        raise CoDonorError(N_("Questo invito ha già avuto una risposta."))
    practice, organization = invitation.practice, invitation.organization
    invitation.status = ACCEPTED if accept else DECLINED
    invitation.decided_by_id, invitation.decided_at = user.id, utcnow()
    if accept:
        if organization.id not in practice.donor_ids:
            practice.co_donors.append(organization)
        practice.updated_at = utcnow()
        db.session.add(MaintenanceEntry(practice_id=practice.id, author_id=user.id,
                                        note=f"{organization.name} è ora co-cedente della pratica."))
    inviter = [invitation.invited_by] if invitation.invited_by is not None else []
    notify_all([*inviter, *donor_contacts(practice)], "codonor.accepted" if accept else "codonor.declined", user,
               url_for("practices.show", slug=practice.slug), organization=organization.name,
               practice=practice.title)
    commit_and_email()
