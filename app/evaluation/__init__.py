"""The evaluation of good practices (issue 13): calls, the commission, self-candidacies, reviews, decisions and
recognitions, and the organisation's private self-assessment.

Routes are imported by create_app(), not here: models import this package's workflow module. Lower areas never
import this package; the badge of a recognised practice is written onto the practice (Practice.recognitions), and
what this area adds to their pages goes through the slots of app/hooks.py (app/evaluation/slots.py).
"""
from flask import Blueprint

bp = Blueprint("evaluation", __name__)
