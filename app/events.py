"""The texts of activity records and notifications, by verb; later areas add their verbs here.

Records keep a verb and parameters, never a sentence, so each reader sees them in their own language.
"""
from __future__ import annotations

from collections import defaultdict

from flask_babel import lazy_gettext as _l

ACTIVITY_TEXTS = {
    "community.created": _l("%(actor)s ha aperto la comunità"),
    "member.joined": _l("%(actor)s è entrato nella comunità"),
    "member.left": _l("%(actor)s ha lasciato la comunità"),
    "facilitator.appointed": _l("%(object)s è ora animatore della comunità"),
    "practice.published": _l("%(actor)s ha pubblicato la buona pratica «%(object)s»"),
    "kit.published": _l("%(actor)s ha pubblicato una nuova versione del KIT: %(object)s"),
}

NOTIFICATION_TEXTS = {
    "membership.requested": _l("%(actor)s chiede di entrare nella comunità %(community)s"),
    "membership.approved": _l("La tua richiesta di entrare nella comunità %(community)s è stata approvata"),
    "membership.rejected": _l("La tua richiesta di entrare nella comunità %(community)s non è stata accolta"),
    "membership.removed": _l("Sei stato rimosso dalla comunità %(community)s"),
    "facilitator.appointed": _l("Ora sei animatore della comunità %(community)s"),
    "invitation.received": _l("%(actor)s ti invita nella comunità %(community)s"),
    "practice.moderated": _l("%(actor)s, animatore della comunità %(community)s, è intervenuto sulla pratica "
                             "«%(practice)s»"),
}


def _fill(template, params: dict) -> str:
    # A missing parameter shows as nothing rather than breaking a page.
    return str(template) % defaultdict(str, params)


def activity_text(verb: str, **params) -> str:
    template = ACTIVITY_TEXTS.get(verb)
    return _fill(template, params) if template is not None else verb


def notification_text(verb: str, params: dict) -> str:
    template = NOTIFICATION_TEXTS.get(verb)
    return _fill(template, params) if template is not None else verb
