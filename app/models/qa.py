"""Questions and answers (issue 12): questions, answers, comments, revisions, votes, follows, reports, moderation.

Every post records the person and the organisation the person belonged to *when posting*: a person who moves to
another administration does not carry their old answers with them. Votes, follows, reports, revisions and the
moderation log point at a post by (target_type, target_id) — "question", "answer" or "comment" — so one table
serves the three kinds; services remove them with their post.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import utcnow
from app.models.community import Community
from app.models.organization import Organization
from app.models.practice import Practice
from app.models.user import User
from app.qa.workflow import CloseReason, QuestionStatus, ReportReason, Visibility

TITLE_MAX = 200
BODY_MAX = 20_000
COMMENT_MAX = 600
TAG_MAX = 40
TAGS_PER_QUESTION = 5

QUESTION_STATUS_LABELS = {
    QuestionStatus.OPEN: _l("Aperta"),
    QuestionStatus.SOLVED: _l("Risolta"),
    QuestionStatus.CLOSED: _l("Chiusa"),
}

CLOSE_REASON_LABELS = {
    CloseReason.DUPLICATE: _l("Duplicato di un'altra domanda"),
    CloseReason.OUT_OF_SCOPE: _l("Fuori tema per la comunità"),
    CloseReason.NEEDS_DETAIL: _l("Servono più dettagli"),
    CloseReason.OBSOLETE: _l("Non più attuale"),
}

REPORT_REASON_LABELS = {
    ReportReason.SPAM: _l("Spam o pubblicità"),
    ReportReason.OFFENSIVE: _l("Offensivo o inappropriato"),
    ReportReason.OFF_TOPIC: _l("Fuori tema"),
    ReportReason.DUPLICATE: _l("Duplicato"),
    ReportReason.OUTDATED: _l("Non più attuale"),
}


class Question(db.Model):
    """A question in a community, optionally about one of its practices (then on the practice's Discussione tab)."""

    __tablename__ = "question"
    __table_args__ = (
        Index("ix_question_community_activity", "community_id", "last_activity_at"),
        Index("ix_question_practice_activity", "practice_id", "last_activity_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    practice_id: Mapped[int | None] = mapped_column(ForeignKey("practice.id"))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=QuestionStatus.OPEN, index=True)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    accepted_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("answer.id", use_alter=True, name="fk_question_accepted_answer_id_answer"))
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    close_reason: Mapped[str | None] = mapped_column(String(20))
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("question.id"))
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    visibility: Mapped[str] = mapped_column(String(16), default=Visibility.VISIBLE, index=True)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Counters kept by the services in the same transaction as the rows they count (lists sort on them).
    answer_count: Mapped[int] = mapped_column(Integer, default=0)
    vote_count: Mapped[int] = mapped_column(Integer, default=0)
    # The first answer by someone other than the asker: the responsiveness figures read it.
    first_answer_at: Mapped[datetime | None] = mapped_column(DateTime)
    # When facilitators were invited to choose an answer after 7 days without one accepted (once per question).
    acceptors_invited_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    community: Mapped[Community] = relationship()
    practice: Mapped[Practice | None] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    organization: Mapped[Organization | None] = relationship()
    accepted_by: Mapped[User | None] = relationship(foreign_keys=[accepted_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    duplicate_of: Mapped[Question | None] = relationship(remote_side=[id], foreign_keys=[duplicate_of_id])
    accepted_answer: Mapped[Answer | None] = relationship(foreign_keys=[accepted_answer_id], post_update=True)
    answers: Mapped[list[Answer]] = relationship(back_populates="question", foreign_keys="Answer.question_id",
                                                 order_by="Answer.id")
    tags: Mapped[list[QuestionTag]] = relationship(back_populates="question", cascade="all, delete-orphan",
                                                   order_by="QuestionTag.name")

    @property
    def status_label(self) -> str:
        return str(QUESTION_STATUS_LABELS.get(self.status, self.status))

    @property
    def close_reason_label(self) -> str:
        return str(CLOSE_REASON_LABELS.get(self.close_reason, self.close_reason or ""))

    @property
    def is_visible(self) -> bool:
        return self.visibility == Visibility.VISIBLE

    @property
    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.tags]

    def __repr__(self) -> str:
        return f"<Question {self.id} {self.status}>"


class QuestionTag(db.Model):
    __tablename__ = "question_tag"
    __table_args__ = (UniqueConstraint("question_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    name: Mapped[str] = mapped_column(String(TAG_MAX), index=True)

    question: Mapped[Question] = relationship(back_populates="tags")


class Answer(db.Model):
    """One answer per person per question, improved by editing."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("question_id", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    # Written by a person of the practice's donor or co-donor organisations, on a practice question (when posted).
    official: Mapped[bool] = mapped_column(Boolean, default=False)
    visibility: Mapped[str] = mapped_column(String(16), default=Visibility.VISIBLE, index=True)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime)
    vote_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    question: Mapped[Question] = relationship(back_populates="answers", foreign_keys=[question_id])
    author: Mapped[User | None] = relationship()
    organization: Mapped[Organization | None] = relationship()

    @property
    def is_visible(self) -> bool:
        return self.visibility == Visibility.VISIBLE


class Comment(db.Model):
    """A short flat comment on a question (answer_id empty) or on one of its answers."""

    __tablename__ = "qa_comment"
    __table_args__ = (Index("ix_qa_comment_question_created", "question_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answer.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    body: Mapped[str] = mapped_column(String(COMMENT_MAX))
    visibility: Mapped[str] = mapped_column(String(16), default=Visibility.VISIBLE, index=True)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    question: Mapped[Question] = relationship()
    answer: Mapped[Answer | None] = relationship()
    author: Mapped[User | None] = relationship()
    organization: Mapped[Organization | None] = relationship()

    @property
    def is_visible(self) -> bool:
        return self.visibility == Visibility.VISIBLE


class Revision(db.Model):
    """One version of a post: number 1 is what was first posted, each edit adds the next (who, when, what)."""

    __tablename__ = "qa_revision"
    __table_args__ = (UniqueConstraint("target_type", "target_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(String(TITLE_MAX))  # questions only
    body: Mapped[str] = mapped_column(Text)
    tags: Mapped[str | None] = mapped_column(String(300))  # questions only, comma-separated
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # A facilitator hides a revision that should not be read (personal data): the reason stays visible.
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime)

    editor: Mapped[User | None] = relationship(foreign_keys=[editor_id])
    hidden_by: Mapped[User | None] = relationship(foreign_keys=[hidden_by_id])


class Vote(db.Model):
    """An upvote: "utile" on an answer, "anch'io" on a question; one per person per post."""

    __tablename__ = "qa_vote"
    __table_args__ = (UniqueConstraint("user_id", "target_type", "target_id"),
                      Index("ix_qa_vote_target", "target_type", "target_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class FollowLevel:
    WATCHING = "watching"
    NORMAL = "normal"
    MUTED = "muted"


class Follow(db.Model):
    """A person's follow level of a question (watching / normal / muted), or following the questions of a
    community or of a practice (new questions; level watching)."""

    __tablename__ = "qa_follow"
    __table_args__ = (UniqueConstraint("user_id", "target_type", "target_id"),
                      Index("ix_qa_follow_target", "target_type", "target_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    target_type: Mapped[str] = mapped_column(String(16))  # question | community | practice
    target_id: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(16), default=FollowLevel.WATCHING)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship()


class Report(db.Model):
    """A report of a question, answer or comment; once per person per item."""

    __tablename__ = "qa_report"
    __table_args__ = (UniqueConstraint("reporter_id", "target_type", "target_id"),
                      Index("ix_qa_report_target", "target_type", "target_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))  # the reporter's, then
    by_facilitator: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)  # the facilitators' review closed it

    reporter: Mapped[User] = relationship()

    @property
    def reason_label(self) -> str:
        return str(REPORT_REASON_LABELS.get(self.reason, self.reason))


class ModerationEvent(db.Model):
    """The audit trail of moderation: hidden (by reports or a facilitator), restored, kept hidden, deleted, back to
    review after the author's edit; revisions hidden."""

    __tablename__ = "qa_moderation_event"
    __table_args__ = (Index("ix_qa_moderation_event_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(24))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # None: the reports' threshold
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()


class QuestionEvent(db.Model):
    """Who moved a question from which status to which, and when (accept, unaccept, close, reopen, pin)."""

    __tablename__ = "question_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    answer_id: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()


class SupportLink(db.Model):
    """A question and a support request that belong together: a request opened from a practice question
    ("escalated"), or a resolved request published as a solved question ("published", once the requester agrees)."""

    __tablename__ = "qa_support_link"
    __table_args__ = (UniqueConstraint("question_id", "support_request_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("question.id"), index=True)
    support_request_id: Mapped[int] = mapped_column(ForeignKey("support_request.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # escalated | published
    # A publication waits for the requester's consent: proposed, then agreed (the question exists) or refused.
    state: Mapped[str] = mapped_column(String(16), default="agreed")
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    proposed_title: Mapped[str | None] = mapped_column(String(TITLE_MAX))
    proposed_body: Mapped[str | None] = mapped_column(Text)
    proposed_answer: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
