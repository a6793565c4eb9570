"""Reuse: adoptions of practices by other organisations, their support requests to the donors, supplier offers.

The routes are imported by create_app(), not here: models import this package's workflow module.
"""
from flask import Blueprint

bp = Blueprint("reuse", __name__)
