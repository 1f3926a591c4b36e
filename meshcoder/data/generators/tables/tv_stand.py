"""TVStand: low media cabinets."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.design import Design
from meshcoder.data.generators.geometry import pick
from meshcoder.data.generators.registry import register
from meshcoder.data.generators.seating.ops import Bevel
from meshcoder.data.generators.seating.pieces import LEG_STYLES, straight_leg, uniform, vec
from meshcoder.data.generators.seating.shapes import Box, add
from meshcoder.data.generators.tables.cabinets import add_cabinet
from meshcoder.data.generators.tables.supports import add_hairpins


@register("TVStand")
def tv_stand(rng: np.random.Generator) -> ProgramBuilder:
    """Low media cabinets: two to four bays of doors, drawers, shelves or open space, on legs, a
    plinth or hairpins, with an overhanging or flush top."""
    d = Design("tv stand")
    L = uniform(rng, 1.1, 2.0)
    W = uniform(rng, 0.35, 0.5)
    H = uniform(rng, 0.4, 0.62)
    t = uniform(rng, 0.016, 0.025)
    handle = pick(rng, ["knob", "bar", "pull", "cutout"], [1, 1, 1, 0.6])
    lift = pick(rng, ["legs", "plinth", "hairpin", "none"], [2, 1, 0.5, 0.5])
    y0 = 0.0
    if lift == "legs":
        y0 = uniform(rng, 0.06, 0.2)
        lt = uniform(rng, 0.03, 0.05)
        style = pick(rng, LEG_STYLES)
        splay = uniform(rng, 0.0, 0.03) if style != "square" else 0.0
        xs = [-L / 2 + 0.05, L / 2 - 0.05]
        if L > 1.6 and rng.random() < 0.5:
            xs.insert(1, 0.0)
        for x in xs:
            for z in (-W / 2 + 0.05, W / 2 - 0.05):
                foot = vec(x + (math.copysign(splay, x) if x else 0.0), 0, z + math.copysign(splay, z))
                add(d, "leg", straight_leg(style, foot, (x, y0, z), lt))
    elif lift == "plinth":
        y0 = uniform(rng, 0.04, 0.1)
        add(d, "plinth", Box((0, y0 / 2, 0), (L / 2 - 0.03, y0 / 2, W / 2 - 0.03)))
    elif lift == "hairpin":
        y0 = uniform(rng, 0.12, 0.22)
        add_hairpins(d, rng, L, W, y0)
    n = int(rng.choice([2, 3, 3, 4])) if L > 1.3 else int(rng.choice([2, 3]))
    bays = [pick(rng, ["door", "drawers", "open", "shelf"], [1.2, 1, 0.8, 0.8]) for _ in range(n)]
    if rng.random() < 0.4:  # symmetric layouts are common
        bays = [bays[0], *bays[1:-1], bays[0]] if n > 2 else [bays[0], bays[0]]
    add_cabinet(d, rng, -L / 2, L / 2, y0, H, -W / 2, W / 2, t, handle, bays)
    if rng.random() < 0.35:  # an overhanging top board
        over = uniform(rng, 0.01, 0.04)
        d.parts = [p for p in d.parts if p.label != "top"]
        add(
            d,
            "top",
            Box((0, H + 0.01, 0), (L / 2 + over, 0.015, W / 2 + over * 0.5)),
            ops=[Bevel(uniform(rng, 0.05, 0.2), 2)],
        )
    return d.builder()
