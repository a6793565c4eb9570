"""Reported values of an adoption (issue 16): add, edit, delete one value; `store_value` is the shared check-and-add
the CSV import reuses.

store_value(adoption, period, value, numerator, denominator, status, source_note, source_url, actor) -> KpiValue
    Checks, then adds and flushes one KpiValue. It does NOT commit: the caller owns the transaction (one value in a
    form: `add_value` commits; a CSV file: the import commits once, or rolls back the whole file).
    `value`, `numerator`, `denominator` may be floats, None or texts ("12,5" and "12.5" both read; "" is None).
    `period` is any text: it is read with workflow.parse_period against the adopted version's frequency.
    Checks, in this order, each raising `ValueRefused` (a KpiWorkflowError) before anything is added:
      - the actor may write values of this adoption (active adoption, its organisation's people, administrators):
        field None, CANNOT_WRITE or ADOPTION_WITHDRAWN;
      - period: field "period", workflow.PERIOD_INVALID (params: example);
      - status provisional|final: field "status", STATUS_INVALID;
      - numbers: field "value" / "numerator" / "denominator", workflow.VALUE_NOT_A_NUMBER, NUMERATOR_ALONE,
        NOTHING_GIVEN, workflow.DENOMINATOR_ZERO (field "denominator"), workflow.RATIO_MISMATCH,
        workflow.VALUE_BELOW / VALUE_ABOVE (params: low, high — the version's unit and admitted range);
      - source_note ≤ 500 characters, source_url http/https ≤ 500: fields "source_note", "source_url",
        SOURCE_TOO_LONG, SOURCE_URL_INVALID;
      - a value for the same period already there: field "period", DUPLICATE_PERIOD (params: period).
    `error_text(error)` gives the translated, formatted Italian message of any of them.
"""
from __future__ import annotations

import math
import re
from datetime import date
from urllib.parse import urlsplit

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.kpi import access
from app.kpi.workflow import (DENOMINATOR_ZERO, PERIOD_INVALID, VALUE_NOT_A_NUMBER, KpiWorkflowError, ValueStatus,
                              check_value, parse_period, period_example, value_bounds)
from app.models import KpiAdoption, KpiValue
from app.models.base import utcnow


def N_(message: str) -> str:
    return message


CANNOT_WRITE = N_("Registrano i valori le persone dell'ente che ha adottato l'indicatore.")
ADOPTION_WITHDRAWN = N_("L'adozione è stata ritirata: non si registrano più valori.")
STATUS_INVALID = N_("Indicate se il valore è provvisorio o definitivo.")
NUMERATOR_ALONE = N_("Indicate sia il numeratore sia il denominatore, o nessuno dei due.")
NOTHING_GIVEN = N_("Indicate il valore, oppure numeratore e denominatore.")
SOURCE_TOO_LONG = N_("Al massimo 500 caratteri.")
SOURCE_URL_INVALID = N_("Indicate un indirizzo che inizia con http:// o https://.")
DUPLICATE_PERIOD = N_("Esiste già un valore per %(period)s: modificatelo.")
PERIOD_NOT_BEGUN = N_("Il periodo %(period)s non è ancora iniziato: non può avere un valore misurato.")
SOURCE_MAX = 500
NUMBER_MAX = 1e15  # beyond this a typed number is a mistake (and would not round-trip through every database)


class ValueRefused(KpiWorkflowError):
    """A value the rules refuse: the Italian msgid, the form field it belongs to, its parameters."""

    def __init__(self, message: str, field: str | None = None, **params) -> None:
        super().__init__(message)
        self.message, self.field, self.params = message, field, params


def error_text(error: Exception) -> str:
    """The translated message of a refusal: workflow msgids use {low}/{high}/{example}, ours %(name)s."""
    message = getattr(error, "message", None) or str(error)
    params = dict(getattr(error, "params", {}) or {})
    text = gettext(message)
    if "{" in text:
        return text.format_map(_Defaults(params))
    return text % params if params and "%(" in text else text


class _Defaults(dict):
    def __missing__(self, key: str) -> str:
        return "—"


def parse_number(raw, field: str) -> float | None:
    """A typed number ("12,5", "12.5", " 1000 ") as a float; "" and None as None; anything else refused."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueRefused(VALUE_NOT_A_NUMBER, field)
    if isinstance(raw, (int, float)):
        number = float(raw)
    else:
        text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            return None
        if "," in text and "." in text:  # "1.234,5" (Italian) or "1,234.5": the rightmost mark is the decimal one
            decimal = "," if text.rfind(",") > text.rfind(".") else "."
            integer, _, fraction = text.rpartition(decimal)
            thousands = "." if decimal == "," else ","
            if not re.fullmatch(rf"[+-]?\d{{1,3}}(\{thousands}\d{{3}})+", integer):  # "1.2,3.4" is no number
                raise ValueRefused(VALUE_NOT_A_NUMBER, field)
            text = integer.replace(thousands, "") + "." + fraction
        elif "," in text:
            text = text.replace(",", ".")  # "12,5"
        if len(text) > 40 or not all(ch in "0123456789.-+eE" for ch in text):
            raise ValueRefused(VALUE_NOT_A_NUMBER, field)
        try:
            number = float(text)
        except ValueError:
            raise ValueRefused(VALUE_NOT_A_NUMBER, field) from None
    if math.isnan(number) or math.isinf(number) or abs(number) > NUMBER_MAX:
        raise ValueRefused(VALUE_NOT_A_NUMBER, field)
    return number


def _format_bound(number: float | None) -> str:
    if number is None:
        return "—"
    from app.kpi.filters import kpi_number

    return kpi_number(number)


def checked_number(version, value, numerator=None, denominator=None,
                   field: str = "value") -> tuple[float, float | None, float | None]:
    """(value, numerator, denominator) checked against a version's unit and admitted range (targets too)."""
    value = parse_number(value, field)
    numerator = parse_number(numerator, "numerator")
    denominator = parse_number(denominator, "denominator")
    if (numerator is None) != (denominator is None):
        raise ValueRefused(NUMERATOR_ALONE, "numerator" if numerator is None else "denominator")
    if value is None and numerator is None:
        raise ValueRefused(NOTHING_GIVEN, field)
    low, high = value_bounds(version.unit, version.value_min, version.value_max)
    try:
        checked = check_value(value, version.unit, version.value_min, version.value_max, numerator, denominator)
    except KpiWorkflowError as refused:
        message = str(refused)
        where = "denominator" if message == DENOMINATOR_ZERO else field
        raise ValueRefused(message, where, low=_format_bound(low), high=_format_bound(high)) from None
    return checked, numerator, denominator


def checked_source(source_note, source_url) -> tuple[str, str]:
    note, url = (source_note or "").strip(), (source_url or "").strip()
    if len(note) > SOURCE_MAX:
        raise ValueRefused(SOURCE_TOO_LONG, "source_note")
    if url:
        parts = urlsplit(url)
        if (len(url) > SOURCE_MAX or parts.scheme.lower() not in ("http", "https") or not parts.netloc
                or any(ch.isspace() or ord(ch) < 32 for ch in url)):
            raise ValueRefused(SOURCE_URL_INVALID, "source_url")
    return note, url


def checked_status(status) -> str:
    if status not in (ValueStatus.PROVISIONAL, ValueStatus.FINAL):
        raise ValueRefused(STATUS_INVALID, "status")
    return str(status)


def checked_period(adoption: KpiAdoption, period) -> tuple[str, int]:
    """The canonical period and its year for the adopted version's frequency, or ValueRefused at "period"."""
    frequency = adoption.version.frequency
    try:
        label, year = parse_period(str(period or "")[:20], frequency)
    except KpiWorkflowError:
        raise ValueRefused(PERIOD_INVALID, "period", example=period_example(frequency)) from None
    if year > date.today().year:  # a typo (2052 for 2025) would otherwise sit in every comparison
        raise ValueRefused(PERIOD_NOT_BEGUN, "period", period=label)
    return label, year


def _check_writer(adoption: KpiAdoption, actor) -> None:
    if not adoption.active:
        raise ValueRefused(ADOPTION_WITHDRAWN)
    if actor is None or not access.can_write_values(actor, adoption):
        raise ValueRefused(CANNOT_WRITE)


def _period_taken(adoption: KpiAdoption, period: str, except_id: int | None = None) -> bool:
    query = select(KpiValue.id).where(KpiValue.adoption_id == adoption.id, KpiValue.period == period)
    if except_id is not None:
        query = query.where(KpiValue.id != except_id)
    return db.session.scalar(query) is not None


def store_value(adoption: KpiAdoption, period, value, numerator, denominator, status, source_note, source_url,
                actor) -> KpiValue:
    """Check and add one value (flushed, not committed); ValueRefused (a KpiWorkflowError) before adding anything."""
    _check_writer(adoption, actor)
    label, year = checked_period(adoption, period)
    status = checked_status(status)
    checked, numerator, denominator = checked_number(adoption.version, value, numerator, denominator)
    note, url = checked_source(source_note, source_url)
    if _period_taken(adoption, label):
        raise ValueRefused(DUPLICATE_PERIOD, "period", period=label)
    now = utcnow()
    row = KpiValue(adoption_id=adoption.id, period=label, year=year, value=checked, numerator=numerator,
                   denominator=denominator, status=status, source_note=note, source_url=url,
                   reported_by_id=actor.id, reported_at=now, updated_at=now)
    db.session.add(row)
    db.session.flush()
    return row


# ---- the services of the value form (each one transaction) ---------------------------------------------------

def _commit_or_duplicate(label: str) -> None:
    """Commit; two people saving the same period at once meet the unique constraint: the later one is told."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ValueRefused(DUPLICATE_PERIOD, "period", period=label) from None


def add_value(adoption: KpiAdoption, actor, period, value, numerator, denominator, status, source_note="",
              source_url="") -> KpiValue:
    """Record a value from the form: one transaction, nothing saved when refused."""
    try:
        row = store_value(adoption, period, value, numerator, denominator, status, source_note, source_url, actor)
        label = row.period
    except KpiWorkflowError:
        db.session.rollback()
        raise
    except IntegrityError:  # the twin was saved between the check and store_value's flush
        db.session.rollback()
        raise ValueRefused(DUPLICATE_PERIOD, "period", period=checked_period(adoption, period)[0]) from None
    _commit_or_duplicate(label)
    return row


def edit_value(row: KpiValue, actor, period, value, numerator, denominator, status, source_note="",
               source_url="") -> KpiValue:
    """Correct a value (period, numbers, status, source): the same checks as a new one, all or nothing."""
    adoption = row.adoption
    try:
        _check_writer(adoption, actor)
        label, year = checked_period(adoption, period)
        status = checked_status(status)
        checked, numerator, denominator = checked_number(adoption.version, value, numerator, denominator)
        note, url = checked_source(source_note, source_url)
        if _period_taken(adoption, label, except_id=row.id):
            raise ValueRefused(DUPLICATE_PERIOD, "period", period=label)
    except KpiWorkflowError:
        db.session.rollback()
        raise
    row.period, row.year, row.value, row.numerator, row.denominator = label, year, checked, numerator, denominator
    row.status, row.source_note, row.source_url, row.updated_at = status, note, url, utcnow()
    _commit_or_duplicate(label)
    return row


def delete_value(row: KpiValue, actor) -> None:
    """Remove a value reported by mistake (the adopting organisation's people)."""
    try:
        _check_writer(row.adoption, actor)
    except KpiWorkflowError:
        db.session.rollback()
        raise
    db.session.delete(row)
    db.session.commit()
