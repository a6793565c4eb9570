"""Programmes and their calls for expression of interest: candidacies of administrations, their selection within
quotas, the programme's participants (issue 15).

Lower areas never import this package; the events area (app/events/) may. Pages of lower areas get their boxes
through the slots of app/hooks.py.
"""
from flask import Blueprint

bp = Blueprint("calls", __name__)
