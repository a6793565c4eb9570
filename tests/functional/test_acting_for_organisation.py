"""Who acts for an organisation (issue 11, point 13): its people draft, its referents publish and declare,
administrators act for any organisation and say which; a refusal says who may do it instead of a bare 403."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Adoption, KitVersion, MaintenanceEntry, Membership, Practice, User
from app.models.base import utcnow
from tests.conftest import login, make_user, post, ref


@pytest.fixture
def world(app, pworld):
    """pworld, with a referent of the donor organisation (Chieri) in the open community."""
    with app.app_context():
        chieri = db.session.get(User, pworld.donor.id).organization
        referent = make_user("referente@chieri.example.it", chieri, is_referent=True, full_name="Rosa Referente")
        db.session.add(Membership(community_id=pworld.open_community.id, user_id=referent.id, status="active",
                                  role="member", joined_at=utcnow()))
        db.session.commit()
        return SimpleNamespace(**vars(pworld), referent=ref(referent))


def practice(app, practice_id) -> Practice:
    with app.app_context():
        found = db.session.get(Practice, practice_id)
        db.session.expunge(found)
        return found


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar()


FORM = {"title": "Centrale unica rinnovata", "summary": "Sintesi nuova.", "kind": "organisational",
        "theme": "procurement"}


def test_a_member_cannot_change_a_published_practice_and_is_told_who_can(app, client, world):
    login(client, world.donor)
    url = f"/practices/{world.published.slug}/edit"
    page = client.get(url)
    assert page.status_code == 403 and "referenti dell'ente cedente" in page.get_data(as_text=True)
    response = post(client, url, {**FORM, "community": str(world.open_community.id)})
    assert response.status_code == 403
    assert practice(app, world.published.id).title == "Centrale unica di committenza"


def test_the_referent_changes_the_published_practice(app, client, world):
    login(client, world.referent)
    response = post(client, f"/practices/{world.published.slug}/edit",
                    {**FORM, "community": str(world.open_community.id)})
    assert response.status_code == 303
    assert practice(app, world.published.id).title == "Centrale unica rinnovata"


def test_a_member_drafts_the_kit_but_only_a_referent_publishes_it(app, client, world):
    slug = world.published.slug
    login(client, world.donor)
    assert post(client, f"/practices/{slug}/kit/edit", {"section_context": "Contesto aggiornato."}).status_code == 303
    editor = client.get(f"/practices/{slug}/kit/edit").get_data(as_text=True)
    assert "spetta ai referenti dell'ente cedente" in editor and 'action="/practices/' + slug + '/kit/publish"' \
        not in editor
    refused = post(client, f"/practices/{slug}/kit/publish", {"label": "1.1", "changelog": "Contesto."})
    assert refused.status_code == 403
    assert count(app, KitVersion, KitVersion.practice_id == world.published.id,
                 KitVersion.status == "published") == 1
    assert post(client, f"/practices/{slug}/kit/maintenance", {"note": "Nota"}).status_code == 403
    assert count(app, MaintenanceEntry) == 0
    page = client.get(f"/practices/{slug}").get_data(as_text=True)
    assert 'id="who-publishes"' in page and f"/practices/{slug}/edit" not in page

    client = app.test_client()  # another person, another browser
    login(client, world.referent)
    assert post(client, f"/practices/{slug}/kit/publish", {"label": "1.1", "changelog": "Contesto."}
                ).status_code == 303
    assert count(app, KitVersion, KitVersion.practice_id == world.published.id,
                 KitVersion.status == "published") == 2


def test_a_member_cannot_publish_a_draft_the_referent_can(app, client, world):
    with app.app_context():
        db.session.add(KitVersion(practice_id=world.draft.id, label="1.0", status="published",
                                  published_at=utcnow(), changelog="Prima"))
        db.session.commit()
    login(client, world.donor)
    refused = post(client, f"/practices/{world.draft.slug}/status/publish")
    assert refused.status_code == 403 and "referenti" in refused.get_data(as_text=True)
    assert practice(app, world.draft.id).status == "draft"
    client = app.test_client()  # another person, another browser
    login(client, world.referent)
    assert post(client, f"/practices/{world.draft.slug}/status/publish").status_code == 303
    assert practice(app, world.draft.id).status == "published"


@pytest.mark.parametrize("htmx", (False, True))
def test_the_administrator_documents_a_practice_for_the_organisation_they_choose(app, client, world, htmx):
    login(client, world.admin)
    form = client.get("/practices/new").get_data(as_text=True)
    assert 'name="donor"' in form
    data = {**FORM, "title": "Pratica per conto di Bari", "community": str(world.open_community.id)}
    unknown = post(client, "/practices/new", {**data, "donor": "x_nessuno"}, htmx=htmx)
    assert unknown.status_code == 422 and 'id="donor-error"' in unknown.get_data(as_text=True)
    assert "Pratica per conto di Bari" in unknown.get_data(as_text=True)  # the rest of the form is kept
    assert count(app, Practice, Practice.title == "Pratica per conto di Bari") == 0
    created = post(client, "/practices/new", {**data, "donor": "C_A662"}, htmx=htmx)
    assert created.status_code == (204 if htmx else 303)
    with app.app_context():
        made = db.session.execute(select(Practice).where(Practice.title == "Pratica per conto di Bari")).scalar_one()
        assert made.donor.name == "Comune di Bari" and made.status == "draft" and made.created_by_id == world.admin.id


def test_members_see_no_donor_field(client, world):
    login(client, world.donor)
    assert 'name="donor"' not in client.get("/practices/new").get_data(as_text=True)
    assert 'name="donor"' not in client.get("/practices/import").get_data(as_text=True)


def test_the_administrator_imports_for_the_organisation_they_choose(app, client, world):
    text = ("publiccodeYmlVersion: '0.4'\nname: Protocollo\nurl: https://example.org/protocollo.git\n"
            "platforms: [web]\ncategories: [document-management]\ndevelopmentStatus: stable\n"
            "softwareType: standalone/web\ndescription:\n  it:\n    shortDescription: Protocollo informatico\n"
            "    longDescription: " + "Un protocollo informatico completo per i comuni. " * 4 + "\n"
            "    features: [Protocollo]\nlegal:\n  license: EUPL-1.2\nmaintenance:\n  type: internal\n"
            "  contacts:\n    - name: Ufficio\nlocalisation:\n  localisationReady: true\n  availableLanguages: [it]\n")
    login(client, world.admin)
    assert 'name="donor"' in client.get("/practices/import").get_data(as_text=True)
    response = post(client, "/practices/import", {"community": str(world.open_community.id), "text": text,
                                                  "donor": "c_a662"})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    with app.app_context():
        made = db.session.execute(select(Practice).where(Practice.kind == "software")).scalar_one()
        assert made.donor.name == "Comune di Bari"


def test_declaring_a_reuse_is_for_the_referents(app, client, rworld):
    login(client, rworld.reuser)
    page = client.get(f"/practices/{rworld.practice.slug}/adopt")
    assert page.status_code == 403 and "referente del tuo ente" in page.get_data(as_text=True)
    assert post(client, f"/practices/{rworld.practice.slug}/adopt", {"notes": "Ci serve"}).status_code == 403
    assert count(app, Adoption) == 0
    assert 'id="who-declares"' in client.get(f"/practices/{rworld.practice.slug}").get_data(as_text=True)
    client = app.test_client()  # another person, another browser
    login(client, rworld.reuser_referent)
    assert post(client, f"/practices/{rworld.practice.slug}/adopt", {"notes": "Ci serve"}).status_code == 303
    assert count(app, Adoption) == 1


def test_the_administrator_is_told_why_they_do_not_declare(client, rworld):
    login(client, rworld.admin)
    page = client.get(f"/practices/{rworld.practice.slug}/adopt")
    assert page.status_code == 403 and "a nome di un ente" in page.get_data(as_text=True)
