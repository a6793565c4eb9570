"""Interface labels of programmes, calls and candidacies (issue 15)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.calls.workflow import CallPhase, CandidacyAction, CandidacyStatus

CALL_PHASE_LABELS = {
    CallPhase.DRAFT: _l("In preparazione"),
    CallPhase.PUBLISHED: _l("Pubblicato"),
    CallPhase.RESULTS: _l("Esiti pubblicati"),
}

WINDOW_LABELS = {
    "not_set": _l("Date da definire"),
    "upcoming": _l("Candidature non ancora aperte"),
    "open": _l("Candidature aperte"),
    "closed": _l("Candidature chiuse"),
}

CANDIDACY_STATUS_LABELS = {
    CandidacyStatus.DRAFT: _l("Bozza"),
    CandidacyStatus.SUBMITTED: _l("Inviata"),
    CandidacyStatus.ADMISSIBLE: _l("Ammissibile"),
    CandidacyStatus.INADMISSIBLE: _l("Non ammissibile"),
    CandidacyStatus.SELECTED: _l("Selezionata"),
    CandidacyStatus.WAITING: _l("In lista d'attesa"),
    CandidacyStatus.NOT_SELECTED: _l("Non selezionata"),
    CandidacyStatus.WITHDRAWN: _l("Ritirata"),
}

CANDIDACY_ACTION_LABELS = {
    CandidacyAction.SUBMIT: _l("Invia la candidatura"),
    CandidacyAction.ADMIT: _l("Ammissibile"),
    CandidacyAction.REJECT: _l("Non ammissibile"),
    CandidacyAction.SELECT: _l("Seleziona"),
    CandidacyAction.WAIT_LIST: _l("Metti in lista d'attesa"),
    CandidacyAction.NOT_SELECT: _l("Non selezionare"),
    CandidacyAction.WITHDRAW: _l("Ritira la candidatura"),
    CandidacyAction.PROMOTE: _l("Promossa dalla lista d'attesa"),
}

# The kinds of field a call's candidacy form may have.
FIELD_KINDS = {
    "text": _l("Testo breve"),
    "textarea": _l("Testo lungo"),
    "number": _l("Numero"),
    "choice": _l("Scelta da un elenco"),
    "checkbox": _l("Dichiarazione da spuntare"),
    "attachment": _l("Documento allegato"),
}
