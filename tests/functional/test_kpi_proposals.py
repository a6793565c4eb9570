"""Proposing a KPI in a community or a programme (issue 16): who may, the whole record, every bad input refused at
its field with the rest kept and nothing written, forged reference ids, htmx and full page, CSRF."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import KpiChange, KpiDefinition, KpiVersion, Notification
from tests.conftest import csrf_token, login, post
from tests.kpi_world import term


def ids(app, *pairs) -> list[str]:
    with app.app_context():
        return [str(term(scheme, code).id) for scheme, code in pairs]


def record(app, **changes) -> dict:
    """A complete, valid record (a ratio, higher is better, mission 12 and SDG 4), with `changes` applied."""
    missions = ids(app, ("mission_local", "12"), ("mission_state", "024"))
    data = {"name": "Posti nei centri estivi ogni 100 ragazzi", "short_name": "Centri estivi",
            "description": "Posti **autorizzati** nei centri estivi comunali e convenzionati.",
            "typology": "output", "formula_kind": "ratio", "numerator": "Posti autorizzati",
            "denominator": "Residenti tra 6 e 14 anni", "formula": "", "unit": "per_100", "polarity": "higher",
            "range_low": "", "range_high": "", "value_min": "0", "value_max": "100", "frequency": "annual",
            "data_source": "Ufficio politiche giovanili", "level": "municipality", "missions": missions,
            "piao_subsection": ids(app, ("piao_subsection", "2.1"))[0],
            "bes_domain": ids(app, ("bes_domain", "BES_05"))[0], "external_code": "",
            "sdgs": ids(app, ("sdg", "4"), ("sdg", "10")), "tags": "Estate, Ragazzi, estate", "caveat": ""}
    data.update(changes)
    return data


def sender(client):
    """POST with one CSRF token for the whole session (the token stays valid; fewer pages fetched)."""
    token = csrf_token(client, "/privacy")

    def send(url: str, data: dict, htmx: bool = False):
        return client.post(url, data={**data, "csrf_token": token}, headers={"HX-Request": "true"} if htmx else {})
    return send


def counts(app) -> tuple:
    with app.app_context():
        return (db.session.scalar(select(func.count(KpiDefinition.id))),
                db.session.scalar(select(func.count(KpiVersion.id))),
                db.session.scalar(select(func.count(KpiChange.id))))


def new_url(kworld, where: str) -> str:
    return (f"/kpi/new?community={kworld.community.slug}" if where == "community"
            else f"/kpi/new?programme={kworld.programme.slug}")


# ---- who may propose -----------------------------------------------------------------------------------------

PROPOSERS = {
    "community": {"member": True, "adopter": True, "facilitator": True, "admin": True, "staff": False,
                  "region_person": False, "outsider": False, "supplier_person": False},
    "programme": {"staff": True, "region_person": True, "admin": True, "member": False, "facilitator": False,
                  "outsider": False, "supplier_person": False},
}


@pytest.mark.parametrize("where", ["community", "programme"])
def test_anonymous_is_sent_to_sign_in(client, kworld, where):
    response = client.get(new_url(kworld, where))
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    response = client.get(new_url(kworld, where), headers={"HX-Request": "true"})
    assert response.status_code == 401 and "/auth/login" in response.headers["HX-Redirect"]


@pytest.mark.parametrize("where", ["community", "programme"])
def test_who_may_propose_matrix(app, client, kworld, where):
    for role, allowed in PROPOSERS[where].items():
        client = app.test_client()
        login(client, getattr(kworld, role))
        page = client.get(new_url(kworld, where))
        assert page.status_code == (200 if allowed else 403), (where, role, page.status_code)
        fragment = client.get(new_url(kworld, where), headers={"HX-Request": "true"})
        assert fragment.status_code == (200 if allowed else 403), (where, role)
        if allowed:
            assert "<html" in page.get_data(as_text=True) and "<html" not in fragment.get_data(as_text=True)
            assert 'name="name"' in page.get_data(as_text=True) and 'id="kpi-similar"' in page.get_data(as_text=True)
        before = counts(app)
        response = post(client, new_url(kworld, where), record(app, name=f"Indicatore di {role} {where}"))
        if allowed:
            assert response.status_code == 303, (where, role, response.get_data(as_text=True)[:400])
            with app.app_context():
                slug = response.headers["Location"].rsplit("/", 1)[1]
                created = db.session.scalar(select(KpiDefinition).where(KpiDefinition.slug == slug))
                assert created.status == "proposed"
                assert (created.community_id is not None) is (where == "community")
                assert (created.programme_id is not None) is (where == "programme")
            assert counts(app)[0] == before[0] + 1
        else:
            assert response.status_code == 403 and counts(app) == before, (where, role)


def test_the_whole_record_is_written(app, client, kworld, fetch):
    login(client, kworld.member)
    response = post(client, new_url(kworld, "community"), record(app, caveat="Dipende dall'offerta privata."))
    assert response.status_code == 303
    slug = response.headers["Location"].rsplit("/", 1)[1]
    assert response.headers["Location"].endswith(f"/kpi/{slug}")
    with app.app_context():
        definition = db.session.scalar(select(KpiDefinition).where(KpiDefinition.slug == slug))
        version = definition.current_version
        assert definition.author_organization_id == kworld.chieri.id and definition.proposed_by_id == kworld.member.id
        assert definition.code.startswith("KPI-") and version.number == 1
        assert (version.name, version.short_name, version.typology, version.unit, version.level) == (
            "Posti nei centri estivi ogni 100 ragazzi", "Centri estivi", "output", "per_100", "municipality")
        assert (version.numerator, version.denominator) == ("Posti autorizzati", "Residenti tra 6 e 14 anni")
        assert (version.value_min, version.value_max, version.range_low) == (0.0, 100.0, None)
        assert version.tags == ["estate", "ragazzi"]
        assert sorted(t.code for t in version.missions) == ["024", "12"]
        assert sorted(t.code for t in version.sdgs) == ["10", "4"]
        assert version.piao_subsection.code == "2.1" and version.bes_domain.code == "BES_05"
        assert version.caveat == "Dipende dall'offerta privata."
        # the community's facilitator is told (core.propose)
        told = db.session.scalars(select(Notification.user_id).where(Notification.verb == "kpi.proposed")).all()
        assert kworld.facilitator.id in told and kworld.member.id not in told


def test_htmx_success_redirects_by_header(app, client, kworld):
    login(client, kworld.staff)
    response = post(client, new_url(kworld, "programme"), record(app), htmx=True)
    assert response.status_code == 204 and "/kpi/" in response.headers["HX-Redirect"]


def test_without_a_place_a_page_explains_where(app, client, kworld):
    login(client, kworld.member)
    page = client.get("/kpi/new")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Valore pubblico" in text and f"community={kworld.community.slug}" in text
    client = app.test_client()
    login(client, kworld.staff)
    text = client.get("/kpi/new").get_data(as_text=True)
    assert f"programme={kworld.programme.slug}" in text
    before = counts(app)
    assert post(client, "/kpi/new", record(app)).status_code == 200
    assert counts(app) == before


def test_unknown_or_invisible_place_is_404(app, client, kworld):
    from tests.conftest import make_community

    with app.app_context():
        make_community("Riservata", "private")
        db.session.commit()
    login(client, kworld.member)
    for query in ("community=nessuna", "programme=nessuno", "community=a%00b", "community=riservata",
                  "community=valore-pubblico&programme=ask-public-value"):
        assert client.get(f"/kpi/new?{query}").status_code == 404, query
        assert post(client, f"/kpi/new?{query}", record(app)).status_code == 404, query


def test_csrf_missing_is_400(app, client, kworld):
    login(client, kworld.member)
    before = counts(app)
    response = client.post(new_url(kworld, "community"), data=record(app))
    assert response.status_code == 400 and counts(app) == before


# ---- bad input -----------------------------------------------------------------------------------------------

BAD = [
    ({"name": ""}, "name", "Scrivete il nome"),
    ({"name": "x" * 201}, "name", "Al massimo 200"),
    ({"name": "\x00\u202e"}, "name", "Scrivete il nome"),
    ({"description": "   "}, "description", "Scrivete che cosa misura"),
    ({"data_source": ""}, "data_source", "Indicate da dove"),
    ({"denominator": ""}, "denominator", "denominatore"),
    ({"numerator": ""}, "numerator", "numeratore"),
    ({"formula_kind": "description", "formula": ""}, "formula", "Descrivete come si calcola"),
    ({"polarity": "range"}, "range_low", "dove comincia"),
    ({"polarity": "range", "range_low": "10"}, "range_high", "dove finisce"),
    ({"polarity": "range", "range_low": "20", "range_high": "10"}, "range_high", "finire dopo"),
    ({"value_min": "50", "value_max": "10"}, "value_max", "minore del minimo"),
    ({"value_min": "dieci"}, "value_min", "Scrivete un numero"),
    ({"value_max": "1e400"}, "value_max", "Scrivete un numero"),
    ({"value_max": "nan"}, "value_max", "Scrivete un numero"),
    ({"unit": "percent", "value_min": "-5"}, "value_min", "fuori dai valori"),
    ({"unit": "percent", "polarity": "range", "range_low": "90", "range_high": "120", "value_max": ""},
     "range_high", "fuori dai valori"),
    ({"missions": []}, "missions", "almeno una missione"),
    ({"missions": ["999999"]}, "missions", "Scegliete le missioni"),
    ({"missions": ["abc"]}, "missions", "Scegliete le missioni"),
    ({"sdgs": ["99999999999999999999"]}, "sdgs", "Scegliete gli obiettivi"),
    ({"piao_subsection": "424242"}, "piao_subsection", "Scegliete la sottosezione"),
    ({"bes_domain": "-1"}, "bes_domain", "Scegliete il dominio"),
    ({"unit": "kilograms"}, "unit", "Scegliete l'unità"),
    ({"polarity": "sideways"}, "polarity", "Scegliete la polarità"),
    ({"typology": ""}, "typology", "Scegliete la tipologia"),
    ({"frequency": "weekly"}, "frequency", "Scegliete la frequenza"),
    ({"level": "planet"}, "level", "Scegliete il livello"),
    ({"formula_kind": "magic"}, "formula_kind", "Scegliete come si calcola"),
    ({"tags": ", ".join(f"t{n}" for n in range(11))}, "tags", "Al massimo 10 parole"),
    ({"tags": "a" * 41}, "tags", "al massimo 40 caratteri"),
    ({"external_code": "X" * 41}, "external_code", "Al massimo 40"),
    ({"description": "d" * 20_001}, "description", "Al massimo 20000"),
]


def test_bad_input_at_its_field_rest_kept_nothing_written(app, client, kworld):
    """Every case of BAD in one world (the world costs more than the posts)."""
    login(client, kworld.member)
    send, base = sender(client), record(app)
    before = counts(app)
    for changes, field, message in BAD:
        data = {**base, **changes}
        response = send(new_url(kworld, "community"), data)
        text = response.get_data(as_text=True)
        assert response.status_code == 422, (changes, text[:500])
        assert f'id="{field}-error"' in text, changes
        assert message in text.split(f'id="{field}-error"', 1)[1][:300], changes
        assert counts(app) == before, changes
        # the rest is kept
        if field != "data_source":
            assert 'value="Ufficio politiche giovanili"' in text, changes
        if field != "missions":
            assert (f'value="{data["missions"][0]}" selected' in text
                    or f'selected value="{data["missions"][0]}"' in text), changes


def test_bad_input_htmx_returns_the_form_alone(app, client, kworld):
    login(client, kworld.member)
    response = post(client, new_url(kworld, "community"), record(app, denominator=""), htmx=True)
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "<html" not in text and 'id="kpi-definition-form"' in text
    assert 'id="denominator-error"' in text and "error-summary" in text


def test_description_formula_needs_no_ratio(app, client, kworld, fetch):
    login(client, kworld.member)
    response = post(client, new_url(kworld, "community"), record(
        app, formula_kind="description", numerator="ignorato", denominator="", formula="Media ponderata",
        polarity="range", range_low="2,5", range_high="1.000,5", unit="days", value_min="", value_max=""))
    assert response.status_code == 303, response.get_data(as_text=True)[:600]
    with app.app_context():
        version = db.session.scalar(select(KpiVersion).order_by(KpiVersion.id.desc()).limit(1))
        assert (version.numerator, version.formula, version.range_low, version.range_high) == (
            "", "Media ponderata", 2.5, 1000.5)


def test_technical_missions_are_listed_last_but_allowed(app, client, kworld):
    login(client, kworld.member)
    text = client.get(new_url(kworld, "community")).get_data(as_text=True)
    assert text.index("Missioni del bilancio dello Stato") < text.index("Missioni tecniche")
    assert text.index("Servizi per conto terzi") > text.index("Missioni tecniche")
    technical = ids(app, ("mission_local", "99"))
    response = post(client, new_url(kworld, "community"), record(app, missions=technical))
    assert response.status_code == 303


def test_name_field_asks_for_similar_kpis(app, client, kworld):
    login(client, kworld.facilitator)
    trigger = 'hx-trigger="input changed delay:400ms, keyup changed delay:400ms"'
    text = client.get(new_url(kworld, "community")).get_data(as_text=True)
    name_input = text[text.index('id="name"') - 400:text.index('id="name"') + 400]
    assert 'hx-get="/kpi/similar"' in name_input and trigger in name_input
    assert 'hx-target="#kpi-similar"' in name_input and 'hx-include="this"' in name_input
    assert '<div id="kpi-similar" aria-live="polite"></div>' in text
    text = client.get(f"/kpi/{kworld.published.slug}/edit").get_data(as_text=True)
    assert f'hx-get="/kpi/similar?exclude={kworld.published.slug}"' in text
