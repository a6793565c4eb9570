"""The administrators' form for a stage condition, and how a threshold reads in its indicator's unit (a share is
typed and shown as a percentage, stored from 0 to 1)."""
from __future__ import annotations

import math
import re

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.forms import FlaskForm
from app.indicators.thresholds import NOTE_MAX

NUMBER = re.compile(r"[+-]?[0-9]{1,9}([.,][0-9]{1,6})?")
WHOLE = re.compile(r"[+-]?[0-9]{1,9}")

# What follows a threshold on the page, by unit (a share is shown as a percentage).
UNIT_SUFFIX = {
    "share": "%", "working_hours": _l("ore lavorative"), "working_days": _l("giorni lavorativi"),
    "days": _l("giorni"),
}
UNIT_HELP = {
    "share": _l("In percentuale, da 0 a 100 (per esempio 70 o 62,5)."),
    "count": _l("Un numero intero, 0 o più."),
    "factor": _l("Un numero intero, 0 o più."),
    "flag": _l("1 (sì) o 0 (no)."),
    "ratio": _l("Un numero, 0 o più (per esempio 0,8)."),
    "working_hours": _l("In ore lavorative, 0 o più."),
    "working_days": _l("In giorni lavorativi, 0 o più."),
    "days": _l("In giorni di calendario, 0 o più."),
}
OPERATOR_WORDS = {">=": _l("almeno"), "<=": _l("al massimo")}


def parse_number(text: str | None) -> float | None:
    """A decimal number typed the Italian way ("62,5") or the other ("62.5"); None when it is not one."""
    text = (text or "").strip().replace(" ", "")
    if not NUMBER.fullmatch(text):
        return None
    value = float(text.replace(",", "."))
    return value if math.isfinite(value) else None


def shown_number(unit: str, value: float | None) -> str:
    """The threshold as typed in the form: a share as a percentage, without needless decimals."""
    if value is None:
        return ""
    return format_decimal(round(value * 100 if unit == "share" else value, 4), format="0.####")


def shown_threshold(unit: str, value: float | None) -> str:
    """The threshold as read on the page, with its unit."""
    if value is None:
        return ""
    if unit == "flag":
        return str(_l("sì")) if value >= 1 else str(_l("no"))
    suffix = UNIT_SUFFIX.get(unit)
    number = shown_number(unit, value)
    return f"{number} {suffix}" if suffix else number


def _number(form, field) -> None:
    if parse_number(field.data) is None:
        raise ValidationError(_l("Scrivi un numero, per esempio 70 o 0,5."))


def _whole(form, field) -> None:
    if field.data and not WHOLE.fullmatch(field.data.strip()):
        raise ValidationError(_l("Scrivi un numero intero, o lascia vuoto."))


class ConditionForm(FlaskForm):
    """A condition's new threshold (in the indicator's unit) and minimum of counted items, with the reason."""

    threshold = StringField(_l("Soglia"), validators=[DataRequired(message=_l("Scrivi la soglia.")), _number])
    min_n = StringField(_l("Minimo di elementi contati"), validators=[Optional(), _whole],
                        description=_l("Vuoto: nessun minimo oltre a quello dell'indicatore."))
    note = TextAreaField(_l("Motivo della modifica"), validators=[
        DataRequired(message=_l("Scrivi il motivo della modifica: resta nel registro.")),
        Length(max=NOTE_MAX, message=_l("Il motivo può avere al massimo %(max)d caratteri.", max=NOTE_MAX))])

    @classmethod
    def for_condition(cls, condition, unit: str) -> ConditionForm:
        """The form filled with the condition as it is now (no request data read)."""
        return cls(formdata=None, data={"threshold": shown_number(unit, condition.threshold),
                                        "min_n": "" if condition.min_n is None else str(condition.min_n)})

    def threshold_value(self, unit: str) -> float:
        """The threshold in the stored unit: a percentage becomes a share from 0 to 1."""
        value = parse_number(self.threshold.data)
        return round(value / 100, 6) if unit == "share" else value

    def min_n_value(self) -> int | None:
        text = (self.min_n.data or "").strip()
        return int(text) if text else None
