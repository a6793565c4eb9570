"""What the proposals part shows in other pages (app/hooks.py slots): a KPI's discussion on its page, the KPIs of
a community beside its home page and those of a programme on its page, each with the "propose" button for who may.
"""
from __future__ import annotations

from flask import render_template
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import case, select
from sqlalchemy.orm import selectinload

from app import permissions
from app.extensions import db
from app.hooks import contribute
from app.kpi import access
from app.kpi.forms_discussion import COMMENT_MAX, CommentForm
from app.kpi.workflow import DefinitionStatus
from app.models import KpiComment, KpiDefinition, User
from app.web import EmptyForm

BOX_KPIS = 5
LISTED_STATUSES = (DefinitionStatus.PUBLISHED, DefinitionStatus.PROPOSED, DefinitionStatus.IN_REVIEW)


def thread_of(definition: KpiDefinition, with_hidden: bool) -> list[KpiComment]:
    """The messages in order, with their authors and organisations (hidden ones only for reviewers)."""
    query = (select(KpiComment).where(KpiComment.definition_id == definition.id)
             .order_by(KpiComment.created_at, KpiComment.id)
             .options(selectinload(KpiComment.author).selectinload(User.organization),
                      selectinload(KpiComment.organization)))
    if not with_hidden:
        query = query.where(KpiComment.hidden_at.is_(None))
    return list(db.session.scalars(query))


def discussion_context(definition: KpiDefinition, form=None, message: str | None = None) -> dict:
    """What kpi/_discussion.html needs, for the slot and for the routes that answer with the thread."""
    moderator = access.can_moderate_comments(current_user, definition)
    can_comment = access.can_comment(current_user, definition)
    return dict(definition=definition, comments=thread_of(definition, with_hidden=moderator), moderator=moderator,
                can_comment=can_comment, comment_form=form or (CommentForm(formdata=None) if can_comment else None),
                hide_form=EmptyForm(formdata=None) if moderator else None, message=message,
                comment_max=COMMENT_MAX)


@contribute("kpi.definition.discussion")
def definition_discussion(definition, version=None, **_context):
    if not access.can_view_definition(current_user, definition):
        return None
    return Markup(render_template("kpi/_discussion.html", **discussion_context(definition)))


def _kpis_of(**place) -> list[KpiDefinition]:
    """The published KPIs proposed in a place and the proposals there the reader may see: published first."""
    column, row = next(iter(place.items()))
    published_first = case((KpiDefinition.status == DefinitionStatus.PUBLISHED, 0), else_=1)
    return list(db.session.scalars(
        select(KpiDefinition).where(getattr(KpiDefinition, column) == row.id,
                                    KpiDefinition.status.in_(LISTED_STATUSES),
                                    access.visible_definitions_clause(current_user))
        .order_by(published_first, KpiDefinition.updated_at.desc(), KpiDefinition.id.desc()).limit(BOX_KPIS)
        .options(selectinload(KpiDefinition.current_version))))


@contribute("community.aside")
def community_kpis(community, membership=None, **_context):
    kpis = _kpis_of(community_id=community)
    may_propose = access.can_propose(current_user, community=community, membership=membership)
    if not kpis and not may_propose:
        return None
    may_review = permissions.is_admin(current_user) or (
        membership is not None and membership.status == "active" and membership.role == "facilitator")
    return Markup(render_template("kpi/_community_kpis.html", community=community, kpis=kpis,
                                  may_propose=may_propose, may_review=may_review))


@contribute("programme.kpis")
def programme_kpis(programme, **_context):
    kpis = _kpis_of(programme_id=programme)
    may_propose = access.can_propose(current_user, programme=programme)
    if not kpis and not may_propose:
        return None
    may_review = permissions.is_admin(current_user) or access._is_programme_staff(current_user, programme.id)
    return Markup(render_template("kpi/_programme_kpis.html", programme=programme, kpis=kpis,
                                  may_propose=may_propose, may_review=may_review))
