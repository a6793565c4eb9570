"""Services of the calls (issue 13, points 1, 2, 5, 10): create and edit a call and its criteria, move it through its
phases, list calls. The commission is in commission.py, the audit log's reading in audit_log.py, the eligibility
rules in rules.py. One transaction per operation; refusals raise EvaluationError and leave nothing half-applied."""
from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import url_for
from flask_babel import lazy_gettext as _l
from slugify import slugify
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import permissions
from app.evaluation.core import EvaluationError, N_, audit, commit_and_email, lock, notify_people, refusal_rolls_back
from app.evaluation.defaults import default_criteria
from app.evaluation.queries import SUBMITTED_STATUSES, visible_calls_clause
from app.evaluation.workflow import (CALL_TRANSITIONS, CallAction, CallFacts, CallPhase, CallRole, CandidacyAction,
                                     CandidacyStatus, call_transition, candidacy_transition)
from app.verbs import NOTIFICATION_TEXTS
from app.extensions import db
from app.models import (Candidacy, CommissionMember, Criterion, Decision, EvaluationCall, OrganizationKind,
                        ReviewScore, User)
from app.models.base import utcnow

ROME = ZoneInfo("Europe/Rome")

NOTIFICATION_TEXTS.update({
    "evaluation.chair_appointed": _l("Presiedi la commissione dell'avviso «%(call)s»"),
})

CALL_ACTION_LABELS = {
    CallAction.OPEN: _l("Apri alle candidature"),
    CallAction.CLOSE: _l("Chiudi le candidature"),
    CallAction.START_REVIEW: _l("Avvia la valutazione"),
    CallAction.START_CONSENSUS: _l("Avvia la fase di consenso"),
    CallAction.PUBLISH_DECISIONS: _l("Pubblica gli esiti"),
    CallAction.BACK_TO_DRAFT: _l("Riporta in bozza"),
}

# ---- reading --------------------------------------------------------------------------------------------------

def call_roles(user, call) -> set[CallRole]:
    roles = set()
    if permissions.is_admin(user):
        roles.add(CallRole.ADMIN)
    if permissions.is_member(user) and call.chair_id is not None and call.chair_id == user.id:
        roles.add(CallRole.CHAIR)
    return roles


def available_actions(user, call) -> list[CallAction]:
    """The phase moves the reader may try from the call's phase (the service checks the facts again)."""
    roles = call_roles(user, call)
    return [action for (phase, action), (_to, allowed) in CALL_TRANSITIONS.items()
            if phase == call.phase and roles & allowed]


def list_calls(user, phase: str | None = None, page: int = 1):
    """The calls the reader may see, newest year first; optionally of one phase."""
    query = select(EvaluationCall).where(visible_calls_clause(user))
    if phase:
        query = query.where(EvaluationCall.phase == phase)
    query = query.order_by(EvaluationCall.year.desc(), EvaluationCall.created_at.desc(), EvaluationCall.id.desc())
    return db.paginate(query, page=page, per_page=20, error_out=False)


def candidacy_counts(call_ids) -> dict[int, int]:
    """Submitted candidacies per call (shown once candidacies are closed)."""
    if not call_ids:
        return {}
    rows = db.session.execute(select(Candidacy.call_id, func.count(Candidacy.id)).where(
        Candidacy.call_id.in_(list(call_ids)), Candidacy.status.in_(SUBMITTED_STATUSES))
        .group_by(Candidacy.call_id)).all()
    return {call_id: count for call_id, count in rows}


def weight_shares(call) -> dict[int, float]:
    """Each criterion's share of the total weight, in per cent."""
    total = sum(each.weight for each in call.criteria)
    return {each.id: (100 * each.weight / total if total else 0.0) for each in call.criteria}


def to_utc(day, time) -> datetime | None:
    """A date and time read in Europe/Rome, as the naive UTC moment stored; a moment the calendar cannot hold
    (year 1 at 00:30 is in year 0 in UTC) is refused at the closing date's field, never a 500."""
    if day is None:
        return None
    try:
        return datetime.combine(day, time).replace(tzinfo=ROME).astimezone(UTC).replace(tzinfo=None)
    except (OverflowError, ValueError) as wrong:
        raise EvaluationError(N_("Indicate una data tra il 2000 e il 2100."), field="closes_on") from wrong


def to_rome(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.replace(tzinfo=UTC).astimezone(ROME).replace(tzinfo=None)


def person_by_email(email: str) -> User | None:
    return db.session.execute(select(User).where(func.lower(User.email) == (email or "").strip().lower())
                              ).scalar_one_or_none()


def may_chair(person) -> bool:
    """Chairs are active people of an active public administration (never a supplier)."""
    return (person is not None and person.can_sign_in and person.is_affiliated and person.organization is not None
            and person.organization.kind == OrganizationKind.PUBLIC_ADMINISTRATION and person.organization.is_active)


# ---- the call ---------------------------------------------------------------------------------------------------

SETTINGS = ("title", "description", "year", "categories", "eligible_pa_kinds", "require_completed", "extra_fields",
            "opens_on", "closes_at", "review_due_on", "consensus_due_on", "reviewers_per_candidacy", "max_load",
            "disagreement_threshold", "blind")


RESERVED_SLUGS = {"new"}  # /evaluation/calls/new is the new call's form


def unique_slug(title: str) -> str:
    base = slugify(title, max_length=100) or "avviso"
    if base in RESERVED_SLUGS:
        base = f"avviso-{base}"
    slug, number = base, 2
    while db.session.execute(select(EvaluationCall.id).where(EvaluationCall.slug == slug)).first() is not None:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _check_chair(call, chair) -> None:
    if chair is None:
        return
    if not may_chair(chair):
        raise EvaluationError(N_("Presiede una persona attiva di una pubblica amministrazione, mai di un fornitore."),
                              field="chair_email")
    if call.id is not None and db.session.execute(select(CommissionMember.id).where(
            CommissionMember.call_id == call.id, CommissionMember.user_id == chair.id,
            CommissionMember.active.is_(True))).first():
        raise EvaluationError(N_("Questa persona fa parte della commissione: toglietela prima dalla commissione."),
                              field="chair_email")


def _notify_chair(call, actor) -> None:
    if call.chair is not None:
        notify_people([call.chair], "evaluation.chair_appointed", actor,
                      url_for("evaluation.call", slug=call.slug), call=call.title)


@refusal_rolls_back
def create_call(actor, values: dict, chair=None) -> EvaluationCall:
    """A new call in draft, with the default EPSA grid (administrators)."""
    if not permissions.is_admin(actor):
        raise EvaluationError(N_("Un nuovo avviso lo crea chi amministra la piattaforma."))
    call = EvaluationCall(slug=unique_slug(values["title"]), phase=CallPhase.DRAFT, created_by_id=actor.id,
                          **{key: values[key] for key in SETTINGS if key in values})
    _check_chair(call, chair)
    call.chair = chair
    call.criteria = [Criterion(**each) for each in default_criteria()]
    db.session.add(call)
    try:
        db.session.flush()
    except IntegrityError as twin:  # the same title created at the same moment
        raise EvaluationError(N_("Un avviso con lo stesso titolo è stato appena creato: inviate di nuovo il modulo."),
                              field="title") from twin
    audit(call, "call.create", actor, chair=chair.id if chair else None)
    _notify_chair(call, actor)
    commit_and_email()
    return call


@refusal_rolls_back
def update_call(call, actor, values: dict, chair=False) -> list[str]:
    """Change the settings (administrators, the chair); only administrators change the chair (pass `chair`)."""
    lock(call)
    changed = [key for key in SETTINGS if key in values and getattr(call, key) != values[key]]
    if "blind" in changed and call.phase not in (CallPhase.DRAFT, CallPhase.OPEN):
        raise EvaluationError(N_("La valutazione alla cieca non si cambia dopo la chiusura delle candidature."),
                              field="blind")
    for key in changed:
        setattr(call, key, values[key])
    if chair is not False and (chair.id if chair else None) != call.chair_id:
        if not permissions.is_admin(actor):
            raise EvaluationError(N_("Chi presiede lo nomina chi amministra la piattaforma."), field="chair_email")
        _check_chair(call, chair)
        call.chair = chair
        changed.append("chair")
        _notify_chair(call, actor)
    if changed:
        call.updated_at = utcnow()
        audit(call, "call.update", actor, fields=changed)
    commit_and_email()
    return changed


def _facts(call) -> CallFacts:
    submitted = db.session.scalar(select(func.count(Candidacy.id)).where(
        Candidacy.call_id == call.id, Candidacy.status.in_(SUBMITTED_STATUSES))) or 0
    decided = db.session.scalar(select(func.count(Decision.id)).join(Candidacy, Candidacy.id == Decision.candidacy_id)
                                .where(Candidacy.call_id == call.id, Candidacy.status.in_(SUBMITTED_STATUSES),
                                       Decision.outcome.is_not(None))) or 0
    return CallFacts(has_criteria=bool(call.criteria), weights_positive=sum(c.weight for c in call.criteria) > 0,
                     has_closing_date=call.closes_at is not None, submitted_candidacies=submitted,
                     missing_decisions=submitted - decided)


@refusal_rolls_back
def change_phase(call, action: CallAction | str, actor) -> str:
    """Move the call one step (workflow.call_transition, facts read under the lock); audited."""
    action = CallAction(action)
    lock(call)
    before = call.phase
    after = call_transition(before, action, call_roles(actor, call), _facts(call))
    if action == CallAction.START_REVIEW:
        for candidacy in db.session.execute(select(Candidacy).where(
                Candidacy.call_id == call.id, Candidacy.status == CandidacyStatus.SUBMITTED)).scalars():
            candidacy.status = candidacy_transition(candidacy.status, CandidacyAction.START_REVIEW)
            candidacy.updated_at = utcnow()
            audit(call, "candidacy.start_review", actor, candidacy=candidacy)
    if action in (CallAction.CLOSE, CallAction.START_REVIEW):
        from app.evaluation import conflicts

        # What the platform knows (organisation, donors, adoptions, community roles) becomes suggestions for the
        # chair before anyone is assigned; idempotent, so running it at both steps catches late commission members.
        conflicts.compute(call, actor, commit=False)
    if action == CallAction.PUBLISH_DECISIONS:
        from app.evaluation.decisions import publish

        publish(call, actor)  # decides the candidacies, writes the recognitions, notifies; does not commit
        call.decisions_published_at = call.decisions_published_at or utcnow()
    call.phase = after
    call.updated_at = utcnow()
    audit(call, f"call.{action}", actor, phase_from=str(before), phase_to=str(after))
    commit_and_email()
    return after


# ---- criteria ---------------------------------------------------------------------------------------------------

CRITERION_FIELDS = ("code", "title_it", "title_en", "guidance", "scale_min", "scale_max", "anchors", "weight",
                    "required", "candidate_visible")


def _unfrozen(call) -> None:
    lock(call)
    if call.criteria_frozen_at is not None:
        raise EvaluationError(N_("I criteri non si modificano più: la prima valutazione è già stata inviata."))


def _code_free(call, code: str, criterion_id: int | None) -> None:
    if any(each.code == code and each.id != criterion_id for each in call.criteria):
        raise EvaluationError(N_("Un altro criterio di questo avviso ha già questo codice."), field="code")


@refusal_rolls_back
def save_criterion(call, actor, values: dict, criterion_id: int | None = None) -> Criterion:
    """Add a criterion, or change one of the call's (refused once the criteria are frozen)."""
    _unfrozen(call)
    _code_free(call, values["code"], criterion_id)
    if criterion_id is None:
        criterion = Criterion(call_id=call.id, position=1 + max((c.position for c in call.criteria), default=-1),
                              **{key: values[key] for key in CRITERION_FIELDS})
        db.session.add(criterion)
        db.session.flush()
        audit(call, "criterion.add", actor, criterion=criterion.id, code=criterion.code)
    else:
        criterion = next((c for c in call.criteria if c.id == criterion_id), None)
        if criterion is None:
            raise EvaluationError(N_("Questo criterio non esiste più."))
        changed = [key for key in CRITERION_FIELDS if getattr(criterion, key) != values[key]]
        for key in changed:
            setattr(criterion, key, values[key])
        audit(call, "criterion.update", actor, criterion=criterion.id, code=criterion.code, fields=changed)
    commit_and_email()
    return criterion


@refusal_rolls_back
def delete_criterion(call, actor, criterion_id: int) -> None:
    _unfrozen(call)
    criterion = next((c for c in call.criteria if c.id == criterion_id), None)
    if criterion is None:
        raise EvaluationError(N_("Questo criterio non esiste più."))
    if db.session.execute(select(ReviewScore.id).where(ReviewScore.criterion_id == criterion.id).limit(1)).first():
        raise EvaluationError(N_("Questo criterio ha già punteggi in valutazioni in corso: non si può eliminare."))
    call.criteria.remove(criterion)
    for position, each in enumerate(call.criteria):
        each.position = position
    audit(call, "criterion.delete", actor, criterion=criterion_id, code=criterion.code)
    commit_and_email()


@refusal_rolls_back
def move_criterion(call, actor, criterion_id: int, direction: str) -> None:
    """Move a criterion one place up or down."""
    _unfrozen(call)
    ordered = list(call.criteria)
    index = next((i for i, c in enumerate(ordered) if c.id == criterion_id), None)
    if index is None:
        raise EvaluationError(N_("Questo criterio non esiste più."))
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, each in enumerate(ordered):
            each.position = position
        audit(call, "criterion.move", actor, criterion=criterion_id, direction=direction)
    commit_and_email()
