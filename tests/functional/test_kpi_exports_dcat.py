"""The DCAT-AP_IT description of an organisation's open-data KPI values (issue 16, point 8): it parses with rdflib
and holds the profile's mandatory properties (Catalog, Dataset, Distribution, Agent, licence), public to everybody,
full page and htmx alike."""
from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns  # the module, not its names: pytest's collection trips over namespace objects

from app.extensions import db
from app.kpi import dcat
from app.models import KpiAdoption, KpiDefinition, Organization
from tests.conftest import login
from tests.kpi_world import make_adoption, make_kpi

EU = "http://publications.europa.eu/resource/authority/"
URL = "/kpi/organizations/comune-di-chieri/open-data.ttl"


def graph_of(response) -> Graph:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.content_type == "text/turtle; charset=utf-8"
    graph = Graph()
    graph.parse(data=response.get_data(as_text=True), format="turtle")
    return graph


def one(graph: Graph, subject, predicate):
    found = list(graph.objects(subject, predicate))
    assert len(found) == 1, (subject, predicate, found)
    return found[0]


def test_description_holds_the_mandatory_properties(app, client, kworld):
    with app.app_context():
        db.session.get(KpiAdoption, kworld.adoption.id).open_data = True
        db.session.get(Organization, kworld.chieri.id).email = "protocollo@comune.chieri.example.it"
        db.session.commit()
    base = app.config["BASE_URL"]
    for htmx in (False, True):
        graph = graph_of(client.get(URL, headers={"HX-Request": "true"} if htmx else {}))
        catalog = next(graph.subjects(ns.RDF.type, dcat.DCATAPIT.Catalog))
        assert (catalog, ns.RDF.type, ns.DCAT.Catalog) in graph
        for predicate in (ns.DCTERMS.title, ns.DCTERMS.description, ns.DCTERMS.publisher, ns.DCTERMS.modified):
            one(graph, catalog, predicate)
        assert one(graph, catalog, ns.DCTERMS.modified).datatype == ns.XSD.date
        dataset = one(graph, catalog, ns.DCAT.dataset)
        assert (dataset, ns.RDF.type, dcat.DCATAPIT.Dataset) in graph
        assert (dataset, ns.RDF.type, ns.DCAT.Dataset) in graph
        assert one(graph, dataset, ns.DCTERMS.identifier) == Literal("c_c627:kpi-valori")
        assert one(graph, dataset, ns.DCTERMS.title).language == "it"
        description = one(graph, dataset, ns.DCTERMS.description)
        assert description.language == "it" and "Tempo medio di pagamento delle fatture" in description
        one(graph, dataset, ns.DCTERMS.modified)
        assert one(graph, dataset, ns.DCAT.theme) == URIRef(EU + "data-theme/GOVE")
        assert one(graph, dataset, ns.DCTERMS.accrualPeriodicity) == URIRef(EU + "frequency/ANNUAL")
        holder = one(graph, dataset, ns.DCTERMS.rightsHolder)
        assert (holder, ns.RDF.type, dcat.DCATAPIT.Agent) in graph
        assert one(graph, holder, ns.DCTERMS.identifier) == Literal("c_c627")
        assert str(one(graph, holder, ns.FOAF.name)) == "Comune di Chieri"
        assert one(graph, catalog, ns.DCTERMS.publisher) == holder
        contact = one(graph, dataset, ns.DCAT.contactPoint)
        assert one(graph, contact, URIRef("http://www.w3.org/2006/vcard/ns#hasEmail")) == URIRef(
            "mailto:protocollo@comune.chieri.example.it")
        distribution = one(graph, dataset, ns.DCAT.distribution)
        assert (distribution, ns.RDF.type, dcat.DCATAPIT.Distribution) in graph
        assert one(graph, distribution, ns.DCTERMS.format) == URIRef(EU + "file-type/CSV")
        assert one(graph, distribution, ns.DCAT.accessURL) == URIRef(
            base + "/kpi/organizations/comune-di-chieri/open-data.csv")
        licence = one(graph, distribution, ns.DCTERMS.license)
        assert licence == URIRef("https://creativecommons.org/licenses/by/4.0/")
        assert (licence, ns.RDF.type, dcat.DCATAPIT.LicenseDocument) in graph
        assert one(graph, licence, ns.DCTERMS.type) == URIRef("http://purl.org/adms/licencetype/Attribution")
    # The CSV the description points at is really there, for anybody.
    assert client.get("/kpi/organizations/comune-di-chieri/open-data.csv").status_code == 200


def test_every_role_gets_the_same_public_description(app, kworld):
    expected = None
    for role in ("anonymous", "adopter", "outsider", "supplier_person", "admin"):
        client = app.test_client()
        if role != "anonymous":
            assert login(client, getattr(kworld, role)).status_code == 303
        graph = graph_of(client.get(URL))
        triples = len(graph)
        expected = expected or triples
        assert triples == expected, role
        dataset = next(graph.subjects(ns.RDF.type, dcat.DCATAPIT.Dataset))
        # No open-data adoption yet: a valid, empty dataset of unknown periodicity.
        assert one(graph, dataset, ns.DCTERMS.accrualPeriodicity) == URIRef(EU + "frequency/UNKNOWN")
        assert "nessun indicatore" in one(graph, dataset, ns.DCTERMS.description)


def test_periodicity_follows_the_most_frequent_indicator(app, client, kworld):
    with app.app_context():
        db.session.get(KpiAdoption, kworld.adoption.id).open_data = True
        monthly = make_kpi("Tempo di risposta alle PEC", unit="days", frequency="monthly", polarity="lower")
        make_adoption(monthly, db.session.get(Organization, kworld.chieri.id), {"2024-01": 3.0}, open_data=True)
        make_adoption(db.session.get(KpiDefinition, kworld.unadopted.id),
                      db.session.get(Organization, kworld.chieri.id), open_data=False)
        db.session.commit()
    graph = graph_of(client.get(URL))
    dataset = next(graph.subjects(ns.RDF.type, dcat.DCATAPIT.Dataset))
    assert one(graph, dataset, ns.DCTERMS.accrualPeriodicity) == URIRef(EU + "frequency/MONTHLY")
    description = str(one(graph, dataset, ns.DCTERMS.description))
    assert "Tempo di risposta alle PEC" in description and "Servizi online" not in description
    assert dcat.accrual_periodicity(["annual", "half_yearly"]) == URIRef(EU + "frequency/ANNUAL_2")
    assert dcat.accrual_periodicity(["quarterly", "annual"]) == URIRef(EU + "frequency/QUARTERLY")
