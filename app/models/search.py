"""Index work waiting to be applied: written in the same transaction as the change, so no edit is ever lost."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import utcnow


class SearchPending(db.Model):
    __tablename__ = "search_pending"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: a deleted practice's row must outlive it, so that the index forgets it too.
    practice_id: Mapped[int | None] = mapped_column(Integer, index=True)
    question_id: Mapped[int | None] = mapped_column(Integer, index=True)  # issue 12: questions are indexed too
    kpi_id: Mapped[int | None] = mapped_column(Integer, index=True)  # issue 16: KPI definitions too
    enqueued_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
