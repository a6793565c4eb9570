"""What a held event shows afterwards (issue 15, point 5): report, recording, materials, attendance figures (people
by name only when they opted in), the follow-up (adoptions by the attending organisations within 12 months), and
on the linked practice's page "presentata al tavolo del …" for the events the reader may see."""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from app.events.closing import add_months
from app.extensions import db
from app.models import Adoption, Community, Event, EventDocument, EventPractice, Organization, Practice, Registration
from app.models.base import utcnow
from tests.conftest import login, make_practice, make_user
from tests.programme_world import make_registration

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "uploads"
PDF = (FIXTURES / "sample.pdf").read_bytes()


def hold(event, starts_at: datetime, report="Il **resoconto** del tavolo.") -> None:
    event.starts_at, event.ends_at = starts_at, starts_at + timedelta(hours=3)
    event.status, event.report, event.recording_url = "held", report, "https://video.example.org/tavolo"
    event.attendees_count, event.closed_at = 31, utcnow()


def add_document(app, event, title="") -> EventDocument:
    from app.uploads import store

    document = EventDocument(event_id=event.id, role="booklet", title=title,
                             storage_key=store(PDF, Path(app.config["UPLOAD_FOLDER"])), original_name="booklet.pdf",
                             mimetype="application/pdf", size=len(PDF), sha256="0" * 64)
    db.session.add(document)
    return document


def page_of(app, person, url) -> str:
    client = app.test_client()
    if person is not None:
        login(client, person)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_the_follow_up_shows_adoptions_by_attending_organisations_within_twelve_months(app, progworld):
    start = datetime(2025, 9, 15, 8, 0)
    with app.app_context():
        event = db.session.get(Event, progworld.public_event.id)
        hold(event, start)
        community = db.session.get(Community, progworld.community.id)
        region = db.session.get(Organization, progworld.region.id)
        chieri = db.session.get(Organization, progworld.municipality.id)
        metro = db.session.get(Organization, progworld.metro.id)
        attendance = db.session.query(Registration).filter_by(event_id=event.id).one()
        attendance.attended = True  # Irene Iscritta of Chieri: present, not listed by name
        present = make_user("presente@regione.example.it", region, full_name="Paola Presente")
        make_registration(event, present, attended=True, public_attendance=True)
        absent = make_user("assente@cmto.example.it", metro, full_name="Aldo Assente")
        make_registration(event, absent, public_attendance=True)  # registered, not present
        practices = {name: make_practice(name, community, region) for name in (
            "Riuso entro l'anno", "Riuso dopo tredici mesi", "Riuso di chi non c'era", "Riuso abbandonato",
            "Riuso prima dell'evento")}
        adoptions = [
            ("Riuso entro l'anno", chieri, add_months(start, 11), "in_progress"),
            ("Riuso dopo tredici mesi", chieri, add_months(start, 13), "interested"),
            ("Riuso di chi non c'era", metro, add_months(start, 2), "interested"),
            ("Riuso abbandonato", region, add_months(start, 3), "abandoned"),
            ("Riuso prima dell'evento", region, start - timedelta(days=1), "interested"),
        ]
        for title, organization, created_at, status in adoptions:
            db.session.add(Adoption(practice_id=practices[title].id, organization_id=organization.id,
                                    status=status, created_at=created_at))
        add_document(app, event, title="Il booklet del tavolo")
        db.session.commit()

    body = page_of(app, None, f"/events/{progworld.public_event.slug}")
    assert 'id="event-outcome"' in body
    assert "Il <strong>resoconto</strong> del tavolo." in body
    assert 'href="https://video.example.org/tavolo"' in body
    assert "Il booklet del tavolo" in body and "/documents/" in body
    assert "31 persone presenti" in body
    # Organisations present always; people by name only when they opted in (and were present).
    assert "Regione Piemonte" in body and "Comune di Chieri" in body
    assert "Paola Presente" in body
    assert "Irene Iscritta" not in body and "Aldo Assente" not in body
    # The follow-up: only the attending organisations' adoptions within 12 months of the start.
    follow_up = body.split('class="event-follow-up"', 1)[1].split("</div>", 1)[0]
    assert "Riuso entro l&#39;anno" in follow_up and "/practices/riuso-entro-l-anno" in follow_up
    for title in ("Riuso dopo tredici mesi", "Riuso di chi non c&#39;era", "Riuso abbandonato",
                  "Riuso prima dell&#39;evento"):
        assert title not in follow_up, title
    # No "Chiudi l'evento" for readers; the organiser sees no closing link once held, only the materials one.
    assert "Chiudi l&#39;evento" not in body and "Chiudi l'evento" not in body
    organiser_page = page_of(app, progworld.organizer, f"/events/{progworld.public_event.slug}")
    assert "Aggiungi o togli materiali" in organiser_page and ">Chiudi l'evento<" not in organiser_page


def test_the_twelve_months_end_on_the_same_day_of_the_next_year():
    assert add_months(datetime(2025, 9, 15, 8, 0), 12) == datetime(2026, 9, 15, 8, 0)
    assert add_months(datetime(2024, 2, 29, 10, 0), 12) == datetime(2025, 2, 28, 10, 0)
    assert add_months(datetime(2025, 12, 31), 2) == datetime(2026, 2, 28)


def test_organisers_get_the_closing_link_once_the_event_started(app, progworld):
    slug = progworld.public_event.slug
    assert ">Chiudi l'evento<" not in page_of(app, progworld.organizer, f"/events/{slug}")  # ahead
    with app.app_context():
        event = db.session.get(Event, progworld.public_event.id)
        event.starts_at = utcnow() - timedelta(hours=4)
        db.session.commit()
    assert ">Chiudi l'evento<" in page_of(app, progworld.organizer, f"/events/{slug}")
    assert ">Chiudi l'evento<" not in page_of(app, progworld.member, f"/events/{slug}")


def test_the_practice_page_shows_the_events_the_reader_may_see(app, progworld):
    with app.app_context():
        public = db.session.get(Event, progworld.public_event.id)
        hold(public, datetime(2026, 3, 12, 9, 0))
        add_document(app, public, title="Slide del cruscotto")
        restricted = db.session.get(Event, progworld.restricted_event.id)
        restricted.title = "Laboratorio riservato"
        db.session.add(EventPractice(event_id=restricted.id, practice_id=progworld.practice.id))
        draft = db.session.get(Event, progworld.draft_event.id)
        db.session.add(EventPractice(event_id=draft.id, practice_id=progworld.practice.id))
        db.session.commit()
    url = f"/practices/{progworld.practice.slug}"

    outsider = page_of(app, progworld.member, url)
    assert "Presentata al tavolo di confronto del 12 marzo 2026:" in outsider
    assert f'href="/events/{progworld.public_event.slug}"' in outsider
    assert "Slide del cruscotto" in outsider
    assert "Laboratorio riservato" not in outsider and "Plenaria in preparazione" not in outsider
    assert "Laboratorio riservato" not in page_of(app, None, url)

    participant = page_of(app, progworld.region_member, url)
    assert "Presentata all&#39;Innovation Lab del" in participant or "Presentata all'Innovation Lab del" in participant
    assert "Laboratorio riservato" in participant
    # The held one first.
    assert participant.index("Tavolo di confronto sul valore pubblico") < participant.index("Laboratorio riservato")


def test_a_practice_without_visible_events_shows_nothing(app, progworld):
    with app.app_context():
        community = db.session.get(Community, progworld.community.id)
        region = db.session.get(Organization, progworld.region.id)
        other = make_practice("Pratica senza eventi", community, region)
        db.session.add(EventPractice(event_id=progworld.restricted_event.id, practice_id=other.id))
        db.session.commit()
        slug = db.session.get(Practice, other.id).slug
    body = page_of(app, progworld.member, f"/practices/{slug}")
    assert "practice-events" not in body and "Presentata" not in body


def test_the_practice_slot_issues_a_bounded_number_of_queries(app, progworld):
    from flask_login import login_user

    from app.hooks import render_slot
    from app.models import User
    from tests.conftest import statements_issued
    from tests.programme_world import make_event

    def issued(practice_id) -> int:
        with app.test_request_context("/"):
            login_user(db.session.get(User, progworld.region_member.id))
            practice = db.session.get(Practice, practice_id)
            return statements_issued(lambda: str(render_slot("practice.events", practice=practice)))

    with app.app_context():
        base = issued(progworld.practice.id)
        for number in range(4):
            event = make_event(f"Tavolo numero {number}", status="held", starts_in_days=-30 - number)
            db.session.add(EventPractice(event_id=event.id, practice_id=progworld.practice.id))
            add_document(app, event)
        db.session.commit()
        assert issued(progworld.practice.id) <= base + 1
