"""Attaches every programme and call route to the blueprint and fills its slots (modules imported tolerantly while
the area is being built)."""
import importlib

for _name in ("routes_programmes", "routes_calls", "routes_candidacies", "routes_review", "slots_candidacies",
              "slots_review"):
    try:
        importlib.import_module(f"app.calls.{_name}")
    except ModuleNotFoundError as error:
        if error.name != f"app.calls.{_name}":
            raise
