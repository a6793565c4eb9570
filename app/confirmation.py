"""Destructive actions ask first: with htmx a dialog (hx-confirm) sending `confirmed=1`; without JavaScript a page."""
from __future__ import annotations

from flask import render_template, request


def confirmed() -> bool:
    """Whether the person already said yes to this POST (the dialog or the confirmation page)."""
    return request.form.get("confirmed") == "1"


def confirmation_page(question: str, button: str, cancel_url: str, detail: str = "") -> tuple[str, int]:
    """The same POST once more, carrying what the person filled in, after a clear question and a way back."""
    fields = [(name, value) for name, values in request.form.lists() if name not in ("csrf_token", "confirmed")
              for value in values]
    return render_template("confirm.html", question=question, button=button, detail=detail, action=request.path,
                           fields=fields, cancel_url=cancel_url), 200
