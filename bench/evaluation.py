"""Benchmark: the evaluation pages of a national call (prints figures; never a pass/fail test).

Usage: .venv/bin/python bench/evaluation.py [CANDIDACIES] [--small N] [--runs R] [--sqlite|--postgresql]
Seeds, by bulk inserts, one call in consensus with the six EPSA criteria, CANDIDACIES submitted candidacies (default
1,000; the small size N defaults to 50) from as many administrations, a commission of CANDIDACIES/10 reviewers (at
least 12), three assignments per candidacy with submitted reviews (a score and a motivation per criterion), one
computed conflict in ten, and decisions recorded for half. Each size runs in a throwaway SQLite file and, when
PostgreSQL answers at 127.0.0.1:5432, in a throwaway PostgreSQL database. Then times the chair's board (full page
and htmx), the CSV and ODS exports, the assignments matrix, the call page (visitor), the reviewer dashboard and a
candidacy page as the chair, and counts their SQL statements: the counts must be the same at both sizes (the script
says so and exits 1 otherwise).
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from config import TestConfig  # noqa: E402
from pages import _sign_in, _throwaway_postgres  # noqa: E402  (bench/ is the script's folder)

WHEN = datetime(2026, 1, 1)
PASSWORD = "bench-password-2026"
PAGES = [  # (label, who, path template, htmx)
    ("board", "chair", "/evaluation/calls/{slug}/board", False),
    ("board, htmx", "chair", "/evaluation/calls/{slug}/board", True),
    ("export CSV", "chair", "/evaluation/calls/{slug}/export.csv", False),
    ("export ODS", "chair", "/evaluation/calls/{slug}/export.ods", False),
    ("assignments matrix", "chair", "/evaluation/calls/{slug}/assignments", False),
    ("call page", "visitor", "/evaluation/calls/{slug}", False),
    ("reviewer dashboard", "reviewer", "/evaluation/reviewer", False),
    ("candidacy page", "chair", "/evaluation/candidacies/1", False),
]


def seed(candidacies: int) -> dict:
    """One call in consensus with CANDIDACIES candidacies, three submitted reviews each; returns slugs and counts."""
    from app.auth.passwords import hash_password
    from app.evaluation.defaults import default_criteria
    from app.models import (Assignment, Candidacy, CommissionMember, Community, Conflict, Criterion, Decision,
                            EvaluationCall, Organization, Practice, Review, ReviewScore, User)
    from app.models.organization import collation_key

    reviewers = max(12, candidacies // 10)
    organisations = candidacies + reviewers + 1
    db.session.execute(insert(Organization), [
        {"id": n, "name": f"Comune di Prova {n:05d}", "sort_name": collation_key(f"Comune di Prova {n:05d}"),
         "slug": f"comune-{n:05d}", "kind": "public_administration", "pa_kind": "municipality",
         "region_code": f"{n % 20 + 1:02d}", "description": "", "status": "active", "created_at": WHEN}
        for n in range(1, organisations + 1)])
    hashed = hash_password(PASSWORD)
    # person n belongs to organisation n: 1..C the candidates' referents, then the reviewers, then the chair
    people = organisations
    db.session.execute(insert(User), [
        {"id": u, "email": f"p{u}@example.it", "full_name": f"Persona {u}", "job_title": "", "password_hash": hashed,
         "session_token": f"{u:032d}", "organization_id": u, "affiliation_status": "active",
         "is_referent": u <= candidacies, "is_admin": False, "email_confirmed_at": WHEN, "created_at": WHEN,
         "notification_email": "never"} for u in range(1, people + 1)])
    chair_id = people
    db.session.execute(insert(Community), [{"id": 1, "name": "Comunità", "slug": "comunita", "theme": "procurement",
                                            "description": "", "visibility": "open", "scope": "national",
                                            "created_at": WHEN}])
    db.session.execute(insert(Practice), [
        {"id": p, "title": f"Pratica {p}", "slug": f"pratica-{p}", "summary": "Sintesi", "description": "",
         "kind": "organisational", "status": "published", "community_id": 1, "donor_id": p, "theme": "procurement",
         "kit_completeness": 33, "created_at": WHEN, "updated_at": WHEN, "published_at": WHEN,
         "recognitions": [], "recognised": False} for p in range(1, candidacies + 1)])
    db.session.execute(insert(EvaluationCall), [{
        "id": 1, "slug": "premio-bench", "title": "Premio bench", "description": "", "year": 2026,
        "phase": "consensus", "categories": [{"code": "digitale", "label": "Digitale"}], "eligible_pa_kinds": [],
        "require_completed": False, "extra_fields": [], "closes_at": WHEN, "reviewers_per_candidacy": 3,
        "max_load": 100, "disagreement_threshold": 1.5, "blind": False, "chair_id": chair_id,
        "criteria_frozen_at": WHEN, "created_at": WHEN, "updated_at": WHEN}])
    criteria = default_criteria()
    db.session.execute(insert(Criterion), [dict(each, id=n + 1, call_id=1) for n, each in enumerate(criteria)])
    reviewer_ids = list(range(candidacies + 1, candidacies + reviewers + 1))
    db.session.execute(insert(CommissionMember), [
        {"call_id": 1, "user_id": u, "is_deputy": False, "attested_at": WHEN, "added_at": WHEN, "active": True}
        for u in reviewer_ids])
    fields = {key: "Testo della candidatura." for key in
              ("why_good", "methods", "results", "resources", "transferability", "contacts")}
    db.session.execute(insert(Candidacy), [
        {"id": c, "call_id": 1, "practice_id": c, "organization_id": c, "status": "under_review",
         "category": "digitale", "fields": fields, "extra": {},
         "snapshot": {"title": f"Pratica {c}", "summary": "Sintesi", "fields": fields, "extra": {}},
         "created_by_id": c, "created_at": WHEN, "updated_at": WHEN, "submitted_at": WHEN, "submitted_by_id": c}
        for c in range(1, candidacies + 1)])
    assignments, reviews, scores, conflicts = [], [], [], []
    for c in range(1, candidacies + 1):
        for k in range(3):
            reviewer = reviewer_ids[(c * 3 + k) % reviewers]
            aid = len(assignments) + 1
            assignments.append({"id": aid, "candidacy_id": c, "user_id": reviewer, "status": "submitted",
                                "automatic": True, "decline_reason": "", "assigned_at": WHEN})
            values = [(c + k + n) % 6 for n in range(len(criteria))]
            reviews.append({"id": aid, "assignment_id": aid, "candidacy_id": c, "reviewer_id": reviewer,
                            "confidence": 2, "comment": "Commento.", "total": sum(values) / len(values),
                            "submitted_at": WHEN + timedelta(minutes=aid), "updated_at": WHEN})
            scores.extend({"review_id": aid, "criterion_id": n + 1, "score": value, "motivation": "Motivo."}
                          for n, value in enumerate(values))
        if c % 10 == 0:
            conflicts.append({"call_id": 1, "candidacy_id": c, "user_id": reviewer_ids[(c * 3 + 3) % reviewers],
                              "kind": "reuser", "source": "computed", "status": "suggested", "note": "",
                              "created_at": WHEN})
    for model, rows in ((Assignment, assignments), (Review, reviews), (ReviewScore, scores), (Conflict, conflicts)):
        for start in range(0, len(rows), 20_000):
            db.session.execute(insert(model), rows[start:start + 20_000])
    db.session.execute(insert(Decision), [
        {"candidacy_id": c, "synthesis": "Sintesi.", "proposed_outcome": "recognised", "outcome": "recognised",
         "motivation": "Motivazione.", "decided_by_id": chair_id, "decided_at": WHEN}
        for c in range(1, candidacies + 1, 2)])
    db.session.commit()
    return {"slug": "premio-bench", "chair": f"p{chair_id}@example.it", "reviewer": f"p{reviewer_ids[0]}@example.it",
            "reviews": len(reviews), "reviewers": reviewers}


def time_pages(url: str, candidacies: int, runs: int) -> dict:
    """Seed a fresh database at URL and time the pages; returns {label: (status, median, max, statements)}."""
    instance = tempfile.mkdtemp()
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, SEARCH_DIR=f"{instance}/search",
                     UPLOAD_FOLDER=f"{instance}/uploads")
    with app.app_context():
        db.drop_all()
        db.create_all()
        start = time.perf_counter()
        seeded = seed(candidacies)
        print(f"  seeded {candidacies:,} candidacies, {seeded['reviews']:,} reviews by {seeded['reviewers']} "
              f"reviewers in {time.perf_counter() - start:.1f} s", flush=True)
        statements: list[int] = []
        event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(1))
    clients = {"visitor": app.test_client(), "chair": app.test_client(), "reviewer": app.test_client()}
    _sign_in(clients["chair"], seeded["chair"], PASSWORD)
    _sign_in(clients["reviewer"], seeded["reviewer"], PASSWORD)
    results = {}
    for label, who, path, htmx in PAGES:
        timings, status = [], None
        headers = {"HX-Request": "true"} if htmx else {}
        for _ in range(runs):
            statements.clear()
            start = time.perf_counter()
            status = clients[who].get(path.format(slug=seeded["slug"]), headers=headers).status_code
            timings.append((time.perf_counter() - start) * 1000)
            if status != 200:
                break
        results[label] = (status, statistics.median(timings), max(timings), len(statements))
        print(f"  {label:<20} {who:<9}: {status}, median {statistics.median(timings):7.1f} ms, "
              f"max {max(timings):7.1f} ms, {len(statements):3d} statements", flush=True)
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    return results


def main(candidacies: int, small: int, runs: int, only: str | None) -> int:
    import platform
    import sqlite3

    print(f"Evaluation pages, {datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}")
    backends = []
    if only in (None, "sqlite"):
        backends.append(("sqlite", lambda: (f"sqlite:///{tempfile.mkdtemp()}/bench.db", lambda: None)))
    if only in (None, "postgresql"):
        backends.append(("postgresql", _throwaway_postgres))
    differ = False
    for name, make in backends:
        sizes = {}
        for size in (small, candidacies):
            made = make()
            if made is None:
                break
            url, drop = made
            print(f"{name}, {size:,} candidacies:", flush=True)
            try:
                sizes[size] = time_pages(url, size, runs)
            finally:
                drop()
        if len(sizes) == 2:
            for label, (status, _median, _max, count) in sizes[small].items():
                other = sizes[candidacies][label]
                if status == 200 and other[0] == 200 and count != other[3]:
                    differ = True
                    print(f"  STATEMENT COUNT DIFFERS: {label}: {count} at {small:,}, {other[3]} at {candidacies:,}")
            if not differ:
                print(f"  {name}: every page issues the same number of statements at {small:,} and "
                      f"{candidacies:,} candidacies")
    return 1 if differ else 0


def _arguments(argv: list[str]) -> tuple[int, int, int, str | None]:
    candidacies, small, runs, only = 1_000, 50, 10, None
    rest = list(argv)
    while rest:
        item = rest.pop(0)
        if item == "--small":
            small = int(rest.pop(0))
        elif item == "--runs":
            runs = int(rest.pop(0))
        elif item in ("--sqlite", "--postgresql"):
            only = item[2:]
        else:
            candidacies = int(item)
    return candidacies, small, runs, only


if __name__ == "__main__":
    sys.exit(main(*_arguments(sys.argv[1:])))
