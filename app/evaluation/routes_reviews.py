"""Reviews (issue 13, points 2, 7, 8): the scoring form of an assignment with its live weighted total, and the
candidacy's reviews page (independent first: others' reviews only once one's own is in). Thin routes: parse →
permission → service (app/evaluation/reviews.py) → the page or its named block (htmx)."""
from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import permissions
from app.evaluation import access, aggregates, bp, queries, reviews
from app.evaluation.core import EvaluationError
from app.evaluation.forms_review import CONFIDENCE_LABELS, build_review_form
from app.evaluation.workflow import AssignmentStatus
from app.extensions import db, limiter
from app.models import Assignment, User
from app.models.evaluation import ASSIGNMENT_STATUS_LABELS
from app.web import redirect_to, render_page

TEMPLATE = "evaluation/review.html"

review_limit = limiter.shared_limit("300 per hour", scope="evaluation-review",
                                    key_func=lambda: f"user:{current_user.get_id()}", methods=["POST"])


def assignment_or_404(assignment_id: int) -> Assignment:
    """The assignment, if the reader may see its candidacy. Its own reviewer, not yet attested, gets a 403 saying
    so; a conflicted one a 404 (the candidacy does not exist for them)."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        abort(404)
    if assignment.user_id == current_user.id and not access.is_conflicted(current_user, assignment.candidacy):
        member = access.membership_of(current_user, assignment.candidacy.call)
        permissions.require(member is None or member.attested_at is not None, _(
            "Prima di valutare, firma la dichiarazione di assenza di conflitti e di riservatezza."))
    queries.candidacy_or_404(assignment.candidacy_id)
    return assignment


def page_context(assignment, form=None, **extra) -> dict:
    candidacy = assignment.candidacy
    call = candidacy.call
    review = reviews.review_of(assignment)
    reason = reviews.refusal(current_user, assignment)
    criteria = list(call.criteria)
    if form is None:
        form = build_review_form(criteria, review, formdata=False)
    live = reviews.total_of(criteria, form.entries())
    changes = reviews.history([review.id]).get(review.id, []) if review is not None and review.id else []
    return dict(assignment=assignment, candidacy=candidacy, call=call, criteria=criteria, review=review,
                form=form, reason=reason, editable=reason is None, live_total=live, changes=changes,
                people=_people(changes), show_names=access.shows_candidate_names(current_user, candidacy),
                confidence_labels=CONFIDENCE_LABELS, status_labels=ASSIGNMENT_STATUS_LABELS,
                may_view_reviews=access.can_view_reviews(current_user, candidacy), **extra)


def _people(changes) -> dict:
    ids = {each.changed_by_id for each in changes if each.changed_by_id}
    if not ids:
        return {}
    return {each.id: each for each in db.session.execute(select(User).where(User.id.in_(ids))).scalars()}


@bp.route("/assignments/<int:assignment_id>/review", methods=["GET", "POST"])
@login_required
@review_limit
def review(assignment_id: int):
    """The scoring form of an assignment (its reviewer), or the review read-only once it cannot change."""
    assignment = assignment_or_404(assignment_id)
    permissions.require(assignment.user_id == current_user.id or access.can_view_reviews(
        current_user, assignment.candidacy), _("Questa valutazione è di chi ne ha ricevuto l'incarico."))
    if request.method == "GET":
        return render_page(TEMPLATE, block="review_form", **page_context(assignment))
    reason = reviews.refusal(current_user, assignment)
    permissions.require(reason is None, _(reason) if reason else None)
    criteria = list(assignment.candidacy.call.criteria)
    form = build_review_form(criteria)
    valid = form.validate_on_submit()
    if "csrf_token" in form.errors:
        abort(400)
    submit = request.form.get("action") == "submit"
    editing = assignment.status == AssignmentStatus.SUBMITTED
    for name, (message, params) in reviews.check_entries(criteria, form.entries(), submit or editing).items():
        form.add_error(name, _(message, **params))
    confidence = form.confidence_value()
    if confidence == "bad" or ((submit or editing) and confidence is None):
        form.add_error("confidence", _(reviews.CONFIDENCE_MISSING))
    if valid and not any(f.errors for f in form) and not form.form_errors:
        try:
            reviews.save(current_user, assignment, form.entries(), confidence, form.comment.data or "", submit)
        except EvaluationError as error:
            form.add_error(error.field or "", _(error.message, **error.params))
        else:
            if editing:
                flash(_("Modifiche salvate: restano nello storico della valutazione."), "success")
                return redirect_to(url_for("evaluation.review", assignment_id=assignment.id))
            if submit:
                flash(_("Valutazione inviata. Ora puoi leggere quelle delle altre persone della commissione."),
                      "success")
                return redirect_to(url_for("evaluation.reviews", candidacy_id=assignment.candidacy_id))
            flash(_("Bozza salvata: la puoi completare e inviare più tardi."), "success")
            return redirect_to(url_for("evaluation.review", assignment_id=assignment.id))
    db.session.rollback()
    return render_page(TEMPLATE, block="review_form", status=422, **page_context(
        db.session.get(Assignment, assignment_id), form=form,
        message=_("La valutazione non è stata salvata: correggi quanto segnalato.")))


@bp.route("/assignments/<int:assignment_id>/total", methods=["POST"])
@login_required
@review_limit
def review_total(assignment_id: int):
    """The weighted total of the scores being chosen (htmx, on every change of the form): nothing is saved."""
    assignment = assignment_or_404(assignment_id)
    reason = reviews.refusal(current_user, assignment)
    permissions.require(reason is None, _(reason) if reason else None)
    criteria = list(assignment.candidacy.call.criteria)
    form = build_review_form(criteria)
    form.validate_on_submit()
    if "csrf_token" in form.errors:
        abort(400)
    return render_page(TEMPLATE, block="review_total", **page_context(assignment, form=form))


@bp.route("/candidacies/<int:candidacy_id>/reviews", endpoint="reviews")
@login_required
def reviews_page(candidacy_id: int):
    """The candidacy's submitted reviews and their aggregates, for who may see them."""
    candidacy = queries.candidacy_or_404(candidacy_id)
    if not access.can_view_reviews(current_user, candidacy):
        own = access.assignment_of(current_user, candidacy)
        if own is not None and own.status == AssignmentStatus.ASSIGNED:
            permissions.require(False, _("Le valutazioni delle altre persone della commissione si leggono dopo "
                                          "aver inviato la propria: il giudizio resta indipendente."))
        permissions.require(False, _("Le valutazioni sono riservate alla commissione di questo avviso."))
    found = reviews.submitted_reviews(candidacy)
    changes = reviews.history([each.id for each in found])
    call = candidacy.call
    criteria = list(call.criteria)
    stats = aggregates.summarise(each.total for each in found)
    criterion_stats = {c.id: aggregates.summarise(
        (row.score for each in found for row in each.scores if row.criterion_id == c.id)) for c in criteria}
    own = access.assignment_of(current_user, candidacy)
    return render_page("evaluation/reviews.html", block="reviews", candidacy=candidacy, call=call,
                       criteria=criteria, found=found, changes=changes,
                       people=_people([c for each in changes.values() for c in each]), stats=stats,
                       criterion_stats=criterion_stats, submitted=len(found),
                       expected=reviews.expected_reviews(candidacy),
                       disagreement=aggregates.disagreement(stats, call.disagreement_threshold), own=own,
                       show_names=access.shows_candidate_names(current_user, candidacy),
                       confidence_labels=CONFIDENCE_LABELS,
                       runs_call=access.can_run_call(current_user, call))

