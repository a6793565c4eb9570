"""Demo data of the KPI library (issue 16, point 9): the definitions, their adoptions with three years of values, the
practices that declare they improve them.

Pure data, no Flask and no database code: app/demo/kpis.py reads it. Organisations are named exactly as in
app/demo/data.py, people are demo e-mails' local parts (app/demo/data.py, app/demo/programme_data.py), places are
community or programme slugs. Moments are days before today. Normative references are the ones the definitions
really rest on; the ISTAT BES codes are given only where the code's meaning is certain (10AMB017 raccolta
differenziata, 12SER008 posti-km del TPL), otherwise left empty. The figures of the adoptions are plausible demo
values, not the administrations' real data.
"""
from __future__ import annotations

VALORE_PUBBLICO = ("community", "valore-pubblico-piao")
AGENDA_DIGITALE = ("community", "agenda-digitale-territoriale")
APPALTI = ("community", "stazione-unica-appaltante")
FORMAZIONE = ("community", "formazione-personale")
ASK = ("programme", "ask-public-value")

PIEMONTE = "Regione Piemonte"
TOSCANA = "Regione Toscana"
CM_TORINO = "Città metropolitana di Torino"
TORINO = "Comune di Torino"
BOLOGNA = "Comune di Bologna"
MILANO = "Comune di Milano"
NAPOLI = "Comune di Napoli"
MATERA = "Comune di Matera"
ALBA = "Comune di Alba"

PCC = "https://crediticommerciali.mef.gov.it"
ISPRA = "https://www.catasto-rifiuti.isprambiente.it"
ISTAT = "https://www.istat.it"

# Each definition: its version-1 record (the keys of core.VERSION_FIELDS, with "missions", "sdgs", "piao", "bes"
# given by code), where it was proposed and by whom, and how many days ago it was published. Defaults: outcome,
# ratio, annual, any level, PIAO 2.1. "status" other than published: "deprecated" (with "replaced_by" and a note),
# "proposed" or "in_review" (with a discussion). "version_2": the fields a second version changes.
# "value_source": the source note of the values reported on it (and "source_url").
DEFINITIONS: list[dict] = [
    {
        "key": "pagamenti-semplice", "status": "deprecated", "replaced_by": "pagamenti",
        "deprecation_note": "Sostituito dal tempo medio ponderato sull'importo, calcolato dalla Piattaforma dei "
                            "crediti commerciali: la media semplice dava lo stesso peso a una fattura di 50 euro e a "
                            "una di 500.000.",
        "name": "Tempo medio di pagamento delle fatture (media semplice)", "short_name": "Tempo pagamento (semplice)",
        "description": "Media aritmetica dei giorni trascorsi tra la ricezione della fattura elettronica e il suo "
                       "pagamento, per le fatture pagate nell'anno.",
        "typology": "output", "formula_kind": "description",
        "formula": "Somma dei giorni tra ricezione e pagamento di ogni fattura pagata nell'anno, divisa per il "
                   "numero delle fatture pagate.",
        "unit": "days", "polarity": "lower", "data_source": "Contabilità dell'ente (registro unico delle fatture)",
        "piao": "2.2", "missions": ["01"], "sdgs": [16], "tags": ["pagamenti", "fatture", "fornitori"],
        "caveat": "Non tiene conto dell'importo delle fatture.",
        "place": VALORE_PUBBLICO, "proposer": "referente.matera", "days": 470, "deprecated_days": 395,
    },
    {
        "key": "pagamenti", "name": "Tempo medio ponderato di pagamento delle fatture",
        "short_name": "Tempo medio di pagamento",
        "description": "Giorni che intercorrono in media tra la ricezione della fattura elettronica e il suo "
                       "pagamento, **ponderati sull'importo** di ciascuna fattura, come li calcola la Piattaforma "
                       "dei crediti commerciali (L. 145/2018, art. 1, commi 859–861).\n\nIl termine di legge è di "
                       "30 giorni (60 per gli enti del Servizio sanitario nazionale, D.Lgs. 231/2002).",
        "typology": "output", "formula_kind": "ratio",
        "numerator": "Somma, sulle fatture pagate nell'anno, dei giorni tra ricezione e pagamento moltiplicati per "
                     "l'importo pagato",
        "denominator": "Somma degli importi pagati nell'anno",
        "unit": "days", "polarity": "lower", "data_source": "PCC – Piattaforma dei crediti commerciali (MEF)",
        "piao": "2.2", "bes": "BES_06", "missions": ["01"], "sdgs": [16],
        "tags": ["pagamenti", "fatture", "fornitori", "pcc"],
        "caveat": "Le fatture sospese per contestazione o in attesa di collaudo restano nel calcolo finché la PCC "
                  "non registra la sospensione: lo stato delle fatture va aggiornato prima di confrontare gli enti.",
        "place": VALORE_PUBBLICO, "proposer": "referente.bologna", "days": 400,
        "value_source": "PCC, cruscotto dell'ente: tempo medio ponderato di pagamento", "source_url": PCC,
    },
    {
        "key": "itp", "name": "Indicatore di tempestività dei pagamenti",
        "short_name": "Tempestività dei pagamenti (ITP)",
        "description": "Ritardo medio dei pagamenti rispetto alla **scadenza** delle fatture, ponderato "
                       "sull'importo, come lo definisce il DPCM 22 settembre 2014 (art. 9). Si pubblica ogni "
                       "trimestre e ogni anno in Amministrazione trasparente (D.Lgs. 33/2013, art. 33).\n\nÈ "
                       "espresso in giorni: un valore negativo indica pagamenti in anticipo sulla scadenza.",
        "typology": "output", "formula_kind": "ratio",
        "numerator": "Somma, sulle fatture pagate nel periodo, dei giorni tra scadenza e pagamento moltiplicati "
                     "per l'importo",
        "denominator": "Somma degli importi pagati nel periodo",
        "unit": "index", "polarity": "lower", "frequency": "quarterly",
        "data_source": "Contabilità dell'ente, verificata con la PCC", "piao": "2.3", "missions": ["01"],
        "sdgs": [16], "tags": ["pagamenti", "trasparenza", "fornitori"],
        "caveat": "Sono esclusi i periodi di sospensione per contestazione: enti che sospendono molto mostrano "
                  "valori migliori a parità di comportamento.",
        "place": VALORE_PUBBLICO, "proposer": "referente.bologna", "days": 396,
        "value_source": "Pubblicazione trimestrale in Amministrazione trasparente",
        # added to the year's value in each quarter (the year starts slower): the quarters average to the year
        "quarters": (3.0, -1.0, -0.5, -1.5),
    },
    {
        "key": "spid", "name": "Quota di servizi online accessibili con SPID e CIE",
        "short_name": "Servizi online con SPID e CIE",
        "description": "Quota dei servizi online dell'ente a cui si accede con l'identità digitale **SPID** o con "
                       "la **Carta d'identità elettronica**, come chiede il DL 76/2020 (art. 24) dal 28 febbraio "
                       "2021.",
        "typology": "output", "numerator": "Servizi online con accesso tramite SPID e CIE al 31 dicembre",
        "denominator": "Servizi online dell'ente censiti nel catalogo dei servizi al 31 dicembre",
        "unit": "percent", "polarity": "higher", "data_source": "Catalogo dei servizi dell'ente; AppIO",
        "bes": "BES_11", "missions": ["01"], "sdgs": [9, 16],
        "tags": ["servizi digitali", "spid", "cie", "identità digitale"],
        "caveat": "Conta i servizi, non il loro uso: un ente con pochi servizi online può avere una quota alta.",
        "place": AGENDA_DIGITALE, "proposer": "alessia.moretti", "days": 380,
        "value_source": "Catalogo dei servizi al 31 dicembre",
    },
    {
        "key": "pratiche-online", "name": "Quota di istanze presentate online",
        "short_name": "Istanze online",
        "description": "Quota delle istanze dei cittadini e delle imprese presentate attraverso i servizi online, "
                       "sul totale delle istanze protocollate in entrata per i procedimenti che si possono avviare "
                       "anche online.",
        "numerator": "Istanze presentate tramite i servizi online nell'anno",
        "denominator": "Istanze protocollate in entrata nell'anno per i procedimenti disponibili online",
        "unit": "percent", "polarity": "higher", "level": "municipality",
        "data_source": "Protocollo informatico e back office dei servizi online", "bes": "BES_11",
        "missions": ["01"], "sdgs": [16], "tags": ["servizi digitali", "istanze", "protocollo"],
        "caveat": "Dipende da quanti procedimenti l'ente ha portato online: si legge insieme alla quota di servizi "
                  "online disponibili.",
        "place": AGENDA_DIGITALE, "proposer": "referente.piemonte", "days": 372,
        "value_source": "Protocollo informatico, estrazione annuale",
    },
    {
        "key": "attesa-cie", "name": "Giorni di attesa per un appuntamento per la carta d'identità elettronica",
        "short_name": "Attesa appuntamento CIE",
        "description": "Giorni che passano in media tra la prenotazione e l'appuntamento allo sportello per il "
                       "rilascio della **carta d'identità elettronica**, rilevati sull'agenda delle prenotazioni.",
        "typology": "output", "formula_kind": "description",
        "formula": "Media, sulle prenotazioni del trimestre, dei giorni tra la data della prenotazione e quella "
                   "dell'appuntamento.",
        "unit": "days", "polarity": "lower", "frequency": "quarterly", "level": "municipality",
        "data_source": "Agenda CIE del Ministero dell'interno e agenda degli sportelli comunali", "piao": "2.2",
        "bes": "BES_12", "missions": ["01"], "sdgs": [16], "tags": ["sportello", "anagrafe", "cie", "attese"],
        "caveat": "Le aperture straordinarie (open day) abbassano il valore del trimestre in cui si tengono.",
        "place": AGENDA_DIGITALE, "proposer": "alessia.moretti", "days": 366,
        "value_source": "Agenda delle prenotazioni, media del trimestre",
        "quarters": (6.0, 2.0, -5.0, -3.0),
    },
    {
        "key": "soddisfazione", "name": "Soddisfazione degli utenti dei servizi di sportello",
        "short_name": "Soddisfazione degli utenti",
        "description": "Giudizio medio degli utenti sui servizi di sportello, su una scala **da 1 a 10**, raccolto "
                       "con un questionario alla fine del servizio (D.Lgs. 150/2009, art. 19-bis).",
        "formula_kind": "description",
        "formula": "Media dei punteggi di soddisfazione complessiva dei questionari validi raccolti nell'anno.",
        "unit": "score", "polarity": "higher", "value_min": 1, "value_max": 10,
        "data_source": "Indagine di customer satisfaction dell'ente", "bes": "BES_12", "missions": ["01"],
        "sdgs": [16], "tags": ["soddisfazione", "customer satisfaction", "sportello"],
        "caveat": "Questionari diversi danno valori diversi: si confrontano enti che usano le stesse domande e la "
                  "stessa scala.",
        "place": VALORE_PUBBLICO, "proposer": "referente.matera", "days": 360,
        "value_source": "Questionario di fine servizio, media annua",
    },
    {
        "key": "accessi-portale", "name": "Accessi ai servizi online per abitante",
        "short_name": "Accessi ai servizi online",
        "description": "Accessi autenticati ai servizi online dell'ente nell'anno, per abitante residente.",
        "typology": "output", "numerator": "Accessi autenticati ai servizi online nell'anno",
        "denominator": "Popolazione residente al 1° gennaio", "unit": "number", "polarity": "higher",
        "data_source": "Web Analytics Italia (AgID) e log di autenticazione", "missions": ["01"], "sdgs": [9],
        "tags": ["servizi digitali", "portale", "accessi"],
        "caveat": "Gli accessi ripetuti della stessa persona contano più volte.",
        "place": AGENDA_DIGITALE, "proposer": "antonio.esposito", "days": 352,
        "value_source": "Web Analytics Italia, totale annuo",
    },
    {
        "key": "pagopa", "name": "Quota di incassi tramite pagoPA",
        "short_name": "Incassi con pagoPA",
        "description": "Quota delle entrate riscosse dall'ente attraverso la piattaforma **pagoPA** (CAD, art. 5) "
                       "sul totale delle riscossioni dirette.",
        "typology": "financial", "numerator": "Importo riscosso tramite pagoPA nell'anno",
        "denominator": "Importo delle riscossioni dirette nell'anno", "unit": "percent", "polarity": "higher",
        "data_source": "Giornale di cassa e rendicontazione pagoPA", "missions": ["01"], "sdgs": [9, 16],
        "tags": ["pagopa", "pagamenti digitali", "entrate"],
        "caveat": "Sono escluse le entrate riscosse dall'agente della riscossione.",
        "place": AGENDA_DIGITALE, "proposer": "referente.matera", "days": 345,
        "value_source": "Giornale di cassa e flussi di rendicontazione pagoPA",
    },
    {
        "key": "formazione", "name": "Ore di formazione per dipendente",
        "short_name": "Formazione per dipendente",
        "description": "Ore di formazione frequentate nell'anno per dipendente in servizio. La direttiva del "
                       "Ministro per la pubblica amministrazione del 14 gennaio 2025 indica almeno **40 ore** l'anno "
                       "per dipendente.",
        "typology": "output", "numerator": "Ore di formazione frequentate nell'anno (aula, online, Syllabus)",
        "denominator": "Dipendenti in servizio al 31 dicembre", "unit": "hours", "polarity": "higher",
        "data_source": "Registro della formazione e piattaforma Syllabus", "piao": "3.3", "bes": "BES_02",
        "missions": ["01"], "sdgs": [4, 8], "tags": ["formazione", "competenze", "syllabus", "personale"],
        "caveat": "Le ore di formazione obbligatoria (sicurezza, anticorruzione) sono comprese.",
        "place": FORMAZIONE, "proposer": "martina.rossi", "days": 340,
        "value_source": "Registro della formazione",
    },
    {
        "key": "durata-gare", "name": "Durata media delle procedure di gara",
        "short_name": "Durata delle gare",
        "description": "Giorni in media tra la pubblicazione del bando e l'aggiudicazione, per le procedure aperte "
                       "e ristrette aggiudicate nell'anno.",
        "typology": "output", "formula_kind": "description",
        "formula": "Media dei giorni tra pubblicazione e aggiudicazione delle procedure aggiudicate nell'anno.",
        "unit": "days", "polarity": "lower", "data_source": "BDNCP – Banca dati nazionale dei contratti pubblici "
                                                            "(ANAC) e piattaforma di e-procurement",
        "piao": "2.2", "missions": ["01"], "sdgs": [16], "tags": ["appalti", "gare", "centrale di committenza"],
        "caveat": "Le gare con ricorsi allungano la media: conviene guardare anche la mediana.",
        "place": APPALTI, "proposer": "roberto.chiesa", "days": 335,
        "value_source": "Piattaforma di e-procurement, gare aggiudicate nell'anno",
    },
    {
        "key": "refezione", "name": "Copertura del servizio di refezione scolastica",
        "short_name": "Copertura delle mense",
        "description": "Quota degli alunni della scuola primaria iscritti al servizio di refezione scolastica.",
        "typology": "outcome", "numerator": "Alunni della scuola primaria iscritti alla refezione",
        "denominator": "Alunni iscritti alla scuola primaria (statale e paritaria) nel territorio",
        "unit": "percent", "polarity": "higher", "level": "municipality",
        "data_source": "Anagrafe del servizio di ristorazione scolastica; Anagrafe nazionale degli studenti",
        "bes": "BES_12", "missions": ["04"], "sdgs": [2, 4], "tags": ["scuola", "mense", "tempo pieno"],
        "caveat": "Dipende dalla diffusione del tempo pieno, che l'ente non decide da solo.",
        "place": ASK, "proposer": "referente.bologna", "days": 330,
        "value_source": "Iscritti al servizio all'inizio dell'anno scolastico",
    },
    {
        "key": "uscita-precoce", "name": "Tasso di uscita precoce dal sistema di istruzione e formazione",
        "short_name": "Dispersione scolastica",
        "description": "Quota dei giovani di 18–24 anni con al più la licenza media che non frequentano corsi di "
                       "istruzione o formazione. L'obiettivo europeo è di scendere **sotto il 9%** entro il 2030.",
        "numerator": "Giovani di 18–24 anni con al più la licenza media, fuori da istruzione e formazione",
        "denominator": "Popolazione di 18–24 anni", "unit": "percent", "polarity": "lower", "level": "region",
        "data_source": "ISTAT, Rilevazione sulle forze di lavoro", "bes": "BES_02", "missions": ["04"],
        "sdgs": [4], "tags": ["scuola", "dispersione", "giovani"],
        "caveat": "Stima campionaria: le variazioni di pochi decimi tra un anno e l'altro non sono significative.",
        "place": ASK, "proposer": "referente.piemonte", "days": 326,
        "value_source": "ISTAT, Rilevazione sulle forze di lavoro", "source_url": ISTAT,
    },
    {
        "key": "edifici-scolastici", "name": "Edifici scolastici superiori con certificato di prevenzione incendi",
        "short_name": "Scuole con CPI",
        "description": "Quota degli edifici delle scuole secondarie di secondo grado di competenza dell'ente con "
                       "certificato di prevenzione incendi valido.",
        "typology": "physical", "numerator": "Edifici scolastici con certificato di prevenzione incendi valido",
        "denominator": "Edifici scolastici di competenza", "unit": "percent", "polarity": "higher",
        "level": "metropolitan_city", "data_source": "Anagrafe dell'edilizia scolastica", "missions": ["04"],
        "sdgs": [4, 11], "tags": ["edilizia scolastica", "sicurezza", "scuola"],
        "place": ASK, "proposer": "referente.cmtorino", "days": 322,
        "value_source": "Anagrafe dell'edilizia scolastica al 31 dicembre",
    },
    {
        "key": "borse-studio", "name": "Copertura delle borse di studio universitarie",
        "short_name": "Idonei beneficiari",
        "description": "Quota degli studenti idonei alla borsa di studio per il diritto allo studio universitario "
                       "che la ricevono (D.Lgs. 68/2012).",
        "numerator": "Studenti idonei beneficiari della borsa", "denominator": "Studenti idonei alla borsa",
        "unit": "percent", "polarity": "higher", "level": "region",
        "data_source": "Ente regionale per il diritto allo studio universitario", "bes": "BES_02",
        "missions": ["04"], "sdgs": [4, 10], "tags": ["università", "diritto allo studio", "borse di studio"],
        "place": ASK, "proposer": "silvia.marchetti", "days": 318,
        "value_source": "Graduatorie definitive dell'anno accademico",
    },
    {
        "key": "permessi", "name": "Tempo medio di rilascio dei permessi di costruire",
        "short_name": "Rilascio permessi di costruire",
        "description": "Giorni in media tra la presentazione della domanda di permesso di costruire e il rilascio "
                       "del provvedimento. Il DPR 380/2001 (art. 20) fissa 60 giorni per l'istruttoria e 30 per il "
                       "provvedimento finale.",
        "typology": "output", "formula_kind": "description",
        "formula": "Media dei giorni di calendario tra la prima presentazione della domanda e il rilascio, per i "
                   "permessi rilasciati nell'anno.",
        "unit": "days", "polarity": "lower", "level": "municipality", "data_source": "SUE – Sportello unico per "
                                                                                   "l'edilizia",
        "piao": "2.2", "missions": ["08"], "sdgs": [11], "tags": ["edilizia", "permessi", "sue", "tempi"],
        "caveat": "Le sospensioni per integrazioni documentali sono comprese nel tempo.",
        "place": ASK, "proposer": "referente.torino", "days": 314,
        "value_source": "SUE, permessi rilasciati nell'anno",
        "version_2": {
            "days": 100,
            "description": "Giorni in media tra la presentazione della domanda **completa** di permesso di "
                           "costruire e il rilascio del provvedimento, **al netto delle sospensioni** per "
                           "integrazioni documentali. Il DPR 380/2001 (art. 20) fissa 60 giorni per l'istruttoria "
                           "e 30 per il provvedimento finale.",
            "formula": "Media dei giorni di calendario tra la presentazione della domanda completa e il rilascio, "
                       "tolti i giorni di sospensione, per i permessi rilasciati nell'anno.",
            "caveat": "Dal 2025 (versione 2) i giorni di sospensione sono esclusi: i valori non si confrontano con "
                      "quelli della versione 1.",
            "change_note": "Il tempo si conta dalla domanda completa e senza i giorni di sospensione per "
                           "integrazioni, come chiesto nel laboratorio della missione 08: così il valore misura i "
                           "tempi dell'ufficio e non quelli dei richiedenti.",
            "breaks_series": True,
        },
    },
    {
        "key": "sue-online", "name": "Quota di pratiche edilizie presentate al SUE telematico",
        "short_name": "Pratiche edilizie online",
        "description": "Quota delle pratiche edilizie (permessi, SCIA, CILA) presentate per via telematica allo "
                       "Sportello unico per l'edilizia.",
        "typology": "output", "numerator": "Pratiche edilizie presentate al SUE telematico nell'anno",
        "denominator": "Pratiche edilizie presentate nell'anno", "unit": "percent", "polarity": "higher",
        "level": "municipality", "data_source": "SUE – Sportello unico per l'edilizia", "missions": ["08"],
        "sdgs": [9, 11], "tags": ["edilizia", "sue", "servizi digitali"],
        "place": ASK, "proposer": "francesca.demaria", "days": 310,
        "value_source": "SUE, pratiche presentate nell'anno",
    },
    {
        "key": "cdu", "name": "Tempo medio di rilascio dei certificati di destinazione urbanistica",
        "short_name": "Rilascio CDU",
        "description": "Giorni in media tra la richiesta e il rilascio del certificato di destinazione "
                       "urbanistica; il termine è di 30 giorni (DPR 380/2001, art. 30).",
        "typology": "output", "formula_kind": "description",
        "formula": "Media dei giorni tra la richiesta e il rilascio dei certificati rilasciati nell'anno.",
        "unit": "days", "polarity": "lower", "level": "municipality", "data_source": "SUE e protocollo informatico",
        "piao": "2.2", "missions": ["08"], "sdgs": [11], "tags": ["urbanistica", "certificati", "tempi"],
        "place": ASK, "proposer": "giuseppe.lorusso", "days": 306,
    },
    {
        "key": "consumo-suolo", "name": "Suolo consumato sulla superficie territoriale",
        "short_name": "Suolo consumato",
        "description": "Quota della superficie territoriale coperta artificialmente (edifici, strade, piazzali), "
                       "come la stima ogni anno il Sistema nazionale per la protezione dell'ambiente.",
        "numerator": "Superficie di suolo consumato (ettari)", "denominator": "Superficie territoriale (ettari)",
        "unit": "percent", "polarity": "lower", "data_source": "ISPRA – SNPA, Rapporto sul consumo di suolo",
        "bes": "BES_10", "missions": ["08", "09"], "sdgs": [11, 15], "tags": ["suolo", "urbanistica", "ambiente"],
        "caveat": "Stima da immagini satellitari: le revisioni della cartografia cambiano anche i valori degli anni "
                  "precedenti.",
        "place": ASK, "proposer": "andrea.gallo", "days": 302,
        "value_source": "ISPRA – SNPA, Rapporto sul consumo di suolo",
    },
    {
        "key": "raccolta-differenziata", "name": "Quota di raccolta differenziata dei rifiuti urbani",
        "short_name": "Raccolta differenziata",
        "description": "Quota dei rifiuti urbani raccolti in modo differenziato, calcolata con il metodo del DM 26 "
                       "maggio 2016. L'obiettivo nazionale è del **65%** (D.Lgs. 152/2006, art. 205).",
        "numerator": "Rifiuti urbani raccolti in modo differenziato (tonnellate)",
        "denominator": "Rifiuti urbani prodotti (tonnellate)", "unit": "percent", "polarity": "higher",
        "data_source": "ISPRA – Catasto rifiuti", "bes": "BES_10", "external_code": "10AMB017",
        "missions": ["09"], "sdgs": [11, 12], "tags": ["rifiuti", "raccolta differenziata", "ambiente"],
        "caveat": "Il compostaggio domestico conta solo dove l'ente lo censisce: chi non lo censisce parte "
                  "svantaggiato.",
        "place": ASK, "proposer": "referente.torino", "days": 298,
        "value_source": "ISPRA – Catasto rifiuti, dati comunali", "source_url": ISPRA,
    },
    {
        "key": "rifiuti-pro-capite", "name": "Rifiuti urbani prodotti per abitante",
        "short_name": "Rifiuti pro capite",
        "description": "Chilogrammi di rifiuti urbani prodotti nell'anno per abitante residente.",
        "numerator": "Rifiuti urbani prodotti nell'anno (kg)", "denominator": "Popolazione residente media",
        "unit": "number", "polarity": "lower", "data_source": "ISPRA – Catasto rifiuti", "bes": "BES_10",
        "missions": ["09"], "sdgs": [12], "tags": ["rifiuti", "ambiente", "prevenzione"],
        "caveat": "Le città turistiche producono più rifiuti per residente: le presenze turistiche non sono nel "
                  "denominatore.",
        "place": ASK, "proposer": "referente.matera", "days": 294,
        "value_source": "ISPRA – Catasto rifiuti, dati comunali", "source_url": ISPRA,
    },
    {
        "key": "verde-urbano", "name": "Disponibilità di verde urbano per abitante",
        "short_name": "Verde urbano",
        "description": "Metri quadrati di verde urbano fruibile (parchi, giardini, verde attrezzato) per abitante.",
        "typology": "physical", "numerator": "Superficie di verde urbano fruibile (m²)",
        "denominator": "Popolazione residente al 31 dicembre", "unit": "number", "polarity": "higher",
        "level": "municipality", "data_source": "ISTAT, Dati ambientali nelle città; censimento del verde",
        "bes": "BES_10", "missions": ["09"], "sdgs": [11], "tags": ["verde", "ambiente", "città"],
        "place": ASK, "proposer": "martina.rossi", "days": 290,
        "value_source": "Censimento del verde dell'ente",
    },
    {
        "key": "passeggeri-tpl", "name": "Passeggeri del trasporto pubblico locale per abitante",
        "short_name": "Passeggeri del TPL",
        "description": "Passeggeri annui trasportati dal trasporto pubblico locale (autobus, tram, metropolitana) "
                       "per abitante.",
        "numerator": "Passeggeri trasportati nell'anno", "denominator": "Popolazione residente media",
        "unit": "number", "polarity": "higher", "level": "municipality",
        "data_source": "ISTAT, Dati ambientali nelle città; dati dell'azienda di trasporto", "bes": "BES_12",
        "missions": ["10"], "sdgs": [11], "tags": ["mobilità", "trasporto pubblico", "tpl"],
        "caveat": "Le città con molti pendolari in entrata hanno più passeggeri per residente.",
        "place": ASK, "proposer": "alessia.moretti", "days": 286,
        "value_source": "Azienda di trasporto, validazioni e stime dei titoli",
    },
    {
        "key": "piste-ciclabili", "name": "Densità di piste ciclabili",
        "short_name": "Piste ciclabili",
        "description": "Chilometri di piste ciclabili ogni 100 km² di superficie comunale.",
        "typology": "physical", "numerator": "Chilometri di piste ciclabili al 31 dicembre",
        "denominator": "Superficie comunale (km²)", "unit": "per_100", "polarity": "higher",
        "level": "municipality", "data_source": "ISTAT, Dati ambientali nelle città; ufficio mobilità",
        "bes": "BES_10", "missions": ["10"], "sdgs": [11, 13], "tags": ["mobilità", "biciclette", "ciclabili"],
        "place": ASK, "proposer": "lorenzo.fabbri", "days": 282,
        "value_source": "Ufficio mobilità, rete ciclabile al 31 dicembre",
    },
    {
        "key": "posti-km", "name": "Posti-km offerti dal trasporto pubblico locale per abitante",
        "short_name": "Offerta di TPL",
        "description": "Posti disponibili sui mezzi del trasporto pubblico locale moltiplicati per i chilometri "
                       "percorsi nell'anno, per abitante (misura BES dei territori).",
        "typology": "output", "numerator": "Posti-km offerti nell'anno", "denominator": "Popolazione residente",
        "unit": "number", "polarity": "higher", "level": "metropolitan_city",
        "data_source": "ISTAT, BES dei territori", "bes": "BES_12", "external_code": "12SER008",
        "missions": ["10"], "sdgs": [11], "tags": ["mobilità", "trasporto pubblico", "bes"],
        "place": ASK, "proposer": "roberto.chiesa", "days": 278,
        "value_source": "ISTAT, BES dei territori", "source_url": ISTAT,
    },
    {
        "key": "trasporti-eccezionali", "name": "Tempo medio di rilascio delle autorizzazioni ai trasporti eccezionali",
        "short_name": "Autorizzazioni trasporti eccezionali",
        "description": "Giorni in media tra la domanda e il rilascio delle autorizzazioni ai trasporti "
                       "eccezionali sulle strade di competenza (Codice della strada, art. 10).",
        "typology": "output", "formula_kind": "description",
        "formula": "Media dei giorni tra domanda e rilascio delle autorizzazioni rilasciate nell'anno.",
        "unit": "days", "polarity": "lower", "level": "metropolitan_city",
        "data_source": "Gestionale delle autorizzazioni dell'ente", "piao": "2.2", "missions": ["10"],
        "sdgs": [9], "tags": ["viabilità", "autorizzazioni", "imprese"],
        "place": ASK, "proposer": "referente.cmtorino", "days": 274,
        "value_source": "Gestionale delle autorizzazioni",
    },
    {
        "key": "posti-nido", "name": "Posti nei servizi educativi per la prima infanzia ogni 100 bambini di 0–2 anni",
        "short_name": "Posti nido",
        "description": "Posti autorizzati nei nidi e nei servizi integrativi, pubblici e privati, ogni 100 bambini "
                       "residenti di 0–2 anni. Il livello essenziale è di **33 posti** ogni 100 bambini entro il "
                       "2027 (L. 234/2021, art. 1, comma 172).",
        "typology": "outcome", "numerator": "Posti autorizzati nei servizi educativi per la prima infanzia",
        "denominator": "Bambini residenti di 0–2 anni al 1° gennaio", "unit": "per_100", "polarity": "higher",
        "level": "municipality", "data_source": "ISTAT, Indagine sui servizi educativi per la prima infanzia",
        "bes": "BES_12", "missions": ["12"], "sdgs": [4, 5], "tags": ["nidi", "infanzia", "conciliazione"],
        "caveat": "Comprende i posti privati autorizzati, che l'ente non gestisce.",
        "place": ASK, "proposer": "referente.bologna", "days": 270,
        "value_source": "Servizi educativi dell'ente e ISTAT", "source_url": ISTAT,
    },
    {
        "key": "utilizzo-nido", "name": "Tasso di utilizzo dei posti nido comunali",
        "short_name": "Utilizzo dei posti nido",
        "description": "Quota dei posti dei nidi comunali occupati da bambini iscritti e frequentanti. Un valore "
                       "**tra 85 e 98** indica un servizio pieno ma con margine per gli inserimenti nel corso "
                       "dell'anno; sotto la fascia i posti restano vuoti, sopra non c'è posto per chi arriva.",
        "typology": "output", "numerator": "Bambini iscritti e frequentanti a ottobre",
        "denominator": "Posti disponibili nei nidi comunali", "unit": "percent", "polarity": "range",
        "range_low": 85, "range_high": 98, "level": "municipality",
        "data_source": "Gestionale delle iscrizioni ai servizi educativi", "piao": "2.2", "missions": ["12"],
        "sdgs": [4], "tags": ["nidi", "infanzia", "efficienza"],
        "place": ASK, "proposer": "martina.rossi", "days": 266,
        "value_source": "Gestionale delle iscrizioni, rilevazione di ottobre",
    },
    {
        "key": "spesa-sociale", "name": "Spesa sociale dei Comuni per abitante",
        "short_name": "Spesa sociale pro capite",
        "description": "Spesa per interventi e servizi sociali dei Comuni, singoli e associati, per abitante, "
                       "al netto della compartecipazione degli utenti e del Servizio sanitario nazionale.",
        "typology": "financial", "numerator": "Spesa per interventi e servizi sociali nell'anno (euro)",
        "denominator": "Popolazione residente", "unit": "euros", "polarity": "higher", "level": "municipality",
        "data_source": "ISTAT, Indagine sugli interventi e i servizi sociali dei Comuni singoli e associati",
        "missions": ["12"], "sdgs": [1, 10], "tags": ["servizi sociali", "spesa", "welfare"],
        "caveat": "Una spesa più alta non è di per sé un risultato migliore: va letta con i bisogni del territorio "
                  "e con gli utenti serviti.",
        "place": ASK, "proposer": "antonio.esposito", "days": 262,
        "value_source": "Rendiconto, missione 12", "source_url": ISTAT,
    },
    {
        "key": "assistenza-domiciliare", "name": "Anziani in assistenza domiciliare ogni 100 anziani",
        "short_name": "Assistenza domiciliare",
        "description": "Anziani di 65 anni e più assistiti dal servizio di assistenza domiciliare socio-"
                       "assistenziale del Comune ogni 100 residenti della stessa età.",
        "numerator": "Anziani di 65 anni e più assistiti a domicilio nell'anno",
        "denominator": "Residenti di 65 anni e più al 1° gennaio", "unit": "per_100", "polarity": "higher",
        "level": "municipality", "data_source": "Cartella sociale informatizzata", "missions": ["12"],
        "sdgs": [3, 10], "tags": ["anziani", "domiciliarità", "servizi sociali"],
        "place": ASK, "proposer": "francesca.demaria", "days": 258,
        "value_source": "Cartella sociale informatizzata",
    },
    {
        "key": "suap", "name": "Quota di pratiche SUAP concluse nei termini",
        "short_name": "SUAP nei termini",
        "description": "Quota dei procedimenti dello Sportello unico per le attività produttive conclusi entro i "
                       "termini del DPR 160/2010.",
        "typology": "output", "numerator": "Procedimenti SUAP conclusi nei termini nell'anno",
        "denominator": "Procedimenti SUAP conclusi nell'anno", "unit": "percent", "polarity": "higher",
        "level": "municipality", "data_source": "SUAP – impresainungiorno.gov.it e back office dell'ente",
        "piao": "2.2", "missions": ["14"], "sdgs": [8, 16], "tags": ["imprese", "suap", "tempi"],
        "place": ASK, "proposer": "referente.torino", "days": 254,
        "value_source": "Back office SUAP, procedimenti conclusi nell'anno",
    },
    {
        "key": "startup", "name": "Start-up innovative ogni 1.000 società di capitali",
        "short_name": "Start-up innovative",
        "description": "Start-up innovative iscritte alla sezione speciale del Registro delle imprese (DL 179/2012, "
                       "art. 25) con sede nel territorio, ogni 1.000 società di capitali attive.",
        "numerator": "Start-up innovative iscritte al 31 dicembre", "denominator": "Società di capitali attive al "
                                                                                 "31 dicembre",
        "unit": "per_1000", "polarity": "higher", "data_source": "Registro delle imprese, sezione speciale "
                                                                 "(InfoCamere)",
        "bes": "BES_11", "missions": ["14"], "sdgs": [8, 9], "tags": ["imprese", "innovazione", "start-up"],
        "caveat": "Dopo cinque anni una start-up esce dalla sezione speciale: il valore scende anche quando le "
                  "imprese crescono.",
        "place": ASK, "proposer": "silvia.marchetti", "days": 250,
        "value_source": "Registro delle imprese, sezione speciale",
    },
    {
        "key": "contributi-imprese", "name": "Tempo medio di erogazione dei contributi alle imprese",
        "short_name": "Erogazione contributi",
        "description": "Giorni in media tra la presentazione della domanda completa e il pagamento del contributo, "
                       "per i bandi regionali rivolti alle imprese.",
        "typology": "output", "formula_kind": "description",
        "formula": "Media dei giorni tra domanda completa e pagamento, per i contributi pagati nell'anno.",
        "unit": "days", "polarity": "lower", "level": "region",
        "data_source": "Sistema regionale di gestione dei bandi; Registro nazionale degli aiuti di Stato",
        "piao": "2.2", "missions": ["14"], "sdgs": [8], "tags": ["imprese", "contributi", "bandi", "tempi"],
        "caveat": "I bandi a sportello e quelli a graduatoria hanno tempi diversi.",
        "place": ASK, "proposer": "referente.piemonte", "days": 246,
        "value_source": "Sistema di gestione dei bandi",
    },
    # ---- proposals, with their discussion ----------------------------------------------------------------
    {
        "key": "presa-in-carico", "status": "proposed",
        "name": "Giorni tra la richiesta e la presa in carico da parte del servizio sociale",
        "short_name": "Presa in carico sociale",
        "description": "Giorni in media tra la prima richiesta di aiuto al servizio sociale e il primo colloquio "
                       "con l'assistente sociale.",
        "typology": "output", "formula_kind": "description",
        "formula": "Media dei giorni tra la registrazione della richiesta e il primo colloquio, per le prese in "
                   "carico dell'anno.",
        "unit": "days", "polarity": "lower", "level": "municipality", "data_source": "Cartella sociale "
                                                                                   "informatizzata",
        "piao": "2.1", "missions": ["12"], "sdgs": [1, 10], "tags": ["servizi sociali", "accesso", "tempi"],
        "place": VALORE_PUBBLICO, "proposer": "lorenzo.fabbri", "days": 24,
        "comments": [
            ("referente.matera", 20, "Proposta utile. Come trattate le richieste urgenti (tutela dei minori, "
                                     "sfratti), che hanno tempi propri? Suggerirei di escluderle o di misurarle a "
                                     "parte."),
            ("lorenzo.fabbri", 18, "Giusto: le escludiamo dal calcolo e aggiungiamo nella descrizione che le "
                                   "urgenze hanno un indicatore dedicato."),
            ("referente.bologna", 15, "Nella nostra cartella sociale la data del primo colloquio c'è già: possiamo "
                                      "dare i valori del 2023–2025 per una prova."),
        ],
    },
    {
        "key": "alloggi-erp", "status": "in_review",
        "name": "Tempo medio di assegnazione degli alloggi di edilizia residenziale pubblica",
        "short_name": "Assegnazione alloggi ERP",
        "description": "Giorni in media tra la disponibilità di un alloggio libero e agibile e la firma del "
                       "contratto con il nuovo assegnatario in graduatoria.",
        "typology": "output", "formula_kind": "description",
        "formula": "Media dei giorni tra la riconsegna dell'alloggio ristrutturato e la firma del contratto, per "
                   "gli alloggi assegnati nell'anno.",
        "unit": "days", "polarity": "lower", "level": "municipality",
        "data_source": "Gestionale dell'edilizia residenziale pubblica", "piao": "2.2", "missions": ["08", "12"],
        "sdgs": [1, 11], "tags": ["casa", "erp", "alloggi", "tempi"],
        "place": ASK, "proposer": "antonio.esposito", "days": 40, "review_days": 30, "reviewer": "serena.caputo",
        "comments": [
            ("serena.caputo", 30, "La prendiamo in esame per il laboratorio della missione 08. Chiarite il punto "
                                  "di partenza: la pubblicazione della graduatoria o la disponibilità "
                                  "dell'alloggio?"),
            ("antonio.esposito", 27, "Dalla disponibilità dell'alloggio libero e agibile: il tempo di ripristino "
                                     "dipende dall'ente gestore e lo misureremmo con un altro indicatore."),
            ("referente.torino", 22, "A Torino misuriamo anche i giorni di alloggio sfitto in ripristino: "
                                     "possiamo proporlo come indicatore collegato."),
        ],
    },
]

# Adoptions in the PIAO 2024 (baseline 2023, the 2023 value; targets 2024, 2025, 2026), with the values of 2023,
# 2024 and 2025: (organisation, responsible office, targets, values, options). Options: "open_data"; "provisional"
# (the 2025 values are still provisional); "bases": the denominators of the three years (values then stored with
# numerator and denominator); "notes"; "days": recorded on the platform so many days ago (default: by its order).
ADOPTIONS: dict[str, list[tuple]] = {
    "pagamenti": [
        (TORINO, "Divisione Bilancio – Servizio pagamenti", (45, 38, 32), (52.4, 44.1, 38.7), {"open_data": True}),
        (BOLOGNA, "Area Programmazione, controlli e statistica", (28, 27, 26), (28.5, 26.1, 24.9),
         {"open_data": True}),
        (MILANO, "Direzione Bilancio e partecipate – Area ragioneria", (32, 30, 30), (35.2, 31.0, 29.4), {}),
        (NAPOLI, "Area Ragioneria – Servizio liquidazioni e pagamenti", (65, 50, 40), (78.6, 61.2, 49.8),
         {"provisional": True, "notes": "Obiettivo assegnato a tutti i dirigenti che liquidano fatture, come "
                                        "chiede il DL 13/2023 (art. 4-bis)."}),
        (PIEMONTE, "Direzione Risorse finanziarie e patrimonio", (30, 28, 26), (31.4, 27.9, 25.3), {}),
        (CM_TORINO, "Dipartimento Risorse finanziarie", (36, 33, 30), (40.5, 35.2, 33.0), {}),
    ],
    "itp": [
        (BOLOGNA, "Area Programmazione, controlli e statistica", (-6, -6.5, -7), (-6.2, -7.5, -8.1), {}),
        (TORINO, "Divisione Bilancio – Servizio pagamenti", (8, 3, 0), (12.4, 4.8, -1.2), {"provisional": True}),
        (PIEMONTE, "Direzione Risorse finanziarie e patrimonio", (-2, -3, -3.5), (-2.1, -3.4, -4.0), {}),
    ],
    "spid": [
        (TORINO, "Divisione Servizi digitali", (85, 92, 100), (78.0, 86.3, 93.1),
         {"bases": (118, 124, 131), "open_data": True}),
        (MILANO, "Direzione Innovazione tecnologica e digitale", (90, 95, 100), (85.2, 92.3, 97.0),
         {"bases": (210, 222, 230)}),
        (BOLOGNA, "Area Agenda digitale e tecnologie", (92, 96, 100), (88.5, 94.1, 98.1), {"bases": (96, 101, 104)}),
        (MATERA, "Ufficio Transizione digitale", (70, 80, 90), (60.5, 75.0, 84.3), {"bases": (38, 44, 51)}),
        (PIEMONTE, "Settore Sistema informativo regionale", (80, 88, 95), (70.3, 82.9, 89.5),
         {"bases": (64, 70, 76)}),
    ],
    "pratiche-online": [
        (TORINO, "Divisione Servizi digitali", (50, 58, 65), (42.5, 51.3, 58.9), {}),
        (BOLOGNA, "Area Agenda digitale e tecnologie", (60, 65, 70), (55.1, 61.8, 66.4), {}),
        (MATERA, "Ufficio Transizione digitale", (30, 38, 45), (23.4, 31.0, 39.7), {}),
        (ALBA, "Servizio Sistemi informativi", (25, 32, 40), (18.2, 27.5, 33.1), {"provisional": True}),
    ],
    "attesa-cie": [
        (MILANO, "Direzione Servizi civici – Anagrafe", (30, 20, 15), (45, 28, 16), {"provisional": True}),
        (NAPOLI, "Servizio Anagrafe e stato civile", (45, 30, 20), (62, 40, 25), {}),
    ],
    "soddisfazione": [
        (MATERA, "Ufficio Controllo di gestione", (7.3, 7.5, 7.8), (7.1, 7.4, 7.6), {}),
        (BOLOGNA, "Area Programmazione, controlli e statistica", (7.8, 8.0, 8.0), (7.6, 7.8, 7.7),
         {"open_data": True}),
    ],
    "accessi-portale": [
        (TORINO, "Divisione Servizi digitali", (4.8, 5.5, 6.2), (4.2, 5.1, 5.9), {}),
    ],
    "pagopa": [
        (ALBA, "Servizio Finanziario", (75, 85, 90), (64.0, 78.5, 86.2), {}),
        (MATERA, "Settore Risorse finanziarie", (65, 75, 85), (52.3, 66.8, 79.4), {"provisional": True}),
    ],
    "formazione": [
        (BOLOGNA, "Area Personale e organizzazione", (24, 32, 40), (18.5, 27.0, 36.2), {}),
        (PIEMONTE, "Direzione Personale e formazione", (20, 30, 40), (14.2, 22.8, 31.5), {}),
        (CM_TORINO, "Servizio Risorse umane", (16, 24, 40), (11.0, 16.4, 24.9), {"provisional": True}),
    ],
    "durata-gare": [
        (CM_TORINO, "Stazione unica appaltante", (155, 140, 125), (168, 149, 131), {}),
        (TORINO, "Divisione Appalti ed economato", (180, 165, 150), (192, 171, 160), {}),
    ],
    "refezione": [
        (BOLOGNA, "Area Educazione, istruzione e nuove generazioni", (89, 90, 91), (88.4, 89.1, 89.9), {}),
        (TORINO, "Divisione Servizi educativi", (74, 76, 78), (72.5, 74.0, 75.8), {}),
        (MILANO, "Direzione Educazione", (91, 92, 92), (90.2, 91.0, 91.4), {}),
    ],
    "uscita-precoce": [
        (PIEMONTE, "Direzione Istruzione, formazione e lavoro", (9.8, 9.4, 9.0), (10.1, 9.6, 9.2),
         {"provisional": True, "open_data": True}),
        (TOSCANA, "Direzione Istruzione, formazione, ricerca e lavoro", (9.5, 9.2, 9.0), (9.9, 9.1, 8.8),
         {"provisional": True}),
    ],
    "edifici-scolastici": [
        (CM_TORINO, "Dipartimento Edilizia scolastica", (46, 52, 60), (41.2, 47.8, 55.3), {}),
    ],
    "borse-studio": [
        (PIEMONTE, "Settore Diritto allo studio universitario", (100, 100, 100), (96.4, 100, 100), {}),
        (TOSCANA, "Settore Diritto allo studio universitario", (100, 100, 100), (100, 100, 100), {}),
    ],
    "permessi": [
        (TORINO, "Sportello unico per l'edilizia", (105, 95, 90), (118, 104, 96), {}),
        (BOLOGNA, "Settore Servizi per l'edilizia", (88, 84, 80), (92, 85, 81), {}),
        (NAPOLI, "Servizio Sportello unico edilizia", (150, 130, 110), (165, 142, 128), {"provisional": True}),
        # recorded after version 2, which it adopts
        (ALBA, "Ripartizione Urbanistica ed edilizia privata", (65, 60, 60), (74, 66, 58), {"days": 60}),
    ],
    "sue-online": [
        (ALBA, "Ripartizione Urbanistica ed edilizia privata", (90, 95, 100), (81.0, 92.5, 98.7), {}),
    ],
    "consumo-suolo": [
        (PIEMONTE, "Direzione Ambiente, energia e territorio", (6.75, 6.75, 6.75), (6.73, 6.75, 6.76), {}),
        (CM_TORINO, "Dipartimento Territorio, edilizia e viabilità", (9.54, 9.54, 9.54), (9.52, 9.54, 9.55), {}),
    ],
    "raccolta-differenziata": [
        (TORINO, "Divisione Ambiente – Servizio igiene urbana", (57, 60, 65), (54.6, 55.8, 57.2),
         {"bases": (402000, 398500, 395200), "open_data": True}),
        (BOLOGNA, "Settore Ambiente e verde", (74, 75, 76), (72.8, 73.5, 74.1),
         {"bases": (196300, 194100, 193000), "open_data": True}),
        (MILANO, "Direzione Transizione ambientale", (63, 64, 65), (62.3, 62.9, 63.5),
         {"bases": (672000, 668400, 664900), "open_data": True}),
        (NAPOLI, "Servizio Igiene della città", (42, 46, 50), (38.1, 40.6, 43.2),
         {"bases": (498000, 494200, 489700), "provisional": True}),
        (MATERA, "Settore Ambiente", (65, 68, 70), (61.5, 65.2, 68.9), {"bases": (27800, 27400, 27100)}),
        (ALBA, "Servizio Ambiente", (78, 79, 80), (76.9, 78.2, 79.0), {}),
        (PIEMONTE, "Settore Servizi ambientali", (68, 70, 72), (67.2, 68.4, 69.1), {}),
    ],
    "rifiuti-pro-capite": [
        (TORINO, "Divisione Ambiente – Servizio igiene urbana", (465, 455, 445), (473, 466, 459), {}),
        (BOLOGNA, "Settore Ambiente e verde", (535, 525, 515), (545, 536, 529), {}),
        (MATERA, "Settore Ambiente", (425, 415, 405), (431, 422, 418), {}),
    ],
    "verde-urbano": [
        (BOLOGNA, "Settore Ambiente e verde", (38.5, 39, 39.5), (38.2, 38.6, 39.3), {}),
        (MILANO, "Direzione Verde e ambiente", (18.5, 19, 19.5), (18.1, 18.4, 18.9), {}),
    ],
    "passeggeri-tpl": [
        (TORINO, "Divisione Mobilità", (225, 235, 245), (213, 229, 236), {"open_data": True}),
        (MILANO, "Direzione Mobilità e trasporti", (420, 440, 460), (402, 431, 448), {"open_data": True}),
        (BOLOGNA, "Settore Mobilità sostenibile e infrastrutture", (255, 265, 275), (248, 262, 270), {}),
        (NAPOLI, "Servizio Mobilità sostenibile", (125, 135, 145), (119, 127, 133), {"provisional": True}),
    ],
    "piste-ciclabili": [
        (BOLOGNA, "Settore Mobilità sostenibile e infrastrutture", (140, 150, 160), (135.2, 142.6, 151.0),
         {"bases": (140.86, 140.86, 140.86), "open_data": True}),
        (MILANO, "Direzione Mobilità e trasporti", (170, 180, 190), (164.0, 171.3, 180.4),
         {"bases": (181.67, 181.67, 181.67)}),
        (TORINO, "Divisione Mobilità", (175, 182, 190), (168.5, 175.9, 183.2), {"bases": (130.01, 130.01, 130.01)}),
    ],
    "posti-km": [
        (CM_TORINO, "Dipartimento Mobilità e trasporti", (4700, 4800, 4900), (4580, 4720, 4790), {}),
    ],
    "trasporti-eccezionali": [
        (CM_TORINO, "Dipartimento Territorio, edilizia e viabilità", (12, 10, 9), (14.5, 11.2, 9.8), {}),
    ],
    "posti-nido": [
        (BOLOGNA, "Area Educazione, istruzione e nuove generazioni", (46, 47, 48), (44.8, 46.2, 47.5),
         {"bases": (7650, 7480, 7320), "open_data": True}),
        (TORINO, "Divisione Servizi educativi", (35, 37, 40), (33.1, 35.4, 37.2),
         {"bases": (17200, 16700, 16300), "open_data": True}),
        (MILANO, "Direzione Educazione", (42, 43, 45), (41.2, 42.0, 43.1), {"bases": (32100, 31400, 30800)}),
        (NAPOLI, "Servizio Educativo e scuola comunale", (12, 16, 22), (9.8, 12.4, 15.6),
         {"bases": (25500, 24700, 24000), "provisional": True,
          "notes": "I nuovi posti finanziati dal PNRR (M4C1, investimento 1.1) entrano in funzione nel 2025–2026."}),
        (MATERA, "Settore Servizi educativi", (28, 31, 33), (24.6, 28.9, 33.5), {"bases": (1380, 1340, 1310)}),
    ],
    "utilizzo-nido": [
        (BOLOGNA, "Area Educazione, istruzione e nuove generazioni", (92, 93, 94), (93.2, 94.5, 95.1), {}),
        (TORINO, "Divisione Servizi educativi", (86, 88, 90), (81.4, 86.9, 90.2), {}),
    ],
    "spesa-sociale": [
        (NAPOLI, "Area Welfare", (110, 120, 130), (98.5, 112.3, 121.0), {"provisional": True}),
        (BOLOGNA, "Area Welfare e promozione del benessere di comunità", (295, 305, 315), (287.4, 301.2, 312.8), {}),
        (TORINO, "Divisione Servizi sociali", (220, 228, 235), (214.6, 221.9, 230.5), {}),
    ],
    "assistenza-domiciliare": [
        (TORINO, "Divisione Servizi sociali", (2.0, 2.3, 2.6), (1.8, 2.1, 2.4), {}),
    ],
    "suap": [
        (TORINO, "Divisione Commercio – SUAP", (88, 90, 92), (86.3, 89.1, 91.7),
         {"bases": (14200, 14850, 15300), "open_data": True}),
        (ALBA, "Sportello unico per le attività produttive", (92, 94, 95), (91.0, 93.4, 95.2),
         {"bases": (1120, 1180, 1205)}),
        (MATERA, "SUAP", (82, 86, 90), (78.5, 84.2, 88.9), {"bases": (1630, 1710, 1780)}),
    ],
    "startup": [
        (PIEMONTE, "Direzione Competitività del sistema regionale", (12, 12.5, 13), (11.8, 12.3, 12.1), {}),
        (TORINO, "Divisione Sviluppo economico", (16.5, 17, 17.5), (16.2, 16.9, 17.4), {}),
        (MILANO, "Direzione Economia urbana e lavoro", (25, 26, 27), (24.5, 25.8, 26.3), {}),
    ],
    "contributi-imprese": [
        (PIEMONTE, "Direzione Competitività del sistema regionale", (120, 105, 90), (132, 118, 97),
         {"open_data": True}),
        (TOSCANA, "Direzione Attività produttive", (115, 105, 95), (121, 110, 102), {}),
    ],
}

PLAN_YEAR = 2024
VALUE_YEARS = (2023, 2024, 2025)

# Practices that declare they improve a KPI: (practice title, KPI key, evidence). The practice's donor declares it.
PRACTICE_LINKS = [
    ("Centrale unica di committenza dei Comuni del Chierese", "durata-gare",
     "Con l'ufficio unico la durata media delle gare dei Comuni aderenti è scesa del **30%**, da 182 a 127 giorni "
     "tra il 2019 e il 2023 (gare aggiudicate sulla piattaforma di e-procurement comune)."),
    ("Rete dei punti di facilitazione digitale", "pratiche-online",
     "Nei Comuni con un punto di facilitazione attivo dal 2023 la quota di istanze presentate online è cresciuta "
     "di 9 punti in due anni, contro i 4 punti degli altri Comuni (monitoraggio regionale dei punti, 2023–2025)."),
    ("Rete dei punti di facilitazione digitale", "spid",
     "I facilitatori hanno aiutato ad attivare oltre 40.000 identità SPID: gli enti della rete hanno portato a SPID "
     "e CIE tutti i servizi più richiesti ai punti."),
    ("Piano di formazione condiviso sulle competenze digitali", "formazione",
     "Gli otto enti che adottano il piano sono passati in media da 17 a 34 ore di formazione per dipendente tra il "
     "2023 e il 2025 (registri della formazione)."),
    ("Questionario di soddisfazione dei servizi comunali", "soddisfazione",
     "Il questionario comune, con la stessa scala da 1 a 10, rende confrontabili i valori degli enti che lo usano."),
]
