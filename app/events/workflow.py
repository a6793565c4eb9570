"""The state machines of events and registrations, and the seat arithmetic (issue 15). No Flask import.

- An event: draft → published → held (closed by its organisers with a report, once it has started);
  draft | published → cancelled (with a reason); a published event may go back to draft while nobody registered.
- A registration: registered | waiting (on the waiting list) → cancelled; waiting → registered when a seat frees
  (automatic promotion, oldest first among those the freed seat fits); a cancelled registration may register
  again (it goes to the end of the waiting list if the event is full). Attendance is a mark on a registered one.

Seats: `seats` in all (None: no limit), of which some are reserved per organisation kind. A person whose
organisation is of a reserved kind takes a reserved seat of that kind first, then a general one; anybody else only
a general one.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


def N_(message: str) -> str:
    """Marks a message for translation; the web layer translates it when it shows it."""
    return message


class EventWorkflowError(Exception):
    """A move the rules refuse; the message (an Italian msgid) says why."""


# ---- the event -----------------------------------------------------------------------------------------------

class EventStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    HELD = "held"  # closed with its report


class EventAction(StrEnum):
    PUBLISH = "publish"
    UNPUBLISH = "unpublish"  # back to draft
    CANCEL = "cancel"
    CLOSE = "close"  # held, with the report


EVENT_TRANSITIONS: dict[tuple[EventStatus, EventAction], EventStatus] = {
    (EventStatus.DRAFT, EventAction.PUBLISH): EventStatus.PUBLISHED,
    (EventStatus.PUBLISHED, EventAction.UNPUBLISH): EventStatus.DRAFT,
    (EventStatus.DRAFT, EventAction.CANCEL): EventStatus.CANCELLED,
    (EventStatus.PUBLISHED, EventAction.CANCEL): EventStatus.CANCELLED,
    (EventStatus.PUBLISHED, EventAction.CLOSE): EventStatus.HELD,
}

EVENT_REFUSED = {
    EventAction.PUBLISH: N_("Si pubblica solo un evento in bozza."),
    EventAction.UNPUBLISH: N_("Torna in bozza solo un evento pubblicato."),
    EventAction.CANCEL: N_("Un evento già svolto o già annullato non si può annullare."),
    EventAction.CLOSE: N_("Si chiude solo un evento pubblicato e non annullato."),
}
NOT_STARTED = N_("L'evento non è ancora cominciato: si chiude con il resoconto dopo che si è svolto.")
REPORT_REQUIRED = N_("Scrivete il resoconto dell'evento: senza resoconto l'evento non si chiude.")
CANCEL_REASON_REQUIRED = N_("Scrivete il motivo dell'annullamento: lo leggerà chi si è iscritto.")
HAS_REGISTRATIONS = N_("L'evento ha già persone iscritte: annullatelo invece di riportarlo in bozza.")
NO_PLACE = N_("Indicate il luogo dell'evento in presenza.")
NO_LINK = N_("Indicate il collegamento per seguire l'evento online.")
ENDS_BEFORE_START = N_("La fine dell'evento deve seguire il suo inizio.")


@dataclass(frozen=True)
class EventFacts:
    now: datetime
    starts_at: datetime
    report: str = ""
    reason: str = ""
    registrations: int = 0  # registered or waiting


def event_transition(status: str, action: str, facts: EventFacts) -> EventStatus:
    """The status after `action`, or EventWorkflowError with the reason (who may act is checked by the caller:
    the event's organisers)."""
    try:
        status, action = EventStatus(status), EventAction(action)
    except ValueError:
        raise EventWorkflowError(N_("Operazione non riconosciuta.")) from None
    target = EVENT_TRANSITIONS.get((status, action))
    if target is None:
        raise EventWorkflowError(EVENT_REFUSED[action])
    if action == EventAction.CLOSE:
        if facts.now < facts.starts_at:
            raise EventWorkflowError(NOT_STARTED)
        if not facts.report.strip():
            raise EventWorkflowError(REPORT_REQUIRED)
    if action == EventAction.CANCEL and not facts.reason.strip():
        raise EventWorkflowError(CANCEL_REASON_REQUIRED)
    if action == EventAction.UNPUBLISH and facts.registrations:
        raise EventWorkflowError(HAS_REGISTRATIONS)
    return target


def format_problems(event_format: str, place: str, online_url: str) -> list[str]:
    """What an event of this format lacks: a place in presence, a link online, both when hybrid."""
    problems = []
    if event_format in ("in_person", "hybrid") and not (place or "").strip():
        problems.append(NO_PLACE)
    if event_format in ("online", "hybrid") and not (online_url or "").strip():
        problems.append(NO_LINK)
    return problems


# ---- seats ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Seats:
    """An event's seats: `total` None means no limit; `reserved` maps organisation kinds to seats kept for them."""

    total: int | None
    reserved: Mapping[str, int]

    @property
    def general(self) -> int | None:
        return None if self.total is None else max(0, self.total - sum(self.reserved.values()))


def general_in_use(seats: Seats, registered_by_kind: Mapping[str | None, int]) -> int:
    """General seats taken: everyone beyond their kind's reservation, and everyone of an unreserved kind."""
    return sum(max(0, count - seats.reserved.get(kind or "", 0)) for kind, count in registered_by_kind.items())


def fits(seats: Seats, registered_by_kind: Mapping[str | None, int], kind: str | None) -> bool:
    """Whether one more person of organisation kind `kind` has a seat."""
    if seats.total is None:
        return True
    if registered_by_kind.get(kind, 0) < seats.reserved.get(kind or "", 0):
        return True
    return general_in_use(seats, registered_by_kind) < (seats.general or 0)


def seats_left(seats: Seats, registered_by_kind: Mapping[str | None, int], kind: str | None = None) -> int | None:
    """Free seats for a person of `kind` (None: no limit); without a kind, the general seats left."""
    if seats.total is None:
        return None
    general_left = max(0, (seats.general or 0) - general_in_use(seats, registered_by_kind))
    reserved_left = max(0, seats.reserved.get(kind or "", 0) - registered_by_kind.get(kind, 0)) if kind else 0
    return general_left + reserved_left


def to_promote(seats: Seats, registered_by_kind: Mapping[str | None, int],
               waiting: Sequence[tuple[int, str | None]]) -> list[int]:
    """The waiting registrations that now have a seat, in order (`waiting`: (id, organisation kind), oldest first).
    Each promoted one takes its seat before the next is looked at."""
    counts = dict(registered_by_kind)
    promoted = []
    for registration_id, kind in waiting:
        if fits(seats, counts, kind):
            promoted.append(registration_id)
            counts[kind] = counts.get(kind, 0) + 1
    return promoted


# ---- the registration ----------------------------------------------------------------------------------------

class RegistrationStatus(StrEnum):
    REGISTERED = "registered"
    WAITING = "waiting"
    CANCELLED = "cancelled"


EVENT_NOT_OPEN = N_("Le iscrizioni sono aperte solo per un evento pubblicato.")
EVENT_CANCELLED = N_("L'evento è stato annullato: non ci si può iscrivere.")
EVENT_HELD = N_("L'evento si è già svolto.")
REGISTRATION_OFF = N_("Questo evento non raccoglie iscrizioni sulla piattaforma.")
REGISTRATION_CLOSED = N_("Le iscrizioni a questo evento sono chiuse.")
ALREADY_REGISTERED = N_("Risultate già iscritti a questo evento.")
ALREADY_WAITING = N_("Siete già in lista d'attesa per questo evento.")
TERMS_REQUIRED = N_("Per iscrivervi accettate le condizioni di partecipazione.")
NOT_REGISTERED = N_("Non risultate iscritti a questo evento.")
ATTENDANCE_ONLY_REGISTERED = N_("La presenza si registra solo per chi è iscritto (non in lista d'attesa).")
ATTENDED_NO_CANCEL = N_("La vostra presenza all'evento è già registrata: l'iscrizione non si annulla più.")
ATTENDANCE_TOO_EARLY = N_("Le presenze si registrano dal giorno dell'evento.")


@dataclass(frozen=True)
class RegistrationFacts:
    event_status: str
    registration_enabled: bool
    closes_at: datetime | None  # registrations refused after it (naive UTC)
    now: datetime
    current_status: str | None  # the person's registration, if any
    has_seat: bool  # fits(...) for the person's kind
    accepted_terms: bool
    terms_required: bool


def registration_outcome(facts: RegistrationFacts) -> RegistrationStatus:
    """Registered or waiting, for a person asking to register; EventWorkflowError when refused."""
    if facts.event_status == EventStatus.CANCELLED:
        raise EventWorkflowError(EVENT_CANCELLED)
    if facts.event_status == EventStatus.HELD:
        raise EventWorkflowError(EVENT_HELD)
    if facts.event_status != EventStatus.PUBLISHED:
        raise EventWorkflowError(EVENT_NOT_OPEN)
    if not facts.registration_enabled:
        raise EventWorkflowError(REGISTRATION_OFF)
    if facts.closes_at is not None and facts.now > facts.closes_at:
        raise EventWorkflowError(REGISTRATION_CLOSED)
    if facts.current_status == RegistrationStatus.REGISTERED:
        raise EventWorkflowError(ALREADY_REGISTERED)
    if facts.current_status == RegistrationStatus.WAITING:
        raise EventWorkflowError(ALREADY_WAITING)
    if facts.terms_required and not facts.accepted_terms:
        raise EventWorkflowError(TERMS_REQUIRED)
    return RegistrationStatus.REGISTERED if facts.has_seat else RegistrationStatus.WAITING


def cancellation_allowed(event_status: str, current_status: str | None, attended: bool = False) -> None:
    """Refuses a cancellation of nothing, after the event was held, or once the person's attendance is recorded
    (it would erase what the organisers counted)."""
    if current_status not in (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING):
        raise EventWorkflowError(NOT_REGISTERED)
    if event_status == EventStatus.HELD:
        raise EventWorkflowError(EVENT_HELD)
    if attended:
        raise EventWorkflowError(ATTENDED_NO_CANCEL)


def attendance_allowed(current_status: str | None, now: datetime, starts_at: datetime) -> None:
    """Attendance is recorded for registered people, from the day the event starts (a few hours' margin)."""
    if current_status != RegistrationStatus.REGISTERED:
        raise EventWorkflowError(ATTENDANCE_ONLY_REGISTERED)
    if (starts_at - now).total_seconds() > 12 * 3600:
        raise EventWorkflowError(ATTENDANCE_TOO_EARLY)
