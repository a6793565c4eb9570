"""The staff's examination of a call's candidacies (issue 15): the board (candidacies filtered by status and
organisation kind, counts per status, quota usage per kind), the decisions (admit, reject with the reason, select
within the kind's quota, waiting list, not selected) through `core.move` under the call's lock, and the CSV.

A fixed number of queries whatever the number of candidacies: the candidacies with their organisations, documents
and contacts (selectin), one grouped count per status and kind."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.calls import access
from app.calls.core import CallsError, commit_and_email, lock, move, refusal_rolls_back
from app.calls.labels import CANDIDACY_STATUS_LABELS
from app.calls.workflow import (CANDIDACY_TRANSITIONS, REASON_REQUIRED, CallPhase, CandidacyAction, CandidacyRole,
                                CandidacyStatus)
from app.extensions import db
from app.models import PA_KIND_LABELS, InterestCall, InterestCandidacy
from app.spreadsheet import safe_cell


def N_(message: str) -> str:
    return message


# The staff's decisions, in the order their buttons appear.
DECISIONS = (CandidacyAction.ADMIT, CandidacyAction.REJECT, CandidacyAction.SELECT, CandidacyAction.WAIT_LIST,
             CandidacyAction.NOT_SELECT)
# The board lists candidacies once sent: a draft is the organisation's work in progress (only counted).
BOARD_STATUSES = tuple(status for status in CandidacyStatus if status != CandidacyStatus.DRAFT)
DECIDED_TEXTS = {
    CandidacyAction.ADMIT: N_("Candidatura di %(organization)s dichiarata ammissibile."),
    CandidacyAction.REJECT: N_("Candidatura di %(organization)s dichiarata non ammissibile."),
    CandidacyAction.SELECT: N_("%(organization)s è selezionato."),
    CandidacyAction.WAIT_LIST: N_("Candidatura di %(organization)s messa in lista d'attesa."),
    CandidacyAction.NOT_SELECT: N_("Candidatura di %(organization)s non selezionata."),
}
UNKNOWN_DECISION = N_("Scegliete una delle decisioni proposte.")
STATUS_BADGES = {
    CandidacyStatus.DRAFT: "bg-secondary", CandidacyStatus.SUBMITTED: "bg-primary",
    CandidacyStatus.ADMISSIBLE: "bg-info text-dark", CandidacyStatus.INADMISSIBLE: "bg-danger",
    CandidacyStatus.SELECTED: "bg-success", CandidacyStatus.WAITING: "bg-warning text-dark",
    CandidacyStatus.NOT_SELECTED: "bg-dark", CandidacyStatus.WITHDRAWN: "bg-secondary",
}
ROME = ZoneInfo("Europe/Rome")


# ---- reading ----------------------------------------------------------------------------------------------------

def call_or_404(slug: str) -> InterestCall:
    """The call, if the reader may see it (a draft exists only for who manages its programme)."""
    call = db.session.execute(select(InterestCall).where(InterestCall.slug == slug)).scalar_one_or_none()
    if call is None or not access.can_view_call(current_user, call):
        abort(404)
    return call


def candidacy_or_404(candidacy_id: int) -> InterestCandidacy:
    """The candidacy, if the reader may see it (the candidate organisation's people, the staff, administrators)."""
    candidacy = db.session.get(InterestCandidacy, candidacy_id)
    if candidacy is None or not access.can_view_candidacy(current_user, candidacy):
        abort(404)
    return candidacy


def decisions_for(candidacy: InterestCandidacy) -> list[str]:
    """The decisions the staff may take on the candidacy now (none once results are published)."""
    if candidacy.call.phase != CallPhase.PUBLISHED:
        return []
    return [action for action in DECISIONS
            if (rule := CANDIDACY_TRANSITIONS.get((candidacy.status, action))) is not None
            and CandidacyRole.STAFF in rule[1]]


@dataclass(frozen=True)
class Filters:
    status: str | None = None
    kind: str | None = None

    def args(self) -> dict:
        return {key: value for key, value in (("status", self.status), ("kind", self.kind)) if value}


def parse_filters(values, call: InterestCall) -> Filters:
    """The filters from the query string; an unknown value is no filter."""
    status = values.get("status") or None
    kind = values.get("kind") or None
    return Filters(status=status if status in BOARD_STATUSES else None,
                   kind=kind if kind in set(kind_choices(call)) else None)


def kind_choices(call: InterestCall) -> list[str]:
    """The organisation kinds of the call: its quotas', in their order."""
    return [quota.pa_kind for quota in call.quotas]


@dataclass
class QuotaUse:
    pa_kind: str
    label: str
    seats: int
    selected: int
    waiting: int

    @property
    def free(self) -> int:
        return max(self.seats - self.selected, 0)

    @property
    def full(self) -> bool:
        return self.selected >= self.seats


@dataclass
class Board:
    call: InterestCall
    filters: Filters
    rows: list[InterestCandidacy]
    counts: dict[str, int]  # status → candidacies (all kinds, drafts included)
    quotas: list[QuotaUse] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Candidacies sent (the board's, unfiltered)."""
        return sum(count for status, count in self.counts.items() if status != CandidacyStatus.DRAFT)

    @property
    def drafts(self) -> int:
        return self.counts.get(CandidacyStatus.DRAFT, 0)

    @property
    def to_examine(self) -> int:
        return self.counts.get(CandidacyStatus.SUBMITTED, 0) + self.counts.get(CandidacyStatus.ADMISSIBLE, 0)


def _candidacies(call: InterestCall, filters: Filters):
    query = (select(InterestCandidacy)
             .where(InterestCandidacy.call_id == call.id, InterestCandidacy.status.in_(BOARD_STATUSES))
             .options(joinedload(InterestCandidacy.organization), selectinload(InterestCandidacy.documents),
                      selectinload(InterestCandidacy.contacts))
             .order_by(InterestCandidacy.submitted_at.is_(None), InterestCandidacy.submitted_at,
                       InterestCandidacy.id))
    if filters.status:
        query = query.where(InterestCandidacy.status == filters.status)
    if filters.kind:
        query = query.where(InterestCandidacy.pa_kind == filters.kind)
    return query


def counts_of(call: InterestCall) -> tuple[dict[str, int], list[QuotaUse]]:
    """Candidacies per status (drafts included) and the quota usage per kind: one grouped query."""
    counts: dict[str, int] = {}
    by_kind: dict[tuple[str | None, str], int] = {}
    for pa_kind, status, number in db.session.execute(
            select(InterestCandidacy.pa_kind, InterestCandidacy.status, func.count(InterestCandidacy.id))
            .where(InterestCandidacy.call_id == call.id)
            .group_by(InterestCandidacy.pa_kind, InterestCandidacy.status)):
        counts[status] = counts.get(status, 0) + number
        by_kind[(pa_kind, status)] = number
    quotas = [QuotaUse(pa_kind=quota.pa_kind, label=str(PA_KIND_LABELS.get(quota.pa_kind, quota.pa_kind)),
                       seats=quota.seats, selected=by_kind.get((quota.pa_kind, CandidacyStatus.SELECTED), 0),
                       waiting=by_kind.get((quota.pa_kind, CandidacyStatus.WAITING), 0)) for quota in call.quotas]
    return counts, quotas


def build(call: InterestCall, filters: Filters) -> Board:
    """The board of the call: the candidacies passing the filters, counts per status, quota usage per kind."""
    rows = list(db.session.execute(_candidacies(call, filters)).unique().scalars())
    counts, quotas = counts_of(call)
    return Board(call=call, filters=filters, rows=rows, counts=counts, quotas=quotas)


# ---- deciding ---------------------------------------------------------------------------------------------------

@refusal_rolls_back
def decide(candidacy: InterestCandidacy, actor, action: str, note: str = "") -> str:
    """One decision of the staff on a candidacy, under the call's lock (two staff selecting the last seat of a kind
    at once: the second is refused). Notifies the candidate organisation's referents. Returns the new status."""
    if action not in DECISIONS:
        raise CallsError(UNKNOWN_DECISION, field="action")
    note = (note or "").strip()
    if action == CandidacyAction.REJECT and not note:
        raise CallsError(REASON_REQUIRED, field="note")
    lock(candidacy.call)
    db.session.refresh(candidacy)  # its status as it is now that the call is ours
    target = move(candidacy, action, actor, CandidacyRole.STAFF, note)
    commit_and_email()
    return target


def decided_text(action: str, candidacy: InterestCandidacy) -> str:
    return _(DECIDED_TEXTS[CandidacyAction(action)], organization=candidacy.organization.name)


# ---- the staff's dashboard ---------------------------------------------------------------------------------------

def calls_to_examine(user) -> list[tuple[InterestCall, int, int]]:
    """The published calls the person manages (as staff of their programme; administrators: all) with candidacies
    to examine: (call, submitted, admissible), at most 10, oldest call first. Two queries."""
    from app import permissions
    from app.models import ProgrammeStaff

    if not permissions.is_member(user):
        return []
    counted = (select(InterestCandidacy.call_id,
                      func.count(InterestCandidacy.id).filter(
                          InterestCandidacy.status == CandidacyStatus.SUBMITTED).label("submitted"),
                      func.count(InterestCandidacy.id).filter(
                          InterestCandidacy.status == CandidacyStatus.ADMISSIBLE).label("admissible"))
               .where(InterestCandidacy.status.in_((CandidacyStatus.SUBMITTED, CandidacyStatus.ADMISSIBLE)))
               .group_by(InterestCandidacy.call_id).subquery())
    query = (select(InterestCall.id, counted.c.submitted, counted.c.admissible)
             .join(counted, counted.c.call_id == InterestCall.id)
             .where(InterestCall.phase == CallPhase.PUBLISHED)
             .order_by(InterestCall.closes_at, InterestCall.id).limit(10))
    if not permissions.is_admin(user):
        query = query.where(InterestCall.programme_id.in_(
            select(ProgrammeStaff.programme_id).where(ProgrammeStaff.user_id == user.id)))
    found = db.session.execute(query).all()
    if not found:
        return []
    calls = {call.id: call for call in db.session.execute(select(InterestCall).where(
        InterestCall.id.in_([row.id for row in found])).options(joinedload(InterestCall.programme))).scalars()}
    return [(calls[row.id], row.submitted, row.admissible) for row in found]


# ---- the CSV ----------------------------------------------------------------------------------------------------

CSV_TYPE = "text/csv; charset=utf-8"


def _moment(value) -> str:
    """A stored UTC moment as Europe/Rome local time, the way spreadsheets read it."""
    if value is None:
        return ""
    return value.replace(tzinfo=ZoneInfo("UTC")).astimezone(ROME).strftime("%Y-%m-%d %H:%M")


def csv_headers(call: InterestCall) -> list[str]:
    answers = [each.get("label") or each.get("key", "") for each in call.fields or []
               if each.get("kind") != "attachment"]
    return [_("Ente"), _("Tipo di ente"), _("Stato"), _("Inviata il"), _("Numero di protocollo"),
            _("Data di protocollo"), _("Documento firmato"), _("Indirizzo del documento firmato"),
            _("Motivo o nota dello staff"), _("Decisa il"), _("Gruppo di lavoro"), *answers]


def _answer(value) -> str | int | float | bool | None:
    if isinstance(value, list):
        return ", ".join(str(each) for each in value)
    return value


def csv_rows(board: Board, document_url) -> list[list]:
    """The table as Python values; `document_url(candidacy, document)` gives the signed document's address."""
    keys = [each.get("key", "") for each in board.call.fields or [] if each.get("kind") != "attachment"]
    table = []
    for candidacy in board.rows:
        signed = candidacy.signed_document
        group = "; ".join(
            " ".join(part for part in (contact.full_name, f"({contact.role})" if contact.role else "",
                                       f"<{contact.email}>" if contact.email else "") if part)
            for contact in candidacy.contacts)
        table.append([
            candidacy.organization.name, str(PA_KIND_LABELS.get(candidacy.pa_kind, candidacy.pa_kind or "")),
            str(CANDIDACY_STATUS_LABELS.get(candidacy.status, candidacy.status)), _moment(candidacy.submitted_at),
            candidacy.protocol_number,
            candidacy.protocol_date.isoformat() if candidacy.protocol_date else "",
            signed.original_name if signed else "", document_url(candidacy, signed) if signed else "",
            candidacy.reason, _moment(candidacy.decided_at), group,
            *[_answer((candidacy.answers or {}).get(key)) for key in keys]])
    return table


def to_csv(board: Board, document_url) -> bytes:
    """UTF-8 with a byte-order mark (spreadsheets then read accents right); every cell through safe_cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(each) for each in csv_headers(board.call)])
    for line in csv_rows(board, document_url):
        writer.writerow([safe_cell(each) for each in line])
    return buffer.getvalue().encode("utf-8-sig")


def csv_file_name(call: InterestCall) -> str:
    return f"candidature-{call.slug}.csv"
