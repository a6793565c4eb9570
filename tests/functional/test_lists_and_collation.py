"""Issue 11, points 9 and 10: lists that showed wrong data (duplicate filter values, code-point sorting, raw IPA
codes, a practice listed twice, a company typed as an administration) and the creator left out of a community."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select, text

from app.extensions import db
from app.models import Adoption, Community, Membership, Organization, Practice
from app.models.base import utcnow
from app.models.organization import collation_key
from tests.conftest import login, make_community, make_org, make_practice, make_user, post

# What an Italian reader expects: case and accents do not decide the order, the letters do.
ITALIAN_ORDER = ["AgID", "ANCI", "Ànzola Emilia", "azienda USL", "Comune di Érba", "comune di Este",
                 "Ente Parco", "Œnologia", "Unione Bassa Reggiana", "Zola Predosa"]


def _directory_names(html: str) -> list[str]:
    wanted = set(ITALIAN_ORDER)
    return [name for name in re.findall(r">([^<>]+)</a>", html) if name.strip() in wanted]


@pytest.mark.parametrize("shuffle", [ITALIAN_ORDER[::-1], ITALIAN_ORDER[1::2] + ITALIAN_ORDER[::2]])
def test_the_directory_sorts_in_italian_order_on_both_databases(app, client, shuffle):
    with app.app_context():
        for name in shuffle:
            make_org(name, ipa_code=None)
        db.session.commit()
    html = client.get("/organizations/?per_page=100").get_data(as_text=True)
    assert _directory_names(html) == ITALIAN_ORDER


def test_the_sort_key_is_stored_indexed_and_kept_when_the_name_changes(app):
    with app.app_context():
        organization = make_org("ANCI")
        db.session.commit()
        assert organization.sort_name == "anci"
        organization.name = "Àgenzia"
        db.session.commit()
        stored = db.session.execute(text("SELECT sort_name FROM organization WHERE id = :id"),
                                    {"id": organization.id}).scalar_one()
        assert stored == "agenzia"
        indexes = {ix["name"] for ix in db.inspect(db.engine).get_indexes("organization")}
        assert "ix_organization_sort_name" in indexes
        # The database orders by the key itself, so the order holds whatever the database's collation.
        for name in ("azienda", "AgID", "Ànzola"):
            make_org(name, ipa_code=None)
        db.session.commit()
        ordered = db.session.execute(select(Organization.name).order_by(Organization.sort_name)).scalars().all()
        assert ordered == ["Àgenzia", "AgID", "Ànzola", "azienda"]


def test_collation_key_ignores_case_and_accents_only():
    assert collation_key("Ànzola") == collation_key("anzola") == "anzola"
    assert collation_key("AgID") < collation_key("ANCI") < collation_key("Ànzola") < collation_key("azienda")
    assert collation_key("L'Aquila") < collation_key("La Spezia") < collation_key("Lecce")
    assert len(collation_key("Ä" * 300)) == 200


def test_no_kind_filter_offers_two_options_with_one_value(app, client, world, as_user):
    as_user(world.member)
    for url in ("/practices/", "/organizations/"):
        html = client.get(url).get_data(as_text=True)
        select_html = re.search(r'<select[^>]*name="(donor_kind|kind)".*?</select>', html, re.S).group(0)
        values = re.findall(r'<option[^>]*value="([^"]*)"', select_html)
        assert len(values) == len(set(values)), (url, values)


def test_the_two_other_kinds_filter_apart(app, client):
    """"Altra amministrazione" and "Altro soggetto" used to share the value "other" and mix their results."""
    with app.app_context():
        make_org("Consorzio di bonifica", pa_kind="other", ipa_code="cbon")
        make_org("Associazione dei cittadini", kind="other", pa_kind=None, ipa_code=None)
        db.session.commit()
    administrations = client.get("/organizations/?kind=other_administration").get_data(as_text=True)
    others = client.get("/organizations/?kind=other").get_data(as_text=True)
    assert "Consorzio di bonifica" in administrations and "Associazione dei cittadini" not in administrations
    assert "Associazione dei cittadini" in others and "Consorzio di bonifica" not in others


def test_the_archive_filters_by_the_other_administration_kind(app, client):
    with app.app_context():
        community = make_community("Comunità aperta")
        make_practice("Pratica del consorzio", community, make_org("Consorzio di bonifica", pa_kind="other",
                                                                   ipa_code="cbon"))
        make_practice("Pratica dell'associazione", community, make_org("Associazione", kind="other", pa_kind=None,
                                                                       ipa_code=None))
        db.session.commit()
    html = client.get("/practices/?donor_kind=other_administration").get_data(as_text=True)
    assert "Pratica del consorzio" in html and "Pratica dell&#39;associazione" not in html
    html = client.get("/practices/?donor_kind=other").get_data(as_text=True)
    assert "Pratica dell&#39;associazione" in html and "Pratica del consorzio" not in html


def test_a_reuser_turned_co_donor_lists_the_practice_once(app, client, rworld):
    from app.reuse.workflow import AdoptionStatus

    with app.app_context():
        practice = db.session.get(Practice, rworld.practice.id)
        practice.co_donors.append(db.session.get(Organization, rworld.reuser_org.id))
        db.session.add(Adoption(practice_id=practice.id, organization_id=rworld.reuser_org.id,
                                status=AdoptionStatus.COMPLETED, declared_by_id=rworld.reuser.id,
                                confirmed_at=utcnow(), confirmed_by_id=rworld.donor.id))
        db.session.commit()
    html = client.get(f"/organizations/{rworld.reuser_org.slug}").get_data(as_text=True)
    assert html.count(f'href="/practices/{rworld.practice.slug}"') == 1
    assert "co-cedente, dopo averla riusata" in html


@pytest.mark.parametrize("code,declared,name,kind", [
    ("asl_2sav", None, "ASL 2 Savonese", "health_authority"),
    ("5n2tr557", "https://www.pagopa.it/", "PagoPA S.p.A.", None),
    ("6cscg00q", "CST Sistemi Sud S.r.l.", "CST Sistemi Sud S.r.l.", None),
    ("m_sa", "Ministero della Salute", "Ministero della Salute", "central_administration"),
    ("zz_ignoto", None, "Ente con codice IPA zz_ignoto", "other"),
])
def test_a_catalogue_donor_gets_a_name_and_the_right_kind(app, code, declared, name, kind):
    from app.demo.loader import catalogue_donor

    with app.app_context():
        donor = catalogue_donor(code, declared)
        assert donor.name == name and donor.name != code
        assert donor.pa_kind == kind
        assert donor.kind == ("public_administration" if kind else "other")  # a company is no administration


def test_no_demo_company_is_typed_as_a_public_administration():
    from app.demo import data
    from app.demo.loader import _COMPANY

    for item in data.ORGANIZATIONS:
        if item["kind"] == "public_administration":
            assert not _COMPANY.search(item["name"]), item["name"]


# ---- point 10: the administrator who creates a community is in it -----------------------------------------------

def test_the_creator_of_a_community_is_its_facilitator_and_not_asked_to_join(app, client, cworld, as_user):
    as_user(cworld.admin)
    response = post(client, "/communities/new", {
        "name": "Tavolo moderato", "slug": "", "theme": "eu_funds", "description": "Chi siamo.",
        "visibility": "moderated", "scope": "national", "region": "", "province": "",
        "facilitators": "animatrice@chieri.example.it"}, page="/communities/new")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Chiedi di iscriverti" not in page and "Lascia la comunità" in page
    with app.app_context():
        community = db.session.execute(select(Community).where(Community.slug == "tavolo-moderato")).scalar_one()
        roles = {(m.user_id, m.role, m.status) for m in db.session.execute(select(Membership).where(
            Membership.community_id == community.id)).scalars()}
    assert roles == {(cworld.admin.id, "facilitator", "active"), (cworld.facilitator.id, "facilitator", "active")}


@pytest.mark.parametrize("visibility", ["open", "moderated", "private"])
def test_an_administrator_outside_a_community_is_never_offered_to_ask_to_join(app, client, cworld, visibility):
    login(client, cworld.admin)
    html = client.get(f"/communities/{getattr(cworld, visibility).slug}").get_data(as_text=True)
    assert "Chiedi di iscriverti" not in html
    assert "puoi gestire questa comunità anche senza farne parte" in html
    assert ("Iscriviti" in html) == (visibility == "open")


def test_a_member_is_still_asked_to_request_a_moderated_community(app, client, cworld):
    with app.app_context():
        bari = db.session.execute(select(Organization).where(Organization.name == "Comune di Bari")).scalar_one()
        make_user("nuova@bari.example.it", bari)
        db.session.commit()
    login(client, "nuova@bari.example.it")
    assert "Chiedi di iscriverti" in client.get(f"/communities/{cworld.moderated.slug}").get_data(as_text=True)
