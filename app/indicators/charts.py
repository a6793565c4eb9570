"""Server-rendered SVG charts in the national design system's colours, readable without JavaScript.

Each chart is an <svg role="img"> with a <title> and a <desc> (the text summary); the page shows the data table
beside it, so a screen reader reads the table and nobody depends on the picture. Values None are gaps.
"""
from __future__ import annotations

from markupsafe import Markup, escape

PRIMARY = "#0066cc"  # Bootstrap Italia primary
SERIES = ("#0066cc", "#008055", "#cc7a00", "#5c6f82", "#a66300", "#003366")  # enough contrast on white (≥ 3:1)
AXIS = "#5c6f82"


def _svg(width: int, height: int, title: str, summary: str, body: str, css_class: str) -> Markup:
    return Markup(
        f'<svg class="{css_class}" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'preserveAspectRatio="xMinYMin meet" focusable="false">'
        f"<title>{escape(title)}</title><desc>{escape(summary)}</desc>{body}</svg>")


def sparkline(values: list[float | None], title: str, summary: str, width: int = 160, height: int = 40) -> Markup:
    """A small line over the quarters (oldest first); the last point is marked."""
    points = [(index, value) for index, value in enumerate(values) if value is not None]
    if not points:
        return Markup("")
    low, high = min(v for _i, v in points), max(v for _i, v in points)
    span, steps = (high - low) or 1.0, max(len(values) - 1, 1)

    def xy(index: int, value: float) -> tuple[float, float]:
        return round(4 + (width - 8) * index / steps, 1), round(height - 4 - (height - 8) * (value - low) / span, 1)

    path = " ".join(f"{'M' if n == 0 else 'L'}{x},{y}" for n, (x, y) in enumerate(xy(i, v) for i, v in points))
    last_x, last_y = xy(*points[-1])
    body = (f'<path d="{path}" fill="none" stroke="{PRIMARY}" stroke-width="2"/>'
            f'<circle cx="{last_x}" cy="{last_y}" r="3" fill="{PRIMARY}"/>')
    return _svg(width, height, title, summary, body, "chart-sparkline")


def line_chart(labels: list[str], series: dict[str, list[float | None]], title: str, summary: str,
               width: int = 720, height: int = 260) -> Markup:
    """Lines over time, one per series (name → values aligned with `labels`), y from 0, with a legend."""
    left, right, top, bottom = 48, 32, 12, 48  # right: room for half of the last label (centred on its point)
    values = [v for each in series.values() for v in each if v is not None]
    if not values or not labels:
        return Markup("")
    high = max(values) or 1.0
    plot_w, plot_h, steps = width - left - right, height - top - bottom, max(len(labels) - 1, 1)
    body = [f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{AXIS}"/>']
    for tick in (0, 0.5, 1):
        y = round(top + plot_h * (1 - tick), 1)
        body.append(f'<text x="{left - 6}" y="{y + 4}" text-anchor="end" font-size="11" fill="{AXIS}">'
                    f"{escape(_short(high * tick))}</text>")
    for index, label in enumerate(labels):
        x = round(left + plot_w * index / steps, 1)
        body.append(f'<text x="{x}" y="{height - bottom + 16}" text-anchor="middle" font-size="11" '
                    f'fill="{AXIS}">{escape(label)}</text>')
    for number, (name, each) in enumerate(series.items()):
        colour = SERIES[number % len(SERIES)]
        coords = [(round(left + plot_w * i / steps, 1), round(top + plot_h * (1 - v / high), 1))
                  for i, v in enumerate(each) if v is not None]
        path = " ".join(f"{'M' if n == 0 else 'L'}{x},{y}" for n, (x, y) in enumerate(coords))
        body.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        body.extend(f'<circle cx="{x}" cy="{y}" r="3" fill="{colour}"/>' for x, y in coords)
        legend_x = left + number * 170
        body.append(f'<rect x="{legend_x}" y="{height - 18}" width="12" height="12" fill="{colour}"/>'
                    f'<text x="{legend_x + 16}" y="{height - 8}" font-size="12" fill="#1a1a1a">{escape(name)}</text>')
    return _svg(width, height, title, summary, "".join(body), "chart-line")


def bar_chart(rows: list[tuple[str, float | None]], title: str, summary: str, width: int = 720,
              unit: str = "") -> Markup:
    """Horizontal bars, one per row (label, value), in the order given, each labelled with its value."""
    label_w, bar_h, gap, right = 190, 18, 6, 60
    height = max(len(rows), 1) * (bar_h + gap) + gap
    high = max((v for _l, v in rows if v is not None), default=0) or 1.0
    body = []
    for index, (label, value) in enumerate(rows):
        y = gap + index * (bar_h + gap)
        body.append(f'<text x="{label_w - 8}" y="{y + bar_h - 4}" text-anchor="end" font-size="12" '
                    f'fill="#1a1a1a">{escape(label)}</text>')
        if value is None:
            continue
        length = round((width - label_w - right) * value / high, 1)
        body.append(f'<rect x="{label_w}" y="{y}" width="{max(length, 1)}" height="{bar_h}" fill="{PRIMARY}"/>'
                    f'<text x="{label_w + length + 6}" y="{y + bar_h - 4}" font-size="12" fill="#1a1a1a">'
                    f"{escape(_short(value))}{escape(unit)}</text>")
    return _svg(width, height, title, summary, "".join(body), "chart-bars")


def _short(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() or abs(value) >= 10 else f"{value:.1f}"


def stacked_columns(labels: list[str], series: dict[str, list[float | None]], title: str, summary: str,
                    width: int = 720, height: int = 260) -> Markup:
    """Vertical columns, one per label, each stacked from its series (name → values aligned with `labels`, first
    at the bottom), the column's total written above it, with a legend."""
    left, right, top, bottom = 48, 12, 18, 48
    if not labels or not series:
        return Markup("")
    totals = [sum(each[i] or 0 for each in series.values()) for i in range(len(labels))]
    high = max(totals) or 1.0
    plot_w, plot_h = width - left - right, height - top - bottom
    slot = plot_w / len(labels)
    column_w = round(min(slot * 0.6, 60), 1)
    body = [f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{AXIS}"/>']
    for index, label in enumerate(labels):
        x = round(left + slot * index + (slot - column_w) / 2, 1)
        base = top + plot_h
        for number, each in enumerate(series.values()):
            value = each[index] or 0
            if value <= 0:
                continue
            size = round(plot_h * value / high, 1)
            base = round(base - size, 1)
            body.append(f'<rect x="{x}" y="{base}" width="{column_w}" height="{size}" '
                        f'fill="{SERIES[number % len(SERIES)]}" stroke="#ffffff" stroke-width="1"/>')
        centre = round(x + column_w / 2, 1)
        body.append(f'<text x="{centre}" y="{round(base - 4, 1)}" text-anchor="middle" font-size="11" '
                    f'fill="#1a1a1a">{escape(_short(totals[index]))}</text>'
                    f'<text x="{centre}" y="{height - bottom + 16}" text-anchor="middle" font-size="11" '
                    f'fill="{AXIS}">{escape(label)}</text>')
    legend_w = plot_w / max(len(series), 1)
    for number, name in enumerate(series):
        legend_x = round(left + number * legend_w, 1)
        body.append(f'<rect x="{legend_x}" y="{height - 18}" width="12" height="12" '
                    f'fill="{SERIES[number % len(SERIES)]}"/><text x="{legend_x + 16}" y="{height - 8}" '
                    f'font-size="12" fill="#1a1a1a">{escape(name)}</text>')
    return _svg(width, height, title, summary, "".join(body), "chart-stacked")
