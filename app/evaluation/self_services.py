"""Writing the private self-assessment (issue 13, point 4): assessments, each person's scores, the consensus the
referents record, closing, the improvement plan, sharing chosen items to a candidacy (as copies), templates.

One transaction per operation; refusals raise EvaluationError (rolled back). Nothing here notifies, indexes or
exports: an assessment never leaves its organisation except as the copies its referents share.
"""
from __future__ import annotations

from datetime import date

from app.evaluation import access, self_queries
from app.evaluation.caf import ItemsError, parse_items_yaml
from app.evaluation.core import N_, EvaluationError, audit, lock, refusal_rolls_back
from app.evaluation.rules import deadline_passed
from app.evaluation.workflow import CallPhase, CandidacyStatus
from app.extensions import db
from app.models import AssessmentScore, AssessmentTemplate, ImprovementAction, SelfAssessment, SharedItem
from app.models.base import utcnow
from app.models.self_assessment import ACTION_STATUS_LABELS, PANEL_LABELS

TEXT_MAX = 5_000
SHARE_STATUSES = (CandidacyStatus.DRAFT, CandidacyStatus.SUBMITTED)


# ---- values ------------------------------------------------------------------------------------------------------

def value_keys(panel: str, kind: str) -> tuple[str, ...]:
    """The values a score holds: one 0–100 score (classical); PLAN/DO/CHECK/ACT (fine-tuned enablers); trends
    and targets (fine-tuned results)."""
    if panel != "fine_tuned":
        return ("score",)
    return ("plan", "do", "check", "act") if kind == "enabler" else ("trends", "targets")


def item_value(values: dict | None) -> float | None:
    """One 0–100 figure for a score: the mean of its values (None when nothing is scored)."""
    numbers = [value for value in (values or {}).values() if isinstance(value, (int, float))]
    return sum(numbers) / len(numbers) if numbers else None


def clean_values(panel: str, kind: str, values: dict) -> dict:
    """Whole numbers 0–100 for the panel's keys; a value out of range is refused at its field."""
    cleaned = {}
    for key in value_keys(panel, kind):
        value = values.get(key)
        if value is None or value == "":
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise EvaluationError(N_("Un numero intero da 0 a 100."), field=key)
        cleaned[key] = value
    if not cleaned:
        raise EvaluationError(N_("Indica almeno un punteggio."), field=value_keys(panel, kind)[0])
    return cleaned


def _sub_item(assessment: SelfAssessment, code: str) -> dict:
    item = assessment.template.item(code)
    if item is None or item.get("level") != "sub":
        raise EvaluationError(N_("Questo sottocriterio non è nel questionario."))
    return item


def _texts(strengths: str, improvements: str, evidence: str) -> tuple[str, str, str]:
    texts = (strengths or "", improvements or "", evidence or "")
    if any(len(text) > TEXT_MAX for text in texts):
        raise EvaluationError(N_("Ogni testo può avere al massimo %(max)d caratteri."), max=TEXT_MAX)
    return texts


def _require_open(assessment: SelfAssessment) -> None:
    lock(assessment)
    if assessment.status != "open":
        raise EvaluationError(N_("L'autovalutazione è chiusa: i punteggi non si cambiano più."))


# ---- assessments -------------------------------------------------------------------------------------------------

@refusal_rolls_back
def create_assessment(actor, template: AssessmentTemplate, panel: str, title: str, assessed_on: date) -> SelfAssessment:
    """A new assessment of the actor's organisation."""
    if not access.can_use_self_assessment(actor, actor.organization_id):
        raise EvaluationError(N_("L'autovalutazione è delle persone di un ente."))
    if template is None or not template.active:
        raise EvaluationError(N_("Scegli un questionario tra quelli disponibili."), field="template")
    if panel not in PANEL_LABELS:
        raise EvaluationError(N_("Scegli un pannello di punteggio."), field="panel")
    assessment = SelfAssessment(organization_id=actor.organization_id, template_id=template.id, title=title,
                                panel=panel, assessed_on=assessed_on, status="open", created_by_id=actor.id)
    db.session.add(assessment)
    db.session.commit()
    return assessment


@refusal_rolls_back
def save_own_score(actor, assessment: SelfAssessment, code: str, values: dict, strengths: str = "",
                   improvements: str = "", evidence: str = "") -> AssessmentScore:
    """The actor's own score of a sub-criterion (written again if it exists)."""
    return _upsert(actor, assessment, code, actor.id, values, strengths, improvements, evidence)


@refusal_rolls_back
def save_consensus(actor, assessment: SelfAssessment, code: str, values: dict, strengths: str = "",
                   improvements: str = "", evidence: str = "") -> AssessmentScore:
    """The group's consensus on a sub-criterion (user_id NULL), recorded by a referent of the organisation."""
    if not access.can_share_self_assessment(actor, assessment.organization_id):
        raise EvaluationError(N_("Il valore di consenso lo registrano i referenti dell'ente."))
    return _upsert(actor, assessment, code, None, values, strengths, improvements, evidence)


def _upsert(actor, assessment, code, person_id, values, strengths, improvements, evidence) -> AssessmentScore:
    if not access.can_use_self_assessment(actor, assessment.organization_id):
        raise EvaluationError(N_("L'autovalutazione è delle persone del suo ente."))
    item = _sub_item(assessment, code)
    cleaned = clean_values(assessment.panel, item.get("kind"), values)
    strengths, improvements, evidence = _texts(strengths, improvements, evidence)
    # The lock serialises writers of this assessment: the unique constraint does not cover user_id NULL.
    _require_open(assessment)
    score = self_queries.score_of(actor, assessment.id, code, person_id)
    if score is None:
        score = AssessmentScore(assessment_id=assessment.id, item_code=code, user_id=person_id)
        db.session.add(score)
    score.values, score.strengths, score.improvements, score.evidence = cleaned, strengths, improvements, evidence
    score.updated_at = utcnow()
    db.session.commit()
    return score


@refusal_rolls_back
def close_assessment(actor, assessment: SelfAssessment) -> None:
    """Close an assessment: its scores and consensus are fixed (the improvement plan goes on)."""
    if not access.can_share_self_assessment(actor, assessment.organization_id):
        raise EvaluationError(N_("Chiudono l'autovalutazione i referenti dell'ente."))
    _require_open(assessment)
    assessment.status, assessment.closed_at = "closed", utcnow()
    db.session.commit()


# ---- improvement plan --------------------------------------------------------------------------------------------

@refusal_rolls_back
def add_action(actor, assessment: SelfAssessment, title: str, owner: str = "", due_on: date | None = None,
               item_code: str | None = None, status: str = "planned") -> ImprovementAction:
    """An action of the improvement plan."""
    if not access.can_use_self_assessment(actor, assessment.organization_id):
        raise EvaluationError(N_("L'autovalutazione è delle persone del suo ente."))
    if not (title or "").strip():
        raise EvaluationError(N_("Scrivi che cosa si farà."), field="title")
    if status not in ACTION_STATUS_LABELS:
        raise EvaluationError(N_("Scegli uno stato."), field="status")
    if item_code:
        _sub_item(assessment, item_code)
    action = ImprovementAction(assessment_id=assessment.id, title=title.strip(), owner=(owner or "").strip(),
                               due_on=due_on, item_code=item_code or None, status=status, created_by_id=actor.id)
    db.session.add(action)
    db.session.commit()
    return action


@refusal_rolls_back
def set_action_status(actor, assessment: SelfAssessment, action_id: int, status: str) -> ImprovementAction:
    """Move an action of the plan (planned, in progress, done)."""
    if not access.can_use_self_assessment(actor, assessment.organization_id):
        raise EvaluationError(N_("L'autovalutazione è delle persone del suo ente."))
    action = self_queries.action_of(actor, assessment.id, action_id)
    if action is None:
        raise EvaluationError(N_("Questa azione non è nel piano."))
    if status not in ACTION_STATUS_LABELS:
        raise EvaluationError(N_("Scegli uno stato."), field="status")
    action.status = status
    db.session.commit()
    return action


# ---- sharing items to a candidacy --------------------------------------------------------------------------------

def may_share_now(candidacy) -> bool:
    """Items are shared while the candidacy is a draft, or submitted while the call is open and before its deadline:
    once candidacies are closed what was submitted is frozen (the commission reads it as sent)."""
    call = candidacy.call
    if candidacy.status not in SHARE_STATUSES or call.phase == CallPhase.DECIDED:
        return False
    return candidacy.status == CandidacyStatus.DRAFT or (call.phase == CallPhase.OPEN and not deadline_passed(call))


def _figure(value: float | None):
    """A figure as people read it: 65, 62.5 (one decimal at most)."""
    if value is None:
        return None
    value = round(value, 1)
    return int(value) if value == int(value) else value


def shared_content(assessment: SelfAssessment, item: dict, consensus: AssessmentScore) -> dict:
    """What the copy holds: the consensus only (never a person's own score), its strengths and improvements."""
    return {"template": assessment.template.title, "assessed_on": assessment.assessed_on.isoformat(),
            "panel": assessment.panel, "code": item["code"], "title": item.get("title_it", ""),
            "kind": item.get("kind"), "values": dict(consensus.values or {}),
            "score": _figure(item_value(consensus.values)), "strengths": consensus.strengths or "",
            "improvements": consensus.improvements or ""}


@refusal_rolls_back
def share_items(actor, candidacy, assessment: SelfAssessment, codes: list[str]) -> list[SharedItem]:
    """Attach copies of chosen items (their consensus) to the candidacy."""
    if not access.can_share_self_assessment(actor, candidacy.organization_id):
        raise EvaluationError(N_("Condividono le voci dell'autovalutazione i referenti dell'ente candidato."))
    if assessment is None or assessment.organization_id != candidacy.organization_id:
        raise EvaluationError(N_("Scegli un'autovalutazione del tuo ente."), field="assessment")
    if not codes:
        raise EvaluationError(N_("Scegli almeno una voce da condividere."), field="items")
    lock(candidacy.call)
    lock(candidacy)
    if not may_share_now(candidacy):
        raise EvaluationError(N_("Si condividono voci solo mentre la candidatura è in bozza, o inviata finché l'avviso "
                                 "accetta candidature: dopo la chiusura quanto inviato non cambia più."))
    consensus = self_queries.consensus_by_assessment(actor, [assessment.id])[assessment.id]
    already = {(each.assessment_id, each.item_code) for each in self_queries.shared_items_of(candidacy.id)}
    added = []
    for code in dict.fromkeys(codes):
        item = _sub_item(assessment, code)
        if code not in consensus:
            raise EvaluationError(N_("Il sottocriterio %(code)s non ha ancora un valore di consenso: si condivide "
                                     "solo quello."), field="items", code=code)
        if (assessment.id, code) in already:
            continue
        shared = SharedItem(candidacy_id=candidacy.id, assessment_id=assessment.id, item_code=code,
                            content=shared_content(assessment, item, consensus[code]), shared_by_id=actor.id,
                            shared_at=utcnow())
        db.session.add(shared)
        added.append(shared)
    if added:
        audit(candidacy.call, "candidacy.share_items", actor, candidacy, codes=[each.item_code for each in added])
    db.session.commit()
    return added


@refusal_rolls_back
def unshare_item(actor, candidacy, shared_id: int) -> None:
    """Take a shared item back, while the candidacy is a draft."""
    if not access.can_share_self_assessment(actor, candidacy.organization_id):
        raise EvaluationError(N_("Condividono le voci dell'autovalutazione i referenti dell'ente candidato."))
    lock(candidacy)
    if candidacy.status != CandidacyStatus.DRAFT:
        raise EvaluationError(N_("Una voce condivisa si ritira solo mentre la candidatura è in bozza."))
    shared = next((each for each in self_queries.shared_items_of(candidacy.id) if each.id == shared_id), None)
    if shared is None:
        raise EvaluationError(N_("Questa voce non è condivisa con la candidatura."))
    code = shared.item_code
    db.session.delete(shared)
    audit(candidacy.call, "candidacy.unshare_items", actor, candidacy, codes=[code])
    db.session.commit()


# ---- templates ---------------------------------------------------------------------------------------------------

def _require_template_admin(actor) -> None:
    if not access.can_manage_templates(actor):
        raise EvaluationError(N_("I questionari li gestisce chi amministra la piattaforma."))


@refusal_rolls_back
def save_template(actor, template: AssessmentTemplate, title: str, description: str, items_text: str,
                  active: bool = True) -> AssessmentTemplate:
    """Edit a template; its items come as YAML. A template already used keeps its items (clone it instead)."""
    _require_template_admin(actor)
    try:
        items = parse_items_yaml(items_text)
    except ItemsError as error:
        raise EvaluationError(error.message, field="items", **error.params) from error
    if items != template.items and self_queries.template_in_use(template.id):
        raise EvaluationError(N_("Questo questionario è già usato da qualche ente: per cambiarne le voci crea una "
                                 "nuova versione (Duplica)."), field="items")
    template.title, template.description, template.items = title, description or "", items
    template.active, template.updated_at = active, utcnow()
    db.session.commit()
    return template


@refusal_rolls_back
def clone_template(actor, template: AssessmentTemplate) -> AssessmentTemplate:
    """A new version of a template (same code), to edit freely."""
    _require_template_admin(actor)
    copy = AssessmentTemplate(code=template.code, version=self_queries.next_template_version(template.code),
                              title=template.title, description=template.description,
                              items=[dict(item) for item in template.items], active=False,
                              cloned_from_id=template.id, created_by_id=actor.id)
    db.session.add(copy)
    db.session.commit()
    return copy
