"""Community indicators, maturity stages and the reuse observatory (issue 14).

Computed by `flask indicators compute` into snapshot tables (app/indicators/compute.py); pages read the snapshots
only. Lower areas never import this package: its tab, the practice trend and the dashboard links go through the
slots of app/hooks.py.
"""
from flask import Blueprint

bp = Blueprint("indicators", __name__)
