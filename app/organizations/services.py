"""Operations on organisations and their people; each commits once."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select, update

from app import slugs
from app.extensions import db
from app.web import external_url
from app.mailer import send_email
from app.models import AffiliationStatus, Organization, OrganizationKind, OrganizationStatus, User
from app.models.base import utcnow
from app.models.organization import kind_filter_clause
from app.models.user import new_session_token
from app.organizations.validation import canonical_ipa_code


class PeopleRuleError(Exception):
    """A change to an organisation's people that the rules refuse; the message is for the person."""


def unique_slug(name: str, exclude_id: int | None = None) -> str:
    return slugs.unique_slug(Organization, name, fallback="ente", max_length=200, exclude_id=exclude_id)


def _apply_fields(organization: Organization, form) -> None:
    organization.name = form.name.data.strip()
    organization.kind = form.kind.data
    is_pa = form.kind.data == OrganizationKind.PUBLIC_ADMINISTRATION
    organization.pa_kind = form.pa_kind.data if is_pa else None
    organization.ipa_code = canonical_ipa_code(form.ipa_code.data) if is_pa and form.ipa_code.data else None
    organization.region_code = form.region.data or None
    organization.province_code = form.province.data or None
    organization.website = (form.website.data or "").strip() or None


class OrganizationTaken(Exception):
    """The IPA code was taken between validation and saving, by a request for the same new organisation."""


def create_organization(form, status: str) -> Organization:
    """Add an organisation to the session (the caller's transaction commits it)."""
    from sqlalchemy.exc import IntegrityError

    from app.models import ipa_code_taken

    organization = Organization(status=status)
    _apply_fields(organization, form)
    for _attempt in range(5):
        organization.slug = unique_slug(organization.name)
        try:
            # A savepoint: a twin request (the same new organisation asked for at the same moment, issue 11 §28)
            # that saved first leaves this transaction usable for a message or another slug.
            with db.session.begin_nested():
                db.session.add(organization)
                db.session.flush()
            return organization
        except IntegrityError:
            if organization.ipa_code and ipa_code_taken(organization.ipa_code):
                raise OrganizationTaken from None
    raise OrganizationTaken


def update_profile(organization: Organization, form, identity: bool) -> None:
    """Save an edited profile; name, kind, IPA code and territory change only when `identity` (administrators)."""
    if identity:
        _apply_fields(organization, form)
    else:
        organization.website = (form.website.data or "").strip() or None
    organization.email = (form.email.data or "").strip() or None
    organization.description = (form.description.data or "").strip()
    db.session.commit()


@dataclass
class DirectoryFilters:
    q: str = ""
    kind: str = ""
    region: str = ""


def directory_query(filters: DirectoryFilters) -> Select:
    """Active organisations matching the directory filters, by name."""
    query = select(Organization).where(Organization.status == OrganizationStatus.ACTIVE)
    if filters.q:
        words = [w for w in filters.q.lower().split() if w][:8]
        for word in words:
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(
                or_(func.lower(Organization.name).like(f"%{escaped}%", escape="\\"),
                    func.lower(Organization.ipa_code) == word)
            )
    if filters.kind:
        query = query.where(kind_filter_clause(filters.kind))
    if filters.region:
        query = query.where(Organization.region_code == filters.region)
    return query.order_by(Organization.sort_name, Organization.name, Organization.id)


def people_of(organization: Organization, statuses: tuple[str, ...]) -> list[User]:
    return list(db.session.execute(
        select(User).where(User.organization_id == organization.id, User.affiliation_status.in_(statuses))
        .order_by(User.is_referent.desc(), User.full_name)
    ).scalars())


def active_referents(organization: Organization) -> list[User]:
    return list(db.session.execute(
        select(User).where(User.organization_id == organization.id, User.is_referent.is_(True),
                           User.affiliation_status == AffiliationStatus.ACTIVE)
    ).scalars())


def administrators() -> list[User]:
    return list(db.session.execute(select(User).where(User.is_admin.is_(True))).scalars())


def approvers_of(user: User) -> list[User]:
    """Who decides on a pending person: the organisation's referents, or administrators when it has none."""
    organization = user.organization
    if organization is not None and organization.is_active:
        referents = active_referents(organization)
        if referents:
            return referents
    return administrators()


def notify_approvers(user: User) -> None:
    """Tell the approvers that a person with a confirmed address waits for them."""
    organization = user.organization
    new_org = organization is not None and organization.status == OrganizationStatus.PENDING
    link = external_url("admin.dashboard") if new_org else external_url("organizations.people",
                                                                          slug=organization.slug)
    for approver in approvers_of(user):
        send_email(approver.email, _l("Nuova richiesta di adesione da approvare"), "approval_needed",
                   locale=approver.locale, approver=approver, user=user, organization=organization,
                   new_organization=new_org, link=link)


def _ensure_pending(person: User) -> None:
    if person.affiliation_status != AffiliationStatus.PENDING:
        raise PeopleRuleError(_l("Questa richiesta è già stata gestita."))
    if not person.email_confirmed:
        raise PeopleRuleError(_l("La persona non ha ancora confermato il suo indirizzo e-mail."))


def approve_person(person: User, actor: User) -> None:
    """Accept a pending person into their organisation and tell them by e-mail."""
    _ensure_pending(person)
    if person.organization is None or not person.organization.is_active:
        raise PeopleRuleError(_l("L'ente di questa persona non è ancora stato approvato."))
    person.affiliation_status = AffiliationStatus.ACTIVE
    person.approved_at, person.approved_by_id = utcnow(), actor.id
    db.session.commit()
    send_email(person.email, _l("La tua adesione è stata approvata"), "approved", locale=person.locale,
               user=person, link=external_url("auth.login"))


def reject_person(person: User, actor: User) -> None:
    """Refuse a pending request; the person is told by e-mail."""
    _ensure_pending(person)
    person.affiliation_status = AffiliationStatus.REJECTED
    person.is_referent = False
    person.approved_at, person.approved_by_id = utcnow(), actor.id
    db.session.commit()
    send_email(person.email, _l("La tua richiesta di adesione non è stata accolta"), "rejected",
               locale=person.locale, user=person)


def _lock_organization(organization_id: int | None) -> None:
    """Serialise changes to one organisation's referents."""
    if organization_id is not None:  # a no-op UPDATE takes the row lock (PostgreSQL) or the write lock (SQLite)
        db.session.execute(update(Organization).where(Organization.id == organization_id).values(id=Organization.id))


def _is_last_referent(person: User) -> bool:
    referents = active_referents(person.organization) if person.organization else []
    return person.is_referent and person.is_affiliated and len(referents) <= 1


def remove_person(person: User, actor: User) -> None:
    """Remove an active person from the organisation; their open sessions end."""
    _lock_organization(person.organization_id)
    if person.affiliation_status != AffiliationStatus.ACTIVE:
        raise PeopleRuleError(_l("Questa persona non fa parte dell'ente."))
    if _is_last_referent(person):
        raise PeopleRuleError(_l("Non puoi rimuovere l'ultimo referente: nomina prima un altro referente."))
    person.affiliation_status = AffiliationStatus.REMOVED
    person.is_referent = False
    person.session_token = new_session_token()
    db.session.commit()


def set_referent(person: User, make_referent: bool) -> None:
    """Make an active person referent of the organisation, or revoke it (never the last one)."""
    _lock_organization(person.organization_id)
    if person.affiliation_status != AffiliationStatus.ACTIVE:
        raise PeopleRuleError(_l("Solo chi fa parte dell'ente può esserne referente."))
    if person.is_referent == make_referent:
        raise PeopleRuleError(_l("Nessuna modifica: il ruolo era già questo."))
    if not make_referent and _is_last_referent(person):
        raise PeopleRuleError(_l("Non puoi revocare l'ultimo referente: nomina prima un altro referente."))
    person.is_referent = make_referent
    db.session.commit()


def review_organization(organization: Organization, actor: User, accept: bool) -> None:
    """An administrator accepts or rejects an organisation asked for at registration, with its requesters."""
    if organization.status != OrganizationStatus.PENDING:
        raise PeopleRuleError(_l("Questa richiesta è già stata gestita."))
    organization.status = OrganizationStatus.ACTIVE if accept else OrganizationStatus.REJECTED
    organization.reviewed_at, organization.reviewed_by_id = utcnow(), actor.id
    requesters = people_of(organization, (AffiliationStatus.PENDING,))
    # Accepted: confirmed requesters come in now; unconfirmed ones are approved after they confirm.
    # Rejected: every requester is refused, confirmed or not, and the IPA code is free for the real body.
    confirmed = [p for p in requesters if p.email_confirmed or not accept]
    for person in confirmed:
        person.affiliation_status = AffiliationStatus.ACTIVE if accept else AffiliationStatus.REJECTED
        person.approved_at, person.approved_by_id = utcnow(), actor.id
        if not accept:
            person.is_referent = False
    if not accept:
        organization.ipa_code = None
    db.session.commit()
    for person in confirmed:
        if accept:
            send_email(person.email, _l("La tua adesione è stata approvata"), "approved", locale=person.locale,
                       user=person, link=external_url("auth.login"))
        else:
            send_email(person.email, _l("La tua richiesta di adesione non è stata accolta"), "rejected",
                       locale=person.locale, user=person)
