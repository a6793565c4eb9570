"""The KPI foundation: the world loads, the core steps move a definition and write versions (issue 16)."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.kpi import core
from app.kpi.workflow import KpiWorkflowError
from app.models import KpiChange, KpiDefinition, User


def test_world_and_definition_page(app, client, kworld):
    assert client.get(f"/kpi/{kworld.published.slug}").status_code == 200
    assert client.get(f"/kpi/{kworld.proposed.slug}").status_code == 404


def test_publish_then_edit_makes_a_version(app, kworld):
    with app.test_request_context():
        facilitator = db.session.get(User, kworld.facilitator.id)
        definition = db.session.get(KpiDefinition, kworld.proposed.id)
        core.move(definition, "start_review", facilitator)
        with pytest.raises(KpiWorkflowError):
            core.move(definition, "return", facilitator, note="")
        core.move(definition, "publish", facilitator)
        db.session.commit()
        fields = {"name": "Posti nido ogni 100 bambini 0-2 anni", "unit": "per_100"}
        with pytest.raises(KpiWorkflowError):
            core.write_version(definition, core.VersionData(fields), facilitator)
        version = core.write_version(definition, core.VersionData(fields), facilitator, change_note="Fascia 0-2",
                                     breaks_series=True)
        db.session.commit()
        assert version.number == 2 and definition.current_version_id == version.id
        assert [v.number for v in definition.versions] == [1, 2]
        assert db.session.query(KpiChange).filter_by(definition_id=definition.id).count() == 4
