"""Placeholder: filled by its helper."""
from __future__ import annotations


def compute(ctx, community_ids):
    return {}
