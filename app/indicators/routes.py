"""Attaches every indicators route to the blueprint and fills its slots (modules imported tolerantly while the
area is being built)."""
import importlib

for _name in ("routes_community", "routes_observatory", "routes_admin", "slots"):
    try:
        importlib.import_module(f"app.indicators.{_name}")
    except ModuleNotFoundError as error:
        if error.name != f"app.indicators.{_name}":
            raise
