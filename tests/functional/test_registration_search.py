"""Registration at national scale: finding one's organisation among 23,000 by name, city or IPA code, with and
without JavaScript, a truthful count, and a new organisation's request prefilled from the IPA registry."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import event, func, select

from app.extensions import db
from app.models import Organization, OrganizationStatus, User
from app.models.base import utcnow
from tests.conftest import csrf_token, links_in, make_org, post
from tests.functional.test_registration import count, registration

NATION = 23_000
RADIO = re.compile(r'<input type="radio" name="organization" id="organization-(\d+)"')


@pytest.fixture
def nation(app, world):
    """23,000 active organisations, as many as the national IPA list, beside the world's Chieri and Asti."""
    now = utcnow()
    rows = [{"name": f"Comune di Borgo {n:05d}", "sort_name": f"comune di borgo {n:05d}",
             "slug": f"comune-di-borgo-{n:05d}", "kind": "public_administration", "pa_kind": "municipality",
             "region_code": "01", "province_code": "TO", "city": f"Borgo {n:05d}", "ipa_code": f"c_x{n:05d}",
             "status": OrganizationStatus.ACTIVE, "description": "", "created_at": now} for n in range(NATION)]
    with app.app_context():
        for start in range(0, NATION, 5000):
            db.session.execute(Organization.__table__.insert(), rows[start:start + 5000])
        db.session.commit()
    return world


class Statements:
    """Counts the SQL statements the requests inside the block issue."""

    def __init__(self, app):
        self.app, self.count = app, 0

    def _listen(self, *args):
        self.count += 1

    def __enter__(self):
        with self.app.app_context():
            event.listen(db.engine, "before_cursor_execute", self._listen)
        return self

    def __exit__(self, *exc):
        with self.app.app_context():
            event.remove(db.engine, "before_cursor_execute", self._listen)


def search_step(client, htmx=False, **fields):
    """The no-JavaScript search: the registration form submitted with its "Cerca" button."""
    data = registration(step="search", **fields)
    return post(client, "/auth/register", data, page="/auth/register", htmx=htmx)


def radios(page: str) -> list[str]:
    return RADIO.findall(page)


def test_the_page_and_every_search_stay_small_among_23000_organisations(app, client, nation):
    for headers in ({}, {"HX-Request": "true"}):
        with Statements(app) as statements:
            response = client.get("/auth/register", headers=headers)
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and len(page) < 60_000 and statements.count <= 6
        assert radios(page) == [] and "<option value=\"1\"" not in page and "Borgo" not in page
        assert 'name="organization_search"' in page and 'value="new"' in page and "Non trovi il tuo ente?" in page

    # Without JavaScript: "Cerca" submits the form as a step; the results are a bounded list, the count is truthful,
    # what was typed is kept and nothing is saved.
    before = count(app, User)
    with Statements(app) as statements:
        response = search_step(client, organization_search="comune", full_name="Giulia Ferraris")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and statements.count <= 8 and len(page) < 80_000
    assert len(radios(page)) == 50 and "Più di 50 enti: restringi la ricerca" in page
    assert "50 enti trovati" not in page and "error-summary" not in page
    assert 'value="Giulia Ferraris"' in page and count(app, User) == before

    # With JavaScript: the results narrow as one types, as a fragment of the same size.
    for query in ("comune", "borgo", "comune di"):
        with Statements(app) as statements:
            fragment = client.get(f"/organizations/choices?organization_search={query}",
                                  headers={"HX-Request": "true"})
        text = fragment.get_data(as_text=True)
        assert fragment.status_code == 200 and "<html" not in text and "HX-Request" in fragment.headers["Vary"]
        assert len(radios(text)) == 50 and "Più di 50 enti" in text and statements.count <= 4 and len(text) < 40_000
        assert 'id="organization-count" hx-swap-oob="innerHTML"' in text  # the announced count is updated too

    # A precise search finds the one organisation, by IPA code, by city, or by words of the name in any case.
    by_code = client.get("/organizations/choices?organization_search=C_X12345",
                         headers={"HX-Request": "true"}).get_data(as_text=True)
    by_city = search_step(client, organization_search="borgo 12345").get_data(as_text=True)
    by_words = search_step(client, organization_search="12345 COMUNE").get_data(as_text=True)
    for text in (by_code, by_city, by_words):
        assert "Comune di Borgo 12345" in text and len(radios(text)) == 1 and "1 ente trovato." in text


def test_the_count_is_exact_up_to_fifty_and_says_more_beyond(app, client, world):
    with app.app_context():
        for n in range(50):
            make_org(f"Istituto comprensivo {n:02d}", ipa_code=f"ic_{n:02d}")
        db.session.commit()
    exactly = client.get("/organizations/choices?organization_search=istituto").get_data(as_text=True)
    assert "50 enti trovati." in exactly and "Più di" not in exactly and len(radios(exactly)) == 50
    with app.app_context():
        make_org("Istituto comprensivo 50", ipa_code="ic_50")
        make_org("Istituto in attesa", ipa_code="ic_99", status="pending")  # not offered: not yet accepted
        db.session.commit()
    beyond = client.get("/organizations/choices?organization_search=istituto").get_data(as_text=True)
    assert "Più di 50 enti: restringi la ricerca" in beyond and len(radios(beyond)) == 50
    assert "Istituto in attesa" not in beyond
    nothing = client.get("/organizations/choices?organization_search=zzz").get_data(as_text=True)
    assert "Nessun ente trovato sulla piattaforma per «zzz»" in nothing and radios(nothing) == []
    assert 'value="new"' in nothing  # the way to ask for a new organisation is always there


def test_search_by_city_and_without_accents_best_match_first(app, client, world):
    with app.app_context():
        make_org("ASL TO5", ipa_code="asl_to5", pa_kind="health_authority", city="Chieri")
        make_org("Comune di Cantù", ipa_code="c_b639", region_code="03", province_code="CO", city="Cantù")
        db.session.commit()
    chieri = client.get("/organizations/choices?organization_search=chieri").get_data(as_text=True)
    assert chieri.index("Comune di Chieri") < chieri.index("ASL TO5")  # the name before the city's other bodies
    assert "2 enti trovati." in chieri
    assert "Comune di Cantù" in client.get("/organizations/choices?organization_search=cantu").get_data(as_text=True)


def test_the_chosen_organization_is_kept_through_searches_and_errors(app, client, world):
    asti = str(world.other_org.id)
    # Typing again (htmx) keeps the checked organisation first, even when it no longer matches.
    narrowed = client.get(f"/organizations/choices?organization_search=chieri&organization={asti}",
                          headers={"HX-Request": "true"}).get_data(as_text=True)
    assert radios(narrowed) == [asti, str(world.org.id)] and f'value="{asti}"\n           checked' in narrowed
    # A refused registration shows the chosen organisation checked, for both variants.
    for htmx in (False, True):
        refused = post(client, "/auth/register", registration(organization=asti, password="corta",
                                                              password_confirm="corta"),
                       page="/auth/register", htmx=htmx)
        page = refused.get_data(as_text=True)
        assert refused.status_code == 422 and 'id="password-error"' in page
        assert radios(page) == [asti] and "checked" in page.split(f'value="{asti}"')[1][:40]


def test_enter_with_no_organization_chosen_searches_instead_of_refusing(client, world):
    response = post(client, "/auth/register", registration(organization_search="asti"), page="/auth/register")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and radios(page) == [str(world.other_org.id)]
    assert "error-summary" not in page


def test_a_forged_stale_or_pending_organization_is_refused_at_the_field(app, client, world):
    with app.app_context():
        pending = make_org("Comune in attesa", ipa_code="c_zz01", status="pending")
        db.session.commit()
        pending_id = pending.id
    for value in (str(pending_id), "999999", "9" * 30, "abc"):
        response = post(client, "/auth/register", registration(organization=value), page="/auth/register")
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and 'id="organization-error"' in page, value
        assert 'href="#organization"' in page and 'id="organization"' in page  # the summary links to the choices
    assert count(app, User) == 5


IPA_TABLE = (
    "Codice_IPA\tDenominazione_ente\tComune\tProvincia\tRegione\tSito_istituzionale\n"
    "c_g674\tComune di Pinerolo\tPINEROLO\tTO\tPiemonte\twww.comune.pinerolo.to.it\n"
    "c_c627\tComune di Chieri\tCHIERI\tTO\tPiemonte\twww.comune.chieri.to.it\n"
    "asl_to3\tAzienda Sanitaria Locale TO3\tCOLLEGNO\tTO\tPiemonte\t\n"
)


@pytest.fixture
def ipa_table(app, tmp_path):
    path = tmp_path / "enti.tsv"
    path.write_text(IPA_TABLE, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["organizations", "load-ipa-codes", str(path)])
    assert result.exit_code == 0 and "3 codes" in result.output
    return path


def test_a_new_organization_request_is_prefilled_from_the_ipa_registry(app, client, world, ipa_table, outbox):
    # The search offers the registry's bodies that are not on the platform yet.
    found = search_step(client, organization_search="pinerolo").get_data(as_text=True)
    assert "Nessun ente trovato sulla piattaforma" in found and "Nell'Indice PA, non ancora sulla piattaforma" in found
    assert 'name="ipa_prefill" value="c_g674"' in found
    for htmx in (False, True):
        prefilled = post(client, "/auth/register", registration(ipa_prefill="c_g674", organization_search="pinerolo"),
                         page="/auth/register", htmx=htmx)
        page = prefilled.get_data(as_text=True)
        assert prefilled.status_code == 200 and "error-summary" not in page
        assert 'value="Comune di Pinerolo"' in page and 'value="c_g674"' in page and 'value="Pinerolo"' in page
        assert 'value="https://www.comune.pinerolo.to.it"' in page
        for select_name, value in (("kind", "public_administration"), ("pa_kind", "municipality"), ("region", "01"),
                                   ("province", "TO")):
            assert re.search(rf'<select[^>]*name="{select_name}".*?<option selected value="{value}"', page, re.S), \
                select_name
        assert re.search(r'value="new" data-new-org-toggle="new-organization"\s+checked', page)
    # Registering with the prefilled values asks for the organisation, with its city.
    response = post(client, "/auth/register", registration(
        organization="new", name="Comune di Pinerolo", kind="public_administration", pa_kind="municipality",
        ipa_code="c_g674", region="01", province="TO", city="Pinerolo", website="https://www.comune.pinerolo.to.it"),
        page="/auth/register")
    assert response.status_code == 303
    client.get(links_in(outbox[-1], "/auth/confirm/")[0])  # the organisation is created at confirmation
    with app.app_context():
        organization = db.session.execute(select(Organization).where(Organization.ipa_code == "c_g674")).scalar_one()
        assert (organization.status, organization.city) == (OrganizationStatus.PENDING, "Pinerolo")


def test_the_ipa_code_button_prefills_selects_or_explains(app, client, world, ipa_table):
    typed = post(client, "/auth/register", registration(step="ipa", organization="new", ipa_code="ASL_TO3"),
                 page="/auth/register").get_data(as_text=True)
    assert 'value="Azienda Sanitaria Locale TO3"' in typed and 'value="Collegno"' in typed
    assert re.search(r'name="pa_kind".*?<option selected value="health_authority"', typed, re.S)
    # A code already on the platform chooses its organisation instead of asking for it a second time.
    held = post(client, "/auth/register", registration(step="ipa", organization="new", ipa_code="c_c627"),
                page="/auth/register").get_data(as_text=True)
    assert re.search(rf'value="{world.org.id}"\s+checked', held)
    unknown = post(client, "/auth/register", registration(step="ipa", organization="new", ipa_code="c_nope"),
                   page="/auth/register").get_data(as_text=True)
    assert "Codice IPA non trovato nell&#39;Indice PA" in unknown and 'id="ipa_code-error"' in unknown
    assert count(app, Organization) == 2


def test_a_bare_list_of_codes_still_loads_and_offers_no_prefill(app, client, world, tmp_path):
    codes = tmp_path / "ipa.txt"
    codes.write_text("c_g674\nc_l219\n")
    assert app.test_cli_runner().invoke(args=["organizations", "load-ipa-codes", str(codes)]).exit_code == 0
    page = client.get("/auth/register").get_data(as_text=True)
    assert "Compila con i dati dell'Indice PA" not in page
    found = search_step(client, organization_search="c_g674").get_data(as_text=True)
    assert 'name="ipa_prefill" value="c_g674"' in found  # a known code, though nameless, can still be asked for
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(Organization)).scalar() == 2


def test_search_steps_do_not_use_up_the_registration_limit(app, client, world):
    token = csrf_token(client, "/auth/register")
    answers = [client.post("/auth/register", data={"csrf_token": token, "step": "search",
                                                   "organization_search": "chieri"}).status_code for _ in range(12)]
    assert answers == [200] * 12
    registered = post(client, "/auth/register", registration(organization=str(world.org.id)), page="/auth/register")
    assert registered.status_code == 303


def test_the_registry_reads_the_ipa_csv_with_quotes_and_region_names(app, tmp_path):
    from app.organizations.registry import read_registry_file

    table = tmp_path / "enti.csv"
    table.write_text('\ufeff"Codice_IPA","Denominazione_ente","Comune","Provincia","Regione","Sito_istituzionale"\n'
                     '"c_h501","Roma Capitale","ROMA","RM","Lazio","www.comune.roma.it"\n'
                     '"r_piemon","Regione Piemonte, Giunta","TORINO","","Piemonte",""\n'
                     '"c_h501","Doppione","ROMA","RM","Lazio",""\n'
                     '"","senza codice","","","",""\n', encoding="utf-8")
    rows = {row["code"]: row for row in read_registry_file(table)}
    assert set(rows) == {"c_h501", "r_piemon"}  # a repeated code is kept once, a row without a code is skipped
    assert rows["c_h501"] == {"code": "c_h501", "code_lower": "c_h501", "name": "Roma Capitale", "city": "Roma",
                              "province_code": "RM", "region_code": "12", "website": "https://www.comune.roma.it"}
    assert rows["r_piemon"]["name"] == "Regione Piemonte, Giunta" and rows["r_piemon"]["region_code"] == "01"
