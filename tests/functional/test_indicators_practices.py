"""A practice's service figures as of a frozen moment (the quarter's PracticeSnapshot): confirmed adoptions,
deployments, open requests, the medians in Italian working days and calendar days, the 12-month window's edge,
and a fixed number of statements whatever the number of practices."""
from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from app.extensions import db
from app.indicators import compute_practices
from app.indicators.compute import load_context
from app.models import Deployment
from tests.conftest import make_community, make_org
from tests.functional.test_indicators_reuse import DAY, NOW, SECOND, adopt, practice, statements_of, support_request

SINCE = NOW - 365 * DAY  # 2025-06-30 12:00, a Monday


def deployed(adoption, created) -> None:
    db.session.add(Deployment(adoption_id=adoption.id, practice_id=adoption.practice_id,
                              organization_id=adoption.organization_id, deployed_on=date(2026, 5, 1), size="s",
                              territory="Piemonte", outcome="In esercizio.", created_at=created, updated_at=created))
    db.session.flush()


@pytest.fixture
def service_world(app):
    with app.app_context():
        open_community = make_community("Comunità aperta")
        private = make_community("Tavolo riservato", "private")
        donor = make_org("Comune di Chieri")
        r = {n: make_org(f"Comune riusatore {n}") for n in range(1, 7)}
        main = practice("Centrale unica", open_community, donor)
        reserved = practice("Pratica riservata", private, donor)
        quiet = practice("Pratica silenziosa", open_community, donor)
        draft = practice("Bozza", open_community, donor, status="draft")
        archived = practice("Archiviata", open_community, donor, status="archived")
        future = practice("Pubblicata dopo", open_community, donor, published=NOW + DAY)

        adopt(main, r[1], NOW - 200 * DAY, confirmed=NOW - 100 * DAY)  # confirmed
        done = adopt(main, r[2], NOW - 200 * DAY, "completed", confirmed=NOW - 50 * DAY)  # confirmed
        deployed(done, NOW - 40 * DAY)  # a deployment
        late = adopt(main, r[3], NOW - 200 * DAY, "completed", confirmed=NOW + DAY)  # confirmed after NOW
        deployed(late, NOW - 30 * DAY)  # so its deployment is not counted yet
        adopt(main, r[4], NOW - 200 * DAY)  # never confirmed
        adopt(main, r[5], NOW - 200 * DAY, "abandoned", ended=NOW - 5 * DAY, confirmed=NOW - 60 * DAY)  # gone
        left = adopt(main, r[6], NOW - 200 * DAY, "abandoned", ended=NOW + 5 * DAY, confirmed=NOW - 60 * DAY)
        deployed(left, NOW + DAY)  # abandoned after NOW: confirmed at NOW; its deployment written after NOW
        adopt(reserved, r[1], NOW - 10 * DAY, confirmed=NOW - 5 * DAY)
        for row in (draft, archived, future):
            adopt(row, r[1], NOW - 10 * DAY, confirmed=NOW - 5 * DAY)

        requester = r[1]
        # first responses, in working days: Friday 9:00 → Monday 9:00 is one working day
        support_request(main, requester, datetime(2026, 6, 26, 9), first_response_at=datetime(2026, 6, 29, 9))
        # Monday 10:00 → Wednesday 10:00 across 2 June, a holiday: one; resolved only after NOW, so open at NOW
        support_request(main, requester, datetime(2026, 6, 1, 10), first_response_at=datetime(2026, 6, 3, 10),
                        status="resolved", resolved_at=NOW + 2 * DAY)
        # Friday 12:00 → Tuesday 12:00 over a weekend: two; taken on, open
        support_request(main, requester, datetime(2026, 4, 24, 12), first_response_at=datetime(2026, 4, 28, 12),
                        status="accepted", accepted_at=datetime(2026, 4, 28, 12))
        # two; declined before NOW: not open
        support_request(main, requester, datetime(2026, 5, 4, 9), first_response_at=datetime(2026, 5, 6, 9),
                        status="declined", declined_at=datetime(2026, 5, 6, 9))
        # a quarter of a day; resolved after 10 calendar days, then closed
        support_request(main, requester, datetime(2026, 3, 20, 10), first_response_at=datetime(2026, 3, 20, 16),
                        status="closed", resolved_at=datetime(2026, 3, 30, 10), closed_at=datetime(2026, 4, 5, 10))
        # opened exactly 365 days before NOW: counted; answered after one working day, resolved after one day
        support_request(main, requester, SINCE, first_response_at=SINCE + DAY, status="resolved",
                        resolved_at=SINCE + DAY)
        # opened a second earlier: not in the window; answered and resolved at once, before it
        support_request(main, requester, SINCE - SECOND, first_response_at=SINCE - SECOND, status="resolved",
                        resolved_at=SINCE - SECOND)
        # resolved exactly 365 days before NOW, after 5 days: counted
        support_request(main, requester, SINCE - 5 * DAY, status="resolved", resolved_at=SINCE)
        # answered only after NOW: open, not answered
        support_request(main, requester, datetime(2026, 6, 29, 9), first_response_at=NOW + 60 * SECOND)
        # opened after NOW: nothing
        support_request(main, requester, NOW + DAY, first_response_at=NOW + 2 * DAY)
        db.session.commit()
        return dict(main=main.id, reserved=reserved.id, quiet=quiet.id,
                    absent={draft.id, archived.id, future.id})


def compute(app, now=NOW):
    with app.app_context():
        return compute_practices.compute(load_context(now))


def test_service_figures_on_known_data(app, service_world):
    result = compute(app)
    assert set(result) == {service_world["main"], service_world["reserved"], service_world["quiet"]}
    assert result[service_world["main"]] == {
        "confirmed_adoptions": 3, "deployments": 1, "open_requests": 4,
        "median_first_response_wd": 1.0, "answered": 6,  # 0.25, 1, 1, 1, 2, 2
        "median_resolution_days": 5.0, "resolved": 3,  # 1, 5 and 10 days
    }
    assert result[service_world["reserved"]] == {
        "confirmed_adoptions": 1, "deployments": 0, "open_requests": 0, "median_first_response_wd": None,
        "median_resolution_days": None, "answered": 0, "resolved": 0}
    assert result[service_world["quiet"]]["confirmed_adoptions"] == 0
    json.dumps(result)  # stored as JSON in the snapshot


def test_the_window_moves_with_the_moment(app, service_world):
    """A second later, the request opened exactly 365 days before NOW and the one resolved then leave it."""
    main = compute(app, NOW + SECOND)[service_world["main"]]
    assert (main["answered"], main["resolved"]) == (5, 2)
    assert main["median_first_response_wd"] == 1.0 and main["median_resolution_days"] == 5.5


def test_figures_as_of_an_earlier_moment(app, service_world):
    """On 5 May 2026 the adoption abandoned on 25 June was still confirmed, the request declined on 6 May still
    open, and what came later did not exist."""
    main = compute(app, datetime(2026, 5, 5, 12))[service_world["main"]]
    assert main["confirmed_adoptions"] == 3  # confirmed on 22 March, and two on 1 May (one abandoned later)
    assert main["deployments"] == 0
    assert main["open_requests"] == 2  # opened on 24 April (taken on) and 4 May (declined on 6 May)
    assert main["answered"] == 4  # 20 March, 24 April and the two around 30 June 2025


def test_statements_do_not_grow_with_the_practices(app):
    def build(start: int, count: int) -> None:
        with app.app_context():
            community = make_community(f"Comunità {start}")
            donor, reuser = make_org(f"Cedente {start}"), make_org(f"Riusatore {start}")
            for n in range(start, start + count):
                row = practice(f"Pratica numero {n}", community, donor)
                done = adopt(row, reuser, NOW - 100 * DAY, "completed", confirmed=NOW - 90 * DAY)
                deployed(done, NOW - 80 * DAY)
                support_request(row, reuser, NOW - 30 * DAY, first_response_at=NOW - 29 * DAY, status="resolved",
                                resolved_at=NOW - 20 * DAY)
                support_request(row, reuser, NOW - 10 * DAY)
            db.session.commit()

    def run(module, ctx):
        return module.compute(ctx)

    build(0, 1)
    one = statements_of(app, compute_practices, run)
    build(1, 6)
    seven = statements_of(app, compute_practices, run)
    assert one == seven <= 7
    result = compute(app)
    assert len(result) == 7 and all(each["deployments"] == 1 and each["open_requests"] == 1 and each["resolved"] == 1
                                    for each in result.values())
