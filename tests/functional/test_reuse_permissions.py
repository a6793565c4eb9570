"""Every reuse route × (anonymous, reuser, reuser's referent, donor, donor's colleague, outsider administration,
supplier, administrator): the status each must get. What may not be seen is a 404, what may not be done a 403; a
refused rule (a duplicate adoption, one's own practice) is a 422 with the reason."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Adoption, SupplierOffer, SupportAttachment, SupportMessage, SupportRequest
from tests.conftest import ReuseWorld, request_as

ROLES = ("anonymous", "reuser", "reuser_referent", "donor", "donor_colleague", "outsider", "supplier", "admin")


@dataclass
class Objects:
    world: ReuseWorld
    adoption: int
    request: int
    internal_attachment: int
    offer: int


@pytest.fixture
def objects(app, rworld) -> Objects:
    """Bari's adoption under way (not confirmed), its open request with an internal note, a supplier's offer."""
    with app.app_context():
        adoption = Adoption(practice_id=rworld.practice.id, organization_id=rworld.reuser_org.id,
                            status="in_progress", declared_by_id=rworld.reuser.id)
        req = SupportRequest(practice_id=rworld.practice.id, organization_id=rworld.reuser_org.id,
                             requester_id=rworld.reuser.id, kind="technical", subject="Aiuto", description="D")
        note = SupportMessage(author_id=rworld.donor.id, body="Nota riservata del cedente", internal=True,
                              from_donor=True)
        req.messages.append(note)
        req.attachments.append(SupportAttachment(message=note, storage_key="missing", original_name="n.txt",
                                                 mimetype="text/plain", size=1, sha256="0" * 64))
        offer = SupplierOffer(practice_id=rworld.practice.id, organization_id=_supplier_org(rworld),
                              services=["training"], description="Corsi")
        db.session.add_all([adoption, req, offer])
        db.session.commit()
        return Objects(rworld, adoption.id, req.id, req.attachments[0].id, offer.id)


def _supplier_org(rworld) -> int:
    from app.models import User

    return db.session.get(User, rworld.supplier.id).organization_id


MATRIX = [
    #                                                 anon reuser ref  donor coll  outs  suppl admin
    # declaring a reuse commits the organisation: its referents do it (issue 11, point 13)
    ("GET", "/practices/{practice}/adopt",            (302, 403, 200, 403, 403, 403, 403, 403)),
    ("POST", "/practices/{practice}/adopt",           (302, 403, 422, 422, 422, 403, 422, 403)),
    ("GET", "/practices/{draft}/adopt",               (302, 404, 404, 403, 403, 404, 404, 403)),
    ("POST", "/practices/{archived}/adopt",           (302, 422, 422, 422, 422, 422, 422, 403)),
    ("GET", "/adoptions/{adoption}",                  (404, 200, 200, 200, 200, 404, 404, 200)),
    ("POST", "/adoptions/{adoption}/step/complete",   (302, 303, 303, 403, 403, 404, 404, 303)),
    ("POST", "/adoptions/{adoption}/step/explode",    (302, 404, 404, 404, 404, 404, 404, 404)),
    # confirming a reuse and inviting a co-donor speak for the donors: their referents (issue 11, point 13)
    ("POST", "/adoptions/{adoption}/confirm",         (302, 403, 403, 303, 403, 404, 404, 303)),
    ("POST", "/adoptions/{adoption}/invite",          (302, 403, 403, 303, 403, 404, 404, 303)),
    ("GET", "/adoptions/{adoption}/deployment",       (302, 200, 200, 403, 403, 404, 404, 200)),
    ("POST", "/adoptions/{adoption}/deployment",      (302, 422, 422, 403, 403, 404, 404, 422)),
    ("GET", "/adoptions/999",                         (404, 404, 404, 404, 404, 404, 404, 404)),
    ("GET", "/reuse/mine",                            (302, 200, 200, 200, 200, 200, 200, 403)),
    ("GET", "/practices/{practice}/support/new",      (302, 200, 200, 403, 403, 200, 403, 403)),
    ("POST", "/practices/{practice}/support/new",     (302, 422, 422, 422, 422, 422, 422, 403)),
    ("GET", "/support/{request}",                     (302, 200, 200, 200, 200, 404, 404, 200)),
    ("POST", "/support/{request}/messages",           (302, 422, 422, 422, 422, 404, 404, 422)),
    ("POST", "/support/{request}/status/accept",      (302, 403, 403, 303, 303, 404, 404, 303)),
    ("POST", "/support/{request}/status/close",       (302, 303, 303, 403, 403, 404, 404, 303)),  # refused: open
    ("POST", "/support/{request}/status/explode",     (302, 404, 404, 404, 404, 404, 404, 404)),
    ("POST", "/support/{request}/assign",             (302, 403, 403, 303, 303, 404, 404, 303)),
    ("GET", "/support/{request}/attachments/{note}",  (302, 404, 404, 404, 404, 404, 404, 404)),  # file missing
    ("GET", "/support/999",                           (302, 404, 404, 404, 404, 404, 404, 404)),
    ("GET", "/support/inbox",                         (302, 200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/support/outbox",                        (302, 200, 200, 200, 200, 200, 200, 403)),
    ("GET", "/practices/{practice}/offer",            (302, 403, 403, 403, 403, 403, 200, 403)),
    ("POST", "/practices/{practice}/offer",           (302, 403, 403, 403, 403, 403, 422, 403)),
    ("POST", "/practices/{practice}/offers/{offer}/hide", (302, 403, 403, 303, 303, 403, 403, 303)),
    ("POST", "/practices/{practice}/offers/{offer}/explode", (302, 404, 404, 404, 404, 404, 404, 404)),
    ("GET", "/practices/{practice}?tab=deployments",  (200, 200, 200, 200, 200, 200, 200, 200)),
]
CASES = [pytest.param(method, url, role, expected[i], id=f"{method} {url} as {role}")
         for method, url, expected in MATRIX for i, role in enumerate(ROLES)]


def fill(url: str, objects: Objects) -> str:
    world = objects.world
    return url.format(practice=world.practice.slug, draft=world.draft.slug, archived=world.archived.slug,
                      adoption=objects.adoption, request=objects.request, note=objects.internal_attachment,
                      offer=objects.offer)


@pytest.mark.parametrize("method,url,role,expected", CASES)
def test_reuse_permissions(client, objects, method, url, role, expected):
    assert request_as(client, objects.world, role, method, fill(url, objects)).status_code == expected


@pytest.mark.parametrize("method,url,role,expected", [c for c in CASES if c.values[3] in (302, 403, 404)])
def test_reuse_permissions_htmx(client, objects, method, url, role, expected):
    response = request_as(client, objects.world, role, method, fill(url, objects), htmx=True)
    if expected == 302:
        assert response.status_code == 401 and response.headers["HX-Redirect"].startswith("/auth/login")
    else:
        assert response.status_code == expected and "<html" not in response.get_data(as_text=True)


# The rules behind the 303s above: what each role's POST actually changed.
EFFECTS = {
    "confirm": ("/adoptions/{adoption}/confirm", lambda a, r: a.confirmed_at is not None,
                {"donor", "admin"}),
    "complete": ("/adoptions/{adoption}/step/complete", lambda a, r: a.status == "completed",
                 {"reuser", "reuser_referent", "admin"}),
    "accept": ("/support/{request}/status/accept", lambda a, r: r.status == "accepted",
               {"donor", "donor_colleague", "admin"}),
}


@pytest.mark.parametrize("role", ROLES[1:])
@pytest.mark.parametrize("effect", sorted(EFFECTS))
def test_only_the_right_side_changes_anything(app, client, objects, effect, role):
    url, changed, allowed = EFFECTS[effect]
    request_as(client, objects.world, role, "POST", fill(url, objects))
    with app.app_context():
        adoption = db.session.get(Adoption, objects.adoption)
        req = db.session.get(SupportRequest, objects.request)
        assert changed(adoption, req) is (role in allowed)


@pytest.mark.parametrize("role", ("reuser", "reuser_referent", "donor", "donor_colleague", "admin"))
@pytest.mark.parametrize("htmx", (False, True))
def test_internal_notes_only_for_the_donor_team(client, objects, role, htmx):
    url = f"/support/{objects.request}" + ("?part=conversation" if htmx else "")
    body = request_as(client, objects.world, role, "GET", url, htmx=htmx).get_data(as_text=True)
    assert ("Nota riservata del cedente" in body) is (role in ("donor", "donor_colleague", "admin"))


@pytest.mark.parametrize("role", ROLES)
def test_unconfirmed_adoptions_show_only_to_the_two_organisations(client, objects, role):
    body = request_as(client, objects.world, role, "GET",
                      f"/practices/{objects.world.practice.slug}?tab=deployments").get_data(as_text=True)
    assert ("in attesa di conferma" in body) is (role in ("reuser", "reuser_referent", "donor", "donor_colleague",
                                                          "admin"))


def test_suppliers_never_confirm_even_as_co_donors(app, client, objects):
    from app.models import Organization, Practice

    with app.app_context():
        practice = db.session.get(Practice, objects.world.practice.id)
        practice.co_donors.append(db.session.get(Organization, _supplier_org(objects.world)))
        db.session.commit()
    response = request_as(client, objects.world, "supplier", "POST", f"/adoptions/{objects.adoption}/confirm")
    assert response.status_code == 403
    with app.app_context():
        assert db.session.execute(select(Adoption.confirmed_at)).scalar_one() is None


def test_a_reuser_invited_as_co_donor_stays_the_reuser_of_its_own_adoption_and_request(app, client, objects):
    """Once co-donor, the reusing organisation writes the kit, but never confirms its own reuse, never reads the
    donors' internal notes on its own requests and never answers them for the donors."""
    from app.models import Organization, Practice

    world = objects.world
    with app.app_context():
        practice = db.session.get(Practice, world.practice.id)
        practice.co_donors.append(db.session.get(Organization, world.reuser_org.id))
        db.session.commit()
    assert request_as(client, world, "reuser", "POST", f"/adoptions/{objects.adoption}/confirm").status_code == 403
    page = client.get(f"/support/{objects.request}").get_data(as_text=True)
    assert "Nota riservata del cedente" not in page and "Prendi in carico" not in page
    assert client.get(f"/support/{objects.request}/attachments/{objects.internal_attachment}").status_code == 404
    from tests.conftest import post

    assert post(client, f"/support/{objects.request}/status/accept").status_code == 403
    with app.app_context():
        assert db.session.get(Adoption, objects.adoption).confirmed_at is None
        req = db.session.get(SupportRequest, objects.request)
        assert req.status == "open" and req.first_response_at is None
