"""Programmes, their calls for expression of interest and the organisations' candidacies (issue 15).

A programme (Ask Public Value, PerForma PA, Province & Comuni …) is promoted by an organisation, run by its staff,
linked to communities. Its calls select administrations within quotas per organisation kind; a selected candidacy
makes its organisation a participant of the programme (ProgrammeParticipant), which restricted events admit.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Date, DateTime, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.calls.workflow import CallPhase, CandidacyStatus
from app.extensions import db
from app.models.base import utcnow
from app.models.community import Community
from app.models.organization import Organization
from app.models.user import User

NAME_MAX = 200
TEXT_MAX = 20_000
REASON_MAX = 5_000

programme_community = Table(
    "programme_community", db.metadata,
    Column("programme_id", ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True),
    Column("community_id", ForeignKey("community.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Programme(db.Model):
    """A named initiative with its promoter, period, description, communities and staff."""

    __tablename__ = "programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    summary: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown
    promoter_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    website: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    promoter: Mapped[Organization | None] = relationship()
    communities: Mapped[list[Community]] = relationship(secondary=programme_community, order_by="Community.name")
    staff: Mapped[list[ProgrammeStaff]] = relationship(back_populates="programme", cascade="all, delete-orphan",
                                                       order_by="ProgrammeStaff.id")
    calls: Mapped[list[InterestCall]] = relationship(back_populates="programme", order_by="InterestCall.id")


class ProgrammeStaff(db.Model):
    """A person who manages a programme's calls and events."""

    __tablename__ = "programme_staff"
    __table_args__ = (UniqueConstraint("programme_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    added_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    programme: Mapped[Programme] = relationship(back_populates="staff")
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class ProgrammeParticipant(db.Model):
    """An organisation taking part in a programme: selected through one of its calls, or added by the staff."""

    __tablename__ = "programme_participant"
    __table_args__ = (UniqueConstraint("programme_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    candidacy_id: Mapped[int | None] = mapped_column(ForeignKey("interest_candidacy.id"))
    joined_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    programme: Mapped[Programme] = relationship()
    organization: Mapped[Organization] = relationship()


class InterestCall(db.Model):
    """A call for expression of interest (avviso / manifestazione di interesse) of a programme."""

    __tablename__ = "interest_call"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(NAME_MAX))
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown
    phase: Mapped[str] = mapped_column(String(16), default=CallPhase.DRAFT, index=True)
    opens_at: Mapped[datetime | None] = mapped_column(DateTime)  # naive UTC
    closes_at: Mapped[datetime | None] = mapped_column(DateTime)  # naive UTC; candidacies refused after it
    # The candidacy form's own fields: [{"key": "budget", "label": "…", "kind": "number", "required": true,
    # "choices": [], "help": ""}]; kinds: text, textarea, number, choice, checkbox, attachment.
    fields: Mapped[list] = mapped_column(JSON, default=list)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    results_published_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    programme: Mapped[Programme] = relationship(back_populates="calls")
    quotas: Mapped[list[CallQuota]] = relationship(back_populates="call", cascade="all, delete-orphan",
                                                   order_by="CallQuota.id")

    def quota_for(self, pa_kind: str | None) -> CallQuota | None:
        return next((quota for quota in self.quotas if quota.pa_kind == pa_kind), None)


class CallQuota(db.Model):
    """An eligible organisation kind (PaKind) of a call and its seats."""

    __tablename__ = "interest_call_quota"
    __table_args__ = (UniqueConstraint("call_id", "pa_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("interest_call.id"), index=True)
    pa_kind: Mapped[str] = mapped_column(String(32))
    seats: Mapped[int] = mapped_column(Integer)

    call: Mapped[InterestCall] = relationship(back_populates="quotas")


class InterestCandidacy(db.Model):
    """An organisation's candidacy to a call: the form's answers, the signed document with its protocol, the
    working group. One per organisation and call."""

    __tablename__ = "interest_candidacy"
    __table_args__ = (UniqueConstraint("call_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("interest_call.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    pa_kind: Mapped[str | None] = mapped_column(String(32), index=True)  # the organisation's kind when it applied
    status: Mapped[str] = mapped_column(String(16), default=CandidacyStatus.DRAFT, index=True)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)  # field key → value
    protocol_number: Mapped[str] = mapped_column(String(60), default="")
    protocol_date: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")  # inadmissibility reason, or the staff's note
    waiting_since: Mapped[datetime | None] = mapped_column(DateTime)  # on the waiting list since (its order)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    call: Mapped[InterestCall] = relationship()
    organization: Mapped[Organization] = relationship()
    documents: Mapped[list[CandidacyDocument]] = relationship(
        back_populates="candidacy", cascade="all, delete-orphan", order_by="CandidacyDocument.id")
    contacts: Mapped[list[CandidacyContact]] = relationship(
        back_populates="candidacy", cascade="all, delete-orphan", order_by="CandidacyContact.position")
    history: Mapped[list[CandidacyChange]] = relationship(
        back_populates="candidacy", cascade="all, delete-orphan", order_by="CandidacyChange.id")

    @property
    def signed_document(self) -> CandidacyDocument | None:
        return next((each for each in self.documents if each.role == "signed"), None)


class CandidacyDocument(db.Model):
    """A file of a candidacy (the signed candidacy, or an attachment field's file): checked and stored as kit files
    are (app/uploads.py), outside static/."""

    __tablename__ = "interest_candidacy_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(ForeignKey("interest_candidacy.id"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="attachment")  # "signed" or "attachment"
    field_key: Mapped[str] = mapped_column(String(60), default="")  # the attachment field it answers
    storage_key: Mapped[str] = mapped_column(String(80), index=True)
    original_name: Mapped[str] = mapped_column(String(200))
    mimetype: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    candidacy: Mapped[InterestCandidacy] = relationship(back_populates="documents")


class CandidacyContact(db.Model):
    """A person of the candidate organisation's working group (need not have an account)."""

    __tablename__ = "interest_candidacy_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(ForeignKey("interest_candidacy.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    full_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(120), default="")  # e.g. "Referente tecnico", "Dirigente"
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    candidacy: Mapped[InterestCandidacy] = relationship(back_populates="contacts")


class CandidacyChange(db.Model):
    """Each move of a candidacy: who, when, from what to what, with the note (the candidacy's history)."""

    __tablename__ = "interest_candidacy_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(ForeignKey("interest_candidacy.id"), index=True)
    action: Mapped[str] = mapped_column(String(24))
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # None: automatic
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    candidacy: Mapped[InterestCandidacy] = relationship(back_populates="history")
    actor: Mapped[User | None] = relationship()
