"""The KPI exports (issue 16, point 8): definitions and values as CSV with the visibility of app/kpi/access.py (a
proposal never in an anonymous export, provisional values only for their organisation and administrators), the
open-data CSV (final values of open-data adoptions only), CSV injection, bounded queries, every role full page and
htmx (a download is the same file either way)."""
from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import event

from app.extensions import db
from app.kpi import exports
from app.models import KpiAdoption, KpiDefinition, KpiValue, Organization
from tests.conftest import login, make_org
from tests.kpi_world import make_adoption, make_kpi

ROLES = ("anonymous", "member", "adopter", "peer", "outsider", "facilitator", "staff", "supplier_person", "admin")


def client_as(app, kworld, role: str):
    client = app.test_client()
    if role != "anonymous":
        assert login(client, getattr(kworld, role)).status_code == 303
    return client


def table(response) -> list[dict[str, str]]:
    """The CSV's rows as dicts, after checking what every export promises (type, attachment, BOM, header)."""
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="')
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def codes(rows) -> set[str]:
    return {row.get("code") or row.get("kpi_code") for row in rows}


def periods(rows, organization: str) -> set[str]:
    return {row["period"] for row in rows if row["organization_slug"] == organization}


def test_definitions_export_follows_visibility_and_the_library_filters(app, kworld):
    seen = {}
    for role in ROLES:
        client = client_as(app, kworld, role)
        for htmx in (False, True):
            headers = {"HX-Request": "true"} if htmx else {}
            rows = table(client.get("/kpi/export/definitions.csv", headers=headers))
            assert codes(rows) == {"KPI-0001", "KPI-0002"}, (role, htmx)  # published only, like the library
        seen[role] = codes(table(client.get("/kpi/export/definitions.csv?status=proposals")))
    assert seen["anonymous"] == seen["outsider"] == seen["supplier_person"] == set()
    assert seen["member"] == {"KPI-0003"}  # proposed in its community, by its organisation
    assert seen["staff"] == {"KPI-0004"}  # in review in its programme
    assert seen["facilitator"] == {"KPI-0003"}
    assert seen["admin"] == {"KPI-0003", "KPI-0004"}
    client = client_as(app, kworld, "anonymous")
    deprecated = table(client.get("/kpi/export/definitions.csv?status=deprecated"))
    assert [(row["code"], row["replaced_by"]) for row in deprecated] == [("KPI-0005", "KPI-0001")]
    assert codes(table(client.get("/kpi/export/definitions.csv?mission=01&level=municipality"))) == {
        "KPI-0001", "KPI-0002"}
    assert table(client.get("/kpi/export/definitions.csv?mission=12")) == []
    assert table(client.get("/kpi/export/definitions.csv?level=region")) == []
    assert codes(table(client.get("/kpi/export/definitions.csv?status=nonsense%00&mission=%00"))) == {
        "KPI-0001", "KPI-0002"}  # unknown filter values are dropped, never an error


def test_definitions_export_columns(app, kworld):
    response = client_as(app, kworld, "anonymous").get("/kpi/export/definitions.csv")
    assert response.headers["Content-Disposition"] == 'attachment; filename="indicatori-kpi.csv"'
    header = response.get_data().decode("utf-8-sig").splitlines()[0]
    assert header == ",".join(exports.DEFINITION_COLUMNS)
    row = next(each for each in table(response) if each["code"] == "KPI-0001")
    assert row["name"] == "Tempo medio di pagamento delle fatture"
    assert (row["status"], row["version"], row["unit"], row["polarity"], row["frequency"], row["level"]) == (
        "published", "1", "days", "lower", "annual", "municipality")
    assert (row["missions"], row["sdgs"], row["piao_subsection"], row["tags"]) == ("01", "16", "2.1",
                                                                                  "pagamenti|fatture")
    assert row["proposed_in"] == "Valore pubblico" and row["author_organization"] == "Comune di Chieri"
    assert row["adopters"] == "2"
    assert row["url"] == app.config["BASE_URL"] + "/kpi/tempo-medio-di-pagamento-delle-fatture"
    assert row["published_at"].endswith("Z")
    spid = next(each for each in table(response) if each["code"] == "KPI-0002")
    assert spid["sdgs"] == "9|16" and spid["adopters"] == "0"


def test_values_export_shows_provisional_values_only_to_their_organisation(app, kworld):
    seen = {}
    for role in ROLES:
        client = client_as(app, kworld, role)
        for htmx in (False, True):
            rows = table(client.get("/kpi/export/values.csv", headers={"HX-Request": "true"} if htmx else {}))
            seen[role] = (periods(rows, "comune-di-chieri"), periods(rows, "comune-di-moncalieri"))
    everything = ({"2023", "2024", "2025"}, {"2023", "2024", "2025"})
    finals_only = ({"2023", "2024"}, {"2023", "2024", "2025"})
    for role in ("anonymous", "outsider", "peer", "facilitator", "staff", "supplier_person"):
        assert seen[role] == finals_only, role
    for role in ("member", "adopter", "admin"):
        assert seen[role] == everything, role


def test_values_export_filters_and_columns(app, kworld):
    anonymous = client_as(app, kworld, "anonymous")
    rows = table(anonymous.get(f"/kpi/export/values.csv?kpi={kworld.published.slug}&organization=comune-di-chieri"))
    assert [row["period"] for row in rows] == ["2023", "2024"]
    first = rows[0]
    assert (first["kpi_code"], first["kpi_name"], first["version"], first["unit"], first["organization"],
            first["ipa_code"], first["plan_kind"], first["plan_year"], first["value"], first["status"],
            first["target"], first["source_note"]) == (
        "KPI-0001", "Tempo medio di pagamento delle fatture", "1", "days", "Comune di Chieri", "c_c627", "piao",
        "2024", "38.0", "final", "", "Controllo di gestione")
    assert rows[1]["target"] == "35.0"  # the adoption's target for 2024, its plan year
    response = anonymous.get("/kpi/export/values.csv?organization=comune-di-moncalieri")
    assert response.headers["Content-Disposition"] == 'attachment; filename="valori-kpi-comune-di-moncalieri.csv"'
    assert {row["organization_slug"] for row in table(response)} == {"comune-di-moncalieri"}
    assert table(anonymous.get(f"/kpi/export/values.csv?kpi={kworld.unadopted.slug}")) == []
    for bad in (f"kpi={kworld.proposed.slug}", "kpi=nessuno", "organization=nessuno", "kpi=a%00b", "kpi=" + "x" * 300):
        assert anonymous.get(f"/kpi/export/values.csv?{bad}").status_code == 404, bad
    member = client_as(app, kworld, "member")
    assert table(member.get(f"/kpi/export/values.csv?kpi={kworld.proposed.slug}")) == []  # it sees the proposal


@pytest.fixture
def open_data(app, kworld):
    """Chieri publishes its adoption of KPI-0001 as open data; a withdrawn open-data adoption must not count."""
    with app.app_context():
        db.session.get(KpiAdoption, kworld.adoption.id).open_data = True
        chieri = db.session.get(Organization, kworld.chieri.id)
        old = make_adoption(db.session.get(KpiDefinition, kworld.unadopted.id), chieri, {"2020": 50.0},
                            open_data=True, active=False)
        db.session.commit()
        return old.id


def test_open_data_csv_holds_only_final_values_of_open_data_adoptions(app, kworld, open_data):
    for role in ("anonymous", "adopter", "admin"):
        client = client_as(app, kworld, role)
        response = client.get("/kpi/organizations/comune-di-chieri/open-data.csv")
        assert response.headers["Content-Disposition"] == (
            'attachment; filename="dati-aperti-kpi-comune-di-chieri.csv"')
        rows = table(response)
        assert [(row["kpi_code"], row["period"], row["status"]) for row in rows] == [
            ("KPI-0001", "2023", "final"), ("KPI-0001", "2024", "final")], role  # not 2025 (provisional)
        assert table(client.get("/kpi/organizations/comune-di-moncalieri/open-data.csv")) == []  # no open data
        assert client.get("/kpi/organizations/comune-di-moncalieri/open-data.csv",
                          headers={"HX-Request": "true"}).status_code == 200


def test_open_data_of_unknown_or_inactive_organisations_is_not_found(app, kworld):
    with app.app_context():
        make_org("Comune in attesa", status="pending", ipa_code="c_wait")
        db.session.commit()
    for role in ("anonymous", "admin"):
        client = client_as(app, kworld, role)
        for slug in ("nessuno", "comune-in-attesa", "x" * 300):
            for suffix in ("csv", "ttl"):
                assert client.get(f"/kpi/organizations/{slug}/open-data.{suffix}").status_code == 404, (role, slug)
    client = client_as(app, kworld, "anonymous")
    assert client.get("/kpi/export/values.csv?organization=comune-in-attesa").status_code == 404


def test_csv_injection_is_neutralised(app, kworld):
    with app.app_context():
        dangerous = make_kpi("=HYPERLINK(\"http://x.example\")", tags=["@tag"], data_source="+39 011")
        chieri = db.session.get(Organization, kworld.chieri.id)
        make_adoption(dangerous, chieri, {"2024": -3.0 + 5})
        value = db.session.query(KpiValue).filter_by(period="2024", value=2.0).one()
        value.source_note = "-cmd|' /C calc'!A0"
        db.session.commit()
    client = client_as(app, kworld, "anonymous")
    row = next(each for each in table(client.get("/kpi/export/definitions.csv")) if each["name"].startswith("'"))
    assert row["name"] == "'=HYPERLINK(\"http://x.example\")"
    assert row["tags"] == "'@tag" and row["data_source"] == "'+39 011"
    value_row = next(each for each in table(client.get("/kpi/export/values.csv")) if each["value"] == "2.0")
    assert value_row["source_note"] == "'-cmd|' /C calc'!A0" and value_row["kpi_name"].startswith("'=")


def statements(app, client, url: str) -> int:
    seen: list[str] = []

    def listener(*args):
        seen.append(args[2])

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


def test_exports_queries_do_not_grow_with_the_data(app, kworld, open_data):
    urls = ("/kpi/export/definitions.csv", "/kpi/export/values.csv",
            "/kpi/organizations/comune-di-chieri/open-data.csv", "/kpi/organizations/comune-di-chieri/open-data.ttl")
    client = client_as(app, kworld, "adopter")
    for url in urls:
        client.get(url)
    small = {url: statements(app, client, url) for url in urls}
    with app.app_context():
        for number in range(6):
            organization = make_org(f"Comune numero {number}", ipa_code=f"c_n{number}")
            definition = make_kpi(f"Indicatore numero {number}", missions=("01", "04"), sdgs=(4, 5))
            make_adoption(definition, organization, {"2022": 1.0, "2023": 2.0})
            make_adoption(db.session.get(KpiDefinition, kworld.published.id), organization, {"2024": 3.0})
        chieri = db.session.get(Organization, kworld.chieri.id)
        make_adoption(db.session.get(KpiDefinition, kworld.unadopted.id), chieri, {"2022": 10.0, "2023": 20.0},
                      open_data=True, plan_year=2025)
        db.session.commit()
    large = {url: statements(app, client, url) for url in urls}
    assert large == small


def test_profile_box_links_open_data_and_the_import(app, kworld, open_data):
    profile = "/organizations/comune-di-chieri"
    for role in ("anonymous", "outsider", "adopter", "admin"):
        page = client_as(app, kworld, role).get(profile).get_data(as_text=True)
        assert "Dati aperti degli indicatori" in page, role
        assert "/kpi/organizations/comune-di-chieri/open-data.csv" in page, role
        assert "/kpi/organizations/comune-di-chieri/open-data.ttl" in page, role
        assert ('href="/kpi/import"' in page) == (role == "adopter"), role
    # Moncalieri publishes nothing: no box for strangers, the import link for its own people.
    assert "Dati aperti degli indicatori" not in client_as(app, kworld, "anonymous").get(
        "/organizations/comune-di-moncalieri").get_data(as_text=True)
    page = client_as(app, kworld, "peer").get("/organizations/comune-di-moncalieri").get_data(as_text=True)
    assert 'href="/kpi/import"' in page and "open-data.csv" not in page
