"""The project's base form: every text a person types is cleaned before it is validated or saved.

Every form of the application derives from `app.forms.FlaskForm` (a test checks it), so no form has to remember:
- a single-line field (name, title, subject, e-mail, URL, search...) loses line breaks, tabs, NUL and every other
  control or format character (zero-width characters, direction overrides) — a newline reaching an e-mail subject
  breaks the e-mail, an invisible or reversed title deceives readers;
- a multi-line field (a Markdown body) keeps its line breaks but loses the other control characters and the
  direction overrides;
- a text with nothing visible left becomes empty, so that a required field says so at the field.
Passwords are never altered.
"""
from __future__ import annotations

import unicodedata

from flask_wtf import FlaskForm as _FlaskForm
from wtforms import PasswordField, StringField, TextAreaField

# Letters that are drawn as blank space (Hangul fillers, the blank braille pattern): not visible text.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Bidirectional embeddings, overrides and isolates reorder how the text around them is displayed ("Trojan Source").
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Categories of characters that stand for something visible (letters, digits, punctuation, symbols).
VISIBLE_CATEGORIES = frozenset("LNPS")


def has_visible_text(value: str) -> bool:
    return any(unicodedata.category(ch)[0] in VISIBLE_CATEGORIES and ch not in BLANK_LETTERS for ch in value)


def clean_line(value):
    """One line of visible text: breaks and other spacing become one space, control and format characters go,
    the ends are trimmed; "" when nothing visible is left. Non-text values pass through unchanged."""
    if not isinstance(value, str):
        return value
    kept = []
    for ch in value:
        category = unicodedata.category(ch)
        if ch.isspace() or category[0] == "Z" or ch in BLANK_LETTERS:
            kept.append(" ")
        elif category not in ("Cc", "Cf", "Cs"):
            kept.append(ch)
    text = " ".join("".join(kept).split())
    return text if has_visible_text(text) else ""


def clean_text(value):
    """Multi-line text: line breaks (any convention) become "\\n" and tabs stay; other control characters and
    direction overrides go; "" when nothing visible is left."""
    if not isinstance(value, str):
        return value
    text = value.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = "".join(ch for ch in text if ch in "\n\t" or (unicodedata.category(ch) not in ("Cc", "Cs")
                                                          and ch not in BIDI_CONTROLS))
    return text if has_visible_text(text) else ""


def cleaner_for(field_class):
    """The cleaning filter of a field class, or None for fields that hold no free text (or a password)."""
    if issubclass(field_class, TextAreaField):
        return clean_text
    if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
        return clean_line
    return None


class FlaskForm(_FlaskForm):
    """Flask-WTF's form (CSRF included) whose text fields are cleaned first, before any other filter."""

    class Meta(_FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            cleaner = cleaner_for(unbound_field.field_class)
            if cleaner is not None:
                options = {**options, "filters": [cleaner, *unbound_field.kwargs.get("filters", ())]}
            return super().bind_field(form, unbound_field, options)
