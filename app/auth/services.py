"""Account operations; each is one transaction and commits here."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import Enum

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app.auth.passwords import hash_password, needs_rehash, verify_password
from app.auth.tokens import TokenError, TokenExpired, make_token, read_token
from app.extensions import db
from app.web import external_url
from app.mailer import send_email
from app.models import AffiliationStatus, Organization, OrganizationStatus, User
from app.models.base import utcnow
from app.models.user import new_session_token
from app.organizations.services import OrganizationTaken, create_organization, notify_approvers
from app.organizations.validation import organization_problems

CONFIRM = "confirm-email"
RESET = "reset-password"


def find_user_by_email(email: str) -> User | None:
    return db.session.execute(select(User).where(func.lower(User.email) == email.strip().lower())).scalar_one_or_none()


def register(form) -> str:
    """Create the account and send the confirmation link; returns the address.

    An address that already has an account gets the same answer, after the same work (a password hash and one
    e-mail), so the page tells nobody which addresses are registered: its owner is told by e-mail instead.
    A new organisation asked for is only written on the account (`requested_organization`) and created when the
    address is confirmed: created now, it would hold its IPA code for a new address only, and asking for the same
    code again would tell whether the first address had an account (issue 11, point 27).
    """
    email = form.email.data.strip().lower()
    existing = find_user_by_email(email)
    password_hash = hash_password(form.password.data)
    if existing is not None:
        tell_owner_of_new_registration(existing)
        return email
    if form.wants_new_organization:
        organization, requested = None, {name: (getattr(form, name).data or "").strip() for name in REQUEST_FIELDS}
    else:
        organization, requested = db.session.get(Organization, int(form.organization.data)), None
    user = User(
        email=email,
        full_name=form.full_name.data.strip(),
        job_title=(form.job_title.data or "").strip(),
        password_hash=password_hash,
        organization=organization,
        requested_organization=requested,
        affiliation_status=AffiliationStatus.PENDING,
        is_referent=False,  # whoever asks for a new organisation becomes its first referent at confirmation
    )
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:  # the same address registered a moment ago by another request: answer as above
        db.session.rollback()
        if (existing := find_user_by_email(email)) is None:
            raise
        tell_owner_of_new_registration(existing)
        return email
    send_confirmation(user)
    return email


# What a new-organisation request keeps of the registration form: what create_organization() reads, and the city.
REQUEST_FIELDS = ("name", "kind", "pa_kind", "ipa_code", "region", "province", "city", "website")


class _StoredField:
    def __init__(self, data: str):
        self.data = data


class _StoredRequest:
    """A stored request read like the registration form it came from, for create_organization()."""

    def __init__(self, values: dict):
        for name in REQUEST_FIELDS:
            setattr(self, name, _StoredField(str(values.get(name) or "").strip()))


def tell_owner_of_new_registration(user: User) -> None:
    """Someone registered with an address that has an account: its owner learns it, with the way back in."""
    confirm_link = None
    if not user.email_confirmed:
        confirm_link = external_url("auth.confirm_email", token=make_token(CONFIRM, {"uid": user.id,
                                                                                    "email": user.email}))
    send_email(
        user.email, _l("Hai già un account su OpenCommunity PA"), "account_exists", locale=user.locale,
        user=user, login_link=external_url("auth.login"), reset_link=external_url("auth.request_reset"),
        confirm_link=confirm_link,
    )


def send_confirmation(user: User) -> None:
    token = make_token(CONFIRM, {"uid": user.id, "email": user.email})
    send_email(
        user.email, _l("Conferma il tuo indirizzo e-mail"), "confirm_email", locale=user.locale,
        user=user, link=external_url("auth.confirm_email", token=token),
    )


class ConfirmResult(Enum):
    CONFIRMED = "confirmed"
    ALREADY = "already"
    EXPIRED = "expired"
    INVALID = "invalid"


class RequestOutcome(Enum):
    """What became, at confirmation, of the new organisation asked for at registration."""

    CREATED = "created"  # created, pending, with the person as its first referent
    JOINED = "joined"  # its IPA code was taken meanwhile: the person asks to join the organisation holding it
    REFUSED = "refused"  # it no longer passes the checks: nothing created, the request stays on the account


@dataclass
class Confirmation:
    result: ConfirmResult
    user: User | None = None
    request: RequestOutcome | None = None
    problem: str | None = None  # why a request was refused, for the person


def confirm_email(token: str) -> Confirmation:
    """Mark the address confirmed, create the organisation asked for, and tell the approvers someone waits."""
    try:
        payload = read_token(CONFIRM, token, current_app.config["CONFIRM_TOKEN_MAX_AGE"])
    except TokenExpired:
        return Confirmation(ConfirmResult.EXPIRED)
    except TokenError:
        return Confirmation(ConfirmResult.INVALID)
    user = db.session.get(User, payload.get("uid"))
    if user is None or user.email != payload.get("email"):
        return Confirmation(ConfirmResult.INVALID)
    if user.email_confirmed or not _claim_confirmation(user):
        return Confirmation(ConfirmResult.ALREADY, user)
    request, problem = _create_requested_organization(user)
    db.session.commit()
    _notify_approvers_of_confirmed(user)
    return Confirmation(ConfirmResult.CONFIRMED, user, request, problem)


def _claim_confirmation(user: User) -> bool:
    """Mark the address confirmed unless a simultaneous confirmation did (a double click, or a link and a reset):
    the conditional UPDATE waits for the other transaction, so only one goes on to create the organisation."""
    claimed = db.session.execute(
        update(User).where(User.id == user.id, User.email_confirmed_at.is_(None))
        .values(email_confirmed_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if not claimed:
        db.session.rollback()
        return False
    db.session.refresh(user)  # what the other transactions committed meanwhile, the request included
    return True


def _create_requested_organization(user: User) -> tuple[RequestOutcome | None, str | None]:
    """The organisation asked for at registration, created now through the same path and checks as before; when
    its IPA code was taken meanwhile (somebody confirmed first) the person asks to join that organisation."""
    if not user.requested_organization:
        return None, None  # an existing organisation chosen, or an account registered before point 27
    stored = _StoredRequest(user.requested_organization)
    code = stored.ipa_code.data
    holder = _holder_of(code)
    if holder is None:
        problems = organization_problems(kind=stored.kind.data, pa_kind=stored.pa_kind.data, ipa_code=code,
                                         region=stored.region.data, province=stored.province.data)
        if not stored.name.data or not stored.kind.data:
            problems.setdefault("name", _l("Mancano il nome o il tipo dell'ente."))
        # The code may have been taken by a simultaneous confirmation between the two look-ups: then join it.
        if problems and (holder := _holder_of(code)) is None:
            return RequestOutcome.REFUSED, str(next(iter(problems.values())))
    if holder is None:
        try:
            organization = create_organization(stored, status=OrganizationStatus.PENDING)
        except OrganizationTaken:  # created by a simultaneous confirmation for the same code
            if (holder := _holder_of(code)) is None:
                raise
        else:
            organization.city = stored.city.data or None
            user.organization, user.is_referent, user.requested_organization = organization, True, None
            return RequestOutcome.CREATED, None
    if holder.status == OrganizationStatus.REJECTED:  # a rejected organisation normally gives its code back
        return RequestOutcome.REFUSED, str(
            _l("Questo codice IPA è già registrato per un altro ente della piattaforma."))
    # Like anybody asking to join it: its referents (or the administrators) decide.
    user.organization, user.is_referent, user.requested_organization = holder, False, None
    return RequestOutcome.JOINED, None


def _holder_of(code: str) -> Organization | None:
    """The organisation holding an IPA code (compared without case), or None."""
    if not code:
        return None
    return db.session.execute(select(Organization).where(func.lower(Organization.ipa_code) == code.lower())
                              .limit(1)).scalar_one_or_none()


def _notify_approvers_of_confirmed(user: User) -> None:
    # A refused request has no organisation, so nobody to ask yet (the page tells the person what to do).
    if user.affiliation_status == AffiliationStatus.PENDING and user.organization is not None:
        notify_approvers(user)


class LoginRefusal(Enum):
    BAD_CREDENTIALS = "bad"
    UNCONFIRMED = "unconfirmed"
    PENDING = "pending"
    REJECTED = "rejected"
    REMOVED = "removed"


def authenticate(email: str, password: str) -> tuple[User | None, LoginRefusal | None]:
    """Check the credentials and whether the account may sign in; on success the sign-in is recorded."""
    user = find_user_by_email(email)
    if not verify_password(user.password_hash if user else None, password) or user is None:
        return None, LoginRefusal.BAD_CREDENTIALS
    if not user.email_confirmed:
        return user, LoginRefusal.UNCONFIRMED
    if not user.is_admin and not user.is_affiliated:
        return user, {
            AffiliationStatus.PENDING: LoginRefusal.PENDING,
            AffiliationStatus.REJECTED: LoginRefusal.REJECTED,
        }.get(user.affiliation_status, LoginRefusal.REMOVED)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.commit()
    return user, None


def change_password(user: User, new_password: str) -> None:
    """Set a new password and end every other session of the person."""
    user.password_hash = hash_password(new_password)
    user.session_token = new_session_token()
    db.session.commit()


def end_sessions(user: User) -> None:
    """Sign-out: a new session token invalidates every session and remember-me cookie issued so far."""
    user.session_token = new_session_token()
    db.session.commit()


def request_password_reset(email: str) -> None:
    """E-mail a reset link if the account exists; the answer to the person is the same either way."""
    user = find_user_by_email(email)
    if user is None:
        return
    token = make_token(RESET, {"uid": user.id, "st": _session_fingerprint(user)})
    send_email(
        user.email, _l("Reimposta la password"), "reset_password", locale=user.locale,
        user=user, link=external_url("auth.reset_password", token=token),
    )


def user_for_reset_token(token: str) -> User:
    """The person a reset link belongs to; a used link is invalid because the session token changed."""
    payload = read_token(RESET, token, current_app.config["RESET_TOKEN_MAX_AGE"])
    user = db.session.get(User, payload.get("uid"))
    if user is None or _session_fingerprint(user) != payload.get("st"):
        raise TokenError
    return user


def _session_fingerprint(user: User) -> str:
    # The token is readable (signed, not encrypted): it carries a digest, never the session token itself.
    return hashlib.sha256(f"reset:{user.session_token}".encode()).hexdigest()[:32]


def reset_password(user: User, new_password: str) -> None:
    """A reset link also proves the address: an unconfirmed one becomes confirmed, as by the confirmation link."""
    newly_confirmed = user.email_confirmed_at is None and _claim_confirmation(user)
    if newly_confirmed:
        _create_requested_organization(user)
    change_password(user, new_password)
    if newly_confirmed:
        _notify_approvers_of_confirmed(user)
