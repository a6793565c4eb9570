"""Administrators edit the maturity stages' conditions (issue 14): who may, what each edit changes, what is refused
at the field with nothing changed, and the change log."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.indicators.definitions import INDICATORS
from app.indicators.stages import DEFAULT_CONDITIONS
from app.indicators.thresholds import ensure_conditions
from app.models import StageCondition, StageConditionChange
from tests.conftest import csrf_token, login

CONDITIONS_URL = "/admin/indicators/conditions"
CHANGES_URL = "/admin/indicators/changes"


def seeded(app) -> dict[tuple[str, str], int]:
    """The default conditions stored, as {(stage, code): id}."""
    with app.app_context():
        ensure_conditions()
        db.session.commit()
        return {(c.stage, c.code): c.id for c in db.session.execute(select(StageCondition)).scalars()}


def state(app, condition_id: int) -> tuple:
    """A condition's threshold, min_n and editor, and how many changes are logged."""
    with app.app_context():
        row = db.session.get(StageCondition, condition_id)
        logged = db.session.scalar(select(func.count()).select_from(StageConditionChange))
        return row.threshold, row.min_n, row.updated_by_id, logged


def changes(app) -> list[StageConditionChange]:
    with app.app_context():
        rows = db.session.execute(select(StageConditionChange).order_by(StageConditionChange.id)).scalars().all()
        for row in rows:
            db.session.expunge(row)
        return rows


def edit(client, condition_id: int, htmx: bool = False, **data):
    token = csrf_token(client, "/privacy")
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"{CONDITIONS_URL}/{condition_id}", data={**data, "csrf_token": token}, headers=headers)


def sign_in(client, world, role: str) -> None:
    if role != "anonymous":
        assert login(client, getattr(world, role)).status_code == 303


def field_error(page: str, field: str, condition_id: int) -> str:
    """The error message shown at a field of a condition's form."""
    match = re.search(rf'id="{field}-{condition_id}-error">([^<]*)<', page)
    assert match, f"no error at {field}-{condition_id}"
    return match.group(1)


# ---- who may ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role, status", [("admin", 200), ("facilitator", 403), ("member", 403),
                                          ("outsider", 403), ("anonymous", 302)])
@pytest.mark.parametrize("url", [CONDITIONS_URL, CHANGES_URL])
def test_pages_are_for_administrators_only(app, client, cworld, role, status, url):
    seeded(app)
    sign_in(client, cworld, role)
    response = client.get(url)
    assert response.status_code == status
    if role == "anonymous":
        assert "/auth/login" in response.headers["Location"]
    if status == 200:
        assert "HX-Request" in response.headers.get("Vary", "")


@pytest.mark.parametrize("role, status", [("admin", 303), ("facilitator", 403), ("member", 403),
                                          ("outsider", 403), ("anonymous", 302)])
def test_only_administrators_change_a_condition(app, client, cworld, role, status):
    ids = seeded(app)
    hub_q1 = ids[("hub", "Q1")]
    sign_in(client, cworld, role)
    response = edit(client, hub_q1, threshold="80", min_n="", note="Più esigente")
    assert response.status_code == status
    threshold, min_n, editor, logged = state(app, hub_q1)
    if role == "admin":
        assert (threshold, min_n, editor, logged) == (pytest.approx(0.8), None, cworld.admin.id, 1)
        (change,) = changes(app)
        assert (change.stage, change.code, change.old_threshold, change.new_threshold) == ("hub", "Q1", 0.7,
                                                                                          pytest.approx(0.8))
        assert (change.old_min_n, change.new_min_n, change.note, change.actor_id) == (None, None, "Più esigente",
                                                                                      cworld.admin.id)
    else:
        assert (threshold, min_n, editor, logged) == (0.7, None, None, 0)


@pytest.mark.parametrize("role, status", [("facilitator", 403), ("member", 403), ("anonymous", 401)])
def test_htmx_edit_by_others_changes_nothing(app, client, cworld, role, status):
    ids = seeded(app)
    sign_in(client, cworld, role)
    token = csrf_token(client, "/privacy")
    response = client.post(f"{CONDITIONS_URL}/{ids[('community', 'M1P')]}", headers={"HX-Request": "true"},
                           data={"threshold": "3", "note": "x", "csrf_token": token})
    assert response.status_code == status
    assert state(app, ids[("community", "M1P")]) == (10, None, None, 0)


def test_unknown_condition_is_404(app, client, cworld):
    seeded(app)
    sign_in(client, cworld, "admin")
    assert edit(client, 99999, threshold="5", note="x").status_code == 404
    assert edit(client, 99999, htmx=True, threshold="5", note="x").status_code == 404


def test_without_csrf_token_nothing_changes(app, client, cworld):
    ids = seeded(app)
    sign_in(client, cworld, "admin")
    response = client.post(f"{CONDITIONS_URL}/{ids[('hub', 'M3')]}", data={"threshold": "9", "note": "x"})
    assert response.status_code == 400
    assert state(app, ids[("hub", "M3")]) == (8, None, None, 0)


# ---- the pages --------------------------------------------------------------------------------------------------

def test_conditions_page_groups_by_stage_with_labels_units_and_note(app, client, cworld):
    seeded(app)
    sign_in(client, cworld, "admin")
    page = client.get(CONDITIONS_URL).get_data(as_text=True)
    headings = re.findall(r'<h2 id="stage-(\w+)">', page)
    assert headings == ["community", "hub", "centre"]
    assert "Risposte entro 2 giorni lavorativi" in page  # Q1's label from definitions.INDICATORS
    assert "almeno 70 %" in page  # hub's Q1 threshold 0.7, shown as a percentage
    assert "al massimo 5" in page  # hub's Q4, a count
    assert "al massimo 30 giorni" in page  # centre's S4, in days
    assert "con almeno 10 elementi contati" in page  # hub's Q3 min_n
    assert "Le modifiche valgono dal prossimo calcolo degli indicatori" in page
    assert "Soglia iniziale, mai modificata." in page
    assert page.count('<form method="post" class="mt-3"') == 29
    # A minimum of counted items only where the figure counts items (shares, medians, factors), not for counts.
    assert page.count('name="min_n"') == sum(1 for c in DEFAULT_CONDITIONS if INDICATORS[c.code].min_items)
    assert 'value="70"' in page  # the share is typed as a percentage


def test_conditions_page_seeds_the_defaults_on_a_fresh_platform(app, client, cworld):
    sign_in(client, cworld, "admin")
    assert client.get(CONDITIONS_URL).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StageCondition)) == 29


def test_admin_dashboard_links_to_the_conditions(app, client, cworld):
    sign_in(client, cworld, "admin")
    page = client.get("/admin/").get_data(as_text=True)
    assert f'href="{CONDITIONS_URL}"' in page


def test_htmx_success_swaps_the_condition_in_place(app, client, cworld):
    ids = seeded(app)
    q3 = ids[("hub", "Q3")]
    sign_in(client, cworld, "admin")
    response = edit(client, q3, htmx=True, threshold="62,5", min_n="12", note="Dopo la revisione annuale")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith(f'<li class="card card-bg mb-3" id="condition-{q3}">')
    assert "<html" not in body
    assert "almeno 62,5 %" in body and "con almeno 12 elementi contati" in body
    assert "Condizione aggiornata" in body
    assert "Dopo la revisione annuale" in body and "Ada Admin" in body  # the last change
    assert "HX-Request" in response.headers["Vary"]
    assert state(app, q3) == (pytest.approx(0.625), 12, cworld.admin.id, 1)


def test_full_page_success_redirects_with_a_flash(app, client, cworld):
    ids = seeded(app)
    m1a = ids[("centre", "M1A")]
    sign_in(client, cworld, "admin")
    response = edit(client, m1a, threshold="20", min_n="", note="Più amministrazioni")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{CONDITIONS_URL}#condition-{m1a}")
    page = client.get(CONDITIONS_URL).get_data(as_text=True)
    assert "Condizione aggiornata: vale dal prossimo calcolo degli indicatori." in page
    assert "almeno 20" in page and "Più amministrazioni" in page
    assert state(app, m1a)[:2] == (20, None)


def test_min_n_can_be_cleared_and_set(app, client, cworld):
    ids = seeded(app)
    s1 = ids[("centre", "S1")]
    sign_in(client, cworld, "admin")
    assert edit(client, s1, threshold="80", min_n="", note="Nessun minimo").status_code == 303
    assert state(app, s1)[:2] == (pytest.approx(0.8), None)
    assert edit(client, s1, threshold="80", min_n="0", note="Zero").status_code == 303
    assert state(app, s1)[:2] == (pytest.approx(0.8), 0)
    log = changes(app)
    assert [(c.old_min_n, c.new_min_n) for c in log] == [(5, None), (None, 0)]
    assert [c.old_threshold for c in log] == [pytest.approx(0.8)] * 2


# ---- refused input ----------------------------------------------------------------------------------------------

BAD = [
    (("hub", "Q1"), {"threshold": "150", "note": "x"}, "threshold", "Una percentuale va da 0 a 100."),
    (("hub", "Q1"), {"threshold": "-1", "note": "x"}, "threshold", "Una percentuale va da 0 a 100."),
    (("hub", "M3"), {"threshold": "-2", "note": "x"}, "threshold", "La soglia non può essere negativa."),
    (("hub", "M3"), {"threshold": "2,5", "note": "x"}, "threshold", "Questa soglia è un numero intero."),
    (("centre", "F2"), {"threshold": "2", "note": "x"}, "threshold", "Questa condizione vale 1 (sì) o 0 (no)."),
    (("centre", "S4"), {"threshold": "-0,5", "note": "x"}, "threshold", "La soglia non può essere negativa."),
    (("hub", "M3"), {"threshold": "otto", "note": "x"}, "threshold", "Scrivi un numero, per esempio 70 o 0,5."),
    (("hub", "M3"), {"threshold": "1e400", "note": "x"}, "threshold", "Scrivi un numero, per esempio 70 o 0,5."),
    (("hub", "M3"), {"threshold": "nan", "note": "x"}, "threshold", "Scrivi un numero, per esempio 70 o 0,5."),
    (("hub", "M3"), {"threshold": "", "note": "x"}, "threshold", "Scrivi la soglia."),
    (("hub", "M3"), {"threshold": "9", "min_n": "-3", "note": "x"}, "min_n",
     "Il minimo di elementi contati non può essere negativo."),
    (("hub", "M3"), {"threshold": "9", "min_n": "tre", "note": "x"}, "min_n",
     "Scrivi un numero intero, o lascia vuoto."),
    (("hub", "M3"), {"threshold": "9", "min_n": "2,5", "note": "x"}, "min_n",
     "Scrivi un numero intero, o lascia vuoto."),
    (("hub", "M3"), {"threshold": "9", "min_n": "3", "note": "x"}, "min_n",
     "Questo indicatore è un conteggio: non ha elementi contati su cui chiedere un minimo. Lascia vuoto."),
    (("hub", "M3"), {"threshold": "9", "note": ""}, "note", "Scrivi il motivo della modifica: resta nel registro."),
    (("hub", "M3"), {"threshold": "9", "note": "   \u200b "}, "note",
     "Scrivi il motivo della modifica: resta nel registro."),
    (("hub", "M3"), {"threshold": "9", "note": "x" * 1001}, "note", "Il motivo può avere al massimo 1000 caratteri."),
    (("hub", "M3"), {"threshold": "8", "note": "Nulla"}, "threshold",
     "Nessuna modifica: la soglia e il minimo sono già questi."),
    (("hub", "Q1"), {"threshold": "70,0", "note": "Nulla"}, "threshold",
     "Nessuna modifica: la soglia e il minimo sono già questi."),
]


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("key, data, field, message", BAD, ids=[f"{k[1]}-{d}"[:40] for k, d, _f, _m in BAD])
def test_bad_input_is_refused_at_the_field_and_changes_nothing(app, client, cworld, htmx, key, data, field,
                                                               message):
    ids = seeded(app)
    condition_id = ids[key]
    before = state(app, condition_id)
    sign_in(client, cworld, "admin")
    response = edit(client, condition_id, htmx=htmx, **data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, field, condition_id) == message
    assert re.search(rf'aria-describedby="[^"]*{field}-{condition_id}-error', page)
    assert ("<html" in page) is not htmx
    if htmx:
        assert page.lstrip().startswith(f'<li class="card card-bg mb-3" id="condition-{condition_id}">')
    assert "<details open>" in page  # the refused form stays open, with what was typed
    assert state(app, condition_id) == before


def test_refused_share_keeps_what_was_typed(app, client, cworld):
    ids = seeded(app)
    sign_in(client, cworld, "admin")
    page = edit(client, ids[("hub", "K2")], htmx=True, threshold="150", note="Troppo").get_data(as_text=True)
    assert 'value="150"' in page and "Troppo" in page


# ---- the log ----------------------------------------------------------------------------------------------------

def test_change_log_newest_first_with_actor_note_and_units(app, client, cworld):
    ids = seeded(app)
    sign_in(client, cworld, "admin")
    assert edit(client, ids[("hub", "Q1")], threshold="75", note="Primo ritocco").status_code == 303
    assert edit(client, ids[("centre", "S4")], threshold="20", min_n="6", note="Chiusure più rapide").status_code == 303
    page = client.get(CHANGES_URL).get_data(as_text=True)
    first, second = page.index("Chiusure più rapide"), page.index("Primo ritocco")
    assert first < second
    assert "30 giorni → 20 giorni" in page and "nessuno → 6" in page
    assert "70 % → 75 %" in page and "nessuno (invariato)" in page
    assert page.count("Ada Admin") >= 2
    assert "<caption" in page and 'scope="col"' in page


def test_change_log_is_paginated_with_htmx_fragment(app, client, cworld):
    ids = seeded(app)
    with app.app_context():
        for n in range(55):
            db.session.add(StageConditionChange(stage="hub", code="M3", old_threshold=n, new_threshold=n + 1,
                                                note=f"modifica {n:02d}", actor_id=cworld.admin.id))
        db.session.commit()
    assert ids
    sign_in(client, cworld, "admin")
    first = client.get(CHANGES_URL).get_data(as_text=True)
    assert "modifica 54" in first and "modifica 05" in first and "modifica 04" not in first
    assert f'href="{CHANGES_URL}?page=2"' in first
    second = client.get(f"{CHANGES_URL}?page=2", headers={"HX-Request": "true"})
    body = second.get_data(as_text=True)
    assert second.status_code == 200 and "<html" not in body
    assert "modifica 04" in body and "modifica 00" in body and "modifica 05" not in body


def test_empty_change_log_says_so(app, client, cworld):
    sign_in(client, cworld, "admin")
    assert "Nessuna modifica" in client.get(CHANGES_URL).get_data(as_text=True)


# ---- the service itself -----------------------------------------------------------------------------------------

def test_update_condition_service_logs_and_refuses(app, cworld):
    from app.indicators.thresholds import ConditionError, update_condition
    from app.models import User

    ids = seeded(app)
    with app.app_context():
        admin = db.session.get(User, cworld.admin.id)
        change = update_condition(ids[("hub", "Q3")], 0.5, 12, "  Solo il minimo  ", admin)
        assert (change.old_threshold, change.new_threshold, change.old_min_n, change.new_min_n) == (0.5, 0.5, 10, 12)
        assert change.note == "Solo il minimo" and change.actor_id == admin.id and change.id is not None
        for threshold, min_n, field in [(float("nan"), None, "threshold"), (float("inf"), None, "threshold"),
                                        (None, None, "threshold"), (True, None, "threshold"), (1.01, None, "threshold"),
                                        (0.5, -1, "min_n"), (0.5, 2.5, "min_n"), (0.5, 12, "threshold")]:
            admin = db.session.get(User, cworld.admin.id)
            with pytest.raises(ConditionError) as refused:
                update_condition(ids[("hub", "Q3")], threshold, min_n, "motivo", admin)
            assert refused.value.field == field, (threshold, min_n)
        with pytest.raises(LookupError):
            update_condition(99999, 1, None, "motivo", db.session.get(User, cworld.admin.id))
    assert state(app, ids[("hub", "Q3")]) == (0.5, 12, cworld.admin.id, 1)


def test_pages_issue_a_bounded_number_of_queries(app, client, cworld):
    from tests.conftest import count_queries

    ids = seeded(app)
    sign_in(client, cworld, "admin")
    few_conditions = count_queries(app, client, CONDITIONS_URL)
    few_changes = count_queries(app, client, CHANGES_URL)
    # 7 (or 7 %) is no default threshold, so every edit changes something; the yes/no condition (F2) is left out.
    for n, key in enumerate([key for key in ids if key[1] != "F2"][:12]):
        assert edit(client, ids[key], threshold="7", note=f"modifica {n}").status_code == 303
    assert count_queries(app, client, CONDITIONS_URL) == few_conditions
    assert count_queries(app, client, CHANGES_URL) <= few_changes + 1  # the page count once there are rows
