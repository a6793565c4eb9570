"""Every Q&A route module, imported once by create_app(); each attaches its routes to the blueprint (the slots
modules fill the slots of app/hooks.py)."""
from app.qa import (routes_actions, routes_bridges, routes_lists, routes_moderation, routes_posting,  # noqa: F401
                    routes_similar, slots, slots_bridges)
