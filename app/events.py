"""The texts of activity records and notifications, by verb; later areas add their verbs here.

Records keep a verb and parameters, never a sentence, so each reader sees them in their own language.
"""
from __future__ import annotations

from collections import defaultdict

from flask_babel import lazy_gettext as _l

ACTIVITY_TEXTS = {
    "community.created": _l("%(actor)s ha aperto la comunità"),
    "member.joined": _l("Nuova iscrizione: %(actor)s"),
    "member.left": _l("%(actor)s ha lasciato la comunità"),
    "facilitator.appointed": _l("%(object)s ora anima la comunità"),
    "practice.published": _l("%(actor)s ha pubblicato la buona pratica «%(object)s»"),
    "kit.published": _l("%(actor)s ha pubblicato una nuova versione del KIT: %(object)s"),
}

# What a visitor reads instead, where the sentence is about a person they may not know by name.
ANONYMOUS_ACTIVITY_TEXTS = {
    "member.joined": _l("Nuova iscrizione alla comunità"),
    "member.left": _l("Una persona ha lasciato la comunità"),
    "facilitator.appointed": _l("La comunità ha una nuova persona che la anima"),
}

NOTIFICATION_TEXTS = {
    "membership.requested": _l("%(actor)s chiede di entrare nella comunità %(community)s"),
    "membership.approved": _l("La tua richiesta di entrare nella comunità %(community)s è stata approvata"),
    "membership.rejected": _l("La tua richiesta di entrare nella comunità %(community)s non è stata accolta"),
    "membership.removed": _l("La tua iscrizione alla comunità %(community)s è stata revocata"),
    "facilitator.appointed": _l("Ora animi la comunità %(community)s"),
    "invitation.received": _l("%(actor)s ti invita nella comunità %(community)s"),
    "practice.moderated": _l("%(actor)s, che anima la comunità %(community)s, ha cambiato lo stato della "
                             "pratica «%(practice)s»"),
    "adoption.declared": _l("%(organization)s vuole riusare la pratica «%(practice)s»"),
    "adoption.start": _l("%(organization)s ha avviato il riuso della pratica «%(practice)s»"),
    "adoption.complete": _l("%(organization)s ha completato il riuso della pratica «%(practice)s»"),
    "adoption.abandon": _l("%(organization)s ha abbandonato il riuso della pratica «%(practice)s»"),
    "adoption.confirmed": _l("%(actor)s ha confermato il riuso della pratica «%(practice)s» da parte del tuo ente"),
    "deployment.recorded": _l("%(organization)s ha registrato il dispiegamento della pratica «%(practice)s»"),
    "codonor.invited": _l("%(actor)s ha invitato %(organization)s come co-cedente della pratica «%(practice)s»"),
    "codonor.asked": _l("%(actor)s chiede al tuo ente, %(organization)s, di diventare co-cedente della pratica "
                        "«%(practice)s»: accetta o rifiuta"),
    "codonor.accepted": _l("%(organization)s ha accettato di essere co-cedente della pratica «%(practice)s»"),
    "codonor.declined": _l("%(organization)s non ha accettato di essere co-cedente della pratica «%(practice)s»"),
    "offer.created": _l("%(organization)s offre i suoi servizi sulla pratica «%(practice)s»"),
    "support.opened": _l("%(organization)s chiede supporto sulla pratica «%(practice)s»: %(subject)s"),
    "support.message": _l("%(actor)s ha scritto nella richiesta «%(subject)s»"),
    "support.accept": _l("%(actor)s ha preso in carico la richiesta «%(subject)s»"),
    "support.resolve": _l("%(actor)s ha segnato come risolta la richiesta «%(subject)s»"),
    "support.close": _l("%(actor)s ha chiuso la richiesta «%(subject)s»"),
    "support.decline": _l("%(actor)s ha declinato la richiesta «%(subject)s»"),
    "support.reopen": _l("%(actor)s ha riaperto la richiesta «%(subject)s»"),
    "support.assigned": _l("%(actor)s ti ha assegnato la richiesta «%(subject)s»"),
}


def _fill(template, params: dict) -> str:
    # A missing parameter shows as nothing rather than breaking a page.
    return str(template) % defaultdict(str, params)


def activity_text(verb: str, anonymous: bool = False, **params) -> str:
    template = (anonymous and ANONYMOUS_ACTIVITY_TEXTS.get(verb)) or ACTIVITY_TEXTS.get(verb)
    return _fill(template, params) if template is not None else verb


def notification_text(verb: str, params: dict) -> str:
    template = NOTIFICATION_TEXTS.get(verb)
    return _fill(template, params) if template is not None else verb
