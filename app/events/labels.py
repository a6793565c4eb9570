"""Interface labels of events and registrations (issue 15)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.events.workflow import EventStatus, RegistrationStatus
from app.models.event import EventFormat, EventKind

EVENT_KIND_LABELS = {
    EventKind.ROUND_TABLE: _l("Tavolo di confronto"),
    EventKind.INNOVATION_LAB: _l("Innovation Lab"),
    EventKind.WORKSHOP: _l("Incontro laboratoriale"),
    EventKind.WEBINAR: _l("Webinar"),
    EventKind.PLENARY: _l("Plenaria"),
}

EVENT_FORMAT_LABELS = {
    EventFormat.IN_PERSON: _l("In presenza"),
    EventFormat.ONLINE: _l("Online"),
    EventFormat.HYBRID: _l("In presenza e online"),
}

EVENT_STATUS_LABELS = {
    EventStatus.DRAFT: _l("Bozza"),
    EventStatus.PUBLISHED: _l("Pubblicato"),
    EventStatus.CANCELLED: _l("Annullato"),
    EventStatus.HELD: _l("Svolto"),
}

REGISTRATION_STATUS_LABELS = {
    RegistrationStatus.REGISTERED: _l("Iscritto"),
    RegistrationStatus.WAITING: _l("In lista d'attesa"),
    RegistrationStatus.CANCELLED: _l("Iscrizione annullata"),
}

DOCUMENT_ROLE_LABELS = {
    "slides": _l("Presentazione"),
    "booklet": _l("Booklet"),
    "other": _l("Documento"),
}

# The kinds of question a registration questionnaire may ask.
QUESTION_KINDS = {
    "text": _l("Testo breve"),
    "textarea": _l("Testo lungo"),
    "number": _l("Numero"),
    "choice": _l("Scelta da un elenco"),
    "checkbox": _l("Casella da spuntare"),
}
