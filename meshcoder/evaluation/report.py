"""Results as files a person can open: a CSV row per shape and a Markdown table per category.

Table units follow the spec and the paper: CD x 10^-2, IoU and F-score in percent, normal consistency
as a fraction. CSV and JSON keep raw values (cd unscaled, the rest fractions).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping
from pathlib import Path

from meshcoder.evaluation.aggregate import GroupSummary, Summary
from meshcoder.geometry.protocol import CD_TABLE_SCALE, METRICS, ShapeMetrics

# metric -> (column heading, multiplier, decimals)
TABLE_UNITS = {
    "cd": ("CD x10^-2", CD_TABLE_SCALE, 3),
    "iou": ("IoU 32^3 %", 100.0, 2),
    "iou_64": ("IoU 64^3 %", 100.0, 2),
    "fscore_1": ("F@1% %", 100.0, 2),
    "fscore_2": ("F@2% %", 100.0, 2),
    "normal_consistency": ("NC", 1.0, 3),
}


def format_metric(metric: str, value: float | None) -> str:
    """``value`` in table units (see ``TABLE_UNITS``); '-' when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    _, scale, decimals = TABLE_UNITS[metric]
    return f"{value * scale:.{decimals}f}"


def shape_table(metrics: ShapeMetrics) -> str:
    """A small two-column text table of one shape's metrics (the ``meshcoder score`` output)."""
    rows = [("success", "yes" if metrics.success else "no")]
    rows += [(TABLE_UNITS[m][0], format_metric(m, getattr(metrics, m))) for m in METRICS]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value:>10}" for name, value in rows)


def write_shapes_csv(rows: Iterable[Mapping], path: str | Path, columns: tuple[str, ...]) -> Path:
    """One CSV line per shape with ``columns`` (raw values; empty cells for missing ones)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in columns})
    return path


def markdown_summary(summary: Summary, title: str, notes: Iterable[str] = ()) -> str:
    """The per-category table (mean and median of each metric over successful shapes, success rate over
    all) with the two overall rows, under ``title`` and the ``notes`` (protocol, N, ...)."""
    headings = ["category", "shapes", "success %"]
    for metric in METRICS:
        name = TABLE_UNITS[metric][0]
        headings += [f"{name} mean", f"{name} median"]
    headings.append("cd/success x10^-2")
    lines = [f"# {title}", ""]
    lines += [f"* {note}" for note in notes]
    lines += ["", "| " + " | ".join(headings) + " |", "|" + "---|" * len(headings)]

    def row(group: GroupSummary, bold: bool = False) -> str:
        name = f"**{group.name}**" if bold else group.name
        cells = [name, str(group.count), _percent(group.success_rate)]
        for metric in METRICS:
            cells += [format_metric(metric, group.mean[metric]), format_metric(metric, group.median[metric])]
        ratio = group.cd_per_success
        cells.append(format_metric("cd", ratio) if math.isfinite(ratio) else "inf")
        return "| " + " | ".join(cells) + " |"

    lines += [row(c) for c in summary.categories]
    lines += [row(summary.all_shapes, bold=True), row(summary.category_mean, bold=True)]
    lines += [
        "",
        "Means and medians are over successful shapes; success % is over all shapes. "
        f"'{summary.all_shapes.name}' pools every shape; '{summary.category_mean.name}' averages the "
        "category rows. cd/success = mean cd / max(success rate, 0.001).",
        "",
    ]
    return "\n".join(lines)


def _percent(value: float) -> str:
    return "-" if value is None or math.isnan(value) else f"{100.0 * value:.1f}"


#: The metrics of the side-by-side table (after success %), in table units.
COMPARISON_METRICS = ("cd", "iou", "fscore_1")


def comparison_markdown(summaries: Mapping[str, Summary], title: str, notes: Iterable[str] = ()) -> str:
    """Several systems side by side: per category (the union of theirs) and the two overall rows, for
    success % and the means of ``COMPARISON_METRICS`` over successful shapes, one column per system
    within each metric."""
    names = list(summaries)
    headings = ["category", "shapes", *(f"success % {n}" for n in names)]
    for metric in COMPARISON_METRICS:
        headings += [f"{TABLE_UNITS[metric][0]} {n}" for n in names]
    lines = [f"# {title}", ""]
    lines += [f"* {note}" for note in notes]
    lines += ["", "| " + " | ".join(headings) + " |", "|" + "---|" * len(headings)]

    def row(label: str, groups: list[GroupSummary | None]) -> str:
        counts = sorted({g.count for g in groups if g is not None})
        cells = [label, "/".join(str(c) for c in counts) or "0"]
        cells += [_percent(g.success_rate) if g is not None else "-" for g in groups]
        for metric in COMPARISON_METRICS:
            cells += [format_metric(metric, g.mean[metric]) if g is not None else "-" for g in groups]
        return "| " + " | ".join(cells) + " |"

    by_name = {n: {c.name: c for c in s.categories} for n, s in summaries.items()}
    for category in sorted({c for groups in by_name.values() for c in groups}):
        lines.append(row(category, [by_name[n].get(category) for n in names]))
    first = next(iter(summaries.values()))
    lines.append(row(f"**{first.all_shapes.name}**", [s.all_shapes for s in summaries.values()]))
    lines.append(row(f"**{first.category_mean.name}**", [s.category_mean for s in summaries.values()]))
    lines += [
        "",
        "Metric means are over each system's successful shapes; success % is over all shapes. "
        f"'{first.all_shapes.name}' pools every shape; '{first.category_mean.name}' averages the category "
        "rows. Medians and the other metrics are in each system's metrics.md.",
        "",
    ]
    return "\n".join(lines)
