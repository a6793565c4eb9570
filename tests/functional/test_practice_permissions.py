"""Every practice and kit route × (anonymous, outsider, donor team, facilitator, administrator, member of the
private community): the status each must get. What may not be seen is a 404, what may not be done a 403."""
from __future__ import annotations

import pytest

from tests.conftest import request_as

ROLES = ("anonymous", "outsider", "donor", "facilitator", "admin", "private_member")
MATRIX = [
    ("GET", "/practices/", (200, 200, 200, 200, 200, 200)),
    ("GET", "/practices/{published}", (200, 200, 200, 200, 200, 200)),
    ("GET", "/practices/{published}?tab=kit", (200, 200, 200, 200, 200, 200)),
    ("GET", "/practices/{published}?tab=versions", (200, 200, 200, 200, 200, 200)),
    ("GET", "/practices/{published}/versions/1.0", (200, 200, 200, 200, 200, 200)),
    ("GET", "/practices/{published}/compare", (200, 200, 200, 200, 200, 200)),
    ("GET", "/practices/{archived}", (200, 200, 200, 200, 200, 200)),
    ("GET", "/practices/{draft}", (404, 404, 200, 404, 200, 404)),
    ("GET", "/practices/{draft}?tab=kit", (404, 404, 200, 404, 200, 404)),
    ("GET", "/practices/{private}", (404, 404, 200, 200, 200, 200)),
    ("GET", "/practices/{private}/versions/1.0", (404, 404, 200, 200, 200, 200)),
    ("GET", "/practices/{private}/compare", (404, 404, 200, 200, 200, 200)),
    ("GET", "/practices/{published}/edit", (302, 403, 200, 403, 200, 403)),
    ("POST", "/practices/{published}/edit", (302, 403, 422, 403, 422, 403)),
    ("GET", "/practices/{draft}/edit", (302, 404, 200, 404, 200, 404)),
    ("GET", "/practices/{archived}/edit", (302, 403, 403, 403, 403, 403)),
    ("GET", "/practices/{published}/kit/edit", (302, 403, 200, 403, 200, 403)),
    ("POST", "/practices/{published}/kit/edit", (302, 403, 303, 403, 303, 403)),
    ("POST", "/practices/{published}/kit/publish", (302, 403, 422, 403, 422, 403)),
    ("POST", "/practices/{published}/kit/maintenance", (302, 403, 303, 403, 303, 403)),
    ("POST", "/practices/{published}/status/archive", (302, 403, 303, 303, 303, 403)),
    ("POST", "/practices/{draft}/status/publish", (302, 404, 303, 404, 303, 404)),
    ("POST", "/practices/{private}/status/unpublish", (302, 404, 303, 303, 303, 403)),
    # a refused transition (a facilitator restoring, anyone publishing what is published) is a message, not a change
    ("POST", "/practices/{archived}/status/restore", (302, 403, 303, 303, 303, 403)),
    ("POST", "/practices/{published}/status/publish", (302, 403, 303, 303, 303, 403)),
    ("POST", "/practices/{published}/status/explode", (302, 404, 404, 404, 404, 404)),
    ("POST", "/practices/{published}/kit/attachments", (302, 403, 422, 403, 422, 403)),
    ("POST", "/practices/{published}/kit/attachments/999/delete", (302, 403, 404, 403, 404, 403)),
    ("GET", "/practices/{published}/attachments/999", (404, 404, 404, 404, 404, 404)),
    ("GET", "/practices/{draft}/attachments/999", (404, 404, 404, 404, 404, 404)),
    ("GET", "/practices/new", (302, 200, 200, 200, 403, 200)),
    ("POST", "/practices/new", (302, 422, 422, 422, 403, 422)),
    ("GET", "/practices/mine", (302, 200, 200, 200, 403, 200)),
    ("GET", "/practices/import", (302, 200, 200, 200, 403, 200)),
    ("POST", "/practices/import", (302, 422, 422, 422, 403, 422)),
    ("GET", "/practices/{published}/publiccode.yml", (404, 404, 404, 404, 404, 404)),  # not a software practice
]
CASES = [pytest.param(method, url, role, expected[i], id=f"{method} {url} as {role}")
         for method, url, expected in MATRIX for i, role in enumerate(ROLES)]


def fill(url, pworld):
    return url.format(published=pworld.published.slug, draft=pworld.draft.slug, archived=pworld.archived.slug,
                      private=pworld.private_published.slug)



@pytest.mark.parametrize("method,url,role,expected", CASES)
def test_practice_permissions(client, pworld, method, url, role, expected):
    assert request_as(client, pworld, role, method, fill(url, pworld)).status_code == expected


@pytest.mark.parametrize("method,url,role,expected", [c for c in CASES if c.values[3] in (302, 403, 404)])
def test_practice_permissions_htmx(client, pworld, method, url, role, expected):
    response = request_as(client, pworld, role, method, fill(url, pworld), htmx=True)
    if expected == 302:
        assert response.status_code == 401 and response.headers["HX-Redirect"].startswith("/auth/login")
    else:
        assert response.status_code == expected and "<html" not in response.get_data(as_text=True)
