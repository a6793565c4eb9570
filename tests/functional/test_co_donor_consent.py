"""A donor names a co-donor; the named organisation's referent accepts first (issue 11, point 30)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import CoDonorInvitation, MaintenanceEntry, Notification, Practice, User
from tests.conftest import csrf_token, login, make_user, post, ref, request_as


@pytest.fixture
def world(app, pworld):
    """pworld; the donor is Chieri's referent; Asti has a referent and a plain member (the facilitator)."""
    with app.app_context():
        db.session.get(User, pworld.donor.id).is_referent = True
        asti = db.session.get(User, pworld.facilitator.id).organization
        asti_referent = make_user("referente@asti.example.it", asti, is_referent=True, full_name="Aldo Referente")
        db.session.commit()
        return SimpleNamespace(**vars(pworld), asti_referent=ref(asti_referent))


def edit(client, world, co_donors: str):
    return post(client, f"/practices/{world.published.slug}/edit", {
        "title": "Centrale unica di committenza", "summary": "Sintesi.", "kind": "organisational",
        "community": str(world.open_community.id), "theme": "procurement", "co_donors": co_donors})


def state(app, world):
    with app.app_context():
        found = db.session.get(Practice, world.published.id)
        invitations = db.session.execute(select(CoDonorInvitation)).scalars().all()
        return [o.name for o in found.co_donors], [(i.organization.name, i.status) for i in invitations]


def invitation_id(app) -> int:
    with app.app_context():
        return db.session.execute(select(CoDonorInvitation.id)).scalar_one()


def test_a_named_organisation_becomes_co_donor_only_when_its_referent_accepts(app, client, world):
    login(client, world.donor)
    assert edit(client, world, "c_a479").status_code == 303
    assert state(app, world) == ([], [("Comune di Asti", "pending")])
    with app.app_context():
        asked = db.session.execute(select(Notification.user_id).where(Notification.verb == "codonor.asked")).all()
        assert [row[0] for row in asked] == [world.asti_referent.id]
    # The edit form still lists the invited organisation, so saving again neither withdraws nor re-sends it.
    assert 'value="c_a479"' in client.get(f"/practices/{world.published.slug}/edit").get_data(as_text=True)
    assert edit(client, world, "c_a479").status_code == 303
    assert state(app, world) == ([], [("Comune di Asti", "pending")])
    url = f"/practices/co-donor-invitations/{invitation_id(app)}"
    # The donor team sees who has not answered yet; the public sees only actual co-donors.
    assert 'id="invited-co-donors"' in client.get(f"/practices/{world.published.slug}").get_data(as_text=True)
    assert 'id="invited-co-donors"' not in app.test_client().get(f"/practices/{world.published.slug}").get_data(
        as_text=True)

    # A plain person of Asti reads the invitation but does not decide it; Bari does not even see it.
    member = app.test_client()
    login(member, world.facilitator)
    page = member.get(url).get_data(as_text=True)
    assert "Risponde all'invito un referente" in page and 'value="accept"' not in page
    assert post(member, url, {"decision": "accept"}).status_code == 403
    outsider = app.test_client()
    login(outsider, world.outsider)
    assert outsider.get(url).status_code == 404
    assert post(outsider, url, {"decision": "accept"}).status_code == 404
    assert state(app, world) == ([], [("Comune di Asti", "pending")])

    referent = app.test_client()
    login(referent, world.asti_referent)
    assert "Inviti a diventare co-cedente" in referent.get("/practices/mine").get_data(as_text=True)
    assert post(referent, url, {"decision": "accept"}).status_code == 303
    assert state(app, world) == (["Comune di Asti"], [("Comune di Asti", "accepted")])
    # A second answer (a double click) changes nothing and says so.
    again = post(referent, url, {"decision": "decline"})
    assert "già avuto una risposta" in referent.get(again.headers["Location"]).get_data(as_text=True)
    assert state(app, world) == (["Comune di Asti"], [("Comune di Asti", "accepted")])
    with app.app_context():
        assert db.session.execute(select(MaintenanceEntry.note)).scalars().all() == [
            "Comune di Asti è ora co-cedente della pratica."]
        assert db.session.execute(select(Notification.user_id).where(
            Notification.verb == "codonor.accepted")).scalars().all() == [world.donor.id]


def test_a_declined_invitation_leaves_the_practice_as_it_was(app, client, world):
    login(client, world.donor)
    edit(client, world, "c_a479")
    referent = app.test_client()
    login(referent, world.asti_referent)
    assert post(referent, f"/practices/co-donor-invitations/{invitation_id(app)}",
                {"decision": "decline"}).status_code == 303
    assert state(app, world) == ([], [("Comune di Asti", "declined")])
    # Named again later, the organisation is asked again.
    edit(client, world, "c_a479")
    assert state(app, world) == ([], [("Comune di Asti", "pending")])


def test_an_invitation_no_longer_named_is_withdrawn(app, client, world):
    login(client, world.donor)
    edit(client, world, "c_a479")
    edit(client, world, "")
    assert state(app, world) == ([], [])


def test_a_new_practice_invites_its_co_donors_too(app, client, world):
    login(client, world.donor)
    response = post(client, "/practices/new", {
        "title": "Nuova pratica condivisa", "summary": "Sintesi.", "kind": "organisational",
        "community": str(world.open_community.id), "theme": "procurement", "co_donors": "c_a479"})
    assert response.status_code == 303
    with app.app_context():
        made = db.session.execute(select(Practice).where(Practice.title == "Nuova pratica condivisa")).scalar_one()
        assert made.co_donors == []
        assert [(i.practice_id, i.status) for i in db.session.execute(select(CoDonorInvitation)).scalars()] == [
            (made.id, "pending")]


@pytest.fixture
def invited(app, client, world):
    """Asti invited as co-donor of the published practice by Chieri's referent."""
    login(client, world.donor)
    assert edit(client, world, "c_a479").status_code == 303
    return SimpleNamespace(world=world, url=f"/practices/co-donor-invitations/{invitation_id(app)}")


# role: (GET, POST accept, accepted afterwards)
INVITATION_MATRIX = {
    "anonymous": (302, 302, False),
    "outsider": (404, 404, False),        # Bari: not the invited organisation
    "donor": (404, 404, False),           # the inviting organisation does not answer for Asti
    "facilitator": (200, 403, False),     # a plain person of Asti reads it
    "asti_referent": (200, 303, True),
    "admin": (200, 303, True),
}


@pytest.mark.parametrize("htmx", (False, True))
@pytest.mark.parametrize("role", sorted(INVITATION_MATRIX))
def test_invitation_permissions(app, invited, role, htmx):
    get_status, post_status, accepted = INVITATION_MATRIX[role]
    client = app.test_client()
    response = request_as(client, invited.world, role, "GET", invited.url, htmx=htmx)
    assert response.status_code == (401 if htmx and get_status == 302 else get_status)
    response = client.post(invited.url, data={"decision": "accept", "csrf_token": csrf_token(client, "/privacy")},
                           headers={"HX-Request": "true"} if htmx else {})
    # htmx: a sign-in is a 401 with HX-Redirect, a redirect after the POST a 204 with HX-Redirect
    assert response.status_code == ({302: 401, 303: 204}.get(post_status, post_status) if htmx else post_status)
    assert (state(app, invited.world)[0] == ["Comune di Asti"]) is accepted


def test_only_a_referent_of_the_donor_invites_or_removes_co_donors(app, client, world):
    """A plain person of the donor drafts the practice, but who is co-donor is stated by a referent."""
    with app.app_context():
        colleague = make_user("collega@chieri.example.it", db.session.get(User, world.donor.id).organization,
                              full_name="Cesare Collega")
        db.session.commit()
        colleague = ref(colleague)
    draft = world.draft.slug

    def edit_draft(person_client, co_donors):
        return post(person_client, f"/practices/{draft}/edit", {
            "title": "Bozza segreta del Comune", "summary": "Sintesi.", "kind": "organisational",
            "community": str(world.open_community.id), "theme": "procurement", "co_donors": co_donors})

    login(client, colleague)
    refused = edit_draft(client, "c_a479")
    assert refused.status_code == 422
    assert "spetta a un referente" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(CoDonorInvitation)).scalars().all() == []
    referent = app.test_client()
    login(referent, world.donor)
    assert edit_draft(referent, "c_a479").status_code == 303
    # The colleague may still save the draft with the list as it is, but not empty it.
    assert edit_draft(client, "c_a479").status_code == 303
    assert edit_draft(client, "").status_code == 422
    with app.app_context():
        assert [i.status for i in db.session.execute(select(CoDonorInvitation)).scalars()] == ["pending"]


def test_an_invitation_to_a_private_communitys_practice_reaches_only_who_may_see_it(app, client, world):
    """Bari's people are not in the private community: no notification names the practice, the page is a 404."""
    with app.app_context():
        bari = db.session.get(User, world.outsider.id).organization
        bari_referent = ref(make_user("referente@bari.example.it", bari, is_referent=True))
        db.session.commit()
    login(client, world.donor)
    assert post(client, f"/practices/{world.private_published.slug}/edit", {
        "title": "Pratica del tavolo riservato", "summary": "Sintesi.", "kind": "organisational",
        "community": str(world.private_community.id), "theme": "procurement", "co_donors": "c_a662"},
        page=f"/practices/{world.private_published.slug}/edit").status_code == 303
    with app.app_context():
        assert db.session.execute(select(Notification).where(Notification.verb == "codonor.asked")).all() == []
    url = f"/practices/co-donor-invitations/{invitation_id(app)}"
    for person in (world.outsider, bari_referent):
        reader = app.test_client()
        login(reader, person)
        assert reader.get(url).status_code == 404
        assert "tavolo riservato" not in reader.get("/practices/mine").get_data(as_text=True)
