"""The reuse observatory: the network's figures on known data (public content only, what is left out counted) and
the page read from snapshot rows — every region listed, no ranking, each table as CSV, a bounded query count."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta

import pytest

from app import geo
from app.extensions import db
from app.models import Adoption, NetworkSnapshot, SupportRequest
from app.models.base import utcnow
from app.models.practice import practice_co_donor
from tests.conftest import count_queries, make_community, make_org, make_practice

NOW = utcnow().replace(microsecond=0) + timedelta(hours=1)


@pytest.fixture(autouse=True)
def _fresh_now():
    """NOW is an hour after each test starts, not after the module was imported: the practices the fixtures
    write are published at the real time, which in a long suite can be far past the import."""
    global NOW
    NOW = utcnow().replace(microsecond=0) + timedelta(hours=1)


def adopt(practice, organization, status="in_progress", confirmed=True, **fields):
    """An adoption written directly; confirmed by the donors half an hour before NOW unless told otherwise."""
    adoption = Adoption(practice_id=practice.id, organization_id=organization.id, status=status,
                        confirmed_at=NOW - timedelta(minutes=30) if confirmed else None, **fields)
    db.session.add(adoption)
    return adoption


def request_support(practice, organization, first_response_at):
    db.session.add(SupportRequest(practice_id=practice.id, organization_id=organization.id, kind="technical",
                                  subject="Aiuto", description="Serve aiuto", first_response_at=first_response_at))


@pytest.fixture
def network(app):
    """Donors in Piemonte, reusers in Puglia and Lazio, a national body without region, a private community."""
    with app.app_context():
        chieri = make_org("Comune di Chieri")  # 01 / TO
        asti = make_org("Comune di Asti", province_code="AT")
        bari = make_org("Comune di Bari", region_code="16", province_code="BA")
        lecce = make_org("Comune di Lecce", region_code=None, province_code="LE")  # region from the province
        roma = make_org("Comune di Roma", region_code="12", province_code="RM")
        agency = make_org("Agenzia nazionale", region_code=None, province_code=None, pa_kind="agency")
        supplier = make_org("Fornitore Srl", kind="supplier", pa_kind=None, region_code="03", province_code="MI")
        open_one = make_community("Comunità aperta", "open")
        moderated = make_community("Comunità moderata", "moderated")
        private = make_community("Tavolo riservato", "private")
        cuc = make_practice("Centrale unica di committenza", open_one, chieri)
        suap = make_practice("Sportello unico", moderated, asti)
        make_practice("Bozza", open_one, chieri, status="draft", kit={})
        make_practice("Archiviata", open_one, chieri, status="archived")
        secret = make_practice("Pratica riservata", private, chieri)
        db.session.execute(practice_co_donor.insert().values(practice_id=cuc.id, organization_id=asti.id))
        db.session.execute(practice_co_donor.insert().values(practice_id=suap.id, organization_id=supplier.id))
        adopt(cuc, bari)
        adopt(cuc, lecce, status="completed")
        adopt(cuc, agency)
        adopt(cuc, roma, confirmed=False)  # declared, not confirmed: not counted
        adopt(suap, bari)
        adopt(suap, roma, status="abandoned", ended_at=NOW - timedelta(days=2))  # abandoned by now
        adopt(secret, roma)  # in a private community: left out
        request_support(cuc, bari, NOW - timedelta(days=10))
        request_support(cuc, roma, NOW - timedelta(days=400))  # first response before the 12 months
        request_support(suap, bari, None)  # no response yet
        request_support(secret, roma, NOW - timedelta(days=3))  # private
        db.session.commit()
        return {"cuc": cuc.id, "suap": suap.id, "open": open_one.id, "moderated": moderated.id,
                "private": private.id}


def test_network_figures_count_public_content_only(app, network):
    from app.indicators import compute_network
    from app.indicators.compute import load_context

    with app.app_context():
        ctx = load_context(NOW)
        stored = {network["open"]: {"stage": "community"}, network["moderated"]: {"stage": "starting"},
                  network["private"]: {"stage": "hub"}}
        figures = compute_network.compute(ctx, stored)
    assert figures["communities"] == 2
    assert figures["by_stage"] == {"starting": 1, "community": 1, "hub": 0, "centre": 0}
    assert figures["practices"] == 2  # the draft, the archived and the private one are not counted
    assert figures["donors"] == 2  # Chieri and Asti (co-donor); the supplier is not an administration
    assert figures["confirmed_adoptions"] == 4  # Bari ×2, Lecce, the agency; not Roma's (unconfirmed, abandoned)
    assert figures["reusers"] == 3
    assert figures["support_given"] == 1
    assert figures["left_out"] == {"private_communities": 1, "private_practices": 1}
    assert figures["top_practices"] == [
        {"id": network["cuc"], "title": "Centrale unica di committenza", "slug": "centrale-unica-di-committenza",
         "adoptions": 3},
        {"id": network["suap"], "title": "Sportello unico", "slug": "sportello-unico", "adoptions": 1}]
    # An adoption counts where the adopter is; a practice, its donors and its support where the donor is.
    assert figures["by_region"]["16"] == {"practices": 0, "donors": 0, "reusers": 2, "adoptions": 3, "support": 0}
    assert figures["by_region"]["01"] == {"practices": 2, "donors": 2, "reusers": 0, "adoptions": 0, "support": 1}
    assert "12" not in figures["by_region"]  # Roma's adoptions are not counted
    assert "03" not in figures["by_region"]  # the supplier co-donor is not a donor administration
    assert figures["by_province"]["BA"]["adoptions"] == 2
    assert figures["by_province"]["LE"] == {"practices": 0, "donors": 0, "reusers": 1, "adoptions": 1, "support": 0}
    assert figures["by_province"]["TO"]["practices"] == 1 and figures["by_province"]["AT"]["donors"] == 1
    assert sum(each["adoptions"] for each in figures["by_region"].values()) == 3  # the agency has no region
    assert json.loads(json.dumps(figures)) == figures  # stored as JSON as it is


def test_network_figures_as_of_an_earlier_moment(app, network):
    """Before the confirmations nothing is confirmed; before the creation nothing is there yet."""
    from app.indicators import compute_network
    from app.indicators.compute import load_context

    with app.app_context():
        figures = compute_network.compute(load_context(NOW - timedelta(minutes=45)), {})
        earlier = compute_network.compute(load_context(NOW - timedelta(days=30)), {})
    assert figures["confirmed_adoptions"] == 0 and figures["reusers"] == 0 and figures["practices"] == 2
    assert earlier["practices"] == 0 and earlier["communities"] == 0
    assert earlier["left_out"] == {"private_communities": 0, "private_practices": 0}


def figures_of(communities=3, adoptions=5, stage_hub=1, practice_id=1):
    return {
        "communities": communities, "by_stage": {"starting": 1, "community": 1, "hub": stage_hub, "centre": 0},
        "donors": 2, "reusers": 3, "confirmed_adoptions": adoptions, "support_given": 7, "practices": 4,
        "by_region": {"16": {"practices": 0, "donors": 0, "reusers": 2, "adoptions": adoptions, "support": 0},
                      "01": {"practices": 4, "donors": 2, "reusers": 0, "adoptions": 0, "support": 7}},
        "by_province": {"BA": {"practices": 0, "donors": 0, "reusers": 2, "adoptions": adoptions, "support": 0},
                        "TO": {"practices": 4, "donors": 2, "reusers": 0, "adoptions": 0, "support": 7}},
        "top_practices": [{"id": practice_id, "title": "Centrale unica di committenza",
                           "slug": "centrale-unica-di-committenza", "adoptions": adoptions}],
        "left_out": {"private_communities": 2, "private_practices": 3},
    }


def write_snapshots(app, quarters: int, daily: bool = True) -> list[str]:
    """Quarter snapshots ending with 2026-Q3, and a daily one after them."""
    periods = []
    year, quarter = 2026, 3
    for _step in range(quarters):
        periods.append(f"{year}-Q{quarter}")
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    periods.reverse()
    with app.app_context():
        # The page names a top practice only while it is still published in a public community: a real one.
        from app.models import Practice
        from tests.conftest import make_community, make_org, make_practice

        practice = db.session.execute(db.select(Practice).filter_by(slug="centrale-unica-di-committenza")).scalar()
        if practice is None:
            practice = make_practice("Centrale unica di committenza", make_community("Comunità aperta"),
                                     make_org("Comune di Torino", ipa_code="c_l219"))
        for index, period in enumerate(periods):
            year, quarter = int(period[:4]), int(period[-1])
            as_of = (date(year + quarter // 4, quarter % 4 * 3 + 1, 1) - timedelta(days=1))
            db.session.add(NetworkSnapshot(kind="quarter", as_of=as_of, period=period,
                                           figures=figures_of(communities=2 + index, adoptions=1 + index,
                                                              practice_id=practice.id)))
        if daily:
            db.session.add(NetworkSnapshot(kind="daily", as_of=date(2026, 11, 2), figures=figures_of(adoptions=9, practice_id=practice.id)))
        db.session.commit()
    return periods


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.content_type.startswith("text/csv")
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_observatory_not_computed_yet(client, app):
    response = client.get("/observatory")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "non sono ancora state calcolate" in page
    assert client.get("/observatory/regions.csv").status_code == 404


def test_observatory_full_page(client, app):
    write_snapshots(app, 3)
    response = client.get("/observatory")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1>Osservatorio del riuso</h1>" in page
    assert 'aria-current="page"><span>Osservatorio</span>' in page  # the nav link
    for _code, name in geo.REGIONS:  # every region, even with nothing
        assert f'<th scope="row">{name.replace(chr(39), "&#39;")}</th>' in page
    for _sigla, name, _region in geo.PROVINCES[:5]:
        assert name in page
    assert page.count('scope="rowgroup"') == 20  # provinces grouped by region
    assert "Posizione" not in page and "Classifica" not in page and "Rank" not in page  # not a league table
    assert page.count('role="img"') >= 4 and page.count("<caption>") >= 5
    assert "Restano fuori 2 comunità riservate con 3 buone pratiche pubblicate." in " ".join(page.split())
    assert 'href="/practices/centrale-unica-di-committenza"' in page
    for table in ("totals", "stages", "regions", "provinces", "practices"):
        assert f"/observatory/{table}.csv" in page
    assert "2026-Q1" in page and "2026-Q3" in page


def test_observatory_period_filter_full_and_fragment(client, app):
    write_snapshots(app, 3)
    full = client.get("/observatory?period=2026-Q2")
    assert full.status_code == 200 and "HX-Request" in full.headers.get("Vary", "")
    assert "Riuso per regione (2026-Q2)" in full.get_data(as_text=True)
    fragment = client.get("/observatory?period=2026-Q2", headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in body
    assert body.lstrip().startswith('<div id="observatory-detail"')
    assert "Riuso per regione (2026-Q2)" in body and "La rete nel tempo" not in body
    wrong = client.get("/observatory?period=1999-Q9").get_data(as_text=True)
    assert "Trimestre non disponibile" in wrong and 'aria-invalid="true"' in wrong


def test_observatory_csv_tables(client, app):
    write_snapshots(app, 3)
    totals = csv_rows(client.get("/observatory/totals.csv"))
    assert totals[0][0] == "Periodo" and len(totals) == 1 + 3 + 1  # three quarters and the latest daily figures
    assert [row[0] for row in totals[1:4]] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert totals[1][1:] == ["2", "4", "2", "3", "1", "7"] and totals[-1][5] == "9"
    stages = csv_rows(client.get("/observatory/stages.csv"))
    assert stages[0][1:] == ["In avvio", "Comunità", "Hub di conoscenza", "Centro di competenza"]
    assert stages[1][1:] == ["1", "1", "1", "0"]
    regions = csv_rows(client.get("/observatory/regions.csv"))
    assert [row[0] for row in regions[1:]] == [name for _code, name in geo.REGIONS]
    assert regions[16] == ["Puglia", "0", "0", "2", "9", "0"] and regions[1] == ["Piemonte", "4", "2", "0", "0", "7"]
    assert regions[12] == ["Lazio", "0", "0", "0", "0", "0"]
    provinces = csv_rows(client.get("/observatory/provinces.csv"))
    assert len(provinces) == 1 + len(geo.PROVINCES)
    assert provinces[0][:2] == ["Regione", "Provincia"]
    bari = next(row for row in provinces if row[1] == "Bari (BA)")
    assert bari == ["Puglia", "Bari (BA)", "0", "0", "2", "9", "0"]
    piemonte = [row[1] for row in provinces if row[0] == "Piemonte"]
    assert piemonte == sorted(piemonte)  # alphabetical within the region
    practices = csv_rows(client.get("/observatory/practices.csv"))
    assert practices == [["Buona pratica", "Adozioni confermate"], ["Centrale unica di committenza", "9"]]
    quarter = csv_rows(client.get("/observatory/regions.csv?period=2026-Q1"))
    assert quarter[16][4] == "1"
    assert client.get("/observatory/ranking.csv").status_code == 404
    assert client.get("/observatory/regions.csv?period=1999-Q9").status_code == 404


def test_observatory_quarters_only(client, app):
    """Before the first nightly run, the latest quarter's figures are shown."""
    write_snapshots(app, 2, daily=False)
    page = client.get("/observatory").get_data(as_text=True)
    assert "Riuso per regione (2026-Q3)" in page


def test_observatory_query_count_is_bounded(client, app):
    write_snapshots(app, 1)
    one = count_queries(app, client, "/observatory")
    with app.app_context():
        db.session.query(NetworkSnapshot).delete()
        db.session.commit()
    write_snapshots(app, 8)
    eight = count_queries(app, client, "/observatory")
    assert one == eight <= 5  # the snapshots, and whether the top practices are still public
    assert re.search(r"2024-Q4.*2026-Q3", client.get("/observatory").get_data(as_text=True), re.S)


def test_nightly_run_feeds_the_page(client, app, network):
    """`compute.run` stores the network's figures; the page shows them, the private practice left out."""
    from app.indicators import compute

    with app.app_context():
        compute.run(now=NOW)
        snapshot = db.session.query(NetworkSnapshot).one()
        assert snapshot.kind == "daily" and snapshot.figures["confirmed_adoptions"] == 4
    page = " ".join(client.get("/observatory").get_data(as_text=True).split())
    assert "Restano fuori 1 comunità riservata" not in page  # singular form
    assert "Resta fuori 1 comunità riservata con 1 buona pratica pubblicata." in page
    assert 'href="/practices/centrale-unica-di-committenza"' in page and "Pratica riservata" not in page
    puglia = csv_rows(client.get("/observatory/regions.csv"))[16]
    assert puglia == ["Puglia", "0", "0", "2", "3", "0"]
