"""Issue 11, point 20: the sign-in limits hold when the attempts arrive all at once, and the current-password
check of the change-password page is limited the same way."""
from __future__ import annotations

import threading

import pytest

from tests.conftest import PASSWORD, csrf_token, login

WRONG = "tentativo-sbagliato"


def simultaneous_sign_ins(app, attempts: list[tuple[str, str]]) -> list[int]:
    """POST every (e-mail, password) at the same moment, each from its own browser; returns the status codes."""
    clients = [app.test_client() for _ in attempts]
    tokens = [csrf_token(c, "/auth/login") for c in clients]
    barrier = threading.Barrier(len(attempts))
    statuses: list[int] = [0] * len(attempts)

    def attempt(n: int) -> None:
        email, password = attempts[n]
        barrier.wait()
        statuses[n] = clients[n].post("/auth/login", data={"email": email, "password": password,
                                                           "csrf_token": tokens[n]}).status_code

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(len(attempts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def test_simultaneous_wrong_passwords_are_checked_at_most_as_often_as_the_account_limit(app, world):
    statuses = simultaneous_sign_ins(app, [(world.member.email, WRONG)] * 19)
    assert statuses.count(422) == 5  # "5 per 15 minutes": five passwords checked, the others refused unchecked
    assert statuses.count(429) == 14
    assert login(app.test_client(), world.member).status_code == 429  # even the right password waits now


def test_the_right_password_among_simultaneous_wrong_ones_is_refused_once_the_limit_is_spent(app, world):
    statuses = simultaneous_sign_ins(app, [(world.member.email, WRONG)] * 18 + [(world.member.email, PASSWORD)])
    checked = [s for s in statuses if s != 429]
    assert len(checked) <= 5 and statuses.count(429) >= 14
    assert statuses[-1] in (303, 429)


def test_invisible_characters_in_the_address_do_not_make_a_fresh_account_limit(app, world):
    """The form drops zero-width characters before it reads the address: the limit is keyed the same way."""
    variants = [world.member.email + "\u200b" * n for n in range(1, 9)]
    statuses = [post_sign_in(app.test_client(), email, WRONG) for email in variants]
    assert statuses.count(422) == 5 and statuses.count(429) == 3
    assert post_sign_in(app.test_client(), world.member.email + "\u2060", PASSWORD) == 429


def post_sign_in(client, email: str, password: str) -> int:
    token = csrf_token(client, "/auth/login")
    return client.post("/auth/login", data={"email": email, "password": password, "csrf_token": token}).status_code


def test_simultaneous_attempts_on_many_accounts_respect_the_address_limit(app, world):
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "6 per 15 minutes"
    try:
        statuses = simultaneous_sign_ins(app, [(f"sconosciuto{n}@example.it", WRONG) for n in range(24)])
    finally:
        app.config["LOGIN_LIMIT_PER_ADDRESS"] = "20 per 15 minutes"
    assert statuses.count(422) == 6 and statuses.count(429) == 18


def test_a_right_password_gives_its_attempt_back(app, client, world):
    for _ in range(4):
        assert login(client, world.member, password=WRONG).status_code == 422
    for _ in range(3):  # successes between failures do not spend the account's budget
        other = app.test_client()
        assert login(other, world.member).status_code == 303
    assert login(client, world.member, password=WRONG).status_code == 422  # the fifth failure
    assert login(client, world.member, password=WRONG).status_code == 429


def change_password(client, current: str, new: str = "Un'altra frase ancora più lunga 77"):
    token = csrf_token(client, "/auth/password")
    return client.post("/auth/password", data={"csrf_token": token, "current_password": current, "password": new,
                                               "password_confirm": new})


def test_the_current_password_check_is_limited_like_the_sign_in(app, client, world):
    login(client, world.member)
    for _ in range(5):
        response = change_password(client, WRONG)
        assert response.status_code == 422 and "La password attuale non è corretta" in response.get_data(as_text=True)
    blocked = change_password(client, PASSWORD)
    assert blocked.status_code == 429 and "Troppi tentativi" in blocked.get_data(as_text=True)
    # The limit is the account's: signing in with a wrong password is refused unchecked too.
    assert login(app.test_client(), world.member, password=WRONG).status_code == 429


@pytest.mark.parametrize("new_password_ok", [True, False])
def test_the_right_current_password_does_not_count(app, client, world, new_password_ok):
    login(client, world.member)
    for _ in range(4):
        change_password(client, WRONG)
    # The current password is right (the new one may still be refused): the attempt is given back.
    response = change_password(client, PASSWORD, new="Un'altra frase ancora più lunga 77" if new_password_ok
                               else "corta")
    assert response.status_code == (303 if new_password_ok else 422)
    new = "Un'altra frase ancora più lunga 77" if new_password_ok else PASSWORD
    assert change_password(client, WRONG).status_code == 422  # the fifth failure is still checked
    assert change_password(client, new).status_code == 429


def test_simultaneous_current_password_guesses_are_limited(app, world):
    client = app.test_client()
    login(client, world.member)
    tokens = csrf_token(client, "/auth/password")
    barrier = threading.Barrier(12)
    statuses: list[int] = []
    lock = threading.Lock()
    cookie = client.get_cookie("session").value

    def guess() -> None:
        own = app.test_client()
        own.set_cookie("session", cookie)
        barrier.wait()
        status = own.post("/auth/password", data={"csrf_token": tokens, "current_password": WRONG,
                                                  "password": "x" * 12, "password_confirm": "x" * 12}).status_code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses.count(422) == 5 and statuses.count(429) == 7
