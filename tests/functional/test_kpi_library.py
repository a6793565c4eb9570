"""The KPI library's list (issue 16): filters, visibility of proposals, order, pagination, htmx, bad input."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from tests.conftest import login
from tests.kpi_world import make_kpi, term

LIBRARY = "/kpi/"


def names_in(html: str) -> list[str]:
    """The KPI names of the cards, in their order."""
    return re.findall(r'<h2 class="h5 card-title"><a href="/kpi/[^"]+">([^<]+)</a>', html)


def library(client, query: str = "", htmx: bool = False) -> str:
    response = client.get(LIBRARY + ("?" + query if query else ""), headers={"HX-Request": "true"} if htmx else {})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_published_by_default_with_cards(client, kworld):
    html = library(client)
    found = names_in(html)
    assert sorted(found) == sorted([kworld.published.name, kworld.unadopted.name])
    assert "2 indicatori trovati" in html
    assert "KPI-0001" in html and "Adottato da 2 amministrazioni" in html and "Adottato da 0 amministrazioni" in html
    assert "Giorni" in html and "Più basso è meglio" in html and "01 · Servizi istituzionali" in html
    assert 'href="/kpi/reference"' in html and 'href="/communities/"' in html
    assert "Proponi un indicatore" in html


def test_deprecated_filter_and_unknown_status(client, kworld):
    assert names_in(library(client, "status=deprecated")) == [kworld.deprecated.name]
    assert sorted(names_in(library(client, "status=withdrawn"))) == sorted([kworld.published.name,
                                                                            kworld.unadopted.name])


@pytest.mark.parametrize("role, expected", [
    ("anonymous", set()),
    ("outsider", set()),
    ("supplier_person", set()),
    ("member", {"proposed"}),  # community member (and proposer)
    ("peer", {"proposed"}),  # community member only
    ("region_person", {"in_review"}),  # proposer of the programme's
    ("facilitator", {"proposed"}),
    ("staff", {"in_review"}),
    ("admin", {"proposed", "in_review"}),
])
def test_proposals_only_to_who_may_see_them(client, kworld, role, expected):
    if role != "anonymous":
        assert login(client, getattr(kworld, role)).status_code == 303
    names = set(names_in(library(client, "status=proposals")))
    assert names == {getattr(kworld, key).name for key in expected}
    assert kworld.withdrawn.name not in library(client, "status=proposals")
    # A proposal never shows among the published, whatever the reader.
    assert not {kworld.proposed.name, kworld.in_review.name} & set(names_in(library(client)))


def test_text_filter_on_name_short_name_and_tags(app, client, kworld):
    with app.app_context():
        make_kpi("Asili comunali", missions=("12",), short_name="Nidi", tags=["infanzia", "città"])
        db.session.commit()
    assert names_in(library(client, "q=pagamento")) == [kworld.published.name]
    assert names_in(library(client, "q=PAGAMENTO+fatture")) == [kworld.published.name]
    assert names_in(library(client, "q=spid")) == [kworld.unadopted.name]  # a tag
    assert names_in(library(client, "q=nidi")) == ["Asili comunali"]  # the short name
    assert names_in(library(client, "q=città")) == ["Asili comunali"]  # a non-ASCII tag
    assert names_in(library(client, "q=%25")) == []  # LIKE wildcards are literal
    assert names_in(library(client, "q=_")) == []
    assert names_in(library(client, "q=pagamento+inesistente")) == []


def test_taxonomy_and_level_filters(app, client, kworld):
    with app.app_context():
        waste = make_kpi("Raccolta differenziata comunale", missions=("09",), sdgs=(12,), level="municipality",
                         bes_domain_id=term("bes_domain", "BES_10").id)
        waste.current_version.piao_subsection_id = term("piao_subsection", "2.2").id
        make_kpi("Spesa per la giustizia", missions=("02",), level="any")
        db.session.commit()
    assert names_in(library(client, "mission=09")) == ["Raccolta differenziata comunale"]
    assert sorted(names_in(library(client, "mission=01"))) == sorted([kworld.published.name,
                                                                      kworld.unadopted.name])
    assert names_in(library(client, "sdg=12")) == ["Raccolta differenziata comunale"]
    assert sorted(names_in(library(client, "sdg=16"))) == sorted([kworld.published.name, kworld.unadopted.name])
    assert names_in(library(client, "bes=BES_10")) == ["Raccolta differenziata comunale"]
    assert names_in(library(client, "piao=2.2")) == ["Raccolta differenziata comunale"]
    assert names_in(library(client, "level=any")) == ["Spesa per la giustizia"]
    assert names_in(library(client, "mission=09&sdg=16")) == []
    # The proposal in review in mission 09 stays out for an anonymous reader, in for the admin.
    login(client, kworld.admin)
    assert sorted(names_in(library(client, "mission=09&status=proposals"))) == [kworld.in_review.name]


def test_mission_filter_reaches_programmes(app, client, kworld, tmp_path):
    from app.kpi.reference import load_programmes

    with app.app_context():
        path = tmp_path / "programmes.csv"
        path.write_text("code;label\n1201;Interventi per l'infanzia e i minori e per asili nido\n", encoding="utf-8")
        load_programmes(path, "test")
        programme = term("programme_local", "1201")
        definition = make_kpi("Bambini presi in carico")
        definition.current_version.terms = [programme]
        db.session.commit()
    assert names_in(library(client, "mission=12")) == ["Bambini presi in carico"]
    assert names_in(library(client, "mission=1201")) == ["Bambini presi in carico"]


def test_sort_orders(app, client, kworld):
    with app.app_context():
        newest = make_kpi("Zeta ultimo arrivato")
        newest.published_at = newest.published_at.replace(year=2100)
        db.session.commit()
    by_name = names_in(library(client))
    assert by_name == sorted(by_name, key=str.lower)
    assert names_in(library(client, "sort=adopted"))[0] == kworld.published.name
    assert names_in(library(client, "sort=newest"))[0] == "Zeta ultimo arrivato"
    assert names_in(library(client, "sort=bogus")) == by_name


def test_pagination_twenty_per_page_keeps_filters(app, client, kworld):
    with app.app_context():
        for number in range(25):
            make_kpi(f"Indicatore di prova {number:02d}", missions=("04",))
        db.session.commit()
    first = library(client, "mission=04")
    assert len(names_in(first)) == 20 and "25 indicatori trovati" in first
    assert "mission=04" in re.search(r'<nav class="pagination-wrapper[^>]*>.*?</nav>', first, re.S).group(0)
    second = library(client, "mission=04&page=2")
    assert len(names_in(second)) == 5
    assert not set(names_in(first)) & set(names_in(second))
    assert names_in(library(client, "mission=04&page=99")) == []
    # The app answers 404 for a page number that cannot exist (app/web.py sane_page_number).
    for bad in ("-3", "abc", "99999999999999999999"):
        assert client.get(f"{LIBRARY}?mission=04&page={bad}").status_code == 404


def test_htmx_returns_only_the_results_block(client, kworld):
    full = library(client, "q=pagamento")
    fragment = library(client, "q=pagamento", htmx=True)
    assert "<html" in full and 'id="kpi-results"' in full and 'hx-push-url="true"' in full
    assert "<html" not in fragment and "<form" not in fragment and 'id="kpi-results"' not in fragment
    assert names_in(fragment) == [kworld.published.name] and "1 indicatore trovato" in fragment


def test_filters_form_without_javascript(client, kworld):
    html = library(client, "mission=01&sdg=16&sort=adopted&q=tempo")
    form = re.search(r'<form method="get" action="/kpi/".*?</form>', html, re.S).group(0)
    for name in ("q", "status", "sort", "mission", "bes", "sdg", "level", "piao"):
        assert f'name="{name}"' in form
        control_id = re.search(rf'id="([^"]+)"[^>]*name="{name}"|name="{name}"[^>]*id="([^"]+)"', form)
        assert control_id, name
        assert f'for="{control_id.group(1) or control_id.group(2)}"' in form
    assert '<option value="01" selected>' in form and '<option value="16" selected>' in form
    assert '<option value="adopted" selected>' in form and 'value="tempo"' in form
    # Missions with policy KPIs come first, the technical ones last.
    assert form.index('value="19"') < form.index('value="001"') < form.index('value="20"')


BAD_QUERIES = [
    "q=%00", "q=pag%00amento", "mission=%00", "sdg=%00&bes=%00&piao=%00&level=%00&status=%00&sort=%00",
    "q=" + "x" * 5000, "mission=XX", "mission=" + "1" * 300, "sdg=-1", "bes=BES_99", "level=galaxy",
    "page=100000", "q=%27%3B+DROP+TABLE+kpi_definition%3B--", "mission=01&mission=09", "q=%F0%9F%98%80",
    "q=%E2%80%AE", "status[]=x&sort[]=y",
]


def test_bad_input_never_fails(client, kworld):
    for query in BAD_QUERIES:
        for htmx in (False, True):
            assert "trovat" in library(client, query, htmx=htmx), query  # "… indicatori trovati"


def test_unknown_filter_value_is_dropped(client, kworld):
    html = library(client, "mission=XX")
    assert sorted(names_in(html)) == sorted([kworld.published.name, kworld.unadopted.name])


def test_counts_per_status(client, kworld):
    assert "2 pubblicati" in library(client) and "1 dismesso" in library(client)
    login(client, kworld.admin)
    assert "2 proposte visibili" in library(client)


def test_list_queries_bounded(app, client, kworld):
    from tests.conftest import count_queries

    few = count_queries(app, client, LIBRARY)
    with app.app_context():
        for number in range(15):
            make_kpi(f"Altro indicatore {number:02d}", missions=("01", "04"), sdgs=(3,))
        db.session.commit()
    assert count_queries(app, client, LIBRARY) == few


def test_export_link_keeps_the_filters(client, kworld):
    html = library(client, "mission=01&sort=adopted&q=tempo")
    link = re.search(r'href="(/kpi/export/definitions\.csv[^"]*)"', html).group(1)
    assert "mission=01" in link and "sort=adopted" in link and "q=tempo" in link
    exported = client.get(link.replace("&amp;", "&"))
    assert exported.status_code == 200 and kworld.published.name in exported.get_data(as_text=True)
    assert kworld.unadopted.name not in exported.get_data(as_text=True)
