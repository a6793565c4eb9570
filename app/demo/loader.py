"""Load the demo organisations and people; running it again changes nothing."""
from __future__ import annotations

from sqlalchemy import func, select

from app.activity.services import record
from app.auth.passwords import hash_password
from app.demo import data
from app.extensions import db
from app.models import AffiliationStatus, Organization, OrganizationKind, OrganizationStatus, User
from app.models.base import utcnow
from app.organizations.services import unique_slug


def load_demo() -> dict[str, int]:
    """Create what is missing of the demo data in one transaction; return how many rows were added."""
    added = {"organizations": 0, "users": 0}
    by_name = {o.name: o for o in db.session.execute(select(Organization)).scalars()}
    for item in data.ORGANIZATIONS:
        if item["name"] in by_name:
            continue
        organization = Organization(
            name=item["name"], slug=unique_slug(item["name"]), kind=item["kind"], pa_kind=item.get("pa_kind"),
            ipa_code=item.get("ipa_code"), region_code=item.get("region"), province_code=item.get("province"),
            website=item.get("website"), email=item.get("email"), description=item.get("description", ""),
            status=OrganizationStatus.ACTIVE,
        )
        db.session.add(organization)
        db.session.flush()  # the next unique_slug() must see this one
        by_name[organization.name] = organization
        added["organizations"] += 1

    existing = set(db.session.execute(select(User.email)).scalars())
    password_hash = None
    now = utcnow()
    for item in data.USERS:
        if item["email"] in existing:
            continue
        password_hash = password_hash or hash_password(data.DEMO_PASSWORD)
        active = item["status"] == "active"
        db.session.add(User(
            email=item["email"], full_name=item["full_name"], job_title=item.get("job_title", ""),
            password_hash=password_hash,
            organization=by_name[item["organization"]] if item.get("organization") else None,
            affiliation_status=AffiliationStatus.ACTIVE if active else AffiliationStatus.PENDING,
            is_referent=item["role"] == "referent", is_admin=item["role"] == "admin",
            email_confirmed_at=now, approved_at=now if active else None,
        ))
        added["users"] += 1
    db.session.flush()
    added["communities"] = _load_communities()
    added["practices"] = _load_practices(by_name)
    db.session.commit()
    added["catalogue"] = _import_catalogue()
    return added


_IPA_PREFIX_KINDS = (("c_", "municipality"), ("r_", "region"), ("p_", "province"), ("cm", "metropolitan_city"),
                     ("uc_", "union_of_municipalities"))


def _import_catalogue() -> int:
    """Import the real publiccode.yml files of the shared corpus, when present, into a demo community."""
    from pathlib import Path

    from flask import current_app

    from app.models import Community
    from app.practices.importer import import_publiccode, tolerated
    from app.practices.publiccode import parse_publiccode, practice_fields

    folder = Path(current_app.config["IPA_CODES_FILE"]).parents[2] / "real"
    community = db.session.execute(select(Community).where(
        Community.slug == "agenda-digitale-territoriale")).scalar_one_or_none()
    if not folder.is_dir() or community is None:
        return 0
    imported = 0
    for path in sorted(folder.glob("*.yml")):
        result = parse_publiccode(path.read_bytes())
        if result.data is None:
            continue
        try:
            fields = practice_fields(result if result.ok else tolerated(result))
        except ValueError:
            continue
        code = fields.get("ipa_code")
        donor = None
        if code:
            donor = db.session.execute(select(Organization).where(
                func.lower(Organization.ipa_code) == code.lower())).scalar_one_or_none()
            if donor is None:  # the catalogue's administrations join the directory, as they would by registering
                kind = next((k for prefix, k in _IPA_PREFIX_KINDS if code.lower().startswith(prefix)), "other")
                donor = Organization(name=(fields.get("organisation_name") or code)[:200],
                                     slug=unique_slug(fields.get("organisation_name") or code),
                                     kind=OrganizationKind.PUBLIC_ADMINISTRATION, pa_kind=kind, ipa_code=code,
                                     status=OrganizationStatus.ACTIVE, description="")
                db.session.add(donor)
                db.session.flush()
        if donor is None:
            continue
        outcome = import_publiccode(path.read_bytes(), community, donor=donor, author_id=None, publish=True,
                                    lenient=True)
        if outcome.status == "imported":
            imported += 1
        elif outcome.status == "rejected":
            db.session.rollback()
    return imported


def _load_practices(organizations: dict) -> int:
    """Published demo practices with their kits (one with two versions)."""
    from datetime import timedelta

    from app.models import Community, KitSection, KitVersion, MaintenanceEntry, Practice, PracticeTag
    from app.practices.services import unique_slug

    communities = {c.slug: c for c in db.session.execute(select(Community)).scalars()}
    existing = set(db.session.execute(select(Practice.title)).scalars())
    added = 0
    for item in data.PRACTICES:
        if item["title"] in existing or item["community"] not in communities:
            continue
        donor = organizations[item["donor"]]
        author = db.session.execute(select(User).where(User.organization_id == donor.id)).scalars().first()
        first_published = utcnow() - timedelta(days=200)
        practice = Practice(
            title=item["title"], slug=unique_slug(item["title"]), summary=item["summary"],
            description=item["description"], status="published", community_id=communities[item["community"]].id,
            donor_id=donor.id, theme=item["theme"], mission=item["mission"], region_code=item["region"],
            start_year=item["start_year"], licence=item["licence"], published_at=first_published,
            co_donors=[organizations[name] for name in item["co_donors"]],
            tags=[PracticeTag(name=tag) for tag in item["tags"]], created_by_id=author.id if author else None)
        db.session.add(practice)
        db.session.flush()
        kit = {**data.KIT_DEFAULTS, **item["kit"]}
        versions = [("1.0", "Prima versione del KIT.", kit, first_published)]
        if update := item.get("kit_update"):
            versions.append((update["label"], update["changelog"],
                             {**kit, **{k: v for k, v in update.items() if k not in ("label", "changelog")}},
                             utcnow() - timedelta(days=20)))
        for label, changelog, sections, when in versions:
            db.session.add(KitVersion(practice_id=practice.id, label=label, status="published", changelog=changelog,
                                      author_id=author.id if author else None, published_at=when, created_at=when,
                                      sections=[KitSection(key=k, body=v) for k, v in sections.items()]))
            db.session.add(MaintenanceEntry(practice_id=practice.id, author_id=author.id if author else None,
                                            created_at=when, note=f"Pubblicata la versione {label} del KIT."))
        last = versions[-1]
        practice.kit_completeness = round(100 * sum(1 for v in last[2].values() if v.strip()) / 9)
        practice.kit_updated_at = last[3]
        record("practice.published", actor=author, community=communities[item["community"]],
               object_type="practice", object_id=practice.id, object_label=practice.title)
        added += 1
    return added


def _load_communities() -> int:
    """Demo communities with facilitators, members and pending requests, each with its activity."""
    from app.communities.workflow import Role, Status
    from app.models import Community, Membership, MembershipEvent

    people = {u.email.split("@")[0]: u for u in db.session.execute(select(User)).scalars()}
    existing = set(db.session.execute(select(Community.slug)).scalars())
    admin = next((u for u in people.values() if u.is_admin), None)
    added = 0
    for item in data.COMMUNITIES:
        if item["slug"] in existing:
            continue
        community = Community(name=item["name"], slug=item["slug"], theme=item["theme"],
                              description=item["description"], visibility=item["visibility"], scope=item["scope"],
                              region_code=item["region"], province_code=item["province"],
                              created_by_id=admin.id if admin else None)
        db.session.add(community)
        db.session.flush()
        record("community.created", actor=admin, community=community)
        groups = ((item["facilitators"], Status.ACTIVE, Role.FACILITATOR), (item["members"], Status.ACTIVE, Role.MEMBER),
                  (item["pending"], Status.PENDING, Role.MEMBER))
        for names, status, role in groups:
            for name in names:
                person = people[name]
                membership = Membership(community_id=community.id, user_id=person.id, status=status, role=role,
                                        joined_at=utcnow() if status == Status.ACTIVE else None)
                db.session.add(membership)
                db.session.flush()
                db.session.add(MembershipEvent(membership_id=membership.id, action="demo", from_status=Status.NONE,
                                               to_status=status, role=role, actor_id=admin.id if admin else None))
                if status == Status.ACTIVE:
                    record("member.joined", actor=person, community=community)
        added += 1
    return added


def demo_accounts() -> list[dict]:
    """The demo accounts to print for a newcomer."""
    return [u for u in data.USERS if u["status"] == "active"]
