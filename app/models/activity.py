"""The activity feed and in-app notifications: generic records every area writes to."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import utcnow
from app.models.community import Community
from app.models.user import User


class Activity(db.Model):
    """Who did what to which object, in which community, when. Texts are made at display time."""

    __tablename__ = "activity"
    __table_args__ = (Index("ix_activity_community_created", "community_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    verb: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column()
    object_label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)

    community: Mapped[Community | None] = relationship()
    actor: Mapped[User | None] = relationship()


class Notification(db.Model):
    """Something one person should know; shown in the bell and, by preference, e-mailed."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    verb: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id"))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    link: Mapped[str | None] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
