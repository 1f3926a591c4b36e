"""TableCocktail: coffee tables."""

from __future__ import annotations

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.design import Design
from meshcoder.data.generators.geometry import pick
from meshcoder.data.generators.registry import register
from meshcoder.data.generators.seating.pieces import uniform
from meshcoder.data.generators.seating.shapes import Box, add
from meshcoder.data.generators.tables.cabinets import add_drawers
from meshcoder.data.generators.tables.supports import (
    TOP_SHAPES,
    add_hairpins,
    add_legs,
    add_panel_sides,
    add_pedestal,
    add_top,
    add_tube_frames,
)


@register("TableCocktail")
def table_cocktail(rng: np.random.Generator) -> ProgramBuilder:
    """Coffee tables: low rectangular, rounded, round or oval tops on legs (often with a solid or
    slatted lower shelf), a pedestal, waterfall panels, tube frames or hairpins; some with a drawer."""
    d = Design("coffee table")
    shape = pick(rng, TOP_SHAPES, [1.5, 0.8, 0.9, 0.6])
    H = uniform(rng, 0.35, 0.48)
    t = uniform(rng, 0.02, 0.05)
    if shape == "round":
        L = W = uniform(rng, 0.6, 1.0)
    else:
        L = uniform(rng, 0.8, 1.35)
        W = min(uniform(rng, 0.45, 0.75), L * 0.8)
    round_top = shape in ("round", "oval")
    ytop = H - t
    options = ["legs", "pedestal"] if shape == "round" else ["legs", "panels", "frames", "hairpin"]
    support = pick(rng, options, [2, 1] if shape == "round" else [3, 0.8, 0.7, 0.6])
    if support == "legs":
        add_legs(
            d,
            rng,
            L,
            W,
            ytop,
            round_top,
            {"leg": (0.03, 0.06), "apron": 0.35, "shelf": 0.45, "stretcher": 0.2},
        )
    elif support == "pedestal":
        add_pedestal(d, rng, ytop, L / 2)
    elif support == "panels":
        add_panel_sides(d, rng, L, W, ytop, back=False)
        if rng.random() < 0.6:
            sy = uniform(rng, 0.06, 0.16)
            add(d, "shelf", Box((0, sy, 0), (L / 2 - 0.04, 0.012, W / 2 - 0.05)))
    elif support == "frames":
        add_tube_frames(d, rng, L, W, ytop)
        if rng.random() < 0.5:
            add(d, "shelf", Box((0, uniform(rng, 0.06, 0.14), 0), (L / 2 - 0.1, 0.012, W / 2 - 0.08)))
    else:
        add_hairpins(d, rng, L, W, ytop)
    if not round_top and support in ("legs", "panels") and rng.random() < 0.25:
        dh = uniform(rng, 0.08, 0.12)
        box = Box((0, ytop - dh / 2, 0), (L * 0.3, dh / 2, W / 2 - 0.08))
        add(d, "drawer box", box)
        add_drawers(
            d, rng, -L * 0.3, L * 0.3, ytop - dh, ytop, W / 2 - 0.08, 1, pick(rng, ["knob", "bar", "pull"])
        )
    add_top(d, rng, shape, H, L, W, t)
    return d.builder()
