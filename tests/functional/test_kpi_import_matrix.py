"""Who may import values (issue 16): the people of an organisation with at least one active adoption — Chieri's
member and referent, Moncalieri's person — and nobody else (403; anonymous → sign in), for the page, the template and
the upload, full page and htmx, with what each POST changed (a value in the importer's own adoption, or nothing)."""
from __future__ import annotations

import html
import io

from sqlalchemy import func, select

from app.extensions import db
from app.models import KpiAdoption, KpiValue
from tests.conftest import csrf_token, login

IMPORTERS = {"member": "adoption", "adopter": "adoption", "peer": "peer_adoption"}
REFUSED = ("outsider", "facilitator", "staff", "region_person", "supplier_person", "admin")
ROLES = ("anonymous", *IMPORTERS, *REFUSED)


def client_as(app, kworld, role: str):
    client = app.test_client()
    if role != "anonymous":
        assert login(client, getattr(kworld, role)).status_code == 303
    return client


def values_by_adoption(app) -> dict[int, set[str]]:
    with app.app_context():
        found: dict[int, set[str]] = {}
        for adoption_id, period in db.session.execute(select(KpiValue.adoption_id, KpiValue.period)):
            found.setdefault(adoption_id, set()).add(period)
        return found


def assert_login(response, htmx: bool, where) -> None:
    if htmx:
        assert response.status_code == 401 and "/auth/login" in response.headers["HX-Redirect"], where
    else:
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], where


def test_import_page_and_template(app, kworld):
    for role, htmx in [(role, htmx) for role in ROLES for htmx in (False, True)]:
        headers = {"HX-Request": "true"} if htmx else {}
        client = client_as(app, kworld, role)
        page = client.get("/kpi/import", headers=headers)
        template = client.get("/kpi/import/template.csv", headers=headers)
        where = (role, htmx)
        if role == "anonymous":
            assert_login(page, htmx, where)
            assert_login(template, htmx, where)
        elif role in IMPORTERS:
            text = page.get_data(as_text=True)
            assert page.status_code == 200, where
            assert ("<html" in text) != htmx and 'id="import-area"' in text, where
            assert template.status_code == 200 and template.content_type == "text/csv; charset=utf-8", where
            assert "KPI-0001" in template.get_data(as_text=True), where
        else:
            assert page.status_code == 403 and template.status_code == 403, where
            if not htmx:  # the refusal says who may import
                assert "Importano valori le persone di un ente" in html.unescape(page.get_data(as_text=True)), where
            assert "KPI-0001" not in template.get_data(as_text=True), where


def test_import_upload(app, kworld):
    with app.app_context():
        total = db.session.scalar(select(func.count(KpiValue.id)))
    for number, (role, htmx) in enumerate([(role, htmx) for role in ROLES for htmx in (False, True)]):
        headers = {"HX-Request": "true"} if htmx else {}
        period = str(2000 + number)
        client = client_as(app, kworld, role)
        token = csrf_token(client, "/privacy")
        before = values_by_adoption(app)
        response = client.post("/kpi/import", headers=headers, content_type="multipart/form-data", data={
            "csrf_token": token, "file": (io.BytesIO(f"kpi,period,value\nKPI-0001,{period},40\n".encode()), "v.csv")})
        after = values_by_adoption(app)
        where = (role, htmx)
        if role in IMPORTERS:
            assert response.status_code == 200, (where, response.get_data(as_text=True)[:300])
            assert ("<html" in response.get_data(as_text=True)) != htmx, where
            own = getattr(kworld, IMPORTERS[role]).id
            assert after[own] == before[own] | {period}, where  # into the importer's own adoption only
            assert {k: v for k, v in after.items() if k != own} == {k: v for k, v in before.items() if k != own}
            total += 1
        else:
            if role == "anonymous":
                assert_login(response, htmx, where)
            else:
                assert response.status_code == 403, where
            assert after == before, where
    with app.app_context():
        assert db.session.scalar(select(func.count(KpiValue.id))) == total
        assert db.session.get(KpiAdoption, kworld.adoption.id).active
