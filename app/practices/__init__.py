"""Good practices and their reuse kits: archive, practice pages, kit versions.

The routes are imported by create_app(), not here: models import this package's workflow module.
"""
from flask import Blueprint

bp = Blueprint("practices", __name__)
