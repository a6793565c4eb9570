"""Figures of a community's questions (issue 12, point 11): working days with Italian public holidays, and the
figures on known data at a frozen moment; the community home shows them as text."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from app.extensions import db
from app.models.base import utcnow
from app.models.qa import Question
from app.qa.figures import is_working_day, question_figures, working_deadline
from tests.conftest import make_practice
from tests.qa_world import make_answer, make_question

NOW = datetime(2026, 4, 30, 12, 0)  # a Thursday; the next day, 1 May, is a holiday


@pytest.mark.parametrize("easter_monday", [date(2024, 4, 1), date(2025, 4, 21), date(2027, 3, 29)])
def test_easter_monday_is_a_holiday_every_year(easter_monday):
    assert not is_working_day(easter_monday)


def test_working_days_skip_weekends_and_italian_holidays():
    assert not is_working_day(date(2026, 4, 6))  # Easter Monday
    assert not is_working_day(date(2026, 6, 2)) and not is_working_day(date(2026, 12, 8))
    assert not is_working_day(date(2026, 4, 11))  # a Saturday
    assert is_working_day(date(2026, 4, 7))

    assert not is_working_day(date(2027, 10, 4))  # St Francis, a national holiday again from 2026 (a Monday)


@pytest.mark.parametrize("start, deadline", [
    (datetime(2026, 4, 13, 10, 0), datetime(2026, 4, 15, 10, 0)),  # Monday → Wednesday, same time
    (datetime(2026, 4, 3, 15, 0), datetime(2026, 4, 8, 15, 0)),  # Friday, then Easter Monday: Wednesday
    (datetime(2026, 4, 11, 10, 0), datetime(2026, 4, 15, 0, 0)),  # Saturday: from Monday's midnight
    (datetime(2026, 12, 24, 9, 0), datetime(2026, 12, 29, 9, 0)),  # Christmas and St Stephen's
    (datetime(2026, 4, 29, 18, 0), datetime(2026, 5, 4, 18, 0)),  # 1 May on a Friday
])
def test_working_deadline(start, deadline):
    assert working_deadline(start, 2) == deadline


def question(app, community_id, author_id, created, *, answered_at=None, answerer_id=None, solved=False,
             practice_id=None, **fields):
    """A question asked at `created`, answered (by `answerer_id`) at `answered_at`, accepted when `solved`."""
    row = make_question(community_id, author_id, title=f"Domanda del {created:%d/%m %H:%M} sul capitolato",
                        practice_id=practice_id, created_at=created, updated_at=created, last_activity_at=created,
                        **fields)
    if answered_at is not None:
        answer = make_answer(row.id, answerer_id, created_at=answered_at, updated_at=answered_at)
        if solved:
            row = db.session.get(Question, row.id)
            row.status, row.accepted_answer_id = "solved", answer.id
            row.accepted_by_id, row.accepted_at = author_id, answered_at
            db.session.commit()
    return row.id


@pytest.fixture
def known(app, qworld):
    """Nine questions around NOW (see each line); the figures below are counted by hand."""
    with app.app_context():
        open_, asker, other = qworld.open.id, qworld.member.id, qworld.other_member.id
        from app.models import Community, Organization

        draft = make_practice("Bozza sulla mensa", db.session.get(Community, open_),
                              db.session.get(Organization, qworld.chieri.id), status="draft", kit={})
        db.session.commit()
        # in time (deadline Wed 8 April 15:00, Easter Monday skipped), solved; waited 4 days 23 hours
        question(app, open_, asker, datetime(2026, 4, 3, 15, 0), answered_at=datetime(2026, 4, 8, 14, 0),
                 answerer_id=other, solved=True)
        # late (deadline Wed 15 April 10:00); waited 3 days
        question(app, open_, asker, datetime(2026, 4, 13, 10, 0), answered_at=datetime(2026, 4, 16, 10, 0),
                 answerer_id=other)
        # never answered: due, late, stale
        question(app, open_, asker, datetime(2026, 4, 14, 9, 0))
        # asked yesterday evening: not due yet (1 May is a holiday), not stale
        question(app, open_, asker, datetime(2026, 4, 29, 18, 0))
        # only the asker answered: unanswered, stale
        question(app, open_, asker, datetime(2026, 4, 20, 9, 0), answered_at=datetime(2026, 4, 20, 10, 0),
                 answerer_id=asker)
        # on the practice, answered in an hour and a half, solved
        question(app, open_, asker, datetime(2026, 4, 21, 8, 0), answered_at=datetime(2026, 4, 21, 9, 30),
                 answerer_id=qworld.donor_referent.id, solved=True, practice_id=qworld.open_practice.id)
        # older than 90 days: out of the window, but still open without an answer (stale)
        question(app, open_, asker, datetime(2026, 1, 10, 9, 0))
        # not counted at all: hidden, on a draft practice, in another community, answered after NOW
        question(app, open_, asker, datetime(2026, 4, 20, 9, 0), visibility="hidden")
        question(app, open_, asker, datetime(2026, 4, 20, 9, 0), practice_id=draft.id)
        question(app, qworld.moderated.id, asker, datetime(2026, 4, 20, 9, 0))
    return qworld


def test_figures_on_known_data(app, known):
    with app.app_context():
        figures = question_figures(known.open.id, now=NOW)
    assert figures.asked == 6
    assert (figures.due, figures.answered_in_time) == (5, 2) and figures.share_in_time == pytest.approx(0.4)
    assert (figures.answered, figures.unanswered) == (3, 3)
    assert figures.median_first_answer == timedelta(days=3)
    assert figures.solved == 2 and figures.share_solved == pytest.approx(1 / 3)
    assert figures.stale_open == 3


def test_figures_of_one_practice(app, known):
    with app.app_context():
        figures = question_figures(known.open.id, known.open_practice.id, now=NOW)
    assert (figures.asked, figures.due, figures.answered_in_time, figures.solved, figures.stale_open) == (1, 1, 1, 1, 0)
    assert figures.median_first_answer == timedelta(hours=1, minutes=30)


def test_an_answer_after_the_moment_asked_about_does_not_count(app, known):
    with app.app_context():
        before = question_figures(known.open.id, now=datetime(2026, 4, 16, 9, 0))
    # On 16 April at 9:00 the second question was not answered yet (it was at 10:00).
    assert before.asked == 3 and before.answered == 1 and before.unanswered == 2
    assert before.stale_open == 1  # the one of January (the one of 14 April is not 7 days old yet)


def test_an_empty_community_has_no_shares(app, qworld):
    with app.app_context():
        figures = question_figures(qworld.private.id, now=NOW)
    assert figures.asked == 0 and figures.share_in_time is None and figures.share_solved is None
    assert figures.median_first_answer is None


def test_the_community_home_shows_the_figures_as_text(app, qworld):
    with app.app_context():
        now = utcnow()
        question(app, qworld.open.id, qworld.member.id, now - timedelta(days=10),
                 answered_at=now - timedelta(days=10) + timedelta(hours=2), answerer_id=qworld.other_member.id,
                 solved=True)
        question(app, qworld.open.id, qworld.member.id, now - timedelta(days=9))
    page = app.test_client().get(f"/communities/{qworld.open.slug}").get_data(as_text=True)
    assert "Domande e risposte in numeri" in page
    assert "Domande fatte" in page and "Risolte (risposta accettata)" in page
    assert "1 su 2 (50%)" in page  # solved, and answered within 2 working days
    assert "2 ore" in page  # the median time to the first answer
    assert "Aperte senza risposta da più di 7 giorni" in page
    # A community without questions shows no figures.
    assert "Domande e risposte in numeri" not in app.test_client().get(
        f"/communities/{qworld.moderated.slug}").get_data(as_text=True)
