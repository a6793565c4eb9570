"""Communities of practice: directory, home, membership, facilitators' tools.

The routes are imported by create_app(), not here: models import this package's workflow module.
"""
from flask import Blueprint

bp = Blueprint("communities", __name__)
