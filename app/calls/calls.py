"""Services of the calls for expression of interest (issue 15): create and edit a call (window, seats per eligible
organisation kind, the candidacy form's fields), move it through its phases (publish, publish the results, back to
draft), and what its page shows (quota usage, the selected administrations). One transaction per operation;
refusals raise CallsError and leave nothing half-applied."""
from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import url_for
from flask_babel import lazy_gettext as _l
from slugify import slugify
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app import permissions
from app.calls import access
from app.calls.core import (CallsError, N_, candidate_people, commit_and_email, lock, notify_people, now,
                            refusal_rolls_back)
from app.calls.workflow import (CALL_DENIED, CALL_TRANSITIONS, NO_WINDOW, UNDECIDED, CallAction, CallFacts,
                                CallPhase, CallRole, CandidacyStatus, call_transition, window_state)
from app.extensions import db
from app.models import CallQuota, InterestCall, InterestCandidacy, Organization, PA_KIND_LABELS, Programme
from app.models.base import utcnow

ROME = ZoneInfo("Europe/Rome")

CALL_ACTION_LABELS = {
    CallAction.PUBLISH: _l("Pubblica l'avviso"),
    CallAction.PUBLISH_RESULTS: _l("Pubblica gli esiti"),
    CallAction.BACK_TO_DRAFT: _l("Riporta in bozza"),
}
CALL_ACTION_DONE = {
    CallAction.PUBLISH: _l("Avviso pubblicato."),
    CallAction.PUBLISH_RESULTS: _l("Esiti pubblicati: gli enti candidati ricevono un avviso."),
    CallAction.BACK_TO_DRAFT: _l("L'avviso è tornato in bozza."),
}
# Whose organisation hears that the results are out: every candidacy the selection decided on.
RESULT_STATUSES = (CandidacyStatus.SELECTED, CandidacyStatus.WAITING, CandidacyStatus.NOT_SELECTED)

FIELD_LOCKED = N_("Ci sono già candidature inviate con questo campo: non si può togliere né cambiarne il tipo.")
FIELD_REMOVED = N_("Il campo «%(label)s» non si può togliere: ci sono già candidature inviate che lo usano.")
KIND_IN_USE = N_("Ci sono candidature di enti di questo tipo: resta ammesso (potete cambiare i posti).")
SEATS_BELOW_SELECTED = N_("Sono già selezionati %(count)s enti di questo tipo: i posti non possono essere meno.")
RESULTS_FROZEN = N_("Gli esiti sono pubblicati: date e posti dell'avviso non si cambiano più.")
DUPLICATE_KEY = N_("Un altro campo ha già il codice «%(key)s» (nasce dall'etichetta): cambiate l'etichetta.")
TWIN = N_("Un avviso con lo stesso titolo è stato appena creato: inviate di nuovo il modulo.")


# ---- reading ----------------------------------------------------------------------------------------------------

def call_or_none(slug: str) -> InterestCall | None:
    return db.session.scalar(select(InterestCall).options(joinedload(InterestCall.programme))
                             .where(InterestCall.slug == slug))


def programme_or_none(slug: str) -> Programme | None:
    return db.session.scalar(select(Programme).where(Programme.slug == slug))


def call_roles(user, call: InterestCall) -> set[CallRole]:
    roles = set()
    if permissions.is_admin(user):
        roles.add(CallRole.ADMIN)
    if access.is_programme_staff(user, call.programme):
        roles.add(CallRole.STAFF)
    return roles


def available_actions(user, call: InterestCall) -> list[CallAction]:
    """The phase moves the reader may try from the call's phase (the service checks the facts again)."""
    roles = call_roles(user, call)
    return [action for (phase, action), (_to, allowed) in CALL_TRANSITIONS.items()
            if phase == call.phase and roles & allowed]


def to_utc(local: datetime | None) -> datetime | None:
    """A naive Europe/Rome moment as the naive UTC moment stored (the hour skipped in March reads as summer time)."""
    if local is None:
        return None
    return local.replace(tzinfo=ROME).astimezone(UTC).replace(tzinfo=None)


def to_rome(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.replace(tzinfo=UTC).astimezone(ROME).replace(tzinfo=None)


def window_of(call: InterestCall) -> str:
    return window_state(call.opens_at, call.closes_at, now())


def submitted_count(call: InterestCall) -> int:
    """Candidacies ever submitted (whatever happened to them since)."""
    return db.session.scalar(select(func.count(InterestCandidacy.id)).where(
        InterestCandidacy.call_id == call.id, InterestCandidacy.submitted_at.is_not(None))) or 0


def locked_keys(call: InterestCall) -> frozenset[str]:
    """The fields submitted candidacies already answer: they stay, with their kind."""
    if not call.fields or call.id is None or not submitted_count(call):
        return frozenset()
    return frozenset(each["key"] for each in call.fields)


def status_counts(call: InterestCall) -> dict[tuple[str | None, str], int]:
    """(PA kind, status) → candidacies, in one grouped query."""
    rows = db.session.execute(select(InterestCandidacy.pa_kind, InterestCandidacy.status,
                                     func.count(InterestCandidacy.id))
                              .where(InterestCandidacy.call_id == call.id)
                              .group_by(InterestCandidacy.pa_kind, InterestCandidacy.status)).all()
    return {(kind, status): count for kind, status, count in rows}


def quota_rows(call: InterestCall, counts: dict) -> list[dict]:
    """Each eligible kind with its seats, selected and waiting candidacies, in the order of PA_KIND_LABELS."""
    order = list(PA_KIND_LABELS)
    quotas = sorted(call.quotas, key=lambda q: order.index(q.pa_kind) if q.pa_kind in order else len(order))
    return [{"kind": quota.pa_kind, "label": PA_KIND_LABELS.get(quota.pa_kind, quota.pa_kind), "seats": quota.seats,
             "selected": counts.get((quota.pa_kind, CandidacyStatus.SELECTED), 0),
             "waiting": counts.get((quota.pa_kind, CandidacyStatus.WAITING), 0)} for quota in quotas]


def selected_by_kind(call: InterestCall) -> dict[str, list[Organization]]:
    """The selected administrations of each kind, by name (one query)."""
    rows = db.session.execute(select(InterestCandidacy.pa_kind, Organization)
                              .join(Organization, Organization.id == InterestCandidacy.organization_id)
                              .where(InterestCandidacy.call_id == call.id,
                                     InterestCandidacy.status == CandidacyStatus.SELECTED)
                              .order_by(Organization.sort_name, Organization.id)).all()
    found: dict[str, list[Organization]] = {}
    for kind, organization in rows:
        found.setdefault(kind, []).append(organization)
    return found


# ---- writing ----------------------------------------------------------------------------------------------------

def unique_slug(title: str) -> str:
    base = slugify(title, max_length=100) or "avviso"
    slug, number = base, 2
    while db.session.execute(select(InterestCall.id).where(InterestCall.slug == slug)).first() is not None:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _check_fields(call: InterestCall, fields: list[dict]) -> None:
    """Once a candidacy was submitted, its fields stay and keep their kind (its answers are read by them)."""
    keys = [each["key"] for each in fields]
    for position, key in enumerate(keys):
        if not key or key in keys[:position]:
            raise CallsError(DUPLICATE_KEY, field=f"fields-{position}-label", key=key)
    locked = locked_keys(call)
    if not locked:
        return
    stored = {each["key"]: each for each in call.fields}
    for key in locked:
        if key not in keys:
            raise CallsError(FIELD_REMOVED, label=stored[key].get("label", key))
    for position, each in enumerate(fields):
        if each["key"] in locked and each["kind"] != stored[each["key"]].get("kind"):
            raise CallsError(FIELD_LOCKED, field=f"fields-{position}-kind")


def _apply_quotas(call: InterestCall, quotas: dict[str, int]) -> None:
    """Seats per kind: a kind that has candidacies stays eligible, and never gets fewer seats than it selected."""
    counts = status_counts(call) if call.id is not None else {}
    for quota in list(call.quotas):
        seats = quotas.get(quota.pa_kind)
        in_use = sum(count for (kind, _status), count in counts.items() if kind == quota.pa_kind)
        if seats is None and in_use:
            raise CallsError(KIND_IN_USE, field=f"seats_{quota.pa_kind}")
        selected = counts.get((quota.pa_kind, CandidacyStatus.SELECTED), 0)
        if seats is not None and seats < selected:
            raise CallsError(SEATS_BELOW_SELECTED, field=f"seats_{quota.pa_kind}", count=selected)
        if seats is None:
            call.quotas.remove(quota)
        else:
            quota.seats = seats
    have = {quota.pa_kind for quota in call.quotas}
    for kind, seats in quotas.items():
        if kind not in have:
            call.quotas.append(CallQuota(pa_kind=kind, seats=seats))


def _window(values: dict) -> tuple[datetime | None, datetime | None]:
    try:
        return to_utc(values.get("opens_local")), to_utc(values.get("closes_local"))
    except (OverflowError, ValueError) as wrong:
        raise CallsError(N_("Indicate una data tra il 2000 e il 2100."), field="opens_on") from wrong


@refusal_rolls_back
def create_call(programme: Programme, actor, values: dict) -> InterestCall:
    """A new call of the programme, in draft (the programme's staff, administrators)."""
    if not access.can_manage_programme(actor, programme):
        raise CallsError(CALL_DENIED)
    opens_at, closes_at = _window(values)
    call = InterestCall(programme_id=programme.id, programme=programme, slug=unique_slug(values["title"]),
                        title=values["title"], description=values["description"], phase=CallPhase.DRAFT,
                        opens_at=opens_at, closes_at=closes_at, fields=[], created_by_id=actor.id)
    _check_fields(call, values["fields"])
    call.fields = list(values["fields"])
    _apply_quotas(call, values["quotas"])
    db.session.add(call)
    try:
        db.session.flush()
    except IntegrityError as twin:  # the same title created at the same moment
        raise CallsError(TWIN, field="title") from twin
    commit_and_email()
    return call


@refusal_rolls_back
def update_call(call: InterestCall, actor, values: dict) -> list[str]:
    """Change a call's settings (its programme's staff, administrators); checked against its candidacies under a
    lock on the call, since a candidacy may be submitted meanwhile. Returns what changed."""
    if not access.can_manage_call(actor, call):
        raise CallsError(CALL_DENIED)
    lock(call)
    opens_at, closes_at = _window(values)
    if call.phase != CallPhase.DRAFT and (opens_at is None or closes_at is None):
        raise CallsError(NO_WINDOW, field="opens_on")
    old_quotas = {quota.pa_kind: quota.seats for quota in call.quotas}
    if call.phase == CallPhase.RESULTS and (old_quotas != values["quotas"] or (opens_at, closes_at) != (
            call.opens_at, call.closes_at)):
        raise CallsError(RESULTS_FROZEN, field="opens_on")
    _check_fields(call, values["fields"])
    wanted = {"title": values["title"], "description": values["description"], "opens_at": opens_at,
              "closes_at": closes_at, "fields": list(values["fields"])}
    changed = [key for key, value in wanted.items() if getattr(call, key) != value]
    for key in changed:
        setattr(call, key, wanted[key])
    if old_quotas != values["quotas"]:
        _apply_quotas(call, values["quotas"])
        changed.append("quotas")
    if changed:
        call.updated_at = utcnow()
    commit_and_email()
    return changed


def _facts(call: InterestCall) -> CallFacts:
    counts = status_counts(call)
    seats = db.session.scalar(select(func.count(CallQuota.id)).where(CallQuota.call_id == call.id,
                                                                    CallQuota.seats > 0)) or 0
    return CallFacts(has_quotas=seats > 0,
                     has_window=call.opens_at is not None and call.closes_at is not None,
                     window_closed=window_of(call) == "closed",
                     undecided_candidacies=sum(count for (_kind, status), count in counts.items()
                                               if status in UNDECIDED),
                     submitted_candidacies=submitted_count(call))


@refusal_rolls_back
def change_phase(call: InterestCall, action: str, actor) -> str:
    """Move the call one step (workflow.call_transition, its facts read under the lock on the call)."""
    lock(call)  # reads the call again: its phase as it is now, not as the page read it
    after = call_transition(call.phase, action, call_roles(actor, call), _facts(call))
    moment = utcnow()
    if action == CallAction.PUBLISH:
        call.published_at = moment
    elif action == CallAction.BACK_TO_DRAFT:
        call.published_at = None
    elif action == CallAction.PUBLISH_RESULTS:
        call.results_published_at = moment
    call.phase = after
    call.updated_at = moment
    db.session.flush()
    if action == CallAction.PUBLISH_RESULTS:
        _tell_results(call, actor)
    commit_and_email()
    return after


def _tell_results(call: InterestCall, actor) -> None:
    """The referents of every organisation the selection decided on hear that the results are public."""
    candidacies = db.session.scalars(select(InterestCandidacy).options(joinedload(InterestCandidacy.organization))
                                     .where(InterestCandidacy.call_id == call.id,
                                            InterestCandidacy.status.in_(RESULT_STATUSES))
                                     .order_by(InterestCandidacy.id)).all()
    people = [person for candidacy in candidacies for person in candidate_people(candidacy)]
    notify_people(people, "calls.results_published", actor, url_for("calls.call", slug=call.slug),
                  call=call.title)
