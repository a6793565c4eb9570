"""Bounded queries on the evaluation pages (issue 13): the number of SQL statements of a page does not grow with
the number of candidacies (nor, on the reviewer's dashboard, with the number of calls). Each page is measured at 3
and at 12 candidacies — every one from its own organisation with its own practice, two reviewers each (one review
submitted or still to do), a declined assignment, computed conflicts and decisions on some — full page and htmx."""
from __future__ import annotations

import pytest
from sqlalchemy import event

from app.extensions import db
from tests.conftest import login, make_org, make_practice, make_user
from tests.evaluation_world import add_commission, add_conflict, assign, make_call, make_candidacy, make_review, \
    set_phase

SMALL, LARGE = 3, 12


def statements(app, client, url: str, htmx: bool = False, fragment: bool = True) -> int:
    """SQL statements of one GET of `url` (after a first GET, so that nothing warming up is counted); `fragment`:
    the page answers HX-Request with its partial (not so a download, nor the call page, which has none)."""
    headers = {"HX-Request": "true"} if htmx else {}
    assert client.get(url, headers=headers).status_code == 200
    seen: list[str] = []

    def listener(*args):
        seen.append(args[2])

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", listener)
    try:
        response = client.get(url, headers=headers)
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", listener)
    assert response.status_code == 200
    if fragment:
        assert ("<html" in response.get_data(as_text=True)) != htmx  # the fragment was measured, not the page
    return len(seen)


def grow(app, eworld, call_id: int, start: int, stop: int, prefix: str = "numero") -> list[int]:
    """Candidacies start…stop−1 of the call (under review), with assignments, reviews, conflicts and decisions."""
    ids = []
    with app.app_context():
        from app.models import Community, Decision, EvaluationCall

        community = db.session.get(Community, eworld.community.id)
        codes = [c.code for c in db.session.get(EvaluationCall, call_id).criteria]
        for n in range(start, stop):
            organization = make_org(f"Comune {prefix} {n}", ipa_code=f"c_{prefix[:2]}{n:03d}")
            referent = make_user(f"referente{n}@{prefix}.example.it", organization, is_referent=True)
            practice = make_practice(f"Pratica {prefix} {n}", community, organization)
            db.session.commit()
            candidacy = make_candidacy(call_id, practice.id, referent.id, status="under_review",
                                       category="digitale" if n % 2 else "servizi")
            ids.append(candidacy.id)
            scores = {code: (n + k) % 4 + 1 for k, code in enumerate(codes)}
            mine = assign(candidacy.id, eworld.reviewer.id, by_id=eworld.chair.id)
            if n % 3:
                make_review(mine.id, scores)
            other = assign(candidacy.id, eworld.reviewer_unassigned.id, by_id=eworld.chair.id)
            make_review(other.id, {code: 5 - value for code, value in scores.items()})
            if n % 5 == 0:
                assign(candidacy.id, eworld.reviewer_conflicted.id, status="declined", by_id=eworld.chair.id)
            if n % 4 == 0:
                add_conflict(call_id, candidacy.id, eworld.deputy.id)
            if n % 2 == 0:
                db.session.add(Decision(candidacy_id=candidacy.id, synthesis="Sintesi.", proposed_outcome="recognised",
                                        decided_by_id=eworld.chair.id))
                db.session.commit()
    return ids


def measure(app, eworld, pages, blind: bool = False) -> None:
    """Every (client, url, htmx[, fragment]) of `pages(first ids)` issues as many statements at LARGE candidacies
    as at SMALL."""
    set_phase(app, eworld.call.id, "review")
    if blind:
        with app.app_context():
            from app.models import EvaluationCall

            db.session.get(EvaluationCall, eworld.call.id).blind = True
            db.session.commit()
    first = grow(app, eworld, eworld.call.id, 0, SMALL)
    small = {key[1:3]: statements(app, *key) for key in pages(first)}
    grow(app, eworld, eworld.call.id, SMALL, LARGE)
    large = {key[1:3]: statements(app, *key) for key in pages(first)}
    assert large == small


@pytest.mark.parametrize("htmx", [False, True])
def test_the_chairs_pages_do_not_grow_with_the_candidacies(app, client, eworld, htmx):
    assert login(client, eworld.chair).status_code == 303
    slug = eworld.call.slug
    measure(app, eworld, lambda first: [
        (client, f"/evaluation/calls/{slug}/assignments", htmx),
        (client, f"/evaluation/calls/{slug}/board", htmx),
        (client, f"/evaluation/calls/{slug}/board?sort=mean&dir=desc", htmx),
        (client, f"/evaluation/candidacies/{first[0]}", htmx),
    ])


@pytest.mark.parametrize("htmx", [False, True])
def test_the_chairs_pages_count_the_same_on_every_page(app, client, eworld, htmx, monkeypatch):
    """Paginated (5 a page): page 1 and page 2, filtered or not, cost what the one page of 3 candidacies costs."""
    monkeypatch.setitem(app.config, "EVALUATION_PER_PAGE", 5)
    assert login(client, eworld.chair).status_code == 303
    slug = eworld.call.slug
    set_phase(app, eworld.call.id, "review")
    grow(app, eworld, eworld.call.id, 0, SMALL)
    urls = [f"/evaluation/calls/{slug}/board", f"/evaluation/calls/{slug}/assignments"]
    small = [statements(app, client, url, htmx) for url in urls]
    grow(app, eworld, eworld.call.id, SMALL, LARGE)
    for query in ("?page=1", "?page=2", "?page=2&category=digitale&disagreement=1&waiting=1&sort=mean&dir=desc"):
        assert [statements(app, client, url + query, htmx) for url in urls] == small


def test_the_exports_do_not_grow_with_the_candidacies(app, client, eworld):
    assert login(client, eworld.chair).status_code == 303
    slug = eworld.call.slug

    set_phase(app, eworld.call.id, "review")
    grow(app, eworld, eworld.call.id, 0, SMALL)
    small = [statements(app, client, f"/evaluation/calls/{slug}/export.{fmt}", fragment=False) for fmt in ("csv", "ods")]
    grow(app, eworld, eworld.call.id, SMALL, LARGE)
    assert [statements(app, client, f"/evaluation/calls/{slug}/export.{fmt}", fragment=False)
            for fmt in ("csv", "ods")] == small


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("blind", [False, True])
def test_the_reviewer_dashboard_does_not_grow_with_the_candidacies(app, client, eworld, htmx, blind):
    assert login(client, eworld.reviewer).status_code == 303
    measure(app, eworld, lambda first: [(client, "/evaluation/reviewer", htmx)], blind=blind)


@pytest.mark.parametrize("htmx", [False, True])
def test_the_call_page_does_not_grow_with_the_candidacies(app, eworld, htmx):
    visitor = app.test_client()
    # the call page has no partial: on HX-Request it answers the whole page, measured all the same
    measure(app, eworld, lambda first: [(visitor, f"/evaluation/calls/{eworld.call.slug}", htmx, False)])


def test_the_reviewer_dashboard_does_not_grow_with_the_calls(app, client, eworld):
    assert login(client, eworld.reviewer).status_code == 303
    set_phase(app, eworld.call.id, "review")
    grow(app, eworld, eworld.call.id, 0, SMALL)
    one_call = statements(app, client, "/evaluation/reviewer")
    with app.app_context():
        from app.models import User

        chair, reviewers = db.session.get(User, eworld.chair.id), [db.session.get(User, eworld.reviewer.id),
                                                                   db.session.get(User, eworld.reviewer_unassigned.id)]
        deputies = [db.session.get(User, eworld.deputy.id)]
        second = make_call("Premio buone pratiche 2027", chair=chair, phase="review", year=2027, blind=True)
        add_commission(second, reviewers=reviewers, deputies=deputies)
        db.session.commit()
        second_id = second.id
    grow(app, eworld, second_id, 0, SMALL, prefix="secondo")
    assert statements(app, client, "/evaluation/reviewer") == one_call



@pytest.mark.parametrize("htmx", [False, True])
def test_the_conflicts_page_does_not_grow_with_the_candidacies_for_an_administrator(app, client, eworld, htmx):
    assert login(client, eworld.admin).status_code == 303
    handed = grow(app, eworld, eworld.call.id, 101, 102, prefix="ceduta")[0]  # the chair is conflicted on it,
    with app.app_context():  # a deputy handles it: the handover list has one entry
        from app.models import Candidacy

        add_conflict(eworld.call.id, handed, eworld.chair.id, status="confirmed")
        db.session.get(Candidacy, handed).chair_handled_by_id = eworld.deputy.id
        db.session.commit()
    measure(app, eworld, lambda ids: [(client, f"/evaluation/calls/{eworld.call.slug}/conflicts", htmx)])


def test_the_conflicts_page_does_not_grow_with_the_candidacies_for_the_chair(app, client, eworld):
    assert login(client, eworld.chair).status_code == 303
    measure(app, eworld, lambda ids: [(client, f"/evaluation/calls/{eworld.call.slug}/conflicts", False)])


@pytest.mark.parametrize("blind", [False, True])
def test_the_bulk_permissions_agree_with_the_single_ones(app, eworld, blind):
    """access.candidate_names_shown and decidable_conflicts decide as shows_candidate_names and can_decide_conflict
    do, one candidacy or conflict at a time, for every role."""
    from app.evaluation import access
    from tests.evaluation_world import ROLES

    set_phase(app, eworld.call.id, "review")
    ids = grow(app, eworld, eworld.call.id, 0, 6)
    with app.app_context():
        from app.models import Candidacy, Conflict, EvaluationCall, User

        call = db.session.get(EvaluationCall, eworld.call.id)
        call.blind = blind
        add_conflict(call.id, ids[1], eworld.chair.id, status="confirmed")
        add_conflict(call.id, ids[2], eworld.reviewer.id, source="candidate")
        db.session.get(Candidacy, ids[1]).chair_handled_by_id = eworld.deputy.id
        db.session.commit()
        candidacies = db.session.query(Candidacy).filter(Candidacy.id.in_(ids)).all()
        rows = db.session.query(Conflict).filter_by(call_id=call.id).all()
        assert len(rows) >= 4
        for role in ROLES:
            if role == "anonymous":
                continue
            person = db.session.get(User, getattr(eworld, role).id)
            assert access.candidate_names_shown(person, candidacies) == {
                c.id for c in candidacies if access.shows_candidate_names(person, c)}, role
            assert access.decidable_conflicts(person, rows) == {
                c.id for c in rows if access.can_decide_conflict(person, c)}, role
