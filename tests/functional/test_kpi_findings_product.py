"""An adversarial review of the KPI library as its users would meet it (issue 16): links between the area's pages,
htmx fragments against their full pages, and a bounded number of queries whatever the data size."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.models import KpiDefinition, Organization
from tests.conftest import count_queries, login, make_org, make_user
from tests.kpi_world import make_adoption, make_kpi

HX = {"HX-Request": "true"}


def _org(app, ref_or_id) -> Organization:
    return db.session.get(Organization, getattr(ref_or_id, "id", ref_or_id))


def _definition(ref) -> KpiDefinition:
    return db.session.get(KpiDefinition, ref.id)


# ---- performance: query counts that must not grow with the data ------------------------------------------------

def _add_kpis(app, how_many: int, start: int = 0) -> None:
    with app.app_context():
        for number in range(start, start + how_many):
            make_kpi(f"Indicatore di prova numero {number:04d}", missions=("01", "04"), sdgs=(4, 16))
        db.session.commit()


@pytest.mark.parametrize("role", ["anonymous", "adopter", "admin"])
def test_library_queries_do_not_grow_with_the_kpis(app, client, kworld, role):
    if role != "anonymous":
        login(client, getattr(kworld, role))
    _add_kpis(app, 30)
    thirty = count_queries(app, client, "/kpi/?sort=adopted")
    export = count_queries(app, client, "/kpi/export/definitions.csv?mission=01")
    _add_kpis(app, 270, start=30)
    assert count_queries(app, client, "/kpi/export/definitions.csv?mission=01") == export
    assert count_queries(app, client, "/kpi/?sort=adopted") == thirty
    assert count_queries(app, client, "/kpi/?sort=adopted&page=3") <= thirty


def _add_adopters(app, kworld, how_many: int, start: int = 0) -> None:
    with app.app_context():
        definition = _definition(kworld.published)
        for number in range(start, start + how_many):
            organization = make_org(f"Comune di Prova {number:03d}", pa_kind="municipality",
                                    ipa_code=f"c_t{number:03d}")
            person = make_user(f"persona{number}@prova.example.it", organization)
            make_adoption(definition, organization, {"2023": 40.0 + number % 7, "2024": 35.0, "2025": 30.0},
                          provisional=("2025",), by=person)
        db.session.commit()


@pytest.mark.parametrize("role", ["anonymous", "adopter", "facilitator"])
def test_kpi_page_queries_do_not_grow_with_the_adopters(app, client, kworld, role):
    if role != "anonymous":
        login(client, getattr(kworld, role))
    url = f"/kpi/{kworld.published.slug}"
    _add_adopters(app, kworld, 3)
    few = count_queries(app, client, url)
    export = count_queries(app, client, f"/kpi/export/values.csv?kpi={kworld.published.slug}")
    _add_adopters(app, kworld, 47, start=3)
    assert count_queries(app, client, url) == few
    assert count_queries(app, client, f"/kpi/export/values.csv?kpi={kworld.published.slug}") == export


@pytest.mark.parametrize("query", ["", "?peers=all&year=2024&sort=value", "?peers=chosen"])
def test_comparison_queries_do_not_grow_with_peers_and_years(app, client, kworld, query):
    login(client, kworld.adopter)
    url = f"/kpi/{kworld.published.slug}/compare"
    _add_adopters(app, kworld, 2)
    if query == "?peers=chosen":
        query = "?peers=chosen&org=comune-di-prova-000&org=comune-di-prova-001&org=comune-di-chieri"
    few = count_queries(app, client, url + query)
    _add_adopters(app, kworld, 10, start=2)
    if "chosen" in query:
        query += "".join(f"&org=comune-di-prova-{n:03d}" for n in range(2, 11))
    assert count_queries(app, client, url + query) == few


@pytest.mark.parametrize("role", ["anonymous", "adopter"])
def test_organization_page_queries_do_not_grow_with_its_adoptions(app, client, kworld, role):
    if role != "anonymous":
        login(client, getattr(kworld, role))
    url = f"/kpi/organizations/{kworld.chieri.slug}"

    def adopt(how_many: int, start: int) -> None:
        with app.app_context():
            chieri = _org(app, kworld.chieri)
            for number in range(start, start + how_many):
                definition = make_kpi(f"Indicatore adottato {number:03d}", missions=(("01", "04", "09")[number % 3],))
                make_adoption(definition, chieri, {"2023": 40.0, "2024": 45.0, "2025": 47.0},
                              provisional=("2025",), open_data=number % 2 == 0)
            db.session.commit()

    adopt(3, 0)
    few = count_queries(app, client, url)
    adopt(27, 3)
    assert count_queries(app, client, url) == few


# ---- the area's pages lead to one another ----------------------------------------------------------------------

@pytest.mark.parametrize("role, sees", [("facilitator", True), ("staff", True), ("admin", True),
                                        ("member", False), ("outsider", False), ("anonymous", False)])
def test_the_library_leads_reviewers_to_their_queue(app, client, kworld, role, sees):
    """Nothing linked /kpi/review: a facilitator had no way to find the proposals waiting for them."""
    if role != "anonymous":
        login(client, getattr(kworld, role))
    page = client.get("/kpi/").get_data(as_text=True)
    assert ('href="/kpi/review"' in page) is sees
    if sees:
        assert client.get("/kpi/review").status_code == 200


def test_a_refused_move_comes_back_to_htmx_with_the_message_at_the_field(app, client, kworld, fetch):
    """htmx swaps 2xx and 422 only (base.html's htmx-config): a 400 left the reviewer with a generic error and
    without the message at the note."""
    login(client, kworld.staff)
    from tests.conftest import csrf_token

    token = csrf_token(client, "/privacy")
    url = f"/kpi/{kworld.in_review.slug}/move/return"
    response = client.post(url, headers=HX, data={"csrf_token": token, "note": " "})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in text and "<html" not in text
    assert fetch(KpiDefinition, kworld.in_review.id).status == "in_review"
    client = app.test_client()
    login(client, kworld.facilitator)  # the facilitator of the community where it was proposed
    token = csrf_token(client, "/privacy")
    deprecate = client.post(f"/kpi/{kworld.unadopted.slug}/move/deprecate", headers=HX,
                            data={"csrf_token": token, "note": "Superato.", "replacement": str(kworld.proposed.id)})
    assert deprecate.status_code == 422 and "Superato." in deprecate.get_data(as_text=True)
    assert fetch(KpiDefinition, kworld.unadopted.id).status == "published"


def test_the_values_behind_a_comparison_can_be_downloaded(app, client, kworld):
    """The values CSV was linked only from the import page (for an organisation's own people)."""
    slug = kworld.published.slug
    csv_link = f'href="/kpi/export/values.csv?kpi={slug}"'
    assert csv_link in client.get(f"/kpi/{slug}/compare").get_data(as_text=True)
    assert csv_link in client.get(f"/kpi/{slug}").get_data(as_text=True)
    fragment = client.get(f"/kpi/{slug}/compare?peers=all", headers=HX).get_data(as_text=True)
    assert csv_link in fragment
    download = client.get(f"/kpi/export/values.csv?kpi={slug}")
    assert download.status_code == 200 and "Comune di Moncalieri" in download.get_data(as_text=True)
    organization_page = client.get(f"/kpi/organizations/{kworld.chieri.slug}").get_data(as_text=True)
    assert f'href="/kpi/export/values.csv?organization={kworld.chieri.slug}"' in organization_page


@pytest.mark.parametrize("role, sees", [("adopter", True), ("member", True), ("admin", False),
                                        ("peer", False), ("outsider", False), ("anonymous", False)])
def test_the_import_is_offered_where_values_are_reported(app, client, kworld, role, sees):
    """A person reporting values on the adoption's page, or on the administration's KPI page, had no way to the
    CSV import but the organisation's profile."""
    if role != "anonymous":
        login(client, getattr(kworld, role))
    adoption = client.get(f"/kpi/adoptions/{kworld.adoption.id}").get_data(as_text=True)
    assert ('href="/kpi/import"' in adoption) is sees
    organization = client.get(f"/kpi/organizations/{kworld.chieri.slug}").get_data(as_text=True)
    assert ('href="/kpi/import"' in organization) is sees


def test_adoption_and_import_pages_queries_do_not_grow_with_the_values(app, client, kworld):
    login(client, kworld.adopter)
    url = f"/kpi/adoptions/{kworld.adoption.id}"
    few, import_few = count_queries(app, client, url), count_queries(app, client, "/kpi/import")
    with app.app_context():
        from app.models import KpiAdoption, KpiValue

        adoption = db.session.get(KpiAdoption, kworld.adoption.id)
        adoption.version.frequency = "monthly"
        for year in (2023, 2024, 2025):
            for month in range(1, 13):
                db.session.add(KpiValue(adoption_id=adoption.id, period=f"{year}-{month:02d}", year=year,
                                        value=30.0 + month, status="final", reported_by_id=kworld.adopter.id))
        chieri = _org(app, kworld.chieri)
        for number in range(20):
            make_adoption(make_kpi(f"Da importare {number:02d}"), chieri, {"2024": 41.0})
        db.session.commit()
    assert count_queries(app, client, url) == few
    assert count_queries(app, client, "/kpi/import") == import_few


def test_the_organization_page_says_which_value_is_provisional(app, client, kworld):
    """The "provvisorio" badge came after the target ("contro l'obiettivo 30 gg provvisorio"): it is the value
    that is provisional, not the target."""
    login(client, kworld.adopter)
    page = client.get(f"/kpi/organizations/{kworld.chieri.slug}").get_data(as_text=True)
    assert "ultimo valore 27 gg (2025, provvisorio) contro" in page


# ---- forms keep what was typed ----------------------------------------------------------------------------------

@pytest.mark.parametrize("htmx", [False, True])
def test_forms_keep_what_was_typed_on_error(app, client, kworld, htmx, fetch):
    from tests.conftest import post

    login(client, kworld.adopter)
    headers = dict(htmx=htmx)
    value = post(client, f"/kpi/adoptions/{kworld.adoption.id}/values", {
        "period": "2026", "value": "-5", "status": "final", "source_note": "Nota da tenere",
        "source_url": "https://esempio.example.it/fonte"}, **headers)
    text = value.get_data(as_text=True)
    assert value.status_code == 422
    assert 'value="Nota da tenere"' in text and 'value="https://esempio.example.it/fonte"' in text
    assert 'value="2026"' in text and 'value="-5"' in text
    adopt = post(client, f"/kpi/{kworld.unadopted.slug}/adopt", {
        "plan_kind": "dup", "plan_year": "2025", "baseline_value": "40", "baseline_year": "2024",
        "target_1": "150", "target_2": "50", "target_3": "55", "responsible_office": "Ufficio da tenere",
        "notes": "Note da tenere", "open_data": "y"}, **headers)
    text = adopt.get_data(as_text=True)
    assert adopt.status_code == 422, text[:300]
    assert 'value="Ufficio da tenere"' in text and "Note da tenere" in text and 'value="150"' in text
    assert '<option selected value="dup">' in text or 'value="dup" selected' in text
    comment = post(client, f"/kpi/{kworld.published.slug}/comments", {"body": "x" * 20_000}, **headers)
    assert comment.status_code == 422 and "x" * 1000 in comment.get_data(as_text=True)


# ---- htmx: the fragment is the full page's block, and the pushed URL is a page ---------------------------------

@pytest.mark.parametrize("role", ["anonymous", "adopter"])
def test_htmx_fragments_are_the_blocks_of_their_full_pages(app, client, kworld, role):
    if role != "anonymous":
        login(client, getattr(kworld, role))
    slug = kworld.published.slug
    _add_kpis(app, 25)
    for url in ("/kpi/?q=prova&sort=adopted&page=2", "/kpi/?mission=01&status=deprecated",
                f"/kpi/{slug}/compare?peers=all&year=2024&sort=value",
                f"/kpi/{slug}/compare?peers=chosen&org={kworld.moncalieri.slug}",
                f"/kpi/similar?name=Tempo+medio+di+pagamento", f"/kpi/{slug}", f"/kpi/{slug}/versions/1",
                f"/kpi/adoptions/{kworld.adoption.id}"):
        full = client.get(url)
        fragment = client.get(url, headers=HX)
        assert full.status_code == fragment.status_code == 200, url
        assert "Vary" in fragment.headers and "HX-Request" in fragment.headers["Vary"], url
        body = fragment.get_data(as_text=True).strip()
        assert "<html" not in body and body, url
        assert body in full.get_data(as_text=True), url
        restore = client.get(url, headers={**HX, "HX-History-Restore-Request": "true"}).get_data(as_text=True)
        assert "<html" in restore, url


def test_review_queue_and_community_box_queries_do_not_grow_with_the_proposals(app, client, kworld):
    login(client, kworld.facilitator)

    def propose(how_many: int, start: int) -> None:
        with app.app_context():
            from app.models import Community, User

            community = db.session.get(Community, kworld.community.id)
            member = db.session.get(User, kworld.member.id)
            for number in range(start, start + how_many):
                make_kpi(f"Proposta in coda {number:03d}", status=("proposed", "in_review")[number % 2],
                         author=_org(app, kworld.chieri), proposer=member, community=community)
            db.session.commit()

    propose(2, 0)
    queue, home = count_queries(app, client, "/kpi/review"), count_queries(app, client,
                                                                           f"/communities/{kworld.community.slug}")
    propose(28, 2)
    assert count_queries(app, client, "/kpi/review") == queue
    assert count_queries(app, client, f"/communities/{kworld.community.slug}") == home


@pytest.mark.parametrize("role, sees", [("facilitator", True), ("staff", True), ("admin", True), ("member", False),
                                        ("region_person", False), ("anonymous", False)])
def test_the_places_of_the_proposals_lead_their_reviewers_to_the_queue(app, client, kworld, role, sees):
    """A community's KPI box (for its facilitators) and a programme's (for its staff) listed the proposals but not
    the reviewers' queue."""
    if role != "anonymous":
        login(client, getattr(kworld, role))
    community = client.get(f"/communities/{kworld.community.slug}").get_data(as_text=True)
    programme = client.get(f"/programmes/{kworld.programme.slug}").get_data(as_text=True)
    reviews_community = role in ("facilitator", "admin")
    reviews_programme = role in ("staff", "admin")
    assert ('href="/kpi/review"' in community.split('kpi-community-title', 1)[-1]) is reviews_community
    assert ('href="/kpi/review"' in programme.split('programme-kpis', 1)[-1]) is reviews_programme
    assert sees is (reviews_community or reviews_programme)
