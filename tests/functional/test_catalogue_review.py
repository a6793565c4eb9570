"""Issue 11, point 12: the imported catalogue must not drown the practices people documented — themes and missions
from the standard's categories, category codes shown in Italian, documented practices first, the community name a
facet and not words of every practice, snippets as plain text."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Community, Organization, Practice
from app.practices.categories import CATEGORY_LABELS, classify
from app.practices.publiccode import CATEGORIES, SCOPES
from tests.conftest import csrf_token, index_now, make_community, make_practice
from tests.functional.test_search_relevance import REAL, catalogue  # noqa: F401 - the fixture, reused

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "publiccode"
CARD = re.compile(r'<h2 class="h5 card-title"><a href="/practices/([^"]+)">')


def web_import(client, community_id, text: str):
    data = {"csrf_token": csrf_token(client, "/practices/import"), "community": str(community_id),
            "file": (io.BytesIO(text.encode()), "publiccode.yml")}
    return client.post("/practices/import", data=data, content_type="multipart/form-data")


def test_every_category_of_the_standard_has_an_italian_name_and_mappings_use_real_codes():
    from app.models import BUDGET_MISSIONS, THEME_LABELS
    from app.practices.categories import CATEGORY_MISSIONS, CATEGORY_THEMES, SCOPE_MISSIONS, SCOPE_THEMES

    assert set(CATEGORY_LABELS) == set(CATEGORIES)
    assert set(CATEGORY_THEMES) | set(CATEGORY_MISSIONS) <= set(CATEGORIES)
    assert set(SCOPE_MISSIONS) | set(SCOPE_THEMES) <= set(SCOPES)
    assert set(CATEGORY_THEMES.values()) | set(SCOPE_THEMES.values()) <= set(THEME_LABELS)
    assert set(CATEGORY_MISSIONS.values()) | set(SCOPE_MISSIONS.values()) <= set(BUDGET_MISSIONS)


def test_classify_prefers_the_scope_then_the_category_then_the_community():
    assert classify(["data-visualization"], ["healthcare"], "digital_agenda") == ("digital_agenda", "13")
    assert classify(["procurement"], ["government"], "digital_agenda") == ("procurement", "01")
    assert classify(["geographic-information-systems"], ["environment"], "other") == ("environment", "09")
    assert classify(["office"], [], "digital_agenda") == ("digital_agenda", None)


def test_an_imported_practice_gets_theme_and_mission_from_its_categories_and_shows_them_in_italian(
        app, client, pworld, as_user):
    as_user(pworld.donor)
    text = (FIXTURES / "repeated_values.yml").read_text()
    response = web_import(client, pworld.open_community.id, text)
    assert response.status_code == 303
    with app.app_context():
        practice = db.session.execute(select(Practice).where(Practice.kind == "software")).scalar_one()
        assert (practice.theme, practice.mission) == ("procurement", "01")
        assert sorted(t.name for t in practice.tags) == ["document-management", "procurement"]  # codes kept
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert ">Gestione documentale</span>" in body and ">Appalti e acquisti</span>" in body
    assert ">document-management</span>" not in body
    # A scope with a budget mission decides it: health software is mission 13, whatever the community.
    health = text.replace("protocollo-facile", "referti-online").replace("name: Protocollo Facile",
                                                                        "name: Referti Online")
    health = health.replace("    - government\n    - government\n", "    - healthcare\n")
    assert web_import(client, pworld.open_community.id, health).status_code == 303
    with app.app_context():
        referti = db.session.execute(select(Practice).where(Practice.title == "Referti Online")).scalar_one()
        assert referti.mission == "13"


def _imported(app, pworld, title: str) -> None:
    with app.app_context():
        community = db.session.get(Community, pworld.open_community.id)
        donor = db.session.get(Organization, db.session.get(Practice, pworld.published.id).donor_id)
        make_practice(title, community, donor, kind="software", publiccode={"name": title, "categories": []},
                      repository_url=f"https://example.org/{len(title)}")
        db.session.commit()


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_the_archive_shows_documented_practices_first_and_filters_by_origin(app, client, pworld, htmx):
    _imported(app, pworld, "Software importato più recente")  # newer than every documented practice
    headers = {"HX-Request": "true"} if htmx else {}

    def slugs(**args):
        response = client.get("/practices/", query_string=args, headers=headers)
        assert response.status_code == 200 and ("<html" in response.get_data(as_text=True)) is not htmx
        return CARD.findall(response.get_data(as_text=True))

    default = slugs()
    assert default[0] == pworld.published.slug and default[-1] == "software-importato-piu-recente"
    assert slugs(sort="recent")[0] == "software-importato-piu-recente"  # plain recency is still offered
    assert slugs(origin="catalogue") == ["software-importato-piu-recente"]
    assert "software-importato-piu-recente" not in slugs(origin="documented")
    assert pworld.published.slug in slugs(origin="documented")
    page = client.get("/practices/").get_data(as_text=True)
    assert 'name="origin"' in page and "Dal catalogo del riuso (publiccode.yml)" in page


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_the_search_browses_documented_practices_first_and_offers_the_origin_facet(app, client, pworld, htmx):
    _imported(app, pworld, "Software importato più recente")
    index_now(app)
    headers = {"HX-Request": "true"} if htmx else {}

    def body(**args):
        response = client.get("/search", query_string=args, headers=headers)
        assert response.status_code == 200
        return response.get_data(as_text=True)

    browsing = body()
    assert CARD.findall(browsing)[0] != "software-importato-piu-recente"
    assert CARD.findall(browsing)[-1] == "software-importato-piu-recente"
    assert "Provenienza" in browsing and "origin=catalogue" in browsing
    assert CARD.findall(body(sort="recent"))[0] == "software-importato-piu-recente"
    assert CARD.findall(body(origin="catalogue")) == ["software-importato-piu-recente"]
    assert "software-importato-piu-recente" not in CARD.findall(body(origin="documented"))
    assert "software-importato-piu-recente" in CARD.findall(body(q="software importato"))


def test_the_community_name_is_a_facet_not_words_of_every_practice(app, client, pworld):
    with app.app_context():
        community = make_community("Facilitazione digitale", "open", theme="digital_agenda")
        donor = db.session.get(Organization, db.session.get(Practice, pworld.published.id).donor_id)
        make_practice("Punto di facilitazione in biblioteca", community, donor, kit={"context": "Sportelli."})
        make_practice("Protocollo informatico", community, donor, kit={"context": "Registro della posta."})
        db.session.commit()
        community_slug = community.slug
    index_now(app)
    body = client.get("/search", query_string={"q": "facilitazione"}).get_data(as_text=True)
    assert CARD.findall(body) == ["punto-di-facilitazione-in-biblioteca"]
    # The community is still there to narrow a search down.
    faceted = client.get("/search", query_string={"q": "protocollo"}).get_data(as_text=True)
    assert f"community={community_slug}" in faceted and "Facilitazione digitale" in faceted
    narrowed = client.get("/search", query_string={"q": "registro", "community": community_slug})
    assert CARD.findall(narrowed.get_data(as_text=True)) == ["protocollo-informatico"]


def test_search_snippets_are_plain_text_not_markdown(app, client, pworld):
    kit = {"context": "## Contesto del servizio\n\nIl **protocollo informatico** è gestito dall'_ufficio_ unico.\n\n"
                      "- [Delibera](https://example.org/delibera.pdf) sul protocollo\n- `codice` interno"}
    with app.app_context():
        community = db.session.get(Community, pworld.open_community.id)
        donor = db.session.get(Organization, db.session.get(Practice, pworld.published.id).donor_id)
        make_practice("Registro unico", community, donor, kit=kit, description="# Titolo\n\nTesto *breve*.")
        db.session.commit()
    index_now(app)
    body = client.get("/search", query_string={"q": "protocollo"}).get_data(as_text=True)
    card = body[body.index("/practices/registro-unico"):]
    snippet = card[card.index('<p class="card-text">'):]
    snippet = snippet[:snippet.index("</p>")]
    assert "<mark>protocollo</mark>" in snippet
    for markup in ("##", "**", "](", "`", "_ufficio_"):
        assert markup not in snippet, snippet


def test_the_real_catalogue_does_not_drown_the_documented_practices(app, client, pworld, catalogue):  # noqa: F811
    assert len(catalogue) >= 90
    with app.app_context():
        themes = set(db.session.execute(select(Practice.theme).where(Practice.kind == "software")).scalars())
        missions = set(db.session.execute(select(Practice.mission).where(Practice.kind == "software")).scalars())
    assert len(themes) >= 3 and len(missions - {None}) >= 5
    first_page = CARD.findall(client.get("/practices/").get_data(as_text=True))
    assert first_page[0] == pworld.published.slug  # the documented practice, before 100 newer imports
    found = CARD.findall(client.get("/search", query_string={"q": "catalogo riuso"}).get_data(as_text=True))
    assert len(found) < len(catalogue) // 2  # the community's name ("Catalogo del riuso") is not in every one
    shown = set()
    for slug in list(catalogue.values())[:20]:
        shown |= set(re.findall(r'<span class="chip-label"[^>]*>([^<]+)</span>',
                                client.get(f"/practices/{slug}").get_data(as_text=True)))
    assert shown and not shown & set(CATEGORY_LABELS)  # English codes are kept, but shown in Italian
