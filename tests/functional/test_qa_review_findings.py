"""Findings of the adversarial review of Q&A (issue 12): each test fails until its finding is fixed."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Answer, Question
from tests.conftest import index_now, login, post
from tests.qa_world import make_answer, make_question

HX = {"HX-Request": "true"}


def _question(app, qworld, where="open", author="member", **fields):
    with app.app_context():
        return make_question(qworld.community(where).id, getattr(qworld, author).id, **fields).id


def _answer(app, question_id, author_id, **fields):
    with app.app_context():
        return make_answer(question_id, author_id, **fields).id


def _set(app, model, row_id, **values):
    with app.app_context():
        row = db.session.get(model, row_id)
        for key, value in values.items():
            setattr(row, key, value)
        db.session.commit()


def test_report_page_does_not_show_the_answers_of_a_hidden_question(app, client, qworld):
    """The question page hides a hidden question's answers from readers; GET /questions/report?kind=answer&id=…
    quotes the answer's body to any signed-in member (open community, outsider of Torino)."""
    question_id = _question(app, qworld)
    answer_id = _answer(app, question_id, qworld.other_member.id, body="Segreto: il capitolato è nel drive XYZZY.")
    _set(app, Question, question_id, visibility="hidden", needs_review=True)
    login(client, qworld.outsider)
    page = client.get(f"/questions/{question_id}").get_data(as_text=True)
    assert "XYZZY" not in page  # the page hides it...
    response = client.get("/questions/report", query_string={"kind": "answer", "id": answer_id})
    assert "XYZZY" not in response.get_data(as_text=True)  # ...the report page should too


def test_search_excerpt_does_not_name_mentioned_people_to_visitors(app, client, qworld):
    """Visitors read organisations, not names: the index strips mentions, but the hit's excerpt (shown when the
    snippet is empty, e.g. a match in the title only) renders the raw body with `@[Name](user:ID)`."""
    with app.app_context():
        make_question(qworld.open.id, qworld.member.id, title="Capitolato mensa scolastica biologica",
                      body=f"Chiedo a @[Olga Altra](user:{qworld.other_member.id}) come ha fatto.")
    index_now(app)
    body = client.get("/search", query_string={"q": "capitolato"}).get_data(as_text=True)
    assert "Capitolato mensa" in body
    assert "Olga Altra" not in body


def test_hiding_a_revision_also_hides_the_old_title_in_the_activity_feed(app, client, qworld):
    """A facilitator hides revision 1 of a question whose title named a person (privacy): the community's activity
    feed (object_label stored at asking time) keeps showing the old title to everyone, visitors included."""
    from app.models import Community, Revision, User
    from app.qa import services

    with app.app_context():
        community = db.session.get(Community, qworld.open.id)
        asker = db.session.get(User, qworld.member.id)
        question = services.ask(asker, community, title="Il caso della signora Gianna Pinotti all'anagrafe",
                                body="Dettagli del caso.", tags=[])
        services.edit_question(asker, question, title="Un caso di residenza all'anagrafe", body="Dettagli del caso.",
                               tags=[])
        first = db.session.execute(select(Revision).where(Revision.target_type == "question",
                                                          Revision.target_id == question.id,
                                                          Revision.number == 1)).scalar_one()
        services.hide_revision(db.session.get(User, qworld.facilitator.id), first, reason="dati personali")
        slug = community.slug
        question_id = question.id
    assert "Gianna Pinotti" not in client.get(f"/questions/{question_id}/history").get_data(as_text=True)
    assert "Gianna Pinotti" not in client.get(f"/communities/{slug}").get_data(as_text=True)


def test_an_asker_removed_from_the_community_can_no_longer_close_or_accept(app, client, qworld):
    """The issue: the asker accepts/closes as a participant; qa_roles gives Role.ASKER to the author whatever their
    membership (a person removed from the community still closes and accepts), while editing already requires
    can_answer_as_member."""
    from app.models import Membership

    question_id = _question(app, qworld, where="moderated")
    answer_id = _answer(app, question_id, qworld.other_member.id)
    with app.app_context():
        membership = db.session.execute(select(Membership).where(
            Membership.user_id == qworld.member.id, Membership.community_id == qworld.moderated.id)).scalar_one()
        membership.status = "removed"
        db.session.commit()
    login(client, qworld.member)
    response = post(client, f"/questions/{question_id}/answers/{answer_id}/accept")
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Question, question_id).accepted_answer_id is None


def test_a_deleted_spam_answer_no_longer_counts_as_the_first_answer(app, qworld):
    """first_answer_at is set by the first answer and never revisited: a spam answer deleted by moderation keeps
    the question "answered in time" in the figures and out of "open with no answer after 7 days"."""
    from datetime import timedelta

    from app.models import Community, User
    from app.models.base import utcnow
    from app.qa import figures, moderation, services

    with app.test_request_context():
        community = db.session.get(Community, qworld.open.id)
        asked_at = utcnow() - timedelta(days=10)
        question = services.ask(db.session.get(User, qworld.member.id), community, title="Come si scrive il PIAO?",
                                body="Ci serve un esempio.", tags=[], now=asked_at)
        spam = services.answer(db.session.get(User, qworld.supplier.id), question, body="Compra il nostro software!",
                               now=asked_at + timedelta(hours=1))
        facilitator = db.session.get(User, qworld.facilitator.id)
        membership = moderation._membership(facilitator, community)
        moderation.report(facilitator, spam, question, membership, reason="spam")
        moderation.review(facilitator, db.session.get(Answer, spam.id), db.session.get(Question, question.id),
                          membership, "delete")
        result = figures.question_figures(community.id, now=utcnow())
        assert db.session.get(Question, question.id).answer_count == 0
        assert result.answered == 0 and result.stale_open == 1


@pytest.mark.parametrize("url", ["/communities/comunita-open/questions/new?practice=%00",
                                 "/questions/mentions?question={question_id}&q=ma%00"])
def test_a_nul_character_in_the_query_string_is_not_a_500(app, client, qworld, url):
    """PostgreSQL refuses NUL in a string literal: ?practice= goes to the database raw (routes_lists._practice_of),
    and so does the mention prefix (notify.mention_candidates)."""
    question_id = _question(app, qworld)
    login(client, qworld.member)
    assert client.get(url.format(question_id=question_id)).status_code < 500


def _count(app, model, *where) -> int:
    from sqlalchemy import func
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar()


def test_a_double_clicked_ask_creates_one_question(app, client, qworld):
    """The ask form (and the comment form) has no submission token (the pattern of app/submissions.py used by the
    practice and support-request forms): the same POST sent twice publishes two identical questions."""
    from tests.conftest import csrf_token

    login(client, qworld.member)
    url = "/communities/comunita-open/questions/new"
    token = csrf_token(client, url)
    data = {"csrf_token": token, "title": "Come avete fatto il PIAO 2026?", "body": "Ci serve un esempio.",
            "tags": ""}
    page = client.get(url).get_data(as_text=True)
    import re
    hidden = dict(re.findall(r'<input[^>]*name="(submission[^"]*)"[^>]*value="([^"]*)"', page))
    data.update(hidden)
    first = client.post(url, data=data)
    second = client.post(url, data=data)
    assert first.status_code == 303 and second.status_code < 500
    assert _count(app, Question) == 1


def test_a_double_clicked_comment_creates_one_comment(app, client, qworld):
    from app.models import Comment
    from tests.conftest import csrf_token

    question_id = _question(app, qworld)
    login(client, qworld.other_member)
    token = csrf_token(client, f"/questions/{question_id}")
    for _ in range(2):
        client.post(f"/questions/{question_id}/comments", data={"csrf_token": token, "comment-q-body": "Quale anno?"},
                    headers=HX)
    assert _count(app, Comment) == 1


def test_unfollowing_a_communitys_questions_is_announced(app, client, qworld):
    """follow_list's htmx answer replaces the control, whose role=status span is inside the replaced region (not
    announced) and empty when following stops: screen readers hear nothing (no out-of-band live region)."""
    login(client, qworld.member)
    post(client, f"/questions/follow/community/{qworld.open.id}", {"level": "watching"}, htmx=True)
    response = post(client, f"/questions/follow/community/{qworld.open.id}", {"level": "normal"}, htmx=True)
    assert response.status_code == 200
    assert "Non segui più" in response.get_data(as_text=True)


def test_closing_as_duplicate_does_not_tell_watchers_the_title_of_a_question_they_may_not_see(app, client, qworld):
    """A person of the donor team closes their own question as a duplicate of a question on their practice, which
    went back to draft (only the donor team sees it): actions.close checks the original against the closer only,
    and notify.closed_as_duplicate sends its title to every watcher (qa.closed_duplicate, params.original)."""
    from app.models import Follow, Notification, Practice

    duplicate_id = _question(app, qworld, author="donor_member", title="Come si configura il modulo protocollo?")
    with app.app_context():
        original = make_question(qworld.open.id, qworld.donor_member.id, practice_id=qworld.open_practice.id,
                                 title="Bozza riservata: protocollo della Giunta Rossi")
        original_id = original.id
        db.session.get(Practice, qworld.open_practice.id).status = "draft"
        db.session.add(Follow(user_id=qworld.other_member.id, target_type="question", target_id=duplicate_id,
                              level="watching"))
        db.session.commit()
    login(client, qworld.donor_member)
    response = post(client, f"/questions/{duplicate_id}/close",
                    {"close-reason": "duplicate", "close-duplicate_of": str(original_id)})
    assert response.status_code in (303, 422)
    with app.app_context():
        told = db.session.execute(select(Notification).where(Notification.user_id == qworld.other_member.id)
                                  ).scalars().all()
        assert all("Giunta Rossi" not in str(n.params) for n in told)


def test_the_answers_fragment_of_a_hidden_question_is_not_served_to_readers(app, client, qworld):
    """question.html wraps the `answers` block in `{% if question.is_visible or moderator %}`, but ?part=answers
    renders the block alone (render_block), outside that condition: anyone reads a hidden question's answers."""
    question_id = _question(app, qworld)
    _answer(app, question_id, qworld.other_member.id, body="Il nostro capitolato riservato PLUGH.")
    _set(app, Question, question_id, visibility="hidden", needs_review=True)
    assert "PLUGH" not in client.get(f"/questions/{question_id}").get_data(as_text=True)
    response = client.get(f"/questions/{question_id}", query_string={"part": "answers"}, headers=HX)
    assert "PLUGH" not in response.get_data(as_text=True)


def test_a_mention_does_not_reveal_the_name_of_someone_members_may_not_see(app, client, qworld):
    """qa_markdown shows "@<current full name>" for any user id typed in `@[x](user:ID)`, without
    permissions.can_view_user: a member learns the name of a person still waiting for approval (or removed)."""
    from app.models import Organization
    from tests.conftest import make_user

    with app.app_context():
        waiting = make_user("attesa@bari.example.it", db.session.get(Organization, qworld.bari.id),
                            affiliation_status="pending", full_name="Zenobia Inattesa")
        db.session.commit()
        question_id = make_question(qworld.open.id, qworld.member.id,
                                    body=f"Chiedo a @[qualcuno](user:{waiting.id}).").id
    login(client, qworld.other_member)
    assert "Zenobia" not in client.get(f"/questions/{question_id}").get_data(as_text=True)
