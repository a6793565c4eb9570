"""Donors and reusers (R1D, R1R, R2, R3C, R3D, R3N) on known data at a frozen moment: who counts as donor and as
reuser, the 365-day window and the 12–24-month cohort at their edges, "dati insufficienti", batch queries."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import event

from app.extensions import db
from app.indicators import compute_reuse
from app.indicators.compute import load_context
from app.indicators.definitions import INDICATORS
from app.models import (Adoption, CoDonorInvitation, Conversion, Practice, Question, SupportMessage,
                        SupportRequest)
from app.models.practice import practice_co_donor
from tests.conftest import make_community, make_org, make_practice, make_user
from tests.qa_world import make_answer, make_question

NOW = datetime(2026, 6, 30, 12, 0)
DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)


# ---- data helpers (also used by the kits and practices tests) -----------------------------------------------------

def practice(title: str, community, donor, status: str = "published", published: datetime | None = None,
             **fields) -> Practice:
    """A practice published at `published` (default: long before NOW), with no kit version."""
    row = make_practice(title, community, donor, status=status, kit={}, **fields)
    moment = published or NOW - 1000 * DAY
    row.published_at = None if status == "draft" else moment
    row.created_at = row.updated_at = moment - DAY
    db.session.flush()
    return row


def adopt(practice_row, org, created: datetime, status: str = "in_progress", started: datetime | None = None,
          ended: datetime | None = None, confirmed: datetime | None = None) -> Adoption:
    """An adoption declared at `created`; under way from `started` (default: at once, unless only interested)."""
    if started is None and status != "interested":
        started = created
    if ended is None and status in ("completed", "abandoned"):
        ended = created + 10 * DAY
    row = Adoption(practice_id=practice_row.id, organization_id=org.id, status=status, created_at=created,
                   updated_at=created, started_at=started, ended_at=ended, confirmed_at=confirmed)
    db.session.add(row)
    db.session.flush()
    return row


def co_donor(practice_row, org, accepted_at: datetime | None = None) -> None:
    """`org` co-donates the practice; with `accepted_at`, through an invitation accepted then."""
    db.session.execute(practice_co_donor.insert().values(practice_id=practice_row.id, organization_id=org.id))
    if accepted_at is not None:
        db.session.add(CoDonorInvitation(practice_id=practice_row.id, organization_id=org.id, status="accepted",
                                         created_at=accepted_at - DAY, decided_at=accepted_at))
    db.session.flush()


def support_request(practice_row, org, created: datetime, **fields) -> SupportRequest:
    row = SupportRequest(practice_id=practice_row.id, organization_id=org.id, kind="technical",
                         subject=f"Richiesta del {created:%d/%m/%Y %H:%M}", description="Come si configura?",
                         created_at=created, updated_at=created, **fields)
    db.session.add(row)
    db.session.flush()
    return row


def message(request_row, author, at: datetime, from_donor: bool = True) -> None:
    db.session.add(SupportMessage(request_id=request_row.id, author_id=author.id, body="Ecco come fare.",
                                  from_donor=from_donor, created_at=at))
    db.session.flush()


def answer(community, asker, answerer, at: datetime, accepted: bool = True, accepted_at: datetime | None = None,
           visibility: str = "visible") -> None:
    """A question by `asker` answered by `answerer` at `at`, accepted (at `accepted_at`, default `at`)."""
    question = make_question(community.id, asker.id, title=f"Domanda del {at:%d/%m/%Y %H:%M:%S} sulla gara",
                             created_at=at - DAY, updated_at=at - DAY, last_activity_at=at - DAY)
    row = make_answer(question.id, answerer.id, created_at=at, updated_at=at, visibility=visibility)
    if accepted:
        question = db.session.get(Question, question.id)
        question.status, question.accepted_answer_id = "solved", row.id
        question.accepted_by_id, question.accepted_at = asker.id, accepted_at or at
        db.session.commit()


def figures(app, module, community_ids, now=NOW):
    with app.app_context():
        ctx = load_context(now)
        return module.compute(ctx, list(community_ids))


def statements_of(app, module, call) -> int:
    """How many SQL statements `call(module, ctx)` issues."""
    seen: list[str] = []

    def listener(*args):
        seen.append(args[2])

    with app.app_context():
        ctx = load_context(NOW)
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            call(module, ctx)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


def orgs(*names, **fields):
    return [make_org(name, **fields) for name in names]


# ---- R1D, R1R -----------------------------------------------------------------------------------------------------

@pytest.fixture
def donors_world(app):
    """One community with donors, co-donors and adoptions in every state; the comments give the expected figures."""
    with app.app_context():
        community = make_community("Comunità del riuso")
        other = make_community("Altra comunità")
        a, b, c, d, e, f, g, h = orgs(*(f"Comune {n}" for n in "ABCDEFGH"))
        x, y, z, w, v, u, t, q, r, k = orgs(*(f"Comune riusatore {n}" for n in "XYZWVUTQRK"))
        supplier = make_org("Software Solidale S.r.l.", kind="supplier", pa_kind=None)
        p1 = practice("Centrale unica", community, a)
        p2 = practice("Sportello unico", community, b)
        co_donor(p2, c)  # co-donor with no invitation on record: a donor all along
        co_donor(p2, supplier)  # not an administration
        co_donor(p1, h, accepted_at=NOW + DAY)  # accepted after NOW: not yet a donor
        p3 = practice("Bozza", community, d, status="draft")
        p4 = practice("Archiviata", community, e, status="archived")
        practice("Pubblicata domani", community, f, published=NOW + DAY)
        p6 = practice("Altrove", other, g)
        adopt(p1, x, NOW - 100 * DAY)  # reuser
        adopt(p2, y, NOW - 300 * DAY, "completed")  # reuser
        adopt(p1, z, NOW - 100 * DAY, "interested")  # only interested
        adopt(p1, w, NOW - 100 * DAY, "abandoned", ended=NOW - 10 * DAY)  # abandoned before NOW
        adopt(p1, v, NOW - 100 * DAY, "abandoned", ended=NOW + 5 * DAY)  # abandoned after NOW: reuser at NOW
        adopt(p1, u, NOW + DAY)  # declared after NOW
        adopt(p1, t, NOW - 100 * DAY, started=NOW + DAY)  # started after NOW
        adopt(p1, a, NOW - 100 * DAY)  # the donor's own
        adopt(p2, b, NOW - 100 * DAY)  # the donor's own
        adopt(p2, c, NOW - 100 * DAY)  # a co-donor's
        adopt(p3, q, NOW - 100 * DAY)  # a draft's
        adopt(p4, r, NOW - 100 * DAY)  # an archived practice was reused all the same: reuser
        adopt(p1, h, NOW - 50 * DAY)  # co-donor only after NOW: reuser at NOW
        adopt(p1, supplier, NOW - 100 * DAY)  # not an administration
        adopt(p6, k, NOW - 100 * DAY)  # another community's
        db.session.commit()
        return dict(community=community.id, other=other.id, donors={a.id, b.id, c.id},
                    reusers={x.id, y.id, v.id, r.id, h.id}, other_donors={g.id}, other_reusers={k.id})


def test_every_reuse_code_is_computed_for_every_community(app, donors_world):
    result = figures(app, compute_reuse, [donors_world["community"], donors_world["other"]])
    codes = {code for code, indicator in INDICATORS.items() if indicator.group == "reuse"}
    assert set(result) == {donors_world["community"], donors_world["other"]}
    assert all(set(each) == codes for each in result.values())
    assert set(compute_reuse.CODES) == codes


def test_donors_and_reusers_on_known_data(app, donors_world):
    result = figures(app, compute_reuse, [donors_world["community"], donors_world["other"]])
    mine, other = result[donors_world["community"]], result[donors_world["other"]]
    assert mine["R1D"].value == 3.0 and set(mine["R1D"].ids) == donors_world["donors"]
    assert mine["R1D"].kind == "organization" and mine["R1D"].as_json()["insufficient"] is False
    assert mine["R1R"].value == 5.0 and set(mine["R1R"].ids) == donors_world["reusers"]
    assert set(other["R1D"].ids) == donors_world["other_donors"]
    assert set(other["R1R"].ids) == donors_world["other_reusers"]


def test_donors_counted_as_of_the_moment(app, donors_world):
    """A year earlier, the practice published then and the adoptions declared then are all there is."""
    result = figures(app, compute_reuse, [donors_world["community"]], now=NOW - 200 * DAY)
    mine = result[donors_world["community"]]
    assert mine["R1D"].value == 3.0
    assert mine["R1R"].value == 1.0  # only Y's adoption, 300 days before NOW, was declared by then


def test_a_cohort_below_five_is_insufficient(app, donors_world):
    mine = figures(app, compute_reuse, [donors_world["community"]])[donors_world["community"]]
    for code in ("R3C", "R3D"):
        assert mine[code].value is None and mine[code].insufficient and mine[code].den == 0
    assert mine["R3N"].value == 0.0 and not mine["R3N"].insufficient


# ---- R2 -----------------------------------------------------------------------------------------------------------

@pytest.fixture
def breadth_world(app):
    with app.app_context():
        community = make_community("Comunità ampia")
        small = make_community("Comunità piccola")
        a, c, x, y, z = orgs("Comune cedente", "Comune co-cedente", "Comune X", "Comune Y", "Comune Z")
        q = [practice(f"Pratica {n}", community, a) for n in range(1, 6)]
        co_donor(q[3], c, accepted_at=NOW - 500 * DAY)
        adopt(q[0], x, NOW - 365 * DAY)  # exactly 365 days ago: in the window
        adopt(q[1], x, NOW - 365 * DAY - SECOND)  # a second earlier: out
        adopt(q[2], a, NOW - 10 * DAY)  # the donor's own
        adopt(q[3], c, NOW - 10 * DAY)  # the co-donor's
        adopt(q[4], y, NOW - 10 * DAY, "completed")
        adopt(q[4], z, NOW - 10 * DAY, "interested")
        draft = practice("Pratica in bozza", community, a, status="draft")
        archived = practice("Pratica archiviata", community, a, status="archived")
        adopt(draft, x, NOW - 10 * DAY)
        adopt(archived, x, NOW - 10 * DAY)
        s = [practice(f"Pratica piccola {n}", small, a) for n in range(1, 5)]
        adopt(s[0], x, NOW - 10 * DAY)
        db.session.commit()
        return dict(community=community.id, small=small.id, published={p.id for p in q},
                    hits={q[0].id, q[4].id}, small_hits={s[0].id})


def test_reuse_breadth_over_published_practices_in_the_window(app, breadth_world):
    result = figures(app, compute_reuse, [breadth_world["community"], breadth_world["small"]])
    r2 = result[breadth_world["community"]]["R2"]
    assert (r2.value, r2.num, r2.den, r2.insufficient) == (0.4, 2, 5, False)
    assert r2.kind == "practice"
    assert set(r2.ids) == breadth_world["published"] and set(r2.hits) == breadth_world["hits"]

    small = result[breadth_world["small"]]["R2"]  # four published practices: "dati insufficienti", never 25 %
    assert small.value is None and small.insufficient and (small.num, small.den) == (1, 4)
    assert small.as_json() == {"value": None, "num": 1, "den": 4, "insufficient": True}


def test_reuse_breadth_window_moves_with_the_moment(app, breadth_world):
    later = figures(app, compute_reuse, [breadth_world["community"]], now=NOW + SECOND)
    assert set(later[breadth_world["community"]]["R2"].hits) == breadth_world["hits"] - {min(breadth_world["hits"])}


# ---- R3C, R3D, R3N ------------------------------------------------------------------------------------------------

@pytest.fixture
def cohort_world(app):
    """Reusers whose first reuse falls on either side of the 12–24-month cohort's edges, and their later steps."""
    with app.app_context():
        community = make_community("Comunità della coorte")
        elsewhere = make_community("Comunità lontana")
        a, b = orgs("Comune cedente A", "Comune cedente B")
        o = {n: make_org(f"Comune O{n}") for n in range(1, 13)}
        people = {n: make_user(f"persona{n}@o{n}.example.it", org) for n, org in o.items()}
        asker = make_user("chiede@a.example.it", a)
        p = practice("Pratica della coorte", community, a)
        p2 = practice("Seconda pratica", community, b)
        far = practice("Pratica lontana", elsewhere, b)

        adopt(p, o[1], NOW - 730 * DAY)  # cohort's first edge
        answer(community, asker, people[1], NOW - 100 * DAY)  # accepted answer after: R3C
        answer(elsewhere, asker, people[1], NOW - 100 * DAY)  # (another community's)

        adopt(p, o[2], NOW - 365 * DAY)  # cohort's last edge
        own = practice("Pratica di O2", community, o[2], published=NOW - 100 * DAY)  # donor after: R3D, R3N
        request = support_request(own, o[3], NOW - 30 * DAY)
        message(request, people[2], NOW - 20 * DAY)  # support from the donor side: R3C

        first = adopt(p, o[3], NOW - 500 * DAY)
        db.session.add(Conversion(adoption_id=first.id, organization_id=o[3].id, reason="deployment",
                                  created_at=NOW - 200 * DAY))  # conversion after the first reuse: R3D, R3N
        message(request, people[3], NOW - 19 * DAY, from_donor=False)  # the requester's own message: nothing

        first = adopt(p, o[4], NOW - 500 * DAY)
        db.session.add(Conversion(adoption_id=first.id, organization_id=o[4].id, reason="deployment",
                                  created_at=NOW - 501 * DAY))  # stamped before the first reuse: not a step

        adopt(p, o[5], NOW - 400 * DAY)
        answer(community, asker, people[5], NOW - 450 * DAY)  # accepted, but before the first reuse
        answer(community, asker, people[5], NOW - 10 * DAY, visibility="hidden")  # hidden
        answer(community, asker, people[5], NOW - 10 * DAY, accepted=False)  # not accepted
        answer(community, asker, people[5], NOW - 10 * DAY, accepted_at=NOW + DAY)  # accepted after NOW
        answer(community, asker, people[5], NOW + DAY)  # written after NOW
        message(support_request(far, o[6], NOW - 30 * DAY), people[5], NOW - 5 * DAY)  # another community's

        adopt(p2, o[6], NOW - 800 * DAY)  # first reuse before the cohort
        later = adopt(p, o[6], NOW - 500 * DAY)
        db.session.add(Conversion(adoption_id=later.id, organization_id=o[6].id, reason="deployment",
                                  created_at=NOW - 730 * DAY))  # exactly 24 months ago: R3N

        adopt(p, o[7], NOW - 365 * DAY + SECOND)  # first reuse after the cohort
        practice("Pratica di O7", community, o[7], published=NOW - 10 * DAY)  # R3N

        adopt(p, o[8], NOW - 600 * DAY)
        co_donor(p, o[8], accepted_at=NOW - 300 * DAY)  # became co-donor of the practice it reused: R3D, R3N

        first = adopt(p2, o[9], NOW - 800 * DAY)
        db.session.add(Conversion(adoption_id=first.id, organization_id=o[9].id, reason="deployment",
                                  created_at=NOW - 730 * DAY - SECOND))  # a second too early for R3N

        adopt(p, o[10], NOW - 500 * DAY, "interested")  # never under way: not a reuser
        adopt(p, a, NOW - 500 * DAY)  # the donor's own
        co_donor(p, o[12])
        adopt(p, o[12], NOW - 500 * DAY)  # a co-donor's (no invitation on record: a donor all along)
        adopt(p, o[11], NOW - 500 * DAY, started=NOW + DAY)  # started only after NOW
        db.session.commit()
        ids = {n: org.id for n, org in o.items()}
        return dict(community=community.id, cohort={ids[n] for n in (1, 2, 3, 4, 5, 8)},
                    r3c={ids[1], ids[2]}, r3d={ids[2], ids[3], ids[8]},
                    r3n={ids[n] for n in (2, 3, 6, 7, 8)})


def test_conversion_cohort_on_known_data(app, cohort_world):
    mine = figures(app, compute_reuse, [cohort_world["community"]])[cohort_world["community"]]
    r3c, r3d, r3n = mine["R3C"], mine["R3D"], mine["R3N"]
    assert set(r3c.ids) == cohort_world["cohort"] and set(r3d.ids) == cohort_world["cohort"]
    assert set(r3c.hits) == cohort_world["r3c"] and (r3c.num, r3c.den) == (2, 6)
    assert r3c.value == pytest.approx(2 / 6)
    assert set(r3d.hits) == cohort_world["r3d"] and r3d.value == pytest.approx(3 / 6)
    assert set(r3n.ids) == cohort_world["r3n"] and r3n.value == 5.0
    assert r3c.kind == r3d.kind == r3n.kind == "organization"


def test_the_cohort_slides_with_the_moment(app, cohort_world):
    """A second later, O1's first reuse (exactly 730 days before NOW) has left the cohort and O7's has entered."""
    mine = figures(app, compute_reuse, [cohort_world["community"]], now=NOW + SECOND)[cohort_world["community"]]
    assert len(mine["R3C"].ids) == 6 and mine["R3C"].num == 1  # O2 only: O7 has given nothing back


# ---- batch queries ------------------------------------------------------------------------------------------------

def _busy_community(index: int):
    community = make_community(f"Comunità numero {index}")
    donor, reuser, later = orgs(f"Cedente {index}", f"Riusatore {index}", f"Convertito {index}")
    person = make_user(f"persona@riusatore{index}.example.it", reuser)
    asker = make_user(f"chiede@cedente{index}.example.it", donor)
    for n in range(3):
        row = practice(f"Pratica {n} della comunità {index}", community, donor)
        co_donor(row, later, accepted_at=NOW - 100 * DAY)
        adopted = adopt(row, reuser, NOW - 500 * DAY)
        db.session.add(Conversion(adoption_id=adopted.id, organization_id=reuser.id, reason="deployment",
                                  created_at=NOW - 50 * DAY))
        adopt(row, later, NOW - 400 * DAY)
        message(support_request(row, reuser, NOW - 40 * DAY), person, NOW - 30 * DAY)
    answer(community, asker, person, NOW - 20 * DAY)
    return community.id


def test_statements_do_not_grow_with_the_communities(app):
    with app.app_context():
        ids = [_busy_community(n) for n in range(4)]
        db.session.commit()
    one = statements_of(app, compute_reuse, lambda module, ctx: module.compute(ctx, ids[:1]))
    four = statements_of(app, compute_reuse, lambda module, ctx: module.compute(ctx, ids))
    assert one == four <= 8
    result = figures(app, compute_reuse, ids)
    assert all(each["R1R"].value == 1.0 and each["R3N"].value == 2.0 for each in result.values())
