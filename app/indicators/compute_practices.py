"""Placeholder."""


def compute(ctx):
    return {}
