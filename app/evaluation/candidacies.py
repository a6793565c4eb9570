"""Services of the candidacies (issue 13, point 3): a referent of the donor organisation writes a candidacy for a
published practice, attaches documents, submits it (the submitted version is frozen in `snapshot`, with the kit
version it refers to), withdraws it until review starts, takes a withdrawn one back to draft while the call is open.

One transaction per operation; refusals raise EvaluationError (nothing half-applied, stored files removed again).
"""
from __future__ import annotations

from datetime import date

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.evaluation import access
from app.evaluation.core import EvaluationError, N_, audit, commit_and_email, lock, notify_people, refusal_rolls_back
from app.evaluation.queries import LIVE_ASSIGNMENT
from app.evaluation.rules import deadline_passed, organization_eligible
from app.evaluation.workflow import (CallPhase, CandidacyAction, CandidacyStatus, candidacy_editable,
                                     candidacy_transition)
from app.verbs import NOTIFICATION_TEXTS
from app.extensions import db
from app.models import CANDIDACY_FIELDS, Assignment, Candidacy, CandidacyAttachment, EvaluationCall, KitVersion
from app.models.base import utcnow
from app.practices.workflow import PracticeStatus

NOTIFICATION_TEXTS.update({
    "evaluation.candidacy_submitted": _l("%(actor)s ha inviato una candidatura all'avviso «%(call)s»: «%(practice)s»"),
    "evaluation.candidacy_withdrawn": _l("%(actor)s ha ritirato una candidatura all'avviso «%(call)s»: «%(practice)s»"),
})

MAX_ATTACHMENTS = 20
CANDIDATE_ACTIONS = (CandidacyAction.SUBMIT, CandidacyAction.WITHDRAW, CandidacyAction.REDRAFT)
ALREADY = N_("Questa pratica è già candidata a questo avviso: trovate la candidatura tra quelle del vostro ente.")


class AttachmentsRefused(EvaluationError):
    """One or more files refused (app/uploads.py): each rejection's message goes at the files field."""

    def __init__(self, rejections) -> None:
        super().__init__(N_("Alcuni documenti non sono stati accettati."), field="files")
        self.rejections = rejections


class MissingFields(EvaluationError):
    """A submission without what the call requires: field name → msgid, each shown at its field."""

    def __init__(self, missing: dict[str, str]) -> None:
        super().__init__(N_("Per inviare la candidatura completate i campi segnalati."))
        self.missing = missing


# ---- reading ------------------------------------------------------------------------------------------------------

def is_editable(candidacy) -> bool:
    return candidacy_editable(candidacy.status, candidacy.call.phase, deadline_passed(candidacy.call))


def latest_kit_version(practice) -> KitVersion | None:
    """The practice's latest published kit version."""
    return db.session.execute(select(KitVersion).where(
        KitVersion.practice_id == practice.id, KitVersion.status == "published")
        .order_by(KitVersion.published_at.desc(), KitVersion.id.desc()).limit(1)).scalar_one_or_none()


def existing(call, practice) -> Candidacy | None:
    return db.session.execute(select(Candidacy).where(Candidacy.call_id == call.id,
                                                      Candidacy.practice_id == practice.id)).scalar_one_or_none()


def candidacy_refusal(call, practice, user) -> str | None:
    """Why this practice may not be candidated to this call now (a msgid), or None."""
    if call.phase != CallPhase.OPEN:
        return N_("Le candidature a questo avviso sono chiuse.")
    if deadline_passed(call):
        return N_("Il termine per le candidature è scaduto.")
    if not access.can_candidate(user, practice):
        return N_("Candida una pratica chi è referente del suo ente cedente.")
    if practice.status != PracticeStatus.PUBLISHED:
        return N_("Si candida solo una pratica pubblicata.")
    if not organization_eligible(call, practice.donor):
        return N_("Il vostro ente non rientra tra quelli che possono candidarsi a questo avviso.")
    if existing(call, practice) is not None:
        return ALREADY
    return None


def open_calls_for(practice, user) -> tuple[list[EvaluationCall], dict[int, Candidacy]]:
    """The open calls (before their deadline) the practice may go to, and its candidacies by call: two queries."""
    now = utcnow()
    calls = db.session.execute(select(EvaluationCall).where(
        EvaluationCall.phase == CallPhase.OPEN,
        (EvaluationCall.closes_at.is_(None)) | (EvaluationCall.closes_at > now))
        .order_by(EvaluationCall.closes_at, EvaluationCall.id).limit(20)).scalars().all()
    calls = [each for each in calls if organization_eligible(each, practice.donor)]
    taken = {each.call_id: each for each in db.session.execute(select(Candidacy).where(
        Candidacy.practice_id == practice.id)).scalars()}
    return calls, taken


# ---- values -------------------------------------------------------------------------------------------------------

def missing_for_submission(candidacy) -> dict[str, str]:
    """What the call requires and the candidacy lacks: form field name → msgid."""
    call, missing = candidacy.call, {}
    if call.categories and not candidacy.category:
        missing["category"] = N_("Scegliete la categoria.")
    for key in CANDIDACY_FIELDS:
        if not (candidacy.fields or {}).get(key, "").strip():
            missing[key] = N_("Questo campo serve per inviare la candidatura.")
    for extra in call.extra_fields or []:
        value = (candidacy.extra or {}).get(extra["key"])
        if extra.get("required") and (value is None or value == "" or value is False):
            missing[f"extra_{extra['key']}"] = (N_("Per inviare la candidatura serve questa dichiarazione.")
                                                 if extra["kind"] == "checkbox"
                                                 else N_("Questo campo serve per inviare la candidatura."))
    if call.require_completed and candidacy.completed_on is None:
        missing["completed_on"] = N_("Indicate quando la pratica è stata realizzata.")
    return missing


def _apply(candidacy, values: dict) -> None:
    call = candidacy.call
    if call.categories:
        codes = {each.get("code") for each in call.categories}
        category = values.get("category") or None
        if category is not None and category not in codes:
            raise EvaluationError(N_("Scegliete una delle categorie dell'avviso."), field="category")
        candidacy.category = category
    candidacy.fields = {key: (values.get("fields") or {}).get(key, "") or "" for key in CANDIDACY_FIELDS}
    keys = {each["key"] for each in call.extra_fields or []}
    candidacy.extra = {key: value for key, value in (values.get("extra") or {}).items() if key in keys}
    if call.require_completed:
        completed_on = values.get("completed_on")
        if completed_on is not None and completed_on > date.today():
            raise EvaluationError(N_("La data non può essere nel futuro."), field="completed_on")
        candidacy.completed_on = completed_on
    candidacy.updated_at = utcnow()


def _check_files(files) -> list:
    from app.uploads import check_all

    checked, rejected = check_all(files, current_app.config["UPLOAD_MAX_BYTES"])
    if rejected:
        raise AttachmentsRefused(rejected)
    return checked


def _store_files(candidacy, checked, user) -> list[str]:
    """Store the checked files and add their rows; returns the keys (removed again if the operation fails)."""
    from app.uploads import store

    if len(candidacy.attachments) + len(checked) > MAX_ATTACHMENTS:
        raise EvaluationError(N_("Una candidatura ha al massimo %(num)d documenti."), field="files",
                              num=MAX_ATTACHMENTS)
    root, keys = current_app.config["UPLOAD_FOLDER"], []
    for meta, content in checked:
        key = store(content, root)
        keys.append(key)
        candidacy.attachments.append(CandidacyAttachment(
            storage_key=key, original_name=meta.original_name, mimetype=meta.mimetype, size=meta.size,
            sha256=meta.sha256, uploaded_by_id=user.id))
    return keys


def _forget(keys) -> None:
    from app.uploads import delete_stored

    for key in keys:
        delete_stored(current_app.config["UPLOAD_FOLDER"], key)


# ---- writing ------------------------------------------------------------------------------------------------------

@refusal_rolls_back
def create(call, practice, user, values: dict, files=(), submit_now: bool = False) -> Candidacy:
    """A new candidacy of the practice to the call (a draft, or sent at once); one per call and practice."""
    checked = _check_files(files)
    lock(call)
    refusal = candidacy_refusal(call, practice, user)
    if refusal:
        raise EvaluationError(refusal)
    candidacy = Candidacy(call=call, practice=practice, organization_id=practice.donor_id,
                          status=CandidacyStatus.DRAFT, created_by_id=user.id, fields={}, extra={})
    db.session.add(candidacy)
    _apply(candidacy, values)
    keys = []
    try:
        db.session.flush()
        keys = _store_files(candidacy, checked, user)
        audit(call, "candidacy.create", user, candidacy, practice=practice.id)
        if submit_now:
            _submit(candidacy, user)
        commit_and_email()
    except IntegrityError:
        db.session.rollback()
        _forget(keys)
        raise EvaluationError(ALREADY) from None
    except BaseException:
        db.session.rollback()
        _forget(keys)
        raise
    return candidacy


@refusal_rolls_back
def update(candidacy, user, values: dict, files=(), submit_now: bool = False) -> Candidacy:
    """Save a draft's fields and new documents (while the call takes candidacies), and send it if asked."""
    checked = _check_files(files)
    lock(candidacy.call)
    lock(candidacy)
    if not access.is_candidate_referent(user, candidacy):
        raise EvaluationError(N_("Scrivono la candidatura i referenti dell'ente candidato."))
    if not is_editable(candidacy):
        raise EvaluationError(N_("La candidatura si modifica solo in bozza, finché l'avviso è aperto."))
    _apply(candidacy, values)
    keys = []
    try:
        keys = _store_files(candidacy, checked, user)
        if submit_now:
            _submit(candidacy, user)
        commit_and_email()
    except BaseException:
        db.session.rollback()
        _forget(keys)
        raise
    return candidacy


def _snapshot(candidacy, kit) -> dict:
    practice, call = candidacy.practice, candidacy.call
    return {
        "title": practice.title, "summary": practice.summary, "fields": dict(candidacy.fields or {}),
        "extra": dict(candidacy.extra or {}), "category": candidacy.category,
        "category_label": call.category_label(candidacy.category) if candidacy.category else "",
        "completed_on": candidacy.completed_on.isoformat() if candidacy.completed_on else None,
        "kit_version": {"id": kit.id, "label": kit.label} if kit else None,
        "attachments": [{"id": each.id, "name": each.original_name, "size": each.size, "sha256": each.sha256}
                        for each in candidacy.attachments],
        "submitted_at": utcnow().isoformat(timespec="seconds"),
    }


def _submit(candidacy, user) -> None:
    """Inside a transaction with the call and the candidacy locked: check, freeze, audit, notify the chair."""
    call = candidacy.call
    candidacy.status = candidacy_transition(candidacy.status, CandidacyAction.SUBMIT, call.phase,
                                            deadline_passed(call))
    missing = missing_for_submission(candidacy)
    if missing:
        raise MissingFields(missing)
    db.session.flush()
    kit = latest_kit_version(candidacy.practice)
    candidacy.kit_version_id = kit.id if kit else None
    snapshot = _snapshot(candidacy, kit)
    if candidacy.snapshot:  # sent before, withdrawn, taken back: the earlier versions are kept with the new one
        earlier = dict(candidacy.snapshot)
        snapshot["previous"] = list(earlier.pop("previous", [])) + [earlier]
    candidacy.snapshot = snapshot
    candidacy.submitted_at, candidacy.submitted_by_id, candidacy.withdrawn_at = utcnow(), user.id, None
    audit(call, "candidacy.submit", user, candidacy, kit_version=candidacy.kit_version_id,
          attachments=[each.id for each in candidacy.attachments])
    _tell_chair(candidacy, user, "evaluation.candidacy_submitted")


def _tell_chair(candidacy, user, verb: str) -> None:
    """The chair learns of submissions and withdrawals (on the call's page: the candidacy opens to the commission
    only once candidacies are closed); never a chair in conflict with it."""
    call = candidacy.call
    chair = call.chair
    if chair is not None and not access.is_conflicted(chair, candidacy):
        notify_people([chair], verb, user, url_for("evaluation.call", slug=call.slug), call=call.title,
                      practice=candidacy.practice.title)


def _end_assignments(candidacy, user) -> None:
    """A withdrawn candidacy leaves nobody a to-do: its live assignments not yet started (no review row) are deleted,
    each audited; once a reviewer has started a review (draft or sent) the withdrawal is refused — the chair
    decides then (declined and conflict-ended assignments stay, for the minutes)."""
    live = db.session.execute(select(Assignment).where(
        Assignment.candidacy_id == candidacy.id, Assignment.status.in_(LIVE_ASSIGNMENT))).scalars().all()
    if any(each.review is not None for each in live):
        raise EvaluationError(N_("La commissione ha già iniziato a valutare questa candidatura: non si ritira più "
                                 "da qui. Scrivete a chi presiede la commissione."))
    for each in live:
        audit(candidacy.call, "assignment.remove", user, candidacy, assignment=each.id, reviewer=each.user_id,
              withdrawn=True)
        db.session.delete(each)


@refusal_rolls_back
def act(candidacy, user, action: str) -> Candidacy:
    """submit, withdraw or redraft, by a referent of the candidate organisation."""
    action = CandidacyAction(action)
    if action not in CANDIDATE_ACTIONS:
        raise EvaluationError(N_("Questa mossa non spetta all'ente candidato."))
    lock(candidacy.call)
    lock(candidacy)
    if not access.is_candidate_referent(user, candidacy):
        raise EvaluationError(N_("Inviano o ritirano la candidatura i referenti dell'ente candidato."))
    call = candidacy.call
    if action == CandidacyAction.SUBMIT:
        _submit(candidacy, user)
    else:
        previous = candidacy.status
        candidacy.status = candidacy_transition(previous, action, call.phase, deadline_passed(call))
        if action == CandidacyAction.WITHDRAW:
            candidacy.withdrawn_at = utcnow()
            _end_assignments(candidacy, user)
            _tell_chair(candidacy, user, "evaluation.candidacy_withdrawn")
        audit(call, f"candidacy.{action}", user, candidacy)
    candidacy.updated_at = utcnow()
    commit_and_email()
    return candidacy


@refusal_rolls_back
def remove_attachment(candidacy, attachment, user) -> None:
    """Take a document out of a draft."""
    lock(candidacy.call)
    lock(candidacy)
    if not access.is_candidate_referent(user, candidacy):
        raise EvaluationError(N_("Scrivono la candidatura i referenti dell'ente candidato."))
    if not is_editable(candidacy):
        raise EvaluationError(N_("I documenti di una candidatura inviata non si tolgono più."))
    key = attachment.storage_key
    db.session.delete(attachment)
    db.session.commit()
    _forget([key])


# ---- lists --------------------------------------------------------------------------------------------------------

IN_PROGRESS = (CandidacyStatus.DRAFT, CandidacyStatus.SUBMITTED, CandidacyStatus.UNDER_REVIEW)


def organization_page(organization_id: int, page: int = 1):
    """The organisation's candidacies, newest first, with their call and practice (one query per page)."""
    from sqlalchemy.orm import joinedload

    from app.evaluation.queries import organization_candidacies

    query = organization_candidacies(organization_id).options(joinedload(Candidacy.call),
                                                              joinedload(Candidacy.practice))
    return db.paginate(query, page=page, per_page=20, error_out=False)


def in_progress_of(organization_id: int, limit: int = 5) -> list[Candidacy]:
    from sqlalchemy.orm import joinedload

    return db.session.execute(select(Candidacy).where(
        Candidacy.organization_id == organization_id, Candidacy.status.in_(IN_PROGRESS))
        .options(joinedload(Candidacy.call), joinedload(Candidacy.practice))
        .order_by(Candidacy.updated_at.desc(), Candidacy.id.desc()).limit(limit)).scalars().all()


def next_step(candidacy) -> str:
    """What comes next for the candidate organisation (a msgid)."""
    call, status = candidacy.call, candidacy.status
    if status == CandidacyStatus.DRAFT:
        if is_editable(candidacy):
            return N_("Completate i campi e inviate la candidatura entro la chiusura dell'avviso.")
        return N_("L'avviso non accetta più candidature: la bozza non può essere inviata.")
    if status == CandidacyStatus.SUBMITTED:
        return N_("Inviata: la commissione la valuterà dopo la chiusura delle candidature.")
    if status == CandidacyStatus.WITHDRAWN:
        if call.phase == CallPhase.OPEN and not deadline_passed(call):
            return N_("Ritirata: potete riprenderla in bozza finché l'avviso è aperto.")
        return N_("Ritirata.")
    if status == CandidacyStatus.UNDER_REVIEW:
        return N_("In valutazione: l'esito arriverà con la pubblicazione degli esiti dell'avviso.")
    return N_("Esito pubblicato: leggete il riscontro della commissione.")


