"""Moves on a question and reactions: accept / unaccept, close / reopen, pin, votes, follow levels. Each POST
re-renders the part of the question page it changed (htmx) or goes back to the page (303)."""
from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from app import permissions
from app.extensions import db
from app.models import Answer, Community, Practice
from app.models.qa import FollowLevel
from app.qa import actions, bp
from app.qa.forms import CloseForm, FollowForm, FollowListForm
from app.qa.page import back_to, may_follow_question, may_read_posts, questions_url, refuse_at, render_question
from app.qa.queries import question_or_404
from app.qa.routes_posting import action_limit
from app.qa.services import QaError
from app.qa.workflow import DENIED, N_, QaWorkflowError, QuestionAction, allowed_roles
from app.web import EmptyForm, redirect_to, render_page, safe_next_url, wants_fragment


def _button_form() -> None:
    """A button-only POST carries its CSRF token (else 400)."""
    if not EmptyForm().validate_on_submit():
        abort(400)


def _require_role(question, membership, action: QuestionAction) -> None:
    roles = permissions.qa_roles(current_user, question, membership)
    permissions.require(bool(roles & allowed_roles(action)), _(DENIED[action]))


def _refused(question_id: int, key: str, error, block: str, **extra):
    """A refused move: nothing changed; the message next to the control (422), or on the page without htmx."""
    db.session.rollback()
    message = _(getattr(error, "message", None) or str(error))
    found, membership = question_or_404(question_id)
    if block == "answers" and not may_read_posts(found, membership):
        permissions.require(False, message)  # a hidden question's answers are not sent back with the refusal
    return render_question(found, membership, block=block if wants_fragment() else None, status=422,
                           errors={key: message}, message=message, **extra)


# ---- accept ---------------------------------------------------------------------------------------------------

@bp.route("/questions/<int:question_id>/answers/<int:answer_id>/accept", methods=["POST"])
@login_required
@action_limit
def accept(question_id: int, answer_id: int):
    found, membership = question_or_404(question_id)
    chosen = db.session.get(Answer, answer_id)
    if chosen is None or chosen.question_id != found.id:
        abort(404)
    _require_role(found, membership, QuestionAction.ACCEPT)
    _button_form()
    try:
        actions.accept(current_user, found, chosen, membership)
    except (QaError, QaWorkflowError) as error:
        return _refused(question_id, f"accept:{answer_id}", error, "answers")
    message = _("Risposta accettata: la domanda è risolta.")
    if not wants_fragment():
        return back_to(found, f"answer-{answer_id}", message)
    found, membership = question_or_404(question_id)
    return render_question(found, membership, block="answers", message=message, state_oob=True)


@bp.route("/questions/<int:question_id>/unaccept", methods=["POST"])
@login_required
@action_limit
def unaccept(question_id: int):
    found, membership = question_or_404(question_id)
    _require_role(found, membership, QuestionAction.UNACCEPT)
    _button_form()
    previous = found.accepted_answer_id
    try:
        actions.unaccept(current_user, found, membership)
    except (QaError, QaWorkflowError) as error:
        return _refused(question_id, f"accept:{previous}", error, "answers")
    message = _("Accettazione annullata: la domanda è di nuovo aperta.")
    if not wants_fragment():
        return back_to(found, f"answer-{previous}" if previous else "answers", message)
    found, membership = question_or_404(question_id)
    return render_question(found, membership, block="answers", message=message, state_oob=True)


# ---- close, reopen, pin -------------------------------------------------------------------------------------------

@bp.route("/questions/<int:question_id>/close", methods=["POST"])
@login_required
@action_limit
def close(question_id: int):
    found, membership = question_or_404(question_id)
    _require_role(found, membership, QuestionAction.CLOSE)
    form = CloseForm(prefix="close")
    if form.validate_on_submit():
        try:
            actions.close(current_user, found, membership, reason=form.reason.data,
                          duplicate_of_id=form.duplicate_of_id, note=form.note.data or "")
        except (QaError, QaWorkflowError) as error:
            refuse_at(form, error)
        else:
            message = _("Domanda chiusa.")
            if not wants_fragment():
                return back_to(found, None, message)
            found, membership = question_or_404(question_id)
            return render_question(found, membership, block="question_main", message=message)
    elif "csrf_token" in form.errors:
        abort(400)
    found, membership = question_or_404(question_id)
    return render_question(found, membership, block="question_main", status=422, close_form=form,
                           message=_("La domanda non è stata chiusa: correggi quanto segnalato."))


@bp.route("/questions/<int:question_id>/reopen", methods=["POST"])
@login_required
@action_limit
def reopen(question_id: int):
    found, membership = question_or_404(question_id)
    _require_role(found, membership, QuestionAction.REOPEN)
    _button_form()
    try:
        actions.reopen(current_user, found, membership)
    except (QaError, QaWorkflowError) as error:
        return _refused(question_id, "reopen", error, "question_main")
    message = _("Domanda riaperta.")
    if not wants_fragment():
        return back_to(found, None, message)
    found, membership = question_or_404(question_id)
    return render_question(found, membership, block="question_main", message=message)


@bp.route("/questions/<int:question_id>/pin", methods=["POST"])
@login_required
@action_limit
def pin(question_id: int):
    found, membership = question_or_404(question_id)
    permissions.require(permissions.can_moderate_qa(current_user, found.community, membership),
                        _("Fissano una domanda in evidenza le persone che animano la comunità."))
    _button_form()
    pinned = request.form.get("pinned") == "1"
    try:
        actions.set_pinned(current_user, found, membership, pinned)
    except (QaError, QaWorkflowError) as error:
        return _refused(question_id, "pin", error, "question_header")
    message = _("Domanda fissata in evidenza.") if pinned else _("Domanda tolta dall'evidenza.")
    if not wants_fragment():
        return back_to(found, None, message)
    found, membership = question_or_404(question_id)
    return render_question(found, membership, block="question_header", message=message)


# ---- votes ----------------------------------------------------------------------------------------------------------

@bp.route("/questions/<int:question_id>/votes/<kind>/<int:post_id>", methods=["POST"])
@login_required
@action_limit
def vote(question_id: int, kind: str, post_id: int):
    """Vote (or take back the vote, undo=1) for the question ("anch'io") or one of its answers ("utile")."""
    found, membership = question_or_404(question_id)
    if kind == "question":
        post = found if post_id == found.id else None
    elif kind == "answer":
        post = db.session.get(Answer, post_id)
        post = post if post is not None and post.question_id == found.id else None
    else:
        post = None
    if post is None:
        abort(404)
    if current_user.is_authenticated and post.author_id == current_user.id:
        permissions.require(False, _("Non si vota un proprio contenuto."))
    permissions.require(permissions.can_vote(current_user, post, found, membership),
                        _("Votano le persone che partecipano alla domanda, sui contenuti visibili di altre persone."))
    _button_form()
    undo = request.form.get("undo") == "1"
    try:
        (actions.unvote if undo else actions.vote)(current_user, kind, post.id)
    except (QaError, QaWorkflowError) as error:
        return _refused(question_id, f"vote:{kind}:{post.id}", error, f"vote_{kind}",
                        post_id=post.id)
    message = _("Voto ritirato.") if undo else _("Voto registrato.")
    anchor = "question" if kind == "question" else f"answer-{post.id}"
    if not wants_fragment():
        return back_to(found, anchor, message)
    found, membership = question_or_404(question_id)
    return render_question(found, membership, block=f"vote_{kind}", message=message, post_id=post.id)


# ---- follow -----------------------------------------------------------------------------------------------------

FOLLOW_MESSAGES = {
    FollowLevel.WATCHING: N_("Segui la domanda: riceverai una notifica per ogni risposta e commento."),
    FollowLevel.NORMAL: N_("Notifiche normali: solo le menzioni e l'accettazione della tua risposta."),
    FollowLevel.MUTED: N_("Domanda silenziata: nessuna notifica, nemmeno le menzioni."),
}


@bp.route("/questions/<int:question_id>/follow", methods=["POST"])
@login_required
@action_limit
def follow(question_id: int):
    found, membership = question_or_404(question_id)
    permissions.require(may_follow_question(found, membership),
                        _("Seguono le domande le persone iscritte alla piattaforma che le vedono; una domanda "
                          "nascosta, chi anima la comunità."))
    form = FollowForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        return _refused(question_id, "follow", QaError("Scegli come seguire la domanda.", "level"),
                        "follow")
    try:
        actions.set_follow(current_user, "question", found.id, form.level.data)
    except (QaError, QaWorkflowError) as error:
        return _refused(question_id, "follow", error, "follow")
    message = _(FOLLOW_MESSAGES[form.level.data])
    if not wants_fragment():
        return back_to(found, "follow-control", message)
    found, membership = question_or_404(question_id)
    return render_question(found, membership, block="follow", message=message)


@bp.route("/questions/follow/<kind>/<int:target_id>", methods=["POST"])
@login_required
@action_limit
def follow_list(kind: str, target_id: int):
    """Follow (level=watching) or stop following (level=normal) the new questions of a community or a practice.
    htmx gets the control back (block follow_list of qa/question.html); otherwise back to ?next= or the target."""
    from app.communities import services as community_services

    if kind == "community":
        target = db.session.get(Community, target_id)
        community = target
    elif kind == "practice":
        target = db.session.get(Practice, target_id)
        community = target.community if target is not None else None
    else:
        abort(404)
    if target is None:
        abort(404)
    membership = community_services.membership_of(community, current_user)
    if not permissions.can_view_community(current_user, community, membership) or (
            kind == "practice" and not permissions.can_view_practice(current_user, target, membership)):
        abort(404)
    permissions.require(permissions.can_follow_questions(current_user, community, membership),
                        _("Seguono le domande le persone iscritte alla piattaforma che le vedono."))
    form = FollowListForm()
    if not form.validate_on_submit():
        abort(400)
    status = 200
    try:
        actions.set_follow(current_user, kind, target.id, form.level.data)
    except (QaError, QaWorkflowError) as error:
        db.session.rollback()
        message, category, status = _(getattr(error, "message", None) or str(error)), "danger", 422
    else:
        message = (_("Segui le nuove domande: riceverai una notifica per ogni nuova domanda.")
                   if form.level.data == FollowLevel.WATCHING else _("Non segui più le nuove domande."))
        category = "success"
    level = actions.follow_level(current_user, kind, target.id)
    if wants_fragment():
        # The control is replaced; what changed is announced in its live region, which stays in the page (out of
        # band: a replaced region is not announced).
        body, status = render_page("qa/question.html", block="follow_list", status=status, kind=kind,
                                   target=target, level=level, form=EmptyForm(formdata=None),
                                   next_url=safe_next_url(request.form.get("next")), message=message)
        return Markup(body), status
    flash(message, category)
    back = safe_next_url(request.form.get("next"))
    if back is None:
        back = (questions_url(target) if kind == "community"
                else url_for("practices.show", slug=target.slug, tab="discussion"))
    return redirect_to(back)
