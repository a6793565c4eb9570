"""Conflicts of interest (issue 13, point 5): computed by the platform, declared by reviewers or by the candidate,
decided by whoever chairs; a chair conflicted on a candidacy hands it to a deputy; the attestation.

Computed (`compute`), for each submitted candidacy × the call's active members and its chair:
- same organisation: the person's organisation is the candidate organisation;
- donor: the person's organisation is a (co-)donor of the practice (other than the candidate);
- reuser: the person's organisation has adopted the practice (any adoption not abandoned);
- facilitator: the person facilitates the practice's community (active membership, role facilitator).
Partner (union of municipalities, agreement) is not computed: the platform holds no such data.
A computed conflict is a suggestion (it already hides the candidacy from the person) until the chair confirms or
dismisses it; a dismissed one is never suggested again. Confirming ends the person's live assignment (status
conflict). A commission member's own declaration (recusing themselves) stands at once and ends the assignment the
same way; whoever chairs is told to reassign. A conflict named by the candidate is only a suggestion, made before
review starts (call open or closed): it blocks nobody and ends nothing until it is confirmed — otherwise a candidate
could remove a reviewer, or the chair, at will (see access.is_blocking).
A conflict of the chair — or any conflict on a candidacy the chair is conflicted on — is decided by an
administrator, not by the chair; a candidate's suggestion naming the chair is sent to the administrators.
"""
from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.evaluation import access
from app.evaluation.assignment import end_for_conflict
from app.evaluation.core import EvaluationError, N_, audit, commit_and_email, lock, notify_people, refusal_rolls_back
from app.evaluation.queries import SUBMITTED_STATUSES
from app.evaluation.workflow import CallPhase, CandidacyStatus, ConflictKind, ConflictSource, ConflictStatus
from app.verbs import NOTIFICATION_TEXTS
from app.extensions import db
from app.models import Adoption, Candidacy, CommissionMember, Conflict, Membership, User
from app.models.base import utcnow

NOTE_MAX = 2000
DECLARABLE_KINDS = (ConflictKind.SAME_ORGANISATION, ConflictKind.DONOR, ConflictKind.REUSER, ConflictKind.PARTNER,
                    ConflictKind.FACILITATOR, ConflictKind.PERSONAL, ConflictKind.OTHER)
DECLARE_PHASES = (CallPhase.CLOSED, CallPhase.REVIEW, CallPhase.CONSENSUS)
CANDIDATE_DECLARE_STATUSES = (CandidacyStatus.DRAFT, CandidacyStatus.SUBMITTED, CandidacyStatus.UNDER_REVIEW)
# A candidate suggests a conflict before review starts; later it would be a way to discard a review it dislikes.
CANDIDATE_SUGGEST_PHASES = (CallPhase.OPEN, CallPhase.CLOSED)

NOTIFICATION_TEXTS.update({
    "evaluation.conflict_declared": _l("È stato dichiarato un conflitto di interessi su una candidatura dell'avviso "
                                       "«%(call)s»: controlla gli incarichi"),
    "evaluation.conflict_suggested": _l("L'ente candidato ha segnalato un conflitto di interessi su una candidatura "
                                        "dell'avviso «%(call)s»: confermalo o escludilo"),
    "evaluation.handed": _l("Ti è stata affidata, al posto di chi presiede, una candidatura dell'avviso «%(call)s»"),
})


# ---- who ---------------------------------------------------------------------------------------------------------

def commission_people(call) -> list[User]:
    """The chair and the active members of the call (reviewers and deputies), each once."""
    people = [m.user for m in db.session.execute(select(CommissionMember).where(
        CommissionMember.call_id == call.id, CommissionMember.active.is_(True))
        .order_by(CommissionMember.id)).scalars()]
    if call.chair is not None:
        people.insert(0, call.chair)
    return list(dict.fromkeys(people))


def chair_conflicted(candidacy) -> bool:
    """The call's chair has a blocking conflict on the candidacy."""
    call = candidacy.call
    return call.chair_id is not None and db.session.execute(select(Conflict.id).where(
        Conflict.candidacy_id == candidacy.id, Conflict.user_id == call.chair_id,
        access.blocking_conflict()).limit(1)).first() is not None


def handover_state(call, candidacies) -> tuple[list, dict[int, list[CommissionMember]], set[tuple[int, int]]]:
    """For the conflicts page, in two queries: the candidacies (among `candidacies`) the chair is conflicted on
    (chair_conflicted), for each of them the active deputies who are not (free_deputies), and every blocking
    (candidacy id, user id) pair of the call."""
    blocked = set(db.session.execute(select(Conflict.candidacy_id, Conflict.user_id).where(
        Conflict.call_id == call.id, access.blocking_conflict())).all())
    deputies = db.session.execute(select(CommissionMember).where(
        CommissionMember.call_id == call.id, CommissionMember.active.is_(True), CommissionMember.is_deputy.is_(True))
        .options(joinedload(CommissionMember.user)).order_by(CommissionMember.id)).scalars().all()
    handover = [c for c in candidacies if call.chair_id is not None and (c.id, call.chair_id) in blocked]
    return handover, {c.id: [m for m in deputies if (c.id, m.user_id) not in blocked] for c in handover}, blocked


def administrators() -> list[User]:
    """The platform's administrators who can sign in."""
    return [person for person in db.session.execute(select(User).where(User.is_admin.is_(True))
                                                    .order_by(User.id)).scalars() if person.can_sign_in]


def deciders(candidacy, user_id: int) -> list[User]:
    """Who decides a conflict between a person and the candidacy: the chair, or the administrators when it names
    the chair or the chair is conflicted on the candidacy (or the call has no chair)."""
    call = candidacy.call
    if call.chair is None or user_id == call.chair_id or chair_conflicted(candidacy):
        return administrators()
    return [call.chair]


def free_deputies(candidacy) -> list[CommissionMember]:
    """Active deputies of the call who are not conflicted on the candidacy."""
    return [m for m in db.session.execute(select(CommissionMember).where(
        CommissionMember.call_id == candidacy.call_id, CommissionMember.active.is_(True),
        CommissionMember.is_deputy.is_(True)).order_by(CommissionMember.id)).scalars()
        if not access.is_conflicted(m.user, candidacy)]


# ---- computed ----------------------------------------------------------------------------------------------------

def detect(candidacy, person) -> list[str]:
    """The kinds of conflict the platform's data shows between a person and a candidacy."""
    practice = candidacy.practice
    kinds = []
    org = person.organization_id
    if org is not None and org == candidacy.organization_id:
        kinds.append(ConflictKind.SAME_ORGANISATION)
    elif org is not None and org in practice.donor_ids:
        kinds.append(ConflictKind.DONOR)
    if org is not None and db.session.execute(select(Adoption.id).where(
            Adoption.practice_id == practice.id, Adoption.organization_id == org,
            Adoption.status != "abandoned").limit(1)).first():
        kinds.append(ConflictKind.REUSER)
    memberships = db.session.execute(select(Membership).where(
        Membership.community_id == practice.community_id, Membership.user_id == person.id)).scalars()
    if any(m.is_facilitator for m in memberships):
        kinds.append(ConflictKind.FACILITATOR)
    return kinds


def compute(call, actor=None, commit: bool = True) -> list[Conflict]:
    """Suggest the computed conflicts of a call (idempotent: a pair and kind already recorded, in any status, is
    left as it is). `commit=False` inside the caller's transaction (the call's phase change)."""
    lock(call)  # two detections at once: one after the other (a flush comes first: nothing pending is lost)
    people = commission_people(call)
    existing = set(db.session.execute(select(Conflict.candidacy_id, Conflict.user_id, Conflict.kind).where(
        Conflict.call_id == call.id)).all())
    created = []
    candidacies = db.session.execute(select(Candidacy).where(
        Candidacy.call_id == call.id, Candidacy.status.in_(SUBMITTED_STATUSES)).order_by(Candidacy.id)).scalars()
    for candidacy in candidacies:
        for person in people:
            for kind in detect(candidacy, person):
                if (candidacy.id, person.id, kind) in existing:
                    continue
                conflict = Conflict(call_id=call.id, candidacy_id=candidacy.id, user_id=person.id, kind=kind,
                                    source=ConflictSource.COMPUTED, status=ConflictStatus.SUGGESTED,
                                    created_by_id=actor.id if actor is not None else None, created_at=utcnow())
                db.session.add(conflict)
                db.session.flush()
                existing.add((candidacy.id, person.id, kind))
                audit(call, "conflict.suggest", actor, candidacy, conflict=conflict.id, person=person.id, kind=kind)
                created.append(conflict)
    audit(call, "conflict.compute", actor, found=len(created))
    if commit:
        commit_and_email()
    return created


# ---- declared ----------------------------------------------------------------------------------------------------

def _clean(kind: str, note: str) -> str:
    if kind not in DECLARABLE_KINDS:
        raise EvaluationError(N_("Scegli il tipo di conflitto."), field="kind")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise EvaluationError(N_("La nota può avere al massimo %(max)d caratteri."), field="note", max=NOTE_MAX)
    return note


def _existing(candidacy, user_id: int, kind: str) -> Conflict | None:
    return db.session.execute(select(Conflict).where(
        Conflict.candidacy_id == candidacy.id, Conflict.user_id == user_id, Conflict.kind == kind)).scalar_one_or_none()


def _record(actor, candidacy, kind: str, note: str) -> Conflict:
    """A commission member's own conflict (or the suggestion of the same kind) confirmed at once: their assignment
    ends, whoever chairs is told."""
    note = _clean(kind, note)
    call = candidacy.call
    conflict = _existing(candidacy, actor.id, kind)
    if conflict is None:
        conflict = Conflict(call_id=call.id, candidacy_id=candidacy.id, user_id=actor.id, kind=kind,
                            source=ConflictSource.REVIEWER, created_by_id=actor.id, created_at=utcnow())
        db.session.add(conflict)
    elif conflict.status == ConflictStatus.CONFIRMED:
        raise EvaluationError(N_("Questo conflitto di interessi è già registrato."), field="kind")
    conflict.status = ConflictStatus.CONFIRMED
    conflict.note = note or conflict.note
    conflict.decided_by_id, conflict.decided_at = actor.id, utcnow()
    db.session.flush()
    audit(call, "conflict.declare", actor, candidacy, conflict=conflict.id, person=actor.id, kind=kind,
          source=ConflictSource.REVIEWER)
    end_for_conflict(candidacy, actor.id, actor)
    if call.chair is not None and call.chair_id != actor.id:
        notify_people([call.chair], "evaluation.conflict_declared", actor,
                      url_for("evaluation.conflicts", slug=call.slug), call=call.title)
    return conflict


def _suggest(actor, candidacy, user_id: int, kind: str, note: str) -> Conflict:
    """The candidate's suggestion: status suggested, blocking nobody and ending nothing until it is confirmed; told
    to who decides it. The same conflict already waiting gets the note; one dismissed is suggested again."""
    note = _clean(kind, note)
    call = candidacy.call
    conflict = _existing(candidacy, user_id, kind)
    if conflict is None:
        conflict = Conflict(call_id=call.id, candidacy_id=candidacy.id, user_id=user_id, kind=kind,
                            source=ConflictSource.CANDIDATE, status=ConflictStatus.SUGGESTED,
                            created_by_id=actor.id, created_at=utcnow())
        db.session.add(conflict)
    elif conflict.status == ConflictStatus.CONFIRMED:
        raise EvaluationError(N_("Questo conflitto di interessi è già registrato."), field="kind")
    elif conflict.status == ConflictStatus.DISMISSED:
        conflict.status, conflict.source = ConflictStatus.SUGGESTED, ConflictSource.CANDIDATE
        conflict.decided_by_id = conflict.decided_at = None
    conflict.note = note or conflict.note
    db.session.flush()
    audit(call, "conflict.suggest", actor, candidacy, conflict=conflict.id, person=user_id, kind=kind,
          source=ConflictSource.CANDIDATE)
    notify_people(deciders(candidacy, user_id), "evaluation.conflict_suggested", actor,
                  url_for("evaluation.conflicts", slug=call.slug), call=call.title)
    return conflict


def may_declare_as_commission(user, candidacy) -> bool:
    """A member of the commission (or the chair) declares their own conflict on a submitted candidacy."""
    return (candidacy.status in SUBMITTED_STATUSES and candidacy.call.phase in DECLARE_PHASES
            and access.is_commission(user, candidacy.call) and not access.is_conflicted(user, candidacy))


def may_declare_as_candidate(user, candidacy) -> bool:
    """A referent of the candidate organisation names a member of the commission they see a conflict with (the
    page; the suggestion itself is taken only before review starts: candidate_may_suggest_now)."""
    return (access.is_candidate_referent(user, candidacy) and candidacy.status in CANDIDATE_DECLARE_STATUSES
            and candidacy.call.phase != CallPhase.DECIDED)


def candidate_may_suggest_now(candidacy) -> bool:
    """The call is still open or just closed: review has not started."""
    return candidacy.call.phase in CANDIDATE_SUGGEST_PHASES


@refusal_rolls_back
def declare_own(actor, candidacy, kind: str, note: str) -> Conflict:
    """A commission member declares their own conflict: confirmed at once, their assignment ends."""
    lock(candidacy)
    if not may_declare_as_commission(actor, candidacy):
        raise EvaluationError(N_("Dichiara un conflitto su una candidatura chi fa parte della commissione, dalla "
                                 "chiusura delle candidature alla fine del consenso."))
    conflict = _record(actor, candidacy, kind, note)
    commit_and_email()
    return conflict


@refusal_rolls_back
def declare_by_candidate(actor, candidacy, user_id: int | None, kind: str, note: str) -> Conflict:
    """The candidate organisation suggests a conflict with a named commission member, before review starts: the
    chair (or an administrator) confirms or dismisses it."""
    lock(candidacy)
    if not may_declare_as_candidate(actor, candidacy):
        raise EvaluationError(N_("Segnala un conflitto per la candidatura chi ne è referente, finché l'esito non è "
                                 "pubblicato."))
    if not candidate_may_suggest_now(candidacy):
        raise EvaluationError(N_("Un conflitto di interessi con una persona della commissione si segnala prima che "
                                 "inizi la valutazione, mentre l'avviso è aperto o appena chiuso: ora non è più "
                                 "possibile."))
    if user_id not in {person.id for person in commission_people(candidacy.call)}:
        raise EvaluationError(N_("Scegli una persona della commissione."), field="person")
    conflict = _suggest(actor, candidacy, user_id, kind, note)
    commit_and_email()
    return conflict


@refusal_rolls_back
def declare_at_attestation(actor, call, candidacy_ids, kind: str, note: str) -> None:
    """The attestation: the member signs, declaring their conflicts on the chosen candidacies."""
    member = access.membership_of(actor, call)
    if member is None:
        raise EvaluationError(N_("Firma la dichiarazione chi fa parte della commissione."))
    lock(member)
    if member.attested_at is not None:
        raise EvaluationError(N_("Hai già firmato la dichiarazione per questo avviso."))
    if call.phase == CallPhase.DECIDED:
        raise EvaluationError(N_("Gli esiti di questo avviso sono già pubblicati."))
    chosen = set(candidacy_ids or ())
    if chosen:
        for candidacy in db.session.execute(select(Candidacy).where(
                Candidacy.call_id == call.id, Candidacy.id.in_(chosen),
                Candidacy.status.in_(SUBMITTED_STATUSES)).order_by(Candidacy.id)).scalars():
            if not access.is_conflicted(actor, candidacy):
                _record(actor, candidacy, kind or ConflictKind.OTHER, note)
    member.attested_at = utcnow()
    audit(call, "commission.attest", actor, member=member.id, conflicts=sorted(chosen))
    commit_and_email()


# ---- decided by the chair ----------------------------------------------------------------------------------------

@refusal_rolls_back
def decide(actor, conflict, action: str) -> Conflict:
    """Confirm or dismiss a suggested conflict (the chair's own ones, and any on a candidacy the chair is conflicted
    on: an administrator)."""
    candidacy = conflict.candidacy
    call = candidacy.call
    lock(conflict)
    # The rule of access.can_decide_conflict (which the pages use), with the reason of each refusal.
    if not access.can_run_call(actor, call):
        raise EvaluationError(N_("I conflitti li decide chi presiede la commissione, o chi amministra la "
                                 "piattaforma."))
    if conflict.user_id == actor.id or (conflict.user_id == call.chair_id and not access.is_admin(actor)):
        raise EvaluationError(N_("Un conflitto di chi presiede lo decide chi amministra la piattaforma."))
    if access.is_conflicted(actor, candidacy) and not access.is_admin(actor):
        raise EvaluationError(N_("Sei in conflitto di interessi su questa candidatura: i suoi conflitti li decide chi "
                                 "amministra la piattaforma."))
    if conflict.status != ConflictStatus.SUGGESTED:
        raise EvaluationError(N_("Questo conflitto è già stato deciso."))
    if action == "confirm":
        conflict.status = ConflictStatus.CONFIRMED
        end_for_conflict(candidacy, conflict.user_id, actor)
    elif action == "dismiss":
        conflict.status = ConflictStatus.DISMISSED
    else:
        raise EvaluationError(N_("Scegli se confermare o escludere il conflitto."))
    conflict.decided_by_id, conflict.decided_at = actor.id, utcnow()
    audit(call, f"conflict.{action}", actor, candidacy, conflict=conflict.id, person=conflict.user_id,
          kind=conflict.kind)
    commit_and_email()
    return conflict


@refusal_rolls_back
def hand_to_deputy(actor, candidacy, deputy_user_id: int | None):
    """The chair is conflicted on the candidacy: a deputy who is not conflicted handles it instead."""
    call = candidacy.call
    lock(candidacy)
    if not access.can_run_call(actor, call):
        raise EvaluationError(N_("Affida una candidatura chi presiede la commissione, o chi amministra la "
                                 "piattaforma."))
    if candidacy.status not in SUBMITTED_STATUSES:
        raise EvaluationError(N_("Si affidano solo le candidature inviate."), field="deputy")
    if not chair_conflicted(candidacy):
        raise EvaluationError(N_("Chi presiede non è in conflitto su questa candidatura: la gestisce di persona."),
                              field="deputy")
    deputy = next((m for m in free_deputies(candidacy) if m.user_id == deputy_user_id), None)
    if deputy is None:
        raise EvaluationError(N_("Scegli una persona vicepresidente che non sia in conflitto con la candidatura."),
                              field="deputy")
    candidacy.chair_handled_by_id = deputy.user_id
    audit(call, "candidacy.hand_to_deputy", actor, candidacy, deputy=deputy.user_id)
    notify_people([deputy.user], "evaluation.handed", actor,
                  url_for("evaluation.reviewer_dashboard"), call=call.title)
    commit_and_email()
    return deputy


# ---- reading -----------------------------------------------------------------------------------------------------

def call_conflicts(call) -> list[Conflict]:
    """Every conflict of the call, with its person (loaded in the same query)."""
    return list(db.session.execute(select(Conflict).where(Conflict.call_id == call.id).options(
        joinedload(Conflict.user)).order_by(Conflict.candidacy_id, Conflict.user_id, Conflict.id)).scalars())
