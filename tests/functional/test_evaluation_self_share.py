"""Sharing chosen self-assessment items to a candidacy (issue 13, point 4): referents of the candidate organisation,
while the candidacy is a draft, or submitted while the call is open and before its deadline (frozen after: see
test_evaluation_self_share_frozen.py); copies of the consensus only; audited; taken back while a draft."""
from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import EvaluationAudit, SharedItem
from tests.conftest import login, post
from tests.evaluation_world import make_candidacy, set_phase
from tests.functional.test_evaluation_self import add_score, load_template, make_assessment

PERSONAL = "RIFLESSIONEPERSONALE"


def setup_share(app, eworld, status: str = "draft"):
    template_id = load_template(app)
    assessment_id = make_assessment(app, eworld.chieri.id, template_id, eworld.candidate_referent.id)
    add_score(app, assessment_id, "1.1", eworld.candidate_member.id, {"score": 10}, strengths=PERSONAL)
    add_score(app, assessment_id, "1.1", None, {"score": 65}, strengths="Missione condivisa con la giunta.",
              improvements="Riesame annuale dei valori.", evidence="Verbale del consenso")
    add_score(app, assessment_id, "2.1", None, {"score": 45}, strengths="Indagine sugli stakeholder.")
    with app.app_context():
        candidacy = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id, status=status)
        return assessment_id, candidacy.id


def shared(app) -> list[SharedItem]:
    with app.app_context():
        rows = list(db.session.execute(select(SharedItem).order_by(SharedItem.id)).scalars())
        for each in rows:
            db.session.expunge(each)
        return rows


def audits(app, action: str) -> list[dict]:
    with app.app_context():
        return [each.detail for each in db.session.execute(
            select(EvaluationAudit).where(EvaluationAudit.action == action).order_by(EvaluationAudit.id)).scalars()]


def test_a_referent_shares_copies_of_the_consensus_only(app, client, eworld):
    assessment_id, candidacy_id = setup_share(app, eworld)
    login(client, eworld.candidate_referent)
    url = f"/evaluation/candidacies/{candidacy_id}/share"
    page = client.get(url).get_data(as_text=True)
    assert "Autovalutazione CAF 2026" in page and 'value="1.1"' in page
    assert PERSONAL not in page
    response = post(client, url, {"assessment": assessment_id, "items": ["1.1", "2.1"]})
    assert response.status_code == 303
    rows = shared(app)
    assert [each.item_code for each in rows] == ["1.1", "2.1"]
    content = rows[0].content
    assert content["values"] == {"score": 65} and content["strengths"] == "Missione condivisa con la giunta."
    assert content["improvements"] == "Riesame annuale dei valori." and content["assessed_on"] == "2026-03-10"
    assert content["template"].startswith("CAF 2020") and content["title"].startswith("Orientare")
    assert PERSONAL not in str(content) and "Verbale del consenso" not in str(content)  # no person's, no evidence
    assert rows[0].shared_by_id == eworld.candidate_referent.id and rows[0].shared_at is not None
    assert audits(app, "candidacy.share_items") == [{"codes": ["1.1", "2.1"]}]
    # Sharing again adds nothing twice.
    assert post(client, url, {"assessment": assessment_id, "items": ["1.1"]}).status_code == 303
    assert len(shared(app)) == 2 and len(audits(app, "candidacy.share_items")) == 1


def test_an_item_without_consensus_or_no_item_is_refused(app, client, eworld):
    assessment_id, candidacy_id = setup_share(app, eworld)
    login(client, eworld.candidate_referent)
    url = f"/evaluation/candidacies/{candidacy_id}/share"
    response = post(client, url, {"assessment": assessment_id, "items": ["1.1", "4.4"]})
    assert response.status_code == 422 and "4.4 non ha ancora un valore di consenso" in response.get_data(as_text=True)
    response = post(client, url, {"assessment": assessment_id}, htmx=True)
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "Scegli almeno una voce" in text and "<html" not in text
    assert shared(app) == [] and audits(app, "candidacy.share_items") == []


def test_another_organisations_assessment_cannot_be_shared(app, client, eworld):
    _assessment_id, candidacy_id = setup_share(app, eworld)
    template_id = load_template(app)
    bari_assessment = make_assessment(app, eworld.bari.id, template_id, eworld.other_referent.id)
    add_score(app, bari_assessment, "1.1", None, {"score": 90}, strengths="Di Bari.")
    login(client, eworld.candidate_referent)
    response = post(client, f"/evaluation/candidacies/{candidacy_id}/share",
                    {"assessment": bari_assessment, "items": ["1.1"]})
    assert response.status_code == 422 and "Di Bari." not in response.get_data(as_text=True)
    assert shared(app) == []


def test_unshare_while_draft_only(app, client, eworld):
    assessment_id, candidacy_id = setup_share(app, eworld)
    login(client, eworld.candidate_referent)
    url = f"/evaluation/candidacies/{candidacy_id}/share"
    post(client, url, {"assessment": assessment_id, "items": ["1.1", "2.1"]})
    first = shared(app)[0]
    assert post(client, url, {"unshare": first.id}).status_code == 303
    assert [each.item_code for each in shared(app)] == ["2.1"]
    assert audits(app, "candidacy.unshare_items") == [{"codes": ["1.1"]}]
    with app.app_context():
        from app.models import Candidacy

        db.session.get(Candidacy, candidacy_id).status = "submitted"
        db.session.commit()
    remaining = shared(app)[0]
    response = post(client, url, {"unshare": remaining.id})
    assert response.status_code == 422 and "bozza" in response.get_data(as_text=True)
    assert len(shared(app)) == 1
    # Still shareable once submitted, before decisions.
    assert post(client, url, {"assessment": assessment_id, "items": ["1.1"]}).status_code == 303
    assert len(shared(app)) == 2


def test_no_sharing_after_decisions(app, client, eworld):
    assessment_id, candidacy_id = setup_share(app, eworld, status="submitted")
    set_phase(app, eworld.call.id, "decided")
    login(client, eworld.candidate_referent)
    response = post(client, f"/evaluation/candidacies/{candidacy_id}/share",
                    {"assessment": assessment_id, "items": ["1.1"]})
    assert response.status_code == 422
    assert shared(app) == []


def test_who_may_share(app, client, eworld):
    assessment_id, candidacy_id = setup_share(app, eworld, status="submitted")
    url = f"/evaluation/candidacies/{candidacy_id}/share"
    expected = {"candidate_member": 403, "other_referent": 404, "chair": 404, "reviewer": 404, "admin": 404}
    for role, status in expected.items():
        login(client, eworld.person(role))
        assert client.get(url).status_code == status, role
        assert post(client, url, {"assessment": assessment_id, "items": ["1.1"]}).status_code == status, role
        post(client, "/auth/logout")
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
    assert client.get("/evaluation/candidacies/9999/share").status_code == 302
    login(client, eworld.candidate_referent)
    assert client.get("/evaluation/candidacies/9999/share").status_code == 404
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(SharedItem)).scalar() == 0
