"""How a stored figure reads on the page: its value by unit, the counts it is made of, its window, its trend.

Snapshots hold {"value", "num", "den", "insufficient"} per code (app/indicators/figures.py); nothing here queries the
database. "dati insufficienti" is shown instead of any value when too few items were counted — never 0 % or 100 %.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from app.indicators.definitions import GROUPS, INDICATORS, STAGES, Indicator

UNIT_WORDS = {"working_hours": ("%(value)s ora lavorativa", "%(value)s ore lavorative"),
              "working_days": ("%(value)s giorno lavorativo", "%(value)s giorni lavorativi"),
              "days": ("%(value)s giorno", "%(value)s giorni")}
# What the drill-down lists, as a counted noun ("su 21 domande").
KIND_WORDS = {"question": ("%(num)d domanda", "%(num)d domande"),
              "request": ("%(num)d richiesta", "%(num)d richieste"),
              "user": ("%(num)d persona", "%(num)d persone"),
              "organization": ("%(num)d amministrazione", "%(num)d amministrazioni"),
              "practice": ("%(num)d pratica", "%(num)d pratiche"),
              "adoption": ("%(num)d riuso", "%(num)d riusi")}
# Counted items the reader may not see, after the visible ones.
HIDDEN_WORDS = {"request": ("un'altra richiesta non visibile a te", "altre %(num)d richieste non visibili a te"),
                "question": ("un'altra domanda non visibile a te", "altre %(num)d domande non visibili a te")}


def number(value: float, digits: int = 1) -> str:
    """A number in the reader's language: 2,5 · 12 · 1.234."""
    rounded = round(float(value), digits)
    return format_decimal(rounded, format="#,##0" + ("." + "#" * digits if digits else ""))


def percent(value: float) -> str:
    """A share as "62 %"; never a rounded "0 %" or "100 %" for a share that is neither."""
    if 0 < value < 0.005:
        return _("meno dell'1 %")
    if 0.995 <= value < 1:
        return _("più del 99 %")
    return _("%(percent)s %%", percent=number(value * 100, 0))


def value_text(indicator: Indicator, figure: dict | None) -> str:
    """The figure's value as people read it, by the indicator's unit."""
    if not figure or figure.get("insufficient") or figure.get("value") is None:
        return _("dati insufficienti") if figure and figure.get("insufficient") else _("non calcolato")
    value = figure["value"]
    unit = indicator.unit
    if unit == "share":
        return percent(value)
    if unit in UNIT_WORDS:
        singular, plural = UNIT_WORDS[unit]
        return ngettext(singular, plural, 1 if round(value, 1) == 1 else 2, value=number(value))
    if unit == "ratio":
        return number(value, 2)
    if unit == "flag":
        return _("sì") if value >= 1 else _("no")
    return number(value, 0)


def counted(kind: str | None, amount: int) -> str:
    if kind in KIND_WORDS:
        return ngettext(*KIND_WORDS[kind], amount)
    return ngettext("%(num)d elemento", "%(num)d elementi", amount)


def hidden_text(kind: str | None, amount: int) -> str:
    """"altre 3 richieste non visibili a te"."""
    singular, plural = HIDDEN_WORDS.get(kind, ("un altro elemento non visibile a te",
                                               "altri %(num)d elementi non visibili a te"))
    return ngettext(singular, plural, amount)


def parts_text(indicator: Indicator, figure: dict | None) -> str:
    """The counts beside the value: "13 su 21" for a share, "su 21 domande" for a median."""
    if not figure:
        return ""
    num, den, unit = figure.get("num"), figure.get("den"), indicator.unit
    if unit == "share" and den is not None:
        return _("%(num)d su %(den)d", num=num or 0, den=den)
    if unit == "ratio" and den is not None:
        return _("%(num)d chiuse su %(den)d aperte", num=num or 0, den=den)
    if unit in UNIT_WORDS and den is not None:
        return _("mediana su %(items)s", items=counted(indicator.item_kind, den))
    if unit == "factor" and den is not None:
        return ngettext("su %(num)d contributo", "su %(num)d contributi", den)
    return ""


def threshold_text(indicator: Indicator | None, threshold: float, operator: str) -> str:
    """A stage condition's threshold: "≥ 50 %", "≤ 30 giorni"."""
    sign = "≥" if operator == ">=" else "≤"
    if indicator is None:
        return f"{sign} {number(threshold)}"
    if indicator.unit == "share":
        shown = _("%(percent)s %%", percent=number(threshold * 100, 0))
    elif indicator.unit in UNIT_WORDS:
        singular, plural = UNIT_WORDS[indicator.unit]
        shown = ngettext(singular, plural, 1 if threshold == 1 else 2, value=number(threshold))
    elif indicator.unit == "ratio":
        shown = number(threshold, 2)
    else:
        shown = number(threshold, 0)
    return f"{sign} {shown}"


def trend_value(indicator: Indicator, figure: dict | None) -> float | None:
    """The number drawn in the sparkline (a share in percent), None when there is nothing to draw."""
    if not figure or figure.get("insufficient") or figure.get("value") is None:
        return None
    return figure["value"] * 100 if indicator.unit == "share" else figure["value"]


@dataclass(frozen=True)
class Words:
    """An indicator's words, translated here: Jinja's gettext would read the "%" in "80 %" as a placeholder."""

    label: str
    numerator: str
    denominator: str
    window: str


def words(indicator: Indicator) -> Words:
    return Words(_(indicator.label), _(indicator.numerator) if indicator.numerator else "",
                 _(indicator.denominator) if indicator.denominator else "", _(indicator.window))


def stage_label(stage: str | None) -> str:
    return _(STAGES.get(stage or "starting", STAGES["starting"]))


@dataclass
class FigureView:
    """One indicator on the page: its words, value, counts and trend over the quarters."""

    indicator: Indicator
    words: Words
    value: str
    parts: str
    insufficient: bool
    has_items: bool
    trend: list[tuple[str, str]] = field(default_factory=list)  # (period, value text), oldest first
    trend_values: list[float | None] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def summary(self) -> str:
        """The sparkline's text: where the figure started and where it is at the last quarter."""
        if not self.trend:
            return ""
        (first, first_text), (last, last_text) = self.trend[0], self.trend[-1]
        return _("Da %(first_value)s (%(first)s) a %(last_value)s (%(last)s).", first_value=first_text,
                 first=first, last_value=last_text, last=last)


@dataclass
class GroupView:
    key: str
    label: str
    figures: list[FigureView]


def groups_of(current: dict, quarters: list, items: dict | None) -> list[GroupView]:
    """Every indicator of the snapshot, grouped as definitions.GROUPS, each with its trend over `quarters`."""
    views: dict[str, list[FigureView]] = {key: [] for key in GROUPS}
    for code, indicator in INDICATORS.items():
        figure = current.get(code)
        trend = [(snap.period or str(snap.as_of), value_text(indicator, (snap.figures or {}).get(code)))
                 for snap in quarters]
        views[indicator.group].append(FigureView(
            indicator=indicator, words=words(indicator), value=value_text(indicator, figure), parts=parts_text(indicator, figure),
            insufficient=bool(figure and figure.get("insufficient")),
            has_items=indicator.item_kind is not None and bool(items and code in items), trend=trend,
            trend_values=[trend_value(indicator, (snap.figures or {}).get(code)) for snap in quarters]))
    return [GroupView(key, _(label), views[key]) for key, label in GROUPS.items() if views[key]]


@dataclass
class ConditionView:
    stage: str
    indicator: Indicator | None
    label: str
    code: str
    value: str
    threshold: str
    met: bool


def checklist_of(rows: list[dict]) -> list[tuple[str, str, list[ConditionView]]]:
    """The stored checklist grouped by stage, lowest first: (stage, label, conditions)."""
    by_stage: dict[str, list[ConditionView]] = {}
    for row in rows or []:
        indicator = INDICATORS.get(row.get("code"))
        stored = {"value": row.get("value"), "den": row.get("den"),
                  "insufficient": row.get("value") is None}
        by_stage.setdefault(row.get("stage"), []).append(ConditionView(
            stage=row.get("stage"), indicator=indicator, code=row.get("code"),
            label=_(indicator.label) if indicator else str(row.get("code")),
            value=value_text(indicator, stored) if indicator else str(row.get("value")),
            threshold=threshold_text(indicator, row.get("threshold") or 0, row.get("operator") or ">=")
            + (_(", su almeno %(items)s", items=counted(indicator.item_kind if indicator else None, row["min_n"]))
               if row.get("min_n") else ""),
            met=bool(row.get("met"))))
    return [(stage, stage_label(stage), by_stage[stage]) for stage in STAGES if stage in by_stage]


def csv_rows(figures: dict) -> list[list]:
    """One row per indicator: code, label, value, numerator, denominator, window, insufficient."""
    rows = []
    for code, indicator in INDICATORS.items():
        figure = figures.get(code) or {}
        insufficient = bool(figure.get("insufficient"))
        rows.append([code, _(indicator.label), None if insufficient else figure.get("value"), figure.get("num"),
                     figure.get("den"), _(indicator.window), insufficient])
    return rows
