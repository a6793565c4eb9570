"""Calls for expression of interest (issue 15, part CALLS): a programme's staff create and edit a call (window in
Europe/Rome, seats per kind, the candidacy form's fields), bad input refused at the field with nothing saved, and the
call's public page."""
from __future__ import annotations

import html
from datetime import datetime

from sqlalchemy import func, select

from app.extensions import db
from app.models import CallQuota, InterestCall, InterestCandidacy, Organization
from app.models.base import utcnow
from tests.conftest import login, make_org, post

GOOD = {
    "title": "Innovation Lab 2028", "description": "Un avviso **nuovo** per le amministrazioni.",
    "opens_on": "2028-03-20", "opens_time": "09:00", "closes_on": "2028-03-31", "closes_time": "18:00",
    "seats_region": "20", "seats_metropolitan_city": "14", "seats_municipality": "14",
    "fields-0-key": "", "fields-0-label": "Missione di bilancio", "fields-0-kind": "choice", "fields-0-required": "y",
    "fields-0-choices": "01 Servizi istituzionali\n04 Istruzione", "fields-0-help": "La missione del laboratorio",
    "fields-1-key": "", "fields-1-label": "Budget previsto", "fields-1-kind": "number", "fields-1-help": "",
    "fields-1-choices": "",
}


def new_url(world) -> str:
    return f"/programmes/{world.programme.slug}/calls/new"


def stored(app, slug: str) -> dict:
    with app.app_context():
        call = db.session.scalar(select(InterestCall).where(InterestCall.slug == slug))
        if call is None:
            return {}
        return {"id": call.id, "title": call.title, "description": call.description, "phase": call.phase,
                "opens_at": call.opens_at, "closes_at": call.closes_at, "fields": call.fields,
                "published_at": call.published_at, "results_published_at": call.results_published_at,
                "quotas": {quota.pa_kind: quota.seats for quota in call.quotas}}


def count_calls(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(InterestCall.id)))


def test_staff_create_a_call_in_draft_with_window_seats_and_fields(app, client, progworld):
    login(client, progworld.staff)
    page = client.get(new_url(progworld))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for label in ("Regione", "Città metropolitana", "Comune", "Azienda sanitaria", "Aggiungi un campo"):
        assert label in text
    response = post(client, new_url(progworld), GOOD)
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    assert response.headers["Location"].endswith("/calls/innovation-lab-2028")
    call = stored(app, "innovation-lab-2028")
    assert call["phase"] == "draft" and call["published_at"] is None
    # 09:00 and 18:00 in Rome in late March 2028: the 20th is winter time (UTC+1), the 31st summer time (UTC+2).
    assert call["opens_at"] == datetime(2028, 3, 20, 8, 0) and call["closes_at"] == datetime(2028, 3, 31, 16, 0)
    assert call["quotas"] == {"region": 20, "metropolitan_city": 14, "municipality": 14}
    assert call["fields"] == [
        {"key": "missione_di_bilancio", "label": "Missione di bilancio", "kind": "choice", "required": True,
         "choices": ["01 Servizi istituzionali", "04 Istruzione"], "help": "La missione del laboratorio"},
        {"key": "budget_previsto", "label": "Budget previsto", "kind": "number", "required": False, "choices": [],
         "help": ""}]
    page = html.unescape(client.get("/calls/innovation-lab-2028").get_data(as_text=True))
    assert "<strong>nuovo</strong>" in page and "In preparazione" in page and "Pubblica l'avviso" in page
    assert "Budget previsto" in page and "20 marzo 2028, 09:00" in page and "31 marzo 2028, 18:00" in page


def test_a_new_call_by_htmx_is_a_real_navigation_and_the_same_title_gets_its_own_slug(app, client, progworld):
    login(client, progworld.admin)
    assert post(client, new_url(progworld), GOOD).status_code == 303
    response = post(client, new_url(progworld), GOOD, htmx=True)
    assert response.status_code == 204 and response.headers["HX-Redirect"].endswith("/calls/innovation-lab-2028-2")
    fragment = client.get(new_url(progworld), headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="call-form"' in fragment and "<html" not in fragment


def test_only_the_programme_staff_and_administrators_write_calls(app, client, progworld):
    assert client.get(new_url(progworld)).status_code == 302  # anonymous: sign in first
    for person in (progworld.member, progworld.region_referent, progworld.organizer):
        login(client, person)
        assert client.get(new_url(progworld)).status_code == 403
        assert post(client, new_url(progworld), GOOD).status_code == 403
        assert client.get(f"/calls/{progworld.call.slug}/edit").status_code == 403
        post(client, "/auth/logout")
    assert count_calls(app) == 2
    login(client, progworld.staff)
    assert client.get("/programmes/nessuno/calls/new").status_code == 404
    assert client.get("/calls/nessuno/edit").status_code == 404


BAD = [
    ({"closes_on": "2028-03-10"}, "closes_on", "La chiusura delle candidature deve venire dopo l'apertura."),
    ({"closes_on": "2028-03-20", "closes_time": "08:00"}, "closes_on", "deve venire dopo"),
    ({"opens_on": ""}, "opens_on", "Indicate anche il giorno di apertura"),
    ({"closes_on": "31/02/2028"}, "closes_on", "Scrivete una data valida"),
    ({"opens_on": "0001-01-01"}, "opens_on", "Indicate una data tra il 2000 e il 2100."),
    ({"closes_time": "25:99"}, "closes_time", "Scrivete un'ora valida"),
    ({"seats_region": "", "seats_metropolitan_city": "", "seats_municipality": ""}, "quotas",
     "Indicate almeno un tipo di ente ammesso, con il numero di posti."),
    ({"seats_region": "-3"}, "seats_region", "Indicate un numero di posti da 1 a 10.000"),
    ({"seats_region": "0"}, "seats_region", "Indicate un numero di posti da 1 a 10.000"),
    ({"seats_municipality": "tanti"}, "seats_municipality", "Indicate un numero di posti da 1 a 10.000"),
    ({"seats_municipality": "9" * 40}, "seats_municipality", "Indicate un numero di posti da 1 a 10.000"),
    ({"fields-0-choices": ""}, "fields-0-choices", "Una scelta da un elenco ha almeno due voci"),
    ({"fields-0-choices": "una sola"}, "fields-0-choices", "Una scelta da un elenco ha almeno due voci"),
    ({"fields-1-label": "Missione di bilancio!"}, "fields-1-label",
     "Un altro campo ha già il codice «missione_di_bilancio» (nasce dall'etichetta): cambiate l'etichetta."),
    ({"fields-1-label": ""}, "fields-1-label", "Scrivete l'etichetta del campo."),
    ({"fields-1-kind": "video"}, "fields-1-kind", "Scegliete un tipo dell'elenco."),
    ({"title": ""}, "title", "Scrivete il titolo dell'avviso."),
    ({"title": "x" * 201}, "title", "Al massimo 200 caratteri."),
    ({"description": "x" * 20_001}, "description", "Al massimo 20000 caratteri."),
]


def test_bad_input_is_refused_at_its_field_with_the_rest_kept_and_nothing_saved(app, client, progworld):
    login(client, progworld.staff)
    before = count_calls(app)
    for change, where, message in BAD:
        for htmx in (False, True):
            response = post(client, new_url(progworld), {**GOOD, **change}, htmx=htmx)
            text = html.unescape(response.get_data(as_text=True))
            assert response.status_code == 422, (change, text[:2000])
            assert message in text, (change, text[:5000])
            assert f'id="{where}-error"' in text or where == "quotas" and 'id="quotas-error"' in text, change
            assert ("<html" in text) is not htmx
            if "title" not in change:
                assert 'value="Innovation Lab 2028"' in text  # what was typed is kept
    assert count_calls(app) == before


def test_designer_buttons_add_move_and_remove_rows_without_saving(app, client, progworld):
    login(client, progworld.staff)
    url = f"/calls/{progworld.call.slug}/edit"
    before = stored(app, progworld.call.slug)
    data = {key: value for key, value in GOOD.items() if key != "title"} | {"title": "Nuovo titolo"}
    added = post(client, url, {**data, "add_field": "1"}, htmx=True)
    text = added.get_data(as_text=True)
    assert added.status_code == 200 and 'name="fields-2-label"' in text and "Campo aggiunto in fondo" in text
    moved = post(client, url, {**data, "move_down": "0"}).get_data(as_text=True)
    assert moved.index('value="Budget previsto"') < moved.index('value="Missione di bilancio"')
    assert 'name="fields-0-label" required type="text" value="Budget previsto"' in moved or \
        moved.index('name="fields-0-label"') < moved.index('value="Budget previsto"') < moved.index(
            'name="fields-1-label"')
    removed = post(client, url, {**data, "remove_field": "0"}).get_data(as_text=True)
    assert "Missione di bilancio" not in removed and 'value="Budget previsto"' in removed
    assert 'name="fields-0-label"' in removed and 'name="fields-1-label"' not in removed
    assert stored(app, progworld.call.slug) == before  # none of these saved anything
    # A move posted after the rows were renumbered keeps the new order when saved.
    saved = post(client, url, {**data, "fields-0-label": "Budget previsto", "fields-0-kind": "number",
                               "fields-0-choices": "", "fields-1-label": "Missione di bilancio",
                               "fields-1-kind": "choice", "fields-1-choices": "A\nB"})
    assert saved.status_code == 303
    assert [each["key"] for each in stored(app, progworld.call.slug)["fields"]] == ["budget_previsto",
                                                                                    "missione_di_bilancio"]


# ---- editing a call that has candidacies ---------------------------------------------------------------------

FIELDS = [{"key": "missione", "label": "Missione", "kind": "choice", "required": True, "choices": ["01", "04"],
           "help": ""},
          {"key": "budget", "label": "Budget", "kind": "number", "required": False, "choices": [], "help": ""}]


def edit_data(**changes) -> dict:
    data = {"title": "Avviso Innovation Lab 2027", "description": "Testo", "opens_on": "2026-11-01",
            "opens_time": "09:00", "closes_on": "2030-12-31", "closes_time": "18:00", "seats_region": "1",
            "seats_metropolitan_city": "1"}
    for position, each in enumerate(FIELDS):
        data |= {f"fields-{position}-key": each["key"], f"fields-{position}-label": each["label"],
                 f"fields-{position}-kind": each["kind"], f"fields-{position}-choices": "\n".join(each["choices"]),
                 f"fields-{position}-required": "y" if each["required"] else ""}
    return {key: value for key, value in (data | changes).items() if value is not None}


def with_candidacy(app, world, status: str, organization=None, submitted: bool = True) -> None:
    with app.app_context():
        call = db.session.get(InterestCall, world.call.id)
        call.fields = [dict(each) for each in FIELDS]
        organization_id = organization or world.region.id
        pa_kind = db.session.get(Organization, organization_id).pa_kind
        db.session.add(InterestCandidacy(call_id=call.id, organization_id=organization_id, pa_kind=pa_kind,
                                         status=status, answers={}, submitted_at=utcnow() if submitted else None))
        db.session.commit()


def test_a_field_stays_with_its_kind_once_a_candidacy_was_submitted(app, client, progworld):
    with_candidacy(app, progworld, "submitted")
    login(client, progworld.staff)
    url = f"/calls/{progworld.call.slug}/edit"
    page = html.unescape(client.get(url).get_data(as_text=True))
    assert "Ci sono già candidature inviate" in page and "Usato da candidature inviate: non si può togliere." in page
    assert 'name="remove_field"' not in page
    # The remove button, posted anyway, is refused at the field.
    removed = html.unescape(post(client, url, {**edit_data(), "remove_field": "1"}).get_data(as_text=True))
    assert "non si può togliere né cambiarne il tipo" in removed and 'value="Budget"' in removed
    # Saving without the field, or with another kind, is refused; nothing changes.
    without = edit_data(**{"fields-1-key": None, "fields-1-label": None, "fields-1-kind": None,
                           "fields-1-choices": None, "fields-1-required": None})
    for data, message in ((without, "Il campo «Budget» non si può togliere"),
                          (edit_data(**{"fields-1-kind": "text"}), "non si può togliere né cambiarne il tipo")):
        for htmx in (False, True):
            response = post(client, url, data, htmx=htmx)
            assert response.status_code == 422 and message in html.unescape(response.get_data(as_text=True))
            assert stored(app, progworld.call.slug)["fields"] == FIELDS
    # A new label, a new field: fine (the key stays).
    data = edit_data(**{"fields-1-label": "Budget complessivo", "fields-2-key": "", "fields-2-label": "Delibera",
                        "fields-2-kind": "attachment"})
    assert post(client, url, data).status_code == 303
    fields = stored(app, progworld.call.slug)["fields"]
    assert [(each["key"], each["label"]) for each in fields] == [
        ("missione", "Missione"), ("budget", "Budget complessivo"), ("delibera", "Delibera")]


def test_a_draft_candidacy_does_not_lock_the_fields(app, client, progworld):
    with_candidacy(app, progworld, "draft", submitted=False)
    login(client, progworld.staff)
    data = edit_data(**{"fields-1-kind": "text"})
    assert post(client, f"/calls/{progworld.call.slug}/edit", data).status_code == 303
    assert stored(app, progworld.call.slug)["fields"][1]["kind"] == "text"


def test_seats_stay_above_the_selected_and_a_kind_with_candidacies_stays_eligible(app, client, progworld):
    with_candidacy(app, progworld, "selected")
    with app.app_context():
        other = make_org("Regione Liguria", pa_kind="region", ipa_code="r_liguri")
        db.session.scalar(select(CallQuota).where(CallQuota.call_id == progworld.call.id,
                                                  CallQuota.pa_kind == "region")).seats = 2
        db.session.commit()
        other_id = other.id
    with_candidacy(app, progworld, "selected", organization=other_id)
    with_candidacy(app, progworld, "draft", organization=progworld.metro.id, submitted=False)
    login(client, progworld.staff)
    url = f"/calls/{progworld.call.slug}/edit"
    for data, where, message in (
            (edit_data(seats_region="1"), "seats_region", "Sono già selezionati 2 enti di questo tipo"),
            (edit_data(seats_region="2", seats_metropolitan_city=""), "seats_metropolitan_city",
             "Ci sono candidature di enti di questo tipo: resta ammesso"),
            (edit_data(seats_region="2", opens_on="", closes_on=""), "opens_on",
             "Indicate quando si aprono e quando si chiudono le candidature.")):
        for htmx in (False, True):
            response = post(client, url, data, htmx=htmx)
            text = html.unescape(response.get_data(as_text=True))
            assert response.status_code == 422 and message in text and f'id="{where}-error"' in text, text[:3000]
    assert stored(app, progworld.call.slug)["quotas"] == {"region": 2, "metropolitan_city": 1}
    assert post(client, url, edit_data(seats_region="3", seats_municipality="5")).status_code == 303
    assert stored(app, progworld.call.slug)["quotas"] == {"region": 3, "metropolitan_city": 1, "municipality": 5}


def test_results_published_freeze_the_window_and_the_seats(app, client, progworld):
    with app.app_context():
        db.session.get(InterestCall, progworld.call.id).phase = "results"
        db.session.commit()
    login(client, progworld.staff)
    url = f"/calls/{progworld.call.slug}/edit"
    page = client.get(url).get_data(as_text=True)
    response = post(client, url, edit_data(seats_region="3"))
    assert response.status_code == 422
    assert "date e posti dell'avviso non si cambiano più" in html.unescape(response.get_data(as_text=True))
    assert stored(app, progworld.call.slug)["quotas"]["region"] == 1 and "Modifica" in page


def test_an_edit_in_rome_time_round_trips(app, client, progworld):
    login(client, progworld.staff)
    url = f"/calls/{progworld.call.slug}/edit"
    assert post(client, url, edit_data(opens_on="30/10/2027", opens_time="10:00", closes_on="2027-11-01",
                                       closes_time="10:00")).status_code == 303
    call = stored(app, progworld.call.slug)
    # 30 October 2027 is still summer time (UTC+2), 1 November winter time (UTC+1).
    assert call["opens_at"] == datetime(2027, 10, 30, 8, 0) and call["closes_at"] == datetime(2027, 11, 1, 9, 0)
    page = client.get(url).get_data(as_text=True)
    assert 'value="2027-10-30"' in page and 'value="10:00"' in page and 'value="2027-11-01"' in page
    fragment = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="call-form"' in fragment and "<html" not in fragment
