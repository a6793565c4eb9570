"""End-to-end harness: the real application served on localhost, driven by Debian's Chromium through Playwright."""
from __future__ import annotations

import shutil
import threading

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db, limiter
from config import TestConfig
from tests.conftest import empty_all_tables

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    database = tmp_path_factory.mktemp("e2e") / "e2e.db"
    application = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}",
                             UPLOAD_FOLDER=str(database.parent / "uploads"), SEARCH_DIR=str(database.parent / "search"))
    with application.app_context():
        db.create_all()
    return application


@pytest.fixture(scope="session")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (make test does) to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_app):
    context = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []

    def record(message):
        # A form refused with 422 is expected (htmx swaps the errors in); anything else is a real error.
        if message.type == "error" and "status of 422" not in message.text:
            errors.append(message.text)

    page.on("console", record)
    page.console_errors = errors
    yield page
    context.close()
    with live_app.app_context():
        limiter.reset()
        db.session.remove()
        empty_all_tables()
    shutil.rmtree(live_app.config["UPLOAD_FOLDER"], ignore_errors=True)


def sign_in(page, base: str, email: str, password: str | None = None, succeeds: bool = True) -> None:
    """Sign in through the real form; htmx answers with HX-Redirect, so wait for the navigation it makes."""
    from tests.conftest import PASSWORD

    page.goto(f"{base}/auth/login")
    page.get_by_label("E-mail").fill(email)
    page.locator("#password").fill(password or PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    if succeeds:
        page.wait_for_url(lambda url: "/auth/login" not in url)
