"""Reviewing KPI definitions (issue 16, point 3): kpi.move's confirmation page and POST for every role × action ×
definition (a community proposal, a programme proposal in review, a published KPI), full page and htmx, asserting
the status and the KpiChange rows after each POST and nothing changed after each refusal.

Outcomes: "ok" (applied), "refused" (the reader may take this kind of move but not from this status: 400 page (422 after
a POST, which htmx swaps) or a redirect with the message), "denied" (403), "hidden" (404), "login"."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import delete, func, select

from app.extensions import db
from app.models import KpiChange, KpiDefinition, Notification
from tests.conftest import csrf_token, login

ROLES = ("anonymous", "member", "adopter", "peer", "outsider", "facilitator", "staff", "admin", "region_person")
SEES = {  # who may see each definition (the rest: 404)
    "proposed": {"member", "adopter", "peer", "facilitator", "admin"},  # the community's members, its reviewers
    "in_review": {"region_person", "staff", "admin"},  # the proposer's organisation, the programme's staff
    "published": set(ROLES) - {"anonymous"},
}
REVIEWERS = {"proposed": {"facilitator", "admin"}, "in_review": {"staff", "admin"},
             "published": {"facilitator", "admin"}}
PROPOSERS = {"proposed": {"member", "adopter", "admin"}, "in_review": {"region_person", "admin"},
             "published": {"member", "adopter", "admin"}}
OK = {("proposed", "start_review"), ("proposed", "withdraw"), ("in_review", "return"), ("in_review", "publish"),
      ("in_review", "withdraw"), ("published", "deprecate")}
TARGET = {"start_review": "in_review", "return": "proposed", "publish": "published", "deprecate": "deprecated",
          "withdraw": "withdrawn"}
ACTIONS = tuple(TARGET)
WITH_NOTE = {"return", "deprecate"}


def expected(role: str, which: str, action: str) -> str:
    if role == "anonymous":
        return "login"
    if role not in SEES[which]:
        return "hidden"
    takers = PROPOSERS[which] if action == "withdraw" else REVIEWERS[which]
    if role not in takers:
        return "denied"
    return "ok" if (which, action) in OK else "refused"


def state(app, definition_id: int) -> tuple:
    with app.app_context():
        definition = db.session.get(KpiDefinition, definition_id)
        changes = db.session.execute(select(KpiChange.action, KpiChange.from_status, KpiChange.to_status,
                                            KpiChange.actor_id, KpiChange.note)
                                     .where(KpiChange.definition_id == definition_id)
                                     .order_by(KpiChange.id)).all()
        return (definition.status, definition.review_note, definition.deprecation_note, definition.replaced_by_id,
                [tuple(row) for row in changes])


def restore(app, definition_id: int, before: tuple) -> None:
    """Put the definition back as it was (the next role meets the same state)."""
    with app.app_context():
        definition = db.session.get(KpiDefinition, definition_id)
        definition.status, definition.review_note, definition.deprecation_note, definition.replaced_by_id = before[:4]
        keep = len(before[4])
        ids = db.session.scalars(select(KpiChange.id).where(KpiChange.definition_id == definition_id)
                                 .order_by(KpiChange.id)).all()
        db.session.execute(delete(KpiChange).where(KpiChange.id.in_(ids[keep:])))
        db.session.execute(delete(Notification))
        db.session.commit()


def signed_in(app, world, role: str):
    client = app.test_client()
    if role != "anonymous":
        assert login(client, getattr(world, role)).status_code == 303
    return client


def says(text: str, message: str) -> bool:
    """The message is on the page (apostrophes escaped or not)."""
    return message in text or message.replace("'", "&#39;") in text


def check_login(response, htmx: bool, where) -> None:
    if htmx:
        assert response.status_code == 401 and "/auth/login" in response.headers["HX-Redirect"], where
    else:
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], where


@pytest.mark.parametrize("which", ["proposed", "in_review", "published"])
def test_move_matrix(app, kworld, which):
    """Every role × action on one definition, as a full page and as htmx (one sign-in per role)."""
    definition = getattr(kworld, which)
    before = state(app, definition.id)
    for role in ROLES:
        client = signed_in(app, kworld, role)
        token = csrf_token(client, "/privacy")
        for action, htmx in ((action, htmx) for action in ACTIONS for htmx in (False, True)):
            headers = {"HX-Request": "true"} if htmx else {}
            where = (role, which, action, htmx)
            outcome = expected(role, which, action)
            url = f"/kpi/{definition.slug}/move/{action}"
            page = client.get(url, headers=headers)
            text = page.get_data(as_text=True)
            if outcome == "login":
                check_login(page, htmx, where)
            elif outcome == "hidden":
                assert page.status_code == 404, where
            elif outcome == "denied":
                assert page.status_code == 403, where
            elif outcome == "refused":
                assert page.status_code == 400 and "kpi-move-refusal" in text, where
                assert 'id="kpi-move-form"' not in text, where
            else:
                assert page.status_code == 200 and 'id="kpi-move-form"' in text, where
                assert ('name="note"' in text) is (action in WITH_NOTE), where
                assert ("<html" in text) is (not htmx), where
            data = {"csrf_token": token, "note": "Una nota per il proponente."}
            response = client.post(url, data=data, headers=headers)
            after = state(app, definition.id)
            if outcome == "ok":
                if htmx:
                    assert response.status_code == 204, where
                    assert response.headers["HX-Redirect"] == f"/kpi/{definition.slug}", where
                else:
                    assert response.status_code == 303, where
                    assert response.headers["Location"].endswith(f"/kpi/{definition.slug}"), where
                actor_id = getattr(kworld, role).id
                note = "Una nota per il proponente." if action in WITH_NOTE else ""  # a button carries no note
                assert after[0] == TARGET[action], where
                assert after[4] == before[4] + [(action, before[0], TARGET[action], actor_id, note)], where
                restore(app, definition.id, before)
                continue
            assert after == before, where  # a refusal changes nothing
            if outcome == "login":
                check_login(response, htmx, where)
            elif outcome == "hidden":
                assert response.status_code == 404, where
            elif outcome == "denied":
                assert response.status_code == 403, where
            elif action in WITH_NOTE:  # the form page again, with the reason above the form
                assert response.status_code == 422, where
                assert "alert-danger" in response.get_data(as_text=True), where
            else:  # a button: back to the KPI page, where the flash says why
                assert response.status_code == (204 if htmx else 303), where


def test_refused_button_says_why_on_the_kpi_page(app, client, kworld):
    login(client, kworld.staff)
    token = csrf_token(client, "/privacy")
    response = client.post(f"/kpi/{kworld.in_review.slug}/move/start_review", data={"csrf_token": token},
                           follow_redirects=True)
    assert response.status_code == 200
    assert "Si prende in esame solo un indicatore proposto." in response.get_data(as_text=True)


def test_the_note_is_kept_on_the_change_when_a_simple_move_carries_none(app, client, kworld):
    login(client, kworld.facilitator)
    response = client.post(f"/kpi/{kworld.proposed.slug}/move/start_review",
                           data={"csrf_token": csrf_token(client, "/privacy")})
    assert response.status_code == 303
    with app.app_context():
        change = db.session.scalars(select(KpiChange).where(KpiChange.definition_id == kworld.proposed.id)
                                    .order_by(KpiChange.id.desc())).first()
        assert (change.action, change.note, change.actor_id) == ("start_review", "", kworld.facilitator.id)


def test_unknown_action_and_unknown_kpi_are_404(app, client, kworld):
    login(client, kworld.admin)
    token = csrf_token(client, "/privacy")
    before = state(app, kworld.proposed.id)
    for url in (f"/kpi/{kworld.proposed.slug}/move/delete", f"/kpi/{kworld.proposed.slug}/move/PUBLISH",
                f"/kpi/{kworld.proposed.slug}/move/" + "x" * 5000, "/kpi/non-esiste/move/publish",
                f"/kpi/{kworld.proposed.slug}/move/publish%00", "/kpi/" + "a" * 500 + "/move/publish"):
        assert client.get(url).status_code == 404, url
        assert client.post(url, data={"csrf_token": token}).status_code == 404, url
    assert state(app, kworld.proposed.id) == before


def test_post_without_csrf_is_refused(app, client, kworld):
    login(client, kworld.admin)
    before = state(app, kworld.proposed.id)
    assert client.post(f"/kpi/{kworld.proposed.slug}/move/start_review").status_code == 400
    assert client.post(f"/kpi/{kworld.in_review.slug}/move/return", data={"note": "x"}).status_code == 400
    assert state(app, kworld.proposed.id) == before


NOTE_CASES = [
    ("", "Scrivete al proponente che cosa cambiare."),
    ("   \n\t ", "Scrivete al proponente che cosa cambiare."),
    ("\x00\x00", "Scrivete al proponente che cosa cambiare."),
    ("x" * 5001, "Al massimo 5000 caratteri."),
]


def test_return_needs_a_note(app, client, kworld):
    login(client, kworld.staff)
    token = csrf_token(client, "/privacy")
    before = state(app, kworld.in_review.id)
    for (note, message), htmx in ((case, htmx) for case in NOTE_CASES for htmx in (False, True)):
        where = (note[:10], htmx)
        response = client.post(f"/kpi/{kworld.in_review.slug}/move/return",
                               headers={"HX-Request": "true"} if htmx else {}, data={"csrf_token": token, "note": note})
        text = response.get_data(as_text=True)
        assert response.status_code == 422, where
        assert says(text, message) and 'aria-invalid="true"' in text, where
        assert ("<html" in text) is (not htmx), where
    assert state(app, kworld.in_review.id) == before


def test_return_note_reaches_the_proposer(app, client, kworld):
    login(client, kworld.staff)
    note = "Il **denominatore** va riferito ai residenti. <script>alert(1)</script>"
    response = client.post(f"/kpi/{kworld.in_review.slug}/move/return",
                           data={"csrf_token": csrf_token(client, "/privacy"), "note": note})
    assert response.status_code == 303
    with app.app_context():
        definition = db.session.get(KpiDefinition, kworld.in_review.id)
        assert definition.status == "proposed" and definition.review_note == note
        notices = db.session.scalars(select(Notification).where(Notification.verb == "kpi.return")).all()
        assert [n.user_id for n in notices] == [kworld.region_person.id]
        assert notices[0].params["note"] == note and notices[0].link == f"/kpi/{kworld.in_review.slug}"
    # The proposer reads the note on the KPI's page, sanitised.
    proposer = signed_in(app, kworld, "region_person")
    page = proposer.get(f"/kpi/{kworld.in_review.slug}").get_data(as_text=True)
    assert "<strong>denominatore</strong>" in page
    assert "<script>alert(1)</script>" not in page


def test_publish_notifies_the_proposer_only(app, client, kworld):
    login(client, kworld.staff)
    assert client.post(f"/kpi/{kworld.in_review.slug}/move/publish",
                       data={"csrf_token": csrf_token(client, "/privacy")}).status_code == 303
    with app.app_context():
        definition = db.session.get(KpiDefinition, kworld.in_review.id)
        assert definition.status == "published" and definition.published_at is not None
        assert db.session.scalars(select(Notification.user_id).where(Notification.verb == "kpi.publish")).all() \
            == [kworld.region_person.id]
        assert db.session.scalar(select(func.count(Notification.id))) == 1
    # Now public: an outsider reads it.
    assert signed_in(app, kworld, "outsider").get(f"/kpi/{kworld.in_review.slug}").status_code == 200


def test_start_review_and_withdraw_notify(app, client, kworld):
    login(client, kworld.facilitator)
    client.post(f"/kpi/{kworld.proposed.slug}/move/start_review", data={"csrf_token": csrf_token(client, "/privacy")})
    member = signed_in(app, kworld, "member")
    response = member.post(f"/kpi/{kworld.proposed.slug}/move/withdraw",
                           data={"csrf_token": csrf_token(member, "/privacy")}, headers={"HX-Request": "true"})
    assert response.status_code == 204
    with app.app_context():
        verbs = db.session.execute(select(Notification.verb, Notification.user_id).order_by(Notification.id)).all()
        assert [tuple(v) for v in verbs] == [("kpi.start_review", kworld.member.id),
                                            ("kpi.withdraw", kworld.facilitator.id)]
        assert db.session.get(KpiDefinition, kworld.proposed.id).status == "withdrawn"
    # Withdrawn: the community's other members no longer see it; the proposer's organisation does.
    assert signed_in(app, kworld, "peer").get(f"/kpi/{kworld.proposed.slug}").status_code == 404
    assert member.get(f"/kpi/{kworld.proposed.slug}").status_code == 200


def test_deprecate_page_offers_other_published_kpis(app, client, kworld):
    login(client, kworld.facilitator)
    page = client.get(f"/kpi/{kworld.unadopted.slug}/move/deprecate").get_data(as_text=True)
    assert f'value="{kworld.published.id}"' in page  # another published KPI
    for other in (kworld.unadopted, kworld.deprecated, kworld.proposed, kworld.in_review, kworld.withdrawn):
        assert f'value="{other.id}"' not in page  # itself, deprecated, proposals
    assert 'for="replacement"' in page and 'for="note"' in page


@pytest.mark.parametrize("htmx", [False, True])
def test_deprecation_with_replacement_shows_up(app, client, kworld, htmx):
    login(client, kworld.facilitator)
    response = client.post(f"/kpi/{kworld.unadopted.slug}/move/deprecate",
                           headers={"HX-Request": "true"} if htmx else {},
                           data={"csrf_token": csrf_token(client, "/privacy"), "note": "Superato dalla media.",
                                 "replacement": str(kworld.published.id)})
    assert response.status_code == (204 if htmx else 303)
    with app.app_context():
        definition = db.session.get(KpiDefinition, kworld.unadopted.id)
        assert (definition.status, definition.replaced_by_id, definition.deprecation_note) == (
            "deprecated", kworld.published.id, "Superato dalla media.")
        assert definition.deprecated_at is not None
        assert db.session.scalars(select(Notification.verb)).all() == ["kpi.deprecate"]
    page = client.get(f"/kpi/{kworld.unadopted.slug}").get_data(as_text=True)
    assert f'href="/kpi/{kworld.published.slug}"' in page
    assert "Superato dalla media." in page


def test_deprecation_without_replacement(app, client, kworld):
    login(client, kworld.admin)
    response = client.post(f"/kpi/{kworld.unadopted.slug}/move/deprecate",
                           data={"csrf_token": csrf_token(client, "/privacy"), "note": "Non serve più.",
                                 "replacement": ""})
    assert response.status_code == 303
    with app.app_context():
        definition = db.session.get(KpiDefinition, kworld.unadopted.id)
        assert (definition.status, definition.replaced_by_id) == ("deprecated", None)


def test_deprecation_refuses_a_bad_replacement(app, client, kworld):
    ids = {"deprecated": kworld.deprecated.id, "proposed": kworld.proposed.id, "unadopted": kworld.unadopted.id}
    login(client, kworld.facilitator)
    token = csrf_token(client, "/privacy")
    before = state(app, kworld.unadopted.id)
    for replacement in ("deprecated", "proposed", "unadopted", "abc", "-1", "99999999999", "1\x00", "0",
                        "x" * 10_000):
        response = client.post(f"/kpi/{kworld.unadopted.slug}/move/deprecate",
                               data={"csrf_token": token, "note": "Superato.",
                                     "replacement": str(ids.get(replacement, replacement))})
        text = response.get_data(as_text=True)
        assert response.status_code == 422, replacement[:20]
        assert says(text, "L'indicatore che lo sostituisce deve essere pubblicato e diverso da questo."), replacement
        assert "Superato." in text  # the note typed is kept
    assert state(app, kworld.unadopted.id) == before


def test_deprecation_needs_its_note(app, client, kworld):
    login(client, kworld.facilitator)
    before = state(app, kworld.unadopted.id)
    response = client.post(f"/kpi/{kworld.unadopted.slug}/move/deprecate",
                           data={"csrf_token": csrf_token(client, "/privacy"), "note": " ",
                                 "replacement": str(kworld.published.id)})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert says(text, "Spiegate perché l'indicatore è dismesso.")
    assert re.search(rf'<option selected value="{kworld.published.id}">', text)  # the choice is kept
    assert state(app, kworld.unadopted.id) == before


def test_a_replacement_deprecated_meanwhile_is_refused_at_the_field(app, client, kworld):
    """The choice was valid when the page was drawn; the service checks again inside the transaction."""
    login(client, kworld.admin)
    page = client.get(f"/kpi/{kworld.unadopted.slug}/move/deprecate")
    assert page.status_code == 200
    with app.app_context():
        db.session.get(KpiDefinition, kworld.published.id).status = "deprecated"
        db.session.commit()
    before = state(app, kworld.unadopted.id)
    response = client.post(f"/kpi/{kworld.unadopted.slug}/move/deprecate",
                           data={"csrf_token": csrf_token(client, "/privacy"), "note": "Superato.",
                                 "replacement": str(kworld.published.id)})
    assert response.status_code == 422
    assert state(app, kworld.unadopted.id) == before
