"""What the bridges and the figures show in other pages (app/hooks.py slots):
- "qa.question.aside": the support requests opened from the question (to who may see them) and the way to open one;
- "support.request": the question a request came from, and its publication as a solved question;
- "community.aside": the figures of the community's questions (app/qa/figures.py)."""
from __future__ import annotations

from flask import get_template_attribute, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from app import permissions
from app.extensions import db
from app.hooks import contribute
from app.models.base import utcnow
from app.models.qa import Question
from app.qa import bridges, figures
from app.web import EmptyForm


@contribute("qa.question.aside")
def question_support(question, membership, **_context):
    if question.practice_id is None or not permissions.is_member(current_user):
        return None
    links = bridges.links_of_question(question)
    requests = bridges.requests_of_question(question, current_user, links)
    published_from = None
    for link in links:
        if link.kind == bridges.PUBLISHED:
            from app.models import SupportRequest

            origin = db.session.get(SupportRequest, link.support_request_id)
            if origin is not None:
                published_from = {"id": origin.id, "visible": permissions.can_view_request(current_user, origin)}
    return Markup(get_template_attribute("qa/_support_bridge.html", "support_bridge")(
        question, requests, bridges.may_escalate(current_user, question) and question.is_visible, published_from))


@contribute("support.request")
def request_questions(req, donor_side=False, requester_side=False, **_context):
    from app.communities.services import membership_of

    linked = [link.question_id for link in bridges.links_of_request(req)
              if link.kind == bridges.ESCALATED and link.question_id is not None]
    questions = []
    if linked:
        for question in db.session.execute(select(Question).where(Question.id.in_(linked))
                                           .order_by(Question.id)).scalars():
            if (question.is_visible and permissions.can_view_question(
                    current_user, question, membership_of(question.community, current_user))):
                questions.append(question)
    publication = bridges.publication_of(req)
    may_decide = (publication is not None and publication.state == bridges.PROPOSED
                  and permissions.is_requester(current_user, req))
    return Markup(get_template_attribute("qa/_support_bridge.html", "request_bridge")(
        req, questions, publication, bridges.may_propose(current_user, req), may_decide, EmptyForm(formdata=None)))


@contribute("community.aside")
def community_figures(community, membership, **_context):
    if not permissions.can_view_community(current_user, community, membership):
        return None
    result = figures.question_figures(community.id, now=utcnow())
    if result.asked == 0 and result.stale_open == 0:
        return None
    stale_url = url_for("qa.community_questions", slug=community.slug, filter="unanswered")
    return Markup(get_template_attribute("qa/_figures.html", "question_figures_box")(
        result, figures.duration_parts, stale_url))


__all__ = ["question_support", "request_questions", "community_figures"]
