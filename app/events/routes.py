"""Attaches every event route to the blueprint and fills its slots (modules imported tolerantly while the area is
being built)."""
import importlib

for _name in ("routes_events", "routes_agenda", "routes_registrations", "routes_closing", "routes_calendar",
              "slots_registrations", "slots_closing", "slots_calendar"):
    try:
        importlib.import_module(f"app.events.{_name}")
    except ModuleNotFoundError as error:
        if error.name != f"app.events.{_name}":
            raise
