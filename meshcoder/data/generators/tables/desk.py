"""SimpleDesk: desks."""

from __future__ import annotations

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.design import Design
from meshcoder.data.generators.geometry import pick
from meshcoder.data.generators.registry import register
from meshcoder.data.generators.seating.pieces import LEG_STYLES, straight_leg, uniform
from meshcoder.data.generators.seating.shapes import Box, add
from meshcoder.data.generators.tables.cabinets import add_cabinet, add_drawers
from meshcoder.data.generators.tables.supports import (
    add_hairpins,
    add_legs,
    add_panel_sides,
    add_top,
    add_trestles,
    add_tube_frames,
)


@register("SimpleDesk")
def simple_desk(rng: np.random.Generator) -> ProgramBuilder:
    """Desks: a top on legs, waterfall panels, trestles, tube frames or hairpins; optionally a drawer
    pedestal, a centre drawer, a modesty panel or a lower shelf."""
    d = Design("desk")
    L = uniform(rng, 1.0, 1.6)
    W = uniform(rng, 0.5, 0.75)
    H = uniform(rng, 0.72, 0.77)
    t = uniform(rng, 0.02, 0.04)
    ytop = H - t
    handle = pick(rng, ["knob", "bar", "pull", "cutout"], [1, 1, 1, 0.6])
    pedestal = rng.random() < 0.4
    if pedestal:  # a drawer cabinet carries one end
        cw = uniform(rng, 0.35, 0.45)
        side = int(rng.choice([-1, 1]))
        x0, x1 = (L / 2 - cw, L / 2) if side > 0 else (-L / 2, -L / 2 + cw)
        add_cabinet(d, rng, x0, x1, 0.0, ytop, -W / 2 + 0.02, W / 2 - 0.02, 0.018, handle, ["drawers"])
        xo = -side * (L / 2 - 0.04)
        style = pick(rng, ["panel", "legs"])
        if style == "panel":
            add(d, "side panel", Box((xo, ytop / 2, 0), (0.02, ytop / 2, W / 2 - 0.02)))
        else:
            lt = uniform(rng, 0.04, 0.06)
            ls = pick(rng, LEG_STYLES)
            for z in (-W / 2 + 0.05, W / 2 - 0.05):
                add(d, "leg", straight_leg(ls, (xo, 0, z), (xo, ytop, z), lt))
        if rng.random() < 0.5:
            add(
                d,
                "modesty panel",
                Box(
                    ((xo + (x0 if side > 0 else x1)) / 2, ytop - 0.15, -W / 2 + 0.05),
                    (abs(xo - (x0 if side > 0 else x1)) / 2, 0.15, 0.01),
                ),
            )
    else:
        support = pick(rng, ["legs", "panels", "trestle", "frames", "hairpin"], [2, 1, 0.6, 0.8, 0.6])
        if support == "legs":
            add_legs(
                d,
                rng,
                L,
                W,
                ytop,
                False,
                {"leg": (0.03, 0.06), "apron": 0.5, "shelf": 0.15, "stretcher": 0.3},
            )
        elif support == "panels":
            add_panel_sides(d, rng, L, W, ytop, back=rng.random() < 0.6)
        elif support == "trestle":
            add_trestles(d, rng, L, W, ytop)
        elif support == "frames":
            add_tube_frames(d, rng, L, W, ytop)
        else:
            add_hairpins(d, rng, L, W, ytop)
        if rng.random() < 0.35:
            dh = uniform(rng, 0.07, 0.1)
            dw = uniform(rng, 0.35, 0.6)
            add(d, "drawer box", Box((0, ytop - dh / 2, 0), (dw / 2, dh / 2, W / 2 - 0.06)))
            add_drawers(d, rng, -dw / 2, dw / 2, ytop - dh, ytop, W / 2 - 0.06, 1, handle)
    holes = []
    if rng.random() < 0.35:  # cable grommets near the back edge
        r = uniform(rng, 0.025, 0.04)
        xs = [uniform(rng, 0.15, 0.3) * L] if rng.random() < 0.5 else [-0.35 * L, 0.35 * L]
        holes = [(x, -W / 2 + uniform(rng, 0.06, 0.1), r) for x in xs]
    add_top(d, rng, pick(rng, ["rect", "rounded"], [3, 1]), H, L, W, t, holes)
    return d.builder()
