"""Bridges between questions and support requests (issue 12, point 10); one transaction each, committed here.

- Escalate: from a practice question, a person of the asker's organisation asks the donors for support. The request
  is opened by the support service itself (app.reuse.support.open_request: its checks, its notifications, its
  double-submission guard), prefilled from the question; then a SupportLink(kind="escalated") ties the two.
- Publish: on a resolved or closed request, a donor proposes to publish it as a solved question (title, question,
  answer; prefilled from the request's description and the donors' messages — never their internal notes). The
  requesting organisation agrees or refuses; on agreement the question is created in the practice's community,
  asked by the requester, with the donor's answer marked as the donors' (official) and accepted.

Decisions:
- open_request commits the request on its own (it stores files and sends e-mails around its commit), so the link is
  written in a second transaction right after it. Sending the same form twice gives the same request (its token)
  and still one link (the link is looked up before it is added, and the pair is unique).
- A request can be proposed for publication once at a time: a new proposal is refused while one waits or once one
  was agreed; after a refusal the donors may propose again (with other words), the refusal stays in the record.
- The published question is asked by the request's requester (by the person who agreed when the requester left
  the organisation), accepted by the person who agreed; the answer is written by the proposing donor, in the name
  of the organisation they belong to when it is published.
"""
from __future__ import annotations

from sqlalchemy import select, update

from app import permissions
from app.extensions import db
from app.models import SupportRequest, User
from app.models.base import utcnow
from app.models.qa import Answer, Question, QuestionEvent, Revision, SupportLink
from app.qa.services import QaError, commit_and_email, ensure_follow, refusal_rolls_back
from app.qa.validation import clean_body, clean_title
from app.qa.workflow import N_, QuestionStatus, Visibility

ESCALATED = "escalated"
PUBLISHED = "published"
PROPOSED, AGREED, REFUSED = "proposed", "agreed", "refused"
PUBLISHABLE = ("resolved", "closed")


# ---- reading ---------------------------------------------------------------------------------------------------

def links_of_question(question: Question) -> list[SupportLink]:
    return list(db.session.execute(select(SupportLink).where(SupportLink.question_id == question.id)
                                   .order_by(SupportLink.id)).scalars())


def links_of_request(request: SupportRequest) -> list[SupportLink]:
    return list(db.session.execute(select(SupportLink).where(SupportLink.support_request_id == request.id)
                                   .order_by(SupportLink.id)).scalars())


def requests_of_question(question: Question, user, links: list[SupportLink] | None = None) -> list[SupportRequest]:
    """The support requests opened from this question that this reader may see (the two organisations and
    administrators: a request exists only for them)."""
    links = links_of_question(question) if links is None else links
    ids = [link.support_request_id for link in links if link.kind == ESCALATED]
    if not ids:
        return []
    found = db.session.execute(select(SupportRequest).where(SupportRequest.id.in_(ids))
                               .order_by(SupportRequest.id)).scalars()
    return [request for request in found if permissions.can_view_request(user, request)]


def publication_of(request: SupportRequest) -> SupportLink | None:
    """The request's latest publication proposal (waiting, agreed or refused), if any."""
    return db.session.execute(select(SupportLink).where(
        SupportLink.support_request_id == request.id, SupportLink.kind == PUBLISHED)
        .order_by(SupportLink.id.desc()).limit(1)).scalar()


# ---- escalate --------------------------------------------------------------------------------------------------

def why_not_escalate(user, question: Question) -> str | None:
    """Why this person may not open a support request from this question (a msgid), or None."""
    if question.practice is None:
        return N_("Solo da una domanda su una pratica si chiede supporto ai suoi cedenti.")
    if not permissions.is_of_organization(user, question.organization_id):
        return N_("Chiede supporto dalla domanda una persona dell'ente che l'ha fatta.")
    if not permissions.can_reuse(user, question.practice):
        return N_("Il tuo ente non può chiedere supporto su questa pratica.")
    if question.visibility != Visibility.VISIBLE:
        return N_("La domanda è nascosta in attesa di verifica.")
    if question.practice.status != "published":
        return N_("Si chiede supporto solo su una pratica pubblicata.")
    return None


def may_escalate(user, question: Question) -> bool:
    return permissions.is_member(user) and why_not_escalate(user, question) is None


def prefill_description(question: Question, link: str) -> str:
    """The request's description: the question's text and where it comes from."""
    from flask_babel import gettext as _

    return "{body}\n\n---\n{origin}".format(
        body=question.body.strip(),
        origin=_("Dalla domanda [«%(title)s»](%(link)s) nella comunità %(community)s.",
                 title=question.title.replace("[", "(").replace("]", ")"), community=question.community.name,
                 link=link))


def escalate(user, question: Question, *, kind: str, subject: str, description: str, adoption_id: int | None,
             files, token: str | None = None) -> SupportRequest:
    """Open a support request to the practice's donors from the question, and link the two both ways.

    QaError if this person may not; the support service's own refusals (ReuseError, AttachmentsRefused) pass
    through unchanged, nothing saved."""
    from flask import url_for

    from app.reuse import support

    if (reason := why_not_escalate(user, question)) is not None:
        raise QaError(reason)
    request = support.open_request(question.practice, user, kind=kind, subject=subject, description=description,
                                   adoption_id=adoption_id, files=files, token=token)
    existing = db.session.execute(select(SupportLink.id).where(
        SupportLink.question_id == question.id, SupportLink.support_request_id == request.id)).first()
    if existing is None:
        db.session.add(SupportLink(question_id=question.id, support_request_id=request.id, kind=ESCALATED,
                                   state=AGREED, proposed_by_id=user.id, created_at=utcnow()))
        asker = question.author
        if asker is not None and asker.id != user.id and permissions.can_view_request(asker, request):
            from app.reuse.services import notify_all

            notify_all([asker], "qa.support_escalated", user, url_for("reuse.support_request", request_id=request.id),
                       question=question.title)
        commit_and_email()
    return request


# ---- publish ---------------------------------------------------------------------------------------------------

def prefill_publication(request: SupportRequest) -> dict:
    """Title, question and answer proposed from the request: its subject, its description, the donors' messages
    (never their internal notes)."""
    answers = [message.body.strip() for message in request.messages
               if message.from_donor and not message.internal and message.body.strip()]
    return {"title": request.subject, "body": request.description, "answer": "\n\n".join(answers)}


def why_not_propose(user, request: SupportRequest) -> str | None:
    if not permissions.is_request_donor(user, request):
        return N_("Propongono la pubblicazione i cedenti della pratica.")
    if request.status not in PUBLISHABLE:
        return N_("Si pubblica una richiesta risolta o chiusa.")
    if request.practice.status != "published":
        return N_("Si pubblica solo una richiesta su una pratica pubblicata.")
    current = publication_of(request)
    if current is not None and current.state == PROPOSED:
        return N_("La pubblicazione è già stata proposta: si aspetta la risposta di chi ha chiesto supporto.")
    if current is not None and current.state == AGREED:
        return N_("Questa richiesta è già pubblicata come domanda risolta.")
    return None


def may_propose(user, request: SupportRequest) -> bool:
    return permissions.is_member(user) and why_not_propose(user, request) is None


@refusal_rolls_back
def propose_publication(user, request: SupportRequest, *, title: str, body: str, answer: str) -> SupportLink:
    """A donor proposes to publish the request as a solved question; the requester is asked to agree."""
    from flask import url_for

    from app.reuse.services import lock_row, notify_all

    lock_row(request)
    if (reason := why_not_propose(user, request)) is not None:
        raise QaError(reason)
    title = clean_title(title)
    body = clean_body(body)
    answer = clean_body(answer, field="answer")
    link = SupportLink(support_request_id=request.id, kind=PUBLISHED, state=PROPOSED, proposed_by_id=user.id,
                       proposed_title=title, proposed_body=body, proposed_answer=answer, created_at=utcnow())
    db.session.add(link)
    db.session.flush()
    notify_all(_requesting_people(request), "qa.publish_proposed", user,
               url_for("qa.propose_publication", request_id=request.id), subject=request.subject)
    commit_and_email()
    return link


def _requesting_people(request: SupportRequest) -> list[User]:
    """Who hears for the requesting organisation: the requester, or its referents when the requester left."""
    from app.communities.services import only_who_may_see

    people = [request.requester] if request.requester is not None and permissions.is_requester(
        request.requester, request) else list(db.session.execute(select(User).where(
            User.organization_id == request.organization_id, User.is_referent.is_(True),
            User.affiliation_status == "active")).scalars())
    return only_who_may_see(request.practice.community, people)


def why_not_decide(user, link: SupportLink, request: SupportRequest) -> str | None:
    if link.kind != PUBLISHED or link.support_request_id != request.id:
        return N_("Questa proposta non esiste.")
    if not permissions.is_requester(user, request):
        return N_("Decide chi ha chiesto supporto, per il suo ente.")
    if link.state != PROPOSED:
        return N_("La proposta ha già avuto una risposta.")
    return None


@refusal_rolls_back
def decide_publication(user, link: SupportLink, request: SupportRequest, *, agree: bool, now=None) -> SupportLink:
    """The requesting organisation agrees (the solved question is created) or refuses."""
    from flask import url_for

    from app.reuse.services import notify_all

    db.session.execute(update(SupportLink).where(SupportLink.id == link.id).values(id=SupportLink.id))
    db.session.refresh(link)
    if (reason := why_not_decide(user, link, request)) is not None:
        raise QaError(reason)
    now = now or utcnow()
    link.decided_by_id, link.decided_at = user.id, now
    proposer = db.session.get(User, link.proposed_by_id) if link.proposed_by_id else None
    if not agree:
        link.state = REFUSED
        notify_all([proposer], "qa.publish_refused", user, url_for("reuse.support_request", request_id=request.id),
                   subject=request.subject)
        commit_and_email()
        return link
    if proposer is None or not permissions.is_request_donor(proposer, request) or proposer.organization_id is None:
        raise QaError(N_("Chi ha proposto la pubblicazione non è più tra i cedenti: la proposta va rifatta."))
    question = _publish(request, link, user, proposer, now)
    link.state, link.question_id = AGREED, question.id
    notify_all([proposer], "qa.publish_agreed", user, url_for("qa.question", question_id=question.id),
               subject=request.subject)
    commit_and_email()
    return link


def _publish(request: SupportRequest, link: SupportLink, user, proposer: User, now) -> Question:
    """The solved question, its answer by the donors accepted, with what the services write for each (revisions,
    counters, follows, events, activity, the community's and practice's followers told)."""
    from app.activity.services import record
    from app.qa import notify

    practice = request.practice
    asker = request.requester if request.requester is not None and permissions.is_requester(
        request.requester, request) else user
    question = Question(community_id=practice.community_id, practice_id=practice.id, title=link.proposed_title,
                        body=link.proposed_body, author_id=asker.id, organization_id=request.organization_id,
                        status=QuestionStatus.OPEN, created_at=now, updated_at=now, last_activity_at=now)
    db.session.add(question)
    db.session.flush()
    answer = Answer(question_id=question.id, author_id=proposer.id, organization_id=proposer.organization_id,
                    body=link.proposed_answer, official=permissions.is_official_answerer(proposer, question),
                    created_at=now, updated_at=now)
    db.session.add(answer)
    db.session.flush()
    db.session.add_all([
        Revision(target_type="question", target_id=question.id, number=1, title=question.title, body=question.body,
                 tags="", editor_id=asker.id, created_at=now),
        Revision(target_type="answer", target_id=answer.id, number=1, body=answer.body, editor_id=proposer.id,
                 created_at=now)])
    question.status, question.accepted_answer_id = QuestionStatus.SOLVED, answer.id
    question.accepted_by_id, question.accepted_at = user.id, now
    question.answer_count, question.first_answer_at = 1, now
    db.session.add(QuestionEvent(question_id=question.id, action="accept", from_status=QuestionStatus.OPEN,
                                 to_status=QuestionStatus.SOLVED, actor_id=user.id, answer_id=answer.id,
                                 note=f"published from support request {request.id}", created_at=now))
    ensure_follow(asker, question)
    if proposer.id != asker.id:
        ensure_follow(proposer, question)
    db.session.flush()
    for verb, actor in (("question.asked", asker), ("question.solved", user)):
        record(verb, actor=actor, community=practice.community, object_type="question", object_id=question.id,
               object_label=question.title)
    notify.question_asked(question)
    return question


__all__ = ["escalate", "propose_publication", "decide_publication", "requests_of_question", "publication_of",
           "prefill_publication", "prefill_description", "may_escalate", "may_propose", "why_not_escalate",
           "why_not_propose", "why_not_decide", "links_of_question", "links_of_request"]
