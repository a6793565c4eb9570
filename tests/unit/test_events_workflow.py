"""The events' rules (app/events/workflow.py), without the application: event transitions, formats, seats with
reservations, the waiting list's promotion order, registration outcomes and refusals, cancellation, attendance."""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest

from app.events import workflow as wf
from app.events.workflow import (EventAction, EventFacts, EventStatus, EventWorkflowError, RegistrationFacts,
                                 RegistrationStatus, Seats, attendance_allowed, cancellation_allowed,
                                 event_transition, fits, format_problems, general_in_use, registration_outcome,
                                 seats_left, to_promote)

NOW = datetime(2027, 3, 1, 10, 0)
LATER = NOW + timedelta(days=3)
EARLIER = NOW - timedelta(days=3)

# ---- events --------------------------------------------------------------------------------------------------

# Written out here rather than read from the module: (status, action) → next status.
EVENT_MOVES = {
    ("draft", "publish"): "published",
    ("published", "unpublish"): "draft",
    ("draft", "cancel"): "cancelled",
    ("published", "cancel"): "cancelled",
    ("published", "close"): "held",
}


def facts(**changes) -> EventFacts:
    values = dict(now=NOW, starts_at=EARLIER, report="Resoconto.", reason="Relatore malato.", registrations=0)
    values.update(changes)
    return EventFacts(**values)


@pytest.mark.parametrize("status,action", list(itertools.product(EventStatus, EventAction)))
def test_every_event_move_is_allowed_or_refused_with_its_reason(status, action):
    expected = EVENT_MOVES.get((status.value, action.value))
    if expected:
        assert event_transition(status, action, facts()) == expected
    else:
        with pytest.raises(EventWorkflowError) as refused:
            event_transition(status, action, facts())
        assert str(refused.value) == wf.EVENT_REFUSED[action]


def test_unknown_status_or_action_is_refused():
    with pytest.raises(EventWorkflowError, match="non riconosciuta"):
        event_transition("published", "explode", facts())
    with pytest.raises(EventWorkflowError, match="non riconosciuta"):
        event_transition("lost", "publish", facts())


def test_closing_needs_the_start_passed_and_a_report():
    with pytest.raises(EventWorkflowError) as refused:
        event_transition("published", "close", facts(starts_at=LATER))
    assert str(refused.value) == wf.NOT_STARTED
    with pytest.raises(EventWorkflowError) as refused:
        event_transition("published", "close", facts(report="  \n "))
    assert str(refused.value) == wf.REPORT_REQUIRED
    assert event_transition("published", "close", facts(starts_at=NOW)) == "held"  # from the very start


def test_cancelling_needs_a_reason():
    with pytest.raises(EventWorkflowError) as refused:
        event_transition("published", "cancel", facts(reason=" "))
    assert str(refused.value) == wf.CANCEL_REASON_REQUIRED


def test_back_to_draft_only_without_registrations():
    with pytest.raises(EventWorkflowError) as refused:
        event_transition("published", "unpublish", facts(registrations=1))
    assert str(refused.value) == wf.HAS_REGISTRATIONS
    assert event_transition("published", "unpublish", facts(registrations=0)) == "draft"


@pytest.mark.parametrize("event_format,place,url,expected", [
    ("in_person", "Sala A, Torino", "", []),
    ("in_person", "  ", "https://x.example", [wf.NO_PLACE]),
    ("online", "", "https://meet.example", []),
    ("online", "Sala A", "", [wf.NO_LINK]),
    ("hybrid", "Sala A", "https://meet.example", []),
    ("hybrid", "", "", [wf.NO_PLACE, wf.NO_LINK]),
    ("hybrid", None, "https://meet.example", [wf.NO_PLACE]),
])
def test_format_problems(event_format, place, url, expected):
    assert format_problems(event_format, place, url) == expected


# ---- seats ---------------------------------------------------------------------------------------------------

def test_no_limit_always_fits():
    seats = Seats(None, {"region": 2})
    assert seats.general is None
    assert fits(seats, {"municipality": 500}, "municipality")
    assert seats_left(seats, {"municipality": 500}) is None
    assert to_promote(seats, {}, [(1, None), (2, "region")]) == [1, 2]


def test_general_seats_are_the_total_less_reservations():
    assert Seats(10, {"region": 3, "metropolitan_city": 2}).general == 5
    assert Seats(4, {"region": 6}).general == 0  # reservations above the total leave no general seat


def test_reserved_seats_are_taken_first_then_general_ones():
    seats = Seats(4, {"region": 2})  # 2 general
    assert general_in_use(seats, {"region": 2}) == 0
    assert general_in_use(seats, {"region": 3, "municipality": 1}) == 2
    assert general_in_use(seats, {None: 1}) == 1  # no organisation kind: a general seat
    assert fits(seats, {"region": 2, "municipality": 1}, "region")  # a general seat is still free
    assert not fits(seats, {"region": 2, "municipality": 2}, "region")  # all taken
    assert fits(seats, {"municipality": 2}, "region")  # general full, the reserved ones kept for regions
    assert not fits(seats, {"municipality": 2}, "municipality")
    assert not fits(seats, {"municipality": 2}, None)


def test_seats_left_by_kind():
    seats = Seats(5, {"region": 2})  # 3 general
    assert seats_left(seats, {}) == 3  # without a kind: the general seats
    assert seats_left(seats, {}, "region") == 5
    assert seats_left(seats, {"region": 1, "municipality": 2}, "region") == 2
    assert seats_left(seats, {"region": 1, "municipality": 2}, "municipality") == 1
    assert seats_left(seats, {"municipality": 4}, "municipality") == 0  # never negative
    assert seats_left(seats, {"municipality": 3}, "region") == 2


def test_to_promote_oldest_first_one_seat():
    seats = Seats(2, {})
    assert to_promote(seats, {"municipality": 1}, [(7, "municipality"), (3, "region")]) == [7]
    assert to_promote(seats, {"municipality": 2}, [(7, "municipality")]) == []


def test_to_promote_respects_reservations_and_skips_who_does_not_fit():
    seats = Seats(3, {"region": 1})  # 2 general
    registered = {"municipality": 2}  # general seats full, the region's free
    waiting = [(1, "municipality"), (2, "municipality"), (3, "region"), (4, "region")]
    assert to_promote(seats, registered, waiting) == [3]  # the oldest the free seat fits, only one


def test_to_promote_counts_each_promoted_before_the_next():
    seats = Seats(4, {"region": 1})  # 3 general
    waiting = [(10, "region"), (11, "region"), (12, None), (13, "municipality"), (14, "municipality")]
    # region 10 takes the reserved seat, region 11 a general one, 12 and 13 the last general ones; 14 waits
    assert to_promote(seats, {}, waiting) == [10, 11, 12, 13]


# ---- registrations -------------------------------------------------------------------------------------------

def reg_facts(**changes) -> RegistrationFacts:
    values = dict(event_status="published", registration_enabled=True, closes_at=LATER, now=NOW,
                  current_status=None, has_seat=True, accepted_terms=False, terms_required=False)
    values.update(changes)
    return RegistrationFacts(**values)


def test_outcome_registered_or_waiting():
    assert registration_outcome(reg_facts()) == RegistrationStatus.REGISTERED
    assert registration_outcome(reg_facts(has_seat=False)) == RegistrationStatus.WAITING
    assert registration_outcome(reg_facts(closes_at=None)) == RegistrationStatus.REGISTERED
    assert registration_outcome(reg_facts(closes_at=NOW)) == RegistrationStatus.REGISTERED  # until the moment
    # a cancelled registration may register again
    assert registration_outcome(reg_facts(current_status="cancelled", has_seat=False)) == RegistrationStatus.WAITING


@pytest.mark.parametrize("changes,message", [
    (dict(event_status="cancelled"), wf.EVENT_CANCELLED),
    (dict(event_status="held"), wf.EVENT_HELD),
    (dict(event_status="draft"), wf.EVENT_NOT_OPEN),
    (dict(registration_enabled=False), wf.REGISTRATION_OFF),
    (dict(closes_at=NOW - timedelta(seconds=1)), wf.REGISTRATION_CLOSED),
    (dict(current_status="registered"), wf.ALREADY_REGISTERED),
    (dict(current_status="waiting", has_seat=False), wf.ALREADY_WAITING),
    (dict(terms_required=True, accepted_terms=False), wf.TERMS_REQUIRED),
])
def test_outcome_refusals(changes, message):
    with pytest.raises(EventWorkflowError) as refused:
        registration_outcome(reg_facts(**changes))
    assert str(refused.value) == message


def test_refusals_come_in_order_the_event_first():
    with pytest.raises(EventWorkflowError) as refused:
        registration_outcome(reg_facts(event_status="cancelled", current_status="registered",
                                       terms_required=True))
    assert str(refused.value) == wf.EVENT_CANCELLED
    assert registration_outcome(reg_facts(terms_required=True, accepted_terms=True)) == "registered"


@pytest.mark.parametrize("event_status,current,refusal", [
    ("published", "registered", None), ("published", "waiting", None), ("cancelled", "registered", None),
    ("published", None, wf.NOT_REGISTERED), ("published", "cancelled", wf.NOT_REGISTERED),
    ("held", "registered", wf.EVENT_HELD),
])
def test_cancellation_allowed(event_status, current, refusal):
    if refusal is None:
        cancellation_allowed(event_status, current)
        return
    with pytest.raises(EventWorkflowError) as refused:
        cancellation_allowed(event_status, current)
    assert str(refused.value) == refusal


def test_attendance_allowed():
    attendance_allowed("registered", NOW, NOW + timedelta(hours=12))  # the morning of the event
    attendance_allowed("registered", NOW, EARLIER)  # afterwards
    with pytest.raises(EventWorkflowError) as refused:
        attendance_allowed("registered", NOW, NOW + timedelta(hours=12, seconds=1))
    assert str(refused.value) == wf.ATTENDANCE_TOO_EARLY
    for status in ("waiting", "cancelled", None):
        with pytest.raises(EventWorkflowError) as refused:
            attendance_allowed(status, NOW, EARLIER)
        assert str(refused.value) == wf.ATTENDANCE_ONLY_REGISTERED


def test_a_registration_whose_attendance_is_recorded_cannot_be_cancelled():
    from app.events.workflow import ATTENDED_NO_CANCEL, EventWorkflowError, cancellation_allowed

    cancellation_allowed("published", "registered", attended=False)
    with pytest.raises(EventWorkflowError, match="presenza"):
        cancellation_allowed("published", "registered", attended=True)
    assert "non si annulla" in ATTENDED_NO_CANCEL
