"""Louvred doors of one, two or four leaves."""

from __future__ import annotations

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.blocks import box, build, cylinder, part, sphere
from meshcoder.data.generators.design import Design
from meshcoder.data.generators.geometry import pick
from meshcoder.data.generators.openings.door_parts import door_frame, door_handles, hinges
from meshcoder.data.generators.openings.grid import Grid, louvres, panes
from meshcoder.data.generators.registry import register


@register("LouverDoor")
def louver_door(rng: np.random.Generator) -> ProgramBuilder:
    """Louvred doors of one, two (bifold) or four leaves built from stiles and rails: full, two-section,
    louvre-over-panel or panel-over-vent layouts, tilted slats as arrays, optional frame, knobs."""
    layout = pick(rng, ["full", "two", "half", "vent"], [0.35, 0.25, 0.25, 0.15])
    n_leaves = pick(rng, [1, 2, 4], [0.6, 0.3, 0.1])
    d = Design(
        "louvered door" if n_leaves == 1 else pick(rng, ["bifold louvered door", "louvered closet doors"])
    )
    height = rng.uniform(1.9, 2.1) if n_leaves < 4 else rng.uniform(1.8, 2.05)
    t = rng.uniform(0.03, 0.042)
    total = rng.uniform(0.7, 0.9) if n_leaves == 1 else rng.uniform(0.4, 0.48) * n_leaves
    gap = 0.004
    w = (total - gap * (n_leaves - 1)) / n_leaves
    stile = rng.uniform(0.05, 0.09) if n_leaves > 1 else rng.uniform(0.07, 0.12)
    top = rng.uniform(0.07, 0.12)
    bottom = rng.uniform(0.12, 0.22)
    rail = rng.uniform(0.08, 0.14)
    angle = rng.uniform(0.6, 0.85)
    slat_t = rng.uniform(0.007, 0.011)
    split = rng.uniform(0.85, 1.1)
    leaves = []
    for i in range(n_leaves):
        xc = -total / 2 + w / 2 + i * (w + gap)
        leaves.append((xc, w))
        inner = w - 2 * stile
        with part(d, "stile") as p:
            box(p, p.obj, [xc - w / 2 + stile / 2, height / 2, 0], [stile / 2, height / 2, t / 2])
        with part(d, "stile") as p:
            box(p, p.obj, [xc + w / 2 - stile / 2, height / 2, 0], [stile / 2, height / 2, t / 2])
        with part(d, "top rail") as p:
            box(p, p.obj, [xc, height - top / 2, 0], [inner / 2, top / 2, t / 2])
        with part(d, "bottom rail") as p:
            box(p, p.obj, [xc, bottom / 2, 0], [inner / 2, bottom / 2, t / 2])
        y_lo, y_hi = bottom, height - top
        if layout == "full":
            louvres(d, "louvres", xc, inner, y_lo, y_hi, t, angle, slat_t)
            continue
        if layout == "vent":
            mid = y_lo + rng.uniform(0.25, 0.45)
        else:
            mid = split
        with part(d, "lock rail") as p:
            box(p, p.obj, [xc, mid, 0], [inner / 2, rail / 2, t / 2])
        if layout == "two":
            louvres(d, "louvres", xc, inner, y_lo, mid - rail / 2, t, angle, slat_t)
            louvres(d, "louvres", xc, inner, mid + rail / 2, y_hi, t, angle, slat_t)
        else:
            louvre_lo, louvre_hi = (mid + rail / 2, y_hi) if layout == "half" else (y_lo, mid - rail / 2)
            panel_lo, panel_hi = (y_lo, mid - rail / 2) if layout == "half" else (mid + rail / 2, y_hi)
            louvres(d, "louvres", xc, inner, louvre_lo, louvre_hi, t, angle, slat_t)
            g = Grid(xc, (panel_lo + panel_hi) / 2, inner + 0.01, panel_hi - panel_lo + 0.01)
            panes(d, rng, "panel", g, t * rng.uniform(0.4, 0.6), fill=pick(rng, ["grid", "mesh"]))
    if rng.random() < 0.5:
        door_frame(d, rng, total, height, t)
    if n_leaves != 2 or rng.random() < 0.5:
        hinges(d, rng, -total / 2, height, t)
    kind = pick(rng, ["knob", "lever"], [0.7, 0.3])
    hy = rng.uniform(0.9, 1.05)
    if n_leaves == 1:
        door_handles(d, rng, total / 2 - stile / 2, hy, t, -1.0, kind)
    else:
        for xc, lw in leaves[1::2]:
            with part(d, "knob") as p:
                x = xc + lw / 2 - stile / 2
                cylinder(p, p.obj, [x, hy, t / 2], [x, hy, t / 2 + 0.025], 0.007)
                ball = p.helper("ball")
                sphere(p, ball, [x, hy, t / 2 + 0.035], 0.016)
                p.call("join_obj", name=p.obj, seq_name=[p.obj, ball])
    return build(d, final_query=rng.random() < 0.25)
