"""Rendering the question page: mentions in bodies (the `qa_markdown` filter), the page's context (`page_context`),
the live-region announcements, and the helpers the routes answer with (render_question, back_to, refuse_at).

Shared by app/qa/routes_posting.py (the page and posting on it), app/qa/routes_actions.py and the lists.
"""
from __future__ import annotations

import re
from datetime import timedelta

from flask import flash, g, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from app import permissions
from app.extensions import db
from app.markdown import render_markdown
from app.models import Comment, Organization, Question, User
from app.models.base import utcnow
from app.qa import actions, bp, notify
from app.qa.forms import AnswerForm, CommentForm
from app.qa.services import QaError
from app.qa.workflow import QaWorkflowError, QuestionAction, QuestionStatus, Role, Visibility, allowed_roles
from app.web import EmptyForm, redirect_to, render_page, wants_fragment

TEMPLATE = "qa/question.html"


# ---- mentions in bodies -----------------------------------------------------------------------------------------

_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&])")


def _mentioned_people(ids) -> dict:
    """The people mentioned on this page, read once per request (g keeps those already read)."""
    known = g.setdefault("qa_mentioned_people", {})
    missing = [i for i in ids if i not in known and 0 < i < 2**31]
    if missing:
        for person in db.session.execute(select(User).where(User.id.in_(missing))).scalars():
            known[person.id] = person
        for i in missing:
            known.setdefault(i, None)
    return known


@bp.app_template_filter("qa_markdown")
def qa_markdown(text: str | None) -> Markup:
    """A post's Markdown with its mentions (`@[Nome](user:ID)`, app/qa/notify.py) shown as "@Current Name": a link
    to the profile for members who may see that person (permissions.can_view_user); visitors, and members reading
    the mention of someone they may not see (an account waiting for approval, a person no longer active), read
    "@una persona iscritta"."""
    if not text:
        return Markup("")
    people = _mentioned_people(notify.mentioned_ids(text))
    linked = permissions.is_member(current_user)

    def shown(match: re.Match) -> str:
        person = people.get(int(match.group(2)))
        # Visitors read organisations, not people's names (as on every other page); nobody reads the name of a
        # person whose profile they may not see, nor the label typed for an id that is no longer anybody.
        if not linked or person is None or not permissions.can_view_user(current_user, person):
            return "@" + _MARKDOWN_PUNCTUATION.sub(r"\\\1", _("una persona iscritta"))
        name = _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join((person.full_name or match.group(1)).split()))
        return f"[@{name}]({url_for('users.profile', user_id=person.id)})"

    return render_markdown(notify.MENTION_RE.sub(shown, text))


# ---- the page's context -----------------------------------------------------------------------------------------

def _preload_people(posts) -> None:
    """Authors and their organisations of every post in two queries (the relationships then read the session)."""
    user_ids = {p.author_id for p in posts if p.author_id} | {p.accepted_by_id for p in posts
                                                             if getattr(p, "accepted_by_id", None)}
    org_ids = {p.organization_id for p in posts if p.organization_id}
    if user_ids:
        people = db.session.execute(select(User).where(User.id.in_(user_ids))).scalars().all()
        org_ids |= {person.organization_id for person in people if person.organization_id}
    if org_ids:
        db.session.execute(select(Organization).where(Organization.id.in_(org_ids))).scalars().all()


def may_see_hidden(post, question, membership) -> bool:
    """A hidden post's text: for moderators, and for its author (who may edit it, sending it back to review)."""
    return (permissions.can_moderate_qa(current_user, question.community, membership)
            or (current_user.is_authenticated and post.author_id == current_user.id))


def page_context(question: Question, membership, *, answer_form=None, comment_form=None, comment_key=None,
                 close_form=None, errors: dict | None = None, posted: str | None = None, **extra) -> dict:
    """Everything qa/question.html and its blocks need. `comment_form`/`comment_key` ("question" or an answer id)
    carry a comment form with its errors back to its place; `errors` maps a control's key to a refusal shown next
    to it; `posted` names what was just posted ("answer:<id>", "comment:<id>") so that it gets the focus."""
    from app.qa.forms import CloseForm, FollowForm

    user = current_user
    moderator = permissions.can_moderate_qa(user, question.community, membership)
    roles = permissions.qa_roles(user, question, membership)
    answers = actions.answers_in_order(question)
    comments = db.session.execute(
        select(Comment).where(Comment.question_id == question.id, Comment.visibility != Visibility.DELETED)
        .order_by(Comment.created_at, Comment.id)).scalars().all()
    _preload_people([question, *answers, *comments])
    _mentioned_people({i for post in (question, *answers, *comments) for i in notify.mentioned_ids(post.body)})
    by_target: dict = {"question": []}
    for each in comments:
        by_target.setdefault(each.answer_id or "question", []).append(each)
    signed_in = permissions.is_member(user)
    voted_answers = actions.has_voted(user, "answer", [a.id for a in answers]) if signed_in and answers else set()
    voted_question = bool(actions.has_voted(user, "question", [question.id])) if signed_in else False
    may_follow = may_follow_question(question, membership, moderator)
    own_answer = next((a for a in answers if signed_in and a.author_id == user.id), None)
    closed = question.status == QuestionStatus.CLOSED
    # After 7 days with answers but none accepted, the facilitators are invited to choose one (issue 12, point 2).
    invite_to_choose = (moderator and question.status == QuestionStatus.OPEN and question.is_visible
                        and any(a.is_visible for a in answers)
                        and question.created_at is not None and question.created_at <= utcnow() - timedelta(days=7))
    context = dict(
        question=question, membership=membership, moderator=moderator, roles=roles, answers=answers,
        comments=by_target, voted_answers=voted_answers, voted_question=voted_question,
        may_answer=permissions.can_answer(user, question, membership),
        # A hidden question's state does not move (app/qa/actions.py refuses it): no accept, close or reopen.
        may_accept=bool(roles & allowed_roles(QuestionAction.ACCEPT)) and not closed and question.is_visible,
        may_close=bool(roles & allowed_roles(QuestionAction.CLOSE)) and not closed and question.is_visible,
        may_reopen=closed and question.is_visible and (
            moderator or permissions.is_admin(user)
            or (Role.ASKER in roles and question.closed_by_id == question.author_id)),
        may_follow=may_follow,
        follow_level=actions.follow_level(user, "question", question.id) if may_follow else "normal",
        own_answer=own_answer, invite_to_choose=invite_to_choose,
        answer_form=answer_form or AnswerForm(formdata=None, prefix="answer"),
        comment_form=comment_form, comment_key=comment_key,
        close_form=close_form or CloseForm(formdata=None, prefix="close"),
        follow_form=FollowForm(formdata=None), errors=errors or {}, posted=posted,
        form=EmptyForm(formdata=None),
        **extra)
    context["comment_form_for"] = comment_form_for
    context["questions_url"] = questions_url
    context["md"] = qa_markdown  # macros are loaded before the blueprint's filter exists: they call page.md()
    context["page"] = context  # the macros take the whole page: `page.question`, `page.may_answer`...
    return context


def may_follow_question(question, membership, moderator: bool | None = None) -> bool:
    """Follow a question: who may follow the community's questions; a hidden one only its moderators (the others
    read a placeholder, and are not offered a control on it)."""
    if not permissions.can_follow_questions(current_user, question.community, membership):
        return False
    if moderator is None:
        moderator = permissions.can_moderate_qa(current_user, question.community, membership)
    return question.is_visible or moderator


def may_read_posts(question, membership) -> bool:
    """The answers and comments of the question: everyone who sees it while it is visible; behind a hidden
    question's placeholder, only its moderators (as the full page: qa/question.html)."""
    return question.is_visible or permissions.can_moderate_qa(current_user, question.community, membership)


def questions_url(community, **args) -> str:
    """The community's "Domande" tab (qa.community_questions, the lists helper's), else the community's home."""
    from werkzeug.routing import BuildError

    try:
        return url_for("qa.community_questions", slug=community.slug, **args)
    except BuildError:
        return url_for("communities.home", slug=community.slug)


def comment_form_for(key) -> CommentForm:
    """A blank comment form whose fields are named for its target (several on one page, each with its own ids)."""
    return CommentForm(formdata=None, prefix=comment_prefix(key))


def comment_prefix(key) -> str:
    return "comment-q" if key == "question" else f"comment-a{key}"


def announce(message: str | None) -> Markup:
    """The page's live region, updated out of band by an htmx response: screen readers hear what changed."""
    if not message or not wants_fragment():
        return Markup("")
    return Markup('<span id="qa-status" hx-swap-oob="innerHTML">{}</span>').format(message)


def render_question(question, membership, *, block: str | None = None, status: int = 200,
                    message: str | None = None, **context):
    """The question page, or one of its blocks for htmx, with an announcement for screen readers."""
    body, code = render_page(TEMPLATE, block=block, status=status, **page_context(question, membership, **context))
    if block and wants_fragment():
        body = announce(message) + Markup(body)
    return body, code


def back_to(question, anchor: str | None = None, message: str | None = None, category: str = "success"):
    """After a POST without htmx: to the page (and the changed part), 303."""
    if message:
        flash(message, category)
    return redirect_to(url_for("qa.question", question_id=question.id, _anchor=anchor))


def refuse_at(form, error: QaError | QaWorkflowError, default_field: str | None = None) -> None:
    """A service's refusal at its field (or above the form); nothing was saved."""
    db.session.rollback()
    message = _(getattr(error, "message", None) or str(error))
    name = getattr(error, "field", None) or default_field
    if name and name in form:
        form[name].errors = list(form[name].errors) + [message]
    else:
        form.form_errors.append(message)
