"""What reviewing adds to a KPI's page (app/hooks.py slot `kpi.definition.actions`): the workflow buttons the reader
may press and the link to edit it (or write a new version). The reviewers' last note is in the page's header."""
from __future__ import annotations

from flask import get_template_attribute, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from app import permissions
from app.hooks import contribute
from app.kpi import access
from app.kpi.labels import ACTION_LABELS
from app.kpi.review import MOVES_WITH_NOTE
from app.kpi.workflow import DefinitionAction, DefinitionStatus
from app.web import EmptyForm

# Withdrawing cannot be undone: it goes through its confirmation page like the moves with a note.
ASK_FIRST = (*MOVES_WITH_NOTE, DefinitionAction.WITHDRAW)


def _edit_link(definition) -> tuple[str, str] | None:
    if not access.can_edit_definition(current_user, definition):
        return None
    label = _l("Nuova versione") if definition.status == DefinitionStatus.PUBLISHED else _l("Modifica")
    return url_for("kpi.edit", slug=definition.slug), str(label)


@contribute("kpi.definition.actions")
def definition_actions(definition, **_context):
    if not permissions.is_signed_in(current_user) or not access.can_view_definition(current_user, definition):
        return None
    actions = access.actions_for(current_user, definition)
    edit = _edit_link(definition)
    if not (actions or edit):
        return None
    buttons = [dict(action=action, label=str(ACTION_LABELS[action]), asks_first=action in ASK_FIRST,
                    url=url_for("kpi.move", slug=definition.slug, action=action)) for action in actions]
    return Markup(get_template_attribute("kpi/_actions.html", "actions_box")(
        definition, buttons, edit, EmptyForm(formdata=None)))
