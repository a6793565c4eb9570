"""Reuse kits (K1, K1N, K2) on known data at a frozen moment: completeness at 80 %, the publiccode.yml of software
practices, freshness from the kit or its maintenance log at the 365-day edge, "dati insufficienti", batch queries."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.indicators import compute_kits
from app.indicators.definitions import INDICATORS
from app.models import KitVersion, MaintenanceEntry
from tests.conftest import make_community, make_org
from tests.functional.test_indicators_reuse import DAY, NOW, SECOND, figures, practice, statements_of


def maintained(practice_row, at) -> None:
    db.session.add(MaintenanceEntry(practice_id=practice_row.id, note="Kit riconfermato.", created_at=at))
    db.session.flush()


def kit(title, community, donor, completeness, updated, **fields):
    return practice(title, community, donor, kit_completeness=completeness, kit_updated_at=updated, **fields)


def _ids(rows) -> set[int]:
    return {row.id for row in rows}


@pytest.fixture
def kits_world(app):
    with app.app_context():
        community = make_community("Comunità dei kit")
        small = make_community("Comunità con pochi kit")
        empty = make_community("Comunità senza pratiche")
        donor = make_org("Comune di Chieri")
        good = [kit("Completo e recente", community, donor, 89, NOW - 10 * DAY),
                kit("Ai bordi", community, donor, 80, NOW - 365 * DAY)]  # 80 % and exactly 365 days: both count
        fresh_only = [kit("Quasi completo", community, donor, 78, NOW - 10 * DAY)]
        old = kit("Riconfermato dal registro", community, donor, 100, NOW - 365 * DAY - SECOND)
        maintained(old, NOW - 30 * DAY)  # the maintenance log makes it fresh
        good.append(old)
        stale = [kit("Vecchio", community, donor, 100, NOW - 400 * DAY)]
        maintained(stale[0], NOW - 400 * DAY)
        fresh_only.append(kit("Software senza publiccode", community, donor, 100, NOW - 10 * DAY, kind="software",
                              publiccode=None))
        good.append(kit("Software con publiccode", community, donor, 100, NOW - 10 * DAY, kind="software",
                        publiccode={"name": "Protocollo"}))
        # Its kit stamp is after NOW, but a version was published before: fresh as of NOW.
        later = kit("Aggiornato dopo", community, donor, 100, NOW + 10 * DAY)
        db.session.add(KitVersion(practice_id=later.id, label="1.0", status="published", published_at=NOW - 20 * DAY,
                                  created_at=NOW - 21 * DAY))
        good.append(later)
        # Everything about this one is after NOW: stale as of NOW.
        future = kit("Tutto dopo", community, donor, 100, NOW + 10 * DAY)
        db.session.add(KitVersion(practice_id=future.id, label="1.0", status="published", published_at=NOW + 10 * DAY))
        maintained(future, NOW + DAY)
        stale.append(future)
        # Not counted: a draft, an archived practice, one published after NOW.
        kit("Bozza completa", community, donor, 100, NOW - 10 * DAY, status="draft")
        kit("Archiviata completa", community, donor, 100, NOW - 10 * DAY, status="archived")
        kit("Pubblicata dopo", community, donor, 100, NOW - 10 * DAY, published=NOW + DAY)
        few = [kit(f"Kit piccolo {n}", small, donor, 100, NOW - 10 * DAY) for n in range(4)]
        db.session.commit()
        return dict(community=community.id, small=small.id, empty=empty.id, good=_ids(good),
                    fresh=_ids(good) | _ids(fresh_only), published=_ids(good + fresh_only + stale), few=_ids(few))


def test_every_kit_code_for_every_community(app, kits_world):
    ids = [kits_world["community"], kits_world["small"], kits_world["empty"]]
    result = figures(app, compute_kits, ids)
    codes = {code for code, indicator in INDICATORS.items() if indicator.group == "kits"}
    assert set(result) == set(ids) and all(set(each) == codes for each in result.values())


def test_kits_on_known_data(app, kits_world):
    mine = figures(app, compute_kits, [kits_world["community"]])[kits_world["community"]]
    assert len(kits_world["published"]) == 9 and len(kits_world["good"]) == 5 and len(kits_world["fresh"]) == 7
    k1, k1n, k2 = mine["K1"], mine["K1N"], mine["K2"]
    assert (k1.num, k1.den, k1.insufficient) == (5, 9, False) and k1.value == pytest.approx(5 / 9)
    assert set(k1.ids) == kits_world["published"] and set(k1.hits) == kits_world["good"]
    assert k1n.value == 5.0 and set(k1n.ids) == kits_world["good"]
    assert (k2.num, k2.den) == (7, 9) and set(k2.hits) == kits_world["fresh"]
    assert k1.kind == k1n.kind == k2.kind == "practice"


def test_freshness_edge_moves_with_the_moment(app, kits_world):
    """A second later, the kit updated exactly 365 days before NOW is no longer fresh."""
    mine = figures(app, compute_kits, [kits_world["community"]], now=NOW + SECOND)[kits_world["community"]]
    assert (mine["K1"].num, mine["K2"].num) == (4, 6)


def test_few_kits_are_insufficient_but_counted(app, kits_world):
    result = figures(app, compute_kits, [kits_world["small"], kits_world["empty"]])
    small, empty = result[kits_world["small"]], result[kits_world["empty"]]
    for code in ("K1", "K2"):
        assert small[code].as_json() == {"value": None, "num": 4, "den": 4, "insufficient": True}
        assert empty[code].as_json() == {"value": None, "num": 0, "den": 0, "insufficient": True}
    assert small["K1N"].value == 4.0 and set(small["K1N"].ids) == kits_world["few"]
    assert empty["K1N"].value == 0.0 and not empty["K1N"].insufficient


def test_statements_do_not_grow_with_the_communities(app):
    with app.app_context():
        donor = make_org("Comune di Chieri")
        ids = []
        for index in range(4):
            community = make_community(f"Comunità {index}")
            for n in range(3):
                row = kit(f"Kit {n} della comunità {index}", community, donor, 90, NOW - 10 * DAY)
                maintained(row, NOW - 5 * DAY)
                db.session.add(KitVersion(practice_id=row.id, label="1.0", status="published",
                                          published_at=NOW - 10 * DAY))
            ids.append(community.id)
        db.session.commit()
    one = statements_of(app, compute_kits, lambda module, ctx: module.compute(ctx, ids[:1]))
    four = statements_of(app, compute_kits, lambda module, ctx: module.compute(ctx, ids))
    assert one == four == 3
    assert all(each["K1N"].value == 3.0 for each in figures(app, compute_kits, ids).values())
