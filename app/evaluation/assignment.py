"""Assigning reviewers to candidacies (issue 13, point 6): by hand from the matrix, or automatically.

The automatic rule (`plan`, a pure function on plain ids):
- every candidacy gets at least `per_candidacy` live reviewers (assigned or submitted ones already count);
- nobody gets more than `max_load` live assignments in the call (what they hold already counts);
- nobody conflicted (conflict suggested or confirmed) and nobody who already had a row for that candidacy
  (declined, ended by a conflict) is chosen;
- among those possible: first anyone who did not answer −2, then the least loaded, then the highest preference,
  then the lowest id — so a −2 is used only when nobody else is possible, balance comes before wishes, and the
  result is the same on every run;
- candidacies with fewest possible reviewers are served first (ties by id), so scarce people go where needed;
- what could not be covered is reported with how many reviewers are missing.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.evaluation import access
from app.evaluation.core import EvaluationError, N_, audit, commit_and_email, lock, notify_people, refusal_rolls_back
from app.evaluation.queries import LIVE_ASSIGNMENT, SUBMITTED_STATUSES
from app.evaluation.workflow import AssignmentAction, AssignmentStatus, assignment_transition, may_assign
from app.verbs import NOTIFICATION_TEXTS
from app.extensions import db
from app.models import Assignment, Candidacy, CommissionMember, Conflict, ReviewPreference, User
from app.models.base import utcnow

REASON_MAX = 2000

NOTIFICATION_TEXTS.update({
    "evaluation.assigned": _l("Hai una nuova candidatura da valutare nell'avviso «%(call)s»"),
    "evaluation.assigned_many": _l("Hai %(count)s nuove candidature da valutare nell'avviso «%(call)s»"),
    "evaluation.declined": _l("%(actor)s ha declinato la valutazione di una candidatura dell'avviso «%(call)s»: "
                              "serve un'altra persona"),
})


# ---- the pure rule -----------------------------------------------------------------------------------------------

@dataclass
class Plan:
    """What the automatic assignment proposes: new (candidacy, reviewer) pairs and the candidacies left short."""

    pairs: list[tuple[int, int]] = field(default_factory=list)
    uncovered: dict[int, int] = field(default_factory=dict)  # candidacy id → reviewers still missing
    load: dict[int, int] = field(default_factory=dict)  # reviewer id → live assignments after the plan


def plan(candidacies, reviewers, *, per_candidacy: int, max_load: int, live=None, taken=None, conflicts=(),
         preferences=None) -> Plan:
    """The automatic assignment (rule in the module docstring).

    candidacies, reviewers: ids. live: {candidacy id: set of reviewer ids holding a live assignment}. taken: pairs
    (candidacy, reviewer) that may not be assigned again (any existing row). conflicts: pairs that are conflicted.
    preferences: {(candidacy, reviewer): −2…+2}, missing = 0."""
    live = {cid: set(ids) for cid, ids in (live or {}).items()}
    blocked = set(taken or ()) | set(conflicts) | {(cid, rid) for cid, ids in live.items() for rid in ids}
    preferences = preferences or {}
    reviewers = sorted(set(reviewers))
    load = {rid: 0 for rid in reviewers}
    for ids in live.values():
        for rid in ids:
            if rid in load:
                load[rid] += 1
    result = Plan()

    def possible(cid):
        return [rid for rid in reviewers if (cid, rid) not in blocked]

    order = sorted(set(candidacies), key=lambda cid: (len(possible(cid)), cid))
    for cid in order:
        missing = per_candidacy - len(live.get(cid, ()))
        if missing <= 0:
            continue
        choices = sorted((rid for rid in possible(cid) if load[rid] < max_load),
                         key=lambda rid: (preferences.get((cid, rid), 0) <= -2, load[rid],
                                          -preferences.get((cid, rid), 0), rid))
        for rid in choices[:missing]:
            result.pairs.append((cid, rid))
            load[rid] += 1
        if len(choices) < missing:
            result.uncovered[cid] = missing - len(choices)
    result.load = load
    return result


# ---- reading -----------------------------------------------------------------------------------------------------

def call_candidacies(call, named: bool = False) -> list[Candidacy]:
    """The call's submitted candidacies, in order of submission; `named`: with their practice and organisation
    loaded in the same query (for pages that show every candidacy's name)."""
    query = select(Candidacy).where(Candidacy.call_id == call.id, Candidacy.status.in_(SUBMITTED_STATUSES))
    if named:
        query = query.options(joinedload(Candidacy.practice), joinedload(Candidacy.organization))
    return list(db.session.execute(query.order_by(Candidacy.id)).scalars())


def active_members(call, reviewers_only: bool = False) -> list[CommissionMember]:
    """The call's active members (with their person, loaded in the same query), in order of appointment."""
    query = select(CommissionMember).where(CommissionMember.call_id == call.id, CommissionMember.active.is_(True))
    if reviewers_only:
        query = query.where(CommissionMember.is_deputy.is_(False))
    return list(db.session.execute(query.options(joinedload(CommissionMember.user))
                                   .order_by(CommissionMember.id)).scalars())


def call_assignments(call) -> list[Assignment]:
    return list(db.session.execute(select(Assignment).join(Candidacy, Candidacy.id == Assignment.candidacy_id).where(
        Candidacy.call_id == call.id).order_by(Assignment.id)).scalars())


def blocking_conflicts(call) -> set[tuple[int, int]]:
    """(candidacy id, user id) of every blocking conflict of the call (access.blocking_conflict)."""
    return set(db.session.execute(select(Conflict.candidacy_id, Conflict.user_id).where(
        Conflict.call_id == call.id, access.blocking_conflict())).all())


def needing_reviewers(call) -> dict[int, int]:
    """candidacy id → reviewers missing to reach the call's reviewers_per_candidacy."""
    return needing_reviewers_of([call])[call.id]


def needing_reviewers_of(calls) -> dict[int, dict[int, int]]:
    """needing_reviewers for several calls in two queries: call id → {candidacy id → reviewers missing}."""
    wanted = {call.id: call.reviewers_per_candidacy for call in calls}
    result: dict[int, dict[int, int]] = {call_id: {} for call_id in wanted}
    if not wanted:
        return result
    counts = dict(db.session.execute(select(Assignment.candidacy_id, func.count(Assignment.id)).join(
        Candidacy, Candidacy.id == Assignment.candidacy_id).where(
        Candidacy.call_id.in_(wanted), Assignment.status.in_(LIVE_ASSIGNMENT)).group_by(Assignment.candidacy_id)).all())
    for candidacy_id, call_id in db.session.execute(select(Candidacy.id, Candidacy.call_id).where(
            Candidacy.call_id.in_(wanted), Candidacy.status.in_(SUBMITTED_STATUSES)).order_by(Candidacy.id)).all():
        if counts.get(candidacy_id, 0) < wanted[call_id]:
            result[call_id][candidacy_id] = wanted[call_id] - counts.get(candidacy_id, 0)
    return result


def reviewer_sections(user) -> list[dict]:
    """The reviewer's dashboard, per call where the reader is in the commission (or chairs): membership, assignments
    by status, conflicts, candidacies handed to them, what still needs reviewers (for the chair); a fixed number of
    queries whatever the number of calls and candidacies."""
    from app import permissions
    from app.models import EvaluationCall

    member_calls = select(CommissionMember.call_id).where(CommissionMember.user_id == user.id,
                                                          CommissionMember.active.is_(True))
    calls = db.session.execute(select(EvaluationCall).where(
        EvaluationCall.id.in_(member_calls) | (EvaluationCall.chair_id == user.id))
        .order_by(EvaluationCall.year.desc(), EvaluationCall.id.desc())).scalars().all()
    if not calls:
        return []
    ids = [call.id for call in calls]
    named = (joinedload(Candidacy.practice), joinedload(Candidacy.organization))
    mine = db.session.execute(select(Assignment).join(Candidacy, Candidacy.id == Assignment.candidacy_id).where(
        Candidacy.call_id.in_(ids), Assignment.user_id == user.id)
        .options(*(joinedload(Assignment.candidacy).options(each) for each in named))
        .order_by(Assignment.id)).scalars().all()
    handled = db.session.execute(select(Candidacy).where(
        Candidacy.call_id.in_(ids), Candidacy.chair_handled_by_id == user.id).options(*named)
        .order_by(Candidacy.id)).scalars().all()
    members = {m.call_id: m for m in db.session.execute(select(CommissionMember).where(
        CommissionMember.call_id.in_(ids), CommissionMember.user_id == user.id,
        CommissionMember.active.is_(True))).scalars()} if permissions.is_member(user) else {}
    conflicts = db.session.execute(select(Conflict).where(
        Conflict.call_id.in_(ids), Conflict.user_id == user.id).order_by(Conflict.candidacy_id)).scalars().all()
    chaired = [call for call in calls if access.is_chair(user, call)]
    needing = needing_reviewers_of(chaired) if chaired else {}
    names = access.candidate_names_shown(user, [row.candidacy for row in mine],
                                         conflicted={c.candidacy_id for c in conflicts if access.is_blocking(c)})
    sections = []
    for call in calls:
        groups = {status: [] for status in AssignmentStatus}
        for row in mine:
            if row.candidacy.call_id == call.id:
                groups[AssignmentStatus(row.status)].append(row)
        sections.append(dict(call=call, member=members.get(call.id), chair=access.is_chair(user, call),
                             groups=groups, names=names,
                             conflicts=[c for c in conflicts if c.call_id == call.id],
                             handled=[c for c in handled if c.call_id == call.id], needing=needing.get(call.id, {})))
    return sections


# ---- services ----------------------------------------------------------------------------------------------------

def _require_may_assign(actor, call, candidacy=None) -> None:
    if not access.can_run_call(actor, call):
        raise EvaluationError(N_("Assegna le candidature chi presiede la commissione, o chi amministra la "
                                 "piattaforma."))
    if not may_assign(call.phase):
        raise EvaluationError(N_("Le candidature si assegnano dalla chiusura delle candidature alla fine del "
                                 "consenso."))
    if candidacy is not None and access.is_conflicted(actor, candidacy):
        raise EvaluationError(N_("Sei in conflitto di interessi su questa candidatura: la assegna chi amministra la "
                                 "piattaforma."))


def _notify_assigned(call, actor, user_ids) -> None:
    link = url_for("evaluation.reviewer_dashboard")
    counts: dict[int, int] = {}
    for user_id in user_ids:
        counts[user_id] = counts.get(user_id, 0) + 1
    for user_id, count in counts.items():
        person = db.session.get(User, user_id)
        if count == 1:
            notify_people([person], "evaluation.assigned", actor, link, call=call.title)
        else:
            notify_people([person], "evaluation.assigned_many", actor, link, call=call.title, count=count)


@refusal_rolls_back
def assign(actor, candidacy, user_id: int) -> Assignment:
    """Assign one reviewer to a candidacy (refused for a conflicted person, a second time, outside the phases)."""
    call = candidacy.call
    lock(candidacy)
    _require_may_assign(actor, call, candidacy)
    if candidacy.status not in SUBMITTED_STATUSES:
        raise EvaluationError(N_("Si assegnano solo le candidature inviate."), field="reviewer")
    member = db.session.execute(select(CommissionMember).where(
        CommissionMember.call_id == call.id, CommissionMember.user_id == user_id,
        CommissionMember.active.is_(True))).scalar_one_or_none()
    if member is None:
        raise EvaluationError(N_("Si assegnano solo persone della commissione."), field="reviewer")
    if (candidacy.id, user_id) in blocking_conflicts(call):
        raise EvaluationError(N_("Questa persona è in conflitto di interessi con la candidatura: non può valutarla."),
                              field="reviewer")
    existing = db.session.execute(select(Assignment).where(
        Assignment.candidacy_id == candidacy.id, Assignment.user_id == user_id)).scalar_one_or_none()
    if existing is not None:
        if existing.status == AssignmentStatus.DECLINED:
            raise EvaluationError(N_("Questa persona ha già declinato questa candidatura."), field="reviewer")
        if existing.status == AssignmentStatus.CONFLICT:
            raise EvaluationError(N_("L'incarico di questa persona è stato chiuso per un conflitto di interessi."),
                                  field="reviewer")
        raise EvaluationError(N_("Questa persona ha già la candidatura tra i suoi incarichi."), field="reviewer")
    assignment = Assignment(candidacy_id=candidacy.id, user_id=user_id, status=AssignmentStatus.ASSIGNED,
                            assigned_by_id=actor.id, assigned_at=utcnow())
    db.session.add(assignment)
    db.session.flush()
    audit(call, "assignment.add", actor, candidacy, assignment=assignment.id, reviewer=user_id)
    _notify_assigned(call, actor, [user_id])
    commit_and_email()
    return assignment


@refusal_rolls_back
def unassign(actor, assignment) -> None:
    """Remove an assignment not yet done (its draft review, if any, goes with it)."""
    candidacy = assignment.candidacy
    call = candidacy.call
    lock(assignment)
    _require_may_assign(actor, call, candidacy)
    if assignment.status != AssignmentStatus.ASSIGNED:
        raise EvaluationError(N_("Si toglie solo un incarico ancora da svolgere."))
    audit(call, "assignment.remove", actor, candidacy, assignment=assignment.id, reviewer=assignment.user_id)
    if assignment.review is not None:
        db.session.delete(assignment.review)
    db.session.delete(assignment)
    commit_and_email()


@refusal_rolls_back
def auto_assign(actor, call) -> Plan:
    """Assign reviewers automatically (module docstring); returns the plan with what stayed uncovered."""
    lock(call)
    _require_may_assign(actor, call)
    candidacies = call_candidacies(call)
    for candidacy in candidacies:  # the manual assignment locks the candidacy: the two never overlap
        lock(candidacy)
    reviewers = [m.user_id for m in active_members(call, reviewers_only=True)]
    rows = call_assignments(call)
    live: dict[int, set[int]] = {}
    for row in rows:
        if row.status in LIVE_ASSIGNMENT:
            live.setdefault(row.candidacy_id, set()).add(row.user_id)
    conflicts = blocking_conflicts(call)
    chair_conflicted = {cid for cid, uid in conflicts if uid == actor.id}
    ids = [c.id for c in candidacies if c.id not in chair_conflicted]
    preferences = {(p.candidacy_id, p.user_id): p.value for p in db.session.execute(select(ReviewPreference).where(
        ReviewPreference.candidacy_id.in_(ids or [0]))).scalars()}
    result = plan(ids, reviewers, per_candidacy=call.reviewers_per_candidacy, max_load=call.max_load, live=live,
                  taken={(r.candidacy_id, r.user_id) for r in rows}, conflicts=conflicts, preferences=preferences)
    by_id = {c.id: c for c in candidacies}
    for cid, rid in result.pairs:
        assignment = Assignment(candidacy_id=cid, user_id=rid, status=AssignmentStatus.ASSIGNED, automatic=True,
                                assigned_by_id=actor.id, assigned_at=utcnow())
        db.session.add(assignment)
        db.session.flush()
        audit(call, "assignment.add", actor, by_id[cid], assignment=assignment.id, reviewer=rid, automatic=True)
    audit(call, "assignment.auto", actor, added=len(result.pairs), uncovered=sorted(result.uncovered))
    _notify_assigned(call, actor, [rid for _cid, rid in result.pairs])
    commit_and_email()
    return result


@refusal_rolls_back
def decline(actor, assignment, reason: str) -> Assignment:
    """The reviewer declines an assignment not yet done, with a reason; whoever chairs it is told."""
    candidacy = assignment.candidacy
    call = candidacy.call
    lock(assignment)
    if actor.id != assignment.user_id:
        raise EvaluationError(N_("Declina un incarico solo la persona a cui è assegnato."))
    reason = (reason or "").strip()
    if not reason:
        raise EvaluationError(N_("Scrivi perché declini l'incarico."), field="reason")
    if len(reason) > REASON_MAX:
        raise EvaluationError(N_("Il motivo può avere al massimo %(max)d caratteri."), field="reason", max=REASON_MAX)
    assignment.status = assignment_transition(assignment.status, AssignmentAction.DECLINE, call.phase)
    assignment.decline_reason = reason
    assignment.ended_at = utcnow()
    audit(call, "assignment.decline", actor, candidacy, assignment=assignment.id)
    if call.chair is not None:
        notify_people([call.chair], "evaluation.declined", actor, url_for("evaluation.assignments", slug=call.slug),
                      call=call.title)
    commit_and_email()
    return assignment


def end_for_conflict(candidacy, user_id: int, actor) -> Assignment | None:
    """A conflict found after assigning: the person's live assignment ends with status conflict (no commit)."""
    assignment = db.session.execute(select(Assignment).where(
        Assignment.candidacy_id == candidacy.id, Assignment.user_id == user_id,
        Assignment.status.in_(LIVE_ASSIGNMENT))).scalar_one_or_none()
    if assignment is None:
        return None
    assignment.status = assignment_transition(assignment.status, AssignmentAction.CONFLICT, candidacy.call.phase)
    assignment.ended_at = utcnow()
    audit(candidacy.call, "assignment.conflict", actor, candidacy, assignment=assignment.id, reviewer=user_id)
    return assignment


# ---- preferences -------------------------------------------------------------------------------------------------

PREFERENCE_VALUES = (-2, -1, 0, 1, 2)
PREFERENCE_PHASES = ("closed", "review")


def preference_candidacies(user, call) -> list[Candidacy]:
    """The submitted candidacies a reviewer may state a wish about: all but those they are conflicted on."""
    from app.evaluation.queries import not_conflicted_clause

    return list(db.session.execute(select(Candidacy).where(
        Candidacy.call_id == call.id, Candidacy.status.in_(SUBMITTED_STATUSES), not_conflicted_clause(user))
        .order_by(Candidacy.id)).scalars())


def preferences_of(user, call) -> dict[int, int]:
    return dict(db.session.execute(select(ReviewPreference.candidacy_id, ReviewPreference.value).join(
        Candidacy, Candidacy.id == ReviewPreference.candidacy_id).where(
        Candidacy.call_id == call.id, ReviewPreference.user_id == user.id)).all())


@refusal_rolls_back
def set_preferences(actor, call, values: dict[int, int]) -> int:
    """Store a reviewer's wishes (−2…+2) for the candidacies they may see; returns how many were stored."""
    member = access.membership_of(actor, call)
    if member is None:
        raise EvaluationError(N_("Le preferenze le indica chi fa parte della commissione."))
    lock(member)  # two saves at once: one after the other
    if call.phase not in PREFERENCE_PHASES:
        raise EvaluationError(N_("Le preferenze si indicano dopo la chiusura delle candidature, durante la "
                                 "valutazione."))
    allowed = {c.id for c in preference_candidacies(actor, call)}
    existing = {p.candidacy_id: p for p in db.session.execute(select(ReviewPreference).where(
        ReviewPreference.user_id == actor.id, ReviewPreference.candidacy_id.in_(allowed or [0]))).scalars()}
    stored = 0
    for candidacy_id, value in values.items():
        if candidacy_id not in allowed:
            continue
        if value not in PREFERENCE_VALUES:
            raise EvaluationError(N_("Scegli un valore da −2 a +2."), field=f"pref-{candidacy_id}")
        row = existing.get(candidacy_id)
        if row is None:
            db.session.add(ReviewPreference(candidacy_id=candidacy_id, user_id=actor.id, value=value,
                                            updated_at=utcnow()))
        elif row.value != value:
            row.value, row.updated_at = value, utcnow()
        stored += 1
    commit_and_email()
    return stored
