"""Moderation of Q&A (issue 12, point 7): reports, hiding, the facilitators' decisions, the audit trail (the queue
they decide from is read by app.qa.review_queue).

One transaction per operation, committed here; a refused one raises QaError and leaves nothing behind.

Decisions:
- A report counts towards hiding while it is unresolved: a review (restore, keep hidden, delete) resolves the item's
  reports, so a restored post is hidden again only by fresh reports (three new people of two organisations, or a
  facilitator). Each person reports an item once, ever (the unique constraint), resolved or not.
- A facilitator's report (`by_facilitator`: the community's facilitators and platform administrators) hides at once
  and sends the item to the queue like the reports' threshold does; hiding from the queue page is a decision
  (needs_review stays off, the reports are resolved, no facilitator is asked to look).
- `answer_count` counts visible answers: hiding or deleting a visible answer takes one off, restoring adds it back.
- A hidden accepted answer stays accepted (the question stays solved while the facilitators look); a deleted one
  stops being accepted: the question goes back to open (a closed one stays closed) with a QuestionEvent "unaccept".
- A hidden question keeps answering at its URL (200, a placeholder for readers, the content for its author and the
  moderators), so links in notifications keep working; a deleted one is a 404 except to moderators
  (permissions.can_view_question). Lists leave out both (app.qa.queries.visible_questions).
- Notifications: the author hears of hiding (qa.post_hidden), restoring (qa.post_restored) and deleting
  (qa.post_deleted); "keep hidden" tells nobody (the author already knows). The community's facilitators, except
  whoever acted, hear of an item waiting for review (qa.review_needed).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import case, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from app import permissions
from app.extensions import db
from app.models import User
from app.models.base import utcnow
from app.models.qa import Answer, Comment, ModerationEvent, Question, QuestionEvent, Report
from app.qa.services import QaError
from app.qa.workflow import (N_, QaWorkflowError, QuestionStatus, ReportReason, ReviewAction, Visibility,
                             should_hide)
from app.qa.workflow import review as review_transition

NOTE_MAX = 1000
KINDS: dict[str, type] = {"question": Question, "answer": Answer, "comment": Comment}

# What each audit-trail action means, for the queue's history (other helpers write some of them).
EVENT_LABELS = {
    "hidden_by_reports": N_("Nascosto dalle segnalazioni"),
    "hidden_by_facilitator": N_("Nascosto da chi anima la comunità"),
    "restored": N_("Ripristinato"),
    "kept_hidden": N_("Mantenuto nascosto"),
    "deleted": N_("Eliminato"),
    "edited_for_review": N_("Modificato da chi l'ha scritto: torna all'esame"),
    "revision_hidden": N_("Versione nascosta"),
    "reports_dismissed": N_("Segnalazioni archiviate: il contenuto resta visibile"),
}


def kind_of(post) -> str:
    for kind, model in KINDS.items():
        if isinstance(post, model):
            return kind
    raise ValueError(post)


def load_post(kind: str, post_id: int):
    """The post of that kind and id and its question, or (None, None)."""
    model = KINDS.get(kind)
    if model is None:
        return None, None
    post = db.session.get(model, post_id)
    if post is None:
        return None, None
    return post, (post if model is Question else post.question)


def _membership(user, community):
    from app.communities.services import membership_of

    return membership_of(community, user)


def _lock(post) -> None:
    """Row lock on the post (an UPDATE of itself: PostgreSQL row lock, SQLite write lock), then read it again."""
    model = type(post)
    db.session.execute(update(model).where(model.id == post.id).values(id=model.id))
    db.session.refresh(post)


def _commit() -> None:
    from app.notifications.services import send_pending_immediate_emails

    db.session.commit()
    send_pending_immediate_emails()


def question_url(question: Question) -> str:
    return url_for("qa.question", question_id=question.id)


def queue_url(community) -> str:
    return url_for("qa.review_queue", slug=community.slug)


# ---- reports ---------------------------------------------------------------------------------------------------

@dataclass
class ReportOutcome:
    report: Report
    hidden: bool  # this report hid the item


def why_not_report(user, post, question, membership):
    """The reason (a msgid) a person may not report this post, or None. A post of a hidden question is not
    reportable: the question itself is already hidden, waiting for the moderators."""
    if post is not question and question.visibility != Visibility.VISIBLE:
        return N_("Questa domanda è già nascosta o eliminata.")
    if permissions.can_report(user, post, question, membership):
        return None
    if permissions.is_signed_in(user) and post.author_id == user.id:
        return N_("Non puoi segnalare un tuo contenuto.")
    if post.visibility != Visibility.VISIBLE:
        return N_("Questo contenuto è già nascosto o eliminato.")
    return N_("Segnalano i contenuti le persone iscritte alla piattaforma che li vedono.")


def report(user, post, question, membership, *, reason: str, note: str = "") -> ReportOutcome:
    """Report a post, once per person; hides it at once when the reports reach the threshold (workflow.should_hide)
    or the reporter is one of the community's facilitators."""
    try:
        return _report(user, post, question, membership, reason=reason, note=note)
    except QaError:
        db.session.rollback()
        raise


def _report(user, post, question, membership, *, reason, note) -> ReportOutcome:
    try:
        reason = ReportReason(reason or "")
    except ValueError:
        raise QaError(N_("Scegli il motivo della segnalazione."), "reason") from None
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise QaError(N_("La nota può avere al massimo 1000 caratteri."), "note")
    kind = kind_of(post)
    _lock(post)
    if _already_reported(user, kind, post.id):
        raise QaError(N_("Hai già segnalato questo contenuto: una segnalazione per persona basta."))
    refusal = why_not_report(user, post, question, membership)
    if refusal:
        raise QaError(refusal)
    by_facilitator = permissions.can_moderate_qa(user, question.community, membership)
    row = Report(community_id=question.community_id, question_id=question.id, target_type=kind, target_id=post.id,
                 reporter_id=user.id, organization_id=user.organization_id, by_facilitator=by_facilitator,
                 reason=reason.value, note=note, created_at=utcnow())
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:  # the same person's report a moment ago (a double click)
        db.session.rollback()
        raise QaError(N_("Hai già segnalato questo contenuto: una segnalazione per persona basta.")) from None
    open_reports = db.session.execute(
        select(Report.reporter_id, Report.organization_id, Report.by_facilitator).where(
            Report.target_type == kind, Report.target_id == post.id, Report.resolved_at.is_(None))).all()
    hidden = should_hide([tuple(each) for each in open_reports])
    if hidden:
        if by_facilitator:
            _hide(post, question, kind, actor=user, action="hidden_by_facilitator", note=note)
        else:
            _hide(post, question, kind, actor=None, action="hidden_by_reports")
    _commit()
    return ReportOutcome(report=row, hidden=hidden)


def _already_reported(user, kind: str, post_id: int) -> bool:
    return db.session.execute(select(Report.id).where(
        Report.reporter_id == user.id, Report.target_type == kind, Report.target_id == post_id)).first() is not None


def _hide(post, question, kind: str, *, actor, action: str, note: str = "", needs_review: bool = True) -> None:
    """Visible → hidden: placeholder for readers, the author told, facilitators asked to review (when needed)."""
    was_visible = post.visibility == Visibility.VISIBLE
    post.visibility = Visibility.HIDDEN
    post.hidden_at = utcnow()
    post.needs_review = needs_review
    if kind == "answer" and was_visible:
        _count_answer(question, -1)
    _event(post, question, kind, action, actor, note)
    _tell_author(post, question, "qa.post_hidden", actor)
    if needs_review:
        _tell_facilitators(post, question, actor)


def _count_answer(question, change: int) -> None:
    """answer_count ± 1, and first_answer_at again from the visible answers by people other than the asker (a
    hidden or deleted answer no longer makes the question "answered")."""
    counted = Question.answer_count + change
    db.session.flush()  # the answer's new visibility, for the subquery below
    first = (select(func.min(Answer.created_at))
             .where(Answer.question_id == question.id, Answer.visibility == Visibility.VISIBLE,
                    or_(Question.author_id.is_(None), Answer.author_id.is_(None),
                        Answer.author_id != Question.author_id))
             .correlate(Question).scalar_subquery())
    db.session.execute(update(Question).where(Question.id == question.id).values(
        answer_count=case((counted < 0, 0), else_=counted), first_answer_at=first)
        .execution_options(synchronize_session=False))
    db.session.expire(question, ["answer_count", "first_answer_at"])


def _event(post, question, kind: str, action: str, actor, note: str = "") -> ModerationEvent:
    event = ModerationEvent(community_id=question.community_id, question_id=question.id, target_type=kind,
                            target_id=post.id, action=action, actor_id=actor.id if actor else None, note=note or "",
                            created_at=utcnow())
    db.session.add(event)
    return event


def _may_hear(person, question) -> bool:
    """Whether a person may be told of this question (whatever its moderation state)."""
    if person is None or not person.can_sign_in or not permissions.is_member(person):
        return False
    membership = _membership(person, question.community)
    if not permissions.can_view_community(person, question.community, membership):
        return False
    return question.practice is None or permissions.can_view_practice(person, question.practice, membership)


def _tell_author(post, question, verb: str, actor) -> None:
    from app.notifications.services import notify

    author = db.session.get(User, post.author_id) if post.author_id else None
    if author is None or (actor is not None and author.id == actor.id) or not _may_hear(author, question):
        return
    gone = question.visibility == Visibility.DELETED  # a deleted question answers 404 to its author
    link = url_for("communities.home", slug=question.community.slug) if gone else question_url(question)
    notify(author, verb, actor=actor, community=question.community, link=link, question=question.title)


def _tell_facilitators(post, question, actor) -> None:
    from app.communities.services import facilitators
    from app.notifications.services import notify

    for person in facilitators(question.community):
        if actor is None or person.id != actor.id:
            notify(person, "qa.review_needed", actor=actor, community=question.community,
                   link=queue_url(question.community), question=question.title)


# ---- review ----------------------------------------------------------------------------------------------------

def review(user, post, question, membership, action: str, *, note: str = "") -> Visibility:
    """A moderator's decision on a post (workflow.review): restore, keep hidden (also: hide a visible one), delete.
    Each writes a ModerationEvent with the actor and resolves the post's open reports."""
    try:
        return _review(user, post, question, membership, action, note=note)
    except QaError:
        db.session.rollback()
        raise


def _review(user, post, question, membership, action, *, note) -> Visibility:
    try:
        action = ReviewAction(action or "")
    except ValueError:
        raise QaError(N_("Scegli che cosa fare di questo contenuto.")) from None
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise QaError(N_("La nota può avere al massimo 1000 caratteri."), "note")
    kind = kind_of(post)
    _lock(post)
    before = post.visibility
    try:
        after = review_transition(before, action, permissions.qa_roles(user, question, membership))
    except QaWorkflowError as error:
        raise QaError(str(error)) from None
    now = utcnow()
    if action == ReviewAction.RESTORE:
        post.visibility, post.hidden_at, post.needs_review = Visibility.VISIBLE, None, False
        if kind == "answer":
            _count_answer(question, +1)
        _event(post, question, kind, "restored", user, note)
        _tell_author(post, question, "qa.post_restored", user)
    elif action == ReviewAction.KEEP_HIDDEN and before == Visibility.VISIBLE:
        _hide(post, question, kind, actor=user, action="hidden_by_facilitator", note=note, needs_review=False)
    elif action == ReviewAction.KEEP_HIDDEN:
        post.needs_review = False
        _event(post, question, kind, "kept_hidden", user, note)
    elif action == ReviewAction.DISMISS:
        _event(post, question, kind, "reports_dismissed", user, note)
    else:  # delete
        post.visibility, post.needs_review = Visibility.DELETED, False
        if post.hidden_at is None:
            post.hidden_at = now
        if kind == "answer":
            if before == Visibility.VISIBLE:
                _count_answer(question, -1)
            _drop_acceptance(user, post, question)
        _event(post, question, kind, "deleted", user, note)
        _tell_author(post, question, "qa.post_deleted", user)
    db.session.execute(update(Report).where(Report.target_type == kind, Report.target_id == post.id,
                                            Report.resolved_at.is_(None)).values(resolved_at=now))
    _commit()
    return after


def _drop_acceptance(user, answer, question) -> None:
    """A deleted answer is no longer the accepted one: a solved question is open again."""
    if question.accepted_answer_id != answer.id:
        return
    before = question.status
    question.accepted_answer_id = None
    question.accepted_by_id = None
    question.accepted_at = None
    if question.status == QuestionStatus.SOLVED:
        question.status = QuestionStatus.OPEN
    db.session.add(QuestionEvent(question_id=question.id, action="unaccept", from_status=before,
                                 to_status=question.status, actor_id=user.id, answer_id=answer.id,
                                 note="deleted by moderation", created_at=utcnow()))
