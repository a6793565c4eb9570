"""Practices and reuse kits through the test client: the donor's journey, visibility, bad input, queries."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import KitVersion, MaintenanceEntry, Practice
from tests.conftest import count_queries, login, make_practice, post


@pytest.fixture
def pworld(pworld, app):
    """The donor's journey of this file: the donor is its organisation's referent, who publishes (issue 11, §13)."""
    from app.models import User

    with app.app_context():
        db.session.get(User, pworld.donor.id).is_referent = True
        db.session.commit()
    return pworld


def practice_form(community_id, **overrides):
    data = {"title": "Sportello unico per le attività produttive associato", "kind": "organisational",
            "summary": "Un SUAP gestito in forma associata da dodici Comuni.", "description": "## Come funziona\n\nBene.",
            "community": str(community_id), "theme": "services", "mission": "14", "region": "01", "start_year": "2018",
            "website": "https://suap.example.it", "repository_url": "", "licence": "eupl-1.2",
            "tags": "SUAP, imprese, suap", "co_donors": "c_a479"}
    data.update(overrides)
    return data


def kit_form(**sections):
    return {f"section_{key}": value for key, value in sections.items()}


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar()


def test_donor_creates_writes_the_kit_publishes_versions_and_the_practice(app, client, pworld, as_user):
    as_user(pworld.donor)
    created = post(client, "/practices/new", practice_form(pworld.open_community.id), page="/practices/new")
    assert created.status_code == 303
    slug = "sportello-unico-per-le-attivita-produttive-associato"
    assert created.headers["Location"] == f"/practices/{slug}/kit/edit"
    with app.app_context():
        practice = db.session.execute(select(Practice).where(Practice.slug == slug)).scalar_one()
        assert practice.status == "draft" and practice.licence == "EUPL-1.2"
        assert [t.name for t in practice.tags] == ["imprese", "suap"]
        # A named co-donor is invited; it becomes co-donor when its referent accepts (issue 11, point 30).
        from app.models import CoDonorInvitation

        assert practice.co_donors == []
        assert [(i.organization.name, i.status) for i in db.session.execute(select(CoDonorInvitation)).scalars()] \
            == [("Comune di Asti", "pending")]

    refused = post(client, f"/practices/{slug}/status/publish", page=f"/practices/{slug}")
    assert refused.status_code == 303
    assert "Pubblica prima una versione del KIT" in client.get(refused.headers["Location"]).get_data(as_text=True)

    edit_url = f"/practices/{slug}/kit/edit"
    post(client, edit_url, kit_form(context="Le imprese aspettavano mesi.", acts="- Convenzione tipo"), page=edit_url)
    empty_label = post(client, f"/practices/{slug}/kit/publish", {"label": "", "changelog": ""}, page=edit_url)
    assert empty_label.status_code == 422 and 'id="label-error"' in empty_label.get_data(as_text=True)
    published = post(client, f"/practices/{slug}/kit/publish", {"label": "1.0", "changelog": "Prima versione"},
                     page=edit_url)
    assert published.status_code == 303
    assert post(client, f"/practices/{slug}/status/publish", page=f"/practices/{slug}").status_code == 303

    post(client, edit_url, kit_form(context="Le imprese aspettavano mesi; ora due settimane.",
                                    acts="- Convenzione tipo", costs="10.000 euro l'anno"), page=edit_url)
    duplicate = post(client, f"/practices/{slug}/kit/publish", {"label": "1.0", "changelog": "Di nuovo"}, page=edit_url)
    assert "Esiste già una versione con questa etichetta" in duplicate.get_data(as_text=True).replace("&#39;", "'")
    post(client, f"/practices/{slug}/kit/publish", {"label": "1.1", "changelog": "Tempi e costi"}, page=edit_url)
    with app.app_context():
        practice = db.session.execute(select(Practice).where(Practice.slug == slug)).scalar_one()
        assert practice.status == "published" and practice.kit_completeness == 33
        labels = db.session.execute(select(KitVersion.label).where(KitVersion.practice_id == practice.id,
                                                                   KitVersion.status == "published")).scalars().all()
        assert sorted(labels) == ["1.0", "1.1"]
    assert count(app, MaintenanceEntry) == 2

    # Another organisation's member reads both versions and the diff.
    reader = app.test_client()
    login(reader, pworld.outsider)
    old = reader.get(f"/practices/{slug}/versions/1.0").get_data(as_text=True)
    assert "Le imprese aspettavano mesi." in old and "due settimane" not in old
    diff = reader.get(f"/practices/{slug}/compare?from=1.0&to=1.1").get_data(as_text=True)
    assert "2 sezioni cambiate" in diff
    assert re.search(r"<del>.*Le imprese aspettavano mesi\.</del>", diff, re.S)
    assert re.search(r"<ins>.*10\.000 euro l&#39;anno</ins>", diff, re.S)
    tab = reader.get(f"/practices/{slug}?tab=versions", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in tab and "Tempi e costi" in tab


def test_drafts_and_private_practices_leak_nowhere(app, client, pworld):
    for role in (None, pworld.outsider, pworld.facilitator):
        viewer = app.test_client()
        if role is not None:
            login(viewer, role)
        for url in ("/practices/", "/practices/?status=draft", "/practices/?status=all", "/practices/?q=segreta",
                    "/dashboard" if role else "/"):
            page = viewer.get(url).get_data(as_text=True)
            assert "Bozza segreta" not in page, (role, url)
            if role != pworld.facilitator:
                assert "tavolo riservato" not in page.lower(), (role, url)
        fragment = viewer.get("/practices/?status=all", headers={"HX-Request": "true"}).get_data(as_text=True)
        assert "Bozza segreta" not in fragment
        assert viewer.get(f"/practices/{pworld.draft.slug}").status_code == 404
        assert viewer.get(f"/practices/{pworld.draft.slug}?tab=kit", headers={"HX-Request": "true"}).status_code == 404
    assert client.get(f"/practices/{pworld.private_published.slug}").status_code == 404
    insider = app.test_client()
    login(insider, pworld.private_member)
    assert insider.get(f"/practices/{pworld.private_published.slug}").status_code == 200
    donor = app.test_client()
    login(donor, pworld.donor)
    assert "Bozza segreta" in donor.get("/practices/?status=draft").get_data(as_text=True)
    assert "Bozza segreta" in donor.get("/practices/mine").get_data(as_text=True)


def test_archive_counts_only_what_the_reader_may_see(client, pworld):
    assert "1 pratica trovata" in client.get("/practices/").get_data(as_text=True)
    assert "2 pratiche trovate" in client.get("/practices/?status=all").get_data(as_text=True)


def test_archive_filters_and_sorting(app, client, pworld):
    with app.app_context():
        from app.models import Community, Organization

        community = db.session.get(Community, pworld.open_community.id)
        bari = db.session.execute(select(Organization).where(Organization.name == "Comune di Bari")).scalar_one()
        make_practice("Zeta anagrafe digitale", community, bari, licence="MIT", mission="12", region_code="16",
                      kit={k: "x" for k in ("context", "acts", "costs", "licence", "maintenance")})
        db.session.commit()
    assert "Zeta anagrafe" in client.get("/practices/?licence=MIT").get_data(as_text=True)
    assert "Zeta anagrafe" not in client.get("/practices/?licence=EUPL-1.2").get_data(as_text=True)
    assert "1 pratica trovata" in client.get("/practices/?mission=12").get_data(as_text=True)
    assert "1 pratica trovata" in client.get("/practices/?region=16").get_data(as_text=True)
    assert "1 pratica trovata" in client.get("/practices/?completeness=50").get_data(as_text=True)
    assert "1 pratica trovata" in client.get(f"/practices/?community={pworld.open_community.slug}&q=centrale").get_data(as_text=True)
    by_title = client.get("/practices/?sort=title").get_data(as_text=True)
    assert by_title.index("Centrale unica") < by_title.index("Zeta anagrafe")
    by_kit = client.get("/practices/?sort=completeness").get_data(as_text=True)
    assert by_kit.index("Zeta anagrafe") < by_kit.index("Centrale unica")
    fragment = client.get("/practices/?licence=MIT", headers={"HX-Request": "true"})
    assert "<html" not in fragment.get_data(as_text=True) and "HX-Request" in fragment.headers["Vary"]


@pytest.mark.parametrize("overrides,field,message", [
    ({"summary": "x" * 301}, "summary", "al massimo 300 caratteri"),
    ({"licence": "Licenza-Inventata-9"}, "licence", "Licenza non riconosciuta"),
    ({"tags": ", ".join(f"t{n}" for n in range(11))}, "tags", "Al massimo 10 parole chiave"),
    ({"co_donors": "c_zzzz"}, "co_donors", "c_zzzz"),
    ({"website": "javascript:alert(1)"}, "website", "indirizzo web completo"),
    ({"start_year": "1850"}, "start_year", "tra il 1990"),
    ({"title": ""}, "title", "Indica il titolo"),
])
def test_bad_input_is_refused_at_the_field_and_nothing_saved(app, client, pworld, as_user, overrides, field, message):
    as_user(pworld.donor)
    before = count(app, Practice)
    response = post(client, "/practices/new", practice_form(pworld.open_community.id, **overrides), page="/practices/new")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and f'id="{field}-error"' in page and message in page
    assert count(app, Practice) == before


def test_a_practice_goes_only_into_a_community_the_donor_belongs_to(app, client, pworld, as_user):
    as_user(pworld.outsider)  # active member of no community
    response = post(client, "/practices/new", practice_form(pworld.open_community.id), page="/practices/new")
    assert response.status_code == 422 and 'id="community-error"' in response.get_data(as_text=True)


def test_facilitator_archives_and_unpublishes_but_does_not_edit(app, client, pworld, as_user):
    with app.app_context():
        from app.models import User

        db.session.get(User, pworld.donor.id).is_referent = True
        db.session.commit()
    as_user(pworld.facilitator)
    slug = pworld.published.slug
    assert client.get(f"/practices/{slug}/edit").status_code == 403
    without_reason = post(client, f"/practices/{slug}/status/archive")
    assert "Indica il motivo" in client.get(without_reason.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Practice, pworld.published.id).status == "published"
    post(client, f"/practices/{slug}/status/archive", {"reason": "Contiene dati personali dei cittadini."})
    with app.app_context():
        assert db.session.get(Practice, pworld.published.id).status == "archived"
    assert "Contiene dati personali" in client.get(f"/practices/{slug}?tab=kit").get_data(as_text=True)
    donor = app.test_client()
    login(donor, pworld.donor)
    notes = donor.get("/notifications/").get_data(as_text=True)
    assert "ha cambiato lo stato della pratica" in notes and "Contiene dati personali" in notes
    refused = post(client, f"/practices/{slug}/status/restore")
    assert "Non hai i permessi" in client.get(refused.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Practice, pworld.published.id).status == "archived"


def test_archived_practice_stays_readable_and_marked(client, pworld):
    page = client.get(f"/practices/{pworld.archived.slug}").get_data(as_text=True)
    assert "Questa pratica è archiviata" in page


def test_stale_kit_is_flagged(app, client, pworld):
    from datetime import datetime

    with app.app_context():
        db.session.get(Practice, pworld.published.id).kit_updated_at = datetime(2020, 1, 1)
        db.session.commit()
    assert "KIT non aggiornato" in client.get(f"/practices/{pworld.published.slug}").get_data(as_text=True)
    assert "KIT non aggiornato" not in client.get(f"/practices/{pworld.archived.slug}").get_data(as_text=True)


def test_maintenance_log_entry(app, client, pworld, as_user):
    as_user(pworld.donor)
    slug = pworld.published.slug
    post(client, f"/practices/{slug}/kit/maintenance", {"note": "Aggiornati i riferimenti normativi."},
         page=f"/practices/{slug}?tab=kit")
    assert "Aggiornati i riferimenti normativi." in client.get(f"/practices/{slug}?tab=kit").get_data(as_text=True)


def test_archive_and_practice_page_issue_a_bounded_number_of_queries(app, client, pworld):
    slug = pworld.published.slug
    small = count_queries(app, client, "/practices/"), count_queries(app, client, f"/practices/{slug}"), count_queries(app, client, f"/practices/{slug}?tab=kit")
    with app.app_context():
        from app.models import Community, Organization

        community = db.session.get(Community, pworld.open_community.id)
        donors = db.session.execute(select(Organization)).scalars().all()
        for n in range(25):
            make_practice(f"Pratica numero {n}", community, donors[n % len(donors)])
        db.session.commit()
    assert (count_queries(app, client, "/practices/"), count_queries(app, client, f"/practices/{slug}"), count_queries(app, client, f"/practices/{slug}?tab=kit")) == small


def test_a_practice_back_in_draft_leaves_the_feed_and_the_licence_list(app, client, pworld, as_user):
    from app.models import Activity

    with app.app_context():
        db.session.add(Activity(community_id=pworld.open_community.id, actor_id=pworld.donor.id,
                                verb="practice.published", object_type="practice", object_id=pworld.draft.id,
                                object_label="Bozza segreta del Comune"))
        db.session.get(Practice, pworld.draft.id).licence = "WTFPL"
        db.session.commit()
    assert "Bozza segreta" not in client.get(f"/communities/{pworld.open_community.slug}").get_data(as_text=True)
    assert "WTFPL" not in client.get("/practices/").get_data(as_text=True)
    donor = app.test_client()
    login(donor, pworld.donor)
    assert "WTFPL" in donor.get("/practices/?status=draft").get_data(as_text=True)


def test_odd_filter_values_never_break_the_archive(client, pworld):
    assert client.get("/practices/?completeness=99999999999999999999").status_code == 200
    assert client.get("/practices/?page=99999999999999999999").status_code == 404
    assert client.get("/communities/?page=-1").status_code == 404


def test_without_javascript_a_failed_publish_keeps_the_kit_text(app, client, pworld, as_user):
    as_user(pworld.donor)
    slug = pworld.published.slug
    response = post(client, f"/practices/{slug}/kit/publish", {"label": "", "changelog": ""},
                    page=f"/practices/{slug}/kit/edit")
    assert response.status_code == 422 and "Contesto iniziale." in response.get_data(as_text=True)


def test_refused_transitions_change_nothing(app, client, pworld, as_user):
    as_user(pworld.facilitator)
    post(client, f"/practices/{pworld.archived.slug}/status/restore")
    post(client, f"/practices/{pworld.published.slug}/status/publish")
    with app.app_context():
        assert db.session.get(Practice, pworld.archived.id).status == "archived"
        assert db.session.get(Practice, pworld.published.id).status == "published"


def test_an_htmx_tab_brings_its_own_navigation_with_the_current_tab_marked(client, pworld):
    fragment = client.get(f"/practices/{pworld.published.slug}?tab=versions",
                          headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment
    assert re.search(r'class="nav-link active" aria-current="page"\s+href="[^"]*tab=versions"', fragment)
    assert fragment.count('aria-current="page"') == 1
