"""Attaches every KPI route to the blueprint and fills its slots (modules imported tolerantly while the area is
being built)."""
import importlib

from app.kpi import cli as _cli  # noqa: F401  (the `flask kpi` commands)
from app.kpi import filters as _filters  # noqa: F401  (the area's template filters)

for _name in ("routes_library", "routes_reference", "routes_proposals", "routes_review", "routes_adoptions",
              "routes_values", "routes_import", "routes_compare", "routes_exports", "routes_links", "routes_search",
              "slots_proposals", "slots_review", "slots_adoptions", "slots_compare", "slots_links"):
    try:
        importlib.import_module(f"app.kpi.{_name}")
    except ModuleNotFoundError as error:
        if error.name != f"app.kpi.{_name}":
            raise
