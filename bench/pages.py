"""Benchmark: the busiest list pages with many rows (prints figures; never a pass/fail test).

Usage: .venv/bin/python bench/pages.py [ROWS]   (SQLite in a temporary folder; DATABASE_URL for another database)
Seeds ROWS organisations, ROWS/10 communities with members, ROWS practices with a published kit, each confirmed-reused
with a deployment record by the next organisation, and ROWS support requests to the first practice; then times the
archive, a practice page (overview with its service figures, kit, deployments), the donor's profile, the community
directory and a community home, and counts their SQL statements.

Usage: .venv/bin/python bench/pages.py qa [POSTS] [--small N] [--runs R] [--slowest K] [--sqlite|--postgresql]
Seeds POSTS posts (default 200,000: a tenth questions, about half answers, the rest comments, with revisions, tags,
votes, follows, reports and hidden items) by bulk inserts, once at the small size N (default 10,000: the Domande tab has three pages) and once at POSTS,
each in a throwaway SQLite file and, when PostgreSQL answers at 127.0.0.1:5432 (the tests' server), in a throwaway
PostgreSQL database (DATABASE_URL: that database only). Then times a busy question page (200 answers and 200
comments at the large size, 5 and 5 at the small one), the community's "Domande" tab and the practice's
"Discussione" tab, full page and htmx fragment, anonymous and signed in as the community's facilitator, and counts
their SQL statements: the counts must be the same at both sizes (the script says so). --slowest K prints the K
slowest statements of each page at the large size.
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
        {"name": f"Comune di Prova {n:05d}", "sort_name": f"comune di prova {n:05d}", "slug": f"comune-{n:05d}",
         "kind": "public_administration",
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



# --- Questions and answers (issue 12) -------------------------------------------------------------------------------

QA_PASSWORD = "Benchmark: una frase lunga 2026"
QA_TAGS = ["appalti", "mepa", "pnrr", "fondi-ue", "piao", "anticorruzione", "privacy", "gdpr", "spid", "pagopa",
           "app-io", "cloud", "protocollo", "conservazione", "trasparenza", "accesso-civico", "smart-working",
           "formazione", "bilancio", "tributi", "suap", "sue", "anagrafe", "ANPR", "mensa", "trasporti", "rifiuti",
           "energia", "sociale", "scuola"]
QA_COMMUNITIES = 20
QA_BODY = ("Nel nostro ente stiamo preparando la procedura e vorremmo sapere come avete impostato il capitolato, "
           "quali criteri avete usato e quanto tempo è servito. **Grazie** a chi risponde.")
QA_ANSWER = ("Noi abbiamo seguito il modello ANAC e la guida di AgID; il punto delicato è stato il calcolo dei costi "
             "della manodopera. Vi mando i riferimenti della delibera e il capitolato in formato aperto.")
QA_COMMENT = "Grazie, ci è utile: potete dire quanti lotti avete previsto?"


def _bulk(model, rows: list[dict], chunk: int = 20_000) -> None:
    """Insert many rows: COPY on PostgreSQL (executemany inserts ~7,000 rows/s there), executemany elsewhere.
    Columns left out get their model default, as an ORM insert would give them."""
    if not rows:
        return
    if db.engine.dialect.name != "postgresql":
        for start in range(0, len(rows), chunk):
            db.session.execute(insert(model), rows[start:start + chunk])
        return
    table = model.__table__
    given = set().union(*(row.keys() for row in rows))
    defaults = {column.name: column.default.arg(None) if column.default.is_callable else column.default.arg
                for column in table.columns
                if column.name not in given and column.default is not None and not column.primary_key}
    names = [c.name for c in table.columns if c.name in given or c.name in defaults]
    raw = db.session.connection().connection.driver_connection
    with raw.cursor() as cursor:
        with cursor.copy(f'COPY "{table.name}" ({", ".join(names)}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([row.get(name, defaults.get(name)) for name in names])


def seed_qa(posts: int, busy: int) -> dict:
    """POSTS posts by bulk inserts (a tenth questions, ~half answers, the rest comments) in QA_COMMUNITIES communities;
    question 1 (community 1, practice 1) is the busy one: BUSY answers and BUSY comments. Returns what the timing
    needs (slugs, ids, the facilitator's e-mail) and the row counts."""
    from app.auth.passwords import hash_password
    from app.models import Answer, Comment, Follow, Question, QuestionTag, Report, Revision, Vote
    from app.models.organization import collation_key

    communities = QA_COMMUNITIES
    people = max(250, posts // 100, busy + 10)
    organisations = max(50, people // 4)
    practices = max(communities, posts // 1000 // communities * communities)
    question_total = posts // 10
    db.session.execute(insert(Organization), [
        {"name": f"Comune di Prova {n:05d}", "sort_name": collation_key(f"Comune di Prova {n:05d}"),
         "slug": f"comune-{n:05d}", "kind": "public_administration", "pa_kind": "municipality",
         "region_code": f"{n % 20 + 1:02d}", "description": "", "status": "active", "created_at": WHEN}
        for n in range(organisations)])
    facilitator_hash = hash_password(QA_PASSWORD)
    org_of = {u: (u - 1) % organisations + 1 for u in range(1, people + 1)}
    _bulk(User, [
        {"id": u, "email": f"p{u}@example.it", "full_name": f"Persona {u}", "job_title": "",
         "password_hash": facilitator_hash if u == 1 else "x", "session_token": f"{u:032d}",
         "organization_id": org_of[u], "affiliation_status": "active", "is_referent": u <= organisations,
         "is_admin": False, "email_confirmed_at": WHEN, "created_at": WHEN, "notification_email": "never"}
        for u in range(1, people + 1)])
    db.session.execute(insert(Community), [
        {"id": c, "name": f"Comunità {c - 1}", "slug": f"comunita-{c - 1}", "theme": "procurement",
         "description": "Descrizione", "visibility": "open", "scope": "national", "created_at": WHEN}
        for c in range(1, communities + 1)])
    memberships = []
    for u in range(1, people + 1):  # everybody belongs to community 1 (the busy one) and to one more
        memberships.append({"community_id": 1, "user_id": u, "status": "active",
                            "role": "facilitator" if u == 1 else "member", "requested_at": WHEN, "joined_at": WHEN,
                            "updated_at": WHEN})
        if u % communities:
            memberships.append({"community_id": u % communities + 1, "user_id": u, "status": "active",
                                "role": "facilitator" if u <= communities else "member", "requested_at": WHEN,
                                "joined_at": WHEN, "updated_at": WHEN})
    _bulk(Membership, memberships)
    donor_of = {p: (p - 1) % organisations + 1 for p in range(1, practices + 1)}
    db.session.execute(insert(Practice), [
        {"id": p, "title": f"Pratica {p - 1}", "slug": f"pratica-{p - 1}", "summary": "Sintesi",
         "description": "Descrizione", "kind": "organisational", "status": "published",
         "community_id": (p - 1) % communities + 1, "donor_id": donor_of[p], "theme": "procurement",
         "kit_completeness": 33, "kit_updated_at": WHEN, "created_at": WHEN, "updated_at": WHEN, "published_at": WHEN}
        for p in range(1, practices + 1)])
    db.session.execute(insert(KitVersion), [
        {"practice_id": p, "label": "1.0", "status": "published", "changelog": "", "created_at": WHEN,
         "published_at": WHEN} for p in range(1, practices + 1)])

    minute = __import__("datetime").timedelta(minutes=1)
    questions, answers, comments, revisions, votes, follows, tags, reports = [], [], [], [], [], [], [], []
    answers_of: dict[int, list[int]] = {}
    per_community_practices = practices // communities
    for n in range(question_total):
        qid = n + 1
        community = n % communities + 1
        practice = None
        if n % 3 == 0:  # a third on practices; community 1's all on its practice 1 (a busy Discussione tab)
            practice = 1 if community == 1 else community + communities * ((n // communities) % per_community_practices)
        author = 1 + (n * 13 + 1) % people if n else 2
        created = WHEN + n * 20 * minute
        questions.append({"id": qid, "community_id": community, "practice_id": practice,
                          "title": f"Come avete gestito la procedura {n} per il servizio?", "body": QA_BODY,
                          "author_id": author, "organization_id": org_of[author], "status": "open", "pinned": n == 3,
                          "visibility": "hidden" if n % 97 == 5 else "visible", "needs_review": n % 97 == 5,
                          "hidden_at": created if n % 97 == 5 else None, "answer_count": 0, "vote_count": 0,
                          "created_at": created, "updated_at": created, "last_activity_at": created})
        for name in dict.fromkeys((QA_TAGS[n % 30], QA_TAGS[(n * 7 + 3) % 30])):
            tags.append({"question_id": qid, "name": name})
        revisions.append({"target_type": "question", "target_id": qid, "number": 1, "title": questions[-1]["title"],
                          "body": QA_BODY, "tags": "", "editor_id": author, "created_at": created})
        follows.append({"user_id": author, "target_type": "question", "target_id": qid, "level": "watching",
                        "created_at": created, "updated_at": created})
        if n % 97 == 5:
            reports.append({"community_id": community, "question_id": qid, "target_type": "question",
                            "target_id": qid, "reporter_id": 1, "organization_id": org_of[1], "by_facilitator": True,
                            "reason": "spam", "note": "", "created_at": created})
        count = busy if n == 0 else (n * 7) % 11
        for k in range(count):
            aid = len(answers) + 1
            answerer = k + 3 if n == 0 else 1 + (n * 13 + 2 + k) % people
            when = created + (k + 1) * 60 * minute
            hidden = aid % 41 == 0
            answers.append({"id": aid, "question_id": qid, "author_id": answerer, "organization_id": org_of[answerer],
                            "body": QA_ANSWER,
                            "official": practice is not None and org_of[answerer] == donor_of[practice],
                            "visibility": "hidden" if hidden else "visible", "needs_review": hidden,
                            "hidden_at": when if hidden else None, "vote_count": aid % 5, "created_at": when,
                            "updated_at": when})
            answers_of.setdefault(qid, []).append(aid)
            revisions.append({"target_type": "answer", "target_id": aid, "number": 1, "body": QA_ANSWER,
                              "editor_id": answerer, "created_at": when})
            if aid % 10 == 0:
                revisions.append({"target_type": "answer", "target_id": aid, "number": 2, "body": QA_ANSWER + " (agg.)",
                                  "editor_id": answerer, "created_at": when + minute})
            follows.append({"user_id": answerer, "target_type": "question", "target_id": qid, "level": "watching",
                            "created_at": when, "updated_at": when})
            for v in range(aid % 5):
                votes.append({"user_id": 1 + (answerer + v) % people, "target_type": "answer", "target_id": aid,
                              "created_at": when})
            if hidden:
                reports.append({"community_id": community, "question_id": qid, "target_type": "answer",
                                "target_id": aid, "reporter_id": 1, "organization_id": org_of[1],
                                "by_facilitator": True, "reason": "off_topic", "note": "", "created_at": when})
            question = questions[-1]
            if not hidden:
                question["answer_count"] += 1
            if answerer != author and question.get("first_answer_at") is None:
                question["first_answer_at"] = when
            question["last_activity_at"] = when
        for v in range(n % 4):
            votes.append({"user_id": 1 + (author + v) % people, "target_type": "question", "target_id": qid,
                          "created_at": created})
        questions[-1]["vote_count"] = n % 4
    # Comments: the busy question's first, then round-robin over the others, on the question or one of its answers.
    comment_total = max(posts - len(questions) - len(answers), busy)
    busy_answers = answers_of.get(1, [])
    for j in range(comment_total):
        if j < busy:
            qid = 1
            answer_id = busy_answers[j // 2] if j % 2 and busy_answers else None
            commenter = 1 + (j + 5) % people
        else:
            qid = 2 + (j - busy) % (question_total - 1)
            own = answers_of.get(qid, [])
            answer_id = own[(j // question_total) % len(own)] if own and j % 2 == 0 else None
            commenter = 1 + (qid * 11 + j) % people
        when = questions[qid - 1]["created_at"] + (j % 50 + 1) * 7 * minute
        hidden = (j + 1) % 53 == 0
        comments.append({"id": j + 1, "question_id": qid, "answer_id": answer_id, "author_id": commenter,
                         "organization_id": org_of[commenter], "body": QA_COMMENT,
                         "visibility": "hidden" if hidden else "visible", "needs_review": hidden,
                         "hidden_at": when if hidden else None, "created_at": when, "updated_at": when})
        revisions.append({"target_type": "comment", "target_id": j + 1, "number": 1, "body": QA_COMMENT,
                          "editor_id": commenter, "created_at": when})
    _bulk(Question, questions)
    _bulk(QuestionTag, tags)
    _bulk(Answer, answers)
    _bulk(Comment, comments)
    _bulk(Revision, revisions)
    _bulk(Vote, votes)
    _bulk(Follow, follows)
    _bulk(Report, reports)
    # Every third question with a visible answer is solved (its first visible answer accepted by the asker);
    # every fiftieth still open one closed as out of scope. One statement each (row-by-row updates are slow; a
    # correlated subquery took 70 s on PostgreSQL, and even this join takes 100 s there before ANALYZE: 1 s after).
    from sqlalchemy import text
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.execute(text(
        "UPDATE question SET status = 'solved', accepted_by_id = author_id, accepted_at = last_activity_at, "
        "accepted_answer_id = first.answer_id FROM (SELECT question_id, min(id) AS answer_id FROM answer "
        "WHERE visibility = 'visible' GROUP BY question_id) AS first "
        "WHERE first.question_id = question.id AND (question.id % 3 = 1 OR question.id = 1) "
        "AND question.visibility = 'visible'"))
    db.session.execute(text("UPDATE question SET status = 'closed', close_reason = 'out_of_scope', closed_by_id = 1, "
                            "closed_at = last_activity_at WHERE id % 50 = 7 AND status = 'open'"))
    db.session.commit()
    if db.engine.dialect.name == "postgresql":  # ids were written explicitly: move the sequences past them
        for model in (User, Community, Practice, Question, Answer, Comment):
            name = model.__tablename__
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                                    f"(SELECT max(id) FROM \"{name}\"))"))
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    elif db.engine.dialect.name == "sqlite":
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return {"questions": len(questions), "answers": len(answers), "comments": len(comments),
            "posts": len(questions) + len(answers) + len(comments), "revisions": len(revisions),
            "votes": len(votes), "follows": len(follows), "people": people, "practices": practices,
            "community_questions": sum(1 for q in questions if q["community_id"] == 1),
            "practice_questions": sum(1 for q in questions if q["practice_id"] == 1),
            "busy_answers": len(busy_answers), "busy_comments": sum(1 for c in comments if c["question_id"] == 1)}


QA_PAGES = (
    ("question page (busy)", "/questions/1", {}),
    ("question page, htmx", "/questions/1", {"HX-Request": "true"}),
    ("Domande tab", "/communities/comunita-0/questions", {}),
    ("Domande tab, htmx p.2", "/communities/comunita-0/questions?page=2", {"HX-Request": "true"}),
    ("Domande, solved by votes", "/communities/comunita-0/questions?filter=solved&sort=votes", {}),
    ("Discussione tab", "/practices/pratica-0?tab=discussion", {}),
    ("Discussione tab, htmx", "/practices/pratica-0?tab=discussion", {"HX-Request": "true",
                                                                      "HX-Target": "practice-tab"}),
)


def _sign_in(client, email: str, password: str) -> None:
    import re

    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/auth/login", data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code in (302, 303), "the facilitator could not sign in"


def time_qa(url: str, posts: int, busy: int, runs: int, slowest: int = 0) -> dict:
    """Seed a fresh database at URL and time the Q&A pages; returns {(label, who): (status, median, max, queries)}.
    SLOWEST > 0 prints that many of the slowest statements of each page's last request."""
    instance = tempfile.mkdtemp()
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, SEARCH_DIR=f"{instance}/search",
                     UPLOAD_FOLDER=f"{instance}/uploads")
    with app.app_context():
        db.drop_all()
        db.create_all()
        start = time.perf_counter()
        counts = seed_qa(posts, busy)
        print(f"  seeded {counts['posts']:,} posts ({counts['questions']:,} questions, {counts['answers']:,} answers, "
              f"{counts['comments']:,} comments; {counts['revisions']:,} revisions, {counts['votes']:,} votes, "
              f"{counts['follows']:,} follows; {counts['people']:,} people) in {time.perf_counter() - start:.1f} s; "
              f"community 1: {counts['community_questions']:,} questions, practice 1: "
              f"{counts['practice_questions']:,}, busy question: {counts['busy_answers']} answers, "
              f"{counts['busy_comments']} comments", flush=True)
        statements: list[list] = []  # [statement, seconds]

        def before(conn, cursor, statement, *args):
            statements.append([statement, time.perf_counter()])

        def after(conn, cursor, statement, *args):
            statements[-1][1] = time.perf_counter() - statements[-1][1]

        event.listen(db.engine, "before_cursor_execute", before)
        event.listen(db.engine, "after_cursor_execute", after)
    results = {}
    anonymous, facilitator = app.test_client(), app.test_client()
    _sign_in(facilitator, "p1@example.it", QA_PASSWORD)
    for who, client in (("anonymous", anonymous), ("facilitator", facilitator)):
        for label, path, headers in QA_PAGES:
            timings, status = [], None
            for _ in range(runs):
                statements.clear()
                start = time.perf_counter()
                try:
                    status = client.get(path, headers=headers).status_code
                except Exception as error:  # a page still being written: say so, time the others
                    status = f"{type(error).__name__}: {str(error)[:90]}"
                timings.append((time.perf_counter() - start) * 1000)
                if status != 200:
                    break
            results[(label, who)] = (status, statistics.median(timings), max(timings), len(statements))
            if status == 200:
                sql = sum(seconds for _, seconds in statements) * 1000
                print(f"  {label:<26} {who:<11}: median {statistics.median(timings):6.1f} ms, "
                      f"max {max(timings):6.1f} ms, {len(statements):3d} queries ({sql:5.1f} ms in SQL)", flush=True)
                if slowest:
                    for statement, seconds in sorted(statements, key=lambda item: -item[1])[:slowest]:
                        print(f"      {seconds * 1000:7.1f} ms  {' '.join(statement.split())[:300]}")
            else:
                print(f"  {label:<26} {who:<11}: answered {status} (page not ready?)", flush=True)
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    return results


def _throwaway_postgres() -> tuple[str, object] | None:
    """A fresh database on the tests' PostgreSQL server, or None when none answers."""
    from sqlalchemy import create_engine, text

    server = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    try:
        admin = create_engine(server, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        name = f"ocpa_bench_{os.getpid()}"
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # no server: SQLite only
        print(f"PostgreSQL not reachable ({type(error).__name__}): SQLite only")
        return None

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return server.rsplit("/", 1)[0] + "/" + name, drop


def qa_main(posts: int, small: int, runs: int, slowest: int = 0, only: str | None = None) -> int:
    import platform
    import sqlite3

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.machine()) if Path("/proc/cpuinfo").exists() else ""
    print(f"Q&A pages, {datetime.now():%Y-%m-%d %H:%M}, {cpu}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")
    backends = []
    if os.environ.get("DATABASE_URL"):
        backends.append(("DATABASE_URL", lambda: (os.environ["DATABASE_URL"], lambda: None)))
    else:
        if only in (None, "sqlite"):
            backends.append(("sqlite", lambda: (f"sqlite:///{tempfile.mkdtemp()}/bench.db", lambda: None)))
        if only in (None, "postgresql"):
            backends.append(("postgresql", _throwaway_postgres))
    differ = False
    for name, make in backends:
        sizes = {}
        for size, busy in ((small, 5), (posts, 200)):
            made = make()
            if made is None:
                break
            url, drop = made
            print(f"{name}, {size:,} posts:", flush=True)
            try:
                sizes[size] = time_qa(url, size, busy, runs, slowest if size == posts else 0)
            finally:
                drop()
        if len(sizes) == 2:
            low, high = sizes[small], sizes[posts]
            for key in low:
                if low[key][0] == 200 and high[key][0] == 200 and low[key][3] != high[key][3]:
                    differ = True
                    print(f"  QUERY COUNT DIFFERS: {key[0]} ({key[1]}): {low[key][3]} at {small:,} posts, "
                          f"{high[key][3]} at {posts:,}")
            if not differ:
                print(f"  {name}: every page that answered issues the same number of statements at {small:,} "
                      f"and {posts:,} posts")
    return 1 if differ else 0


def _arguments(argv: list[str]) -> tuple[int, int, int, int, str | None]:
    posts, small, runs, slowest, only = 200_000, 10_000, 20, 0, None
    rest = list(argv)
    while rest:
        item = rest.pop(0)
        if item == "--small":
            small = int(rest.pop(0))
        elif item == "--runs":
            runs = int(rest.pop(0))
        elif item == "--slowest":
            slowest = int(rest.pop(0))
        elif item in ("--sqlite", "--postgresql"):
            only = item[2:]
        else:
            posts = int(item)
    return posts, small, runs, slowest, only


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "qa":
        sys.exit(qa_main(*_arguments(sys.argv[2:])))
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
