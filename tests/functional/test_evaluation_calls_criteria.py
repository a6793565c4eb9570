"""The criteria editor (issue 13, point 2): add, edit, delete, reorder; bad input at the field; nothing saved once
the criteria are frozen by the first submitted review."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Criterion, EvaluationAudit, EvaluationCall
from app.models.base import utcnow
from tests.conftest import login, post

NEW = {"code": "accessibility", "title_it": "Accessibilità", "title_en": "Accessibility",
       "guidance": "Conformità alle linee guida AgID.", "scale_min": "1", "scale_max": "4",
       "anchors": "1: Assente\n4: Piena", "weight": "2", "required": "y", "candidate_visible": "y"}


def grid(app, call_id: int) -> list[tuple]:
    with app.app_context():
        return [(c.code, c.position, c.weight) for c in db.session.execute(
            select(Criterion).where(Criterion.call_id == call_id).order_by(Criterion.position)).scalars()]


def audits(app) -> list[str]:
    with app.app_context():
        return list(db.session.execute(select(EvaluationAudit.action).order_by(EvaluationAudit.id)).scalars())


def url(eworld, tail: str = "") -> str:
    return f"/evaluation/calls/{eworld.call.slug}/criteria{tail}"


def criterion_id(app, code: str) -> int:
    with app.app_context():
        return db.session.execute(select(Criterion.id).where(Criterion.code == code)).scalar_one()


def test_the_editor_shows_each_weight_share(app, client, eworld):
    login(client, eworld.chair)
    page = client.get(url(eworld)).get_data(as_text=True)
    assert page.count("16.7%") == 6 and "Aggiungi un criterio" in page


def test_add_edit_move_and_delete_a_criterion(app, client, eworld):
    login(client, eworld.chair)
    response = post(client, url(eworld), NEW)
    assert response.status_code == 303
    assert grid(app, eworld.call.id)[-1] == ("accessibility", 6, 2.0)
    with app.app_context():
        added = db.session.execute(select(Criterion).where(Criterion.code == "accessibility")).scalar_one()
        assert added.anchors == {"1": "Assente", "4": "Piena"} and (added.scale_min, added.scale_max) == (1, 4)
        added_id = added.id
    page = client.get(url(eworld)).get_data(as_text=True)
    assert "25.0%" in page and "12.5%" in page  # 2 of 8, and 1 of 8
    # Edit: the form comes back filled in.
    page = client.get(url(eworld, f"?edit={added_id}")).get_data(as_text=True)
    assert "Modifica il criterio" in page and "1: Assente" in page and 'value="Accessibilità"' in page
    response = post(client, url(eworld), {**NEW, "criterion_id": str(added_id), "weight": "3", "title_it": "Accesso"},
                    htmx=True)
    assert response.status_code == 204 and response.headers["HX-Redirect"].endswith("/criteria")
    assert grid(app, eworld.call.id)[-1] == ("accessibility", 6, 3.0)
    # Move it up, then the first one down.
    assert post(client, url(eworld), {"move": str(added_id), "direction": "up"}).status_code == 303
    assert [code for code, _p, _w in grid(app, eworld.call.id)][-2:] == ["accessibility", "transferability"]
    first = criterion_id(app, "innovation")
    assert post(client, url(eworld), {"move": str(first), "direction": "down"}).status_code == 303
    assert [code for code, _p, _w in grid(app, eworld.call.id)][:2] == ["impact", "innovation"]
    assert post(client, url(eworld, f"/{added_id}/delete")).status_code == 303
    assert "accessibility" not in [code for code, _p, _w in grid(app, eworld.call.id)]
    assert [position for _c, position, _w in grid(app, eworld.call.id)] == [0, 1, 2, 3, 4, 5]
    assert audits(app) == ["criterion.add", "criterion.update", "criterion.move", "criterion.move",
                           "criterion.delete"]


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("changes, field, message", [
    ({"weight": "0"}, "weight", "maggiore di zero"),
    ({"weight": "-1"}, "weight", "maggiore di zero"),
    ({"code": "innovation"}, "code", "ha già questo codice"),
    ({"code": "Con Spazi"}, "code", "Lettere minuscole"),
    ({"title_it": ""}, "title_it", "Scrivete il titolo del criterio"),
    ({"scale_min": "5", "scale_max": "5"}, "scale_max", "Il massimo deve superare il minimo"),
    ({"anchors": "7: Oltre"}, "anchors", "fuori dalla scala 1–4"),
    ({"anchors": "bello"}, "anchors", "Riga 1"),
])
def test_bad_criteria_are_refused_at_the_field(app, client, eworld, changes, field, message, htmx):
    login(client, eworld.chair)
    before = grid(app, eworld.call.id)
    response = post(client, url(eworld), {**NEW, **changes}, htmx=htmx)
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and message in text
    assert f'id="{field}-error"' in text and ("<html" in text) is (not htmx)
    assert "Conformità alle linee guida AgID." in text  # the rest is kept
    assert grid(app, eworld.call.id) == before and audits(app) == []


def test_nothing_changes_once_the_criteria_are_frozen(app, client, eworld):
    with app.app_context():
        db.session.get(EvaluationCall, eworld.call.id).criteria_frozen_at = utcnow()
        db.session.commit()
    first = criterion_id(app, "innovation")
    login(client, eworld.admin)
    before = grid(app, eworld.call.id)
    page = client.get(url(eworld)).get_data(as_text=True)
    assert "I criteri sono bloccati" in page and "Aggiungi un criterio" not in page
    for data, target in ((NEW, url(eworld)), ({**NEW, "code": "innovation", "criterion_id": str(first)}, url(eworld)),
                         ({"move": str(first), "direction": "down"}, url(eworld)),
                         ({}, url(eworld, f"/{first}/delete"))):
        response = post(client, target, data)
        assert response.status_code == 422, target
        assert "I criteri non si modificano più" in response.get_data(as_text=True)
    assert grid(app, eworld.call.id) == before and audits(app) == []


def test_a_criterion_of_another_call_is_not_touched(app, client, eworld):
    from tests.evaluation_world import make_call

    with app.app_context():
        other = make_call("Altro avviso")
        db.session.commit()
        foreign = other.criteria[0].id
    login(client, eworld.chair)
    response = post(client, url(eworld, f"/{foreign}/delete"))
    assert response.status_code == 422 and "non esiste più" in response.get_data(as_text=True)
    response = post(client, url(eworld), {**NEW, "code": "x1", "criterion_id": str(foreign)})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(Criterion, foreign).code == "innovation"


def test_a_criterion_with_draft_scores_is_not_deleted(app, client, eworld):
    """A review not yet submitted (criteria not frozen) already holds scores: the criterion stays."""
    from tests.evaluation_world import assign, make_candidacy, make_review, set_phase

    with app.app_context():
        candidacy = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id)
        assignment_id = assign(candidacy.id, eworld.reviewer.id).id
    set_phase(app, eworld.call.id, "review")
    with app.app_context():
        make_review(assignment_id, {"innovation": 3}, submitted=False)
    login(client, eworld.chair)
    before = grid(app, eworld.call.id)
    response = post(client, url(eworld, f"/{criterion_id(app, 'innovation')}/delete"), htmx=True)
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "ha già punteggi" in text and "<html" not in text
    assert grid(app, eworld.call.id) == before
