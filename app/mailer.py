"""Outgoing e-mail: rendered from templates in the recipient's language, sent through Flask-Mail."""
from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mail import Message

from app.extensions import mail


def send_email(to: str | list[str], subject: str, template: str, locale: str | None = None, **context) -> bool:
    """Render templates/email/<template>.txt and send it (written to the log in development); False if it failed."""
    recipients = [to] if isinstance(to, str) else list(to)
    if not recipients:
        return False
    with force_locale(locale or "it"):
        body = render_template(f"email/{template}.txt", **context)
        subject_text = str(subject)
    message = Message(subject=subject_text, recipients=recipients, body=body)
    try:
        mail.send(message)
    except OSError:
        # An unreachable SMTP server must not lose the person's action; the failure is logged for operators,
        # and callers that can (notifications) keep the message for a retry.
        current_app.logger.exception("Could not send e-mail %r to %s", subject_text, recipients)
        return False
    return True
