"""Security headers, escaping, error pages and the interface language."""
from __future__ import annotations

import re

from app.extensions import db
from app.models import User
from tests.conftest import make_org, post


def test_security_headers_on_every_page(client, world):
    for url in ("/", "/organizations/", "/auth/login", "/nonexistent"):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_need_no_inline_script_or_style(client, world, as_user):
    as_user(world.admin)
    for url in ("/", "/organizations/", f"/organizations/{world.org.slug}", f"/organizations/{world.org.slug}/people",
                f"/organizations/{world.org.slug}/edit", "/admin/", "/users/me", f"/users/{world.member.id}"):
        page = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), url
        assert "<style" not in page and " style=" not in page, url
        assert not re.search(r"\son[a-z]+=", page), url  # no inline event handlers


def test_user_text_is_escaped(app, client, world, as_user):
    with app.app_context():
        make_org('<script>alert("x")</script> Comune')
        db.session.get(User, world.member.id).job_title = "<img src=x onerror=alert(1)>"
        db.session.commit()
    page = client.get("/organizations/").get_data(as_text=True)
    assert '<script>alert("x")</script>' not in page and "&lt;script&gt;" in page
    as_user(world.referent)
    profile = client.get(f"/users/{world.member.id}").get_data(as_text=True)
    assert "<img src=x" not in profile and "&lt;img src=x" in profile


def test_csrf_token_is_offered_to_htmx_on_every_page(client):
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'<body hx-headers=\'\{"X-CSRFToken": "[^"]+"\}\'>', page)


def test_htmx_post_with_the_csrf_header_is_accepted(client, world, as_user):
    as_user(world.referent)
    page = client.get("/dashboard").get_data(as_text=True)
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    response = client.post(f"/organizations/{world.org.slug}/people/{world.pending.id}/approve",
                           headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 200


def test_error_pages_full_and_fragment(client):
    full = client.get("/organizations/nessuno")
    assert full.status_code == 404 and "<html" in full.get_data(as_text=True)
    fragment = client.get("/organizations/nessuno", headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 404 and "<html" not in body and "Pagina non trovata" in body
    assert client.post("/").status_code == 405


def test_server_error_page():
    from werkzeug.exceptions import InternalServerError

    from app import create_app
    from config import TestConfig

    fresh = create_app(TestConfig)

    @fresh.route("/__boom")
    def boom():
        raise InternalServerError()

    response = fresh.test_client().get("/__boom")
    assert response.status_code == 500 and "Errore del server" in response.get_data(as_text=True)


def test_language_switch_to_english_and_back(app, client, world, as_user):
    assert '<html lang="it">' in client.get("/").get_data(as_text=True)
    switched = post(client, "/language/en", {"next": "/organizations/"})
    assert switched.status_code == 303 and switched.headers["Location"] == "/organizations/"
    page = client.get("/organizations/").get_data(as_text=True)
    assert '<html lang="en">' in page and "Sign in" in page and "organisations found" in page
    post(client, "/language/it")
    assert "Accedi" in client.get("/").get_data(as_text=True)
    assert client.post("/language/xx").status_code in (400, 404)


def test_language_choice_is_kept_on_the_account(app, client, world, as_user):
    as_user(world.member)
    post(client, "/language/en")
    with app.app_context():
        assert db.session.get(User, world.member.id).locale == "en"
    other = app.test_client()
    from tests.conftest import login

    login(other, world.member)
    assert '<html lang="en">' in other.get("/dashboard").get_data(as_text=True)


def test_emails_are_written_in_the_recipients_language(app, client, world, outbox):
    with app.app_context():
        db.session.get(User, world.member.id).locale = "en"
        db.session.commit()
    post(client, "/auth/reset", {"email": world.member.email}, page="/auth/reset")
    (message,) = outbox
    assert message.subject == "Reset your password"
    assert message.body.startswith("Dear ")


def test_development_mail_is_written_to_the_log(caplog):
    import logging

    from app import create_app
    from app.mailer import send_email
    from config import TestConfig

    development = create_app(TestConfig, TESTING=False, MAIL_SUPPRESS_SEND=True)
    with development.test_request_context(), caplog.at_level(logging.WARNING):
        send_email("persona@example.it", "Oggetto di prova", "rejected",
                   user=type("U", (), {"full_name": "Persona", "organization": None})())
    assert "persona@example.it" in caplog.text and "Oggetto di prova" in caplog.text and "Gentile Persona" in caplog.text
