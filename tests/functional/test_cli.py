"""Command-line commands: create-admin, IPA registry loading, demo data."""
from __future__ import annotations

from sqlalchemy import func, select

from app.demo import data
from app.extensions import db
from app.models import (Adoption, AdoptionEvent, Conversion, Deployment, IpaRegistryEntry, KitVersion,
                        MaintenanceEntry, Organization, SupplierOffer, SupportEvent, SupportMessage, SupportRequest,
                        User)
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
    from app.demo import programme_data
    from app.demo.indicators import NEW_ORGANIZATIONS, PROFILES

    organisations = len(data.ORGANIZATIONS) + len(NEW_ORGANIZATIONS) + len(programme_data.NEW_ORGANIZATIONS)
    people = (len(data.USERS) + sum(sum(profile["joins"]) for profile in PROFILES.values())
              + len(programme_data.NEW_PEOPLE))
    assert rows(app, Organization) == organisations and rows(app, User) == people
    assert "admin@demo.opencommunitypa.it" in first.output
    second = runner.invoke(args=["demo", "load"])
    assert ("0 organisations, 0 accounts, 0 communities, 0 practices and 0 adoptions, support requests and supplier "
            "offers added; 0 software") in second.output
    assert rows(app, Organization) == organisations
    referent = next(u for u in data.USERS if u["role"] == "referent")
    assert login(client, referent["email"], data.DEMO_PASSWORD).status_code == 303
    with app.app_context():
        regions = db.session.execute(select(func.count()).select_from(Organization)
                                     .where(Organization.pa_kind == "region")).scalar()
    assert regions == 20


REUSE_MODELS = (Adoption, AdoptionEvent, Deployment, Conversion, SupportRequest, SupportEvent, SupportMessage,
                SupplierOffer, KitVersion, MaintenanceEntry)


def reuse_counts(app) -> dict[str, int]:
    return {model.__name__: rows(app, model) for model in REUSE_MODELS}


def test_demo_load_fills_the_reuse_area_once(app):
    from app.demo.loader import load_demo
    from app.reuse.support import is_overdue, overdue_cutoff

    assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    first = reuse_counts(app)
    with app.app_context():
        again = load_demo()
    assert again["reuse"] == 0 and reuse_counts(app) == first
    with app.app_context():
        adoptions = db.session.execute(select(Adoption)).scalars().all()
        requests = db.session.execute(select(SupportRequest)).scalars().all()
        assert {a.status for a in adoptions} == {"interested", "in_progress", "completed", "abandoned"}
        assert any(a.is_confirmed for a in adoptions) and not all(a.is_confirmed for a in adoptions)
        assert {a.status for a in adoptions if a.is_confirmed} <= {"in_progress", "completed"}
        assert first["Deployment"] >= 2 and first["Conversion"] >= 1
        assert {r.status for r in requests} == {"open", "accepted", "resolved", "closed", "declined"}
        assert any(r.reopened_at is not None and r.status == "accepted" for r in requests)
        assert any(is_overdue(r, overdue_cutoff()) for r in requests)
        assert any(r.assignee_id is not None for r in requests) and any(r.decline_reason for r in requests)
        assert any(m.internal and m.from_donor for r in requests for m in r.messages)
        assert db.session.execute(select(SupplierOffer).where(SupplierOffer.hidden_at.is_not(None))).first()


def test_demo_reuse_data_follows_the_rules(app):
    assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        for request in db.session.execute(select(SupportRequest)).scalars():
            practice, requester = request.practice, request.requester
            assert practice.status == "published" and request.organization_id not in practice.donor_ids
            assert request.organization.kind == "public_administration"
            assert requester.organization_id == request.organization_id and requester.affiliation_status == "active"
            assert request.events[0].action == "open" and request.events[-1].to_status == request.status
            answers = [m.created_at for m in request.messages if m.from_donor and not m.internal] + [
                e.created_at for e in request.events if e.action in ("accept", "decline")]
            assert request.first_response_at == (min(answers) if answers else None)
        for adoption in db.session.execute(select(Adoption)).scalars():
            assert adoption.events[0].action == "declare" and adoption.events[-1].created_at == adoption.updated_at
            assert adoption.is_confirmed == any(e.action == "confirm" for e in adoption.events)
            for event in adoption.events:  # the donors confirm; the reusing organisation's people do the rest
                acting = adoption.practice.donor_ids if event.action == "confirm" else {adoption.organization_id}
                assert event.actor.organization_id in acting
            assert adoption.deployment is None or adoption.status == "completed"


def test_demo_reuse_pages_render(app, client):
    assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        deployment = db.session.execute(select(Deployment).join(Adoption, Deployment.adoption_id == Adoption.id)
                                        .where(Adoption.confirmed_at.is_not(None))).scalars().first()
        slug, territory = deployment.adoption.practice.slug, deployment.territory
    assert territory in client.get(f"/practices/{slug}?tab=deployments").get_data(as_text=True)
    assert login(client, "referente.bassareggiana@demo.opencommunitypa.it", data.DEMO_PASSWORD).status_code == 303
    inbox = client.get("/support/inbox")
    assert inbox.status_code == 200 and "Un ufficio Europa per le Municipalità" in inbox.get_data(as_text=True)


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
