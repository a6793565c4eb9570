"""Finding one's organisation at registration among tens of thousands: a bounded search by name, city or IPA code."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case, func, or_, select

from app.extensions import db
from app.models import IpaRegistryEntry, Organization, OrganizationStatus
from app.models.organization import collation_key
from app.organizations import registry

SHOWN = 50  # at most this many organisations are offered at once; beyond, the person narrows the search
MAX_QUERY = 100


@dataclass
class Found:
    query: str = ""
    organizations: list[Organization] = field(default_factory=list)
    more: bool = False  # more than SHOWN organisations match: the count says so instead of a wrong number
    selected: Organization | None = None  # the organisation already chosen, kept whatever the search shows
    registry: list[IpaRegistryEntry] = field(default_factory=list)  # matching IPA bodies not yet on the platform
    limit: int = SHOWN

    @property
    def searched(self) -> bool:
        return bool(self.query)


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find(query: str, selected: str | None = None) -> Found:
    """Active organisations matching every word (in the name, the city or as the IPA code), best matches first."""
    query = " ".join((query or "").split())[:MAX_QUERY]
    found = Found(query=query, selected=active_organization(selected))
    words = query.split()[:8]
    if words:
        statement = select(Organization).where(Organization.status == OrganizationStatus.ACTIVE)
        for word in words:
            lowered = word.lower()
            statement = statement.where(or_(
                Organization.sort_name.like(f"%{_escape(collation_key(word))}%", escape="\\"),
                func.lower(Organization.city).like(f"%{_escape(lowered)}%", escape="\\"),
                func.lower(Organization.ipa_code) == lowered,
            ))
        # Best first: the exact IPA code, then names that begin or end with what was typed ("Comune di Chieri"
        # before "ASL TO5" of Chieri), then the rest in Italian order.
        typed = _escape(collation_key(query))
        rank = case((func.lower(Organization.ipa_code) == query.lower(), 0),
                    (or_(Organization.sort_name.like(f"{typed}%", escape="\\"),
                         Organization.sort_name.like(f"% {typed}", escape="\\")), 1), else_=2)
        rows = list(db.session.execute(
            statement.order_by(rank, Organization.sort_name, Organization.id).limit(SHOWN + 1)).scalars())
        found.organizations, found.more = rows[:SHOWN], len(rows) > SHOWN
        if len(found.organizations) < 5:
            found.registry = registry.unregistered_matches(query, limit=5)
    if found.selected is not None and found.selected in found.organizations:
        found.organizations.remove(found.selected)
    return found


def active_organization(value: str | None) -> Organization | None:
    """The active organisation a submitted choice names, or None (a stale, pending or forged id included)."""
    value = (value or "").strip()
    if not value.isdigit() or len(value) > 18:
        return None
    organization = db.session.get(Organization, int(value))
    return organization if organization is not None and organization.is_active else None
