"""Password-guessing limits that hold when attempts arrive all at once.

Each attempt is counted before the password is checked — an atomic increment in Flask-Limiter's storage (memory
for one process, Redis across workers) — and given back when the password was right. Counting after the check
(Flask-Limiter's `deduct_when`) let simultaneous attempts all pass the test before any of them was counted.
The sign-in page and the change-password page share the same limits: per account and per address.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort, current_app
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse
from limits.strategies import FixedWindowRateLimiter

from app.extensions import limiter
from app.forms import clean_line


@dataclass
class Attempt:
    """One password attempt, counted against each limit it falls under."""

    counted: list[tuple[RateLimitItem, tuple[str, ...]]] = field(default_factory=list)

    def password_was_right(self) -> None:
        """Give the attempt back (once): only wrong passwords spend the limits."""
        storage = limiter.storage
        for item, identifiers in self.counted:
            # A negative increment is atomic in every storage; should the window have just ended, the new window
            # starts one attempt in credit, which is harmless.
            storage.incr(item.key_for(*identifiers), item.get_expiry(), amount=-1)
        self.counted = []


def count_password_attempt(email: str | None) -> Attempt:
    """Count an attempt at the password of `email` from this address; 429 once either limit is spent (the password
    is then not checked at all)."""
    config = current_app.config
    prefix = tuple(filter(None, [config.get("RATELIMIT_KEY_PREFIX")]))
    limits = [(parse(config["LOGIN_LIMIT_PER_ADDRESS"]), (*prefix, "login-address", get_remote_address() or "-"))]
    # Keyed on the address as the form will read it: invisible characters the form drops must not make a new key.
    account = clean_line(email or "").lower()
    if account:
        limits.append((parse(config["LOGIN_LIMIT_PER_ACCOUNT"]), (*prefix, "login-account", account)))
    strategy = FixedWindowRateLimiter(limiter.storage)
    attempt, breached = Attempt(), None
    for item, identifiers in limits:
        if not strategy.hit(item, *identifiers):
            breached = identifiers[-2]
        attempt.counted.append((item, identifiers))
    if breached:
        current_app.logger.info("Password attempts limit reached (%s)", breached)
        abort(429, description=breached)  # errors/429.html explains it for "login-account" / "login-address"
    return attempt
