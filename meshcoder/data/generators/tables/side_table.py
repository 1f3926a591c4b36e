"""SidetableDesk: side tables and nightstands."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.design import Design
from meshcoder.data.generators.geometry import pick
from meshcoder.data.generators.registry import register
from meshcoder.data.generators.seating.pieces import LEG_STYLES, straight_leg, uniform, vec
from meshcoder.data.generators.seating.shapes import Box, Cyl, add
from meshcoder.data.generators.tables.cabinets import add_cabinet, add_drawers
from meshcoder.data.generators.tables.supports import add_legs, add_pedestal, add_top


@register("SidetableDesk")
def sidetable_desk(rng: np.random.Generator) -> ProgramBuilder:
    """Side tables and nightstands: small square or round tops on legs (drawer box, lower shelf), a
    tripod or a pedestal, or a small cabinet with drawers, a door or open bays on legs or a plinth."""
    d = Design("side table")
    H = uniform(rng, 0.45, 0.7)
    kind = pick(rng, ["legs", "cabinet", "tripod", "pedestal"], [1.5, 1.3, 0.5, 0.5])
    t = uniform(rng, 0.018, 0.04)
    handle = pick(rng, ["knob", "bar", "pull", "cutout"], [1, 1, 1, 0.6])
    if kind in ("tripod", "pedestal"):
        R = uniform(rng, 0.2, 0.3)
        ytop = H - t
        if kind == "pedestal":
            add_pedestal(d, rng, ytop, R)
        else:
            lt = uniform(rng, 0.025, 0.04)
            splay = uniform(rng, 0.04, 0.1)
            for k in range(3):
                a = 2 * math.pi * k / 3
                u = vec(math.sin(a), 0, math.cos(a))
                add(
                    d,
                    "leg",
                    straight_leg(
                        pick(rng, ["round", "tapered round"]),
                        u * (R * 0.55 + splay),
                        u * R * 0.55 + vec(0, ytop, 0),
                        lt,
                    ),
                )
            if rng.random() < 0.5:
                sy = uniform(rng, 0.15, 0.3)
                add(d, "shelf", Cyl((0, sy - 0.01, 0), (0, sy + 0.01, 0), R * 0.55 + splay * (1 - sy / ytop)))
        add_top(d, rng, "round", H, 2 * R, 2 * R, t)
        return d.builder()
    L = uniform(rng, 0.4, 0.6)
    W = uniform(rng, 0.35, 0.5)
    if kind == "legs":
        ytop = H - t
        add_legs(
            d, rng, L, W, ytop, False, {"leg": (0.025, 0.045), "apron": 0.4, "shelf": 0.5, "stretcher": 0.2}
        )
        if rng.random() < 0.5:
            dh = uniform(rng, 0.08, 0.14)
            add(d, "drawer box", Box((0, ytop - dh / 2, 0), (L / 2 - 0.05, dh / 2, W / 2 - 0.05)))
            add_drawers(d, rng, -L / 2 + 0.06, L / 2 - 0.06, ytop - dh, ytop, W / 2 - 0.05, 1, handle)
        add_top(d, rng, pick(rng, ["rect", "rounded"]), H, L, W, t)
        return d.builder()
    # a small cabinet on legs or a plinth
    lift = pick(rng, ["legs", "plinth"])
    y0 = uniform(rng, 0.08, 0.2) if lift == "legs" else uniform(rng, 0.03, 0.08)
    ct = uniform(rng, 0.015, 0.022)
    if lift == "legs":
        lt = uniform(rng, 0.025, 0.04)
        style = pick(rng, LEG_STYLES)
        for sx in (-1, 1):
            for sz in (-1, 1):
                top = vec(sx * (L / 2 - lt / 2 - 0.01), y0, sz * (W / 2 - lt / 2 - 0.01))
                add(d, "leg", straight_leg(style, top * [1, 0, 1] + vec(sx * 0.01, 0, sz * 0.01), top, lt))
    else:
        add(d, "plinth", Box((0, y0 / 2, 0.0), (L / 2 - 0.02, y0 / 2, W / 2 - 0.02)))
    bay = pick(rng, ["drawers", "door", "open", "shelf"], [2, 1, 0.5, 0.7])
    add_cabinet(d, rng, -L / 2, L / 2, y0, H, -W / 2, W / 2, ct, handle, [bay])
    return d.builder()
