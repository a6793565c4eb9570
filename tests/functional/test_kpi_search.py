"""KPI definitions in full-text search (issue 16, point 7): a third kind of document ("k<id>") with its type facet,
found by its name, tags, codes and taxonomies; proposals and withdrawn definitions only for whoever may see them on
their pages (app.kpi.access), in the index and in the database search alike; edits reach the index through the
queue; `flask search status` and `reindex` count them."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.kpi.core import VERSION_FIELDS, VersionData, move, write_version
from app.models import KpiDefinition, KpiVersion, SearchPending, User
from tests.conftest import index_now, login
from tests.kpi_world import make_kpi, term

PROPOSED = "Posti nido ogni 100 bambini"
IN_REVIEW = "Quota di raccolta differenziata"
WITHDRAWN = "Indicatore ritirato di prova"
PUBLISHED = "Tempo medio di pagamento delle fatture"

# role -> (sees the community's proposal, the programme's proposal in review, the withdrawn proposal)
MATRIX = {
    "anonymous": (False, False, False),
    "outsider": (False, False, False),
    "supplier_person": (False, False, False),
    "peer": (True, False, False),  # a member of the community, not of the proposing organisation
    "member": (True, False, True),  # of the proposing organisation
    "facilitator": (True, False, True),  # reviewer of the community's proposals
    "staff": (False, True, False),  # reviewer of the programme's proposals
    "region_person": (False, True, False),  # proposer of the one in review
    "admin": (True, True, True),
}


def page(client, htmx=False, **args) -> str:
    response = client.get("/search", query_string=args, headers={"HX-Request": "true"} if htmx else {})
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def titles(body: str) -> list[str]:
    return re.findall(r'<h2 class="h5 card-title"><a href="[^"]+">([^<]+)</a>', body)


def hit_of(body: str, title: str) -> str:
    """The markup of the hit with that title."""
    return next(item for item in body.split('<li class="search-hit') if f">{title}</a></h2>" in item)


def facet_count(body: str, label: str) -> int | None:
    found = re.search(re.escape(label) + r'\s*<span class="visually-hidden">,</span> \((\d+)\)', body)
    return int(found.group(1)) if found else None


def status(app) -> dict:
    with app.app_context():
        report = app.extensions["search_index"].status()
        db.session.remove()
        return report


def drift(app) -> int:
    return sum(len(ids) for ids in status(app)["drift"].values())


@pytest.fixture
def kindex(app, kworld):
    """kworld, with a published KPI of mission 10 and 04 carrying an SDG, a BES domain and an external code."""
    with app.app_context():
        make_kpi("Passeggeri del trasporto pubblico locale", missions=("10", "04"), sdgs=(11,),
                 bes_domain_id=term("bes_domain", "BES_10").id, external_code="TPL-PAX-07",
                 data_source="Contratto di servizio con l'azienda", tags=["autobus"])
        db.session.commit()
    index_now(app)
    return kworld


def test_a_published_kpi_is_found_by_its_words_codes_and_taxonomies(app, client, kindex):
    body = page(client, q="fatture")
    assert titles(body)[0] == PUBLISHED
    # The hit: name linked to its page, code, status, unit, missions, adopters.
    assert '<a href="/kpi/tempo-medio-di-pagamento-delle-fatture">' in body
    assert "Indicatore (KPI) · KPI-0001" in body and "Giorni" in body and "Pubblicato" in body
    assert "01 · Servizi istituzionali, generali e di gestione" in body and "adottato da 2 enti" in body
    assert "<mark>fatture</mark>" in body
    tpl = "Passeggeri del trasporto pubblico locale"
    for words in ("passeggeri", "autobus",  # name, tag
                  "mobilità", "diritto allo studio",  # its missions' names (10, 04), accents folded too
                  "comunità sostenibili", "ambiente",  # SDG 11, BES domain 10
                  "TPL-PAX-07", "azienda"):  # external code, data source
        assert titles(page(client, q=words)) == [tpl], words
    assert "<mark>" not in page(client, q="TPL-PAX-07")  # codes are searched, never quoted: the definition shows
    assert tpl in titles(page(client, q="digitali OR autobus"))
    # By a tag only ("servizi digitali"), and by a mission code's name shared by three public KPIs.
    assert titles(page(client, q="digitali")) == ["Servizi online accessibili con SPID e CIE"]
    assert sorted(titles(page(client, q="istituzionali"))) == sorted([
        PUBLISHED, "Servizi online accessibili con SPID e CIE", "Giorni di pagamento fatture (vecchia definizione)"])


def _expected(role: str) -> dict[str, bool]:
    return dict(zip((PROPOSED, IN_REVIEW, WITHDRAWN), MATRIX[role]))


def _sees_only_what_it_may(client, role: str, mode: str) -> None:
    htmx = mode == "index-htmx"
    expected = _expected(role)
    for name, word in ((PROPOSED, "nido"), (IN_REVIEW, "differenziata"), (WITHDRAWN, "ritirato")):
        body = page(client, htmx, q=word)
        assert ("temporaneamente incompleti" in body) is (mode == "database")
        assert (name in titles(body)) is expected[name], (mode, name, word)
        assert (name in page(client, htmx, q=word, type="kpi")) is expected[name]
    # Totals and the type facet never count what the reader may not see.
    everything = page(client, htmx)
    kpis = 3 + sum(expected.values())  # published, unadopted and deprecated are public
    assert f"1 pratica e {kpis} indicatori" in everything
    if mode != "database":  # the database search has no facet counts
        assert facet_count(everything, "Indicatori (KPI)") == kpis
        # "Did you mean" never offers a word only a hidden proposal contains.
        assert ("<strong>differenziata</strong>" in page(client, htmx, q="diferenziata")) is expected[IN_REVIEW]


@pytest.mark.parametrize("role", MATRIX)
def test_proposals_and_withdrawn_kpis_only_for_who_may_see_them(app, client, kworld, role):
    if role != "anonymous":
        assert login(client, getattr(kworld, role)).status_code in (302, 303)
    _sees_only_what_it_may(client, role, "database")  # no index yet: the search answers from the database
    index_now(app)
    _sees_only_what_it_may(client, role, "index")
    _sees_only_what_it_may(client, role, "index-htmx")


def test_type_facet_counts_and_filters(app, client, kindex):
    with app.app_context():
        make_kpi("Tempi di pagamento dei contributi sociali", missions=("01", "12"))
        db.session.commit()
    index_now(app)
    body = page(client, q="pagamento")
    assert "1 pratica e 3 indicatori trovati per «pagamento»" in body
    assert facet_count(body, "Indicatori (KPI)") == 3 and facet_count(body, "Buone pratiche") == 1
    only_kpis = page(client, q="pagamento", type="kpi")
    assert "3 indicatori trovati per «pagamento»" in only_kpis
    assert "Pagamenti veloci ai fornitori" not in titles(only_kpis)
    assert titles(page(client, q="pagamento", type="practice")) == ["Pagamenti veloci ai fornitori"]
    assert titles(page(client, q="pagamento", type="question")) == []
    # A mission filter finds a KPI whatever the place of the mission among its own (the count is its first).
    assert titles(page(client, q="pagamento", mission="12")) == ["Tempi di pagamento dei contributi sociali"]
    assert len(titles(page(client, q="pagamento", mission="01", type="kpi"))) == 3
    assert titles(page(client, q="pagamento", theme="procurement", type="kpi")) == []
    assert "Nessun indicatore trovato" in page(client, q="ornitorinco", type="kpi")
    assert client.get("/search", query_string={"type": "kpis"}).status_code == 400


def test_the_database_search_filters_kpis_too(app, client, kworld):
    with app.app_context():
        make_kpi("Tempi di pagamento dei contributi sociali", missions=("01", "12"))
        db.session.commit()
    body = page(client, q="pagament")  # no index: from the database, by parts of words
    assert "temporaneamente incompleti" in body and "1 pratica e 3 indicatori trovati per «pagament»" in body
    assert titles(page(client, q="pagament", mission="12", type="kpi")) == [
        "Tempi di pagamento dei contributi sociali"]
    assert "Pagamenti veloci ai fornitori" not in page(client, q="pagament", type="kpi")
    assert titles(page(client, q="pagament", type="practice")) == ["Pagamenti veloci ai fornitori"]
    assert titles(page(client, q="pagament", solved="yes")) == []
    assert titles(page(client, q="KPI-0001")) == [PUBLISHED]  # by its code
    assert titles(page(client, q="spid", type="kpi")) == ["Servizi online accessibili con SPID e CIE"]


def _data(version: KpiVersion, **changes) -> VersionData:
    fields = {name: getattr(version, name) for name in VERSION_FIELDS}
    fields.update(changes)
    return VersionData(fields=fields, term_ids=[t.id for t in version.terms])


def test_a_new_version_with_another_name_updates_the_index(app, client, kworld):
    index_now(app)
    assert drift(app) == 0
    with app.test_request_context():
        definition = db.session.get(KpiDefinition, kworld.published.id)
        data = _data(definition.current_version, name="Tempo medio di liquidazione dei fornitori",
                     tags=["liquidazioni"], formula="Media ponderata dei giorni tra ricezione e liquidazione",
                     description="I giorni che servono per liquidare un fornitore.")
        write_version(definition, data, db.session.get(User, kworld.adopter.id), change_note="Nuovo nome")
        db.session.commit()
        queued = db.session.scalars(select(SearchPending.kpi_id).where(SearchPending.kpi_id.is_not(None))).all()
    assert queued and set(queued) == {kworld.published.id}
    assert drift(app) == 1  # stale until the writer runs
    # Meanwhile the old words still find it, read again from the database: its new name, no snippet of old text.
    body = page(client, q="fatture")
    assert "Tempo medio di liquidazione dei fornitori" in titles(body) and PUBLISHED not in body
    assert "<mark>" not in hit_of(body, "Tempo medio di liquidazione dei fornitori")
    index_now(app)
    assert drift(app) == 0
    assert titles(page(client, q="liquidazione")) == ["Tempo medio di liquidazione dei fornitori"]
    assert "Tempo medio di liquidazione dei fornitori" not in titles(page(client, q="fatture"))


def test_workflow_moves_and_term_changes_reach_the_index(app, client, kworld):
    index_now(app)
    assert IN_REVIEW not in titles(page(client, q="differenziata"))
    with app.test_request_context():
        definition = db.session.get(KpiDefinition, kworld.in_review.id)
        move(definition, "publish", db.session.get(User, kworld.staff.id))
        db.session.commit()
    index_now(app)
    assert titles(page(client, q="differenziata")) == [IN_REVIEW]  # public now, for everybody
    with app.app_context():  # only the missions of a version change: its definition is queued
        version = db.session.get(KpiDefinition, kworld.unadopted.id).current_version
        version.terms = [term("mission_local", "10")]
        db.session.commit()
        assert db.session.scalar(select(SearchPending.kpi_id)) == kworld.unadopted.id
    index_now(app)
    assert titles(page(client, q="mobilità")) == ["Servizi online accessibili con SPID e CIE"]
    with app.app_context():  # an adoption's count alone is not index work
        db.session.get(KpiDefinition, kworld.unadopted.id).adoption_count = 3
        db.session.commit()
        assert db.session.scalar(select(SearchPending.id)) is None
    assert drift(app) == 0


def test_status_and_reindex_count_kpis(app, client, kworld):
    index_now(app)
    report = status(app)
    assert (report["database_kpis"], report["index_kpis"], report["index_practices"]) == (6, 6, 1)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0 and "Index rebuilt: 7 documents." in result.output, result.output
    result = runner.invoke(args=["search", "status", "--check"])
    assert result.exit_code == 0, result.output
    assert "KPIs:              6 in the database, 6 in the index" in result.output
    assert "practices:         1 in the database, 1 in the index" in result.output
    assert "Drift:               0" in result.output
    with app.app_context():  # a definition gone from the database leaves the index with the queue
        definition = db.session.get(KpiDefinition, kworld.withdrawn.id)
        version = definition.current_version
        definition.current_version = None
        db.session.flush()
        db.session.execute(db.delete(db.metadata.tables["kpi_change"]).where(
            db.metadata.tables["kpi_change"].c.definition_id == definition.id))
        db.session.delete(version)
        db.session.delete(definition)
        db.session.commit()
    index_now(app)
    report = status(app)
    assert report["index_kpis"] == 5 and drift(app) == 0


def test_the_similar_questions_box_never_suggests_kpis(app, client, kworld):
    index_now(app)
    response = client.get("/questions/similar", query_string={"title": "Tempo medio di pagamento delle fatture"},
                          headers={"HX-Request": "true"})
    assert response.status_code == 200 and "/kpi/" not in response.get_data(as_text=True)


def test_kpi_hits_cost_a_bounded_number_of_queries(app, client, kworld):
    from tests.conftest import count_queries

    index_now(app)
    login(client, kworld.member)
    url = "/search?q=indicatore+OR+fatture&type=kpi"
    few = count_queries(app, client, url)
    with app.app_context():
        for n in range(12):
            make_kpi(f"Indicatore di prova numero {n}", missions=("01", "04"), sdgs=(4,))
        db.session.commit()
    index_now(app)
    assert len(titles(page(client, q="indicatore OR fatture", type="kpi"))) == 10  # a full page
    assert count_queries(app, client, url) == few
