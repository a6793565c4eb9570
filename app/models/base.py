"""Shared column helpers."""
from datetime import UTC, datetime


def utcnow() -> datetime:
    """Naive UTC now: stored the same way on SQLite and PostgreSQL, shown in Europe/Rome by Babel."""
    return datetime.now(UTC).replace(tzinfo=None)
