"""CSV cells that spreadsheets read safely: one rule for every export (evaluation board, indicators, observatory)."""
from __future__ import annotations

from flask_babel import gettext as _

# A cell starting with one of these is run as a formula by spreadsheets (CSV injection): it gets a leading quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """Numbers as they are (floats to 4 decimals at most), yes/no in words, texts with a formula quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("sì") if value else _("no")
    if isinstance(value, float):
        return str(round(value, 4))
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
