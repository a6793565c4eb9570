"""Support requests from reusers to donors: opening, the conversation, state changes, assignment, inboxes.

Every operation runs in one transaction and commits here. Attachments follow the kit documents' rules: all the
files of one message are checked before any is stored, and files written for a failed transaction are removed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, url_for
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app import permissions
from app.extensions import db
from app.models import Adoption, Practice, SupportAttachment, SupportEvent, SupportMessage, SupportRequest, User
from app.models.base import utcnow
from app.practices.services import donated_by
from app.reuse.services import (ReuseError, check_reusable, commit_and_email, donor_contacts, lock_row,
                                 notify_all)
from app.workdays import working_days_before
from app.reuse.workflow import N_, RequestAction, RequestStatus, Role, request_transition

LIVE = (RequestStatus.OPEN, RequestStatus.ACCEPTED)
AGES = {"week": (None, 7), "month": (7, 30), "older": (30, None)}  # (at least, less than) days since opening


class AttachmentsRefused(Exception):
    """One or more files were refused; nothing was saved."""

    def __init__(self, rejections: list):
        super().__init__("attachments refused")
        self.rejections = rejections


# ---- working days ---------------------------------------------------------------------------------------------

def overdue_cutoff(now: datetime | None = None) -> datetime:
    """Requests opened before this moment and still without a first response are overdue."""
    return working_days_before(now or utcnow(), current_app.config["SUPPORT_RESPONSE_DAYS"])


def is_overdue(request: SupportRequest, cutoff: datetime) -> bool:
    return request.status in LIVE and request.first_response_at is None and request.created_at < cutoff


# ---- attachments ----------------------------------------------------------------------------------------------

def _check_files(files) -> list:
    """Every file checked before anything is written; one refused refuses the whole operation."""
    from app.uploads import check_all

    checked, rejected = check_all(files, current_app.config["UPLOAD_MAX_BYTES"])
    if rejected:
        raise AttachmentsRefused(rejected)
    return checked


def _save_with_files(checked, request: SupportRequest, message: SupportMessage | None, user: User,
                     notify_people) -> None:
    """Store the files, notify (`notify_people()`, once the ids exist) and commit, then send the e-mails; if
    anything fails, the transaction is rolled back and the files written for it are removed (nothing half-saved)."""
    from app.notifications.services import send_pending_immediate_emails
    from app.uploads import delete_stored, store

    root, stored = current_app.config["UPLOAD_FOLDER"], []
    try:
        for meta, content in checked:
            key = store(content, root)
            stored.append(key)
            request.attachments.append(SupportAttachment(
                message=message, storage_key=key, original_name=meta.original_name, mimetype=meta.mimetype,
                size=meta.size, sha256=meta.sha256, uploaded_by_id=user.id))
        db.session.flush()
        notify_people()
        db.session.commit()
    except Exception:
        db.session.rollback()
        for key in stored:
            delete_stored(root, key)
        raise
    send_pending_immediate_emails()


# ---- opening ------------------------------------------------------------------------------------------------

def open_request(practice: Practice, user: User, *, kind: str, subject: str, description: str,
                 adoption_id: int | None, files, token: str | None = None) -> SupportRequest:
    """A person of a reusing organisation asks the donors for help (with documents, optionally for an adoption);
    the same form sent twice (`token`) opens one request and gives the second sender that one."""
    from app import submissions

    check_reusable(practice, user)
    if (earlier := submissions.already_created(token, user, "support_request")) is not None:
        return db.session.get(SupportRequest, earlier)
    adoption = None
    if adoption_id:
        adoption = db.session.get(Adoption, adoption_id)
        if adoption is None or adoption.practice_id != practice.id or adoption.organization_id != user.organization_id:
            raise ReuseError(N_("Scegli un riuso del tuo ente per questa pratica."), field="adoption")
    checked = _check_files(files)
    now = utcnow()
    request = SupportRequest(practice_id=practice.id, organization_id=user.organization_id, requester_id=user.id,
                             adoption_id=adoption.id if adoption else None, kind=kind, subject=subject.strip(),
                             description=description.strip(), status=RequestStatus.OPEN, created_at=now,
                             updated_at=now)
    request.events.append(SupportEvent(action="open", from_status=None, to_status=RequestStatus.OPEN,
                                       actor_id=user.id, created_at=now))
    db.session.add(request)

    def remember_and_notify():
        submissions.remember(token, user, "support_request", request.id)
        db.session.flush()  # a twin sent at once stops here, before any notification, on the token's key
        notify_all(donor_contacts(practice), "support.opened", user,
                   url_for("reuse.support_request", request_id=request.id),
                   organization=user.organization.name, practice=practice.title, subject=request.subject)

    try:
        _save_with_files(checked, request, None, user, remember_and_notify)
    except IntegrityError:
        if (earlier := submissions.already_created(token, user, "support_request")) is not None:
            return db.session.get(SupportRequest, earlier)
        raise
    return request


# ---- the conversation ----------------------------------------------------------------------------------------

def _other_side(request: SupportRequest, user: User) -> list[User]:
    """Who is waiting for news: the requester when the donors act, else the assignee or the donors' contacts."""
    if permissions.is_request_donor(user, request) and not permissions.is_requester(user, request):
        return [request.requester] if request.requester else []
    if request.assignee is not None and request.assignee.can_sign_in:
        return [request.assignee]
    return donor_contacts(request.practice)


def add_message(request: SupportRequest, user: User, body: str, internal: bool, files) -> SupportMessage:
    """Append a message (or, for the donor team, an internal note) to the request's conversation."""
    lock_row(request)
    if not body.strip():
        raise ReuseError(N_("Scrivi il messaggio."), field="body")
    if internal and not permissions.can_see_internal_notes(user, request):
        raise ReuseError(N_("Solo il gruppo dei cedenti scrive note interne."), field="internal")
    if request.status == RequestStatus.DECLINED:
        raise ReuseError(N_("La richiesta è stata declinata: aprine una nuova."))
    if request.status == RequestStatus.CLOSED:
        raise ReuseError(N_("La richiesta è chiusa: riaprila per continuare la conversazione."))
    checked = _check_files(files)
    now = utcnow()
    from_donor = permissions.is_request_donor(user, request) and not permissions.is_requester(user, request)
    message = SupportMessage(author_id=user.id, body=body.strip(), internal=internal, from_donor=from_donor,
                             created_at=now)
    request.messages.append(message)
    request.updated_at = now
    if from_donor and not internal and request.first_response_at is None:
        request.first_response_at = now
    _save_with_files(checked, request, message, user, lambda: None if internal else notify_all(
        _other_side(request, user), "support.message", user, url_for("reuse.support_request", request_id=request.id),
        subject=request.subject, practice=request.practice.title))
    return message


# ---- state changes -------------------------------------------------------------------------------------------

def request_roles(user, request: SupportRequest) -> set[Role]:
    roles = set()
    if permissions.is_admin(user):
        roles.add(Role.ADMIN)
    if permissions.is_requester(user, request):
        roles.add(Role.REUSER)
    if permissions.is_request_donor(user, request) and not permissions.is_admin(user):
        roles.add(Role.DONOR)
    return roles


STAMPS = {RequestAction.ACCEPT: "accepted_at", RequestAction.RESOLVE: "resolved_at", RequestAction.CLOSE: "closed_at",
          RequestAction.DECLINE: "declined_at", RequestAction.REOPEN: "reopened_at"}


def change_status(request: SupportRequest, action: RequestAction, user: User, reason: str = "",
                  now: datetime | None = None) -> None:
    """Accept, resolve, close, decline (with a reason) or reopen; every change is stamped with who and when."""
    now = now or utcnow()
    lock_row(request)
    before = request.status
    request.status = request_transition(
        before, action, request_roles(user, request), reason=reason, closed_at=request.closed_at,
        reopened_before=request.reopened_at is not None, now=now,
        reopen_days=current_app.config["SUPPORT_REOPEN_DAYS"])
    setattr(request, STAMPS[action], now)
    if action == RequestAction.DECLINE:
        request.decline_reason = reason.strip()
    if action == RequestAction.REOPEN:
        # Back to work: it is neither resolved nor closed any more (the events keep the history), so the figures
        # count it as open and measure its resolution when it is resolved again.
        request.resolved_at = request.closed_at = None
    if action in (RequestAction.ACCEPT, RequestAction.DECLINE) and request.first_response_at is None:
        request.first_response_at = now
    request.updated_at = now
    request.events.append(SupportEvent(action=str(action), from_status=before, to_status=request.status,
                                       actor_id=user.id, note=reason.strip(), created_at=now))
    notify_all(_other_side(request, user), f"support.{action}", user, url_for("reuse.support_request", request_id=request.id),
               subject=request.subject, practice=request.practice.title, reason=reason.strip())
    commit_and_email()


def donor_people(request: SupportRequest) -> list[User]:
    """The people a request can be assigned to: active people of the donor and co-donor organisations (of a
    private community's practice, those who are members of it)."""
    query = select(User).where(User.organization_id.in_(request.practice.donor_ids),
                               User.affiliation_status == "active", User.email_confirmed_at.is_not(None))
    if request.practice.community.is_private:
        from app.communities.workflow import Status
        from app.models import Membership

        query = query.where(User.id.in_(select(Membership.user_id).where(
            Membership.community_id == request.practice.community_id, Membership.status == Status.ACTIVE)))
    return list(db.session.execute(query.order_by(User.full_name)).scalars())


def assign(request: SupportRequest, user: User, assignee_id: int | None) -> None:
    """Give the request to one person of the donor team (or to nobody)."""
    lock_row(request)
    if request.status not in LIVE:
        raise ReuseError(N_("Si assegna solo una richiesta aperta o presa in carico."), field="assignee")
    assignee = None
    if assignee_id:
        assignee = next((p for p in donor_people(request) if p.id == assignee_id), None)
        if assignee is None:
            raise ReuseError(N_("Scegli una persona del gruppo dei cedenti."), field="assignee")
    if (assignee.id if assignee else None) == request.assignee_id:
        return  # nothing changes: no event, no notification
    request.assignee_id = assignee.id if assignee else None
    request.updated_at = utcnow()
    request.events.append(SupportEvent(action="assign", from_status=request.status, to_status=request.status,
                                       actor_id=user.id, note=assignee.full_name if assignee else ""))
    if assignee is not None:
        notify_all([assignee], "support.assigned", user, url_for("reuse.support_request", request_id=request.id),
                   subject=request.subject, practice=request.practice.title)
    commit_and_email()


# ---- reading ---------------------------------------------------------------------------------------------------

def request_by_id(request_id: int) -> SupportRequest | None:
    return db.session.execute(
        select(SupportRequest).where(SupportRequest.id == request_id)
        .options(selectinload(SupportRequest.practice).selectinload(Practice.co_donors),
                 selectinload(SupportRequest.organization), selectinload(SupportRequest.requester),
                 selectinload(SupportRequest.assignee), selectinload(SupportRequest.adoption),
                 selectinload(SupportRequest.events).selectinload(SupportEvent.actor),
                 selectinload(SupportRequest.messages).selectinload(SupportMessage.author),
                 selectinload(SupportRequest.attachments))).scalar_one_or_none()


def visible_messages(request: SupportRequest, user) -> list[SupportMessage]:
    """The conversation as this reader may see it: internal notes only for the donor team."""
    internal_ok = permissions.can_see_internal_notes(user, request)
    return [m for m in request.messages if internal_ok or not m.internal]


def attachments_by_message(request: SupportRequest) -> dict[int | None, list[SupportAttachment]]:
    grouped: dict[int | None, list[SupportAttachment]] = {}
    for attachment in request.attachments:
        grouped.setdefault(attachment.message_id, []).append(attachment)
    return grouped


@dataclass
class BoxFilters:
    status: str = ""
    kind: str = ""
    practice: str = ""
    age: str = ""
    overdue: bool = False


def _filtered(query: Select, filters: BoxFilters, now: datetime) -> Select:
    if filters.status == "live":
        query = query.where(SupportRequest.status.in_(LIVE))
    elif filters.status:
        query = query.where(SupportRequest.status == filters.status)
    if filters.kind:
        query = query.where(SupportRequest.kind == filters.kind)
    if filters.practice:
        query = query.where(Practice.slug == filters.practice)
    if filters.age in AGES:
        at_least, less_than = AGES[filters.age]
        if at_least is not None:
            query = query.where(SupportRequest.created_at <= now - timedelta(days=at_least))
        if less_than is not None:
            query = query.where(SupportRequest.created_at > now - timedelta(days=less_than))
    if filters.overdue:
        query = query.where(SupportRequest.status.in_(LIVE), SupportRequest.first_response_at.is_(None),
                            SupportRequest.created_at < overdue_cutoff(now))
    return query


def _readable(query: Select, user) -> Select:
    """Requests follow their practice's visibility: none of a practice the reader may not see (a private
    community they are not in, a draft of another organisation)."""
    from app.activity.services import visible_communities_clause
    from app.models import Community
    from app.practices.services import readable_clause

    return (query.join(Community, Practice.community_id == Community.id)
            .where(visible_communities_clause(user), readable_clause(user)))


def inbox_query(user, filters: BoxFilters, now: datetime | None = None) -> Select:
    """Requests to the practices of the person's organisation (all of them, for administrators), newest first."""
    query = (_readable(select(SupportRequest).join(Practice, SupportRequest.practice_id == Practice.id), user)
             .options(selectinload(SupportRequest.practice), selectinload(SupportRequest.organization),
                      selectinload(SupportRequest.assignee)))
    if not permissions.is_admin(user):
        query = query.where(donated_by(user.organization_id))
    return _filtered(query, filters, now or utcnow()).order_by(SupportRequest.created_at.desc(),
                                                               SupportRequest.id.desc())


def outbox_query(user, filters: BoxFilters, now: datetime | None = None) -> Select:
    """Requests the person's organisation sent, newest first."""
    query = (_readable(select(SupportRequest).join(Practice, SupportRequest.practice_id == Practice.id), user)
             .where(SupportRequest.organization_id == user.organization_id)
             .options(selectinload(SupportRequest.practice), selectinload(SupportRequest.organization),
                      selectinload(SupportRequest.assignee)))
    return _filtered(query, filters, now or utcnow()).order_by(SupportRequest.created_at.desc(),
                                                               SupportRequest.id.desc())


def inbox_practices(user) -> list[Practice]:
    """The practices the inbox can be narrowed to."""
    from app.activity.services import visible_communities_clause
    from app.models import Community

    query = (select(Practice).join(Community, Practice.community_id == Community.id)
             .where(visible_communities_clause(user)).order_by(Practice.title))
    if not permissions.is_admin(user):
        query = query.where(donated_by(user.organization_id))
    else:
        query = query.where(Practice.id.in_(select(SupportRequest.practice_id)))
    return list(db.session.execute(query).scalars())
