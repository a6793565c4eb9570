"""Quotas and the waiting list in the database (issue 15, part CALLS): app/calls/core.py `move` selects only while the
kind has a free seat, and a selected withdrawal promotes the longest-waiting candidacy of the same kind."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.calls.core import CallsError, commit_and_email, lock, move, refusal_rolls_back
from app.extensions import db
from app.models import InterestCall, InterestCandidacy, Notification, ProgrammeParticipant, User
from app.models.base import utcnow
from tests.conftest import make_org, make_user


def candidacy(call, name: str, status: str, kind: str = "region", waiting_for=None) -> InterestCandidacy:
    organization = make_org(name, pa_kind=kind, ipa_code=name[-8:].lower().replace(" ", "_"))
    make_user(f"referente@{organization.slug}.example.it", organization, is_referent=True)
    row = InterestCandidacy(call_id=call.id, organization_id=organization.id, pa_kind=kind, status=status,
                            answers={}, submitted_at=utcnow(),
                            waiting_since=utcnow() - waiting_for if waiting_for is not None else None)
    db.session.add(row)
    db.session.flush()
    return row


@refusal_rolls_back
def apply(row: InterestCandidacy, action: str, actor, role: str) -> str:
    lock(row.call)
    after = move(row, action, actor, role)
    commit_and_email()
    return after


def test_selection_stops_at_the_quota_and_a_withdrawal_promotes_the_longest_waiting(app, progworld):
    with app.test_request_context():
        call = db.session.get(InterestCall, progworld.call.id)  # region: 1 seat
        staff = db.session.get(User, progworld.staff.id)
        first = candidacy(call, "Regione Liguria", "admissible")
        second = candidacy(call, "Regione Umbria", "admissible")
        newer = candidacy(call, "Regione Molise", "waiting", waiting_for=timedelta(hours=1))
        older = candidacy(call, "Regione Marche", "waiting", waiting_for=timedelta(days=2))
        other_kind = candidacy(call, "Città metropolitana di Bari", "waiting", kind="metropolitan_city",
                               waiting_for=timedelta(days=9))
        db.session.commit()
        assert apply(first, "select", staff, "staff") == "selected"
        with pytest.raises(CallsError) as refused:
            apply(db.session.get(InterestCandidacy, second.id), "select", staff, "staff")
        assert "I posti per questo tipo di ente sono esauriti" in refused.value.message
        assert db.session.get(InterestCandidacy, second.id).status == "admissible"
        assert apply(db.session.get(InterestCandidacy, second.id), "wait_list", staff, "staff") == "waiting"
        # The selected region withdraws: the region waiting longest takes the seat, not the metropolitan city.
        referent = db.session.scalar(select(User).where(User.organization_id == first.organization_id))
        assert apply(db.session.get(InterestCandidacy, first.id), "withdraw", referent, "candidate") == "withdrawn"
        statuses = {row.id: row.status for row in db.session.scalars(select(InterestCandidacy).where(
            InterestCandidacy.call_id == call.id))}
        assert statuses[older.id] == "selected" and statuses[newer.id] == "waiting"
        assert statuses[second.id] == "waiting" and statuses[other_kind.id] == "waiting"
        participants = set(db.session.scalars(select(ProgrammeParticipant.organization_id).where(
            ProgrammeParticipant.programme_id == call.programme_id)))
        assert older.organization_id in participants and first.organization_id not in participants
        promoted_referent = db.session.scalar(select(User.id).where(User.organization_id == older.organization_id))
        assert db.session.scalar(select(Notification.verb).where(Notification.user_id == promoted_referent)) == \
            "calls.promote"
