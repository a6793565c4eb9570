"""Write activity records and read feeds that respect who may see which community."""
from __future__ import annotations

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from app.communities.workflow import Status, Visibility
from app.extensions import db
from app.models import Activity, Community, Membership, User


def record(verb: str, *, actor: User | None, community: Community | None = None, object_type: str | None = None,
           object_id: int | None = None, object_label: str = "") -> Activity:
    """Add an activity record to the caller's transaction."""
    activity = Activity(verb=verb, actor_id=actor.id if actor else None,
                        community_id=community.id if community else None, object_type=object_type,
                        object_id=object_id, object_label=object_label[:200])
    db.session.add(activity)
    return activity


def _still_public(query: Select) -> Select:
    """Hide records about a practice that went back to draft or moved to another community since, about a
    question hidden by moderation or about a practice that went back to draft (issue 12), and about an event that
    went back to draft or became restricted to a programme's participants (issue 15)."""
    from sqlalchemy.orm import aliased

    from app.models import Event, Practice, Question

    asked_about = aliased(Practice)
    return (query.outerjoin(Practice, (Activity.object_type == "practice") & (Practice.id == Activity.object_id))
            .outerjoin(Question, (Activity.object_type == "question") & (Question.id == Activity.object_id))
            .outerjoin(asked_about, asked_about.id == Question.practice_id)
            .outerjoin(Event, (Activity.object_type == "event") & (Event.id == Activity.object_id))
            .where(or_(Activity.object_type.is_(None),
                       Activity.object_type.not_in(("practice", "question", "event")),
                       (Activity.object_type == "event") & (Event.status != "draft") & Event.restricted.is_(False),
                       (Activity.object_type == "practice") & (Practice.status != "draft")
                       & (Practice.community_id == Activity.community_id),
                       (Activity.object_type == "question") & (Question.visibility == "visible")
                       & (Question.community_id == Activity.community_id)
                       & or_(Question.practice_id.is_(None), asked_about.status != "draft"))))


def community_feed(community: Community) -> Select:
    """A community's activity, newest first (the caller has checked the reader may see the community)."""
    return _still_public(select(Activity).where(Activity.community_id == community.id)
                         .options(selectinload(Activity.actor))
                         .order_by(Activity.created_at.desc(), Activity.id.desc()))


def dashboard_feed(user: User) -> Select:
    """What happened in the communities the person is an active member of, newest first."""
    mine = select(Membership.community_id).where(Membership.user_id == user.id, Membership.status == Status.ACTIVE)
    return _still_public(select(Activity).where(Activity.community_id.in_(mine))
                         .options(selectinload(Activity.actor), selectinload(Activity.community))
                         .order_by(Activity.created_at.desc(), Activity.id.desc()))


def visible_communities_clause(user: User | None):
    """SQL condition: communities this reader may see (private ones only to their active members)."""
    if user is not None and user.is_authenticated and user.is_admin:
        return Community.id.is_not(None)
    if user is None or not user.is_authenticated:
        return Community.visibility != Visibility.PRIVATE
    mine = select(Membership.community_id).where(Membership.user_id == user.id, Membership.status == Status.ACTIVE)
    return or_(Community.visibility != Visibility.PRIVATE, Community.id.in_(mine))
