"""What the reuse observatory shows, read from the network snapshots (two queries, whatever the history's length):
the totals over the quarters, communities by stage, reuse by region, the most reused practices and the territories
side by side — every chart with its text summary and its table, every table also as CSV."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup
from sqlalchemy import select

from app import geo
from app.indicators import charts, queries
from app.indicators.definitions import STAGE_ORDER, STAGES
from app.extensions import db
from app.models import Community, NetworkSnapshot, Practice
from app.spreadsheet import safe_cell
from app.web import local_date

TABLES = ("totals", "stages", "regions", "provinces", "practices")
TOTALS = ("communities", "practices", "donors", "reusers", "confirmed_adoptions", "support_given")
MEASURES = ("practices", "donors", "reusers", "adoptions", "support")
CSV_TYPE = "text/csv; charset=utf-8"


def total_labels() -> dict[str, str]:
    return {"communities": _("Comunità pubbliche"), "practices": _("Buone pratiche pubblicate"),
            "donors": _("Amministrazioni cedenti"), "reusers": _("Amministrazioni che riusano"),
            "confirmed_adoptions": _("Adozioni confermate"),
            "support_given": _("Supporto dato (richieste con prima risposta negli ultimi 12 mesi)")}


def measure_labels() -> dict[str, str]:
    return {"practices": _("Buone pratiche cedute"), "donors": _("Amministrazioni cedenti"),
            "reusers": _("Amministrazioni che riusano"), "adoptions": _("Adozioni confermate"),
            "support": _("Supporto dato")}


@dataclass
class Table:
    """A table as the page and the CSV show it: headers, then rows of plain values (the first cell heads its row)."""

    name: str
    caption: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)


@dataclass
class ProvinceGroup:
    code: str
    name: str
    rows: list[list]


@dataclass
class Observatory:
    latest: NetworkSnapshot | None
    quarters: list[NetworkSnapshot]
    selected: NetworkSnapshot | None  # whose regions, provinces and practices are shown
    period: str  # "" for the latest daily figures, else the quarter chosen
    error: str | None = None
    tables: dict[str, Table] = field(default_factory=dict)
    charts: dict[str, Markup] = field(default_factory=dict)
    summaries: dict[str, str] = field(default_factory=dict)
    province_groups: list[ProvinceGroup] = field(default_factory=list)
    top_practices: list[dict] = field(default_factory=list)

    @property
    def computed(self) -> bool:
        return self.selected is not None

    @property
    def periods(self) -> list[str]:
        """The quarters one may choose, newest first."""
        return [row.period for row in reversed(self.quarters) if row.period]

    @property
    def left_out(self) -> dict:
        return (self.selected.figures.get("left_out") or {}) if self.selected else {}

    @property
    def selected_label(self) -> str:
        return label_of(self.selected) if self.selected else ""


def label_of(row: NetworkSnapshot) -> str:
    if row.kind == "quarter" and row.period:
        return row.period
    return _("al %(date)s", date=local_date(row.as_of))


def chart_label(row: NetworkSnapshot) -> str:
    """A point's label under a chart: short enough for the axis."""
    return row.period if row.kind == "quarter" and row.period else local_date(row.as_of, "short")


def number(value) -> str:
    return format_decimal(value or 0)


def load(period: str | None = None) -> Observatory:
    """The page's content; `period` ("2026-Q3") chooses the quarter the territorial figures are taken from."""
    latest, quarters = queries.latest_network(), queries.network_quarters()
    period = (period or "").strip()
    selected, error = latest or (quarters[-1] if quarters else None), None
    if period:
        chosen = next((row for row in quarters if row.period == period), None)
        if chosen is None:
            error, period = _("Trimestre non disponibile: scegli uno dei trimestri dell'elenco."), ""
        else:
            selected = chosen
    view = Observatory(latest=latest, quarters=quarters, selected=selected, period=period, error=error)
    if selected is not None:
        _fill_timeline(view)
        _fill_territories(view)
    return view


def _timeline(view: Observatory) -> list[NetworkSnapshot]:
    """The quarters, then the latest daily figures when they are newer."""
    rows = list(view.quarters)
    if view.latest is not None and (not rows or view.latest.as_of > rows[-1].as_of):
        rows.append(view.latest)
    return rows


def _fill_timeline(view: Observatory) -> None:
    rows, labels = _timeline(view), total_labels()
    names = [label_of(row) for row in rows]
    totals = Table("totals", _("Totali della rete nel tempo"), [_("Periodo"), *labels.values()],
                   [[name, *[row.figures.get(key) or 0 for key in TOTALS]] for name, row in zip(names, rows)])
    stage_names = [_(STAGES[stage]) for stage in STAGE_ORDER]
    stages = Table("stages", _("Comunità pubbliche per stadio di maturità"), [_("Periodo"), *stage_names],
                   [[name, *[(row.figures.get("by_stage") or {}).get(stage, 0) for stage in STAGE_ORDER]]
                    for name, row in zip(names, rows)])
    view.tables.update(totals=totals, stages=stages)
    last = rows[-1].figures
    summary = _("Ultimo dato (%(period)s): %(communities)s comunità pubbliche, %(practices)s buone pratiche "
                "pubblicate, %(donors)s amministrazioni cedenti, %(reusers)s amministrazioni che riusano, "
                "%(adoptions)s adozioni confermate, %(support)s richieste di supporto con una prima risposta "
                "negli ultimi 12 mesi.", period=names[-1], communities=number(last.get("communities")),
                practices=number(last.get("practices")), donors=number(last.get("donors")),
                reusers=number(last.get("reusers")), adoptions=number(last.get("confirmed_adoptions")),
                support=number(last.get("support_given")))
    if len(rows) > 1:
        first = rows[0].figures
        summary += " " + _("Da %(first)s a %(last)s le adozioni confermate passano da %(before)s a %(after)s e le "
                           "amministrazioni che riusano da %(reusers_before)s a %(reusers_after)s.",
                           first=names[0], last=names[-1], before=number(first.get("confirmed_adoptions")),
                           after=number(last.get("confirmed_adoptions")),
                           reusers_before=number(first.get("reusers")), reusers_after=number(last.get("reusers")))
    view.summaries["totals"] = summary
    short = {**labels, "support_given": _("Supporto dato")}  # the legend has room for short names only
    series = {short[key]: [row.figures.get(key) or 0 for row in rows]
              for key in ("communities", "donors", "reusers", "confirmed_adoptions", "support_given")}
    points = [chart_label(row) for row in rows]
    view.charts["totals"] = charts.line_chart(points, series, _("Totali della rete nel tempo"), summary, width=900)
    by_stage = last.get("by_stage") or {}
    stage_summary = _("Ultimo dato (%(period)s): ", period=names[-1]) + "; ".join(
        f"{name} {number(by_stage.get(stage))}" for name, stage in zip(stage_names, STAGE_ORDER)) + "."
    view.summaries["stages"] = stage_summary
    view.charts["stages"] = charts.stacked_columns(
        points, {name: [row[1 + index] for row in stages.rows] for index, name in enumerate(stage_names)},
        _("Comunità pubbliche per stadio di maturità"), stage_summary)


def _figures_row(figures: dict | None) -> list[int]:
    return [(figures or {}).get(measure, 0) for measure in MEASURES]


def _fill_territories(view: Observatory) -> None:
    figures, labels = view.selected.figures, measure_labels()
    when = view.selected_label
    by_region, by_province = figures.get("by_region") or {}, figures.get("by_province") or {}
    regions = Table("regions", _("Riuso per regione (%(period)s)", period=when), [_("Regione"), *labels.values()],
                    [[name, *_figures_row(by_region.get(code))] for code, name in geo.REGIONS])
    view.tables["regions"] = regions
    adoptions = [(row[0], row[4]) for row in regions.rows]
    with_reuse = sum(1 for _name, value in adoptions if value)
    total = figures.get("confirmed_adoptions") or 0
    unplaced = total - sum(value for _name, value in adoptions)
    summary = ngettext("Adozioni confermate per regione dell'amministrazione che riusa (%(period)s): %(total)s "
                       "in tutto, in %(num)d regione su 20.",
                       "Adozioni confermate per regione dell'amministrazione che riusa (%(period)s): %(total)s "
                       "in tutto, in %(num)d regioni su 20.", with_reuse, period=when, total=number(total))
    if unplaced > 0:
        summary += " " + ngettext("%(num)d adozione di un'amministrazione senza regione (ente nazionale) non è "
                                  "attribuita a una regione.",
                                  "%(num)d adozioni di amministrazioni senza regione (enti nazionali) non sono "
                                  "attribuite a una regione.", unplaced)
    view.summaries["regions"] = summary
    view.charts["regions"] = charts.bar_chart(adoptions, _("Adozioni confermate per regione"), summary)

    province_rows = []
    for code, name in geo.REGIONS:
        rows = [[f"{province} ({sigla})", *_figures_row(by_province.get(sigla))]
                for sigla, province in geo.provinces_of(code)]
        view.province_groups.append(ProvinceGroup(code, name, rows))
        province_rows.extend([name, *row] for row in rows)
    view.tables["provinces"] = Table("provinces", _("Territori a confronto: province (%(period)s)", period=when),
                                     [_("Regione"), _("Provincia"), *labels.values()], province_rows)

    view.top_practices = still_public(list(figures.get("top_practices") or []))
    view.tables["practices"] = Table("practices", _("Le buone pratiche più riusate (%(period)s)", period=when),
                                     [_("Buona pratica"), _("Adozioni confermate")],
                                     [[each["title"], each["adoptions"]] for each in view.top_practices])
    if view.top_practices:
        practices_summary = ngettext("La buona pratica con adozioni confermate (%(period)s): ",
                                     "Le %(num)d buone pratiche con più adozioni confermate (%(period)s): ",
                                     len(view.top_practices), period=when) + "; ".join(
            f"{each['title']} {number(each['adoptions'])}" for each in view.top_practices) + "."
    else:
        practices_summary = _("Nessuna adozione confermata di una buona pratica pubblica (%(period)s).", period=when)
    view.summaries["practices"] = practices_summary
    view.charts["practices"] = charts.bar_chart(
        [(_short_title(each["title"]), each["adoptions"]) for each in view.top_practices],
        _("Le buone pratiche più riusate"), practices_summary)


def still_public(practices: list[dict]) -> list[dict]:
    """The stored top practices that are still published in a community that is not private (a community made
    private after the computation must stop being named here, in stored quarters too): one query over ≤ 10 ids."""
    if not practices:
        return practices
    public = dict(db.session.execute(select(Practice.id, Practice.slug).join(
        Community, Community.id == Practice.community_id).where(
        Practice.id.in_([each["id"] for each in practices]), Practice.status == "published",
        Community.visibility != "private")).all())
    return [{**each, "slug": public[each["id"]]} for each in practices if each["id"] in public]


def _short_title(title: str) -> str:
    """A title short enough for a bar's label (the table beside the chart gives it whole)."""
    return title if len(title) <= 28 else title[:27].rstrip() + "…"


def to_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark (spreadsheets then read accents right), comma-separated."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(each) for each in table.headers])
    for row in table.rows:
        writer.writerow([safe_cell(each) for each in row])
    return buffer.getvalue().encode("utf-8-sig")


def file_name(table: str, view: Observatory) -> str:
    return f"osservatorio-{table}-{view.period or view.selected.as_of.isoformat()}.csv"
