"""Issue 11, points 3 and 4: the kit's versions and maintenance log name organisations to visitors and people to
members only; a log entry about a deployment follows the deployments tab's visibility rule."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Adoption, Deployment, KitSection, KitVersion, MaintenanceEntry
from app.models.base import utcnow
from tests.conftest import login, post

ROLES = ["anonymous", "outsider", "supplier", "donor", "admin"]
NAMED = {"outsider", "supplier", "donor", "admin"}  # signed-in members of the platform see who wrote what


@pytest.fixture
def kit_world(app, rworld):
    """The practice of Chieri with two kit versions and a log entry written by Chieri's people."""
    with app.app_context():
        first = db.session.execute(select(KitVersion).where(KitVersion.practice_id == rworld.practice.id)).scalar_one()
        first.author_id = rworld.donor.id
        now = utcnow()
        db.session.add(KitVersion(practice_id=rworld.practice.id, label="1.1", status="published",
                                  author_id=rworld.donor_colleague.id, published_at=now + timedelta(seconds=1),
                                  changelog="Aggiornati i modelli", sections=[KitSection(key="context",
                                                                                          body="Contesto nuovo.")]))
        db.session.add(MaintenanceEntry(practice_id=rworld.practice.id, author_id=rworld.donor_colleague.id,
                                        note="Aggiornati i riferimenti normativi.", created_at=now))
        db.session.commit()
    return rworld


def _get(app, world, role: str, url: str, htmx: bool = False) -> str:
    client = app.test_client()
    if role != "anonymous":
        assert login(client, getattr(world, role)).status_code == 303
    response = client.get(url, headers={"HX-Request": "true"} if htmx else {})
    assert response.status_code == 200, (role, url)
    return response.get_data(as_text=True)


# Who wrote what each page shows: the kit tab's log (Cesare), both versions, each version's own author.
AUTHORS = {"?tab=kit": {"Cesare Collega"}, "?tab=versions": {"Carla Cedente", "Cesare Collega"},
           "/versions/1.0": {"Carla Cedente"}, "/versions/1.1": {"Cesare Collega"}, "/compare": set()}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page,htmx", [(page, False) for page in AUTHORS] + [("?tab=kit", True), ("?tab=versions", True)])
def test_visitors_see_the_organisation_and_members_the_person(app, kit_world, role, page, htmx):
    url = f"/practices/{kit_world.practice.slug}{page}"
    html = _get(app, kit_world, role, url, htmx=htmx)
    for person in ("Carla Cedente", "Cesare Collega"):
        if role != "anonymous" and getattr(kit_world, role).name == person:
            continue  # the header names the signed-in person
        assert (person in html) == (role in NAMED and person in AUTHORS[page]), (role, page, person)
    if AUTHORS[page]:
        assert "Comune di Chieri" in html  # who keeps the kit is still said, as an organisation
    if page == "?tab=kit":
        assert "Aggiornati i riferimenti normativi." in html


def test_the_versions_table_heads_its_column_by_what_it_shows(app, kit_world):
    visitor = _get(app, kit_world, "anonymous", f"/practices/{kit_world.practice.slug}?tab=versions")
    member = _get(app, kit_world, "outsider", f"/practices/{kit_world.practice.slug}?tab=versions")
    assert '<th scope="col">Ente</th>' in visitor and '<th scope="col">Ente</th>' not in member


# ---- point 4: the deployment announced by the log is the one the deployments tab shows ----------------------

@pytest.fixture
def deployment_world(app, kit_world):
    """Bari completed its reuse and recorded the deployment; the donors have not confirmed the adoption."""
    from app.reuse.workflow import AdoptionStatus

    with app.app_context():
        adoption = Adoption(practice_id=kit_world.practice.id, organization_id=kit_world.reuser_org.id,
                            status=AdoptionStatus.COMPLETED, declared_by_id=kit_world.reuser.id,
                            started_at=utcnow(), ended_at=utcnow())
        db.session.add(adoption)
        db.session.flush()
        db.session.add(Deployment(adoption_id=adoption.id, practice_id=kit_world.practice.id,
                                  organization_id=kit_world.reuser_org.id, deployed_on=date(2026, 3, 1), size="m",
                                  territory="Città di Bari", outcome="In esercizio.", created_by_id=kit_world.reuser.id))
        db.session.add(MaintenanceEntry(practice_id=kit_world.practice.id, author_id=kit_world.reuser.id,
                                        adoption_id=adoption.id, note="Dispiegamento registrato da Comune di Bari."))
        db.session.commit()
        kit_world.adoption_id = adoption.id
    return kit_world


LOG_ROLES = ["anonymous", "outsider", "supplier", "reuser", "reuser_referent", "donor", "donor_colleague", "admin"]
SEES_UNCONFIRMED = {"reuser", "reuser_referent", "donor", "donor_colleague", "admin"}  # the two organisations


@pytest.mark.parametrize("role", LOG_ROLES)
def test_the_log_announces_a_deployment_only_to_who_sees_it_on_the_deployments_tab(app, deployment_world, role):
    slug = deployment_world.practice.slug
    log = _get(app, deployment_world, role, f"/practices/{slug}?tab=kit", htmx=True)
    tab = _get(app, deployment_world, role, f"/practices/{slug}?tab=deployments", htmx=True)
    shown = role in SEES_UNCONFIRMED
    assert ("Dispiegamento registrato da Comune di Bari." in log) == shown
    assert ("Città di Bari" in tab) == shown  # the same rule, on both tabs
    assert "Aggiornati i riferimenti normativi." in log  # the other entries stay


@pytest.mark.parametrize("role", ["anonymous", "outsider"])
def test_once_confirmed_the_deployment_is_in_the_log_for_everybody(app, deployment_world, role):
    with app.app_context():
        db.session.get(Adoption, deployment_world.adoption_id).confirmed_at = utcnow()
        db.session.commit()
    slug = deployment_world.practice.slug
    assert "Dispiegamento registrato da Comune di Bari." in _get(app, deployment_world, role,
                                                                 f"/practices/{slug}?tab=kit")
    assert "Città di Bari" in _get(app, deployment_world, role, f"/practices/{slug}?tab=deployments")


def test_recording_a_deployment_links_its_log_entry_to_the_adoption(app, client, kit_world):
    """Through the real form: the entry it writes carries the adoption, so the rule above applies to it."""
    from app.reuse.workflow import AdoptionStatus

    with app.app_context():
        adoption = Adoption(practice_id=kit_world.practice.id, organization_id=kit_world.reuser_org.id,
                            status=AdoptionStatus.COMPLETED, declared_by_id=kit_world.reuser.id,
                            started_at=utcnow(), ended_at=utcnow())
        db.session.add(adoption)
        db.session.commit()
        adoption_id = adoption.id
    login(client, kit_world.reuser_referent)
    url = f"/adoptions/{adoption_id}/deployment"
    response = post(client, url, {"deployed_on": "2026-03-01", "size": "m", "territory": "Città di Bari",
                                  "outcome": "In esercizio."}, page=url)
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:300]
    with app.app_context():
        entry = db.session.execute(select(MaintenanceEntry).where(
            MaintenanceEntry.note.like("Dispiegamento registrato%"))).scalar_one()
        assert entry.adoption_id == adoption_id
    assert "Dispiegamento registrato" not in _get(app, kit_world, "anonymous",
                                                  f"/practices/{kit_world.practice.slug}?tab=kit")
