"""Issue 11, points 24, 25 and 28: sign-out ends the session for good, downloads keep their sandbox, and URLs or
bodies a client chooses never give a 500."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from app.extensions import db
from app.models import User
from tests.conftest import csrf_token, login, post

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "uploads"
TOO_BIG_ID = 2**63
PAGE = "/organizations/"  # any page with the header's forms, for a CSRF token


# ---- 24: sign-out rotates the session token ----------------------------------------------------------------------

def test_a_session_cookie_copied_before_sign_out_is_useless_after_it(app, client, world):
    login(client, world.member)
    stolen = client.get_cookie("session").value
    assert post(client, "/auth/logout", page=PAGE).status_code == 303
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/users/me").status_code == 302  # sent to the sign-in page
    assert f'href="/users/{world.member.id}"' not in replay.get("/").get_data(as_text=True)


def test_a_remember_me_cookie_copied_before_sign_out_is_useless_after_it(app, client, world):
    login(client, world.member, remember=True)
    stolen = client.get_cookie("remember_token").value
    post(client, "/auth/logout", page=PAGE)
    replay = app.test_client()
    replay.set_cookie("remember_token", stolen)
    assert replay.get("/users/me").status_code == 302
    # Signing in again works, with a new cookie.
    assert login(client, world.member, remember=True).status_code == 303
    assert client.get_cookie("remember_token").value != stolen
    assert client.get("/users/me").status_code == 200


def test_signing_out_without_being_signed_in_changes_nothing(app, client, world):
    with app.app_context():
        before = db.session.get(User, world.member.id).session_token
    assert post(client, "/auth/logout", page=PAGE).status_code == 303
    with app.app_context():
        assert db.session.get(User, world.member.id).session_token == before


# ---- 25: a download keeps its own Content-Security-Policy ---------------------------------------------------------

def test_a_kit_document_is_served_with_the_sandbox_policy_not_the_site_one(app, client, pworld):
    slug = pworld.published.slug
    login(client, pworld.donor)
    data = {"csrf_token": csrf_token(client, f"/practices/{slug}/kit/edit"), "section": "acts",
            "files": [(io.BytesIO((FIXTURES / "sample.pdf").read_bytes()), "delibera.pdf")]}
    assert client.post(f"/practices/{slug}/kit/attachments", data=data, content_type="multipart/form-data",
                       headers={"HX-Request": "true"}).status_code == 200
    from sqlalchemy import select

    from app.models import Attachment

    with app.app_context():
        attachment_id = db.session.execute(select(Attachment.id)).scalar_one()
    download = client.get(f"/practices/{slug}/attachments/{attachment_id}")
    assert download.status_code == 200
    assert download.headers.getlist("Content-Security-Policy") == ["default-src 'none'; sandbox"]
    # Pages keep the site's policy, and a refused download's error page too (it needs the site's stylesheet).
    assert "style-src 'self'" in client.get(f"/practices/{slug}").headers["Content-Security-Policy"]
    missing = client.get(f"/practices/{slug}/attachments/{attachment_id + 1}")
    assert missing.status_code == 404 and "style-src 'self'" in missing.headers["Content-Security-Policy"]


# ---- 28: ids beyond what the database holds, bodies beyond the limit ----------------------------------------------

@pytest.mark.parametrize("path", [
    "/users/{id}",
    "/adoptions/{id}",
    "/support/{id}",
    "/support/{id}/attachments/{id}",
])
def test_an_id_too_big_for_the_database_is_a_404(app, client, world, path):
    login(client, world.member)
    for value in (TOO_BIG_ID, 2**31, 10**30):
        response = client.get(path.format(id=value))
        assert response.status_code == 404, (path, value)


@pytest.mark.parametrize("path", [
    "/notifications/{id}/read",
    "/my-invitations/{id}/accept",
    "/admin/organizations/{id}/approve",
])
def test_a_post_to_an_id_too_big_for_the_database_is_a_404(app, client, world, path):
    login(client, world.admin if "admin" in path else world.member)
    for htmx in (False, True):
        assert post(client, path.format(id=TOO_BIG_ID), page=PAGE, htmx=htmx).status_code == 404, path


def test_the_largest_id_the_database_holds_is_still_an_ordinary_404(client, world):
    login(client, world.member)
    assert client.get(f"/users/{2**31 - 1}").status_code == 404


@pytest.fixture
def small_request_limit(app):
    saved = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 4096
    yield 4096
    app.config["MAX_CONTENT_LENGTH"] = saved


def test_a_form_body_over_the_limit_gets_the_413_page(app, client, world, small_request_limit):
    login(client, world.member)
    token = csrf_token(client, "/users/me")
    response = client.post("/users/me", data={"csrf_token": token, "full_name": "x" * 10_000})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "<html" in page and "troppo grandi" in page


def test_an_upload_over_the_limit_gets_the_413_message_also_for_htmx(app, client, pworld, small_request_limit):
    slug = pworld.published.slug
    login(client, pworld.donor)
    token = csrf_token(client, f"/practices/{slug}/kit/edit")
    for htmx in (True, False):
        data = {"csrf_token": token, "section": "acts",
                "files": [(io.BytesIO(b"%PDF-1.4\n" + b"0" * 20_000), "grande.pdf")]}
        response = client.post(f"/practices/{slug}/kit/attachments", data=data,
                               content_type="multipart/form-data", headers={"HX-Request": "true"} if htmx else {})
        body = response.get_data(as_text=True)
        assert response.status_code == 413, htmx
        assert "troppo grandi" in body and ("<html" in body) is not htmx


@pytest.mark.parametrize("path", ["/search?q=gare%00", "/practices/?q=gare%00", "/organizations/?q=gare%00",
                                  "/communities/?q=gare%00", "/search?q=%E2%80%AE%00%0A"])
def test_nul_and_control_characters_in_a_search_never_give_a_500(client, world, path):
    for headers in ({}, {"HX-Request": "true"}):
        assert client.get(path, headers=headers).status_code in (200, 422), path


@pytest.mark.parametrize("path", ["/practices/gare%00", "/communities/gare%00", "/organizations/gare%00",
                                  "/practices/gare%00/attachments/1", "/auth/confirm/ab%00cd"])
def test_nul_in_an_address_is_a_404(client, world, path):
    assert client.get(path).status_code in (400, 404), path
