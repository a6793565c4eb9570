"""Permission matrix of the WHOLE events area (issue 15): every events.* route of the contract's URL map × the roles
(anonymous, member, referent, programme staff, organiser, speaker, registered attendee, participant-organisation
member, administrator) × a public, a restricted and a draft event, as a full page and as htmx, with what each POST
changed. Routes of other parts are checked for what the contract fixes (404 for who may not see, 403 for who may
see but not act, never a 500, nothing changed by a refusal); a route not written yet is reported as skipped.

Outcomes: "ok", "denied" (403), "hidden" (404), "login" (302 to sign in, or 401 + HX-Redirect for htmx), "any"
(the other part's own rule: below 500, and not a refusal of visibility)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (Activity, AgendaItem, AgendaSpeaker, Event, EventDocument, EventOrganizer, Notification,
                        Registration)
from tests.conftest import csrf_token, login

ROLES = {"anonymous": None, "member": "member", "referent": "metro_referent", "staff": "staff",
         "organiser": "organizer", "speaker": "speaker", "attendee": "attendee", "participant": "region_member",
         "admin": "admin"}
SEES = {"public": set(ROLES), "restricted": {"admin", "staff", "speaker", "participant"}, "draft": {"admin", "staff"}}
ORGANISES = {"public": {"admin", "staff", "organiser"}, "restricted": {"admin", "staff"}, "draft": {"admin", "staff"}}
ORGANISER_ONLY = {"events.edit", "events.agenda_items", "events.registrations", "events.registrations_csv",
                  "events.close", "events.transition", "events.remove_agenda_item", "events.mark_attendance",
                  "events.check_in", "events.upload_document", "events.remove_document"}
NEEDS_SIGN_IN = {"events.cancel_registration"}  # and every organisers' route
FRAGMENTS = {"events.edit", "events.agenda_items"}  # pages of this part with an htmx block
OTHERS = {"events.register", "events.cancel_registration", "events.registrations", "events.registrations_csv",
          "events.mark_attendance", "events.check_in", "events.close", "events.upload_document",
          "events.document", "events.remove_document", "events.ics", "events.community_feed",
          "events.programme_feed", "events.agenda"}


def expected(endpoint: str, role: str, which: str) -> str:
    sees, organises = role in SEES[which], role in ORGANISES[which]
    if endpoint == "events.show":
        return "ok" if sees else "hidden"
    if endpoint == "events.ics":
        return "ok" if sees and which != "draft" else "hidden"
    if role == "anonymous":
        if endpoint in ORGANISER_ONLY or endpoint in NEEDS_SIGN_IN:
            return "login" if sees else "login_or_hidden"
        return "any" if sees else "login_or_hidden"
    if not sees:
        return "hidden"
    if endpoint in ORGANISER_ONLY:
        return ("any" if endpoint in OTHERS else "ok") if organises else "denied"
    return "any"


def check(response, outcome: str, htmx: bool, post: bool = False, where: str = "", fragment: bool = False) -> None:
    code = response.status_code
    text = response.get_data(as_text=True)
    assert code < 500, (where, code, text[:300])
    if outcome == "login_or_hidden":
        outcome = "hidden" if code == 404 else "login"
    if outcome == "ok":
        if post:
            assert code == (204 if htmx else 303), (where, code, text[:500])
        else:
            assert code == 200, (where, code, text[:300])
            if fragment:
                assert ("<html" in text) is (not htmx), where
    elif outcome == "denied":
        assert code == 403, (where, code)
    elif outcome == "hidden":
        assert code == 404, (where, code)
    elif outcome == "login":
        if htmx:
            assert code == 401 and "/auth/login" in response.headers["HX-Redirect"], (where, code)
        else:
            assert code == 302 and "/auth/login" in response.headers["Location"], (where, code)
    else:  # "any": visible, so never a 404; a person who may act is never refused with 403 here
        assert code != 404, (where, code)


def snapshot(app) -> dict:
    with app.app_context():
        rows = lambda query: sorted(tuple(row) for row in db.session.execute(query))  # noqa: E731
        return dict(
            events=rows(select(Event.id, Event.status, Event.title, Event.seats, Event.restricted)),
            items=rows(select(AgendaItem.id, AgendaItem.event_id, AgendaItem.title)),
            speakers=rows(select(AgendaSpeaker.id, AgendaSpeaker.item_id)),
            organisers=rows(select(EventOrganizer.event_id, EventOrganizer.user_id)),
            registrations=rows(select(Registration.id, Registration.user_id, Registration.status,
                                      Registration.attended)),
            documents=rows(select(EventDocument.id, EventDocument.event_id)),
            activity=db.session.scalar(select(func.count(Activity.id))),
            notifications=db.session.scalar(select(func.count(Notification.id))))


def prepare(app, world, which: str) -> dict:
    """An agenda item and a stored document on the event under test; the ids the URLs need."""
    from flask import current_app
    from pathlib import Path

    from app.uploads import store

    event_ref = getattr(world, f"{which}_event")
    with app.app_context():
        event = db.session.get(Event, event_ref.id)
        item = AgendaItem(event_id=event.id, position=9, title="Saluti istituzionali")
        db.session.add(item)
        key = store(b"%PDF-1.4 slides", Path(current_app.config["UPLOAD_FOLDER"]))
        document = EventDocument(event_id=event.id, role="slides", title="Presentazione", storage_key=key,
                                 original_name="slides.pdf", mimetype="application/pdf", size=15, sha256="0" * 64)
        db.session.add(document)
        db.session.flush()
        registration = db.session.scalar(select(Registration).where(Registration.user_id == world.attendee.id))
        values = dict(event=event, slug=event.slug, item_id=item.id, document_id=document.id,
                      registration_id=registration.id, code=registration.code, programme_id=event.programme_id,
                      restricted=event.restricted, title=event.title)
        db.session.commit()
        return {k: v for k, v in values.items() if k != "event"}


def edit_data(world, which: str, facts: dict, role: str) -> dict:
    data = {"title": f"{facts['title']} (rivisto)", "kind": "round_table", "format": "online",
            "online_url": "https://meet.example.org/nuovo", "starts_on": "2030-05-06", "starts_time": "10:00",
            "ends_time": "12:00", "programme": str(facts["programme_id"]), "seats": "40"}
    if facts["restricted"]:
        data["restricted"] = "y"
    if which == "public":
        data["communities"] = [str(world.community.id)]
        data["organizers"] = world.organizer.email
    return data


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("which", ["public", "restricted", "draft"])
@pytest.mark.parametrize("role", list(ROLES))
def test_events_area(app, client, progworld, role, which, htmx):
    facts = prepare(app, progworld, which)
    if ROLES[role]:
        assert login(client, getattr(progworld, ROLES[role])).status_code in (302, 303)
    token = csrf_token(client, "/privacy")
    headers = {"HX-Request": "true"} if htmx else {}
    missing = []
    slug = facts["slug"]
    urls = {
        "events.show": f"/events/{slug}", "events.edit": f"/events/{slug}/edit",
        "events.agenda_items": f"/events/{slug}/agenda",
        "events.remove_agenda_item": f"/events/{slug}/agenda/{facts['item_id']}/remove",
        "events.transition": f"/events/{slug}/transition", "events.register": f"/events/{slug}/register",
        "events.cancel_registration": f"/events/{slug}/registration/cancel",
        "events.registrations": f"/events/{slug}/registrations",
        "events.mark_attendance": f"/events/{slug}/registrations/{facts['registration_id']}/attendance",
        "events.check_in": f"/events/{slug}/check-in", "events.registrations_csv": f"/events/{slug}/registrations.csv",
        "events.close": f"/events/{slug}/close", "events.upload_document": f"/events/{slug}/documents",
        "events.document": f"/events/{slug}/documents/{facts['document_id']}",
        "events.remove_document": f"/events/{slug}/documents/{facts['document_id']}/remove",
        "events.ics": f"/events/{slug}.ics",
    }

    def exists(endpoint: str) -> bool:
        if endpoint not in app.view_functions:
            missing.append(endpoint)
            return False
        return True

    def send(endpoint, data=None, outcome=None):
        before = snapshot(app)
        outcome = outcome or expected(endpoint, role, which)
        response = client.post(urls[endpoint], data={**(data or {}), "csrf_token": token}, headers=headers)
        check(response, outcome, htmx, post=True, where=endpoint)
        if response.status_code in (302, 400, 401, 403, 404, 422) and endpoint not in OTHERS:
            assert snapshot(app) == before, endpoint
        if outcome in ("denied", "hidden", "login", "login_or_hidden"):
            assert snapshot(app) == before, endpoint  # a refusal changes nothing
        return response, before

    # ---- pages, files, feeds ----
    for endpoint in ("events.show", "events.edit", "events.agenda_items", "events.register", "events.registrations",
                     "events.registrations_csv", "events.close", "events.document", "events.ics"):
        if exists(endpoint):
            outcome = expected(endpoint, role, which)
            response = client.get(urls[endpoint], headers=headers)
            check(response, outcome, htmx, where=endpoint, fragment=endpoint in FRAGMENTS)
    if exists("events.show"):
        page = client.get(urls["events.show"]).get_data(as_text=True)
        assert (f"/events/{slug}/edit" in page) is (role in ORGANISES[which] and role in SEES[which])
    for endpoint, url in (("events.community_feed", f"/events/communities/{progworld.community.slug}.ics"),
                          ("events.programme_feed", f"/events/programmes/{progworld.programme.slug}.ics"),
                          ("events.agenda", "/events/")):
        if exists(endpoint):
            response = client.get(url, headers=headers if endpoint == "events.agenda" else {})
            assert response.status_code == 200, endpoint
            text = response.get_data(as_text=True)
            assert "Innovation Lab missione 01" not in text or (endpoint == "events.agenda"
                                                                and role in SEES["restricted"]), endpoint
            assert "Plenaria in preparazione" not in text or (endpoint == "events.agenda"
                                                              and role in SEES["draft"]), endpoint

    # ---- the other parts' POSTs: refusals change nothing ----
    for endpoint, data in (("events.register", {"accept_terms": "y"}), ("events.cancel_registration", {}),
                           ("events.mark_attendance", {"attended": "y"}), ("events.check_in", {"code": facts["code"]}),
                           ("events.close", {"report": "Resoconto."}), ("events.upload_document", {"role": "other"}),
                           ("events.remove_document", {"confirmed": "1"})):
        if exists(endpoint):
            outcome = expected(endpoint, role, which)
            if endpoint == "events.mark_attendance" and which != "public" and outcome != "denied":
                outcome = "hidden" if role != "anonymous" else "login_or_hidden"  # another event's registration
            send(endpoint, data, outcome)

    # ---- this part's POSTs, with what each changed ----
    response, before = send("events.edit", edit_data(progworld, which, facts, role))
    after = snapshot(app)
    changed = [row for row in after["events"] if row[0] == progworld.__dict__[f"{which}_event"].id][0]
    assert (changed[2] == f"{facts['title']} (rivisto)") is (expected("events.edit", role, which) == "ok")

    response, before = send("events.agenda_items", {"title": "Intervento nuovo", "speaker_names": "Ospite"})
    added = len(snapshot(app)["items"]) - len(before["items"])
    assert added == (1 if expected("events.agenda_items", role, which) == "ok" else 0)

    send("events.remove_agenda_item")
    gone = all(row[0] != facts["item_id"] for row in snapshot(app)["items"])
    assert gone is (expected("events.remove_agenda_item", role, which) == "ok")

    if expected("events.transition", role, which) != "ok":
        for action in ("publish", "unpublish", "cancel"):
            send("events.transition", {"action": action, "reason": "Motivo"})
    else:
        event_id = getattr(progworld, f"{which}_event").id
        status = lambda: [row for row in snapshot(app)["events"] if row[0] == event_id][0][1]  # noqa: E731
        if which != "draft":
            with app.app_context():
                busy = db.session.scalar(select(func.count(Registration.id)).where(
                    Registration.event_id == event_id, Registration.status.in_(("registered", "waiting"))))
            send("events.transition", {"action": "unpublish"}, outcome="ok" if not busy else "any")
            assert status() == ("published" if busy else "draft")
        if status() == "draft":
            send("events.transition", {"action": "publish"}, outcome="ok")
            assert status() == "published"
        send("events.transition", {"action": "cancel", "reason": "Sala non disponibile"}, outcome="ok")
        assert status() == "cancelled"
    if missing:
        pytest.skip(f"routes not written yet: {sorted(set(missing))}")


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("role", list(ROLES))
def test_new_event(app, client, progworld, role, htmx):
    if ROLES[role]:
        assert login(client, getattr(progworld, ROLES[role])).status_code in (302, 303)
    headers = {"HX-Request": "true"} if htmx else {}
    creates = {"admin", "staff", "organiser"}  # the organiser is a facilitator of the community
    response = client.get("/events/new", headers=headers)
    check(response, "login" if role == "anonymous" else ("ok" if role in creates else "denied"), htmx)
    response = client.get(f"/events/new?programme={progworld.programme.slug}", headers=headers)
    check(response, "login" if role == "anonymous" else ("ok" if role in {"admin", "staff"} else "denied"), htmx)
    token = csrf_token(client, "/privacy")
    data = {"title": "Nuovo tavolo", "kind": "webinar", "format": "online", "online_url": "https://meet.example.org/x",
            "starts_on": "2030-05-06", "starts_time": "10:00", "ends_time": "12:00", "csrf_token": token}
    # In the community (its facilitators), then in the programme (its staff); administrators both.
    for extra, allowed in (({"communities": [str(progworld.community.id)]}, {"admin", "organiser"}),
                           ({"programme": str(progworld.programme.id)}, {"admin", "staff"})):
        before = snapshot(app)
        response = client.post("/events/new", data={**data, **extra}, headers=headers)
        if role == "anonymous":
            check(response, "login", htmx, post=True)
        elif role not in creates:
            check(response, "denied", htmx, post=True)
        else:
            check(response, "ok" if role in allowed else "any", htmx, post=True)
            assert response.status_code in ((204, 303) if role in allowed else (422,))
        assert (len(snapshot(app)["events"]) == len(before["events"]) + 1) is (role in allowed)
