"""One logical action, one outcome (issue 11, point 29): a creation form carries a token; the first request that
stores it wins, a second one with the same token (a double click, a browser retry) gets what the first created."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import FormSubmission


def already_created(token: str | None, user, kind: str) -> int | None:
    """The id of what this person's earlier submission with `token` created, if any."""
    if not token:
        return None
    return db.session.execute(select(FormSubmission.object_id).where(
        FormSubmission.token == token[:64], FormSubmission.user_id == user.id,
        FormSubmission.kind == kind)).scalar_one_or_none()


def remember(token: str | None, user, kind: str, object_id: int) -> None:
    """Store the token in the caller's transaction: a concurrent twin fails on the primary key and finds this."""
    if token:
        db.session.add(FormSubmission(token=token[:64], user_id=user.id, kind=kind, object_id=object_id))
