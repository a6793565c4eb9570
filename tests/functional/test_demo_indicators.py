"""Demo indicator history (issue 14, point 6): several quarters per community, a promotion and a demotion in the
stage history, the observatory's network totals moving over the quarters, rows consistent with what the services
keep, and the same figures from two loads."""
from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.indicators.definitions import INDICATORS, STAGE_ORDER
from app.indicators.queries import network_quarters, quarter_snapshots
from app.models import (Adoption, Community, IndicatorSnapshot, Membership, NetworkSnapshot, SupportRequest, User)
from app.models.qa import Answer, Comment, Question, Revision
from tests.conftest import empty_all_tables


def load(app) -> dict:
    """The demo as `flask demo load` makes it (the history is part of it), and what a further history load adds."""
    from app.demo.indicators import load_indicator_history
    from app.demo.loader import load_demo

    with app.app_context():
        load_demo()
        return load_indicator_history()


def rows_of(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar()


def quarter_figures() -> dict:
    """Every quarter snapshot's figures and stages, and the network's, by natural keys (no ids, no timestamps)."""
    slugs = dict(db.session.execute(select(Community.id, Community.slug)).all())
    snapshots = {(slugs[s.community_id], s.period): (s.figures, s.qualified_stage, s.stage) for s in
                 db.session.execute(select(IndicatorSnapshot).where(IndicatorSnapshot.kind == "quarter")).scalars()}
    network = {n.period: {k: v for k, v in n.figures.items() if k != "top_practices"} for n in
               db.session.execute(select(NetworkSnapshot).where(NetworkSnapshot.kind == "quarter")).scalars()}
    return {"communities": snapshots, "network": network}


def stages_of(slug: str) -> list[str]:
    community = db.session.execute(select(Community).where(Community.slug == slug)).scalar_one()
    return [s.stage for s in quarter_snapshots(community.id)]


def test_demo_history_tells_a_story_and_loads_the_same_twice(app):
    assert load(app)["questions"] == 0  # load_demo() already brought the history
    with app.app_context():
        assert rows_of(Question) > 200 and rows_of(SupportRequest) > 40 and rows_of(Adoption) > 20
        communities = db.session.execute(select(Community)).scalars().all()
        histories = {c.slug: stages_of(c.slug) for c in communities}
        assert all(len(history) == 8 for history in histories.values())
        rank = STAGE_ORDER.index
        promoted = [slug for slug, h in histories.items()
                    if rank(h[-1]) > 0 and any(rank(b) > rank(a) for a, b in zip(h, h[1:]))]
        demoted = [slug for slug, h in histories.items() if any(rank(b) < rank(a) for a, b in zip(h, h[1:]))]
        assert promoted and demoted
        # The growing community climbs every step; the procurement one rises to a hub and falls back.
        europa = histories["servizio-europa"]
        assert europa[0] == "starting" and europa[-1] in ("hub", "centre")
        assert europa == sorted(europa, key=rank)
        appalti = histories["stazione-unica-appaltante"]
        assert "hub" in appalti and appalti[-1] == "community"
        assert histories["formazione-personale"] == ["starting"] * 8
        # Communities at several stages today, and the daily snapshot keeps the latest quarter's stage.
        assert len({h[-1] for h in histories.values()}) >= 3
        daily = db.session.execute(select(IndicatorSnapshot).where(IndicatorSnapshot.kind == "daily")).scalars().all()
        slugs = {c.id: c.slug for c in communities}
        assert {slugs[s.community_id]: s.stage for s in daily} == {slug: h[-1] for slug, h in histories.items()}

        # Every chart of the growing community moves: most indicators take several values over the quarters.
        europa_id = next(c.id for c in communities if c.slug == "servizio-europa")
        rows = quarter_snapshots(europa_id)
        moving = [code for code in INDICATORS if len({r.figures[code]["value"] for r in rows} - {None}) >= 2]
        assert len(moving) >= 20

        # The observatory: eight quarters of network figures, totals growing, stages changing.
        network = network_quarters()
        assert len(network) == 8
        adoptions = [n.figures["confirmed_adoptions"] for n in network]
        assert adoptions == sorted(adoptions) and adoptions[-1] > adoptions[0]
        assert len({n.figures["support_given"] for n in network}) >= 4
        assert len({tuple(sorted(n.figures["by_stage"].items())) for n in network}) >= 3
        assert len(network[-1].figures["by_region"]) >= 10

        # What the services keep: counters, first answers, acceptances, revision 1 of every post.
        questions = db.session.execute(select(Question)).scalars().all()
        for question in questions:
            visible = [a for a in question.answers if a.visibility == "visible"]
            assert question.answer_count == len(visible)
            by_others = [a.created_at for a in question.answers if a.author_id != question.author_id]
            assert question.first_answer_at == (min(by_others) if by_others else None)
            if question.accepted_answer_id is not None:
                assert question.status == "solved" and question.accepted_answer.question_id == question.id
                assert question.accepted_at >= question.accepted_answer.created_at
        posts = sum(db.session.execute(select(func.count()).select_from(model)).scalar()
                    for model in (Question, Answer, Comment))
        assert db.session.execute(select(func.count()).select_from(Revision)).scalar() == posts
        # People act only once they belong: every asker was a member before asking.
        joined = {(m.community_id, m.user_id): m.joined_at for m in db.session.execute(
            select(Membership).where(Membership.status == "active")).scalars()}
        assert all(joined[(q.community_id, q.author_id)] <= q.created_at for q in questions)
        for request in db.session.execute(select(SupportRequest)).scalars():
            assert request.organization_id not in request.practice.donor_ids
            if request.first_response_at is not None:
                assert request.first_response_at >= request.created_at
        for adoption in db.session.execute(select(Adoption)).scalars():
            assert adoption.organization_id != adoption.practice.donor_id  # (a reuser may become co-donor later)
            assert adoption.practice.published_at <= adoption.created_at
        first = quarter_figures()
        people = db.session.execute(select(func.count()).select_from(User)).scalar()

    # Loading again adds nothing.
    again = load(app)
    assert again["questions"] == 0 and again["people"] == 0
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(User)).scalar() == people
        assert quarter_figures() == first

    # A fresh database gives the same figures (seeded, anchored to the calendar's quarters).
    with app.app_context():
        db.session.remove()
        empty_all_tables()
    load(app)
    with app.app_context():
        assert quarter_figures() == first
