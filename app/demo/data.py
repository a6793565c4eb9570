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
    {"email": _email("referente.alba"), "full_name": "Carlo Giachino",
     "organization": "Comune di Alba", "role": "referent", "status": "active",
     "job_title": "Segretario generale"},
    {"email": _email("referente.sabauda"), "full_name": "Giorgio Operti",
     "organization": "Sabauda Sistemi Informativi S.p.A.", "role": "referent", "status": "active",
     "job_title": "Account manager enti locali"},

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
     "organization": "Comune di Milano", "role": "referent", "status": "active",
     "job_title": "Funzionaria servizi digitali"},
    {"email": _email("antonio.esposito"), "full_name": "Antonio Esposito",
     "organization": "Comune di Napoli", "role": "referent", "status": "active",
     "job_title": "Funzionario sistemi informativi"},
    {"email": _email("laura.bernardi"), "full_name": "Laura Bernardi",
     "organization": "AgID - Agenzia per l'Italia Digitale", "role": "member", "status": "active",
     "job_title": "Funzionaria area trasformazione digitale"},
    {"email": _email("simona.olivero"), "full_name": "Simona Olivero",
     "organization": "Comune di Alba", "role": "member", "status": "active",
     "job_title": "Istruttrice direttiva ufficio contratti e appalti"},
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


# ---- reuse: adoptions, support requests, supplier offers ---------------------------------------------------------
# A step is (days ago, "HH:MM" in UTC, person, action, text): the person is a demo e-mail's local part; the loader
# replays the steps through the workflow rules, so a step the rules refuse is a data error, not a silent row.
# Demo practices were published 200 days ago: every step is later than that.

# Adoption actions: declare (first), start, complete, abandon (people of the reusing organisation), confirm (a person
# of the donors). "deployment" is the record of a completed adoption ("deployed": days ago); "co_donor" invites the
# reuser as co-donor, and it then publishes a kit version (the other way a reuser becomes a donor).
ADOPTIONS: list[dict] = [
    {
        "practice": "Ufficio Europa associato della Bassa Reggiana", "organization": "Comune di Alghero",
        "steps": [
            (185, "08:20", "referente.alghero", "declare",
             "Vogliamo avviare un ufficio europeo condiviso con i Comuni vicini della Riviera del Corallo."),
            (168, "09:05", "referente.alghero", "start",
             "Approvata in consiglio la convenzione con Olmedo, Putifigari e Villanova Monteleone."),
            (165, "14:40", "referente.bassareggiana", "confirm", ""),
            (45, "10:30", "referente.alghero", "complete",
             "L'ufficio è a regime: due funzionari dedicati e un calendario condiviso dei bandi."),
        ],
        "deployment": {
            "recorded": (40, "11:15"), "by": "referente.alghero", "deployed": 50, "size": "m",
            "territory": "Alghero e i Comuni di Olmedo, Putifigari e Villanova Monteleone (SS)",
            "adaptations": "Convenzione riscritta per quattro Comuni di dimensioni molto diverse, con quote "
                           "calcolate sugli abitanti.\n\n"
                           "- scheda di monitoraggio estesa ai bandi del PR FESR Sardegna 2021-2027\n"
                           "- un incontro mensile con i referenti dei Comuni al posto della cabina di regia",
            "effort": "Due funzionari al 50% per sei mesi e otto giornate di affiancamento dell'Unione",
            "cost_eur": 18500,
            "outcome": "In sei mesi l'ufficio ha presentato cinque candidature; due sono state finanziate "
                       "(Interreg Italia-Francia Marittimo e LIFE) per 640.000 euro complessivi.",
            "lessons": "Conviene nominare subito un referente politico per ogni Comune: le delibere di adesione "
                       "sono state la parte più lenta. Il calendario condiviso dei bandi è lo strumento più "
                       "apprezzato dagli uffici.",
            "contact": "Antonella Piras, Ufficio Europa del Comune di Alghero",
        },
    },
    {
        "practice": "Rete dei punti di facilitazione digitale", "organization": "Comune di Milano",
        "steps": [
            (175, "09:10", "alessia.moretti", "declare",
             "Valutiamo i punti di facilitazione per le biblioteche rionali dei Municipi."),
            (150, "10:00", "alessia.moretti", "start",
             "Avviata la sperimentazione in tre Municipi con i volontari del servizio civile."),
            (30, "15:20", "alessia.moretti", "complete",
             "Sperimentazione conclusa: i punti restano aperti con personale comunale."),
        ],
        "deployment": {
            "recorded": (27, "08:40"), "by": "alessia.moretti", "deployed": 120, "size": "l",
            "territory": "Municipi 2, 8 e 9 del Comune di Milano",
            "adaptations": "Percorso di formazione dei facilitatori ridotto a 32 ore e integrato con un modulo sui "
                           "servizi comunali (fascicolo del cittadino, prenotazioni dell'anagrafe).\n\n"
                           "- punti aperti nelle biblioteche rionali e in due centri di aggregazione\n"
                           "- cruscotto regionale usato con un identificativo per Municipio",
            "effort": "Un coordinatore comunale a tempo pieno e 14 facilitatori (8 del servizio civile) per "
                      "quattro mesi",
            "cost_eur": 42000,
            "outcome": "Undici punti attivi e 3.900 accessi assistiti nei primi quattro mesi; il 60% delle persone "
                       "ha attivato SPID o CIE durante l'incontro.",
            "lessons": "Gli orari serali e del sabato raccolgono più della metà degli accessi. Serve un canale "
                       "diretto con l'anagrafe per i casi che il facilitatore non può risolvere.",
            "contact": "Alessia Moretti, Direzione servizi digitali",
        },
    },
    {
        "practice": "Centrale unica di committenza dei Comuni del Chierese", "organization": "Comune di Alba",
        "steps": [
            (120, "08:45", "referente.alba", "declare",
             "I Comuni delle Langhe cercano una centrale di committenza comune: il modello del Chierese è il più "
             "vicino alle nostre esigenze."),
            (90, "13:30", "simona.olivero", "start",
             "Approvata la delibera di giunta: prepariamo la convenzione con otto Comuni vicini."),
            (85, "09:15", "referente.cmtorino", "confirm", ""),
        ],
    },
    {
        "practice": "Centrale unica di committenza dei Comuni del Chierese", "organization": "Comune di Matera",
        "steps": [
            (160, "10:20", "referente.matera", "declare",
             "Ci interessano la convenzione tipo e il regolamento di funzionamento."),
            (110, "11:00", "referente.matera", "abandon",
             "La Regione Basilicata ha attivato una stazione unica appaltante regionale: aderiamo a quella."),
        ],
    },
    {
        "practice": "Ufficio Europa associato della Bassa Reggiana", "organization": "Comune di Napoli",
        "steps": [
            (25, "09:40", "antonio.esposito", "declare",
             "Valutiamo un ufficio Europa al servizio delle dieci Municipalità."),
        ],
    },
    {
        "practice": "Rete dei punti di facilitazione digitale", "organization": "Comune di Napoli",
        "steps": [
            (80, "08:30", "antonio.esposito", "declare",
             "Vogliamo aprire punti di facilitazione nelle sedi delle Municipalità."),
            (50, "14:10", "antonio.esposito", "start",
             "Individuate le prime quattro sedi; la formazione dei facilitatori parte il mese prossimo."),
        ],
    },
    {
        "practice": "Cruscotto degli indicatori di valore pubblico", "organization": "Comune di Bologna",
        "steps": [
            (150, "09:00", "referente.bologna", "declare",
             "Vogliamo collegare gli indicatori di valore pubblico del nostro PIAO a un cruscotto pubblico."),
            (120, "10:45", "referente.bologna", "start",
             "Cruscotto installato in ambiente di prova con i dati dell'ultimo PIAO."),
            (118, "16:00", "referente.matera", "confirm", ""),
        ],
        "co_donor": {
            "invited": (60, "10:00"), "by": "referente.matera",
            "kit": {
                "published": (35, "15:30"), "by": "referente.bologna", "label": "1.1",
                "changelog": "Importazione degli indicatori da foglio di calcolo e guida per i referenti, "
                             "scritte dal Comune di Bologna.",
                "sections": {
                    "technical": "Applicazione web con base dati PostgreSQL.\n\n"
                                 "- importazione degli indicatori da foglio di calcolo (CSV o ODS)\n"
                                 "- API in sola lettura per pubblicare gli indicatori sul sito istituzionale",
                    "training": "Guida all'importazione dei dati e un video di 20 minuti per i referenti di "
                                "ogni direzione.",
                },
            },
        },
    },
    {
        "practice": "Piano di formazione condiviso sulle competenze digitali", "organization": "Unione Bassa Reggiana",
        "steps": [
            (12, "13:15", "referente.bassareggiana", "declare",
             "Ci serve un piano comune per il personale degli otto Comuni dell'Unione."),
        ],
    },
]

# Support requests. Step actions: accept, resolve, decline (text: the reason), close, reopen, assign (text: the
# assignee), message, note (an internal note of the donor team); as in the application, only a decline carries a
# text of its own. Whoever belongs to the donors speaks for them.
# "for_adoption" links the request to the requesting organisation's adoption of the practice.
SUPPORT_REQUESTS: list[dict] = [
    {   # open for ten days without an answer: overdue in the donors' inbox
        "practice": "Centrale unica di committenza dei Comuni del Chierese", "organization": "Comune di Alba",
        "requester": "simona.olivero", "for_adoption": True, "kind": "consultancy", "opened": (10, "08:40"),
        "subject": "Convenzione e quote con un Comune capofila",
        "description": "Stiamo adattando il vostro modello per una centrale di committenza tra Alba e otto Comuni "
                       "delle Langhe, con Alba come capofila.\n\nVi chiediamo:\n\n"
                       "- come avete calcolato la quota di **0,50 € per abitante** e che cosa copre;\n"
                       "- quali articoli dello schema di convenzione ex art. 30 TUEL cambiano se il capofila è un "
                       "Comune e non la Città metropolitana.",
        "steps": [
            (6, "09:05", "simona.olivero", "message",
             "Vi scriviamo di nuovo perché la delibera di adesione va in consiglio comunale a fine mese: ci "
             "basterebbe anche un primo orientamento."),
        ],
    },
    {
        "practice": "Rete dei punti di facilitazione digitale", "organization": "Comune di Napoli",
        "requester": "antonio.esposito", "for_adoption": True, "kind": "training", "opened": (2, "10:15"),
        "subject": "Materiali del percorso di 40 ore per i facilitatori",
        "description": "Stiamo per formare i primi dodici facilitatori delle Municipalità. Nel KIT c'è il programma "
                       "del percorso di **40 ore**: potete condividere anche le slide e le esercitazioni? Ci "
                       "interessa in particolare il modulo su SPID e CIE.",
        "steps": [],
    },
    {
        "practice": "Ufficio Europa associato della Bassa Reggiana", "organization": "Comune di Napoli",
        "requester": "antonio.esposito", "for_adoption": True, "kind": "feasibility", "opened": (20, "09:00"),
        "subject": "Un ufficio Europa per le Municipalità: da dove cominciare?",
        "description": "Il modello nasce per un'unione di piccoli Comuni; noi vorremmo applicarlo alle **dieci "
                       "Municipalità** di Napoli.\n\n1. Ha senso un solo ufficio centrale o un referente per "
                       "Municipalità?\n2. Quante persone servono all'avvio?",
        "steps": [
            (19, "08:10", "referente.bassareggiana", "note",
             "Matteo, te ne occupi tu? Hai seguito l'avvio di Alghero e conosci bene la parte organizzativa."),
            (19, "08:12", "referente.bassareggiana", "assign", "matteo.grasselli"),
            (19, "13:40", "matteo.grasselli", "accept", ""),
            (19, "13:45", "matteo.grasselli", "message",
             "Buongiorno, ce ne occupiamo volentieri. Per una città grande consigliamo un ufficio centrale con un "
             "referente in ogni Municipalità. Possiamo sentirci in videochiamata la prossima settimana?"),
            (17, "07:30", "antonio.esposito", "message",
             "Grazie! Giovedì alle 10 va bene: parteciperanno anche due colleghi della Direzione programmazione."),
            (14, "12:00", "matteo.grasselli", "note",
             "Prima di mandare a Napoli l'organigramma di Alghero chiedo il consenso ad Antonella Piras."),
            (14, "12:10", "matteo.grasselli", "message",
             "Riepilogo della videochiamata:\n\n- avvio con **tre persone** nell'ufficio centrale e un referente "
             "per Municipalità\n- primi sei mesi dedicati al monitoraggio dei bandi e a due progetti pilota\n\n"
             "Appena possibile vi mandiamo lo schema di organigramma usato da un altro Comune."),
        ],
    },
    {
        "practice": "Piano di formazione condiviso sulle competenze digitali", "organization": "Unione Bassa Reggiana",
        "requester": "matteo.grasselli", "for_adoption": True, "kind": "consultancy", "opened": (11, "14:20"),
        "subject": "Adattare i percorsi del piano ai profili di un'unione di comuni",
        "description": "Il piano è pensato per un grande Comune. Nei nostri otto Comuni molti dipendenti coprono "
                       "più ruoli: come avete gestito i *profili misti* nella rilevazione dei fabbisogni?",
        "steps": [
            (10, "09:00", "martina.rossi", "accept", ""),
            (10, "09:10", "martina.rossi", "message",
             "Buongiorno, nella rilevazione usiamo il questionario del Syllabus per persona, non per profilo: così "
             "i ruoli misti emergono da soli. Vi mandiamo il nostro modello di questionario."),
            (8, "11:30", "matteo.grasselli", "message",
             "Grazie, chiaro. Si può usare anche per il personale della polizia locale associata?"),
            (5, "15:00", "lorenzo.fabbri", "message",
             "Sì: per la polizia locale aggiungiamo due moduli su protezione dei dati e accesso agli atti. Trovate "
             "tutto nella sezione *Formazione* del KIT."),
            (5, "15:05", "martina.rossi", "resolve", ""),
        ],
    },
    {
        "practice": "Ufficio Europa associato della Bassa Reggiana", "organization": "Comune di Alghero",
        "requester": "referente.alghero", "for_adoption": True, "kind": "consultancy", "opened": (178, "10:00"),
        "subject": "Schema di convenzione tra i Comuni dell'ufficio associato",
        "description": "Stiamo scrivendo la convenzione con tre Comuni vicini. Come avete ripartito i costi del "
                       "personale? E chi decide su quali bandi lavorare?",
        "steps": [
            (177, "08:30", "referente.bassareggiana", "message",
             "Buongiorno, i costi li ripartiamo per metà in parti uguali e per metà in base agli abitanti. Le "
             "priorità le decide una cabina di regia dei sindaci, due volte l'anno."),
            (177, "08:35", "referente.bassareggiana", "accept", ""),
            (175, "13:00", "referente.alghero", "message",
             "Perfetto. Possiamo riprendere l'articolo sulla cabina di regia così com'è?"),
            (174, "09:45", "matteo.grasselli", "message",
             "Certo, è pensato per essere riusato: cambiate solo il numero dei Comuni e la sede dell'ufficio."),
            (173, "10:00", "referente.bassareggiana", "resolve", ""),
            (171, "16:20", "referente.alghero", "close", ""),
        ],
    },
    {
        "practice": "Rete dei punti di facilitazione digitale", "organization": "Comune di Milano",
        "requester": "alessia.moretti", "for_adoption": True, "kind": "new_requirement", "opened": (70, "08:50"),
        "subject": "Integrare il cruscotto di monitoraggio con il CRM comunale",
        "description": "Vorremmo che gli accessi registrati nel cruscotto arrivassero in automatico nel **CRM** del "
                       "Comune, per seguire le persone anche dopo l'incontro con il facilitatore.",
        "steps": [
            (68, "10:30", "andrea.gallo", "decline",
             "Il cruscotto è uno strumento regionale condiviso e non prevede integrazioni con i sistemi dei singoli "
             "Comuni. I dati si possono già esportare ogni notte in CSV (vedi la sezione tecnica del KIT): da lì il "
             "vostro CRM può importarli."),
        ],
    },
    {   # closed, then reopened two days later (well within any reopening window): back to accepted
        "practice": "Cruscotto degli indicatori di valore pubblico", "organization": "Comune di Milano",
        "requester": "alessia.moretti", "for_adoption": False, "kind": "law_change", "opened": (45, "09:30"),
        "subject": "Indicatori di valore pubblico e obiettivi di performance nel PIAO",
        "description": "Con le ultime indicazioni sul PIAO gli indicatori di impatto vanno collegati agli obiettivi "
                       "di performance. Il cruscotto permette questo collegamento o serve una modifica?",
        "steps": [
            (44, "08:15", "referente.matera", "accept", ""),
            (44, "08:20", "referente.matera", "message",
             "Buongiorno, il collegamento è possibile: ogni indicatore ha un campo *obiettivo collegato*. Vi "
             "prepariamo un file di esempio."),
            (17, "14:00", "giuseppe.lorusso", "message",
             "Ecco il file di esempio con dieci indicatori collegati agli obiettivi di performance; le istruzioni "
             "sono nella guida della versione 1.1 del KIT."),
            (16, "10:00", "giuseppe.lorusso", "resolve", ""),
            (14, "11:40", "alessia.moretti", "close", ""),
            (12, "09:10", "alessia.moretti", "reopen", ""),
            (12, "09:12", "alessia.moretti", "message",
             "Riapriamo la richiesta: importando il file di esempio gli indicatori compositi perdono il "
             "collegamento con l'obiettivo."),
            (11, "15:30", "lorenzo.fabbri", "message",
             "È un limite dell'importazione che il Comune di Bologna ha aggiunto nella versione 1.1: stiamo "
             "preparando una correzione e vi scriviamo appena è pronta."),
        ],
    },
]

# Supplier offers; "hidden" is (days ago, "HH:MM", person of the donors) when the donors hid it from the page.
SUPPLIER_OFFERS: list[dict] = [
    {
        "practice": "Cruscotto degli indicatori di valore pubblico", "organization": "Appennino Digitale S.r.l.",
        "by": "valentina.ricci", "created": (70, "10:00"), "services": ["deployment", "maintenance"],
        "description": "Installiamo il cruscotto su un cloud qualificato per la PA, importiamo gli indicatori del "
                       "vostro PIAO e curiamo gli aggiornamenti di sicurezza.",
    },
    {
        "practice": "Piano di formazione condiviso sulle competenze digitali",
        "organization": "Appennino Digitale S.r.l.", "by": "referente.appennino", "created": (100, "09:30"),
        "services": ["training"],
        "description": "Teniamo in aula o a distanza i moduli tecnici del piano (sicurezza informatica, dati aperti, "
                       "accessibilità), con test finali allineati al Syllabus.",
    },
    {
        "practice": "Centrale unica di committenza dei Comuni del Chierese",
        "organization": "Sabauda Sistemi Informativi S.p.A.", "by": "referente.sabauda", "created": (80, "11:00"),
        "services": ["deployment", "training"],
        "description": "Configuriamo la piattaforma di e-procurement della centrale, migriamo l'albo dei fornitori "
                       "e formiamo i RUP dei Comuni aderenti.",
    },
    {   # a sales pitch rather than an offer on this practice: the donors hid it
        "practice": "Rete dei punti di facilitazione digitale", "organization": "Sabauda Sistemi Informativi S.p.A.",
        "by": "referente.sabauda", "created": (50, "08:00"), "services": ["deployment", "maintenance", "training"],
        "description": "Offerta promozionale a tempo: sportelli digitali chiavi in mano con canone annuale scontato "
                       "per i primi dieci Comuni che firmano.",
        "hidden": (45, "09:30", "referente.piemonte"),
    },
]
