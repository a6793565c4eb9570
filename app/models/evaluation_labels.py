"""The interface labels of the evaluation's states and kinds, and the fields of a candidacy (issue 13)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.evaluation.workflow import (AssignmentStatus, CallPhase, CandidacyStatus, ConflictKind, ConflictSource,
                                     ConflictStatus, Outcome)

CALL_PHASE_LABELS = {
    CallPhase.DRAFT: _l("In preparazione"),
    CallPhase.OPEN: _l("Aperto alle candidature"),
    CallPhase.CLOSED: _l("Candidature chiuse"),
    CallPhase.REVIEW: _l("In valutazione"),
    CallPhase.CONSENSUS: _l("Fase di consenso"),
    CallPhase.DECIDED: _l("Esiti pubblicati"),
}

CANDIDACY_STATUS_LABELS = {
    CandidacyStatus.DRAFT: _l("Bozza"),
    CandidacyStatus.SUBMITTED: _l("Inviata"),
    CandidacyStatus.WITHDRAWN: _l("Ritirata"),
    CandidacyStatus.UNDER_REVIEW: _l("In valutazione"),
    CandidacyStatus.DECIDED: _l("Esito pubblicato"),
}

ASSIGNMENT_STATUS_LABELS = {
    AssignmentStatus.ASSIGNED: _l("Da valutare"),
    AssignmentStatus.SUBMITTED: _l("Valutazione inviata"),
    AssignmentStatus.DECLINED: _l("Declinato"),
    AssignmentStatus.CONFLICT: _l("Conflitto di interessi"),
}

OUTCOME_LABELS = {
    Outcome.RECOGNISED: _l("Riconosciuta come buona pratica"),
    Outcome.SPECIAL_MENTION: _l("Menzione speciale"),
    Outcome.NOT_RECOGNISED: _l("Non riconosciuta"),
}

CONFLICT_KIND_LABELS = {
    ConflictKind.SAME_ORGANISATION: _l("Stesso ente"),
    ConflictKind.DONOR: _l("Ente cedente o co-cedente della pratica"),
    ConflictKind.REUSER: _l("Ente che riusa la pratica"),
    ConflictKind.PARTNER: _l("Partner (unione di comuni, convenzione, accordo)"),
    ConflictKind.FACILITATOR: _l("Anima la comunità della pratica"),
    ConflictKind.PERSONAL: _l("Motivo personale"),
    ConflictKind.OTHER: _l("Altro"),
}

CONFLICT_SOURCE_LABELS = {
    ConflictSource.COMPUTED: _l("Rilevato dalla piattaforma"),
    ConflictSource.REVIEWER: _l("Dichiarato da chi valuta"),
    ConflictSource.CANDIDATE: _l("Dichiarato dall'ente candidato"),
    ConflictSource.CHAIR: _l("Registrato da chi presiede"),
}

CONFLICT_STATUS_LABELS = {
    ConflictStatus.SUGGESTED: _l("Da confermare"),
    ConflictStatus.CONFIRMED: _l("Confermato"),
    ConflictStatus.DISMISSED: _l("Escluso"),
}

# The standard fields of a candidacy (the "format di autocandidatura"), in order: key → (label, help).
CANDIDACY_FIELDS = {
    "why_good": (_l("Perché è una buona pratica"), _l("Il problema affrontato e cosa la rende innovativa.")),
    "methods": (_l("Metodi e processi"), _l("Come è stata realizzata: fasi, strumenti, persone coinvolte.")),
    "results": (_l("Risultati e loro evidenze"), _l("Risultati misurati, con le fonti o i documenti che li provano.")),
    "resources": (_l("Risorse impiegate"), _l("Costi, persone, tempi, finanziamenti.")),
    "transferability": (_l("Trasferibilità"), _l("Cosa serve a un'altra amministrazione per riusarla.")),
    "contacts": (_l("Contatti"), _l("A chi rivolgersi per la candidatura (nome, ufficio, indirizzo di lavoro).")),
}

# What kinds of extra field a call may add to its candidacy form.
EXTRA_FIELD_KINDS = {
    "text": _l("Testo breve"),
    "textarea": _l("Testo lungo"),
    "number": _l("Numero"),
    "choice": _l("Scelta da un elenco"),
    "checkbox": _l("Dichiarazione da spuntare"),
}
