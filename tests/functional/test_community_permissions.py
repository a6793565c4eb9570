"""Every community route × (anonymous, non-member, pending, member, facilitator, administrator) × (open,
moderated, private): the status each must get. Private communities answer 404 to those who may not see them."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Membership
from tests.conftest import request_as

ROLES = ("anonymous", "outsider", "pending", "member", "facilitator", "admin")
V = ("open", "moderated", "private")

# url template → {visibility: statuses in the order of ROLES}
MATRIX = {
    ("GET", "/communities/"): dict.fromkeys(V, (200, 200, 200, 200, 200, 200)),
    ("GET", "/communities/{c}"): {"open": (200,) * 6, "moderated": (200,) * 6,
                                  "private": (404, 404, 404, 200, 200, 200)},
    ("GET", "/communities/{c}?page=1"): {"open": (200,) * 6, "moderated": (200,) * 6,
                                         "private": (404, 404, 404, 200, 200, 200)},
    ("GET", "/communities/{c}/members"): {"open": (302, 200, 200, 200, 200, 200),
                                          "moderated": (302, 200, 200, 200, 200, 200),
                                          "private": (302, 404, 404, 200, 200, 200)},
    ("GET", "/communities/{c}/requests"): {"open": (302, 403, 403, 403, 200, 200),
                                           "moderated": (302, 403, 403, 403, 200, 200),
                                           "private": (302, 404, 404, 403, 200, 200)},
    ("GET", "/communities/{c}/settings"): {"open": (302, 403, 403, 403, 200, 200),
                                           "moderated": (302, 403, 403, 403, 200, 200),
                                           "private": (302, 404, 404, 403, 200, 200)},
    ("POST", "/communities/{c}/settings"): {"open": (302, 403, 403, 403, 422, 422),
                                            "moderated": (302, 403, 403, 403, 422, 422),
                                            "private": (302, 404, 404, 403, 422, 422)},
    ("GET", "/communities/{c}/invitations"): {"open": (302, 403, 403, 403, 200, 200),
                                              "moderated": (302, 403, 403, 403, 200, 200),
                                              "private": (302, 404, 404, 403, 200, 200)},
    ("POST", "/communities/{c}/memberships/{m}/promote"): {"open": (302, 403, 403, 403, 303, 303),
                                                           "moderated": (302, 403, 403, 403, 303, 303),
                                                           "private": (302, 404, 404, 403, 303, 303)},
    ("POST", "/communities/{c}/memberships/{p}/approve"): {"open": (302, 403, 403, 403, 303, 303),
                                                           "moderated": (302, 403, 403, 403, 303, 303),
                                                           "private": (302, 404, 404, 403, 303, 303)},
    ("POST", "/communities/{c}/membership/join"): {"open": (302, 303, 303, 303, 303, 303),
                                                   "moderated": (302, 303, 303, 303, 303, 303),
                                                   "private": (302, 404, 404, 303, 303, 303)},
    # Members are asked first (200: the confirmation page, nothing changed); the rest are told they are not in it.
    ("POST", "/communities/{c}/membership/leave"): {"open": (302, 303, 303, 200, 200, 303),
                                                    "moderated": (302, 303, 303, 200, 200, 303),
                                                    "private": (302, 404, 404, 200, 200, 303)},
    ("GET", "/communities/new"): dict.fromkeys(V, (302, 403, 403, 403, 403, 200)),
    ("GET", "/dashboard"): dict.fromkeys(V, (302, 200, 200, 200, 200, 200)),
    ("GET", "/notifications/"): dict.fromkeys(V, (302, 200, 200, 200, 200, 200)),
}

CASES = [pytest.param(method, url, visibility, role, statuses[i], id=f"{method} {url} {visibility} as {role}")
         for (method, url), by_visibility in MATRIX.items()
         for visibility, statuses in by_visibility.items()
         for i, role in enumerate(ROLES)]


def fill(app, cworld, url: str, visibility: str) -> str:
    community = getattr(cworld, visibility)
    with app.app_context():
        ids = {m.user_id: m.id for m in db.session.execute(
            select(Membership).where(Membership.community_id == community.id)).scalars()}
    return url.format(c=community.slug, m=ids[cworld.member.id], p=ids[cworld.pending.id])



@pytest.mark.parametrize("method,url,visibility,role,expected", CASES)
def test_community_permissions(app, client, cworld, method, url, visibility, role, expected):
    response = request_as(client, cworld, role, method, fill(app, cworld, url, visibility))
    assert response.status_code == expected


@pytest.mark.parametrize("method,url,visibility,role,expected", [c for c in CASES if c.values[4] in (302, 403, 404)])
def test_community_permissions_htmx(app, client, cworld, method, url, visibility, role, expected):
    response = request_as(client, cworld, role, method, fill(app, cworld, url, visibility), htmx=True)
    body = response.get_data(as_text=True)
    if expected == 302:
        assert response.status_code == 401 and response.headers["HX-Redirect"].startswith("/auth/login")
    else:
        assert response.status_code == expected and "<html" not in body
