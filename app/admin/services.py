"""What the administrators' dashboard shows."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import AffiliationStatus, Organization, OrganizationStatus, User


def review_queue() -> dict:
    """Organisations waiting for verification, people nobody else can approve, and a few figures."""
    pending_orgs = db.session.execute(
        select(Organization).where(Organization.status == OrganizationStatus.PENDING)
        .options(selectinload(Organization.people)).order_by(Organization.created_at)
    ).scalars().all()
    referent_orgs = select(User.organization_id).where(
        User.is_referent.is_(True), User.affiliation_status == AffiliationStatus.ACTIVE,
        User.organization_id.is_not(None))  # NOT IN over a NULL would empty the list
    orphans = db.session.execute(
        select(User).join(Organization, User.organization_id == Organization.id)
        .where(User.affiliation_status == AffiliationStatus.PENDING, User.email_confirmed_at.is_not(None),
               Organization.status == OrganizationStatus.ACTIVE, Organization.id.not_in(referent_orgs))
        .options(selectinload(User.organization)).order_by(User.created_at)
    ).scalars().all()
    counts = dict(db.session.execute(select(Organization.status, func.count()).group_by(Organization.status)).all())
    people = db.session.execute(select(func.count()).select_from(User)
                                .where(User.affiliation_status == AffiliationStatus.ACTIVE)).scalar()
    return {"pending_orgs": pending_orgs, "orphans": orphans, "counts": counts, "people": people}
