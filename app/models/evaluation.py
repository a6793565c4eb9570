"""The evaluation of good practices (issue 13): calls, criteria, the commission, candidacies, conflicts,
assignments, reviews and their score history, the commission's discussion, decisions, the audit log.

A published recognition is written onto the practice itself (Practice.recognitions, Practice.recognised), so the
archive, search and the publiccode.yml export show the badge without importing this area.

The organisation's private self-assessment lives in app/models/self_assessment.py: no table here points into it
except SharedItem, which holds a *copy* of what the organisation chose to share.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.evaluation.workflow import (AssignmentStatus, CallPhase, CandidacyStatus, ConflictKind, ConflictSource,
                                     ConflictStatus)
from app.extensions import db
from app.models.base import utcnow
from app.models.evaluation_labels import (ASSIGNMENT_STATUS_LABELS, CALL_PHASE_LABELS,  # noqa: F401  (re-exported)
                                          CANDIDACY_FIELDS, CANDIDACY_STATUS_LABELS, CONFLICT_KIND_LABELS,
                                          CONFLICT_SOURCE_LABELS, CONFLICT_STATUS_LABELS, EXTRA_FIELD_KINDS,
                                          OUTCOME_LABELS)
from app.models.organization import Organization
from app.models.practice import KitVersion, Practice
from app.models.user import User

TITLE_MAX = 200
TEXT_MAX = 20_000
MOTIVATION_MAX = 5_000


class EvaluationCall(db.Model):
    """An evaluation call (avviso): opened by an administrator, run by its chair."""

    __tablename__ = "evaluation_call"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(Text, default="")
    year: Mapped[int] = mapped_column(Integer)
    phase: Mapped[str] = mapped_column(String(16), default=CallPhase.DRAFT, index=True)
    # [{"code": "digitale", "label": "Trasformazione digitale"}, …]; a candidacy picks one when there are any.
    categories: Mapped[list] = mapped_column(JSON, default=list)
    # Organisation kinds that may candidate (PaKind values); empty: every public administration.
    eligible_pa_kinds: Mapped[list] = mapped_column(JSON, default=list)
    require_completed: Mapped[bool] = mapped_column(Boolean, default=False)  # the practice was carried out
    # [{"key": "budget", "label": "…", "kind": "number", "required": true, "choices": []}, …]
    extra_fields: Mapped[list] = mapped_column(JSON, default=list)
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_at: Mapped[datetime | None] = mapped_column(DateTime)  # UTC; candidacies refused after it
    review_due_on: Mapped[date | None] = mapped_column(Date)
    consensus_due_on: Mapped[date | None] = mapped_column(Date)
    reviewers_per_candidacy: Mapped[int] = mapped_column(Integer, default=2)
    max_load: Mapped[int] = mapped_column(Integer, default=6)  # candidacies per reviewer in automatic assignment
    disagreement_threshold: Mapped[float] = mapped_column(Float, default=1.5)  # on the weighted total's scale
    blind: Mapped[bool] = mapped_column(Boolean, default=False)  # candidates' names hidden from reviewers
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    criteria_frozen_at: Mapped[datetime | None] = mapped_column(DateTime)
    decisions_published_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    chair: Mapped[User | None] = relationship(foreign_keys=[chair_id])
    criteria: Mapped[list[Criterion]] = relationship(back_populates="call", cascade="all, delete-orphan",
                                                     order_by="Criterion.position")
    members: Mapped[list[CommissionMember]] = relationship(back_populates="call", cascade="all, delete-orphan",
                                                           order_by="CommissionMember.id")

    def category_label(self, code: str | None) -> str:
        return next((each["label"] for each in self.categories if each.get("code") == code), code or "")


class Criterion(db.Model):
    """A weighted criterion of a call's scoring form, with an anchored scale."""

    __tablename__ = "evaluation_criterion"
    __table_args__ = (UniqueConstraint("call_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("evaluation_call.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(30))
    title_it: Mapped[str] = mapped_column(String(TITLE_MAX))
    title_en: Mapped[str] = mapped_column(String(TITLE_MAX), default="")
    guidance: Mapped[str] = mapped_column(Text, default="")
    scale_min: Mapped[int] = mapped_column(Integer, default=0)
    scale_max: Mapped[int] = mapped_column(Integer, default=5)
    anchors: Mapped[dict] = mapped_column(JSON, default=dict)  # {"0": "assente", "5": "eccellente"}
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    candidate_visible: Mapped[bool] = mapped_column(Boolean, default=True)  # its motivations reach the feedback

    call: Mapped[EvaluationCall] = relationship(back_populates="criteria")

    def title(self, locale: str = "it") -> str:
        return self.title_en if locale == "en" and self.title_en else self.title_it


class CommissionMember(db.Model):
    """A person of the commission of a call: reviewer or deputy chair. The chair is the call's chair_id."""

    __tablename__ = "commission_member"
    __table_args__ = (UniqueConstraint("call_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("evaluation_call.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    is_deputy: Mapped[bool] = mapped_column(Boolean, default=False)
    # The attestation (no undeclared conflict, confidentiality) before opening any candidacy.
    attested_at: Mapped[datetime | None] = mapped_column(DateTime)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    added_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # removed members stay for the minutes

    call: Mapped[EvaluationCall] = relationship(back_populates="members")
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class Candidacy(db.Model):
    """A self-candidacy (autocandidatura): one practice to one call, by a referent of its donor organisation."""

    __tablename__ = "candidacy"
    __table_args__ = (UniqueConstraint("call_id", "practice_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("evaluation_call.id"), index=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=CandidacyStatus.DRAFT, index=True)
    category: Mapped[str | None] = mapped_column(String(40))
    fields: Mapped[dict] = mapped_column(JSON, default=dict)  # CANDIDACY_FIELDS key → text
    extra: Mapped[dict] = mapped_column(JSON, default=dict)  # the call's extra fields, key → value
    completed_on: Mapped[date | None] = mapped_column(Date)  # when the call asks for a completed practice
    # Frozen at submission: the fields as sent, the practice's title and summary, the kit version it refers to.
    snapshot: Mapped[dict | None] = mapped_column(JSON)
    kit_version_id: Mapped[int | None] = mapped_column(ForeignKey("kit_version.id"))
    chair_handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # deputy, chair conflicted
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)

    call: Mapped[EvaluationCall] = relationship()
    practice: Mapped[Practice] = relationship()
    organization: Mapped[Organization] = relationship()
    kit_version: Mapped[KitVersion | None] = relationship()
    attachments: Mapped[list[CandidacyAttachment]] = relationship(
        back_populates="candidacy", cascade="all, delete-orphan", order_by="CandidacyAttachment.id")
    shared_items: Mapped[list[SharedItem]] = relationship(
        back_populates="candidacy", cascade="all, delete-orphan", order_by="SharedItem.id")


class CandidacyAttachment(db.Model):
    """A document of a candidacy: checked as kit files are, stored outside static/ (app/uploads.py)."""

    __tablename__ = "candidacy_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(ForeignKey("candidacy.id"), index=True)
    storage_key: Mapped[str] = mapped_column(String(80), index=True)
    original_name: Mapped[str] = mapped_column(String(200))
    mimetype: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    candidacy: Mapped[Candidacy] = relationship(back_populates="attachments")


class SharedItem(db.Model):
    """One item of a self-assessment the organisation chose to attach to a candidacy: a copy, never a link, so
    the rest of the assessment stays unreachable. Who shared it and when is kept and shown."""

    __tablename__ = "candidacy_shared_item"
    __table_args__ = (UniqueConstraint("candidacy_id", "assessment_id", "item_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(ForeignKey("candidacy.id"), index=True)
    # No foreign key on purpose: the commission's tables never join into the private assessment.
    assessment_id: Mapped[int] = mapped_column(Integer)
    item_code: Mapped[str] = mapped_column(String(20))
    # {"template": "CAF 2020", "assessed_on": "2026-05-04", "code": "4.4", "title": "…", "score": 60,
    #  "phases": {...}, "strengths": "…", "improvements": "…"}
    content: Mapped[dict] = mapped_column(JSON)
    shared_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    shared_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    candidacy: Mapped[Candidacy] = relationship(back_populates="shared_items")
    shared_by: Mapped[User | None] = relationship()


class Conflict(db.Model):
    """A conflict of interest between a commission member and a candidacy: declared, or computed and confirmed."""

    __tablename__ = "evaluation_conflict"
    __table_args__ = (UniqueConstraint("candidacy_id", "user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("evaluation_call.id"), index=True)
    candidacy_id: Mapped[int] = mapped_column(ForeignKey("candidacy.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24), default=ConflictKind.OTHER)
    source: Mapped[str] = mapped_column(String(16), default=ConflictSource.REVIEWER)
    status: Mapped[str] = mapped_column(String(16), default=ConflictStatus.CONFIRMED, index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    candidacy: Mapped[Candidacy] = relationship()


class ReviewPreference(db.Model):
    """A reviewer's wish to review a candidacy, −2 (rather not) … +2 (gladly)."""

    __tablename__ = "review_preference"
    __table_args__ = (UniqueConstraint("candidacy_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(ForeignKey("candidacy.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    value: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Assignment(db.Model):
    """A reviewer assigned to a candidacy. One row per (candidacy, reviewer); a declined one stays declined."""

    __tablename__ = "review_assignment"
    __table_args__ = (UniqueConstraint("candidacy_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(ForeignKey("candidacy.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=AssignmentStatus.ASSIGNED, index=True)
    automatic: Mapped[bool] = mapped_column(Boolean, default=False)
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    assigned_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime)

    candidacy: Mapped[Candidacy] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    review: Mapped[Review | None] = relationship(back_populates="assignment", uselist=False)


class Review(db.Model):
    """A reviewer's scoring of a candidacy: a score and a motivation per criterion, a confidence, a comment. The
    weighted total is computed from the scores (app/evaluation/aggregates.py), never typed."""

    __tablename__ = "review"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("review_assignment.id"), unique=True)
    candidacy_id: Mapped[int] = mapped_column(ForeignKey("candidacy.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    confidence: Mapped[int | None] = mapped_column(Integer)  # 1 low, 2 medium, 3 high
    comment: Mapped[str] = mapped_column(Text, default="")
    total: Mapped[float | None] = mapped_column(Float)  # weighted, on the criteria's scale; None until complete
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    assignment: Mapped[Assignment] = relationship(back_populates="review")
    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id])
    scores: Mapped[list[ReviewScore]] = relationship(back_populates="review", cascade="all, delete-orphan")

    def score_for(self, criterion_id: int) -> ReviewScore | None:
        return next((each for each in self.scores if each.criterion_id == criterion_id), None)


class ReviewScore(db.Model):
    __tablename__ = "review_score"
    __table_args__ = (UniqueConstraint("review_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("evaluation_criterion.id"), index=True)
    score: Mapped[int | None] = mapped_column(Integer)
    motivation: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[Review] = relationship(back_populates="scores")
    criterion: Mapped[Criterion] = relationship()


class ScoreChange(db.Model):
    """Every change of a submitted review's scores (consensus): what it was, what it became, who, when."""

    __tablename__ = "review_score_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id"), index=True)
    criterion_id: Mapped[int | None] = mapped_column(ForeignKey("evaluation_criterion.id"))
    old_score: Mapped[int | None] = mapped_column(Integer)
    new_score: Mapped[int | None] = mapped_column(Integer)
    old_motivation: Mapped[str] = mapped_column(Text, default="")
    new_motivation: Mapped[str] = mapped_column(Text, default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class DiscussionPost(db.Model):
    """The commission's private discussion of a candidacy (threaded by one level of replies)."""

    __tablename__ = "commission_post"
    __table_args__ = (Index("ix_commission_post_candidacy_created", "candidacy_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(ForeignKey("candidacy.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("commission_post.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    author: Mapped[User | None] = relationship()


class Decision(db.Model):
    """The chair's synthesis, proposed and final outcome of a candidacy; released with the call's others."""

    __tablename__ = "evaluation_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(ForeignKey("candidacy.id"), unique=True)
    synthesis: Mapped[str] = mapped_column(Text, default="")  # the chair's, for the commission
    proposed_outcome: Mapped[str | None] = mapped_column(String(20))
    outcome: Mapped[str | None] = mapped_column(String(20))  # Outcome; None while only proposed
    motivation: Mapped[str] = mapped_column(Text, default="")  # for the candidate (and the public, if recognised)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    published_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)

    candidacy: Mapped[Candidacy] = relationship()


class EvaluationAudit(db.Model):
    """The audit log: every transition of a call, its candidacies, assignments, conflicts and decisions."""

    __tablename__ = "evaluation_audit"
    __table_args__ = (Index("ix_evaluation_audit_call_at", "call_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("evaluation_call.id"))
    candidacy_id: Mapped[int | None] = mapped_column(ForeignKey("candidacy.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    action: Mapped[str] = mapped_column(String(40))  # "call.open", "candidacy.submit", "assignment.add", …
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()
