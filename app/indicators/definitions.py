"""The indicators: code, group, unit, how few items make "dati insufficienti", what the drill-down lists, and the
words of numerator, denominator and window shown beside each figure (../shared/research/qa-indicators.md, part B).

Conventions: W90 = the 90 days ending at the computation; W365 likewise. A person is an account, an administration
an organisation of kind public administration. Medians, never means. No Flask import.
"""
from __future__ import annotations

from dataclasses import dataclass


def N_(message: str) -> str:
    """Marks a message for translation; the web layer translates it when it shows it."""
    return message


MIN_ITEMS = 5  # fewer counted items than this: "dati insufficienti", never 0 % or 100 %

# Units: share (0–1, shown as %), count, ratio (closed ÷ opened, shown as a number), working_hours, working_days,
# days, factor (a smallest number of people or administrations), flag (1 met, 0 not).


@dataclass(frozen=True)
class Indicator:
    code: str
    group: str
    label: str
    unit: str
    numerator: str
    denominator: str
    window: str
    item_kind: str | None  # what the drill-down lists: question, request, user, organization, practice, adoption
    min_items: int | None = MIN_ITEMS  # None: a count, always shown


GROUPS = {
    "qa": N_("Domande e risposte"),
    "support": N_("Supporto dato dai cedenti"),
    "mass": N_("Massa critica e partecipazione"),
    "reuse": N_("Cedenti e riusatori"),
    "kits": N_("Kit di riuso"),
    "rhythm": N_("Ritmo"),
}

_LIST = [
    # Q&A responsiveness
    Indicator("Q1", "qa", N_("Risposte entro 2 giorni lavorativi"), "share",
              N_("domande con una risposta di un'altra persona entro 2 giorni lavorativi"),
              N_("domande poste, tranne i duplicati chiusi (quelle senza risposta contano come mancate)"),
              N_("domande poste tra 90 giorni fa e 2 giorni lavorativi fa"), "question"),
    Indicator("Q2", "qa", N_("Tempo mediano alla prima risposta"), "working_hours",
              N_("mediana delle ore lavorative fino alla prima risposta"), N_("domande con risposta di Q1"),
              N_("come Q1"), "question"),
    Indicator("Q3", "qa", N_("Domande risolte"), "share", N_("domande con una risposta accettata"),
              N_("domande poste, tranne i duplicati chiusi"), N_("domande poste tra 90 e 14 giorni fa"), "question"),
    Indicator("Q4", "qa", N_("Domande senza risposta"), "count",
              N_("domande aperte da più di 7 giorni senza alcuna risposta"), "", N_("a oggi"), "question", None),
    Indicator("QV", "qa", N_("Domande e richieste di supporto"), "count",
              N_("domande poste e richieste di supporto aperte"), "", N_("ultimi 90 giorni"), None, None),
    Indicator("QA", "qa", N_("Enti che rispondono"), "count",
              N_("amministrazioni distinte autrici di almeno una risposta"), "", N_("ultimi 90 giorni"),
              "organization", None),
    # support given
    Indicator("S1", "support", N_("Prima risposta entro 5 giorni lavorativi"), "share",
              N_("richieste con una risposta dei cedenti entro 5 giorni lavorativi"), N_("richieste aperte"),
              N_("richieste aperte tra 90 giorni fa e 5 giorni lavorativi fa"), "request"),
    Indicator("S2", "support", N_("Tempo mediano alla prima risposta"), "working_days",
              N_("mediana dei giorni lavorativi fino alla prima risposta dei cedenti"),
              N_("richieste con risposta di S1"), N_("come S1"), "request"),
    Indicator("S3", "support", N_("Rapporto di chiusura"), "ratio",
              N_("richieste chiuse (risolte, o rifiutate con un motivo)"), N_("richieste aperte"),
              N_("ultimi 90 giorni"), "request"),
    Indicator("S4", "support", N_("Tempo mediano alla chiusura"), "days",
              N_("mediana dei giorni dall'apertura alla chiusura"), N_("richieste chiuse"),
              N_("chiuse negli ultimi 365 giorni"), "request"),
    Indicator("S5", "support", N_("Richieste ferme"), "count", N_("richieste aperte da più di 30 giorni"), "",
              N_("a oggi"), "request", None),
    # critical mass
    Indicator("M1P", "mass", N_("Persone iscritte"), "count", N_("persone iscritte attive"), "", N_("a oggi"),
              "user", None),
    Indicator("M1A", "mass", N_("Amministrazioni iscritte"), "count",
              N_("amministrazioni con almeno una persona iscritta"), "", N_("a oggi"), "organization", None),
    Indicator("M1R", "mass", N_("Copertura del territorio"), "share", N_("amministrazioni iscritte"),
              N_("amministrazioni registrate sulla piattaforma nel territorio della comunità"), N_("a oggi"),
              "organization"),
    Indicator("M2", "mass", N_("Partecipazione"), "share", N_("persone iscritte con almeno un contributo"),
              N_("persone iscritte"), N_("ultimi 90 giorni"), "user"),
    Indicator("M3", "mass", N_("Amministrazioni attive"), "count",
              N_("amministrazioni con almeno un contributo"), "", N_("ultimi 90 giorni"), "organization", None),
    Indicator("M4P", "mass", N_("Fattore di assenza (persone)"), "factor",
              N_("il minor numero di persone che fa metà dei contributi"), N_("contributi"), N_("ultimi 90 giorni"),
              "user"),
    Indicator("M4A", "mass", N_("Fattore ente"), "factor",
              N_("il minor numero di amministrazioni che fa metà dei contributi"), N_("contributi"),
              N_("ultimi 90 giorni"), "organization"),
    Indicator("M5N", "mass", N_("Nuove persone che contribuiscono"), "count",
              N_("persone al primo contributo nella comunità"), "", N_("ultimi 90 giorni"), "user", None),
    Indicator("M5R", "mass", N_("Permanenza"), "share", N_("di queste, persone che hanno contribuito di nuovo"),
              N_("persone al primo contributo tra 180 e 90 giorni fa"), N_("ultimi 90 giorni"), "user"),
    Indicator("M6", "mass", N_("Persone non più attive"), "count",
              N_("persone che hanno contribuito tra 365 e 180 giorni fa e non da allora"), "",
              N_("ultimi 365 giorni"), "user", None),
    Indicator("CORE", "mass", N_("Nucleo stabile"), "count",
              N_("persone attive in almeno 2 degli ultimi 3 mesi di calendario"), "", N_("ultimi 3 mesi"),
              "user", None),
    Indicator("COREA", "mass", N_("Amministrazioni del nucleo stabile"), "count",
              N_("amministrazioni delle persone del nucleo stabile"), "", N_("ultimi 3 mesi"), "organization", None),
    Indicator("F1", "mass", N_("Animatori"), "count", N_("animatori nominati"), "", N_("a oggi"), "user", None),
    Indicator("F2", "mass", N_("Pagina di governance pubblicata"), "flag",
              N_("registrata da un amministratore o da un animatore"), "", N_("a oggi"), None, None),
    # donors and reusers
    Indicator("R1D", "reuse", N_("Amministrazioni cedenti"), "count",
              N_("amministrazioni con almeno una pratica pubblicata nella comunità"), "", N_("a oggi"),
              "organization", None),
    Indicator("R1R", "reuse", N_("Amministrazioni riusatrici"), "count",
              N_("amministrazioni con un riuso in corso o completato di una pratica altrui"), "", N_("a oggi"),
              "organization", None),
    Indicator("R2", "reuse", N_("Ampiezza del riuso"), "share",
              N_("pratiche pubblicate adottate da un'amministrazione non cedente"), N_("pratiche pubblicate"),
              N_("adozioni degli ultimi 365 giorni"), "practice"),
    Indicator("R3C", "reuse", N_("Da riusatore a contributore"), "share",
              N_("riusatori che hanno poi dato una risposta accettata o una risposta di supporto"),
              N_("riusatori al primo riuso tra 24 e 12 mesi fa"), N_("coorte di 12–24 mesi"), "organization"),
    Indicator("R3D", "reuse", N_("Da riusatore a cedente"), "share",
              N_("riusatori che hanno poi pubblicato una pratica o documentato una variante"),
              N_("riusatori al primo riuso tra 24 e 12 mesi fa"), N_("coorte di 12–24 mesi"), "organization"),
    Indicator("R3N", "reuse", N_("Riusatori diventati cedenti"), "count",
              N_("amministrazioni diventate cedenti dopo un riuso"), "", N_("ultimi 24 mesi"), "organization", None),
    # kits
    Indicator("K1", "kits", N_("Kit completi e aggiornati"), "share",
              N_("kit completi almeno all'80 per cento e aggiornati o riconfermati nell'ultimo anno"),
              N_("kit delle pratiche pubblicate"), N_("aggiornamenti degli ultimi 365 giorni"), "practice"),
    Indicator("K1N", "kits", N_("Numero di kit completi e aggiornati"), "count",
              N_("kit completi almeno all'80 per cento e aggiornati nell'ultimo anno"), "", N_("ultimi 365 giorni"),
              "practice", None),
    Indicator("K2", "kits", N_("Kit aggiornati"), "share",
              N_("kit aggiornati o riconfermati nell'ultimo anno"), N_("kit delle pratiche pubblicate"),
              N_("ultimi 365 giorni"), "practice"),
    # rhythm
    Indicator("RH", "rhythm", N_("Ritmo"), "share", N_("persone attive in almeno 2 degli ultimi 3 mesi"),
              N_("persone attive negli ultimi 90 giorni"), N_("ultimi 3 mesi di calendario"), "user"),
]

INDICATORS: dict[str, Indicator] = {each.code: each for each in _LIST}

# Maturity stages, lowest first. "starting" is the label before the first stage is reached ("In avvio").
STAGES = {
    "starting": N_("In avvio"),
    "community": N_("Comunità"),
    "hub": N_("Hub di conoscenza"),
    "centre": N_("Centro di competenza"),
}
STAGE_ORDER = list(STAGES)
