"""Q&A indicators (Q1 Q2 Q3 Q4 QV QA) on known data at a frozen moment, with the windows' edges, Italian working
days (2 June, a weekend), "dati insufficienti" below 5 items, and a query count independent of the chunk's size."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.extensions import db
from app.indicators import compute_qa
from app.indicators.compute import load_context
from app.models import Practice, SupportRequest
from app.models.qa import Answer, Question
from app.workdays import working_days_before, working_deadline
from tests.conftest import make_community, make_org, make_practice, make_user, statements_issued

NOW = datetime(2026, 6, 4, 12, 0)  # a Thursday; Tuesday 2 June is Republic Day
SECOND, HOUR, DAY = timedelta(seconds=1), timedelta(hours=1), timedelta(days=1)
CODES = {"Q1", "Q2", "Q3", "Q4", "QV", "QA"}


def ask(community_id: int, author_id: int, created: datetime, **fields) -> int:
    """A question written directly (the services are tested elsewhere); returns its id."""
    from app.models import User

    author = db.session.get(User, author_id)
    question = Question(community_id=community_id, title="Come avete gestito la gara?", body="Il capitolato.",
                        author_id=author_id, organization_id=author.organization_id, created_at=created,
                        updated_at=created, last_activity_at=created, **fields)
    db.session.add(question)
    db.session.flush()
    return question.id


def answer(question_id: int, author_id: int, created: datetime, **fields) -> int:
    from app.models import User

    author = db.session.get(User, author_id)
    fields.setdefault("organization_id", author.organization_id)
    row = Answer(question_id=question_id, author_id=author_id, body="Abbiamo usato il modello ANAC.",
                 created_at=created, updated_at=created, **fields)
    db.session.add(row)
    db.session.flush()
    return row.id


def accept(question_id: int, answer_id: int, accepted_at: datetime) -> None:
    question = db.session.get(Question, question_id)
    question.status, question.accepted_answer_id, question.accepted_at = "solved", answer_id, accepted_at


def figures_of(community_id: int, now: datetime = NOW) -> dict:
    return compute_qa.compute(load_context(now), [community_id])[community_id]


def test_q1_and_q2_answered_within_two_working_days(app, qworld):
    open_id, asker, other, third = qworld.open.id, qworld.member.id, qworld.other_member.id, qworld.facilitator.id
    with app.app_context():
        edge = working_days_before(NOW, 2)
        assert edge == datetime(2026, 6, 1, 12, 0)  # back over Wednesday, Republic Day (Tuesday) and Monday
        ids = {}
        # Asked exactly at the edge: its 2 working days (Monday noon → Thursday noon, 2 June skipped) are up.
        ids["edge"] = ask(open_id, asker, edge)
        answer(ids["edge"], other, datetime(2026, 6, 4, 11, 0))  # in time only because 2 June does not count
        late_edge = ask(open_id, asker, edge + SECOND)  # its time is not up: not counted, though unanswered
        # Friday noon → Wednesday noon is exactly 2 working days over the weekend and 2 June.
        assert working_deadline(datetime(2026, 5, 29, 12), 2) == datetime(2026, 6, 3, 12)
        ids["exact"] = ask(open_id, asker, datetime(2026, 5, 29, 12))
        answer(ids["exact"], other, datetime(2026, 6, 3, 12))
        ids["minute_late"] = ask(open_id, asker, datetime(2026, 5, 29, 12))
        answer(ids["minute_late"], other, datetime(2026, 6, 3, 12, 1))
        ids["unanswered"] = ask(open_id, asker, datetime(2026, 5, 25, 9))
        ids["by_asker"] = ask(open_id, asker, datetime(2026, 5, 20, 9))
        answer(ids["by_asker"], asker, datetime(2026, 5, 20, 10))  # the asker's own answer is no answer
        ids["hidden_answer"] = ask(open_id, asker, datetime(2026, 5, 20, 9))
        answer(ids["hidden_answer"], other, datetime(2026, 5, 20, 10), visibility="hidden")
        ids["after_now"] = ask(open_id, asker, datetime(2026, 5, 28, 9))
        answer(ids["after_now"], other, NOW + HOUR)  # not answered yet at NOW
        ids["window_start"] = ask(open_id, asker, NOW - timedelta(days=90))  # the first moment of the window
        answer(ids["window_start"], third, NOW - timedelta(days=90) + HOUR)
        ids["a_day"] = ask(open_id, asker, datetime(2026, 5, 21, 9))
        answer(ids["a_day"], other, datetime(2026, 5, 22, 9))
        answer(ids["a_day"], third, datetime(2026, 5, 21, 10), visibility="hidden")  # earlier, but hidden
        # Not counted at all:
        before_window = ask(open_id, asker, NOW - timedelta(days=90) - SECOND)
        duplicate = ask(open_id, asker, datetime(2026, 5, 20, 9), status="closed", close_reason="duplicate")
        answer(duplicate, other, datetime(2026, 5, 20, 10))
        hidden = ask(open_id, asker, datetime(2026, 5, 20, 9), visibility="hidden")
        draft = make_practice("Pratica in bozza", db.session.get(Practice, qworld.open_practice.id).community,
                              db.session.get(Practice, qworld.open_practice.id).donor, status="draft", kit={})
        on_draft = ask(open_id, asker, datetime(2026, 5, 20, 9), practice_id=draft.id)
        elsewhere = ask(qworld.moderated.id, asker, datetime(2026, 5, 20, 9))
        db.session.commit()
        result = figures_of(open_id)
    assert set(result) == CODES
    q1 = result["Q1"]
    counted = set(ids.values())
    assert q1.kind == "question" and set(q1.ids) == counted
    assert not {late_edge, before_window, duplicate, hidden, on_draft, elsewhere} & set(q1.ids)
    assert set(q1.hits) == {ids["edge"], ids["exact"], ids["window_start"], ids["a_day"]}
    assert (q1.num, q1.den, q1.insufficient) == (4, 9, False) and q1.value == pytest.approx(4 / 9)
    q2 = result["Q2"]
    # Working hours to the first answer of the answered ones: 47 (edge: Mon 12 h, Wed 24 h, Thu 11 h), 48, 48 h 1',
    # 1, 24 (the hidden earlier answer does not count).
    assert set(q2.ids) == {ids["edge"], ids["exact"], ids["minute_late"], ids["window_start"], ids["a_day"]}
    assert q2.den == 5 and q2.value == pytest.approx(47.0) and not q2.insufficient


def test_fewer_than_five_questions_are_dati_insufficienti(app, qworld):
    with app.app_context():
        for day in (10, 11, 12, 13):
            qid = ask(qworld.open.id, qworld.member.id, NOW - timedelta(days=day + 14))
            answer(qid, qworld.other_member.id, NOW - timedelta(days=day + 14) + HOUR)
        db.session.commit()
        result = figures_of(qworld.open.id)
        empty = figures_of(qworld.moderated.id)
    for code in ("Q1", "Q2", "Q3"):
        assert result[code].insufficient and result[code].value is None, code
    assert result["Q1"].num == 4 and result["Q1"].den == 4  # all in time, yet not "100 %"
    assert result["Q3"].num == 0 and result["Q3"].den == 4  # none solved, yet not "0 %"
    assert set(empty) == CODES and empty["Q1"].insufficient and empty["Q1"].den == 0
    assert empty["Q4"].value == 0 and empty["QV"].value == 0 and empty["QA"].value == 0


def test_q3_solved_share_between_90_and_14_days(app, qworld):
    open_id, asker, other = qworld.open.id, qworld.member.id, qworld.other_member.id
    with app.app_context():
        ids = {}
        for name, created, accepted in [
            ("solved_a", NOW - 30 * DAY, NOW - 29 * DAY), ("solved_b", NOW - 40 * DAY, NOW - 20 * DAY),
            ("edge_14", NOW - 14 * DAY, NOW - 13 * DAY),  # asked exactly 14 days before: counted
            ("edge_90", NOW - 90 * DAY, NOW - 80 * DAY),  # asked exactly 90 days before: counted
            ("accepted_later", NOW - 20 * DAY, NOW + HOUR),  # accepted after NOW: not solved yet
            ("unsolved", NOW - 50 * DAY, None),
        ]:
            ids[name] = ask(open_id, asker, created)
            reply = answer(ids[name], other, created + HOUR)
            if accepted:
                accept(ids[name], reply, accepted)
        too_recent = ask(open_id, asker, NOW - 14 * DAY + SECOND)
        accept(too_recent, answer(too_recent, other, NOW - 13 * DAY), NOW - 12 * DAY)
        duplicate = ask(open_id, asker, NOW - 30 * DAY, status="closed", close_reason="duplicate")
        too_old = ask(open_id, asker, NOW - 90 * DAY - SECOND)
        db.session.commit()
        q3 = figures_of(open_id)["Q3"]
    assert q3.kind == "question" and set(q3.ids) == set(ids.values())
    assert not {too_recent, duplicate, too_old} & set(q3.ids)
    assert set(q3.hits) == {ids["solved_a"], ids["solved_b"], ids["edge_14"], ids["edge_90"]}
    assert (q3.num, q3.den) == (4, 6) and q3.value == pytest.approx(4 / 6)


def test_q4_open_questions_without_an_answer_after_seven_days(app, qworld):
    open_id, asker, other = qworld.open.id, qworld.member.id, qworld.other_member.id
    with app.app_context():
        counted = {
            ask(open_id, asker, NOW - 7 * DAY),  # exactly 7 days old
            ask(open_id, asker, NOW - 200 * DAY),  # any age
        }
        by_asker = ask(open_id, asker, NOW - 10 * DAY)
        answer(by_asker, asker, NOW - 9 * DAY)
        hidden_answer = ask(open_id, asker, NOW - 10 * DAY)
        answer(hidden_answer, other, NOW - 9 * DAY, visibility="hidden")
        answered_later = ask(open_id, asker, NOW - 10 * DAY)
        answer(answered_later, other, NOW + DAY)
        counted |= {by_asker, hidden_answer, answered_later}
        too_young = ask(open_id, asker, NOW - 7 * DAY + SECOND)
        answered = ask(open_id, asker, NOW - 10 * DAY)
        answer(answered, other, NOW - 9 * DAY)
        closed = ask(open_id, asker, NOW - 10 * DAY, status="closed", close_reason="obsolete")
        hidden = ask(open_id, asker, NOW - 10 * DAY, visibility="hidden")
        db.session.commit()
        q4 = figures_of(open_id)["Q4"]
    assert q4.kind == "question" and set(q4.ids) == counted and q4.value == 5 and not q4.insufficient
    assert not {too_young, answered, closed, hidden} & set(q4.ids)


def test_qv_counts_questions_and_support_requests_of_the_last_90_days(app, qworld):
    open_id, asker = qworld.open.id, qworld.member.id
    with app.app_context():
        for created in (NOW - 90 * DAY, NOW - DAY, NOW):
            ask(open_id, asker, created)
        ask(open_id, asker, NOW - 5 * DAY, close_reason="duplicate", status="closed")  # a question asked all the same
        ask(open_id, asker, NOW - 90 * DAY - SECOND)
        ask(open_id, asker, NOW + SECOND)
        ask(open_id, asker, NOW - DAY, visibility="hidden")
        ask(qworld.moderated.id, asker, NOW - DAY)

        def request(practice_id, created):
            db.session.add(SupportRequest(practice_id=practice_id, organization_id=qworld.bari.id, kind="technical",
                                          subject="S", description="D", status="open", created_at=created))
        request(qworld.open_practice.id, NOW - 90 * DAY)
        request(qworld.open_practice.id, NOW - 3 * DAY)
        request(qworld.open_practice.id, NOW - 91 * DAY)
        request(qworld.moderated_practice.id, NOW - 3 * DAY)
        db.session.commit()
        qv = figures_of(open_id)["QV"]
    assert qv.value == 6 and qv.num == 6 and not qv.insufficient  # 4 questions + 2 requests
    assert qv.items_json() is None  # two kinds of item: no single list


def test_qa_distinct_administrations_answering_in_90_days(app, qworld):
    open_id, asker = qworld.open.id, qworld.facilitator.id
    with app.app_context():
        qid = ask(open_id, asker, NOW - 100 * DAY)
        other_q = ask(open_id, qworld.member.id, NOW - 100 * DAY)
        answer(qid, qworld.member.id, NOW - 10 * DAY)  # Bari
        answer(other_q, qworld.member.id, NOW - 5 * DAY)  # Bari again: one administration
        answer(qid, qworld.other_member.id, NOW - 90 * DAY)  # Lecce, exactly at the window's start
        answer(qid, qworld.supplier.id, NOW - DAY)  # a supplier: not an administration
        answer(qid, qworld.donor_member.id, NOW - 91 * DAY)  # Chieri, before the window
        answer(other_q, qworld.donor_member.id, NOW + HOUR)  # and after NOW
        answer(other_q, qworld.facilitator.id, NOW - DAY, visibility="hidden")  # Asti, hidden
        # The organisation stored on the answer counts, not the author's current one.
        moved = make_user("trasferita@torino.example.it", make_org("Comune di Novara", ipa_code="c_f952"))
        answer(qid, moved.id, NOW - 2 * DAY, organization_id=qworld.chieri.id)
        # An answer on a hidden question is not visible.
        hidden_q = ask(open_id, asker, NOW - 20 * DAY, visibility="hidden")
        answer(hidden_q, qworld.outsider.id, NOW - 2 * DAY)
        db.session.commit()
        qa = figures_of(open_id)["QA"]
    assert qa.kind == "organization" and set(qa.ids) == {qworld.bari.id, qworld.lecce.id, qworld.chieri.id}
    assert qa.value == 3 and qa.num == 3


def test_every_community_gets_every_code_and_the_query_count_is_bounded(app, qworld):
    with app.app_context():
        chieri = make_org("Comune di Chieri bis", ipa_code="c_zz99")
        people = [make_user(f"persona{n}@example.it", chieri) for n in range(3)]
        communities = [make_community(f"Comunità {n}", members=people) for n in range(20)]
        for n, community in enumerate(communities):
            practice = make_practice(f"Pratica {n}", community, chieri)
            for k in range(3):
                qid = ask(community.id, people[k].id, NOW - (10 + k + n) * DAY)
                answer(qid, people[(k + 1) % 3].id, NOW - (9 + k + n) * DAY)
            db.session.add(SupportRequest(practice_id=practice.id, organization_id=chieri.id, kind="technical",
                                          subject="S", description="D", status="open", created_at=NOW - DAY))
        db.session.commit()
        ids = [community.id for community in communities]
        ctx = load_context(NOW)
        results = {}
        for_one = statements_issued(lambda: results.update(one=compute_qa.compute(ctx, ids[:1])))
        for_twenty = statements_issued(lambda: results.update(twenty=compute_qa.compute(ctx, ids)))
        one, twenty = results["one"], results["twenty"]
    assert set(one) == {ids[0]} and set(twenty) == set(ids)
    assert for_one == for_twenty <= 4
    assert all(set(figures) == CODES for figures in twenty.values())
    assert all(figures["QV"].value == 4 and figures["QA"].value == 1 for figures in twenty.values())
