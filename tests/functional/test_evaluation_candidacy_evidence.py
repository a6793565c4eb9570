"""What the commission reads of a candidacy (issue 13, point 3): the reuse evidence panel as data, the shared
self-assessment items, a blind call hiding the organisation; and what the candidacies add to other pages (the
practice's "Candida a un avviso", the dashboard card), in a bounded number of queries."""
from __future__ import annotations

from datetime import date, timedelta

from app.extensions import db
from app.models import Adoption, Deployment, EvaluationCall, SharedItem, SupportRequest
from app.models.base import utcnow
from tests.conftest import count_queries, login
from tests.evaluation_world import assign, make_call, make_candidacy, set_phase


def reviewed_candidacy(app, eworld, blind: bool = False) -> int:
    with app.app_context():
        db.session.get(EvaluationCall, eworld.call.id).blind = blind
        db.session.commit()
        candidacy = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id)
        assign(candidacy.id, eworld.reviewer.id)
        candidacy_id = candidacy.id
    set_phase(app, eworld.call.id, "review")
    return candidacy_id


def add_reuse_facts(app, eworld) -> None:
    """Torino's confirmed adoption (from the fixture) gets a deployment; Bari asks twice, answered once in 3 days."""
    with app.app_context():
        adoption = db.session.query(Adoption).filter_by(practice_id=eworld.practice.id).one()
        db.session.add(Deployment(adoption_id=adoption.id, practice_id=eworld.practice.id,
                                  organization_id=eworld.torino.id, deployed_on=date(2026, 3, 1), size="l",
                                  territory="Torino", outcome="In esercizio."))
        opened = utcnow() - timedelta(days=10)
        db.session.add(SupportRequest(practice_id=eworld.practice.id, organization_id=eworld.bari.id,
                                      kind="technical", subject="Aiuto", description="Come si installa?",
                                      status="resolved", created_at=opened,
                                      first_response_at=opened + timedelta(days=3)))
        db.session.add(SupportRequest(practice_id=eworld.practice.id, organization_id=eworld.bari.id,
                                      kind="training", subject="Formazione", description="Corso?", status="open",
                                      created_at=utcnow()))
        db.session.commit()


def test_the_evidence_panel_shows_the_reuse_as_data(app, client, eworld):
    from app.evaluation.evidence import reuse_evidence
    from app.models import Practice

    candidacy_id = reviewed_candidacy(app, eworld)
    add_reuse_facts(app, eworld)
    with app.test_request_context():
        evidence = reuse_evidence(db.session.get(Practice, eworld.practice.id))
        assert evidence.confirmed_adoptions == 1 and evidence.deployments == 1
        assert [each.organization for each in evidence.adopters] == ["Comune di Torino"]
        assert evidence.requests_received == 2 and evidence.requests_answered == 1 and evidence.requests_resolved == 1
        assert evidence.median_first_response_days == 3.0
        assert evidence.kit_completeness == 22
    login(client, eworld.reviewer)
    page = client.get(f"/evaluation/candidacies/{candidacy_id}").get_data(as_text=True)
    panel = page.split('id="evidence-title"')[1]
    assert "Riusi confermati</th><td>1</td>" in panel
    assert "Dispiegamenti registrati</th><td>1</td>" in panel
    assert "Richieste di supporto ricevute</th><td>2</td>" in panel
    assert "3,0 giorni" in panel and "22%" in panel and "Comune di Torino" in panel
    assert "punteggio" in panel  # "non un punteggio": shown as data


def test_shared_items_show_who_shared_them_and_when(app, client, eworld):
    candidacy_id = reviewed_candidacy(app, eworld)
    with app.app_context():
        db.session.add(SharedItem(candidacy_id=candidacy_id, assessment_id=999, item_code="4.4",
                                  content={"template": "CAF 2020", "code": "4.4", "title": "Gestire le informazioni",
                                           "score": 60, "strengths": "Dati aperti pubblicati."},
                                  shared_by_id=eworld.candidate_referent.id))
        db.session.commit()
    login(client, eworld.reviewer)
    page = client.get(f"/evaluation/candidacies/{candidacy_id}").get_data(as_text=True)
    assert "Gestire le informazioni" in page and "Dati aperti pubblicati." in page
    assert "Condivisa da Renata Referente" in page


def test_a_blind_call_hides_the_organisation_from_reviewers_not_from_the_chair(app, eworld):
    candidacy_id = reviewed_candidacy(app, eworld, blind=True)
    with app.app_context():
        db.session.add(SharedItem(candidacy_id=candidacy_id, assessment_id=999, item_code="1.1",
                                  content={"code": "1.1", "title": "Direzione"},
                                  shared_by_id=eworld.candidate_referent.id))
        db.session.commit()
    url = f"/evaluation/candidacies/{candidacy_id}"
    reviewer = app.test_client()
    login(reviewer, eworld.reviewer)
    page = reviewer.get(url).get_data(as_text=True)
    assert "Sportello unico digitale" in page  # the practice as submitted
    assert "Chieri" not in page and "Renata Referente" not in page and "suap@" not in page
    fragment = reviewer.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Chieri" not in fragment
    chair = app.test_client()
    login(chair, eworld.chair)
    page = chair.get(url).get_data(as_text=True)
    assert "Comune di Chieri" in page and "Renata Referente" in page


def test_the_practice_page_offers_open_calls_to_its_referents(app, client, eworld):
    practice_url = f"/practices/{eworld.practice.slug}"
    login(client, eworld.candidate_referent)
    page = client.get(practice_url).get_data(as_text=True)
    assert "Candida a un avviso" in page
    assert f"/evaluation/calls/{eworld.call.slug}/candidacies/new?practice={eworld.practice.slug}" in page
    one_call = count_queries(app, client, practice_url)
    with app.app_context():
        make_call("Premio 2026 bis")
        make_call("Premio 2026 ter")
        db.session.commit()
    assert count_queries(app, client, practice_url) == one_call
    assert "Candida all'avviso «Premio 2026 bis»" in client.get(practice_url).get_data(as_text=True)
    with app.app_context():
        candidacy_id = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id,
                                      status="draft").id
    assert f"/evaluation/candidacies/{candidacy_id}" in client.get(practice_url).get_data(as_text=True)
    for role in ("candidate_member", "other_referent", "member"):
        other = app.test_client()
        login(other, getattr(eworld, role))
        assert "candidacy-practice-link" not in other.get(practice_url).get_data(as_text=True), role
    assert "candidacy-practice-link" not in app.test_client().get(practice_url).get_data(as_text=True)


def test_no_link_when_no_call_is_open(app, client, eworld):
    set_phase(app, eworld.call.id, "closed")
    login(client, eworld.candidate_referent)
    assert "candidacy-practice-link" not in client.get(f"/practices/{eworld.practice.slug}").get_data(as_text=True)


def test_the_dashboard_shows_the_candidacies_in_progress(app, client, eworld):
    login(client, eworld.candidate_member)
    assert "Candidature del mio ente in corso" not in client.get("/dashboard").get_data(as_text=True)
    with app.app_context():
        make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id, status="draft")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Candidature del mio ente in corso" in page and "Sportello unico digitale" in page
    other = app.test_client()
    login(other, eworld.other_referent)
    assert "Candidature del mio ente in corso" not in other.get("/dashboard").get_data(as_text=True)


def test_the_candidacy_page_has_bounded_queries(app, client, eworld):
    candidacy_id = reviewed_candidacy(app, eworld)
    add_reuse_facts(app, eworld)
    login(client, eworld.chair)
    url = f"/evaluation/candidacies/{candidacy_id}"
    before = count_queries(app, client, url)
    with app.app_context():
        for number in range(3):
            db.session.add(SharedItem(candidacy_id=candidacy_id, assessment_id=999, item_code=f"{number}.1",
                                      content={"code": f"{number}.1", "title": "Voce"},
                                      shared_by_id=eworld.candidate_referent.id))
        db.session.commit()
    assert count_queries(app, client, url) <= before + 2
