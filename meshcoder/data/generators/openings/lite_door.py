"""Glazed doors, single or French pair."""

from __future__ import annotations

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.blocks import build
from meshcoder.data.generators.design import Design
from meshcoder.data.generators.geometry import pick
from meshcoder.data.generators.openings.door_parts import door_common, leaf_layout
from meshcoder.data.generators.openings.grid import Grid, glazing_bars, panes, slab
from meshcoder.data.generators.registry import register


@register("LiteDoor")
def lite_door(rng: np.random.Generator) -> ProgramBuilder:
    """Glazed doors, single or French pair: full, half (panels below), stacked, two-column grid or side
    lights cut through the leaf, glass panes, glazing bars, frame, hinges, lever, knob or pull handles."""
    layout = pick(rng, ["full", "half", "stacked", "grid", "side"], [0.35, 0.2, 0.15, 0.15, 0.15])
    double = layout in ("full", "grid") and rng.random() < 0.25
    d = Design("french door" if double else pick(rng, ["glass door", "lite door", "door"]))
    height = rng.uniform(1.95, 2.15)
    t = rng.uniform(0.035, 0.05)
    w = rng.uniform(0.7, 0.92) if not double else rng.uniform(0.55, 0.8)
    leaves = [(0.0, w)] if not double else [(-(w + 0.004) / 2, w), ((w + 0.004) / 2, w)]
    stile, top, bottom = leaf_layout(rng, pick(rng, ["classic", "slim"], [0.7, 0.3]))
    cols, rows = int(rng.integers(1, 4)), int(rng.integers(1, 6))
    if rng.random() < 0.3:
        cols, rows = 1, 1
    bar = rng.uniform(0.02, 0.035)
    mid_y = rng.uniform(0.9, 1.1)
    for xc, lw in leaves:
        inner_w = lw - 2 * stile
        y_lo, y_hi = bottom, height - top
        glass, panels = [], []
        if layout == "full":
            glass = [Grid(xc, (y_lo + y_hi) / 2, inner_w, y_hi - y_lo)]
        elif layout == "half":
            glass = [Grid(xc, (mid_y + y_hi) / 2, inner_w, y_hi - mid_y)]
            rail = rng.uniform(0.1, 0.18)
            ph = mid_y - rail - y_lo
            if rng.random() < 0.5:
                gap = rng.uniform(0.08, 0.12)
                pw = (inner_w - gap) / 2
                panels = [Grid(xc - (pw + gap) / 2, y_lo + ph / 2, pw, ph, nx=2, dx=pw + gap)]
            else:
                panels = [Grid(xc, y_lo + ph / 2, inner_w, ph)]
        elif layout == "stacked":
            n = int(rng.integers(3, 6))
            rail = rng.uniform(0.05, 0.1)
            gh = (y_hi - y_lo - (n - 1) * rail) / n
            glass = [Grid(xc, y_lo + gh / 2, inner_w, gh, ny=n, dy=gh + rail)]
        elif layout == "grid":
            n = int(rng.integers(2, 5))
            rail = rng.uniform(0.05, 0.09)
            gw = (inner_w - rail) / 2
            gh = (y_hi - y_lo - (n - 1) * rail) / n
            glass = [
                Grid(xc - (gw + rail) / 2, y_lo + gh / 2, gw, gh, nx=2, dx=gw + rail, ny=n, dy=gh + rail)
            ]
        else:  # one narrow light beside the latch or the hinges
            gw = rng.uniform(0.1, 0.2)
            side = 1.0 if rng.random() < 0.6 else -1.0
            x = xc + side * (lw / 2 - stile - gw / 2) if rng.random() < 0.7 else xc
            glass = [Grid(x, (y_lo + y_hi) / 2, gw, y_hi - y_lo)]
        slab(d, "door leaf", xc, lw, height, t, glass + panels)
        for g in glass:
            panes(d, rng, "glass", g, 0.006)
        for g in panels:
            panes(d, rng, "panel", g, t * rng.uniform(0.4, 0.6), fill="grid")
        if layout in ("full", "half") and (cols > 1 or rows > 1):
            glazing_bars(
                d,
                "glazing bars",
                glass[0],
                cols,
                rows if layout == "full" else max(1, rows // 2),
                bar,
                t * 0.6,
            )
    handle = pick(rng, ["lever", "knob", "pull"], [0.5, 0.2, 0.3])
    door_common(d, rng, leaves, height, t, handle)
    return build(d, final_query=rng.random() < 0.25)
