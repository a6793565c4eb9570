"""Demo data of the programmes, their calls for expression of interest and their events (issue 15, point 7).

Pure data, no Flask and no database code: app/demo/programmes.py reads it. Organisations are named exactly as in
app/demo/data.py; the two promoters missing there are added here (NEW_ORGANIZATIONS), with the staff people of the
promoters (NEW_PEOPLE: e-mail local parts under the demo domain). Moments are days from today (negative: past) with a
Europe/Rome clock time, so the calls and events keep their state whenever the demo is loaded.
"""
from __future__ import annotations

FORMEZ = "Formez PA"
UPI = "UPI - Unione delle Province d'Italia"

# (name, kind, pa_kind, ipa_code, region, province, website, description)
NEW_ORGANIZATIONS = [
    (FORMEZ, "public_administration", "agency", "formezpa", "12", "RM", "https://www.formez.it",
     "Centro servizi, assistenza, studi e formazione per l'ammodernamento delle pubbliche amministrazioni, "
     "associazione in house del Dipartimento della funzione pubblica."),
    (UPI, "other", None, "upi", "12", "RM", "https://www.provinceditalia.it",
     "L'associazione che rappresenta le Province italiane e ne sostiene la collaborazione con i Comuni."),
]

# (e-mail local part, full name, organisation, job title)
NEW_PEOPLE = [
    ("serena.caputo", "Serena Caputo", FORMEZ, "Responsabile di progetto Ask Public Value"),
    ("dario.pace", "Dario Pace", FORMEZ, "Coordinatore dei tavoli di confronto PerForma PA"),
    ("giovanna.ferri", "Giovanna Ferri", UPI, "Referente delle reti tematiche Province & Comuni"),
]

PROGRAMMES = [
    {
        "slug": "ask-public-value", "name": "Ask Public Value", "promoter": FORMEZ,
        "summary": "Indicatori condivisi di valore pubblico: Innovation Lab per Regioni, Città metropolitane e "
                   "grandi Comuni selezionati con una manifestazione di interesse.",
        "description": "**Ask Public Value** è il progetto del Dipartimento della funzione pubblica, realizzato da "
                       "Formez PA (PNRR M1C1, investimento 2.2, sub-investimento 2.2.5 «Amministrazione pubblica "
                       "orientata ai risultati»), che costruisce una libreria di indicatori comuni di valore "
                       "pubblico.\n\nTre linee di attività:\n\n"
                       "1. definire e sviluppare i KPI con il coinvolgimento degli stakeholder;\n"
                       "2. accompagnarne l'uso nelle amministrazioni selezionate;\n"
                       "3. diffonderli.\n\n"
                       "Le amministrazioni selezionate (20 Regioni, 14 Città metropolitane, 14 grandi Comuni) "
                       "lavorano negli **Innovation Lab**, in presenza e a distanza, organizzati per macro-missione "
                       "di bilancio.",
        "website": "https://www.formez.it", "starts": -420, "ends": 240,
        "communities": ["valore-pubblico-piao", "agenda-digitale-territoriale"],
        "staff": ["serena.caputo"],
    },
    {
        "slug": "performa-pa", "name": "PerForma PA", "promoter": FORMEZ,
        "summary": "Tavoli di confronto in cui le amministrazioni presentano le buone pratiche riconosciute, con "
                   "registrazione, slide e quaderno dopo ogni incontro.",
        "description": "**PerForma PA** accompagna le amministrazioni nel ciclo della performance. Una commissione "
                       "sceglie metodi e pratiche da diffondere; le amministrazioni che le hanno realizzate le "
                       "presentano nei **tavoli di confronto**, online o in presenza.\n\n"
                       "Dopo ogni tavolo restano la registrazione, le slide e un quaderno con le domande dei "
                       "partecipanti e le risposte degli enti cedenti.",
        "website": "https://www.formez.it", "starts": -365, "ends": 365,
        "communities": ["valore-pubblico-piao", "stazione-unica-appaltante", "formazione-personale"],
        "staff": ["dario.pace", "serena.caputo"],
    },
    {
        "slug": "province-e-comuni", "name": "Province & Comuni", "promoter": UPI,
        "summary": "Tavoli locali tra Province e Comuni in tre reti tematiche: appalti, fondi europei, "
                   "transizione digitale.",
        "description": "**Province & Comuni** è il progetto dell'UPI che rafforza le Province come casa dei "
                       "Comuni. Le Province selezionate animano tavoli locali in tre **reti tematiche**:\n\n"
                       "- stazioni uniche appaltanti;\n- servizi associati per i fondi europei;\n"
                       "- transizione digitale dei piccoli Comuni.",
        "website": "https://www.provinceditalia.it", "starts": -90, "ends": 640,
        "communities": ["stazione-unica-appaltante", "servizio-europa", "tavolo-rtd"],
        "staff": ["giovanna.ferri"],
    },
]

# The candidacy form of the Ask Public Value calls (InterestCall.fields).
APV_FIELDS = [
    {"key": "mission", "label": "Macro-missione di bilancio di interesse", "kind": "choice", "required": True,
     "choices": ["01 Servizi istituzionali, generali e di gestione", "12 Diritti sociali, politiche sociali e "
                 "famiglia", "14 Sviluppo economico e competitività"], "help": ""},
    {"key": "motivation", "label": "Perché l'ente partecipa", "kind": "textarea", "required": True, "choices": [],
     "help": "Obiettivi del PIAO a cui il laboratorio può contribuire."},
    {"key": "staff", "label": "Persone che seguiranno i laboratori", "kind": "number", "required": True,
     "choices": [], "help": ""},
    {"key": "declaration", "label": "Il modulo è firmato dal vertice amministrativo", "kind": "checkbox",
     "required": True, "choices": [], "help": ""},
]
PERFORMA_FIELDS = [
    {"key": "practice", "label": "Pratica che l'ente vuole presentare", "kind": "text", "required": True,
     "choices": [], "help": ""},
    {"key": "results", "label": "Risultati misurati", "kind": "textarea", "required": True, "choices": [],
     "help": ""},
    {"key": "declaration", "label": "La pratica è conclusa e in uso", "kind": "checkbox", "required": True,
     "choices": [], "help": ""},
]

# Candidacies: (organisation, final status, note). The loader replays each one's moves through the workflow:
# submitted → admissible → selected | waiting list | not selected; inadmissible with its reason; withdrawn.
CALLS = [
    {
        "programme": "ask-public-value", "slug": "ask-public-value-innovation-lab",
        "title": "Manifestazione di interesse Ask Public Value – Innovation Lab",
        "description": "Avviso rivolto a **20 Regioni, 14 Città metropolitane e 14 grandi Comuni** per partecipare "
                       "agli Innovation Lab sugli indicatori di valore pubblico.\n\nIl modulo di candidatura va "
                       "compilato in ogni parte, **firmato dal vertice amministrativo e protocollato**.",
        "phase": "results", "opens": -260, "closes": -220, "results": -195,
        "quotas": {"region": 20, "metropolitan_city": 14, "municipality": 14}, "fields": "apv",
        "candidacies": [
            *[(name, "selected", "") for name in (
                "Regione Piemonte", "Regione Emilia-Romagna", "Regione Lombardia", "Regione Toscana",
                "Regione Lazio", "Regione Campania", "Regione Puglia", "Regione Siciliana")],
            *[(name, "selected", "") for name in (
                "Città metropolitana di Torino", "Città metropolitana di Bologna", "Città metropolitana di Milano",
                "Città metropolitana di Napoli", "Città metropolitana di Roma Capitale",
                "Città metropolitana di Bari")],
            *[(name, "selected", "") for name in (
                "Comune di Torino", "Comune di Bologna", "Comune di Milano", "Comune di Napoli", "Comune di Matera",
                "Comune di Firenze", "Comune di Bari", "Comune di Genova", "Comune di Venezia", "Comune di Palermo",
                "Comune di Cagliari", "Roma Capitale", "Comune di Perugia", "Comune di Lecce")],
            ("Comune di Ancona", "waiting", "I posti per i Comuni sono esauriti: prima in lista d'attesa."),
            ("Comune di Trieste", "waiting", "I posti per i Comuni sono esauriti: seconda in lista d'attesa."),
            ("Comune di Alba", "not_selected", "L'avviso è rivolto ai grandi Comuni."),
            ("Comune di Alghero", "inadmissible",
             "Il modulo non è firmato dal vertice amministrativo, come chiede l'avviso."),
            ("Comune di Bergamo", "withdrawn", ""),
        ],
    },
    {
        "programme": "ask-public-value", "slug": "ask-public-value-nuove-adesioni",
        "title": "Ask Public Value – nuove adesioni agli Innovation Lab",
        "description": "Seconda finestra per le **Regioni** e i **Comuni** che non hanno partecipato alla prima "
                       "selezione. Restano posti per cinque Regioni e dieci Comuni.",
        "phase": "published", "opens": -10, "closes": 25,
        "quotas": {"region": 5, "municipality": 10}, "fields": "apv",
        "candidacies": [
            ("Regione Autonoma della Sardegna", "submitted", ""),
            ("Comune di Trento", "submitted", ""),
            ("Comune di Alghero", "draft", ""),
        ],
    },
    {
        "programme": "performa-pa", "slug": "performa-pa-tavoli-2026",
        "title": "Avviso PerForma PA – candidature ai tavoli di confronto",
        "description": "Le amministrazioni candidano una pratica **conclusa e in uso** da presentare ai tavoli di "
                       "confronto del semestre. Posti: due Comuni, un'Unione di comuni, una Regione, una Città "
                       "metropolitana.",
        "phase": "published", "opens": -60, "closes": -8,
        "quotas": {"municipality": 2, "union_of_municipalities": 1, "region": 1, "metropolitan_city": 1},
        "fields": "performa",
        "candidacies": [
            ("Comune di Matera", "selected", ""),
            ("Comune di Bologna", "selected", ""),
            ("Unione Bassa Reggiana", "selected", ""),
            ("Comune di Alba", "waiting", "Prima in lista d'attesa per i Comuni."),
            ("Comune di Assisi", "not_selected", "La pratica è simile a una già selezionata."),
            ("Comune di Tropea", "inadmissible",
             "La pratica candidata non è ancora conclusa: l'avviso ammette solo pratiche in uso."),
            ("Regione Emilia-Romagna", "admissible", ""),
            ("Città metropolitana di Torino", "submitted", ""),
            ("Comune di Cortina d'Ampezzo", "withdrawn", ""),
        ],
    },
    {
        "programme": "province-e-comuni", "slug": "province-e-comuni-reti-tematiche",
        "title": "Avviso Province & Comuni – reti tematiche",
        "description": "Le Province candidano un tavolo locale in una delle tre reti tematiche; i Comuni del "
                       "territorio aderiscono con la Provincia.",
        "phase": "draft", "opens": 15, "closes": 60,
        "quotas": {"province": 10, "municipality": 20}, "fields": "performa",
        "candidacies": [],
    },
]

# Contacts of the working group, cycled over the candidacies (the organisation's own people come first).
CONTACT_ROLES = ["Dirigente del servizio pianificazione e controllo", "Referente tecnico", "Funzionaria dell'ufficio "
                 "performance"]

CENTRALE = "Centrale unica di committenza dei Comuni del Chierese"
CRUSCOTTO = "Cruscotto degli indicatori di valore pubblico"

# Events. "registrations": demo local parts in the order they registered (the seats decide who waits);
# "attended": who was there (held events). Times are Europe/Rome.
EVENTS = [
    {
        "slug": "tavolo-valore-pubblico-piao", "programme": "performa-pa", "kind": "round_table",
        "title": "Tavolo di confronto: indicatori di valore pubblico nel PIAO",
        "summary": "Il Comune di Matera presenta il cruscotto pubblico degli indicatori di impatto del PIAO.",
        "description": "Il tavolo mette a confronto le amministrazioni che misurano il **valore pubblico** con "
                       "indicatori di impatto collegati al PIAO.",
        "format": "hybrid", "place": "Formez PA, viale Marx 15, Roma",
        "online_url": "https://meet.example.org/performa-piao",
        "day": -200, "start": "10:00", "end": "13:00", "status": "held", "restricted": False,
        "communities": ["valore-pubblico-piao"], "practices": [CRUSCOTTO], "missions": ["01"], "seats": 40,
        "organizers": ["dario.pace"],
        "agenda": [("10:00", "Apertura e metodo dei tavoli", ["dario.pace"]),
                   ("10:20", "Il cruscotto del valore pubblico del Comune di Matera", ["referente.matera",
                                                                                      "giuseppe.lorusso"]),
                   ("11:30", "Domande dei partecipanti e riuso", [])],
        "registrations": ["referente.bologna", "lorenzo.fabbri", "referente.matera", "giuseppe.lorusso",
                          "alessia.moretti", "referente.piemonte", "antonio.esposito"],
        "attended": ["referente.bologna", "lorenzo.fabbri", "referente.matera", "giuseppe.lorusso",
                     "alessia.moretti", "referente.piemonte"],
        "public_attendance": ["referente.bologna", "referente.matera"],
        "report": "Il Comune di Matera ha presentato il **cruscotto degli indicatori di valore "
                  "pubblico**: 42 indicatori, aggiornati ogni trimestre, scelti in tre laboratori con cittadini e "
                  "associazioni.\n\n#### Cosa è emerso\n\n- il collegamento tra obiettivi del PIAO e indicatori di "
                  "impatto va deciso con la giunta, non solo con i dirigenti;\n- il tracciato dei dati nel KIT "
                  "permette di collegare un altro gestionale in circa 15 giornate;\n- il Comune di Bologna avvierà "
                  "una prova con i dati del proprio PIAO.\n\nSlide e quaderno sono tra i materiali.",
        "recording": "https://media.example.org/performa/tavolo-valore-pubblico-piao",
        "documents": [("slides", "Slide del Comune di Matera", "slide-cruscotto-valore-pubblico.pdf"),
                      ("booklet", "Quaderno del tavolo", "quaderno-tavolo-valore-pubblico.pdf")],
    },
    {
        "slug": "tavolo-centrale-unica-committenza", "programme": "performa-pa", "kind": "round_table",
        "title": "Tavolo di confronto: la centrale unica di committenza dei piccoli Comuni",
        "summary": "La Città metropolitana di Torino presenta la centrale unica di committenza dei Comuni del "
                   "Chierese.",
        "description": "Come 22 Comuni affidano a un ufficio unico le gare sopra soglia: convenzione, regolamento, "
                       "bandi tipo.",
        "format": "online", "place": "", "online_url": "https://meet.example.org/performa-cuc",
        "day": -150, "start": "14:30", "end": "17:00", "status": "held", "restricted": False,
        "communities": ["stazione-unica-appaltante"], "practices": [CENTRALE], "missions": ["01"], "seats": None,
        "organizers": ["dario.pace"],
        "agenda": [("14:30", "La convenzione tra i Comuni e l'ufficio unico", ["referente.cmtorino"]),
                   ("15:15", "Il punto di vista di un Comune aderente", ["referente.torino"]),
                   ("16:00", "Domande e riuso del KIT", [])],
        "registrations": ["referente.alba", "simona.olivero", "referente.cmtorino", "referente.torino",
                          "francesca.demaria", "giuseppe.lorusso", "matteo.grasselli"],
        "attended": ["referente.alba", "simona.olivero", "referente.cmtorino", "referente.torino",
                     "francesca.demaria", "giuseppe.lorusso"],
        "public_attendance": ["referente.alba", "referente.cmtorino"],
        "report": "La **centrale unica di committenza** dei Comuni del Chierese gestisce 140 gare "
                  "l'anno per 22 Comuni, con tempi di aggiudicazione ridotti del 30%.\n\n#### Domande principali\n\n"
                  "1. Come si ripartiscono i costi? Una quota annua di 0,50 euro per abitante.\n"
                  "2. Chi nomina le commissioni? L'ufficio unico, con un albo condiviso.\n\n"
                  "Il Comune di Alba ha chiesto la convenzione tipo per i Comuni delle Langhe.",
        "recording": "https://media.example.org/performa/tavolo-centrale-unica-committenza",
        "documents": [("slides", "Slide della Città metropolitana di Torino", "slide-centrale-committenza.pdf"),
                      ("booklet", "Quaderno del tavolo", "quaderno-tavolo-centrale-committenza.pdf")],
    },
    {
        "slug": "innovation-lab-missione-01", "programme": "ask-public-value", "kind": "innovation_lab",
        "title": "Innovation Lab – Missione 01: servizi istituzionali, generali e di gestione",
        "summary": "Laboratorio riservato alle amministrazioni selezionate: indicatori di valore pubblico per la "
                   "macro-missione 01.",
        "description": "Il laboratorio lavora sugli indicatori di impatto della **missione 01** del bilancio: "
                       "tempi dei procedimenti, digitalizzazione dei servizi, benessere organizzativo.\n\n"
                       "Riservato alle amministrazioni selezionate con la manifestazione di interesse.",
        "format": "hybrid", "place": "Formez PA, viale Marx 15, Roma",
        "online_url": "https://meet.example.org/apv-lab-01",
        "day": 12, "start": "09:30", "end": "16:30", "status": "published", "restricted": True,
        "communities": ["valore-pubblico-piao"], "practices": [CRUSCOTTO], "missions": ["01"], "seats": 8,
        "reserved": {"region": 2}, "organizers": ["serena.caputo"],
        "terms": "Partecipo all'intera giornata; i materiali del laboratorio restano riservati alle amministrazioni "
                 "selezionate fino alla pubblicazione della libreria dei KPI.",
        "agenda": [("09:30", "La libreria dei KPI di valore pubblico", ["serena.caputo"]),
                   ("11:00", "Lavoro in gruppi per missione", []),
                   ("15:30", "Restituzione in plenaria", [])],
        "registrations": ["referente.torino", "francesca.demaria", "referente.bologna", "martina.rossi",
                          "referente.matera", "alessia.moretti", "antonio.esposito", "lorenzo.fabbri",
                          "referente.cmtorino", "giuseppe.lorusso", "referente.piemonte", "andrea.gallo",
                          "roberto.chiesa"],
        "cancelled": ["lorenzo.fabbri"],
    },
    {
        "slug": "webinar-reti-tematiche-province-comuni", "programme": "province-e-comuni", "kind": "webinar",
        "title": "Webinar: le reti tematiche di Province & Comuni",
        "summary": "Come funzionano le tre reti tematiche e come una Provincia candida il proprio tavolo locale.",
        "description": "Un'ora per conoscere il progetto **Province & Comuni**, le tre reti tematiche e l'avviso "
                       "che si aprirà a breve. Aperto a tutti.",
        "format": "online", "place": "", "online_url": "https://meet.example.org/upi-reti-tematiche",
        "day": 20, "start": "11:00", "end": "12:00", "status": "published", "restricted": False,
        "communities": ["stazione-unica-appaltante", "servizio-europa"], "practices": [], "missions": [],
        "seats": None, "organizers": ["giovanna.ferri"],
        "agenda": [("11:00", "Il progetto e le reti tematiche", ["giovanna.ferri"]),
                   ("11:30", "Domande", [])],
        "registrations": ["referente.bassareggiana", "matteo.grasselli", "referente.alba", "referente.alghero"],
    },
]
