"""The index agrees with the database after every kind of change, after crashes, and when its files are lost."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Community, Organization, Practice, PracticeTag, SearchPending
from app.search import documents
from app.search.schema import SCHEMA_VERSION
from tests.conftest import index_now, make_practice, post
from tests.functional.test_practices import kit_form, practice_form


def status(app) -> dict:
    with app.app_context():
        report = app.extensions["search_index"].status()
        db.session.remove()
        return report


def drift(app) -> int:
    return sum(len(ids) for ids in status(app)["drift"].values())


def pending(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(SearchPending.id)))


def titles(client, q, **args) -> list[str]:
    body = client.get("/search", query_string={"q": q, **args}).get_data(as_text=True)
    return re.findall(r'<h2 class="h5 card-title"><a href="[^"]+">([^<]+)</a>', body)


@pytest.fixture
def indexed(app, pworld):
    index_now(app)
    assert drift(app) == 0 and pending(app) == 0
    return pworld


def test_the_donors_journey_keeps_the_index_in_step(app, client, indexed, as_user):
    from app.models import User

    with app.app_context():  # the donor publishes, so is its organisation's referent (issue 11, point 13)
        db.session.get(User, indexed.donor.id).is_referent = True
        db.session.commit()
    as_user(indexed.donor)
    post(client, "/practices/new", practice_form(indexed.open_community.id, title="Mensa scolastica a km zero"),
         page="/practices/new")
    slug = "mensa-scolastica-a-km-zero"
    assert pending(app) > 0 and drift(app) == 1  # committed, not yet indexed: the status command sees it
    index_now(app)
    assert drift(app) == 0 and titles(client, "mensa") == ["Mensa scolastica a km zero"]

    edit_url = f"/practices/{slug}/kit/edit"
    post(client, edit_url, kit_form(context="Fornitori locali e menu stagionali."), page=edit_url)
    post(client, f"/practices/{slug}/kit/publish", {"label": "1.0", "changelog": "Prima"}, page=edit_url)
    post(client, f"/practices/{slug}/status/publish", page=f"/practices/{slug}")
    index_now(app)
    assert drift(app) == 0 and titles(client, "stagionali") == ["Mensa scolastica a km zero"]

    post(client, f"/practices/{slug}/edit", practice_form(indexed.open_community.id, title="Refezione a km zero",
                                                           tags="mense, biologico"), page=f"/practices/{slug}/edit")
    index_now(app)
    assert drift(app) == 0
    assert titles(client, "refezione biologico") == ["Refezione a km zero"] and titles(client, "mensa scolastica") == []

    post(client, f"/practices/{slug}/status/archive", page=f"/practices/{slug}")
    index_now(app)
    assert drift(app) == 0
    assert "Archiviata" in client.get("/search", query_string={"q": "refezione"}).get_data(as_text=True)


def test_renaming_a_community_or_an_organisation_reindexes_their_practices(app, client, indexed):
    with app.app_context():
        db.session.get(Community, indexed.open_community.id).name = "Rete dei piccoli comuni"
        db.session.execute(select(Organization).where(Organization.name == "Comune di Chieri")).scalar_one().name = \
            "Città di Chieri"
        db.session.commit()
    assert drift(app) > 0
    index_now(app)
    assert drift(app) == 0
    # The community is a facet, renamed there; its name is not words of every practice in it (issue 11, point 12).
    assert "Rete dei piccoli comuni" in client.get("/search", query_string={"q": "centrale"}).get_data(as_text=True)
    assert "Centrale unica di committenza" not in titles(client, "piccoli comuni")
    assert "Centrale unica di committenza" in titles(client, "città chieri")


def test_tags_and_deletion(app, client, indexed):
    with app.app_context():
        practice = db.session.get(Practice, indexed.published.id)
        practice.tags.append(PracticeTag(name="acquisti"))
        doomed = make_practice("Pratica da cancellare", indexed.open_community,
                               db.session.get(Organization, practice.donor_id), kit={})
        db.session.commit()
        doomed_id = doomed.id
    index_now(app)
    assert titles(client, "acquisti") == ["Centrale unica di committenza"]
    assert titles(client, "cancellare") == ["Pratica da cancellare"]
    with app.app_context():
        db.session.delete(db.session.get(Practice, doomed_id))
        db.session.commit()
    assert titles(client, "cancellare") == []  # hidden at once: the database no longer has it
    index_now(app)
    assert drift(app) == 0 and status(app)["index_documents"] == 4


def test_a_crash_between_index_commit_and_queue_cleanup_is_repaired_by_the_next_run(app, client, indexed,
                                                                                    monkeypatch):
    with app.app_context():
        db.session.get(Practice, indexed.published.id).title = "Centrale di committenza rinnovata"
        db.session.commit()

    def killed(*args, **kwargs):
        raise SystemExit("killed between the index commit and the queue cleanup")

    monkeypatch.setattr("app.search.index.delete", killed)
    with pytest.raises(SystemExit):
        index_now(app)
    monkeypatch.undo()
    assert pending(app) == 1  # the work is still queued
    index_now(app)
    assert pending(app) == 0 and drift(app) == 0
    assert titles(client, "rinnovata") == ["Centrale di committenza rinnovata"]


def test_an_edit_committed_during_a_rebuild_is_not_lost(app, client, indexed, monkeypatch):
    original = documents.documents_for

    def edit_while_building(ids):
        yield from original(ids)
        from sqlalchemy.orm import Session

        with Session(db.engine) as other:  # another request commits after the build has read everything
            other.get(Practice, indexed.published.id).title = "Titolo cambiato durante la ricostruzione"
            other.commit()

    monkeypatch.setattr(documents, "documents_for", edit_while_building)
    with app.app_context():
        app.extensions["search_index"].rebuild()
        db.session.remove()
    monkeypatch.undo()
    assert pending(app) == 1 and drift(app) == 1
    index_now(app)
    assert drift(app) == 0 and titles(client, "ricostruzione") == ["Titolo cambiato durante la ricostruzione"]


@pytest.mark.parametrize("damage", ["delete the directory", "corrupt the files", "older schema"])
def test_a_lost_or_broken_index_is_rebuilt_and_search_keeps_answering(app, client, indexed, damage, caplog):
    assert titles(client, "committenza") == ["Centrale unica di committenza"]
    base = Path(app.config["SEARCH_DIR"])
    pointer = json.loads((base / "CURRENT.json").read_text())
    if damage == "delete the directory":
        shutil.rmtree(base)
    elif damage == "corrupt the files":
        for path in (base / pointer["dir"]).iterdir():
            path.write_bytes(b"\x00garbage" * 10)
    else:
        pointer["schema_version"] = 0
        (base / "CURRENT.json").write_text(json.dumps(pointer))

    response = client.get("/search", query_string={"q": "committenza"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "temporaneamente incompleti" in body and "Centrale unica di committenza" in body
    assert "Bozza segreta" not in client.get("/search", query_string={"q": "bozza"}).get_data(as_text=True)

    index_now(app)
    assert "rebuilding it from the database" in caplog.text
    assert status(app)["healthy"] and drift(app) == 0
    body = client.get("/search", query_string={"q": "committenza"}).get_data(as_text=True)
    assert "temporaneamente incompleti" not in body and "Centrale unica di committenza" in body


def test_cli_reindex_status_and_optimize(app, indexed):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0 and "Index rebuilt: 4 documents." in result.output
    result = runner.invoke(args=["search", "status", "--check"])
    assert result.exit_code == 0, result.output
    assert "4 in the database, 4 in the index" in result.output and "Drift:               0" in result.output
    assert "Pending work:        0" in result.output and f"Schema version:      {SCHEMA_VERSION}" in result.output
    with app.app_context():
        db.session.get(Practice, indexed.published.id).title = "Cambiata"
        db.session.commit()
    result = runner.invoke(args=["search", "status", "--check"])
    assert result.exit_code == 1 and "stale 1" in result.output and "Pending work:        1" in result.output
    result = runner.invoke(args=["search", "worker", "--once"])
    assert result.exit_code == 0 and "Applied: 1" in result.output
    result = runner.invoke(args=["search", "optimize"])
    assert result.exit_code == 0 and "Index optimised." in result.output
    assert runner.invoke(args=["search", "status", "--check"]).exit_code == 0


def test_damaged_segment_files_are_found_by_a_reader_and_rebuilt_by_the_writer(app, client, indexed):
    assert titles(client, "committenza") == ["Centrale unica di committenza"]
    base = Path(app.config["SEARCH_DIR"])
    directory = base / json.loads((base / "CURRENT.json").read_text())["dir"]
    app.extensions["search_index"]._close_searcher()
    for path in directory.glob("*.seg"):  # the table of contents stays intact: opening still works
        path.write_bytes(b"\x00garbage" * 10)
    body = client.get("/search", query_string={"q": "committenza"}).get_data(as_text=True)
    assert "temporaneamente incompleti" in body and "Centrale unica di committenza" in body
    report = status(app)
    assert not report["healthy"] or "damaged" in report.get("problem", "")  # reported, never a crash
    index_now(app)
    assert status(app)["healthy"] and drift(app) == 0
    assert "temporaneamente incompleti" not in client.get("/search", query_string={"q": "committenza"}).get_data(
        as_text=True)


def test_an_index_of_newer_code_is_left_alone_during_a_rolling_deploy(app, client, indexed, caplog):
    base = Path(app.config["SEARCH_DIR"])
    pointer = json.loads((base / "CURRENT.json").read_text())
    pointer["schema_version"] += 1
    (base / "CURRENT.json").write_text(json.dumps(pointer))
    assert index_now(app) is None and "left alone for the newer code" in caplog.text
    assert json.loads((base / "CURRENT.json").read_text())["dir"] == pointer["dir"]  # not rebuilt back
    assert "temporaneamente incompleti" in client.get("/search", query_string={"q": "committenza"}).get_data(
        as_text=True)


def test_a_rebuild_takes_the_queued_work_it_covers_off_the_queue(app, client, indexed):
    with app.app_context():
        db.session.get(Practice, indexed.published.id).title = "Centrale rinominata prima della ricostruzione"
        db.session.commit()
    assert pending(app) == 1
    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert pending(app) == 0 and drift(app) == 0
    assert titles(client, "rinominata") == ["Centrale rinominata prima della ricostruzione"]
