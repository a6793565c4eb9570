"""People with an account, each belonging to one organisation."""
from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import utcnow
from app.models.organization import Organization


class EmailFrequency(StrEnum):
    IMMEDIATE = "immediate"
    DAILY = "daily"
    NEVER = "never"


class AffiliationStatus(StrEnum):
    PENDING = "pending"  # waiting for the organisation's referent (or an administrator)
    ACTIVE = "active"
    REJECTED = "rejected"
    REMOVED = "removed"


def new_session_token() -> str:
    return secrets.token_hex(16)


class User(UserMixin, db.Model):
    __tablename__ = "user_account"  # "user" is reserved in PostgreSQL

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    job_title: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    # Part of the login cookie: changing it (on password change or reset) signs out every other session.
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    affiliation_status: Mapped[str] = mapped_column(String(16), default=AffiliationStatus.PENDING, index=True)
    is_referent: Mapped[bool] = mapped_column(Boolean, default=False)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    locale: Mapped[str | None] = mapped_column(String(5))
    notification_email: Mapped[str] = mapped_column(String(16), default=EmailFrequency.IMMEDIATE,
                                                    server_default=EmailFrequency.IMMEDIATE)
    # A new organisation asked for at registration (its form's fields), created only when the address is confirmed:
    # created at once, it would reserve its IPA code and tell whoever registers whether an address had an account.
    requested_organization: Mapped[dict | None] = mapped_column(JSON)

    organization: Mapped[Organization | None] = relationship(
        back_populates="people", foreign_keys=[organization_id]
    )

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def is_affiliated(self) -> bool:
        return self.affiliation_status == AffiliationStatus.ACTIVE

    @property
    def can_sign_in(self) -> bool:
        return self.email_confirmed and (self.is_admin or self.is_affiliated)

    @property
    def is_active(self) -> bool:  # Flask-Login: a removed person loses every open session
        return self.can_sign_in

    def __repr__(self) -> str:
        return f"<User {self.email}>"
