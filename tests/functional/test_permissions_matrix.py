"""Every route × every role, with the status each one must get (full page and htmx)."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.models import OrganizationStatus
from tests.conftest import make_org, request_as

ROLES = ("anonymous", "member", "referent", "other_referent", "admin")
# status per role, in the order of ROLES
MATRIX = [
    ("GET", "/", (200, 302, 302, 302, 302)),  # the home page for visitors; people signed in land on their dashboard
    ("GET", "/dashboard", (302, 200, 200, 200, 200)),
    ("GET", "/privacy", (200, 200, 200, 200, 200)),
    ("GET", "/accessibility", (200, 200, 200, 200, 200)),
    ("GET", "/organizations/", (200, 200, 200, 200, 200)),
    ("GET", "/organizations/choices?organization_search=asti", (200, 200, 200, 200, 200)),
    ("GET", "/organizations/{org}", (200, 200, 200, 200, 200)),
    ("GET", "/organizations/{pending_org}", (404, 404, 404, 404, 200)),
    ("GET", "/organizations/{org}/edit", (302, 403, 200, 403, 200)),
    ("POST", "/organizations/{org}/edit", (302, 403, 303, 403, 422)),  # an empty form: only identity is required
    ("GET", "/organizations/{org}/people", (302, 403, 200, 403, 200)),
    ("POST", "/organizations/{org}/people/{member_id}/make-referent", (302, 403, 303, 403, 303)),
    ("POST", "/organizations/{org}/people/{pending_id}/approve", (302, 403, 303, 403, 303)),
    ("POST", "/organizations/{org}/people/{member_id}/remove", (302, 403, 303, 403, 303)),
    ("GET", "/admin/", (302, 403, 403, 403, 200)),
    ("POST", "/admin/organizations/{pending_org_id}/accept", (302, 403, 403, 403, 303)),
    ("GET", "/users/{member_id}", (302, 200, 200, 200, 200)),
    ("GET", "/users/{pending_id}", (302, 404, 200, 404, 200)),
    ("GET", "/users/me", (302, 200, 200, 200, 200)),
    ("GET", "/auth/password", (302, 200, 200, 200, 200)),
    ("GET", "/auth/login", (200, 303, 303, 303, 303)),
    ("GET", "/auth/register", (200, 303, 303, 303, 303)),
    ("GET", "/auth/reset", (200, 200, 200, 200, 200)),
    ("GET", "/auth/reset/not-a-token", (400, 400, 400, 400, 400)),
    ("GET", "/auth/confirm", (200, 200, 200, 200, 200)),
    ("GET", "/auth/confirm/not-a-token", (400, 400, 400, 400, 400)),
    ("GET", "/auth/registered", (200, 200, 200, 200, 200)),
    ("POST", "/auth/logout", (303, 303, 303, 303, 303)),
    ("POST", "/language/en", (303, 303, 303, 303, 303)),
    ("POST", "/users/me", (302, 422, 422, 422, 422)),
    ("POST", "/auth/password", (302, 422, 422, 422, 422)),
    ("POST", "/organizations/{org}/people/{pending_id}/reject", (302, 403, 303, 403, 303)),
    ("POST", "/organizations/{org}/people/{member_id}/revoke-referent", (302, 403, 303, 403, 303)),
    ("POST", "/admin/organizations/{pending_org_id}/reject", (302, 403, 403, 403, 303)),
]

CASES = [
    pytest.param(method, url, role, expected[i], id=f"{method} {url} as {role}")
    for method, url, expected in MATRIX
    for i, role in enumerate(ROLES)
]


@pytest.fixture
def pending_org(app):
    with app.app_context():
        organization = make_org("Comune in verifica", status=OrganizationStatus.PENDING)
        db.session.commit()
        return organization.id, organization.slug


def fill(url: str, world, pending_org) -> str:
    return url.format(org=world.org.slug, member_id=world.member.id, pending_id=world.pending.id,
                      pending_org=pending_org[1], pending_org_id=pending_org[0])



@pytest.mark.parametrize("method,url,role,expected", CASES)
def test_full_page_permissions(client, world, pending_org, method, url, role, expected):
    response = request_as(client, world, role, method, fill(url, world, pending_org))
    assert response.status_code == expected
    if expected == 302 and role == "anonymous":
        assert response.headers["Location"].startswith("/auth/login")


@pytest.mark.parametrize("method,url,role,expected", [c for c in CASES if c.values[3] in (302, 403)])
def test_htmx_permissions_never_answer_with_a_login_page_inside_a_fragment(client, world, pending_org, method, url,
                                                                         role, expected):
    response = request_as(client, world, role, method, fill(url, world, pending_org), htmx=True)
    body = response.get_data(as_text=True)
    if role == "anonymous" and expected == 302:
        assert response.status_code == 401
        assert response.headers["HX-Redirect"].startswith("/auth/login")
    elif expected == 403:
        assert response.status_code == 403
        assert "<html" not in body and "Accesso non consentito" in body
    elif expected == 302 and url == "/":  # people signed in land on their dashboard, with htmx too
        assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard")
    else:  # pragma: no cover - every other 302 above is an anonymous one
        raise AssertionError(f"unexpected case {role} {expected}")
