"""The commission's private discussion of a candidacy (issue 13, point 8): posts with one level of replies, read
and written by who may discuss it (access.can_discuss: the chair handling it, administrators, and assigned reviewers
once their own review is submitted), and news of a new post to the candidacy's other commission members under the
same rule — never to a reviewer who has not yet sent their review, never to a conflicted member, never to the
candidate."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.evaluation import access
from app.evaluation.core import EvaluationError, N_, commit_and_email, lock, notify_people, refusal_rolls_back
from app.evaluation.queries import LIVE_ASSIGNMENT
from app.evaluation.workflow import CallPhase
from app.verbs import NOTIFICATION_TEXTS
from app.extensions import db
from app.models import Assignment, DiscussionPost, User
from app.models.evaluation import TEXT_MAX

NOTIFICATION_TEXTS.update({
    "evaluation.discussion_new": _l("%(actor)s ha scritto nella discussione della commissione su «%(practice)s» "
                                    "(%(call)s)"),
})

# Posting is open while the commission works; once decisions are published the discussion is read-only (minutes).
POSTING_PHASES = (CallPhase.REVIEW, CallPhase.CONSENSUS)


@dataclass
class Thread:
    """A top-level post and its replies, oldest first."""

    post: DiscussionPost
    replies: list[DiscussionPost] = field(default_factory=list)


def threads(candidacy) -> list[Thread]:
    """The discussion of a candidacy as threads, oldest first (two queries whatever its length)."""
    posts = db.session.execute(
        select(DiscussionPost).where(DiscussionPost.candidacy_id == candidacy.id)
        .options(selectinload(DiscussionPost.author).selectinload(User.organization))
        .order_by(DiscussionPost.created_at, DiscussionPost.id)).scalars().all()
    by_id: dict[int, Thread] = {}
    result: list[Thread] = []
    for post in posts:
        if post.parent_id is None:
            by_id[post.id] = Thread(post)
            result.append(by_id[post.id])
    for post in posts:
        if post.parent_id is not None and post.parent_id in by_id:
            by_id[post.parent_id].replies.append(post)
    return result


def may_post(candidacy) -> bool:
    return candidacy.call.phase in POSTING_PHASES


def commission_of(candidacy) -> list[User]:
    """Who discusses the candidacy: the person chairing it (the chair, or the deputy handling it) and the reviewers
    assigned to it — each only if they may discuss it now (review submitted, no conflict: access.can_discuss)."""
    call = candidacy.call
    ids = [candidacy.chair_handled_by_id or call.chair_id]
    ids += list(db.session.execute(select(Assignment.user_id).where(
        Assignment.candidacy_id == candidacy.id, Assignment.status.in_(LIVE_ASSIGNMENT))).scalars())
    ids = [each for each in dict.fromkeys(ids) if each is not None]
    if not ids:
        return []
    people = db.session.execute(select(User).where(User.id.in_(ids)).order_by(User.id)).scalars().all()
    return [person for person in people if access.can_discuss(person, candidacy)]


def _clean_body(body: str | None) -> str:
    body = (body or "").strip()
    if not body:
        raise EvaluationError(N_("Scrivi il messaggio."), field="body")
    if len(body) > TEXT_MAX:
        raise EvaluationError(N_("Il messaggio può avere al massimo %(max)d caratteri."), field="body", max=TEXT_MAX)
    return body


@refusal_rolls_back
def post(candidacy, actor, body: str | None, parent_id: int | None = None) -> DiscussionPost:
    """Add a post (or a reply: a reply to a reply joins its thread) and tell the other commission members."""
    body = _clean_body(body)
    lock(candidacy)
    if not may_post(candidacy):
        raise EvaluationError(N_("La discussione è chiusa: si scrive durante la valutazione e la fase di consenso."))
    if not access.can_discuss(actor, candidacy):
        raise EvaluationError(N_("Discutono la candidatura chi presiede e chi la valuta, dopo aver inviato la propria "
                                 "valutazione."))
    parent = None
    if parent_id is not None:
        parent = db.session.get(DiscussionPost, parent_id)
        if parent is None or parent.candidacy_id != candidacy.id:
            raise EvaluationError(N_("Il messaggio a cui rispondi non esiste più."), field="body")
        if parent.parent_id is not None:  # one level of replies
            parent = db.session.get(DiscussionPost, parent.parent_id)
    posted = DiscussionPost(candidacy_id=candidacy.id, parent_id=parent.id if parent else None, author_id=actor.id,
                            body=body)
    db.session.add(posted)
    db.session.flush()
    practice_title = (candidacy.snapshot or {}).get("title") or candidacy.practice.title
    notify_people(commission_of(candidacy), "evaluation.discussion_new", actor,
                  url_for("evaluation.discussion", candidacy_id=candidacy.id, _anchor=f"post-{posted.id}"),
                  practice=practice_title, call=candidacy.call.title)
    commit_and_email()
    return posted
