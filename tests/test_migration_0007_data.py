"""Migration 0007 on existing rows, on SQLite and PostgreSQL (issue 11, points 3, 4 and 9): organisations get their
Italian sort key, old deployment log entries their adoption, old co-donor entries lose the inviter's name."""
from __future__ import annotations

from datetime import date, datetime

from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from app.extensions import db
from config import TestConfig
from tests.conftest import PROJECT_ROOT
from tests.test_migrations import empty_database  # noqa: F401 (the fixture: one database per engine)

NOW = datetime(2026, 1, 1)


def _insert(connection, table: str, **values) -> int:
    columns = ", ".join(values)
    marks = ", ".join(f":{key}" for key in values)
    connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({marks})"), values)
    return connection.execute(text(f"SELECT max(id) FROM {table}")).scalar()


def _org(connection, name: str, slug: str) -> int:
    return _insert(connection, "organization", name=name, slug=slug, kind="public_administration",
                   description="", status="active", created_at=NOW)


def test_existing_rows_are_brought_up_to_date(empty_database):  # noqa: F811
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=empty_database)
    directory = str(PROJECT_ROOT / "migrations")
    with app.app_context():
        upgrade(directory=directory, revision="0006")
        with db.engine.begin() as connection:
            chieri = _org(connection, "Comune di Chieri", "chieri")
            bari = _org(connection, "Ànzola dell'Emilia", "anzola")
            community = _insert(connection, "community", name="Aperta", slug="aperta", theme="procurement",
                                description="", visibility="open", scope="national", created_at=NOW)
            practice = _insert(connection, "practice", title="Pratica", slug="pratica", summary="", description="",
                               kind="organisational", status="published", community_id=community, donor_id=chieri,
                               theme="procurement", kit_completeness=0, created_at=NOW, updated_at=NOW)
            adoption = _insert(connection, "adoption", practice_id=practice, organization_id=bari,
                               status="completed", notes="", created_at=NOW, updated_at=NOW)
            _insert(connection, "deployment", adoption_id=adoption, practice_id=practice, organization_id=bari,
                    deployed_on=date(2026, 1, 1), size="m", territory="T", adaptations="", effort="", outcome="O",
                    lessons="", contact="", created_at=NOW, updated_at=NOW)
            for note in ("Dispiegamento registrato da Ànzola dell'Emilia.", "Pubblicata la versione 1.0 del KIT.",
                         "Ànzola dell'Emilia invitato come co-cedente da Carla Cedente."):
                _insert(connection, "kit_maintenance_entry", practice_id=practice, created_at=NOW, note=note)
        upgrade(directory=directory)
        with db.engine.connect() as connection:
            keys = dict(connection.execute(text("SELECT name, sort_name FROM organization")).fetchall())
            entries = dict(connection.execute(text("SELECT note, adoption_id FROM kit_maintenance_entry")).fetchall())
        db.engine.dispose()
    assert keys == {"Comune di Chieri": "comune di chieri", "Ànzola dell'Emilia": "anzola dell'emilia"}
    assert entries == {"Dispiegamento registrato da Ànzola dell'Emilia.": adoption,
                       "Pubblicata la versione 1.0 del KIT.": None,
                       "Ànzola dell'Emilia invitato come co-cedente.": None}
