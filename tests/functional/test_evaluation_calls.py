"""Calls (issue 13, points 1, 10): the list, a call's page, a new call and its settings, with bad input refused at
the field and nothing saved."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from app.extensions import db
from app.models import Criterion, EvaluationAudit, EvaluationCall, Notification
from tests.conftest import login, post
from tests.evaluation_world import make_call, make_candidacy, set_phase

GOOD = {
    "title": "Premio innovazione 2027", "description": "Un avviso **nuovo**.", "year": "2027",
    "categories": "digitale: Trasformazione digitale\nambiente: Ambiente e territorio",
    "eligible_pa_kinds": ["municipality", "region"], "require_completed": "y",
    "extra_fields": "Budget complessivo | numero | obbligatorio\nFonte dei fondi | scelta | facoltativo | PNRR; FESR; "
                    "Fondi propri\nDichiaro che i dati sono veri | dichiarazione | obbligatorio",
    "opens_on": "2027-01-10", "closes_on": "2027-03-31", "closes_time": "18:00", "review_due_on": "2027-05-15",
    "consensus_due_on": "2027-06-15", "reviewers_per_candidacy": "3", "max_load": "8",
    "disagreement_threshold": "1.5", "blind": "y", "chair_email": "presidente@asti.example.it",
}


def count(app, model) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar()


def the_call(app, slug: str) -> dict:
    with app.app_context():
        call = db.session.execute(select(EvaluationCall).where(EvaluationCall.slug == slug)).scalar_one_or_none()
        if call is None:
            return {}
        return {key: getattr(call, key) for key in ("id", "title", "year", "phase", "categories", "eligible_pa_kinds",
                                                    "require_completed", "extra_fields", "opens_on", "closes_at",
                                                    "review_due_on", "consensus_due_on", "reviewers_per_candidacy",
                                                    "max_load", "disagreement_threshold", "blind", "chair_id")} | {
            "criteria": [c.code for c in call.criteria], "weights": [c.weight for c in call.criteria]}


def test_an_administrator_creates_a_call_with_the_default_grid(app, client, eworld):
    login(client, eworld.admin)
    page = client.get("/evaluation/calls/new")
    assert page.status_code == 200 and "Nuovo avviso" in page.get_data(as_text=True)
    response = post(client, "/evaluation/calls/new", dict(GOOD), page="/evaluation/calls/new")
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    assert response.headers["Location"].endswith("/evaluation/calls/premio-innovazione-2027")
    call = the_call(app, "premio-innovazione-2027")
    assert call["phase"] == "draft" and call["year"] == 2027 and call["blind"] and call["require_completed"]
    assert call["categories"] == [{"code": "digitale", "label": "Trasformazione digitale"},
                                  {"code": "ambiente", "label": "Ambiente e territorio"}]
    assert call["eligible_pa_kinds"] == ["municipality", "region"]
    assert [f["kind"] for f in call["extra_fields"]] == ["number", "choice", "checkbox"]
    assert call["extra_fields"][1] == {"key": "fonte_dei_fondi", "label": "Fonte dei fondi", "kind": "choice",
                                       "required": False, "choices": ["PNRR", "FESR", "Fondi propri"]}
    # 18:00 in Rome on 31 March 2027 (summer time, UTC+2) is 16:00 UTC.
    assert call["closes_at"] == datetime(2027, 3, 31, 16, 0)
    assert call["criteria"] == ["innovation", "impact", "engagement", "relevance", "sustainability",
                                "transferability"]
    assert call["chair_id"] == eworld.chair.id and call["reviewers_per_candidacy"] == 3
    with app.app_context():
        entry = db.session.execute(select(EvaluationAudit).where(EvaluationAudit.call_id == call["id"])).scalar_one()
        assert entry.action == "call.create" and entry.actor_id == eworld.admin.id
        assert db.session.execute(select(Notification).where(Notification.user_id == eworld.chair.id)).scalar_one(
        ).verb == "evaluation.chair_appointed"
    # The same title again gets a slug of its own.
    response = post(client, "/evaluation/calls/new", dict(GOOD))
    assert response.status_code == 303 and response.headers["Location"].endswith("premio-innovazione-2027-2")
    page = client.get("/evaluation/calls/premio-innovazione-2027").get_data(as_text=True)
    assert "Ambiente e territorio" in page and "Comune" in page and "<strong>nuovo</strong>" in page


def test_a_new_call_by_htmx_is_a_real_navigation(app, client, eworld):
    login(client, eworld.admin)
    response = post(client, "/evaluation/calls/new", dict(GOOD, chair_email=""), htmx=True)
    assert response.status_code == 204 and response.headers["HX-Redirect"].endswith("/premio-innovazione-2027")
    assert the_call(app, "premio-innovazione-2027")["chair_id"] is None


def _refused(app, client, changes: dict, field: str, message: str, htmx: bool = False) -> str:
    before = count(app, EvaluationCall), count(app, Criterion)
    response = post(client, "/evaluation/calls/new", {**GOOD, **changes}, htmx=htmx)
    assert response.status_code == 422, response.status_code
    text = response.get_data(as_text=True)
    assert message in text, text[:3000]
    assert f'id="{field}-error"' in text  # the message is at the field
    assert (count(app, EvaluationCall), count(app, Criterion)) == before  # nothing saved
    assert ("<html" in text) is (not htmx)
    return text


def test_bad_input_is_refused_at_the_field_and_the_rest_is_kept(app, client, eworld):
    login(client, eworld.admin)
    text = _refused(app, client, {"title": ""}, "title", "Scrivete il titolo dell")
    assert "Budget complessivo" in text  # the rest of the form is kept
    _refused(app, client, {"closes_on": "2027-01-01"}, "closes_on", "La chiusura non può precedere", htmx=True)
    _refused(app, client, {"chair_email": eworld.supplier.email}, "chair_email", "mai di un")
    _refused(app, client, {"chair_email": "nessuno@example.it"}, "chair_email", "mai di un")
    _refused(app, client, {"categories": "digitale Trasformazione"}, "categories", "Riga 1")
    _refused(app, client, {"extra_fields": "Costo | colore | obbligatorio"}, "extra_fields", "il tipo «colore»")
    _refused(app, client, {"extra_fields": "Fonte | scelta | facoltativo | PNRR"}, "extra_fields", "almeno due voci")
    _refused(app, client, {"reviewers_per_candidacy": "11"}, "reviewers_per_candidacy", "da 1 a 10")
    _refused(app, client, {"max_load": "0"}, "max_load", "da 1 a 100")
    _refused(app, client, {"disagreement_threshold": "101"}, "disagreement_threshold", "da 0 a 100")
    _refused(app, client, {"year": "1999"}, "year", "tra il 2000 e il 2100")
    _refused(app, client, {"review_due_on": "2027-03-01"}, "review_due_on", "dopo la chiusura")


def test_the_chair_edits_settings_but_not_the_chair(app, client, eworld):
    login(client, eworld.chair)
    page = client.get(f"/evaluation/calls/{eworld.call.slug}/edit").get_data(as_text=True)
    assert 'name="chair_email"' not in page and "Paola Presidente" in page
    assert 'value="Premio buone pratiche 2026"' in page and "digitale: Trasformazione digitale" in page
    response = post(client, f"/evaluation/calls/{eworld.call.slug}/edit",
                    {**GOOD, "title": "Premio 2026, edizione rivista", "chair_email": eworld.member.email})
    assert response.status_code == 303
    call = the_call(app, eworld.call.slug)
    assert call["title"] == "Premio 2026, edizione rivista" and call["chair_id"] == eworld.chair.id
    with app.app_context():
        entry = db.session.execute(select(EvaluationAudit).where(EvaluationAudit.action == "call.update")).scalar_one()
        assert "title" in entry.detail["fields"] and "chair" not in entry.detail["fields"]


def test_an_administrator_changes_the_chair_never_to_a_commission_member(app, client, eworld):
    login(client, eworld.admin)
    page = client.get(f"/evaluation/calls/{eworld.call.slug}/edit").get_data(as_text=True)
    assert 'value="presidente@asti.example.it"' in page
    url = f"/evaluation/calls/{eworld.call.slug}/edit"
    response = post(client, url, {**GOOD, "chair_email": eworld.reviewer.email})
    assert response.status_code == 422 and "fa parte della commissione" in response.get_data(as_text=True)
    assert the_call(app, eworld.call.slug)["chair_id"] == eworld.chair.id
    response = post(client, url, {**GOOD, "chair_email": eworld.member.email})
    assert response.status_code == 303
    assert the_call(app, eworld.call.slug)["chair_id"] == eworld.member.id


def test_the_list_shows_public_calls_and_drafts_to_who_runs_them(app, client, eworld):
    with app.app_context():
        make_call("Avviso in preparazione", phase="draft")
        make_call("Avviso concluso 2025", phase="closed", year=2025)
        db.session.commit()
    with app.app_context():
        closed_id = db.session.execute(select(EvaluationCall.id).where(
            EvaluationCall.slug == "avviso-concluso-2025")).scalar()
        make_candidacy(closed_id, eworld.practice.id, eworld.candidate_referent.id)
    page = client.get("/evaluation/").get_data(as_text=True)
    assert "Premio buone pratiche 2026" in page and "Avviso concluso 2025" in page
    assert "Avviso in preparazione" not in page
    assert "Candidature inviate" in page  # the count, once candidacies are closed
    fragment = client.get("/evaluation/?phase=closed", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and "Avviso concluso 2025" in fragment and "Premio buone pratiche" not in fragment
    login(client, eworld.admin)
    assert "Avviso in preparazione" in client.get("/evaluation/").get_data(as_text=True)
    assert "Avviso in preparazione" in client.get("/evaluation/?phase=draft").get_data(as_text=True)
    assert client.get("/evaluation/?phase=nonsense").status_code == 200


def test_the_call_page_offers_the_referent_their_published_practices(app, client, eworld):
    login(client, eworld.candidate_referent)
    page = client.get(f"/evaluation/calls/{eworld.call.slug}").get_data(as_text=True)
    assert "Candidare una pratica del vostro ente" in page
    assert "Sportello unico digitale" in page and "Bozza di pratica" not in page
    assert "Mensa scolastica" not in page  # Bari's
    assert "Innovazione" in page and "17%" in page  # criteria with their share
    assert "Eccellente" in page  # the anchors
    other = app.test_client()
    login(other, eworld.candidate_member)  # not a referent
    assert "Candidare una pratica" not in other.get(f"/evaluation/calls/{eworld.call.slug}").get_data(as_text=True)


def test_the_call_page_tells_an_ineligible_referent(app, client, eworld):
    with app.app_context():
        call = db.session.get(EvaluationCall, eworld.call.id)
        call.eligible_pa_kinds = ["region"]
        db.session.commit()
    login(client, eworld.candidate_referent)
    page = client.get(f"/evaluation/calls/{eworld.call.slug}").get_data(as_text=True)
    assert "non rientra tra le amministrazioni" in page and "Sportello unico digitale" not in page


def test_a_decided_call_shows_its_results_section(app, client, eworld):
    set_phase(app, eworld.call.id, "decided")
    page = client.get(f"/evaluation/calls/{eworld.call.slug}").get_data(as_text=True)
    assert 'id="call-results"' in page


def test_blind_review_is_not_switched_once_candidacies_are_closed(app, client, eworld):
    set_phase(app, eworld.call.id, "review")
    login(client, eworld.chair)
    url = f"/evaluation/calls/{eworld.call.slug}/edit"
    response = post(client, url, {**GOOD, "title": "Titolo nuovo", "blind": "y"})
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "alla cieca non si cambia" in text and 'id="blind-error"' in text
    call = the_call(app, eworld.call.slug)
    assert call["title"] == "Premio buone pratiche 2026" and not call["blind"]
    with app.app_context():
        assert db.session.execute(select(EvaluationAudit)).first() is None


def test_a_new_call_form_proposes_this_year_and_a_closing_time(app, client, eworld):
    login(client, eworld.admin)
    page = client.get("/evaluation/calls/new").get_data(as_text=True)
    assert f'value="{datetime.now().year}"' in page and 'value="23:59"' in page
    fragment = client.get("/evaluation/calls/new", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and 'id="call-form"' in fragment
