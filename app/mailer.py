"""Outgoing e-mail: rendered from templates in the recipient's language, sent through Flask-Mail."""
from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mail import Message

from app.extensions import mail
from app.forms import clean_line


def send_email(to: str | list[str], subject: str, template: str, locale: str | None = None, **context) -> bool:
    """Render templates/email/<template>.txt and send it (written to the log in development); False if it failed."""
    recipients = [to] if isinstance(to, str) else list(to)
    if not recipients:
        return False
    subject_text = ""
    try:
        with force_locale(locale or "it"):
            # A subject is one header line: a name or title with a line break in it (saved before the fix, or
            # imported) would make the e-mail invalid.
            subject_text = clean_line(str(subject))
            body = render_template(f"email/{template}.txt", **context)
        mail.send(Message(subject=subject_text, recipients=recipients, body=body))
    except Exception:  # noqa: BLE001 — whatever fails, the person's action is saved and other e-mails go on
        # An unreachable SMTP server or a malformed message must not lose the person's action, nor stop the
        # e-mails after it; the failure is logged for operators, and callers that can (notifications) keep the
        # message for a retry.
        current_app.logger.exception("Could not send e-mail %r to %s", subject_text, recipients)
        return False
    return True
