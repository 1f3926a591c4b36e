"""Panel doors."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.builder import PartWriter, ProgramBuilder
from meshcoder.data.frame import Frame
from meshcoder.data.generators.blocks import build, part
from meshcoder.data.generators.design import Design
from meshcoder.data.generators.geometry import pick
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
    rail = rng.uniform(0.08, 0.16)
    mull = rng.uniform(0.08, 0.14)
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
    double = rng.random() < 0.15
    d = Design(pick(rng, ["panel door", "door", "wooden door"]) if not double else "double panel door")
    height = rng.uniform(1.95, 2.15)
    t = rng.uniform(0.035, 0.05)
    w = rng.uniform(0.7, 0.92) if not double else rng.uniform(0.6, 0.8)
    leaves = [(0.0, w)] if not double else [(-(w + 0.004) / 2, w), ((w + 0.004) / 2, w)]
    stile, top, bottom = leaf_layout(rng, "classic")
    fill = pick(rng, ["grid", "mesh"])
    moulded = rng.random() < 0.35
    panel_t = t * rng.uniform(0.4, 0.65)
    for xc, lw in leaves:
        grids = _panel_grids(rng, layout, xc, lw - 2 * stile, bottom, height - top)
        slab(d, "door leaf", xc, lw, height, t, grids)
        for g in grids:
            panes(d, rng, "raised panel", g, panel_t, fill=fill)
        if moulded:
            m = rng.uniform(0.012, 0.02)
            for g in grids:
                _moulding(d, g, m, t)
    handle = pick(rng, ["lever", "knob"], [0.6, 0.4])
    door_common(d, rng, leaves, height, t, handle)
    return build(d, final_query=rng.random() < 0.25)


def _moulding(d: Design, g: Grid, m: float, t: float) -> None:
    """A square moulding of side ``m`` round each of the grid's openings, on the face of a leaf ``t``
    thick."""
    with part(d, "moulding") as p:
        for cx, cy in g.centres():
            p.cover(
                [
                    [cx - g.w / 2 - m / 2, cy - g.h / 2 - m / 2, t / 2],
                    [cx + g.w / 2 + m / 2, cy + g.h / 2 + m / 2, t / 2 + m],
                ]
            )

        def write(wr: PartWriter, f: Frame) -> None:
            # a closed frame: sharp corners keep 1/sqrt(2) of the profile, so it is widened
            wr.call("create_square", name=wr.helper("square"), length=f.l(m * math.sqrt(2)))
            wr.call(
                "create_rectangle",
                name=wr.obj,
                profile_name=wr.helper("square"),
                width=f.l(g.w),
                length=f.l(g.h),
                location=g.first(f, t / 2 + m / 2),
            )
            array_grid(wr, f, wr.obj, g)

        p.write(write)
