"""Who hears of what in Q&A, through app.notifications (in-app and e-mail, immediate or digest). Nobody is told of
what they may not see (app.qa.queries.who_may_see). Called by the services inside their transaction.
(Owner: the services helper.)

Follow levels of a question (qa_follow rows, target "question"):
- watching — asking or answering watches a question (the services add the row unless the person chose a level
  already), or the person chose it: new answers, comments, acceptances, duplicate closing, mentions;
- normal — no row, or the person chose it: only mentions and the acceptance of their own answer;
- muted — nothing at all about that question, mentions included.
Following a community's or a practice's questions (rows with target "community" / "practice", level watching):
new questions there. The actor is never told of what they did; each person hears once per event (the most
specific news wins: a mention over a new answer).

Mentions: `@[Nome Cognome](user:ID)` — the syntax the suggestion list (`qa.mention_suggestions`, fed by
mention_candidates below) inserts; the id decides who is mentioned, the name is only what the writer saw (the page
shows the person's current name). Plain `@name` text mentions nobody. At most MENTIONS_PER_POST people per post.
"""
from __future__ import annotations

import re

from flask import url_for
from sqlalchemy import func, or_, select

from app import permissions
from app.extensions import db
from app.models import Membership, User
from app.models.qa import Answer, Comment, Follow, FollowLevel, Question

MENTION_RE = re.compile(r"@\[([^\]\n]{1,120})\]\(user:(\d{1,9})\)")
MENTIONS_PER_POST = 20


# ---- building blocks -------------------------------------------------------------------------------------------

def mention_syntax(user) -> str:
    """What the suggestion list inserts for a person."""
    name = " ".join((user.full_name or "").replace("[", "(").replace("]", ")").split())
    return f"@[{name}](user:{user.id})"


def mentioned_ids(text: str | None) -> list[int]:
    """The ids mentioned in a text, in order, once each."""
    ids: list[int] = []
    for match in MENTION_RE.finditer(text or ""):
        user_id = int(match.group(2))
        if user_id not in ids:
            ids.append(user_id)
        if len(ids) >= MENTIONS_PER_POST:
            break
    return ids


def question_link(question: Question, anchor: str | None = None) -> str:
    return url_for("qa.question", question_id=question.id, _anchor=anchor)


def _anchor(post) -> str | None:
    if isinstance(post, Answer):
        return f"answer-{post.id}"
    if isinstance(post, Comment):
        return f"comment-{post.id}"
    return None


def _levels(question: Question) -> dict[int, str]:
    """Stored follow levels of the question, by person."""
    return dict(db.session.execute(select(Follow.user_id, Follow.level).where(
        Follow.target_type == "question", Follow.target_id == question.id)).all())


def _watchers(question: Question, levels: dict[int, str]) -> list[User]:
    ids = [user_id for user_id, level in levels.items() if level == FollowLevel.WATCHING]
    return _people(ids)


def _people(ids) -> list[User]:
    ids = list(dict.fromkeys(i for i in ids if i is not None))
    if not ids:
        return []
    rows = {u.id: u for u in db.session.execute(select(User).where(User.id.in_(ids))).scalars()}
    return [rows[i] for i in ids if i in rows]


class _Round:
    """One event's notifications: each person once, never the actor, only who may see the question, never who
    muted it."""

    def __init__(self, question: Question, actor: User | None, levels: dict[int, str] | None = None):
        self.question = question
        self.actor = actor
        self.levels = _levels(question) if levels is None else levels
        self.told: set[int] = set()

    def tell(self, people, verb: str, *, anchor: str | None = None, **params) -> None:
        from app.notifications.services import notify
        from app.qa.queries import who_may_see

        candidates = [p for p in people if p is not None and p.id not in self.told
                      and (self.actor is None or p.id != self.actor.id)
                      and self.levels.get(p.id) != FollowLevel.MUTED]
        if not candidates:
            return
        link = question_link(self.question, anchor)
        for person in who_may_see(self.question, candidates):
            self.told.add(person.id)
            notify(person, verb, actor=self.actor, community=self.question.community, link=link,
                   question=self.question.title, **params)


def _mentions(round_: _Round, post, text: str, previous: str | None = None) -> None:
    if post.visibility != "visible":  # a hidden post's readers are its author and the moderators
        return
    ids = [i for i in mentioned_ids(text) if i not in set(mentioned_ids(previous))]
    if ids:
        round_.tell(_people(ids), "qa.mention", anchor=_anchor(post))


def _author(post) -> User | None:
    return db.session.get(User, post.author_id) if post.author_id is not None else None


# ---- events ----------------------------------------------------------------------------------------------------

def question_asked(question) -> None:
    """Followers of the community, and of the practice, hear of a new question; mentioned people too."""
    actor = _author(question)
    round_ = _Round(question, actor)
    _mentions(round_, question, question.body)
    targets = [("community", question.community_id)]
    if question.practice_id is not None:
        targets.append(("practice", question.practice_id))
    ids = db.session.execute(select(Follow.user_id).where(
        or_(*[(Follow.target_type == kind) & (Follow.target_id == target) for kind, target in targets]),
        Follow.level == FollowLevel.WATCHING).order_by(Follow.id)).scalars().all()
    round_.tell(_people(ids), "qa.question_new")


def answer_posted(answer) -> None:
    """Watchers of the question (not muted, not the answerer) hear of a new answer; mentioned people too."""
    question = answer.question
    round_ = _Round(question, _author(answer))
    _mentions(round_, answer, answer.body)
    round_.tell(_watchers(question, round_.levels), "qa.answer_official" if answer.official else "qa.answer_new",
                anchor=_anchor(answer))


def comment_posted(comment) -> None:
    """Watchers hear of a comment; mentioned people too."""
    question = comment.question
    round_ = _Round(question, _author(comment))
    _mentions(round_, comment, comment.body)
    round_.tell(_watchers(question, round_.levels), "qa.comment_new", anchor=_anchor(comment))


def mentioned(post, text: str, question, *, actor=None, previous: str | None = None) -> None:
    """`@`-mentions in `text` of people who may see the question (`previous`: the text before an edit, whose
    mentions were already told)."""
    _mentions(_Round(question, actor if actor is not None else _author(post)), post, text, previous)


def answer_accepted(question, answer, actor) -> None:
    """The answerer hears that the answer was accepted; the asker too, when someone else accepted."""
    round_ = _Round(question, actor)
    round_.tell([_author(answer)], "qa.answer_accepted", anchor=_anchor(answer))
    round_.tell([_author(question)], "qa.accepted_by_other", anchor=_anchor(answer))


def closed_as_duplicate(question, original, actor) -> None:
    """The asker and the watchers hear that the question was closed as a duplicate of `original`."""
    from app.qa.queries import who_may_see

    round_ = _Round(question, actor)
    people = [p for p in [_author(question)] + _watchers(question, round_.levels) if p is not None]
    # Nobody learns the title of an original they may not see (actions.close already refuses such originals).
    round_.tell(who_may_see(original, people), "qa.closed_duplicate", original=original.title)


def choose_answer(question, people) -> int:
    """Invite facilitators / donor referents to choose an answer (7 days without one); how many were told."""
    round_ = _Round(question, None)
    round_.tell(people, "qa.choose_answer")
    return len(round_.told)


# ---- the mention suggestion list -------------------------------------------------------------------------------

def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def mention_candidates(question, prefix: str, limit: int = 8) -> list[User]:
    """People who may see the question whose name starts with, or contains, `prefix` (names starting with it
    first): the community's active members, the practice's donor team and whoever took part in the question."""
    from app.qa.queries import who_may_see

    prefix = " ".join((prefix or "").replace("\x00", "").lstrip("@").split())[:60]  # PostgreSQL refuses NUL
    if not prefix:
        return []
    limit = max(1, min(int(limit), 20))
    members = select(Membership.user_id).where(Membership.community_id == question.community_id,
                                               Membership.status == "active")
    taking_part = [select(Answer.author_id).where(Answer.question_id == question.id),
                   select(Comment.author_id).where(Comment.question_id == question.id)]
    pool = [User.id.in_(members), User.id == question.author_id,
            *[User.id.in_(query) for query in taking_part]]
    if question.practice is not None:
        pool.append(User.organization_id.in_(question.practice.donor_ids))
    pattern = f"%{_escape_like(prefix.lower())}%"
    starts = f"{_escape_like(prefix.lower())}%"
    name = func.lower(User.full_name)
    rows = db.session.execute(select(User).where(or_(*pool), name.like(pattern, escape="\\"))
                              .order_by(name.like(starts, escape="\\").desc(), name, User.id)
                              .limit(limit * 3)).scalars().all()
    return [person for person in who_may_see(question, rows) if permissions.is_member(person)][:limit]
