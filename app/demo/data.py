"""Demo data: realistic Italian public administrations, suppliers and users.

Pure data, no Flask and no database code: a seeding script reads these lists
and creates the rows.

Organisations
    Public administrations are real bodies. Their ``ipa_code`` is the body's
    code in the IPA (Indice dei domicili digitali delle Pubbliche
    Amministrazioni e dei gestori di pubblici servizi), checked against the
    official list of IPA codes; municipalities use ``c_`` + the lowercase
    cadastral (Belfiore) code. Codes are written with the exact letter case
    used in that list (e.g. ``p_CN``, ``PCM``). Websites point to the real
    bodies; e-mail addresses are plausible institutional contacts, not
    verified ones, and must never be used to send real mail.
    ``region`` is an ISTAT region code and ``province`` a sigla from
    ``app/geo.py``.

    Suppliers are FICTIONAL companies: their websites and e-mails use the
    reserved ``.example`` top-level domain so they cannot point to real firms.

Users
    Every demo user's e-mail is under ``demo.opencommunitypa.it`` and
    ``organization`` is exactly the ``name`` of an entry of ORGANIZATIONS
    (None only for the platform administrator).
"""

from __future__ import annotations

# Shared password of every demo account. DEMO ONLY: never use it, or these
# accounts, on a production instance.
DEMO_PASSWORD = "DemoPassword!2026"

DEMO_EMAIL_DOMAIN = "demo.opencommunitypa.it"

ORG_KINDS = ("public_administration", "supplier", "other")
PA_KINDS = (
    "region",
    "province",
    "metropolitan_city",
    "municipality",
    "union_of_municipalities",
    "health_authority",
    "university",
    "agency",
    "central_administration",
    "other",
)
USER_ROLES = ("admin", "referent", "member")
USER_STATUSES = ("active", "pending")


def _pa(name, pa_kind, ipa_code, region, province, website, email, description):
    return {
        "name": name,
        "kind": "public_administration",
        "pa_kind": pa_kind,
        "ipa_code": ipa_code,
        "region": region,
        "province": province,
        "website": website,
        "email": email,
        "description": description,
    }


def _org(name, kind, region, province, website, email, description):
    return {
        "name": name,
        "kind": kind,
        "pa_kind": None,
        "ipa_code": None,
        "region": region,
        "province": province,
        "website": website,
        "email": email,
        "description": description,
    }


ORGANIZATIONS: list[dict] = [
    # ------------------------------------------------------------------
    # Regioni (20)
    # ------------------------------------------------------------------
    _pa("Regione Piemonte", "region", "r_piemon", "01", None,
        "https://www.regione.piemonte.it", "protocollo@cert.regione.piemonte.it",
        "Ente di governo del territorio piemontese, con sede a Torino. "
        "Coordina l'agenda digitale regionale e i servizi in rete per cittadini e imprese."),
    _pa("Regione Autonoma Valle d'Aosta", "region", "r_vda", "02", None,
        "https://www.regione.vda.it", "protocollo@pec.regione.vda.it",
        "Regione a statuto speciale che esercita anche le funzioni provinciali. "
        "Promuove servizi digitali bilingui per i comuni valdostani."),
    _pa("Regione Lombardia", "region", "r_lombar", "03", None,
        "https://www.regione.lombardia.it", "presidenza@pec.regione.lombardia.it",
        "La regione più popolosa d'Italia, con sede a Milano. "
        "Gestisce piattaforme regionali per sanità, bandi e servizi online."),
    _pa("Regione Autonoma Trentino-Alto Adige", "region", "r_trenti", "04", None,
        "https://www.regione.taa.it", "protocollo@pec.regione.taa.it",
        "Regione a statuto speciale composta dalle Province autonome di Trento e di Bolzano. "
        "Cura in particolare l'ordinamento degli enti locali e il libro fondiario."),
    _pa("Regione del Veneto", "region", "r_veneto", "05", None,
        "https://www.regione.veneto.it", "protocollo.generale@pec.regione.veneto.it",
        "Ente regionale con sede a Venezia. "
        "Sostiene la digitalizzazione dei comuni veneti con servizi condivisi e formazione."),
    _pa("Regione Autonoma Friuli Venezia Giulia", "region", "r_friuve", "06", None,
        "https://www.regione.fvg.it", "protocollo@certregione.fvg.it",
        "Regione a statuto speciale con sede a Trieste. "
        "Coordina gli enti di decentramento regionale e il sistema informativo integrato regionale."),
    _pa("Regione Liguria", "region", "r_liguri", "07", None,
        "https://www.regione.liguria.it", "protocollo@pec.regione.liguria.it",
        "Ente regionale con sede a Genova. "
        "Promuove l'innovazione digitale della pubblica amministrazione ligure."),
    _pa("Regione Emilia-Romagna", "region", "r_emiro", "08", None,
        "https://www.regione.emilia-romagna.it", "urp@postacert.regione.emilia-romagna.it",
        "Ente regionale con sede a Bologna. "
        "Attua l'Agenda Digitale regionale e sostiene le unioni di comuni nella gestione associata dei servizi."),
    _pa("Regione Toscana", "region", "r_toscan", "09", None,
        "https://www.regione.toscana.it", "regionetoscana@postacert.toscana.it",
        "Ente regionale con sede a Firenze. "
        "Gestisce infrastrutture e servizi digitali condivisi con gli enti locali toscani."),
    _pa("Regione Umbria", "region", "r_umbria", "10", None,
        "https://www.regione.umbria.it", "regione.giunta@postacert.umbria.it",
        "Ente regionale con sede a Perugia. "
        "Promuove il riuso di soluzioni software tra le amministrazioni umbre."),
    _pa("Regione Marche", "region", "r_marche", "11", None,
        "https://www.regione.marche.it", "regione.marche.protocollogiunta@emarche.it",
        "Ente regionale con sede ad Ancona. "
        "Mette a disposizione dei comuni marchigiani piattaforme digitali regionali."),
    _pa("Regione Lazio", "region", "r_lazio", "12", None,
        "https://www.regione.lazio.it", "protocollo@regione.lazio.legalmail.it",
        "Ente regionale con sede a Roma. "
        "Coordina i progetti di trasformazione digitale della sanità e dei servizi regionali."),
    _pa("Regione Abruzzo", "region", "r_abruzz", "13", None,
        "https://www.regione.abruzzo.it", "protocollo@pec.regione.abruzzo.it",
        "Ente regionale con sede all'Aquila. "
        "Sostiene la diffusione dei servizi digitali nei piccoli comuni dell'entroterra."),
    _pa("Regione Molise", "region", "r_molise", "14", None,
        "https://www.regione.molise.it", "regionemolise@cert.regione.molise.it",
        "Ente regionale con sede a Campobasso. "
        "Promuove la connettività e i servizi online per i comuni molisani."),
    _pa("Regione Campania", "region", "r_campan", "15", None,
        "https://www.regione.campania.it", "protocollo@pec.regione.campania.it",
        "Ente regionale con sede a Napoli. "
        "Gestisce programmi regionali per la digitalizzazione di enti locali e imprese."),
    _pa("Regione Puglia", "region", "r_puglia", "16", None,
        "https://www.regione.puglia.it", "protocollo@pec.rupar.puglia.it",
        "Ente regionale con sede a Bari. "
        "Coordina la rete unitaria della pubblica amministrazione pugliese e i servizi digitali regionali."),
    _pa("Regione Basilicata", "region", "r_basili", "17", None,
        "https://www.regione.basilicata.it", "protocollo@cert.regione.basilicata.it",
        "Ente regionale con sede a Potenza. "
        "Promuove il riuso di software e servizi in rete tra gli enti lucani."),
    _pa("Regione Calabria", "region", "r_calabr", "18", None,
        "https://www.regione.calabria.it", "protocollo@pec.regione.calabria.it",
        "Ente regionale con sede a Catanzaro. "
        "Sostiene la transizione digitale degli enti locali calabresi."),
    _pa("Regione Siciliana", "region", "r_sicili", "19", None,
        "https://www.regione.sicilia.it", "protocollo@certmail.regione.sicilia.it",
        "Regione a statuto speciale con sede a Palermo. "
        "Coordina i servizi digitali regionali e i rapporti con i liberi consorzi comunali."),
    _pa("Regione Autonoma della Sardegna", "region", "r_sardeg", "20", None,
        "https://www.regione.sardegna.it", "presidenza@pec.regione.sardegna.it",
        "Regione a statuto speciale con sede a Cagliari. "
        "Gestisce il sistema informativo regionale e i servizi condivisi con gli enti sardi."),

    # ------------------------------------------------------------------
    # Città metropolitane (14)
    # ------------------------------------------------------------------
    _pa("Città metropolitana di Torino", "metropolitan_city", "cmto", "01", "TO",
        "https://www.cittametropolitana.torino.it", "protocollo@cert.cittametropolitana.torino.it",
        "Ente di area vasta che comprende 312 comuni del territorio torinese. "
        "Supporta i piccoli comuni con servizi informatici e di assistenza tecnica."),
    _pa("Città metropolitana di Milano", "metropolitan_city", "cmmi", "03", "MI",
        "https://www.cittametropolitana.mi.it", "protocollo@pec.cittametropolitana.mi.it",
        "Ente di area vasta dell'area milanese. "
        "Si occupa di pianificazione territoriale, mobilità, edilizia scolastica e sviluppo economico."),
    _pa("Città metropolitana di Venezia", "metropolitan_city", "p_ve", "05", "VE",
        "https://www.cittametropolitana.ve.it", "protocollo.cmve@pecveneto.it",
        "Ente di area vasta del territorio veneziano. "
        "Condivide con i comuni soluzioni di cartografia e gestione documentale."),
    _pa("Città metropolitana di Genova", "metropolitan_city", "cmge", "07", "GE",
        "https://www.cittametropolitana.genova.it", "pec@cert.cittametropolitana.genova.it",
        "Ente di area vasta del territorio genovese. "
        "Gestisce viabilità, edilizia scolastica e la stazione unica appaltante per i comuni."),
    _pa("Città metropolitana di Bologna", "metropolitan_city", "cmbo", "08", "BO",
        "https://www.cittametropolitana.bo.it", "cm.bo@cert.cittametropolitana.bo.it",
        "Ente di area vasta che riunisce i 55 comuni del territorio bolognese. "
        "Coordina il piano strategico metropolitano e progetti digitali comuni."),
    _pa("Città metropolitana di Firenze", "metropolitan_city", "cmfi", "09", "FI",
        "https://www.cittametropolitana.fi.it", "cittametropolitana.firenze@postacert.toscana.it",
        "Ente di area vasta del territorio fiorentino. "
        "Si occupa di strade, scuole superiori e pianificazione del territorio metropolitano."),
    _pa("Città metropolitana di Roma Capitale", "metropolitan_city", "cmrc", "12", "RM",
        "https://www.cittametropolitanaroma.it", "protocollo@pec.cittametropolitanaroma.it",
        "La città metropolitana più popolosa d'Italia, con 121 comuni. "
        "Offre ai comuni del territorio servizi associati e supporto alla digitalizzazione."),
    _pa("Città metropolitana di Napoli", "metropolitan_city", "cmna", "15", "NA",
        "https://www.cittametropolitana.na.it", "cittametropolitana.napoli@pec.it",
        "Ente di area vasta dell'area napoletana. "
        "Gestisce edilizia scolastica, viabilità e tutela ambientale del territorio metropolitano."),
    _pa("Città metropolitana di Bari", "metropolitan_city", "cmba", "16", "BA",
        "https://www.cittametropolitana.ba.it", "protocollo.generale@pec.cittametropolitana.ba.it",
        "Ente di area vasta dei 41 comuni del territorio barese. "
        "Promuove progetti di innovazione e smart city a scala metropolitana."),
    # IPA code inferred from the official code list (not cross-checked
    # against the body's IPA record).
    _pa("Città metropolitana di Reggio Calabria", "metropolitan_city", "cmdrc", "18", "RC",
        "https://www.cittametropolitana.rc.it", "protocollo@pec.cittametropolitana.rc.it",
        "Ente di area vasta del territorio reggino. "
        "Si occupa di viabilità, scuole superiori e pianificazione dell'area dello Stretto."),
    _pa("Città metropolitana di Palermo", "metropolitan_city", "p_pa", "19", "PA",
        "https://www.cittametropolitana.pa.it", "protocollo@cert.cittametropolitana.pa.it",
        "Ente di area vasta del territorio palermitano, erede della provincia regionale. "
        "Gestisce strade, edilizia scolastica e servizi ai comuni."),
    # IPA code inferred from the official code list (not cross-checked
    # against the body's IPA record).
    _pa("Città metropolitana di Messina", "metropolitan_city", "cm_me", "19", "ME",
        "https://www.cittametropolitana.me.it", "protocollo@pec.prov.me.it",
        "Ente di area vasta del territorio messinese. "
        "Si occupa di viabilità, scuole superiori e protezione del territorio."),
    _pa("Città metropolitana di Catania", "metropolitan_city", "cmct", "19", "CT",
        "https://www.cittametropolitana.ct.it", "protocollo@pec.cittametropolitana.ct.it",
        "Ente di area vasta del territorio catanese. "
        "Gestisce strade, edilizia scolastica e servizi di supporto ai comuni etnei."),
    _pa("Città metropolitana di Cagliari", "metropolitan_city", "cmca", "20", "CA",
        "https://www.cittametropolitanacagliari.it", "protocollo@pec.cittametropolitanacagliari.it",
        "Ente di area vasta dei 17 comuni dell'area cagliaritana. "
        "Promuove la pianificazione strategica e la mobilità sostenibile."),

    # ------------------------------------------------------------------
    # Province, province autonome, liberi consorzi (22)
    # ------------------------------------------------------------------
    _pa("Provincia di Cuneo", "province", "p_CN", "01", "CN",
        "https://www.provincia.cuneo.it", "protocollo@provincia.cuneo.legalmail.it",
        "Ente di area vasta con 247 comuni, in gran parte piccoli comuni montani. "
        "Offre assistenza tecnica e servizi informatici associati."),
    _pa("Provincia di Alessandria", "province", "p_al", "01", "AL",
        "https://www.provincia.alessandria.it", "protocollo@cert.provincia.alessandria.it",
        "Ente di area vasta del Piemonte sud-orientale. "
        "Si occupa di viabilità provinciale ed edilizia scolastica."),
    _pa("Provincia di Bergamo", "province", "p_bg", "03", "BG",
        "https://www.provincia.bergamo.it", "protocollo@pec.provincia.bergamo.it",
        "Ente di area vasta del territorio bergamasco. "
        "Gestisce una stazione unica appaltante al servizio dei comuni."),
    _pa("Provincia di Brescia", "province", "p_bs", "03", "BS",
        "https://www.provincia.brescia.it", "protocollo@pec.provincia.bs.it",
        "Ente di area vasta tra i più estesi della Lombardia. "
        "Offre ai comuni servizi di centrale di committenza e supporto informatico."),
    _pa("Provincia di Varese", "province", "p_va", "03", "VA",
        "https://www.provincia.va.it", "istituzionale@pec.provincia.va.it",
        "Ente di area vasta del territorio varesino. "
        "Si occupa di strade, scuole superiori e tutela ambientale."),
    _pa("Provincia autonoma di Bolzano - Alto Adige", "province", "p_bz", "04", "BZ",
        "https://www.provincia.bz.it", "adm@pec.prov.bz.it",
        "Provincia autonoma con ampie competenze legislative e amministrative. "
        "Eroga servizi digitali in italiano, tedesco e ladino."),
    _pa("Provincia autonoma di Trento", "province", "p_TN", "04", "TN",
        "https://www.provincia.tn.it", "serv.segreteriagenerale@pec.provincia.tn.it",
        "Provincia autonoma con competenze legislative proprie. "
        "Promuove il riuso di piattaforme digitali tra gli enti trentini."),
    _pa("Provincia di Treviso", "province", "p_tv", "05", "TV",
        "https://www.provincia.treviso.it", "protocollo.provincia.treviso@pecveneto.it",
        "Ente di area vasta della Marca trevigiana. "
        "Si occupa di viabilità, edilizia scolastica e ambiente."),
    _pa("Provincia di Savona", "province", "p_sv", "07", "SV",
        "https://www.provincia.savona.it", "protocollo@pec.provincia.savona.it",
        "Ente di area vasta del Ponente ligure. "
        "Gestisce strade provinciali, scuole superiori e assistenza agli enti locali."),
    _pa("Provincia di Modena", "province", "p_mo", "08", "MO",
        "https://www.provincia.modena.it", "provinciadimodena@cert.provincia.modena.it",
        "Ente di area vasta del territorio modenese. "
        "Collabora con le unioni di comuni su progetti di innovazione."),
    _pa("Provincia di Ravenna", "province", "p_ra", "08", "RA",
        "https://www.provincia.ra.it", "provra@cert.provincia.ra.it",
        "Ente di area vasta della Romagna. "
        "Si occupa di viabilità, scuole superiori e pianificazione territoriale."),
    _pa("Provincia di Pisa", "province", "p_PI", "09", "PI",
        "https://www.provincia.pisa.it", "protocollo@pec.provincia.pisa.it",
        "Ente di area vasta del territorio pisano. "
        "Offre supporto tecnico e amministrativo ai comuni."),
    _pa("Provincia di Perugia", "province", "p_pg", "10", "PG",
        "https://www.provincia.perugia.it", "provincia.perugia@postacert.umbria.it",
        "Ente di area vasta dell'Umbria settentrionale e centrale. "
        "Gestisce strade provinciali ed edilizia scolastica."),
    _pa("Provincia di Ancona", "province", "p_AN", "11", "AN",
        "https://www.provincia.ancona.it", "provincia.ancona@cert.provincia.ancona.it",
        "Ente di area vasta del territorio anconetano. "
        "Si occupa di viabilità, scuole superiori e stazione unica appaltante."),
    _pa("Provincia di Latina", "province", "p_lt", "12", "LT",
        "https://www.provincia.latina.it", "ufficio.protocollo@pec.provincia.latina.it",
        "Ente di area vasta del Lazio meridionale. "
        "Gestisce strade provinciali, scuole superiori e tutela ambientale."),
    _pa("Provincia dell'Aquila", "province", "p_aq", "13", "AQ",
        "https://www.provincia.laquila.it", "urp@cert.provincia.laquila.it",
        "Ente di area vasta dell'Abruzzo interno. "
        "Sostiene i piccoli comuni montani con servizi tecnici e informatici."),
    _pa("Provincia di Salerno", "province", "p_sa", "15", "SA",
        "https://www.provincia.salerno.it", "protocollo@pec.provincia.salerno.it",
        "Ente di area vasta tra i più estesi d'Italia, con 158 comuni. "
        "Si occupa di viabilità, scuole superiori e pianificazione territoriale."),
    _pa("Provincia di Lecce", "province", "p_LE", "16", "LE",
        "https://www.provincia.le.it", "protocollo@cert.provincia.le.it",
        "Ente di area vasta del Salento. "
        "Gestisce strade provinciali, edilizia scolastica e servizi ai comuni."),
    _pa("Provincia di Potenza", "province", "p_pz", "17", "PZ",
        "https://www.provincia.potenza.it", "protocollo@pec.provinciapotenza.it",
        "Ente di area vasta della Basilicata occidentale. "
        "Offre assistenza tecnica ai comuni e gestisce la rete viaria provinciale."),
    _pa("Provincia di Cosenza", "province", "p_cs", "18", "CS",
        "https://www.provincia.cs.it", "protocollo@pec.provincia.cs.it",
        "Ente di area vasta con 150 comuni del nord della Calabria. "
        "Si occupa di viabilità, scuole superiori e stazione unica appaltante."),
    _pa("Libero Consorzio Comunale di Siracusa", "province", "p_SR", "19", "SR",
        "https://www.provincia.siracusa.it", "ente@pec.provincia.siracusa.it",
        "Ente di area vasta siciliano che ha sostituito la provincia regionale di Siracusa. "
        "Gestisce strade, scuole superiori e riserve naturali."),
    _pa("Provincia di Nuoro", "province", "p_nu", "20", "NU",
        "https://www.provincia.nuoro.it", "protocollo@pec.provincia.nuoro.it",
        "Ente di area vasta della Sardegna centrale. "
        "Sostiene i comuni dell'interno con servizi tecnici e di pianificazione."),

    # ------------------------------------------------------------------
    # Comuni (27): big cities, regional capitals and small towns
    # ------------------------------------------------------------------
    _pa("Comune di Torino", "municipality", "c_l219", "01", "TO",
        "https://www.comune.torino.it", "protocollogenerale@cert.comune.torino.it",
        "Capoluogo del Piemonte e della città metropolitana. "
        "Sviluppa e condivide in riuso numerose soluzioni software open source."),
    _pa("Comune di Alba", "municipality", "c_a124", "01", "CN",
        "https://www.comune.alba.cn.it", "comune.alba@cert.legalmail.it",
        "Città di circa 31.000 abitanti, capitale delle Langhe. "
        "Sta digitalizzando i servizi di sportello per cittadini e imprese vitivinicole."),
    _pa("Comune di Aosta", "municipality", "c_a326", "02", "AO",
        "https://www.comune.aosta.it", "protocollo@pec.comune.aosta.it",
        "Capoluogo della Valle d'Aosta. "
        "Offre servizi online bilingui in italiano e francese."),
    _pa("Comune di Milano", "municipality", "c_f205", "03", "MI",
        "https://www.comune.milano.it", "protocollo@postacert.comune.milano.it",
        "Capoluogo della Lombardia e seconda città italiana per popolazione. "
        "Gestisce un ampio fascicolo digitale del cittadino e un portale open data."),
    _pa("Comune di Bergamo", "municipality", "c_a794", "03", "BG",
        "https://www.comune.bergamo.it", "protocollo@cert.comune.bergamo.it",
        "Capoluogo di provincia lombardo di circa 120.000 abitanti. "
        "Investe nei servizi digitali e nella partecipazione civica online."),
    _pa("Comune di Trento", "municipality", "c_l378", "04", "TN",
        "https://www.comune.trento.it", "protocollo@pec.comune.trento.it",
        "Capoluogo della Provincia autonoma di Trento. "
        "Collabora con altri enti trentini su piattaforme digitali condivise."),
    _pa("Comune di Venezia", "municipality", "c_l736", "05", "VE",
        "https://www.comune.venezia.it", "protocollo@pec.comune.venezia.it",
        "Capoluogo del Veneto, con un centro storico insulare unico al mondo. "
        "Gestisce servizi digitali per residenti e per la gestione dei flussi turistici."),
    _pa("Comune di Cortina d'Ampezzo", "municipality", "c_a266", "05", "BL",
        "https://www.comune.cortinadampezzo.bl.it", "protocollo@pec.comune.cortinadampezzo.bl.it",
        "Comune dolomitico di circa 5.700 abitanti, nota località turistica. "
        "Sta rinnovando il sito istituzionale e i servizi online per residenti e ospiti."),
    _pa("Comune di Trieste", "municipality", "c_l424", "06", "TS",
        "https://www.comune.trieste.it", "comune.trieste@certgov.fvg.it",
        "Capoluogo del Friuli Venezia Giulia. "
        "Partecipa al sistema informativo integrato regionale per i servizi ai cittadini."),
    _pa("Comune di Genova", "municipality", "c_d969", "07", "GE",
        "https://www.comune.genova.it", "comunegenova@postemailcertificata.it",
        "Capoluogo della Liguria. "
        "Ha realizzato il fascicolo del cittadino e lo mette a disposizione in riuso."),
    _pa("Comune di Bologna", "municipality", "c_a944", "08", "BO",
        "https://www.comune.bologna.it", "protocollogenerale@pec.comune.bologna.it",
        "Capoluogo dell'Emilia-Romagna. "
        "Promuove la cittadinanza digitale, i dati aperti e l'amministrazione condivisa."),
    _pa("Comune di Firenze", "municipality", "c_d612", "09", "FI",
        "https://www.comune.fi.it", "protocollo@pec.comune.fi.it",
        "Capoluogo della Toscana. "
        "Sviluppa internamente software per gli atti amministrativi e lo condivide in riuso."),
    _pa("Comune di Perugia", "municipality", "c_g478", "10", "PG",
        "https://www.comune.perugia.it", "comune.perugia@postacert.umbria.it",
        "Capoluogo dell'Umbria. "
        "Sta migrando i propri servizi verso infrastrutture cloud qualificate."),
    _pa("Comune di Assisi", "municipality", "c_a475", "10", "PG",
        "https://www.comune.assisi.pg.it", "comune.assisi@postacert.umbria.it",
        "Città di circa 28.000 abitanti, patrimonio UNESCO. "
        "Cura servizi digitali per residenti e per l'accoglienza dei pellegrini."),
    _pa("Comune di Ancona", "municipality", "c_a271", "11", "AN",
        "https://www.comune.ancona.gov.it", "comune.ancona@emarche.it",
        "Capoluogo delle Marche e importante città portuale. "
        "Usa le piattaforme regionali marchigiane per i servizi online."),
    _pa("Roma Capitale", "municipality", "c_h501", "12", "RM",
        "https://www.comune.roma.it", "protocollo.gabinettosindaco@pec.comune.roma.it",
        "Capitale d'Italia e comune più popoloso del Paese, articolato in 15 municipi. "
        "Gestisce un vasto portale di servizi online per cittadini e imprese."),
    _pa("Comune dell'Aquila", "municipality", "c_a345", "13", "AQ",
        "https://www.comune.laquila.it", "protocollo@comune.laquila.postecert.it",
        "Capoluogo dell'Abruzzo. "
        "Ha legato la ricostruzione post-sisma a un forte investimento in servizi digitali."),
    _pa("Comune di Montesilvano", "municipality", "c_f646", "13", "PE",
        "https://www.comune.montesilvano.pe.it", "protocollo@pec.comune.montesilvano.pe.it",
        "Città costiera di circa 53.000 abitanti vicino a Pescara. "
        "Ha sviluppato e condiviso in riuso componenti per i pagamenti pagoPA."),
    _pa("Comune di Campobasso", "municipality", "c_b519", "14", "CB",
        "https://www.comune.campobasso.it", "comune.campobasso.protocollo@pec.it",
        "Capoluogo del Molise. "
        "Sta ampliando i servizi online per tributi, anagrafe e scuola."),
    _pa("Comune di Napoli", "municipality", "c_f839", "15", "NA",
        "https://www.comune.napoli.it", "protocollo@pec.comune.napoli.it",
        "Capoluogo della Campania e terza città italiana per popolazione. "
        "Sta digitalizzando i servizi delle municipalità cittadine."),
    _pa("Comune di Bari", "municipality", "c_a662", "16", "BA",
        "https://www.comune.bari.it", "protocollo@pec.comune.bari.it",
        "Capoluogo della Puglia. "
        "Ha sviluppato soluzioni per la gestione documentale condivise in riuso."),
    _pa("Comune di Lecce", "municipality", "c_e506", "16", "LE",
        "https://www.comune.lecce.it", "protocollo@pec.comune.lecce.it",
        "Capoluogo del Salento, noto per il suo barocco. "
        "Promuove servizi digitali per il turismo e per i residenti."),
    _pa("Comune di Matera", "municipality", "c_f052", "17", "MT",
        "https://www.comune.matera.it", "protocollo@pec.comune.matera.it",
        "Città dei Sassi, patrimonio UNESCO e Capitale europea della cultura 2019. "
        "Investe nell'innovazione digitale dei servizi comunali."),
    _pa("Comune di Tropea", "municipality", "c_l452", "18", "VV",
        "https://www.comune.tropea.vv.it", "protocollo.tropea@asmepec.it",
        "Piccolo comune costiero di circa 6.000 abitanti sulla Costa degli Dei. "
        "Sta avviando la migrazione al cloud e i servizi online per cittadini e turisti."),
    _pa("Comune di Palermo", "municipality", "c_g273", "19", "PA",
        "https://www.comune.palermo.it", "protocollo@cert.comune.palermo.it",
        "Capoluogo della Sicilia. "
        "Gestisce servizi digitali per anagrafe, tributi e mobilità urbana."),
    _pa("Comune di Cagliari", "municipality", "c_b354", "20", "CA",
        "https://www.comune.cagliari.it", "protocollogenerale@comune.cagliari.legalmail.it",
        "Capoluogo della Sardegna. "
        "Promuove servizi digitali e dati aperti per la città metropolitana."),
    _pa("Comune di Alghero", "municipality", "c_a192", "20", "SS",
        "https://www.comune.alghero.ss.it", "protocollo@pec.comune.alghero.ss.it",
        "Città di circa 42.000 abitanti sulla costa nord-occidentale della Sardegna. "
        "Offre servizi in italiano e in catalano algherese."),

    # ------------------------------------------------------------------
    # Unioni di comuni (3). IPA codes inferred from the official code list
    # (the list holds codes only, not names).
    # ------------------------------------------------------------------
    _pa("Unione Bassa Reggiana", "union_of_municipalities", "uc_basre", "08", "RE",
        "https://www.bassareggiana.it", "unionebassareggiana@pec.it",
        "Unione di otto comuni della pianura reggiana lungo il Po, con sede a Guastalla. "
        "Gestisce in forma associata servizi informatici, polizia locale e servizi sociali."),
    _pa("Unione Comuni del Sorbara", "union_of_municipalities", "uc_sorba", "08", "MO",
        "https://www.unionedelsorbara.mo.it", "unionedelsorbara@cert.unionedelsorbara.mo.it",
        "Unione di sei comuni della pianura modenese. "
        "Gestisce in forma associata i sistemi informativi e la centrale unica di committenza."),
    _pa("Unione Colline Matildiche", "union_of_municipalities", "uc_matil", "08", "RE",
        "https://www.collinematildiche.it", "unionecollinematildiche@legalmail.it",
        "Unione dei comuni di Albinea, Quattro Castella e Vezzano sul Crostolo. "
        "Condivide personale e servizi digitali tra i comuni aderenti."),

    # ------------------------------------------------------------------
    # Aziende sanitarie (2)
    # ------------------------------------------------------------------
    _pa("Azienda USL di Bologna", "health_authority", "asl_bo", "08", "BO",
        "https://www.ausl.bologna.it", "protocollo@pec.ausl.bologna.it",
        "Azienda sanitaria locale che serve l'area metropolitana di Bologna. "
        "Sviluppa in proprio software per la gestione documentale condiviso in riuso."),
    _pa("Azienda USL - IRCCS di Reggio Emilia", "health_authority", "auslre", "08", "RE",
        "https://www.ausl.re.it", "protocollo@pec.ausl.re.it",
        "Azienda sanitaria e istituto di ricovero e cura a carattere scientifico della provincia di Reggio Emilia. "
        "Ha realizzato componenti di interoperabilità tra sistemi sanitari."),

    # ------------------------------------------------------------------
    # Università (2)
    # ------------------------------------------------------------------
    _pa("Alma Mater Studiorum - Università di Bologna", "university", "uni_bo", "08", "BO",
        "https://www.unibo.it", "scriviunibo@pec.unibo.it",
        "La più antica università del mondo occidentale, fondata nel 1088. "
        "Ha campus a Bologna, Cesena, Forlì, Ravenna e Rimini."),
    _pa("Università della Calabria", "university", "unical", "18", "CS",
        "https://www.unical.it", "amministrazione@pec.unical.it",
        "Ateneo pubblico con campus residenziale ad Arcavacata di Rende. "
        "Sviluppa e pubblica in riuso software per la gestione dei servizi universitari."),

    # ------------------------------------------------------------------
    # Agenzie (2)
    # ------------------------------------------------------------------
    _pa("AgID - Agenzia per l'Italia Digitale", "agency", "agid", None, None,
        "https://www.agid.gov.it", "protocollo@pec.agid.gov.it",
        "Agenzia tecnica della Presidenza del Consiglio dei Ministri. "
        "Cura l'attuazione dell'agenda digitale italiana e le linee guida per la PA digitale."),
    _pa("CSI Piemonte - Consorzio per il Sistema Informativo", "agency", "csi_piem", "01", "TO",
        "https://www.csipiemonte.it", "protocollo@cert.csi.it",
        "Consorzio in-house degli enti piemontesi per i servizi ICT. "
        "Progetta e gestisce servizi digitali per Regione Piemonte, enti locali e sanità."),

    # ------------------------------------------------------------------
    # Amministrazione centrale (1)
    # ------------------------------------------------------------------
    _pa("Presidenza del Consiglio dei Ministri - Dipartimento per la trasformazione digitale",
        "central_administration", "PCM", None, None,
        "https://innovazione.gov.it", "diptrasformazionedigitale@pec.governo.it",
        "Struttura della Presidenza del Consiglio che coordina le politiche di trasformazione digitale del Paese. "
        "Gestisce le misure PNRR per la digitalizzazione della PA."),

    # ------------------------------------------------------------------
    # Fornitori (4) - FICTIONAL companies, reserved .example domains
    # ------------------------------------------------------------------
    _org("Appennino Digitale S.r.l.", "supplier", "08", "BO",
         "https://www.appenninodigitale.example", "info@appenninodigitale.example",
         "Società di sviluppo software specializzata in servizi online per comuni e unioni di comuni. "
         "Realizza siti istituzionali conformi al modello Designers Italia."),
    _org("Sabauda Sistemi Informativi S.p.A.", "supplier", "01", "TO",
         "https://www.sabaudasistemi.example", "commerciale@sabaudasistemi.example",
         "Azienda di consulenza e integrazione di sistemi per la pubblica amministrazione. "
         "Si occupa di gestione documentale, protocollo informatico e conservazione."),
    _org("Laguna Software Lab S.r.l.", "supplier", "05", "VE",
         "https://www.lagunasoftwarelab.example", "contatti@lagunasoftwarelab.example",
         "Piccola software house che sviluppa applicazioni open source per il turismo e la mobilità. "
         "Collabora con enti locali del Nord-Est."),
    _org("Mediterranea Cloud Servizi S.r.l.", "supplier", "16", "BA",
         "https://www.mediterraneacloud.example", "pa@mediterraneacloud.example",
         "Fornitore di servizi cloud qualificati e di supporto alla migrazione per gli enti del Sud. "
         "Offre consulenza sulla sicurezza informatica e sul PNRR."),

    # ------------------------------------------------------------------
    # Altro (1)
    # ------------------------------------------------------------------
    _org("ANCI - Associazione Nazionale Comuni Italiani", "other", None, None,
         "https://www.anci.it", "segreteria@anci.it",
         "Associazione che rappresenta i comuni italiani nei rapporti con lo Stato e le regioni. "
         "Promuove progetti di innovazione e formazione per gli amministratori locali."),
]


def _email(local_part: str) -> str:
    return f"{local_part}@{DEMO_EMAIL_DOMAIN}"


USERS: list[dict] = [
    # Platform administrator (exactly one)
    {"email": _email("admin"), "full_name": "Giulia Ferraris", "organization": None,
     "role": "admin", "status": "active",
     "job_title": "Amministratrice della piattaforma"},

    # Referents (one per organisation)
    {"email": _email("referente.piemonte"), "full_name": "Marco Bertolino",
     "organization": "Regione Piemonte", "role": "referent", "status": "active",
     "job_title": "Responsabile della transizione digitale"},
    {"email": _email("referente.cmtorino"), "full_name": "Elena Gribaudo",
     "organization": "Città metropolitana di Torino", "role": "referent", "status": "active",
     "job_title": "Dirigente sistemi informativi"},
    {"email": _email("referente.torino"), "full_name": "Paolo Rinaudo",
     "organization": "Comune di Torino", "role": "referent", "status": "active",
     "job_title": "Responsabile della transizione digitale"},
    {"email": _email("referente.bologna"), "full_name": "Chiara Zanarini",
     "organization": "Comune di Bologna", "role": "referent", "status": "active",
     "job_title": "Responsabile area agenda digitale"},
    {"email": _email("referente.matera"), "full_name": "Vito Santangelo",
     "organization": "Comune di Matera", "role": "referent", "status": "active",
     "job_title": "Funzionario servizi informativi"},
    {"email": _email("referente.alghero"), "full_name": "Antonella Piras",
     "organization": "Comune di Alghero", "role": "referent", "status": "active",
     "job_title": "Responsabile della transizione digitale"},
    {"email": _email("referente.bassareggiana"), "full_name": "Davide Ferretti",
     "organization": "Unione Bassa Reggiana", "role": "referent", "status": "active",
     "job_title": "Responsabile servizio informatico associato"},
    {"email": _email("referente.appennino"), "full_name": "Luca Montanari",
     "organization": "Appennino Digitale S.r.l.", "role": "referent", "status": "active",
     "job_title": "Responsabile commerciale pubblica amministrazione"},

    # Members
    {"email": _email("andrea.gallo"), "full_name": "Andrea Gallo",
     "organization": "Regione Piemonte", "role": "member", "status": "active",
     "job_title": "Funzionario servizi informativi"},
    {"email": _email("silvia.marchetti"), "full_name": "Silvia Marchetti",
     "organization": "Regione Piemonte", "role": "member", "status": "active",
     "job_title": "Project manager progetti PNRR"},
    {"email": _email("roberto.chiesa"), "full_name": "Roberto Chiesa",
     "organization": "Città metropolitana di Torino", "role": "member", "status": "active",
     "job_title": "Istruttore direttivo informatico"},
    {"email": _email("francesca.demaria"), "full_name": "Francesca De Maria",
     "organization": "Comune di Torino", "role": "member", "status": "active",
     "job_title": "Funzionaria ufficio open data"},
    {"email": _email("stefano.bianco"), "full_name": "Stefano Bianco",
     "organization": "Comune di Torino", "role": "member", "status": "pending",
     "job_title": "Esperto in accessibilità digitale"},
    {"email": _email("martina.rossi"), "full_name": "Martina Rossi",
     "organization": "Comune di Bologna", "role": "member", "status": "active",
     "job_title": "Funzionaria servizi informativi"},
    {"email": _email("lorenzo.fabbri"), "full_name": "Lorenzo Fabbri",
     "organization": "Comune di Bologna", "role": "member", "status": "active",
     "job_title": "Responsabile della protezione dei dati"},
    {"email": _email("giuseppe.lorusso"), "full_name": "Giuseppe Lorusso",
     "organization": "Comune di Matera", "role": "member", "status": "active",
     "job_title": "Istruttore amministrativo servizi demografici"},
    {"email": _email("maria.sanna"), "full_name": "Maria Sanna",
     "organization": "Comune di Alghero", "role": "member", "status": "pending",
     "job_title": "Funzionaria ufficio transizione digitale"},
    {"email": _email("matteo.grasselli"), "full_name": "Matteo Grasselli",
     "organization": "Unione Bassa Reggiana", "role": "member", "status": "active",
     "job_title": "Tecnico informatico"},
    {"email": _email("valentina.ricci"), "full_name": "Valentina Ricci",
     "organization": "Appennino Digitale S.r.l.", "role": "member", "status": "active",
     "job_title": "Sviluppatrice software"},
    {"email": _email("federico.conti"), "full_name": "Federico Conti",
     "organization": "Appennino Digitale S.r.l.", "role": "member", "status": "active",
     "job_title": "Consulente privacy e sicurezza informatica"},
    {"email": _email("alessia.moretti"), "full_name": "Alessia Moretti",
     "organization": "Comune di Milano", "role": "member", "status": "active",
     "job_title": "Funzionaria servizi digitali"},
    {"email": _email("antonio.esposito"), "full_name": "Antonio Esposito",
     "organization": "Comune di Napoli", "role": "member", "status": "active",
     "job_title": "Funzionario sistemi informativi"},
    {"email": _email("laura.bernardi"), "full_name": "Laura Bernardi",
     "organization": "AgID - Agenzia per l'Italia Digitale", "role": "member", "status": "active",
     "job_title": "Funzionaria area trasformazione digitale"},
]


# Communities of practice on the themes the platform was born for. People are demo e-mails' local parts;
# "pending" people asked to join a moderated community and wait for a facilitator.
COMMUNITIES: list[dict] = [
    {
        "name": "Stazione unica appaltante dei Comuni",
        "slug": "stazione-unica-appaltante",
        "theme": "procurement",
        "visibility": "moderated",
        "scope": "region", "region": "01", "province": None,
        "description": (
            "Comuni che gestiscono insieme gare e contratti attraverso una **centrale unica di committenza**: "
            "modelli di convenzione, capitolati tipo, qualificazione delle stazioni appaltanti e uso delle "
            "piattaforme di e-procurement.\n\n"
            "- convenzioni tra enti e regolamenti della SUA\n- bandi tipo e clausole sociali\n"
            "- formazione dei RUP"),
        "facilitators": ["referente.cmtorino"],
        "members": ["referente.torino", "francesca.demaria", "andrea.gallo", "roberto.chiesa"],
        "pending": ["giuseppe.lorusso", "matteo.grasselli"],
    },
    {
        "name": "Servizio Europa associato",
        "slug": "servizio-europa",
        "theme": "eu_funds",
        "visibility": "open",
        "scope": "national", "region": None, "province": None,
        "description": (
            "Uffici europei associati tra piccoli Comuni per intercettare **fondi europei**: monitoraggio dei bandi, "
            "progettazione condivisa, rendicontazione e gestione dei partenariati."),
        "facilitators": ["referente.bologna", "martina.rossi"],
        "members": ["referente.bassareggiana", "matteo.grasselli", "referente.alghero", "giuseppe.lorusso",
                    "valentina.ricci"],
        "pending": [],
    },
    {
        "name": "Agenda digitale e centri di facilitazione",
        "slug": "agenda-digitale-territoriale",
        "theme": "digital_agenda",
        "visibility": "open",
        "scope": "national", "region": None, "province": None,
        "description": (
            "Agende digitali territoriali, **punti di facilitazione digitale** e centri di competenza: come si "
            "organizzano, come si misurano, come si sostengono nel tempo."),
        "facilitators": ["laura.bernardi"],
        "members": ["referente.piemonte", "silvia.marchetti", "alessia.moretti", "antonio.esposito",
                    "referente.matera", "federico.conti"],
        "pending": [],
    },
    {
        "name": "Valore pubblico e PIAO",
        "slug": "valore-pubblico-piao",
        "theme": "public_value",
        "visibility": "moderated",
        "scope": "national", "region": None, "province": None,
        "description": (
            "Indicatori di **valore pubblico**, performance e Piano integrato di attività e organizzazione (PIAO): "
            "esempi di piani, cruscotti di indicatori e metodi di misurazione."),
        "facilitators": ["referente.matera"],
        "members": ["lorenzo.fabbri", "referente.bologna"],
        "pending": ["alessia.moretti"],
    },
    {
        "name": "Formazione del personale pubblico",
        "slug": "formazione-personale",
        "theme": "training",
        "visibility": "open",
        "scope": "region", "region": "08", "province": None,
        "description": (
            "Piani di formazione, percorsi sulle competenze digitali e trasversali, accordi con le università "
            "per la **formazione dei dipendenti pubblici**."),
        "facilitators": ["lorenzo.fabbri"],
        "members": ["martina.rossi", "referente.bassareggiana"],
        "pending": [],
    },
    {
        "name": "Tavolo riservato dei responsabili per la transizione digitale",
        "slug": "tavolo-rtd",
        "theme": "digital_agenda",
        "visibility": "private",
        "scope": "region", "region": "01", "province": None,
        "description": "Confronto riservato tra i **Responsabili per la transizione digitale** degli enti piemontesi.",
        "facilitators": ["referente.piemonte"],
        "members": ["referente.torino", "referente.cmtorino"],
        "pending": [],
    },
]


# Good practices with their reuse kits, one or two per community. "kit" maps section keys to Markdown; sections left
# out stay empty, so completeness varies as in real life. "kit_update" publishes a second version.
PRACTICES: list[dict] = [
    {
        "title": "Centrale unica di committenza dei Comuni del Chierese",
        "community": "stazione-unica-appaltante", "donor": "Città metropolitana di Torino",
        "co_donors": ["Comune di Torino"], "theme": "procurement", "mission": "01", "region": "01", "start_year": 2019,
        "licence": "CC-BY-4.0", "tags": ["appalti", "centrale di committenza", "piccoli comuni"],
        "summary": "Una convenzione tra 22 Comuni affida a un ufficio unico la gestione delle gare sopra soglia, "
                   "con modelli di atti condivisi e una piattaforma di e-procurement comune.",
        "description": "La **centrale unica di committenza** gestisce per conto dei Comuni aderenti l'intero ciclo "
                       "della gara: programmazione, bando, commissione, aggiudicazione.\n\n"
                       "- 22 Comuni aderenti, 140 gare l'anno\n- tempi medi di aggiudicazione ridotti del 30%",
        "kit": {
            "context": "I piccoli Comuni non raggiungono i requisiti di **qualificazione** delle stazioni appaltanti "
                       "previsti dal Codice dei contratti pubblici.",
            "organisation": "Un ufficio di 6 persone presso la Città metropolitana; un referente per ogni Comune.",
            "acts": "- Schema di convenzione ex art. 30 TUEL\n- Regolamento di funzionamento\n- Bando tipo",
            "deployment_plan": "1. Delibere consiliari di adesione\n2. Nomina del responsabile\n3. Avvio con le "
                               "gare di servizi",
            "costs": "Quota annua per Comune proporzionata agli abitanti (0,50 € per abitante).",
            "licence": "Documenti rilasciati con licenza CC BY 4.0.",
            "maintenance": "La Città metropolitana aggiorna i modelli a ogni modifica del Codice.",
        },
        "kit_update": {"label": "1.1", "changelog": "Bando tipo aggiornato al nuovo Codice dei contratti.",
                       "acts": "- Schema di convenzione ex art. 30 TUEL\n- Regolamento di funzionamento\n"
                               "- Bando tipo aggiornato al D.Lgs. 36/2023"},
    },
    {
        "title": "Ufficio Europa associato della Bassa Reggiana",
        "community": "servizio-europa", "donor": "Unione Bassa Reggiana", "co_donors": [],
        "theme": "eu_funds", "mission": "19", "region": "08", "start_year": 2016, "licence": "CC-BY-SA-4.0",
        "tags": ["fondi europei", "progettazione", "unione di comuni"],
        "summary": "Un ufficio condiviso tra i Comuni dell'Unione monitora i bandi europei, scrive i progetti e "
                   "ne segue la rendicontazione.",
        "description": "L'ufficio ha portato sul territorio **12 milioni di euro** di finanziamenti europei in "
                       "sette anni.",
        "kit": {key: f"Contenuto della sezione «{key}» per l'ufficio Europa associato." for key in (
            "context", "organisation", "acts", "technical", "training", "deployment_plan", "costs", "licence",
            "maintenance")},
    },
    {
        "title": "Rete dei punti di facilitazione digitale",
        "community": "agenda-digitale-territoriale", "donor": "Regione Piemonte", "co_donors": [],
        "theme": "digital_agenda", "mission": "01", "region": "01", "start_year": 2022, "licence": "EUPL-1.2",
        "tags": ["facilitazione digitale", "competenze digitali"],
        "summary": "Punti di accesso assistito ai servizi digitali nelle biblioteche e negli URP, con facilitatori "
                   "formati e un cruscotto di monitoraggio.",
        "description": "Il modello combina volontari del servizio civile e personale comunale.",
        "kit": {"context": "Divario digitale nelle aree interne.", "organisation": "Un coordinamento regionale, "
                "facilitatori nei Comuni.", "training": "Percorso di 40 ore per facilitatori.",
                "licence": "Software del cruscotto rilasciato con licenza EUPL-1.2."},
    },
    {
        "title": "Cruscotto degli indicatori di valore pubblico",
        "community": "valore-pubblico-piao", "donor": "Comune di Matera", "co_donors": [],
        "theme": "public_value", "mission": "01", "region": "17", "start_year": 2021, "licence": "AGPL-3.0-or-later",
        "tags": ["PIAO", "indicatori", "performance"],
        "summary": "Un insieme di indicatori di impatto collegati al PIAO e un cruscotto pubblico che li aggiorna "
                   "ogni trimestre.",
        "description": "Gli indicatori sono scelti con gli stakeholder in tre laboratori annuali.",
        "kit": {"context": "Misurare il valore pubblico richiesto dal PIAO.", "technical": "Applicazione web "
                "con base dati PostgreSQL.", "costs": "Circa 15 giornate di avvio.", "licence": "AGPL-3.0-or-later."},
    },
    {
        "title": "Piano di formazione condiviso sulle competenze digitali",
        "community": "formazione-personale", "donor": "Comune di Bologna", "co_donors": [],
        "theme": "training", "mission": "01", "region": "08", "start_year": 2020, "licence": "CC-BY-4.0",
        "tags": ["formazione", "syllabus"],
        "summary": "Un piano triennale di formazione costruito sul Syllabus delle competenze digitali, con "
                   "percorsi per profilo professionale.",
        "description": "Il piano è adottato da otto enti dell'area metropolitana.",
        "kit": {"context": "Obbligo formativo del PIAO.", "training": "Moduli per dirigenti, funzionari e "
                "istruttori.", "deployment_plan": "Rilevazione dei fabbisogni, poi percorsi per profilo."},
    },
]

PRACTICES.append({
    "title": "Cruscotto condiviso della transizione digitale",
    "community": "tavolo-rtd", "donor": "Regione Piemonte", "co_donors": ["Comune di Torino"],
    "theme": "digital_agenda", "mission": "01", "region": "01", "start_year": 2023, "licence": "EUPL-1.2",
    "tags": ["RTD", "piano triennale"],
    "summary": "Un cruscotto riservato ai Responsabili per la transizione digitale per seguire insieme gli obiettivi "
               "del Piano triennale per l'informatica.",
    "description": "Riservato agli enti del tavolo: raccoglie lo stato di avanzamento delle misure PNRR.",
    "kit": {"context": "Obiettivi del Piano triennale.", "technical": "Foglio di calcolo condiviso e cruscotto web."},
})

# Sections the demo kits leave out are written in the same plain style, so every demo kit is complete.
KIT_DEFAULTS = {
    "context": "Il problema da cui la pratica è nata e gli obiettivi che si è data.",
    "organisation": "Chi fa cosa: uffici coinvolti, referenti, tempi di lavoro.",
    "acts": "- Delibera di giunta di avvio\n- Schema di convenzione tra gli enti",
    "technical": "Strumenti usati e loro configurazione; nessun software proprietario richiesto.",
    "training": "Due giornate per il personale che avvia il servizio, con materiali riutilizzabili.",
    "deployment_plan": "1. Analisi del contesto\n2. Adattamento degli atti\n3. Avvio sperimentale\n4. Messa a regime",
    "costs": "Costi di avvio contenuti: il tempo del personale e, se serve, una breve consulenza.",
    "licence": "I documenti del KIT sono rilasciati con licenza CC BY 4.0.",
    "maintenance": "L'ente cedente aggiorna il KIT a ogni cambiamento normativo e almeno una volta l'anno.",
}
