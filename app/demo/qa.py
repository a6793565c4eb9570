"""Demo questions and answers (issue 12, point 12): questions in every demo community, some on its practices with
the donors' answer, solved and unsolved, one closed as a duplicate, one answer hidden after reports, comments and
votes. Loading again changes nothing.

Everything goes through the Q&A services (app/qa/services.py, actions.py, moderation.py), so the demo holds only
what the application itself would write — revisions, counters, follows, the donors' answer mark, activity records
(dated as the demo says), notifications — and every step passes the same permission checks. Each step looks for
its row first (a question by community and title, an answer by question and author, a comment by its text, a vote,
a report), so an interrupted load is completed by the next one and a complete one adds nothing.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, has_request_context
from sqlalchemy import select, update

from app.extensions import db
from app.models import Activity, Community, Practice, User
from app.models.base import utcnow
from app.models.qa import Answer, Comment, Question, Report

# People are demo e-mails' local parts; moments are (days ago, "HH:MM" UTC).
QUESTIONS: list[dict] = [
    # ---- Stazione unica appaltante dei Comuni (moderated; procurement) -------------------------------------
    {
        "community": "stazione-unica-appaltante",
        "practice": "Centrale unica di committenza dei Comuni del Chierese",
        "asker": "andrea.gallo", "asked": (58, "09:10"),
        "title": "Come ripartite le spese della centrale tra i Comuni aderenti?",
        "body": "Stiamo valutando una convenzione simile per alcune unioni montane. Nel vostro KIT la convenzione "
                "prevede una quota fissa per ente: l'avete mantenuta anche per i Comuni più piccoli, oppure "
                "pesate la quota sul numero di gare o sul valore degli appalti?\n\n"
                "Ci interessa soprattutto capire come avete gestito il primo anno, quando il volume delle gare "
                "non era ancora noto.",
        "tags": ["convenzione", "piccoli comuni", "costi"],
        "answers": [
            {"by": "roberto.chiesa", "at": (57, "15:40"),
             "body": "Nella convenzione in vigore la quota ha due parti:\n\n"
                     "1. una **quota fissa** di 1.500 euro l'anno per ente, che copre la piattaforma di "
                     "e-procurement e la formazione dei RUP;\n"
                     "2. una **quota variabile** pari allo 0,25% dell'importo a base di gara di ciascuna "
                     "procedura, con un tetto di 6.000 euro per gara.\n\n"
                     "Il primo anno abbiamo applicato solo la quota fissa e un conguaglio a dicembre: i Comuni "
                     "sotto i 3.000 abitanti pagano metà della quota fissa. Lo schema di convenzione aggiornato è "
                     "nella sezione «Atti» del KIT.",
             "votes": ["andrea.gallo", "francesca.demaria", "referente.torino"],
             "comments": [("andrea.gallo", (57, "17:05"),
                           "Chiarissimo, grazie. Il conguaglio lo approvate con una delibera della conferenza dei "
                           "sindaci?"),
                          ("roberto.chiesa", (56, "09:20"),
                           "Sì, con la relazione annuale della centrale: il modello di delibera è nel KIT.")]},
        ],
        "votes": ["francesca.demaria", "referente.torino"],
        "accept": {"answer": 0, "by": "andrea.gallo", "at": (56, "10:00")},
    },
    {
        "community": "stazione-unica-appaltante",
        "asker": "andrea.gallo", "asked": (44, "11:30"),
        "title": "Requisiti di qualificazione della stazione appaltante: come li avete dimostrati?",
        "body": "Con il nuovo codice dei contratti pubblici la qualificazione è obbligatoria per le gare di servizi "
                "e forniture sopra i 140.000 euro. Per il livello che ci serve mancano ancora alcune procedure "
                "negli ultimi cinque anni.\n\n"
                "Chi ha già ottenuto la qualificazione: avete contato le gare svolte in convenzione per conto di "
                "altri enti? E come avete documentato la formazione del personale?",
        "tags": ["qualificazione", "codice dei contratti"],
        "answers": [
            {"by": "referente.torino", "at": (43, "16:15"),
             "body": "Noi abbiamo contato anche le procedure svolte per conto dei Comuni convenzionati: nel fascicolo "
                     "per ANAC vanno indicate come procedure della stazione appaltante che le ha bandite, con il "
                     "CIG acquisito da lei.\n\n"
                     "Per la formazione abbiamo allegato gli attestati dei corsi degli ultimi tre anni: conta il "
                     "personale assegnato stabilmente all'ufficio gare, non chi ha partecipato una volta a una "
                     "commissione.",
             "votes": ["andrea.gallo", "roberto.chiesa"]},
            {"by": "francesca.demaria", "at": (42, "10:05"),
             "body": "Un consiglio pratico: prima di presentare la domanda controllate che le gare siano tutte "
                     "chiuse con l'esito pubblicato, altrimenti non vengono conteggiate.",
             "votes": ["andrea.gallo"]},
        ],
        "votes": ["roberto.chiesa", "francesca.demaria"],
        "accept": {"answer": 0, "by": "andrea.gallo", "at": (41, "08:50")},
    },
    {
        "community": "stazione-unica-appaltante",
        "asker": "roberto.chiesa", "asked": (30, "14:20"),
        "title": "Qualificazione delle stazioni appaltanti: quali documenti servono?",
        "body": "Dobbiamo chiedere la qualificazione per la centrale: qualcuno ha un elenco dei documenti da "
                "preparare e dei requisiti sulle gare già svolte?",
        "tags": ["qualificazione"],
        "close": {"by": "referente.cmtorino", "at": (30, "16:00"), "reason": "duplicate",
                  "original": "Requisiti di qualificazione della stazione appaltante: come li avete dimostrati?",
                  "note": "Ne abbiamo già parlato: le risposte sono nella domanda originale."},
    },
    {
        "community": "stazione-unica-appaltante",
        "asker": "francesca.demaria", "asked": (9, "10:45"),
        "title": "Clausole sociali nei bandi per i servizi di pulizia: quali formule reggono in caso di ricorso?",
        "body": "Stiamo preparando il bando per la pulizia degli uffici comunali. Vorremmo inserire una clausola "
                "di riassorbimento del personale uscente senza incorrere in contestazioni sulla libertà "
                "d'impresa.\n\n"
                "Avete formule che hanno già superato un ricorso al TAR? Ci interessa anche come avete scritto "
                "il progetto di assorbimento da chiedere in offerta.",
        "tags": ["clausole sociali", "servizi di pulizia"],
        "answers": [
            {"by": "andrea.gallo", "at": (8, "09:30"),
             "body": "La formula che usiamo richiama il contratto collettivo applicato dall'uscente e chiede "
                     "l'assorbimento «in via prioritaria e compatibilmente con l'organizzazione dell'impresa "
                     "subentrante»: i giudici amministrativi l'hanno ritenuta legittima proprio perché non impone "
                     "un obbligo assoluto.\n\nIl progetto di assorbimento lo valutiamo come elemento dell'offerta "
                     "tecnica, con un punteggio massimo di 5 punti.",
             "votes": ["francesca.demaria"]},
        ],
        "comments": [("referente.cmtorino", (8, "11:00"),
                      "Utile: appena avete il bando definitivo, potreste caricarlo come allegato a una pratica?")],
    },

    # ---- Servizio Europa associato (open; EU funds) ------------------------------------------------------
    {
        "community": "servizio-europa",
        "practice": "Ufficio Europa associato della Bassa Reggiana",
        "asker": "referente.alghero", "asked": (52, "08:55"),
        "title": "Quante persone servono per avviare un ufficio Europa associato?",
        "body": "Siamo un Comune di 44.000 abitanti e vorremmo proporre ai Comuni vicini un ufficio Europa "
                "associato sul vostro modello. Quante persone avevate all'avvio, con quali profili, e dopo "
                "quanto tempo l'ufficio ha iniziato a ripagarsi con i progetti finanziati?",
        "tags": ["organizzazione", "avvio"],
        "answers": [
            {"by": "referente.bassareggiana", "at": (51, "12:10"),
             "body": "All'avvio eravamo in **due**: una progettista europea a tempo pieno e un istruttore "
                     "amministrativo al 50% per la rendicontazione. Il terzo profilo, un esperto di appalti, è "
                     "arrivato il secondo anno.\n\n"
                     "Il primo progetto finanziato è arrivato dopo undici mesi; dal terzo anno i contributi "
                     "ottenuti hanno coperto più del doppio del costo dell'ufficio. Nel KIT trovate il "
                     "funzionigramma e il piano delle attività del primo anno.",
             "votes": ["referente.alghero", "giuseppe.lorusso", "martina.rossi"],
             "comments": [("referente.alghero", (51, "15:30"),
                           "Grazie: il funzionigramma è proprio quello che ci serviva per la giunta.")]},
            {"by": "matteo.grasselli", "at": (50, "09:00"),
             "body": "Aggiungo solo che conviene prevedere fin da subito un budget per le trasferte ai "
                     "partenariati: nei primi bandi Interreg ci è mancato.",
             "votes": ["referente.alghero"]},
        ],
        "votes": ["giuseppe.lorusso"],
        "accept": {"answer": 0, "by": "referente.alghero", "at": (50, "10:30")},
    },
    {
        "community": "servizio-europa",
        "asker": "giuseppe.lorusso", "asked": (21, "10:00"),
        "title": "Rendicontazione del personale interno nei progetti FESR: usate i costi standard?",
        "body": "Per un progetto FESR dobbiamo rendicontare le ore del personale comunale. L'autorità di gestione "
                "ammette le tabelle di costo standard unitario, ma non è chiaro come trattare chi lavora al "
                "progetto solo per una parte dell'orario.\n\nCome compilate i timesheet? Avete un modello?",
        "tags": ["rendicontazione", "FESR", "personale"],
        "answers": [
            {"by": "martina.rossi", "at": (20, "14:45"),
             "body": "Usiamo le tabelle di costo standard: il costo orario moltiplicato per le ore registrate nel "
                     "timesheet mensile, firmato dal dipendente e dal responsabile. Chi lavora a tempo parziale "
                     "sul progetto registra solo le ore effettive, con la descrizione dell'attività.\n\n"
                     "Il nostro modello di timesheet è un foglio di calcolo con un controllo sulle ore massime "
                     "mensili: lo possiamo condividere.",
             "votes": ["giuseppe.lorusso", "referente.bassareggiana"]},
            {"by": "valentina.ricci", "at": (20, "16:00"),
             "body": "Il nostro gestionale FondiFacile compila i timesheet in automatico! Prova gratuita di 30 "
                     "giorni, scrivetemi in privato per un preventivo riservato ai Comuni.",
             "reports": [("matteo.grasselli", "spam", "Pubblicità di un prodotto."),
                         ("referente.bassareggiana", "spam", ""),
                         ("giuseppe.lorusso", "spam", "Non risponde alla domanda.")]},
        ],
        "comments": [("giuseppe.lorusso", (19, "09:15"),
                      "Sì, grazie: il modello ci sarebbe molto utile. Lo carichiamo poi tra i documenti della "
                      "comunità.")],
        "votes": ["referente.alghero", "matteo.grasselli"],
    },

    # ---- Agenda digitale e centri di facilitazione (open) ------------------------------------------------
    {
        "community": "agenda-digitale-territoriale",
        "practice": "Rete dei punti di facilitazione digitale",
        "asker": "antonio.esposito", "asked": (36, "09:40"),
        "title": "Come misurate i servizi erogati dai punti di facilitazione digitale?",
        "body": "Stiamo aprendo dodici punti di facilitazione nelle Municipalità. Il target del PNRR conta i "
                "cittadini unici formati, ma vorremmo misurare anche la qualità del servizio.\n\n"
                "Quali indicatori raccogliete, con quale strumento, e chi li inserisce?",
        "tags": ["indicatori", "PNRR", "facilitazione"],
        "answers": [
            {"by": "silvia.marchetti", "at": (35, "11:20"),
             "body": "Raccogliamo tre gruppi di indicatori:\n\n"
                     "- **attività**: accessi, servizi erogati per tipo (SPID, fascicolo sanitario, pagoPA…), "
                     "ore di formazione;\n"
                     "- **persone**: cittadini unici, fascia d'età, primo accesso o ritorno;\n"
                     "- **esito**: un breve questionario a fine incontro, con una domanda sull'autonomia "
                     "raggiunta.\n\n"
                     "I facilitatori registrano ogni incontro sulla piattaforma regionale; il KIT contiene il "
                     "tracciato dei dati e il questionario.",
             "votes": ["antonio.esposito", "alessia.moretti", "referente.matera"],
             "comments": [("laura.bernardi", (35, "14:00"),
                           "Ottimo esempio: il questionario sull'autonomia è quello che chiedono in molti.")]},
        ],
        "votes": ["alessia.moretti", "referente.matera"],
        "accept": {"answer": 0, "by": "laura.bernardi", "at": (28, "09:00")},
    },
    {
        "community": "agenda-digitale-territoriale",
        "asker": "alessia.moretti", "asked": (12, "15:10"),
        "title": "Sportelli di facilitazione accessibili a persone con disabilità visiva: avete esperienze?",
        "body": "Vorremmo che almeno un punto di facilitazione per Municipio fosse attrezzato per persone cieche e "
                "ipovedenti: postazioni con lettore di schermo, personale formato, materiali in formato "
                "accessibile.\n\nQualcuno lo ha già fatto? Con quali associazioni avete collaborato?",
        "tags": ["accessibilità", "facilitazione"],
        "votes": ["antonio.esposito", "referente.piemonte"],
    },
    {
        "community": "agenda-digitale-territoriale",
        "asker": "referente.matera", "asked": (4, "08:30"),
        "title": "Volontari del servizio civile digitale nei punti di facilitazione: come li affiancate?",
        "body": "Da gennaio avremo sei operatori del servizio civile digitale. Come organizzate l'affiancamento "
                "con i facilitatori esperti nelle prime settimane?",
        "tags": ["servizio civile digitale", "facilitazione"],
        "answers": [
            {"by": "silvia.marchetti", "at": (3, "10:10"),
             "body": "Le prime due settimane ogni volontario affianca un facilitatore esperto in almeno dieci "
                     "incontri, poi conduce da solo con una supervisione settimanale. Teniamo anche un canale "
                     "di messaggistica per i dubbi del momento.",
             "votes": ["referente.matera"]},
        ],
    },

    # ---- Valore pubblico e PIAO (moderated) --------------------------------------------------------------
    {
        "community": "valore-pubblico-piao",
        "practice": "Cruscotto degli indicatori di valore pubblico",
        "asker": "referente.bologna", "asked": (47, "10:20"),
        "title": "Il cruscotto legge i dati direttamente dal controllo di gestione?",
        "body": "Nel nostro ente gli indicatori del PIAO sono ancora raccolti a mano dai settori. Il vostro "
                "cruscotto si alimenta dal software del controllo di gestione o dai fogli di calcolo dei "
                "dirigenti? E ogni quanto si aggiorna?",
        "tags": ["PIAO", "cruscotto", "dati"],
        "answers": [
            {"by": "referente.matera", "at": (46, "12:00"),
             "body": "Entrambe le cose: gli indicatori di efficienza arrivano ogni notte dal controllo di gestione "
                     "attraverso un'esportazione CSV; quelli di impatto, che dipendono da fonti esterne (ISTAT, "
                     "indagini di soddisfazione), li carica ogni trimestre l'ufficio performance con un modello "
                     "predefinito.\n\n"
                     "Nel KIT trovate il tracciato del CSV e le istruzioni per collegare un altro gestionale.",
             "votes": ["referente.bologna", "lorenzo.fabbri"]},
        ],
        "votes": ["lorenzo.fabbri"],
        "accept": {"answer": 0, "by": "referente.bologna", "at": (45, "09:10")},
    },
    {
        "community": "valore-pubblico-piao",
        "asker": "lorenzo.fabbri", "asked": (16, "11:00"),
        "title": "Come collegate la sottosezione «Rischi corruttivi e trasparenza» agli obiettivi di valore "
                 "pubblico?",
        "body": "Nel PIAO le misure anticorruzione restano spesso un elenco a parte. Qualcuno è riuscito a "
                "collegarle agli obiettivi di valore pubblico con indicatori comuni, per esempio sui tempi dei "
                "procedimenti a rischio?",
        "tags": ["PIAO", "anticorruzione", "trasparenza"],
        "answers": [
            {"by": "referente.matera", "at": (15, "16:30"),
             "body": "Noi partiamo dai processi mappati a rischio alto e, per ciascuno, scegliamo un indicatore di "
                     "tempo o di qualità che compare anche tra gli obiettivi di valore pubblico. Per esempio, il "
                     "tempo medio di rilascio dei permessi di costruire è sia misura di trasparenza sia obiettivo "
                     "di semplificazione. Non siamo ancora arrivati a farlo per tutti i processi.",
             "votes": ["lorenzo.fabbri"]},
        ],
        "comments": [("referente.bologna", (14, "09:40"),
                      "Anche noi ci stiamo provando: sarebbe utile confrontare le mappature dei processi.")],
    },

    # ---- Formazione del personale pubblico (open) --------------------------------------------------------
    {
        "community": "formazione-personale",
        "practice": "Piano di formazione condiviso sulle competenze digitali",
        "asker": "referente.bassareggiana", "asked": (40, "09:00"),
        "title": "Come contate le ore di formazione annue richieste dalla direttiva sulla formazione?",
        "body": "La direttiva del Ministro per la pubblica amministrazione chiede almeno 40 ore di formazione "
                "l'anno per ogni dipendente. Nel vostro piano contate anche i webinar e l'autoformazione su "
                "Syllabus? E come registrate le ore per chi lavora a tempo parziale?",
        "tags": ["formazione", "Syllabus", "direttiva"],
        "answers": [
            {"by": "martina.rossi", "at": (39, "14:25"),
             "body": "Contiamo tutte le attività con un attestato o una registrazione verificabile: i corsi "
                     "Syllabus completati, i webinar con la presenza registrata, la formazione in aula. "
                     "L'autoformazione libera, senza verifica, non la contiamo.\n\n"
                     "Per il tempo parziale riproporzioniamo l'obiettivo sull'orario di lavoro. Il foglio di "
                     "calcolo per il monitoraggio è nel KIT, nella sezione «Strumenti».",
             "votes": ["referente.bassareggiana", "lorenzo.fabbri"]},
        ],
        "votes": ["lorenzo.fabbri"],
        "accept": {"answer": 0, "by": "referente.bassareggiana", "at": (38, "08:40")},
    },
    {
        "community": "formazione-personale",
        "asker": "referente.bassareggiana", "asked": (10, "13:15"),
        "title": "Formazione obbligatoria sulla sicurezza informatica: avete un percorso comune per le unioni?",
        "body": "Dopo un tentativo di phishing andato quasi a segno vorremmo un breve percorso obbligatorio per "
                "tutti i dipendenti dell'unione. Avete moduli già pronti, magari con simulazioni di phishing?",
        "tags": ["sicurezza informatica", "formazione"],
        "votes": ["martina.rossi"],
    },

    # ---- Tavolo riservato dei responsabili per la transizione digitale (private) --------------------------
    {
        "community": "tavolo-rtd",
        "practice": "Cruscotto condiviso della transizione digitale",
        "asker": "referente.cmtorino", "asked": (18, "09:30"),
        "title": "Il cruscotto può importare lo stato di avanzamento delle misure PA digitale 2026?",
        "body": "Per il monitoraggio dei progetti finanziati dalle misure PA digitale 2026 inseriamo i dati due "
                "volte, sulla piattaforma nazionale e nel cruscotto. Esiste un modo per importarli?",
        "tags": ["PNRR", "monitoraggio"],
        "answers": [
            {"by": "referente.torino", "at": (17, "11:45"),
             "body": "Non ancora in automatico: la piattaforma nazionale permette di esportare un file per ente, "
                     "che il cruscotto importa dalla pagina «Carica dati». Stiamo lavorando con la Regione a un "
                     "collegamento periodico: vi aggiorniamo qui appena è pronto.",
             "votes": ["referente.cmtorino"]},
        ],
        "comments": [("referente.piemonte", (17, "15:00"),
                      "Confermo: il collegamento è nel piano di lavoro del prossimo trimestre.")],
    },
    {
        "community": "tavolo-rtd",
        "asker": "referente.torino", "asked": (6, "17:20"),
        "title": "Nomina del responsabile per la transizione digitale in forma associata: esperienze?",
        "body": "Alcuni Comuni piccoli della cintura ci chiedono se possono nominare un RTD unico tramite "
                "convenzione. Qualcuno ha già uno schema di convenzione da condividere?",
        "tags": ["RTD", "convenzione"],
    },
]


def load_qa() -> int:
    """Add what is missing of the demo questions; returns how many questions were added."""
    if has_request_context():
        return _load()
    # The services build links (notifications) with url_for: a request context on the configured address.
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        return _load()


class _Demo:
    def __init__(self):
        self.now = utcnow()
        self.people = {u.email.split("@")[0]: u for u in db.session.execute(select(User)).scalars()}
        self.communities = {c.slug: c for c in db.session.execute(select(Community)).scalars()}
        self.practices = {p.title: p for p in db.session.execute(select(Practice)).scalars()}

    def at(self, moment) -> datetime:
        days, clock = moment
        hour, minute = (int(part) for part in clock.split(":"))
        when = (self.now - timedelta(days=days)).replace(hour=hour, minute=minute, second=0, microsecond=0)
        if when >= self.now:
            raise ValueError(f"demo data: {days} days ago at {clock} is not in the past")
        return when

    def person(self, name: str) -> User:
        person = self.people.get(name)
        if person is None:
            raise ValueError(f"demo data: no person {name}")
        return person


def _load() -> int:
    demo = _Demo()
    added = 0
    for item in QUESTIONS:
        community = demo.communities.get(item["community"])
        if community is None or (item.get("practice") and item["practice"] not in demo.practices):
            continue
        question = db.session.execute(select(Question).where(
            Question.community_id == community.id, Question.title == item["title"])).scalar()
        if question is None:
            question = _ask(item, community, demo)
            added += 1
        _fill(question, item, demo)
    return added


def _ask(item: dict, community, demo: _Demo) -> Question:
    from app.qa import services

    when = demo.at(item["asked"])
    question = services.ask(demo.person(item["asker"]), community, title=item["title"], body=item["body"],
                            tags=item.get("tags", []), practice=demo.practices.get(item.get("practice") or ""),
                            now=when)
    _date_activity("question.asked", question.id, when)
    return question


def _fill(question: Question, item: dict, demo: _Demo) -> None:
    """Answers, comments, votes, reports, acceptance and closing, each only if not there yet."""
    from app.qa import actions, services
    from app.qa.services import membership_of

    answers = []
    for entry in item.get("answers", []):
        author = demo.person(entry["by"])
        answer = db.session.execute(select(Answer).where(Answer.question_id == question.id,
                                                         Answer.author_id == author.id)).scalar()
        if answer is None:
            when = demo.at(entry["at"])
            answer = services.answer(author, question, body=entry["body"], now=when)
            _date_activity("question.answered", question.id, when)
        answers.append(answer)
        for who, moment, body in entry.get("comments", []):
            _comment(question, demo.person(who), demo.at(moment), body, answer)
    for who, moment, body in item.get("comments", []):
        _comment(question, demo.person(who), demo.at(moment), body, None)
    for entry, answer in zip(item.get("answers", []), answers):
        _votes("answer", answer.id, entry.get("votes", []), demo)
    _votes("question", question.id, item.get("votes", []), demo)
    for entry, answer in zip(item.get("answers", []), answers):
        for who, reason, note in entry.get("reports", []):
            _report(question, answer, demo.person(who), reason, note)
    if accept := item.get("accept"):
        db.session.refresh(question)
        answer = answers[accept["answer"]]
        if question.accepted_answer_id != answer.id and question.status != "closed":
            who, when = demo.person(accept["by"]), demo.at(accept["at"])
            actions.accept(who, question, answer, membership_of(who, question.community), now=when)
            _date_activity("question.solved", question.id, when)
    if close := item.get("close"):
        db.session.refresh(question)
        if question.status != "closed":
            who, when = demo.person(close["by"]), demo.at(close["at"])
            original = db.session.execute(select(Question.id).where(
                Question.community_id == question.community_id, Question.title == close["original"])).scalar()
            actions.close(who, question, membership_of(who, question.community), reason=close["reason"],
                          duplicate_of_id=original, note=close.get("note", ""), now=when)
            _date_activity("question.closed", question.id, when)


def _comment(question: Question, author: User, when: datetime, body: str, answer) -> None:
    from app.qa import services

    exists = db.session.execute(select(Comment.id).where(
        Comment.question_id == question.id, Comment.author_id == author.id, Comment.body == body)).first()
    if exists is None:
        services.comment(author, question, body=body, answer=answer, now=when)


def _votes(target_type: str, target_id: int, names, demo: _Demo) -> None:
    from app.qa import actions

    for name in names:
        voter = demo.person(name)
        if not actions.has_voted(voter, target_type, [target_id]):
            actions.vote(voter, target_type, target_id)


def _report(question: Question, answer: Answer, reporter: User, reason: str, note: str) -> None:
    from app.qa import moderation
    from app.qa.services import membership_of

    exists = db.session.execute(select(Report.id).where(
        Report.reporter_id == reporter.id, Report.target_type == "answer", Report.target_id == answer.id)).first()
    if exists is None and answer.visibility == "visible":
        moderation.report(reporter, answer, question, membership_of(reporter, question.community), reason=reason,
                          note=note)
        db.session.refresh(answer)


def _date_activity(verb: str, question_id: int, when: datetime) -> None:
    """The activity record the service just wrote, dated when the demo says it happened."""
    latest = db.session.execute(select(Activity.id).where(
        Activity.verb == verb, Activity.object_type == "question", Activity.object_id == question_id)
        .order_by(Activity.id.desc()).limit(1)).scalar()
    if latest is not None:
        db.session.execute(update(Activity).where(Activity.id == latest).values(created_at=when))
        db.session.commit()


__all__ = ["QUESTIONS", "load_qa"]
