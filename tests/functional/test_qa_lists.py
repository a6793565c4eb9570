"""The lists of questions (issue 12, point 8): the community's "Domande" tab (filters, sorts, pagination, full page
and htmx fragment), the practice's "Discussione" tab, "le mie domande", the dashboard's box and the accepted
answers on profiles. Real database, SQLite and PostgreSQL."""
from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from flask import url_for

from app.extensions import db
from app.models.base import utcnow
from tests.conftest import count_queries, login, make_practice, post
from tests.qa_world import make_answer, make_question

HX = {"HX-Request": "true"}


def url(app, endpoint: str, **values) -> str:
    with app.test_request_context():
        return url_for(endpoint, **values)


def client_as(app, qworld, role: str):
    client = app.test_client()
    if role != "anonymous":
        assert login(client, getattr(qworld, role)).status_code == 303
    return client


def titles(page: str) -> list[str]:
    """The question titles of a list, in order."""
    return [html.unescape(title) for title in re.findall(r'<a href="/questions/\d+">([^<]+)</a></h3>', page)]


def seed(app, qworld) -> dict:
    """Five questions in the open community: open unanswered, answered (official answer, practice), solved,
    closed, pinned; one hidden; times spread so that each sort gives a different order."""
    from app.models import Question

    start = utcnow() - timedelta(days=10)
    with app.app_context():
        made = {}
        specs = [
            ("unanswered", qworld.member, dict(tags=("appalti",))),
            ("official", qworld.other_member, dict(practice_id=qworld.open_practice.id, tags=("kit",))),
            ("solved", qworld.supplier, dict(tags=("appalti", "mensa"))),
            ("closed", qworld.other_member, {}),
            ("pinned", qworld.other_member, dict(pinned=True)),
            ("hidden", qworld.member, dict(visibility="hidden", needs_review=True)),
        ]
        for n, (key, author, fields) in enumerate(specs):
            question = make_question(qworld.open.id, author.id, title=f"Domanda {key} sulla gara d'appalto",
                                     created_at=start + timedelta(days=n),
                                     last_activity_at=start + timedelta(days=n), **fields)
            made[key] = question.id
        official = make_answer(made["official"], qworld.donor_member.id)
        assert official.official
        solved_answer = make_answer(made["solved"], qworld.member.id)
        closed_answer = make_answer(made["closed"], qworld.member.id)
        assert closed_answer
        rows = {key: db.session.get(Question, made[key]) for key in made}
        rows["solved"].status, rows["solved"].accepted_answer_id = "solved", solved_answer.id
        rows["closed"].status, rows["closed"].close_reason = "closed", "out_of_scope"
        # make_answer moved last activity to now: put it back where the test wants it.
        for n, key in enumerate(made):
            rows[key].last_activity_at = start + timedelta(days=n)
        rows["unanswered"].last_activity_at = start + timedelta(days=8)  # most recent activity, oldest question
        rows["solved"].vote_count = 5
        rows["official"].vote_count = 2
        db.session.commit()
        return made


# ---- the "Domande" tab: full page and fragment --------------------------------------------------------------------

def test_domande_tab_full_page_and_fragment(app, qworld):
    seed(app, qworld)
    client = client_as(app, qworld, "member")
    address = url(app, "qa.community_questions", slug=qworld.open.slug)
    full = client.get(address)
    assert full.status_code == 200
    page = full.get_data(as_text=True)
    assert "<html" in page and "Sezioni della comunità" in page
    assert re.search(r'class="nav-link active" aria-current="page" href="%s">Domande' % re.escape(address), page)
    assert "HX-Request" in full.headers.get("Vary", "")
    # The rows: state, counters, tags, organisation, official marker; the hidden question is not listed.
    assert "Domanda hidden" not in page
    assert "Risposta degli enti cedenti" in page
    assert "Risolta" in page and "Chiusa" in page and "In evidenza" in page
    assert "1 risposta" in page and "5 «anch'io»" in page
    assert "Comune di Lecce" in page and 'href="/communities/%s/questions?tag=mensa"' % qworld.open.slug in page
    assert "Fai una domanda" in page
    assert "5 domande" in page
    fragment = client.get(address, headers=HX)
    assert fragment.status_code == 200
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and "Sezioni della comunità" not in body and "5 domande" in body
    assert "HX-Request" in fragment.headers.get("Vary", "")


def test_only_the_official_marker_of_questions_with_a_donors_answer(app, qworld):
    made = seed(app, qworld)
    page = client_as(app, qworld, "anonymous").get(url(app, "qa.community_questions", slug=qworld.open.slug)) \
        .get_data(as_text=True)
    rows = page.split('<li class="qa-question-row')
    marked = [row for row in rows if "Risposta degli enti cedenti" in row]
    assert len(marked) == 1 and f"/questions/{made['official']}\"" in marked[0]
    assert "sulla pratica" in marked[0]


@pytest.mark.parametrize("filter_, expected", [
    ("all", {"unanswered", "official", "solved", "closed", "pinned"}),
    ("unanswered", {"unanswered", "pinned"}),
    ("open", {"unanswered", "official", "pinned"}),
    ("solved", {"solved"}),
])
def test_state_filters(app, qworld, filter_, expected):
    seed(app, qworld)
    client = client_as(app, qworld, "anonymous")
    for headers in ({}, HX):
        page = client.get(url(app, "qa.community_questions", slug=qworld.open.slug, filter=filter_),
                          headers=headers).get_data(as_text=True)
        assert {title.split()[1] for title in titles(page)} == expected


def test_mine_and_followed_filters(app, qworld):
    from app.qa import actions

    made = seed(app, qworld)
    with app.test_request_context():
        from app.models import User

        actions.set_follow(db.session.get(User, qworld.member.id), "question", made["pinned"], "watching")
    client = client_as(app, qworld, "member")
    mine = client.get(url(app, "qa.community_questions", slug=qworld.open.slug, filter="mine")).get_data(as_text=True)
    # Asked (unanswered; the hidden one is not listed) or answered (solved, closed).
    assert {t.split()[1] for t in titles(mine)} == {"unanswered", "solved", "closed"}
    followed = client.get(url(app, "qa.community_questions", slug=qworld.open.slug, filter="followed")) \
        .get_data(as_text=True)
    assert {t.split()[1] for t in titles(followed)} == {"pinned"}
    # Visitors: no "mine" / "followed" links, and those addresses list nothing (no error page).
    visitor = client_as(app, qworld, "anonymous")
    page = visitor.get(url(app, "qa.community_questions", slug=qworld.open.slug)).get_data(as_text=True)
    assert "filter=mine" not in page and "filter=followed" not in page
    empty = visitor.get(url(app, "qa.community_questions", slug=qworld.open.slug, filter="mine"))
    assert empty.status_code == 200 and titles(empty.get_data(as_text=True)) == []


def test_tag_filter_and_unknown_values(app, qworld):
    seed(app, qworld)
    client = client_as(app, qworld, "anonymous")
    page = client.get(url(app, "qa.community_questions", slug=qworld.open.slug, tag="appalti")).get_data(as_text=True)
    assert {t.split()[1] for t in titles(page)} == {"unanswered", "solved"}
    assert "Etichetta: appalti" in page and "togli il filtro" in page
    both = client.get(url(app, "qa.community_questions", slug=qworld.open.slug, tag="appalti", filter="solved"))
    assert {t.split()[1] for t in titles(both.get_data(as_text=True))} == {"solved"}
    # Whatever is typed in the address: the default list, never an error.
    for args in (dict(filter="nonsense"), dict(sort="drop table"), dict(tag="x" * 500), dict(tag="\x00")):
        response = client.get(url(app, "qa.community_questions", slug=qworld.open.slug, **args))
        assert response.status_code == 200, args


def test_sorts(app, qworld):
    seed(app, qworld)
    client = client_as(app, qworld, "anonymous")

    def order(**args):
        page = client.get(url(app, "qa.community_questions", slug=qworld.open.slug, **args)).get_data(as_text=True)
        return [t.split()[1] for t in titles(page)]

    # Last activity (default): pinned first, then the most recent activity.
    assert order() == ["pinned", "unanswered", "closed", "solved", "official"]
    assert order(sort="newest") == ["pinned", "closed", "solved", "official", "unanswered"]
    assert order(sort="votes") == ["solved", "official", "unanswered", "pinned", "closed"]
    page = client.get(url(app, "qa.community_questions", slug=qworld.open.slug, sort="votes")).get_data(as_text=True)
    assert '<option value="votes" selected>' in page


def test_pagination_keeps_filters_and_targets_the_list(app, qworld):
    with app.app_context():
        for n in range(25):
            make_question(qworld.open.id, qworld.member.id, title=f"Domanda numero {n:02d} sui fondi europei",
                          tags=("fondi-ue",), last_activity_at=utcnow() - timedelta(hours=n))
    client = client_as(app, qworld, "member")
    first = client.get(url(app, "qa.community_questions", slug=qworld.open.slug, tag="fondi-ue")).get_data(as_text=True)
    assert len(titles(first)) == 20 and "25 domande" in first
    second_url = url(app, "qa.community_questions", slug=qworld.open.slug, tag="fondi-ue", page=2)
    assert f'href="{second_url}" hx-get="{second_url}" hx-target="#question-list" hx-push-url="true"' \
        in first.replace("&amp;", "&")
    for headers in ({}, HX):
        second = client.get(second_url, headers=headers).get_data(as_text=True)
        assert titles(second) == [f"Domanda numero {n:02d} sui fondi europei" for n in range(20, 25)]
    # A page past the end is an empty list, not an error.
    assert client.get(url(app, "qa.community_questions", slug=qworld.open.slug, page=9)).status_code == 200


@pytest.mark.parametrize("role,status", [("anonymous", 404), ("outsider", 404), ("donor_referent", 404),
                                         ("member", 200), ("facilitator", 200), ("admin", 200)])
def test_private_community_questions_exist_only_for_members(app, qworld, role, status):
    with app.app_context():
        make_question(qworld.private.id, qworld.member.id, title="Domanda riservata sulla gara")
    client = client_as(app, qworld, role)
    for headers in ({}, HX):
        response = client.get(url(app, "qa.community_questions", slug=qworld.private.slug), headers=headers)
        assert response.status_code == status
        assert ("Domanda riservata sulla gara" in response.get_data(as_text=True)) == (status == 200)


def test_ask_button_or_the_reason(app, qworld):
    address = url(app, "qa.community_questions", slug=qworld.open.slug)
    outsider = client_as(app, qworld, "outsider").get(address).get_data(as_text=True)
    assert "Iscriviti alla comunità per fare domande" in outsider and "Fai una domanda</a>" not in outsider
    anonymous = client_as(app, qworld, "anonymous").get(address).get_data(as_text=True)
    assert "Accedi e iscriviti alla comunità per fare domande" in anonymous
    assert "Segui le nuove domande" not in anonymous
    member = client_as(app, qworld, "member").get(address).get_data(as_text=True)
    assert f'href="{url(app, "qa.ask", slug=qworld.open.slug)}">Fai una domanda</a>' in member
    follow = url(app, "qa.follow_list", kind="community", target_id=qworld.open.id)
    assert f'action="{follow}"' in member and "Segui le nuove domande" in member


def test_following_the_community_from_the_list(app, qworld):
    from app.models import Follow

    client = client_as(app, qworld, "member")
    address = url(app, "qa.community_questions", slug=qworld.open.slug)
    response = post(client, url(app, "qa.follow_list", kind="community", target_id=qworld.open.id),
                    {"level": "watching", "next": address})
    assert response.status_code == 303 and response.headers["Location"].endswith(address)
    with app.app_context():
        assert db.session.execute(db.select(Follow).where(Follow.user_id == qworld.member.id,
                                                          Follow.target_type == "community")).scalar()
    page = client.get(address).get_data(as_text=True)
    assert 'aria-pressed="true"' in page


# ---- the practice's "Discussione" tab -----------------------------------------------------------------------------

def test_practice_question_on_the_discussion_tab(app, qworld):
    made = seed(app, qworld)
    client = client_as(app, qworld, "anonymous")
    address = url(app, "practices.show", slug=qworld.open_practice.slug, tab="discussion")
    for headers in ({}, HX):
        response = client.get(address, headers=headers)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert titles(page) == ["Domanda official sulla gara d'appalto"]
        assert f'href="/questions/{made["official"]}"' in page and "Risposta degli enti cedenti" in page
        assert ("<html" in page) == (not headers)
    member = client_as(app, qworld, "member").get(address).get_data(as_text=True)
    ask = url(app, "qa.ask", slug=qworld.open.slug, practice=qworld.open_practice.slug)
    assert f'href="{ask}"'.replace("&", "&amp;") in member
    assert url(app, "qa.follow_list", kind="practice", target_id=qworld.open_practice.id) in member


def test_discussion_filters_and_pagination_keep_the_tab(app, qworld):
    with app.app_context():
        for n in range(22):
            make_question(qworld.open.id, qworld.member.id, title=f"Domanda sul kit numero {n:02d}",
                          practice_id=qworld.open_practice.id, last_activity_at=utcnow() - timedelta(hours=n))
        solved = make_question(qworld.open.id, qworld.member.id, title="Domanda sul kit risolta",
                               practice_id=qworld.open_practice.id, status="solved")
        assert solved
    client = client_as(app, qworld, "member")
    page = client.get(url(app, "practices.show", slug=qworld.open_practice.slug, tab="discussion")) \
        .get_data(as_text=True).replace("&amp;", "&")
    second = url(app, "practices.show", slug=qworld.open_practice.slug, tab="discussion", page=2)
    assert f'href="{second}" hx-get="{second}" hx-target="#practice-tab"' in page
    solved_url = url(app, "practices.show", slug=qworld.open_practice.slug, tab="discussion", filter="solved")
    assert f'href="{solved_url}" hx-get="{solved_url}" hx-target="#practice-tab"' in page
    fragment = client.get(solved_url, headers=HX).get_data(as_text=True)
    assert titles(fragment) == ["Domanda sul kit risolta"]
    assert len(titles(client.get(second, headers=HX).get_data(as_text=True))) == 3


def test_draft_practice_questions_stay_with_its_donor_team(app, qworld):
    from app.models import Community, Organization

    with app.app_context():
        draft = make_practice("Pratica in bozza sul protocollo", db.session.get(Community, qworld.open.id),
                              db.session.get(Organization, qworld.chieri.id), status="draft")
        db.session.commit()
        draft_slug = draft.slug
        make_question(qworld.open.id, qworld.donor_member.id, title="Domanda sulla pratica in bozza",
                      practice_id=draft.id)
    address = url(app, "practices.show", slug=draft_slug, tab="discussion")
    listing = url(app, "qa.community_questions", slug=qworld.open.slug)
    for role in ("anonymous", "outsider", "member"):
        client = client_as(app, qworld, role)
        assert client.get(address).status_code == 404, role
        assert "Domanda sulla pratica in bozza" not in client.get(listing).get_data(as_text=True)
    donor = client_as(app, qworld, "donor_member")
    page = donor.get(address).get_data(as_text=True)
    assert "Domanda sulla pratica in bozza" in page
    assert "Si fanno domande solo sulle pratiche pubblicate." in page
    assert "Domanda sulla pratica in bozza" in donor.get(listing).get_data(as_text=True)


# ---- "le mie domande", the dashboard, profiles ---------------------------------------------------------------------

def test_my_questions_tabs(app, qworld):
    from app.models import Membership

    made = seed(app, qworld)
    with app.app_context():
        private = make_question(qworld.private.id, qworld.member.id, title="Domanda lasciata nella riservata")
        make_question(qworld.moderated.id, qworld.member.id, title="Domanda nella comunità moderata")
        assert private
    client = client_as(app, qworld, "member")
    asked = client.get(url(app, "qa.my_questions")).get_data(as_text=True)
    assert set(titles(asked)) == {"Domanda unanswered sulla gara d'appalto", "Domanda lasciata nella riservata",
                                  "Domanda nella comunità moderata"}
    assert "Comunità moderated" in asked  # across communities, each named
    answered = client.get(url(app, "qa.my_questions", tab="answered"), headers=HX).get_data(as_text=True)
    assert "<html" not in answered
    assert {t.split()[1] for t in titles(answered)} == {"solved", "closed"}
    followed = client.get(url(app, "qa.my_questions", tab="followed")).get_data(as_text=True)
    assert titles(followed) == []  # make_question writes no follow; asking through the service does
    # Only what the person may still see: after leaving the private community its question is gone.
    with app.app_context():
        db.session.execute(db.delete(Membership).where(Membership.user_id == qworld.member.id,
                                                       Membership.community_id == qworld.private.id))
        db.session.commit()
    asked = client.get(url(app, "qa.my_questions")).get_data(as_text=True)
    assert "Domanda lasciata nella riservata" not in asked
    assert made
    anonymous = app.test_client().get(url(app, "qa.my_questions"))
    assert anonymous.status_code in (302, 303)


def test_dashboard_box_shows_the_last_five(app, qworld):
    with app.app_context():
        for n in range(7):
            make_question(qworld.open.id, qworld.member.id, title=f"Mia domanda numero {n}",
                          last_activity_at=utcnow() - timedelta(hours=n))
    client = client_as(app, qworld, "member")
    page = client.get(url(app, "main.dashboard")).get_data(as_text=True)
    assert "Le mie domande" in page and url(app, "qa.my_questions") in page
    for n in range(5):
        assert f"Mia domanda numero {n}" in page
    assert "Mia domanda numero 5" not in page and "Mia domanda numero 6" not in page


def test_profiles_show_accepted_answers(app, qworld):
    from app.models import Question

    with app.app_context():
        question = make_question(qworld.open.id, qworld.member.id)
        answer = make_answer(question.id, qworld.other_member.id)
        row = db.session.get(Question, question.id)
        row.status, row.accepted_answer_id = "solved", answer.id
        db.session.commit()
    client = client_as(app, qworld, "member")
    person = client.get(url(app, "users.profile", user_id=qworld.other_member.id)).get_data(as_text=True)
    assert "1 risposta accettata nelle domande delle comunità." in person
    nobody = client.get(url(app, "users.profile", user_id=qworld.outsider.id)).get_data(as_text=True)
    assert "0 risposte accettate" in nobody
    organization = client.get(url(app, "organizations.profile", slug=qworld.lecce.slug)).get_data(as_text=True)
    assert "1 risposta accettata data dalle persone dell'ente" in organization


def test_accepted_answers_in_a_private_community_count_only_for_its_members(app, qworld):
    from app.models import Question

    with app.app_context():
        question = make_question(qworld.private.id, qworld.member.id)
        answer = make_answer(question.id, qworld.other_member.id)
        row = db.session.get(Question, question.id)
        row.status, row.accepted_answer_id = "solved", answer.id
        db.session.commit()
    profile = url(app, "organizations.profile", slug=qworld.lecce.slug)
    inside = client_as(app, qworld, "member").get(profile).get_data(as_text=True)
    assert "1 risposta accettata data dalle persone dell'ente" in inside
    outside = client_as(app, qworld, "outsider").get(profile).get_data(as_text=True)
    assert "0 risposte accettate" in outside
    anonymous = app.test_client().get(profile).get_data(as_text=True)
    assert "1 risposta accettata" not in anonymous


def test_list_queries_do_not_depend_on_the_filters_rows(app, qworld):
    """The "mine" filter and "le mie domande" answered tab: same statements with 1 and with 12 questions."""
    with app.app_context():
        question = make_question(qworld.open.id, qworld.member.id, tags=("a",), practice_id=qworld.open_practice.id)
        make_answer(question.id, qworld.donor_member.id)
    client = client_as(app, qworld, "member")
    urls = [url(app, "qa.community_questions", slug=qworld.open.slug, filter="mine"),
            url(app, "qa.my_questions", tab="asked")]
    for each in urls:
        client.get(each)
    small = [count_queries(app, client, each) for each in urls]
    with app.app_context():
        for n in range(11):
            question = make_question(qworld.open.id, qworld.other_member.id if n % 2 else qworld.member.id,
                                     tags=("a", f"t{n}"), practice_id=qworld.open_practice.id if n % 3 else None)
            make_answer(question.id, qworld.donor_member.id)
    assert [count_queries(app, client, each) for each in urls] == small


@pytest.mark.parametrize("role,status", [("anonymous", 404), ("outsider", 404), ("member", 200)])
def test_private_practice_discussion(app, qworld, role, status):
    with app.app_context():
        make_question(qworld.private.id, qworld.member.id, title="Domanda riservata sul kit",
                      practice_id=qworld.private_practice.id)
    client = client_as(app, qworld, role)
    for headers in ({}, HX):
        response = client.get(url(app, "practices.show", slug=qworld.private_practice.slug, tab="discussion"),
                              headers=headers)
        assert response.status_code == status
        assert ("Domanda riservata sul kit" in response.get_data(as_text=True)) == (status == 200)


def test_a_question_of_the_platform_administration(app, qworld):
    with app.app_context():
        make_question(qworld.open.id, qworld.admin.id, title="Avviso di chi amministra la piattaforma")
    page = client_as(app, qworld, "anonymous").get(url(app, "qa.community_questions", slug=qworld.open.slug)) \
        .get_data(as_text=True)
    assert "Amministrazione della piattaforma" in page
