"""Demo evaluation (issue 13, point 11): three calls, one in each of the phases open, under review and decided, on the
EPSA grid, with a chair, deputies and reviewers among the demo people; candidacies from several administrations;
conflicts computed from what the platform knows (and confirmed by the chair) and declared by a reviewer; reviews that
disagree on one candidacy; published decisions with their motivations, the recognitions written onto the practices;
two CAF self-assessments of Comune di Matera, the second a year after the first, two of its items shared with a
candidacy.

Rows are written with the models directly (services would notify people and stamp "now"), in the order and with the
dates the application would have produced; every step keeps the rules (a conflicted person is never assigned, a
review is complete before it is submitted, decisions are published together). A call is looked up by its slug and a
self-assessment by its title: a call or an assessment already there is left alone, so loading again changes nothing.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.evaluation.defaults import ANCHORS_0_5, default_criteria
from app.evaluation.workflow import ConflictSource, ConflictStatus
from app.extensions import db
from app.models import (Assignment, Candidacy, CommissionMember, Conflict, Criterion, Decision,
                        DiscussionPost, EvaluationAudit, EvaluationCall, KitVersion, Practice,
                        Review, ReviewPreference, ReviewScore, ScoreChange, SharedItem, User)
from app.models.base import utcnow

CODES = ("innovation", "impact", "engagement", "relevance", "sustainability", "transferability")
CATEGORIES = [{"code": "digitale", "label": "Trasformazione digitale"},
              {"code": "organizzazione", "label": "Organizzazione, persone e collaborazione tra enti"}]
MATERA = "Comune di Matera"

CENTRALE = "Centrale unica di committenza dei Comuni del Chierese"
EUROPA = "Ufficio Europa associato della Bassa Reggiana"
RETE = "Rete dei punti di facilitazione digitale"
CRUSCOTTO = "Cruscotto degli indicatori di valore pubblico"
FORMAZIONE = "Piano di formazione condiviso sulle competenze digitali"

# The standard fields of each practice's candidacy (CANDIDACY_FIELDS keys).
FIELDS = {
    CENTRALE: {
        "why_good": "22 Comuni piccoli e medi, che da soli non avrebbero la qualificazione, bandiscono le gare sopra "
                    "soglia attraverso un ufficio unico con atti condivisi.",
        "methods": "Convenzione ex art. 30 TUEL, un ufficio di sei persone, un referente per Comune, una piattaforma "
                   "di e-procurement comune e modelli di atti aggiornati a ogni modifica del Codice.",
        "results": "140 gare l'anno; tempi medi di aggiudicazione ridotti del 30% (relazione annuale 2025); nessun "
                   "ricorso accolto negli ultimi due anni.",
        "resources": "Sei persone della Città metropolitana; quota annua dei Comuni di 0,50 euro per abitante.",
        "transferability": "KIT completo con convenzione, regolamento e bando tipo; già riusata dal Comune di Alba.",
        "contacts": "Ufficio centrale unica di committenza, Città metropolitana di Torino.",
    },
    EUROPA: {
        "why_good": "Un ufficio condiviso porta la progettazione europea anche nei Comuni che non hanno personale "
                    "dedicato.",
        "methods": "Monitoraggio dei bandi, progettazione con i servizi comunali, rendicontazione centralizzata, "
                   "partenariati con enti di altri Paesi.",
        "results": "12 milioni di euro di finanziamenti in sette anni; 31 progetti finanziati su 58 presentati.",
        "resources": "Tre persone; il costo dell'ufficio è coperto dal terzo anno dai contributi ottenuti.",
        "transferability": "Funzionigramma, piano delle attività del primo anno e modelli di convenzione nel KIT; "
                           "riusata dai Comuni di Alghero e Napoli.",
        "contacts": "Ufficio Europa dell'Unione Bassa Reggiana.",
    },
    RETE: {
        "why_good": "Punti di facilitazione nelle biblioteche e negli URP accompagnano chi ha poche competenze "
                    "digitali all'uso dei servizi pubblici online.",
        "methods": "Coordinamento regionale, facilitatori comunali e volontari del servizio civile digitale, un "
                   "percorso di formazione di 40 ore e un cruscotto di monitoraggio.",
        "results": "38.000 cittadini assistiti nel 2025; il 64% dichiara di usare da solo almeno un servizio dopo "
                   "tre incontri (questionario di fine percorso).",
        "resources": "Fondi PNRR (misura 1.7.2) e personale dei Comuni aderenti.",
        "transferability": "Tracciato dei dati e questionario nel KIT; riusata dai Comuni di Milano e Napoli.",
        "contacts": "Settore sistemi informativi, Regione Piemonte.",
    },
    CRUSCOTTO: {
        "why_good": "Gli indicatori di valore pubblico del PIAO diventano un cruscotto pubblico aggiornato ogni "
                    "trimestre, scelto insieme agli stakeholder.",
        "methods": "Tre laboratori annuali con cittadini e associazioni; dati dal controllo di gestione ogni notte, "
                   "indicatori di impatto caricati ogni trimestre.",
        "results": "42 indicatori pubblicati; la giunta li usa nella relazione sulla performance dal 2023.",
        "resources": "Circa 15 giornate di avvio; un'applicazione web con licenza AGPL.",
        "transferability": "Tracciato del CSV e istruzioni per collegare un altro gestionale; riusata dal Comune di "
                           "Bologna.",
        "contacts": "Ufficio performance e controllo di gestione, Comune di Matera.",
    },
    FORMAZIONE: {
        "why_good": "Un piano triennale costruito sul Syllabus porta ogni profilo professionale alle 40 ore di "
                    "formazione annue.",
        "methods": "Rilevazione dei fabbisogni, percorsi per profilo, monitoraggio delle ore con un foglio comune.",
        "results": "Otto enti aderenti; il 91% del personale ha completato almeno un modulo Syllabus nel 2025.",
        "resources": "Un ufficio formazione di due persone; corsi gratuiti della piattaforma Syllabus.",
        "transferability": "Moduli per dirigenti, funzionari e istruttori nel KIT; riusato dall'Unione Bassa "
                           "Reggiana.",
        "contacts": "Ufficio formazione, Comune di Bologna.",
    },
}

# What each criterion's motivation says, by how it was scored (low 0–2, mid 3, high 4–5).
NOTES = {
    "innovation": ("Poco di nuovo rispetto a soluzioni già diffuse.", "Elementi nuovi nell'organizzazione, non nel "
                   "metodo.", "Soluzione nuova per il territorio e ben descritta."),
    "impact": ("I risultati dichiarati non sono misurati.", "Risultati misurati in parte, senza un confronto con la "
               "situazione di partenza.", "Risultati misurati e documentati, con un confronto nel tempo."),
    "engagement": ("Gli utenti non hanno partecipato alla progettazione.", "Coinvolgimento del personale, meno dei "
                   "cittadini.", "Utenti e partner coinvolti in ogni fase, con evidenze."),
    "relevance": ("Il bisogno non è analizzato.", "Bisogno reale, analisi essenziale.", "Risponde a un bisogno "
                  "prioritario, documentato con dati."),
    "sustainability": ("Dipende da un finanziamento che sta finendo.", "Sostenibile con le risorse attuali, senza un "
                       "piano oltre i prossimi due anni.", "Sostegno finanziario e organizzativo stabile."),
    "transferability": ("Il KIT è incompleto.", "KIT utile, da completare con i costi.", "KIT completo e riusi già "
                        "avvenuti."),
}

# Calls, oldest first. Moments are days ago (negative: in the future). Reviews: reviewer → (scores by criterion,
# confidence, comment) or the status they are in ("assigned", ("declined", reason), ("draft", partial scores)).
CALLS: list[dict] = [
    {
        "title": "Buone pratiche di innovazione amministrativa 2026", "year": 2026, "phase": "decided",
        "description": "Prima edizione dell'avviso per riconoscere le buone pratiche delle amministrazioni della "
                       "comunità, valutate sulla griglia dei criteri EPSA.",
        "days": {"created": 185, "opens": 180, "closes": 140, "review_due": 110, "consensus_due": 80,
                 "frozen": 128, "published": 75},
        "chair": "laura.bernardi", "deputies": ["referente.alghero"],
        "reviewers": ["andrea.gallo", "roberto.chiesa", "lorenzo.fabbri", "matteo.grasselli"],
        "candidacies": [
            {"practice": CENTRALE, "by": "referente.cmtorino", "category": "organizzazione", "submitted": 150,
             "reviews": {"andrea.gallo": ((4, 5, 4, 4, 4, 5), 3, "Pratica matura e documentata."),
                         "lorenzo.fabbri": ((5, 4, 4, 4, 5, 5), 2, "Ottimo il KIT, riusabile da subito."),
                         "matteo.grasselli": ((4, 4, 5, 4, 4, 4), 2, "Forte il coinvolgimento dei Comuni.")},
             "decision": ("recognised", "Tutte le valutazioni sono alte e concordi: si propone il riconoscimento.",
                          "La centrale unica di committenza è riconosciuta come buona pratica: risultati misurati "
                          "(tempi di aggiudicazione ridotti del 30%), un KIT completo e un riuso già avvenuto ne "
                          "fanno un modello per i Comuni che da soli non raggiungono la qualificazione.")},
            {"practice": FORMAZIONE, "by": "referente.bologna", "category": "organizzazione", "submitted": 148,
             "reviews": {"andrea.gallo": ((3, 4, 3, 4, 3, 4), 2, "Piano solido, poco innovativo."),
                         "roberto.chiesa": ((3, 3, 4, 4, 3, 3), 2, "Bene il coinvolgimento dei dirigenti.")},
             "change": ("roberto.chiesa", "impact", 4, "Dopo la discussione: i dati sulle ore sono verificabili."),
             "decision": ("special_mention", "Buoni risultati, innovazione limitata: menzione speciale.",
                          "Il piano riceve una menzione speciale per la diffusione della formazione sul Syllabus "
                          "in otto enti; per il riconoscimento pieno servono indicatori sugli effetti della "
                          "formazione sul lavoro, non solo sulle ore svolte.")},
            {"practice": CRUSCOTTO, "by": "referente.matera", "category": "digitale", "submitted": 143,
             "reviews": {"roberto.chiesa": ((3, 2, 4, 3, 2, 3), 2, "Idea valida, risultati ancora da misurare."),
                         "matteo.grasselli": ((3, 2, 3, 3, 2, 2), 1, "Il KIT non dice quanto costa mantenerlo.")},
             "decision": ("not_recognised", "Valutazioni concordi sotto la soglia: non riconosciuta.",
                          "La pratica non è riconosciuta in questa edizione: il percorso partecipativo è "
                          "apprezzato, ma mancano evidenze dell'impatto degli indicatori sulle decisioni e un "
                          "piano di sostenibilità. La commissione incoraggia a ricandidarla.")},
        ],
        "posts": [(FORMAZIONE, "roberto.chiesa", 100, "Ho rivisto l'impatto: le ore per dipendente sono rilevate "
                   "dal gestionale, non autodichiarate. Alzo il punteggio."),
                  (FORMAZIONE, "laura.bernardi", 99, "Propongo la menzione speciale: manca solo la misura degli "
                   "effetti.")],
    },
    {
        "title": "Premio per la collaborazione tra enti 2026", "year": 2026, "phase": "review",
        "description": "Avviso per le pratiche nate dalla collaborazione tra amministrazioni: unioni, convenzioni, "
                       "reti regionali.",
        "days": {"created": 70, "opens": 65, "closes": 20, "review_due": -25, "consensus_due": -45},
        "chair": "laura.bernardi", "deputies": ["referente.alghero"],
        "reviewers": ["martina.rossi", "giuseppe.lorusso", "simona.olivero", "francesca.demaria",
                      "matteo.grasselli"],
        "declared": [("giuseppe.lorusso", RETE, "personal",
                      "Nel 2023 ho tenuto come docente due moduli del percorso per i facilitatori.")],
        "candidacies": [
            {"practice": EUROPA, "by": "referente.bassareggiana", "category": "organizzazione", "submitted": 30,
             "reviews": {"francesca.demaria": ("declined", "Sono impegnata nella chiusura del bilancio fino a "
                                                           "fine mese: chiedo di assegnarla ad altri."),
                         "giuseppe.lorusso": ((5, 5, 4, 5, 4, 5), 3, "Un modello per tutte le unioni di comuni."),
                         "simona.olivero": ((2, 3, 2, 2, 3, 2), 2, "Risultati dichiarati ma non documentati "
                                                                   "nella candidatura.")}},
            {"practice": RETE, "by": "referente.piemonte", "category": "digitale", "submitted": 26,
             "deputy": "referente.alghero",
             "reviews": {"martina.rossi": ((4, 4, 3, 4, 3, 4), 2, "Buona rete, dati di esito convincenti."),
                         "matteo.grasselli": ("draft", (4, 3, None, None, None, None))}},
            {"practice": CENTRALE, "by": "referente.cmtorino", "category": "organizzazione", "submitted": 24,
             "reviews": {"matteo.grasselli": ((3, 4, 3, 4, 4, 3), 2, "Già riconosciuta: conta il nuovo bando "
                                                                     "tipo."),
                         "martina.rossi": "assigned"}},
            {"practice": FORMAZIONE, "by": "referente.bologna", "category": "organizzazione", "submitted": 40,
             "withdrawn": 35},
        ],
        "preferences": [("martina.rossi", RETE, 2), ("simona.olivero", EUROPA, 1), ("matteo.grasselli", CENTRALE,
                                                                                     -1)],
        "posts": [(EUROPA, "giuseppe.lorusso", 2, "Le nostre valutazioni sono molto lontane: ne parliamo nella "
                   "fase di consenso? I risultati sono nella relazione allegata al KIT.")],
    },
    {
        "title": "Buone pratiche per la transizione digitale 2027", "year": 2027, "phase": "open",
        "description": "Avviso aperto alle pratiche di trasformazione digitale dei servizi e dell'organizzazione, "
                       "valutate sulla griglia dei criteri EPSA.",
        "days": {"created": 15, "opens": 10, "closes": -45, "review_due": -90, "consensus_due": -110},
        "chair": "laura.bernardi", "deputies": ["referente.alghero"],
        "reviewers": ["andrea.gallo", "martina.rossi", "matteo.grasselli"], "unattested": ["matteo.grasselli"],
        "candidacies": [
            {"practice": CRUSCOTTO, "by": "referente.matera", "category": "digitale", "submitted": 3,
             "shared": ("4.4", "9.1")},
            {"practice": FORMAZIONE, "by": "referente.bologna", "category": "organizzazione", "draft": 5},
        ],
    },
]


# Comune di Matera's two CAF self-assessments: the consensus of each criterion starts at BASE and grows by IMPROVED
# in the second year; two people score each sub-criterion around it.
ASSESSMENTS = [
    {"title": "Autovalutazione CAF 2025", "days": 400, "closed": 380, "year": 0,
     "actions": [("Carta dei servizi aggiornata con gli standard di qualità", "Ufficio relazioni con il pubblico",
                  300, "done", "6.1"),
                 ("Catalogo dei dati e delle basi informative dell'ente", "Responsabile per la transizione digitale",
                  200, "done", "4.4"),
                 ("Indagine sul benessere organizzativo", "Ufficio personale", 120, "in_progress", "7.1")]},
    {"title": "Autovalutazione CAF 2026", "days": 35, "closed": None, "year": 1,
     "actions": [("Indicatori di impatto nel cruscotto del valore pubblico", "Ufficio performance", -120,
                  "planned", "9.1"),
                 ("Piano di formazione sulla gestione dei dati", "Ufficio personale", -200, "planned", "3.2")]},
]
BASE = {"1": 55, "2": 50, "3": 45, "4": 55, "5": 50, "6": 45, "7": 40, "8": 35, "9": 45}
IMPROVED = {"1": 5, "2": 10, "3": 5, "4": 15, "5": 5, "6": 10, "7": 5, "8": 0, "9": 15}
STRENGTHS = {
    "4.4": ("Le basi dati del controllo di gestione sono documentate e alimentano il cruscotto ogni notte.",
            "Catalogo dei dati pubblicato; ogni banca dati ha una persona responsabile e un tracciato."),
    "9.1": ("Gli indicatori di output del PIAO sono misurati per tutti i servizi a domanda individuale.",
            "42 indicatori di valore pubblico pubblicati ogni trimestre, con l'andamento dal 2023."),
}
IMPROVEMENTS = {
    "4.4": ("Le informazioni restano nei singoli uffici; manca un catalogo dei dati.",
            "Estendere il catalogo ai dati dei servizi sociali."),
    "9.1": ("Gli indicatori di impatto non sono ancora collegati agli obiettivi.",
            "Misurare l'effetto degli indicatori sulle decisioni della giunta."),
}
PEOPLE = ("referente.matera", "giuseppe.lorusso")


class _Demo:
    def __init__(self):
        self.now = utcnow()
        self.people = {u.email.split("@")[0]: u for u in db.session.execute(select(User)).scalars()}
        self.practices = {p.title: p for p in db.session.execute(select(Practice)).scalars()}

    def at(self, days: int, clock: str = "10:00") -> datetime:
        hour, minute = (int(part) for part in clock.split(":"))
        return (self.now - timedelta(days=days)).replace(hour=hour, minute=minute, second=0, microsecond=0)

    def day(self, days: int) -> date:
        return (self.now - timedelta(days=days)).date()

    def people_by_id(self, user_id: int | None) -> User:
        person = next((each for each in self.people.values() if each.id == user_id), None)
        if person is None:
            raise ValueError(f"demo data: no person with id {user_id}")
        return person

    def person(self, name: str) -> User:
        if name not in self.people:
            raise ValueError(f"demo data: no person {name}")
        return self.people[name]


def load_evaluation() -> int:
    """Add what is missing of the demo evaluation; returns how many calls and self-assessments were added."""
    from slugify import slugify

    demo = _Demo()
    if any(name not in demo.people for name in ("admin", "laura.bernardi", *PEOPLE)):
        return 0  # not the demo's people (the loader runs after them): nothing to attach the evaluation to
    added, shareable = _load_self_assessments(demo)
    for item in CALLS:
        slug = slugify(item["title"], max_length=100)
        exists = db.session.execute(select(EvaluationCall.id).where(EvaluationCall.slug == slug)).first()
        if exists is None and all(c["practice"] in demo.practices for c in item["candidacies"]):
            _load_call(item, slug, demo, shareable)
            db.session.commit()
            added += 1
    return added


# ---- self-assessments ------------------------------------------------------------------------------------------

def _load_self_assessments(demo: _Demo):
    """Matera's two assessments on CAF 2020 (loaded as the CLI loads it); returns (added, the latest one)."""
    from app.evaluation import self_queries
    from app.evaluation.caf import load_caf
    from app.models import AssessmentScore, ImprovementAction, SelfAssessment

    referent = demo.person(PEOPLE[0])
    template, _ = load_caf(demo.person("admin"))
    # Read through the organisation's own queries, as every reader of these tables does.
    existing = {each.title: each for each in self_queries.assessments_of(referent)}
    added = 0
    for item in ASSESSMENTS:
        if item["title"] in existing:
            continue
        created = demo.at(item["days"], "09:00")
        assessment = SelfAssessment(organization_id=referent.organization_id, template_id=template.id,
                                    title=item["title"], panel="classical", assessed_on=demo.day(item["days"]),
                                    status="closed" if item["closed"] else "open", created_by_id=referent.id,
                                    created_at=created, closed_at=demo.at(item["closed"]) if item["closed"] else None)
        for number, sub in enumerate(template.sub_items()):
            parent = sub["parent"]
            value = BASE[parent] + item["year"] * IMPROVED[parent] + (number * 7) % 11 - 5
            value = max(0, min(100, 5 * round(value / 5)))
            when = demo.at(item["days"] - 5)
            for offset, person in ((-5, PEOPLE[0]), (10, PEOPLE[1])):
                assessment.scores.append(AssessmentScore(
                    item_code=sub["code"], user_id=demo.person(person).id,
                    values={"score": max(0, min(100, value + offset))}, updated_at=when))
            code = sub["code"]
            assessment.scores.append(AssessmentScore(
                item_code=code, user_id=None, values={"score": value}, updated_at=when,
                strengths=STRENGTHS.get(code, ("", ""))[item["year"]] or _default_strength(sub),
                improvements=IMPROVEMENTS.get(code, ("", ""))[item["year"]] or _default_improvement(sub),
                evidence="Verbale dell'incontro di consenso del gruppo di autovalutazione."))
        for title, owner, due, status, code in item["actions"]:
            assessment.actions.append(ImprovementAction(item_code=code, title=title, owner=owner,
                                                        due_on=demo.day(due), status=status,
                                                        created_by_id=referent.id, created_at=created))
        db.session.add(assessment)
        db.session.commit()
        existing[item["title"]] = assessment
        added += 1
    return added, existing[ASSESSMENTS[-1]["title"]]


def _default_strength(sub: dict) -> str:
    return f"Pratiche consolidate sul tema «{sub['title_it']}», documentate negli atti dell'ente."


def _default_improvement(sub: dict) -> str:
    return "Misurare con regolarità i risultati e condividerli con il personale."


# ---- calls -----------------------------------------------------------------------------------------------------

def _load_call(item: dict, slug: str, demo: _Demo, shareable) -> None:
    """One call with its commission, candidacies, conflicts, assignments, reviews and decisions, in one transaction."""
    days, admin, chair = item["days"], demo.person("admin"), demo.person(item["chair"])
    call = EvaluationCall(
        slug=slug, title=item["title"], description=item["description"], year=item["year"], phase=item["phase"],
        categories=[dict(each) for each in CATEGORIES], opens_on=demo.day(days["opens"]),
        closes_at=demo.at(days["closes"], "12:00"), review_due_on=demo.day(days["review_due"]),
        consensus_due_on=demo.day(days["consensus_due"]), reviewers_per_candidacy=2, max_load=6,
        disagreement_threshold=1.5, chair_id=chair.id, created_by_id=admin.id, created_at=demo.at(days["created"]),
        updated_at=demo.at(days["created"]),
        decisions_published_at=demo.at(days["published"], "11:00") if "published" in days else None)
    call.criteria = [Criterion(**each) for each in default_criteria()]
    db.session.add(call)
    db.session.flush()
    log = _Log(call, demo, days)
    log.add(days["created"], "call.create", admin, chair=chair.id)
    for name in item["reviewers"] + item["deputies"]:
        person = demo.person(name)
        attested = None if name in item.get("unattested", ()) else demo.at(_attest_day(days), "15:00")
        member = CommissionMember(call_id=call.id, user_id=person.id, is_deputy=name in item["deputies"],
                                  attested_at=attested, added_by_id=chair.id, added_at=demo.at(days["created"] - 1))
        db.session.add(member)
        db.session.flush()
        log.add(days["created"] - 1, "commission.add", chair, member=member.id, user=person.id,
                deputy=member.is_deputy)
        if attested:
            log.add(_attest_day(days), "commission.attest", person, clock="15:00", member=member.id, conflicts=[])
    log.phases(item["phase"], chair)
    candidacies = {each["practice"]: _candidacy(each, call, demo, log) for each in item["candidacies"]}
    if item["phase"] == "open":
        for each in item["candidacies"]:
            if each.get("shared"):
                _share(candidacies[each["practice"]], shareable, each["shared"], demo, each["by"], each["submitted"])
        return
    live = {title: c for title, c in candidacies.items() if c.status != "withdrawn"}
    commission = [demo.person(name) for name in item["reviewers"] + item["deputies"]] + [chair]
    _computed_conflicts(call, live.values(), commission, chair, demo, days["closes"] - 1, log)
    for name, title, kind, note in item.get("declared", ()):
        person = demo.person(name)
        db.session.add(Conflict(call_id=call.id, candidacy_id=live[title].id, user_id=person.id, kind=kind,
                                source=ConflictSource.REVIEWER, status=ConflictStatus.CONFIRMED, note=note,
                                created_by_id=person.id, created_at=demo.at(_attest_day(days), "15:15")))
        log.add(_attest_day(days), "conflict.declare", person, live[title], clock="15:15", person=person.id, kind=kind,
                source=ConflictSource.REVIEWER)
    db.session.flush()
    for candidacy in live.values():
        if candidacy.chair_handled_by_id is None and db.session.execute(select(Conflict.id).where(
                Conflict.candidacy_id == candidacy.id, Conflict.user_id == chair.id)).first():
            raise ValueError(f"demo data: the chair has a conflict with «{candidacy.practice.title}»: name a deputy")
    for name, title, value in item.get("preferences", ()):
        db.session.add(ReviewPreference(candidacy_id=live[title].id, user_id=demo.person(name).id, value=value,
                                        updated_at=demo.at(days["closes"] - 1)))
    for number, each in enumerate(item["candidacies"]):
        if each["practice"] in live:
            _reviews(each, number, live[each["practice"]], call, demo, log)
    for title, name, ago, body in item.get("posts", ()):
        db.session.add(DiscussionPost(candidacy_id=live[title].id, author_id=demo.person(name).id, body=body,
                                      created_at=demo.at(ago, "11:30")))
    if item["phase"] == "decided":
        _decide(item, live, call, chair, demo, log)


def _attest_day(days: dict) -> int:
    """Members sign the attestation when the review starts (the day after closing), or early in an open call."""
    return days["closes"] - 1 if days["closes"] > 1 else days["opens"] - 2


class _Log:
    """The call's audit log, each entry dated as the demo says it happened."""

    def __init__(self, call, demo: _Demo, days: dict):
        self.call, self.demo, self.days = call, demo, days

    def add(self, ago: int, action: str, actor, candidacy=None, clock: str = "10:00", **detail) -> None:
        db.session.add(EvaluationAudit(call_id=self.call.id, candidacy_id=candidacy.id if candidacy else None,
                                       actor_id=actor.id if actor else None, action=action, detail=detail,
                                       at=self.demo.at(ago, clock)))

    def phases(self, phase: str, chair) -> None:
        """The phase changes that brought the call where it is."""
        steps = [("open", "opens", "draft", "open"), ("close", "closes", "open", "closed"),
                 ("start_review", "closes", "closed", "review"), ("start_consensus", "review_due", "review",
                                                                 "consensus"),
                 ("publish_decisions", "published", "consensus", "decided")]
        order = ["open", "closed", "review", "consensus", "decided"]
        for action, key, before, after in steps:
            if order.index(after) > order.index(phase):
                break
            self.add(self.days[key] - (1 if action == "start_review" else 0), f"call.{action}", chair, clock="12:00",
                     phase_from=before, phase_to=after)


def _candidacy(item: dict, call, demo: _Demo, log: _Log) -> Candidacy:
    """A candidacy by a referent of the donor, submitted (frozen with the kit version) or still a draft."""
    practice, author = demo.practices[item["practice"]], demo.person(item["by"])
    if practice.status != "published" or author.organization_id != practice.donor_id or not author.is_referent:
        raise ValueError(f"demo data: {item['by']} may not candidate «{practice.title}»")
    started = item.get("draft", item.get("submitted", 0)) + 4
    candidacy = Candidacy(call_id=call.id, practice_id=practice.id, organization_id=author.organization_id,
                          category=item["category"], fields=dict(FIELDS[practice.title]), extra={},
                          created_by_id=author.id, created_at=demo.at(started), updated_at=demo.at(started),
                          status="draft")
    db.session.add(candidacy)
    db.session.flush()
    log.add(started, "candidacy.create", author, candidacy, practice=practice.id)
    if "draft" in item:
        candidacy.fields = {key: value for key, value in candidacy.fields.items() if key in ("why_good", "methods")}
        return candidacy
    kit = db.session.execute(select(KitVersion).where(
        KitVersion.practice_id == practice.id, KitVersion.status == "published")
        .order_by(KitVersion.published_at.desc(), KitVersion.id.desc())).scalars().first()
    submitted = demo.at(item["submitted"], "17:00")
    candidacy.kit_version_id = kit.id if kit else None
    candidacy.submitted_at, candidacy.submitted_by_id, candidacy.updated_at = submitted, author.id, submitted
    candidacy.snapshot = {
        "title": practice.title, "summary": practice.summary, "fields": dict(candidacy.fields), "extra": {},
        "category": candidacy.category, "category_label": call.category_label(candidacy.category),
        "completed_on": None, "kit_version": {"id": kit.id, "label": kit.label} if kit else None,
        "attachments": [], "submitted_at": submitted.isoformat(timespec="seconds")}
    log.add(item["submitted"], "candidacy.submit", author, candidacy, clock="17:00",
            kit_version=candidacy.kit_version_id, attachments=[])
    if "withdrawn" in item:
        candidacy.status, candidacy.withdrawn_at = "withdrawn", demo.at(item["withdrawn"])
        log.add(item["withdrawn"], "candidacy.withdraw", author, candidacy)
    elif call.phase == "open":
        candidacy.status = "submitted"
    else:
        candidacy.status = "decided" if call.phase == "decided" else "under_review"
        log.add(log.days["closes"] - 1, "candidacy.start_review", call.chair, candidacy,
                clock="12:00")
    if deputy := item.get("deputy"):
        candidacy.chair_handled_by_id = demo.person(deputy).id
        # after the chair's conflict is confirmed (the day after closing, 09:30), before the assignments (10:30)
        log.add(log.days["closes"] - 2, "candidacy.hand_to_deputy", call.chair, candidacy, clock="09:45",
                deputy=candidacy.chair_handled_by_id)
    return candidacy


def _share(candidacy, assessment, codes, demo: _Demo, by: str, ago: int) -> None:
    """Copies of the consensus of chosen items, as the organisation shares them (never a person's own score)."""
    from app.evaluation import self_queries
    from app.evaluation.self_services import shared_content

    referent = demo.person(by)
    consensus = self_queries.consensus_by_assessment(referent, [assessment.id])[assessment.id]
    for code in codes:
        db.session.add(SharedItem(candidacy_id=candidacy.id, assessment_id=assessment.id, item_code=code,
                                  content=shared_content(assessment, assessment.template.item(code),
                                                         consensus[code]),
                                  shared_by_id=referent.id, shared_at=demo.at(ago + 1, "12:30")))
    log = _Log(candidacy.call, demo, {})
    log.add(ago + 1, "candidacy.share_items", referent, candidacy, clock="12:30", codes=list(codes))


def _computed_conflicts(call, candidacies, people, chair, demo: _Demo, ago: int, log: _Log) -> None:
    """The conflicts the platform suggests when candidacies close (app/evaluation/conflicts.py's rules), each
    confirmed the day after by the chair; the chair's own by an administrator."""
    from app.evaluation.conflicts import detect

    found = 0
    for candidacy in candidacies:
        for person in people:
            for kind in detect(candidacy, person):
                decider = demo.person("admin") if person.id == chair.id else chair
                conflict = Conflict(call_id=call.id, candidacy_id=candidacy.id, user_id=person.id, kind=kind,
                                    source=ConflictSource.COMPUTED, status=ConflictStatus.CONFIRMED,
                                    created_at=demo.at(ago, "12:05"), decided_by_id=decider.id,
                                    decided_at=demo.at(ago - 1, "09:30"))
                db.session.add(conflict)
                db.session.flush()
                found += 1
                log.add(ago, "conflict.suggest", None, candidacy, clock="12:05", conflict=conflict.id,
                        person=person.id, kind=str(kind))
                log.add(ago - 1, "conflict.confirm", decider, candidacy, clock="09:30", conflict=conflict.id,
                        person=person.id, kind=str(kind))
    log.add(ago, "conflict.compute", None, clock="12:05", found=found)


def _motivation(code: str, score: int) -> str:
    low, mid, high = NOTES[code]
    return f"{ANCHORS_0_5[str(score)]}. {low if score <= 2 else mid if score == 3 else high}"


def _reviews(item: dict, number: int, candidacy, call, demo: _Demo, log: _Log) -> None:
    """The candidacy's assignments (never to a conflicted person) and what each reviewer did with theirs."""
    from app.evaluation.aggregates import weighted_total

    criteria = {c.code: c for c in call.criteria}
    weights = {c.id: c.weight for c in call.criteria}
    assigner = demo.people_by_id(candidacy.chair_handled_by_id or call.chair_id)
    closes = log.days["closes"]
    for position, (name, spec) in enumerate(item.get("reviews", {}).items()):
        person = demo.person(name)
        if db.session.execute(select(Conflict.id).where(
                Conflict.candidacy_id == candidacy.id, Conflict.user_id == person.id,
                Conflict.status != ConflictStatus.DISMISSED)).first():
            raise ValueError(f"demo data: {name} has a conflict with «{item['practice']}» and cannot be assigned")
        assignment = Assignment(candidacy_id=candidacy.id, user_id=person.id, status="assigned",
                                assigned_by_id=assigner.id, assigned_at=demo.at(closes - 2, "10:30"))
        db.session.add(assignment)
        db.session.flush()
        log.add(closes - 2, "assignment.add", assigner, candidacy, clock="10:30", assignment=assignment.id,
                reviewer=person.id)
        ago = closes - 11 - 2 * position - number
        if spec == "assigned":
            continue
        if spec[0] == "declined":
            assignment.status, assignment.decline_reason, assignment.ended_at = "declined", spec[1], demo.at(ago)
            log.add(ago, "assignment.decline", person, candidacy, assignment=assignment.id)
            continue
        draft = spec[0] == "draft"
        scores = dict(zip(CODES, spec[1] if draft else spec[0]))
        review = Review(assignment_id=assignment.id, candidacy_id=candidacy.id, reviewer_id=person.id,
                        confidence=None if draft else spec[1], comment="" if draft else spec[2],
                        updated_at=demo.at(ago, "18:00"))
        review.scores = [ReviewScore(criterion_id=criteria[code].id, score=value,
                                     motivation=_motivation(code, value) if value is not None else "")
                         for code, value in scores.items() if value is not None]
        if not draft:
            review.total = weighted_total({criteria[c].id: v for c, v in scores.items()}, weights)
            review.submitted_at, assignment.status = demo.at(ago, "18:00"), "submitted"
            if call.criteria_frozen_at is None or review.submitted_at < call.criteria_frozen_at:
                call.criteria_frozen_at = review.submitted_at
            log.add(ago, "review.submit", person, candidacy, clock="18:00", assignment=assignment.id,
                    total=review.total)
        db.session.add(review)
        db.session.flush()
    if change := item.get("change"):
        _score_change(change, candidacy, call, demo, log)


def _score_change(change, candidacy, call, demo: _Demo, log: _Log) -> None:
    """A score changed during the consensus, the change kept."""
    from app.evaluation.aggregates import weighted_total

    name, code, new, note = change
    criterion = next(c for c in call.criteria if c.code == code)
    review = db.session.execute(select(Review).where(Review.candidacy_id == candidacy.id,
                                                     Review.reviewer_id == demo.person(name).id)).scalar_one()
    score = review.score_for(criterion.id)
    ago = log.days["review_due"] - 10
    db.session.add(ScoreChange(review_id=review.id, criterion_id=criterion.id, old_score=score.score, new_score=new,
                               old_motivation=score.motivation, new_motivation=note,
                               changed_by_id=review.reviewer_id, changed_at=demo.at(ago, "15:00")))
    score.score, score.motivation = new, note
    review.total = weighted_total({s.criterion_id: s.score for s in review.scores},
                                  {c.id: c.weight for c in call.criteria})
    review.updated_at = demo.at(ago, "15:00")
    log.add(ago, "review.edit", review.reviewer, candidacy, clock="15:00", assignment=review.assignment_id,
            criteria=[code])


def _decide(item: dict, candidacies: dict, call, chair, demo: _Demo, log: _Log) -> None:
    """The chair's decisions, recorded during the consensus and published together; recognitions on the practices."""
    from app.evaluation import recognition

    published = call.decisions_published_at
    for each in item["candidacies"]:
        candidacy = candidacies[each["practice"]]
        outcome, synthesis, motivation = each["decision"]
        decider = demo.people_by_id(candidacy.chair_handled_by_id or chair.id)
        decided = log.days["published"] + 3
        db.session.add(Decision(candidacy_id=candidacy.id, synthesis=synthesis, proposed_outcome=outcome,
                                outcome=outcome, motivation=motivation, decided_by_id=decider.id,
                                decided_at=demo.at(decided, "16:00"), published_at=published))
        log.add(decided, "decision.record", decider, candidacy, clock="16:00", proposed=outcome, outcome=outcome)
        log.add(log.days["published"], "decision.publish", chair, candidacy, clock="11:00", outcome=outcome)
        recognition.add(candidacy.practice, call, outcome)


__all__ = ["CALLS", "load_evaluation"]
