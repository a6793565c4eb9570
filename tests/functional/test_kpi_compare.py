"""The comparison of a KPI across its adopters (issue 16, point 6): peers of the same level by default, all adopters
or a chosen set, the focus year, provisional values only for their own organisation, alphabetical order (no
ranking) unless the reader asks for the order by value, the caveat always visible, versions and a broken series
said, the chart beside its table, htmx fragment, bad input, bounded queries. Real database, SQLite and PostgreSQL."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import KpiDefinition, KpiVersion, Organization
from tests.conftest import count_queries, login, make_org
from tests.kpi_world import make_adoption

HX = {"HX-Request": "true"}
SLUG = "tempo-medio-di-pagamento-delle-fatture"
URL = f"/kpi/{SLUG}/compare"
CAVEAT = "il confronto non è una classifica"
CHIERI_PROVISIONAL = "27 gg"  # Chieri's 2025 value, provisional
ROLES = ("anonymous", "member", "adopter", "peer", "outsider", "facilitator", "staff", "region_person", "admin")


def client_as(app, kworld, role: str):
    client = app.test_client()
    if role != "anonymous":
        assert login(client, getattr(kworld, role)).status_code == 303
    return client


def table_rows(page: str) -> list[str]:
    """The organisation names of the comparison table, in the order shown."""
    table = page.split('id="kpi-comparison-table"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<th scope="row"><a href="/kpi/organizations/[^"]+">([^<]+)</a>', table)


def add_adopter(app, name: str, values: dict, pa_kind: str = "municipality", **fields) -> None:
    with app.app_context():
        definition = db.session.scalar(db.select(KpiDefinition).where(KpiDefinition.slug == SLUG))
        make_adoption(definition, make_org(name, pa_kind=pa_kind, ipa_code=None), values, **fields)
        db.session.commit()


# ---- who sees what ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_comparison_of_a_published_kpi(app, kworld, role):
    client = client_as(app, kworld, role)
    for htmx in (False, True):
        page = client.get(URL, headers=HX if htmx else {})
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert CAVEAT in text and "Comune di Chieri" in text and "Comune di Moncalieri" in text
        assert ("<html" in text) is not htmx
        sees_provisional = role in ("member", "adopter", "admin")  # Chieri's people and administrators
        assert (CHIERI_PROVISIONAL in text) is sees_provisional
        assert ("provvisorio</span>" in text) is sees_provisional


def test_a_proposal_is_compared_only_by_who_may_see_it(app, kworld):
    slug = "posti-nido-ogni-100-bambini"
    for role, status in (("anonymous", 404), ("outsider", 404), ("supplier_person", 404), ("member", 200),
                         ("facilitator", 200), ("admin", 200)):
        client = client_as(app, kworld, role)
        assert client.get(f"/kpi/{slug}/compare").status_code == status, role
        assert client.get(f"/kpi/{slug}/compare", headers=HX).status_code == status, role


def test_unknown_or_hidden_definitions_are_not_found(app, kworld):
    client = client_as(app, kworld, "outsider")
    for url in ("/kpi/non-esiste/compare", "/kpi/%00/compare", "/kpi/indicatore-ritirato-di-prova/compare"):
        assert client.get(url).status_code == 404, url
        assert client.get(url, headers=HX).status_code == 404, url


def test_the_own_organisation_sees_its_provisional_value_marked(app, kworld):
    text = client_as(app, kworld, "adopter").get(URL).get_data(as_text=True)
    row = text.split("Comune di Chieri</a>", 1)[1].split("</tr>", 1)[0]
    assert "(il tuo ente)" in row
    assert "27 gg <span class=\"badge bg-warning text-dark\">provvisorio</span>" in row
    assert "30 gg" in row and "Sì, obiettivo raggiunto" in row  # 2025: 27 days against 30, lower is better
    anonymous = client_as(app, kworld, "anonymous").get(URL).get_data(as_text=True)
    row = anonymous.split("Comune di Chieri</a>", 1)[1].split("</tr>", 1)[0]
    assert "Non valutabile" in row and "(il tuo ente)" not in row  # no visible 2025 value for Chieri


# ---- peers --------------------------------------------------------------------------------------------------

def test_default_peers_are_the_organisations_of_the_versions_level(app, kworld):
    add_adopter(app, "Regione Liguria", {"2024": 33.0}, pa_kind="region")
    default = client_as(app, kworld, "anonymous").get(URL).get_data(as_text=True)
    assert table_rows(default) == ["Comune di Chieri", "Comune di Moncalieri"]
    assert "Enti dello stesso livello: Comune" in default
    everybody = client_as(app, kworld, "anonymous").get(URL + "?peers=all").get_data(as_text=True)
    assert table_rows(everybody) == ["Comune di Chieri", "Comune di Moncalieri", "Regione Liguria"]
    # The region is an adopter: it is offered in the chosen-set checkboxes.
    assert 'value="regione-liguria"' in default


def test_level_any_compares_every_adopter(app, kworld):
    add_adopter(app, "Regione Liguria", {"2024": 33.0}, pa_kind="region")
    with app.app_context():
        definition = db.session.scalar(db.select(KpiDefinition).where(KpiDefinition.slug == SLUG))
        definition.current_version.level = "any"
        db.session.commit()
    text = client_as(app, kworld, "anonymous").get(URL).get_data(as_text=True)
    assert table_rows(text) == ["Comune di Chieri", "Comune di Moncalieri", "Regione Liguria"]


def test_a_chosen_set(app, kworld):
    add_adopter(app, "Regione Liguria", {"2024": 33.0}, pa_kind="region")
    client = client_as(app, kworld, "anonymous")
    text = client.get(URL + "?peers=chosen&org=comune-di-moncalieri&org=regione-liguria").get_data(as_text=True)
    assert table_rows(text) == ["Comune di Moncalieri", "Regione Liguria"]
    assert re.search(r'value="comune-di-moncalieri"[^>]* checked|checked[^>]*value="comune-di-moncalieri"', text)
    # Without "peers", organisations given mean a chosen set.
    assert table_rows(client.get(URL + "?org=comune-di-chieri").get_data(as_text=True)) == ["Comune di Chieri"]
    # Nobody chosen: the page asks to choose.
    assert "Scegliete nell'elenco" in client.get(URL + "?peers=chosen").get_data(as_text=True)


def test_unknown_organisations_are_ignored_with_a_notice(app, kworld):
    text = client_as(app, kworld, "anonymous").get(
        URL + "?peers=chosen&org=comune-di-chieri&org=non-esiste&org=comune-di-asti").get_data(as_text=True)
    assert table_rows(text) == ["Comune di Chieri"]
    assert "2 enti scelti non hanno adottato questo indicatore o non esistono" in text


def test_at_most_twelve_chosen(app, kworld):
    for number in range(13):
        add_adopter(app, f"Comune numero {number:02d}", {"2024": 30.0 + number})
    query = "&".join(f"org=comune-numero-{number:02d}" for number in range(13))
    text = client_as(app, kworld, "anonymous").get(f"{URL}?peers=chosen&{query}").get_data(as_text=True)
    assert len(table_rows(text)) == 12 and "Comune numero 12" not in table_rows(text)
    assert "al massimo 12 enti" in text


# ---- the table ---------------------------------------------------------------------------------------------

def test_no_ranking_by_default_and_order_by_value_on_request(app, kworld):
    add_adopter(app, "Comune di Alba", {"2024": 60.0}, target_1=50.0)  # the worst value, first in the alphabet
    client = client_as(app, kworld, "anonymous")
    text = client.get(URL + "?year=2024").get_data(as_text=True)
    assert table_rows(text) == ["Comune di Alba", "Comune di Chieri", "Comune di Moncalieri"]
    assert "In ordine alfabetico: il confronto non è una classifica." in text
    ranked = client.get(URL + "?year=2024&sort=value").get_data(as_text=True)
    assert table_rows(ranked) == ["Comune di Chieri", "Comune di Moncalieri", "Comune di Alba"]  # lower is better
    assert "prima i migliori secondo la polarità (Più basso è meglio)" in ranked


def test_higher_is_better_orders_the_other_way(app, kworld):
    add_adopter(app, "Comune di Alba", {"2024": 60.0})
    with app.app_context():
        db.session.scalar(db.select(KpiDefinition).where(KpiDefinition.slug == SLUG)).current_version.polarity = \
            "higher"
        db.session.commit()
    ranked = client_as(app, kworld, "anonymous").get(URL + "?year=2024&sort=value").get_data(as_text=True)
    assert table_rows(ranked) == ["Comune di Alba", "Comune di Moncalieri", "Comune di Chieri"]


def test_the_focus_year_chooses_the_targets(app, kworld):
    client = client_as(app, kworld, "anonymous")
    text = client.get(URL + "?year=2024").get_data(as_text=True)
    assert "Obiettivo 2024" in text
    chieri = text.split("Comune di Chieri</a>", 1)[1].split("</tr>", 1)[0]
    assert "35 gg" in chieri and "Sì, obiettivo raggiunto" in chieri  # 31 against 35
    moncalieri = text.split("Comune di Moncalieri</a>", 1)[1].split("</tr>", 1)[0]
    assert "50 gg" in moncalieri and "Sì, obiettivo raggiunto" in moncalieri  # 49 against 50
    assert "Nessun valore per il" not in text
    elsewhere = client.get(URL + "?year=2019").get_data(as_text=True)
    assert "Nessun valore per il 2019: la tabella mostra gli obiettivi del 2025." in elsewhere
    latest = client.get(URL).get_data(as_text=True)  # default: the latest year with a value
    assert "Obiettivo 2025" in latest
    moncalieri = latest.split("Comune di Moncalieri</a>", 1)[1].split("</tr>", 1)[0]
    assert "45 gg" in moncalieri and "Sì, obiettivo raggiunto" in moncalieri  # 44 against 45
    assert "<th scope=\"col\">2023</th>" in latest and "Valore di base" in latest and "60 gg" in latest


def test_polarity_unit_and_versions_are_shown(app, kworld):
    text = client_as(app, kworld, "anonymous").get(URL, headers=HX).get_data(as_text=True)
    assert "Più basso è meglio" in text and "Giorni" in text
    assert "versione 1 (attuale)" in text
    assert "versioni diverse" not in text


def test_different_versions_and_a_broken_series_are_said(app, kworld):
    with app.app_context():
        definition = db.session.scalar(db.select(KpiDefinition).where(KpiDefinition.slug == SLUG))
        old = definition.current_version
        new = KpiVersion(definition_id=definition.id, number=2, name=old.name, unit=old.unit, polarity=old.polarity,
                         level=old.level, frequency=old.frequency, caveat="Dal 2025 conta anche le note di credito.",
                         change_note="Si contano anche le note di credito.", breaks_series=True)
        db.session.add(new)
        db.session.flush()
        definition.current_version = new
        make_adoption(definition, db.session.get(Organization, kworld.other.id), {"2025": 20.0})
        db.session.commit()
    text = client_as(app, kworld, "anonymous").get(URL).get_data(as_text=True)
    assert "versioni diverse della definizione" in text
    assert "La versione 2 interrompe la serie storica" in text and "Si contano anche le note di credito." in text
    assert "Dal 2025 conta anche le note di credito." in text  # the version's own caveat, beside the general one
    assert CAVEAT in text
    asti = text.split("Comune di Asti</a>", 1)[1].split("</tr>", 1)[0]
    assert "<td>2</td>" in asti


def test_the_caveat_is_always_visible(app, kworld):
    client = client_as(app, kworld, "anonymous")
    for url in (URL, URL + "?peers=chosen", URL + "?peers=chosen&org=nessuno",
                "/kpi/servizi-online-accessibili-con-spid-e-cie/compare"):
        for headers in ({}, HX):
            text = client.get(url, headers=headers).get_data(as_text=True)
            assert CAVEAT in text
            before = text.split("Prima di confrontare", 1)[0]
            assert before.count("<details") == before.count("</details>")  # not inside a closed disclosure
            assert "collapse" not in before[before.rindex("<div"):]


def test_the_chart_is_beside_its_table(app, kworld):
    text = client_as(app, kworld, "anonymous").get(URL).get_data(as_text=True)
    table_at, chart_at = text.index('id="kpi-comparison-table"'), text.index('class="chart-line"')
    assert table_at < chart_at
    chart = text[chart_at:text.index("</svg>", chart_at)]
    assert "<title>«Tempo medio di pagamento delle fatture» negli enti a confronto</title>" in chart
    assert "<desc>Valori per anno di 2 enti, dal 2023 al 2025" in chart
    assert "Comune di Moncalieri da 55 gg (2023) a 44 gg (2025)" in chart
    assert "Comune di Chieri da 38 gg (2023) a 31 gg (2024);" in chart  # its 2025 is not for everybody
    own = client_as(app, kworld, "adopter").get(URL).get_data(as_text=True)
    assert "Comune di Chieri da 38 gg (2023) a 27 gg (2025), provvisorio;" in own
    assert 'role="img"' in text[chart_at:text.index(">", chart_at)]
    assert "Il grafico riporta i valori della tabella" in text


def test_a_wide_chart_scrolls_and_stops_at_twelve_lines(app, kworld):
    for number in range(12):
        add_adopter(app, f"Comune numero {number:02d}", {"2024": 30.0 + number})
    text = client_as(app, kworld, "anonymous").get(URL).get_data(as_text=True)
    assert len(table_rows(text)) == 14
    chart = text[text.index('class="chart-line"'):text.index("</svg>", text.index('class="chart-line"'))]
    assert chart.count('stroke-width="2.5"') == 12
    assert 'class="overflow-auto"' in text and "Mostra i primi 12 enti" in text


def test_htmx_gets_only_the_block(app, kworld):
    text = client_as(app, kworld, "anonymous").get(URL + "?peers=all", headers=HX).get_data(as_text=True)
    assert "<html" not in text and "<form" not in text and 'id="kpi-comparison-table"' in text
    full = client_as(app, kworld, "anonymous").get(URL).get_data(as_text=True)
    assert f'hx-get="{URL}"' in full and 'hx-push-url="true"' in full and 'hx-target="#kpi-comparison"' in full


BAD_QUERIES = ["?year=abc", "?year=-1", "?year=99999999999999999999", "?org=%00", "?peers=%00&org=%00comune-di-chieri",
               "?sort=%00", "?peers=" + "x" * 5000, "?" + "&".join(f"org=ente-{n}" for n in range(100)),
               "?peers=chosen&" + "&".join("org=comune-di-chieri" for _ in range(100))]


def test_bad_input_never_breaks_the_page(app, kworld):
    client = client_as(app, kworld, "adopter")
    for query in BAD_QUERIES:
        for headers in ({}, HX):
            response = client.get(URL + query, headers=headers)
            assert response.status_code == 200, query
            assert CAVEAT in response.get_data(as_text=True)


def test_a_kpi_nobody_adopted(app, kworld):
    text = client_as(app, kworld, "anonymous").get(
        "/kpi/servizi-online-accessibili-con-spid-e-cie/compare").get_data(as_text=True)
    assert "Nessun ente ha ancora adottato questo indicatore." in text and 'class="chart-line"' not in text


def test_withdrawn_adoptions_and_inactive_organisations_are_left_out(app, kworld):
    add_adopter(app, "Comune di Bra", {"2024": 20.0}, active=False)
    add_adopter(app, "Comune di Cuneo", {"2024": 20.0})
    with app.app_context():
        db.session.scalar(db.select(Organization).where(Organization.slug == "comune-di-cuneo")).status = "pending"
        db.session.commit()
    text = client_as(app, kworld, "anonymous").get(URL + "?peers=all").get_data(as_text=True)
    assert table_rows(text) == ["Comune di Chieri", "Comune di Moncalieri"]
    assert "Comune di Bra" not in text and "Comune di Cuneo" not in text


# ---- bounded queries -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ("anonymous", "adopter"))
def test_queries_do_not_grow_with_the_adopters(app, kworld, role):
    client = client_as(app, kworld, role)
    two = count_queries(app, client, URL)
    two_all = count_queries(app, client, URL + "?peers=all&year=2024&sort=value")
    for number in range(10):
        add_adopter(app, f"Comune numero {number:02d}", {"2023": 40.0, "2024": 30.0 + number, "2025": 25.0},
                    provisional=("2025",))
    assert len(table_rows(client.get(URL).get_data(as_text=True))) == 12
    assert count_queries(app, client, URL) == two
    assert count_queries(app, client, URL + "?peers=all&year=2024&sort=value") == two_all
    assert two <= 10  # the page (user, notifications…) plus definition, versions, adoptions, values
