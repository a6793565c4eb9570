"""Correcting and deleting a value (issue 16): role × full page / htmx with what each POST changed, the same checks
as a new value, nothing half-saved, the confirmation before a deletion; and `store_value`, the service the CSV
import reuses (flushes, never commits, refuses with the field and an Italian message)."""
from __future__ import annotations

import html

import pytest

from app.extensions import db
from app.kpi import values as services
from app.models import KpiAdoption, KpiValue, User
from tests.functional.test_kpi_adoptions import ROLES, assert_login, client_as, send
from tests.functional.test_kpi_values import WRITERS, db_value_id, value, values_of


def stored(app, value_id):
    with app.app_context():
        row = db.session.get(KpiValue, value_id)
        return None if row is None else (row.period, row.value, row.status, row.source_note)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_edit_value_matrix(app, kworld, htmx):
    value_id = db_value_id(app, kworld.adoption.id, "2023")  # final: everybody sees it
    url = f"/kpi/adoptions/{kworld.adoption.id}/values/{value_id}/edit"
    headers = {"HX-Request": "true"} if htmx else {}
    for index, role in enumerate(ROLES):
        client = client_as(app, kworld, role)
        page = client.get(url, headers=headers)
        before = stored(app, value_id)
        response = send(client, url, value("2023", str(36 + index), source_note=f"Corretto da {role}"), htmx=htmx)
        after = stored(app, value_id)
        if role == "anonymous":
            assert_login(page, htmx)
            assert_login(response, htmx)
            assert after == before
        elif role in WRITERS:
            text = html.unescape(page.get_data(as_text=True))
            assert page.status_code == 200 and 'name="period"' in text and 'value="2023"' in text, role
            assert ("<html" in text) is (not htmx)
            assert response.status_code == (204 if htmx else 303), role
            assert after == ("2023", 36.0 + index, "final", f"Corretto da {role}"), role
        else:
            assert page.status_code == 403 and response.status_code == 403, role
            assert after == before, role


def test_edit_value_checks_and_nothing_half_saved(app, kworld):
    value_id = db_value_id(app, kworld.adoption.id, "2023")
    url = f"/kpi/adoptions/{kworld.adoption.id}/values/{value_id}/edit"
    client = client_as(app, kworld, "adopter")
    before = stored(app, value_id)
    for fields, field, message in [
        (value("2024", "30"), "period", "Esiste già un valore per 2024: modificatelo."),
        (value("2023", "-5", source_note="Nuova fonte"), "value", "sotto il minimo"),
        (value("2023-Q1", "30", source_note="Nuova fonte"), "period", "per esempio 2025"),
        (value("2023", "30", source_url="javascript:alert(1)"), "source_url", "http:// o https://"),
    ]:
        response = send(client, url, fields)
        text = html.unescape(response.get_data(as_text=True))
        assert response.status_code == 422, fields
        assert f'id="{field}-error"' in text and message in text, fields
        assert stored(app, value_id) == before
    # A new period that is free moves the value.
    assert send(client, url, value("2022", "39", status="provisional")).status_code == 303
    assert stored(app, value_id) == ("2022", 39.0, "provisional", "Controllo di gestione")


def test_values_of_another_adoption_or_unknown_ids_do_not_exist(app, kworld):
    peer_value = db_value_id(app, kworld.peer_adoption.id, "2023")
    client = client_as(app, kworld, "adopter")
    for url in (f"/kpi/adoptions/{kworld.adoption.id}/values/{peer_value}/edit",
                f"/kpi/adoptions/{kworld.adoption.id}/values/999999/edit",
                f"/kpi/adoptions/{kworld.adoption.id}/values/99999999999999/edit"):
        assert client.get(url).status_code == 404, url
    assert send(client, f"/kpi/adoptions/{kworld.adoption.id}/values/{peer_value}/delete",
                {"confirmed": "1"}).status_code == 404
    assert stored(app, peer_value) is not None


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_delete_value_matrix(app, kworld, htmx):
    order = [role for role in ROLES if role not in WRITERS] + ["member", "adopter"]
    periods = {"member": "2023", "adopter": "2024"}
    targets = {period: db_value_id(app, kworld.adoption.id, period) for period in ("2023", "2024", "2025")}
    for role in order:
        period = periods.get(role, "2023")
        url = f"/kpi/adoptions/{kworld.adoption.id}/values/{targets[period]}/delete"
        before = values_of(app, kworld.adoption.id)
        response = send(client_as(app, kworld, role), url, {"confirmed": "1"}, htmx=htmx)
        after = values_of(app, kworld.adoption.id)
        if role == "anonymous":
            assert_login(response, htmx)
            assert after == before
        elif role in WRITERS:
            if htmx:
                text = html.unescape(response.get_data(as_text=True))
                assert response.status_code == 200 and "<html" not in text
                assert f"Valore di {period} eliminato." in text
            else:
                assert response.status_code == 303
            assert [row.period for row in after] == [row.period for row in before if row.period != period]
        else:  # 2023 is final: they see it, may not delete it (administrators included)
            assert response.status_code == 403, role
            assert after == before
    assert [row[0] for row in values_of(app, kworld.adoption.id)] == ["2025"]  # nobody else deleted it


def test_delete_asks_first_and_outsiders_do_not_reach_provisional_values(app, kworld):
    provisional = db_value_id(app, kworld.adoption.id, "2025")
    url = f"/kpi/adoptions/{kworld.adoption.id}/values/{provisional}/delete"
    assert send(client_as(app, kworld, "outsider"), url, {"confirmed": "1"}).status_code == 404
    client = client_as(app, kworld, "adopter")
    response = send(client, url)
    assert response.status_code == 200 and "Eliminare il valore di 2025?" in response.get_data(as_text=True)
    assert stored(app, provisional) is not None
    assert client.post(url, data={"confirmed": "1"}).status_code == 400  # no CSRF token
    assert stored(app, provisional) is not None


# ---- store_value: the service the import reuses ----------------------------------------------------------------

def test_store_value_flushes_checks_and_never_commits(app, kworld):
    with app.test_request_context():
        adoption = db.session.get(KpiAdoption, kworld.adoption.id)
        adopter = db.session.get(User, kworld.adopter.id)
        row = services.store_value(adoption, "2020", "12,5", None, None, "final", "Nota", "", adopter)
        assert row.id is not None and (row.period, row.year, row.value) == ("2020", 2020, 12.5)
        with pytest.raises(services.ValueRefused) as refused:  # the same period again, in the same file
            services.store_value(adoption, "2020", 13, None, None, "final", "", "", adopter)
        assert refused.value.field == "period"
        assert services.error_text(refused.value) == "Esiste già un valore per 2020: modificatelo."
        for args, field, text in [
            (("2021", -1, None, None, "final", "", ""), "value",
             "Il valore è sotto il minimo ammesso per questo indicatore (0)."),
            (("2021-S1", 1, None, None, "final", "", ""), "period",
             "Periodo non valido per la frequenza dell'indicatore (per esempio 2025)."),
            (("2021", 1, None, None, "bozza", "", ""), "status", "Indicate se il valore è provvisorio o definitivo."),
            (("2021", None, "1", "0", "final", "", ""), "denominator", "Il denominatore non può essere zero."),
            (("2021", 1, None, None, "final", "", "data:text/html,x"), "source_url",
             "Indicate un indirizzo che inizia con http:// o https://."),
        ]:
            with pytest.raises(services.ValueRefused) as refused:
                services.store_value(adoption, *args, adopter)
            assert (refused.value.field, services.error_text(refused.value)) == (field, text), args
        outsider = db.session.get(User, kworld.outsider.id)
        with pytest.raises(services.ValueRefused) as refused:
            services.store_value(adoption, "2021", 1, None, None, "final", "", "", outsider)
        assert refused.value.field is None
        db.session.rollback()  # the caller's choice: nothing of the "file" stays
    assert "2020" not in [row.period for row in values_of(app, kworld.adoption.id)]
