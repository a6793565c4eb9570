"""Events — round tables, Innovation Labs, workshops, webinars, plenaries: agenda, registrations with seats and a
waiting list, attendance, closing with report and materials, calendars (issue 15).

May use programmes (app/calls/), communities, practices and organisations; nothing lower imports it: its boxes on
practice, community, home and dashboard pages go through the slots of app/hooks.py.
"""
from flask import Blueprint

bp = Blueprint("events", __name__)
