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


def test_a_file_of_5000_good_rows_is_saved_in_full(app, kworld):
    """The largest file the import accepts is saved whole (its time is a benchmark's business, not a test's)."""
    codes = monthly_adoptions(app, kworld, count=5)
    periods = [f"{year}-{month:02d}" for year in range(1917, 2001) for month in range(1, 13)][:1000]
    lines = ["kpi;period;value;status"]
    lines += [f"{code};{period};{(i % 90) + 5},5;definitivo" for code in codes for i, period in enumerate(periods)]
    assert len(lines) - 1 == 5000
    with app.app_context():
        before = db.session.scalar(select(func.count(KpiValue.id)))
    response = upload(client_as(app, kworld, "adopter"), "\n".join(lines).encode())
    assert response.status_code == 200, page_of(response)[:2000]
    with app.app_context():
        assert db.session.scalar(select(func.count(KpiValue.id))) == before + len(lines) - 1


def test_a_long_file_with_the_last_row_wrong_saves_nothing(app, kworld):
    codes = monthly_adoptions(app, kworld, count=5)
    periods = [f"{year}-{month:02d}" for year in range(1917, 2001) for month in range(1, 13)][:100]
    lines = ["kpi,period,value"] + [f"{code},{period},50" for code in codes for period in periods]
    lines[-1] = lines[-1].rsplit(",", 1)[0] + ",150"  # the 500th row: 150 %
    assert len(lines) - 1 == 500
    with app.app_context():
        before = db.session.scalar(select(func.count(KpiValue.id)))
    response = upload(client_as(app, kworld, "adopter"), "\n".join(lines).encode())
    assert response.status_code == 422
    assert "sopra il massimo" in page_of(response)
    with app.app_context():
        assert db.session.scalar(select(func.count(KpiValue.id))) == before


# ---- periods ------------------------------------------------------------------------------------------------------

def post_value(app, kworld, adoption_id, period, number="50", htmx=False):
    client = client_as(app, kworld, "adopter")
    return send(client, f"/kpi/adoptions/{adoption_id}/values",
                {"period": period, "value": number, "status": "provisional"}, htmx=htmx)


def test_a_value_for_a_period_that_has_not_begun_is_refused_at_the_field(app, kworld):
    from datetime import date

    next_year = date.today().year + 1
    for period in (str(next_year), "2100"):
        before = value_rows(app, kworld.adoption.id)
        response = post_value(app, kworld, kworld.adoption.id, period, "30", htmx=True)
        assert response.status_code == 422, period
        assert f"Il periodo {period} non è ancora iniziato" in page_of(response)
        assert value_rows(app, kworld.adoption.id) == before
    assert post_value(app, kworld, kworld.adoption.id, str(date.today().year), "30").status_code == 303


def test_a_future_period_in_a_csv_file_is_reported_and_nothing_is_saved(app, kworld):
    from datetime import date

    future = date.today().year + 1
    before = value_rows(app, kworld.adoption.id)
    response = upload(client_as(app, kworld, "adopter"), f"kpi,period,value\nKPI-0001,2022,40\nKPI-0001,{future},30\n"
                      .encode())
    assert response.status_code == 422
    assert f"Il periodo {future} non è ancora iniziato" in page_of(response)
    assert value_rows(app, kworld.adoption.id) == before


@pytest.mark.parametrize("frequency, typed, stored", [
    ("annual", " 2019 ", "2019"), ("quarterly", "2025-q1", "2025-Q1"), ("half_yearly", " 2024-s2", "2024-S2"),
    ("monthly", "1990-01", "1990-01"),
])
def test_periods_are_stored_canonical(app, kworld, frequency, typed, stored):
    with app.app_context():
        definition = make_kpi(f"Indicatore {frequency}", unit="percent", frequency=frequency)
        adoption_id = make_adoption(definition, db.session.get(Organization, kworld.chieri.id)).id
        db.session.commit()
    assert post_value(app, kworld, adoption_id, typed).status_code == 303
    assert [row[0] for row in value_rows(app, adoption_id)] == [stored]


@pytest.mark.parametrize("frequency, typed, example", [
    ("monthly", "2025-13", "2025-12"), ("annual", "2025-q1", "2025"), ("quarterly", "2025", "2025-Q4"),
    ("annual", "1899", "2025"), ("annual", "२०२५", "2025"), ("annual", "2025-", "2025"),
])
def test_bad_periods_are_refused_at_the_field_with_an_example(app, kworld, frequency, typed, example):
    with app.app_context():
        definition = make_kpi(f"Indicatore {frequency}", unit="percent", frequency=frequency)
        adoption_id = make_adoption(definition, db.session.get(Organization, kworld.chieri.id)).id
        db.session.commit()
    response = post_value(app, kworld, adoption_id, typed)
    assert response.status_code == 422
    assert f"(per esempio {example})" in page_of(response)
    assert value_rows(app, adoption_id) == []


# ---- deprecation: replacements, chains, cycles ------------------------------------------------------------------

def deprecate(app, kworld, slug, replacement_id=None, role="admin"):
    data = {"note": "Superato da una definizione migliore."}
    if replacement_id is not None:
        data["replacement"] = str(replacement_id)
    return send(client_as(app, kworld, role), f"/kpi/{slug}/move/deprecate", data)


def status_of(app, definition_id):
    with app.app_context():
        found = db.session.get(KpiDefinition, definition_id)
        return found.status, found.replaced_by_id


def test_a_deprecated_kpi_cannot_replace_and_no_cycle_forms(app, kworld):
    """A replaced by B; B cannot then be replaced by A (deprecated); B replaced by C makes a chain."""
    with app.app_context():
        third = make_kpi("Tempo medio di pagamento (terza definizione)")
        db.session.commit()
        third_id = third.id
    assert deprecate(app, kworld, kworld.unadopted.slug, kworld.published.id).status_code == 303
    assert status_of(app, kworld.unadopted.id) == ("deprecated", kworld.published.id)
    response = deprecate(app, kworld, kworld.published.slug, kworld.unadopted.id)
    assert response.status_code in (400, 422)
    assert "L'indicatore che lo sostituisce deve essere pubblicato e diverso da questo." in page_of(response)
    assert status_of(app, kworld.published.id) == ("published", None)
    assert deprecate(app, kworld, kworld.published.slug, kworld.published.id).status_code in (400, 422)  # itself
    assert deprecate(app, kworld, kworld.published.slug, 999_999).status_code in (400, 422)  # forged id
    assert deprecate(app, kworld, kworld.published.slug, kworld.in_review.id).status_code in (400, 422)  # not published
    assert status_of(app, kworld.published.id) == ("published", None)
    assert deprecate(app, kworld, kworld.published.slug, third_id).status_code == 303
    assert status_of(app, kworld.published.id) == ("deprecated", third_id)
    # the chain is followable from the first page; the adoptions of a deprecated KPI are still counted
    text = page_of(client_as(app, kworld, "anonymous").get(f"/kpi/{kworld.unadopted.slug}"))
    assert f'href="/kpi/{kworld.published.slug}"' in text
    assert adoption_count(app, kworld.published.id) == 2


def test_the_replacement_status_is_read_again_under_lock(app, kworld):
    """Two reviewers deprecating A into B and B into A at once: the second must see the first one's move."""
    from sqlalchemy import update

    from app.kpi import review
    from app.kpi.workflow import KpiWorkflowError
    from app.models import User

    with app.test_request_context("/"):
        admin = db.session.get(User, kworld.admin.id)
        first = db.session.get(KpiDefinition, kworld.published.id)
        replacement = db.session.get(KpiDefinition, kworld.unadopted.id)  # in the identity map: published
        assert replacement.status == "published"
        with db.engine.begin() as other:  # meanwhile another reviewer's transaction deprecates it
            other.execute(update(KpiDefinition).where(KpiDefinition.id == kworld.unadopted.id)
                          .values(status="deprecated", replaced_by_id=kworld.published.id))
        with pytest.raises(KpiWorkflowError):
            review.move_definition(first, "deprecate", admin, note="Superato.", replacement_id=kworld.unadopted.id)
    assert status_of(app, kworld.published.id) == ("published", None)


# ---- forged adoptions and the adopters' count ---------------------------------------------------------------------

@pytest.mark.parametrize("which", ["deprecated", "withdrawn", "proposed", "in_review"])
def test_forged_adoption_of_a_kpi_that_is_not_published_writes_nothing(app, kworld, which):
    definition = getattr(kworld, which)
    for role in ("adopter", "admin", "facilitator", "staff"):
        response = send(client_as(app, kworld, role), f"/kpi/{definition.slug}/adopt", adopt_form("2025"))
        assert response.status_code in (403, 404), (role, response.status_code)
    assert adoption_rows(app, definition.id) == []
    assert adoption_count(app, definition.id) == 0


def test_the_adopters_count_through_a_lifecycle(app, kworld):
    """Adopt twice (two plans of one organisation), withdraw one, then the other, re-adopt, deprecate."""
    client = client_as(app, kworld, "adopter")
    slug, definition_id = kworld.unadopted.slug, kworld.unadopted.id
    assert send(client, f"/kpi/{slug}/adopt", adopt_form("2024")).status_code == 303
    assert send(client, f"/kpi/{slug}/adopt", adopt_form("2025", plan_kind="dup")).status_code == 303
    assert adoption_count(app, definition_id) == 1  # one organisation
    assert send(client_as(app, kworld, "peer"), f"/kpi/{slug}/adopt", adopt_form("2024")).status_code == 303
    assert adoption_count(app, definition_id) == 2
    with app.app_context():
        ids = [row.id for row in db.session.scalars(select(KpiAdoption).where(
            KpiAdoption.definition_id == definition_id, KpiAdoption.organization_id == kworld.chieri.id)
            .order_by(KpiAdoption.id))]
    assert send(client, f"/kpi/adoptions/{ids[0]}/withdraw", {"confirmed": "1"}).status_code == 303
    assert adoption_count(app, definition_id) == 2  # the DUP 2025 adoption is still active
    assert send(client, f"/kpi/adoptions/{ids[0]}/withdraw", {"confirmed": "1"}).status_code == 303  # again
    assert adoption_count(app, definition_id) == 2
    assert send(client, f"/kpi/adoptions/{ids[1]}/withdraw", {"confirmed": "1"}).status_code == 303
    assert adoption_count(app, definition_id) == 1
    assert send(client, f"/kpi/{slug}/adopt", adopt_form("2024")).status_code == 303  # the withdrawn twin returns
    assert adoption_count(app, definition_id) == 2
    assert len(adoption_rows(app, definition_id)) == 3
    assert send(client, f"/kpi/{slug}/adopt", adopt_form("2024")).status_code == 422  # active twin
    assert deprecate(app, kworld, slug).status_code == 303
    assert adoption_count(app, definition_id) == 2


def test_a_value_deleted_then_added_again(app, kworld):
    client = client_as(app, kworld, "adopter")
    with app.app_context():
        row_id = db.session.scalar(select(KpiValue.id).where(KpiValue.adoption_id == kworld.adoption.id,
                                                             KpiValue.period == "2023"))
    response = send(client, f"/kpi/adoptions/{kworld.adoption.id}/values/{row_id}/delete", {"confirmed": "1"})
    assert response.status_code == 303
    assert "2023" not in [row[0] for row in value_rows(app, kworld.adoption.id)]
    assert post_value(app, kworld, kworld.adoption.id, "2023", "36").status_code == 303
    assert ("2023", 36.0, "provisional") in value_rows(app, kworld.adoption.id)
    response = send(client, f"/kpi/adoptions/{kworld.adoption.id}/values/{row_id}/delete", {"confirmed": "1"})
    assert response.status_code == 404  # the old row is gone


# ---- the CSV import's update option -------------------------------------------------------------------------------

def test_an_update_without_a_status_column_keeps_a_final_value_final(app, kworld):
    """A correction file of values only must not turn published (final) values into provisional ones."""
    response = upload(client_as(app, kworld, "adopter"), b"kpi,period,value\nKPI-0001,2023,36\n", update=True)
    assert response.status_code == 200, page_of(response)[:3000]
    assert ("2023", 36.0, "final") in value_rows(app, kworld.adoption.id)
    response = upload(client_as(app, kworld, "adopter"), b"kpi,period,value,stato\nKPI-0001,2024,30,provvisorio\n",
                      update=True)
    assert response.status_code == 200
    assert ("2024", 30.0, "provisional") in value_rows(app, kworld.adoption.id)  # asked for: applied


def test_an_updated_value_deleted_meanwhile_fails_the_whole_file(app, kworld, monkeypatch):
    """Someone deletes the 2023 value between the check and the save: nothing is saved, the report says why."""
    from sqlalchemy import delete

    from app.kpi import importer

    original = importer.check

    def check_then_delete(*args, **kwargs):
        original(*args, **kwargs)
        with db.engine.begin() as other:
            other.execute(delete(KpiValue).where(KpiValue.adoption_id == kworld.adoption.id,
                                                 KpiValue.period == "2023"))

    monkeypatch.setattr(importer, "check", check_then_delete)
    before = [row for row in value_rows(app, kworld.adoption.id) if row[0] != "2023"]
    response = upload(client_as(app, kworld, "adopter"), b"kpi,period,value\nKPI-0001,2022,40\nKPI-0001,2023,36\n",
                      update=True)
    assert response.status_code == 422
    assert "Nel frattempo qualcuno ha registrato valori" in page_of(response)
    assert value_rows(app, kworld.adoption.id) == before


# ---- proposals: two at once -----------------------------------------------------------------------------------------

def test_a_proposal_whose_code_was_taken_meanwhile_gets_the_next_one(app, kworld, monkeypatch):
    """Two proposals at once both compute KPI-00NN from the highest id: the later one must not be a 500."""
    from app.kpi import core
    from tests.functional.test_kpi_proposals import new_url, record

    original, calls = core._next_code, []

    def taken_first(*args, **kwargs):
        calls.append(1)
        return "KPI-0001" if len(calls) == 1 else original(*args, **kwargs)  # KPI-0001 exists: the twin's code

    monkeypatch.setattr(core, "_next_code", taken_first)
    with app.app_context():
        before = db.session.scalar(select(func.count(KpiDefinition.id)))
    response = send(client_as(app, kworld, "member"), new_url(kworld, "community"), record(app))
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count(KpiDefinition.id))) == before + 1
        codes = db.session.scalars(select(KpiDefinition.code)).all()
        assert len(codes) == len(set(codes))


# ---- versions' pages -------------------------------------------------------------------------------------------------

def test_the_version_page_follows_the_definition_visibility(app, kworld):
    url = f"/kpi/{kworld.withdrawn.slug}/versions/1"
    for role, expected in (("anonymous", 404), ("outsider", 404), ("peer", 404), ("member", 200), ("admin", 200)):
        assert client_as(app, kworld, role).get(url).status_code == expected, role
    for number in ("0", "2", "99999999999999999999", "-1"):
        assert client_as(app, kworld, "admin").get(f"/kpi/{kworld.published.slug}/versions/{number}").status_code \
            == 404, number


def test_an_old_version_is_read_only_and_adoptions_keep_it(app, kworld):
    _definition, adoption_id, first_id, newer_id = chieri_with_values(
        app, kworld, "Quota di pratiche online", {"description": "Testo più chiaro."})
    with app.app_context():
        slug = db.session.get(KpiAdoption, adoption_id).definition.slug
    text = page_of(client_as(app, kworld, "admin").get(f"/kpi/{slug}/versions/1"))
    main = text.split('id="main-content"', 1)[-1].split("<footer", 1)[0]
    assert 'action="/kpi/' not in main and "versione 1" in main.lower()
    assert version_of_adoption(app, adoption_id) == first_id != newer_id


# ---- the demo loader after a failure half-way ---------------------------------------------------------------------

def test_the_demo_library_after_a_failure_half_way_loads_in_full_once(app, monkeypatch):
    """A failure in the last step (practice links) leaves no KPI row; the next load adds all, the one after none."""
    from app.demo import kpis as demo_kpis
    from app.demo.loader import load_demo
    from tests.functional.test_demo_kpis import counts

    def broken(self, *args):
        raise RuntimeError("a failure half-way")

    original = demo_kpis._Demo.link
    monkeypatch.setattr(demo_kpis._Demo, "link", broken)
    with app.app_context(), pytest.raises(RuntimeError):
        load_demo()
    after_failure = counts(app)
    assert all(after_failure[name] == 0 for name in ("KpiDefinition", "KpiVersion", "KpiChange", "KpiAdoption",
                                                     "KpiValue", "KpiPracticeLink", "KpiComment"))
    monkeypatch.setattr(demo_kpis._Demo, "link", original)
    # The rest of the demo was committed before the failing step: the KPI step alone is loaded again (as the
    # loader would, at a fraction of the time of two more whole demos).
    with app.app_context():
        added = demo_kpis.load_kpis()
    full = counts(app)
    assert added > 0 and full["KpiDefinition"] >= 25 and full["KpiPracticeLink"] > 0
    with app.app_context():
        assert demo_kpis.load_kpis() == 0
    assert counts(app) == full
    with app.app_context():  # the adopters' counts agree with the adoptions
        for definition in db.session.scalars(select(KpiDefinition)):
            organizations = {a.organization_id for a in db.session.scalars(select(KpiAdoption).where(
                KpiAdoption.definition_id == definition.id, KpiAdoption.active.is_(True)))}
            assert definition.adoption_count == len(organizations), definition.code


# ---- the adopters' count under concurrency ----------------------------------------------------------------------

def test_two_administrations_adopting_at_once_are_both_counted(app, kworld, backend, monkeypatch):
    """Each adoption counts the adopters in its own transaction: without a lock on the definition, two at once
    would each see only itself (PostgreSQL, read committed) and the count would stay one short."""
    import threading

    from app.kpi import core

    if backend.startswith("sqlite"):
        pytest.skip("SQLite serialises the two writers anyway")
    original = core.refresh_adoption_count

    def slow_count(definition):
        time.sleep(0.6)  # the other request inserts its adoption meanwhile
        original(definition)

    monkeypatch.setattr(core, "refresh_adoption_count", slow_count)
    clients = {role: client_as(app, kworld, role) for role in ("adopter", "peer")}
    tokens = {role: csrf_token(client, "/privacy") for role, client in clients.items()}
    statuses = {}

    def adopt(role):
        response = clients[role].post(f"/kpi/{kworld.unadopted.slug}/adopt",
                                      data={**adopt_form("2025"), "csrf_token": tokens[role]})
        statuses[role] = response.status_code

    threads = [threading.Thread(target=adopt, args=(role,)) for role in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert statuses == {"adopter": 303, "peer": 303}
    assert len(adoption_rows(app, kworld.unadopted.id)) == 2
    assert adoption_count(app, kworld.unadopted.id) == 2


def test_a_baseline_year_in_the_future_is_refused(app, kworld):
    """The plan may start up to three years ahead, but its baseline is a value already measured."""
    from datetime import date

    from app.kpi import adoptions
    from app.kpi.values import ValueRefused
    from app.models import User

    future = date.today().year + 1
    response = send(client_as(app, kworld, "adopter"), f"/kpi/{kworld.unadopted.slug}/adopt",
                    adopt_form(str(future + 1), baseline_year=str(future)))
    assert response.status_code == 422
    assert "il suo anno non può essere nel futuro" in page_of(response)
    assert adoption_rows(app, kworld.unadopted.id) == []
    with app.test_request_context("/"):  # the service refuses it too (a request that skips the form)
        definition = db.session.get(KpiDefinition, kworld.unadopted.id)
        with pytest.raises(ValueRefused) as refused:
            adoptions.adopt(definition, db.session.get(User, kworld.adopter.id), adoptions.AdoptionData(
                plan_kind="piao", plan_year=future + 1, baseline_value="40", baseline_year=future,
                responsible_office="Ragioneria"))
        assert refused.value.field == "baseline_year"
    assert adoption_rows(app, kworld.unadopted.id) == []
    assert send(client_as(app, kworld, "adopter"), f"/kpi/{kworld.unadopted.slug}/adopt",
                adopt_form(str(future + 1), baseline_year=str(future - 1))).status_code == 303
