"""Real processes: two web processes editing at once lose no edit; a killed worker loses none either."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Organization, SearchPending
from tests.conftest import PROJECT_ROOT, index_now, make_practice

EDITOR = """
import sys, time
from sqlalchemy import func, select
from app import create_app
from app.extensions import db
from app.models import Practice, SearchPending
from app.search.writer import ensure_thread

app = create_app()
ids, tag, rounds = [int(i) for i in sys.argv[1].split(",")], sys.argv[2], int(sys.argv[3])
ensure_thread(app)  # as the first request would
with app.app_context():
    for r in range(rounds):
        for i in ids:
            db.session.get(Practice, i).title = f"Titolo {tag} giro{r} codice{i}"
            db.session.commit()
    deadline = time.time() + 60
    while time.time() < deadline:
        left = db.session.scalar(select(func.count(SearchPending.id)))
        db.session.rollback()
        if not left:
            break
        time.sleep(0.1)
    print("left", left)
"""


def environment(app, tmp_path, writer: str) -> dict:
    return {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "OCPA_SEARCH_DIR": app.config["SEARCH_DIR"], "OCPA_INSTANCE_DIR": str(tmp_path),
            "OCPA_SEARCH_WRITER": writer, "OCPA_SEARCH_POLL_SECONDS": "0.2", "FLASK_APP": "wsgi",
            "PYTHONPATH": str(PROJECT_ROOT)}


def pending(app) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count(SearchPending.id)))
        db.session.remove()
        return count


def titles(client, q) -> list[str]:
    body = client.get("/search", query_string={"q": q}).get_data(as_text=True)
    return re.findall(r'<h2 class="h5 card-title"><a href="[^"]+">([^<]+)</a>', body)


def wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def practices(app, pworld):
    with app.app_context():
        chieri = db.session.execute(select(Organization).where(Organization.name == "Comune di Chieri")).scalar_one()
        ids = [make_practice(f"Pratica di partenza {n}", pworld.open_community, chieri).id for n in range(8)]
        db.session.commit()
    index_now(app)
    return ids


def test_two_processes_editing_at_once_get_every_edit_indexed(app, client, practices, tmp_path):
    env = environment(app, tmp_path, "thread")
    halves = [practices[:4], practices[4:]]
    editors = [subprocess.Popen([sys.executable, "-c", EDITOR, ",".join(map(str, ids)), tag, "5"], env=env,
                                cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for ids, tag in zip(halves, ("alfa", "beta"))]
    for editor in editors:
        out, err = editor.communicate(timeout=120)
        assert editor.returncode == 0, err[-2000:]
        assert "left 0" in out, err[-2000:]
    # No index_now here: the two processes' writer threads did all the work between them.
    assert pending(app) == 0
    with app.app_context():
        report = app.extensions["search_index"].status()
        db.session.remove()
    assert not any(report["drift"].values()), report["drift"]
    for ids, tag in zip(halves, ("alfa", "beta")):
        for i in ids:
            assert titles(client, f"{tag} giro4 codice{i}") == [f"Titolo {tag} giro4 codice{i}"]


def test_a_killed_worker_loses_nothing(app, client, practices, tmp_path):
    env = environment(app, tmp_path, "worker")
    command = [sys.executable, "-m", "flask", "search", "worker", "--interval", "0.2"]
    worker = subprocess.Popen(command, env=env, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        edit(app, practices[0], "Prima modifica applicata dal worker")
        assert wait_for(lambda: titles(client, "applicata worker") == ["Prima modifica applicata dal worker"])
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)

        edit(app, practices[1], "Seconda modifica mentre il worker è morto")
        time.sleep(0.5)
        assert pending(app) == 1 and titles(client, "morto") == []

        worker = subprocess.Popen(command, env=env, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE)
        assert wait_for(lambda: pending(app) == 0)
        assert titles(client, "morto") == ["Seconda modifica mentre il worker è morto"]
    finally:
        worker.kill()
        worker.wait(timeout=10)


def edit(app, practice_id: int, title: str) -> None:
    from app.models import Practice

    with app.app_context():
        db.session.get(Practice, practice_id).title = title
        db.session.commit()
        db.session.remove()
