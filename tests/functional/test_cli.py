"""Command-line commands: create-admin, IPA registry loading, demo data."""
from __future__ import annotations

from sqlalchemy import func, select

from app.demo import data
from app.extensions import db
from app.models import IpaRegistryEntry, Organization, User
from tests.conftest import SHARED_DIR, login

import pytest


def rows(app, model) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar()


def test_create_admin_makes_a_working_administrator(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create-admin", "--email", "Capo@Example.it", "--name", "Capo Piattaforma",
                                 "--password", "Frase lunga per l'amministratore 1"])
    assert result.exit_code == 0, result.output
    assert login(client, "capo@example.it", "Frase lunga per l'amministratore 1").status_code == 303
    assert client.get("/admin/").status_code == 200
    again = runner.invoke(args=["users", "create-admin", "--email", "capo@example.it", "--name", "Capo",
                                "--password", "Frase lunga per l'amministratore 1"])
    assert again.exit_code == 0 and rows(app, User) == 1


def test_create_admin_refuses_a_weak_password(app):
    result = app.test_cli_runner().invoke(args=["users", "create-admin", "--email", "a@example.it", "--name", "A",
                                                "--password", "password"])
    assert result.exit_code != 0 and "almeno 10 caratteri" in result.output
    assert rows(app, User) == 0


def test_load_ipa_codes_replaces_the_registry(app, tmp_path):
    first = tmp_path / "first.txt"
    first.write_text("c_h501\nr_lazio\n\nc_h501\np_AN\n")
    runner = app.test_cli_runner()
    assert "3 codes" in runner.invoke(args=["organizations", "load-ipa-codes", str(first)]).output
    second = tmp_path / "second.txt"
    second.write_text("c_f205\n")
    runner.invoke(args=["organizations", "load-ipa-codes", str(second)])
    with app.app_context():
        assert IpaRegistryEntry.canonical("C_F205") == "c_f205" and IpaRegistryEntry.canonical("c_h501") is None
    missing = runner.invoke(args=["organizations", "load-ipa-codes", str(tmp_path / "none.txt")])
    assert missing.exit_code != 0
    tolerated = runner.invoke(args=["organizations", "load-ipa-codes", str(tmp_path / "none.txt"), "--if-present"])
    assert tolerated.exit_code == 0 and "format only" in tolerated.output


def test_demo_load_is_idempotent_and_its_accounts_work(app, client):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert rows(app, Organization) == len(data.ORGANIZATIONS) and rows(app, User) == len(data.USERS)
    assert "admin@demo.opencommunitypa.it" in first.output
    second = runner.invoke(args=["demo", "load"])
    assert "0 organisations, 0 accounts, 0 communities and 0 practices added; 0 software" in second.output
    assert rows(app, Organization) == len(data.ORGANIZATIONS)
    referent = next(u for u in data.USERS if u["role"] == "referent")
    assert login(client, referent["email"], data.DEMO_PASSWORD).status_code == 303
    with app.app_context():
        regions = db.session.execute(select(func.count()).select_from(Organization)
                                     .where(Organization.pa_kind == "region")).scalar()
    assert regions == 20


def test_demo_ipa_codes_are_in_the_national_list():
    codes_file = SHARED_DIR / "corpus" / "publiccode" / "spec" / "it" / "ipa_codes.txt"
    if not codes_file.exists():
        pytest.skip(f"the shared corpus is not beside the project ({codes_file} missing)")
    known = {line.strip().lower() for line in codes_file.read_text().splitlines() if line.strip()}
    assert len(known) > 20000
    demo_codes = [o["ipa_code"] for o in data.ORGANIZATIONS if o["ipa_code"]]
    assert [code for code in demo_codes if code.lower() not in known] == []


def test_demo_load_imports_the_real_catalogue_when_present(app):
    codes_file = SHARED_DIR / "corpus" / "publiccode" / "spec" / "it" / "ipa_codes.txt"
    if not (codes_file.parents[2] / "real").is_dir():
        pytest.skip(f"the shared corpus is not beside the project ({codes_file.parents[2] / 'real'} missing)")
    from app.models import Practice

    previous = app.config["IPA_CODES_FILE"]
    app.config["IPA_CODES_FILE"] = str(codes_file)
    try:
        first = app.test_cli_runner().invoke(args=["demo", "load"])
        second = app.test_cli_runner().invoke(args=["demo", "load"])
    finally:
        app.config["IPA_CODES_FILE"] = previous
    assert first.exit_code == 0, first.output
    with app.app_context():
        software = db.session.execute(select(func.count()).select_from(Practice)
                                      .where(Practice.kind == "software")).scalar()
    assert software >= 90 and f"{software} software practices imported" in first.output
    assert "0 software practices imported" in second.output
