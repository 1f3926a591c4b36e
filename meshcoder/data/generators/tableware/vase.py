"""Vases: turned outlines from a table of classic shapes, with feet, lips and handles."""

from __future__ import annotations

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.design import Design, lathe, sweep, swept_ring
from meshcoder.data.generators.geometry import pick
from meshcoder.data.generators.registry import register
from meshcoder.data.generators.tableware.pieces import profile_radius_at

# Vase outlines as (radius, height) fractions of the height, bottom to mouth, with handle letters.
_VASE_SHAPES = {
    "amphora": ([(0.12, 0.0), (0.24, 0.35), (0.1, 0.78), (0.09, 0.92), (0.13, 1.0)], "laaaa"),
    "bottle": ([(0.15, 0.0), (0.25, 0.28), (0.17, 0.5), (0.055, 0.72), (0.06, 0.93), (0.08, 1.0)], "laaaaa"),
    "cylinder": ([(0.16, 0.0), (0.17, 0.1), (0.18, 0.9), (0.18, 1.0)], "laaa"),
    "trumpet": ([(0.14, 0.0), (0.07, 0.25), (0.1, 0.65), (0.26, 1.0)], "laaa"),
    "ovoid": ([(0.16, 0.0), (0.33, 0.4), (0.25, 0.8), (0.14, 0.94), (0.16, 1.0)], "laaaa"),
    "bud": ([(0.1, 0.0), (0.14, 0.2), (0.05, 0.7), (0.07, 1.0)], "laaa"),
    "urn": ([(0.1, 0.0), (0.28, 0.45), (0.2, 0.82), (0.24, 1.0)], "laaa"),
}


@register("Vase")
def vase(rng: np.random.Generator) -> ProgramBuilder:
    """Vases: amphora, bottle, cylinder, trumpet, ovoid, bud and urn outlines, sometimes fluted;
    optional pedestal foot, lip bead and a pair of handles."""
    style = pick(
        rng, {"amphora": 2, "bottle": 2, "cylinder": 2, "trumpet": 1.5, "ovoid": 2, "bud": 1, "urn": 1.5}
    )
    height = rng.uniform(0.15, 0.45)
    width = rng.uniform(0.8, 1.25)
    shape, kinds = _VASE_SHAPES[style]
    jitter = rng.uniform(0.9, 1.1, size=len(shape))
    body = [(r * width * j * height, h * height) for (r, h), j in zip(shape, jitter)]
    # The bottom: a flat disc closing the wall on the axis.
    prof = [(0.0, 0.0), *body]
    kinds = "s" + kinds
    wall = rng.uniform(0.003, 0.008)
    d = Design(f"{style} vase")

    y0 = 0.0
    if style in ("amphora", "urn", "trumpet") and rng.random() < 0.5:
        r_foot = body[0][0] * rng.uniform(1.0, 1.4)
        h_foot = height * rng.uniform(0.05, 0.1)
        lathe(
            d,
            "foot",
            [(0, 0), (r_foot, 0), (r_foot * 0.95, 0.3 * h_foot), (body[0][0] * 0.7, h_foot), (0, h_foot)],
            "ssaas",
        )
        y0 = h_foot
    flutes = None
    if rng.random() < 0.25:
        flutes = (int(rng.choice([12, 16, 20, 24, 32])), float(rng.choice([0.01, 0.02])))
    lathe(d, "body", prof, kinds, base=(0, y0, 0), thickness=wall, flutes=flutes, resolution=16)

    mouth_r, mouth_h = body[-1]
    if flutes is None and rng.random() < 0.25:
        swept_ring(d, "lip", (0, y0 + mouth_h, 0), mouth_r + wall, rng.uniform(0.003, 0.006))
    if (style in ("amphora", "urn") and rng.random() < 0.7) or rng.random() < 0.1:
        top_h = mouth_h * rng.uniform(0.78, 0.9)
        low_h = mouth_h * rng.uniform(0.45, 0.6)
        r_top, r_low = (
            profile_radius_at(prof, kinds, top_h, wall),
            profile_radius_at(prof, kinds, low_h, wall),
        )
        reach = height * rng.uniform(0.06, 0.12)
        t = height * rng.uniform(0.012, 0.02)
        shape_h = ("oval", t / 2, t * rng.uniform(0.8, 1.6)) if rng.random() < 0.6 else ("circle", t / 2)
        sink = t * 0.3
        for side in (-1, 1):
            path = [
                (side * (r_top - sink), y0 + top_h, 0),
                (side * (max(r_top, r_low) + reach), y0 + top_h + 0.02 * height, 0),
                (side * (r_low + 0.3 * reach), y0 + low_h + 0.05 * height, 0),
                (side * (r_low - sink), y0 + low_h, 0),
            ]
            sweep(d, "handle", path, "saas", shape_h)
    return d.builder()
