"""Interface labels of the KPI library (issue 16)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.kpi.workflow import (DefinitionAction, DefinitionStatus, FormulaKind, Frequency, Level, PlanKind, Polarity,
                              Typology, Unit, ValueStatus)

STATUS_LABELS = {
    DefinitionStatus.PROPOSED: _l("Proposto"),
    DefinitionStatus.IN_REVIEW: _l("In esame"),
    DefinitionStatus.PUBLISHED: _l("Pubblicato"),
    DefinitionStatus.DEPRECATED: _l("Dismesso"),
    DefinitionStatus.WITHDRAWN: _l("Ritirato"),
}

ACTION_LABELS = {
    DefinitionAction.START_REVIEW: _l("Prendi in esame"),
    DefinitionAction.RETURN: _l("Rimanda al proponente"),
    DefinitionAction.PUBLISH: _l("Pubblica nella libreria"),
    DefinitionAction.DEPRECATE: _l("Dismetti"),
    DefinitionAction.WITHDRAW: _l("Ritira la proposta"),
}

# The history's own steps besides the workflow's actions.
CHANGE_LABELS = {
    "propose": _l("Proposto"),
    "edit": _l("Modificato"),
    "new_version": _l("Nuova versione"),
    **ACTION_LABELS,
}

POLARITY_LABELS = {
    Polarity.HIGHER: _l("Più alto è meglio"),
    Polarity.LOWER: _l("Più basso è meglio"),
    Polarity.RANGE: _l("Entro un intervallo obiettivo"),
}

FREQUENCY_LABELS = {
    Frequency.ANNUAL: _l("Annuale"),
    Frequency.HALF_YEARLY: _l("Semestrale"),
    Frequency.QUARTERLY: _l("Trimestrale"),
    Frequency.MONTHLY: _l("Mensile"),
}

LEVEL_LABELS = {
    Level.REGION: _l("Regione"),
    Level.METROPOLITAN_CITY: _l("Città metropolitana"),
    Level.MUNICIPALITY: _l("Comune"),
    Level.ANY: _l("Qualsiasi ente"),
}

# The organisation kinds (Organization.pa_kind) that make the peers of a level.
LEVEL_PA_KINDS = {
    Level.REGION: ("region",),
    Level.METROPOLITAN_CITY: ("metropolitan_city",),
    Level.MUNICIPALITY: ("municipality",),
}

TYPOLOGY_LABELS = {
    Typology.PHYSICAL: _l("Realizzazione fisica"),
    Typology.OUTPUT: _l("Risultato (output)"),
    Typology.OUTCOME: _l("Impatto (outcome)"),
    Typology.FINANCIAL: _l("Realizzazione finanziaria"),
    Typology.OTHER: _l("Altro"),
}

FORMULA_LABELS = {
    FormulaKind.RATIO: _l("Numeratore / denominatore"),
    FormulaKind.DESCRIPTION: _l("Descrizione del calcolo"),
}

UNIT_LABELS = {
    Unit.PERCENT: _l("Percentuale (0–100)"),
    Unit.RATIO: _l("Rapporto (0–1)"),
    Unit.NUMBER: _l("Numero"),
    Unit.EUROS: _l("Euro"),
    Unit.DAYS: _l("Giorni"),
    Unit.HOURS: _l("Ore"),
    Unit.PER_100: _l("Ogni 100"),
    Unit.PER_1000: _l("Ogni 1.000"),
    Unit.SCORE: _l("Punteggio"),
    Unit.INDEX: _l("Indice"),
}

# Short forms beside a number ("45,2 %", "32 gg").
UNIT_SUFFIXES = {
    Unit.PERCENT: "%", Unit.RATIO: "", Unit.NUMBER: "", Unit.EUROS: "€", Unit.DAYS: _l("gg"), Unit.HOURS: _l("h"),
    Unit.PER_100: _l("ogni 100"), Unit.PER_1000: _l("ogni 1.000"), Unit.SCORE: _l("punti"), Unit.INDEX: "",
}

PLAN_LABELS = {
    PlanKind.PIAO: _l("PIAO"),
    PlanKind.DUP: _l("DUP"),
    PlanKind.DEFR: _l("DEFR"),
}

VALUE_STATUS_LABELS = {
    ValueStatus.PROVISIONAL: _l("Provvisorio"),
    ValueStatus.FINAL: _l("Definitivo"),
}

SCHEME_LABELS = {
    "mission_local": _l("Missioni di bilancio di Regioni ed enti locali"),
    "mission_state": _l("Missioni del bilancio dello Stato"),
    "programme_local": _l("Programmi delle missioni"),
    "piao_section": _l("Sezioni del PIAO"),
    "piao_subsection": _l("Sottosezioni del PIAO"),
    "bes_domain": _l("Domini BES (ISTAT)"),
    "sdg": _l("Obiettivi di sviluppo sostenibile (Agenda 2030)"),
}

COMPARABILITY_CAVEAT = _l("I valori di enti diversi non sono sempre confrontabili: contesto, dimensione, fonti e "
                          "versione della definizione possono cambiare il risultato. Leggete le note di ogni ente "
                          "prima di trarre conclusioni; il confronto non è una classifica.")


def term_label(term, locale: str = "it") -> str:
    """A reference term in the reader's language (Italian when it has no English name)."""
    if term is None:
        return ""
    return term.label_en if locale == "en" and term.label_en else term.label_it
