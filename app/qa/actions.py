"""Moves on questions and reactions: accept, unaccept, close, reopen, pin, votes, follows; one transaction each.
(Owner: the services helper. Signatures are the contract the routes are written against.)

Status moves lock the question's row first (app.qa.services.lock_row: a row lock on PostgreSQL, the write lock on
SQLite) and read it again, so two moves at once are applied one after the other: two acceptances of different
answers give one accepted answer (the later replaces the earlier, both logged), a second acceptance of the same
answer changes nothing. Every status move writes a QuestionEvent and an activity record; refused moves raise
QaError (field None, except the closing's reason / original) and change nothing.
"""
from __future__ import annotations

from sqlalchemy import and_, case, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from app import permissions
from app.extensions import db
from app.models.base import utcnow
from app.models.qa import Answer, Follow, FollowLevel, Question, QuestionEvent, Vote
from app.qa.services import QaError, commit_and_email, lock_row, membership_of, refusal_rolls_back
from app.qa.workflow import (N_, CloseReason, QaWorkflowError, QuestionAction, QuestionStatus, Visibility,
                             check_close_reason, transition)

_CLOSE_REASON_ERRORS = {N_("Scegli il motivo della chiusura."): "reason"}
_DUPLICATE_ERRORS = {N_("Indica la domanda originale: un duplicato rimanda sempre a essa."),
                     N_("Una domanda non può essere il duplicato di sé stessa.")}


def _move(user, question, membership, action: QuestionAction, **kwargs) -> QuestionStatus:
    roles = permissions.qa_roles(user, question, membership)
    try:
        return transition(question.status, action, roles, question_id=question.id, **kwargs)
    except QaWorkflowError as error:
        message = str(error)
        field = _CLOSE_REASON_ERRORS.get(message) or ("duplicate_of" if message in _DUPLICATE_ERRORS else None)
        raise QaError(message, field) from None


def _event(question, action: str, from_status: str, to_status: str, user, *, answer_id=None, note: str = "",
           now=None) -> None:
    db.session.add(QuestionEvent(question_id=question.id, action=action, from_status=from_status,
                                 to_status=to_status, actor_id=user.id, answer_id=answer_id, note=note or "",
                                 created_at=now or utcnow()))


def _activity(verb: str, user, question) -> None:
    from app.activity.services import record

    record(verb, actor=user, community=question.community, object_type="question", object_id=question.id,
           object_label=question.title)


def _check_visible(question) -> None:
    if question.visibility != Visibility.VISIBLE:
        raise QaError(N_("La domanda è nascosta in attesa di verifica: non si può cambiarne lo stato."))


# ---- accept ----------------------------------------------------------------------------------------------------

@refusal_rolls_back
def accept(user, question, answer, membership, *, now=None):
    """Accept `answer` (replacing an earlier one); row-locked so two acceptances at once give one result.
    Notifies the answerer, and the asker when someone else accepted. QaError if refused."""
    from app.qa import notify

    lock_row(question)
    db.session.refresh(answer)
    _check_visible(question)
    if answer.question_id != question.id:
        raise QaError(N_("Questa risposta non appartiene alla domanda."))
    if answer.visibility != Visibility.VISIBLE:
        raise QaError(N_("Una risposta nascosta o eliminata non può essere accettata."))
    before = question.status
    after = _move(user, question, membership, QuestionAction.ACCEPT)
    if question.accepted_answer_id == answer.id:
        db.session.rollback()  # a second click: already accepted, nothing to do
        return question
    now = now or utcnow()
    replaced = question.accepted_answer_id
    question.status, question.accepted_answer_id = after, answer.id
    question.accepted_by_id, question.accepted_at, question.last_activity_at = user.id, now, now
    _event(question, QuestionAction.ACCEPT, before, after, user, answer_id=answer.id,
           note=f"replaced {replaced}" if replaced else "", now=now)
    if before != QuestionStatus.SOLVED:
        _activity("question.solved", user, question)
    notify.answer_accepted(question, answer, user)
    commit_and_email()
    return question


@refusal_rolls_back
def unaccept(user, question, membership, *, now=None):
    lock_row(question)
    _check_visible(question)
    before = question.status
    after = _move(user, question, membership, QuestionAction.UNACCEPT)
    now = now or utcnow()
    _event(question, QuestionAction.UNACCEPT, before, after, user, answer_id=question.accepted_answer_id, now=now)
    question.status, question.accepted_answer_id, question.accepted_by_id, question.accepted_at = \
        after, None, None, None
    question.last_activity_at = now
    _activity("question.reopened", user, question)
    commit_and_email()
    return question


# ---- close / reopen / pin --------------------------------------------------------------------------------------

@refusal_rolls_back
def close(user, question, membership, *, reason: str, duplicate_of_id: int | None = None, note: str = "",
          now=None):
    """Close with a reason; a duplicate needs the original (a visible question of the same community)."""
    from app.qa import notify

    lock_row(question)
    _check_visible(question)
    before = question.status
    after = _move(user, question, membership, QuestionAction.CLOSE, reason=reason,
                  duplicate_of=duplicate_of_id if reason == CloseReason.DUPLICATE else None)
    close_reason = check_close_reason(reason, duplicate_of_id, question.id)
    note = " ".join((note or "").split())
    if len(note) > 600:
        raise QaError(N_("La nota può avere al massimo 600 caratteri."), "note")
    original = None
    if close_reason == CloseReason.DUPLICATE:
        original = db.session.get(Question, duplicate_of_id)
        if (original is None or original.community_id != question.community_id
                or original.visibility != Visibility.VISIBLE
                or not permissions.can_view_question(user, original, membership)):
            raise QaError(N_("La domanda originale deve essere una domanda visibile della stessa comunità."),
                          "duplicate_of")
        if (original.practice is not None and original.practice.status == "draft"
                and original.practice_id != question.practice_id):
            # Readers of the duplicate would be sent to (and watchers told the title of) a question that only the
            # practice's donor team sees.
            raise QaError(N_("La domanda originale riguarda una pratica in bozza, che non tutte le persone che "
                             "leggono questa domanda possono vedere: scegli una domanda visibile a tutte."),
                          "duplicate_of")
    now = now or utcnow()
    question.status, question.close_reason = after, close_reason
    question.duplicate_of_id = original.id if original is not None else None
    question.closed_by_id, question.closed_at, question.last_activity_at = user.id, now, now
    _event(question, QuestionAction.CLOSE, before, after, user, note=note, now=now)
    _activity("question.closed", user, question)
    if original is not None:
        notify.closed_as_duplicate(question, original, user)
    commit_and_email()
    return question


@refusal_rolls_back
def reopen(user, question, membership, *, now=None):
    lock_row(question)
    _check_visible(question)
    before = question.status
    after = _move(user, question, membership, QuestionAction.REOPEN,
                  has_accepted=question.accepted_answer_id is not None and _accepted_still_visible(question),
                  closed_by_asker=question.closed_by_id is not None and question.closed_by_id == question.author_id)
    now = now or utcnow()
    if after == QuestionStatus.OPEN:
        question.accepted_answer_id = question.accepted_by_id = question.accepted_at = None
    question.status, question.close_reason, question.duplicate_of_id = after, None, None
    question.closed_by_id = question.closed_at = None
    question.last_activity_at = now
    _event(question, QuestionAction.REOPEN, before, after, user, now=now)
    _activity("question.reopened", user, question)
    commit_and_email()
    return question


def _accepted_still_visible(question) -> bool:
    accepted = db.session.get(Answer, question.accepted_answer_id)
    return accepted is not None and accepted.visibility == Visibility.VISIBLE


@refusal_rolls_back
def set_pinned(user, question, membership, pinned: bool):
    if not permissions.can_moderate_qa(user, question.community, membership):
        raise QaError(N_("Solo chi anima la comunità può fissare una domanda in alto."))
    pinned = bool(pinned)
    if question.pinned == pinned:
        return question
    question.pinned = pinned
    _event(question, "pin" if pinned else "unpin", question.status, question.status, user)
    commit_and_email()
    return question


# ---- votes -----------------------------------------------------------------------------------------------------

_VOTABLE = {"question": Question, "answer": Answer}


def _votable(user, target_type: str, target_id: int):
    model = _VOTABLE.get(target_type)
    post = db.session.get(model, target_id) if model is not None else None
    if post is None:
        raise QaError(N_("Questo contenuto non esiste più."))
    question = post if target_type == "question" else post.question
    return model, post, question


def _vote_count(model, target_id: int) -> int:
    return db.session.execute(select(model.vote_count).where(model.id == target_id)).scalar() or 0


@refusal_rolls_back
def vote(user, target_type: str, target_id: int) -> int:
    """Upvote a question ("anch'io") or an answer ("utile"); a second vote changes nothing; returns the count."""
    model, post, question = _votable(user, target_type, target_id)
    if post.author_id == user.id:
        raise QaError(N_("Non si vota un proprio contenuto."))
    if post.visibility != Visibility.VISIBLE or question.visibility != Visibility.VISIBLE:
        raise QaError(N_("Si votano solo contenuti visibili."))
    if not permissions.can_vote(user, post, question, membership_of(user, question.community)):
        raise QaError(N_("Non puoi votare in questa domanda."))
    if has_voted(user, target_type, [target_id]):
        return _vote_count(model, target_id)
    db.session.add(Vote(user_id=user.id, target_type=target_type, target_id=target_id))
    try:
        db.session.flush()  # first write: a twin vote sent at the same moment stops here
    except IntegrityError:
        db.session.rollback()
        return _vote_count(model, target_id)
    db.session.execute(update(model).where(model.id == target_id).values(vote_count=model.vote_count + 1)
                       .execution_options(synchronize_session=False))
    commit_and_email()
    db.session.expire(post, ["vote_count"])
    return _vote_count(model, target_id)


@refusal_rolls_back
def unvote(user, target_type: str, target_id: int) -> int:
    model, post, question = _votable(user, target_type, target_id)
    if not permissions.can_view_question(user, question, membership_of(user, question.community)):
        raise QaError(N_("Questo contenuto non esiste più."))
    removed = db.session.execute(delete(Vote).where(
        Vote.user_id == user.id, Vote.target_type == target_type, Vote.target_id == target_id)).rowcount
    if removed:
        db.session.execute(update(model).where(model.id == target_id, model.vote_count > 0)
                           .values(vote_count=model.vote_count - 1).execution_options(synchronize_session=False))
        commit_and_email()
        db.session.expire(post, ["vote_count"])
    else:
        db.session.rollback()
    return _vote_count(model, target_id)


def has_voted(user, target_type: str, target_ids: list[int]) -> set[int]:
    """Of these posts, the ids the person has voted for (one query)."""
    if not permissions.is_signed_in(user) or not target_ids:
        return set()
    return set(db.session.execute(select(Vote.target_id).where(
        Vote.user_id == user.id, Vote.target_type == target_type, Vote.target_id.in_(list(target_ids)))).scalars())


# ---- follows ---------------------------------------------------------------------------------------------------

_FOLLOW_LEVELS = (FollowLevel.WATCHING, FollowLevel.NORMAL, FollowLevel.MUTED)


def _follow_target(target_type: str, target_id: int):
    from app.models import Community, Practice

    if target_type == "question":
        row = db.session.get(Question, target_id)
        return row, row.community if row is not None else None
    if target_type == "community":
        row = db.session.get(Community, target_id)
        return row, row
    if target_type == "practice":
        row = db.session.get(Practice, target_id)
        return row, row.community if row is not None else None
    return None, None


@refusal_rolls_back
def set_follow(user, target_type: str, target_id: int, level: str):
    """Follow level of a question (watching / normal / muted) or following a community's / practice's questions
    (level watching; "normal" stops following)."""
    row, community = _follow_target(target_type, target_id)
    if row is None:
        raise QaError(N_("Questo contenuto non esiste più."))
    membership = membership_of(user, community)
    if not permissions.can_follow_questions(user, community, membership):
        raise QaError(N_("Seguono le domande le persone iscritte alla piattaforma che vedono la comunità."))
    if target_type == "question" and not permissions.can_view_question(user, row, membership):
        raise QaError(N_("Questo contenuto non esiste più."))
    if target_type == "practice" and not permissions.can_view_practice(user, row, membership):
        raise QaError(N_("Questo contenuto non esiste più."))
    if level not in _FOLLOW_LEVELS or (target_type != "question" and level == FollowLevel.MUTED):
        raise QaError(N_("Scegli un livello di notifica valido."), "level")
    existing = db.session.execute(select(Follow).where(
        Follow.user_id == user.id, Follow.target_type == target_type, Follow.target_id == target_id)).scalar()
    if target_type != "question" and level == FollowLevel.NORMAL:
        if existing is not None:
            db.session.delete(existing)
            commit_and_email()
        return FollowLevel.NORMAL
    if existing is not None:
        if existing.level != level:
            existing.level, existing.updated_at = level, utcnow()
            commit_and_email()
        return level
    db.session.add(Follow(user_id=user.id, target_type=target_type, target_id=target_id, level=level))
    try:
        commit_and_email()
    except IntegrityError:  # the same choice sent twice at once
        db.session.rollback()
        again = db.session.execute(select(Follow).where(
            Follow.user_id == user.id, Follow.target_type == target_type, Follow.target_id == target_id)).scalar()
        if again is not None and again.level != level:
            again.level = level
            commit_and_email()
    return level


def follow_level(user, target_type: str, target_id: int) -> str:
    """The person's level ("normal" when nothing is stored)."""
    if not permissions.is_signed_in(user):
        return FollowLevel.NORMAL
    level = db.session.execute(select(Follow.level).where(
        Follow.user_id == user.id, Follow.target_type == target_type, Follow.target_id == target_id)).scalar()
    return level or FollowLevel.NORMAL


# ---- reading ---------------------------------------------------------------------------------------------------

def answers_in_order(question) -> list:
    """Visible and hidden answers (hidden ones shown as placeholders): accepted first, then votes, then oldest.
    Deleted ones are included too (the page shows the moderation placeholder in their place)."""
    from sqlalchemy.orm import selectinload

    accepted_first = case((Answer.id == question.accepted_answer_id, 0), else_=1) \
        if question.accepted_answer_id is not None else None
    order = ([accepted_first] if accepted_first is not None else []) + [Answer.vote_count.desc(),
                                                                         Answer.created_at, Answer.id]
    return list(db.session.execute(select(Answer).where(Answer.question_id == question.id)
                                   .options(selectinload(Answer.author), selectinload(Answer.organization))
                                   .order_by(*order)).scalars())


def accepted_answers_given(*, user_id: int | None = None, organization_id: int | None = None,
                           reader=None) -> int:
    """How many accepted answers a person, or an organisation's people (when they wrote them), gave; visible ones.

    With a `reader`, only those in questions the reader may see: a private community's activity is not counted for
    outsiders, not even as a number."""
    from app.models import Community
    from app.qa.queries import visible_questions_clause

    if user_id is None and organization_id is None:
        return 0
    condition = Answer.author_id == user_id if user_id is not None else Answer.organization_id == organization_id
    query = (select(func.count(Answer.id))
             .join(Question, and_(Question.accepted_answer_id == Answer.id, Question.id == Answer.question_id))
             .where(condition, Answer.visibility == Visibility.VISIBLE, Question.visibility == Visibility.VISIBLE))
    if reader is not None:
        query = (query.join(Community, Community.id == Question.community_id)
                 .where(visible_questions_clause(reader)))
    return db.session.execute(query).scalar() or 0


__all__ = ["accept", "unaccept", "close", "reopen", "set_pinned", "vote", "unvote", "has_voted", "set_follow",
           "follow_level", "answers_in_order", "accepted_answers_given"]
