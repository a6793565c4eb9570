"""Issue 11, point 22: support requests follow their practice's visibility. A practice of a private community does
not exist for the donor organisation's people outside it: not its requests (pages, actions, inbox, filter, outbox),
not its title in "le mie pratiche", not the notifications of a new request."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Notification, SupportEvent, SupportMessage, SupportRequest
from tests.conftest import Ref, csrf_token, login, make_community, make_org, make_practice, make_user, ref

TITLE = "Protocollo del tavolo riservato"
SUBJECT = "Richiesta sul protocollo riservato"


@dataclass
class PrivateWorld:
    practice: Ref
    request_id: int
    donor_inside: Ref  # Chieri, member of the private community
    donor_outside: Ref  # Chieri's referent, not a member of it
    reuser: Ref  # Bari, member of the community, who asked
    reuser_outside: Ref  # Bari, not a member
    outsider: Ref
    admin: Ref


@pytest.fixture
def private_world(app) -> PrivateWorld:
    with app.app_context():
        chieri = make_org("Comune di Chieri", ipa_code="c_c627")
        bari = make_org("Comune di Bari", ipa_code="c_a662", region_code="16", province_code="BA")
        asti = make_org("Comune di Asti", ipa_code="c_a479", province_code="AT")
        people = dict(
            admin=make_user("admin@example.it", None, is_admin=True, full_name="Ada Admin"),
            donor_inside=make_user("dentro@chieri.example.it", chieri, full_name="Dora Dentro"),
            donor_outside=make_user("fuori@chieri.example.it", chieri, is_referent=True, full_name="Fulvio Fuori"),
            reuser=make_user("riuso@bari.example.it", bari, full_name="Rino Riuso"),
            reuser_outside=make_user("collega@bari.example.it", bari, full_name="Bice Collega"),
            outsider=make_user("esterno@asti.example.it", asti, full_name="Ettore Esterno"),
        )
        community = make_community("Tavolo riservato", "private", facilitators=[people["donor_inside"]],
                                   members=[people["reuser"]])
        practice = make_practice(TITLE, community, chieri, created_by_id=people["donor_inside"].id)
        request = SupportRequest(practice_id=practice.id, organization_id=bari.id, requester_id=people["reuser"].id,
                                 kind="technical", subject=SUBJECT, description="Come si installa?", status="open")
        db.session.add(request)
        db.session.commit()
        return PrivateWorld(practice=ref(practice), request_id=request.id,
                            **{k: ref(v) for k, v in people.items()})


SEES = {"donor_inside", "reuser", "admin"}
ROLES = ["donor_inside", "donor_outside", "reuser", "reuser_outside", "outsider", "admin"]


def _client(app, world, role):
    client = app.test_client()
    assert login(client, getattr(world, role)).status_code == 303
    return client


def _counts(app, request_id: int) -> tuple[int, int, str]:
    with app.app_context():
        messages = db.session.execute(select(func.count()).select_from(SupportMessage).where(
            SupportMessage.request_id == request_id)).scalar()
        events = db.session.execute(select(func.count()).select_from(SupportEvent).where(
            SupportEvent.request_id == request_id)).scalar()
        return messages, events, db.session.get(SupportRequest, request_id).status


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("htmx", [False, True])
def test_the_request_page_follows_the_practice(app, private_world, role, htmx):
    client = _client(app, private_world, role)
    response = client.get(f"/support/{private_world.request_id}", headers={"HX-Request": "true"} if htmx else {})
    assert response.status_code == (200 if role in SEES else 404)
    assert (SUBJECT in response.get_data(as_text=True)) == (role in SEES)
    practice = client.get(f"/practices/{private_world.practice.slug}")
    assert practice.status_code == (200 if role in SEES else 404)  # the same rule as its practice


@pytest.mark.parametrize("role", ["donor_outside", "reuser_outside", "outsider"])
@pytest.mark.parametrize("action", ["messages", "status/accept", "status/decline", "assign"])
def test_who_may_not_see_the_practice_cannot_answer_or_act_and_nothing_changes(app, private_world, role, action):
    client = _client(app, private_world, role)
    before = _counts(app, private_world.request_id)
    response = client.post(f"/support/{private_world.request_id}/{action}", data={
        "csrf_token": csrf_token(client, "/privacy"), "body": "Ecco come fare.", "reason": "No.", "assignee": ""})
    assert response.status_code == 404
    assert _counts(app, private_world.request_id) == before


def test_the_donor_inside_the_community_still_answers(app, private_world):
    client = _client(app, private_world, "donor_inside")
    response = client.post(f"/support/{private_world.request_id}/messages", data={
        "csrf_token": csrf_token(client, "/privacy"), "body": "Ecco come fare."})
    assert response.status_code in (302, 303)
    assert _counts(app, private_world.request_id)[0] == 1


@pytest.mark.parametrize("role", ROLES)
def test_inbox_outbox_and_the_practice_filter_follow_the_practice(app, private_world, role):
    client = _client(app, private_world, role)
    inbox = client.get("/support/inbox")
    if inbox.status_code == 200:
        html = inbox.get_data(as_text=True)
        visible = role in {"donor_inside", "admin"}
        assert (SUBJECT in html) == visible, role
        assert (TITLE in html) == visible, role  # the practice filter's options
        filtered = client.get(f"/support/inbox?practice={private_world.practice.slug}").get_data(as_text=True)
        assert (SUBJECT in filtered) == visible
    outbox = client.get("/support/outbox")
    if outbox.status_code == 200:
        assert (SUBJECT in outbox.get_data(as_text=True)) == (role == "reuser"), role


@pytest.mark.parametrize("role", ["donor_inside", "donor_outside"])
def test_my_practices_lists_a_private_practice_only_to_its_community(app, private_world, role):
    html = _client(app, private_world, role).get("/practices/mine").get_data(as_text=True)
    assert (TITLE in html) == (role == "donor_inside")


def test_only_the_donors_inside_the_community_hear_of_a_new_request(app, private_world):
    client = _client(app, private_world, "reuser")
    response = client.post(f"/practices/{private_world.practice.slug}/support/new", data={
        "csrf_token": csrf_token(client, "/privacy"), "kind": "technical", "subject": "Un'altra domanda",
        "description": "Serve aiuto."})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:300]
    with app.app_context():
        told = set(db.session.execute(select(Notification.user_id).where(
            Notification.verb == "support.opened")).scalars())
    assert private_world.donor_inside.id in told and private_world.donor_outside.id not in told


def test_a_request_can_be_assigned_only_to_donors_inside_the_community(app, private_world):
    html = _client(app, private_world, "donor_inside").get(
        f"/support/{private_world.request_id}").get_data(as_text=True)
    assert "Dora Dentro" in html and "Fulvio Fuori" not in html
