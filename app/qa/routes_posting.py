"""The question page and posting on it: answer, comment, edit a post, its history, hide a revision, mention
suggestions. Thin routes: parse → permission → service → the page's named block (htmx) or a redirect (303).

The page's context and the helpers the routes answer with are in app/qa/page.py (shared with app/qa/routes_actions.py).
"""
from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block
from sqlalchemy import select

from app import permissions
from app.extensions import db, limiter
from app.forms import clean_line
from app.models import Answer, Comment, Organization, Revision, User
from app.models.base import utcnow
from app.qa import bp, notify, services, validation
from app.qa.forms import AnswerForm, CommentForm, EditAnswerForm, EditCommentForm, EditQuestionForm, HideRevisionForm
from app.qa.page import (TEMPLATE, back_to, comment_prefix, may_read_posts, may_see_hidden, refuse_at,
                         render_question)
from app.qa.queries import question_or_404
from app.qa.services import QaError
from app.qa.workflow import QaWorkflowError, Visibility
from app.web import redirect_to, render_page, wants_fragment


# ---- rate limits (per account) ----------------------------------------------------------------------------------

def user_key() -> str:
    return f"user:{current_user.get_id()}" if current_user.is_authenticated else request.remote_addr or ""


def _counted(response) -> bool:
    return response.status_code < 400  # a refused or invalid post does not use up the allowance


# Answers and comments share one allowance; edits another; reactions (votes, follows, accept...) a larger one.
posting_limit = limiter.shared_limit("30 per hour", scope="qa-posting", key_func=user_key, methods=["POST"],
                                     deduct_when=_counted)
editing_limit = limiter.shared_limit("60 per hour", scope="qa-editing", key_func=user_key, methods=["POST"],
                                     deduct_when=_counted)
action_limit = limiter.shared_limit("200 per hour", scope="qa-actions", key_func=user_key, methods=["POST"],
                                    deduct_when=_counted)


# ---- the page ---------------------------------------------------------------------------------------------------

@bp.route("/questions/<int:question_id>")
@bp.route("/questions/<int:question_id>-<slug>")
def question(question_id: int, slug: str | None = None):
    """A question with its answers and comments; htmx may ask for one block (?part=answers|question_header)."""
    found, membership = question_or_404(question_id)
    part = request.args.get("part")
    block = part if part in ("answers", "question_header", "question_main") else None
    if block == "answers" and not may_read_posts(found, membership):
        abort(404)  # a hidden question's answers are not served alone either (the page shows a placeholder)
    return render_question(found, membership, block=block)


# ---- answers --------------------------------------------------------------------------------------------------

@bp.route("/questions/<int:question_id>/answers", methods=["POST"])
@login_required
@posting_limit
def answer(question_id: int):
    found, membership = question_or_404(question_id)
    permissions.require(permissions.can_answer(current_user, found, membership),
                        _("Rispondono le persone iscritte alla comunità e, sulle domande di una pratica, gli enti "
                          "cedenti."))
    form = AnswerForm(prefix="answer")
    if form.validate_on_submit():
        try:
            posted = services.answer(current_user, found, body=form.body.data)
        except (QaError, QaWorkflowError) as error:
            refuse_at(form, error, "body")
        else:
            if not wants_fragment():
                return back_to(found, f"answer-{posted.id}", _("Risposta pubblicata."))
            found, membership = question_or_404(question_id)
            return render_question(found, membership, block="answers", posted=f"answer:{posted.id}",
                                   message=_("Risposta pubblicata."))
    elif "csrf_token" in form.errors:
        abort(400)
    return render_question(found, membership, block="answers", status=422, answer_form=form,
                           message=_("La risposta non è stata pubblicata: correggi quanto segnalato."))


# ---- comments -------------------------------------------------------------------------------------------------

def _comment_target(question) -> tuple[object, Answer | None]:
    """"question", or the answer id named by ?answer=<id> (an answer of this question), else 404."""
    raw = request.args.get("answer")
    if raw is None:
        return "question", None
    if not (raw.isascii() and raw.isdigit() and 0 < int(raw) < 2**31):
        abort(404)
    target = db.session.get(Answer, int(raw))
    if target is None or target.question_id != question.id or target.visibility == Visibility.DELETED:
        abort(404)
    return target.id, target


# A double click (or a browser retry) sends the same comment twice within moments: the second one gets the first
# back instead of a twin. The same text posted again later, or another text at once, is a new comment.
TWIN_COMMENT_SECONDS = 60


def _twin_comment(question, answer, body) -> Comment | None:
    """This person's comment with the same text on the same target, posted in the last moments (else None)."""
    try:
        body = validation.clean_comment(body)
    except QaError:
        return None  # the service refuses it, and says why
    target = Comment.answer_id.is_(None) if answer is None else Comment.answer_id == answer.id
    return db.session.execute(select(Comment).where(
        Comment.question_id == question.id, target, Comment.author_id == current_user.id, Comment.body == body,
        Comment.visibility != Visibility.DELETED,
        Comment.created_at >= utcnow() - timedelta(seconds=TWIN_COMMENT_SECONDS))
        .order_by(Comment.id.desc()).limit(1)).scalar()


@bp.route("/questions/<int:question_id>/comments", methods=["POST"])
@login_required
@posting_limit
def comment(question_id: int):
    found, membership = question_or_404(question_id)
    key, target = _comment_target(found)
    permissions.require(permissions.can_answer(current_user, found, membership),
                        _("Commentano le persone iscritte alla comunità e, sulle domande di una pratica, gli enti "
                          "cedenti."))
    block = "comments_question" if target is None else "comments_answer"
    form = CommentForm(prefix=comment_prefix(key))
    if form.validate_on_submit():
        try:
            posted = (_twin_comment(found, target, form.body.data)
                      or services.comment(current_user, found, body=form.body.data, answer=target))
        except (QaError, QaWorkflowError) as error:
            refuse_at(form, error, "body")
        else:
            if not wants_fragment():
                return back_to(found, f"comment-{posted.id}", _("Commento pubblicato."))
            found, membership = question_or_404(question_id)
            target = db.session.get(Answer, key) if target is not None else None
            return render_question(found, membership, block=block, posted=f"comment:{posted.id}",
                                   comment_key=key, target=target or found, kind="answer" if target else "question",
                                   message=_("Commento pubblicato."))
    elif "csrf_token" in form.errors:
        abort(400)
    return render_question(found, membership, block=block, status=422, comment_form=form, comment_key=key,
                           target=target or found, kind="answer" if target else "question",
                           message=_("Il commento non è stato pubblicato: correggi quanto segnalato."))


# ---- editing ------------------------------------------------------------------------------------------------------

def _answer_of(question, answer_id: int) -> Answer:
    found = db.session.get(Answer, answer_id)
    if found is None or found.question_id != question.id:
        abort(404)
    return found


def _comment_of(question, comment_id: int) -> Comment:
    found = db.session.get(Comment, comment_id)
    if found is None or found.question_id != question.id:
        abort(404)
    return found


def _require_edit(post, question, membership) -> None:
    if post.visibility == Visibility.DELETED:
        abort(404)
    permissions.require(permissions.can_edit_post(current_user, post, question, membership),
                        _("Modifica un contenuto chi l'ha scritto, finché partecipa alla domanda, e chi anima la "
                          "comunità."))


def _edit_page(kind: str, form, question, membership, post, status: int = 200):
    return render_page("qa/edit.html", block="form", status=status, form=form, kind=kind, question=question,
                       membership=membership, post=post)


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@login_required
@editing_limit
def edit_question(question_id: int):
    found, membership = question_or_404(question_id)
    _require_edit(found, found, membership)
    form = EditQuestionForm(data=None if request.method == "POST" else dict(
        title=found.title, body=found.body, tags=", ".join(found.tag_names)))
    if form.validate_on_submit():
        try:
            services.edit_question(current_user, found, title=form.title.data, body=form.body.data,
                                   tags=form.tag_list)
        except (QaError, QaWorkflowError) as error:
            refuse_at(form, error)
        else:
            return back_to(found, None, _("Domanda modificata."))
    elif "csrf_token" in form.errors:
        abort(400)
    return _edit_page("question", form, found, membership, found, status=422 if form.is_submitted() else 200)


@bp.route("/questions/<int:question_id>/answers/<int:answer_id>/edit", methods=["GET", "POST"])
@login_required
@editing_limit
def edit_answer(question_id: int, answer_id: int):
    """Edit an answer (its author, or the community's facilitators)."""
    found, membership = question_or_404(question_id)
    return _edit_body_page("answer", found, membership, _answer_of(found, answer_id), EditAnswerForm,
                           services.edit_answer, _("Risposta modificata."))


@bp.route("/questions/<int:question_id>/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
@editing_limit
def edit_comment(question_id: int, comment_id: int):
    """Edit a comment (its author, or the community's facilitators)."""
    found, membership = question_or_404(question_id)
    return _edit_body_page("comment", found, membership, _comment_of(found, comment_id), EditCommentForm,
                           services.edit_comment, _("Commento modificato."))


def _edit_body_page(kind: str, found, membership, post, form_class, edit, done: str):
    """The edit page of an answer or a comment: the form, then the service, then back to the post."""
    _require_edit(post, found, membership)
    form = form_class(data=None if request.method == "POST" else dict(body=post.body))
    if form.validate_on_submit():
        try:
            edit(current_user, post, body=form.body.data)
        except (QaError, QaWorkflowError) as error:
            refuse_at(form, error, "body")
        else:
            return back_to(found, f"{kind}-{post.id}", done)
    elif "csrf_token" in form.errors:
        abort(400)
    return _edit_page(kind, form, found, membership, post, status=422 if form.is_submitted() else 200)


# ---- history ----------------------------------------------------------------------------------------------------

def _post_of(question, raw: str | None):
    """The post named by ?post= ("question", "answer:<id>", "comment:<id>") of this question, else 404."""
    raw = raw or "question"
    if raw == "question":
        return "question", question
    kind, _sep, number = raw.partition(":")
    if kind not in ("answer", "comment") or not (number.isascii() and number.isdigit()) or not 0 < int(number) < 2**31:
        abort(404)
    post = (_answer_of if kind == "answer" else _comment_of)(question, int(number))
    return kind, post


def _history_context(question, membership, kind, post, forms: dict | None = None) -> dict:
    moderator = permissions.can_moderate_qa(current_user, question.community, membership)
    if post.visibility == Visibility.DELETED or (not post.is_visible and not may_see_hidden(post, question,
                                                                                             membership)):
        abort(404)
    if kind != "question" and not question.is_visible and not may_see_hidden(question, question, membership):
        abort(404)
    revisions = services.revisions(kind, post.id)
    editor_ids = {r.editor_id for r in revisions if r.editor_id}
    if editor_ids:
        people = db.session.execute(select(User).where(User.id.in_(editor_ids))).scalars().all()
        org_ids = {p.organization_id for p in people if p.organization_id}
        if org_ids:
            db.session.execute(select(Organization).where(Organization.id.in_(org_ids))).scalars().all()
    forms = dict(forms or {})
    for revision in revisions:
        forms.setdefault(revision.id, HideRevisionForm(formdata=None, prefix=f"hide-{revision.id}"))
    return dict(question=question, membership=membership, kind=kind, post=post, revisions=revisions,
                moderator=moderator, hide_forms=forms,
                post_param="question" if kind == "question" else f"{kind}:{post.id}")


@bp.route("/questions/<int:question_id>/history")
def history(question_id: int):
    found, membership = question_or_404(question_id)
    kind, post = _post_of(found, request.args.get("post"))
    return render_page("qa/history.html", block="revisions", **_history_context(found, membership, kind, post))


@bp.route("/questions/<int:question_id>/revisions/<int:revision_id>/hide", methods=["POST"])
@login_required
@editing_limit
def hide_revision(question_id: int, revision_id: int):
    found, membership = question_or_404(question_id)
    revision = db.session.get(Revision, revision_id)
    if revision is None:
        abort(404)
    kind = revision.target_type
    post = {"question": lambda: found if revision.target_id == found.id else None,
            "answer": lambda: db.session.get(Answer, revision.target_id),
            "comment": lambda: db.session.get(Comment, revision.target_id)}.get(kind, lambda: None)()
    if post is None or (kind != "question" and post.question_id != found.id):
        abort(404)
    permissions.require(permissions.can_moderate_qa(current_user, found.community, membership),
                        _("Nascondono una versione le persone che animano la comunità."))
    form = HideRevisionForm(prefix=f"hide-{revision.id}")
    post_param = "question" if kind == "question" else f"{kind}:{post.id}"
    if form.validate_on_submit():
        try:
            services.hide_revision(current_user, revision, reason=form.reason.data)
        except (QaError, QaWorkflowError) as error:
            refuse_at(form, error)
        else:
            if not wants_fragment():
                flash(_("Versione nascosta."), "success")
                return redirect_to(url_for("qa.history", question_id=found.id, post=post_param,
                                           _anchor=f"revision-{revision.id}"))
            found, membership = question_or_404(question_id)
            return render_page("qa/history.html", block="revisions", announcement=_("Versione nascosta."),
                               **_history_context(found, membership, kind, post))
    elif "csrf_token" in form.errors:
        abort(400)
    return render_page("qa/history.html", block="revisions", status=422,
                       announcement=_("La versione non è stata nascosta: correggi quanto segnalato."),
                       **_history_context(found, membership, kind, post, {revision.id: form}))


# ---- mention suggestions ------------------------------------------------------------------------------------------

@bp.route("/questions/mentions")
@login_required
@limiter.limit("600 per hour", key_func=user_key)
def mention_suggestions():
    """A small list of people who may see the question and whose name starts with ?q= (htmx fragment)."""
    raw = request.args.get("question", "")
    if not (raw.isascii() and raw.isdigit() and 0 < int(raw) < 2**31):
        abort(404)
    found, membership = question_or_404(int(raw))
    permissions.require(permissions.can_answer_as_member(current_user, found, membership))
    prefix = clean_line(request.args.get("q") or "")[:60]  # no NUL nor control characters for the database
    people = notify.mention_candidates(found, prefix) if prefix else []
    # A fragment only (qa.js asks for it): rendered alone whether or not the request says HX-Request.
    return render_block(TEMPLATE, "mention_list", people=people, prefix=prefix, syntax=notify.mention_syntax,
                        question=found)


__all__ = ["user_key", "posting_limit", "editing_limit", "action_limit"]
