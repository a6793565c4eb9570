"""The default scoring grid of a new call: the six EPSA 2021/2023 criteria with equal weights (research note §4: no
weights are published, so equal weights are the only sourced default), on a 0–5 scale with anchored labels."""
from __future__ import annotations

ANCHORS_0_5 = {
    "0": "Assente: nessun elemento",
    "1": "Debole: elementi scarsi o non documentati",
    "2": "Parziale: alcuni elementi, poco documentati",
    "3": "Adeguato: elementi chiari e documentati",
    "4": "Buono: elementi solidi, con evidenze",
    "5": "Eccellente: elementi esemplari, con evidenze misurate",
}

EPSA_CRITERIA = [
    {"code": "innovation", "title_it": "Innovazione", "title_en": "Innovation",
     "guidance": "Quanto la pratica è nuova per l'amministrazione o per il settore pubblico, e in che cosa."},
    {"code": "impact", "title_it": "Impatto e risultati", "title_en": "Impact and results",
     "guidance": "Risultati misurati per cittadini, imprese o amministrazione, con le evidenze che li provano."},
    {"code": "engagement", "title_it": "Coinvolgimento dei portatori di interesse",
     "title_en": "Stakeholder engagement",
     "guidance": "Come utenti, personale e partner hanno partecipato a progettare, realizzare e verificare."},
    {"code": "relevance", "title_it": "Rilevanza", "title_en": "Relevance",
     "guidance": "Quanto la pratica risponde a un bisogno reale e prioritario, ben analizzato."},
    {"code": "sustainability", "title_it": "Sostenibilità", "title_en": "Sustainability",
     "guidance": "Sostegno finanziario, organizzativo e politico che ne garantisce la durata."},
    {"code": "transferability", "title_it": "Trasferibilità", "title_en": "Transferability",
     "guidance": "Quanto altre amministrazioni possono riusarla: KIT, documentazione, riusi già avvenuti."},
]


def default_criteria() -> list[dict]:
    """The default grid as fields of Criterion rows (position, scale 0–5, weight 1, required)."""
    return [dict(each, position=position, scale_min=0, scale_max=5, anchors=dict(ANCHORS_0_5), weight=1.0,
                 required=True, candidate_visible=True)
            for position, each in enumerate(EPSA_CRITERIA)]
