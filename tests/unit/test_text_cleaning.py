"""Issue 11, points 21 and 31: what every text field of every form keeps of what a person typed."""
from __future__ import annotations

import importlib
import pkgutil

import flask_wtf
import pytest
from wtforms import EmailField, HiddenField, PasswordField, SearchField, StringField, TextAreaField, URLField

import app as app_package
from app.forms import FlaskForm, clean_line, clean_text


@pytest.mark.parametrize("typed, kept", [
    ("Mario\nRossi", "Mario Rossi"),
    ("Mario\r\nRossi\t", "Mario Rossi"),
    ("Ma\x00rio\x07 Rossi\x1b", "Mario Rossi"),
    ("  Comune   di\u00a0Chieri ", "Comune di Chieri"),
    ("Gare\u2028telematiche", "Gare telematiche"),
    ("Sportello\u200b unico\ufeff", "Sportello unico"),
    ("\u202eacitarp anoub\u202c", "acitarp anoub"),  # the override goes, the letters stay in typing order
    ("Àççènti e emoji 👍", "Àççènti e emoji 👍"),
    ("", ""),
    (None, None),
])
def test_a_single_line_keeps_visible_text_on_one_line(typed, kept):
    assert clean_line(typed) == kept


@pytest.mark.parametrize("typed", [
    "\u200b\u200c\u200d", "\u202e\u202d\u2066", "\x00\x00", "\ufeff \u2060", "\u3164\u3164", "\u2800", "\u0301\u0301",
    " \n\t ",
])
def test_a_single_line_with_nothing_visible_becomes_empty(typed):
    assert clean_line(typed) == ""


def test_a_body_keeps_its_lines_and_markdown_but_loses_control_characters():
    typed = "# Titolo\r\n\r\n- uno\x00\n- due\x1b\n\n    codice\t rientrato\u202e\n"
    assert clean_text(typed) == "# Titolo\n\n- uno\n- due\n\n    codice\t rientrato\n"
    assert clean_text("\u200b\n\x00\n") == ""  # nothing visible: a required body says so at its field


def every_form_class() -> list[type]:
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        if module.name.endswith((".forms", ".routes")) or module.name == "app.web":
            importlib.import_module(module.name)
    found, pending = [], [flask_wtf.FlaskForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("app.") and cls is not FlaskForm:
            found.append(cls)
    return found


def test_every_form_of_the_application_cleans_its_text_fields():
    forms = every_form_class()
    assert len(forms) > 20
    outside = [f"{cls.__module__}.{cls.__name__}" for cls in forms if not issubclass(cls, FlaskForm)]
    assert outside == [], "forms must derive from app.forms.FlaskForm"


@pytest.mark.parametrize("field_class, cleaner", [
    (StringField, clean_line), (EmailField, clean_line), (URLField, clean_line), (SearchField, clean_line),
    (HiddenField, clean_line), (TextAreaField, clean_text), (PasswordField, None),
])
def test_each_kind_of_text_field_gets_its_cleaning_first(app, field_class, cleaner):
    class Sample(FlaskForm):
        text = field_class("Testo", filters=[str.upper])

    with app.test_request_context(method="POST", data={"text": " a\x00b\n"}):
        form = Sample(meta={"csrf": False})
        assert form.text.filters[0] is cleaner if cleaner else list(form.text.filters) == [str.upper]
        expected = {clean_line: "AB", clean_text: " AB\n", None: " A\x00B\n"}[cleaner]
        assert form.text.data == expected
