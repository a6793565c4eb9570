"""Attaches every KPI route to the blueprint and fills its slots (modules imported tolerantly while the area is
being built)."""
import importlib

from app.kpi import cli as _cli  # noqa: F401  (the `flask kpi` commands)

for _name in ("routes_library", "routes_reference", "routes_proposals", "routes_review", "routes_adoptions",
              "routes_values", "routes_compare", "routes_exports", "routes_links", "slots"):
    try:
        importlib.import_module(f"app.kpi.{_name}")
    except ModuleNotFoundError as error:
        if error.name != f"app.kpi.{_name}":
            raise
