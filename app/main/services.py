"""Figures shown on the home page."""
from __future__ import annotations

from sqlalchemy import func, select

from app.communities.workflow import Visibility
from app.extensions import db
from app.models import AffiliationStatus, Community, Organization, OrganizationKind, OrganizationStatus, User


def network_figures() -> dict[str, int]:
    """Active organisations by kind, active people and public communities."""
    by_kind = dict(db.session.execute(
        select(Organization.kind, func.count()).where(Organization.status == OrganizationStatus.ACTIVE)
        .group_by(Organization.kind)).all())
    people = db.session.execute(select(func.count()).select_from(User)
                                .where(User.affiliation_status == AffiliationStatus.ACTIVE)).scalar()
    communities = db.session.execute(select(func.count()).select_from(Community)
                                     .where(Community.visibility != Visibility.PRIVATE)).scalar()
    return {"administrations": by_kind.get(OrganizationKind.PUBLIC_ADMINISTRATION, 0),
            "organizations": sum(by_kind.values()), "people": people, "communities": communities}
