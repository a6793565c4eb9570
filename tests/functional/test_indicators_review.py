"""Adversarial review of the indicators area (issue 14, helper H10): each test here FAILS on a bug found in review.

Every test names the bug, the file and line at fault and a one-line suggested fix. Real database (both backends),
real computation functions with an explicit `now`, real routes through the test client.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import event, select

from app.extensions import db
from app.indicators import compute, compute_qa, compute_support
from app.indicators.context import Context, quarter_end
from app.models import Adoption, Community, IndicatorSnapshot, Practice, SupportRequest
from app.models.base import utcnow
from app.models.qa import Question
from tests.qa_world import make_question


def _statements(app, action) -> int:
    """How many SQL statements `action()` issues inside an application context."""
    seen: list[str] = []

    def listener(*args):
        seen.append(args[2])

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            action()
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


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



def test_zz_probe(client, app, qworld):
    from tests.conftest import login, csrf_token
    from app.models import StageCondition
    from app.indicators import thresholds
    with app.app_context():
        thresholds.ensure_conditions_saved()
        conds = {(c.stage, c.code): c.id for c in db.session.execute(select(StageCondition)).scalars()}
    assert login(client, qworld.admin).status_code == 303
    out = []
    for key in [("community", "M2"), ("community", "M1P"), ("centre", "S4"), ("centre", "F2"), ("centre", "S3")]:
        for thr, mn in [("999999999", ""), ("1e5", ""), ("-0", ""), ("+5", "+3"), ("0,000001", ""), ("50", "-1"),
                        ("50", "999999999"), ("50", "99999999999"), ("NaN", ""), ("inf", ""), ("100,5", ""),
                        ("1", "0"), ("0", ""), ("５０", ""), ("50", "٣")]:
            for htmx in (False, True):
                token = csrf_token(client, "/admin/indicators/conditions")
                r = client.post(f"/admin/indicators/conditions/{conds[key]}",
                                data={"threshold": thr, "min_n": mn, "note": "prova", "csrf_token": token},
                                headers={"HX-Request": "true"} if htmx else {})
                out.append((key, thr, mn, htmx, r.status_code))
    r = client.post("/admin/indicators/conditions/999999", data={"threshold": "1", "note": "x",
                    "csrf_token": csrf_token(client, "/admin/indicators/conditions")}); out.append(("missing", r.status_code))
    r = client.post("/admin/indicators/conditions/99999999999999999999", data={}); out.append(("huge", r.status_code))
    for path in ["/admin/indicators/changes?page=5", "/admin/indicators/conditions", "/admin/indicators/changes"]:
        out.append((path, client.get(path).status_code, client.get(path, headers={"HX-Request": "true"}).status_code))
    print("PROBE", *[o for o in out if o[-1] not in (303, 422, 200) or True], sep="\n")
    assert False
