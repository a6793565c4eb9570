"""Moderation routes (issue 12, point 7): report a post, the facilitators' review queue and its decisions, and the
queue's link in the community home's side column. Thin: parse → permission → service → render."""
from __future__ import annotations

from flask import abort, flash, get_template_attribute, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from app import permissions
from app.communities.routes import community_or_404
from app.confirmation import confirmation_page, confirmed
from app.extensions import limiter
from app.forms import FlaskForm
from app.hooks import contribute
from app.models.qa import REPORT_REASON_LABELS
from app.qa import bp, moderation
from app.qa import review_queue as queue_reading
from app.qa.queries import question_or_404
from app.qa.services import QaError
from app.qa.workflow import ReviewAction, Visibility
from app.web import redirect_to, render_page, wants_fragment

ID_MAX = 2**31 - 1


class ReportForm(FlaskForm):
    kind = HiddenField()
    id = HiddenField()
    reason = RadioField(_l("Perché segnali questo contenuto?"),
                        choices=[(reason.value, label) for reason, label in REPORT_REASON_LABELS.items()],
                        validate_choice=False,
                        validators=[DataRequired(message=_l("Scegli il motivo della segnalazione.")),
                                    AnyOf([reason.value for reason in REPORT_REASON_LABELS],
                                          message=_l("Scegli il motivo della segnalazione."))])
    note = TextAreaField(_l("Nota per chi anima la comunità (facoltativa)"), validators=[
        Optional(), Length(max=moderation.NOTE_MAX, message=_l("La nota può avere al massimo 1000 caratteri."))])


class ReviewForm(FlaskForm):
    action = SelectField(choices=[(action.value, action.value) for action in ReviewAction], validate_choice=False,
                         validators=[DataRequired(message=_l("Scegli che cosa fare di questo contenuto.")),
                                     AnyOf([action.value for action in ReviewAction],
                                           message=_l("Scegli che cosa fare di questo contenuto."))])
    note = StringField(_l("Nota per lo storico (facoltativa)"), validators=[
        Optional(), Length(max=moderation.NOTE_MAX, message=_l("La nota può avere al massimo 1000 caratteri."))])


def _current_user_key() -> str:
    return f"user:{current_user.get_id()}" if current_user.is_authenticated else request.remote_addr or ""


def _target_or_404(kind: str | None, raw_id: str | None):
    """The reported post, its question and the reader's membership; what the reader may not see is a 404."""
    if kind not in moderation.KINDS or not raw_id or not raw_id.isascii() or not raw_id.isdigit() \
            or int(raw_id) > ID_MAX:
        abort(404)
    post, question = moderation.load_post(kind, int(raw_id))
    if post is None:
        abort(404)
    question, membership = question_or_404(question.id)
    if not _may_read(post, membership, question) or (
            post is not question and not _may_read(question, membership, question)):
        abort(404)  # a hidden post, or a post of a hidden question: only its author and the moderators read it
    return post, question, membership


def _may_read(post, membership, question) -> bool:
    """Whether the reader sees this post's text (the question page's rule: a hidden post is a placeholder for all
    but its author and the moderators; a deleted one is shown to moderators only)."""
    if post.visibility == Visibility.VISIBLE:
        return True
    if permissions.can_moderate_qa(current_user, question.community, membership):
        return True
    return (post.visibility == Visibility.HIDDEN and current_user.is_authenticated
            and post.author_id == current_user.id)


def _excerpt(kind: str, post) -> str:
    text = post.title if kind == "question" else post.body
    return text if len(text) <= 300 else text[:300].rstrip() + "…"


def _back_url(kind: str, post, question) -> str:
    """The question page, at the post (the question page's anchors: answer-<id>, comment-<id>)."""
    if kind == "question":
        return moderation.question_url(question)
    return url_for("qa.question", question_id=question.id, _anchor=f"{kind}-{post.id}")


@bp.route("/questions/report", methods=["GET", "POST"])
@login_required
@limiter.limit("30 per hour", methods=["POST"], key_func=_current_user_key)
def report():
    """Report a question, an answer or a comment. htmx swaps the report control with the result; without
    JavaScript the form posts here and the person goes back to the question (or sees this page with the error)."""
    source = request.form if request.method == "POST" else request.args
    kind = source.get("kind")
    post, question, membership = _target_or_404(kind, source.get("id"))
    refusal = moderation.why_not_report(current_user, post, question, membership)
    permissions.require(refusal is None, _(refusal) if refusal else None)
    if request.method == "GET":
        form = ReportForm(formdata=None, data={"kind": kind, "id": post.id})
        return _report_page(kind, post, question, membership, form)
    form = ReportForm()
    if not form.validate_on_submit():
        return _report_page(kind, post, question, membership, form, status=422)
    try:
        outcome = moderation.report(current_user, post, question, membership, reason=form.reason.data,
                                    note=form.note.data or "")
    except QaError as error:
        if error.field in ("reason", "note"):
            getattr(form, error.field).errors = [*getattr(form, error.field).errors, _(error.message)]
            return _report_page(kind, post, question, membership, form, status=422)
        return _report_page(kind, post, question, membership, form, status=422, message=_(error.message))
    if wants_fragment():
        return render_page("qa/report.html", block="report_result", kind=kind, post=post, question=question,
                           hidden=outcome.hidden)
    if outcome.hidden:
        flash(_("Segnalazione inviata: il contenuto è nascosto in attesa di verifica."), "success")
    else:
        flash(_("Segnalazione inviata: chi anima la comunità la esaminerà."), "success")
    return redirect_to(_back_url(kind, post, question))


def _report_page(kind, post, question, membership, form, status: int = 200, message: str | None = None):
    return render_page("qa/report.html", block="report_form", status=status, kind=kind, post=post,
                       question=question, membership=membership, form=form, message=message,
                       may_report=permissions.can_report(current_user, post, question, membership),
                       excerpt=_excerpt(kind, post), back_url=_back_url(kind, post, question))


# ---- the review queue ------------------------------------------------------------------------------------------

def _require_moderator(community, membership) -> None:
    permissions.require(permissions.can_moderate_qa(current_user, community, membership),
                        _("Le segnalazioni sono esaminate da chi anima la comunità."))


def _event_labels() -> dict[str, str]:
    return {action: _(label) for action, label in moderation.EVENT_LABELS.items()}


def _queue_page(community, membership, status: int = 200):
    return render_page("qa/review_queue.html", block="queue", status=status, community=community,
                       membership=membership, queue=queue_reading.queue(community), event_labels=_event_labels())


@bp.route("/communities/<slug>/questions/review")
@login_required
def review_queue(slug: str):
    """Items of the community waiting for a decision, and reported items still visible (moderators only)."""
    community, membership = community_or_404(slug)
    _require_moderator(community, membership)
    return _queue_page(community, membership)


DONE = {
    ReviewAction.RESTORE: _l("Contenuto ripristinato: è di nuovo visibile e chi l'ha scritto è stato avvisato."),
    ReviewAction.KEEP_HIDDEN: _l("Il contenuto resta nascosto."),
    ReviewAction.DELETE: _l("Contenuto eliminato: chi l'ha scritto è stato avvisato."),
    ReviewAction.DISMISS: _l("Segnalazioni archiviate: il contenuto resta visibile."),
}


@bp.route("/communities/<slug>/questions/review/<kind>/<int:post_id>", methods=["POST"])
@login_required
def review(slug: str, kind: str, post_id: int):
    """A moderator's decision on one post: restore, keep hidden (or hide a visible one), delete (asked first)."""
    community, membership = community_or_404(slug)
    _require_moderator(community, membership)
    post, question = moderation.load_post(kind, post_id)
    if post is None or question.community_id != community.id:
        abort(404)
    form = ReviewForm()
    status = 200
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "danger")
        status = 422
    else:
        action = ReviewAction(form.action.data)
        if action == ReviewAction.DELETE and not confirmed():
            return confirmation_page(_("Eliminare questo contenuto?"), _("Sì, elimina"),
                                     url_for("qa.review_queue", slug=community.slug),
                                     _("Chi l'ha scritto sarà avvisato e non potrà più modificarlo."))
        was_visible = post.visibility == "visible"
        try:
            moderation.review(current_user, post, question, membership, action, note=form.note.data or "")
        except QaError as error:
            flash(_(error.message), "danger")
            status = 422
        else:
            if action == ReviewAction.KEEP_HIDDEN and was_visible:
                flash(_("Contenuto nascosto: chi l'ha scritto è stato avvisato."), "success")
            else:
                flash(str(DONE[action]), "success")
    if wants_fragment():
        return _queue_page(community, membership, status=status)
    return redirect_to(url_for("qa.review_queue", slug=community.slug))


# ---- the community home's side column --------------------------------------------------------------------------

@contribute("community.aside")
def review_queue_aside(community, membership):
    """For the community's moderators: the link to the review queue with the pending count."""
    if not permissions.can_moderate_qa(current_user, community, membership):
        return None
    link = get_template_attribute("qa/_moderation_macros.html", "review_queue_link")
    return Markup(link(community, queue_reading.pending_count(community)))
