"""Template filters and globals of the KPI library, shared by every page of the area (issue 16)."""
from __future__ import annotations

from flask_babel import format_decimal, get_locale

from app.kpi import access, bp
from app.kpi.labels import (FORMULA_LABELS, FREQUENCY_LABELS, LEVEL_LABELS, PLAN_LABELS, POLARITY_LABELS,
                            STATUS_LABELS, TYPOLOGY_LABELS, UNIT_LABELS, UNIT_SUFFIXES, VALUE_STATUS_LABELS,
                            term_label)

bp.add_app_template_global(access, "kpi_access")


def _label(table: dict, code) -> str:
    return str(table.get(code, code or ""))


@bp.app_template_filter()
def kpi_status(code: str) -> str:
    return _label(STATUS_LABELS, code)


@bp.app_template_filter()
def kpi_unit(code: str) -> str:
    return _label(UNIT_LABELS, code)


@bp.app_template_filter()
def kpi_polarity(code: str) -> str:
    return _label(POLARITY_LABELS, code)


@bp.app_template_filter()
def kpi_level(code: str) -> str:
    return _label(LEVEL_LABELS, code)


@bp.app_template_filter()
def kpi_frequency(code: str) -> str:
    return _label(FREQUENCY_LABELS, code)


@bp.app_template_filter()
def kpi_typology(code: str) -> str:
    return _label(TYPOLOGY_LABELS, code)


@bp.app_template_filter()
def kpi_formula(code: str) -> str:
    return _label(FORMULA_LABELS, code)


@bp.app_template_filter()
def kpi_plan(code: str) -> str:
    return _label(PLAN_LABELS, code)


@bp.app_template_filter()
def kpi_value_status(code: str) -> str:
    return _label(VALUE_STATUS_LABELS, code)


@bp.app_template_filter()
def kpi_term(term) -> str:
    """A reference term in the reader's language: "01 · Servizi istituzionali …"."""
    if term is None:
        return ""
    locale = str(get_locale() or "it")[:2]
    return f"{term.code} · {term_label(term, locale)}"


@bp.app_template_filter()
def kpi_number(value, unit: str | None = None, digits: int = 2) -> str:
    """A number in the reader's locale, with the unit's short form ("31,5 gg", "45 %"); "—" for None."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    text = format_decimal(round(float(value), digits), format=pattern)
    suffix = str(UNIT_SUFFIXES.get(unit, "")) if unit else ""
    if suffix == "€":
        return f"{text} €"
    return f"{text} {suffix}".strip()
