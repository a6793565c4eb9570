"""What the home page shows: figures, latest practices, active communities."""
from __future__ import annotations

from sqlalchemy import func, select

from app.communities.workflow import Status, Visibility
from app.extensions import db
from app.models import (Activity, AffiliationStatus, Community, Membership, Organization, OrganizationKind,
                        OrganizationStatus, Practice, User)

HOME_PRACTICES = 6
HOME_COMMUNITIES = 4


def network_figures() -> dict[str, int]:
    """Active organisations by kind, active people, public communities and published practices in them."""
    by_kind = dict(db.session.execute(
        select(Organization.kind, func.count()).where(Organization.status == OrganizationStatus.ACTIVE)
        .group_by(Organization.kind)).all())
    people = db.session.execute(select(func.count()).select_from(User)
                                .where(User.affiliation_status == AffiliationStatus.ACTIVE)).scalar()
    communities = db.session.execute(select(func.count()).select_from(Community)
                                     .where(Community.visibility != Visibility.PRIVATE)).scalar()
    # The same rule as the archive's default view for a visitor: published, in a community that is not private.
    practices = db.session.execute(
        select(func.count()).select_from(Practice).join(Community, Practice.community_id == Community.id)
        .where(Practice.status == "published", Community.visibility != Visibility.PRIVATE)).scalar()
    return {"administrations": by_kind.get(OrganizationKind.PUBLIC_ADMINISTRATION, 0),
            "organizations": sum(by_kind.values()), "people": people, "communities": communities,
            "practices": practices}


def latest_practices(limit: int = HOME_PRACTICES) -> list[Practice]:
    """The most recently published practices a visitor may see (three queries whatever the limit)."""
    from app.practices.services import ArchiveFilters, archive_query

    return list(db.session.execute(archive_query(ArchiveFilters(), None).limit(limit)).scalars())


def recognised_practices(limit: int = HOME_PRACTICES) -> list[Practice]:
    """Practices an evaluation call recognised (Practice.recognised), as a visitor may see them, newest first (the
    home page shows the section only when this returns some)."""
    from app.practices.services import ArchiveFilters, archive_query

    return list(db.session.execute(archive_query(ArchiveFilters(recognised="1", sort="recent"), None)
                                   .limit(limit)).scalars())


def active_communities(limit: int = HOME_COMMUNITIES) -> list[tuple[Community, int]]:
    """Public communities with the most recent activity, each with its count of active members (one query)."""
    last_activity = (select(Activity.community_id, func.max(Activity.created_at).label("at"))
                     .group_by(Activity.community_id).subquery())
    members = (select(Membership.community_id, func.count().label("n")).where(Membership.status == Status.ACTIVE)
               .group_by(Membership.community_id).subquery())
    rows = db.session.execute(
        select(Community, func.coalesce(members.c.n, 0))
        .outerjoin(last_activity, last_activity.c.community_id == Community.id)
        .outerjoin(members, members.c.community_id == Community.id)
        .where(Community.visibility != Visibility.PRIVATE)
        .order_by(last_activity.c.at.desc().nulls_last(), Community.name, Community.id).limit(limit)).all()
    return [(community, count) for community, count in rows]


def home_content() -> dict:
    """Everything the visitor's home page shows, in a bounded number of queries."""
    return {"figures": network_figures(), "latest": latest_practices(), "recognised": recognised_practices(),
            "communities": active_communities()}
