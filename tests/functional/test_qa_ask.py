"""Asking a question (issue 12, point 8): the ask form, its errors at the field (422, nothing saved), practice
questions, the Markdown preview, the similar-questions box and the per-account rate limit. Real database, SQLite
and PostgreSQL."""
from __future__ import annotations

import re

import pytest
from flask import url_for
from sqlalchemy import func, select

from app.extensions import db
from app.models import Community, Organization, Question, QuestionTag, Revision
from tests.conftest import csrf_token, login, make_practice, post

HX = {"HX-Request": "true"}
TITLE = "Come avete scritto il capitolato della mensa scolastica?"
BODY = "Ci servono i **criteri ambientali minimi** e un esempio di lotti."


def url(app, endpoint: str, **values) -> str:
    with app.test_request_context():
        return url_for(endpoint, **values)


def client_as(app, qworld, role: str):
    client = app.test_client()
    if role != "anonymous":
        assert login(client, getattr(qworld, role)).status_code == 303
    return client


def question_count(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count(Question.id))).scalar()


def ask(client, app, community_slug: str, data: dict, htmx: bool = False, **args):
    address = url(app, "qa.ask", slug=community_slug, **args)
    return post(client, address, data, page=address, htmx=htmx)


def test_the_ask_form(app, qworld):
    client = client_as(app, qworld, "member")
    response = client.get(url(app, "qa.ask", slug=qworld.open.slug))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="title"' in page and 'id="body"' in page and 'id="tags"' in page
    # The similar-questions box, fed by the search helper's fragment while the title is typed.
    box = re.search(r'<div id="similar-questions"[^>]*>', page).group(0)
    assert 'aria-live="polite"' in box and f'hx-get="{url(app, "qa.similar")}"' in box
    assert 'hx-trigger="keyup changed delay:500ms from:#title"' in box and 'hx-include="#title"' in box
    assert qworld.open.slug in box
    # The preview button: htmx to qa.preview, without it the whole form comes back with the preview.
    assert f'hx-post="{url(app, "qa.preview")}"' in page and 'name="preview"' in page


@pytest.mark.parametrize("role,status", [("outsider", 403), ("donor_referent", 403), ("member", 200),
                                         ("supplier", 200), ("facilitator", 200), ("admin", 200)])
def test_who_may_ask(app, qworld, role, status):
    client = client_as(app, qworld, role)
    response = client.get(url(app, "qa.ask", slug=qworld.open.slug))
    assert response.status_code == status
    if status == 403:
        assert "Iscriviti alla comunità per fare domande" in response.get_data(as_text=True)
        before = question_count(app)
        response = post(client, url(app, "qa.ask", slug=qworld.open.slug), {"title": TITLE, "body": BODY})
        assert response.status_code == 403 and question_count(app) == before


def test_anonymous_is_sent_to_sign_in_and_private_is_404(app, qworld):
    anonymous = app.test_client()
    response = anonymous.get(url(app, "qa.ask", slug=qworld.open.slug))
    assert response.status_code in (302, 303) and "/auth/login" in response.headers["Location"]
    outsider = client_as(app, qworld, "outsider")
    assert outsider.get(url(app, "qa.ask", slug=qworld.private.slug)).status_code == 404
    assert outsider.get(url(app, "qa.ask", slug="no-such-community")).status_code == 404


def test_asking_saves_and_redirects_to_the_question(app, qworld):
    client = client_as(app, qworld, "member")
    response = ask(client, app, qworld.open.slug, {"title": TITLE, "body": BODY, "tags": "Mensa, CAM, mensa"})
    assert response.status_code == 303
    with app.app_context():
        question = db.session.execute(select(Question)).scalar_one()
        assert response.headers["Location"].endswith(url(app, "qa.question", question_id=question.id))
        assert question.title == TITLE and question.author_id == qworld.member.id
        assert question.organization_id == qworld.bari.id and question.practice_id is None
        assert question.tag_names == ["cam", "mensa"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Domanda pubblicata." in page
    # It is on the community's "Domande" tab.
    listing = client.get(url(app, "qa.community_questions", slug=qworld.open.slug)).get_data(as_text=True)
    assert "Come avete scritto il capitolato" in listing


def test_htmx_ask_redirects_with_hx_redirect(app, qworld):
    client = client_as(app, qworld, "member")
    response = ask(client, app, qworld.open.slug, {"title": TITLE, "body": BODY}, htmx=True)
    assert response.status_code == 204 and "/questions/" in response.headers["HX-Redirect"]


@pytest.mark.parametrize("data,field,message", [
    ({"title": "", "body": BODY}, "title", "Scrivi la domanda in una riga."),
    ({"title": "x" * 201, "body": BODY}, "title", "al massimo 200 caratteri"),
    ({"title": "Breve?", "body": BODY}, "title", "almeno 10 caratteri"),
    ({"title": "   \u200b  ", "body": BODY}, "title", "Scrivi la domanda in una riga."),
    ({"title": TITLE, "body": ""}, "body", "Descrivi il contesto"),
    ({"title": TITLE, "body": "x" * 20001}, "body", "al massimo 20000 caratteri"),
    ({"title": TITLE, "body": BODY, "tags": "a, b, c, d, e, f"}, "tags", "Al massimo 5 etichette."),
    ({"title": TITLE, "body": BODY, "tags": "x" * 41}, "tags", "al massimo 40 caratteri"),
])
@pytest.mark.parametrize("htmx", [False, True])
def test_errors_at_the_field_with_422_and_nothing_saved(app, qworld, data, field, message, htmx):
    client = client_as(app, qworld, "member")
    with app.app_context():
        before = {model.__name__: db.session.execute(select(func.count()).select_from(model)).scalar()
                  for model in (Question, QuestionTag, Revision)}
    response = ask(client, app, qworld.open.slug, data, htmx=htmx)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert ("<html" in page) == (not htmx)
    error = re.search(r'<div class="invalid-feedback d-block" id="%s-error">([^<]*)</div>' % field, page)
    assert error and message in error.group(1), page[:3000]
    assert re.search(r'id="%s"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="%s"' % (field, field), page)
    # The form is kept.
    if data.get("title") and len(data["title"]) < 100 and data["title"].strip("\u200b "):
        assert data["title"] in page
    if data.get("body") == BODY:
        assert "criteri ambientali minimi" in page
    with app.app_context():
        after = {model.__name__: db.session.execute(select(func.count()).select_from(model)).scalar()
                 for model in (Question, QuestionTag, Revision)}
    assert after == before


# ---- practice questions ----------------------------------------------------------------------------------------

def test_practice_question_shows_on_the_discussion_tab(app, qworld):
    client = client_as(app, qworld, "member")
    form = client.get(url(app, "qa.ask", slug=qworld.open.slug, practice=qworld.open_practice.slug))
    assert form.status_code == 200 and qworld.open_practice.name in form.get_data(as_text=True)
    response = ask(client, app, qworld.open.slug, {"title": TITLE, "body": BODY},
                   practice=qworld.open_practice.slug)
    assert response.status_code == 303
    with app.app_context():
        question = db.session.execute(select(Question)).scalar_one()
        assert question.practice_id == qworld.open_practice.id
    tab = app.test_client().get(url(app, "practices.show", slug=qworld.open_practice.slug, tab="discussion"),
                                headers=HX).get_data(as_text=True)
    assert "Come avete scritto il capitolato" in tab


def test_the_donor_team_asks_about_its_practice_without_membership(app, qworld):
    client = client_as(app, qworld, "donor_referent")  # not a member of the community
    assert client.get(url(app, "qa.ask", slug=qworld.open.slug)).status_code == 403
    response = ask(client, app, qworld.open.slug, {"title": TITLE, "body": BODY},
                   practice=qworld.open_practice.slug)
    assert response.status_code == 303


def test_practice_of_another_community_or_not_published_is_404(app, qworld):
    with app.app_context():
        draft = make_practice("Pratica in bozza sul protocollo", db.session.get(Community, qworld.open.id),
                              db.session.get(Organization, qworld.chieri.id), status="draft")
        db.session.commit()
        draft_slug = draft.slug
    client = client_as(app, qworld, "donor_member")
    for practice in (qworld.moderated_practice.slug, draft_slug, "no-such-practice"):
        assert client.get(url(app, "qa.ask", slug=qworld.open.slug, practice=practice)).status_code == 404
        response = ask(client, app, qworld.open.slug, {"title": TITLE, "body": BODY}, practice=practice)
        assert response.status_code == 404
    assert question_count(app) == 0


# ---- preview -----------------------------------------------------------------------------------------------------

def test_preview_fragment_is_rendered_and_sanitised(app, qworld):
    client = client_as(app, qworld, "member")
    body = "Testo **importante**\n\n<script>alert(1)</script> [link](javascript:alert(1))"
    response = post(client, url(app, "qa.preview"), {"body": body}, htmx=True)
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert "<strong>importante</strong>" in fragment
    assert "<script" not in fragment and "&lt;script&gt;" in fragment  # shown as text, never run
    assert 'href="javascript' not in fragment and "<html" not in fragment
    full = post(client, url(app, "qa.preview"), {"body": body})
    assert full.status_code == 200 and "<html" in full.get_data(as_text=True)
    # CSRF required; anonymous people are not served.
    assert client.post(url(app, "qa.preview"), data={"body": body}, headers=HX).status_code == 400
    anonymous = app.test_client()
    token = csrf_token(anonymous, "/privacy")
    assert anonymous.post(url(app, "qa.preview"), data={"body": body, "csrf_token": token},
                          headers=HX).status_code == 401


def test_preview_without_htmx_keeps_the_form_and_saves_nothing(app, qworld):
    client = client_as(app, qworld, "member")
    response = ask(client, app, qworld.open.slug, {"title": TITLE, "body": BODY, "preview": "1"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<strong>criteri ambientali minimi</strong>" in page
    assert TITLE in page and "invalid-feedback" not in page
    assert question_count(app) == 0


# ---- rate limit -----------------------------------------------------------------------------------------------

def test_asking_is_rate_limited_per_account(app, qworld):
    client = client_as(app, qworld, "member")
    address = url(app, "qa.ask", slug=qworld.open.slug)
    token = csrf_token(client, address)
    # Invalid attempts and previews do not use up the allowance.
    assert client.post(address, data={"csrf_token": token, "title": "", "body": ""}).status_code == 422
    assert client.post(address, data={"csrf_token": token, "title": TITLE, "body": BODY,
                                      "preview": "1"}).status_code == 200
    for n in range(10):
        response = client.post(address, data={"csrf_token": token, "title": f"{TITLE} ({n})", "body": BODY})
        assert response.status_code == 303, n
    refused = client.post(address, data={"csrf_token": token, "title": f"{TITLE} (11)", "body": BODY})
    assert refused.status_code == 429
    assert question_count(app) == 10
    # Another account is not affected.
    other = client_as(app, qworld, "other_member")
    assert ask(other, app, qworld.open.slug, {"title": TITLE, "body": BODY}).status_code == 303
