"""Service figures on known data at a fixed moment: confirmed reuse, deployments, open requests, medians.

The first response is measured in Italian working time (weekends and public holidays do not count), the resolution
in calendar time.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from app.extensions import db
from app.models import Adoption, Deployment, Practice, SupportRequest
from app.models.base import utcnow
from app.reuse.figures import donor_figures, duration_parts, practice_figures
from app.workdays import is_working_day
from tests.conftest import login, make_org, make_practice

NOW = datetime(2026, 6, 15, 12, 0)  # the frozen moment the figures are computed at (a Monday)
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
    # Of 2 h (Friday), 6 h (Tuesday) and 0: the third was opened on Saturday at noon and answered at 22:00, and
    # no working time passed in between.
    assert figures.answered == 3 and figures.median_first_response == 2 * HOUR
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
    # Of 0, 0, 2 h, 6 h: the Saturday one as above, and Asti's opened Saturday noon, answered Sunday 08:00.
    assert chieri.median_first_response == HOUR
    assert bari.open_requests == 0 and bari.median_first_response is None


def test_first_response_skips_the_weekend_and_2_june(app, rworld):
    with app.app_context():
        # Friday 29 May 2026 17:00 → Wednesday 3 June 09:00: 7 h of Friday, all of Monday, 9 h of Wednesday
        # (Saturday, Sunday and Tuesday 2 June, Festa della Repubblica, do not count).
        opened = datetime(2026, 5, 29, 17, 0)
        row = request(rworld.practice.id, rworld.reuser_org.id, NOW - opened, "resolved",
                      first=datetime(2026, 6, 3, 9, 0) - opened, resolved=datetime(2026, 6, 4, 17, 0) - opened)
        db.session.add(row)
        db.session.commit()
        figures = practice_figures(db.session.get(Practice, rworld.practice.id), now=NOW)
    assert figures.median_first_response == timedelta(hours=40)
    assert figures.median_resolution == 6 * DAY  # calendar time


def test_a_response_after_now_is_not_counted(app, rworld):
    with app.app_context():
        db.session.add(request(rworld.practice.id, rworld.reuser_org.id, DAY, "accepted", first=2 * DAY))
        db.session.commit()
        figures = practice_figures(db.session.get(Practice, rworld.practice.id), now=NOW)
    assert figures.answered == 0 and figures.median_first_response is None


def test_durations_are_shown_in_days_and_hours(app, rworld, client):
    assert duration_parts(None) is None
    assert duration_parts(timedelta(hours=30, minutes=29)) == (1, 6)
    assert duration_parts(timedelta(minutes=40)) == (0, 1)
    with app.app_context():
        # Opened at 08:00 of a recent working day and answered 5 hours later, the same day: 5 working hours
        # whatever day the suite runs on.
        day = utcnow().date() - 3 * DAY
        while not is_working_day(day):
            day -= DAY
        opened = datetime.combine(day, time(8, 0))
        db.session.add(SupportRequest(practice_id=rworld.practice.id, organization_id=rworld.reuser_org.id,
                                      kind="technical", subject="S", description="D", status="resolved",
                                      created_at=opened, first_response_at=opened + 5 * HOUR,
                                      resolved_at=opened + DAY + 22 * HOUR))
        db.session.commit()
    login(client, rworld.outsider)
    page = client.get(f"/practices/{rworld.practice.slug}").get_data(as_text=True)
    assert "5 ore" in page and "1 giorno 22 ore" in page
    assert "Prima risposta (mediana in giorni lavorativi, 12 mesi)" in page
    assert "Risoluzione (mediana in giorni di calendario, 12 mesi)" in page
    profile = client.get("/organizations/comune-di-chieri").get_data(as_text=True)
    assert "Riuso e supporto" in profile and "5 ore" in profile


def test_a_working_time_of_days_says_working_days(app, rworld, client):
    with app.app_context():
        # Three working days in a row, a little before today: from 08:00 of the first to 14:00 of the third is
        # 2 working days and 6 hours (the page computes at the real now).
        day = utcnow().date() - 5 * DAY
        while not all(is_working_day(day + n * DAY) for n in range(3)):
            day -= DAY
        opened = datetime.combine(day, time(8, 0))
        db.session.add(SupportRequest(practice_id=rworld.practice.id, organization_id=rworld.reuser_org.id,
                                      kind="technical", subject="S", description="D", status="accepted",
                                      created_at=opened, first_response_at=opened + 2 * DAY + 6 * HOUR))
        db.session.commit()
    login(client, rworld.outsider)
    page = client.get(f"/practices/{rworld.practice.slug}").get_data(as_text=True)
    assert "2 giorni lavorativi 6 ore" in page
