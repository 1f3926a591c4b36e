"""TableDining: dining tables."""

from __future__ import annotations

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.design import Design
from meshcoder.data.generators.geometry import pick
from meshcoder.data.generators.registry import register
from meshcoder.data.generators.seating.pieces import uniform
from meshcoder.data.generators.tables.supports import (
    TOP_SHAPES,
    add_legs,
    add_panel_sides,
    add_pedestal,
    add_top,
    add_trestles,
    add_tube_frames,
)


@register("TableDining")
def table_dining(rng: np.random.Generator) -> ProgramBuilder:
    """Dining tables: rectangular, rounded, round or oval tops on four or six legs (apron, stretchers),
    a pedestal, trestles, waterfall panels or tube frames."""
    d = Design("dining table")
    shape = pick(rng, TOP_SHAPES, [1.6, 0.7, 0.8, 0.5])
    H = uniform(rng, 0.72, 0.77)
    t = uniform(rng, 0.025, 0.05)
    if shape == "round":
        L = W = uniform(rng, 0.9, 1.3)
    else:
        L = uniform(rng, 1.2, 2.2) if shape != "oval" else uniform(rng, 1.4, 2.2)
        W = min(uniform(rng, 0.75, 1.05), L * 0.75)
    round_top = shape in ("round", "oval")
    ytop = H - t
    if shape == "round":
        support = pick(rng, ["legs", "pedestal"], [1, 1.2])
    elif shape == "oval":
        support = pick(rng, ["legs", "trestle"], [1.5, 0.5])
    else:
        support = pick(rng, ["legs", "trestle", "panels", "frames"], [3, 0.8, 0.6, 0.6])
    if support == "legs":
        add_legs(d, rng, L, W, ytop, round_top, {"six": rng.random() < 0.6, "apron": 0.75, "stretcher": 0.35})
    elif support == "pedestal":
        add_pedestal(d, rng, ytop, L / 2)
    elif support == "trestle":
        add_trestles(d, rng, L, W, ytop)
    elif support == "panels":
        add_panel_sides(d, rng, L, W, ytop, back=False)
    else:
        add_tube_frames(d, rng, L, W, ytop)
    add_top(d, rng, shape, H, L, W, t)
    return d.builder()
