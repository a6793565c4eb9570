"""The whole network's figures for the reuse observatory, as of ctx.now: public content only.

Counted: communities that are not private, the practices published in them, the confirmed adoptions of those
practices and the support given on them. Private communities and their practices are left out and only counted
(`left_out`). A practice, its donors and the support given on it belong to the territory of the donor organisation;
an adoption and its reuser to the adopting organisation's. A handful of batch queries, whatever the network's size.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import and_, func, or_, select

from app import geo
from app.communities.workflow import Visibility
from app.extensions import db
from app.indicators.context import Context
from app.indicators.definitions import STAGE_ORDER
from app.models import Adoption, Community, Organization, OrganizationKind, Practice, SupportRequest
from app.models.practice import practice_co_donor
from app.practices.workflow import PracticeStatus
from app.reuse.workflow import AdoptionStatus

TOP = 10


def _territory(region: str | None, province: str | None) -> tuple[str | None, str | None]:
    """An organisation's (region, province), the region deduced from the province when only that is known."""
    province = province.upper() if province else None
    return region or geo.PROVINCE_REGION.get(province or ""), province


class _Tally:
    """Per territory: sets of donors and reusers, counts of the rest."""

    def __init__(self) -> None:
        self.sets: dict[str, dict[str, set]] = defaultdict(lambda: {"donors": set(), "reusers": set()})
        self.counts: dict[str, dict[str, int]] = defaultdict(lambda: {"practices": 0, "adoptions": 0, "support": 0})

    def add(self, code: str | None, measure: str, value: int = 1) -> None:
        if not code:
            return
        if measure in ("donors", "reusers"):
            self.sets[code][measure].add(value)
        else:
            self.counts[code][measure] += value

    def as_json(self) -> dict[str, dict[str, int]]:
        codes = sorted(set(self.sets) | set(self.counts))
        return {code: {"practices": self.counts[code]["practices"], "donors": len(self.sets[code]["donors"]),
                       "reusers": len(self.sets[code]["reusers"]), "adoptions": self.counts[code]["adoptions"],
                       "support": self.counts[code]["support"]} for code in codes}


def compute(ctx: Context, stored: dict[int, dict]) -> dict:
    """The network's figures (the NetworkSnapshot.figures JSON) at ctx.now; `stored` gives each community's stage."""
    now = ctx.now
    existing = set(db.session.execute(select(Community.id).where(Community.created_at <= now)).scalars())
    community_ids = [cid for cid in ctx.communities if cid in existing]
    public = {cid for cid in community_ids if ctx.communities[cid].visibility != Visibility.PRIVATE}
    by_stage = {stage: 0 for stage in STAGE_ORDER}
    for cid in public:
        stage = (stored.get(cid) or {}).get("stage") or "starting"
        by_stage[stage] = by_stage.get(stage, 0) + 1

    published = and_(Practice.status == PracticeStatus.PUBLISHED,
                     or_(Practice.published_at.is_(None), Practice.published_at <= now),
                     Practice.created_at <= now)
    practice_rows = db.session.execute(
        select(Practice.id, Practice.title, Practice.slug, Practice.community_id, Practice.donor_id,
               Organization.kind, Organization.region_code, Organization.province_code)
        .join(Organization, Practice.donor_id == Organization.id).where(published)).all()
    practices = {row.id: row for row in practice_rows if row.community_id in public}
    private = set(community_ids) - public
    private_practices = sum(1 for row in practice_rows if row.community_id in private)
    public_ids = select(Practice.id).join(Community, Practice.community_id == Community.id).where(
        published, Community.visibility != Visibility.PRIVATE, Community.created_at <= now)

    regions, provinces = _Tally(), _Tally()
    donors: set[int] = set()
    donors_of: dict[int, set[int]] = defaultdict(set)

    def add_donor(practice_id: int, org_id: int, kind: str, region: str | None, province: str | None) -> None:
        donors_of[practice_id].add(org_id)
        if kind != OrganizationKind.PUBLIC_ADMINISTRATION:
            return  # donors counted are administrations
        donors.add(org_id)
        region, province = _territory(region, province)
        regions.add(region, "donors", org_id)
        provinces.add(province, "donors", org_id)

    for row in practices.values():
        region, province = _territory(row.region_code, row.province_code)
        regions.add(region, "practices")
        provinces.add(province, "practices")
        add_donor(row.id, row.donor_id, row.kind, row.region_code, row.province_code)
    co_donors = db.session.execute(
        select(practice_co_donor.c.practice_id, Organization.id, Organization.kind, Organization.region_code,
               Organization.province_code)
        .join(Organization, practice_co_donor.c.organization_id == Organization.id)
        .where(practice_co_donor.c.practice_id.in_(public_ids))).all()
    for practice_id, org_id, kind, region, province in co_donors:
        if practice_id in practices:
            add_donor(practice_id, org_id, kind, region, province)

    # Confirmed by now and not abandoned by now (an adoption abandoned later still counted at the time).
    adoptions = db.session.execute(
        select(Adoption.practice_id, Adoption.organization_id, Organization.kind, Organization.region_code,
               Organization.province_code)
        .join(Organization, Adoption.organization_id == Organization.id)
        .where(Adoption.practice_id.in_(public_ids), Adoption.confirmed_at.is_not(None),
               Adoption.confirmed_at <= now,
               or_(Adoption.status != AdoptionStatus.ABANDONED,
                   and_(Adoption.ended_at.is_not(None), Adoption.ended_at > now)))).all()
    adopted: dict[int, int] = defaultdict(int)
    reusers: set[int] = set()
    for practice_id, org_id, kind, region, province in adoptions:
        if practice_id not in practices:
            continue
        adopted[practice_id] += 1
        region, province = _territory(region, province)
        regions.add(region, "adoptions")
        provinces.add(province, "adoptions")
        if kind == OrganizationKind.PUBLIC_ADMINISTRATION and org_id not in donors_of[practice_id]:
            reusers.add(org_id)
            regions.add(region, "reusers", org_id)
            provinces.add(province, "reusers", org_id)

    support = db.session.execute(
        select(SupportRequest.practice_id, func.count()).where(
            SupportRequest.practice_id.in_(public_ids), SupportRequest.first_response_at.is_not(None),
            SupportRequest.first_response_at >= ctx.w365, SupportRequest.first_response_at <= now)
        .group_by(SupportRequest.practice_id)).all()
    support_given = 0
    for practice_id, number in support:
        if (row := practices.get(practice_id)) is None:
            continue
        support_given += number
        region, province = _territory(row.region_code, row.province_code)
        regions.add(region, "support", number)
        provinces.add(province, "support", number)

    top = sorted((row for row in practices.values() if adopted[row.id]),
                 key=lambda row: (-adopted[row.id], row.title.casefold(), row.id))[:TOP]
    return {
        "communities": len(public),
        "by_stage": by_stage,
        "donors": len(donors),
        "reusers": len(reusers),
        "confirmed_adoptions": sum(adopted.values()),
        "support_given": support_given,
        "practices": len(practices),
        "by_region": regions.as_json(),
        "by_province": provinces.as_json(),
        "top_practices": [{"id": row.id, "title": row.title, "slug": row.slug, "adoptions": adopted[row.id]}
                          for row in top],
        "left_out": {"private_communities": len(private),
                     "private_practices": private_practices},
    }
