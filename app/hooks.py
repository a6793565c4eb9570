"""Slots: places in a lower area's pages that a higher area fills, so imports only go downwards.

A practice page has a "practice.discussion" slot; the Q&A area registers what goes there. A slot renders every
contribution registered for it, in order; with none registered it renders nothing. Templates call
`slot("name", **context)`; Python code calls `contributions("name", **context)` for data.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from markupsafe import Markup

_SLOTS: dict[str, list[Callable]] = defaultdict(list)


def contribute(name: str):
    """Decorator: register a function as a contribution to the slot `name` (once, whatever the import count)."""
    def register(function: Callable) -> Callable:
        key = (function.__module__, function.__qualname__)
        if all((each.__module__, each.__qualname__) != key for each in _SLOTS[name]):
            _SLOTS[name].append(function)
        return function
    return register


def contributions(name: str, **context) -> list:
    """What each contribution to the slot returns (those returning None are left out)."""
    return [value for function in _SLOTS.get(name, ()) if (value := function(**context)) is not None]


def render_slot(name: str, **context) -> Markup:
    """The HTML of every contribution to a slot, joined (each returns markup already escaped)."""
    return Markup("").join(Markup(value) for value in contributions(name, **context))


def has_slot(name: str) -> bool:
    return bool(_SLOTS.get(name))
