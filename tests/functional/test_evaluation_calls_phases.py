"""A call's phases (issue 13, point 1): each move through workflow.call_transition, refused ones with the reason on
the call's page (nothing changed), candidacies moved along, every move in the audit log; the audit page."""
from __future__ import annotations

import sys
import types
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Candidacy, Decision, EvaluationAudit, EvaluationCall
from app.models.base import utcnow
from tests.conftest import login, post
from tests.evaluation_world import make_candidacy, set_phase


def phase_of(app, call_id: int) -> str:
    with app.app_context():
        return db.session.get(EvaluationCall, call_id).phase


def actions(app, call_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.execute(select(EvaluationAudit.action).where(EvaluationAudit.call_id == call_id)
                                       .order_by(EvaluationAudit.id)).scalars())


def move(client, eworld, action: str, htmx: bool = False):
    return post(client, f"/evaluation/calls/{eworld.call.slug}/phase/{action}", htmx=htmx)


def test_the_chair_takes_the_call_through_every_phase(app, client, eworld, monkeypatch):
    set_phase(app, eworld.call.id, "draft")
    with app.app_context():
        draft = make_candidacy(eworld.call.id, eworld.draft_practice.id, eworld.candidate_referent.id,
                               status="draft").id
        sent = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id).id
        other = make_candidacy(eworld.call.id, eworld.other_practice.id, eworld.other_referent.id).id
    login(client, eworld.chair)
    page = client.get(f"/evaluation/calls/{eworld.call.slug}").get_data(as_text=True)
    assert "Apri alle candidature" in page and "Riporta in bozza" not in page
    response = move(client, eworld, "open")
    assert response.status_code == 303 and phase_of(app, eworld.call.id) == "open"
    assert move(client, eworld, "close", htmx=True).headers["HX-Redirect"].endswith(eworld.call.slug)
    assert phase_of(app, eworld.call.id) == "closed"
    assert move(client, eworld, "start_review").status_code == 303
    with app.app_context():
        status = {c.id: c.status for c in db.session.execute(select(Candidacy)).scalars()}
    assert status == {draft: "draft", sent: "under_review", other: "under_review"}
    assert move(client, eworld, "start_consensus").status_code == 303
    # Publishing needs an outcome for every candidacy.
    response = move(client, eworld, "publish_decisions")
    assert response.status_code == 422 and "registrate un esito per ogni candidatura" in response.get_data(
        as_text=True)
    assert phase_of(app, eworld.call.id) == "consensus"
    with app.app_context():
        db.session.add_all([Decision(candidacy_id=sent, outcome="recognised", decided_by_id=eworld.chair.id),
                            Decision(candidacy_id=other, outcome="not_recognised", decided_by_id=eworld.chair.id)])
        db.session.commit()
    published = []
    fake = types.ModuleType("app.evaluation.decisions")
    fake.publish = lambda call, actor: published.append((call.id, actor.id))
    monkeypatch.setitem(sys.modules, "app.evaluation.decisions", fake)
    assert move(client, eworld, "publish_decisions").status_code == 303
    assert published == [(eworld.call.id, eworld.chair.id)]
    with app.app_context():
        call = db.session.get(EvaluationCall, eworld.call.id)
        assert call.phase == "decided" and call.decisions_published_at is not None
    # (conflict.* entries: the conflicts computed at closing and at the start of the review, tested elsewhere)
    assert [each for each in actions(app, eworld.call.id) if not each.startswith("conflict.")] == [
        "call.open", "call.close", "candidacy.start_review", "candidacy.start_review", "call.start_review",
        "call.start_consensus", "call.publish_decisions"]
    with app.app_context():
        entry = db.session.execute(select(EvaluationAudit).where(EvaluationAudit.action == "call.open")).scalar_one()
        assert entry.detail == {"phase_from": "draft", "phase_to": "open"} and entry.actor_id == eworld.chair.id
    # Decided is the last phase: no button, and any move is refused.
    page = client.get(f"/evaluation/calls/{eworld.call.slug}").get_data(as_text=True)
    assert "Pubblica gli esiti" not in page
    assert move(client, eworld, "close").status_code == 422


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_refused_move_says_why_and_changes_nothing(app, client, eworld, htmx):
    login(client, eworld.chair)
    response = move(client, eworld, "open", htmx=htmx)  # already open
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "Si apre alle candidature solo un avviso in bozza." in text
    assert ("<html" in text) is (not htmx)
    response = move(client, eworld, "start_review", htmx=htmx)  # not closed yet
    assert response.status_code == 422 and "dopo la chiusura delle candidature" in response.get_data(as_text=True)
    response = move(client, eworld, "back_to_draft", htmx=htmx)  # administrators only
    assert response.status_code == 422 and "solo chi amministra" in response.get_data(as_text=True)
    assert phase_of(app, eworld.call.id) == "open" and actions(app, eworld.call.id) == []


def test_opening_needs_criteria_with_weight_and_a_closing_date(app, client, eworld):
    set_phase(app, eworld.call.id, "draft")
    with app.app_context():
        call = db.session.get(EvaluationCall, eworld.call.id)
        call.closes_at = None
        db.session.commit()
    login(client, eworld.admin)
    response = move(client, eworld, "open")
    assert response.status_code == 422 and "data di chiusura" in response.get_data(as_text=True)
    with app.app_context():
        call = db.session.get(EvaluationCall, eworld.call.id)
        call.closes_at = utcnow() + timedelta(days=3)
        call.criteria.clear()
        db.session.commit()
    response = move(client, eworld, "open")
    assert response.status_code == 422 and "almeno un criterio" in response.get_data(as_text=True)
    assert phase_of(app, eworld.call.id) == "draft" and actions(app, eworld.call.id) == []


def test_back_to_draft_only_by_an_administrator_and_only_without_submitted_candidacies(app, client, eworld):
    login(client, eworld.admin)
    with app.app_context():
        candidacy = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id)
        candidacy_id = candidacy.id
    response = move(client, eworld, "back_to_draft")
    assert response.status_code == 422 and "candidature inviate" in response.get_data(as_text=True)
    assert phase_of(app, eworld.call.id) == "open"
    with app.app_context():
        db.session.get(Candidacy, candidacy_id).status = "withdrawn"
        db.session.commit()
    assert move(client, eworld, "back_to_draft").status_code == 303
    assert phase_of(app, eworld.call.id) == "draft" and actions(app, eworld.call.id) == ["call.back_to_draft"]


def test_who_may_not_move_the_call(app, client, eworld):
    assert move(client, eworld, "close").status_code == 302  # anonymous: sign in first
    for role in ("member", "reviewer", "deputy", "candidate_referent", "supplier"):
        other = app.test_client()
        login(other, eworld.person(role))
        response = move(other, eworld, "close")
        assert response.status_code == 403, role
        assert "chi presiede la commissione" in response.get_data(as_text=True)
        assert 'action="/evaluation/calls/' not in other.get(f"/evaluation/calls/{eworld.call.slug}").get_data(
            as_text=True).split("call-phase")[1].split("</section>")[0]
    assert phase_of(app, eworld.call.id) == "open"
    login(client, eworld.chair)
    assert move(client, eworld, "nonsense").status_code == 404
    assert post(client, "/evaluation/calls/nessun-avviso/phase/close").status_code == 404


def test_a_draft_call_is_hidden_from_outsiders_even_for_a_move(app, client, eworld):
    set_phase(app, eworld.call.id, "draft")
    login(client, eworld.member)
    assert move(client, eworld, "open").status_code == 404
    assert client.get(f"/evaluation/calls/{eworld.call.slug}").status_code == 404
    assert phase_of(app, eworld.call.id) == "draft"


def test_the_audit_page_lists_entries_newest_first_in_italian(app, client, eworld):
    from app.evaluation.core import audit

    with app.app_context():
        call = db.session.get(EvaluationCall, eworld.call.id)
        for number in range(55):
            entry = audit(call, "criterion.update", None, code=f"c{number}")
            entry.at = utcnow() - timedelta(minutes=100 - number)
        audit(call, "call.close", None).at = utcnow()
        audit(call, "something.new", None).at = utcnow() - timedelta(days=1)
        db.session.commit()
    login(client, eworld.chair)
    page = client.get(f"/evaluation/calls/{eworld.call.slug}/audit").get_data(as_text=True)
    assert page.index("Candidature chiuse") < page.index("Criterio modificato")
    assert "codice: c54</td>" in page and "codice: c6</td>" in page and "codice: c5</td>" not in page
    second = client.get(f"/evaluation/calls/{eworld.call.slug}/audit?page=2", headers={"HX-Request": "true"})
    text = second.get_data(as_text=True)
    assert second.status_code == 200 and "<html" not in text and "something.new" in text

    login(client, eworld.admin)
    assert post(client, f"/evaluation/calls/{eworld.call.slug}/commission", {"email": eworld.member.email}
                ).status_code == 303
    assert post(client, f"/evaluation/calls/{eworld.call.slug}/phase/close").status_code == 303
    page = client.get(f"/evaluation/calls/{eworld.call.slug}/audit").get_data(as_text=True)
    assert "Persona inserita nella commissione" in page and "persona: Mario Membro" in page
    assert "Aperto alle candidature → Candidature chiuse" in page



def test_publishing_through_the_decisions_service(app, client, eworld):
    """Through app/evaluation/decisions.py: the candidacies are decided, the recognition reaches the practice, the
    call is decided — in one transaction."""
    from app.models import Practice

    with app.app_context():
        candidacy_id = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id).id
    set_phase(app, eworld.call.id, "consensus")
    with app.app_context():
        db.session.add(Decision(candidacy_id=candidacy_id, outcome="recognised", decided_by_id=eworld.chair.id,
                                motivation="Pratica esemplare."))
        db.session.commit()
    login(client, eworld.chair)
    assert move(client, eworld, "publish_decisions").status_code == 303
    with app.app_context():
        assert db.session.get(EvaluationCall, eworld.call.id).phase == "decided"
        assert db.session.get(Candidacy, candidacy_id).status == "decided"
        assert db.session.get(Practice, eworld.practice.id).recognised
    assert "call.publish_decisions" in actions(app, eworld.call.id)
