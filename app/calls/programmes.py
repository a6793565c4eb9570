"""Services of the programmes (issue 15, point 1): the list, what a programme's page shows, creating and editing a
programme with its communities, appointing and removing its staff. One transaction per operation; refusals raise
CallsError and leave nothing half-applied."""
from __future__ import annotations

from collections import defaultdict

from flask import url_for
from slugify import slugify
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app import permissions
from app.activity.services import visible_communities_clause
from app.calls import access
from app.calls.core import CallsError, N_, commit_and_email, lock, notify_people, now, refusal_rolls_back
from app.calls.workflow import CallPhase, window_state
from app.extensions import db
from app.models import (Community, InterestCall, Organization, OrganizationStatus, Programme, ProgrammeParticipant,
                        ProgrammeStaff, User)
from app.models.base import utcnow

RESERVED_SLUGS = {"new"}  # /programmes/new is the new programme's form
FIELDS = ("name", "summary", "description", "promoter_id", "starts_on", "ends_on", "website")


# ---- reading --------------------------------------------------------------------------------------------------

def list_programmes(page: int = 1):
    """Every programme (programmes are public), the running and most recent first, with their promoters."""
    query = (select(Programme).options(selectinload(Programme.promoter))
             .order_by(Programme.ends_on.is_(None).desc(), Programme.ends_on.desc(), Programme.name, Programme.id))
    return db.paginate(query, page=page, per_page=20, error_out=False)


def open_call_counts(programme_ids) -> dict[int, int]:
    """Published calls whose window is open now, per programme (for the list's cards)."""
    if not programme_ids:
        return {}
    moment = now()
    rows = db.session.execute(select(InterestCall.programme_id, func.count(InterestCall.id)).where(
        InterestCall.programme_id.in_(list(programme_ids)), InterestCall.phase == CallPhase.PUBLISHED,
        InterestCall.opens_at <= moment, InterestCall.closes_at >= moment).group_by(InterestCall.programme_id)).all()
    return dict(rows)


def programme_by_slug(slug: str) -> Programme | None:
    return db.session.execute(select(Programme).where(Programme.slug == slug)
                              .options(selectinload(Programme.promoter))).scalar_one_or_none()


def visible_communities(user, programme: Programme) -> list[Community]:
    """The programme's communities the reader may see (a private one only to its members)."""
    return list(db.session.scalars(select(Community).where(
        Community.id.in_(programme_community_ids(programme)), visible_communities_clause(user))
        .order_by(Community.name)))


def programme_community_ids(programme: Programme):
    from app.models.programme import programme_community

    return select(programme_community.c.community_id).where(programme_community.c.programme_id == programme.id)


def staff_of(programme: Programme) -> list[ProgrammeStaff]:
    return list(db.session.scalars(select(ProgrammeStaff).where(ProgrammeStaff.programme_id == programme.id)
                                   .options(selectinload(ProgrammeStaff.user).selectinload(User.organization))
                                   .order_by(ProgrammeStaff.added_at, ProgrammeStaff.id)))


def calls_of(programme: Programme, manager: bool) -> list[dict]:
    """The programme's calls the reader may see (drafts only for who manages it), newest first, with the state of
    their window."""
    query = select(InterestCall).where(InterestCall.programme_id == programme.id).options(
        selectinload(InterestCall.quotas))
    if not manager:
        query = query.where(InterestCall.phase != CallPhase.DRAFT)
    moment = now()
    calls = db.session.scalars(query.order_by(InterestCall.opens_at.desc().nulls_first(), InterestCall.id.desc()))
    return [{"call": call, "window": window_state(call.opens_at, call.closes_at, moment),
             "seats": sum(quota.seats for quota in call.quotas)} for call in calls]


def participants_by_kind(programme: Programme, everything: bool = True) -> dict[str, list[Organization]]:
    """The participant organisations, grouped by organisation kind (in the order of PA_KIND_LABELS), by name.
    Without `everything`: only those already announced (added by the staff, or from a call whose results are
    published: a selection is not public before)."""
    from app.models import PA_KIND_LABELS, InterestCandidacy

    query = (select(Organization).join(ProgrammeParticipant, ProgrammeParticipant.organization_id == Organization.id)
             .where(ProgrammeParticipant.programme_id == programme.id).order_by(Organization.name))
    if not everything:
        announced = select(InterestCandidacy.id).join(InterestCall, InterestCall.id == InterestCandidacy.call_id) \
            .where(InterestCall.phase == CallPhase.RESULTS)
        query = query.where(ProgrammeParticipant.candidacy_id.is_(None)
                            | ProgrammeParticipant.candidacy_id.in_(announced))
    rows = db.session.scalars(query)
    grouped: dict[str, list[Organization]] = defaultdict(list)
    for organization in rows:
        grouped[organization.pa_kind or "other"].append(organization)
    order = list(PA_KIND_LABELS)
    return dict(sorted(grouped.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)))


def promoter_choices() -> list[tuple[int, str]]:
    """Active organisations, by name, for the promoter's list (0: none chosen)."""
    rows = db.session.execute(select(Organization.id, Organization.name).where(
        Organization.status == OrganizationStatus.ACTIVE).order_by(Organization.name)).all()
    return [(0, "—")] + [(row.id, row.name) for row in rows]


def community_choices(user) -> list[tuple[int, str]]:
    """The communities this person may link: those they may see."""
    rows = db.session.execute(select(Community.id, Community.name).where(visible_communities_clause(user))
                              .order_by(Community.name)).all()
    return [(row.id, row.name) for row in rows]


# ---- writing --------------------------------------------------------------------------------------------------

def unique_slug(name: str) -> str:
    base = slugify(name, max_length=100) or "programma"
    if base in RESERVED_SLUGS:
        base = f"programma-{base}"
    slug, number = base, 2
    while db.session.execute(select(Programme.id).where(Programme.slug == slug)).first() is not None:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _promoter(values: dict) -> None:
    promoter_id = values.get("promoter_id")
    if promoter_id is not None:
        organization = db.session.get(Organization, promoter_id)
        if organization is None or not organization.is_active:
            raise CallsError(N_("Scegliete l'ente promotore dall'elenco."), field="promoter_id")


def _communities(actor, programme: Programme, chosen_ids) -> None:
    """Link the chosen communities among those the actor may see; a private community the actor cannot see stays
    as it was (it was not in their list to untick)."""
    chosen = set(chosen_ids or [])
    visible = set(db.session.scalars(select(Community.id).where(visible_communities_clause(actor))))
    if chosen - visible:
        raise CallsError(N_("Scegliete le comunità dall'elenco."), field="communities")
    kept = [each for each in programme.communities if each.id not in visible]
    picked = list(db.session.scalars(select(Community).where(Community.id.in_(chosen)))) if chosen else []
    programme.communities = kept + picked


@refusal_rolls_back
def create_programme(actor, values: dict, community_ids=()) -> Programme:
    """A new programme (administrators)."""
    if not access.can_create_programme(actor):
        raise CallsError(N_("Un nuovo programma lo crea chi amministra la piattaforma."))
    _promoter(values)
    programme = Programme(slug=unique_slug(values["name"]), created_by_id=actor.id,
                          **{key: values[key] for key in FIELDS if key in values})
    _communities(actor, programme, community_ids)
    db.session.add(programme)
    try:
        db.session.flush()
    except IntegrityError as twin:  # the same name created at the same moment
        raise CallsError(N_("Un programma con lo stesso nome è stato appena creato: inviate di nuovo il modulo."),
                         field="name") from twin
    db.session.commit()
    return programme


@refusal_rolls_back
def update_programme(programme: Programme, actor, values: dict, community_ids=()) -> list[str]:
    """Change a programme (administrators and its staff); its address stays the same."""
    if not access.can_manage_programme(actor, programme):
        raise CallsError(N_("Modifica il programma il suo staff, o chi amministra la piattaforma."))
    lock(programme)
    _promoter(values)
    changed = [key for key in FIELDS if key in values and getattr(programme, key) != values[key]]
    for key in changed:
        setattr(programme, key, values[key])
    before = {each.id for each in programme.communities}
    _communities(actor, programme, community_ids)
    if {each.id for each in programme.communities} != before:
        changed.append("communities")
    if changed:
        programme.updated_at = utcnow()
    db.session.commit()
    return changed


def person_by_email(email: str) -> User | None:
    return db.session.execute(select(User).where(func.lower(User.email) == (email or "").strip().lower())
                              ).scalar_one_or_none()


@refusal_rolls_back
def add_staff(programme: Programme, actor, email: str) -> ProgrammeStaff:
    """Appoint an active member of the platform to the staff (administrators); the person is notified."""
    if not access.can_manage_staff(actor, programme):
        raise CallsError(N_("Lo staff del programma lo nomina chi amministra la piattaforma."))
    lock(programme)
    person = person_by_email(email)
    if person is None or not person.can_sign_in or not permissions.is_member(person):
        raise CallsError(N_("Nessuna persona attiva sulla piattaforma ha questo indirizzo: chi entra nello staff "
                            "deve essere già iscritto e attivo nel suo ente."), field="email")
    if access.is_programme_staff(person, programme):
        raise CallsError(N_("%(name)s fa già parte dello staff del programma."), field="email",
                         name=person.full_name)
    staff = ProgrammeStaff(programme_id=programme.id, user_id=person.id, added_by_id=actor.id)
    db.session.add(staff)
    try:
        db.session.flush()
    except IntegrityError as twin:  # appointed by someone else at the same moment
        raise CallsError(N_("%(name)s fa già parte dello staff del programma."), field="email",
                         name=person.full_name) from twin
    notify_people([person], "calls.staff_appointed", actor, url_for("calls.programme", slug=programme.slug),
                  programme=programme.name)
    commit_and_email()
    return staff


@refusal_rolls_back
def remove_staff(programme: Programme, actor, staff_id: int) -> User:
    """Remove a person from the staff (administrators)."""
    if not access.can_manage_staff(actor, programme):
        raise CallsError(N_("Lo staff del programma lo nomina chi amministra la piattaforma."))
    lock(programme)
    staff = db.session.get(ProgrammeStaff, staff_id)
    if staff is None or staff.programme_id != programme.id:
        raise CallsError(N_("Questa persona non fa più parte dello staff del programma."))
    person = staff.user
    db.session.delete(staff)
    db.session.commit()
    return person
