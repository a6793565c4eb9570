"""Decisions on candidacies (issue 13, points 8–9): the chair's synthesis, proposed and final outcome with its
motivation, stored unpublished during consensus; publication of all of a call's decisions together; the feedback
report each candidate reads; the public results.

`publish(call, actor)` is called by the call's phase change (PUBLISH_DECISIONS, app/evaluation/calls.py
change_phase) inside that transaction, after the call is locked: it checks, adds and updates rows, and **leaves
committing to the caller** (who commits with commit_and_email(), so the notifications' e-mails go out). It refuses —
before changing anything — when a candidacy has no final outcome; the caller's @refusal_rolls_back undoes the rest.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from statistics import mean

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.evaluation import recognition
from app.evaluation.core import EvaluationError, N_, audit, commit_and_email, lock, notify_people, refusal_rolls_back
from app.evaluation.workflow import (RECOGNISING, AssignmentStatus, CandidacyAction, CandidacyStatus, CallPhase,
                                     Outcome, candidacy_transition, may_decide)
from app.verbs import NOTIFICATION_TEXTS
from app.extensions import db
from app.models import AffiliationStatus, Assignment, Candidacy, Decision, Practice, Review, User
from app.models.base import utcnow
from app.models.evaluation import MOTIVATION_MAX, TEXT_MAX

NOTIFICATION_TEXTS.update({
    "evaluation.decision_published": _l("L'esito della candidatura di «%(practice)s» a %(call)s è pubblicato: "
                                        "leggi il resoconto"),
})

# Candidacies that await (or have) a decision: those sent and not withdrawn.
DECIDABLE = (CandidacyStatus.SUBMITTED, CandidacyStatus.UNDER_REVIEW)


# ---- reading -----------------------------------------------------------------------------------------------------

def decision_of(candidacy) -> Decision | None:
    return db.session.execute(select(Decision).where(Decision.candidacy_id == candidacy.id)).scalar_one_or_none()


def _has_final_outcome():
    return select(Decision.id).where(Decision.candidacy_id == Candidacy.id, Decision.outcome.is_not(None),
                                     Decision.motivation != "").exists()


def missing_count(call) -> int:
    """Submitted candidacies of the call without a final outcome and motivation (publication waits for them)."""
    return db.session.execute(select(func.count()).select_from(Candidacy).where(
        Candidacy.call_id == call.id, Candidacy.status.in_(DECIDABLE), ~_has_final_outcome())).scalar() or 0


def submitted_reviews(candidacy) -> list[Review]:
    """The reviews that count (one rule, app/evaluation/reviews.py): submitted, their assignment still standing,
    never of a person with a blocking conflict on the candidacy; with their scores."""
    from app.evaluation import reviews

    return reviews.submitted_reviews(candidacy)


@dataclass
class CriterionSummary:
    criterion: object
    mean: float | None
    count: int
    motivations: list[str] = field(default_factory=list)


def criterion_summaries(candidacy, reviews: list[Review] | None = None, motivations: bool = False
                        ) -> list[CriterionSummary]:
    """Per criterion, the mean of the submitted scores; with `motivations`, the motivations of the criteria marked
    candidate_visible, sorted (so their order says nothing of who wrote them). Never who scored."""
    reviews = submitted_reviews(candidacy) if reviews is None else reviews
    result = []
    for criterion in candidacy.call.criteria:
        scores = [each for review in reviews if (each := review.score_for(criterion.id)) is not None]
        values = [each.score for each in scores if each.score is not None]
        texts = sorted(each.motivation.strip() for each in scores if (each.motivation or "").strip()) \
            if motivations and criterion.candidate_visible else []
        result.append(CriterionSummary(criterion, round(mean(values), 2) if values else None, len(values), texts))
    return result


def commission_figures(candidacy, reviews: list[Review]) -> dict:
    """What the decision page shows of the reviews: the statistics of the weighted totals (H5's aggregates), the
    disagreement flag, "submitted/expected" and each criterion's statistics."""
    from app.evaluation import aggregates, reviews as reviewing

    conflicted = reviewing.conflicted_ids(candidacy)
    expected = db.session.execute(select(func.count()).select_from(Assignment).where(
        Assignment.candidacy_id == candidacy.id, Assignment.user_id.not_in(conflicted),
        Assignment.status.in_((AssignmentStatus.ASSIGNED, AssignmentStatus.SUBMITTED)))).scalar() or 0
    stats = aggregates.summarise(review.total for review in reviews)
    per_criterion = []
    for criterion in candidacy.call.criteria:
        values = [each.score for review in reviews if (each := review.score_for(criterion.id)) is not None]
        per_criterion.append((criterion, aggregates.summarise(values)))
    return {"stats": stats, "disagreement": aggregates.disagreement(stats, candidacy.call.disagreement_threshold),
            "submitted": aggregates.submitted_label(len(reviews), expected), "per_criterion": per_criterion}


# ---- recording a decision -----------------------------------------------------------------------------------------

def _outcome(value: str | None, field_name: str) -> str | None:
    if not value:
        return None
    if value not in set(Outcome):
        raise EvaluationError(N_("Scegli un esito dall'elenco."), field=field_name)
    return value


@refusal_rolls_back
def record(candidacy, actor, *, synthesis: str | None, proposed_outcome: str | None, outcome: str | None,
           motivation: str | None) -> Decision:
    """Store the chair's synthesis, proposal and (optionally) final outcome, unpublished; audited."""
    synthesis, motivation = (synthesis or "").strip(), (motivation or "").strip()
    proposed_outcome = _outcome(proposed_outcome, "proposed_outcome")
    outcome = _outcome(outcome, "outcome")
    if len(synthesis) > TEXT_MAX:
        raise EvaluationError(N_("La sintesi può avere al massimo %(max)d caratteri."), field="synthesis",
                              max=TEXT_MAX)
    if len(motivation) > MOTIVATION_MAX:
        raise EvaluationError(N_("La motivazione può avere al massimo %(max)d caratteri."), field="motivation",
                              max=MOTIVATION_MAX)
    if outcome and not motivation:
        raise EvaluationError(N_("Motivate l'esito: la motivazione arriva all'ente candidato."), field="motivation")
    lock(candidacy)
    if not may_decide(candidacy.call.phase):
        raise EvaluationError(N_("Gli esiti si registrano durante la fase di consenso."))
    if candidacy.status not in DECIDABLE:
        raise EvaluationError(N_("Questa candidatura non attende un esito."))
    decision = decision_of(candidacy)
    if decision is None:
        decision = Decision(candidacy_id=candidacy.id)
        db.session.add(decision)
    elif decision.published_at is not None:
        raise EvaluationError(N_("L'esito è già pubblicato e non si modifica più."))
    before = decision.outcome
    decision.synthesis, decision.proposed_outcome = synthesis, proposed_outcome
    decision.outcome, decision.motivation = outcome, motivation
    decision.decided_by_id, decision.decided_at = (actor.id, utcnow()) if outcome else (None, None)
    audit(candidacy.call, "decision.record", actor, candidacy=candidacy, proposed=proposed_outcome, outcome=outcome,
          previous=before)
    commit_and_email()
    return decision


# ---- publication ---------------------------------------------------------------------------------------------------

def _referents(organization_id: int) -> list[User]:
    return list(db.session.execute(select(User).where(
        User.organization_id == organization_id, User.is_referent.is_(True),
        User.affiliation_status == AffiliationStatus.ACTIVE).order_by(User.id)).scalars())


@refusal_rolls_back
def publish(call, actor) -> int:
    """Release every decision of the call together (the caller commits): decisions get published_at, candidacies
    become decided, recognitions are written onto the practices, the candidates' referents are told. Refuses before
    changing anything when a candidacy has no final outcome. Returns the number of decisions published."""
    candidacies = db.session.execute(select(Candidacy).where(
        Candidacy.call_id == call.id, Candidacy.status.in_(DECIDABLE))
        .options(selectinload(Candidacy.practice)).order_by(Candidacy.id)).scalars().all()
    for candidacy in candidacies:
        lock(candidacy)  # a decision recorded meanwhile (record() locks the candidacy too) waits for this one
    if missing_count(call):
        raise EvaluationError(N_("Prima di pubblicare gli esiti, registrate un esito per ogni candidatura."))
    found = {each.candidacy_id: each for each in db.session.execute(select(Decision).where(
        Decision.candidacy_id.in_([candidacy.id for candidacy in candidacies]))
        .execution_options(populate_existing=True)).scalars()}
    rows = [(candidacy, found[candidacy.id]) for candidacy in candidacies]
    now = utcnow()
    for candidacy, decision in rows:
        status = candidacy.status
        if status == CandidacyStatus.SUBMITTED:
            status = candidacy_transition(status, CandidacyAction.START_REVIEW)
        candidacy.status = candidacy_transition(status, CandidacyAction.DECIDE)
        candidacy.updated_at = now
        decision.published_at = now
        if decision.outcome in RECOGNISING:
            recognition.add(candidacy.practice, call, decision.outcome)
        audit(call, "decision.publish", actor, candidacy=candidacy, outcome=decision.outcome)
        practice_title = (candidacy.snapshot or {}).get("title") or candidacy.practice.title
        notify_people(_referents(candidacy.organization_id), "evaluation.decision_published", actor,
                      url_for("evaluation.feedback", candidacy_id=candidacy.id), practice=practice_title,
                      call=call.title)
    call.decisions_published_at = now
    db.session.flush()
    return len(rows)


# ---- the public results ----------------------------------------------------------------------------------------

@dataclass
class ResultGroup:
    """One category's recognised practices and special mentions (category None: the call has no categories)."""

    code: str | None
    label: str
    recognised: list[tuple[Candidacy, Decision]] = field(default_factory=list)
    mentions: list[tuple[Candidacy, Decision]] = field(default_factory=list)


def results(call) -> list[ResultGroup]:
    """The published recognitions and special mentions of a call, per category (in the call's order), with their
    motivations; empty until decisions are published. Not recognised candidacies are not listed."""
    if call.phase != CallPhase.DECIDED:
        return []
    rows = db.session.execute(
        select(Candidacy, Decision).join(Decision, Decision.candidacy_id == Candidacy.id)
        .join(Practice, Candidacy.practice_id == Practice.id)
        .where(Candidacy.call_id == call.id, Candidacy.status == CandidacyStatus.DECIDED,
               Decision.published_at.is_not(None), Decision.outcome.in_(list(RECOGNISING)))
        .options(selectinload(Candidacy.practice).selectinload(Practice.donor), selectinload(Candidacy.organization))
        .order_by(Practice.title, Candidacy.id)).all()
    groups = {each.get("code"): ResultGroup(each.get("code"), each.get("label", "")) for each in call.categories}
    for candidacy, decision in rows:
        code = candidacy.category if candidacy.category in groups else None
        if code not in groups:
            groups[code] = ResultGroup(None, str(_l("Altre candidature")) if call.categories else "")
        target = groups[code]
        (target.recognised if decision.outcome == Outcome.RECOGNISED else target.mentions).append((candidacy, decision))
    return [group for group in groups.values() if group.recognised or group.mentions]


def published_feedback_for(organization_id: int) -> list[tuple[Candidacy, Decision]]:
    """An organisation's candidacies with a published decision, newest first (dashboard)."""
    return list(db.session.execute(
        select(Candidacy, Decision).join(Decision, Decision.candidacy_id == Candidacy.id)
        .where(Candidacy.organization_id == organization_id, Candidacy.status == CandidacyStatus.DECIDED,
               Decision.published_at.is_not(None))
        .options(selectinload(Candidacy.call), selectinload(Candidacy.practice))
        .order_by(Decision.published_at.desc(), Candidacy.id.desc())).all())


def awaiting_decision(call) -> list[Candidacy]:
    """Candidacies of a call in consensus without a final outcome (the chair's list)."""
    return list(db.session.execute(select(Candidacy).where(
        Candidacy.call_id == call.id, Candidacy.status.in_(DECIDABLE), ~_has_final_outcome())
        .order_by(Candidacy.id)).scalars())

