"""A KPI's discussion (issue 16): who may write and hide, the thread in the KPI page (Markdown sanitised, author and
organisation), hidden messages seen only by reviewers, htmx and full page, notifications, CSRF, bad input."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import KpiComment, Notification
from app.models.base import utcnow
from tests.conftest import login, post

# which: {role: outcome} for writing — "ok", "denied" (403), "hidden" (404)
WRITES = {
    "published": {"member": "ok", "outsider": "ok", "supplier_person": "ok", "staff": "ok", "facilitator": "ok",
                  "admin": "ok"},
    "proposed": {"member": "ok", "adopter": "ok", "peer": "ok", "facilitator": "ok", "admin": "ok",
                 "outsider": "hidden", "staff": "hidden", "region_person": "hidden"},
    "in_review": {"region_person": "ok", "staff": "ok", "admin": "ok", "member": "hidden", "facilitator": "hidden"},
    "withdrawn": {"member": "denied", "facilitator": "denied", "admin": "denied", "peer": "hidden",
                  "outsider": "hidden"},
    "deprecated": {"member": "ok", "outsider": "ok"},
}
MODERATES = {"published": {"facilitator", "admin"}, "proposed": {"facilitator", "admin"},
             "in_review": {"staff", "admin"}}
CODES = {"denied": 403, "hidden": 404}


def comment_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(KpiComment.id)))


def add_comment(app, definition_id: int, author_id: int, body: str, hidden: bool = False) -> int:
    from app.models import User

    with app.app_context():
        author = db.session.get(User, author_id)
        row = KpiComment(definition_id=definition_id, author_id=author_id, organization_id=author.organization_id,
                         body=body, hidden_at=utcnow() if hidden else None)
        db.session.add(row)
        db.session.commit()
        return row.id


@pytest.mark.parametrize("which", list(WRITES))
def test_comment_matrix(app, kworld, which):
    target = getattr(kworld, which)
    url = f"/kpi/{target.slug}/comments"
    anonymous = app.test_client()
    response = post(anonymous, url, {"body": "Anonimo"})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    for role, outcome in WRITES[which].items():
        client = app.test_client()
        login(client, getattr(kworld, role))
        for htmx in (False, True):
            before = comment_count(app)
            response = post(client, url, {"body": f"Messaggio di {role} {htmx}"}, htmx=htmx)
            if outcome == "ok":
                assert response.status_code == (200 if htmx else 303), (which, role, htmx, response.status_code)
                assert comment_count(app) == before + 1
                if htmx:
                    text = response.get_data(as_text=True)
                    assert "<html" not in text and 'id="discussion"' in text and f"Messaggio di {role} True" in text
                else:
                    assert response.headers["Location"].endswith(f"/kpi/{target.slug}#discussion")
            else:
                assert response.status_code == CODES[outcome], (which, role, htmx)
                assert comment_count(app) == before


def test_comment_writes_author_organisation_and_notifies(app, client, kworld):
    login(client, kworld.peer)
    response = post(client, f"/kpi/{kworld.proposed.slug}/comments", {"body": "Contate anche i **nidi privati**?"})
    assert response.status_code == 303
    with app.app_context():
        row = db.session.scalar(select(KpiComment))
        assert (row.author_id, row.organization_id, row.definition_id) == (
            kworld.peer.id, kworld.moncalieri.id, kworld.proposed.id)
        told = {n.user_id: n for n in db.session.scalars(select(Notification).where(
            Notification.verb == "kpi.commented"))}
        assert set(told) == {kworld.member.id, kworld.facilitator.id}  # the proposer and the reviewers
        notice = told[kworld.member.id]
        assert notice.link.startswith(f"/kpi/{kworld.proposed.slug}")
        assert notice.params["kpi"] == "Posti nido ogni 100 bambini"
    # the author is not told of their own message
    client2 = app.test_client()
    login(client2, kworld.member)
    post(client2, f"/kpi/{kworld.proposed.slug}/comments", {"body": "Sì, anche quelli convenzionati."})
    with app.app_context():
        assert db.session.scalar(select(func.count(Notification.id)).where(
            Notification.verb == "kpi.commented", Notification.user_id == kworld.member.id)) == 1


def test_thread_on_the_kpi_page_markdown_sanitised(app, client, kworld):
    add_comment(app, kworld.published.id, kworld.peer.id,
                "Usate la **media ponderata**? <script>alert(1)</script> [link](javascript:alert(2))")
    text = client.get(f"/kpi/{kworld.published.slug}").get_data(as_text=True)
    assert 'id="discussion"' in text and "<strong>media ponderata</strong>" in text
    assert "<script>alert(1)" not in text and "href=\"javascript" not in text
    # A visitor reads the organisation, not the person's name (test_kpi_findings_security.py).
    assert "Paolo Moncalieri" not in text and "Comune di Moncalieri" in text
    assert 'id="kpi-comment-form"' not in text  # anonymous: no form, a sign-in link
    login(client, kworld.outsider)
    assert 'id="kpi-comment-form"' in client.get(f"/kpi/{kworld.published.slug}").get_data(as_text=True)


def test_hidden_comments_only_for_reviewers(app, kworld):
    add_comment(app, kworld.published.id, kworld.peer.id, "Messaggio visibile")
    add_comment(app, kworld.published.id, kworld.outsider.id, "Messaggio offensivo", hidden=True)
    for role, sees in (("facilitator", True), ("admin", True), ("peer", False), ("outsider", False),
                       ("member", False), (None, False)):
        client = app.test_client()
        if role:
            login(client, getattr(kworld, role))
        text = client.get(f"/kpi/{kworld.published.slug}").get_data(as_text=True)
        assert "Messaggio visibile" in text, role
        assert ("Messaggio offensivo" in text) is sees, role
        assert ("messaggio nascosto" in text) is sees, role


@pytest.mark.parametrize("which", list(MODERATES))
def test_hide_matrix(app, kworld, which):
    target = getattr(kworld, which)
    visible_to = {role for role, outcome in WRITES[which].items() if outcome == "ok"}
    for role in ("admin", "facilitator", "staff", "member", "peer", "outsider", "region_person"):
        client = app.test_client()
        login(client, getattr(kworld, role))
        for htmx in (False, True):
            comment_id = add_comment(app, target.id, kworld.admin.id, f"Da nascondere {role} {htmx}")
            response = post(client, f"/kpi/{target.slug}/comments/{comment_id}/hide", {}, htmx=htmx)
            with app.app_context():
                hidden = db.session.get(KpiComment, comment_id).hidden_at is not None
            if role in MODERATES[which]:
                assert response.status_code == (200 if htmx else 303), (which, role, htmx)
                assert hidden
                if htmx:
                    text = response.get_data(as_text=True)
                    assert "<html" not in text and "messaggio nascosto" in text
            else:
                expected = 403 if role in visible_to or which == "published" else 404
                assert response.status_code == expected, (which, role, htmx, response.status_code)
                assert not hidden


def test_hide_a_comment_of_another_kpi_is_404(app, client, kworld):
    other = add_comment(app, kworld.unadopted.id, kworld.peer.id, "Altrove")
    login(client, kworld.facilitator)
    assert post(client, f"/kpi/{kworld.published.slug}/comments/{other}/hide", {}).status_code == 404
    assert post(client, f"/kpi/{kworld.published.slug}/comments/999999/hide", {}).status_code == 404
    with app.app_context():
        assert db.session.get(KpiComment, other).hidden_at is None


@pytest.mark.parametrize("body,message", [("", "Scrivete il messaggio"), ("   \x00\u200b ", "Scrivete il messaggio"),
                                          ("x" * 5001, "Al massimo 5000")])
def test_bad_comment(app, client, kworld, body, message):
    login(client, kworld.member)
    for htmx in (False, True):
        response = post(client, f"/kpi/{kworld.published.slug}/comments", {"body": body}, htmx=htmx)
        text = response.get_data(as_text=True)
        assert response.status_code == 422 and 'id="body-error"' in text and message in text
        assert ("<html" in text) is (not htmx)
    assert comment_count(app) == 0


def test_longest_comment_is_kept(app, client, kworld):
    login(client, kworld.member)
    response = post(client, f"/kpi/{kworld.published.slug}/comments", {"body": "y" * 5000})
    assert response.status_code == 303 and comment_count(app) == 1


def test_comment_and_hide_need_csrf(app, client, kworld):
    comment_id = add_comment(app, kworld.published.id, kworld.peer.id, "Resta")
    login(client, kworld.facilitator)
    assert client.post(f"/kpi/{kworld.published.slug}/comments", data={"body": "Senza token"}).status_code == 400
    assert client.post(f"/kpi/{kworld.published.slug}/comments/{comment_id}/hide").status_code == 400
    assert client.post(f"/kpi/{kworld.published.slug}/comments", data={"body": "Senza token"},
                       headers={"HX-Request": "true"}).status_code == 400
    assert comment_count(app) == 1
    with app.app_context():
        assert db.session.get(KpiComment, comment_id).hidden_at is None


def test_thread_queries_are_bounded(app, client, kworld):
    from sqlalchemy import event

    login(client, kworld.facilitator)

    def queries_of_a_message(body: str) -> int:
        seen = []
        listener = lambda *args, **kwargs: seen.append(1)  # noqa: E731
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", listener)
        try:
            response = post(client, f"/kpi/{kworld.published.slug}/comments", {"body": body}, htmx=True)
        finally:
            with app.app_context():
                event.remove(db.engine, "before_cursor_execute", listener)
        assert response.status_code == 200
        return len(seen)

    first = queries_of_a_message("Primo")
    for n, author in enumerate((kworld.peer, kworld.outsider, kworld.member, kworld.region_person, kworld.staff)):
        add_comment(app, kworld.published.id, author.id, f"Messaggio {n}")
    # the CSRF page `post` fetches counts the same both times; a thread of seven costs what a thread of one did
    assert queries_of_a_message("Settimo") <= first


def test_comments_are_rate_limited_per_account(app, kworld):
    """As in Q&A: 30 messages an hour per account, the 31st answered 429; an invalid one uses up nothing."""
    from tests.conftest import csrf_token, login

    client = app.test_client()
    login(client, kworld.adopter.email)
    token = csrf_token(client, "/privacy")
    url = f"/kpi/{kworld.published.slug}/comments"
    assert client.post(url, data={"body": "", "csrf_token": token}).status_code == 422  # not counted
    for n in range(30):
        assert client.post(url, data={"body": f"Messaggio {n}", "csrf_token": token}).status_code == 303, n
    refused = client.post(url, data={"body": "Uno di troppo", "csrf_token": token})
    assert refused.status_code == 429
    with app.app_context():
        from sqlalchemy import func, select

        from app.extensions import db
        from app.models import KpiComment

        assert db.session.scalar(select(func.count(KpiComment.id)).where(
            KpiComment.definition_id == kworld.published.id)) == 30
