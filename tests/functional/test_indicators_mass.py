"""Critical mass, participation and rhythm (M1P … M6, CORE, COREA, F1, F2, RH) on known data at a frozen moment:
every code, the windows' edges, "dati insufficienti", suppliers, private communities, the ente factor, and a number
of SQL statements that does not grow with the number of communities."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import event

from app.extensions import db
from app.indicators import compute_mass
from app.indicators.compute import load_context
from app.indicators.contributions import first_contributions, load_contributions
from app.models import (Adoption, CommunityGovernance, KitVersion, MaintenanceEntry, Membership, SupportMessage,
                        SupportRequest)
from app.models.qa import Answer, Comment, Question
from tests.conftest import make_community, make_org, make_practice, make_user

NOW = datetime(2026, 6, 15, 12, 0)  # a Monday; the calendar months are June, May and April 2026
LONG_AGO = datetime(2020, 1, 10, 9, 0)


def days(n: float) -> datetime:
    return NOW - timedelta(days=n)


# ---- rows written directly, each at a given moment ------------------------------------------------------------

def question(community, user, at, **fields) -> Question:
    row = Question(community_id=community.id, title=f"Domanda del {at:%d/%m/%Y %H:%M}", body="Come avete fatto?",
                   author_id=user.id, organization_id=fields.pop("organization_id", user.organization_id),
                   created_at=at, updated_at=at, last_activity_at=at, **fields)
    db.session.add(row)
    db.session.flush()
    return row


def answer(host, user, at, **fields) -> Answer:
    row = Answer(question_id=host.id, author_id=user.id, organization_id=fields.pop("organization_id",
                 user.organization_id), body="Abbiamo usato il modello ANAC.", created_at=at, updated_at=at, **fields)
    db.session.add(row)
    db.session.flush()
    return row


def comment(host, user, at, answer_row=None, **fields) -> Comment:
    row = Comment(question_id=host.id, answer_id=answer_row.id if answer_row else None, author_id=user.id,
                  organization_id=user.organization_id, body="Grazie, utile.", created_at=at, updated_at=at, **fields)
    db.session.add(row)
    db.session.flush()
    return row


def accept(host, answer_row, user, at) -> None:
    host.status, host.accepted_answer_id, host.accepted_by_id, host.accepted_at = "solved", answer_row.id, user.id, at
    db.session.flush()


_labels = iter(range(2, 10_000))


def kit_version(practice, user, at) -> None:
    db.session.add(KitVersion(practice_id=practice.id, label=f"{next(_labels)}.0", status="published",
                              author_id=user.id, created_at=at, published_at=at))
    db.session.flush()


def maintenance(practice, user, at) -> None:
    db.session.add(MaintenanceEntry(practice_id=practice.id, author_id=user.id, created_at=at, note="Aggiornato."))
    db.session.flush()


def support_message(practice, requester, user, at, internal=False) -> None:
    request = SupportRequest(practice_id=practice.id, organization_id=requester.organization_id,
                             requester_id=requester.id, kind="technical", subject="Installazione",
                             description="Come si installa?", created_at=LONG_AGO, updated_at=LONG_AGO)
    db.session.add(request)
    db.session.flush()
    db.session.add(SupportMessage(request_id=request.id, author_id=user.id, body="Ecco come.", internal=internal,
                                  from_donor=True, created_at=at))
    db.session.flush()


def adoption(practice, user, at, organization=None) -> None:
    db.session.add(Adoption(practice_id=practice.id, organization_id=(organization or user.organization).id,
                            declared_by_id=user.id, status="in_progress", created_at=at, updated_at=at))
    db.session.flush()


def member(community, user, role="member", joined=LONG_AGO, status="active") -> None:
    db.session.add(Membership(community_id=community.id, user_id=user.id, status=status, role=role,
                              joined_at=joined if status == "active" else None))
    db.session.flush()


def figures(community_ids, now=NOW) -> dict:
    """The group's figures as stored (value, num, den, insufficient) and their drill-down ids."""
    ctx = load_context(now)
    result = compute_mass.compute(ctx, community_ids)
    return {cid: {code: {**f.as_json(), "ids": sorted(set(f.ids)), "kind": f.kind} for code, f in codes.items()}
            for cid, codes in result.items()}


# ---- the known community ----------------------------------------------------------------------------------------

def build_known(visibility: str) -> dict:
    """A regional community (Piedmont) with contributions of every kind; the expected figures are counted by hand
    in test_every_code_on_known_data."""
    orgs = dict(
        A=make_org("Comune di Chieri"), B=make_org("Comune di Asti", province_code="AT"),
        C=make_org("Comune di Bari", region_code="16", province_code="BA"), D=make_org("Comune di Torino"),
        F=make_org("Comune di Moncalieri"), G=make_org("Comune di Alba", province_code="CN"),
        E=make_org("Regione in attesa", status="pending"),
        S=make_org("Software Solidale S.r.l.", kind="supplier", pa_kind=None),
    )
    p = dict(
        a1=make_user("a1@chieri.example.it", orgs["A"]), a2=make_user("a2@chieri.example.it", orgs["A"]),
        m1=make_user("m1@chieri.example.it", orgs["A"]), b1=make_user("b1@asti.example.it", orgs["B"]),
        c1=make_user("c1@bari.example.it", orgs["C"]), s1=make_user("s1@solidale.example.it", orgs["S"]),
        d1=make_user("d1@torino.example.it", orgs["D"]), x1=make_user("x1@chieri.example.it", orgs["A"]),
        x2=make_user("x2@asti.example.it", orgs["B"]), host=make_user("host@alba.example.it", orgs["G"]),
        late=make_user("late@alba.example.it", orgs["G"]), waiting=make_user("wait@alba.example.it", orgs["G"]),
    )
    community = make_community("Capitolati in Piemonte", visibility, scope="region", region_code="01")
    member(community, p["a1"], role="facilitator")
    for key in ("a2", "m1", "b1", "c1", "s1"):
        member(community, p[key])
    member(community, p["late"], joined=NOW + timedelta(days=10))  # joins after NOW: not yet a member
    member(community, p["waiting"], status="pending")
    practice = make_practice("Capitolato mensa", community, orgs["A"])
    draft = make_practice("Bozza del capitolato", community, orgs["A"], status="draft", kit={})
    host = question(community, p["host"], LONG_AGO)  # before every window: only a first contribution

    # in W90
    question(community, p["a1"], days(10))
    answer(host, p["a1"], days(20))
    comment(host, p["a1"], days(30))
    s1_answer = answer(host, p["s1"], days(15))
    accept(host, s1_answer, p["a1"], days(5))
    kit_version(practice, p["a2"], days(40))
    maintenance(practice, p["b1"], days(60))
    support_message(practice, p["c1"], p["b1"], days(45), internal=True)
    adoption(practice, p["c1"], days(90))  # exactly 90 days before NOW: inside W90
    comment(host, p["d1"], days(50))  # not a member, yet a contribution
    # before W90
    question(community, p["a1"], days(100))
    question(community, p["b1"], days(200))
    question(community, p["x1"], days(300))
    question(community, p["x2"], days(180))  # exactly 180 days before: "since", and M5R's cohort
    # not counted: hidden, deleted, under a hidden answer, about a draft practice, after NOW
    answer(host, p["m1"], days(3), visibility="hidden")
    question(community, p["m1"], days(2), visibility="deleted")
    comment(host, p["m1"], days(2), visibility="hidden")
    hidden = answer(question(community, p["x1"], LONG_AGO, visibility="hidden"), p["b1"], LONG_AGO)
    comment(hidden.question, p["m1"], days(4))
    comment(host, p["m1"], days(4), answer_row=answer(host, p["x2"], LONG_AGO, visibility="hidden"))
    question(community, p["m1"], days(2), practice_id=draft.id)
    kit_version(draft, p["m1"], days(2))
    answer(question(community, p["host"], LONG_AGO), p["m1"], NOW + timedelta(seconds=1))
    db.session.commit()
    return {"community": community.id, **{k: v.id for k, v in p.items()}, **{k: v.id for k, v in orgs.items()}}


@pytest.mark.parametrize("visibility", ["open", "private"])
def test_every_code_on_known_data(app, visibility):
    """A private community is computed exactly as an open one."""
    with app.app_context():
        k = build_known(visibility)
        got = figures([k["community"]])[k["community"]]
    assert set(got) == set(compute_mass.CODES)

    assert (got["M1P"]["value"], got["M1P"]["ids"]) == (6, sorted(k[x] for x in ("a1", "a2", "m1", "b1", "c1", "s1")))
    assert got["M1P"]["kind"] == "user"
    assert (got["M1A"]["value"], got["M1A"]["ids"], got["M1A"]["kind"]) == (3, sorted([k["A"], k["B"], k["C"]]),
                                                                          "organization")
    # Piedmont's active administrations: Chieri, Asti, Torino, Moncalieri, Alba (the pending one is not counted);
    # member administrations among them: Chieri and Asti (Bari is in Apulia).
    assert got["M1R"] == {"value": 0.4, "num": 2, "den": 5, "insufficient": False, "ids": sorted([k["A"], k["B"]]),
                          "kind": "organization"}
    # members with a contribution in W90: everybody but m1 (whose posts are hidden, in draft or in the future)
    assert (got["M2"]["num"], got["M2"]["den"]) == (5, 6) and got["M2"]["value"] == pytest.approx(5 / 6)
    assert (got["M3"]["value"], got["M3"]["ids"]) == (4, sorted([k["A"], k["B"], k["C"], k["D"]]))
    # W90: a1 4 (question, answer, comment, acceptance), b1 2, a2, c1, s1, d1 1 each = 10 contributions
    assert got["M4P"] | {"ids": None} == {"value": 2, "num": 2, "den": 10, "insufficient": False, "ids": None,
                                          "kind": "user"}
    assert got["M4P"]["ids"] == sorted([k["a1"], k["b1"]])
    # administrations: Chieri 5 (a1 and a2), Asti 2, Bari 1, Torino 1 = 9 (the supplier's answer has none)
    assert got["M4A"] | {"ids": None} == {"value": 1, "num": 1, "den": 9, "insufficient": False, "ids": None,
                                          "kind": "organization"}
    assert got["M4A"]["ids"] == [k["A"]]
    assert (got["M5N"]["value"], got["M5N"]["ids"]) == (4, sorted(k[x] for x in ("a2", "c1", "s1", "d1")))
    # first contributions in [−180 d, −90 d): a1 (−100 d, active again) and x2 (exactly −180 d, not since)
    assert got["M5R"] | {"ids": None} == {"value": None, "num": 1, "den": 2, "insufficient": True, "ids": None,
                                          "kind": "user"}
    assert (got["M6"]["value"], got["M6"]["ids"]) == (1, [k["x1"]])  # b1 (−200 d) came back, x1 (−300 d) did not
    # June, May, April: a1 (June and May), b1 (May and April); a2, s1, d1 one month each; c1 in March
    assert (got["CORE"]["value"], got["CORE"]["ids"]) == (2, sorted([k["a1"], k["b1"]]))
    assert (got["COREA"]["value"], got["COREA"]["ids"]) == (2, sorted([k["A"], k["B"]]))
    assert (got["RH"]["num"], got["RH"]["den"], got["RH"]["insufficient"]) == (2, 6, False)
    assert got["RH"]["value"] == pytest.approx(1 / 3)
    assert (got["F1"]["value"], got["F1"]["ids"]) == (1, [k["a1"]])
    assert got["F2"] == {"value": 0, "num": 0, "den": None, "insufficient": False, "ids": [], "kind": None}


def test_contributions_carry_their_kind_and_administration(app):
    with app.app_context():
        k = build_known("open")
        found = load_contributions([k["community"]], NOW - timedelta(days=90), NOW)
        firsts = first_contributions([k["community"]], NOW)
    kinds = {(row.user_id, row.kind, row.organization_id) for row in found}
    assert kinds == {
        (k["a1"], "question", k["A"]), (k["a1"], "answer", k["A"]), (k["a1"], "comment", k["A"]),
        (k["a1"], "acceptance", k["A"]), (k["a2"], "kit_version", k["A"]), (k["b1"], "maintenance", k["B"]),
        (k["b1"], "support_message", k["B"]), (k["c1"], "adoption", k["C"]), (k["s1"], "answer", None),
        (k["d1"], "comment", k["D"])}
    assert len(found) == 10
    assert firsts[(k["community"], k["a1"])] == days(100)
    assert firsts[(k["community"], k["host"])] == LONG_AGO
    assert (k["community"], k["m1"]) not in firsts  # nothing of m1's is visible, or it comes after NOW


# ---- windows' edges -----------------------------------------------------------------------------------------------

@pytest.fixture
def small(app):
    """An empty national community and eight people of eight administrations (ids: load them with `rows`)."""
    with app.app_context():
        orgs = [make_org(f"Comune numero {n}") for n in range(8)]
        people = [make_user(f"persona{n}@comune.example.it", org) for n, org in enumerate(orgs)]
        community = make_community("Comunità di prova", "open")
        db.session.commit()
        return community.id, [p.id for p in people], [o.id for o in orgs]


def rows(small):
    """The community, people and organisations of `small`, in the current application context."""
    from app.models import Community, Organization, User

    community_id, people, orgs = small
    return (db.session.get(Community, community_id), [db.session.get(User, i) for i in people],
            [db.session.get(Organization, i) for i in orgs])


def test_w90_includes_exactly_90_days_before_and_now(app, small):
    P, O = small[1], small[2]
    with app.app_context():
        community, people, _orgs = rows(small)
        for person in people[:5]:
            member(community, person)
        question(community, people[0], days(90))  # the first moment of W90
        question(community, people[1], days(90) - timedelta(seconds=1))  # just before it
        question(community, people[2], NOW)  # the last moment
        question(community, people[3], NOW + timedelta(seconds=1))  # after NOW
        db.session.commit()
        got = figures([community.id])[community.id]
    assert (got["M2"]["num"], got["M2"]["den"]) == (2, 5)
    assert got["M2"]["ids"] == P[:5]
    assert got["M3"]["value"] == 2
    assert got["M5N"]["ids"] == sorted([P[0], P[2]])


def test_180_and_365_day_edges(app, small):
    P, O = small[1], small[2]
    with app.app_context():
        community, people, _orgs = rows(small)
        # M6: contributed in [−365 d, −180 d) and not since
        question(community, people[0], days(365))  # the first moment of that past: inactive
        question(community, people[1], days(365) - timedelta(seconds=1))  # before it: not counted at all
        question(community, people[2], days(180) - timedelta(seconds=1))  # just inside the past: inactive
        question(community, people[3], days(200))
        question(community, people[3], days(180))  # exactly −180 d is "since": not inactive
        # M5R: first contribution in [−180 d, −90 d), again in W90
        for person in people[3:8]:  # people[3]'s first is −200 d: not in the cohort
            question(community, person, days(150))
        for person in people[4:7]:
            question(community, person, days(100))  # a second one, still before W90
        question(community, people[4], days(80))
        question(community, people[5], days(89))
        db.session.commit()
        got = figures([community.id])[community.id]
    assert got["M6"]["ids"] == sorted([P[0], P[2]])
    # cohort: people 4–7 (first at −150 d) — four, too few; add one at the cohort's edges below
    assert (got["M5R"]["num"], got["M5R"]["den"], got["M5R"]["insufficient"]) == (2, 4, True)

    with app.app_context():
        community = rows(small)[0]
        extra = [make_user(f"extra{n}@comune.example.it", None) for n in range(2)]
        question(community, extra[0], days(180))  # the cohort's first moment: in
        question(community, extra[1], days(90))  # W90's first moment: a newcomer, not in the cohort
        question(community, extra[0], days(1))
        db.session.commit()
        extra = [person.id for person in extra]
        got = figures([community.id])[community.id]
    assert (got["M5R"]["num"], got["M5R"]["den"], got["M5R"]["value"]) == (3, 5, 0.6)
    assert got["M5R"]["ids"] == sorted(P[4:8] + [extra[0]])
    assert extra[1] in got["M5N"]["ids"] and extra[0] not in got["M5N"]["ids"]


def test_core_and_rhythm_use_calendar_months(app, small):
    P, O = small[1], small[2]
    now = datetime(2026, 3, 1, 0, 30)  # the months are March, February and January 2026
    with app.app_context():
        community, people, orgs = rows(small)
        question(community, people[0], datetime(2026, 1, 1, 0, 0))  # January's first moment …
        question(community, people[0], datetime(2026, 2, 28, 23, 59))  # … and February: core
        question(community, people[1], datetime(2025, 12, 31, 23, 59))  # December does not count …
        question(community, people[1], datetime(2026, 3, 1, 0, 10))  # … March alone: not core
        question(community, people[2], datetime(2026, 2, 1, 9, 0))
        question(community, people[2], datetime(2026, 2, 27, 9, 0))  # twice in one month: not core
        question(community, people[3], datetime(2026, 1, 20, 9, 0))
        question(community, people[3], datetime(2026, 3, 1, 0, 20))  # January and March: core
        question(community, people[4], datetime(2026, 2, 10, 9, 0))
        question(community, people[5], datetime(2026, 3, 1, 0, 40))  # after now: not counted
        db.session.commit()
        got = figures([community.id], now=now)[community.id]
    assert got["CORE"]["ids"] == sorted([P[0], P[3]])
    assert got["COREA"]["ids"] == sorted([O[0], O[3]])
    # active in W90 (since 1 December 2025 00:30): people 0–4
    assert (got["RH"]["num"], got["RH"]["den"], got["RH"]["value"]) == (2, 5, 0.4)
    assert got["RH"]["ids"] == P[:5]


# ---- "dati insufficienti", suppliers, the ente factor ------------------------------------------------------------

def test_below_five_items_is_insufficient_never_zero_or_hundred(app, small):
    P, O = small[1], small[2]
    with app.app_context():
        community, people, _orgs = rows(small)
        for person in people[:4]:
            member(community, person)
            question(community, person, days(10))
        question(community, people[0], days(5))
        db.session.commit()
        got = figures([community.id])[community.id]
        for person in people[4:5]:
            member(community, person)
        question(community, people[0], days(4))
        db.session.commit()
        more = figures([community.id])[community.id]
    # four members, all active; four active people; five contributions (enough for the factors)
    for code in ("M2", "RH", "M5R"):
        assert got[code]["insufficient"] and got[code]["value"] is None, code
    assert (got["M2"]["num"], got["M2"]["den"]) == (4, 4)
    assert got["M4P"]["insufficient"] is False and got["M4P"]["den"] == 5
    assert (more["M2"]["value"], more["M2"]["insufficient"]) == (0.8, False)
    # fewer than five reachable administrations would also be insufficient: here there are eight, all national
    assert (more["M1R"]["num"], more["M1R"]["den"], more["M1R"]["insufficient"]) == (5, 8, False)


def test_factors_are_insufficient_below_five_contributions(app, small):
    P, O = small[1], small[2]
    with app.app_context():
        community, people, _orgs = rows(small)
        for person in people[:4]:
            question(community, person, days(10))
        db.session.commit()
        got = figures([community.id])[community.id]
    assert got["M4P"] | {"ids": None} == {"value": None, "num": None, "den": 4, "insufficient": True, "ids": None,
                                          "kind": "user"}
    assert got["M4A"]["insufficient"] and got["M4A"]["value"] is None


def test_ente_factor_one_administration_making_more_than_half(app, small):
    P, O = small[1], small[2]
    with app.app_context():
        community, people, orgs = rows(small)
        colleague = make_user("collega@comune0.example.it", orgs[0])
        for n in range(3):
            question(community, people[0], days(10 + n))
        question(community, colleague, days(20))  # Comune 0: 4 of 7
        for person in people[1:4]:
            question(community, person, days(30))
        db.session.commit()
        got = figures([community.id])[community.id]
        for person in people[4:8]:
            question(community, person, days(40))  # Comune 0 now makes 4 of 11: no longer half
        db.session.commit()
        spread = figures([community.id])[community.id]
    assert (got["M4A"]["value"], got["M4A"]["den"], got["M4A"]["ids"]) == (1, 7, [O[0]])
    # people: people[0] 3, then the colleague (lower counts tie-break by id) … 3 + 1 = 4 ≥ 3.5
    assert (got["M4P"]["value"], got["M4P"]["den"]) == (2, 7)
    assert (spread["M4A"]["value"], spread["M4A"]["den"]) == (3, 11)


def test_suppliers_and_others_are_not_administrations(app, small):
    P, O = small[1], small[2]
    with app.app_context():
        community, people, orgs = rows(small)
        supplier = make_org("Fornitore S.p.A.", kind="supplier", pa_kind=None)
        other = make_org("Associazione dei segretari", kind="other", pa_kind=None)
        vendor, associate = make_user("v@fornitore.example.it", supplier), make_user("s@assoc.example.it", other)
        removed = make_user("ex@comune1.example.it", orgs[1], affiliation_status="removed")
        practice = make_practice("Gestionale protocollo", community, orgs[0])
        member(community, vendor)
        member(community, associate)
        member(community, removed)
        host = question(community, people[0], days(10))
        answer(host, vendor, days(9))
        comment(host, associate, days(8))
        support_message(practice, people[0], vendor, days(7))
        # stored on the post: the supplier the person worked for when posting, whatever the person's organisation now
        answer(host, people[2], days(6), organization_id=supplier.id)
        # nothing stored: the person's current organisation, only while the affiliation is active
        kit_version(practice, removed, days(5))
        question(community, people[3], days(4), organization_id=None)
        db.session.commit()
        got = figures([community.id])[community.id]
        found = {(r.user_id, r.kind): r.organization_id for r in load_contributions([community.id], days(90), NOW)}
        removed = removed.id
    assert got["M1A"]["ids"] == []
    assert got["M1P"]["value"] == 3
    assert got["M3"]["ids"] == sorted([O[0], O[3]])
    assert got["M4A"]["den"] == 2  # only people[0]'s question and people[3]'s
    assert got["M4P"]["den"] == 7
    assert found[(P[2], "answer")] is None and found[(removed, "kit_version")] is None
    assert found[(P[3], "question")] == O[3]


def test_territory_province_and_national(app, small):
    P, O = small[1], small[2]
    with app.app_context():
        _community, people, orgs = rows(small)  # eight active administrations in province TO (region 01)
        for n, code in enumerate(("AT", "AT", "CN")):
            make_org(f"Comune astigiano {n}", province_code=code)
        make_org("Comune di Lecce", region_code="16", province_code="LE")
        province = make_community("Comunità torinese", "moderated", scope="province", region_code="01",
                                  province_code="TO")
        national = make_community("Comunità nazionale", "open")
        regional = make_community("Comunità piemontese", "private", scope="region", region_code="01")
        for community in (province, national, regional):
            for person in people[:3]:
                member(community, person)
        db.session.commit()
        got = figures([province.id, national.id, regional.id])
    assert (got[province.id]["M1R"]["num"], got[province.id]["M1R"]["den"]) == (3, 8)
    assert (got[national.id]["M1R"]["num"], got[national.id]["M1R"]["den"]) == (3, 12)
    assert (got[regional.id]["M1R"]["num"], got[regional.id]["M1R"]["den"]) == (3, 11)


def test_members_facilitators_and_governance(app, small):
    P, O = small[1], small[2]
    with app.app_context():
        community, people, orgs = rows(small)
        member(community, people[0], role="facilitator")
        member(community, people[1], role="facilitator", joined=None)  # no date kept: counted
        member(community, people[2], role="facilitator", status="left")
        member(community, people[3], role="facilitator", joined=NOW + timedelta(minutes=1))
        member(community, people[4], joined=NOW)
        db.session.add(CommunityGovernance(community_id=community.id, url="https://example.org/governance",
                                           recorded_by_id=people[0].id, recorded_at=days(1)))
        db.session.commit()
        got = figures([community.id])[community.id]
        before = figures([community.id], now=days(2))[community.id]
    assert got["F1"]["ids"] == sorted([P[0], P[1]])
    assert got["M1P"]["ids"] == sorted([P[0], P[1], P[4]])
    assert got["M1A"]["ids"] == sorted([O[0], O[1], O[4]])
    assert (got["F2"]["value"], got["F2"]["kind"]) == (1, None)
    assert before["F2"]["value"] == 0  # recorded after that moment


def test_a_community_without_anything_has_every_code(app):
    with app.app_context():
        community = make_community("Comunità vuota", "open")
        db.session.commit()
        got = figures([community.id])[community.id]
        assert compute_mass.compute(load_context(NOW), []) == {}
    assert set(got) == set(compute_mass.CODES)
    assert got["M1P"]["value"] == 0 and got["M2"]["insufficient"] and got["M1R"]["den"] == 0


# ---- bounded queries ------------------------------------------------------------------------------------------------

def build_many(n: int) -> list[int]:
    """n communities, each with a member, a practice and one contribution of every kind in W90."""
    orgs = [make_org("Comune di Chieri"), make_org("Comune di Asti", province_code="AT")]
    people = [make_user("uno@chieri.example.it", orgs[0]), make_user("due@asti.example.it", orgs[1])]
    ids = []
    for i in range(n):
        community = make_community(f"Comunità {i}", "private" if i % 3 == 0 else "open",
                                   scope="region" if i % 2 else "national", region_code="01")
        member(community, people[0], role="facilitator")
        member(community, people[1])
        practice = make_practice(f"Pratica {i}", community, orgs[0])
        host = question(community, people[0], days(10))
        reply = answer(host, people[1], days(9))
        comment(host, people[0], days(8), answer_row=reply)
        accept(host, reply, people[0], days(7))
        kit_version(practice, people[0], days(6))
        maintenance(practice, people[0], days(5))
        support_message(practice, people[1], people[0], days(4))
        adoption(practice, people[1], days(3))
        ids.append(community.id)
    db.session.add(CommunityGovernance(community_id=ids[0], url="https://example.org/g", recorded_at=days(1)))
    db.session.commit()
    return ids


def statements_of(app, ids: list[int]) -> int:
    seen: list[str] = []

    def listener(*args):
        seen.append(args[2])

    with app.app_context():
        ctx = load_context(NOW)
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            result = compute_mass.compute(ctx, ids)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    assert set(result) == set(ids)
    return len(seen)


def test_statements_do_not_grow_with_the_communities(app):
    with app.app_context():
        ids = build_many(20)
    one, twenty = statements_of(app, ids[:1]), statements_of(app, ids)
    assert one == twenty
    assert twenty <= 20
    with app.app_context():
        got = figures(ids)
    assert all(got[cid]["M4P"]["den"] == 8 and got[cid]["M1P"]["value"] == 2 for cid in ids)
    assert got[ids[0]]["F2"]["value"] == 1 and got[ids[1]]["F2"]["value"] == 0
