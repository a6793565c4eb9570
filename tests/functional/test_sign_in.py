"""Sign-in, sign-out, remember me, rate limiting, password change and reset."""
from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.models import AffiliationStatus, User
from tests.conftest import PASSWORD, csrf_token, links_in, login, post


def test_sign_in_and_out(client, world):
    response = login(client, world.member)
    assert response.status_code == 303 and response.headers["Location"] == "/dashboard"
    home = client.get("/dashboard").get_data(as_text=True)
    assert "Ti diamo il bentornato, Membro" in home and f'href="/users/{world.member.id}"' in home
    out = post(client, "/auth/logout")
    assert out.status_code == 303
    assert f'href="/users/{world.member.id}"' not in client.get("/").get_data(as_text=True)
    assert client.get("/users/me").status_code == 302


def test_sign_in_is_case_insensitive_on_the_email(client, world):
    assert login(client, world.member.email.upper()).status_code == 303


def test_logout_only_by_post_with_csrf(client, world, as_user):
    as_user(world.member)
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 400  # no CSRF token
    assert client.get("/users/me").status_code == 200  # still signed in


def test_wrong_password_message_does_not_reveal_whether_the_account_exists(client, world):
    wrong = login(client, world.member, password="sbagliata-sbagliata")
    unknown = login(client, "nessuno@example.it", password="sbagliata-sbagliata")
    for response in (wrong, unknown):
        assert response.status_code == 422
        assert "E-mail o password non corretti." in response.get_data(as_text=True)


def test_next_parameter_is_followed_only_within_the_site(client, world):
    token = csrf_token(client, "/auth/login")
    data = {"email": world.member.email, "password": PASSWORD, "csrf_token": token}
    inside = client.post("/auth/login?next=/organizations/", data=data)
    assert inside.headers["Location"] == "/organizations/"
    post(client, "/auth/logout")
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        token = csrf_token(client, "/auth/login")
        outside = client.post("/auth/login", query_string={"next": evil}, data={**data, "csrf_token": token})
        assert outside.headers["Location"] == "/dashboard", evil
        post(client, "/auth/logout")


def test_pending_rejected_and_removed_people_cannot_sign_in(app, client, world):
    assert "in attesa di approvazione" in login(client, world.pending).get_data(as_text=True)
    with app.app_context():
        db.session.get(User, world.pending.id).affiliation_status = AffiliationStatus.REJECTED
        db.session.get(User, world.member.id).affiliation_status = AffiliationStatus.REMOVED
        db.session.commit()
    assert "non è stata accolta" in login(client, world.pending).get_data(as_text=True)
    assert "non fa più parte di un ente" in login(client, world.member).get_data(as_text=True)


def test_failed_sign_ins_are_limited_per_account(app, client, world):
    for _ in range(5):
        assert login(client, world.member, password="tentativo-sbagliato").status_code == 422
    blocked = login(client, world.member)  # even the right password waits now
    page = blocked.get_data(as_text=True)
    assert blocked.status_code == 429
    assert "Troppi tentativi di accesso non riusciti" in page
    # Another account from the same address is not blocked by this account's limit.
    assert login(client, world.referent).status_code == 303


def test_failed_sign_ins_are_limited_per_address(app, client, world):
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "3 per 15 minutes"
    try:
        for n in range(3):
            login(client, f"sconosciuto{n}@example.it", password="tentativo-sbagliato")
        assert login(client, world.member).status_code == 429
        other_address = app.test_client()
        token = csrf_token(other_address, "/auth/login")
        response = other_address.post("/auth/login", data={"email": world.member.email, "password": PASSWORD,
                                                           "csrf_token": token},
                                      environ_base={"REMOTE_ADDR": "10.9.8.7"})
        assert response.status_code == 303
    finally:
        app.config["LOGIN_LIMIT_PER_ADDRESS"] = "20 per 15 minutes"


def test_successful_sign_ins_do_not_count_towards_the_limit(client, world):
    for _ in range(7):
        assert login(client, world.member).status_code == 303
        post(client, "/auth/logout")


def test_remember_me_keeps_the_person_signed_in_after_the_session_ends(app, client, world):
    login(client, world.member, remember=True)
    remembered = client.get_cookie("remember_token")
    assert remembered is not None
    returning = app.test_client()  # a new browser session: no session cookie, only the remember cookie
    returning.set_cookie("remember_token", remembered.value)
    assert returning.get("/users/me").status_code == 200
    other = app.test_client()
    login(other, world.referent)
    assert other.get_cookie("remember_token") is None


def test_change_password_signs_out_other_sessions(app, client, world):
    other_device = app.test_client()
    login(other_device, world.member)
    login(client, world.member)
    assert other_device.get("/users/me").status_code == 200
    new = "Un'altra frase ancora più lunga 77"
    wrong = post(client, "/auth/password", {"current_password": "sbagliata", "password": new,
                                            "password_confirm": new}, page="/auth/password")
    assert wrong.status_code == 422 and "La password attuale non è corretta" in wrong.get_data(as_text=True)
    changed = post(client, "/auth/password", {"current_password": PASSWORD, "password": new,
                                              "password_confirm": new}, page="/auth/password")
    assert changed.status_code == 303
    assert client.get("/users/me").status_code == 200  # this session goes on
    assert other_device.get("/users/me").status_code == 302  # the other one is signed out
    post(client, "/auth/logout")
    assert login(client, world.member, password=new).status_code == 303


def test_password_reset_by_emailed_link_works_once(app, client, world, outbox):
    response = post(client, "/auth/reset", {"email": world.member.email}, page="/auth/reset")
    assert response.status_code == 303
    (message,) = outbox
    link = links_in(message, "/auth/reset/")[0]
    path = re.sub(r"^https?://[^/]+", "", link)
    new = "Nuova frase segreta per il comune 12"
    weak = post(client, path, {"password": "12345678901", "password_confirm": "12345678901"}, page=path)
    assert weak.status_code == 422 and 'id="password-error"' in weak.get_data(as_text=True)
    done = post(client, path, {"password": new, "password_confirm": new}, page=path)
    assert done.status_code == 303
    assert login(client, world.member, password=new).status_code == 303
    reused = client.get(path)
    assert reused.status_code == 400 and "già stato usato" in reused.get_data(as_text=True)


def test_password_reset_for_an_unknown_address_looks_the_same(client, world, outbox):
    response = post(client, "/auth/reset", {"email": "nessuno@example.it"}, page="/auth/reset")
    assert response.status_code == 303 and outbox == []


def test_expired_reset_link_is_refused(app, client, world, outbox):
    import time

    post(client, "/auth/reset", {"email": world.member.email}, page="/auth/reset")
    path = re.sub(r"^https?://[^/]+", "", links_in(outbox[0], "/auth/reset/")[0])
    app.config["RESET_TOKEN_MAX_AGE"] = 0
    try:
        time.sleep(1.1)
        response = client.get(path)
    finally:
        app.config["RESET_TOKEN_MAX_AGE"] = 3600
    assert response.status_code == 400 and "scaduto" in response.get_data(as_text=True)


def test_login_htmx_variant(client, world):
    token = csrf_token(client, "/auth/login")
    bad = client.post("/auth/login", data={"email": world.member.email, "password": "x", "csrf_token": token},
                      headers={"HX-Request": "true"})
    assert bad.status_code == 422 and bad.get_data(as_text=True).lstrip().startswith("<form")
    good = client.post("/auth/login", data={"email": world.member.email, "password": PASSWORD, "csrf_token": token},
                       headers={"HX-Request": "true"})
    assert good.status_code == 204 and good.headers["HX-Redirect"] == "/dashboard"


def test_passwords_are_rehashed_when_the_cost_changes(app, client, world):
    app.config["ARGON2_TIME_COST"] = 2
    try:
        login(client, world.member)
    finally:
        app.config["ARGON2_TIME_COST"] = 1
    with app.app_context():
        stored = db.session.execute(select(User.password_hash).where(User.id == world.member.id)).scalar()
    assert ",t=2," in stored


def test_reset_link_uses_the_configured_address_whatever_the_host_header(app, client, world, outbox):
    app.config["WTF_CSRF_ENABLED"] = False  # the session cookie is not sent to another host name
    try:
        response = client.post("/auth/reset", data={"email": world.member.email}, base_url="http://evil.example",
                               headers={"X-Forwarded-Host": "evil.example"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    assert response.status_code == 303
    (message,) = outbox
    assert "evil.example" not in message.body
    assert links_in(message, "/auth/reset/")[0].startswith(app.config["BASE_URL"] + "/auth/reset/")


def test_reset_token_does_not_carry_the_session_token(app, client, world, outbox):
    import base64

    post(client, "/auth/reset", {"email": world.member.email}, page="/auth/reset")
    token = links_in(outbox[0], "/auth/reset/")[0].rsplit("/", 1)[-1]
    payload = base64.urlsafe_b64decode(token.split(".")[0] + "==").decode()
    with app.app_context():
        session_token = db.session.get(User, world.member.id).session_token
    assert session_token not in payload


def test_reset_by_an_unconfirmed_person_confirms_and_tells_the_approvers(app, client, world, outbox):
    with app.app_context():
        db.session.get(User, world.pending.id).email_confirmed_at = None
        db.session.commit()
    post(client, "/auth/reset", {"email": world.pending.email}, page="/auth/reset")
    path = re.sub(r"^https?://[^/]+", "", links_in(outbox[0], "/auth/reset/")[0])
    new = "Nuova frase segreta per il comune 12"
    post(client, path, {"password": new, "password_confirm": new}, page=path)
    assert [m.recipients for m in outbox[1:]] == [[world.referent.email]]


def test_signed_in_htmx_request_to_the_sign_in_form_navigates_instead_of_swapping(client, world, as_user):
    as_user(world.member)
    response = client.get("/auth/login", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/dashboard"


def test_expired_session_during_an_htmx_post_comes_back_to_the_same_page(client, world):
    response = client.post(f"/organizations/{world.org.slug}/people/{world.member.id}/remove",
                           headers={"HX-Request": "true", "HX-Current-URL": f"http://localhost/organizations/{world.org.slug}/people"},
                           data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == f"/auth/login?next=/organizations/{world.org.slug}/people"
