"""Adopting a KPI (issue 16): who may adopt (role × full page / htmx, with the rows each POST wrote), the form's
checks against the version's unit and range, duplicates, a deprecated KPI, re-adoption after withdrawal, the
adoption count kept on the definition."""
from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import KpiAdoption, KpiDefinition, KpiValue
from tests.conftest import csrf_token, login

ROLES = ("anonymous", "member", "adopter", "outsider", "supplier_person", "facilitator", "staff", "admin")
ADOPTERS = {"member", "adopter", "outsider", "facilitator", "staff"}  # people of active public administrations


def client_as(app, kworld, role):
    """A fresh client signed in as `role` (or anonymous)."""
    client = app.test_client()
    if role != "anonymous":
        assert login(client, getattr(kworld, role)).status_code == 303
    return client


def send(client, url, data=None, htmx=False):
    token = csrf_token(client, "/privacy")
    return client.post(url, data={**(data or {}), "csrf_token": token},
                       headers={"HX-Request": "true"} if htmx else {})


def fetch_rows(app, query):
    with app.app_context():
        return list(db.session.execute(query))


def adoptions_of(app, definition_id):
    return fetch_rows(app, select(KpiAdoption.organization_id, KpiAdoption.plan_kind, KpiAdoption.plan_year,
                                  KpiAdoption.active, KpiAdoption.target_1)
                      .where(KpiAdoption.definition_id == definition_id).order_by(KpiAdoption.id))


def count_of(app, definition_id):
    with app.app_context():
        return db.session.get(KpiDefinition, definition_id).adoption_count


def form(plan_year="2025", plan_kind="piao", **overrides):
    baseline_year = str(int(plan_year) - 1) if plan_year.isdigit() else "2024"
    data = dict(plan_kind=plan_kind, plan_year=plan_year, baseline_value="40", baseline_year=baseline_year,
                target_1="35", target_2="30", target_3="25", responsible_office="Ragioneria generale",
                notes="Misurato sul registro unico delle fatture.")
    data.update(overrides)
    return data


def assert_login(response, htmx):
    if htmx:
        assert response.status_code == 401 and "/auth/login" in response.headers["HX-Redirect"]
    else:
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


# ---- the matrix ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_adopt_form_matrix(app, kworld, htmx):
    url = f"/kpi/{kworld.published.slug}/adopt"
    headers = {"HX-Request": "true"} if htmx else {}
    for role in ROLES:
        response = client_as(app, kworld, role).get(url, headers=headers)
        if role == "anonymous":
            assert_login(response, htmx)
        elif role in ADOPTERS:
            text = response.get_data(as_text=True)
            assert response.status_code == 200, role
            assert ("<html" in text) is (not htmx), role
            assert 'name="target_1"' in text and 'name="responsible_office"' in text
        else:
            assert response.status_code == 403, role


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_adopt_post_matrix_writes_only_for_adopters(app, kworld, htmx):
    url = f"/kpi/{kworld.published.slug}/adopt"
    organisation = {"member": kworld.chieri.id, "adopter": kworld.chieri.id, "outsider": kworld.other.id,
                    "facilitator": kworld.other.id}
    years = {role: str(2020 + index) for index, role in enumerate(ROLES)}  # one plan year each: no duplicate
    for role in ROLES:
        before = adoptions_of(app, kworld.published.id)
        response = send(client_as(app, kworld, role), url, form(years[role], plan_kind="dup"), htmx=htmx)
        after = adoptions_of(app, kworld.published.id)
        if role == "anonymous":
            assert_login(response, htmx)
            assert after == before
        elif role in ADOPTERS:
            if htmx:
                assert response.status_code == 204 and "/kpi/adoptions/" in response.headers["HX-Redirect"]
            else:
                assert response.status_code == 303 and "/kpi/adoptions/" in response.headers["Location"]
            assert len(after) == len(before) + 1, role
            new = after[-1]
            assert new.plan_kind == "dup" and new.plan_year == int(years[role]) and new.active
            if role in organisation:
                assert new.organization_id == organisation[role]
        else:
            assert response.status_code == 403, role
            assert after == before, role
    # Chieri and Moncalieri, then Asti and Formez: four administrations, whatever the number of plans.
    assert count_of(app, kworld.published.id) == 4


def test_adopt_refused_without_csrf_and_for_forged_ids(app, kworld):
    client = client_as(app, kworld, "outsider")
    response = client.post(f"/kpi/{kworld.published.slug}/adopt", data=form())
    assert response.status_code == 400
    assert client.get("/kpi/no-such-kpi/adopt").status_code == 404
    assert client.get("/kpi/bad\x00slug/adopt").status_code == 404
    assert len(adoptions_of(app, kworld.published.id)) == 2


def test_only_published_definitions_are_adopted(app, kworld):
    member = client_as(app, kworld, "member")  # sees the proposal of its community, may not adopt it
    assert member.get(f"/kpi/{kworld.proposed.slug}/adopt").status_code == 403
    assert send(member, f"/kpi/{kworld.proposed.slug}/adopt", form()).status_code == 403
    outsider = client_as(app, kworld, "outsider")  # does not know it exists
    assert outsider.get(f"/kpi/{kworld.proposed.slug}/adopt").status_code == 404
    assert outsider.get(f"/kpi/{kworld.withdrawn.slug}/adopt").status_code == 404
    assert adoptions_of(app, kworld.proposed.id) == []


def test_deprecated_explains_and_links_the_replacement(app, kworld):
    client = client_as(app, kworld, "outsider")
    page = client.get(f"/kpi/{kworld.deprecated.slug}/adopt")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "è stato dismesso" in text and "Sostituito dalla media ponderata." in text
    assert f'href="/kpi/{kworld.published.slug}"' in text and f'href="/kpi/{kworld.published.slug}/adopt"' in text
    assert 'name="target_1"' not in text
    assert send(client, f"/kpi/{kworld.deprecated.slug}/adopt", form()).status_code == 403
    assert adoptions_of(app, kworld.deprecated.id) == []


def test_the_adopted_version_is_the_current_one(app, kworld):
    client = client_as(app, kworld, "outsider")
    text = client.get(f"/kpi/{kworld.published.slug}/adopt").get_data(as_text=True)
    assert "Versione adottata" in text and "Tempo medio di pagamento delle fatture" in text
    send(client, f"/kpi/{kworld.published.slug}/adopt", form())
    with app.app_context():
        definition = db.session.get(KpiDefinition, kworld.published.id)
        adoption = db.session.scalar(select(KpiAdoption).where(KpiAdoption.organization_id == kworld.other.id))
        assert adoption.version_id == definition.current_version_id
        assert adoption.adopted_by_id == kworld.outsider.id
        assert (adoption.baseline_value, adoption.baseline_year) == (40.0, 2024)
        assert (adoption.target_1, adoption.target_2, adoption.target_3) == (35.0, 30.0, 25.0)
        assert adoption.responsible_office == "Ragioneria generale" and adoption.open_data is False


# ---- the form's checks -----------------------------------------------------------------------------------------

BAD_TARGETS = [
    ("unadopted", {"target_1": "120"}, "target_1", "sopra il massimo ammesso per questo indicatore (100)"),
    ("published", {"target_2": "-3"}, "target_2", "sotto il minimo ammesso per questo indicatore (0)"),
    ("published", {"target_3": "NaN"}, "target_3", "Il valore non è un numero."),
    ("published", {"target_1": "trenta"}, "target_1", "Il valore non è un numero."),
    ("published", {"baseline_value": "1e400"}, "baseline_value", "Il valore non è un numero."),
    ("unadopted", {"baseline_value": "-0,5"}, "baseline_value", "sotto il minimo"),
    ("published", {"plan_year": "2019"}, "plan_year", "Indicate il primo anno del triennio"),
    ("published", {"plan_year": "duemila"}, "plan_year", "Indicate il primo anno del triennio"),
    ("published", {"plan_year": "9999"}, "plan_year", "Indicate il primo anno del triennio"),
    ("published", {"plan_kind": "bilancio"}, "plan_kind", "PIAO, DUP o DEFR"),
    ("published", {"baseline_year": "2027"}, "baseline_year", "non può essere successivo"),
    ("published", {"baseline_year": "0000"}, "baseline_year", "dal 1990 in poi"),
    ("published", {"baseline_year": "ieri"}, "baseline_year", "dal 1990 in poi"),
    ("published", {"baseline_year": ""}, "baseline_year", "Indicate l'anno a cui si riferisce"),
    ("published", {"responsible_office": ""}, "responsible_office", "Indicate l'ufficio responsabile."),
    ("published", {"responsible_office": "\x00\u200b "}, "responsible_office", "Indicate l'ufficio responsabile."),
    ("published", {"responsible_office": "U" * 5000}, "responsible_office", "Al massimo 300 caratteri."),
    ("published", {"notes": "N" * 60_000}, "notes", "Al massimo 5000 caratteri."),
]


def test_a_wrong_field_is_told_there_and_nothing_is_saved(app, kworld):
    client = client_as(app, kworld, "outsider")
    for kpi, wrong, field, message in BAD_TARGETS:
        definition = getattr(kworld, kpi)
        response = send(client, f"/kpi/{definition.slug}/adopt", form(**wrong), htmx=True)
        text = html.unescape(response.get_data(as_text=True))
        assert response.status_code == 422, wrong
        assert "<html" not in text
        assert f'id="{field}-error"' in text and message in text, (wrong, text[:3000])
        if field != "responsible_office":
            assert 'value="Ragioneria generale"' in text  # the rest of the form kept
    # Full page too: the error summary links to the field.
    response = send(client, f"/kpi/{kworld.unadopted.slug}/adopt", form(target_1="120"))
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422 and "<html" in text and 'href="#target_1"' in text
    assert fetch_rows(app, select(KpiAdoption.id).where(KpiAdoption.organization_id == kworld.other.id)) == []


def test_italian_decimal_comma_and_empty_targets(app, kworld):
    client = client_as(app, kworld, "outsider")
    response = send(client, f"/kpi/{kworld.unadopted.slug}/adopt",
                    form(baseline_value="12,5", target_1="20,25", target_2="", target_3="", open_data="y"))
    assert response.status_code == 303
    with app.app_context():
        adoption = db.session.scalar(select(KpiAdoption).where(KpiAdoption.definition_id == kworld.unadopted.id))
        assert (adoption.baseline_value, adoption.target_1, adoption.target_2) == (12.5, 20.25, None)
        assert adoption.open_data is True


def test_the_same_plan_and_year_twice_is_a_field_error(app, kworld):
    client = client_as(app, kworld, "member")  # Chieri already adopted it for PIAO 2024
    response = send(client, f"/kpi/{kworld.published.slug}/adopt", form("2024"))
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert 'id="plan_year-error"' in text and "ha già adottato questo indicatore per questo piano" in text
    assert len(adoptions_of(app, kworld.published.id)) == 2
    # Another plan of the same year is another adoption.
    assert send(client, f"/kpi/{kworld.published.slug}/adopt", form("2024", plan_kind="dup")).status_code == 303
    assert len(adoptions_of(app, kworld.published.id)) == 3
    assert count_of(app, kworld.published.id) == 2  # still two administrations


def test_withdrawn_adoption_comes_back_with_its_values(app, kworld):
    client = client_as(app, kworld, "adopter")
    response = send(client, f"/kpi/adoptions/{kworld.adoption.id}/withdraw", {"confirmed": "1"})
    assert response.status_code == 303
    assert count_of(app, kworld.published.id) == 1
    page = client.get(f"/kpi/{kworld.published.slug}/adopt").get_data(as_text=True)
    assert "ritirata: adottandolo di nuovo" in page
    response = send(client, f"/kpi/{kworld.published.slug}/adopt", form("2024", target_1="33"))
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/kpi/adoptions/{kworld.adoption.id}")
    with app.app_context():
        adoption = db.session.get(KpiAdoption, kworld.adoption.id)
        assert adoption.active and adoption.withdrawn_at is None and adoption.target_1 == 33.0
        assert db.session.scalar(select(func.count(KpiValue.id)).where(KpiValue.adoption_id == adoption.id)) == 3
        assert db.session.scalar(select(func.count(KpiAdoption.id))) == 2
    assert count_of(app, kworld.published.id) == 2
