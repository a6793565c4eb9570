"""Recognition everywhere (issue 13, point 9): a published recognition is written onto the practice
(Practice.recognitions, Practice.recognised), which the archive, search, the home page and the publiccode.yml export
read without importing this area.

Reindexing: changing the practice's columns is enough — the search queue's after_flush hook (app/search/queue.py)
adds a SearchPending row for a modified practice in the same transaction, and the writer refreshes its document
(field "recognised": "yes"). The list is always replaced, never mutated in place, so the change is seen.
"""
from __future__ import annotations

from app.evaluation.workflow import RECOGNISING


def entry(call, outcome: str) -> dict:
    """What the practice keeps of a recognition: the badge's data."""
    return {"call": call.slug, "title": call.title, "year": call.year, "outcome": str(outcome)}


def add(practice, call, outcome: str) -> None:
    """Record (or update) the call's recognition on the practice; the caller commits."""
    if outcome not in RECOGNISING:
        return
    kept = [dict(each) for each in (practice.recognitions or []) if each.get("call") != call.slug]
    kept.append(entry(call, outcome))
    kept.sort(key=lambda each: (-(each.get("year") or 0), each.get("title") or ""))
    practice.recognitions = kept
    practice.recognised = True


def remove(practice, call) -> None:
    """Forget the call's recognition on the practice (if a call's decisions were ever withdrawn); caller commits."""
    kept = [dict(each) for each in (practice.recognitions or []) if each.get("call") != call.slug]
    practice.recognitions = kept
    practice.recognised = bool(kept)
