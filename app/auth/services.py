"""Account operations; each is one transaction and commits here."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import Enum

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.auth.passwords import hash_password, needs_rehash, verify_password
from app.auth.tokens import TokenError, TokenExpired, make_token, read_token
from app.extensions import db
from app.web import external_url
from app.mailer import send_email
from app.models import AffiliationStatus, Organization, OrganizationStatus, User
from app.models.base import utcnow
from app.models.user import new_session_token
from app.organizations.services import create_organization, notify_approvers

CONFIRM = "confirm-email"
RESET = "reset-password"


def find_user_by_email(email: str) -> User | None:
    return db.session.execute(select(User).where(func.lower(User.email) == email.strip().lower())).scalar_one_or_none()


def register(form) -> str:
    """Create the account (and the requested organisation) and send the confirmation link; returns the address.

    An address that already has an account gets the same answer, after the same work (a password hash and one
    e-mail), so the page tells nobody which addresses are registered: its owner is told by e-mail instead.
    """
    email = form.email.data.strip().lower()
    existing = find_user_by_email(email)
    password_hash = hash_password(form.password.data)
    if existing is not None:
        tell_owner_of_new_registration(existing)
        return email
    if form.wants_new_organization:
        organization = create_organization(form, status=OrganizationStatus.PENDING)
        organization.city = (form.city.data or "").strip() or None
    else:
        organization = db.session.get(Organization, int(form.organization.data))
    user = User(
        email=email,
        full_name=form.full_name.data.strip(),
        job_title=(form.job_title.data or "").strip(),
        password_hash=password_hash,
        organization=organization,
        affiliation_status=AffiliationStatus.PENDING,
        # Whoever asks for a new organisation becomes its first referent once an administrator accepts it.
        is_referent=form.wants_new_organization,
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


@dataclass
class Confirmation:
    result: ConfirmResult
    user: User | None = None


def confirm_email(token: str) -> Confirmation:
    """Mark the address confirmed; the organisation's approvers are told someone waits for them."""
    try:
        payload = read_token(CONFIRM, token, current_app.config["CONFIRM_TOKEN_MAX_AGE"])
    except TokenExpired:
        return Confirmation(ConfirmResult.EXPIRED)
    except TokenError:
        return Confirmation(ConfirmResult.INVALID)
    user = db.session.get(User, payload.get("uid"))
    if user is None or user.email != payload.get("email"):
        return Confirmation(ConfirmResult.INVALID)
    if user.email_confirmed:
        return Confirmation(ConfirmResult.ALREADY, user)
    user.email_confirmed_at = utcnow()
    db.session.commit()
    if user.affiliation_status == AffiliationStatus.PENDING:
        notify_approvers(user)
    return Confirmation(ConfirmResult.CONFIRMED, user)


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
    """A reset link also proves the address: an unconfirmed one becomes confirmed."""
    newly_confirmed = user.email_confirmed_at is None
    if newly_confirmed:
        user.email_confirmed_at = utcnow()
    change_password(user, new_password)
    if newly_confirmed and user.affiliation_status == AffiliationStatus.PENDING:
        notify_approvers(user)  # as a confirmation by link would

