"""Services of the candidacies to calls for expression of interest (issue 15): a referent of a public administration
writes its organisation's draft (the call's answers, the signed document with its protocol, the attachment fields'
files, the working group), sends it after the completeness check, withdraws it; the documents of a draft are
replaced or removed. Status changes go through app/calls/core.py `move` under the call's lock.

One transaction per operation; refusals raise CallsError (nothing half-applied; files stored before a failed commit
are deleted again).
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app.calls import access
from app.calls.core import N_, CallsError, commit_and_email, lock, move, now, refusal_rolls_back
from app.calls.forms_candidacy import rome_today
from app.calls.workflow import (CALL_NOT_PUBLISHED, NOT_ELIGIBLE, WINDOW_CLOSED, WINDOW_NOT_OPEN, CallPhase,
                                CandidacyAction, CandidacyRole, CandidacyStatus, window_state)
from app.extensions import db
from app.models import (CandidacyChange, CandidacyContact, CandidacyDocument, InterestCall, InterestCandidacy,
                        Programme, ProgrammeParticipant)
from app.models.base import utcnow

NOT_REFERENT = N_("Scrive e invia la candidatura chi è referente di una pubblica amministrazione iscritta alla "
                  "piattaforma.")
ALREADY = N_("Il vostro ente ha già una candidatura a questo avviso: se ne presenta una sola per ente.")
NOT_EDITABLE = N_("La candidatura si modifica solo in bozza, mentre le candidature all'avviso sono aperte.")
FUTURE_PROTOCOL = N_("La data di protocollo non può essere nel futuro.")
WITHDRAWABLE = frozenset({CandidacyStatus.DRAFT, CandidacyStatus.SUBMITTED, CandidacyStatus.ADMISSIBLE,
                          CandidacyStatus.SELECTED, CandidacyStatus.WAITING})


class AlreadyCandidate(CallsError):
    """The organisation has a candidacy to the call already (one per organisation and call): `candidacy_id` is it."""

    def __init__(self, candidacy_id: int | None) -> None:
        super().__init__(ALREADY)
        self.candidacy_id = candidacy_id


class FilesRefused(CallsError):
    """Files refused by app/uploads.py: form field name → its rejections, each shown at its field."""

    def __init__(self, rejections: dict) -> None:
        super().__init__(N_("Alcuni documenti non sono stati accettati: nulla è stato salvato."))
        self.rejections = rejections


class MissingItems(CallsError):
    """A submission without what the call requires: form field name → msgid, each shown at its field."""

    def __init__(self, missing: dict[str, str]) -> None:
        super().__init__(N_("Per inviare la candidatura completate quanto segnalato: nulla è stato salvato."))
        self.missing = missing


# ---- reading ------------------------------------------------------------------------------------------------------

def window_of(call: InterestCall) -> str:
    return window_state(call.opens_at, call.closes_at, now())


def takes_candidacies(call: InterestCall) -> str | None:
    """Why the call does not take candidacies now (a msgid), or None while its window is open."""
    if call.phase == CallPhase.DRAFT:
        return CALL_NOT_PUBLISHED
    window = window_of(call)
    if call.phase == CallPhase.PUBLISHED and window == "upcoming":
        return WINDOW_NOT_OPEN
    if call.phase != CallPhase.PUBLISHED or window != "open":
        return WINDOW_CLOSED
    return None


def candidacy_refusal(call: InterestCall, user) -> str | None:
    """Why this person may not write a candidacy of their organisation to the call now (a msgid), or None."""
    refusal = takes_candidacies(call)
    if refusal:
        return refusal
    if not access.can_candidate(user):
        return NOT_REFERENT
    if call.quota_for(user.organization.pa_kind) is None:
        return NOT_ELIGIBLE
    return None


def existing(call: InterestCall, organization_id: int | None) -> InterestCandidacy | None:
    if organization_id is None:
        return None
    # populate_existing: read after a lock, a candidacy already in the session must show what is committed now.
    return db.session.execute(select(InterestCandidacy).where(
        InterestCandidacy.call_id == call.id, InterestCandidacy.organization_id == organization_id)
        .execution_options(populate_existing=True)).scalar_one_or_none()


def is_editable(candidacy: InterestCandidacy) -> bool:
    return candidacy.status == CandidacyStatus.DRAFT and takes_candidacies(candidacy.call) is None


def can_withdraw(candidacy: InterestCandidacy) -> bool:
    return candidacy.status in WITHDRAWABLE and candidacy.call.phase != CallPhase.DRAFT


def candidacy_for_page(candidacy_id: int) -> InterestCandidacy | None:
    """A candidacy with everything its page shows, in a bounded number of queries."""
    return db.session.execute(select(InterestCandidacy).where(InterestCandidacy.id == candidacy_id).options(
        joinedload(InterestCandidacy.call).joinedload(InterestCall.programme),
        joinedload(InterestCandidacy.call).selectinload(InterestCall.quotas),
        joinedload(InterestCandidacy.organization),
        selectinload(InterestCandidacy.documents), selectinload(InterestCandidacy.contacts),
        selectinload(InterestCandidacy.history).joinedload(CandidacyChange.actor))).unique().scalar_one_or_none()


def missing_for_submission(candidacy: InterestCandidacy) -> dict[str, str]:
    """What the call requires and the candidacy lacks: form field name → msgid."""
    missing = {}
    if candidacy.signed_document is None:
        missing["signed"] = N_("Caricate la candidatura firmata: serve per inviarla.")
    if not (candidacy.protocol_number or "").strip():
        missing["protocol_number"] = N_("Indicate il numero di protocollo della candidatura firmata.")
    if candidacy.protocol_date is None:
        missing["protocol_date"] = N_("Indicate la data di protocollo della candidatura firmata.")
    elif candidacy.protocol_date > rome_today():
        missing["protocol_date"] = FUTURE_PROTOCOL
    answers = candidacy.answers or {}
    attached = {each.field_key for each in candidacy.documents if each.role == "attachment"}
    for spec in candidacy.call.fields or []:
        key, kind = spec.get("key"), spec.get("kind", "text")
        if not key or not spec.get("required"):
            continue
        value = answers.get(key)
        if kind == "attachment":
            if key not in attached:
                missing[f"field_{key}"] = N_("Allegate questo documento: serve per inviare la candidatura.")
        elif kind == "checkbox":
            if value is not True:
                missing[f"field_{key}"] = N_("Per inviare la candidatura serve questa dichiarazione.")
        elif value is None or (isinstance(value, str) and not value.strip()):
            missing[f"field_{key}"] = N_("Questo campo serve per inviare la candidatura.")
    if not candidacy.contacts:
        missing["contact_name_0"] = N_("Indicate almeno una persona del gruppo di lavoro.")
    return missing


# ---- values and files ---------------------------------------------------------------------------------------------

def _apply(candidacy: InterestCandidacy, values: dict) -> None:
    call = candidacy.call
    kinds = {spec["key"]: spec.get("kind", "text") for spec in call.fields or [] if spec.get("key")}
    answers = values.get("answers") or {}
    candidacy.answers = {key: answers.get(key) for key, kind in kinds.items() if kind != "attachment"}
    protocol_date = values.get("protocol_date")
    if protocol_date is not None and protocol_date > rome_today():
        raise CallsError(FUTURE_PROTOCOL, field="protocol_date")
    candidacy.protocol_number = (values.get("protocol_number") or "").strip()[:60]
    candidacy.protocol_date = protocol_date
    contacts = [CandidacyContact(position=position, full_name=each["name"][:120], role=each.get("role", "")[:120],
                                 email=each.get("email", "")[:254], phone=each.get("phone", "")[:40])
                for position, each in enumerate(values.get("contacts") or []) if each.get("name")]
    candidacy.contacts = contacts
    candidacy.updated_at = utcnow()


def _check_uploads(uploads: dict) -> dict:
    """Every uploaded file checked from its content (all of them, so each refusal is told at once)."""
    from app.uploads import check_all

    checked, rejected = {}, {}
    for name, upload in uploads.items():
        good, refused = check_all([upload], current_app.config["UPLOAD_MAX_BYTES"])
        if refused:
            rejected[name] = refused
        elif good:
            checked[name] = good[0]
    if rejected:
        raise FilesRefused(rejected)
    return checked


def _store(candidacy: InterestCandidacy, checked: dict, user) -> tuple[list[str], list[str]]:
    """Store the checked files as the candidacy's documents, each replacing the one it answers (the signed
    document, or the attachment field's file). Returns (new keys, replaced keys): the new ones are deleted if the
    operation fails, the replaced ones once it is committed."""
    from app.uploads import store

    root, new_keys, old_keys = current_app.config["UPLOAD_FOLDER"], [], []
    for name, (meta, content) in checked.items():
        role, field_key = ("signed", "") if name == "signed" else ("attachment", name.removeprefix("field_"))
        for old in [each for each in candidacy.documents if each.role == role and each.field_key == field_key]:
            old_keys.append(old.storage_key)
            candidacy.documents.remove(old)
        key = store(content, root)
        new_keys.append(key)
        candidacy.documents.append(CandidacyDocument(
            role=role, field_key=field_key, storage_key=key, original_name=meta.original_name,
            mimetype=meta.mimetype, size=meta.size, sha256=meta.sha256, uploaded_by_id=user.id))
    return new_keys, old_keys


def _forget(keys) -> None:
    from app.uploads import delete_stored

    for key in keys:
        delete_stored(current_app.config["UPLOAD_FOLDER"], key)


# ---- writing ------------------------------------------------------------------------------------------------------

@refusal_rolls_back
def save(call: InterestCall, user, values: dict, uploads: dict | None = None,
         submit: bool = False) -> InterestCandidacy:
    """Create or update the organisation's draft (and send it when asked, once complete): all of it or nothing."""
    checked = _check_uploads(uploads or {})
    lock(call)
    refusal = candidacy_refusal(call, user)
    if refusal:
        raise CallsError(refusal)
    candidacy = existing(call, user.organization_id)
    if candidacy is not None and candidacy.status != CandidacyStatus.DRAFT:
        raise AlreadyCandidate(candidacy.id)
    if candidacy is None:
        candidacy = InterestCandidacy(call=call, organization_id=user.organization_id,
                                      pa_kind=user.organization.pa_kind, status=CandidacyStatus.DRAFT,
                                      created_by_id=user.id, answers={})
        db.session.add(candidacy)
    _apply(candidacy, values)
    new_keys, old_keys = [], []
    try:
        db.session.flush()  # a candidacy created by another request at the same moment: IntegrityError
        new_keys, old_keys = _store(candidacy, checked, user)
        if submit:
            missing = missing_for_submission(candidacy)
            if missing:
                raise MissingItems(missing)
            db.session.flush()
            move(candidacy, CandidacyAction.SUBMIT, user, CandidacyRole.CANDIDATE)
        commit_and_email()
    except IntegrityError:
        db.session.rollback()
        _forget(new_keys)
        found = existing(call, user.organization_id)
        raise AlreadyCandidate(found.id if found else None) from None
    except BaseException:
        db.session.rollback()
        _forget(new_keys)
        raise
    _forget(old_keys)
    return candidacy


@refusal_rolls_back
def withdraw(candidacy: InterestCandidacy, user) -> str:
    """The organisation withdraws its candidacy (move WITHDRAW: a selected one's seat goes to the waiting list)."""
    lock(candidacy.call)
    db.session.refresh(candidacy)
    if not access.can_edit_candidacy(user, candidacy):
        raise CallsError(N_("Ritira la candidatura chi è referente dell'ente candidato."))
    status = move(candidacy, CandidacyAction.WITHDRAW, user, CandidacyRole.CANDIDATE)
    commit_and_email()
    return status


@refusal_rolls_back
def remove_document(candidacy: InterestCandidacy, document: CandidacyDocument, user) -> None:
    """Take a document out of a draft (the file is deleted once the removal is committed)."""
    lock(candidacy.call)
    db.session.refresh(candidacy)
    if not access.can_edit_candidacy(user, candidacy):
        raise CallsError(N_("Scrive la candidatura chi è referente dell'ente candidato."))
    if not is_editable(candidacy):
        raise CallsError(NOT_EDITABLE)
    document = db.session.get(CandidacyDocument, document.id, populate_existing=True)
    if document is None or document.candidacy_id != candidacy.id:
        raise CallsError(N_("Questo documento non fa più parte della candidatura."))
    key = document.storage_key
    db.session.delete(document)
    candidacy.updated_at = utcnow()
    db.session.commit()
    _forget([key])


# ---- lists --------------------------------------------------------------------------------------------------------

def of_organization(organization_id: int, limit: int = 10) -> list[InterestCandidacy]:
    """The organisation's candidacies, most recently changed first, with their call (one query); not those to a
    call sent back to draft (its managers' alone)."""
    return list(db.session.execute(select(InterestCandidacy).where(
        InterestCandidacy.organization_id == organization_id)
        .join(InterestCall, InterestCall.id == InterestCandidacy.call_id).where(InterestCall.phase != CallPhase.DRAFT)
        .options(joinedload(InterestCandidacy.call))
        .order_by(InterestCandidacy.updated_at.desc(), InterestCandidacy.id.desc()).limit(limit)).scalars())


def participations(organization_id: int, everything: bool) -> list[tuple[Programme, ProgrammeParticipant]]:
    """The programmes the organisation takes part in (without `everything`: only those already announced)."""
    # Announced: added by the staff, or from a call whose results are published (a selection is not public before).
    query = (select(Programme, ProgrammeParticipant)
             .join(ProgrammeParticipant, ProgrammeParticipant.programme_id == Programme.id)
             .outerjoin(InterestCandidacy, InterestCandidacy.id == ProgrammeParticipant.candidacy_id)
             .outerjoin(InterestCall, InterestCall.id == InterestCandidacy.call_id)
             .where(ProgrammeParticipant.organization_id == organization_id)
             .order_by(Programme.name, Programme.id))
    if not everything:
        query = query.where((ProgrammeParticipant.candidacy_id.is_(None)) | (InterestCall.phase == CallPhase.RESULTS))
    return [(row[0], row[1]) for row in db.session.execute(query)]

