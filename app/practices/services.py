"""Practice and kit operations; each runs in one transaction and commits here."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app, url_for
from sqlalchemy import Select, Text, and_, case, cast, func, not_, or_, select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app import slugs
from app.activity import services as activity
from app.activity.services import visible_communities_clause
from app.extensions import db
from app.models import (KIT_SECTIONS, Community, KitSection, KitVersion, MaintenanceEntry, Organization, Practice,
                        PracticeTag, User, practice_co_donor)
from app.models.base import utcnow
from app.models.organization import kind_filter_clause
from app.practices.workflow import N_, PracticeAction, PracticeStatus, Role, transition

# ---- reading -------------------------------------------------------------------------------------------------

def by_slug(slug: str) -> Practice | None:
    return db.session.execute(
        select(Practice).where(Practice.slug == slug)
        .options(selectinload(Practice.co_donors), selectinload(Practice.tags), selectinload(Practice.donor),
                 selectinload(Practice.community))).scalar_one_or_none()


@dataclass
class ArchiveFilters:
    q: str = ""
    community: str = ""
    theme: str = ""
    mission: str = ""
    region: str = ""
    donor_kind: str = ""
    licence: str = ""
    completeness: int = 0
    status: str = "published"
    sort: str = "documented"
    origin: str = ""  # "documented" (written on the platform) | "catalogue" (imported from a publiccode.yml)
    recognised: str = ""  # "1" (or the search facet's "yes"): only practices an evaluation call recognised


SORTS = {"documented", "recent", "title", "completeness"}
ORIGINS = {"documented", "catalogue"}


def from_catalogue():
    """True for a practice imported from a publiccode.yml (its metadata are kept; a JSON null is no metadata)."""
    return and_(Practice.publiccode.is_not(None), cast(Practice.publiccode, Text) != "null")


def co_donated_by(organization_id: int):
    """Ids of the practices an organisation is co-donor of (a subquery)."""
    return select(practice_co_donor.c.practice_id).where(practice_co_donor.c.organization_id == organization_id)


def donated_by(organization_id: int):
    """SQL condition: practices the organisation donates or co-donates."""
    return or_(Practice.donor_id == organization_id, Practice.id.in_(co_donated_by(organization_id)))


def readable_clause(user):
    """Practices this reader may see: in a visible community, and published/archived unless they are the donors."""
    clause = Practice.status != PracticeStatus.DRAFT
    if user is not None and user.is_authenticated:
        if user.is_admin:
            clause = Practice.id.is_not(None)
        elif user.organization_id is not None:
            clause = or_(clause, Practice.donor_id == user.organization_id,
                         Practice.id.in_(co_donated_by(user.organization_id)))
    return clause


def archive_query(filters: ArchiveFilters, user) -> Select:
    """The archive as this reader may see it, filtered and sorted."""
    query = (select(Practice).join(Community, Practice.community_id == Community.id)
             .join(Organization, Practice.donor_id == Organization.id)
             .where(visible_communities_clause(user), readable_clause(user))
             .options(selectinload(Practice.donor), selectinload(Practice.community)))
    if filters.status in ("published", "archived", "draft"):
        query = query.where(Practice.status == filters.status)
    for word in filters.q.lower().split()[:8]:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        query = query.where(or_(func.lower(Practice.title).like(pattern, escape="\\"),
                                func.lower(Practice.summary).like(pattern, escape="\\")))
    if filters.community:
        query = query.where(Community.slug == filters.community)
    if filters.theme:
        query = query.where(Practice.theme == filters.theme)
    if filters.mission:
        query = query.where(Practice.mission == filters.mission)
    if filters.region:
        query = query.where(Practice.region_code == filters.region)
    if filters.donor_kind:
        query = query.where(kind_filter_clause(filters.donor_kind))
    if filters.licence:
        query = query.where(Practice.licence == filters.licence)
    if filters.completeness:
        query = query.where(Practice.kit_completeness >= filters.completeness)
    if filters.origin in ORIGINS:
        query = query.where(from_catalogue() if filters.origin == "catalogue" else not_(from_catalogue()))
    if filters.recognised in ("1", "yes"):
        query = query.where(Practice.recognised.is_(True))
    recent = (func.coalesce(Practice.published_at, Practice.created_at).desc(), Practice.id.desc())
    # By default the practices people documented come first: a bulk import of the catalogue must not bury them.
    order = {"title": (Practice.title, Practice.id),
             "completeness": (Practice.kit_completeness.desc(), Practice.title),
             "recent": recent,
             }.get(filters.sort, (case((from_catalogue(), 1), else_=0), *recent))
    return query.order_by(*order)


def licences_in_use(user) -> list[str]:
    """Licences of the practices this reader may see (a draft's licence is no business of others)."""
    return list(db.session.execute(
        select(Practice.licence).join(Community, Practice.community_id == Community.id)
        .where(Practice.licence.is_not(None), visible_communities_clause(user), readable_clause(user))
        .distinct().order_by(Practice.licence)).scalars())


def my_practices(user: User) -> list[Practice]:
    """The practices of the person's organisation, as donor or co-donor, in every state, except those of a
    private community the person is not in (those do not exist for them)."""
    return list(db.session.execute(
        select(Practice).join(Community, Practice.community_id == Community.id)
        .where(donated_by(user.organization_id), visible_communities_clause(user))
        .options(selectinload(Practice.community)).order_by(Practice.updated_at.desc())).scalars())


def published_versions(practice: Practice) -> list[KitVersion]:
    return list(db.session.execute(
        select(KitVersion).where(KitVersion.practice_id == practice.id, KitVersion.status == "published")
        .options(selectinload(KitVersion.sections), selectinload(KitVersion.author).selectinload(User.organization),
                 selectinload(KitVersion.attachments))
        .order_by(KitVersion.published_at.desc(), KitVersion.id.desc())).scalars())


def draft_version(practice: Practice) -> KitVersion | None:
    return db.session.execute(
        select(KitVersion).where(KitVersion.practice_id == practice.id, KitVersion.status == "draft")
        .options(selectinload(KitVersion.sections), selectinload(KitVersion.attachments))).scalar_one_or_none()


def version_by_label(practice: Practice, label: str) -> KitVersion | None:
    return db.session.execute(
        select(KitVersion).where(KitVersion.practice_id == practice.id, KitVersion.label == label,
                                 KitVersion.status == "published")
        .options(selectinload(KitVersion.sections), selectinload(KitVersion.author).selectinload(User.organization),
                 selectinload(KitVersion.attachments))).scalar_one_or_none()


def maintenance_log(practice: Practice, user) -> list[MaintenanceEntry]:
    """The kit's log as this reader may see it: an entry about an adoption follows the deployments tab's rule."""
    from app import permissions
    from app.reuse.workflow import AdoptionStatus

    entries = db.session.execute(
        select(MaintenanceEntry).where(MaintenanceEntry.practice_id == practice.id)
        .options(selectinload(MaintenanceEntry.author).selectinload(User.organization),
                 selectinload(MaintenanceEntry.adoption))
        .order_by(MaintenanceEntry.created_at.desc(), MaintenanceEntry.id.desc())).scalars().all()
    visible = []
    for entry in entries:
        if entry.adoption is not None:
            set_committed_value(entry.adoption, "practice", practice)  # no query per entry for the check
            if entry.adoption.status == AdoptionStatus.ABANDONED or not permissions.can_view_adoption(
                    user, entry.adoption):
                continue
        visible.append(entry)
    return visible


def is_stale(practice: Practice) -> bool:
    """No kit version published for longer than KIT_STALE_DAYS."""
    if practice.kit_updated_at is None:
        return practice.status != PracticeStatus.DRAFT
    return practice.kit_updated_at < utcnow() - timedelta(days=current_app.config["KIT_STALE_DAYS"])


# ---- comparing versions -------------------------------------------------------------------------------------

@dataclass
class SectionDiff:
    key: str
    label: str
    changed: bool
    lines: list[tuple[str, str]] = field(default_factory=list)  # ("+" | "-" | " ", text)


def compare(older: KitVersion, newer: KitVersion) -> list[SectionDiff]:
    """Per section, the lines removed and added between two versions."""
    before, after = older.section_bodies(), newer.section_bodies()
    result = []
    for key, label in KIT_SECTIONS.items():
        a, b = before[key].splitlines(), after[key].splitlines()
        lines = [(line[0], line[2:]) for line in difflib.ndiff(a, b) if line[:1] in "+- "]
        result.append(SectionDiff(key, str(label), a != b, lines if a != b else []))
    return result


# ---- writing ------------------------------------------------------------------------------------------------

def unique_slug(title: str, exclude_id: int | None = None) -> str:
    return slugs.unique_slug(Practice, title, fallback="pratica", max_length=100, exclude_id=exclude_id)


def _apply(practice: Practice, form, invited_by: User) -> None:
    practice.title = form.title.data.strip()
    practice.summary = form.summary.data.strip()
    practice.description = (form.description.data or "").strip()
    practice.kind = form.kind.data
    practice.community_id = int(form.community.data)
    practice.theme = form.theme.data
    practice.mission = form.mission.data or None
    practice.region_code = form.region.data or None
    practice.start_year = form.start_year.data or None
    practice.website = (form.website.data or "").strip() or None
    practice.repository_url = (form.repository_url.data or "").strip() or None
    practice.licence = form.normalized_licence or None
    wanted = form.tag_names
    practice.tags = [t for t in practice.tags if t.name in wanted] + [
        PracticeTag(name=name) for name in wanted if name not in {t.name for t in practice.tags}]
    practice.updated_at = utcnow()
    if practice.id is not None:
        from app.practices import codonors

        codonors.sync(practice, form.co_donor_organizations, invited_by)  # named co-donors must accept first


def create_practice(form, user: User) -> tuple[Practice, bool]:
    """A new draft practice of the person's organisation (or of the one an administrator chose), with an empty
    draft kit; returns it and whether it is new (False: the same form was already submitted)."""
    from sqlalchemy.exc import IntegrityError

    from app import submissions

    token = form.submission.data if "submission" in form else None
    donor_id = form.donor_organization.id if getattr(form, "donor_organization", None) else user.organization_id
    for _attempt in range(5):
        if (earlier := submissions.already_created(token, user, "practice")) is not None:
            return db.session.get(Practice, earlier), False
        practice = Practice(donor_id=donor_id, created_by_id=user.id, status=PracticeStatus.DRAFT)
        _apply(practice, form, invited_by=user)
        practice.slug = unique_slug(practice.title)
        try:
            db.session.add(practice)
            db.session.flush()
            from app.practices import codonors

            codonors.sync(practice, form.co_donor_organizations, user)
            submissions.remember(token, user, "practice", practice.id)
            db.session.add(KitVersion(practice_id=practice.id, label="1.0", status="draft", author_id=user.id))
            db.session.commit()
        except IntegrityError:
            # Another request took this slug (a practice with the same title) or this very token (the same form
            # sent twice) between the check and the insert: look again rather than answer with an error.
            db.session.rollback()
            continue
        return practice, True
    raise RuntimeError("could not find a free slug for the practice")


def update_practice(practice: Practice, form, user: User) -> None:
    """Save the edited description of a practice (new co-donors are invited, not added)."""
    _apply(practice, form, user)
    db.session.commit()


def roles_of(user, practice: Practice, community_membership) -> set[Role]:
    from app import permissions

    roles = set()
    if permissions.is_admin(user):
        roles.add(Role.ADMIN)
    if permissions.is_donor_referent(user, practice):
        roles.add(Role.DONOR)  # the other people of the donor team draft, their referents publish (point 13)
    if permissions.can_manage_community(user, practice.community, community_membership):
        roles.add(Role.MODERATOR)
    return roles


class ModerationError(Exception):
    """A facilitator's intervention needs a reason; the message says so."""


def change_status(practice: Practice, action: PracticeAction, user: User, roles: set[Role],
                  reason: str = "") -> None:
    """Publish, archive, restore or take back to draft; refused transitions change nothing.

    A facilitator who is not of the donor team moderates: the reason is required, kept in the maintenance log and
    sent to the donor organisation's referents.
    """
    has_kit = db.session.execute(select(KitVersion.id).where(KitVersion.practice_id == practice.id,
                                                             KitVersion.status == "published")).first() is not None
    moderating = Role.MODERATOR in roles and not roles & {Role.DONOR, Role.ADMIN}
    reason = (reason or "").strip()
    new_status = transition(practice.status, action, roles, has_published_kit=has_kit)
    if moderating and not reason:
        raise ModerationError(N_("Indica il motivo: i cedenti lo riceveranno insieme alla notifica."))
    practice.status = new_status
    if reason:
        db.session.add(MaintenanceEntry(practice_id=practice.id, author_id=user.id,
                                        note=f"{'Archiviata' if action == PracticeAction.ARCHIVE else 'Riportata in bozza'}"
                                             f" da {user.full_name}: {reason}"))
    if moderating:
        from app.notifications.services import notify
        from app.organizations.services import active_referents

        recipients = {p.id: p for p in active_referents(practice.donor)}
        creator = db.session.get(User, practice.created_by_id) if practice.created_by_id else None
        if creator is not None and creator.can_sign_in:
            recipients.setdefault(creator.id, creator)  # whoever documented the practice hears of it too
        for person in recipients.values():
            notify(person, "practice.moderated", actor=user, community=practice.community,
                   link=url_for("practices.show", slug=practice.slug), practice=practice.title, reason=reason)
    practice.updated_at = utcnow()
    if action == PracticeAction.PUBLISH and practice.published_at is None:
        practice.published_at = utcnow()
        from app.reuse.services import record_conversion

        # A reuser that publishes its own practice where it reused one has become a donor.
        record_conversion(practice.donor_id, "own_practice", practice=practice)
    if action in (PracticeAction.PUBLISH, PracticeAction.RESTORE):
        activity.record("practice.published", actor=user, community=practice.community, object_type="practice",
                        object_id=practice.id, object_label=practice.title)
    db.session.commit()
    if moderating:
        from app.notifications.services import send_pending_immediate_emails

        send_pending_immediate_emails()


def working_copy(practice: Practice, user: User) -> KitVersion:
    """The kit's draft version, made from the latest published one when there is none."""
    # Two tabs saving at once must not make two drafts: take the practice's write lock, then look.
    db.session.execute(update(Practice).where(Practice.id == practice.id).values(id=Practice.id))
    draft = draft_version(practice)
    if draft is not None:
        return draft
    latest = next(iter(published_versions(practice)), None)
    draft = KitVersion(practice_id=practice.id, label=suggest_next_label(latest.label if latest else None),
                       status="draft", author_id=user.id)
    if latest is not None:
        from app.models import Attachment

        draft.sections = [KitSection(key=s.key, body=s.body) for s in latest.sections]
        draft.attachments = [Attachment(section=a.section, storage_key=a.storage_key, original_name=a.original_name,
                                        mimetype=a.mimetype, size=a.size, sha256=a.sha256,
                                        uploaded_by_id=a.uploaded_by_id, created_at=a.created_at)
                             for a in latest.attachments]
    db.session.add(draft)
    db.session.flush()
    return draft


def suggest_next_label(label: str | None) -> str:
    if not label:
        return "1.0"
    parts = label.split(".")
    if parts[-1].isdigit():
        parts[-1] = str(int(parts[-1]) + 1)
        return ".".join(parts)
    return label + ".1"


def save_draft(practice: Practice, form, user: User) -> KitVersion:
    """Save the kit sections being written (the draft version), without publishing them."""
    draft = working_copy(practice, user)
    existing = {s.key: s for s in draft.sections}
    for key in KIT_SECTIONS:
        body = (getattr(form, f"section_{key}").data or "").strip()
        if key in existing:
            existing[key].body = body
        elif body:
            draft.sections.append(KitSection(key=key, body=body))
    draft.author_id = user.id
    practice.updated_at = utcnow()
    db.session.commit()
    return draft


class KitError(Exception):
    """The kit version cannot be published; the message says why."""


def publish_kit(practice: Practice, label: str, changelog: str, user: User) -> KitVersion:
    """Publish the draft version under `label`; older versions stay readable. The same publication sent twice at
    once (a double click, four tabs) publishes once: the second finds the version the first published."""
    # The practice's row lock orders simultaneous publications; each then reads the draft as the previous left it.
    db.session.execute(update(Practice).where(Practice.id == practice.id).values(id=Practice.id))
    draft = draft_version(practice)
    if draft is None and (twin := version_by_label(practice, label)) is not None \
            and twin.changelog == changelog and twin.author_id == user.id:
        db.session.rollback()
        return twin
    if draft is None and published_versions(practice):  # someone else published it a moment ago
        raise KitError(N_("Non c'è una bozza da pubblicare: la versione in scrittura è appena stata pubblicata. "
                          "Scrivi il KIT per prepararne una nuova."))
    if draft is None or draft.completeness == 0:
        raise KitError(N_("Scrivi almeno una sezione del KIT prima di pubblicarne una versione."))
    if db.session.execute(select(KitVersion.id).where(KitVersion.practice_id == practice.id,
                                                      KitVersion.label == label, KitVersion.id != draft.id)).first():
        raise KitError(N_("Esiste già una versione con questa etichetta: scegline un'altra."))
    now = utcnow()
    draft.label, draft.changelog, draft.status, draft.published_at, draft.author_id = label, changelog, "published", now, user.id
    practice.kit_completeness, practice.kit_updated_at, practice.updated_at = draft.completeness, now, now
    db.session.add(MaintenanceEntry(practice_id=practice.id, author_id=user.id, created_at=now,
                                    note=f"Pubblicata la versione {label} del KIT." + (f" {changelog}" if changelog else "")))
    if user.organization_id is not None and user.organization_id != practice.donor_id \
            and user.organization_id in practice.donor_ids:
        from app.reuse.services import record_conversion

        record_conversion(user.organization_id, "kit_version", practice=practice)  # a co-donor that reused it
    if practice.status == PracticeStatus.PUBLISHED:
        activity.record("kit.published", actor=user, community=practice.community, object_type="practice",
                        object_id=practice.id, object_label=f"{practice.title} {label}")
    db.session.commit()
    return draft


def add_maintenance_note(practice: Practice, note: str, user: User) -> None:
    """Record an update in the kit's maintenance log."""
    db.session.add(MaintenanceEntry(practice_id=practice.id, author_id=user.id, note=note.strip()))
    practice.updated_at = utcnow()
    db.session.commit()



# ---- attachments -------------------------------------------------------------------------------------------------

def add_attachments(practice: Practice, section: str, files, user: User) -> tuple[list, list]:
    """Check every file, then store all of them in the kit's working version, or none if one is refused."""
    from app.models import Attachment
    from app.uploads import check_all, delete_stored, store

    root = current_app.config["UPLOAD_FOLDER"]
    checked, rejected = check_all(files, current_app.config["UPLOAD_MAX_BYTES"])
    if rejected or not checked:
        return [], rejected
    draft = working_copy(practice, user)
    stored_keys = []
    try:
        for meta, content in checked:
            key = store(content, root)
            stored_keys.append(key)
            draft.attachments.append(Attachment(section=section, storage_key=key, original_name=meta.original_name,
                                                mimetype=meta.mimetype, size=meta.size, sha256=meta.sha256,
                                                uploaded_by_id=user.id))
        practice.updated_at = utcnow()
        db.session.commit()
    except Exception:
        db.session.rollback()
        for key in stored_keys:  # nothing half-saved: files written for a failed transaction go too
            delete_stored(root, key)
        raise
    return [meta for meta, _content in checked], []


class AttachmentError(Exception):
    """The attachment cannot be removed; the message says why."""


def remove_attachment(practice: Practice, attachment) -> None:
    """Remove a document from the working version; a published version's documents stay."""
    from app.models import Attachment
    from app.uploads import delete_stored

    if attachment.version.status != "draft":
        raise AttachmentError(N_("I documenti di una versione pubblicata non si cancellano: pubblica una nuova "
                                 "versione senza questo documento."))
    key = attachment.storage_key
    db.session.delete(attachment)
    db.session.flush()
    still_used = db.session.execute(select(Attachment.id).where(Attachment.storage_key == key)).first()
    db.session.commit()
    if still_used is None:
        delete_stored(current_app.config["UPLOAD_FOLDER"], key)


def can_download(user, practice: Practice, attachment) -> bool:
    """Documents of published versions go with the practice; those of the draft only to its writers."""
    from app import permissions

    return attachment.version.status == "published" or permissions.can_write_kit(user, practice)
