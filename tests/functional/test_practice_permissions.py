"""Every practice and kit route × (anonymous, outsider, donor team member, donor's referent, facilitator,
administrator, member of the private community): the status each must get. What may not be seen is a 404, what may
not be done a 403. The donor team drafts; the donors' referents publish (issue 11, point 13)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.models.base import utcnow
from tests.conftest import make_user, ref, request_as

ROLES = ("anonymous", "outsider", "donor", "donor_referent", "facilitator", "admin", "private_member")
# donor: a plain person of the donor organisation (drafts); donor_referent: its referent (publishes, issue 11 §13)
MATRIX = [
    #                                                         anon outs  donor ref  facil admin priv
    ("GET", "/practices/",                                   (200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/practices/{published}",                        (200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/practices/{published}?tab=kit",                (200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/practices/{published}?tab=versions",           (200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/practices/{published}/versions/1.0",           (200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/practices/{published}/compare",                (200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/practices/{archived}",                         (200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/practices/{draft}",                            (404, 404, 200, 200, 404, 200, 404)),
    ("GET", "/practices/{draft}?tab=kit",                    (404, 404, 200, 200, 404, 200, 404)),
    ("GET", "/practices/{private}",                          (404, 404, 200, 200, 200, 200, 200)),
    ("GET", "/practices/{private}/versions/1.0",             (404, 404, 200, 200, 200, 200, 200)),
    ("GET", "/practices/{private}/compare",                  (404, 404, 200, 200, 200, 200, 200)),
    # a published practice's description is public: its referents change it; a draft's, its whole donor team
    ("GET", "/practices/{published}/edit",                   (302, 403, 403, 200, 403, 200, 403)),
    ("POST", "/practices/{published}/edit",                  (302, 403, 403, 422, 403, 422, 403)),
    ("GET", "/practices/{draft}/edit",                       (302, 404, 200, 200, 404, 200, 404)),
    ("POST", "/practices/{draft}/edit",                      (302, 404, 422, 422, 404, 422, 404)),
    ("GET", "/practices/{archived}/edit",                    (302, 403, 403, 403, 403, 403, 403)),
    # the kit's working version is not public: the donor team writes it; publishing a version is for referents
    ("GET", "/practices/{published}/kit/edit",               (302, 403, 200, 200, 403, 200, 403)),
    ("POST", "/practices/{published}/kit/edit",              (302, 403, 303, 303, 403, 303, 403)),
    ("POST", "/practices/{published}/kit/publish",           (302, 403, 403, 422, 403, 422, 403)),
    ("POST", "/practices/{draft}/kit/publish",               (302, 404, 422, 422, 404, 422, 404)),
    ("POST", "/practices/{published}/kit/maintenance",       (302, 403, 403, 303, 403, 303, 403)),
    ("POST", "/practices/{published}/status/archive",        (302, 403, 403, 303, 303, 303, 403)),
    ("POST", "/practices/{draft}/status/publish",            (302, 404, 403, 303, 404, 303, 404)),
    ("POST", "/practices/{private}/status/unpublish",        (302, 404, 403, 303, 303, 303, 403)),
    # a refused transition (a facilitator restoring, anyone publishing what is published) is a message, not a change
    ("POST", "/practices/{archived}/status/restore",         (302, 403, 403, 303, 303, 303, 403)),
    ("POST", "/practices/{published}/status/publish",        (302, 403, 403, 303, 303, 303, 403)),
    ("POST", "/practices/{published}/status/explode",        (302, 404, 404, 404, 404, 404, 404)),
    ("POST", "/practices/{published}/kit/attachments",       (302, 403, 422, 422, 403, 422, 403)),
    ("POST", "/practices/{published}/kit/attachments/999/delete", (302, 403, 404, 404, 403, 404, 403)),
    ("GET", "/practices/{published}/attachments/999",        (404, 404, 404, 404, 404, 404, 404)),
    ("GET", "/practices/{draft}/attachments/999",            (404, 404, 404, 404, 404, 404, 404)),
    # administrators act for any organisation: the form asks which one
    ("GET", "/practices/new",                                (302, 200, 200, 200, 200, 200, 200)),
    ("POST", "/practices/new",                               (302, 422, 422, 422, 422, 422, 422)),
    ("GET", "/practices/mine",                               (302, 200, 200, 200, 200, 403, 200)),
    ("GET", "/practices/import",                             (302, 200, 200, 200, 200, 200, 200)),
    ("POST", "/practices/import",                            (302, 422, 422, 422, 422, 422, 422)),
    ("GET", "/practices/{published}/publiccode.yml",         (404, 404, 404, 404, 404, 404, 404)),  # not software
]
CASES = [pytest.param(method, url, role, expected[i], id=f"{method} {url} as {role}")
         for method, url, expected in MATRIX for i, role in enumerate(ROLES)]


def fill(url, pworld):
    return url.format(published=pworld.published.slug, draft=pworld.draft.slug, archived=pworld.archived.slug,
                      private=pworld.private_published.slug)



@pytest.fixture
def world(app, pworld):
    """pworld and a referent of the donor organisation, in both communities as the donor is."""
    from app.extensions import db
    from app.models import Membership, User

    with app.app_context():
        chieri = db.session.get(User, pworld.donor.id).organization
        referent = make_user("referente@chieri.example.it", chieri, is_referent=True, full_name="Rosa Referente")
        for community in (pworld.open_community, pworld.private_community):
            db.session.add(Membership(community_id=community.id, user_id=referent.id, status="active",
                                      role="member", joined_at=utcnow()))
        db.session.commit()
        return SimpleNamespace(**vars(pworld), donor_referent=ref(referent))


@pytest.mark.parametrize("method,url,role,expected", CASES)
def test_practice_permissions(client, world, method, url, role, expected):
    assert request_as(client, world, role, method, fill(url, world)).status_code == expected


@pytest.mark.parametrize("method,url,role,expected", [c for c in CASES if c.values[3] in (302, 403, 404)])
def test_practice_permissions_htmx(client, world, method, url, role, expected):
    response = request_as(client, world, role, method, fill(url, world), htmx=True)
    if expected == 302:
        assert response.status_code == 401 and response.headers["HX-Redirect"].startswith("/auth/login")
    else:
        assert response.status_code == expected and "<html" not in response.get_data(as_text=True)
