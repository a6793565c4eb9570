"""Attaches every evaluation route to the blueprint, fills the slots and gives templates `eperm` (access.py)."""
from app.evaluation import access, bp
from app.evaluation import (routes_board, routes_calls, routes_candidacies, routes_commission,  # noqa: F401
                            routes_conflicts, routes_decisions, routes_reviews, routes_self, slots)


@bp.record_once
def _template_globals(state) -> None:
    state.app.jinja_env.globals["eperm"] = access
