"""Benchmark: the busiest list pages with many rows (prints figures; never a pass/fail test).

Usage: .venv/bin/python bench/pages.py [ROWS]   (SQLite in a temporary folder; DATABASE_URL for another database)
Seeds ROWS organisations, ROWS/10 communities with members, ROWS practices with a published kit, each confirmed-reused
with a deployment record by the next organisation, and ROWS support requests to the first practice; then times the
archive, a practice page (overview with its service figures, kit, deployments), the donor's profile, the community
directory and a community home, and counts their SQL statements.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert, select  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import (Adoption, Community, Deployment, KitSection, KitVersion, Membership,  # noqa: E402
                        Organization, Practice, SupportRequest, User)
from config import TestConfig  # noqa: E402

WHEN = datetime(2026, 1, 1)


def seed(rows: int) -> None:
    db.session.execute(insert(Organization), [
        {"name": f"Comune di Prova {n:05d}", "slug": f"comune-{n:05d}", "kind": "public_administration",
         "pa_kind": "municipality", "region_code": f"{n % 20 + 1:02d}", "description": "", "status": "active",
         "created_at": WHEN} for n in range(rows)])
    db.session.execute(insert(User), [
        {"email": f"p{n}@example.it", "full_name": f"Persona {n}", "job_title": "", "password_hash": "x",
         "session_token": f"{n:032d}", "organization_id": n + 1, "affiliation_status": "active",
         "is_referent": False, "is_admin": False, "email_confirmed_at": WHEN, "created_at": WHEN,
         "notification_email": "never"} for n in range(rows)])
    communities = max(rows // 10, 1)
    db.session.execute(insert(Community), [
        {"name": f"Comunità {n}", "slug": f"comunita-{n}", "theme": "procurement", "description": "Descrizione",
         "visibility": "open", "scope": "national", "created_at": WHEN} for n in range(communities)])
    db.session.execute(insert(Membership), [
        {"community_id": n % communities + 1, "user_id": n + 1, "status": "active",
         "role": "facilitator" if n < communities else "member", "requested_at": WHEN, "joined_at": WHEN,
         "updated_at": WHEN} for n in range(rows)])
    db.session.execute(insert(Practice), [
        {"title": f"Pratica {n}", "slug": f"pratica-{n}", "summary": "Sintesi", "description": "Descrizione",
         "kind": "organisational", "status": "published", "community_id": n % communities + 1, "donor_id": n + 1,
         "theme": "procurement", "kit_completeness": 33, "kit_updated_at": WHEN, "created_at": WHEN,
         "updated_at": WHEN, "published_at": WHEN} for n in range(rows)])
    db.session.execute(insert(KitVersion), [
        {"practice_id": n + 1, "label": "1.0", "status": "published", "changelog": "", "created_at": WHEN,
         "published_at": WHEN} for n in range(rows)])
    db.session.execute(insert(KitSection), [
        {"kit_version_id": n + 1, "key": key, "body": "Testo della sezione."}
        for n in range(rows) for key in ("context", "acts", "costs")])
    db.session.execute(insert(Adoption), [
        {"practice_id": n + 1, "organization_id": (n + 1) % rows + 1, "status": "completed", "notes": "",
         "created_at": WHEN, "updated_at": WHEN, "confirmed_at": WHEN} for n in range(rows)])
    db.session.execute(insert(Deployment), [
        {"adoption_id": n + 1, "practice_id": n + 1, "organization_id": (n + 1) % rows + 1, "deployed_on": WHEN.date(),
         "size": "s", "territory": "Territorio", "adaptations": "", "effort": "", "outcome": "Bene", "lessons": "",
         "contact": "", "created_at": WHEN, "updated_at": WHEN} for n in range(rows)])
    db.session.execute(insert(SupportRequest), [
        {"practice_id": 1, "organization_id": n % rows + 2 if n % rows + 2 <= rows else 2, "kind": "technical",
         "subject": f"Richiesta {n}", "description": "D", "status": "resolved", "decline_reason": "",
         "created_at": WHEN, "updated_at": WHEN, "first_response_at": WHEN, "resolved_at": WHEN}
        for n in range(rows)])
    db.session.commit()


def main(rows: int) -> None:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        seed(rows)
        slug = db.session.execute(select(Practice.slug).limit(1)).scalar()
        statements: list[str] = []
        event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    client = app.test_client()
    for label, path in (("practice archive", "/practices/"), ("archive, sorted by kit", "/practices/?sort=completeness"),
                        ("practice page", f"/practices/{slug}"), ("practice kit tab", f"/practices/{slug}?tab=kit"),
                        ("practice deployments", f"/practices/{slug}?tab=deployments"),
                        ("donor profile", "/organizations/comune-00000"),
                        ("community directory", "/communities/"), ("community home", "/communities/comunita-0")):
        timings = []
        for _ in range(20):
            statements.clear()
            start = time.perf_counter()
            assert client.get(path).status_code == 200, path
            timings.append((time.perf_counter() - start) * 1000)
        print(f"{label:<24} {rows} rows: median {statistics.median(timings):6.1f} ms, "
              f"max {max(timings):6.1f} ms, {len(statements)} queries")
    with app.app_context():
        db.drop_all()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
