"""What every service of the calls area shares: the error type, rolling back refusals, locking, committing with
e-mails, and `move`: one candidacy transition with its history, the programme's participants, the automatic
promotion from the waiting list and the notifications (issue 15)."""
from __future__ import annotations

from datetime import UTC, datetime
from functools import wraps

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.calls.workflow import (CallWorkflowError, CandidacyAction, CandidacyFacts, CandidacyRole, CandidacyStatus,
                                candidacy_transition, promotion_after_withdrawal, window_state)
from app.extensions import db
from app.models import (CandidacyChange, InterestCall, InterestCandidacy, ProgrammeParticipant, ProgrammeStaff,
                        User)
from app.models.base import utcnow
from app.verbs import NOTIFICATION_TEXTS


def N_(message: str) -> str:
    return message


NOTIFICATION_TEXTS.update({
    "calls.submitted": _l("%(organization)s ha inviato la candidatura all'avviso «%(call)s»"),
    "calls.withdrawn": _l("%(organization)s ha ritirato la candidatura all'avviso «%(call)s»"),
    "calls.admit": _l("La candidatura di %(organization)s all'avviso «%(call)s» è ammissibile"),
    "calls.reject": _l("La candidatura di %(organization)s all'avviso «%(call)s» non è ammissibile: %(reason)s"),
    "calls.select": _l("%(organization)s è stato selezionato dall'avviso «%(call)s»"),
    "calls.wait_list": _l("La candidatura di %(organization)s all'avviso «%(call)s» è in lista d'attesa"),
    "calls.not_select": _l("La candidatura di %(organization)s all'avviso «%(call)s» non è stata selezionata"),
    "calls.promote": _l("Si è liberato un posto: %(organization)s è ora selezionato dall'avviso «%(call)s»"),
    "calls.staff_appointed": _l("Fai parte dello staff del programma «%(programme)s»"),
    "calls.results_published": _l("Gli esiti dell'avviso «%(call)s» sono pubblicati"),
})

# Who hears of each move: the candidate organisation's referents (and who submitted) for the staff's decisions,
# the programme's staff for the organisation's own moves.
TO_CANDIDATE = {CandidacyAction.ADMIT, CandidacyAction.REJECT, CandidacyAction.SELECT, CandidacyAction.WAIT_LIST,
                CandidacyAction.NOT_SELECT, CandidacyAction.PROMOTE}
TO_STAFF = {CandidacyAction.SUBMIT, CandidacyAction.WITHDRAW, CandidacyAction.PROMOTE}


class CallsError(Exception):
    """A refusal the person can act on: `message` is an Italian msgid (params fill it), `field` the form field."""

    def __init__(self, message: str, field: str | None = None, **params) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.params = params


def refusal_rolls_back(function):
    """A service refusal (or a workflow refusal) leaves nothing half-applied: the session is rolled back and the
    refusal raised as CallsError."""
    @wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except CallWorkflowError as refused:
            db.session.rollback()
            raise CallsError(str(refused)) from refused
        except CallsError:
            db.session.rollback()
            raise
    return wrapper


def lock(row) -> None:
    """Lock the row until commit (PostgreSQL); on SQLite the write transaction serialises instead."""
    from app.reuse.services import lock_row

    lock_row(row)


def commit_and_email() -> None:
    from app.reuse.services import commit_and_email as commit

    commit()


def notify_people(people, verb: str, actor, link: str, **params) -> None:
    """Notify each person once (never the actor, who may be None for an automatic move); the caller passes only
    people who may see what it links to."""
    from app.notifications.services import notify

    seen = {actor.id} if actor is not None else set()
    for person in people:
        if person is None or person.id in seen or not person.can_sign_in:
            continue
        seen.add(person.id)
        notify(person, verb, actor=actor, link=link, **params)


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def selected_count(call: InterestCall, pa_kind: str | None, excluding: int | None = None) -> int:
    query = select(func.count(InterestCandidacy.id)).where(
        InterestCandidacy.call_id == call.id, InterestCandidacy.pa_kind == pa_kind,
        InterestCandidacy.status == CandidacyStatus.SELECTED)
    if excluding is not None:
        query = query.where(InterestCandidacy.id != excluding)
    return db.session.scalar(query) or 0


def facts_for(candidacy: InterestCandidacy, note: str = "") -> CandidacyFacts:
    call = candidacy.call
    quota = call.quota_for(candidacy.pa_kind)
    seats_free = (quota.seats - selected_count(call, candidacy.pa_kind, excluding=candidacy.id)) if quota else 0
    return CandidacyFacts(call_phase=call.phase, window=window_state(call.opens_at, call.closes_at, now()),
                          eligible=quota is not None, seats_free=seats_free, reason=note)


def candidate_people(candidacy: InterestCandidacy) -> list[User]:
    """The candidate organisation's active referents, and whoever submitted the candidacy."""
    from app.models import AffiliationStatus

    people = list(db.session.scalars(select(User).where(
        User.organization_id == candidacy.organization_id, User.is_referent.is_(True),
        User.affiliation_status == AffiliationStatus.ACTIVE)))
    if candidacy.submitted_by_id and all(person.id != candidacy.submitted_by_id for person in people):
        submitter = db.session.get(User, candidacy.submitted_by_id)
        if submitter is not None and submitter.organization_id == candidacy.organization_id:
            people.append(submitter)
    return people


def staff_people(call: InterestCall) -> list[User]:
    return list(db.session.scalars(select(User).join(ProgrammeStaff, ProgrammeStaff.user_id == User.id)
                                   .where(ProgrammeStaff.programme_id == call.programme_id)))


def move(candidacy: InterestCandidacy, action: str, actor: User | None, role: str, note: str = "") -> str:
    """Apply one transition in the caller's transaction (the caller has locked the call and commits): status and
    stamps, history, participant row, promotion of the longest-waiting candidacy of the same kind when a selected
    one withdraws, notifications. Raises CallWorkflowError (nothing applied) when refused. Returns the new status."""
    before = candidacy.status
    target = candidacy_transition(before, action, role, facts_for(candidacy, note))
    moment = utcnow()
    candidacy.status = target
    candidacy.updated_at = moment
    if action == CandidacyAction.SUBMIT:
        candidacy.submitted_at, candidacy.submitted_by_id = moment, actor.id if actor else None
    elif action == CandidacyAction.WITHDRAW:
        candidacy.withdrawn_at = moment
    else:
        candidacy.decided_at, candidacy.decided_by_id = moment, actor.id if actor else None
    if action == CandidacyAction.REJECT or (note and role == CandidacyRole.STAFF):
        candidacy.reason = note.strip()
    candidacy.waiting_since = moment if target == CandidacyStatus.WAITING else None
    db.session.add(CandidacyChange(candidacy_id=candidacy.id, action=action, from_status=before, to_status=target,
                                   actor_id=actor.id if actor else None, note=note.strip(), created_at=moment))
    _keep_participant(candidacy, actor)
    db.session.flush()
    _tell(candidacy, action, actor)
    if action == CandidacyAction.WITHDRAW:
        waiting = db.session.execute(select(InterestCandidacy.id, InterestCandidacy.waiting_since).where(
            InterestCandidacy.call_id == candidacy.call_id, InterestCandidacy.pa_kind == candidacy.pa_kind,
            InterestCandidacy.status == CandidacyStatus.WAITING)).all()
        chosen = promotion_after_withdrawal(before, [(row.id, row.waiting_since) for row in waiting])
        if chosen is not None:
            move(db.session.get(InterestCandidacy, chosen), CandidacyAction.PROMOTE, None, CandidacyRole.SYSTEM,
                 note=N_("Promossa automaticamente dalla lista d'attesa dopo un ritiro."))
    return target


def _keep_participant(candidacy: InterestCandidacy, actor: User | None) -> None:
    """A selected candidacy makes its organisation a participant of the programme; leaving the selection ends the
    participation that this candidacy had given."""
    programme_id = candidacy.call.programme_id
    existing = db.session.scalar(select(ProgrammeParticipant).where(
        ProgrammeParticipant.programme_id == programme_id,
        ProgrammeParticipant.organization_id == candidacy.organization_id))
    if candidacy.status == CandidacyStatus.SELECTED:
        if existing is None:
            db.session.add(ProgrammeParticipant(programme_id=programme_id, organization_id=candidacy.organization_id,
                                                candidacy_id=candidacy.id, added_by_id=actor.id if actor else None))
    elif existing is not None and existing.candidacy_id == candidacy.id:
        # Another call of the programme may have selected the organisation too: the participation stays, on it.
        other = db.session.scalar(select(InterestCandidacy.id).join(
            InterestCall, InterestCall.id == InterestCandidacy.call_id).where(
            InterestCall.programme_id == programme_id, InterestCandidacy.id != candidacy.id,
            InterestCandidacy.organization_id == candidacy.organization_id,
            InterestCandidacy.status == CandidacyStatus.SELECTED).order_by(InterestCandidacy.id).limit(1))
        if other is None:
            db.session.delete(existing)
        else:
            existing.candidacy_id = other


def _tell(candidacy: InterestCandidacy, action: str, actor: User | None) -> None:
    link = url_for("calls.candidacy", candidacy_id=candidacy.id)
    params = {"organization": candidacy.organization.name, "call": candidacy.call.title,
              "reason": candidacy.reason}
    if action in TO_CANDIDATE:
        notify_people(candidate_people(candidacy), f"calls.{action}", actor, link, **params)
    if action in TO_STAFF:
        notify_people(staff_people(candidacy.call), "calls.promote" if action == CandidacyAction.PROMOTE
                      else f"calls.{'submitted' if action == CandidacyAction.SUBMIT else 'withdrawn'}",
                      actor, link, **params)
