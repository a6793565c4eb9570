"""The DCAT-AP_IT description of an organisation's open-data KPI values (issue 16, point 8), for dati.gov.it.

One catalogue with one dataset and its CSV distribution, typed with the `dcatapit:` subclasses and holding the
profile's mandatory properties (research note §5.5): Catalog — title, description, publisher, modified, dataset;
Dataset — identifier ("<IPA code>:kpi-valori"), title, description, modified, theme (GOVE), rightsHolder,
accrualPeriodicity, distribution; Distribution — format (CSV), accessURL, license (CC BY 4.0); Agent — identifier
(the IPA code), name. Texts are Italian (@it): they describe data, they are not interface labels.
"""
from __future__ import annotations

from datetime import date, datetime

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, XSD

from app.kpi.workflow import Frequency

DCATAPIT = Namespace("http://dati.gov.it/onto/dcatapit#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
THEME_GOVERNMENT = URIRef(EU + "data-theme/GOVE")
FORMAT_CSV = URIRef(EU + "file-type/CSV")
LANGUAGE_ITALIAN = URIRef(EU + "language/ITA")
MEDIA_TYPE_CSV = URIRef("http://www.iana.org/assignments/media-types/text/csv")
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
LICENCE_TYPE_ATTRIBUTION = URIRef("http://purl.org/adms/licencetype/Attribution")

# The EU frequency of each KPI frequency, the most frequent first: a dataset changes as often as its most
# frequent indicator.
FREQUENCIES = (
    (Frequency.MONTHLY, "MONTHLY"),
    (Frequency.QUARTERLY, "QUARTERLY"),
    (Frequency.HALF_YEARLY, "ANNUAL_2"),  # semi-annual
    (Frequency.ANNUAL, "ANNUAL"),
)
TURTLE_TYPE = "text/turtle; charset=utf-8"


def accrual_periodicity(frequencies) -> URIRef:
    """The EU frequency of a dataset made of indicators with these frequencies (UNKNOWN when there are none)."""
    present = set(frequencies)
    for frequency, code in FREQUENCIES:
        if frequency in present:
            return URIRef(EU + "frequency/" + code)
    return URIRef(EU + "frequency/UNKNOWN")


def _agent(graph: Graph, organization, uri: str) -> URIRef:
    agent = URIRef(uri)
    graph.add((agent, RDF.type, DCATAPIT.Agent))
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, DCTERMS.identifier, Literal(organization.ipa_code or organization.slug)))
    graph.add((agent, FOAF.name, Literal(organization.name, lang="it")))
    return agent


def _day(moment: datetime | date | None) -> Literal:
    day = moment.date() if isinstance(moment, datetime) else (moment or date.today())
    return Literal(day.isoformat(), datatype=XSD.date)


def open_data_graph(organization, adoptions, modified: datetime | None, *, description_url: str, csv_url: str,
                    homepage: str, agent_url: str) -> Graph:
    """The catalogue, the dataset of the organisation's open-data values and their CSV distribution."""
    graph = Graph()
    for prefix, namespace in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("dcatapit", DCATAPIT),
                              ("vcard", VCARD), ("owl", OWL), ("xsd", XSD)):
        graph.bind(prefix, namespace)
    catalog, dataset = URIRef(description_url + "#catalog"), URIRef(description_url + "#dataset")
    distribution, licence = URIRef(description_url + "#distribution-csv"), LICENCE
    agent = _agent(graph, organization, agent_url)
    updated = _day(modified)
    names = sorted({adoption.definition.name for adoption in adoptions})

    for each in (DCATAPIT.Catalog, DCAT.Catalog):
        graph.add((catalog, RDF.type, each))
    graph.add((catalog, DCTERMS.title, Literal(f"Indicatori di valore pubblico — {organization.name}", lang="it")))
    graph.add((catalog, DCTERMS.description, Literal(
        f"Catalogo dei dati aperti sugli indicatori di valore pubblico (KPI) adottati da {organization.name} nei "
        "propri piani (PIAO, DUP, DEFR).", lang="it")))
    graph.add((catalog, DCTERMS.publisher, agent))
    graph.add((catalog, DCTERMS.modified, updated))
    graph.add((catalog, DCTERMS.language, LANGUAGE_ITALIAN))
    graph.add((catalog, FOAF.homepage, URIRef(homepage)))
    graph.add((catalog, DCAT.dataset, dataset))

    for each in (DCATAPIT.Dataset, DCAT.Dataset):
        graph.add((dataset, RDF.type, each))
    graph.add((dataset, DCTERMS.identifier, Literal(f"{organization.ipa_code or organization.slug}:kpi-valori")))
    graph.add((dataset, DCTERMS.title, Literal(f"Valori degli indicatori di valore pubblico — {organization.name}",
                                               lang="it")))
    listed = "; ".join(names) if names else "nessun indicatore per ora"
    graph.add((dataset, DCTERMS.description, Literal(
        f"Valori definitivi degli indicatori che {organization.name} ha adottato e pubblica come dati aperti, per "
        f"periodo, con valore obiettivo e fonte. Indicatori: {listed}.", lang="it")))
    graph.add((dataset, DCTERMS.modified, updated))
    graph.add((dataset, DCAT.theme, THEME_GOVERNMENT))
    graph.add((dataset, DCTERMS.rightsHolder, agent))
    graph.add((dataset, DCTERMS.publisher, agent))
    graph.add((dataset, DCTERMS.accrualPeriodicity,
               accrual_periodicity(adoption.version.frequency for adoption in adoptions)))
    graph.add((dataset, DCTERMS.language, LANGUAGE_ITALIAN))
    graph.add((dataset, DCAT.landingPage, URIRef(homepage)))
    for keyword in ("indicatori", "valore pubblico", "PIAO", *names):
        graph.add((dataset, DCAT.keyword, Literal(keyword, lang="it")))
    if organization.email:
        contact = BNode()
        graph.add((contact, RDF.type, DCATAPIT.Organization))
        graph.add((contact, RDF.type, VCARD.Organization))
        graph.add((contact, VCARD.fn, Literal(organization.name, lang="it")))
        graph.add((contact, VCARD.hasEmail, URIRef("mailto:" + organization.email)))
        graph.add((dataset, DCAT.contactPoint, contact))
    graph.add((dataset, DCAT.distribution, distribution))

    for each in (DCATAPIT.Distribution, DCAT.Distribution):
        graph.add((distribution, RDF.type, each))
    graph.add((distribution, DCTERMS.title, Literal("Valori definitivi (CSV)", lang="it")))
    graph.add((distribution, DCTERMS.description, Literal(
        "Una riga per valore: indicatore, versione, unità, ente, piano, periodo, valore, numeratore, denominatore, "
        "obiettivo, fonte. UTF-8, separato da virgole, con intestazione.", lang="it")))
    graph.add((distribution, DCTERMS.format, FORMAT_CSV))
    graph.add((distribution, DCAT.mediaType, MEDIA_TYPE_CSV))
    graph.add((distribution, DCAT.accessURL, URIRef(csv_url)))
    graph.add((distribution, DCAT.downloadURL, URIRef(csv_url)))
    graph.add((distribution, DCTERMS.license, licence))
    graph.add((distribution, DCTERMS.modified, updated))

    for each in (DCATAPIT.LicenseDocument, DCTERMS.LicenseDocument):
        graph.add((licence, RDF.type, each))
    graph.add((licence, DCTERMS.type, LICENCE_TYPE_ATTRIBUTION))
    graph.add((licence, FOAF.name, Literal("Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0)",
                                           lang="it")))
    graph.add((licence, OWL.versionInfo, Literal("4.0")))
    return graph


def open_data_turtle(organization, adoptions, modified, **urls) -> bytes:
    return open_data_graph(organization, adoptions, modified, **urls).serialize(format="turtle").encode("utf-8")
