"""The demo indicator history's data: profiles of the communities over the quarters, the organisations it adds,
names and texts (app/demo/indicators.py builds the rows from them)."""
from __future__ import annotations

SEED = 1414
HISTORY = 8  # ended quarters computed, oldest first; the running quarter is the daily snapshot
SECTIONS = ("context", "organisation", "acts", "technical", "training", "deployment_plan", "costs", "licence",
            "maintenance")
QUESTIONS = {0: 2, 1: 8, 2: 15, 3: 17}  # per quarter, by the stage the quarter is built for
REQUESTS = {0: 1, 1: 2, 2: 3, 3: 7}
ACTIVE = {0: 3, 1: 7, 2: 13, 3: 19}  # people contributing in the quarter
PROMPT = {0: 0.5, 1: 0.7, 2: 0.88, 3: 0.92}  # share of questions answered within 2 working days

# Real Piedmont municipalities joining the procurement community (IPA code = c_ + cadastral code).
NEW_ORGANIZATIONS = [
    ("Comune di Chieri", "c_c627", "TO", "https://www.comune.chieri.to.it"),
    ("Comune di Moncalieri", "c_f335", "TO", "https://www.comune.moncalieri.to.it"),
    ("Comune di Pinerolo", "c_g674", "TO", "https://www.comune.pinerolo.to.it"),
    ("Comune di Asti", "c_a479", "AT", "https://www.comune.asti.it"),
    ("Comune di Cuneo", "c_d205", "CN", "https://www.comune.cuneo.it"),
    ("Comune di Ivrea", "c_e379", "TO", "https://www.comune.ivrea.to.it"),
]

# levels: one per ended quarter (oldest first) and the running one; joins: new people per quarter, from `orgs` in
# order; practices: (title, donor, days from the history's start, sections filled); reusers: in order of first reuse.
PROFILES = {
    "servizio-europa": {
        "levels": [0, 1, 1, 2, 2, 3, 3, 3, 3], "joins": [2, 4, 3, 3, 3, 4, 2, 2, 1],
        "orgs": ["Comune di Firenze", "Comune di Perugia", "Roma Capitale", "Comune di Bari", "Comune di Palermo",
                 "Comune di Cagliari", "Comune di Trento", "Comune di Venezia", "Comune di Genova", "Comune di Ancona",
                 "Comune di Lecce", "Comune dell'Aquila", "Comune di Campobasso", "Comune di Trieste",
                 "Unione Comuni del Sorbara", "Unione Colline Matildiche", "Comune di Bergamo", "Comune di Tropea",
                 "Comune di Firenze", "Roma Capitale", "Comune di Bari", "Comune di Perugia", "Comune di Palermo",
                 "Comune di Venezia"],
        "theme": "eu_funds", "mission": "19",
        "practices": [("Sportello associato per i bandi europei dei piccoli Comuni", "Unione Bassa Reggiana", -330, 9),
                      ("Modelli di rendicontazione dei progetti FESR e FSE+", "Comune di Bologna", -270, 9),
                      ("Partenariati Interreg: guida per gli enti locali", "Comune di Alghero", -210, 9),
                      ("Banca dati dei bandi europei per i Comuni", "Comune di Matera", -40, 8),
                      ("Ufficio progettazione europea metropolitano", "Comune di Firenze", 120, 9)],
        "reusers": ["Comune di Perugia", "Roma Capitale", "Comune di Bari", "Comune di Palermo", "Comune di Cagliari",
                    "Comune di Trento", "Comune di Venezia", "Comune di Genova", "Comune di Ancona", "Comune di Lecce",
                    "Comune dell'Aquila", "Comune di Campobasso", "Comune di Trieste", "Unione Comuni del Sorbara",
                    "Unione Colline Matildiche", "Comune di Bergamo", "Comune di Tropea", "Comune di Firenze"],
        "first_reuse": -240, "governance": 400,
    },
    "stazione-unica-appaltante": {
        "levels": [0, 1, 2, 2, 2, 1, 1, 1, 1], "joins": [3, 4, 4, 1, 1, 0, 0, 0, 0],
        "orgs": ["Comune di Chieri", "Comune di Moncalieri", "Comune di Pinerolo", "Comune di Asti", "Comune di Cuneo",
                 "Comune di Ivrea", "Provincia di Cuneo", "Provincia di Alessandria",
                 "CSI Piemonte - Consorzio per il Sistema Informativo", "Comune di Chieri", "Comune di Alba",
                 "Comune di Moncalieri", "Comune di Asti"],
        "theme": "procurement", "mission": "01",
        "practices": [("Albo unico dei fornitori dei Comuni piemontesi", "Comune di Torino", -300, 9),
                      ("Capitolati tipo per i servizi di manutenzione del verde", "Regione Piemonte", -240, 9),
                      ("Formazione dei RUP in forma associata", "CSI Piemonte - Consorzio per il Sistema Informativo",
                       -200, 8),
                      ("Commissioni di gara telematiche", "Città metropolitana di Torino", -150, 6),
                      ("Convenzione per la stazione appaltante dei Comuni collinari", "Comune di Chieri", -60, 9)],
        "reusers": ["Comune di Moncalieri", "Comune di Pinerolo", "Comune di Asti", "Comune di Cuneo",
                    "Comune di Ivrea",
                    "Provincia di Cuneo", "Provincia di Alessandria", "Comune di Alba"],
        "first_reuse": -150, "reuse_every": 70, "maintained_until": 5,
    },
    "valore-pubblico-piao": {
        "levels": [0, 0, 1, 1, 2, 2, 2, 2, 2], "joins": [2, 2, 3, 3, 3, 1, 1, 0, 0],
        "orgs": ["Regione Lazio", "Comune di Bari", "Regione Toscana", "Comune di Perugia", "Regione Puglia",
                 "Comune di Venezia", "Regione Marche", "Comune di Cagliari", "Provincia di Salerno", "Comune di Lecce",
                 "Regione Campania", "Comune di Trento", "Regione Lazio", "Regione Toscana", "Comune di Genova"],
        "theme": "public_value", "mission": "01",
        "practices": [("Mappa degli stakeholder per il valore pubblico", "Comune di Bologna", -200, 9),
                      ("Indicatori di impatto per i servizi sociali", "Regione Lazio", -100, 9),
                      ("Laboratorio partecipato per il PIAO", "Regione Toscana", 60, 8),
                      ("Questionario di soddisfazione dei servizi comunali", "Regione Puglia", 150, 9),
                      ("Cruscotto regionale della performance", "Regione Toscana", 250, 5)],
        "reusers": ["Comune di Bari", "Comune di Perugia", "Comune di Venezia", "Regione Marche", "Comune di Cagliari",
                    "Provincia di Salerno", "Comune di Lecce", "Regione Campania", "Comune di Trento"],
        "first_reuse": -60, "reuse_every": 75,
    },
    "formazione-personale": {"levels": [0] * 9, "joins": [0, 0, 0, 1, 0, 1, 0, 0, 0],
                             "orgs": ["Provincia di Modena", "Unione Comuni del Sorbara"], "theme": "training"},
    "agenda-digitale-territoriale": {"levels": [0] * 9, "joins": [0] * 9, "orgs": [], "theme": "digital_agenda"},
    "tavolo-rtd": {"levels": [0] * 9, "joins": [0] * 9, "orgs": [], "theme": "digital_agenda"},
}

FIRST_NAMES = ("Alessandro", "Anna", "Beatrice", "Carla", "Claudio", "Daniela", "Elisa", "Enrico", "Fabio", "Giorgia",
               "Giovanni", "Ilaria", "Irene", "Luigi", "Marco", "Marta", "Michele", "Nicola", "Paola", "Riccardo",
               "Roberta", "Sara", "Sergio", "Teresa", "Tommaso", "Valeria", "Vincenzo", "Serena", "Pietro", "Cristina")
SURNAMES = ("Amato", "Barbieri", "Bellini", "Caruso", "Cattaneo", "Colombo", "Costa", "D'Angelo", "De Luca", "Fontana",
            "Galli", "Giordano", "Greco", "Leone", "Lombardi", "Mancini", "Marino", "Mariani", "Monti", "Palumbo",
            "Pellegrini", "Rinaldi", "Romano", "Russo", "Santoro", "Serra", "Testa", "Villa", "Vitale", "Ferrara")
JOBS = ("Funzionario servizi informativi", "Istruttrice direttiva", "Responsabile ufficio progetti",
        "Funzionaria amministrativa", "Dirigente area programmazione")

TOPICS = {
    "eu_funds": ("i bandi Interreg", "la rendicontazione FESR", "il cofinanziamento comunale", "i partenariati europei",
                 "i progetti Erasmus+ per le scuole", "il programma LIFE", "le spese del personale interno",
                 "i controlli di primo livello", "il monitoraggio dei bandi", "la fideiussione sugli anticipi",
                 "i progetti Horizon Europe", "il budget delle trasferte", "gli aiuti di Stato",
                 "i costi semplificati"),
    "procurement": ("l'albo dei fornitori", "le commissioni giudicatrici", "il principio di rotazione",
                    "le clausole sociali", "gli accordi quadro", "la qualificazione della stazione appaltante",
                    "il fascicolo virtuale dell'operatore", "le gare sotto soglia", "il RUP in forma associata",
                    "i capitolati per il verde pubblico", "la revisione dei prezzi", "le gare telematiche"),
    "public_value": ("gli indicatori di impatto", "la sottosezione performance del PIAO", "la mappa degli stakeholder",
                     "i questionari di soddisfazione", "il collegamento con il bilancio", "gli obiettivi dei dirigenti",
                     "la pubblicazione del cruscotto", "la misura del benessere organizzativo",
                     "i target annuali", "il lavoro agile nel PIAO", "la parità di genere nel PIAO"),
    "training": ("i corsi Syllabus", "la formazione obbligatoria", "i piani individuali", "le ore di formazione",
                 "le convenzioni con le università", "la formazione dei neoassunti"),
    "digital_agenda": ("i punti di facilitazione", "il piano triennale", "la migrazione al cloud", "l'app IO",
                       "i servizi con SPID e CIE", "la nomina del RTD"),
}
ANGLES = ("come vi siete organizzati?", "quali costi avete sostenuto?", "che tempi avete avuto?",
          "quali errori evitare?", "avete un modello da condividere?", "chi se ne occupa nel vostro ente?",
          "come fate con pochi dipendenti?", "che cosa è cambiato con le ultime norme?")
ANSWER_LINES = ("Da noi se ne occupa un gruppo di due persone, con un referente per ogni settore coinvolto.",
                "Il primo anno abbiamo seguito il modello del KIT quasi alla lettera, poi lo abbiamo semplificato.",
                "Vi consiglio di partire da un progetto pilota piccolo e di misurare i tempi fin da subito.",
                "Abbiamo un modello di delibera e una check-list: li carichiamo tra i documenti della comunità.",
                "Il punto critico è stato il coordinamento con la ragioneria: conviene coinvolgerla all'inizio.",
                "Noi abbiamo chiesto un parere alla Regione prima di procedere, e ci ha evitato un errore.",
                "I costi sono stati contenuti: circa dieci giornate di lavoro interno e una breve formazione.",
                "Attenzione alle scadenze: le proroghe non sono automatiche e vanno chieste per tempo.")
COMMENTS = ("Grazie, molto utile.", "Potete condividere il modello di delibera?",
            "Confermo, anche da noi è andata così.", "Ottimo, lo proponiamo alla prossima giunta.")
