"""The values of an adoption (issue 16): who writes them (role × full page / htmx, rows written or not), the checks
against unit and range (percent 120, negative days, NaN, ratio mismatch), the period per frequency, duplicates,
provisional values hidden from other organisations and anonymous readers, edit and delete all-or-nothing."""
from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import KpiValue, Organization
from tests.functional.test_kpi_adoptions import ROLES, assert_login, client_as, send
from tests.kpi_world import make_adoption, make_kpi

WRITERS = {"member", "adopter"}  # administrators see provisional values, never write them
READERS_OF_PROVISIONAL = WRITERS | {"admin"}


def values_of(app, adoption_id):
    with app.app_context():
        return list(db.session.execute(select(KpiValue.period, KpiValue.value, KpiValue.status, KpiValue.numerator,
                                              KpiValue.denominator, KpiValue.source_url)
                                       .where(KpiValue.adoption_id == adoption_id).order_by(KpiValue.period)))


def value(period, number="", **fields):
    return {"period": period, "value": number, "status": "final", "source_note": "Controllo di gestione", **fields}


def chieri_adopts(app, kworld, name, unit="percent", frequency="annual", **fields):
    """A new KPI of `unit` and `frequency` adopted by Chieri; its adoption id."""
    with app.app_context():
        definition = make_kpi(name, unit=unit, frequency=frequency, author=None, **fields)
        adoption = make_adoption(definition, db.session.get(Organization, kworld.chieri.id), plan_year=2025,
                                 baseline_value=None, target_1=None, target_2=None, target_3=None)
        db.session.commit()
        return adoption.id


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_add_value_matrix(app, kworld, htmx):
    url = f"/kpi/adoptions/{kworld.adoption.id}/values"
    for index, role in enumerate(ROLES):
        period = str(2010 + index)
        before = values_of(app, kworld.adoption.id)
        response = send(client_as(app, kworld, role), url, value(period, f"{30 + index},5"), htmx=htmx)
        after = values_of(app, kworld.adoption.id)
        if role == "anonymous":
            assert_login(response, htmx)
            assert after == before
        elif role in WRITERS:
            text = html.unescape(response.get_data(as_text=True))
            if htmx:  # the values block again: the new row, an empty form, a message for screen readers
                assert response.status_code == 200 and "<html" not in text
                assert f'<th scope="row">{period}</th>' in text and 'role="status"' in text
                assert f"Valore registrato per {period}" in text
            else:
                assert response.status_code == 303
                assert response.headers["Location"].endswith(f"/kpi/adoptions/{kworld.adoption.id}#values")
            assert len(after) == len(before) + 1, role
            assert (period, 30.5 + index, "final") in [row[:3] for row in after]
        else:
            assert response.status_code == 403, role
            assert after == before, role
    with app.app_context():
        row = db.session.scalar(select(KpiValue).where(KpiValue.adoption_id == kworld.adoption.id,
                                                       KpiValue.period == "2011"))
        assert row.reported_by_id == kworld.member.id  # Chieri's non-referent person writes them too


def test_peer_and_other_adoptions_are_not_writable(app, kworld):
    client = client_as(app, kworld, "adopter")  # Chieri's referent on Moncalieri's adoption
    assert send(client, f"/kpi/adoptions/{kworld.peer_adoption.id}/values", value("2022", "50")).status_code == 403
    assert send(client, "/kpi/adoptions/999999/values", value("2022", "50")).status_code == 404
    assert len(values_of(app, kworld.peer_adoption.id)) == 3


CHECKS = [
    # (unit, fields, field with the error, message)
    ("percent", value("2025", "120"), "value", "sopra il massimo ammesso per questo indicatore (100)"),
    ("percent", value("2025", "-1"), "value", "sotto il minimo ammesso per questo indicatore (0)"),
    ("days", value("2025", "-3"), "value", "sotto il minimo ammesso per questo indicatore (0)"),
    ("percent", value("2025", "NaN"), "value", "Il valore non è un numero."),
    ("percent", value("2025", "inf"), "value", "Il valore non è un numero."),
    ("percent", value("2025", "quaranta"), "value", "Il valore non è un numero."),
    ("percent", value("2025", "4;2"), "value", "Il valore non è un numero."),
    ("percent", value("2025", "9" * 39), "value", "Il valore non è un numero."),
    ("percent", value("2025", "50", numerator="3", denominator="4"), "value",
     "Il valore non corrisponde a numeratore diviso denominatore."),
    ("percent", value("2025", numerator="3", denominator="0"), "denominator", "Il denominatore non può essere zero."),
    ("percent", value("2025", numerator="3"), "denominator", "sia il numeratore sia il denominatore"),
    ("percent", value("2025"), "value", "Indicate il valore, oppure numeratore e denominatore."),
    ("percent", value("2025", numerator="5", denominator="4"), "value", "sopra il massimo"),
    ("percent", value("2025-Q1", "50"), "period", "per esempio 2025"),
    ("percent", value("", "50"), "period", "Periodo non valido"),
    ("percent", value("1800", "50"), "period", "Periodo non valido"),
    ("percent", value("2025' OR 1=1", "50"), "period", "Periodo non valido"),
    ("percent", value("2025" * 500, "50"), "period", "più lungo di 20 caratteri"),
    ("percent", value("2025", "50", source_url="javascript:alert(1)"), "source_url", "http:// o https://"),
    ("percent", value("2025", "50", source_url="ftp://dati.example.it/x"), "source_url", "http:// o https://"),
    ("percent", {**value("2025", "50"), "status": "forse"}, "status", "provvisorio o definitivo"),
    ("percent", {**value("2025", "50"), "source_note": "F" * 600}, "source_note", "Al massimo 500 caratteri."),
]


def test_checks_at_the_field_and_nothing_saved(app, kworld):
    adoptions = {"percent": chieri_adopts(app, kworld, "Quota di pratiche digitali"),
                 "days": kworld.adoption.id}
    client = client_as(app, kworld, "adopter")
    before = {unit: values_of(app, adoption_id) for unit, adoption_id in adoptions.items()}
    for unit, fields, field, message in CHECKS:
        response = send(client, f"/kpi/adoptions/{adoptions[unit]}/values", fields, htmx=True)
        text = html.unescape(response.get_data(as_text=True))
        assert response.status_code == 422, fields
        assert f'id="{field}-error"' in text and message in text, (fields, text[-4000:])
        if field != "source_note":
            assert 'value="Controllo di gestione"' in text  # the rest kept
    assert {unit: values_of(app, adoption_id) for unit, adoption_id in adoptions.items()} == before


def test_control_characters_are_dropped_not_stored(app, kworld):
    client = client_as(app, kworld, "adopter")
    response = send(client, f"/kpi/adoptions/{kworld.adoption.id}/values",
                    value("20\x0021", "4\x002", source_note="Nota\x00 con NUL"))
    assert response.status_code == 303
    assert ("2021", 42.0, "final", None, None, "") in values_of(app, kworld.adoption.id)


def test_value_from_numerator_and_denominator(app, kworld):
    adoption_id = chieri_adopts(app, kworld, "Quota di pratiche digitali")
    client = client_as(app, kworld, "adopter")
    assert send(client, f"/kpi/adoptions/{adoption_id}/values",
                value("2025", numerator="3", denominator="4", source_url="https://dati.example.it/x"),
                ).status_code == 303
    assert send(client, f"/kpi/adoptions/{adoption_id}/values",
                value("2024", "66,7", numerator="2", denominator="3")).status_code == 303
    assert values_of(app, adoption_id) == [("2024", 66.7, "final", 2.0, 3.0, ""),
                                           ("2025", 75.0, "final", 3.0, 4.0, "https://dati.example.it/x")]
    text = client.get(f"/kpi/adoptions/{adoption_id}").get_data(as_text=True)
    assert "75 %" in text and "3 / 4" in text


@pytest.mark.parametrize("frequency, good, canonical, bad, example", [
    ("annual", "2025", "2025", "2025-S1", "2025"),
    ("half_yearly", "2025-s2", "2025-S2", "2025", "2025-S2"),
    ("quarterly", " 2025-q3 ", "2025-Q3", "2025-Q5", "2025-Q4"),
    ("monthly", "2025-07", "2025-07", "2025-13", "2025-12"),
])
def test_period_per_frequency(app, kworld, frequency, good, canonical, bad, example):
    adoption_id = chieri_adopts(app, kworld, f"Pratiche {frequency}", frequency=frequency)
    client = client_as(app, kworld, "adopter")
    page = html.unescape(client.get(f"/kpi/adoptions/{adoption_id}").get_data(as_text=True))
    assert f"per esempio {example}" in page
    response = send(client, f"/kpi/adoptions/{adoption_id}/values", value(bad, "50"), htmx=True)
    assert response.status_code == 422
    assert f"(per esempio {example})" in html.unescape(response.get_data(as_text=True))
    assert send(client, f"/kpi/adoptions/{adoption_id}/values", value(good, "50")).status_code == 303
    assert [row.period for row in values_of(app, adoption_id)] == [canonical]
    with app.app_context():
        assert db.session.scalar(select(KpiValue.year).where(KpiValue.adoption_id == adoption_id)) == 2025


def test_duplicate_period_is_a_field_error(app, kworld):
    client = client_as(app, kworld, "member")
    before = values_of(app, kworld.adoption.id)
    for htmx in (False, True):
        response = send(client, f"/kpi/adoptions/{kworld.adoption.id}/values", value("2024", "20"), htmx=htmx)
        text = html.unescape(response.get_data(as_text=True))
        assert response.status_code == 422
        assert 'id="period-error"' in text and "Esiste già un valore per 2024: modificatelo." in text
        assert ("<html" in text) is (not htmx)
    assert values_of(app, kworld.adoption.id) == before


def test_provisional_values_only_for_the_organisation(app, kworld):
    provisional = db_value_id(app, kworld.adoption.id, "2025")
    for role in ROLES:
        client = client_as(app, kworld, role)
        text = client.get(f"/kpi/adoptions/{kworld.adoption.id}").get_data(as_text=True)
        fragment = client.get(f"/kpi/adoptions/{kworld.adoption.id}", headers={"HX-Request": "true"})
        sees = role in READERS_OF_PROVISIONAL
        for page in (text, fragment.get_data(as_text=True)):
            assert ('text-dark">Provvisorio</span>' in page) is sees, role
            assert ("27 gg" in page) is sees, role
        edit = client.get(f"/kpi/adoptions/{kworld.adoption.id}/values/{provisional}/edit")
        if role == "anonymous":
            assert_login(edit, False)
        else:
            assert edit.status_code == (200 if role in WRITERS else 403 if sees else 404), role


def db_value_id(app, adoption_id, period):
    with app.app_context():
        return db.session.scalar(select(KpiValue.id).where(KpiValue.adoption_id == adoption_id,
                                                           KpiValue.period == period))


def test_withdrawn_adoption_takes_no_values(app, kworld):
    client = client_as(app, kworld, "adopter")
    send(client, f"/kpi/adoptions/{kworld.adoption.id}/withdraw", {"confirmed": "1"})
    assert send(client, f"/kpi/adoptions/{kworld.adoption.id}/values", value("2020", "20")).status_code == 403
    assert len(values_of(app, kworld.adoption.id)) == 3


def test_adoption_page_queries_do_not_grow_with_the_values(app, kworld):
    from sqlalchemy import event

    def statements_for(client, url):
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    client = client_as(app, kworld, "adopter")
    url = f"/kpi/adoptions/{kworld.adoption.id}"
    few = statements_for(client, url)
    assert few > 0
    with app.app_context():
        for year in range(1990, 2020):
            db.session.add(KpiValue(adoption_id=kworld.adoption.id, period=str(year), year=year, value=30.0,
                                    status="final", reported_by_id=kworld.member.id))
        db.session.commit()
    assert statements_for(client, url) == few
