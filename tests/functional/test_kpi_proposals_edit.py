"""Editing a KPI (issue 16): a proposal in place, a published one through a new version with its change note (old
version kept, adopters told), deprecated and withdrawn ones never; who may, full page and htmx, nothing half-saved."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import KpiChange, KpiDefinition, KpiVersion, Notification
from tests.conftest import login, post
from tests.functional.test_kpi_proposals import counts, record, sender

# which: {role: outcome} — "ok", "denied" (403), "hidden" (404)
MATRIX = {
    "proposed": {"member": "ok", "adopter": "ok", "facilitator": "ok", "admin": "ok", "peer": "denied",
                 "outsider": "hidden", "staff": "hidden", "region_person": "hidden"},
    "in_review": {"region_person": "ok", "staff": "ok", "admin": "ok", "member": "hidden", "facilitator": "hidden",
                  "outsider": "hidden"},
    "published": {"facilitator": "ok", "admin": "ok", "adopter": "denied", "member": "denied", "peer": "denied",
                  "outsider": "denied", "staff": "denied"},
    "deprecated": {"facilitator": "denied", "admin": "denied", "adopter": "denied", "outsider": "denied"},
    "withdrawn": {"facilitator": "denied", "admin": "denied", "member": "denied", "outsider": "hidden",
                  "peer": "hidden"},
}
CODES = {"ok": 200, "denied": 403, "hidden": 404}


def snapshot(app, definition_id: int):
    with app.app_context():
        definition = db.session.get(KpiDefinition, definition_id)
        version = definition.current_version
        return (definition.status, definition.current_version_id, version.name, version.unit, version.tags,
                tuple(sorted(t.id for t in version.terms)), counts(app))


@pytest.mark.parametrize("which", list(MATRIX))
def test_edit_matrix(app, kworld, which):
    target = getattr(kworld, which)
    url = f"/kpi/{target.slug}/edit"
    anonymous = app.test_client()
    assert anonymous.get(url).status_code == 302
    base = record(app, change_note="Una nota")
    for role, outcome in MATRIX[which].items():
        client = app.test_client()
        login(client, getattr(kworld, role))
        page = client.get(url)
        assert page.status_code == CODES[outcome], (which, role, page.status_code)
        fragment = client.get(url, headers={"HX-Request": "true"})
        assert fragment.status_code == CODES[outcome], (which, role)
        if outcome == "ok":
            assert "<html" not in fragment.get_data(as_text=True)
            assert 'id="kpi-definition-form"' in fragment.get_data(as_text=True)
        if outcome == "denied" and which in ("deprecated", "withdrawn"):
            assert "non si modifica più" in page.get_data(as_text=True)
        before = snapshot(app, target.id)
        response = sender(client)(url, {**base, "name": f"Nome rivisto da {role}"})
        if outcome == "ok":
            assert response.status_code == 303, (which, role, response.get_data(as_text=True)[:500])
            assert snapshot(app, target.id)[2] == f"Nome rivisto da {role}"
        else:
            assert response.status_code == CODES[outcome], (which, role)
            assert snapshot(app, target.id) == before


def test_proposal_is_edited_in_place(app, client, kworld):
    login(client, kworld.member)
    page = client.get(f"/kpi/{kworld.proposed.slug}/edit").get_data(as_text=True)
    assert 'value="Posti nido ogni 100 bambini"' in page and "senza crearne una nuova" in page
    assert 'name="change_note"' not in page
    before = counts(app)
    response = post(client, f"/kpi/{kworld.proposed.slug}/edit",
                    record(app, name="Posti nido ogni 100 bambini 0-2 anni", tags="nidi"))
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/kpi/{kworld.proposed.slug}")
    with app.app_context():
        definition = db.session.get(KpiDefinition, kworld.proposed.id)
        assert [v.number for v in definition.versions] == [1]
        assert definition.current_version.name == "Posti nido ogni 100 bambini 0-2 anni"
        assert definition.current_version.tags == ["nidi"] and definition.status == "proposed"
        assert db.session.scalar(select(KpiChange.action).where(KpiChange.definition_id == definition.id)
                                 .order_by(KpiChange.id.desc()).limit(1)) == "edit"
    assert counts(app)[:2] == before[:2]


def test_published_edit_needs_a_change_note_and_makes_a_version(app, client, kworld):
    login(client, kworld.facilitator)
    url = f"/kpi/{kworld.published.slug}/edit"
    page = client.get(url).get_data(as_text=True)
    assert "create la versione 2" in page and 'name="change_note"' in page and 'name="breaks_series"' in page
    assert 'value="Tempo medio di pagamento delle fatture"' in page
    before = snapshot(app, kworld.published.id)
    data = record(app, name="Tempo medio ponderato di pagamento", unit="days", value_max="", formula_kind="description",
                  formula="Media ponderata per importo", change_note="")
    response = post(client, url, data)
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="change_note-error"' in text
    assert 'value="Tempo medio ponderato di pagamento"' in text  # the rest kept
    assert snapshot(app, kworld.published.id) == before
    with app.app_context():
        notified = db.session.scalar(select(func.count(Notification.id)))
    response = post(client, url, {**data, "change_note": "Media ponderata per importo delle fatture.",
                                  "breaks_series": "y"})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    with app.app_context():
        definition = db.session.get(KpiDefinition, kworld.published.id)
        assert [v.number for v in definition.versions] == [1, 2]
        old, new = definition.versions
        assert old.name == "Tempo medio di pagamento delle fatture" and old.change_note == ""
        assert new.name == "Tempo medio ponderato di pagamento" and new.breaks_series is True
        assert new.change_note == "Media ponderata per importo delle fatture."
        assert definition.current_version_id == new.id and definition.status == "published"
        told = set(db.session.scalars(select(Notification.user_id).where(Notification.verb == "kpi.new_version")))
        assert told == {kworld.adopter.id, kworld.peer.id}
        assert db.session.scalar(select(func.count(Notification.id))) == notified + 2


def test_new_version_htmx(app, client, kworld):
    login(client, kworld.admin)
    url = f"/kpi/{kworld.unadopted.slug}/edit"
    response = post(client, url, record(app, change_note=""), htmx=True)
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "<html" not in text and 'id="change_note-error"' in text
    response = post(client, url, record(app, change_note="Definizione riscritta."), htmx=True)
    assert response.status_code == 204 and response.headers["HX-Redirect"].endswith(f"/kpi/{kworld.unadopted.slug}")
    with app.app_context():
        definition = db.session.get(KpiDefinition, kworld.unadopted.id)
        assert definition.current_version.number == 2 and definition.current_version.breaks_series is False


def test_bad_edit_writes_nothing(app, client, kworld):
    login(client, kworld.member)
    before = snapshot(app, kworld.proposed.id)
    response = post(client, f"/kpi/{kworld.proposed.slug}/edit",
                    record(app, name="Nuovo nome", missions=["123456"], tags="a" * 50))
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="missions-error"' in text and 'id="tags-error"' in text
    assert 'value="Nuovo nome"' in text
    assert snapshot(app, kworld.proposed.id) == before


def test_edit_form_swaps_kind_when_published_meanwhile(app, client, kworld):
    """A proposal published while its edit page was open: the POST asks for the change note, writes nothing."""
    from app.kpi import core
    from app.models import User

    login(client, kworld.facilitator)
    with app.test_request_context():
        definition = db.session.get(KpiDefinition, kworld.proposed.id)
        facilitator = db.session.get(User, kworld.facilitator.id)
        core.move(definition, "start_review", facilitator)
        core.move(definition, "publish", facilitator)
        db.session.commit()
    before = snapshot(app, kworld.proposed.id)
    response = post(client, f"/kpi/{kworld.proposed.slug}/edit", record(app, name="Cambiato"))
    assert response.status_code == 422 and 'id="change_note-error"' in response.get_data(as_text=True)
    assert snapshot(app, kworld.proposed.id) == before


def test_unknown_slug_is_404(client, kworld):
    login(client, kworld.admin)
    assert client.get("/kpi/nessuno/edit").status_code == 404
    assert post(client, "/kpi/nessuno/edit", {}).status_code == 404


def test_edit_csrf_missing_is_400(app, client, kworld):
    login(client, kworld.member)
    before = snapshot(app, kworld.proposed.id)
    assert client.post(f"/kpi/{kworld.proposed.slug}/edit", data=record(app)).status_code == 400
    assert snapshot(app, kworld.proposed.id) == before


def test_version_rows_are_not_duplicated(app, client, kworld):
    login(client, kworld.facilitator)
    with app.app_context():
        before = db.session.scalar(select(func.count(KpiVersion.id)))
    post(client, f"/kpi/{kworld.unadopted.slug}/edit", record(app, change_note="Uno"))
    post(client, f"/kpi/{kworld.unadopted.slug}/edit", record(app, change_note="Due"))
    with app.app_context():
        assert db.session.scalar(select(func.count(KpiVersion.id))) == before + 2
        numbers = db.session.scalars(select(KpiVersion.number).where(KpiVersion.definition_id == kworld.unadopted.id)
                                     .order_by(KpiVersion.number)).all()
        assert numbers == [1, 2, 3]
