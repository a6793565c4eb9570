"""Rows that keep one logical action to one outcome (issue 11): form submissions already handled, and co-donor
invitations waiting for the named organisation's consent."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import utcnow
from app.models.organization import Organization
from app.models.user import User


class FormSubmission(db.Model):
    """A creation form's token, stored with what it created: the same form sent twice (a double click, a retried
    request) finds the row of the first submission instead of creating a second one."""

    __tablename__ = "form_submission"

    # The key includes the person and the kind: somebody else's token, copied into a form, only ever finds nothing.
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True, index=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)  # "practice", "support_request"
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    object_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CoDonorInvitation(db.Model):
    """A donor names another organisation as co-donor; it becomes one when that organisation's referent accepts."""

    __tablename__ = "co_donor_invitation"
    __table_args__ = (UniqueConstraint("practice_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)  # pending, accepted, declined
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)

    practice = relationship("Practice")
    organization: Mapped[Organization] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
