"""Argon2id password hashing and the strength rule for new passwords."""
from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from zxcvbn import zxcvbn

MIN_LENGTH = 10
MAX_LENGTH = 128
# A hash of a random password, verified when the e-mail is unknown so that timing does not reveal accounts.
_DUMMY_PASSWORD = "not-a-real-password-only-for-timing"


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(time_cost=config["ARGON2_TIME_COST"], memory_cost=config["ARGON2_MEMORY_COST"])


def hash_password(password: str) -> str:
    return _hasher().hash(password)


@lru_cache(maxsize=4)
def _dummy_hash(time_cost: int, memory_cost: int) -> str:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost).hash(_DUMMY_PASSWORD)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; an unknown account costs one verification too, so timing does not tell them apart."""
    hasher = _hasher()
    target = password_hash or _dummy_hash(hasher.time_cost, hasher.memory_cost)
    try:
        return hasher.verify(target, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def password_problem(password: str, *personal: str) -> str | None:
    """Why a new password is too weak, in the interface language, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _("La password deve avere almeno %(n)d caratteri.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("La password può avere al massimo %(n)d caratteri.", n=MAX_LENGTH)
    hints = [part for value in personal if value for part in value.replace("@", " ").replace(".", " ").split()]
    flat = _letters_and_digits(password)
    local_part = _letters_and_digits(next((v.split("@")[0] for v in personal if v and "@" in v), ""))
    full_name = _letters_and_digits(next((v for v in personal if v and "@" not in v), ""))
    if (len(local_part) >= 4 and local_part in flat) or (len(full_name) >= 4 and full_name in flat):
        return _("La password non deve contenere il tuo indirizzo e-mail o il tuo nome.")
    if zxcvbn(password, user_inputs=hints)["score"] < 3:
        return _(
            "Password troppo facile da indovinare: evita parole comuni, sequenze e dati personali; "
            "una frase di più parole è più sicura."
        )
    return None


def _letters_and_digits(value: str) -> str:
    return "".join(ch for ch in value.lower() if ch.isalnum())
