"""Reviews (issue 13, points 2 and 8): who may score an assignment, checking what was typed, saving a draft,
submitting (the call's criteria freeze at the first submission), editing a submitted review during consensus (every
change of a score or motivation kept as a ScoreChange). One transaction per operation; refusals roll back."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.evaluation import access, aggregates
from app.evaluation.core import N_, EvaluationError, audit, commit_and_email, lock, notify_people, refusal_rolls_back
from app.evaluation.workflow import AssignmentAction, AssignmentStatus, CallPhase, assignment_transition
from app.verbs import NOTIFICATION_TEXTS
from app.extensions import db
from app.models import Assignment, Conflict, EvaluationCall, Review, ReviewScore, ScoreChange, User
from app.models.base import utcnow
from app.models.evaluation import MOTIVATION_MAX, TEXT_MAX

NOTIFICATION_TEXTS.update({
    "evaluation.review_submitted": _l("%(actor)s ha inviato la valutazione di «%(title)s» (%(call)s)"),
})

CONFIDENCE_LEVELS = (1, 2, 3)
LIVE_ASSIGNMENT = (AssignmentStatus.ASSIGNED, AssignmentStatus.SUBMITTED)
CONFIDENCE_MISSING = N_("Indica il grado di sicurezza del tuo giudizio.")


def score_field(criterion) -> str:
    return f"score_{criterion.id}"


def motivation_field(criterion) -> str:
    return f"motivation_{criterion.id}"


# ---- who may write ------------------------------------------------------------------------------------------------

def refusal(user, assignment) -> str | None:
    """Why `user` may not write this assignment's review now (a msgid), or None when they may. The route has
    already made sure the candidacy is visible (conflicted members get a 404 before this)."""
    candidacy = assignment.candidacy
    call = candidacy.call
    if assignment.user_id != getattr(user, "id", None):
        return N_("Compila una valutazione solo chi ne ha ricevuto l'incarico.")
    member = access.membership_of(user, call)
    if member is None:
        return N_("Non fai più parte della commissione di questo avviso.")
    if member.attested_at is None:
        return N_("Prima di valutare, firma la dichiarazione di assenza di conflitti e di riservatezza.")
    if access.is_conflicted(user, candidacy):
        return N_("Hai un conflitto di interessi con questa candidatura: non puoi valutarla.")
    if assignment.status == AssignmentStatus.ASSIGNED:
        if call.phase not in (CallPhase.REVIEW, CallPhase.CONSENSUS):
            return N_("Le valutazioni si compilano durante la fase di valutazione.")
        return None
    if assignment.status == AssignmentStatus.SUBMITTED:
        if call.phase != CallPhase.CONSENSUS:
            return N_("La valutazione è stata inviata: si modifica solo durante la fase di consenso.")
        return None
    return N_("Questo incarico è chiuso: la valutazione non si può più compilare.")


def review_of(assignment) -> Review | None:
    return db.session.execute(select(Review).where(Review.assignment_id == assignment.id)).scalar_one_or_none()


# ---- checking what was typed --------------------------------------------------------------------------------------

def parse_score(raw) -> int | None | str:
    """A typed score: None when empty, an int, or "bad" when it is not a whole number."""
    if raw is None or str(raw).strip() == "":
        return None
    text = str(raw).strip()
    if re.fullmatch(r"-?[0-9]{1,5}", text):
        return int(text)
    return "bad"


def check_entries(criteria, entries: dict, complete: bool) -> dict[str, tuple[str, dict]]:
    """Field name → (msgid, params) of what is wrong. `entries`: criterion id → (raw score, motivation). A draft
    may leave scores out; a submitted review (complete=True) needs every score and the motivations the criteria
    require."""
    errors: dict[str, tuple[str, dict]] = {}
    for criterion in criteria:
        raw, motivation = entries.get(criterion.id, (None, ""))
        score = parse_score(raw)
        if score == "bad" or (isinstance(score, int) and not criterion.scale_min <= score <= criterion.scale_max):
            errors[score_field(criterion)] = (N_("Scegli un punteggio tra %(min)d e %(max)d."),
                                              {"min": criterion.scale_min, "max": criterion.scale_max})
        elif score is None and complete:
            errors[score_field(criterion)] = (N_("Scegli un punteggio per questo criterio."), {})
        if len(motivation or "") > MOTIVATION_MAX:
            errors[motivation_field(criterion)] = (N_("La motivazione può avere al massimo %(max)d caratteri."),
                                                   {"max": MOTIVATION_MAX})
        elif complete and criterion.required and not (motivation or "").strip():
            errors[motivation_field(criterion)] = (N_("Motiva il punteggio: per questo criterio è richiesto."), {})
    return errors


def total_of(criteria, entries: dict) -> float | None:
    """The weighted total of what was typed (None until every criterion has a valid score)."""
    scores = {}
    for criterion in criteria:
        score = parse_score(entries.get(criterion.id, (None, ""))[0])
        if isinstance(score, int) and criterion.scale_min <= score <= criterion.scale_max:
            scores[criterion.id] = score
    return aggregates.weighted_total(scores, {c.id: c.weight for c in criteria})


# ---- saving ------------------------------------------------------------------------------------------------------

@refusal_rolls_back
def save(user, assignment, entries: dict, confidence: int | None, comment: str, submit: bool) -> Review:
    """Save a draft (submit=False), submit (submit=True), or — during consensus — change a submitted review."""
    lock(assignment)
    reason = refusal(user, assignment)
    if reason:
        raise EvaluationError(reason)
    candidacy = assignment.candidacy
    call = candidacy.call
    criteria = list(call.criteria)
    editing = assignment.status == AssignmentStatus.SUBMITTED
    complete = submit or editing
    errors = check_entries(criteria, entries, complete)
    if errors:
        field, (message, params) = next(iter(errors.items()))
        raise EvaluationError(message, field=field, **params)
    if (confidence is not None and confidence not in CONFIDENCE_LEVELS) or (complete and confidence is None):
        raise EvaluationError(CONFIDENCE_MISSING, field="confidence")
    if len(comment or "") > TEXT_MAX:
        raise EvaluationError(N_("Il commento può avere al massimo %(max)d caratteri."), field="comment",
                              max=TEXT_MAX)
    review = review_of(assignment)
    if review is None:
        review = Review(assignment_id=assignment.id, candidacy_id=candidacy.id, reviewer_id=user.id, comment="")
        db.session.add(review)
    now = utcnow()
    if editing:
        assignment_transition(assignment.status, AssignmentAction.REOPEN, call.phase)
        changed = _apply_with_history(review, criteria, entries, user, now)
        if changed or review.confidence != confidence or review.comment != (comment or ""):
            audit(call, "review.edit", user, candidacy, assignment=assignment.id, criteria=changed)
    else:
        _apply(review, criteria, entries)
    review.confidence = confidence
    review.comment = comment or ""
    review.total = total_of(criteria, entries)
    review.updated_at = now
    if submit and not editing:
        assignment.status = assignment_transition(assignment.status, AssignmentAction.SUBMIT, call.phase)
        assignment.ended_at = now
        review.submitted_at = now
        audit(call, "review.submit", user, candidacy, assignment=assignment.id, total=review.total)
        _freeze_criteria(call, user, now)
        _notify_chair(user, candidacy)
    db.session.flush()
    commit_and_email()
    return review


def _clean_entry(criterion, entries) -> tuple[int | None, str]:
    raw, motivation = entries.get(criterion.id, (None, ""))
    score = parse_score(raw)
    return (score if isinstance(score, int) else None), (motivation or "").strip()


def _apply(review, criteria, entries) -> None:
    existing = {each.criterion_id: each for each in review.scores}
    for criterion in criteria:
        score, motivation = _clean_entry(criterion, entries)
        row = existing.get(criterion.id)
        if row is None:
            review.scores.append(ReviewScore(criterion_id=criterion.id, score=score, motivation=motivation))
        else:
            row.score, row.motivation = score, motivation


def _apply_with_history(review, criteria, entries, user, now) -> list[str]:
    """Change a submitted review, one ScoreChange per criterion whose score or motivation changed; their codes."""
    existing = {each.criterion_id: each for each in review.scores}
    changed = []
    for criterion in criteria:
        score, motivation = _clean_entry(criterion, entries)
        row = existing.get(criterion.id)
        old_score, old_motivation = (row.score, row.motivation) if row is not None else (None, "")
        if (old_score, old_motivation or "") == (score, motivation):
            continue
        db.session.add(ScoreChange(review_id=review.id, criterion_id=criterion.id, old_score=old_score,
                                   new_score=score, old_motivation=old_motivation or "", new_motivation=motivation,
                                   changed_by_id=user.id, changed_at=now))
        changed.append(criterion.code)
        if row is None:
            review.scores.append(ReviewScore(criterion_id=criterion.id, score=score, motivation=motivation))
        else:
            row.score, row.motivation = score, motivation
    return changed


def _freeze_criteria(call, user, now) -> None:
    """The first submitted review of a call freezes its criteria (H1 refuses criteria edits from then on)."""
    fresh = db.session.get(EvaluationCall, call.id)
    lock(fresh)
    if fresh.criteria_frozen_at is None:
        fresh.criteria_frozen_at = now
        audit(fresh, "call.criteria_frozen", user)


def _notify_chair(user, candidacy) -> None:
    """Tell who chairs this candidacy (the deputy named for it, else the chair) that a review is in."""
    from flask import url_for

    handler_id = candidacy.chair_handled_by_id or candidacy.call.chair_id
    handler = db.session.get(User, handler_id) if handler_id else None
    if handler is None or not access.handles_candidacy(handler, candidacy):
        return
    notify_people([handler], "evaluation.review_submitted", user,
                  url_for("evaluation.reviews", candidacy_id=candidacy.id),
                  title=candidacy.practice.title, call=candidacy.call.title)


# ---- reading -----------------------------------------------------------------------------------------------------

def conflicted_ids(candidacy):
    """select() of the people with a blocking conflict on the candidacy: their reviews and assignments don't count."""
    return select(Conflict.user_id).where(Conflict.candidacy_id == candidacy.id, access.blocking_conflict())


def submitted_reviews(candidacy) -> list[Review]:
    """The candidacy's reviews that count: submitted, their assignment still submitted (not ended by a conflict),
    with their scores and reviewers, oldest first."""
    from sqlalchemy.orm import selectinload

    return list(db.session.execute(
        select(Review).join(Assignment, Assignment.id == Review.assignment_id)
        .where(Review.candidacy_id == candidacy.id, Review.submitted_at.is_not(None),
               Assignment.status == AssignmentStatus.SUBMITTED, Review.reviewer_id.not_in(conflicted_ids(candidacy)))
        .options(selectinload(Review.scores), selectinload(Review.reviewer))
        .order_by(Review.submitted_at, Review.id)).scalars())


def expected_reviews(candidacy) -> int:
    """How many reviews the candidacy waits for: its live assignments (assigned or submitted), conflicts aside."""
    return db.session.execute(select(func.count()).select_from(Assignment).where(
        Assignment.candidacy_id == candidacy.id, Assignment.status.in_(LIVE_ASSIGNMENT),
        Assignment.user_id.not_in(conflicted_ids(candidacy)))).scalar() or 0


def history(review_ids) -> dict[int, list[ScoreChange]]:
    """Review id → its score changes, oldest first."""
    if not review_ids:
        return {}
    found: dict[int, list[ScoreChange]] = {}
    for change in db.session.execute(select(ScoreChange).where(ScoreChange.review_id.in_(list(review_ids)))
                                     .order_by(ScoreChange.changed_at, ScoreChange.id)).scalars():
        found.setdefault(change.review_id, []).append(change)
    return found
