"""Benchmark: `flask indicators compute` at Italy scale (prints figures; never a pass/fail test).

Usage: .venv/bin/python bench/indicators.py [--scale S] [--database-url URL] [--profile] [--tracemalloc] [--keep]
Seeds, by bulk inserts (COPY on PostgreSQL), a network spread over the two years before NOW: 23,000 organisations
(nine in ten public administrations, in the 20 regions and their provinces), 100,000 people, 500 communities
(national, regional, provincial; open, moderated, private) with about 170,000 memberships and their facilitators,
10,000 practices (drafts, archived, software with publiccode, co-donors for 15 %, kit versions, maintenance
entries), adoptions with deployments and conversions, 200,000 Q&A posts (a tenth questions, half answers, the rest
comments; hidden ones, duplicates, accepted answers) and 50,000 support requests with their messages. Communities,
practices and activity are skewed (Zipf): a few big communities, many small ones. `--scale 0.1` makes a tenth of
everything. Then, each in a fresh process (so that the peak memory is the computation's, not the seeding's), it
times `app.indicators.compute.run(NOW)` (the nightly daily run) and the quarter run of the last ended quarter,
printing wall time, peak resident memory (VmHWM; ru_maxrss where there is no /proc), the SQL statements issued, and
the time and statements of every group of indicators. --profile adds a cProfile of each run (top 25 by cumulative
time), --tracemalloc the Python heap's peak (slower). After the quarter run it times the pages that read the
snapshots (the busiest open community's Indicatori tab, two drill-downs, its CSV, the observatory) and counts their
statements. Without --database-url the database is a temporary SQLite file; with a PostgreSQL URL, a throwaway
database is created on that server and dropped at the end (no other database or table is touched); --keep leaves the
seeded database in place, and `--measure daily|quarter --database-url URL` times one run on it again.
"""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, event, insert, inspect, text, update  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from config import TestConfig  # noqa: E402
from pages import _bulk  # noqa: E402  (bench/ is the script's folder: COPY on PostgreSQL)

NOW = datetime(2026, 12, 1, 2, 30)  # a Tuesday night, when cron runs
START = NOW - timedelta(days=730)
FULL = {"organisations": 23_000, "people": 100_000, "communities": 500, "practices": 10_000, "posts": 200_000,
        "requests": 50_000}
THEMES = ["procurement", "eu_funds", "digital_agenda", "public_value", "training", "services", "environment", "other"]
PA_KINDS = ["municipality"] * 16 + ["union_of_municipalities", "province", "region", "health_authority", "university",
                                    "agency", "central_administration", "metropolitan_city"]
HOUR = timedelta(hours=1)


def _moment(rng: random.Random, after: datetime = START) -> datetime:
    """A moment between `after` and NOW, more often recent (the platform grows)."""
    span = (NOW - after).total_seconds()
    return after + timedelta(seconds=span * rng.random() ** 0.7)


def _later(rng: random.Random, start: datetime, mean_hours: float) -> datetime | None:
    """`start` plus a log-normal delay around `mean_hours`, or None when that falls after NOW."""
    moment = start + timedelta(hours=rng.lognormvariate(0, 1.2) * mean_hours / 2)
    return moment if moment <= NOW else None


def seed(scale: float) -> dict:
    """Bulk-insert the network; returns the row counts."""
    from app.geo import PROVINCES
    from app.models import (Adoption, Answer, Comment, Community, CommunityGovernance, Conversion, Deployment,
                            KitVersion, MaintenanceEntry, Membership, Organization, Practice, Question,
                            SupportRequest, User, practice_co_donor)
    from app.models.organization import collation_key

    rng = random.Random(42)
    n = {key: max(5, round(value * scale)) for key, value in FULL.items()}
    counts: dict[str, int] = {}
    provinces: dict[str, list[str]] = {}
    for sigla, _name, region in PROVINCES:
        provinces.setdefault(region, []).append(sigla)
    regions = sorted(provinces)

    orgs, pa_ids = [], []
    for o in range(1, n["organisations"] + 1):
        roll = rng.random()
        kind = "public_administration" if roll < 0.9 else "supplier" if roll < 0.97 else "other"
        region = rng.choice(regions)
        orgs.append({"id": o, "name": f"Ente {o:05d}", "sort_name": collation_key(f"Ente {o:05d}"), "slug": f"ente-{o}",
                     "kind": kind, "pa_kind": rng.choice(PA_KINDS) if kind == "public_administration" else None,
                     "region_code": region, "province_code": rng.choice(provinces[region]), "description": "",
                     "status": "active", "created_at": START - timedelta(days=30)})
        if kind == "public_administration":
            pa_ids.append(o)
    _bulk(Organization, orgs)
    counts["organisations"] = len(orgs)

    org_of = {u: rng.randint(1, n["organisations"]) for u in range(1, n["people"] + 1)}
    people_of: dict[int, list[int]] = {}
    for u, o in org_of.items():
        people_of.setdefault(o, []).append(u)
    _bulk(User, [{"id": u, "email": f"p{u}@example.it", "full_name": f"Persona {u}", "job_title": "",
                  "password_hash": "x", "session_token": f"{u:032d}", "organization_id": o,
                  "affiliation_status": "active", "is_referent": False, "is_admin": False,
                  "email_confirmed_at": START, "created_at": START, "notification_email": "never"}
                 for u, o in org_of.items()])
    counts["people"] = len(org_of)

    communities = []
    for c in range(1, n["communities"] + 1):
        roll, region = rng.random(), rng.choice(regions)
        scope = "national" if roll < 0.5 else "region" if roll < 0.85 else "province"
        visibility = rng.choices(["open", "moderated", "private"], weights=[80, 15, 5])[0]
        communities.append({"id": c, "name": f"Comunità {c}", "slug": f"comunita-{c}", "theme": rng.choice(THEMES),
                            "description": "", "visibility": visibility, "scope": scope,
                            "region_code": region if scope != "national" else None,
                            "province_code": rng.choice(provinces[region]) if scope == "province" else None,
                            "created_at": START + timedelta(days=rng.randint(0, 180))})
    _bulk(Community, communities)
    counts["communities"] = len(communities)

    memberships, members_of = [], {c: [] for c in range(1, n["communities"] + 1)}
    for u in range(1, n["people"] + 1):
        joined = set(_zipf(rng, n["communities"], 1 + (rng.random() < 0.5) + (rng.random() < 0.2)))
        for c in joined:
            status = rng.choices(["active", "pending", "left"], weights=[92, 4, 4])[0]
            role = "facilitator" if status == "active" and len(members_of[c]) < 2 else "member"
            when = _moment(rng)
            memberships.append({"community_id": c, "user_id": u, "status": status, "role": role,
                                "requested_at": when, "joined_at": when if status != "pending" else None,
                                "updated_at": when})
            if status == "active":
                members_of[c].append(u)
    _bulk(Membership, memberships)
    counts["memberships"] = len(memberships)
    del memberships

    def member(c: int) -> int:
        return rng.choice(members_of[c]) if members_of[c] else rng.randint(1, n["people"])

    practices, co_donors, versions, entries = [], [], [], []
    published, practices_of, donors = [], {}, {}
    for p, c in enumerate(_zipf(rng, n["communities"], n["practices"]), start=1):
        donor = org_of[member(c)]
        donor = donor if orgs[donor - 1]["kind"] == "public_administration" else rng.choice(pa_ids)
        status = rng.choices(["published", "draft", "archived"], weights=[85, 8, 7])[0]
        software = rng.random() < 0.25
        created = _moment(rng)
        updated = _moment(rng, created)
        practices.append({"id": p, "title": f"Pratica {p}", "slug": f"pratica-{p}", "summary": "Sintesi",
                          "description": "", "kind": "software" if software else "organisational", "status": status,
                          "community_id": c, "donor_id": donor, "theme": communities[c - 1]["theme"],
                          "region_code": orgs[donor - 1]["region_code"],
                          "publiccode": {"name": f"Pratica {p}"} if software and rng.random() < 0.7 else None,
                          "kit_completeness": rng.choice([11, 22, 33, 44, 56, 67, 78, 89, 100]),
                          "recognitions": [], "recognised": False, "kit_updated_at": updated, "created_at": created,
                          "updated_at": updated, "published_at": created + timedelta(days=2)
                          if status != "draft" else None})
        donors[p] = {donor}
        if rng.random() < 0.15:
            other = rng.choice(pa_ids)
            if other != donor:
                co_donors.append({"practice_id": p, "organization_id": other})
                donors[p].add(other)
        for k in range(rng.randint(1, 3)):
            versions.append({"practice_id": p, "label": f"1.{k}", "status": "published", "changelog": "",
                             "author_id": rng.choice(people_of.get(donor) or [member(c)]),
                             "created_at": _moment(rng, created), "published_at": created})
        for _ in range(rng.choice([0, 0, 0, 1, 2])):
            entries.append({"practice_id": p, "author_id": member(c), "created_at": _moment(rng, created),
                            "note": "Kit riconfermato."})
        if status == "published":
            published.append(p)
            practices_of.setdefault(c, []).append(p)
    for start in range(0, len(practices), 5_000):  # JSON columns: an ORM insert (COPY would take them as arrays)
        db.session.execute(insert(Practice), practices[start:start + 5_000])
    if co_donors:
        db.session.execute(insert(practice_co_donor), co_donors)
    _bulk(KitVersion, versions)
    _bulk(MaintenanceEntry, entries)
    counts.update(practices=len(practices), co_donors=len(co_donors), kit_versions=len(versions),
                  maintenance=len(entries))

    adoptions, deployments, conversions, taken = [], [], [], set()
    for p in rng.choices(published, k=len(published) * 3):
        o = rng.choice(pa_ids)
        if o in donors[p] or (p, o) in taken:
            continue
        taken.add((p, o))
        status = rng.choices(["interested", "in_progress", "completed", "abandoned"], weights=[30, 30, 30, 10])[0]
        created = _moment(rng, practices[p - 1]["published_at"])
        declared = rng.choice(people_of.get(o) or [1])
        aid = len(adoptions) + 1
        confirmed = created + timedelta(days=20) if status == "completed" and rng.random() < 0.6 else None
        adoptions.append({"id": aid, "practice_id": p, "organization_id": o, "status": status, "notes": "",
                          "declared_by_id": declared, "created_at": created, "updated_at": created,
                          "started_at": created if status != "interested" else None,
                          "confirmed_at": confirmed if confirmed and confirmed <= NOW else None})
        if status == "completed" and rng.random() < 0.5:
            deployments.append({"adoption_id": aid, "practice_id": p, "organization_id": o,
                                "deployed_on": created.date(), "size": "s", "territory": "Territorio",
                                "outcome": "In uso", "created_at": created, "updated_at": created})
        if status == "completed" and rng.random() < 0.1:
            conversions.append({"adoption_id": aid, "organization_id": o, "reason": "deployment",
                                "created_at": _moment(rng, created)})
    _bulk(Adoption, adoptions)
    _bulk(Deployment, deployments)
    _bulk(Conversion, conversions)
    counts.update(adoptions=len(adoptions), deployments=len(deployments), conversions=len(conversions))
    del deployments, conversions

    counts.update(_seed_qa(rng, n, members_of, practices_of, donors, org_of, member))
    counts.update(_seed_support(rng, n, published, practices, donors, pa_ids, people_of, org_of))
    db.session.execute(insert(CommunityGovernance), [
        {"community_id": c, "url": f"https://example.it/governance/{c}", "recorded_by_id": 1, "recorded_at": START}
        for c in range(1, n["communities"] + 1, 10)])
    db.session.commit()
    _after_seeding([Organization, User, Community, Practice, Adoption, Question, Answer, Comment, SupportRequest])
    return counts


_ZIPF: dict[int, list[float]] = {}


def _zipf(rng: random.Random, n: int, k: int, s: float = 0.9) -> list[int]:
    """k draws of 1..n with Zipf weights (rank 1 the busiest); the cumulative weights computed once per n."""
    if n not in _ZIPF:
        total, cumulative = 0.0, []
        for rank in range(1, n + 1):
            total += 1 / rank ** s
            cumulative.append(total)
        _ZIPF[n] = cumulative
    return rng.choices(range(1, n + 1), cum_weights=_ZIPF[n], k=k)


def _seed_qa(rng, n, members_of, practices_of, donors, org_of, member) -> dict:
    """A tenth of the posts questions, half answers, the rest comments."""
    from app.models import Answer, Comment, Question

    total_questions = n["posts"] // 10
    questions, answers, comments, accepted = [], [], [], []
    answered: set[tuple[int, int]] = set()  # one answer per person and question
    community_of = _zipf(rng, n["communities"], total_questions)
    for q, c in enumerate(community_of, start=1):
        author = member(c)
        own = practices_of.get(c)
        practice = rng.choice(own) if own and rng.random() < 0.33 else None
        created = _moment(rng)
        hidden = q % 97 == 5
        duplicate = not hidden and rng.random() < 0.02
        questions.append({"id": q, "community_id": c, "practice_id": practice, "title": f"Domanda {q}",
                          "body": "Come avete fatto?", "author_id": author, "organization_id": org_of[author],
                          "status": "closed" if duplicate else "open", "close_reason": "duplicate" if duplicate
                          else None, "closed_at": created + HOUR if duplicate else None,
                          "visibility": "hidden" if hidden else "visible", "needs_review": hidden,
                          "hidden_at": created if hidden else None, "answer_count": 0, "vote_count": 0,
                          "created_at": created, "updated_at": created, "last_activity_at": created})
    answerable = [q for q in questions if rng.random() < 0.85]
    for _ in range(n["posts"] // 2):
        question = rng.choice(answerable)
        answerer = member(question["community_id"])
        when = _later(rng, question["created_at"], 30)
        if when is None or answerer == question["author_id"] or (question["id"], answerer) in answered:
            continue
        aid = len(answers) + 1
        hidden = aid % 41 == 0
        answers.append({"id": aid, "question_id": question["id"], "author_id": answerer,
                        "organization_id": org_of[answerer], "body": "Noi abbiamo fatto così.",
                        "official": question["practice_id"] is not None and org_of[answerer] in donors.get(
                            question["practice_id"], ()), "visibility": "hidden" if hidden else "visible",
                        "needs_review": hidden, "hidden_at": when if hidden else None, "vote_count": 0,
                        "created_at": when, "updated_at": when})
        answered.add((question["id"], answerer))
        if not hidden:
            question["answer_count"] += 1
            if question.get("first_answer_at") is None or when < question["first_answer_at"]:
                question["first_answer_at"], question["first_answer_id"] = when, aid
            question["last_activity_at"] = max(question["last_activity_at"], when)
    for question in questions:
        first = question.pop("first_answer_id", None)
        if first and question["status"] == "open" and rng.random() < 0.45:
            when = _later(rng, question["first_answer_at"], 48)
            if when is not None:
                accepted.append({"id": question["id"], "status": "solved", "accepted_answer_id": first,
                                 "accepted_by_id": question["author_id"], "accepted_at": when})
    for j in range(n["posts"] - len(questions) - len(answers)):
        question = questions[rng.randrange(len(questions))]
        when = _later(rng, question["created_at"], 60)
        if when is None:
            continue
        commenter = member(question["community_id"])
        comments.append({"id": len(comments) + 1, "question_id": question["id"], "answer_id": None,
                         "author_id": commenter, "organization_id": org_of[commenter], "body": "Grazie!",
                         "visibility": "hidden" if j % 53 == 0 else "visible", "needs_review": False,
                         "created_at": when, "updated_at": when})
    for each in questions:
        each.setdefault("first_answer_at", None)
    _bulk(Question, questions)
    _bulk(Answer, answers)
    _bulk(Comment, comments)
    for start in range(0, len(accepted), 5_000):  # after the answers: the foreign key points at them
        db.session.execute(update(Question), accepted[start:start + 5_000])
    return {"questions": len(questions), "answers": len(answers), "comments": len(comments),
            "accepted": len(accepted)}


def _seed_support(rng, n, published, practices, donors, pa_ids, people_of, org_of) -> dict:
    """Support requests to published practices, with the requester's, the donor's and internal messages."""
    from app.models import SupportMessage, SupportRequest

    kinds = ["consultancy", "training", "technical", "feasibility", "law_change", "new_requirement"]
    requests, messages = [], []
    for r, p in enumerate(rng.choices(published, k=n["requests"]), start=1):
        o = rng.choice(pa_ids)
        requester = rng.choice(people_of.get(o) or [1])
        donor_people = [u for d in donors[p] for u in people_of.get(d, [])] or [1]
        created = _moment(rng, max(START, practices[p - 1]["published_at"]))
        row = {"id": r, "practice_id": p, "organization_id": o, "requester_id": requester, "kind": rng.choice(kinds),
               "subject": f"Richiesta {r}", "description": "Ci serve aiuto.", "status": "open", "decline_reason": "",
               "created_at": created, "updated_at": created, "first_response_at": None, "accepted_at": None,
               "resolved_at": None, "closed_at": None, "declined_at": None}
        messages.append({"request_id": r, "author_id": requester, "body": "Ci serve aiuto.", "internal": False,
                         "from_donor": False, "created_at": created})
        first = _later(rng, created, 60) if rng.random() < 0.85 else None
        if first:
            answerer = rng.choice(donor_people)
            row.update(first_response_at=first, status="accepted", accepted_at=first)
            messages.append({"request_id": r, "author_id": answerer, "body": "Eccoci.", "internal": False,
                             "from_donor": True, "created_at": first})
            if rng.random() < 0.3:
                messages.append({"request_id": r, "author_id": answerer, "body": "Nota interna.", "internal": True,
                                 "from_donor": True, "created_at": first})
            roll = rng.random()
            end = _later(rng, first, 24 * 12)
            if end and roll < 0.65:
                row.update(status="resolved", resolved_at=end)
            elif end and roll < 0.72:
                row.update(status="declined", declined_at=end, decline_reason="Fuori ambito.")
        requests.append(row)
    _bulk(SupportRequest, requests)
    _bulk(SupportMessage, messages)
    return {"requests": len(requests), "messages": len(messages)}


def _after_seeding(models) -> None:
    """Move PostgreSQL's sequences past the explicit ids; fresh statistics for the planner on both databases."""
    if db.engine.dialect.name == "postgresql":
        for model in models:
            name = model.__tablename__
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                                    f"(SELECT max(id) FROM \"{name}\"))"))
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def _make_app(url: str):
    import atexit
    import shutil

    instance = tempfile.mkdtemp()
    atexit.register(shutil.rmtree, instance, ignore_errors=True)
    return create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, SEARCH_DIR=f"{instance}/search",
                      UPLOAD_FOLDER=f"{instance}/uploads")


def _memory() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MB. Linux's VmRSS / VmHWM belong to the process's own
    memory map, made at exec: ru_maxrss would carry over the parent's peak (the seeding's) across fork and exec."""
    import resource

    try:
        fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024
    except (OSError, KeyError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return peak, peak


def measure(url: str, which: str, profile: bool, trace: bool) -> dict:
    """One run of the computation in this (fresh) process: wall time, peak memory, statements, per group."""
    import cProfile
    import io
    import pstats
    import tracemalloc

    from app.indicators import compute, compute_network, compute_practices
    from app.indicators.context import last_ended_quarter

    app = _make_app(url)
    statements: list[int] = []
    groups: dict[str, list[float]] = {}

    def timed(name, function):
        def wrapper(*args):
            before, start = len(statements), time.perf_counter()
            try:
                return function(*args)
            finally:
                spent = groups.setdefault(name, [0.0, 0])
                spent[0] += time.perf_counter() - start
                spent[1] += len(statements) - before
        return wrapper

    class Timed:
        def __init__(self, module):
            self.compute = timed(module.__name__.rsplit(".", 1)[1], module.compute)

    in_place = [m.__name__.rsplit(".", 1)[1] for m in (*compute.GROUPS, compute_network, compute_practices)
                if not (m.__doc__ or "").startswith("Placeholder")]
    compute.GROUPS = tuple(Timed(module) for module in compute.GROUPS)
    for module in (compute_network, compute_practices):
        module.compute = timed(module.__name__.rsplit(".", 1)[1], module.compute)
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(1))
        db.session.execute(text("SELECT 1"))
        statements.clear()
        baseline = _memory()[0]
        if trace:
            tracemalloc.start()
        profiler = cProfile.Profile() if profile else None
        start = time.perf_counter()
        if profiler:
            profiler.enable()
        if which == "daily":
            computed = compute.run(NOW)
        else:
            computed = compute.run(period=last_ended_quarter(NOW))
        if profiler:
            profiler.disable()
        wall = time.perf_counter() - start
        heap = tracemalloc.get_traced_memory()[1] if trace else None
        peak = _memory()[1]
        report = None
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
            report = out.getvalue()
    issued = len(statements)
    pages = _time_pages(app, statements) if which == "quarter" else []
    return {"which": which, "communities": computed, "wall": wall, "statements": issued,
            "baseline_mb": baseline, "peak_mb": peak, "heap_mb": heap / 2**20 if heap else None,
            "groups": groups, "in_place": in_place, "profile": report, "pages": pages}


def _time_pages(app, statements: list) -> list:
    """The pages reading the snapshots, anonymous, on the busiest open community: (label, status, median ms,
    statements). They must not depend on the data's size (the pages read snapshots, never recompute)."""
    import statistics

    from sqlalchemy import select

    from app.models import Community

    with app.app_context():
        slug = db.session.execute(select(Community.slug).where(Community.visibility == "open")
                                  .order_by(Community.id).limit(1)).scalar()
    client, found = app.test_client(), []
    for label, path, headers in (
            ("community Indicatori tab", f"/communities/{slug}/indicators", {}),
            ("drill-down Q1, htmx", f"/communities/{slug}/indicators/Q1", {"HX-Request": "true"}),
            ("drill-down M1P (people), htmx", f"/communities/{slug}/indicators/M1P", {"HX-Request": "true"}),
            ("community CSV", f"/communities/{slug}/indicators.csv", {}),
            ("observatory", "/observatory", {})):
        timings, status = [], None
        for _ in range(3):
            statements.clear()
            start = time.perf_counter()
            status = client.get(path, headers=headers).status_code
            timings.append((time.perf_counter() - start) * 1000)
        found.append((label, status, statistics.median(timings), len(statements)))
    return found


def _throwaway(server: str) -> tuple[str, object]:
    """A fresh database on the PostgreSQL server of `server`, and the function that drops it."""
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"ocpa_bench_indicators_{os.getpid()}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return server.rsplit("/", 1)[0] + "/" + name, drop


def main(scale: float, server: str | None, profile: bool, trace: bool, keep: bool) -> int:
    import platform
    import shutil
    import sqlite3

    if server and server.startswith("postgresql"):
        url, drop = _throwaway(server)
    elif server:
        url, drop = server, lambda: None
    else:
        folder = tempfile.mkdtemp()
        url, drop = f"sqlite:///{folder}/bench.db", lambda: shutil.rmtree(folder, ignore_errors=True)
    if keep:
        print(f"  --keep: the database stays at {url}; time it again with --measure daily|quarter "
              f"--database-url {url}")
        drop = lambda: None  # noqa: E731
    print(f"Indicators compute, {datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}, database {url.split(':')[0]}, "
          f"scale {scale}, NOW {NOW:%Y-%m-%d %H:%M}", flush=True)
    try:
        app = _make_app(url)
        with app.app_context():
            if server and not server.startswith("postgresql") and inspect(db.engine).get_table_names():
                print(f"  {url} already has tables: give an empty database (nothing was touched)")
                return 1
            db.drop_all()
            db.create_all()
            start = time.perf_counter()
            counts = seed(scale)
            print(f"  seeded in {time.perf_counter() - start:.0f} s: "
                  + ", ".join(f"{value:,} {key}" for key, value in counts.items()), flush=True)
            db.session.remove()
            db.engine.dispose()
        for which in ("daily", "quarter"):
            args = [sys.executable, __file__, "--measure", which, "--database-url", url]
            args += ["--profile"] if profile else []
            args += ["--tracemalloc"] if trace else []
            done = subprocess.run(args, capture_output=True, text=True)
            if done.returncode:
                print(f"  {which}: FAILED\n{done.stderr[-4000:]}", flush=True)
                continue
            result = json.loads(done.stdout.strip().splitlines()[-1])
            heap = f", Python heap peak {result['heap_mb']:.0f} MB" if result["heap_mb"] else ""
            print(f"  {which} run: {result['communities']} communities in {result['wall']:.1f} s, "
                  f"{result['statements']:,} statements, peak resident memory {result['peak_mb']:.0f} MB "
                  f"(before the run {result['baseline_mb']:.0f} MB){heap}", flush=True)
            for name, (spent, issued) in sorted(result["groups"].items(), key=lambda item: -item[1][0]):
                print(f"    {name:<18} {spent:7.1f} s  {issued:6,} statements")
            print(f"    group computations in place: {', '.join(result['in_place']) or 'none'}")
            for label, status, median, issued in result["pages"]:
                print(f"    page {label:<30} {status}, median {median:7.1f} ms, {issued:3d} statements")
            if result["profile"]:
                print(result["profile"])
    finally:
        drop()
    return 0


if __name__ == "__main__":
    argv = sys.argv[1:]
    option = {name: argv[argv.index(name) + 1] for name in ("--scale", "--database-url", "--measure")
              if name in argv}
    if "--measure" in option:
        print(json.dumps(measure(option["--database-url"], option["--measure"], "--profile" in argv,
                                 "--tracemalloc" in argv)))
        sys.exit(0)
    sys.exit(main(float(option.get("--scale", 1)), option.get("--database-url"), "--profile" in argv,
                  "--tracemalloc" in argv, "--keep" in argv))
