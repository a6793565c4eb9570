"""Reading a call's audit log (issue 13, point 10): each action and its detail as people read them. Every action
string a service passes to core.audit has its label here (tests/unit/test_evaluation_audit_labels.py checks)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, or_, select

from app import permissions
from app.evaluation import access
from app.extensions import db
from app.models import Conflict, EvaluationAudit, User

# The audit log's actions as people read them (an unknown one shows its code).
AUDIT_LABELS = {
    "call.create": _l("Avviso creato"), "call.update": _l("Impostazioni modificate"),
    "call.open": _l("Aperto alle candidature"), "call.close": _l("Candidature chiuse"),
    "call.start_review": _l("Valutazione avviata"), "call.start_consensus": _l("Fase di consenso avviata"),
    "call.publish_decisions": _l("Esiti pubblicati"), "call.back_to_draft": _l("Riportato in bozza"),
    "call.criteria_frozen": _l("Criteri bloccati dalla prima valutazione inviata"),
    "criterion.add": _l("Criterio aggiunto"), "criterion.update": _l("Criterio modificato"),
    "criterion.delete": _l("Criterio eliminato"), "criterion.move": _l("Ordine dei criteri cambiato"),
    "commission.add": _l("Persona inserita nella commissione"),
    "commission.remove": _l("Persona tolta dalla commissione"),
    "commission.deputy": _l("Ruolo di vicepresidenza cambiato"), "commission.attest": _l("Dichiarazione firmata"),
    "candidacy.create": _l("Candidatura creata in bozza"),
    "candidacy.submit": _l("Candidatura inviata"), "candidacy.withdraw": _l("Candidatura ritirata"),
    "candidacy.redraft": _l("Candidatura ripresa in bozza"),
    "candidacy.start_review": _l("Candidatura in valutazione"),
    "candidacy.hand_to_deputy": _l("Candidatura affidata alla vicepresidenza"),
    "candidacy.share_items": _l("Voci dell'autovalutazione condivise"),
    "candidacy.unshare_items": _l("Voce dell'autovalutazione non più condivisa"),
    "assignment.add": _l("Incarico assegnato"), "assignment.remove": _l("Incarico tolto"),
    "assignment.auto": _l("Assegnazione automatica"), "assignment.decline": _l("Incarico declinato"),
    "assignment.conflict": _l("Incarico chiuso per conflitto di interessi"),
    "assignment.member_removed": _l("Incarico chiuso: la persona è stata tolta dalla commissione"),
    "review.edit": _l("Valutazione inviata modificata"), "review.submit": _l("Valutazione inviata"),
    "conflict.compute": _l("Conflitti di interessi cercati"),
    "conflict.suggest": _l("Possibile conflitto di interessi segnalato"),
    "conflict.declare": _l("Conflitto di interessi dichiarato"),
    "conflict.confirm": _l("Conflitto confermato"), "conflict.dismiss": _l("Conflitto escluso"),
    "decision.record": _l("Esito registrato"), "decision.publish": _l("Esito pubblicato"),
}


def readable_entries_clause(reader):
    """SQL condition on EvaluationAudit: the entries of a candidacy the reader is in a blocking conflict with are left
    out (reviewers, totals, conflicts of it are none of their business); administrators read every entry."""
    if permissions.is_admin(reader):
        return EvaluationAudit.id.is_not(None)
    return or_(EvaluationAudit.candidacy_id.is_(None), ~exists().where(
        Conflict.candidacy_id == EvaluationAudit.candidacy_id, Conflict.user_id == reader.id,
        access.blocking_conflict()))


def audit_page(call, reader, page: int = 1):
    """One page of the call's audit log the reader may read, newest first."""
    query = (select(EvaluationAudit).where(EvaluationAudit.call_id == call.id, readable_entries_clause(reader))
             .order_by(EvaluationAudit.at.desc(), EvaluationAudit.id.desc()))
    return db.paginate(query, page=page, per_page=50, error_out=False)


DETAIL_LABELS = {"fields": _l("campi"), "code": _l("codice"), "direction": _l("spostamento"),
                 "deputy": _l("vicepresidenza"), "user": _l("persona"), "chair": _l("presidenza"),
                 "withdrawn": _l("per il ritiro della candidatura")}
HIDDEN_DETAIL = {"member", "criterion", "phase_from", "phase_to"}
FIELD_LABELS = {
    "title": _l("titolo"), "description": _l("descrizione"), "year": _l("anno"), "categories": _l("categorie"),
    "eligible_pa_kinds": _l("amministrazioni ammesse"), "require_completed": _l("solo pratiche realizzate"),
    "extra_fields": _l("campi aggiuntivi"), "opens_on": _l("apertura"), "closes_at": _l("chiusura"),
    "review_due_on": _l("termine delle valutazioni"), "consensus_due_on": _l("termine del consenso"),
    "reviewers_per_candidacy": _l("valutazioni per candidatura"), "max_load": _l("carico massimo"),
    "disagreement_threshold": _l("soglia di disaccordo"), "blind": _l("valutazione alla cieca"),
    "chair": _l("presidenza"), "title_it": _l("titolo"), "title_en": _l("titolo in inglese"),
    "guidance": _l("indicazioni"), "scale_min": _l("minimo"), "scale_max": _l("massimo"),
    "anchors": _l("descrizione dei punteggi"), "weight": _l("peso"), "required": _l("obbligatorio"),
    "candidate_visible": _l("visibile all'ente"), "code": _l("codice"),
}


def describe(entry, names: dict[int, str]) -> str:
    """An audit entry's detail as people read it: phases by their labels, people by their names."""
    from app.models import CALL_PHASE_LABELS

    detail = entry.detail or {}
    parts = []
    if "phase_from" in detail and "phase_to" in detail:
        parts.append(f"{CALL_PHASE_LABELS.get(detail['phase_from'], detail['phase_from'])} → "
                     f"{CALL_PHASE_LABELS.get(detail['phase_to'], detail['phase_to'])}")
    for key, value in sorted(detail.items()):
        if key in HIDDEN_DETAIL or value is None:
            continue
        if key in ("user", "chair") and isinstance(value, int):
            value = names.get(value, value)
        elif isinstance(value, bool):
            value = _l("sì") if value else _l("no")
        elif isinstance(value, list):
            value = ", ".join(str(FIELD_LABELS.get(each, each)) for each in value)
        parts.append(f"{DETAIL_LABELS.get(key, key)}: {value}")
    return "; ".join(str(part) for part in parts)


def audit_names(entries) -> dict[int, str]:
    """The names of the people an audit page's details mention."""
    ids = {entry.detail.get(key) for entry in entries for key in ("user", "chair")
           if isinstance((entry.detail or {}).get(key), int)}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())
