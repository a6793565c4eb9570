"""Every interface text has its English translation, and the extraction sees every template."""
from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
METHODS = [("app/**.py", "python"), ("app/templates/**.html", "jinja2"), ("app/templates/**.txt", "jinja2")]
OPTIONS = {"app/templates/**.html": {"extensions": "jinja2.ext.do", "silent": "false"},
           "app/templates/**.txt": {"extensions": "jinja2.ext.do", "silent": "false"}}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "N_": None, "lazy_gettext": None}


def test_every_message_is_translated_into_english():
    found = {message for _file, _line, message, _comments, _context in
             extract_from_dir(str(ROOT), METHODS, options_map=OPTIONS, keywords=KEYWORDS)
             if not str(_file).startswith(".venv")}
    ids = {m if isinstance(m, str) else m[0] for m in found}
    with open(ROOT / "app/translations/en/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle)
    translated = {(m.id if isinstance(m.id, str) else m.id[0]) for m in catalog
                  if m.id and m.string and (isinstance(m.string, str) or all(m.string))}
    assert len(ids) > 500  # the templates were read, not skipped
    assert sorted(ids - translated) == []
