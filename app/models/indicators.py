"""Community indicators (issue 14): snapshots of computed figures, the maturity stages' editable conditions with
their change log, and the facts a stage needs that no figure measures (a published governance page).

Pages read snapshots only; `flask indicators compute` writes them (app/indicators/compute.py).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import utcnow
from app.models.community import Community
from app.models.user import User


class IndicatorSnapshot(db.Model):
    """One community's figures on one day. `kind` is "daily" (nightly run) or "quarter" (as of a quarter's last
    day: the stage snapshot, which carries the stage after hysteresis)."""

    __tablename__ = "indicator_snapshot"
    __table_args__ = (UniqueConstraint("community_id", "kind", "as_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    as_of: Mapped[date] = mapped_column(Date, index=True)
    period: Mapped[str | None] = mapped_column(String(7))  # "2026-Q3" for quarter snapshots
    computed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # {code: {"value": float | None, "num": int | None, "den": int | None, "insufficient": bool}}
    figures: Mapped[dict] = mapped_column(JSON, default=dict)
    # {code: {"kind": "question", "ids": [...], "hits": [...]}}: what each figure counts, for the drill-downs. Kept
    # on the latest daily snapshot and on quarter ones; emptied on older daily ones (their size would grow daily).
    items: Mapped[dict | None] = mapped_column(JSON)
    qualified_stage: Mapped[str] = mapped_column(String(16), default="starting")  # every condition met up to it
    stage: Mapped[str] = mapped_column(String(16), default="starting")  # after hysteresis (quarters), else current
    # [{"stage", "code", "operator", "threshold", "min_n", "value", "den", "met"}], in the conditions' order
    checklist: Mapped[list] = mapped_column(JSON, default=list)

    community: Mapped[Community] = relationship()


class PracticeSnapshot(db.Model):
    """A practice's service figures at the end of a quarter, for the trend on its page."""

    __tablename__ = "practice_snapshot"
    __table_args__ = (UniqueConstraint("practice_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    period: Mapped[str] = mapped_column(String(7))
    as_of: Mapped[date] = mapped_column(Date)
    computed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    figures: Mapped[dict] = mapped_column(JSON, default=dict)


class NetworkSnapshot(db.Model):
    """The whole network's figures on one day, for the reuse observatory: only public content is counted, and
    `figures["left_out"]` says how much was left out."""

    __tablename__ = "network_snapshot"
    __table_args__ = (UniqueConstraint("kind", "as_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    as_of: Mapped[date] = mapped_column(Date, index=True)
    period: Mapped[str | None] = mapped_column(String(7))
    computed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    figures: Mapped[dict] = mapped_column(JSON, default=dict)


class StageCondition(db.Model):
    """One condition of a maturity stage: indicator `code` compared with `threshold` (and, optionally, at least
    `min_n` items counted). Seeded from app/indicators/stages.py's defaults; administrators edit them."""

    __tablename__ = "stage_condition"
    __table_args__ = (UniqueConstraint("stage", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stage: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(16))
    operator: Mapped[str] = mapped_column(String(2))  # ">=" or "<="
    threshold: Mapped[float] = mapped_column(Float)
    min_n: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class StageConditionChange(db.Model):
    """Who changed a stage condition, from what to what, when and why."""

    __tablename__ = "stage_condition_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(16))
    old_threshold: Mapped[float | None] = mapped_column(Float)
    new_threshold: Mapped[float | None] = mapped_column(Float)
    old_min_n: Mapped[int | None] = mapped_column(Integer)
    new_min_n: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)

    actor: Mapped[User | None] = relationship()


class CommunityGovernance(db.Model):
    """The published governance page of a community, recorded as a fact (a Competence centre condition)."""

    __tablename__ = "community_governance"

    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), primary_key=True)
    url: Mapped[str] = mapped_column(String(300))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
