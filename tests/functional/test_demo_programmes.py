"""Demo programmes (issue 15, point 7), after `flask demo load`: the three programmes with a call in each state,
candidacies in every status replayed by the rules, the selection within the quotas with a waiting list, the
participants, two round tables held with their materials and attendance, an upcoming restricted Innovation Lab full
with a waiting list, a public webinar; loading again changes nothing; the pages show it."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from app.demo import programme_data
from app.events.workflow import Seats, fits
from app.extensions import db
from app.models import (AgendaSpeaker, CandidacyChange, Event, EventDocument, EventPractice, InterestCall,
                        InterestCandidacy, Programme, ProgrammeParticipant, ProgrammeStaff, Registration)
from app.models.base import utcnow
from app.uploads import check_upload, open_stored
from tests.conftest import login

MODELS = (Programme, ProgrammeStaff, ProgrammeParticipant, InterestCall, InterestCandidacy, CandidacyChange, Event,
          Registration, EventDocument, EventPractice, AgendaSpeaker)


def counts(app) -> dict[str, int]:
    with app.app_context():
        return {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in MODELS}


def loaded(app) -> dict[str, int]:
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return counts(app)


def test_demo_programmes_calls_and_events_once(app):
    from app.demo.loader import load_demo

    first = loaded(app)
    with app.app_context():
        assert load_demo()["programmes"] == 0
    assert counts(app) == first
    assert first["Programme"] == 3 and first["InterestCall"] == 4 and first["Event"] == 4

    with app.app_context():
        programmes = {p.slug: p for p in db.session.scalars(select(Programme))}
        assert {p.name: p.promoter.name for p in programmes.values()} == {
            "Ask Public Value": "Formez PA", "PerForma PA": "Formez PA",
            "Province & Comuni": "UPI - Unione delle Province d'Italia"}
        today = utcnow().date()
        assert all(p.starts_on <= today <= p.ends_on and p.communities for p in programmes.values())
        assert all(db.session.scalar(select(func.count(ProgrammeStaff.id)).where(
            ProgrammeStaff.programme_id == p.id)) for p in programmes.values())

        calls = db.session.scalars(select(InterestCall)).all()
        now = utcnow()
        states = {(c.phase, "open" if c.opens_at <= now <= c.closes_at else "closed" if c.closes_at < now
                   else "upcoming") for c in calls}
        assert states == {("draft", "upcoming"), ("published", "open"), ("published", "closed"), ("results", "closed")}
        for call in calls:
            candidacies = db.session.scalars(select(InterestCandidacy).where(
                InterestCandidacy.call_id == call.id)).all()
            selected = Counter(c.pa_kind for c in candidacies if c.status == "selected")
            seats = {q.pa_kind: q.seats for q in call.quotas}
            assert all(selected[kind] <= seats.get(kind, 0) for kind in selected)  # within the quotas
            for candidacy in candidacies:
                assert candidacy.pa_kind == candidacy.organization.pa_kind and candidacy.pa_kind in seats
                history = sorted(candidacy.history, key=lambda change: change.id)
                assert (history[-1].to_status if history else "draft") == candidacy.status
                assert all(a.to_status == b.from_status for a, b in zip(history, history[1:]))
                if candidacy.status != "draft":  # submitted with the signed, protocolled form and a working group
                    assert candidacy.signed_document is not None and candidacy.protocol_number
                    assert call.opens_at <= candidacy.submitted_at <= call.closes_at
                    assert candidacy.protocol_date <= today and candidacy.contacts
                if candidacy.status == "inadmissible":
                    assert candidacy.reason
            waiting = [c for c in candidacies if c.status == "waiting"]
            assert all(selected[c.pa_kind] == seats[c.pa_kind] for c in waiting)  # waiting: the kind is full
        closed = next(c for c in calls if c.phase == "published" and c.closes_at < now)
        statuses = {c.status for c in db.session.scalars(select(InterestCandidacy).where(
            InterestCandidacy.call_id == closed.id))}
        assert statuses == {"submitted", "admissible", "inadmissible", "selected", "waiting", "not_selected",
                            "withdrawn"}
        results = next(c for c in calls if c.phase == "results")
        assert results.results_published_at < now
        apv_selected = db.session.scalars(select(InterestCandidacy).where(
            InterestCandidacy.call_id == results.id, InterestCandidacy.status == "selected")).all()
        assert Counter(c.pa_kind for c in apv_selected) == {"region": 8, "metropolitan_city": 6, "municipality": 14}
        # The selected organisations are the programmes' participants, and nobody else.
        for programme in programmes.values():
            chosen = {c.organization_id for c in db.session.scalars(select(InterestCandidacy).join(InterestCall).where(
                InterestCall.programme_id == programme.id, InterestCandidacy.status == "selected"))}
            participants = set(db.session.scalars(select(ProgrammeParticipant.organization_id).where(
                ProgrammeParticipant.programme_id == programme.id)))
            assert participants == chosen
        regione = next(c for c in apv_selected if c.organization.name == "Regione Emilia-Romagna")
        assert regione.organization.pa_kind == "region"


def test_demo_events_held_and_to_come(app):
    loaded(app)
    with app.app_context():
        events = {e.slug: e for e in db.session.scalars(select(Event))}
        now = utcnow()
        held = [e for e in events.values() if e.status == "held"]
        assert len(held) == 2
        for event in held:
            assert event.kind == "round_table" and event.programme.slug == "performa-pa" and not event.restricted
            assert event.ends_at < event.closed_at < now and event.report and event.recording_url.startswith("https://")
            assert {d.role for d in event.documents} == {"slides", "booklet"}
            for document in event.documents:
                content = Path(open_stored(Path(app.config["UPLOAD_FOLDER"]), document.storage_key)).read_bytes()
                assert check_upload(document.original_name, content, 1024 * 1024)[0].mimetype == "application/pdf"
                assert len(content) == document.size
            registrations = db.session.scalars(select(Registration).where(Registration.event_id == event.id)).all()
            attended = [r for r in registrations if r.attended]
            assert attended and event.attendees_count == len(attended)
            assert all(r.status == "registered" and r.attended_at >= event.starts_at for r in attended)
            assert event.practice_links and all(link.practice.status == "published" for link in event.practice_links)

        lab = events["innovation-lab-missione-01"]
        assert lab.kind == "innovation_lab" and lab.restricted and lab.missions == ["01"]
        assert lab.programme.slug == "ask-public-value" and lab.status == "published" and lab.starts_at > now
        registrations = db.session.scalars(select(Registration).where(Registration.event_id == lab.id)
                                           .order_by(Registration.id)).all()
        registered = [r for r in registrations if r.status == "registered"]
        waiting = [r for r in registrations if r.status == "waiting"]
        assert len(registered) == lab.seats and len(waiting) >= 3
        assert any(r.status == "cancelled" for r in registrations)
        by_kind = Counter(r.pa_kind for r in registered)
        seats = Seats(lab.seats, {r.pa_kind: r.seats for r in lab.reservations})
        assert not any(fits(seats, by_kind, r.pa_kind) for r in waiting)  # the seats are really full for them
        participants = set(db.session.scalars(select(ProgrammeParticipant.organization_id).where(
            ProgrammeParticipant.programme_id == lab.programme_id)))
        assert all(r.organization_id in participants for r in registrations)
        assert all(r.registered_at < now for r in registered) and all(r.waiting_since for r in waiting)

        webinar = next(e for e in events.values() if e.kind == "webinar")
        assert not webinar.restricted and webinar.status == "published" and webinar.starts_at > now
        assert webinar.format == "online" and webinar.online_url
        assert len({r.code for r in db.session.scalars(select(Registration))}) == first_count(Registration)


def first_count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_programme_pages(app, client):
    loaded(app)
    page = client.get("/programmes/").get_data(as_text=True)
    assert all(name in page for name in ("Ask Public Value", "PerForma PA", "Province &amp; Comuni"))
    apv = client.get("/programmes/ask-public-value").get_data(as_text=True)
    assert "Manifestazione di interesse Ask Public Value" in apv and "Regione Emilia-Romagna" in apv
    assert "Città metropolitana di Bologna" in apv and "Candidature aperte" in apv
    upi = client.get("/programmes/province-e-comuni")
    body = upi.get_data(as_text=True)
    assert upi.status_code == 200 and "Avviso Province &amp; Comuni" not in body  # the draft call
    assert "Tavolo riservato dei responsabili" not in body  # a private community
    login(client, "admin@demo.opencommunitypa.it", programme_data_password())
    body = client.get("/programmes/province-e-comuni").get_data(as_text=True)
    assert "Avviso Province &amp; Comuni" in body and "Tavolo riservato dei responsabili" in body
    assert "Giovanna Ferri" in body


def programme_data_password() -> str:
    from app.demo.data import DEMO_PASSWORD

    assert programme_data.NEW_PEOPLE  # the promoters' staff sign in with the same password
    return DEMO_PASSWORD
