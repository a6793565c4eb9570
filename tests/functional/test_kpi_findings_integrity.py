"""Adversarial review of the KPI library (issue 16): data integrity and workflow. Each test pins a finding (a race
met as a field error, not a 500; versions and values that must stay consistent; all-or-nothing imports at scale) or
a behaviour checked and found sound."""
from __future__ import annotations

import html
import io
import time

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import KpiAdoption, KpiDefinition, KpiValue, KpiVersion, Organization
from tests.conftest import csrf_token
from tests.functional.test_kpi_adoptions import client_as, send
from tests.kpi_world import make_adoption, make_kpi


def page_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def value_rows(app, adoption_id):
    with app.app_context():
        return list(db.session.execute(select(KpiValue.period, KpiValue.value, KpiValue.status)
                                       .where(KpiValue.adoption_id == adoption_id).order_by(KpiValue.period)))


def adoption_rows(app, definition_id):
    with app.app_context():
        return list(db.session.execute(select(KpiAdoption.organization_id, KpiAdoption.plan_kind,
                                              KpiAdoption.plan_year, KpiAdoption.active, KpiAdoption.version_id)
                                       .where(KpiAdoption.definition_id == definition_id).order_by(KpiAdoption.id)))


def adoption_count(app, definition_id):
    with app.app_context():
        return db.session.get(KpiDefinition, definition_id).adoption_count


def adopt_form(plan_year="2024", **overrides):
    data = dict(plan_kind="piao", plan_year=plan_year, baseline_value="40", baseline_year="2023", target_1="35",
                target_2="30", target_3="28", responsible_office="Ragioneria")
    data.update(overrides)
    return data


# ---- races: the unique constraint met between the check and the write is a field error ---------------------------

@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_value_saved_meanwhile_for_the_same_period_is_a_field_error(app, kworld, monkeypatch, htmx):
    """Another request saved 2023 after this one's check: the flush meets the unique constraint."""
    from app.kpi import values

    before = value_rows(app, kworld.adoption.id)
    client = client_as(app, kworld, "adopter")
    token = csrf_token(client, "/privacy")
    monkeypatch.setattr(values, "_period_taken", lambda *args, **kwargs: False)  # the check ran before the twin
    response = client.post(f"/kpi/adoptions/{kworld.adoption.id}/values",
                           data={"period": "2023", "value": "20", "status": "final", "csrf_token": token},
                           headers={"HX-Request": "true"} if htmx else {})
    assert response.status_code == 422
    assert "Esiste già un valore per 2023" in page_of(response)
    assert value_rows(app, kworld.adoption.id) == before


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_twin_adoption_saved_meanwhile_is_a_field_error(app, kworld, monkeypatch, htmx):
    """Two people of Chieri adopt the same KPI for the same plan at once: the later one is told, at the field."""
    from app.kpi import adoptions

    before = adoption_rows(app, kworld.published.id)
    client = client_as(app, kworld, "adopter")
    token = csrf_token(client, "/privacy")
    monkeypatch.setattr(adoptions, "_same_plan", lambda *args, **kwargs: None)  # the check ran before the twin
    response = client.post(f"/kpi/{kworld.published.slug}/adopt", data={**adopt_form("2024"), "csrf_token": token},
                           headers={"HX-Request": "true"} if htmx else {})
    assert response.status_code == 422
    assert "Il vostro ente ha già adottato questo indicatore per questo piano e questo anno." in page_of(response)
    assert adoption_rows(app, kworld.published.id) == before
    assert adoption_count(app, kworld.published.id) == 2


# ---- versions: an adoption's values stay read by the version they were measured with ---------------------------

def chieri_with_values(app, kworld, name, second: dict | None, values=None, **fields):
    """A KPI (percent, annual) adopted by Chieri in the PIAO 2024 with values; then, when `second`, a version 2
    with those changes. The ids of the definition, the adoption and both versions."""
    with app.app_context():
        definition = make_kpi(name, unit="percent", frequency="annual", **fields)
        adoption = make_adoption(definition, db.session.get(Organization, kworld.chieri.id),
                                 {"2023": 45.0, "2024": 52.0} if values is None else values, baseline_value=None,
                                 target_1=None, target_2=None, target_3=None)
        first = definition.current_version
        newer_id = None
        if second is not None:
            record = {column: getattr(first, column) for column in (
                "name", "unit", "polarity", "level", "frequency", "description", "numerator", "denominator",
                "data_source", "tags", "caveat", "piao_subsection_id", "value_min", "value_max")}
            record.update(second)
            newer = KpiVersion(definition_id=definition.id, number=2, change_note="Cambia la misura.",
                               breaks_series=True, **record)
            db.session.add(newer)
            db.session.flush()
            definition.current_version = newer
            newer_id = newer.id
        db.session.commit()
        return definition.id, adoption.id, first.id, newer_id


def edit_form(**overrides):
    data = dict(plan_kind="piao", plan_year="2024", baseline_value="", baseline_year="", target_1="", target_2="",
                target_3="", responsible_office="Ragioneria", upgrade_version="y")
    data.update(overrides)
    return data


def version_of_adoption(app, adoption_id):
    with app.app_context():
        return db.session.get(KpiAdoption, adoption_id).version_id


@pytest.mark.parametrize("change", [{"unit": "ratio"}, {"frequency": "quarterly"}, {"value_max": 50.0}],
                         ids=["unit", "frequency", "range"])
def test_upgrading_to_a_version_the_values_do_not_fit_is_refused(app, kworld, change):
    """Values in percent of 2023, 2024 would be read as ratios, quarters, or out of the new admitted range."""
    definition_id, adoption_id, first_id, _newer = chieri_with_values(app, kworld, "Quota di pratiche online", change)
    before = value_rows(app, adoption_id)
    response = send(client_as(app, kworld, "adopter"), f"/kpi/adoptions/{adoption_id}/edit", edit_form())
    assert response.status_code == 422
    assert "I valori già registrati non si leggono con la versione attuale" in page_of(response)
    assert version_of_adoption(app, adoption_id) == first_id
    assert value_rows(app, adoption_id) == before


def test_upgrading_to_a_version_the_values_fit_is_applied(app, kworld):
    _definition, adoption_id, _first, newer_id = chieri_with_values(
        app, kworld, "Quota di pratiche online", {"description": "Testo più chiaro.", "value_max": 80.0})
    response = send(client_as(app, kworld, "adopter"), f"/kpi/adoptions/{adoption_id}/edit", edit_form())
    assert response.status_code == 303
    assert version_of_adoption(app, adoption_id) == newer_id


def test_upgrading_without_values_is_applied_whatever_changed(app, kworld):
    _definition, adoption_id, _first, newer_id = chieri_with_values(
        app, kworld, "Quota di pratiche online", {"unit": "ratio", "frequency": "quarterly"}, values={})
    response = send(client_as(app, kworld, "adopter"), f"/kpi/adoptions/{adoption_id}/edit", edit_form())
    assert response.status_code == 303
    assert version_of_adoption(app, adoption_id) == newer_id


def test_re_adopting_a_withdrawn_plan_whose_values_do_not_fit_the_current_version_is_refused(app, kworld):
    """The withdrawn adoption comes back with the current version: its old values must still be readable."""
    definition_id, adoption_id, first_id, _newer = chieri_with_values(
        app, kworld, "Quota di pratiche online", {"unit": "ratio"})
    client = client_as(app, kworld, "adopter")
    assert send(client, f"/kpi/adoptions/{adoption_id}/withdraw", {"confirmed": "1"}).status_code == 303
    assert adoption_rows(app, definition_id)[0][3] is False
    response = send(client, f"/kpi/{kworld_slug(app, definition_id)}/adopt",
                    adopt_form("2024", baseline_value="", baseline_year="", target_1="", target_2="", target_3=""))
    assert response.status_code == 422
    assert "I valori già registrati non si leggono con la versione attuale" in page_of(response)
    rows = adoption_rows(app, definition_id)
    assert len(rows) == 1 and rows[0][3] is False and rows[0][4] == first_id
    assert adoption_count(app, definition_id) == 0
    # another plan year is a new adoption of the current version: allowed
    response = send(client, f"/kpi/{kworld_slug(app, definition_id)}/adopt",
                    adopt_form("2025", baseline_value="", baseline_year="", target_1="", target_2="", target_3=""))
    assert response.status_code == 303
    assert adoption_count(app, definition_id) == 1


def kworld_slug(app, definition_id):
    with app.app_context():
        return db.session.get(KpiDefinition, definition_id).slug


# ---- the CSV import at its limit ----------------------------------------------------------------------------------

def upload(client, content: bytes, update: bool = False):
    data = {"csrf_token": csrf_token(client, "/kpi/import"), "file": (io.BytesIO(content), "valori.csv")}
    if update:
        data["update_existing"] = "y"
    return client.post("/kpi/import", data=data, content_type="multipart/form-data")


def monthly_adoptions(app, kworld, count=3):
    """Chieri adopts `count` monthly KPIs (percent) with no values; their codes."""
    codes = []
    with app.app_context():
        chieri = db.session.get(Organization, kworld.chieri.id)
        for n in range(count):
            definition = make_kpi(f"Quota mensile di pratiche {n}", unit="percent", frequency="monthly")
            make_adoption(definition, chieri, plan_year=2024)
            codes.append(definition.code)
        db.session.commit()
    return codes


def test_a_file_of_5000_good_rows_is_saved_in_full_and_in_time(app, kworld):
    codes = monthly_adoptions(app, kworld)
    periods = [f"{year}-{month:02d}" for year in range(1990, 2025) for month in range(1, 13)]  # 420 months
    lines = ["kpi;period;value;status"]
    lines += [f"{code};{period};{(i % 90) + 5},5;definitivo" for code in codes for i, period in enumerate(periods)]
    lines += [f"KPI-0001;{year};{30 + year % 7}" for year in range(1990, 1990 + 5000 - len(lines) + 1)
              if str(year) not in ("2023", "2024", "2025")][:5000 - (len(lines) - 1)]
    assert len(lines) - 1 <= 5000
    with app.app_context():
        before = db.session.scalar(select(func.count(KpiValue.id)))
    client = client_as(app, kworld, "adopter")
    started = time.monotonic()
    response = upload(client, "\n".join(lines).encode())
    elapsed = time.monotonic() - started
    assert response.status_code == 200, page_of(response)[:2000]
    with app.app_context():
        assert db.session.scalar(select(func.count(KpiValue.id))) == before + len(lines) - 1
    assert elapsed < 30, elapsed


def test_a_file_of_5000_rows_with_the_last_one_wrong_saves_nothing(app, kworld):
    codes = monthly_adoptions(app, kworld, count=1)
    periods = [f"{year}-{month:02d}" for year in range(1900, 2100) for month in range(1, 13)][:4999]
    lines = ["kpi,period,value"] + [f"{codes[0]},{period},50" for period in periods] + [f"{codes[0]},2099-12,150"]
    with app.app_context():
        before = db.session.scalar(select(func.count(KpiValue.id)))
    response = upload(client_as(app, kworld, "adopter"), "\n".join(lines).encode())
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count(KpiValue.id))) == before
