"""Adoptions, deployment records, co-donor invitations, reuser-to-donor conversions and supplier offers.

Each operation runs in one transaction and commits here; a refused one raises ReuseError before writing.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app import permissions
from app.communities.services import only_who_may_see
from app.extensions import db
from app.models import (Adoption, AdoptionEvent, Conversion, Deployment, MaintenanceEntry, Organization, Practice,
                        SupplierOffer, User)
from app.models.base import utcnow
from app.practices.workflow import PracticeStatus
from app.reuse.workflow import (ACTIVE_ADOPTION, N_, AdoptionAction, AdoptionStatus, Role, adoption_transition,
                                check_confirmation)

UNDER_WAY = (AdoptionStatus.IN_PROGRESS, AdoptionStatus.COMPLETED)


class ReuseError(Exception):
    """An operation the rules refuse; the message is an Italian msgid, `field` the form field it is about."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# ---- who hears of what ----------------------------------------------------------------------------------------

def donor_contacts(practice: Practice) -> list[User]:
    """Who speaks for the donors: the referents of the donor and co-donor organisations and whoever documented
    the practice."""
    people = db.session.execute(
        select(User).where(User.organization_id.in_(practice.donor_ids), User.is_referent.is_(True),
                           User.affiliation_status == "active")).scalars().all()
    recipients = {p.id: p for p in people}
    if practice.created_by_id and practice.created_by_id not in recipients:
        creator = db.session.get(User, practice.created_by_id)
        if creator is not None and creator.can_sign_in and creator.organization_id in practice.donor_ids:
            recipients[creator.id] = creator
    # Of a private community's practice, only its members hear (others may not know the practice exists).
    return only_who_may_see(practice.community, recipients.values())


def notify_all(people, verb: str, actor: User, link: str, **params) -> None:
    """Notify each person once, never the one who acted."""
    from app.notifications.services import notify

    seen = set()
    for person in people:
        if person is None or person.id in seen or person.id == actor.id or not person.can_sign_in:
            continue
        seen.add(person.id)
        notify(person, verb, actor=actor, link=link, **params)


def commit_and_email() -> None:
    from app.notifications.services import send_pending_immediate_emails

    db.session.commit()
    send_pending_immediate_emails()


def lock_practice(practice: Practice) -> None:
    """Take the practice's row lock, so that two requests checking then writing do not both pass the check."""
    db.session.execute(update(Practice).where(Practice.id == practice.id).values(id=Practice.id))


def lock_row(row) -> None:
    """Lock a row, then read it again: a state checked after this cannot change before the commit."""
    model = type(row)
    db.session.execute(update(model).where(model.id == row.id).values(id=model.id))
    db.session.refresh(row)


# ---- adoptions -------------------------------------------------------------------------------------------------

def current_adoption(practice: Practice, organization_id: int) -> Adoption | None:
    """The organisation's adoption of the practice that is not abandoned (there is at most one)."""
    return db.session.execute(select(Adoption).where(
        Adoption.practice_id == practice.id, Adoption.organization_id == organization_id,
        Adoption.status != AdoptionStatus.ABANDONED)).scalars().first()


def check_reusable(practice: Practice, user: User) -> None:
    """Refuse with the reason when this person's organisation cannot reuse (or ask support for) the practice."""
    if practice.status == PracticeStatus.DRAFT:
        raise ReuseError(N_("La pratica è ancora una bozza: si può riusare solo una pratica pubblicata."))
    if practice.status == PracticeStatus.ARCHIVED:
        raise ReuseError(N_("La pratica è archiviata: i cedenti non la mantengono più."))
    if user.organization_id in practice.donor_ids:
        raise ReuseError(N_("Il tuo ente è tra i cedenti di questa pratica."))
    if permissions.is_supplier(user):
        raise ReuseError(N_("Un fornitore non riusa le pratiche: può offrire i suoi servizi."))


def declare_adoption(practice: Practice, user: User, notes: str) -> Adoption:
    """The person's organisation declares its interest in reusing a practice."""
    check_reusable(practice, user)
    lock_practice(practice)
    existing = current_adoption(practice, user.organization_id)
    if existing is not None and existing.status in ACTIVE_ADOPTION:
        raise ReuseError(N_("Il tuo ente ha già un riuso in corso di questa pratica: aggiornalo invece di "
                            "dichiararne un altro."))
    if existing is not None:
        raise ReuseError(N_("Il tuo ente ha già completato il riuso di questa pratica: se lo riprende, "
                            "raccontalo nel suo dispiegamento."))
    now = utcnow()
    adoption = Adoption(practice_id=practice.id, organization_id=user.organization_id, declared_by_id=user.id,
                        notes=notes.strip(), status=AdoptionStatus.INTERESTED, created_at=now, updated_at=now)
    adoption.events.append(AdoptionEvent(action="declare", from_status=None, to_status=AdoptionStatus.INTERESTED,
                                         actor_id=user.id, note=notes.strip(), created_at=now))
    db.session.add(adoption)
    db.session.flush()
    notify_all(donor_contacts(practice), "adoption.declared", user, url_for("reuse.adoption", adoption_id=adoption.id),
               organization=user.organization.name, practice=practice.title)
    commit_and_email()
    return adoption


def adoption_roles(user, adoption: Adoption) -> set[Role]:
    roles = set()
    if permissions.is_admin(user):
        roles.add(Role.ADMIN)
    if permissions.is_of_organization(user, adoption.organization_id):
        roles.add(Role.REUSER)
    if permissions.can_confirm_adoption(user, adoption):
        roles.add(Role.DONOR)
    return roles


def move_adoption(adoption: Adoption, action: AdoptionAction, user: User, note: str = "") -> None:
    """Start, complete or abandon an adoption; completing it asks for the deployment record."""
    lock_row(adoption)
    before = adoption.status
    adoption.status = adoption_transition(before, action, adoption_roles(user, adoption))
    now = utcnow()
    adoption.updated_at = now
    if action == AdoptionAction.START:
        adoption.started_at = now
    else:
        adoption.ended_at = now
    adoption.events.append(AdoptionEvent(action=str(action), from_status=before, to_status=adoption.status,
                                         actor_id=user.id, note=note.strip(), created_at=now))
    notify_all(donor_contacts(adoption.practice), f"adoption.{action}", user,
               url_for("reuse.adoption", adoption_id=adoption.id), organization=adoption.organization.name,
               practice=adoption.practice.title)
    commit_and_email()


def confirm_adoption(adoption: Adoption, user: User) -> None:
    """The donor team confirms the reuse: from now on it counts in pages, figures and the publiccode.yml."""
    lock_row(adoption)
    check_confirmation(adoption.status, adoption_roles(user, adoption), adoption.is_confirmed)
    now = utcnow()
    adoption.confirmed_at, adoption.confirmed_by_id, adoption.updated_at = now, user.id, now
    adoption.events.append(AdoptionEvent(action="confirm", from_status=adoption.status, to_status=adoption.status,
                                         actor_id=user.id, created_at=now))
    notify_all([adoption.declared_by], "adoption.confirmed", user, url_for("reuse.adoption", adoption_id=adoption.id),
               organization=adoption.organization.name, practice=adoption.practice.title)
    commit_and_email()


def save_deployment(adoption: Adoption, form, user: User) -> Deployment:
    """Write (or correct) the deployment record of a completed adoption; recording it makes the reuser a donor."""
    lock_row(adoption)
    if adoption.status != AdoptionStatus.COMPLETED:
        raise ReuseError(N_("Il dispiegamento si registra quando il riuso è completato."))
    record = adoption.deployment
    created = record is None
    if created:
        record = Deployment(adoption_id=adoption.id, practice_id=adoption.practice_id,
                            organization_id=adoption.organization_id, created_by_id=user.id)
        db.session.add(record)
    record.deployed_on = form.deployed_on.data
    record.size = form.size.data
    record.territory = form.territory.data.strip()
    record.adaptations = (form.adaptations.data or "").strip()
    record.effort = (form.effort.data or "").strip()
    record.cost_eur = form.cost_eur.data
    record.outcome = form.outcome.data.strip()
    record.lessons = (form.lessons.data or "").strip()
    record.contact = (form.contact.data or "").strip()
    record.updated_at = utcnow()
    if created:
        db.session.add(MaintenanceEntry(practice_id=adoption.practice_id, author_id=user.id, adoption_id=adoption.id,
                                        note=f"Dispiegamento registrato da {adoption.organization.name}."))
        record_conversion(adoption.organization_id, "deployment", adoptions=[adoption])
        notify_all(donor_contacts(adoption.practice), "deployment.recorded", user,
                   url_for("practices.show", slug=adoption.practice.slug, tab="deployments"),
                   organization=adoption.organization.name, practice=adoption.practice.title)
    commit_and_email()
    return record


def invite_co_donor(adoption: Adoption, user: User) -> None:
    """The donors invite a reusing organisation to keep the kit with them, as co-donor (once it accepts)."""
    practice = adoption.practice
    lock_practice(practice)
    if adoption.status not in UNDER_WAY:
        raise ReuseError(N_("Si invita come co-cedente un ente che ha avviato o completato il riuso."))
    if adoption.organization_id in practice.donor_ids:
        raise ReuseError(N_("Questo ente è già tra i cedenti della pratica."))
    if adoption.organization.kind == "supplier":
        raise ReuseError(N_("Un fornitore non può essere co-cedente."))
    # Like any co-donor, the reusing organisation becomes one when its referent accepts (issue 11, point 30).
    from app.practices.codonors import invite

    invite(practice, adoption.organization, user, also=[adoption.declared_by])
    commit_and_email()


# ---- reuser → donor -------------------------------------------------------------------------------------------

def record_conversion(organization_id: int, reason: str, *, adoptions=None, practice: Practice | None = None) -> int:
    """Record, in the caller's transaction, that an organisation which reused became a donor; returns how many
    adoptions this converts (each is converted once, with its first reason).

    `kit_version`: it published a version of `practice`'s kit as co-donor; `own_practice`: it published
    `practice`, its own, in the community of a practice it reused; `deployment`: the given adoptions.
    """
    if adoptions is None:
        query = select(Adoption).where(Adoption.organization_id == organization_id, Adoption.status.in_(UNDER_WAY))
        if reason == "kit_version":
            query = query.where(Adoption.practice_id == practice.id)
        else:
            query = query.join(Practice, Adoption.practice_id == Practice.id).where(
                Practice.community_id == practice.community_id, Practice.id != practice.id)
        adoptions = db.session.execute(query).scalars().all()
    converted = 0
    db.session.flush()  # the caller's pending rows are written outside the savepoints below
    for adoption in adoptions:
        exists = db.session.execute(select(Conversion.id).where(Conversion.adoption_id == adoption.id)).first()
        if exists is not None:
            continue
        try:
            # A savepoint: if another request converted the same adoption meanwhile, its record stands and the
            # caller's operation goes on instead of failing on the unique constraint.
            with db.session.begin_nested():
                db.session.add(Conversion(adoption_id=adoption.id, organization_id=organization_id, reason=reason,
                                          evidence_practice_id=practice.id if practice is not None else None))
            converted += 1
        except IntegrityError:
            pass
    return converted


# ---- supplier offers -----------------------------------------------------------------------------------------

def offer_of(practice: Practice, organization_id: int) -> SupplierOffer | None:
    return db.session.execute(select(SupplierOffer).where(
        SupplierOffer.practice_id == practice.id, SupplierOffer.organization_id == organization_id)).scalar_one_or_none()


def save_offer(practice: Practice, user: User, services: list[str], description: str) -> SupplierOffer:
    """A supplier offers (or updates) its services on a practice; the donors hear of a new offer."""
    if not permissions.can_offer_services(user, practice):
        raise ReuseError(N_("Solo un fornitore può offrire servizi, e solo su una pratica pubblicata."))
    lock_practice(practice)
    offer = offer_of(practice, user.organization_id)
    created = offer is None
    if created:
        offer = SupplierOffer(practice_id=practice.id, organization_id=user.organization_id, created_by_id=user.id)
        db.session.add(offer)
    offer.services, offer.description, offer.updated_at = list(services), description.strip(), utcnow()
    db.session.flush()
    if created:
        notify_all(donor_contacts(practice), "offer.created", user, url_for("practices.show", slug=practice.slug),
                   organization=user.organization.name, practice=practice.title)
    commit_and_email()
    return offer


def set_offer_hidden(offer: SupplierOffer, user: User, hidden: bool) -> None:
    """The donors hide an offer from the practice page (or show it again)."""
    offer.hidden_at = utcnow() if hidden else None
    offer.hidden_by_id = user.id if hidden else None
    db.session.commit()


# ---- reading --------------------------------------------------------------------------------------------------

@dataclass
class PracticeReuse:
    """What the practice page shows of reuse, as this reader may see it."""

    confirmed: list[Adoption] = field(default_factory=list)
    pending: list[Adoption] = field(default_factory=list)  # unconfirmed ones the reader may see
    deployments: list[Deployment] = field(default_factory=list)
    offers: list[SupplierOffer] = field(default_factory=list)
    own: Adoption | None = None  # the reader's organisation's current (not abandoned) adoption
    own_offer: SupplierOffer | None = None


def practice_reuse(practice: Practice, user) -> PracticeReuse:
    """Adoptions, deployments and offers of a practice, filtered by what this reader may see (bounded queries)."""
    adoptions = db.session.execute(
        select(Adoption).where(Adoption.practice_id == practice.id, Adoption.status != AdoptionStatus.ABANDONED)
        .options(selectinload(Adoption.organization), selectinload(Adoption.deployment))
        .order_by(Adoption.created_at.desc(), Adoption.id.desc())).scalars().all()
    for adoption in adoptions:
        set_committed_value(adoption, "practice", practice)  # already loaded: no query per row for the checks
    result = PracticeReuse()
    for adoption in adoptions:
        if adoption.is_confirmed:
            result.confirmed.append(adoption)
        elif permissions.can_view_adoption(user, adoption):
            result.pending.append(adoption)
        if adoption.deployment is not None and permissions.can_view_adoption(user, adoption):
            result.deployments.append(adoption.deployment)
    if permissions.is_member(user) and user.organization_id is not None:
        # The list is newest first and leaves abandoned ones out: the first of the reader's is their current one.
        result.own = next((a for a in adoptions if a.organization_id == user.organization_id), None)
    moderating = permissions.can_moderate_offers(user, practice)
    offers = db.session.execute(
        select(SupplierOffer).where(SupplierOffer.practice_id == practice.id)
        .options(selectinload(SupplierOffer.organization)).order_by(SupplierOffer.created_at)).scalars().all()
    for offer in offers:
        mine = permissions.is_of_organization(user, offer.organization_id)
        if mine:
            result.own_offer = offer
        if offer.hidden_at is None or moderating or mine:
            result.offers.append(offer)
    result.deployments.sort(key=lambda d: d.deployed_on, reverse=True)
    return result


def confirmed_adopter_names(practice: Practice) -> list[str]:
    """The organisations whose reuse the donors confirmed (publiccode.yml usedBy)."""
    return list(db.session.execute(
        select(Organization.name).join(Adoption, Adoption.organization_id == Organization.id)
        .where(Adoption.practice_id == practice.id, Adoption.confirmed_at.is_not(None),
               Adoption.status != AdoptionStatus.ABANDONED)
        .distinct().order_by(Organization.name)).scalars())


@dataclass
class OrganizationReuse:
    """What an organisation gives (practices it donates) and what it reuses (confirmed adoptions)."""

    gives: list[Practice]
    reuses: list[Adoption]
    conversions: list[Conversion]
    reused_given: set[int] = field(default_factory=set)  # practices it gives (as co-donor) after reusing them


def organization_reuse(organization: Organization, user) -> OrganizationReuse:
    """An organisation's donated practices the reader may see, its confirmed reuses and its conversions."""
    from app.activity.services import visible_communities_clause
    from app.models import Community
    from app.practices.services import donated_by, readable_clause

    gives = db.session.execute(
        select(Practice).join(Community, Practice.community_id == Community.id)
        .where(donated_by(organization.id),
               Practice.status != PracticeStatus.DRAFT, visible_communities_clause(user), readable_clause(user))
        .order_by(Practice.title)).scalars().all()
    reuses = db.session.execute(
        select(Adoption).join(Practice, Adoption.practice_id == Practice.id)
        .join(Community, Practice.community_id == Community.id)
        .where(Adoption.organization_id == organization.id, Adoption.confirmed_at.is_not(None),
               Adoption.status != AdoptionStatus.ABANDONED, Practice.status != PracticeStatus.DRAFT,
               visible_communities_clause(user))
        .options(selectinload(Adoption.practice)).order_by(Adoption.confirmed_at.desc())).scalars().all()
    conversions = db.session.execute(
        select(Conversion).where(Conversion.organization_id == organization.id)
        .options(selectinload(Conversion.adoption).selectinload(Adoption.practice))
        .order_by(Conversion.created_at)).scalars().all()
    visible_ids = {p.id for p in gives} | {a.practice_id for a in reuses}
    # Only verified reuse is told publicly: an adoption its donors never confirmed stays between the two.
    conversions = [c for c in conversions if c.adoption.practice_id in visible_ids and c.adoption.is_confirmed]
    # A reuser that became co-donor of the practice lists it once, among what it gives, marked as reused.
    given_ids = {p.id for p in gives}
    reused_given = {a.practice_id for a in reuses if a.practice_id in given_ids}
    return OrganizationReuse(gives=list(gives), reuses=[a for a in reuses if a.practice_id not in given_ids],
                             conversions=list(conversions), reused_given=reused_given)


def adoption_by_id(adoption_id: int) -> Adoption | None:
    return db.session.execute(
        select(Adoption).where(Adoption.id == adoption_id)
        .options(selectinload(Adoption.practice).selectinload(Practice.co_donors),
                 selectinload(Adoption.organization), selectinload(Adoption.deployment),
                 selectinload(Adoption.events).selectinload(AdoptionEvent.actor))).scalar_one_or_none()


def adoptions_of(user, practice: Practice | None = None) -> list[Adoption]:
    """Every adoption of the person's organisation, newest first, of the practices they may still see (one taken
    back to draft, or moved to a private community, drops out of the list until it is visible again)."""
    from app.activity.services import visible_communities_clause
    from app.models import Community
    from app.practices.services import readable_clause

    query = (select(Adoption).join(Practice, Adoption.practice_id == Practice.id)
             .join(Community, Practice.community_id == Community.id)
             .where(Adoption.organization_id == user.organization_id, readable_clause(user),
                    visible_communities_clause(user))
             .options(selectinload(Adoption.practice)).order_by(Adoption.updated_at.desc()))
    if practice is not None:
        query = query.where(Adoption.practice_id == practice.id)
    return list(db.session.execute(query).scalars())

