"""Critical mass, participation and rhythm (M1P … M6, CORE, COREA, F1, F2, RH) for a chunk of communities.

A fixed number of batch queries per chunk whatever its size: the contributions of the last 365 days and each
person's first contribution ever (app/indicators/contributions.py), the active memberships, the administrations
the communities could reach (counted by territory) and the governance pages. Everything else is arithmetic here.
Windows end at ctx.now: W90 = [now − 90 d, now]; M5R's cohort [now − 180 d, now − 90 d); M6's past
[now − 365 d, now − 180 d) against [now − 180 d, now]; CORE and RH the calendar month of now and the two before.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select

from app.extensions import db
from app.indicators.context import Context, CommunityInfo
from app.indicators.contributions import first_contributions, load_contributions
from app.indicators.figures import Figure, count, ratio, share, smallest_half
from app.models import (AffiliationStatus, CommunityGovernance, Membership, Organization, OrganizationKind,
                        OrganizationStatus, User)

CODES = ("M1P", "M1A", "M1R", "M2", "M3", "M4P", "M4A", "M5N", "M5R", "M6", "CORE", "COREA", "F1", "F2", "RH")
D90, D180, D365 = timedelta(days=90), timedelta(days=180), timedelta(days=365)


def compute(ctx: Context, community_ids) -> dict[int, dict[str, Figure]]:
    """The mass and rhythm figures of these communities at ctx.now."""
    ids = list(community_ids)
    if not ids:
        return {}
    now = ctx.now
    by_community = defaultdict(list)
    for contribution in load_contributions(ids, now - D365, now):
        by_community[contribution.community_id].append(contribution)
    firsts = defaultdict(dict)
    for (cid, uid), at in first_contributions(ids, now).items():
        firsts[cid][uid] = at
    members = _members(ids, now)
    reachable = _reachable()
    governed = set(db.session.execute(select(CommunityGovernance.community_id).where(
        CommunityGovernance.community_id.in_(ids), CommunityGovernance.recorded_at <= now)).scalars())
    return {cid: _figures(now, ctx.communities.get(cid), by_community[cid], firsts[cid], members.get(cid, _empty()),
                          reachable, cid in governed) for cid in ids}


def _empty() -> dict:
    return {"people": set(), "facilitators": set(), "administrations": set(), "places": {}}


def _members(ids: list[int], now: datetime) -> dict[int, dict]:
    """Active memberships at `now` per community: people, facilitators, their administrations and where those are."""
    rows = db.session.execute(
        select(Membership.community_id, Membership.user_id, Membership.role, User.affiliation_status,
               Organization.id.label("org_id"), Organization.kind, Organization.status,
               Organization.region_code, Organization.province_code)
        .join(User, User.id == Membership.user_id).outerjoin(Organization, Organization.id == User.organization_id)
        .where(Membership.community_id.in_(ids), Membership.status == "active",
               # An active membership with no date (older data) is taken as joined before `now`.
               or_(Membership.joined_at.is_(None), Membership.joined_at <= now))).all()
    found: dict[int, dict] = {}
    for row in rows:
        entry = found.setdefault(row.community_id, _empty())
        entry["people"].add(row.user_id)
        if row.role == "facilitator":
            entry["facilitators"].add(row.user_id)
        if (row.org_id is not None and row.kind == OrganizationKind.PUBLIC_ADMINISTRATION
                and row.affiliation_status == AffiliationStatus.ACTIVE):
            entry["administrations"].add(row.org_id)
            # Only an administration active on the platform can be in the reach (M1R's denominator).
            if row.status == OrganizationStatus.ACTIVE:
                entry["places"][row.org_id] = (row.region_code, row.province_code)
    return found


def _reachable() -> list[tuple[str | None, str | None, int]]:
    """How many public administrations are active on the platform, per (region, province)."""
    return [tuple(row) for row in db.session.execute(
        select(Organization.region_code, Organization.province_code, func.count(Organization.id))
        .where(Organization.kind == OrganizationKind.PUBLIC_ADMINISTRATION,
               Organization.status == OrganizationStatus.ACTIVE)
        .group_by(Organization.region_code, Organization.province_code)).all()]


def _in_territory(info: CommunityInfo | None, region: str | None, province: str | None) -> bool:
    """Whether an administration at (region, province) is in the community's territory (national: everywhere)."""
    if info is None or info.scope == "national":
        return True
    if info.scope == "province" and info.province_code:
        return province == info.province_code
    if info.scope == "region" and info.region_code:
        return region == info.region_code
    return True  # a regional or provincial scope without its code: the whole country, rather than nothing


def _last_months(now: datetime) -> tuple[list[tuple[int, int]], datetime]:
    """The calendar month of `now` and the two before, and the first moment of the earliest."""
    year, month, months = now.year, now.month, []
    for _ in range(3):
        months.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    earliest = months[-1]
    return months, datetime(earliest[0], earliest[1], 1)


def _figures(now, info, contributions, firsts: dict[int, datetime], members: dict, reachable, governed: bool):
    """One community's figures from its contributions (of the last 365 days), first contributions and members."""
    w90, past, recent = now - D90, now - D365, now - D180
    months, months_start = _last_months(now)
    per_person, per_administration = Counter(), Counter()
    before, since = set(), set()
    active_months = defaultdict(set)
    for c in contributions:
        if c.at >= w90:
            if c.user_id is not None:
                per_person[c.user_id] += 1
            if c.organization_id is not None:
                per_administration[c.organization_id] += 1
        if c.user_id is not None:
            if past <= c.at < recent:
                before.add(c.user_id)
            elif c.at >= recent:
                since.add(c.user_id)
            if c.at >= months_start:
                active_months[c.user_id].add((c.at.year, c.at.month))
    active = set(per_person)
    core = {uid for uid, seen in active_months.items() if len(seen & set(months)) >= 2}
    core_administrations = {c.organization_id for c in contributions
                            if c.user_id in core and c.organization_id is not None and c.at >= months_start}
    newcomers = {uid for uid, at in firsts.items() if w90 <= at <= now}
    cohort = {uid for uid, at in firsts.items() if recent <= at < w90}
    people = members["people"]
    reach = sum(n for region, province, n in reachable if _in_territory(info, region, province))
    covered = {oid for oid, (region, province) in members["places"].items() if _in_territory(info, region, province)}
    flag = 1 if governed else 0
    return {
        "M1P": count(people, "user"),
        "M1A": count(members["administrations"], "organization"),
        # The drill-down lists the member administrations, not every reachable one (thousands for a national
        # community): ratio keeps the denominator as a number only.
        "M1R": ratio(len(covered), reach, "organization", sorted(covered), sorted(covered)),
        "M2": share(people & active, people, "user"),
        "M3": count(per_administration, "organization"),
        "M4P": smallest_half(dict(per_person), "user"),
        "M4A": smallest_half(dict(per_administration), "organization"),
        "M5N": count(newcomers, "user"),
        "M5R": share(cohort & active, cohort, "user"),
        "M6": count(before - since, "user"),
        "CORE": count(core, "user"),
        "COREA": count(core_administrations, "organization"),
        "F1": count(members["facilitators"], "user"),
        "F2": Figure(float(flag), flag, None, False, None),
        "RH": share(core & active, active, "user"),
    }
