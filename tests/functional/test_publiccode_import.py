"""publiccode.yml import (web and CLI) and export: errors change nothing, re-imports update, round trip holds."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import KitVersion, Practice
from app.practices.publiccode import parse_publiccode, practice_fields
from tests.conftest import SHARED_DIR, csrf_token, login

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "publiccode"
CORPUS = SHARED_DIR / "corpus" / "publiccode"


def web_import(client, community_id, name=None, text=None, htmx=False):
    data = {"csrf_token": csrf_token(client, "/practices/import"), "community": str(community_id), "text": text or ""}
    if name:
        data["file"] = (io.BytesIO((FIXTURES / name).read_bytes()), name)
    return client.post("/practices/import", data=data, content_type="multipart/form-data",
                       headers={"HX-Request": "true"} if htmx else {})


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar()


def test_a_file_with_errors_is_listed_and_nothing_is_imported(app, client, pworld, as_user):
    as_user(pworld.donor)
    before = count(app, Practice)
    response = web_import(client, pworld.open_community.id, "errors.yml", htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "non è stato importato nulla" in body and "<html" not in body
    assert "<code>url</code>" in body  # the key path, with its line, in the error table
    assert count(app, Practice) == before
    malformed = web_import(client, pworld.open_community.id, "malformed.yml")
    assert malformed.status_code == 422 and "YAML" in malformed.get_data(as_text=True)


def test_import_as_draft_then_again_updates_without_a_new_version(app, client, pworld, as_user):
    as_user(pworld.donor)
    response = web_import(client, pworld.open_community.id, "minimal.yml")
    assert response.status_code == 303
    with app.app_context():
        practice = db.session.execute(select(Practice).where(Practice.kind == "software")).scalar_one()
        assert practice.status == "draft" and practice.donor_id is not None and practice.title == "Prenota Sportello"
        slug, practice_id = practice.slug, practice.id
    assert count(app, KitVersion, KitVersion.practice_id == practice_id) == 1
    again = web_import(client, pworld.open_community.id, "minimal.yml")
    assert again.status_code == 303 and count(app, Practice, Practice.kind == "software") == 1
    assert count(app, KitVersion, KitVersion.practice_id == practice_id) == 1
    assert "aggiornata dal publiccode.yml" in client.get(again.headers["Location"]).get_data(as_text=True)
    # The draft is the donors' own until they publish it.
    outsider = app.test_client()
    login(outsider, pworld.outsider)
    assert outsider.get(f"/practices/{slug}").status_code == 404
    assert outsider.get(f"/practices/{slug}/publiccode.yml").status_code == 404


def test_warnings_are_shown_but_do_not_block(app, client, pworld, as_user):
    as_user(pworld.donor)
    response = web_import(client, pworld.open_community.id, "legacy_v0_2.yml")
    assert response.status_code == 303
    assert "Avviso" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_export_round_trip(app, client, pworld, as_user):
    as_user(pworld.donor)
    original = (FIXTURES / "full_v0_4.yml").read_bytes()
    response = web_import(client, pworld.open_community.id, "full_v0_4.yml")
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    slug = response.headers["Location"].rsplit("/", 1)[-1]
    exported = client.get(f"/practices/{slug}/publiccode.yml")
    assert exported.status_code == 200 and exported.headers["Content-Disposition"].startswith("attachment")
    reparsed = parse_publiccode(exported.data)
    assert reparsed.ok, reparsed.errors
    before, after = practice_fields(parse_publiccode(original)), practice_fields(reparsed)
    for key in ("name", "short_description", "long_description", "licence", "url", "features", "platforms",
                "development_status", "maintenance", "dependencies"):
        assert after[key] == before[key], key
    # usedBy lists the adoptions the donors confirmed on the platform, not the file's unverified list.
    assert before["used_by"] and after["used_by"] == []
    # Importing the export again finds the same practice.
    client.post("/practices/import", data={"csrf_token": csrf_token(client, "/practices/import"),
                                           "community": str(pworld.open_community.id),
                                           "text": exported.get_data(as_text=True)})
    assert count(app, Practice, Practice.kind == "software") == 1


def test_organisational_practices_have_no_publiccode(client, pworld):
    assert client.get(f"/practices/{pworld.published.slug}/publiccode.yml").status_code == 404


def test_cli_imports_a_folder_idempotently_with_a_report(app, pworld, tmp_path):
    for name in ("minimal.yml", "full_v0_4.yml", "errors.yml", "malformed.yml"):
        (tmp_path / name).write_bytes((FIXTURES / name).read_bytes())
    runner = app.test_cli_runner()
    args = ["practices", "import-publiccode", str(tmp_path), "--community", pworld.open_community.slug,
            "--donor", "c_c627"]
    first = runner.invoke(args=args)
    assert first.exit_code == 0, first.output
    assert "minimal.yml: imported" in first.output and "errors.yml: rejected: url" in first.output
    assert "malformed.yml: rejected" in first.output and "Summary: 2 imported, 2 rejected" in first.output
    second = runner.invoke(args=args)
    assert "Summary: 2 rejected, 2 updated" in second.output
    assert count(app, Practice, Practice.kind == "software") == 2
    assert count(app, Practice, Practice.kind == "software", Practice.status == "published") == 2


def test_cli_imports_the_real_catalogue_files_without_losing_any(app, pworld):
    real = CORPUS / "real"
    if not real.is_dir():
        pytest.skip(f"the shared corpus is not beside the project ({real} missing)")
    files = sorted(real.glob("*.yml"))
    result = app.test_cli_runner().invoke(args=["practices", "import-publiccode", str(real), "--community",
                                                pworld.open_community.slug, "--donor", "c_c627"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith(str(real))]
    assert len(lines) == len(files)  # one report line per file: none silently lost
    assert all(": imported" in line or ": rejected: " in line for line in lines)
    imported = sum(": imported" in line for line in lines)
    assert imported >= 90 and count(app, Practice, Practice.kind == "software") == imported
    broken = app.test_cli_runner().invoke(args=["practices", "import-publiccode", str(CORPUS / "real_broken"),
                                                "--community", pworld.open_community.slug, "--donor", "c_c627"])
    assert broken.output.count("rejected") >= 2 and "YAML" in broken.output


def test_a_file_naming_another_organisation_changes_nothing(app, client, pworld, as_user):
    foreign = (FIXTURES / "full_v0_4.yml").read_text().replace("uc_colline", "c_c627")
    as_user(pworld.outsider)  # Comune di Bari imports a file that names the Comune di Chieri
    with app.app_context():
        from app.models import Membership

        db.session.add(Membership(community_id=pworld.open_community.id, user_id=pworld.outsider.id,
                                  status="active", role="member"))
        db.session.commit()
    before = count(app, Practice)
    response = web_import(client, pworld.open_community.id, text=foreign)
    assert response.status_code == 422 and "puoi importare solo le pratiche del tuo ente" in response.get_data(as_text=True)
    assert count(app, Practice) == before and count(app, KitVersion) == 3


def test_import_cannot_overwrite_a_practice_the_importer_may_not_edit(app, client, pworld, as_user):
    with app.app_context():
        chieri_practice = db.session.get(Practice, pworld.published.id)
        chieri_practice.repository_url = "https://example.org/comune-esempio/prenota-sportello"
        db.session.commit()
    as_user(pworld.outsider)
    with app.app_context():
        from app.models import Membership

        db.session.add(Membership(community_id=pworld.open_community.id, user_id=pworld.outsider.id,
                                  status="active", role="member"))
        db.session.commit()
    response = web_import(client, pworld.open_community.id, "minimal.yml")
    assert response.status_code == 422 and "Non puoi importare un publiccode.yml con questo repository" in \
        response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Practice, pworld.published.id).title == "Centrale unica di committenza"


def test_import_while_a_kit_draft_is_being_written_is_refused_not_a_crash(app, client, pworld, as_user):
    as_user(pworld.donor)
    web_import(client, pworld.open_community.id, "minimal.yml")
    with app.app_context():
        practice = db.session.execute(select(Practice).where(Practice.kind == "software")).scalar_one()
        slug = practice.slug
    client.post(f"/practices/{slug}/kit/edit", data={"csrf_token": csrf_token(client, f"/practices/{slug}/kit/edit"),
                                                     "section_costs": "Nessun costo di licenza."})
    again = web_import(client, pworld.open_community.id, "minimal.yml")
    assert again.status_code == 422 and "in scrittura" in again.get_data(as_text=True)


def test_cli_reports_every_file_even_when_one_breaks(app, pworld, tmp_path):
    long_url = (FIXTURES / "minimal.yml").read_text().replace(
        "https://example.org/comune-esempio/prenota-sportello.git", "https://example.org/" + "x" * 400 + ".git")
    (tmp_path / "a_long.yml").write_text(long_url)
    (tmp_path / "b_minimal.yml").write_bytes((FIXTURES / "minimal.yml").read_bytes())
    result = app.test_cli_runner().invoke(args=["practices", "import-publiccode", str(tmp_path), "--community",
                                                pworld.open_community.slug, "--donor", "c_c627"])
    assert "a_long.yml: rejected: url" in result.output and "b_minimal.yml: imported" in result.output


def test_cli_lenient_import_accepts_what_the_catalogue_lists_and_still_refuses_a_bad_url(app, pworld, tmp_path):
    minimal = (FIXTURES / "minimal.yml").read_text()
    flawed = minimal.replace("    shortDescription:", "    genericName: Prenotazione degli appuntamenti agli sportelli\n"
                                                         "    shortDescription:")
    flawed = flawed.replace("  type: internal\n", "  type: internal\n  contractors:\n    - name: Ditta Srl\n"
                                                  "      until: 2030-01-01\n")
    (tmp_path / "flawed.yml").write_text(flawed)
    (tmp_path / "errors.yml").write_bytes((FIXTURES / "errors.yml").read_bytes())
    args = ["practices", "import-publiccode", str(tmp_path), "--community", pworld.open_community.slug,
            "--donor", "c_c627"]
    strict = app.test_cli_runner().invoke(args=args)
    assert "flawed.yml: rejected: description.it.genericName" in strict.output
    assert count(app, Practice, Practice.kind == "software") == 0
    lenient = app.test_cli_runner().invoke(args=args + ["--lenient"])
    assert "flawed.yml: imported: prenota-sportello (3 warnings)" in lenient.output
    assert "errors.yml: rejected: url" in lenient.output
    with app.app_context():
        practice = db.session.execute(select(Practice).where(Practice.kind == "software")).scalar_one()
        assert practice.publiccode["generic_name"] == "Prenotazione degli appuntamenti agli sportelli"
