"""Posting in Q&A: ask, answer, comment, edit (each edit a revision), revisions; one transaction each, committed
here. (Owner: the services helper. Signatures are the contract the routes are written against.)

Every operation checks its input and the rules again (the forms and the routes are only the first line) and raises
QaError before writing anything; what it writes (the post, its revision, counters, follows, activity,
notifications) is committed together. Bodies are Markdown stored as typed: rendering sanitises them.

The checks of what people type (titles, bodies, comments, tags) are in app/qa/validation.py.

Decisions:
- `last_activity_at` moves on new posts (question, answer, comment) and on status moves (accept, close, reopen), not
  on edits (fixing a typo does not bring a question back to the top).
- `answer_count` counts the visible answers (moderation changes it when it hides, restores or deletes one).
- An edit that changes nothing writes no revision and changes nothing (not even updated_at).
- An edit by the author of a hidden post sends it back to the review queue (needs_review, ModerationEvent
  "edited_for_review"); facilitators' edits of a hidden post do not.
- Newly mentioned people in an edit are told (those already mentioned in the previous version are not told again).
"""
from __future__ import annotations

from functools import wraps

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from app import permissions
from app.extensions import db
from app.models.base import utcnow
from app.models.qa import Answer, Comment, Follow, FollowLevel, ModerationEvent, Question, QuestionTag, Revision
from app.qa.validation import (QaError, check_comment_target, check_open, clean_body, clean_comment,  # noqa: F401
                               clean_tags, clean_title, normalize_tag, workflow_error)
from app.qa.workflow import N_, Visibility

# ---- shared helpers (also used by app.qa.actions) --------------------------------------------------------------

def membership_of(user, community):
    from app.communities.services import membership_of as lookup

    return lookup(community, user)


def commit_and_email() -> None:
    """Commit the transaction, then send the immediate e-mails of its notifications."""
    from app.notifications.services import send_pending_immediate_emails

    db.session.commit()
    send_pending_immediate_emails()


def refusal_rolls_back(function):
    """A refused move leaves nothing behind, not even the row lock taken before checking."""
    @wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except QaError:
            db.session.rollback()
            raise
    return wrapper


def lock_row(row) -> None:
    """Take the row's lock (an UPDATE of itself: PostgreSQL row lock, SQLite write lock), then read it again, so a
    state checked after this cannot change before the commit."""
    model = type(row)
    db.session.execute(update(model).where(model.id == row.id).values(id=model.id))
    db.session.refresh(row)


def question_of(target_type: str, target_id: int) -> Question | None:
    """The question a post belongs to."""
    if target_type == "question":
        return db.session.get(Question, target_id)
    if target_type == "answer":
        answer_row = db.session.get(Answer, target_id)
        return answer_row.question if answer_row is not None else None
    if target_type == "comment":
        comment_row = db.session.get(Comment, target_id)
        return comment_row.question if comment_row is not None else None
    return None


def post_of(target_type: str, target_id: int):
    model = {"question": Question, "answer": Answer, "comment": Comment}.get(target_type)
    return db.session.get(model, target_id) if model is not None else None


def ensure_follow(user, question: Question, level: str = FollowLevel.WATCHING) -> None:
    """Asking or answering watches the question, unless the person already chose a level for it."""
    existing = db.session.execute(select(Follow).where(
        Follow.user_id == user.id, Follow.target_type == "question", Follow.target_id == question.id)).scalar()
    if existing is None:
        db.session.add(Follow(user_id=user.id, target_type="question", target_id=question.id, level=level))


# ---- revisions -------------------------------------------------------------------------------------------------

def _next_revision_number(target_type: str, target_id: int) -> int:
    current = db.session.execute(select(func.max(Revision.number)).where(
        Revision.target_type == target_type, Revision.target_id == target_id)).scalar()
    return (current or 0) + 1


def _add_revision(target_type: str, target_id: int, editor, *, body: str, title: str | None = None,
                  tags: list[str] | None = None, now=None) -> Revision:
    revision = Revision(target_type=target_type, target_id=target_id,
                        number=_next_revision_number(target_type, target_id), title=title, body=body,
                        tags=",".join(tags) if tags is not None else None, editor_id=editor.id,
                        created_at=now or utcnow())
    db.session.add(revision)
    return revision


def _back_to_review(user, post, target_type: str, question: Question) -> None:
    """An edit by the author of a hidden post sends it back to the facilitators' queue."""
    if post.visibility == Visibility.HIDDEN and post.author_id == user.id:
        post.needs_review = True
        db.session.add(ModerationEvent(community_id=question.community_id, question_id=question.id,
                                       target_type=target_type, target_id=post.id, action="edited_for_review",
                                       actor_id=user.id))


def _check_editable(user, post, question: Question) -> None:
    if not permissions.can_edit_post(user, post, question, membership_of(user, question.community)):
        raise QaError(N_("Non puoi modificare questo contenuto."))


def revisions(target_type: str, target_id: int) -> list:
    """The revisions of a post, oldest first."""
    return list(db.session.execute(select(Revision).where(
        Revision.target_type == target_type, Revision.target_id == target_id).order_by(Revision.number)).scalars())


@refusal_rolls_back
def hide_revision(user, revision, *, reason: str):
    """A facilitator hides a revision's text (privacy), with the reason; the current version cannot be hidden."""
    question = question_of(revision.target_type, revision.target_id)
    if question is None:
        raise QaError(N_("Questo contenuto non esiste più."))
    if not permissions.can_moderate_qa(user, question.community, membership_of(user, question.community)):
        raise QaError(N_("Solo chi anima la comunità può nascondere una versione."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise QaError(N_("Indica perché nascondi questa versione."), "reason")
    if len(reason) > 300:
        raise QaError(N_("Il motivo può avere al massimo 300 caratteri."), "reason")
    if revision.hidden:
        raise QaError(N_("Questa versione è già nascosta."))
    latest = _next_revision_number(revision.target_type, revision.target_id) - 1
    if revision.number >= latest:
        raise QaError(N_("La versione attuale non si può nascondere: modifica il contenuto, poi nascondi la "
                         "versione precedente."))
    now = utcnow()
    revision.hidden, revision.hidden_reason, revision.hidden_by_id, revision.hidden_at = True, reason, user.id, now
    db.session.add(ModerationEvent(community_id=question.community_id, question_id=question.id,
                                   target_type=revision.target_type, target_id=revision.target_id,
                                   action="revision_hidden", actor_id=user.id,
                                   note=f"#{revision.number}: {reason}"))
    if revision.target_type == "question" and revision.title and revision.title != question.title:
        _forget_old_title(question, revision.title)
    commit_and_email()
    return revision


def _question_path(question_id: int) -> str:
    from flask import current_app, has_request_context, url_for

    if has_request_context():
        return url_for("qa.question", question_id=question_id)
    return current_app.url_map.bind("localhost").build("qa.question", {"question_id": question_id})


def _forget_old_title(question: Question, old_title: str) -> None:
    """A hidden revision's title leaves what was stored with it: the labels of the question's activity records and,
    in the notifications about it, the `question` parameter (links to the question; links to no question page, as
    the review queue's, when they quote the hidden title) and the `original` one (duplicates closed against it) now
    read the current title."""
    from app.models import Activity, Notification

    db.session.execute(update(Activity).where(Activity.object_type == "question", Activity.object_id == question.id)
                       .values(object_label=question.title[:200]).execution_options(synchronize_session=False))
    own = _question_path(question.id)
    prefix = own[: -len(str(question.id))]  # the question pages' common start ("/questions/")
    duplicates = {_question_path(each) for each in db.session.execute(
        select(Question.id).where(Question.duplicate_of_id == question.id)).scalars()}
    rows = db.session.execute(select(Notification).where(
        Notification.community_id == question.community_id, Notification.verb.like("qa.%"),
        or_(Notification.link.is_(None), Notification.link.startswith(own, autoescape=True),
            ~Notification.link.startswith(prefix, autoescape=True),
            *[Notification.link.startswith(path, autoescape=True) for path in duplicates]))).scalars().all()
    for row in rows:
        params = dict(row.params or {})
        path = (row.link or "").split("#", 1)[0]
        question_page = path.startswith(prefix) and path[len(prefix):].isdigit()
        changed = False
        if "question" in params and (path == own or (not question_page and params["question"] == old_title)):
            changed = params["question"] != question.title
            params["question"] = question.title
        if path in duplicates and params.get("original") not in (None, question.title):
            params["original"], changed = question.title, True
        if changed:
            row.params = params


# ---- questions -------------------------------------------------------------------------------------------------

@refusal_rolls_back
def ask(user, community, *, title: str, body: str, tags: list[str], practice=None, now=None,
        token: str | None = None):
    """Create a question (revision 1, the asker watches it, followers of the community/practice notified,
    activity recorded); returns the Question. QaError on bad input.

    `token` is the ask form's submission token: the same form sent twice, even at the same moment, publishes one
    question and both requests get it (app/submissions.py)."""
    from app import submissions
    from app.activity.services import record
    from app.qa import notify

    if (earlier := submissions.already_created(token, user, "question")) is not None:
        return db.session.get(Question, earlier)

    membership = membership_of(user, community)
    if practice is not None:
        if practice.community_id != community.id:
            raise QaError(N_("Questa pratica non appartiene alla comunità."))
        if not permissions.can_ask_about_practice(user, practice, membership):
            raise QaError(N_("Non puoi fare domande su questa pratica."))
    elif not permissions.can_ask(user, community, membership):
        raise QaError(N_("Fanno domande le persone iscritte alla comunità."))
    title = clean_title(title)
    body = clean_body(body)
    names = clean_tags(tags)
    now = now or utcnow()
    question = Question(community_id=community.id, practice_id=practice.id if practice is not None else None,
                        title=title, body=body, author_id=user.id, organization_id=user.organization_id,
                        created_at=now, updated_at=now, last_activity_at=now)
    question.tags = [QuestionTag(name=name) for name in names]
    db.session.add(question)
    db.session.flush()
    try:
        submissions.remember(token, user, "question", question.id)
        db.session.flush()  # a twin sent at once stops here, on the token's key, before any notification
    except IntegrityError:
        db.session.rollback()
        if (earlier := submissions.already_created(token, user, "question")) is not None:
            return db.session.get(Question, earlier)
        raise
    _add_revision("question", question.id, user, title=title, body=body, tags=names, now=now)
    ensure_follow(user, question)
    record("question.asked", actor=user, community=community, object_type="question", object_id=question.id,
           object_label=title)
    notify.question_asked(question)
    commit_and_email()
    return question


@refusal_rolls_back
def edit_question(user, question, *, title: str, body: str, tags: list[str]):
    """Change a question: a new revision; a hidden question goes back to the review queue."""
    from app.qa import notify

    _check_editable(user, question, question)
    title = clean_title(title)
    body = clean_body(body)
    names = clean_tags(tags)
    if title == question.title and body == question.body and names == question.tag_names:
        return question
    old_body = question.body
    now = utcnow()
    question.title, question.body, question.updated_at = title, body, now
    if names != question.tag_names:
        keep = {tag.name: tag for tag in question.tags}
        question.tags = [keep.get(name) or QuestionTag(name=name) for name in names]
    _add_revision("question", question.id, user, title=title, body=body, tags=names, now=now)
    _back_to_review(user, question, "question", question)
    notify.mentioned(question, body, question, actor=user, previous=old_body)
    commit_and_email()
    return question


# ---- answers ---------------------------------------------------------------------------------------------------

ALREADY_ANSWERED = N_("Hai già risposto a questa domanda: puoi modificare la tua risposta.")


def already_answered(user, question) -> bool:
    return db.session.execute(select(Answer.id).where(Answer.question_id == question.id,
                                                      Answer.author_id == user.id)).first() is not None


@refusal_rolls_back
def answer(user, question, *, body: str, now=None):
    """Answer (one per person: QaError on body if the person already answered); marks the donors' answer;
    the answerer watches the question; watchers and mentioned people notified. Returns the Answer."""
    from app.activity.services import record
    from app.qa import notify

    if not permissions.can_answer(user, question, membership_of(user, question.community)):
        raise QaError(N_("Non puoi rispondere a questa domanda."))
    check_open(question)
    body = clean_body(body)
    if already_answered(user, question):
        raise QaError(ALREADY_ANSWERED, "body")
    now = now or utcnow()
    row = Answer(question_id=question.id, author_id=user.id, organization_id=user.organization_id, body=body,
                 official=permissions.is_official_answerer(user, question), created_at=now, updated_at=now)
    question_id = question.id
    db.session.add(row)
    try:
        db.session.flush()  # first write of the transaction: a rollback undoes nothing else
    except IntegrityError:  # the same person's second click, at the same moment
        db.session.rollback()
        raise QaError(ALREADY_ANSWERED, "body") from None
    _add_revision("answer", row.id, user, body=body, now=now)
    values = dict(answer_count=Question.answer_count + 1, last_activity_at=now)
    if user.id != question.author_id:
        # The earliest, also when two answers race (the later-stamped one may commit first).
        values["first_answer_at"] = case((or_(Question.first_answer_at.is_(None), Question.first_answer_at > now), now),
                                         else_=Question.first_answer_at)
    db.session.execute(update(Question).where(Question.id == question_id).values(**values)
                       .execution_options(synchronize_session=False))
    db.session.expire(question, ["answer_count", "last_activity_at", "first_answer_at"])
    ensure_follow(user, question)
    record("question.answered", actor=user, community=question.community, object_type="question",
           object_id=question.id, object_label=question.title)
    notify.answer_posted(row)
    commit_and_email()
    return row


@refusal_rolls_back
def edit_answer(user, answer, *, body: str):
    """Change an answer: a new revision; a hidden answer goes back to the review queue."""
    return _edit_body(user, answer, "answer", body, clean_body)


def _edit_body(user, post, kind: str, body: str, clean):
    """The edit of an answer or a comment: checked, cleaned by `clean`, a revision, back to review if hidden,
    newly mentioned people told."""
    from app.qa import notify

    question = post.question
    _check_editable(user, post, question)
    body = clean(body)
    if body == post.body:
        return post
    old_body = post.body
    now = utcnow()
    post.body, post.updated_at = body, now
    _add_revision(kind, post.id, user, body=body, now=now)
    _back_to_review(user, post, kind, question)
    notify.mentioned(post, body, question, actor=user, previous=old_body)
    commit_and_email()
    return post


# ---- comments --------------------------------------------------------------------------------------------------

@refusal_rolls_back
def comment(user, question, *, body: str, answer=None, now=None):
    """A short comment (≤ 600 characters) on the question or one of its answers. Returns the Comment."""
    from app.qa import notify

    if not permissions.can_answer(user, question, membership_of(user, question.community)):
        raise QaError(N_("Non puoi commentare in questa domanda."))
    check_open(question)
    check_comment_target(question, answer)
    body = clean_comment(body)
    now = now or utcnow()
    row = Comment(question_id=question.id, answer_id=answer.id if answer is not None else None, author_id=user.id,
                  organization_id=user.organization_id, body=body, created_at=now, updated_at=now)
    db.session.add(row)
    db.session.flush()
    _add_revision("comment", row.id, user, body=body, now=now)
    db.session.execute(update(Question).where(Question.id == question.id).values(last_activity_at=now)
                       .execution_options(synchronize_session=False))
    db.session.expire(question, ["last_activity_at"])
    notify.comment_posted(row)
    commit_and_email()
    return row


@refusal_rolls_back
def edit_comment(user, comment, *, body: str):
    """Change a comment: a new revision; a hidden comment goes back to the review queue."""
    return _edit_body(user, comment, "comment", body, clean_comment)


__all__ = ["N_", "QaError", "workflow_error"]
