"""Readable, unique slugs for URLs."""
from __future__ import annotations

from slugify import slugify
from sqlalchemy import select

from app.extensions import db


def unique_slug(model, text: str, *, fallback: str, max_length: int, exclude_id: int | None = None) -> str:
    """slugify(text), with -2, -3 … appended until no other row of `model` uses it."""
    base = slugify(text, max_length=max_length) or fallback
    candidate, n = base, 2
    while True:
        query = select(model.id).where(model.slug == candidate)
        if exclude_id is not None:
            query = query.where(model.id != exclude_id)
        if db.session.execute(query).first() is None:
            return candidate
        candidate, n = f"{base}-{n}", n + 1
