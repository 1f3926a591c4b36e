"""Aggregates of the spec and the files they are written to."""

from __future__ import annotations

import csv
import math

import pytest

from meshcoder.evaluation.aggregate import ALL_SHAPES, CATEGORY_MEAN, cd_per_success, summarise
from meshcoder.evaluation.report import format_metric, markdown_summary, shape_table, write_shapes_csv
from meshcoder.geometry.protocol import ShapeMetrics


def row(category, success, cd=None, iou=None):
    metrics = {
        "cd": cd,
        "iou": iou,
        "iou_64": iou,
        "fscore_1": iou,
        "fscore_2": iou,
        "normal_consistency": iou,
    }
    return {"category": category, "success": success, **(metrics if success else {})}


ROWS = [
    # Chair: 3 of 4 succeed.
    row("Chair", True, cd=0.01, iou=0.9),
    row("Chair", True, cd=0.02, iou=0.8),
    row("Chair", True, cd=0.06, iou=0.4),
    row("Chair", False),
    # Cup: 1 of 1.
    row("Cup", True, cd=0.004, iou=1.0),
    # Lamp: nothing works.
    row("Lamp", False),
    row("Lamp", False),
]


def test_per_category_mean_and_median_over_successes_and_success_over_all():
    summary = summarise(ROWS)
    chair, cup, lamp = summary.categories
    assert [c.name for c in summary.categories] == ["Chair", "Cup", "Lamp"]
    assert (chair.count, chair.successes, chair.success_rate) == (4, 3, 0.75)
    assert chair.mean["cd"] == pytest.approx(0.03)
    assert chair.median["cd"] == pytest.approx(0.02)
    assert chair.mean["iou"] == pytest.approx(0.7)
    assert chair.cd_per_success == pytest.approx(0.03 / 0.75)
    assert cup.success_rate == 1.0 and cup.mean["cd"] == pytest.approx(0.004)
    assert lamp.success_rate == 0.0 and math.isnan(lamp.mean["cd"])
    assert math.isinf(lamp.cd_per_success)


def test_overall_rows_sample_weighted_and_category_mean():
    summary = summarise(ROWS)
    pooled, per_category = summary.all_shapes, summary.category_mean
    assert pooled.name == ALL_SHAPES and per_category.name == CATEGORY_MEAN
    assert pooled.success_rate == pytest.approx(4 / 7)
    assert pooled.mean["cd"] == pytest.approx((0.01 + 0.02 + 0.06 + 0.004) / 4)
    assert pooled.cd_per_success == pytest.approx(pooled.mean["cd"] / (4 / 7))
    # Each category counts once; Lamp has no cd but its 0% success counts.
    assert per_category.success_rate == pytest.approx((0.75 + 1.0 + 0.0) / 3)
    assert per_category.mean["cd"] == pytest.approx((0.03 + 0.004) / 2)


def test_cd_per_success_floors_the_success_rate():
    assert cd_per_success(0.02, 0.5) == pytest.approx(0.04)
    assert cd_per_success(0.02, 0.0) == pytest.approx(20.0)  # divided by 0.001
    assert math.isinf(cd_per_success(math.nan, 0.0))


def test_markdown_table_has_every_category_and_both_overall_rows():
    text = markdown_summary(summarise(ROWS), "Evaluation: test", ["protocol: test setting"])
    lines = text.splitlines()
    assert lines[0] == "# Evaluation: test"
    assert "* protocol: test setting" in lines
    table = [line for line in lines if line.startswith("| ")]
    assert len(table) == 1 + 3 + 2  # heading, categories, overall rows
    chair = next(line for line in table if line.startswith("| Chair"))
    cells = [c.strip() for c in chair.strip("|").split("|")]
    assert cells[:5] == ["Chair", "4", "75.0", "3.000", "2.000"]  # CD x10^-2 mean and median
    assert "**all shapes (sample-weighted)**" in text and "**category mean**" in text


def test_csv_has_one_line_per_shape_with_raw_values(tmp_path):
    rows = [{"id": i, **r} for i, r in enumerate(ROWS)]
    path = write_shapes_csv(rows, tmp_path / "shapes.csv", ("id", "category", "success", "cd"))
    read = list(csv.DictReader(path.open()))
    assert len(read) == len(ROWS)
    assert read[0] == {"id": "0", "category": "Chair", "success": "True", "cd": "0.01"}
    assert read[3]["cd"] == ""


def test_table_units():
    assert format_metric("cd", 0.0123) == "1.230"
    assert format_metric("iou", 0.5) == "50.00"
    assert format_metric("normal_consistency", 0.91234) == "0.912"
    assert format_metric("cd", None) == "-"
    text = shape_table(ShapeMetrics(True, 0.001, 0.9, 0.8, 0.5, 0.6, 0.95))
    assert "CD x10^-2" in text and "0.100" in text and "90.00" in text
