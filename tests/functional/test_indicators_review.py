"""Adversarial review of the indicators area (issue 14, helper H10): each test here FAILS on a bug found in review.

Every test names the bug, the file and line at fault and a one-line suggested fix. Real database (both backends),
real computation functions with an explicit `now`, real routes through the test client.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.indicators import compute, compute_qa, compute_support
from app.indicators.context import Context, quarter_end
from app.models import Adoption, Community, IndicatorSnapshot, SupportRequest
from app.models.base import utcnow
from app.models.qa import Question
from tests.qa_world import make_question


# ---- 1. drill-down: the title of a question hidden by moderation -------------------------------------------------
# BUG (privacy, high): app/indicators/drilldown.py:52-55 (`_questions`) lists `q.title` for every question that
# `can_view_question` lets through, and that check lets a *hidden* question through for everybody (only "deleted"
# is restricted). The question page itself shows "Domanda nascosta" instead of a hidden question's title
# (app/templates/qa/question.html:22-26), so the drill-down leaks, to anonymous readers, the title a moderator hid
# after the nightly computation put the question in a figure's items.
# FIX: in `_questions`, show a hidden/deleted question as "Domanda nascosta" (or count it as not visible) unless
# the reader may moderate the community, e.g. label = q.title if q.is_visible or can_moderate_qa(...) else _("Domanda
# nascosta").

def test_drilldown_does_not_leak_the_title_of_a_question_hidden_after_the_computation(client, app, qworld):
    now = utcnow()
    with app.app_context():
        question = make_question(qworld.open.id, qworld.member.id, title="Titolo che la moderazione ha nascosto",
                                 created_at=now - timedelta(days=10))
        compute.run(now)
        items = db.session.execute(select(IndicatorSnapshot.items).where(
            IndicatorSnapshot.community_id == qworld.open.id, IndicatorSnapshot.kind == "daily")).scalar_one()
        assert question.id in items["Q4"]["ids"]  # counted in the no-answer backlog while it was visible
        # then a facilitator hides it (app/qa/moderation.py sets the visibility)
        db.session.get(Question, question.id).visibility = "hidden"
        db.session.commit()
    for headers in ({}, {"HX-Request": "true"}):
        html = client.get(f"/communities/{qworld.open.slug}/indicators/Q4", headers=headers).get_data(as_text=True)
        assert "Titolo che la moderazione ha nascosto" not in html


# ---- 2. observatory: practices of a community that has since become private ---------------------------------------
# BUG (privacy, medium): app/indicators/observatory.py:208-212 shows `top_practices` exactly as stored in the
# NetworkSnapshot (titles and slugs frozen at computation time, compute_network.py:147-157). When a community is
# made private after the computation, the public observatory keeps naming (and linking) its practices — in the daily
# figures until the next night, and in every stored quarter forever.
# FIX: in observatory.load, drop the top practices whose practice is no longer published in a non-private community
# (one query over the ≤ 10 ids: select Practice.id join Community where visibility != private).

def test_observatory_stops_naming_a_practice_whose_community_became_private(client, app, qworld):
    now = utcnow()
    with app.app_context():
        adoption = Adoption(practice_id=qworld.open_practice.id, organization_id=qworld.bari.id,
                            status="in_progress", declared_by_id=qworld.member.id, created_at=now - timedelta(days=40),
                            started_at=now - timedelta(days=40), confirmed_at=now - timedelta(days=30))
        db.session.add(adoption)
        db.session.commit()
        compute.run(now)
    assert qworld.open_practice.name in client.get("/observatory").get_data(as_text=True)
    with app.app_context():
        db.session.get(Community, qworld.open.id).visibility = "private"
        db.session.commit()
    html = client.get("/observatory").get_data(as_text=True)
    assert qworld.open_practice.name not in html
    csv_text = client.get("/observatory/practices.csv").get_data(as_text=True)
    assert qworld.open_practice.name not in csv_text


# ---- 3. S5 "stale requests" of a past moment (quarter snapshots, --backfill) -------------------------------------
# BUG (wrong figure, medium): app/indicators/compute_support.py:56 counts as stale only requests whose *current*
# status is open/accepted. A quarter snapshot is computed as of the quarter's end (and `--backfill` computes old
# quarters): a request open for 60 days at that moment but resolved later is missed, so S5 of every past quarter is
# too low. compute_practices.py:57-62 handles exactly this case ("a request closed after `now` was open at `now`").
# FIX: stale = created ≤ now−30d and (status live or closed_at(row, now) is None and any stamp > now) — i.e. not
# resolved/declined/closed by `now`, as compute_practices does.

def test_stale_requests_are_counted_as_they_stood_at_a_past_moment(app, qworld):
    moment = quarter_end("2026-Q3")
    with app.app_context():
        request = SupportRequest(practice_id=qworld.open_practice.id, organization_id=qworld.bari.id,
                                 requester_id=qworld.member.id, kind="technical", subject="Ferma da due mesi",
                                 description="Aiuto.", status="resolved", created_at=moment - timedelta(days=60),
                                 first_response_at=moment + timedelta(days=9),
                                 resolved_at=moment + timedelta(days=10))
        db.session.add(request)
        db.session.commit()
        figures = compute_support.compute(Context(now=moment), [qworld.open.id])[qworld.open.id]
    assert figures["S5"].value == 1  # open for 60 days at the quarter's end


# ---- 4. Q4 "no-answer backlog" of a past moment -----------------------------------------------------------------
# BUG (wrong figure, medium): app/indicators/compute_qa.py:64 requires `Question.status == "open"` *today*. As of a
# quarter's end, a question open and unanswered for 30 days but closed afterwards is left out of Q4 (the module's
# own docstring promises that "a past `now` … sees the answers as they stood then").
# FIX: keep questions whose status is open, or whose closed_at is after ctx.now (Question.closed_at > ctx.now).

def test_no_answer_backlog_is_counted_as_it_stood_at_a_past_moment(app, qworld):
    moment = quarter_end("2026-Q3")
    with app.app_context():
        question = make_question(qworld.open.id, qworld.member.id, title="Rimasta senza risposta a fine trimestre",
                                 created_at=moment - timedelta(days=30))
        row = db.session.get(Question, question.id)
        row.status, row.closed_at, row.close_reason = "closed", moment + timedelta(days=5), "outdated"
        db.session.commit()
        figures = compute_qa.compute(Context(now=moment), [qworld.open.id])[qworld.open.id]
    assert figures["Q4"].value == 1


# ---- 5. hysteresis across a missing quarter snapshot ------------------------------------------------------------
# BUG (stage, medium): app/indicators/compute.py:47-53 (`_stage_before`) looks only at the quarter immediately
# before; when that snapshot is missing (a quarter the nightly run never caught up: `missing_quarter` only writes the
# latest ended one), it returns ("starting", None), so a community held at "community" drops to "In avvio" in one
# quarter, without the two failing quarters the hysteresis requires.
# FIX: take the stage (and qualified_stage, if it is the previous period) from the latest quarter snapshot before
# `period` (order by as_of desc limit 1 where as_of < quarter_end(period)), not only from previous_quarter(period).

def test_stage_is_kept_across_a_missing_quarter(app, qworld):
    with app.app_context():
        for cid in (qworld.open.id, qworld.moderated.id, qworld.private.id):
            db.session.add(IndicatorSnapshot(community_id=cid, kind="quarter", as_of=quarter_end("2026-Q1").date(),
                                             period="2026-Q1", figures={}, items={}, qualified_stage="community",
                                             stage="community", checklist=[]))
        db.session.commit()
        compute.run(period="2026-Q3")  # 2026-Q2 was never computed; Q3 qualifies for nothing
        stage = db.session.execute(select(IndicatorSnapshot.stage).where(
            IndicatorSnapshot.community_id == qworld.open.id, IndicatorSnapshot.period == "2026-Q3")).scalar_one()
    assert stage == "community"  # one failing quarter is not a demotion




# ---- 6. drill-down: an unconfirmed adoption named through R1R ----------------------------------------------------
# BUG (privacy, medium — contract-level, the lead decides): R1R counts administrations with an in-progress or
# completed adoption whether or not the donor confirmed it (compute_reuse.py:185-189), and its drill-down lists them
# to everybody who sees the community (drilldown.py:70-74, `_organizations` checks only can_view_organization). But
# an unconfirmed adoption is private to the two organisations (permissions.can_view_adoption: "an unconfirmed one only
# to the two organisations"): with one practice in the community, the R1R list tells any anonymous reader which
# administration is reusing it before the donor has confirmed anything.
# FIX: store R1R's items as the adoptions (item kind "adoption", loader `_adoptions` already checks
# can_view_adoption), or list only the administrations with a confirmed adoption and count the others as not visible.

def test_r1r_drilldown_does_not_name_an_unconfirmed_reuser(client, app, qworld):
    now = utcnow()
    with app.app_context():
        db.session.add(Adoption(practice_id=qworld.open_practice.id, organization_id=qworld.lecce.id,
                                status="in_progress", declared_by_id=qworld.other_member.id,
                                created_at=now - timedelta(days=20), started_at=now - timedelta(days=20)))
        db.session.commit()
        compute.run(now)
    html = client.get(f"/communities/{qworld.open.slug}/indicators/R1R",
                      headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Comune di Lecce" not in html


# ---- 7. an extra holiday on 29 February ------------------------------------------------------------------------
# BUG (crash, low): app/workdays.py:45-47 (`_holidays_of`) builds f"{year}-{entry}" for every "MM-DD" entry and
# parses it; "02-29" passes the start-up check (parse_extra_holidays validates against the leap year 2000) but raises
# ValueError for every common year, so every working-day computation of 2026 (support overdue rule, reuse figures,
# `flask indicators compute`) fails with a 500.
# FIX: in `_holidays_of`, skip an "MM-DD" entry that does not exist in that year (try/except ValueError: continue),
# or refuse "02-29" in parse_extra_holidays.

def test_an_extra_holiday_on_29_february_does_not_break_common_years(app):
    from datetime import date

    from app.workdays import is_working_day, parse_extra_holidays

    with app.app_context():
        saved = app.config.get("EXTRA_HOLIDAYS", ())
        app.config["EXTRA_HOLIDAYS"] = parse_extra_holidays("02-29")  # accepted at start-up
        try:
            assert is_working_day(date(2026, 3, 2))  # a Monday of a common year
            assert not is_working_day(date(2028, 2, 29))  # and the holiday itself in a leap year
        finally:
            app.config["EXTRA_HOLIDAYS"] = saved
