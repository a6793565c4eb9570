"""The staff's board of a call's candidacies, their decisions and the CSV (issue 15). Thin routes: parse →
permission → service (app/calls/review.py) → page, fragment or redirect."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Response, abort, flash, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from app import permissions
from app.calls import access, bp, review
from app.calls import slots_review  # noqa: F401  (its dashboard box; app/calls/routes.py imports "slots" only)
from app.calls.core import CallsError
from app.calls.labels import CANDIDACY_ACTION_LABELS, CANDIDACY_STATUS_LABELS
from app.calls.workflow import CandidacyAction, CandidacyStatus
from app.extensions import db
from app.forms import FlaskForm
from app.models import PA_KIND_LABELS
from app.models.programme import REASON_MAX
from app.web import external_url, redirect_to, render_page, wants_fragment

STAFF_ONLY = _l("Esaminano le candidature lo staff del programma e chi amministra la piattaforma.")
BOARD_CHANGED = "calls-board-changed"  # the event that makes the board's counts and quotas reload


class DecideForm(FlaskForm):
    """One decision on a candidacy: the button pressed (action) and the note, required to reject."""

    action = StringField(validators=[Optional()])
    note = TextAreaField(_l("Motivo o nota"), validators=[Optional(), Length(max=REASON_MAX, message=_l(
        "Al massimo %(max)d caratteri."))],
        description=_l("Obbligatorio per dichiarare la candidatura non ammissibile: l'ente lo leggerà."))
    where = HiddenField()  # "board": the decision was taken from the board's row; otherwise the candidacy's page
    status = HiddenField()  # the board's filters, to go back to the same list
    kind = HiddenField()


@dataclass
class Decision:
    """What the decide box shows for one candidacy (None from `calls_decision` when the reader may not decide)."""

    candidacy: object
    actions: list
    form: DecideForm
    quota_full: bool
    why_none: str
    labels: dict


def _manages(call) -> bool:
    """can_manage_call, asked once per programme in a request (a board asks it for every row)."""
    known = g.setdefault("calls_manages", {})
    if call.programme_id not in known:
        known[call.programme_id] = access.can_manage_call(current_user, call)
    return known[call.programme_id]


@bp.app_template_global("calls_decision")
def calls_decision(candidacy, quotas=None):
    """The decide box's content for the reader, or None when the reader does not examine this call. `quotas`: the
    board's quota usage (saves a query per row)."""
    if candidacy is None or candidacy.status == CandidacyStatus.DRAFT or not _manages(candidacy.call):
        return None
    actions = review.decisions_for(candidacy)
    quota_full = False
    if CandidacyAction.SELECT in actions:
        use = next((each for each in quotas or review.counts_of(candidacy.call)[1]
                    if each.pa_kind == candidacy.pa_kind), None)
        quota_full = use is None or use.full
    why_none = ""
    if not actions:
        why_none = (_("Gli esiti dell'avviso sono pubblicati: la selezione non si può più cambiare.")
                    if candidacy.call.phase == "results" else
                    _("L'avviso non è pubblicato.") if candidacy.call.phase == "draft" else
                    _("Nessuna decisione da prendere in questo stato."))
    return Decision(candidacy=candidacy, actions=actions, form=DecideForm(formdata=None), quota_full=quota_full,
                    why_none=why_none, labels=CANDIDACY_ACTION_LABELS)


def _context() -> dict:
    return dict(status_labels=CANDIDACY_STATUS_LABELS, action_labels=CANDIDACY_ACTION_LABELS,
                kind_labels=PA_KIND_LABELS, badges=review.STATUS_BADGES)


def _staff_call(slug: str):
    call = review.call_or_404(slug)
    permissions.require(access.can_manage_call(current_user, call), STAFF_ONLY)
    return call


@bp.route("/calls/<slug>/candidacies", endpoint="board")
@login_required
def board(slug: str):
    """The call's candidacies for its staff: filters by status and kind (htmx swaps the list), counts, quotas."""
    call = _staff_call(slug)
    data = review.build(call, review.parse_filters(request.args, call))
    return render_page("calls/board.html", block="board_list", call=call, board=data, **_context())


@bp.route("/calls/<slug>/candidacies.csv", endpoint="board_csv")
@login_required
def board_csv(slug: str):
    """The board as CSV (the same filters), one row per candidacy."""
    call = _staff_call(slug)
    data = review.build(call, review.parse_filters(request.args, call))
    body = review.to_csv(data, lambda candidacy, document: external_url(
        "calls.candidacy_document", candidacy_id=candidacy.id, document_id=document.id))
    response = Response(body, content_type=review.CSV_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{review.csv_file_name(call)}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _filters_of(call, form: DecideForm) -> review.Filters:
    """The board's filters the decision was taken under (sent back as hidden fields)."""
    return review.parse_filters({"status": form.status.data, "kind": form.kind.data}, call)


def _row(candidacy, form: DecideForm, status: int = 200, **context):
    """The board's row of the candidacy alone (htmx swaps it), with the counts it needs."""
    call = candidacy.call
    counts, quotas = review.counts_of(call)
    data = review.Board(call=call, filters=_filters_of(call, form), rows=[candidacy], counts=counts, quotas=quotas)
    return render_page("calls/board.html", block="row", status=status, call=call, board=data, candidacy=candidacy,
                       decide_for=candidacy.id, **context, **_context())


def _answer_refusal(candidacy, form: DecideForm, message: str | None):
    """The refusal at the row (board), in the decide box (candidacy page), or on the board page (no htmx)."""
    db.session.rollback()
    candidacy = review.candidacy_or_404(candidacy.id)
    context = dict(decide_form=form, decide_error=message)
    if wants_fragment() and form.where.data == "board":
        return _row(candidacy, form, status=422, **context)
    if wants_fragment():
        return render_template("calls/_decide.html", candidacy=candidacy, decide_where="page",
                               decide_for=candidacy.id, **context, **_context()), 422
    call = candidacy.call
    data = review.build(call, _filters_of(call, form))
    if all(row.id != candidacy.id for row in data.rows):  # filtered out: the unfiltered board shows it
        data = review.build(call, review.Filters())
    return render_page("calls/board.html", status=422, call=call, board=data, decide_for=candidacy.id,
                       **context, **_context())


@bp.route("/candidacies/<int:candidacy_id>/decide", methods=["POST"], endpoint="decide")
@login_required
def decide(candidacy_id: int):
    """A decision of the staff: admit, reject (with the reason), select within the quota, waiting list, not select."""
    candidacy = review.candidacy_or_404(candidacy_id)
    permissions.require(access.can_manage_call(current_user, candidacy.call), STAFF_ONLY)
    form = DecideForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        return _answer_refusal(candidacy, form, None)
    action = form.action.data or ""
    try:
        review.decide(candidacy, current_user, action, form.note.data)
    except CallsError as error:
        message = _(error.message, **error.params)
        if error.field == "note":
            form.note.errors = [*form.note.errors, message]
            message = None
        return _answer_refusal(candidacy, form, message)
    candidacy = review.candidacy_or_404(candidacy_id)
    done = review.decided_text(action, candidacy)
    if wants_fragment() and form.where.data == "board":
        body, status = _row(candidacy, form, decide_message=done)
        return Response(body, status=status, headers={"HX-Trigger": BOARD_CHANGED})
    flash(done, "success")
    if form.where.data == "board":
        return redirect_to(url_for("calls.board", slug=candidacy.call.slug,
                                   **_filters_of(candidacy.call, form).args()))
    return redirect_to(url_for("calls.candidacy", candidacy_id=candidacy.id))
