"""The items a figure counts (stored on the latest snapshot), limited to what the reader may see.

A few queries whatever the number of items: one per kind, with what the permission checks need loaded eagerly (the
community is already in the session, so `row.community` costs no query).
Items the reader may not see are only counted ("altre N non visibili a te"); people are listed only to those who
may see the community's members.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import permissions
from app.extensions import db
from app.models import Adoption, Organization, Practice, Question, SupportRequest, User

PER_PAGE = 50


@dataclass
class Item:
    id: int
    label: str
    endpoint: str | None
    values: dict
    hit: bool
    detail: str = ""


@dataclass
class Drilldown:
    kind: str | None
    items: list[Item] = field(default_factory=list)  # this page's visible items
    visible: int = 0  # how many the reader may see in all
    hidden: int = 0  # counted but not visible to the reader
    hits: int = 0  # visible items in the numerator
    people_hidden: bool = False  # people counted, names not shown (members list not visible)
    page: int = 1
    pages: int = 1
    marks_hits: bool = False


def _questions(ids, reader, community, membership):
    rows = db.session.execute(select(Question).where(Question.id.in_(ids)).options(
        selectinload(Question.practice).selectinload(Practice.co_donors))).scalars().all()
    # A question hidden by moderation since the computation is named only to those who may moderate it (its page
    # shows "Domanda nascosta" to everybody else); the others count it among the items they may not see.
    moderator = permissions.can_moderate_qa(reader, community, membership)
    return [(q.id, q.title, "qa.question", {"question_id": q.id}, "")
            for q in sorted(rows, key=lambda q: q.id, reverse=True)
            if permissions.can_view_question(reader, q, membership) and (q.visibility == "visible" or moderator)]


def _requests(ids, reader, community, membership):
    rows = db.session.execute(select(SupportRequest).where(SupportRequest.id.in_(ids)).options(
        selectinload(SupportRequest.practice).selectinload(Practice.co_donors),
        selectinload(SupportRequest.organization))).scalars().all()
    return [(r.id, r.subject, "reuse.support_request", {"request_id": r.id},
             f"{r.practice.title} · {r.organization.name} · {r.status_label}")
            for r in sorted(rows, key=lambda r: r.id, reverse=True) if permissions.can_view_request(reader, r)]


def _people(ids, reader, community, membership):
    rows = db.session.execute(select(User).where(User.id.in_(ids)).options(selectinload(User.organization))
                              .order_by(User.full_name, User.id)).scalars().all()
    return [(u.id, u.full_name, "users.profile" if permissions.can_view_user(reader, u) else None,
             {"user_id": u.id}, u.organization.name if u.organization else "") for u in rows]


def _organizations(ids, reader, community, membership):
    rows = db.session.execute(select(Organization).where(Organization.id.in_(ids))
                              .order_by(Organization.name, Organization.id)).scalars().all()
    return [(o.id, o.name, "organizations.profile", {"slug": o.slug}, "") for o in rows
            if permissions.can_view_organization(reader, o)]


def _reusers(ids, reader, community, membership):
    """Administrations counted for their adoptions: an unconfirmed adoption is private to the two organisations
    (permissions.can_view_adoption), so a reuser is named only with a confirmed adoption in the community, to an
    administrator, or to its own people."""
    confirmed = set(db.session.execute(select(Adoption.organization_id).join(Practice, Practice.id == Adoption.practice_id)
                                       .where(Adoption.organization_id.in_(ids), Adoption.confirmed_at.is_not(None),
                                              Practice.community_id == community.id)).scalars())
    own = getattr(reader, "organization_id", None) if permissions.is_member(reader) else None
    return [row for row in _organizations(ids, reader, community, membership)
            if row[0] in confirmed or row[0] == own or permissions.is_admin(reader)]


def _practices(ids, reader, community, membership):
    rows = db.session.execute(select(Practice).where(Practice.id.in_(ids)).options(
        selectinload(Practice.co_donors), selectinload(Practice.donor)).order_by(Practice.title, Practice.id)
    ).scalars().all()
    return [(p.id, p.title, "practices.show", {"slug": p.slug}, p.donor.name if p.donor else "") for p in rows
            if permissions.can_view_practice(reader, p, membership)]


def _adoptions(ids, reader, community, membership):
    rows = db.session.execute(select(Adoption).where(Adoption.id.in_(ids)).options(
        selectinload(Adoption.practice).selectinload(Practice.co_donors),
        selectinload(Adoption.organization))).scalars().all()
    return [(a.id, a.practice.title, "practices.show", {"slug": a.practice.slug},
             f"{a.organization.name} · {a.status_label}") for a in sorted(rows, key=lambda a: a.id, reverse=True)
            if permissions.can_view_adoption(reader, a)]


# Figures whose administrations are known through their adoptions (confirmed or not).
REUSER_CODES = frozenset({"R1R", "R3C", "R3D", "R3N"})

LOADERS = {"question": _questions, "request": _requests, "user": _people, "organization": _organizations,
           "practice": _practices, "adoption": _adoptions}


def load(stored: dict | None, reader, community, membership, page: int = 1, marks_hits: bool = False,
         code: str | None = None) -> Drilldown:
    """The figure's items ({"kind", "ids", "hits"}) the reader may see, one page of them."""
    if not stored or stored.get("kind") not in LOADERS:
        return Drilldown(kind=(stored or {}).get("kind"))
    kind, ids, hits = stored["kind"], list(stored.get("ids") or []), set(stored.get("hits") or [])
    result = Drilldown(kind=kind, marks_hits=marks_hits)
    if not ids:
        return result
    if kind == "user" and not permissions.can_view_members(reader, community, membership):
        result.people_hidden, result.hidden = True, len(ids)
        result.hits = len(hits & set(ids))
        return result
    loader = _reusers if kind == "organization" and code in REUSER_CODES else LOADERS[kind]
    found = loader(ids, reader, community, membership)
    result.visible = len(found)
    result.hidden = len(set(ids)) - len(found)  # deleted since, or not for this reader: not named either way
    result.hits = sum(1 for row in found if row[0] in hits)
    result.pages = max(1, -(-len(found) // PER_PAGE))
    result.page = min(max(page, 1), result.pages)
    start = (result.page - 1) * PER_PAGE
    result.items = [Item(id=row_id, label=label, endpoint=endpoint, values=values, hit=row_id in hits, detail=detail)
                    for row_id, label, endpoint, values, detail in found[start:start + PER_PAGE]]
    return result
