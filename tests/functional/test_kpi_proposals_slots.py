"""The KPI boxes of a community's home page and of a programme's page (issue 16): the KPIs proposed there that the
reader may see (at most five, published first), and the "propose" button for who may propose there."""
from __future__ import annotations

from sqlalchemy import event

from app.extensions import db
from app.models import Community
from tests.conftest import login
from tests.kpi_world import make_kpi

PROPOSE = "Proponi un indicatore"


def community_page(app, kworld, role=None) -> str:
    client = app.test_client()
    if role:
        login(client, getattr(kworld, role))
    response = client.get(f"/communities/{kworld.community.slug}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def programme_page(app, kworld, role=None) -> str:
    client = app.test_client()
    if role:
        login(client, getattr(kworld, role))
    response = client.get(f"/programmes/{kworld.programme.slug}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def box(text: str, marker: str) -> str:
    assert marker in text
    start = text.index(marker)
    return text[start:text.index("</section>", start)]


def test_community_box_by_reader(app, kworld):
    for role, sees_proposal, may_propose in ((None, False, False), ("outsider", False, False),
                                             ("member", True, True), ("peer", True, True),
                                             ("facilitator", True, True), ("admin", True, True)):
        text = box(community_page(app, kworld, role), 'id="kpi-community-title"')
        assert "Tempo medio di pagamento delle fatture" in text and "Servizi online accessibili" in text, role
        assert ("Posti nido ogni 100 bambini" in text) is sees_proposal, role
        assert "Indicatore ritirato" not in text and "vecchia definizione" not in text, role
        assert "Quota di raccolta differenziata" not in text, role  # a programme's proposal
        assert (PROPOSE in text) is may_propose, role
        if may_propose:
            assert f"/kpi/new?community={kworld.community.slug}" in text


def test_community_box_at_most_five_published_first(app, kworld):
    with app.app_context():
        community = db.session.get(Community, kworld.community.id)
        for n in range(6):
            make_kpi(f"Indicatore aggiuntivo {n}", community=community)
        db.session.commit()
    text = box(community_page(app, kworld, "member"), 'id="kpi-community-title"')
    assert text.count("<li") == 5 and text.count('href="/kpi/') == 5 + 2  # five KPIs, library, propose
    assert "Posti nido" not in text  # the proposal comes after the published ones


def test_programme_box_by_reader(app, kworld):
    assert 'id="programme-kpis"' not in programme_page(app, kworld)  # nothing to show, nothing to do
    for role, sees, may_propose in (("staff", True, True), ("region_person", True, True), ("admin", True, True),
                                    ("member", False, False)):
        text = programme_page(app, kworld, role)
        if not sees and not may_propose:
            assert 'id="programme-kpis"' not in text, role
            continue
        section = box(text, 'id="programme-kpis"')
        assert "<h2" in text[text.rindex("<section", 0, text.index('id="programme-kpis"')):text.index(
            'id="programme-kpis"') + 40]
        assert ("Quota di raccolta differenziata" in section) is sees, role
        assert (PROPOSE in section) is may_propose, role
        assert f"/kpi/new?programme={kworld.programme.slug}" in section


def test_community_box_queries_are_bounded(app, kworld):
    """The same number of queries for the box whatever the number of KPIs listed."""
    def queries_for_page() -> int:
        client = app.test_client()
        login(client, kworld.member)
        seen = []
        listener = lambda *args, **kwargs: seen.append(1)  # noqa: E731
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", listener)
        try:
            client.get(f"/communities/{kworld.community.slug}")
        finally:
            with app.app_context():
                event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    first = queries_for_page()
    with app.app_context():
        community = db.session.get(Community, kworld.community.id)
        for n in range(3):
            make_kpi(f"Altro indicatore {n}", community=community)
        db.session.commit()
    assert queries_for_page() <= first
