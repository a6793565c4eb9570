"""The reviewers' queue (kpi.review_queue) and the workflow buttons on a KPI's page (slot kpi.definition.actions),
issue 16 point 3: who gets the queue and what is in it, by place, proposed first, with age; which buttons and edit
links each role gets."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Community, KpiChange, KpiDefinition, Programme, User
from app.models.base import utcnow
from tests.conftest import count_queries, login, make_community
from tests.kpi_world import make_kpi

QUEUE = "/kpi/review"
QUEUE_ROLES = {"anonymous": "login", "member": 403, "adopter": 403, "peer": 403, "outsider": 403,
               "region_person": 403, "supplier_person": 403, "facilitator": 200, "staff": 200, "admin": 200}


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_queue_matrix(app, kworld, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    for role, outcome in QUEUE_ROLES.items():
        client = app.test_client()
        if role != "anonymous":
            assert login(client, getattr(kworld, role)).status_code == 303
        response = client.get(QUEUE, headers=headers)
        text = response.get_data(as_text=True)
        if outcome == "login":
            assert response.status_code == (401 if htmx else 302), role
        else:
            assert response.status_code == outcome, role
        if outcome == 200:
            assert 'id="kpi-review-queue"' in text and ("<html" in text) is (not htmx), role


def _queue(app, role, kworld) -> str:
    client = app.test_client()
    login(client, getattr(kworld, role))
    response = client.get(QUEUE)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_each_reviewer_sees_their_own_places(app, kworld):
    facilitator = _queue(app, "facilitator", kworld)
    assert kworld.proposed.name in facilitator and kworld.in_review.name not in facilitator
    assert "Valore pubblico" in facilitator and "Ask Public Value" not in facilitator
    staff = _queue(app, "staff", kworld)
    assert kworld.in_review.name in staff and kworld.proposed.name not in staff
    admin = _queue(app, "admin", kworld)
    assert kworld.proposed.name in admin and kworld.in_review.name in admin
    for text in (facilitator, staff, admin):  # published, deprecated and withdrawn ones are not in the queue
        for other in (kworld.published, kworld.deprecated, kworld.withdrawn, kworld.unadopted):
            assert other.name not in text


def test_queue_groups_by_place_proposed_first_with_age(app, kworld):
    with app.app_context():
        community = db.session.get(Community, kworld.community.id)
        member = db.session.get(User, kworld.member.id)
        old = make_kpi("Tempo medio di rilascio dei permessi di costruire", status="in_review",
                       author=member.organization, proposer=member, community=community)
        for change in db.session.scalars(select(KpiChange).where(KpiChange.definition_id == old.id)):
            change.created_at = utcnow() - timedelta(days=12, hours=1)  # in review for twelve days
        fresh = make_kpi("Utenti dello sportello unico soddisfatti", status="proposed",
                         author=member.organization, proposer=member, community=community)
        db.session.commit()
        old_name, fresh_name = old.name, fresh.name
    text = _queue(app, "facilitator", kworld)
    section = text[text.index('id="kpi-review-queue"'):]
    assert section.index(kworld.proposed.name) < section.index(old_name)  # proposed before in review
    assert section.index(fresh_name) < section.index(old_name)
    assert "12 giorni" in section
    assert "kpi-queue-proposed" in section and "kpi-queue-in_review" in section
    assert '<caption>' in section and 'scope="col"' in section
    assert "Comune di Chieri" in section  # the proposing organisation


def test_empty_queue(app, kworld):
    with app.app_context():
        for definition in db.session.scalars(select(KpiDefinition)):
            if definition.status in ("proposed", "in_review"):
                definition.status = "published"
        db.session.commit()
    assert "kpi-queue-empty" in _queue(app, "admin", kworld)


def test_queue_queries_are_bounded(app, kworld):
    client = app.test_client()
    login(client, kworld.admin)
    few = count_queries(app, client, QUEUE)
    with app.app_context():
        community = make_community("Un'altra comunità", "open")
        programme = db.session.get(Programme, kworld.programme.id)
        member = db.session.get(User, kworld.member.id)
        for n in range(12):
            make_kpi(f"Indicatore di prova numero {n}", status=("proposed", "in_review")[n % 2],
                     author=member.organization, proposer=member,
                     community=community if n % 3 else None, programme=None if n % 3 else programme)
        db.session.commit()
    assert count_queries(app, client, QUEUE) <= few + 1


# ---- the buttons on a KPI's page ---------------------------------------------------------------------------------

def _buttons(app, kworld, role: str, which: str) -> tuple[set[str], set[str], set[str], str]:
    """The direct POST buttons, the links to a confirmation page and the edit link's label on the KPI's page."""
    client = app.test_client()
    if role != "anonymous":
        login(client, getattr(kworld, role))
    response = client.get(f"/kpi/{getattr(kworld, which).slug}")
    assert response.status_code == 200, (role, which)
    text = response.get_data(as_text=True)
    box = text[text.index("kpi-review-actions"):] if "kpi-review-actions" in text else ""
    box = box[:box.index("</div>\n</div>") if "</div>\n</div>" in box else len(box)]
    posts = set(re.findall(r'<button type="submit" class="btn btn-primary btn-sm kpi-move-(\w+)"', box))
    links = set(re.findall(r'<a class="btn btn-outline-primary btn-sm kpi-move-(\w+)"', box))
    edit = re.search(r'kpi-edit-link" href="[^"]+">([^<]+)<', box)
    return posts, links, {edit.group(1)} if edit else set(), box


BUTTONS = [
    ("anonymous", "published", set(), set(), set()),
    ("peer", "published", set(), set(), set()),
    ("outsider", "published", set(), set(), set()),
    ("staff", "published", set(), set(), set()),
    ("member", "published", set(), set(), set()),  # the proposer's organisation: published, so no longer theirs
    ("facilitator", "published", set(), {"deprecate"}, {"Nuova versione"}),
    ("admin", "published", set(), {"deprecate"}, {"Nuova versione"}),
    ("facilitator", "proposed", {"start_review"}, set(), {"Modifica"}),
    ("member", "proposed", set(), {"withdraw"}, {"Modifica"}),
    ("peer", "proposed", set(), set(), set()),
    ("admin", "proposed", {"start_review"}, {"withdraw"}, {"Modifica"}),
    ("staff", "in_review", {"publish"}, {"return"}, {"Modifica"}),
    ("region_person", "in_review", set(), {"withdraw"}, {"Modifica"}),
    ("facilitator", "deprecated", set(), set(), set()),
]


def test_buttons_per_role(app, kworld):
    for role, which, posts, links, edit in BUTTONS:
        found_posts, found_links, found_edit, box = _buttons(app, kworld, role, which)
        assert (found_posts, found_links, found_edit) == (posts, links, edit), (role, which)
        if posts:
            assert 'name="csrf_token"' in box


def test_a_button_posts_the_move(app, kworld):
    client = app.test_client()
    login(client, kworld.staff)
    page = client.get(f"/kpi/{kworld.in_review.slug}").get_data(as_text=True)
    action = re.search(r'<form method="post" action="([^"]+/move/publish)"', page).group(1)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(action, data={"csrf_token": token}, follow_redirects=True)
    assert response.status_code == 200 and "Indicatore pubblicato nella libreria." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(KpiDefinition, kworld.in_review.id).status == "published"
