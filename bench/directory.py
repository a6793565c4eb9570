"""Benchmark: the organisation directory with many organisations (prints figures; never a pass/fail test).

Usage: .venv/bin/python bench/directory.py [ORGANISATIONS]   (SQLite in a temporary folder; DATABASE_URL for another)
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Organization  # noqa: E402
from config import TestConfig  # noqa: E402


def main(count: int) -> None:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        rows = [{"name": f"Comune di Prova {n:05d}", "slug": f"comune-di-prova-{n:05d}", "kind": "public_administration",
                 "pa_kind": "municipality", "region_code": f"{n % 20 + 1:02d}", "description": "",
                 "status": "active", "created_at": __import__("datetime").datetime(2026, 1, 1)} for n in range(count)]
        db.session.execute(insert(Organization), rows)
        db.session.commit()
        statements: list[str] = []
        event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    client = app.test_client()
    for label, url_path, headers in (
        ("full page, first page", "/organizations/", {}),
        ("full page, region filter", "/organizations/?region=08", {}),
        ("htmx, name filter", "/organizations/?q=prova%2001", {"HX-Request": "true"}),
        ("full page, page 40", "/organizations/?page=40", {}),
    ):
        timings = []
        for _ in range(30):
            statements.clear()
            start = time.perf_counter()
            assert client.get(url_path, headers=headers).status_code == 200
            timings.append((time.perf_counter() - start) * 1000)
        print(f"{label:<28} {count} orgs: median {statistics.median(timings):6.1f} ms, "
              f"p95 {sorted(timings)[int(len(timings) * .95) - 1]:6.1f} ms, {len(statements)} queries")
    with app.app_context():
        db.drop_all()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
