"""Visibility matrix: a draft and a private community's practice never reach someone who may not see them through
any search output — hits, snippets, facet counts, totals or "did you mean" — in full pages and htmx fragments alike."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Organization
from tests.conftest import index_now, make_practice, post

DRAFT_TEXT = "Il xilofono della giunta suona in bozza."
PRIVATE_TEXT = "Il protocollo zanzibar resta tra i membri."

# role -> (sees the draft, sees the private community's practice)
MATRIX = {
    "anonymous": (False, False),
    "outsider": (False, False),
    "facilitator": (False, True),
    "private_member": (False, True),
    "donor": (True, True),
    "admin": (True, True),
}


@pytest.fixture
def secrets(app, pworld):
    with app.app_context():
        chieri = db.session.execute(db.select(Organization).where(Organization.name == "Comune di Chieri")).scalar_one()
        make_practice("Xilofono municipale", pworld.open_community, chieri, status="draft",
                      kit={"context": DRAFT_TEXT}, theme="training")
        make_practice("Zanzibar riservato", pworld.private_community, chieri, kit={"context": PRIVATE_TEXT},
                      theme="public_value")
        db.session.commit()
    index_now(app)
    return pworld


def sign_in_as(client, world, role):
    if role != "anonymous":
        from tests.conftest import login

        assert login(client, getattr(world, role)).status_code in (302, 303)


def page(client, htmx, **args):
    response = client.get("/search", query_string=args, headers={"HX-Request": "true"} if htmx else {})
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("role", MATRIX)
def test_search_outputs_respect_visibility(client, secrets, role, htmx):
    sees_draft, sees_private = MATRIX[role]
    sign_in_as(client, secrets, role)

    draft_hits = page(client, htmx, q="xilofono")
    assert ("Xilofono municipale" in draft_hits) is sees_draft
    assert ("giunta" in draft_hits) is sees_draft  # the snippet
    private_hits = page(client, htmx, q="zanzibar")
    assert ("Zanzibar riservato" in private_hits) is sees_private
    assert ("tra i <mark>membri</mark>" in page(client, htmx, q="membri")) is sees_private

    # Totals and facet counts over everything the reader may see.
    everything = page(client, htmx)
    visible = {"Centrale unica di committenza", "Vecchio sportello unico"}
    if sees_private:
        visible |= {"Zanzibar riservato", "Pratica del tavolo riservato"}
    if sees_draft:
        visible |= {"Xilofono municipale", "Bozza segreta del Comune"}
    assert f"{len(visible)} pratiche" in everything
    assert ("Tavolo riservato" in everything) is sees_private  # the community facet
    assert ("theme=public_value" in everything) is sees_private
    assert ("theme=training" in everything) is sees_draft

    # "Did you mean" never offers a word only hidden practices contain.
    assert ("<strong>xilofono</strong>" in page(client, htmx, q="xilofonno")) is sees_draft
    assert ("<strong>zanzibar</strong>" in page(client, htmx, q="zanzibarr")) is sees_private


def test_a_practice_taken_back_to_draft_disappears_before_the_index_catches_up(app, client, secrets, as_user):
    as_user(secrets.facilitator)  # the community's facilitator takes it back to draft (a plain donor member may not)
    slug = secrets.published.slug
    post(client, f"/practices/{slug}/status/unpublish", {"reason": "Da rivedere prima di ripubblicarla."},
         page=f"/practices/{slug}")
    post(client, "/auth/logout")
    # The queue has not been applied: the index still says "published", the database says "draft".
    body = page(client, False, q="centrale committenza")
    assert "Centrale unica di committenza" not in body and "0 pratiche trovate" in body
    assert "1 pratica" in page(client, False) and "Vecchio sportello unico" in page(client, False)
    index_now(app)
    assert "Centrale unica di committenza" not in page(client, False, q="centrale committenza")


def test_visibility_and_membership_changes_apply_at_once_without_reindexing(app, client, secrets, as_user):
    from app.models import Community, Membership

    assert "Centrale unica di committenza" in page(client, False, q="committenza")
    with app.app_context():
        db.session.get(Community, secrets.open_community.id).visibility = "private"
        db.session.commit()
    assert "Centrale unica di committenza" not in page(client, False, q="committenza")  # no index work needed
    as_user(secrets.outsider)
    assert "Zanzibar riservato" not in page(client, False, q="zanzibar")
    with app.app_context():
        db.session.add(Membership(community_id=secrets.private_community.id, user_id=secrets.outsider.id,
                                  status="active", role="member"))
        db.session.commit()
    assert "Zanzibar riservato" in page(client, False, q="zanzibar")


def test_a_word_only_hidden_practices_contain_is_treated_like_an_unknown_word(app, client, pworld):
    with app.app_context():
        chieri = db.session.execute(db.select(Organization).where(Organization.name == "Comune di Chieri")).scalar_one()
        make_practice("Lotta alla zanzara tigre", pworld.open_community, chieri, kit={"context": "Una zanzara."})
        make_practice("Bozza sulle zanzare", pworld.open_community, chieri, status="draft",
                      kit={"context": "Le zanzare."})
        db.session.commit()
    index_now(app)
    # Both misspellings get the same answer: the draft's word "zanzare" is no more "known" than a typo.
    assert "<strong>zanzara</strong>" in page(client, False, q="zanzarw")
    assert "<strong>zanzara</strong>" in page(client, False, q="zanzare")


def test_too_much_queued_work_falls_back_to_the_database(app, client, secrets, monkeypatch):
    monkeypatch.setattr("app.search.query.MAX_QUEUED_MASK", 1)
    from app.models import Practice

    with app.app_context():
        for practice in db.session.execute(db.select(Practice).where(Practice.status != "draft")).scalars():
            practice.status = "draft"
        db.session.commit()
    body = page(client, False, q="zanzibar")
    assert "temporaneamente incompleti" in body and "Zanzibar riservato" not in body


def test_a_queued_edit_never_shows_the_removed_text_in_a_snippet(app, client, secrets):
    from app.models import KitSection

    with app.app_context():
        section = db.session.execute(db.select(KitSection).where(KitSection.body == PRIVATE_TEXT)).scalar_one()
        section.body = "Testo riscritto."
        db.session.commit()
    from tests.conftest import login

    login(client, secrets.private_member)
    body = page(client, False, q="membri")
    assert "Zanzibar riservato" in body and "tra i <mark>membri</mark>" not in body  # the summary instead
