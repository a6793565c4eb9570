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
    # issue 12: questions and answers (object: the question's title)
    "question.asked": _l("%(actor)s ha fatto una domanda: «%(object)s»"),
    "question.answered": _l("%(actor)s ha risposto alla domanda «%(object)s»"),
    "question.solved": _l("La domanda «%(object)s» ha una risposta accettata"),
    "question.closed": _l("La domanda «%(object)s» è stata chiusa"),
    "question.reopened": _l("La domanda «%(object)s» è stata riaperta"),
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
    # issue 12: questions and answers (question: its title)
    "qa.question_new": _l("%(actor)s ha fatto una nuova domanda: «%(question)s»"),
    "qa.answer_new": _l("%(actor)s ha risposto alla domanda «%(question)s»"),
    "qa.answer_official": _l("Gli enti cedenti hanno risposto alla domanda «%(question)s»"),
    "qa.comment_new": _l("%(actor)s ha commentato nella domanda «%(question)s»"),
    "qa.answer_accepted": _l("La tua risposta alla domanda «%(question)s» è stata accettata da %(actor)s"),
    "qa.accepted_by_other": _l("%(actor)s ha accettato una risposta alla tua domanda «%(question)s»"),
    "qa.mention": _l("Hai ricevuto una menzione da %(actor)s nella domanda «%(question)s»"),
    "qa.closed_duplicate": _l("La domanda «%(question)s» è stata chiusa come duplicato di «%(original)s»"),
    "qa.choose_answer": _l("La domanda «%(question)s» aspetta da 7 giorni una risposta accettata: puoi sceglierla tu"),
    "qa.post_hidden": _l("Un tuo contenuto nella domanda «%(question)s» è stato nascosto dopo alcune segnalazioni"),
    "qa.post_restored": _l("Un tuo contenuto nella domanda «%(question)s» è di nuovo visibile"),
    "qa.post_deleted": _l("Un tuo contenuto nella domanda «%(question)s» è stato eliminato da chi anima la comunità"),
    "qa.review_needed": _l("Un contenuto nella domanda «%(question)s» è stato nascosto e aspetta il tuo esame"),
    "qa.support_escalated": _l("%(actor)s ha aperto una richiesta di supporto dalla domanda «%(question)s»"),
    "qa.publish_proposed": _l("%(actor)s propone di pubblicare la richiesta «%(subject)s» come domanda risolta: "
                              "sei d'accordo?"),
    "qa.publish_agreed": _l("La richiesta «%(subject)s» è stata pubblicata come domanda risolta"),
    "qa.publish_refused": _l("Chi ha chiesto supporto non vuole pubblicare la richiesta «%(subject)s» come domanda"),
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
