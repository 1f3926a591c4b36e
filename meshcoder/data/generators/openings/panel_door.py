"""Panel doors."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.drawing.design import Design, Len
from meshcoder.data.generators.drawing.sampling import chance, uniform
from meshcoder.data.generators.geometry import (
    pick,
)
from meshcoder.data.generators.openings.door_parts import door_common, leaf_layout
from meshcoder.data.generators.openings.grid import Grid, array_grid, panes, slab
from meshcoder.data.generators.registry import register

PANEL_LAYOUTS = {
    # rows from the bottom: (relative height, columns)
    "one": [(1.0, 1)],
    "two": [(0.6, 1), (0.4, 1)],
    "three": [(1.0, 1), (1.0, 1), (1.0, 1)],
    "five": [(1.0, 1)] * 5,
    "four": [(0.55, 2), (0.45, 2)],
    "six": [(0.35, 2), (0.45, 2), (0.2, 2)],
    "cross": [(0.4, 2), (0.6, 2)],
    "two tall": [(1.0, 2)],
    "eight": [(1.0, 2)] * 4,
}


def _panel_grids(rng, layout: str, xc: float, inner_w: float, y_lo: float, y_hi: float) -> list[Grid]:
    """The panel openings of a leaf for ``layout``: its rows from the bottom, equal neighbouring rows merged
    into one grid."""
    rows = PANEL_LAYOUTS[layout]
    rail = uniform(rng, 0.08, 0.16)
    mull = uniform(rng, 0.08, 0.14)
    total = sum(r for r, _ in rows)
    avail = y_hi - y_lo - rail * (len(rows) - 1)
    grids: list[Grid] = []
    y = y_lo
    for rel, cols in rows:
        h = avail * rel / total
        pw = (inner_w - mull * (cols - 1)) / cols
        g = Grid(xc - (inner_w - pw) / 2, y + h / 2, pw, h, nx=cols, dx=pw + mull)
        last = grids[-1] if grids else None
        if last is not None and last.nx == cols and abs(last.h - h) < 1e-6 and abs(last.w - pw) < 1e-6:
            if last.ny == 1:
                last.dy = g.y0 - last.y0
            last.ny += 1
        else:
            grids.append(g)
        y += h + rail
    return grids


@register("PanelDoor")
def panel_door(rng: np.random.Generator) -> ProgramBuilder:
    """Panel doors (one to eight panels in rows of one or two, single or double leaf): openings cut
    through the leaf, raised panels, optional mouldings, frame, hinges, lever or knob handles."""
    layout = pick(rng, list(PANEL_LAYOUTS))
    double = chance(rng, 0.15)
    d = Design(pick(rng, ["panel door", "door", "wooden door"]) if not double else "double panel door")
    height = uniform(rng, 1.95, 2.15)
    t = uniform(rng, 0.035, 0.05)
    w = uniform(rng, 0.7, 0.92) if not double else uniform(rng, 0.6, 0.8)
    leaves = [(0.0, w)] if not double else [(-(w + 0.004) / 2, w), ((w + 0.004) / 2, w)]
    stile, top, bottom = leaf_layout(rng, "classic")
    fill = pick(rng, ["grid", "mesh"])
    moulded = chance(rng, 0.35)
    panel_t = t * uniform(rng, 0.4, 0.65)
    for xc, lw in leaves:
        grids = _panel_grids(rng, layout, xc, lw - 2 * stile, bottom, height - top)
        slab(d, "door leaf", xc, lw, height, t, grids)
        for g in grids:
            panes(d, rng, "raised panel", g, panel_t, fill=fill)
        if moulded:
            m = uniform(rng, 0.012, 0.02)
            for g in grids:
                with d.part("moulding") as p:
                    prof = p.helper("square")
                    for cx, cy in g.centres():
                        d.grow(
                            [
                                [cx - g.w / 2 - m / 2, cy - g.h / 2 - m / 2, t / 2],
                                [cx + g.w / 2 + m / 2, cy + g.h / 2 + m / 2, t / 2 + m],
                            ]
                        )
                    # a closed frame: sharp corners keep 1/sqrt(2) of the profile, so it is widened
                    p.call("create_square", name=prof, length=Len(m * math.sqrt(2)))
                    p.call(
                        "create_rectangle",
                        name=p.obj,
                        profile_name=prof,
                        width=Len(g.w),
                        length=Len(g.h),
                        location=g.first(t / 2 + m / 2),
                    )
                    array_grid(p, p.obj, g)
    handle = pick(rng, ["lever", "knob"], [0.6, 0.4])
    door_common(d, rng, leaves, height, t, handle)
    return d.build(final_query=chance(rng, 0.25))
