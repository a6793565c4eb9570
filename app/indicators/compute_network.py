"""Placeholder."""


def compute(ctx, stored):
    return {}
