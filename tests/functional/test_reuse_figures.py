"""Service figures on known data at a fixed moment: confirmed reuse, deployments, open requests, medians."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from app.extensions import db
from app.models import Adoption, Deployment, Practice, SupportRequest
from app.models.base import utcnow
from app.reuse.figures import donor_figures, duration_parts, practice_figures
from tests.conftest import login, make_org, make_practice

NOW = datetime(2026, 6, 15, 12, 0)  # the frozen moment the figures are computed at
HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def request(practice_id, org_id, opened_ago, status, first=None, resolved=None):
    created = NOW - opened_ago
    return SupportRequest(practice_id=practice_id, organization_id=org_id, kind="technical", subject="S",
                          description="D", status=status, created_at=created,
                          first_response_at=created + first if first is not None else None,
                          resolved_at=created + resolved if resolved is not None else None)


def adoption(practice_id, org_id, status, confirmed, deployed=False):
    row = Adoption(practice_id=practice_id, organization_id=org_id, status=status,
                   confirmed_at=NOW - 5 * DAY if confirmed else None)
    db.session.add(row)
    db.session.flush()
    if deployed:
        db.session.add(Deployment(adoption_id=row.id, practice_id=practice_id, organization_id=org_id,
                                  deployed_on=date(2026, 5, 1), size="s", territory="T", outcome="Bene"))
    return row


def known_data(app, rworld):
    with app.app_context():
        practice, bari = rworld.practice.id, rworld.reuser_org.id
        db.session.add_all([
            request(practice, bari, 10 * DAY, "resolved", first=2 * HOUR, resolved=2 * DAY),
            request(practice, bari, 20 * DAY, "closed", first=6 * HOUR, resolved=4 * DAY),
            request(practice, bari, 30 * DAY, "accepted", first=10 * HOUR),
            request(practice, bari, 1 * DAY, "open"),
            # Opened more than a year ago: its first response is out of the window, its resolution (100 days ago)
            # is in it.
            request(practice, bari, 400 * DAY, "resolved", first=1 * HOUR, resolved=300 * DAY),
            # Opened and resolved more than a year ago: in neither median.
            request(practice, bari, 500 * DAY, "closed", first=100 * HOUR, resolved=110 * DAY),
        ])
        others = [make_org(f"Comune {n}", ipa_code=f"c_f{n:03d}") for n in range(4)]
        adoption(practice, bari, "completed", confirmed=True, deployed=True)
        adoption(practice, others[0].id, "in_progress", confirmed=True)
        adoption(practice, others[1].id, "completed", confirmed=False, deployed=True)  # not verified: not counted
        adoption(practice, others[2].id, "abandoned", confirmed=True)  # given up: not a reuse any more
        db.session.commit()


def test_practice_figures_on_known_data(app, rworld):
    known_data(app, rworld)
    with app.app_context():
        figures = practice_figures(db.session.get(Practice, rworld.practice.id), now=NOW)
    assert figures.confirmed_adoptions == 2 and figures.deployments == 1 and figures.open_requests == 2
    assert figures.answered == 3 and figures.median_first_response == 6 * HOUR  # of 2 h, 6 h, 10 h
    assert figures.resolved == 3 and figures.median_resolution == 4 * DAY  # of 2 d, 4 d, 300 d


def test_an_even_number_of_values_takes_the_middle_of_the_two(app, rworld):
    with app.app_context():
        db.session.add_all([request(rworld.practice.id, rworld.reuser_org.id, 3 * DAY, "resolved", first=HOUR,
                                    resolved=DAY),
                            request(rworld.practice.id, rworld.reuser_org.id, 4 * DAY, "resolved", first=3 * HOUR,
                                    resolved=2 * DAY)])
        db.session.commit()
        figures = practice_figures(db.session.get(Practice, rworld.practice.id), now=NOW)
    assert figures.median_first_response == 2 * HOUR and figures.median_resolution == timedelta(hours=36)


def test_no_requests_gives_no_median(app, rworld):
    with app.app_context():
        figures = practice_figures(db.session.get(Practice, rworld.practice.id), now=NOW)
    assert figures.median_first_response is None and figures.median_resolution is None
    assert figures.open_requests == 0 and figures.confirmed_adoptions == 0


def test_donor_figures_cover_every_practice_donated_or_co_donated(app, rworld):
    known_data(app, rworld)
    with app.app_context():
        asti_practice = make_practice("Pratica di Asti", db.session.get(Practice, rworld.practice.id).community,
                                      make_org("Comune di Asti bis", ipa_code="c_zz01"))
        asti_practice.co_donors.append(db.session.get(Practice, rworld.practice.id).donor)
        db.session.add(request(asti_practice.id, rworld.reuser_org.id, 2 * DAY, "accepted", first=20 * HOUR))
        db.session.commit()
        chieri = donor_figures(rworld.donor_org.id, now=NOW)
        bari = donor_figures(rworld.reuser_org.id, now=NOW)
    assert chieri.open_requests == 3 and chieri.answered == 4
    assert chieri.median_first_response == 8 * HOUR  # of 2 h, 6 h, 10 h, 20 h
    assert bari.open_requests == 0 and bari.median_first_response is None


def test_durations_are_shown_in_days_and_hours(app, rworld, client):
    assert duration_parts(None) is None
    assert duration_parts(timedelta(hours=30, minutes=29)) == (1, 6)
    assert duration_parts(timedelta(minutes=40)) == (0, 1)
    with app.app_context():
        now = utcnow().replace(microsecond=0)
        db.session.add(SupportRequest(practice_id=rworld.practice.id, organization_id=rworld.reuser_org.id,
                                      kind="technical", subject="S", description="D", status="resolved",
                                      created_at=now - 3 * DAY, first_response_at=now - 3 * DAY + 5 * HOUR,
                                      resolved_at=now - DAY - 2 * HOUR))
        db.session.commit()
    login(client, rworld.outsider)
    page = client.get(f"/practices/{rworld.practice.slug}").get_data(as_text=True)
    assert "5 ore" in page and "1 giorno 22 ore" in page
    profile = client.get("/organizations/comune-di-chieri").get_data(as_text=True)
    assert "Riuso e supporto" in profile and "5 ore" in profile
