"""Questions and answers in communities and on practices (issue 12).

The routes are imported by create_app(), not here: models import this package's workflow module. Lower areas
(practices, communities, reuse, main, users, organizations) never import this package: they show what Q&A adds
through the slots of app/hooks.py, which app/qa/slots.py fills.
"""
from flask import Blueprint

bp = Blueprint("qa", __name__)
