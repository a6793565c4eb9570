"""Reuse: adoptions with their history and deployment records, support requests with their conversation,
supplier offers, and the record of reusers who became donors."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import utcnow
from app.models.organization import Organization
from app.models.practice import Practice
from app.models.user import User
from app.reuse.workflow import AdoptionStatus, RequestStatus

ADOPTION_STATUS_LABELS = {
    AdoptionStatus.INTERESTED: _l("Interesse"),
    AdoptionStatus.IN_PROGRESS: _l("In corso"),
    AdoptionStatus.COMPLETED: _l("Completato"),
    AdoptionStatus.ABANDONED: _l("Abbandonato"),
}

REQUEST_STATUS_LABELS = {
    RequestStatus.OPEN: _l("Aperta"),
    RequestStatus.ACCEPTED: _l("Presa in carico"),
    RequestStatus.RESOLVED: _l("Risolta"),
    RequestStatus.CLOSED: _l("Chiusa"),
    RequestStatus.DECLINED: _l("Declinata"),
}

REQUEST_KINDS = {
    "consultancy": _l("Consulenza"),
    "training": _l("Formazione"),
    "technical": _l("Supporto tecnico"),
    "feasibility": _l("Analisi di fattibilità"),
    "law_change": _l("Adeguamento a una novità normativa"),
    "new_requirement": _l("Nuovo requisito"),
}

# The size of the administration where a practice was deployed (inhabitants, or the kind of body).
DEPLOYMENT_SIZES = {
    "xs": _l("Fino a 5.000 abitanti"),
    "s": _l("Da 5.000 a 20.000 abitanti"),
    "m": _l("Da 20.000 a 100.000 abitanti"),
    "l": _l("Oltre 100.000 abitanti"),
    "wide": _l("Ente di area vasta o regionale"),
    "other": _l("Altro (ente non territoriale)"),
}

OFFER_SERVICES = {
    "deployment": _l("Dispiegamento"),
    "maintenance": _l("Manutenzione"),
    "training": _l("Formazione"),
}

CONVERSION_REASONS = {
    "kit_version": _l("ha pubblicato una versione del KIT come co-cedente"),
    "deployment": _l("ha registrato un dispiegamento"),
    "own_practice": _l("ha pubblicato una propria pratica nella stessa comunità"),
}


class Adoption(db.Model):
    """An organisation's reuse of a practice, declared by one of its people; the donors confirm it."""

    __tablename__ = "adoption"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=AdoptionStatus.INTERESTED, index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)  # completed or abandoned
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    practice: Mapped[Practice] = relationship()
    organization: Mapped[Organization] = relationship()
    declared_by: Mapped[User | None] = relationship(foreign_keys=[declared_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])
    events: Mapped[list[AdoptionEvent]] = relationship(back_populates="adoption", cascade="all, delete-orphan",
                                                       order_by="AdoptionEvent.id")
    deployment: Mapped[Deployment | None] = relationship(back_populates="adoption", uselist=False)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def status_label(self) -> str:
        return str(ADOPTION_STATUS_LABELS.get(self.status, self.status))


class AdoptionEvent(db.Model):
    """One step of an adoption (declared, started, completed, abandoned, confirmed), with who, when and a note."""

    __tablename__ = "adoption_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    adoption_id: Mapped[int] = mapped_column(ForeignKey("adoption.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    adoption: Mapped[Adoption] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class Deployment(db.Model):
    """The record of a finished adoption, shown in the kit's deployments tab."""

    __tablename__ = "deployment"

    id: Mapped[int] = mapped_column(primary_key=True)
    adoption_id: Mapped[int] = mapped_column(ForeignKey("adoption.id"), unique=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    deployed_on: Mapped[date] = mapped_column(Date)
    size: Mapped[str] = mapped_column(String(8))
    territory: Mapped[str] = mapped_column(String(200))
    adaptations: Mapped[str] = mapped_column(Text, default="")
    effort: Mapped[str] = mapped_column(String(300), default="")
    cost_eur: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(Text)
    lessons: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    adoption: Mapped[Adoption] = relationship(back_populates="deployment")
    organization: Mapped[Organization] = relationship()

    @property
    def size_label(self) -> str:
        return str(DEPLOYMENT_SIZES.get(self.size, self.size))


class SupportRequest(db.Model):
    """A reuser's request for help to the donors of a practice; every step is stamped for the service figures."""

    __tablename__ = "support_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)  # the requester's
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    adoption_id: Mapped[int | None] = mapped_column(ForeignKey("adoption.id"))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=RequestStatus.OPEN, index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    first_response_at: Mapped[datetime | None] = mapped_column(DateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    declined_at: Mapped[datetime | None] = mapped_column(DateTime)
    reopened_at: Mapped[datetime | None] = mapped_column(DateTime)

    practice: Mapped[Practice] = relationship()
    organization: Mapped[Organization] = relationship()
    requester: Mapped[User | None] = relationship(foreign_keys=[requester_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    adoption: Mapped[Adoption | None] = relationship()
    events: Mapped[list[SupportEvent]] = relationship(back_populates="request", cascade="all, delete-orphan",
                                                      order_by="SupportEvent.id")
    messages: Mapped[list[SupportMessage]] = relationship(back_populates="request", cascade="all, delete-orphan",
                                                          order_by="SupportMessage.id")
    attachments: Mapped[list[SupportAttachment]] = relationship(back_populates="request",
                                                                cascade="all, delete-orphan",
                                                                order_by="SupportAttachment.id")

    @property
    def status_label(self) -> str:
        return str(REQUEST_STATUS_LABELS.get(self.status, self.status))

    @property
    def kind_label(self) -> str:
        return str(REQUEST_KINDS.get(self.kind, self.kind))


class SupportEvent(db.Model):
    """A state change or assignment of a support request: who, when, from what to what."""

    __tablename__ = "support_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("support_request.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    request: Mapped[SupportRequest] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class SupportMessage(db.Model):
    """One message of a request's conversation; internal notes are for the donor team only."""

    __tablename__ = "support_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("support_request.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(Text)
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    from_donor: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    request: Mapped[SupportRequest] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()
    attachments: Mapped[list[SupportAttachment]] = relationship(back_populates="message",
                                                                order_by="SupportAttachment.id")


class SupportAttachment(db.Model):
    """A document sent with a request or a message: same storage rules as kit documents."""

    __tablename__ = "support_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("support_request.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("support_message.id"), index=True)
    storage_key: Mapped[str] = mapped_column(String(80), index=True)
    original_name: Mapped[str] = mapped_column(String(200))
    mimetype: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    request: Mapped[SupportRequest] = relationship(back_populates="attachments")
    message: Mapped[SupportMessage | None] = relationship(back_populates="attachments")


class SupplierOffer(db.Model):
    """A supplier's services on a practice; the donors may hide an offer from the practice page."""

    __tablename__ = "supplier_offer"
    __table_args__ = (UniqueConstraint("practice_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    services: Mapped[list] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    organization: Mapped[Organization] = relationship()

    @property
    def service_labels(self) -> list[str]:
        return [str(OFFER_SERVICES[s]) for s in OFFER_SERVICES if s in (self.services or [])]


class Conversion(db.Model):
    """A reuser that became a donor: which adoption it started from, when, and why."""

    __tablename__ = "reuse_conversion"

    id: Mapped[int] = mapped_column(primary_key=True)
    adoption_id: Mapped[int] = mapped_column(ForeignKey("adoption.id"), unique=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    reason: Mapped[str] = mapped_column(String(16))
    evidence_practice_id: Mapped[int | None] = mapped_column(ForeignKey("practice.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    adoption: Mapped[Adoption] = relationship()

    @property
    def reason_label(self) -> str:
        return str(CONVERSION_REASONS.get(self.reason, self.reason))
