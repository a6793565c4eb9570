"""Services of a call's commission (issue 13, point 5): add a person by e-mail (a reviewer or a deputy), take one
off, mark or unmark a deputy. The chair is the call's own (calls.py). One transaction per operation; audited."""
from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.evaluation.calls import person_by_email
from app.evaluation.core import EvaluationError, N_, audit, commit_and_email, lock, notify_people, refusal_rolls_back
from app.evaluation.queries import LIVE_ASSIGNMENT
from app.evaluation.workflow import AssignmentStatus, CallPhase
from app.verbs import NOTIFICATION_TEXTS
from app.extensions import db
from app.models import Assignment, Candidacy, CommissionMember
from app.models.base import utcnow

NOTIFICATION_TEXTS.update({
    "evaluation.commission_added": _l("Ora fai parte della commissione dell'avviso «%(call)s»"),
})


def _commission_open(call) -> None:
    lock(call)
    if call.phase == CallPhase.DECIDED:
        raise EvaluationError(N_("Gli esiti sono pubblicati: la commissione non cambia più."))


@refusal_rolls_back
def add_member(call, actor, email: str, is_deputy: bool = False) -> CommissionMember:
    """Add a reviewer (or a deputy) by e-mail; a removed member comes back on the same row."""
    from app.evaluation.access import may_be_reviewer

    _commission_open(call)
    person = person_by_email(email)
    if person is None or not person.can_sign_in:
        raise EvaluationError(N_("Nessuna persona attiva con questo indirizzo."), field="email")
    if not may_be_reviewer(person):
        raise EvaluationError(N_("Nella commissione entrano persone attive di un ente, mai di un fornitore."),
                              field="email")
    if person.id == call.chair_id:
        raise EvaluationError(N_("Questa persona presiede già la commissione."), field="email")
    member = db.session.execute(select(CommissionMember).where(
        CommissionMember.call_id == call.id, CommissionMember.user_id == person.id)).scalar_one_or_none()
    if member is not None and member.active:
        raise EvaluationError(N_("Questa persona fa già parte della commissione."), field="email")
    if member is None:
        member = CommissionMember(call_id=call.id, user_id=person.id)
        db.session.add(member)
    member.active, member.is_deputy, member.added_by_id, member.added_at = True, is_deputy, actor.id, utcnow()
    member.attested_at = None  # the attestation is signed again on coming back
    db.session.flush()
    audit(call, "commission.add", actor, member=member.id, user=person.id, deputy=is_deputy)
    notify_people([person], "evaluation.commission_added", actor, url_for("evaluation.call", slug=call.slug),
                  call=call.title)
    commit_and_email()
    return member


def _member(call, member_id: int) -> CommissionMember:
    member = db.session.get(CommissionMember, member_id)
    if member is None or member.call_id != call.id or not member.active:
        raise EvaluationError(N_("Questa persona non fa più parte della commissione."))
    return member


def _not_handling(call, member) -> None:
    """A deputy who chairs a candidacy in the chair's place keeps the role until someone else takes it."""
    if db.session.execute(select(Candidacy.id).where(Candidacy.call_id == call.id,
                                                     Candidacy.chair_handled_by_id == member.user_id).limit(1)).first():
        raise EvaluationError(N_("Questa persona sostituisce chi presiede su almeno una candidatura: affidatela prima "
                                 "a un'altra persona."))


def _end_assignments(call, actor, member) -> None:
    """The person's live assignments end with them: those not yet done («da valutare», a draft review at most, which
    never counts) are closed as declined, each audited, so the candidacy waits for nobody and automatic assignment
    looks for someone else. A review already sent is part of the evaluation: the removal is refused then — declare a
    conflict of interest on that candidacy (the review stops counting) or keep the person."""
    live = db.session.execute(select(Assignment).join(Candidacy, Candidacy.id == Assignment.candidacy_id).where(
        Candidacy.call_id == call.id, Assignment.user_id == member.user_id,
        Assignment.status.in_(LIVE_ASSIGNMENT))).scalars().all()
    for each in live:
        lock(each)  # a review sent at this very moment is seen below
    if any(each.status == AssignmentStatus.SUBMITTED for each in live):
        raise EvaluationError(N_("Questa persona ha già inviato almeno una valutazione: dichiarate un conflitto di "
                                 "interessi su quella candidatura o lasciatela nella commissione."))
    for each in live:
        each.status, each.ended_at = AssignmentStatus.DECLINED, utcnow()
        audit(call, "assignment.member_removed", actor, each.candidacy, assignment=each.id, reviewer=each.user_id)


@refusal_rolls_back
def remove_member(call, actor, member_id: int) -> None:
    """Take a person off the commission: the row stays (inactive) for the minutes; their assignments not yet done
    end (declined), and the removal is refused while they have a review already sent (see _end_assignments)."""
    _commission_open(call)
    member = _member(call, member_id)
    _not_handling(call, member)
    _end_assignments(call, actor, member)
    member.active = False
    audit(call, "commission.remove", actor, member=member.id, user=member.user_id)
    commit_and_email()


@refusal_rolls_back
def toggle_deputy(call, actor, member_id: int) -> CommissionMember:
    _commission_open(call)
    member = _member(call, member_id)
    if member.is_deputy:
        _not_handling(call, member)
    member.is_deputy = not member.is_deputy
    audit(call, "commission.deputy", actor, member=member.id, user=member.user_id, deputy=member.is_deputy)
    commit_and_email()
    return member
