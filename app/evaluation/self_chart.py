"""The comparison over time of an organisation's assessments: the consensus per criterion (mean of its sub-criteria,
0–100) per assessment date, as a table and as the geometry of a server-rendered SVG bar chart (no JavaScript)."""
from __future__ import annotations

from dataclasses import dataclass, field

from app.evaluation.self_services import item_value

# Colour-blind-safe palette (Okabe–Ito), one per assessment; the legend and the table name each series too.
PALETTE = ("#0066cc", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#000000", "#f0e442")
MAX_SERIES = len(PALETTE)
WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 16, 40


@dataclass
class Series:
    assessment: object
    colour: str
    values: dict[str, float | None] = field(default_factory=dict)  # criterion code → mean 0–100


@dataclass
class Comparison:
    criteria: list[dict]  # [{"code", "title_it"}], in the questionnaire's order
    series: list[Series]

    @property
    def empty(self) -> bool:
        return not self.series or all(value is None for each in self.series for value in each.values.values())


def criterion_means(template, consensus: dict) -> dict[str, float | None]:
    """criterion code → mean of its sub-criteria's consensus figures (None when none is recorded)."""
    means: dict[str, float | None] = {}
    for criterion in (each for each in template.items if each.get("level") == "criterion"):
        figures = [item_value(consensus[sub["code"]].values) for sub in template.items
                   if sub.get("parent") == criterion["code"] and sub["code"] in consensus]
        figures = [each for each in figures if each is not None]
        means[criterion["code"]] = round(sum(figures) / len(figures), 1) if figures else None
    return means


def comparison(assessments: list, consensus_by_id: dict[int, dict]) -> Comparison:
    """The series of the most recent assessments (oldest first), criteria in the order they first appear."""
    chosen = sorted(assessments, key=lambda each: (each.assessed_on, each.id))[-MAX_SERIES:]
    criteria: list[dict] = []
    seen: set[str] = set()
    series = []
    for number, assessment in enumerate(chosen):
        for item in assessment.template.items:
            if item.get("level") == "criterion" and item["code"] not in seen:
                seen.add(item["code"])
                criteria.append({"code": item["code"], "title_it": item.get("title_it", item["code"])})
        series.append(Series(assessment, PALETTE[number],
                             criterion_means(assessment.template, consensus_by_id.get(assessment.id, {}))))
    return Comparison(criteria, series)


def bar_geometry(data: Comparison) -> dict:
    """Coordinates of a grouped bar chart: one group per criterion, one bar per assessment, y from 0 to 100."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    groups = max(len(data.criteria), 1)
    group_w = plot_w / groups
    bar_w = max(2.0, (group_w * 0.8) / max(len(data.series), 1))
    ticks = [{"value": value, "y": round(TOP + plot_h * (1 - value / 100), 1)} for value in (0, 25, 50, 75, 100)]
    bars, labels = [], []
    for index, criterion in enumerate(data.criteria):
        start = LEFT + index * group_w + group_w * 0.1
        labels.append({"x": round(LEFT + index * group_w + group_w / 2, 1), "text": criterion["code"]})
        for number, each in enumerate(data.series):
            value = each.values.get(criterion["code"])
            if value is None:
                continue
            height = plot_h * value / 100
            bars.append({"x": round(start + number * bar_w, 1), "y": round(TOP + plot_h - height, 1),
                         "width": round(bar_w - 1, 1), "height": round(height, 1), "fill": each.colour,
                         "value": value, "criterion": criterion, "series": each})
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "top": TOP,
            "bottom": HEIGHT - BOTTOM, "label_y": HEIGHT - BOTTOM + 18, "ticks": ticks, "bars": bars,
            "labels": labels}
