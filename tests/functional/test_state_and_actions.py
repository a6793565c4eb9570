"""Issue 11, points 8 and 14: state shown fresh and once, dates in Europe/Rome, notifications read when their item is
opened; actions shown only when they apply, destructive ones confirmed first (dialog with htmx, page without)."""
from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import func, select

from app.extensions import db
from app.models import Adoption, AdoptionEvent, Membership, Notification, SupportRequest
from tests.conftest import login, post


def membership_of(app, community_id, user_id) -> Membership | None:
    with app.app_context():
        row = db.session.execute(select(Membership).where(Membership.community_id == community_id,
                                                          Membership.user_id == user_id)).scalar_one_or_none()
        if row is not None:
            db.session.expunge(row)
        return row


# ---- point 8: fresh state, shown once ---------------------------------------------------------------------------

def test_joining_in_place_updates_the_member_count(app, client, cworld):
    login(client, cworld.outsider)
    before = client.get(f"/communities/{cworld.open.slug}").get_data(as_text=True)
    assert re.search(r'<span id="member-count">3 ', before)  # two facilitators and a member
    joined = post(client, f"/communities/{cworld.open.slug}/membership/join", htmx=True)
    body = joined.get_data(as_text=True)
    assert joined.status_code == 200
    assert re.search(r'<span id="member-count" hx-swap-oob="true">4 ', body)  # the count outside the box follows


def test_a_message_is_shown_once_on_the_community_page(app, client, cworld):
    login(client, cworld.outsider)
    joined = post(client, f"/communities/{cworld.open.slug}/membership/join")
    assert joined.status_code == 303
    page = client.get(joined.headers["Location"]).get_data(as_text=True)
    assert page.count('class="flash-messages"') == 1
    assert client.get(joined.headers["Location"]).get_data(as_text=True).count('class="flash-messages"') == 0


def test_opening_the_item_of_a_notification_reads_it(app, client, cworld):
    requests_url = f"/communities/{cworld.moderated.slug}/requests"
    with app.app_context():
        for user_id, link in ((cworld.facilitator.id, requests_url), (cworld.facilitator.id, "/communities/"),
                              (cworld.member.id, requests_url)):
            db.session.add(Notification(user_id=user_id, verb="membership.requested", params={}, link=link))
        db.session.commit()
    login(client, cworld.facilitator)
    page = client.get(requests_url).get_data(as_text=True)
    with app.app_context():
        unread = db.session.execute(select(Notification.user_id, Notification.link)
                                    .where(Notification.read_at.is_(None))).all()
    # Only the reader's own notification about this page; the bell on that very page already counts it read.
    assert sorted(unread) == sorted([(cworld.facilitator.id, "/communities/"), (cworld.member.id, requests_url)])
    bell = page.split('id="notification-bell"')[1].split("</a>")[0]
    assert ">1<" in bell


def test_an_adoption_has_the_same_date_everywhere_in_europe_rome(app, client, rworld):
    late = datetime(2026, 12, 31, 23, 30)  # UTC: already 1 January 2027 in Rome
    with app.app_context():
        adoption = Adoption(practice_id=rworld.practice.id, organization_id=rworld.reuser_org.id, status="interested",
                            declared_by_id=rworld.reuser.id, created_at=late, updated_at=late)
        db.session.add(adoption)
        db.session.flush()
        db.session.add(AdoptionEvent(adoption_id=adoption.id, action="declare", to_status="interested",
                                     actor_id=rworld.reuser.id, created_at=late))
        db.session.commit()
        adoption_id = adoption.id
    login(client, rworld.reuser)
    history = client.get(f"/adoptions/{adoption_id}").get_data(as_text=True)
    form = client.get(f"/practices/{rworld.practice.slug}/support/new").get_data(as_text=True)
    option = re.search(rf'<option value="{adoption_id}">([^<]+)</option>', form).group(1)
    assert "01/01/27" in option and "31/12" not in option
    assert "01/01/27, 00:30" in history


# ---- point 14: only the actions that apply; destructive ones confirmed --------------------------------------------

def open_request(app, rworld, client) -> SupportRequest:
    response = post(client, f"/practices/{rworld.practice.slug}/support/new",
                    {"kind": "technical", "subject": "Installazione del modulo gare", "description": "Aiuto."})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    with app.app_context():
        return db.session.execute(select(SupportRequest).order_by(SupportRequest.id.desc())).scalars().first()


def request_status(app, request_id) -> str:
    with app.app_context():
        return db.session.get(SupportRequest, request_id).status


def test_the_requester_sees_no_empty_actions_and_the_donor_no_reason_before_declining(app, rworld):
    reuser, donor = app.test_client(), app.test_client()
    login(reuser, rworld.reuser)
    login(donor, rworld.donor)
    req = open_request(app, rworld, reuser)
    as_requester = reuser.get(f"/support/{req.id}").get_data(as_text=True)
    assert ">Azioni<" not in as_requester and "Motivo del rifiuto" not in as_requester
    as_donor = donor.get(f"/support/{req.id}").get_data(as_text=True)
    assert ">Azioni<" in as_donor
    # The reason waits behind "Declina la richiesta…" (closed <details>), until an empty one is sent.
    assert re.search(r'<details class="decline-box[^"]*" id="decline-box">', as_donor)
    refused = post(donor, f"/support/{req.id}/status/decline", {"reason": " "})
    assert refused.status_code == 422
    assert re.search(r'<details class="decline-box[^"]*" id="decline-box" open>', refused.get_data(as_text=True))


def test_declining_asks_first_without_javascript_and_the_dialog_says_yes_with_it(app, rworld):
    reuser, donor = app.test_client(), app.test_client()
    login(reuser, rworld.reuser)
    login(donor, rworld.donor)
    req = open_request(app, rworld, reuser)
    page = donor.get(f"/support/{req.id}").get_data(as_text=True)
    assert "hx-confirm=" in page and """hx-vals='{"confirmed": "1"}'""" in page
    asked = post(donor, f"/support/{req.id}/status/decline", {"reason": "Fuori dal KIT."})
    body = asked.get_data(as_text=True)
    assert asked.status_code == 200 and request_status(app, req.id) == "open"  # nothing changed yet
    assert "Sì, declina la richiesta" in body and 'name="reason" value="Fuori dal KIT."' in body
    assert 'name="confirmed" value="1"' in body and f'href="/support/{req.id}"' in body  # a way back
    done = post(donor, f"/support/{req.id}/status/decline", {"reason": "Fuori dal KIT.", "confirmed": "1"})
    assert done.status_code == 303 and request_status(app, req.id) == "declined"


def test_the_history_says_who_was_assigned_by_whom(app, rworld):
    reuser, donor = app.test_client(), app.test_client()
    login(reuser, rworld.reuser)
    login(donor, rworld.donor)
    req = open_request(app, rworld, reuser)
    assert post(donor, f"/support/{req.id}/assign", {"assignee": str(rworld.donor_colleague.id)}).status_code == 303
    assert post(donor, f"/support/{req.id}/assign", {"assignee": ""}).status_code == 303
    page = donor.get(f"/support/{req.id}").get_data(as_text=True)
    assert "Assegnata a Cesare Collega da Carla Cedente" in page
    assert "Assegnazione tolta da Carla Cedente" in page
    assert "Aperta da Rino Riuso" in page


def test_the_adoption_has_one_note_box_and_abandoning_asks_first(app, client, rworld):
    with app.app_context():
        adoption = Adoption(practice_id=rworld.practice.id, organization_id=rworld.reuser_org.id, status="interested",
                            declared_by_id=rworld.reuser.id)
        db.session.add(adoption)
        db.session.commit()
        adoption_id = adoption.id
    login(client, rworld.reuser)
    page = client.get(f"/adoptions/{adoption_id}").get_data(as_text=True)
    assert page.count('name="note"') == 1
    assert page.count(f'formaction="/adoptions/{adoption_id}/step/') == 2  # start and abandon share the note
    assert f'hx-post="/adoptions/{adoption_id}/step/abandon"' in page and "hx-confirm=" in page
    asked = post(client, f"/adoptions/{adoption_id}/step/abandon", {"note": "Cambio di priorità."})
    assert asked.status_code == 200 and "Sì, abbandona il riuso" in asked.get_data(as_text=True)
    assert 'name="note" value="Cambio di priorità."' in asked.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Adoption, adoption_id).status == "interested"
    done = post(client, f"/adoptions/{adoption_id}/step/abandon", {"note": "Cambio di priorità.", "confirmed": "1"})
    assert done.status_code == 303
    with app.app_context():
        assert db.session.get(Adoption, adoption_id).status == "abandoned"
    # Starting is not destructive: it goes through at once.


def test_removing_a_member_and_leaving_ask_first(app, client, cworld):
    target = membership_of(app, cworld.open.id, cworld.member.id)
    login(client, cworld.facilitator)
    members = client.get(f"/communities/{cworld.open.slug}/members").get_data(as_text=True)
    assert """hx-vals='{"confirmed": "1"}'""" in members
    url = f"/communities/{cworld.open.slug}/memberships/{target.id}/remove"
    asked = post(client, url, {"back": "members", "reason": "Ruolo cambiato"})
    assert asked.status_code == 200 and "Rimuovere Mario Membro dalla comunità?" in asked.get_data(as_text=True)
    assert membership_of(app, cworld.open.id, cworld.member.id).status == "active"
    post(client, url, {"back": "members", "reason": "Ruolo cambiato", "confirmed": "1"})
    row = membership_of(app, cworld.open.id, cworld.member.id)
    assert (row.status, row.reason) == ("removed", "Ruolo cambiato")

    other = app.test_client()
    login(other, cworld.other_facilitator)
    leave = f"/communities/{cworld.open.slug}/membership/leave"
    assert post(other, leave).status_code == 200
    assert membership_of(app, cworld.open.id, cworld.other_facilitator.id).status == "active"
    assert post(other, leave, {"confirmed": "1"}).status_code == 303
    assert membership_of(app, cworld.open.id, cworld.other_facilitator.id).status == "left"


def test_a_join_request_can_say_why_and_the_facilitators_read_it(app, client, cworld):
    login(client, cworld.outsider)
    url = f"/communities/{cworld.moderated.slug}/membership/request"
    home = client.get(f"/communities/{cworld.moderated.slug}").get_data(as_text=True)
    assert 'name="message"' in home
    too_long = post(client, url, {"message": "x" * 1001}, htmx=True)
    assert too_long.status_code == 422 and 'id="message-error"' in too_long.get_data(as_text=True)
    assert "x" * 1001 in too_long.get_data(as_text=True)  # what was typed is kept
    assert membership_of(app, cworld.moderated.id, cworld.outsider.id) is None
    asked = post(client, url, {"message": "Seguiamo le gare per 12 Comuni."}, htmx=True)
    assert asked.status_code == 200
    assert membership_of(app, cworld.moderated.id, cworld.outsider.id).request_message == (
        "Seguiamo le gare per 12 Comuni.")
    facilitator = app.test_client()
    login(facilitator, cworld.facilitator)
    queue = facilitator.get(f"/communities/{cworld.moderated.slug}/requests").get_data(as_text=True)
    assert "Seguiamo le gare per 12 Comuni." in queue
    # Without a message the request goes as before.
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(Membership).where(
            Membership.status == "pending", Membership.request_message.is_(None))).scalar() == 3
