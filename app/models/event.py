"""Events — round tables, Innovation Labs, workshops, webinars, plenaries — with their agenda, registrations,
attendance and what they produced (issue 15).

Times are stored as naive UTC and shown in Europe/Rome. A restricted event admits only the participants of its
programme (app/models/programme.py); a public one anybody.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.events.workflow import EventStatus, RegistrationStatus
from app.extensions import db
from app.models.base import utcnow
from app.models.community import Community
from app.models.organization import Organization
from app.models.practice import Practice
from app.models.programme import Programme
from app.models.user import User

TITLE_MAX = 200
TEXT_MAX = 50_000

event_community = Table(
    "event_community", db.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("community_id", ForeignKey("community.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class EventKind:
    ROUND_TABLE = "round_table"  # tavolo di confronto
    INNOVATION_LAB = "innovation_lab"
    WORKSHOP = "workshop"  # incontro laboratoriale
    WEBINAR = "webinar"
    PLENARY = "plenary"  # plenaria


class EventFormat:
    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"


class Event(db.Model):
    """An event of a programme and/or of communities."""

    __tablename__ = "event"
    __table_args__ = (Index("ix_event_status_starts", "status", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    summary: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown
    kind: Mapped[str] = mapped_column(String(24), index=True)
    format: Mapped[str] = mapped_column(String(16), default=EventFormat.IN_PERSON)
    place: Mapped[str] = mapped_column(String(300), default="")  # venue and address, in presence
    online_url: Mapped[str] = mapped_column(String(500), default="")
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)  # naive UTC
    ends_at: Mapped[datetime] = mapped_column(DateTime)  # naive UTC
    status: Mapped[str] = mapped_column(String(16), default=EventStatus.DRAFT, index=True)
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)  # the programme's participants only
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programme.id"), index=True)
    organizer_organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    missions: Mapped[list] = mapped_column(JSON, default=list)  # budget mission codes (BUDGET_MISSIONS)

    # Registrations
    registration_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    seats: Mapped[int | None] = mapped_column(Integer)  # None: no limit
    registration_closes_at: Mapped[datetime | None] = mapped_column(DateTime)  # None: at the start
    terms: Mapped[str] = mapped_column(Text, default="")  # to accept when registering (when not empty)
    # A short questionnaire: [{"key": "…", "label": "…", "kind": "text|textarea|number|choice|checkbox",
    # "required": false, "choices": []}]
    questionnaire: Mapped[list] = mapped_column(JSON, default=list)

    # Cancellation and closing
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)
    report: Mapped[str] = mapped_column(Text, default="")  # Markdown, required to close
    recording_url: Mapped[str] = mapped_column(String(500), default="")
    attendees_count: Mapped[int | None] = mapped_column(Integer)  # recorded at closing
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    programme: Mapped[Programme | None] = relationship()
    organizer_organization: Mapped[Organization | None] = relationship()
    communities: Mapped[list[Community]] = relationship(secondary=event_community, order_by="Community.name")
    organizers: Mapped[list[EventOrganizer]] = relationship(back_populates="event", cascade="all, delete-orphan",
                                                            order_by="EventOrganizer.id")
    reservations: Mapped[list[SeatReservation]] = relationship(back_populates="event",
                                                               cascade="all, delete-orphan",
                                                               order_by="SeatReservation.id")
    agenda: Mapped[list[AgendaItem]] = relationship(back_populates="event", cascade="all, delete-orphan",
                                                    order_by="AgendaItem.position")
    practice_links: Mapped[list[EventPractice]] = relationship(back_populates="event",
                                                               cascade="all, delete-orphan",
                                                               order_by="EventPractice.id")
    documents: Mapped[list[EventDocument]] = relationship(back_populates="event", cascade="all, delete-orphan",
                                                          order_by="EventDocument.id")


class EventOrganizer(db.Model):
    """A person who organises an event (besides its programme's staff and the administrators)."""

    __tablename__ = "event_organizer"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)

    event: Mapped[Event] = relationship(back_populates="organizers")
    user: Mapped[User] = relationship()


class SeatReservation(db.Model):
    """Seats of an event kept for people of an organisation kind (PaKind)."""

    __tablename__ = "event_seat_reservation"
    __table_args__ = (UniqueConstraint("event_id", "pa_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    pa_kind: Mapped[str] = mapped_column(String(32))
    seats: Mapped[int] = mapped_column(Integer)

    event: Mapped[Event] = relationship(back_populates="reservations")


class AgendaItem(db.Model):
    """An item of an event's agenda, with its speakers."""

    __tablename__ = "event_agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    starts_at: Mapped[datetime | None] = mapped_column(DateTime)  # naive UTC, optional
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(Text, default="")

    event: Mapped[Event] = relationship(back_populates="agenda")
    speakers: Mapped[list[AgendaSpeaker]] = relationship(back_populates="item", cascade="all, delete-orphan",
                                                         order_by="AgendaSpeaker.id")


class AgendaSpeaker(db.Model):
    """A speaker of an agenda item: a person with an account, an organisation, or a name alone (an outside
    guest)."""

    __tablename__ = "event_agenda_speaker"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("event_agenda_item.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    name: Mapped[str] = mapped_column(String(200), default="")  # shown when neither a person nor an organisation

    item: Mapped[AgendaItem] = relationship(back_populates="speakers")
    user: Mapped[User | None] = relationship()
    organization: Mapped[Organization | None] = relationship()


class EventPractice(db.Model):
    """A practice linked to an event (presented at it, or discussed)."""

    __tablename__ = "event_practice"
    __table_args__ = (UniqueConstraint("event_id", "practice_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    presented: Mapped[bool] = mapped_column(Boolean, default=True)  # "presentata al tavolo del …"

    event: Mapped[Event] = relationship(back_populates="practice_links")
    practice: Mapped[Practice] = relationship()


class EventDocument(db.Model):
    """A material of an event (slides, booklet, other), checked and stored as kit files are (app/uploads.py)."""

    __tablename__ = "event_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="other")  # slides, booklet, other
    title: Mapped[str] = mapped_column(String(TITLE_MAX), default="")
    storage_key: Mapped[str] = mapped_column(String(80), index=True)
    original_name: Mapped[str] = mapped_column(String(200))
    mimetype: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    event: Mapped[Event] = relationship(back_populates="documents")


class Registration(db.Model):
    """A person's registration to an event (one row per person and event; a cancelled one can register again)."""

    __tablename__ = "event_registration"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),
                      Index("ix_event_registration_event_status", "event_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    pa_kind: Mapped[str | None] = mapped_column(String(32))  # the organisation's kind when registering
    status: Mapped[str] = mapped_column(String(16), default=RegistrationStatus.REGISTERED)
    code: Mapped[str] = mapped_column(String(16), unique=True)  # shown to the person, typed at check-in
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    public_attendance: Mapped[bool] = mapped_column(Boolean, default=False)  # opt-in to be listed by name
    accepted_terms_at: Mapped[datetime | None] = mapped_column(DateTime)
    waiting_since: Mapped[datetime | None] = mapped_column(DateTime)  # the waiting list's order
    registered_at: Mapped[datetime | None] = mapped_column(DateTime)  # when the seat was obtained
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime)
    attended: Mapped[bool] = mapped_column(Boolean, default=False)
    attended_at: Mapped[datetime | None] = mapped_column(DateTime)
    attendance_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    event: Mapped[Event] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    organization: Mapped[Organization | None] = relationship()
