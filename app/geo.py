"""Italian territorial reference data: regions and provinces.

Source: ISTAT, "Codici statistici delle unità amministrative territoriali"
(region codes ``codice regione``, two digits) and the sigle automobilistiche
of the supra-municipal territorial units (province, città metropolitane,
liberi consorzi comunali, province autonome, and the former provinces of
Friuli Venezia Giulia and Valle d'Aosta that ISTAT still lists).
Compiled in 2025.

Sardinia: this module uses the 2017-2025 Sardinian layout (Sassari, Nuoro,
Città metropolitana di Cagliari, Oristano, Sud Sardegna; sigle SS, NU, CA,
OR, SU). The reorganisation under Sardinian regional law 9/2023 (new
metropolitan city of Sassari, provinces of Gallura Nord-Est Sardegna,
Ogliastra, Medio Campidano, Sulcis Iglesiente) is not reflected here yet.

Names are the Italian ISTAT names; the bilingual official forms
"Valle d'Aosta/Vallée d'Aoste" and "Bolzano/Bozen" are shortened to their
Italian part.

Pure data plus tiny helpers: no Flask, no database.
"""

from __future__ import annotations

# (ISTAT region code, name), in ISTAT order.
REGIONS: list[tuple[str, str]] = [
    ("01", "Piemonte"),
    ("02", "Valle d'Aosta"),
    ("03", "Lombardia"),
    ("04", "Trentino-Alto Adige"),
    ("05", "Veneto"),
    ("06", "Friuli Venezia Giulia"),
    ("07", "Liguria"),
    ("08", "Emilia-Romagna"),
    ("09", "Toscana"),
    ("10", "Umbria"),
    ("11", "Marche"),
    ("12", "Lazio"),
    ("13", "Abruzzo"),
    ("14", "Molise"),
    ("15", "Campania"),
    ("16", "Puglia"),
    ("17", "Basilicata"),
    ("18", "Calabria"),
    ("19", "Sicilia"),
    ("20", "Sardegna"),
]

# (sigla automobilistica, name, ISTAT region code), grouped by region in
# ISTAT order. 107 entries.
PROVINCES: list[tuple[str, str, str]] = [
    # 01 Piemonte
    ("TO", "Torino", "01"),  # città metropolitana
    ("VC", "Vercelli", "01"),
    ("NO", "Novara", "01"),
    ("CN", "Cuneo", "01"),
    ("AT", "Asti", "01"),
    ("AL", "Alessandria", "01"),
    ("BI", "Biella", "01"),
    ("VB", "Verbano-Cusio-Ossola", "01"),
    # 02 Valle d'Aosta (no province: the Region exercises provincial functions)
    ("AO", "Aosta", "02"),
    # 03 Lombardia
    ("VA", "Varese", "03"),
    ("CO", "Como", "03"),
    ("SO", "Sondrio", "03"),
    ("MI", "Milano", "03"),  # città metropolitana
    ("BG", "Bergamo", "03"),
    ("BS", "Brescia", "03"),
    ("PV", "Pavia", "03"),
    ("CR", "Cremona", "03"),
    ("MN", "Mantova", "03"),
    ("LC", "Lecco", "03"),
    ("LO", "Lodi", "03"),
    ("MB", "Monza e della Brianza", "03"),
    # 04 Trentino-Alto Adige (province autonome)
    ("BZ", "Bolzano", "04"),
    ("TN", "Trento", "04"),
    # 05 Veneto
    ("VR", "Verona", "05"),
    ("VI", "Vicenza", "05"),
    ("BL", "Belluno", "05"),
    ("TV", "Treviso", "05"),
    ("VE", "Venezia", "05"),  # città metropolitana
    ("PD", "Padova", "05"),
    ("RO", "Rovigo", "05"),
    # 06 Friuli Venezia Giulia (former provinces, now EDR - enti di
    # decentramento regionale; ISTAT keeps them as territorial units)
    ("UD", "Udine", "06"),
    ("GO", "Gorizia", "06"),
    ("TS", "Trieste", "06"),
    ("PN", "Pordenone", "06"),
    # 07 Liguria
    ("IM", "Imperia", "07"),
    ("SV", "Savona", "07"),
    ("GE", "Genova", "07"),  # città metropolitana
    ("SP", "La Spezia", "07"),
    # 08 Emilia-Romagna
    ("PC", "Piacenza", "08"),
    ("PR", "Parma", "08"),
    ("RE", "Reggio nell'Emilia", "08"),
    ("MO", "Modena", "08"),
    ("BO", "Bologna", "08"),  # città metropolitana
    ("FE", "Ferrara", "08"),
    ("RA", "Ravenna", "08"),
    ("FC", "Forlì-Cesena", "08"),
    ("RN", "Rimini", "08"),
    # 09 Toscana
    ("MS", "Massa-Carrara", "09"),
    ("LU", "Lucca", "09"),
    ("PT", "Pistoia", "09"),
    ("FI", "Firenze", "09"),  # città metropolitana
    ("LI", "Livorno", "09"),
    ("PI", "Pisa", "09"),
    ("AR", "Arezzo", "09"),
    ("SI", "Siena", "09"),
    ("GR", "Grosseto", "09"),
    ("PO", "Prato", "09"),
    # 10 Umbria
    ("PG", "Perugia", "10"),
    ("TR", "Terni", "10"),
    # 11 Marche
    ("PU", "Pesaro e Urbino", "11"),
    ("AN", "Ancona", "11"),
    ("MC", "Macerata", "11"),
    ("AP", "Ascoli Piceno", "11"),
    ("FM", "Fermo", "11"),
    # 12 Lazio
    ("VT", "Viterbo", "12"),
    ("RI", "Rieti", "12"),
    ("RM", "Roma", "12"),  # città metropolitana di Roma Capitale
    ("LT", "Latina", "12"),
    ("FR", "Frosinone", "12"),
    # 13 Abruzzo
    ("AQ", "L'Aquila", "13"),
    ("TE", "Teramo", "13"),
    ("PE", "Pescara", "13"),
    ("CH", "Chieti", "13"),
    # 14 Molise
    ("CB", "Campobasso", "14"),
    ("IS", "Isernia", "14"),
    # 15 Campania
    ("CE", "Caserta", "15"),
    ("BN", "Benevento", "15"),
    ("NA", "Napoli", "15"),  # città metropolitana
    ("AV", "Avellino", "15"),
    ("SA", "Salerno", "15"),
    # 16 Puglia
    ("FG", "Foggia", "16"),
    ("BA", "Bari", "16"),  # città metropolitana
    ("TA", "Taranto", "16"),
    ("BR", "Brindisi", "16"),
    ("LE", "Lecce", "16"),
    ("BT", "Barletta-Andria-Trani", "16"),
    # 17 Basilicata
    ("PZ", "Potenza", "17"),
    ("MT", "Matera", "17"),
    # 18 Calabria
    ("CS", "Cosenza", "18"),
    ("CZ", "Catanzaro", "18"),
    ("RC", "Reggio di Calabria", "18"),  # città metropolitana
    ("KR", "Crotone", "18"),
    ("VV", "Vibo Valentia", "18"),
    # 19 Sicilia (liberi consorzi comunali and città metropolitane)
    ("TP", "Trapani", "19"),
    ("PA", "Palermo", "19"),  # città metropolitana
    ("ME", "Messina", "19"),  # città metropolitana
    ("AG", "Agrigento", "19"),
    ("CL", "Caltanissetta", "19"),
    ("EN", "Enna", "19"),
    ("CT", "Catania", "19"),  # città metropolitana
    ("RG", "Ragusa", "19"),
    ("SR", "Siracusa", "19"),
    # 20 Sardegna - 2017-2025 layout (see module docstring)
    ("SS", "Sassari", "20"),
    ("NU", "Nuoro", "20"),
    ("CA", "Cagliari", "20"),  # città metropolitana
    ("OR", "Oristano", "20"),
    ("SU", "Sud Sardegna", "20"),
]

REGION_NAMES: dict[str, str] = dict(REGIONS)
PROVINCE_NAMES: dict[str, str] = {sigla: name for sigla, name, _ in PROVINCES}
PROVINCE_REGION: dict[str, str] = {sigla: region for sigla, _, region in PROVINCES}


def region_name(code: str | None) -> str | None:
    """Name of the region with ISTAT code ``code`` ("01".."20"), or None."""
    if not code:
        return None
    return REGION_NAMES.get(code)


def province_name(sigla: str | None) -> str | None:
    """Name of the province with sigla ``sigla`` (case-insensitive), or None."""
    if not sigla:
        return None
    return PROVINCE_NAMES.get(sigla.upper())


def provinces_of(region_code: str | None) -> list[tuple[str, str]]:
    """(sigla, name) of the provinces of a region, sorted by name."""
    return sorted(
        ((sigla, name) for sigla, name, region in PROVINCES if region == region_code),
        key=lambda item: item[1],
    )
