"""The private self-assessment of an organisation (issue 13, point 4): templates (CAF 2020 by default), assessments,
each person's scores and the consensus, the improvement plan.

An assessment belongs to its organisation and to nobody else: not the commission, not a platform administrator.
Every read goes through app/evaluation/self_queries.py, whose clauses take the reader's organisation; no other
module queries these tables.
"""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import utcnow
from app.models.organization import Organization
from app.models.user import User

PANEL_LABELS = {
    "classical": _l("Pannello classico (un punteggio 0–100 per sottocriterio)"),
    "fine_tuned": _l("Pannello dettagliato (PLAN, DO, CHECK, ACT; andamenti e obiettivi per i risultati)"),
}

ACTION_STATUS_LABELS = {
    "planned": _l("Prevista"),
    "in_progress": _l("In corso"),
    "done": _l("Fatta"),
}


class AssessmentTemplate(db.Model):
    """A questionnaire model: CAF 2020 loaded by `flask evaluation load-caf`, editable and clonable by
    administrators. `items` is the structure, as data:

    [{"code": "1", "level": "criterion", "kind": "enabler", "title_it": "Leadership", "title_en": "Leadership",
      "working_translation": false},
     {"code": "1.1", "level": "sub", "parent": "1", "kind": "enabler", "title_it": "…", "title_en": "…",
      "working_translation": true, "guidance": "a. …\\nb. …"}, …]
    """

    __tablename__ = "assessment_template"
    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))  # "caf-2020"
    version: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    items: Mapped[list] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # offered for new assessments
    cloned_from_id: Mapped[int | None] = mapped_column(ForeignKey("assessment_template.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def sub_items(self) -> list[dict]:
        return [item for item in self.items if item.get("level") == "sub"]

    def item(self, code: str) -> dict | None:
        return next((each for each in self.items if each.get("code") == code), None)


class SelfAssessment(db.Model):
    """One dated self-assessment of an organisation, on a template and a panel; repeated over the years."""

    __tablename__ = "self_assessment"
    __table_args__ = (Index("ix_self_assessment_org_date", "organization_id", "assessed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    template_id: Mapped[int] = mapped_column(ForeignKey("assessment_template.id"))
    title: Mapped[str] = mapped_column(String(200))
    panel: Mapped[str] = mapped_column(String(16), default="classical")  # classical | fine_tuned
    assessed_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | closed (consensus fixed)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)

    organization: Mapped[Organization] = relationship()
    template: Mapped[AssessmentTemplate] = relationship()
    scores: Mapped[list[AssessmentScore]] = relationship(back_populates="assessment", cascade="all, delete-orphan")
    actions: Mapped[list[ImprovementAction]] = relationship(back_populates="assessment",
                                                            cascade="all, delete-orphan",
                                                            order_by="ImprovementAction.id")


class AssessmentScore(db.Model):
    """One person's scores of one sub-criterion (user_id set), or the group's consensus (user_id NULL).

    values: classical {"score": 0–100}; fine-tuned enablers {"plan": …, "do": …, "check": …, "act": …};
    fine-tuned results {"trends": …, "targets": …}. Each value 0–100.
    """

    __tablename__ = "self_assessment_score"
    __table_args__ = (UniqueConstraint("assessment_id", "item_code", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("self_assessment.id"), index=True)
    item_code: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    values: Mapped[dict] = mapped_column(JSON, default=dict)
    strengths: Mapped[str] = mapped_column(Text, default="")
    improvements: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    assessment: Mapped[SelfAssessment] = relationship(back_populates="scores")
    user: Mapped[User | None] = relationship()


class ImprovementAction(db.Model):
    """An action of the improvement plan that follows an assessment."""

    __tablename__ = "improvement_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("self_assessment.id"), index=True)
    item_code: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(120), default="")
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    assessment: Mapped[SelfAssessment] = relationship(back_populates="actions")
