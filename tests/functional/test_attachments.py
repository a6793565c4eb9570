"""Kit documents: content-checked uploads, safe downloads, private with their practice, never deleted from a
published version."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Attachment, KitVersion
from tests.conftest import csrf_token, login

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "uploads"


@pytest.fixture
def pworld(pworld, app):
    """The donor of these tests is its organisation's referent: it publishes the kit versions (issue 11, §13)."""
    from app.models import User

    with app.app_context():
        db.session.get(User, pworld.donor.id).is_referent = True
        db.session.commit()
    return pworld


def upload(client, slug, files, section="acts", htmx=True):
    data = {"csrf_token": csrf_token(client, f"/practices/{slug}/kit/edit"), "section": section,
            "files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(f"/practices/{slug}/kit/attachments", data=data, content_type="multipart/form-data",
                       headers={"HX-Request": "true"} if htmx else {})


def stored_files(app) -> list[Path]:
    return [p for p in Path(app.config["UPLOAD_FOLDER"]).rglob("*") if p.is_file()]


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar()


def publish(client, slug, label):
    return client.post(f"/practices/{slug}/kit/publish", data={
        "csrf_token": csrf_token(client, f"/practices/{slug}/kit/edit"), "label": label, "changelog": "Nuova versione"})


def test_several_files_at_once_then_published_and_downloaded(app, client, pworld, as_user):
    slug = pworld.published.slug
    as_user(pworld.donor)
    pdf = (FIXTURES / "sample.pdf").read_bytes()
    response = upload(client, slug, [("Delibera n. 12 — città.pdf", pdf), ("convenzione.odt",
                                                                           (FIXTURES / "sample.odt").read_bytes())])
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body and "2 documenti caricati" in body
    assert "Delibera n. 12 — città.pdf" in body
    with app.app_context():
        rows = db.session.execute(select(Attachment)).scalars().all()
        assert {(r.mimetype, r.size) for r in rows} == {("application/pdf", len(pdf)),
                                                       ("application/vnd.oasis.opendocument.text",
                                                        len((FIXTURES / "sample.odt").read_bytes()))}
        assert all(r.original_name not in r.storage_key for r in rows) and len(rows[0].sha256) == 64
        pdf_id = next(r.id for r in rows if r.mimetype == "application/pdf")
    files = stored_files(app)
    assert len(files) == 2 and all("static" not in str(p) for p in files)

    # A draft's document is for its writers only.
    outsider = app.test_client()
    login(outsider, pworld.outsider)
    assert outsider.get(f"/practices/{slug}/attachments/{pdf_id}").status_code == 404

    assert publish(client, slug, "1.1").status_code == 303
    download = outsider.get(f"/practices/{slug}/attachments/{pdf_id}")
    assert download.status_code == 200 and download.data == pdf
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''Delibera%20n.%2012%20%E2%80%94%20citt%C3%A0.pdf" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "Delibera n. 12" in outsider.get(f"/practices/{slug}?tab=kit").get_data(as_text=True)


def test_published_documents_cannot_be_deleted_but_a_new_version_can_leave_them_out(app, client, pworld, as_user):
    slug = pworld.published.slug
    as_user(pworld.donor)
    upload(client, slug, [("delibera.pdf", (FIXTURES / "sample.pdf").read_bytes())])
    publish(client, slug, "1.1")
    with app.app_context():
        published_doc = db.session.execute(select(Attachment)).scalar_one()
        published_id = published_doc.id
    refused = client.post(f"/practices/{slug}/kit/attachments/{published_id}/delete",
                          data={"csrf_token": csrf_token(client, "/privacy")})
    assert "non si cancellano" in client.get(refused.headers["Location"]).get_data(as_text=True)
    # Editing again makes a working copy that shares the file; removing it there keeps the published one.
    client.post(f"/practices/{slug}/kit/edit", data={"csrf_token": csrf_token(client, f"/practices/{slug}/kit/edit"),
                                                     "section_context": "Contesto aggiornato."})
    with app.app_context():
        draft_doc = db.session.execute(select(Attachment).join(KitVersion).where(KitVersion.status == "draft")).scalar_one()
        draft_id = draft_doc.id
    client.post(f"/practices/{slug}/kit/attachments/{draft_id}/delete", data={"csrf_token": csrf_token(client, "/privacy")})
    publish(client, slug, "1.2")
    assert count(app, Attachment) == 1 and len(stored_files(app)) == 1
    assert client.get(f"/practices/{slug}/attachments/{published_id}").status_code == 200
    assert "delibera.pdf" in client.get(f"/practices/{slug}/versions/1.1").get_data(as_text=True)
    assert "delibera.pdf" not in client.get(f"/practices/{slug}/versions/1.2").get_data(as_text=True)


def test_bad_files_are_refused_with_a_message_and_nothing_is_stored(app, client, pworld, as_user):
    slug = pworld.published.slug
    as_user(pworld.donor)
    app.config["UPLOAD_MAX_BYTES"] = 2000
    try:
        cases = [
            ([("grande.pdf", b"%PDF-1.4\n" + b"0" * 3000)], "supera il limite"),
            ([("finto.pdf", b"<html><script>alert(1)</script></html>")], "finto.pdf"),
            ([("vuoto.txt", b"")], "vuoto"),
            ([("programma.exe", b"MZ\x90\x00")], "Tipo di file non ammesso"),
            # one good and one bad: none is stored
            ([("buono.pdf", (FIXTURES / "sample.pdf").read_bytes()), ("cattivo.docx", (FIXTURES / "sample.png").read_bytes())],
             "cattivo.docx"),
        ]
        for files, expected in cases:
            response = upload(client, slug, files)
            body = response.get_data(as_text=True)
            assert response.status_code == 422, files[0][0]
            assert "Nessun file è stato caricato" in body and expected in body, body[:2000]
    finally:
        app.config["UPLOAD_MAX_BYTES"] = 25 * 1024 * 1024
    assert count(app, Attachment) == 0 and stored_files(app) == []


def test_path_tricks_in_the_file_name_are_neutralised(app, client, pworld, as_user):
    slug = pworld.published.slug
    as_user(pworld.donor)
    upload(client, slug, [("../../etc/passwd.pdf", (FIXTURES / "sample.pdf").read_bytes())])
    with app.app_context():
        row = db.session.execute(select(Attachment)).scalar_one()
        assert row.original_name == "passwd.pdf"
    assert all(Path(app.config["UPLOAD_FOLDER"]) in p.parents for p in stored_files(app))


def test_no_file_chosen_and_outsiders_cannot_upload(app, client, pworld, as_user):
    slug = pworld.published.slug
    as_user(pworld.donor)
    response = upload(client, slug, [])
    assert response.status_code == 422 and "Scegli almeno un file" in response.get_data(as_text=True)
    outsider = app.test_client()
    login(outsider, pworld.outsider)
    assert upload(outsider, slug, [("x.pdf", (FIXTURES / "sample.pdf").read_bytes())]).status_code == 403
    assert count(app, Attachment) == 0


def test_private_practice_documents_stay_private(app, client, pworld, as_user):
    slug = pworld.private_published.slug
    as_user(pworld.donor)
    upload(client, slug, [("riservato.pdf", (FIXTURES / "sample.pdf").read_bytes())])
    publish(client, slug, "1.1")
    with app.app_context():
        doc_id = db.session.execute(select(Attachment.id)).scalar_one()
    outsider = app.test_client()
    login(outsider, pworld.outsider)
    assert outsider.get(f"/practices/{slug}/attachments/{doc_id}").status_code == 404
    assert app.test_client().get(f"/practices/{slug}/attachments/{doc_id}").status_code == 404
    insider = app.test_client()
    login(insider, pworld.private_member)
    assert insider.get(f"/practices/{slug}/attachments/{doc_id}").status_code == 200
