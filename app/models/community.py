"""Communities of practice, their memberships (with a log of every transition) and invitations."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import geo
from app.communities.workflow import Role, Status, Visibility
from app.extensions import db
from app.models.base import utcnow
from app.models.user import User

THEME_LABELS = {
    "procurement": _l("Appalti e centrali uniche di committenza"),
    "eu_funds": _l("Fondi europei e progettazione"),
    "digital_agenda": _l("Agenda digitale e competenze digitali"),
    "public_value": _l("Valore pubblico, performance e PIAO"),
    "training": _l("Formazione del personale pubblico"),
    "services": _l("Servizi a cittadini e imprese"),
    "environment": _l("Ambiente e territorio"),
    "other": _l("Altri temi"),
}

VISIBILITY_LABELS = {
    Visibility.OPEN: _l("Aperta: chi ha un account entra subito"),
    Visibility.MODERATED: _l("Moderata: le richieste sono approvate da un animatore"),
    Visibility.PRIVATE: _l("Riservata: visibile solo a chi ne fa parte, si entra su invito"),
}

SCOPE_LABELS = {"national": _l("Nazionale"), "region": _l("Regionale"), "province": _l("Provinciale")}


class Community(db.Model):
    __tablename__ = "community"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(150))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    theme: Mapped[str] = mapped_column(String(32), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[str] = mapped_column(String(16), default=Visibility.OPEN, index=True)
    scope: Mapped[str] = mapped_column(String(16), default="national")
    region_code: Mapped[str | None] = mapped_column(String(2), index=True)
    province_code: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    @property
    def is_private(self) -> bool:
        return self.visibility == Visibility.PRIVATE

    @property
    def theme_label(self) -> str:
        return str(THEME_LABELS.get(self.theme, self.theme))

    @property
    def territory_label(self) -> str:
        if self.scope == "province" and self.province_code:
            return geo.province_name(self.province_code) or self.province_code
        if self.scope == "region" and self.region_code:
            return geo.region_name(self.region_code) or self.region_code
        return str(SCOPE_LABELS["national"])

    def __repr__(self) -> str:
        return f"<Community {self.slug}>"


class Membership(db.Model):
    """One row per person and community; its status moves through the workflow, each move logged."""

    __tablename__ = "community_membership"
    __table_args__ = (UniqueConstraint("community_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    role: Mapped[str] = mapped_column(String(16), default=Role.MEMBER)
    requested_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    joined_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)  # a rejection's or a removal's reason, shown to the person
    request_message: Mapped[str | None] = mapped_column(Text)  # why the person asked to join, for the facilitators

    community: Mapped[Community] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def is_active(self) -> bool:
        return self.status == Status.ACTIVE

    @property
    def is_facilitator(self) -> bool:
        return self.is_active and self.role == Role.FACILITATOR


class MembershipEvent(db.Model):
    """Who moved a membership from which status to which, and when."""

    __tablename__ = "membership_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("community_membership.id"), index=True)
    action: Mapped[str] = mapped_column(String(24))
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)


class Invitation(db.Model):
    """An invitation sent by e-mail; only the SHA-256 of its token is stored."""

    __tablename__ = "community_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    community: Mapped[Community] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
