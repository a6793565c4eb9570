"""Support requests through the routes: the conversation (htmx and full page), internal notes, state changes with
their stamps, the reopen window, assignment, inboxes with filters and overdue requests, refused input."""
from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from app.extensions import db
from app.models import Notification, SupportAttachment, SupportEvent, SupportMessage, SupportRequest
from app.models.base import utcnow
from tests.conftest import csrf_token, login, post

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "uploads"


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar()


def open_request(client, slug, files=(), htmx=False, **fields):
    data = {"csrf_token": csrf_token(client, "/privacy"), "kind": "technical", "subject": "Installazione del modulo gare",
            "description": "Non riusciamo a configurare il **modulo**.", **fields}
    if files:
        data["files"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post(f"/practices/{slug}/support/new", data=data, content_type="multipart/form-data",
                       headers={"HX-Request": "true"} if htmx else {})


def message(client, request_id, body, internal=False, htmx=False, files=()):
    data = {"csrf_token": csrf_token(client, "/privacy"), "body": body, **({"internal": "y"} if internal else {})}
    if files:
        data["files"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post(f"/support/{request_id}/messages", data=data, content_type="multipart/form-data",
                       headers={"HX-Request": "true"} if htmx else {})


def latest_request(app) -> SupportRequest:
    with app.app_context():
        found = db.session.execute(select(SupportRequest).order_by(SupportRequest.id.desc())).scalars().first()
        db.session.expunge(found)
        return found


def clients(app, rworld):
    reuser, donor = app.test_client(), app.test_client()
    login(reuser, rworld.reuser)
    login(donor, rworld.donor)
    return reuser, donor


def test_a_request_travels_from_open_to_closed_with_every_step_stamped(app, rworld):
    reuser, donor = clients(app, rworld)
    pdf = (FIXTURES / "sample.pdf").read_bytes()
    response = open_request(reuser, rworld.practice.slug, files=[("capitolato.pdf", pdf)])
    assert response.status_code == 303
    req = latest_request(app)
    assert req.status == "open" and req.requester_id == rworld.reuser.id and req.organization_id == rworld.reuser_org.id
    assert response.headers["Location"].endswith(f"/support/{req.id}")
    # The donor finds it in the inbox and in the bell.
    inbox = donor.get("/support/inbox").get_data(as_text=True)
    assert "Installazione del modulo gare" in inbox and "Comune di Bari" in inbox
    assert re.search(r'notification-bell.*?badge bg-danger">1', donor.get("/dashboard").get_data(as_text=True), re.S)
    page = donor.get(f"/support/{req.id}").get_data(as_text=True)
    assert "<strong>modulo</strong>" in page and "capitolato.pdf" in page
    # A reply through htmx comes back as the conversation only, with the new message in it.
    reply = message(donor, req.id, "Vi mandiamo la guida di installazione.", htmx=True)
    body = reply.get_data(as_text=True)
    assert reply.status_code == 200 and "<html" not in body and 'id="conversation"' in body
    assert "Vi mandiamo la guida di installazione." in body
    after_reply = latest_request(app)
    assert after_reply.first_response_at is not None and after_reply.status == "open"
    # Without JavaScript the same post redirects back to the page, where the message is.
    full = message(reuser, req.id, "Grazie, la leggiamo.")
    assert full.status_code == 303 and full.headers["Location"].endswith(f"/support/{req.id}#conversation")
    assert "Grazie, la leggiamo." in reuser.get(f"/support/{req.id}").get_data(as_text=True)
    for action in ("accept", "resolve"):
        assert post(donor, f"/support/{req.id}/status/{action}").status_code == 303
    assert post(reuser, f"/support/{req.id}/status/close").status_code == 303
    with app.app_context():
        done = db.session.get(SupportRequest, req.id)
        assert done.status == "closed"
        assert done.created_at <= done.first_response_at <= done.accepted_at <= done.resolved_at <= done.closed_at
        assert done.first_response_at == after_reply.first_response_at  # the first reply, not the acceptance
        steps = [(e.action, e.from_status, e.to_status, e.actor_id) for e in done.events]
        assert steps == [("open", None, "open", rworld.reuser.id), ("accept", "open", "accepted", rworld.donor.id),
                         ("resolve", "accepted", "resolved", rworld.donor.id),
                         ("close", "resolved", "closed", rworld.reuser.id)]
        verbs = db.session.execute(select(Notification.verb).where(Notification.user_id == rworld.reuser.id)
                                   .order_by(Notification.id)).scalars().all()
        assert verbs == ["support.message", "support.accept", "support.resolve"]
    # A closed conversation takes no new message.
    refused = message(reuser, req.id, "Un'altra cosa", htmx=True)
    assert refused.status_code == 422 and "riaprila" in refused.get_data(as_text=True)


def test_acceptance_counts_as_the_first_response_when_nobody_wrote(app, rworld):
    reuser, donor = clients(app, rworld)
    open_request(reuser, rworld.practice.slug)
    req = latest_request(app)
    post(donor, f"/support/{req.id}/status/accept")
    done = latest_request(app)
    assert done.first_response_at == done.accepted_at is not None


def test_internal_notes_stay_with_the_donor_team(app, rworld):
    reuser, donor = clients(app, rworld)
    open_request(reuser, rworld.practice.slug)
    req = latest_request(app)
    note = message(donor, req.id, "Nota: chiedere a Cesare.", internal=True, htmx=True,
                   files=[("appunti.txt", b"solo per noi")])
    assert note.status_code == 200 and "Nota interna" in note.get_data(as_text=True)
    assert latest_request(app).first_response_at is None  # a note is no answer to the requester
    assert "chiedere a Cesare" not in reuser.get(f"/support/{req.id}").get_data(as_text=True)
    assert "chiedere a Cesare" not in reuser.get(f"/support/{req.id}?part=conversation",
                                                 headers={"HX-Request": "true"}).get_data(as_text=True)
    with app.app_context():
        attachment_id = db.session.execute(select(SupportAttachment.id)).scalar_one()
        assert db.session.execute(select(Notification).where(Notification.user_id == rworld.reuser.id)).first() is None
    assert reuser.get(f"/support/{req.id}/attachments/{attachment_id}").status_code == 404
    download = donor.get(f"/support/{req.id}/attachments/{attachment_id}")
    assert download.status_code == 200 and download.headers["Content-Disposition"].startswith("attachment")
    # The requester cannot write one either.
    sneaky = message(reuser, req.id, "Nascosto?", internal=True)
    assert sneaky.status_code == 422 and count(app, SupportMessage, SupportMessage.internal.is_(True)) == 1


def test_an_empty_message_is_refused_at_its_field_and_nothing_is_saved(app, rworld):
    reuser, _donor = clients(app, rworld)
    open_request(reuser, rworld.practice.slug)
    req = latest_request(app)
    for htmx in (False, True):
        response = message(reuser, req.id, "   ", htmx=htmx)
        body = response.get_data(as_text=True)
        assert response.status_code == 422 and 'id="body-error"' in body and "Scrivi il messaggio" in body
    assert count(app, SupportMessage) == 0


def test_an_over_size_or_disguised_attachment_refuses_the_whole_request(app, rworld):
    reuser, _donor = clients(app, rworld)
    limit = app.config["UPLOAD_MAX_BYTES"]
    app.config["UPLOAD_MAX_BYTES"] = 1000
    try:
        response = open_request(reuser, rworld.practice.slug, files=[("grande.txt", b"a" * 5000)], htmx=True)
    finally:
        app.config["UPLOAD_MAX_BYTES"] = limit
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "grande.txt" in body and 'id="files-error"' in body
    assert "Installazione del modulo gare" in body  # the rest of the form is kept
    disguised = open_request(reuser, rworld.practice.slug, files=[("finto.pdf", b"MZ\x90\x00 not a pdf")])
    assert disguised.status_code == 422 and "finto.pdf" in disguised.get_data(as_text=True)
    assert count(app, SupportRequest) == 0 and count(app, SupportAttachment) == 0
    stored = Path(app.config["UPLOAD_FOLDER"])
    assert not stored.exists() or not any(p.is_file() for p in stored.rglob("*"))


def test_requests_to_own_draft_or_archived_practices_are_refused(app, rworld):
    reuser, donor = clients(app, rworld)
    own = open_request(donor, rworld.practice.slug)
    assert own.status_code == 422 and "Il tuo ente è tra i cedenti" in own.get_data(as_text=True)
    archived = open_request(reuser, rworld.archived.slug)
    assert archived.status_code == 422 and "archiviata" in archived.get_data(as_text=True)
    assert open_request(reuser, rworld.draft.slug).status_code == 404
    supplier = app.test_client()
    login(supplier, rworld.supplier)
    assert open_request(supplier, rworld.practice.slug).status_code == 422
    missing = open_request(reuser, rworld.practice.slug, subject="", description="")
    assert missing.status_code == 422 and 'id="subject-error"' in missing.get_data(as_text=True)
    assert count(app, SupportRequest) == 0 and count(app, SupportEvent) == 0


def test_declining_needs_a_reason_and_ends_the_conversation(app, rworld):
    reuser, donor = clients(app, rworld)
    open_request(reuser, rworld.practice.slug)
    req = latest_request(app)
    empty = post(donor, f"/support/{req.id}/status/decline", {"reason": " "})
    assert empty.status_code == 422 and 'id="reason-error"' in empty.get_data(as_text=True)
    assert latest_request(app).status == "open"
    assert post(donor, f"/support/{req.id}/status/decline", {"reason": "Fuori dal perimetro del KIT.",
                                                               "confirmed": "1"}).status_code == 303
    declined = latest_request(app)
    assert declined.status == "declined" and declined.decline_reason == "Fuori dal perimetro del KIT."
    assert declined.first_response_at == declined.declined_at
    assert "Fuori dal perimetro del KIT." in reuser.get(f"/support/{req.id}").get_data(as_text=True)
    # Reopening is for closed requests, not declined ones: refused with a message, nothing changes.
    refused = post(reuser, f"/support/{req.id}/status/reopen")
    assert "Si può riaprire solo una richiesta chiusa" in reuser.get(refused.headers["Location"]).get_data(
        as_text=True)
    assert latest_request(app).status == "declined"


def test_only_the_donor_team_moves_a_request_forward(app, rworld):
    reuser, donor = clients(app, rworld)
    open_request(reuser, rworld.practice.slug)
    req = latest_request(app)
    assert post(reuser, f"/support/{req.id}/status/accept").status_code == 403
    assert post(donor, f"/support/{req.id}/status/close").status_code == 403
    assert latest_request(app).status == "open" and count(app, SupportEvent) == 1


def closed_request(app, rworld, closed_days_ago: int):
    reuser, donor = clients(app, rworld)
    open_request(reuser, rworld.practice.slug)
    req = latest_request(app)
    for who, action in ((donor, "accept"), (donor, "resolve"), (reuser, "close")):
        post(who, f"/support/{req.id}/status/{action}")
    with app.app_context():
        found = db.session.get(SupportRequest, req.id)
        found.closed_at = utcnow() - timedelta(days=closed_days_ago)
        db.session.commit()
    return reuser, donor, req


def test_a_closed_request_reopens_once_within_the_window(app, rworld):
    reuser, _donor, req = closed_request(app, rworld, closed_days_ago=app.config["SUPPORT_REOPEN_DAYS"] - 1)
    assert post(reuser, f"/support/{req.id}/status/reopen").status_code == 303
    reopened = latest_request(app)
    assert reopened.status == "accepted" and reopened.reopened_at is not None
    # Back to work: neither resolved nor closed, so the figures count it as open, not in the resolution median.
    assert reopened.resolved_at is None and reopened.closed_at is None
    _reuser, donor = clients(app, rworld)
    post(donor, f"/support/{req.id}/status/resolve")
    post(reuser, f"/support/{req.id}/status/close")
    again = post(reuser, f"/support/{req.id}/status/reopen")
    assert "già stata riaperta una volta" in reuser.get(again.headers["Location"]).get_data(as_text=True)
    assert latest_request(app).status == "closed"


def test_a_request_closed_too_long_ago_does_not_reopen(app, rworld):
    reuser, _donor, req = closed_request(app, rworld, closed_days_ago=app.config["SUPPORT_REOPEN_DAYS"] + 1)
    response = post(reuser, f"/support/{req.id}/status/reopen")
    assert "Il tempo per riaprire la richiesta è scaduto" in reuser.get(response.headers["Location"]).get_data(
        as_text=True)
    assert latest_request(app).status == "closed"


def test_a_request_is_assigned_to_one_person_of_the_donor_team(app, rworld):
    reuser, donor = clients(app, rworld)
    open_request(reuser, rworld.practice.slug)
    req = latest_request(app)
    assert post(donor, f"/support/{req.id}/assign", {"assignee": str(rworld.outsider.id)}).status_code == 303
    assert latest_request(app).assignee_id is None
    assert post(donor, f"/support/{req.id}/assign", {"assignee": str(rworld.donor_colleague.id)}).status_code == 303
    assert latest_request(app).assignee_id == rworld.donor_colleague.id
    post(donor, f"/support/{req.id}/assign", {"assignee": str(rworld.donor_colleague.id)})  # no change
    assert count(app, SupportEvent, SupportEvent.action == "assign") == 1
    with app.app_context():
        assert db.session.execute(select(Notification.verb).where(
            Notification.user_id == rworld.donor_colleague.id)).scalars().all() == ["support.assigned"]
    # From now on the requester's messages reach the assignee.
    message(reuser, req.id, "Ci siete?")
    with app.app_context():
        assert "support.message" in db.session.execute(select(Notification.verb).where(
            Notification.user_id == rworld.donor_colleague.id)).scalars().all()


def test_the_inbox_filters_and_highlights_overdue_requests(app, rworld):
    reuser, donor = clients(app, rworld)
    open_request(reuser, rworld.practice.slug, subject="Richiesta vecchia", kind="training")
    open_request(reuser, rworld.practice.slug, subject="Richiesta di oggi", kind="consultancy")
    with app.app_context():
        old = db.session.execute(select(SupportRequest).where(SupportRequest.subject == "Richiesta vecchia")
                                 ).scalar_one()
        old.created_at = utcnow() - timedelta(days=20)
        db.session.commit()
    inbox = donor.get("/support/inbox").get_data(as_text=True)
    assert "Richiesta vecchia" in inbox and "Richiesta di oggi" in inbox
    assert re.search(r'table-danger">\s*<td><a[^>]*>Richiesta vecchia', inbox)
    assert not re.search(r'table-danger">\s*<td><a[^>]*>Richiesta di oggi', inbox)
    overdue = donor.get("/support/inbox?overdue=y", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in overdue and "Richiesta vecchia" in overdue and "Richiesta di oggi" not in overdue
    by_kind = donor.get("/support/inbox?kind=consultancy").get_data(as_text=True)
    assert "Richiesta di oggi" in by_kind and "Richiesta vecchia" not in by_kind
    by_age = donor.get("/support/inbox?age=month").get_data(as_text=True)
    assert "Richiesta vecchia" in by_age and "Richiesta di oggi" not in by_age
    assert "Richiesta vecchia" not in donor.get("/support/inbox?practice=altro").get_data(as_text=True)
    assert "Richiesta vecchia" in donor.get(f"/support/inbox?practice={rworld.practice.slug}&status=open").get_data(
        as_text=True)
    assert "Richiesta vecchia" not in donor.get("/support/inbox?status=accepted").get_data(as_text=True)
    # The outbox is the requester's; another administration sees neither.
    assert "Richiesta di oggi" in reuser.get("/support/outbox").get_data(as_text=True)
    assert "Richiesta di oggi" not in reuser.get("/support/inbox").get_data(as_text=True)
    outsider = app.test_client()
    login(outsider, rworld.outsider)
    assert "Richiesta" not in outsider.get("/support/inbox").get_data(as_text=True).split('id="box-results"')[1]
    assert "Richiesta" not in outsider.get("/support/outbox").get_data(as_text=True).split('id="box-results"')[1]


def test_the_inbox_issues_a_bounded_number_of_queries(app, rworld):
    from tests.conftest import count_queries

    reuser, donor = clients(app, rworld)
    open_request(reuser, rworld.practice.slug)
    few = count_queries(app, donor, "/support/inbox")
    for number in range(6):
        open_request(reuser, rworld.practice.slug, subject=f"Richiesta {number}")
    assert count_queries(app, donor, "/support/inbox") == few


def test_the_donors_are_e_mailed_a_new_request_and_the_requester_the_reply(app, rworld, outbox):
    reuser, donor = clients(app, rworld)
    open_request(reuser, rworld.practice.slug)
    assert [m.recipients for m in outbox] == [[rworld.donor.email]]  # the referent, who also wrote the practice
    assert "Comune di Bari chiede supporto" in outbox[0].subject
    req = latest_request(app)
    assert f"/support/{req.id}" in outbox[0].body
    message(donor, req.id, "Eccoci.", htmx=True)
    assert outbox[-1].recipients == [rworld.reuser.email] and "ha scritto nella richiesta" in outbox[-1].subject
    message(donor, req.id, "Solo per noi.", internal=True)
    assert len(outbox) == 2  # an internal note reaches nobody
