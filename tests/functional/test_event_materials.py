"""An event's materials (issue 15, point 5): uploaded by its organisers with the kit upload rules, before and after
closing; downloaded with safe headers by whoever may see the event (404 otherwise); removed with their file."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Event, EventDocument
from tests.conftest import csrf_token, login, post

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "uploads"
PDF = (FIXTURES / "sample.pdf").read_bytes()


def upload(client, slug, files, role="slides", title="", htmx=False):
    data = {"csrf_token": csrf_token(client, f"/events/{slug}/close"), "role": role, "title": title,
            "files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(f"/events/{slug}/documents", data=data, content_type="multipart/form-data",
                       headers={"HX-Request": "true"} if htmx else {})


def stored_files(app) -> list[Path]:
    return [p for p in Path(app.config["UPLOAD_FOLDER"]).rglob("*") if p.is_file()]


def documents(app) -> list[tuple]:
    with app.app_context():
        return [(d.event_id, d.role, d.title, d.original_name, d.mimetype)
                for d in db.session.scalars(select(EventDocument).order_by(EventDocument.id))]


def add_document(app, event_id, name="slide.pdf") -> int:
    """A material stored as the service stores it (for the download tests)."""
    from app.uploads import store

    with app.app_context():
        key = store(PDF, Path(app.config["UPLOAD_FOLDER"]))
        document = EventDocument(event_id=event_id, role="slides", storage_key=key, original_name=name,
                                 mimetype="application/pdf", size=len(PDF), sha256="0" * 64)
        db.session.add(document)
        db.session.commit()
        return document.id


@pytest.mark.parametrize("htmx", [False, True])
def test_an_organiser_uploads_good_files(app, client, progworld, as_user, htmx):
    event = progworld.public_event
    as_user(progworld.organizer)
    response = upload(client, event.slug, [("Slide del tavolo — città.pdf", PDF),
                                           ("programma.odt", (FIXTURES / "sample.odt").read_bytes())],
                      role="booklet", title="Il booklet", htmx=htmx)
    assert response.status_code == (204 if htmx else 303)
    assert documents(app) == [
        (event.id, "booklet", "Il booklet", "Slide del tavolo — città.pdf", "application/pdf"),
        (event.id, "booklet", "Il booklet", "programma.odt", "application/vnd.oasis.opendocument.text")]
    assert len(stored_files(app)) == 2
    page = client.get(f"/events/{event.slug}/close").get_data(as_text=True)
    assert "Il booklet" in page and "Slide del tavolo — città.pdf" in page


@pytest.mark.parametrize("htmx", [False, True])
def test_bad_files_are_refused_and_nothing_is_stored(app, client, progworld, as_user, htmx):
    event = progworld.public_event
    as_user(progworld.organizer)
    cases = [
        ([("verbale.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00")], "verbale.pdf"),  # an EXE named .pdf
        ([("pagina.html", b"<html><script>alert(1)</script></html>")], "Tipo di file non ammesso"),
        ([("pagina.txt", b"<!DOCTYPE html><html><body>x</body></html>")], "pagina.txt"),
        ([("buono.pdf", PDF), ("cattivo.pdf", b"<html></html>")], "cattivo.pdf"),  # one bad: none stored
        ([], "Scegliete almeno un file"),
    ]
    for files, expected in cases:
        response = upload(client, event.slug, files, htmx=htmx)
        body = response.get_data(as_text=True)
        assert response.status_code == 422, files
        assert expected in body, body[:3000]
        assert ("<html" in body.lower()[:200]) is not htmx
    assert documents(app) == [] and stored_files(app) == []
    # An unknown kind of material is a field error too.
    response = upload(client, event.slug, [("buono.pdf", PDF)], role="video")
    assert response.status_code == 422 and documents(app) == []


def test_only_organisers_upload_and_remove(app, client, progworld, as_user):
    event = progworld.public_event
    document_id = add_document(app, event.id)
    as_user(progworld.attendee)
    assert upload(client, event.slug, [("x.pdf", PDF)]).status_code == 403
    assert post(client, f"/events/{event.slug}/documents/{document_id}/remove").status_code == 403
    assert len(documents(app)) == 1
    client.get("/auth/logout")
    anonymous = app.test_client()
    assert anonymous.post(f"/events/{event.slug}/documents/{document_id}/remove").status_code in (302, 400)
    assert len(documents(app)) == 1


@pytest.mark.parametrize("htmx", [False, True])
def test_an_organiser_removes_a_material_and_its_file(app, client, progworld, as_user, htmx):
    event = progworld.public_event
    document_id = add_document(app, event.id)
    other_event_document = add_document(app, progworld.restricted_event.id, "altro.pdf")
    as_user(progworld.organizer)
    # A material of another event through this event's address: 404.
    assert post(client, f"/events/{event.slug}/documents/{other_event_document}/remove").status_code == 404
    response = post(client, f"/events/{event.slug}/documents/{document_id}/remove", htmx=htmx)
    assert response.status_code == (204 if htmx else 303)
    assert documents(app) == [(progworld.restricted_event.id, "slides", "", "altro.pdf", "application/pdf")]
    assert len(stored_files(app)) == 1


def download(app, person, slug, document_id):
    client = app.test_client()
    if person is not None:
        login(client, person)
    return client.get(f"/events/{slug}/documents/{document_id}")


def test_downloads_follow_the_event_visibility(app, progworld):
    public = add_document(app, progworld.public_event.id)
    restricted = add_document(app, progworld.restricted_event.id)
    draft = add_document(app, progworld.draft_event.id)

    response = download(app, None, progworld.public_event.slug, public)
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]

    # Restricted: participants, speakers, organisers yes; anybody else 404.
    assert download(app, None, progworld.restricted_event.slug, restricted).status_code == 404
    assert download(app, progworld.member, progworld.restricted_event.slug, restricted).status_code == 404
    assert download(app, progworld.region_member, progworld.restricted_event.slug, restricted).status_code == 200
    assert download(app, progworld.speaker, progworld.restricted_event.slug, restricted).status_code == 200
    assert download(app, progworld.staff, progworld.restricted_event.slug, restricted).status_code == 200

    # Draft: the organisers only.
    assert download(app, progworld.member, progworld.draft_event.slug, draft).status_code == 404
    assert download(app, progworld.region_member, progworld.draft_event.slug, draft).status_code == 404
    assert download(app, progworld.staff, progworld.draft_event.slug, draft).status_code == 200
    assert download(app, progworld.admin, progworld.draft_event.slug, draft).status_code == 200

    # A document of another event, an unknown one, a huge id: 404.
    assert download(app, None, progworld.public_event.slug, restricted).status_code == 404
    assert download(app, None, progworld.public_event.slug, 999).status_code == 404
    assert download(app, None, progworld.public_event.slug, 10**12).status_code == 404


def test_materials_are_refused_on_a_cancelled_event(app, client, progworld, as_user):
    with app.app_context():
        db.session.get(Event, progworld.public_event.id).status = "cancelled"
        db.session.commit()
    as_user(progworld.organizer)
    response = upload(client, progworld.public_event.slug, [("x.pdf", PDF)])
    assert response.status_code == 422 and "annullato" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(EventDocument.id))) == 0
    assert stored_files(app) == []
