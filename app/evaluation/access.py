"""Who may do what in the evaluation area (issue 13). Plain functions, also in templates as `eperm.<name>`.

Roles in a call: the platform administrator (opens calls, appoints the chair, sees everything *but* self-
assessments), the chair (runs the call), deputies (take a candidacy when the chair is conflicted), reviewers
(active commission members), the candidate organisation's people (its referents act, everyone reads), everybody
else. A conflicted member (a blocking conflict: see blocking_conflict) sees nothing of that candidacy: not the
candidacy, not its reviews, scores or discussion. Rows the reader may see are filtered in the queries (app/evaluation/
queries.py); these functions decide single objects the route has already loaded.

Self-assessments are for the people of their organisation only: see can_use_self_assessment.
"""
from __future__ import annotations

from sqlalchemy import and_, or_, select

from app import permissions
from app.evaluation.workflow import AssignmentStatus, CallPhase, CandidacyStatus, ConflictSource, ConflictStatus
from app.extensions import db

VISIBLE_PHASES = (CallPhase.OPEN, CallPhase.CLOSED, CallPhase.REVIEW, CallPhase.CONSENSUS, CallPhase.DECIDED)
COMMISSION_PHASES = (CallPhase.CLOSED, CallPhase.REVIEW, CallPhase.CONSENSUS, CallPhase.DECIDED)


# ---- roles -------------------------------------------------------------------------------------------------------

def is_admin(user) -> bool:
    return permissions.is_admin(user)


def is_chair(user, call) -> bool:
    return permissions.is_member(user) and call.chair_id is not None and call.chair_id == user.id


def membership_of(user, call):
    """The reader's active commission membership of the call (reviewer or deputy), or None."""
    if not permissions.is_member(user):
        return None
    from app.models import CommissionMember

    return db.session.execute(select(CommissionMember).where(
        CommissionMember.call_id == call.id, CommissionMember.user_id == user.id,
        CommissionMember.active.is_(True))).scalar_one_or_none()


def is_deputy(user, call) -> bool:
    member = membership_of(user, call)
    return member is not None and member.is_deputy


def is_reviewer(user, call) -> bool:
    return membership_of(user, call) is not None


def is_commission(user, call) -> bool:
    return is_chair(user, call) or is_reviewer(user, call)


def can_run_call(user, call) -> bool:
    """Settings, criteria, commission, phases, assignments, decisions: the chair and administrators."""
    return is_admin(user) or is_chair(user, call)


def can_create_call(user) -> bool:
    return is_admin(user)


def is_candidate(user, candidacy) -> bool:
    """A person of the candidate organisation (reads the candidacy, its feedback)."""
    return permissions.is_of_organization(user, candidacy.organization_id) and user.is_affiliated


def is_candidate_referent(user, candidacy) -> bool:
    """A referent of the candidate organisation: writes, submits, withdraws, shares self-assessment items."""
    return is_candidate(user, candidacy) and user.is_referent


def may_be_reviewer(person) -> bool:
    """Reviewers are people of any organisation, never of a supplier, with an active account."""
    return (person is not None and person.can_sign_in and person.is_affiliated and person.organization is not None
            and person.organization.kind != "supplier")


# ---- conflicts ---------------------------------------------------------------------------------------------------

def is_blocking(conflict) -> bool:
    """A conflict keeps its person away from the candidacy once confirmed, or while the platform's own suggestion
    waits for the chair. A candidate's suggestion does not block until the chair confirms it (otherwise a candidate
    could remove a reviewer, or the chair, at will); a dismissed conflict never blocks."""
    return conflict.status == ConflictStatus.CONFIRMED or (
        conflict.status == ConflictStatus.SUGGESTED and conflict.source == ConflictSource.COMPUTED)


def blocking_conflict():
    """The SQL condition on Conflict of is_blocking (one rule for every query of the area)."""
    from app.models import Conflict

    return or_(Conflict.status == ConflictStatus.CONFIRMED,
               and_(Conflict.status == ConflictStatus.SUGGESTED, Conflict.source == ConflictSource.COMPUTED))


def is_conflicted(user, candidacy) -> bool:
    """A blocking conflict (confirmed, or computed and waiting for the chair) between the reader and the
    candidacy."""
    if not permissions.is_signed_in(user):
        return False
    from app.models import Conflict

    return db.session.execute(select(Conflict.id).where(
        Conflict.candidacy_id == candidacy.id, Conflict.user_id == user.id, blocking_conflict())
        .limit(1)).first() is not None


def conflicted_ids(user, candidacy_ids) -> set[int]:
    """is_conflicted for many candidacies in one query: the ids among `candidacy_ids` the reader is conflicted on."""
    candidacy_ids = set(candidacy_ids)
    if not permissions.is_signed_in(user) or not candidacy_ids:
        return set()
    from app.models import Conflict

    return set(db.session.execute(select(Conflict.candidacy_id).where(
        Conflict.candidacy_id.in_(candidacy_ids), Conflict.user_id == user.id, blocking_conflict())).scalars())


def can_decide_conflict(user, conflict) -> bool:
    """Confirm or dismiss a suggested conflict: the chair, but an administrator when it names the chair or the
    reader is conflicted on that candidacy; never the person it names."""
    call = conflict.candidacy.call
    if not can_run_call(user, call) or conflict.user_id == user.id:
        return False
    if is_admin(user):
        return True
    return conflict.user_id != call.chair_id and not is_conflicted(user, conflict.candidacy)


def decidable_conflicts(user, conflicts, conflicted: set[int] | None = None) -> set[int]:
    """can_decide_conflict for many conflicts (their candidacies and calls loaded): the ids the reader may confirm
    or dismiss. `conflicted`: the candidacy ids the reader is conflicted on, if the caller has read them (then no
    query; otherwise at most one)."""
    mine = [c for c in conflicts if can_run_call(user, c.candidacy.call) and c.user_id != user.id]
    if conflicted is None:
        conflicted = conflicted_ids(user, {c.candidacy_id for c in mine}) if mine and not is_admin(user) else set()
    return {c.id for c in mine
            if is_admin(user) or (c.user_id != c.candidacy.call.chair_id and c.candidacy_id not in conflicted)}


def handles_candidacy(user, candidacy) -> bool:
    """Who chairs this candidacy: the chair, or — when the chair is conflicted — the deputy named for it."""
    call = candidacy.call
    if candidacy.chair_handled_by_id is not None:
        return permissions.is_member(user) and user.id == candidacy.chair_handled_by_id and not is_conflicted(
            user, candidacy)
    return is_chair(user, call) and not is_conflicted(user, candidacy)


def assignment_of(user, candidacy):
    """The reader's assignment to the candidacy (any status), or None."""
    if not permissions.is_member(user):
        return None
    from app.models import Assignment

    return db.session.execute(select(Assignment).where(
        Assignment.candidacy_id == candidacy.id, Assignment.user_id == user.id)).scalar_one_or_none()


def is_assigned(user, candidacy) -> bool:
    found = assignment_of(user, candidacy)
    return found is not None and found.status in (AssignmentStatus.ASSIGNED, AssignmentStatus.SUBMITTED)


# ---- calls and candidacies ---------------------------------------------------------------------------------------

def can_view_call(user, call) -> bool:
    """A call is public once open; in draft, for its chair, its commission and administrators."""
    return call.phase in VISIBLE_PHASES or is_admin(user) or is_commission(user, call)


def can_view_candidacy(user, candidacy) -> bool:
    """The candidate organisation always; administrators; the commission once candidacies are closed — the chair
    (or the deputy handling it) and assigned reviewers who signed the attestation — never a conflicted member."""
    if is_candidate(user, candidacy) or is_admin(user):
        return True
    if candidacy.status in (CandidacyStatus.DRAFT, CandidacyStatus.WITHDRAWN):
        return False
    call = candidacy.call
    if call.phase not in COMMISSION_PHASES or is_conflicted(user, candidacy):
        return False
    if handles_candidacy(user, candidacy):
        return True
    member = membership_of(user, call)
    return member is not None and member.attested_at is not None and is_assigned(user, candidacy)


def shows_candidate_names(user, candidacy) -> bool:
    """A blind call hides the candidate organisation from reviewers (not from the chair or the candidate)."""
    if not candidacy.call.blind:
        return True
    return is_candidate(user, candidacy) or is_admin(user) or handles_candidacy(user, candidacy)


def candidate_names_shown(user, candidacies, conflicted: set[int] | None = None) -> set[int]:
    """shows_candidate_names for many candidacies (their calls already loaded): the ids of those whose candidate
    organisation the reader sees. `conflicted`: the ids the reader is conflicted on, if the caller has read them
    (then no query; otherwise at most one)."""
    shown, blind = set(), []
    for candidacy in candidacies:
        if not candidacy.call.blind or is_candidate(user, candidacy) or is_admin(user):
            shown.add(candidacy.id)
        else:
            blind.append(candidacy)
    if conflicted is None:
        conflicted = conflicted_ids(user, (c.id for c in blind)) if blind else set()
    for candidacy in blind:  # handles_candidacy, with the conflicts read once
        if candidacy.id in conflicted:
            continue
        if candidacy.chair_handled_by_id is not None:
            if permissions.is_member(user) and user.id == candidacy.chair_handled_by_id:
                shown.add(candidacy.id)
        elif is_chair(user, candidacy.call):
            shown.add(candidacy.id)
    return shown


def can_view_reviews(user, candidacy) -> bool:
    """Others' reviews and scores: the chair handling it, administrators, and an assigned reviewer only once their
    own review is submitted (independent first, shared after)."""
    if is_conflicted(user, candidacy):
        return False
    if is_admin(user) or handles_candidacy(user, candidacy):
        return True
    found = assignment_of(user, candidacy)
    return found is not None and found.status == AssignmentStatus.SUBMITTED


def can_discuss(user, candidacy) -> bool:
    """The commission's private discussion, from review on: the chair handling it and administrators always; an
    assigned reviewer only once their own review is submitted (independent first, shared after: as
    can_view_reviews). Never a conflicted member."""
    if candidacy.call.phase not in (CallPhase.REVIEW, CallPhase.CONSENSUS, CallPhase.DECIDED):
        return False
    if is_conflicted(user, candidacy):
        return False
    if is_admin(user) or handles_candidacy(user, candidacy):
        return True
    found = assignment_of(user, candidacy)
    return found is not None and found.status == AssignmentStatus.SUBMITTED


def can_decide(user, candidacy) -> bool:
    return (is_admin(user) and not is_conflicted(user, candidacy)) or handles_candidacy(user, candidacy)


def can_read_feedback(user, candidacy) -> bool:
    """The feedback report: the candidate organisation (and administrators) once decisions are published."""
    return (candidacy.call.phase == CallPhase.DECIDED and candidacy.status == CandidacyStatus.DECIDED
            and (is_candidate(user, candidacy) or is_admin(user)))


def can_candidate(user, practice) -> bool:
    """Send a practice to a call: a referent of its donor organisation (never a co-donor's, never a supplier)."""
    return permissions.is_referent_of(user, practice.donor) and not permissions.is_supplier(user)


# ---- self-assessment ---------------------------------------------------------------------------------------------

def can_use_self_assessment(user, organization_id: int | None) -> bool:
    """A self-assessment is read and written by the active people of its organisation — nobody else, whatever
    their role on the platform or in a commission (issue 13, point 4)."""
    return (permissions.is_signed_in(user) and organization_id is not None and user.is_affiliated
            and user.organization_id == organization_id)


def can_share_self_assessment(user, organization_id: int | None) -> bool:
    """Attaching chosen items to a candidacy is stated for the organisation: its referents."""
    return can_use_self_assessment(user, organization_id) and user.is_referent


def can_manage_templates(user) -> bool:
    """Questionnaire templates (not assessments): administrators."""
    return is_admin(user)
