"""The spec's aggregates over per-shape metrics.

* Per category: mean and median of each metric over *successful* shapes; success rate over all shapes.
* Overall, two rows, both named: over all shapes pooled (sample-weighted), and the mean of the category
  rows (each category counts once).
* ``cd_per_success`` = mean cd / max(success rate, 0.001): the checkpoint-selection key (lower is better).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from meshcoder.geometry.protocol import METRICS

ALL_SHAPES = "all shapes (sample-weighted)"
CATEGORY_MEAN = "category mean"
MIN_SUCCESS_RATE = 0.001


def cd_per_success(mean_cd: float, success_rate: float) -> float:
    """Mean Chamfer distance divided by the success rate (floored at 0.001); inf when nothing succeeded
    (there is no mean cd to divide)."""
    if mean_cd is None or not math.isfinite(mean_cd):
        return math.inf
    return mean_cd / max(success_rate, MIN_SUCCESS_RATE)


@dataclass
class GroupSummary:
    """Aggregates of one group of shapes (a category or an overall row).

    ``mean``/``median`` map each metric to its value over the group's successful shapes (NaN when none
    succeeded).
    """

    name: str
    count: int
    successes: int
    success_rate: float
    mean: dict[str, float] = field(default_factory=dict)
    median: dict[str, float] = field(default_factory=dict)

    @property
    def cd_per_success(self) -> float:
        return cd_per_success(self.mean.get("cd", math.nan), self.success_rate)

    def to_dict(self) -> dict[str, object]:
        """Plain values (JSON-ready; NaN and inf become None)."""
        return {
            "name": self.name,
            "count": self.count,
            "successes": self.successes,
            "success_rate": self.success_rate,
            "mean": {k: _plain(v) for k, v in self.mean.items()},
            "median": {k: _plain(v) for k, v in self.median.items()},
            "cd_per_success": _plain(self.cd_per_success),
        }


@dataclass
class Summary:
    """Per-category rows and the two overall rows."""

    categories: list[GroupSummary]
    all_shapes: GroupSummary
    category_mean: GroupSummary

    def to_dict(self) -> dict[str, object]:
        return {
            "categories": [c.to_dict() for c in self.categories],
            "all_shapes": self.all_shapes.to_dict(),
            "category_mean": self.category_mean.to_dict(),
        }


def summarise_group(name: str, rows: list[Mapping], metrics: tuple[str, ...] = METRICS) -> GroupSummary:
    """Aggregates of ``rows`` (each with ``success`` and the metrics) as one group."""
    ok = [r for r in rows if r.get("success")]
    mean, median = {}, {}
    for metric in metrics:
        values = np.array([r[metric] for r in ok if r.get(metric) is not None], dtype=np.float64)
        mean[metric] = float(values.mean()) if len(values) else math.nan
        median[metric] = float(np.median(values)) if len(values) else math.nan
    rate = len(ok) / len(rows) if rows else math.nan
    return GroupSummary(name, len(rows), len(ok), rate, mean, median)


def summarise(
    rows: Iterable[Mapping], metrics: tuple[str, ...] = METRICS, category_key: str = "category"
) -> Summary:
    """The spec's aggregates of per-shape ``rows`` (mappings with ``category``, ``success`` and the
    metrics; a failed shape's metrics may be missing or None). Categories are sorted by name."""
    rows = list(rows)
    groups: dict[str, list[Mapping]] = {}
    for row in rows:
        groups.setdefault(str(row.get(category_key, "")), []).append(row)
    categories = [summarise_group(name, groups[name], metrics) for name in sorted(groups)]
    all_shapes = summarise_group(ALL_SHAPES, rows, metrics)

    def mean_of(values: list[float]) -> float:
        # A category with no success has no metric means: it is left out of that metric's mean, while
        # its zero success rate still counts (and cd_per_success carries the penalty).
        finite = [v for v in values if not math.isnan(v)]
        return float(np.mean(finite)) if finite else math.nan

    category_mean = GroupSummary(
        CATEGORY_MEAN,
        count=len(rows),
        successes=all_shapes.successes,
        success_rate=mean_of([c.success_rate for c in categories]),
        mean={m: mean_of([c.mean[m] for c in categories]) for m in metrics},
        median={m: mean_of([c.median[m] for c in categories]) for m in metrics},
    )
    return Summary(categories, all_shapes, category_mean)


def _plain(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)
