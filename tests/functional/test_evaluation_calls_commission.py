"""The commission of a call (issue 13, point 5): add a person by e-mail (never a supplier, never the chair), mark a
deputy, remove (kept for the minutes); the person is notified; every change audited."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import CommissionMember, EvaluationAudit, Notification, User
from tests.conftest import login, post
from tests.evaluation_world import set_phase


def members(app, call_id: int) -> dict[int, tuple[bool, bool]]:
    """user id → (active, deputy)."""
    with app.app_context():
        return {m.user_id: (m.active, m.is_deputy) for m in db.session.execute(
            select(CommissionMember).where(CommissionMember.call_id == call_id)).scalars()}


def url(eworld, tail: str = "") -> str:
    return f"/evaluation/calls/{eworld.call.slug}/commission{tail}"


def member_id(app, call_id: int, user_id: int) -> int:
    with app.app_context():
        return db.session.execute(select(CommissionMember.id).where(
            CommissionMember.call_id == call_id, CommissionMember.user_id == user_id)).scalar_one()


def test_the_chair_adds_a_reviewer_who_is_notified(app, client, eworld):
    login(client, eworld.chair)
    page = client.get(url(eworld)).get_data(as_text=True)
    assert "Vera Valutatrice" in page and "Vito Vice" in page and "Vicepresidenza" in page
    response = post(client, url(eworld), {"email": "  MEMBRO@cuneo.example.it "})
    assert response.status_code == 303
    assert members(app, eworld.call.id)[eworld.member.id] == (True, False)
    with app.app_context():
        notification = db.session.execute(select(Notification).where(
            Notification.user_id == eworld.member.id)).scalar_one()
        assert notification.verb == "evaluation.commission_added" and notification.link.endswith(eworld.call.slug)
        entry = db.session.execute(select(EvaluationAudit)).scalar_one()
        assert entry.action == "commission.add" and entry.detail["user"] == eworld.member.id


def test_a_deputy_added_by_htmx(app, client, eworld):
    login(client, eworld.admin)
    response = post(client, url(eworld), {"email": eworld.member.email, "is_deputy": "y"}, htmx=True)
    assert response.status_code == 204 and response.headers["HX-Redirect"].endswith("/commission")
    assert members(app, eworld.call.id)[eworld.member.id] == (True, True)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("role, message", [
    ("supplier", "mai di un fornitore"),
    ("chair", "presiede già"),
    ("reviewer", "fa già parte della commissione"),
    (None, "Nessuna persona attiva"),
])
def test_who_may_not_join_is_refused_at_the_field(app, client, eworld, role, message, htmx):
    login(client, eworld.chair)
    before = members(app, eworld.call.id)
    email = eworld.person(role).email if role else "nessuno@example.it"
    response = post(client, url(eworld), {"email": email}, htmx=htmx)
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and message in text and 'id="email-error"' in text
    assert ("<html" in text) is (not htmx) and f'value="{email}"' in text
    assert members(app, eworld.call.id) == before
    with app.app_context():
        assert db.session.execute(select(EvaluationAudit)).first() is None


def test_bad_addresses_are_refused(app, client, eworld):
    login(client, eworld.chair)
    for email, message in (("", "Scrivete l"), ("non-un-indirizzo", "valido")):
        response = post(client, url(eworld), {"email": email})
        assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_remove_keeps_the_row_and_adding_again_brings_it_back(app, client, eworld):
    login(client, eworld.chair)
    reviewer = member_id(app, eworld.call.id, eworld.reviewer.id)
    assert post(client, url(eworld, f"/{reviewer}/remove")).status_code == 303
    assert members(app, eworld.call.id)[eworld.reviewer.id] == (False, False)
    page = client.get(url(eworld)).get_data(as_text=True)
    assert "Persone tolte dalla commissione" in page and "Vera Valutatrice" in page
    assert post(client, url(eworld, f"/{reviewer}/remove")).status_code == 422  # already off
    assert post(client, url(eworld), {"email": eworld.reviewer.email}).status_code == 303
    assert members(app, eworld.call.id)[eworld.reviewer.id] == (True, False)
    with app.app_context():
        row = db.session.get(CommissionMember, reviewer)
        assert row.attested_at is None  # signs the attestation again
    assert post(client, url(eworld), {"toggle_deputy": str(reviewer)}).status_code == 303
    assert members(app, eworld.call.id)[eworld.reviewer.id] == (True, True)
    with app.app_context():
        assert list(db.session.execute(select(EvaluationAudit.action).order_by(EvaluationAudit.id)).scalars()) == [
            "commission.remove", "commission.add", "commission.deputy"]


def test_a_member_of_another_call_is_not_touched(app, client, eworld):
    from tests.evaluation_world import add_commission, make_call

    with app.app_context():
        other = make_call("Altro avviso")
        add_commission(other, reviewers=[db.session.get(User, eworld.member.id)])
        db.session.commit()
        foreign = db.session.execute(select(CommissionMember.id).where(CommissionMember.call_id == other.id)
                                     ).scalar_one()
    login(client, eworld.chair)
    assert post(client, url(eworld, f"/{foreign}/remove")).status_code == 422
    assert post(client, url(eworld), {"toggle_deputy": str(foreign)}).status_code == 422
    with app.app_context():
        assert db.session.get(CommissionMember, foreign).active


def test_the_commission_is_fixed_once_decisions_are_published(app, client, eworld):
    set_phase(app, eworld.call.id, "decided")
    login(client, eworld.chair)
    before = members(app, eworld.call.id)
    page = client.get(url(eworld)).get_data(as_text=True)
    assert "Aggiungi una persona" not in page
    response = post(client, url(eworld), {"email": eworld.member.email})
    assert response.status_code == 422 and "la commissione non cambia più" in response.get_data(as_text=True)
    reviewer = member_id(app, eworld.call.id, eworld.reviewer.id)
    assert post(client, url(eworld, f"/{reviewer}/remove")).status_code == 422
    assert members(app, eworld.call.id) == before


def test_a_deputy_chairing_a_candidacy_stays_until_someone_else_takes_it(app, client, eworld):
    from app.models import Candidacy
    from tests.evaluation_world import make_candidacy

    with app.app_context():
        candidacy = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id)
        db.session.get(Candidacy, candidacy.id).chair_handled_by_id = eworld.deputy.id
        db.session.commit()
    deputy = member_id(app, eworld.call.id, eworld.deputy.id)
    login(client, eworld.chair)
    before = members(app, eworld.call.id)
    for data, target in (({"toggle_deputy": str(deputy)}, url(eworld)), ({}, url(eworld, f"/{deputy}/remove"))):
        response = post(client, target, data, htmx=True)
        text = response.get_data(as_text=True)
        assert response.status_code == 422 and "sostituisce chi presiede su almeno una candidatura" in text
        assert "<html" not in text
    assert members(app, eworld.call.id) == before
