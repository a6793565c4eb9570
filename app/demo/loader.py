"""Load the demo data (organisations, people, communities, practices, reuse); running it again changes nothing."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.activity.services import record
from app.auth.passwords import hash_password
from app.demo import data
from app.demo.evaluation import load_evaluation
from app.demo.indicators import load_indicator_history
from app.demo.kpis import load_kpis
from app.demo.programmes import load_programmes
from app.demo.qa import load_qa
from app.extensions import db
from app.models import (Adoption, AdoptionEvent, AffiliationStatus, Conversion, Deployment, KitSection, KitVersion,
                        MaintenanceEntry, Organization, OrganizationKind, OrganizationStatus, Practice, SupplierOffer,
                        SupportEvent, SupportMessage, SupportRequest, User)
from app.models.base import utcnow
from app.models.reuse import DEPLOYMENT_SIZES, OFFER_SERVICES, REQUEST_KINDS
from app.organizations.services import unique_slug
from app.reuse.workflow import (AdoptionStatus, RequestAction, Role, adoption_transition, check_confirmation,
                                request_transition)


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
    added["reuse"] = _load_reuse(by_name)
    db.session.commit()
    added["catalogue"] = _import_catalogue()
    added["qa"] = load_qa()  # issue 12: questions and answers, through the Q&A services
    added["evaluation"] = load_evaluation()  # issue 13: calls in each phase, self-assessments, recognitions
    # issue 14: quarters of backdated history, then the indicator, stage and observatory snapshots
    added["indicators"] = load_indicator_history()["questions"]
    added["programmes"] = load_programmes()  # issue 15: programmes, calls in each state, events held and to come
    added["kpis"] = load_kpis()  # issue 16: the KPI library, adoptions in the PIAO 2024 with three years of values
    return added


_IPA_PREFIX_KINDS = (("c_", "municipality"), ("r_", "region"), ("p_", "province"), ("cm", "metropolitan_city"),
                     ("uc_", "union_of_municipalities"), ("m_", "central_administration"), ("asl", "health_authority"),
                     ("ausl", "health_authority"), ("arpa", "agency"), ("arlpa", "agency"), ("uni", "university"))

# Catalogue donors whose files give no usable name (none, or a web address), by IPA code: never show a raw code.
_CATALOGUE_NAMES = {
    "arlpa_ge": "ARPAL - Agenzia regionale per la protezione dell'ambiente ligure",
    "asl_2sav": "ASL 2 Savonese",
    "p_ss": "Provincia di Sassari",
    "5n2tr557": "PagoPA S.p.A.",
    "data": "Liguria Digitale S.p.A.",
    "arpa_09": "ARPA Valle d'Aosta",
}
# A company (S.r.l., S.p.A., GmbH…) is not a public administration, even with an IPA code.
_COMPANY = re.compile(r"\b(s\.?\s?r\.?\s?l|s\.?\s?p\.?\s?a|gmbh|s\.?\s?n\.?\s?c|s\.?\s?a\.?\s?s)\b\.?\s*$", re.I)


def catalogue_donor(code: str, declared_name: str | None) -> Organization:
    """A new organisation for a catalogue file's IPA code: a readable name, and typed by what it is."""
    name = _CATALOGUE_NAMES.get(code.lower())
    if name is None and declared_name and "://" not in declared_name and not declared_name.startswith("www."):
        name = declared_name.strip()
    name = (name or f"Ente con codice IPA {code}")[:200]
    if _COMPANY.search(name):
        kind, pa_kind = OrganizationKind.OTHER, None
    else:
        kind = OrganizationKind.PUBLIC_ADMINISTRATION
        pa_kind = next((k for prefix, k in _IPA_PREFIX_KINDS if code.lower().startswith(prefix)), "other")
    return Organization(name=name, slug=unique_slug(name), kind=kind, pa_kind=pa_kind, ipa_code=code,
                        status=OrganizationStatus.ACTIVE, description="")


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
    seen_urls: dict[str, str] = {}  # two files of the catalogue declaring one repository: the first one wins
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
                donor = catalogue_donor(code, fields.get("organisation_name"))
                db.session.add(donor)
                db.session.flush()
        if donor is None:
            continue
        outcome = import_publiccode(path.read_bytes(), community, donor=donor, author_id=None, publish=True,
                                    lenient=True, seen_urls=seen_urls, source=path.name)
        if outcome.status == "imported":
            imported += 1
        elif outcome.status == "rejected":
            db.session.rollback()
    return imported


def _load_practices(organizations: dict) -> int:
    """Published demo practices with their kits (one with two versions)."""
    from app.models import Community, PracticeTag
    from app.practices.services import unique_slug

    communities = {c.slug: c for c in db.session.execute(select(Community)).scalars()}
    existing = set(db.session.execute(select(Practice.title)).scalars())
    added = 0
    for item in data.PRACTICES:
        if item["title"] in existing or item["community"] not in communities:
            continue
        donor = organizations[item["donor"]]
        # Published practices are published by a referent of their donor (issue 11, point 13).
        author = db.session.execute(select(User).where(User.organization_id == donor.id).order_by(
            User.is_referent.desc(), User.id)).scalars().first()
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
        _accepted_invitations(practice, author)
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


def _accepted_invitations(practice, author) -> None:
    """Each demo co-donor accepted its invitation through one of its referents (issue 11, point 30)."""
    from app.models import CoDonorInvitation

    for organization in practice.co_donors:
        referent = db.session.execute(select(User).where(
            User.organization_id == organization.id, User.is_referent.is_(True))).scalars().first()
        when = practice.published_at
        db.session.add(CoDonorInvitation(practice_id=practice.id, organization_id=organization.id, status="accepted",
                                         invited_by_id=author.id if author else None,
                                         decided_by_id=referent.id if referent else None, created_at=when,
                                         decided_at=when))


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


# ---- reuse ------------------------------------------------------------------------------------------------------
# Rows are written directly, not through app/reuse (its services build links and notify people), but every step is
# replayed through the workflow's transition rules, so the demo never shows a history the application would refuse.

@dataclass
class _Demo:
    """What the reuse loader looks things up in, and the moment its "days ago" are counted from."""

    practices: dict
    organizations: dict
    people: dict
    now: datetime

    def at(self, days: int, clock: str) -> datetime:
        """The moment `days` days ago at `clock` (HH:MM, UTC)."""
        hour, minute = (int(part) for part in clock.split(":"))
        moment = (self.now - timedelta(days=days)).replace(hour=hour, minute=minute, second=0, microsecond=0)
        if moment >= self.now:
            raise ValueError(f"demo data: {days} days ago at {clock} is not in the past")
        return moment

    def person(self, name: str, organization_ids) -> User:
        """A demo person, who must be active in one of the organisations allowed to act here."""
        person = self.people.get(name)
        if person is None or person.organization_id not in organization_ids or person.affiliation_status != "active":
            raise ValueError(f"demo data: {name} is not an active person of an organisation that may act here")
        return person

    def referent(self, name: str, organization_ids) -> User:
        """A demo person who speaks for their organisation: declaring, confirming, inviting and publishing are for
        referents (issue 11, point 13), as in the application."""
        person = self.person(name, organization_ids)
        if not person.is_referent:
            raise ValueError(f"demo data: {name} is not a referent, and only referents act for an organisation")
        return person


def _load_reuse(organizations: dict) -> int:
    """Adoptions (with deployments and conversions), support requests and supplier offers; returns how many of these
    three were added."""
    people = {u.email.split("@")[0]: u for u in db.session.execute(
        select(User).where(User.email.like(f"%@{data.DEMO_EMAIL_DOMAIN}"))).scalars()}
    demo = _Demo(practices={p.title: p for p in db.session.execute(select(Practice)).scalars()},
                 organizations=organizations, people=people, now=utcnow())
    # Adoptions first: a co-donor invitation changes who may ask the donors for support.
    added = sum(_load_adoption(item, demo) for item in data.ADOPTIONS)
    added += sum(_load_request(item, demo) for item in data.SUPPORT_REQUESTS)
    return added + sum(_load_offer(item, demo) for item in data.SUPPLIER_OFFERS)


def _exists(model, **keys) -> bool:
    """Whether a row with these natural keys is already there (what keeps the loader idempotent)."""
    return db.session.execute(select(model.id).filter_by(**keys)).first() is not None


def _check_reuser(practice, organization) -> None:
    """Only another public body reuses, or asks support for, a published practice (as app/reuse checks)."""
    if practice.status != "published" or organization.id in practice.donor_ids or organization.kind == "supplier":
        raise ValueError(f"demo data: {organization.name} may not reuse «{practice.title}»")


def _load_adoption(item: dict, demo: _Demo) -> int:
    """One adoption with its history, and its deployment record or co-donorship when the data has them."""
    practice, organization = demo.practices.get(item["practice"]), demo.organizations[item["organization"]]
    if practice is None or _exists(Adoption, practice_id=practice.id, organization_id=organization.id):
        return 0
    _check_reuser(practice, organization)
    adoption = Adoption(practice_id=practice.id, organization_id=organization.id, practice=practice,
                        organization=organization)
    for days, clock, who, action, note in item["steps"]:
        _adoption_step(adoption, demo.at(days, clock), who, action, note, demo)
    db.session.add(adoption)
    db.session.flush()
    if "deployment" in item:
        _load_deployment(adoption, item["deployment"], demo)
    if "co_donor" in item:
        _load_co_donor(adoption, item["co_donor"], demo)
    return 1


def _adoption_step(adoption, when: datetime, who: str, action: str, note: str, demo: _Demo) -> None:
    """Apply one step of an adoption's history: declare, start, complete, abandon or confirm."""
    if (action == "declare") == bool(adoption.events) or (adoption.events and when < adoption.updated_at):
        raise ValueError(f"demo data: {adoption.organization.name}'s adoption must be declared first, then move "
                         "forward in time")
    before = adoption.status if adoption.events else None
    if action == "confirm":  # by the donors, never by the reusing organisation even once it is a co-donor
        actor = demo.referent(who, adoption.practice.donor_ids - {adoption.organization_id})
        check_confirmation(adoption.status, {Role.DONOR}, adoption.is_confirmed)
        adoption.confirmed_at, adoption.confirmed_by_id = when, actor.id
    else:
        actor = (demo.referent if action == "declare" else demo.person)(who, {adoption.organization_id})
        if action == "declare":
            adoption.status, adoption.declared_by_id, adoption.notes = AdoptionStatus.INTERESTED, actor.id, note
            adoption.created_at = when
        else:
            adoption.status = adoption_transition(adoption.status, action, {Role.REUSER})
            setattr(adoption, "started_at" if action == "start" else "ended_at", when)
    adoption.updated_at = when
    adoption.events.append(AdoptionEvent(action=action, from_status=before, to_status=adoption.status,
                                         actor_id=actor.id, note=note, created_at=when))


def _load_deployment(adoption, item: dict, demo: _Demo) -> None:
    """The deployment record of a completed adoption; like the application, recording it converts the reuser."""
    if adoption.status != AdoptionStatus.COMPLETED or item["size"] not in DEPLOYMENT_SIZES:
        raise ValueError(f"demo data: bad deployment record for {adoption.organization.name}")
    author, when = demo.person(item["by"], {adoption.organization_id}), demo.at(*item["recorded"])
    fields = {k: v for k, v in item.items() if k not in ("recorded", "by", "deployed")}
    db.session.add(Deployment(adoption_id=adoption.id, practice_id=adoption.practice_id,
                              organization_id=adoption.organization_id, created_by_id=author.id, created_at=when,
                              updated_at=when, deployed_on=(demo.now - timedelta(days=item["deployed"])).date(),
                              **fields))
    db.session.add(MaintenanceEntry(practice_id=adoption.practice_id, author_id=author.id, created_at=when,
                                    adoption_id=adoption.id,
                                    note=f"Dispiegamento registrato da {adoption.organization.name}."))
    _convert(adoption, "deployment", when)


def _load_co_donor(adoption, item: dict, demo: _Demo) -> None:
    """The donors invite the reuser as co-donor, and it publishes a version of the kit."""
    practice, organization = adoption.practice, adoption.organization
    if adoption.status not in (AdoptionStatus.IN_PROGRESS, AdoptionStatus.COMPLETED):
        raise ValueError(f"demo data: {organization.name} has not started reusing «{practice.title}»")
    inviter = demo.referent(item["by"], practice.donor_ids)
    practice.co_donors.append(organization)
    from app.models import CoDonorInvitation

    invited = demo.at(*item["invited"])  # accepted by the reuser's referent, who then publishes (issue 11 §30)
    db.session.add(CoDonorInvitation(practice_id=practice.id, organization_id=organization.id, status="accepted",
                                     invited_by_id=inviter.id, decided_by_id=demo.referent(
                                         item["kit"]["by"], {organization.id}).id, created_at=invited,
                                     decided_at=invited))
    db.session.add(MaintenanceEntry(practice_id=practice.id, author_id=inviter.id, created_at=demo.at(*item["invited"]),
                                    note=f"{organization.name} invitato come co-cedente."))
    _publish_kit(adoption, item["kit"], demo)


def _publish_kit(adoption, item: dict, demo: _Demo) -> None:
    """A co-donor's kit version: the latest sections with its changes; it converts the reuser (kit_version)."""
    practice = adoption.practice
    author, when = demo.referent(item["by"], {adoption.organization_id}), demo.at(*item["published"])
    latest = db.session.execute(select(KitVersion).where(
        KitVersion.practice_id == practice.id, KitVersion.status == "published")
        .order_by(KitVersion.published_at.desc())).scalars().first()
    sections = {**({s.key: s.body for s in latest.sections} if latest else {}), **item["sections"]}
    db.session.add(KitVersion(practice_id=practice.id, label=item["label"], status="published",
                              changelog=item["changelog"], author_id=author.id, published_at=when, created_at=when,
                              sections=[KitSection(key=k, body=v) for k, v in sections.items()]))
    db.session.add(MaintenanceEntry(practice_id=practice.id, author_id=author.id, created_at=when,
                                    note=f"Pubblicata la versione {item['label']} del KIT. {item['changelog']}"))
    practice.kit_completeness = round(100 * sum(1 for v in sections.values() if v.strip()) / 9)
    practice.kit_updated_at = when
    _convert(adoption, "kit_version", when, evidence_practice_id=practice.id)


def _convert(adoption, reason: str, when: datetime, evidence_practice_id: int | None = None) -> None:
    """Record that the reuser became a donor, once per adoption (its first reason counts)."""
    if not _exists(Conversion, adoption_id=adoption.id):
        db.session.add(Conversion(adoption_id=adoption.id, organization_id=adoption.organization_id, reason=reason,
                                  evidence_practice_id=evidence_practice_id, created_at=when))
        db.session.flush()


def _load_request(item: dict, demo: _Demo) -> int:
    """One support request with its events and conversation, its stamps following the steps."""
    practice, organization = demo.practices.get(item["practice"]), demo.organizations[item["organization"]]
    if practice is None or _exists(SupportRequest, practice_id=practice.id, organization_id=organization.id,
                                   subject=item["subject"]):
        return 0
    _check_reuser(practice, organization)
    if item["kind"] not in REQUEST_KINDS:
        raise ValueError(f"demo data: unknown request kind {item['kind']}")
    requester, opened = demo.person(item["requester"], {organization.id}), demo.at(*item["opened"])
    adoption = db.session.execute(select(Adoption).where(
        Adoption.practice_id == practice.id, Adoption.organization_id == organization.id)).scalars().first()
    request = SupportRequest(practice_id=practice.id, organization_id=organization.id, requester_id=requester.id,
                             adoption_id=adoption.id if adoption and item["for_adoption"] else None,
                             kind=item["kind"], subject=item["subject"], description=item["description"],
                             status="open", created_at=opened, updated_at=opened)
    _request_event(request, "open", None, requester, "", opened)
    for days, clock, who, action, text in item["steps"]:
        _request_step(request, practice, demo.at(days, clock), who, action, text, demo)
    db.session.add(request)
    return 1


def _request_step(request, practice, when: datetime, who: str, action: str, text: str, demo: _Demo) -> None:
    """Apply one step of a request: a message or internal note, an assignment or a state change."""
    if when < request.updated_at:
        raise ValueError(f"demo data: the steps of «{request.subject}» are not in order")
    actor = demo.person(who, practice.donor_ids | {request.organization_id})
    from_donor = actor.organization_id in practice.donor_ids
    if action in ("message", "note"):
        _request_message(request, actor, from_donor, action == "note", text, when)
    elif action == "assign":
        if request.status not in ("open", "accepted"):
            raise ValueError(f"demo data: «{request.subject}» is assigned when it is no longer live")
        assignee = demo.person(text, practice.donor_ids)
        request.assignee_id = assignee.id
        _request_event(request, "assign", request.status, actor, assignee.full_name, when)
    else:
        _request_change(request, action, actor, from_donor, text, when)
    request.updated_at = when


def _request_message(request, actor: User, from_donor: bool, internal: bool, body: str, when: datetime) -> None:
    """A message of the conversation, or an internal note of the donor team."""
    if request.status in ("declined", "closed") or (internal and not from_donor):
        raise ValueError(f"demo data: no such message can be written on «{request.subject}»")
    request.messages.append(SupportMessage(author_id=actor.id, body=body, internal=internal, from_donor=from_donor,
                                           created_at=when))
    if from_donor and not internal:
        _first_response(request, when)


def _request_change(request, action: str, actor: User, from_donor: bool, text: str, when: datetime) -> None:
    """A state change checked by the workflow, stamped as app/reuse/support.py stamps it."""
    from flask import current_app

    from app.reuse.support import STAMPS

    before = request.status
    request.status = request_transition(
        before, action, {Role.DONOR} if from_donor else {Role.REUSER}, reason=text, closed_at=request.closed_at,
        reopened_before=request.reopened_at is not None, now=when,
        reopen_days=current_app.config["SUPPORT_REOPEN_DAYS"])
    setattr(request, STAMPS[RequestAction(action)], when)
    if action == RequestAction.DECLINE:
        request.decline_reason = text
    if action == RequestAction.REOPEN:  # back to work: neither resolved nor closed any more, as the service does
        request.resolved_at = request.closed_at = None
    if action in (RequestAction.ACCEPT, RequestAction.DECLINE):
        _first_response(request, when)
    _request_event(request, action, before, actor, text, when)


def _request_event(request, action: str, before: str | None, actor: User, note: str, when: datetime) -> None:
    """The record of a state change or assignment, ending in the request's current status."""
    request.events.append(SupportEvent(action=action, from_status=before, to_status=request.status,
                                       actor_id=actor.id, note=note, created_at=when))


def _first_response(request, when: datetime) -> None:
    """The donors' first answer: their first message, acceptance or refusal, whichever came first."""
    if request.first_response_at is None:
        request.first_response_at = when


def _load_offer(item: dict, demo: _Demo) -> int:
    """A supplier's offer on a published practice, hidden by the donors when the data says so."""
    practice, organization = demo.practices.get(item["practice"]), demo.organizations[item["organization"]]
    if practice is None or _exists(SupplierOffer, practice_id=practice.id, organization_id=organization.id):
        return 0
    services_known = set(item["services"]) <= set(OFFER_SERVICES)
    if organization.kind != "supplier" or practice.status != "published" or not services_known:
        raise ValueError(f"demo data: bad offer of {organization.name} on «{practice.title}»")
    created = demo.at(*item["created"])
    offer = SupplierOffer(practice_id=practice.id, organization_id=organization.id, services=list(item["services"]),
                          description=item["description"], created_by_id=demo.person(item["by"], {organization.id}).id,
                          created_at=created, updated_at=created)
    if hidden := item.get("hidden"):
        days, clock, who = hidden
        offer.hidden_at, offer.hidden_by_id = demo.at(days, clock), demo.person(who, practice.donor_ids).id
    db.session.add(offer)
    return 1


def demo_accounts() -> list[dict]:
    """The demo accounts to print for a newcomer."""
    return [u for u in data.USERS if u["status"] == "active"]
