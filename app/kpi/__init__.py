"""The library of public-value KPIs by budget mission (issue 16): reference taxonomies, definitions proposed in
communities and programmes, reviewed and published with versions, adopted by administrations with baseline and
targets, their values, comparison with peers, the practices that improve them, exports.

Lower areas never import this package; their pages get KPI boxes through the slots of app/hooks.py.
"""
from flask import Blueprint

bp = Blueprint("kpi", __name__)
