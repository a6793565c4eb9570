"""The reference taxonomies page (issue 16): every scheme, edition and validity, codes and names (English when the
reader's locale is English), technical missions flagged, programmes under their mission, counts of published KPIs
linking to the library's filter."""
from __future__ import annotations

import re

from app.extensions import db
from app.kpi.reference import load_programmes
from app.models import KpiDefinition
from tests.conftest import count_queries
from tests.kpi_world import make_kpi, term


def page(client, **headers) -> str:
    response = client.get("/kpi/reference", headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def row_of(html: str, code: str, scheme: str | None = None) -> str:
    """The table row of a term: the scheme is guessed from the code's shape unless given."""
    if scheme is None:
        scheme = ("bes_domain" if code.startswith("BES") else "piao_subsection" if "." in code
                  else "mission_state" if len(code) == 3 else "mission_local")
    return re.search(rf'<tr id="term-{scheme}-{re.escape(code)}">.*?</tr>', html, re.S).group(0)


def test_every_scheme_with_edition_and_validity(client, kworld):
    html = page(client)
    for title in ("Missioni di bilancio di Regioni ed enti locali", "Missioni del bilancio dello Stato",
                  "Sezioni del PIAO", "Sottosezioni del PIAO", "Domini BES (ISTAT)",
                  "Obiettivi di sviluppo sostenibile (Agenda 2030)"):
        assert f">{title}</h2>" in html, title
    assert "D.Lgs. 118/2011, allegato 14 (ARCONET)" in html and "Agenda 2030 (ONU)" in html
    assert "in vigore dal" in html
    assert "Servizi istituzionali, generali e di gestione" in row_of(html, "01")
    assert "Debito pubblico" in row_of(html, "034") and "Qualità dei servizi" in row_of(html, "BES_12")
    assert "Sconfiggere la povertà" in row_of(html, "1", "sdg")
    assert html.count('<th scope="row"><code>') == 23 + 34 + 4 + 6 + 12 + 17
    assert "<caption>" in html and 'scope="col"' in html


def test_technical_missions_flagged(client, kworld):
    html = page(client)
    for code in ("20", "50", "60", "99"):
        assert "Sì: senza indicatori di politica" in row_of(html, code), code
    for code in ("01", "12", "19"):
        assert "Sì: senza" not in row_of(html, code)


def test_counts_link_to_the_library_filter(app, client, kworld):
    html = page(client)
    # Mission 01: the two published KPIs (the deprecated one and proposals are not counted).
    assert 'href="/kpi/?mission=01"' in row_of(html, "01") and "2 indicatori" in row_of(html, "01")
    assert 'href="/kpi/?sdg=16"' in row_of(html, "16", "sdg") and "2 indicatori" in row_of(html, "16", "sdg")
    assert "1 indicatore" in row_of(html, "9", "sdg")
    assert ">0</td>" in row_of(html, "12")  # mission 12 has only a proposal
    assert "2 indicatori" in row_of(html, "2.1")
    with app.app_context():
        db.session.get(KpiDefinition, kworld.unadopted.id).current_version.bes_domain_id = \
            term("bes_domain", "BES_12").id
        db.session.commit()
    assert 'href="/kpi/?bes=BES_12"' in row_of(page(client), "BES_12")
    # The link gives the same KPIs.
    listed = client.get("/kpi/?mission=01").get_data(as_text=True)
    assert "2 indicatori trovati" in listed


def test_programmes_under_their_mission(app, client, kworld, tmp_path):
    with app.app_context():
        path = tmp_path / "p.csv"
        path.write_text("code;label\n1201;Interventi per l'infanzia e i minori e per asili nido\n", encoding="utf-8")
        load_programmes(path, "ARCONET test")
        definition = make_kpi("Bambini presi in carico")
        definition.current_version.terms = [term("programme_local", "1201")]
        db.session.commit()
    html = page(client)
    mission = row_of(html, "12")
    assert "1 programma" in mission and "<code>1201</code>" in mission and "asili nido" in mission
    assert 'href="/kpi/?mission=1201"' in mission
    assert "Programmi delle missioni" not in html  # no separate section: they sit under their mission


def test_english_locale_shows_english_names(client, kworld):
    with client.session_transaction() as session:
        session["lang"] = "en"  # what the language switch keeps (app/__init__.py select_locale)
    html = page(client)
    assert "No Poverty" in row_of(html, "1", "sdg") and "Sconfiggere la povertà" in row_of(html, "1", "sdg")
    assert "Health" in row_of(html, "BES_01") and 'lang="en"' in row_of(html, "BES_01")
    assert "Servizi istituzionali" in row_of(html, "01")  # missions have no English name: Italian stays


def test_htmx_and_bounded_queries(app, client, kworld):
    assert page(client, **{"HX-Request": "true"})  # a full page is fine for htmx too: nothing swaps a block here
    few = count_queries(app, client, "/kpi/reference")
    with app.app_context():
        for number in range(15):
            make_kpi(f"Indicatore di riferimento {number:02d}", missions=("04", "05"), sdgs=(4,))
        db.session.commit()
    assert count_queries(app, client, "/kpi/reference") == few


def test_reference_without_data(client):
    assert "non sono ancora state caricate" in page(client)
