"""Spoons and ladles."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.design import Design, lathe, sweep
from meshcoder.data.generators.geometry import pick
from meshcoder.data.generators.registry import register
from meshcoder.data.generators.tableware.pieces import cutlery, wooden_handle


@register("Spoon")
def spoon(rng: np.random.Generator) -> ProgramBuilder:
    """Spoons: table, tea, dessert, round soup and serving spoons (some serving spoons with a
    separate handle), Chinese soup spoons, and ladles (a turned bowl with a swept, hooked handle)."""
    kind = pick(
        rng, {"table": 3, "tea": 2, "dessert": 1.5, "soup": 1.5, "serving": 1.5, "chinese": 1, "ladle": 1.5}
    )
    d = Design("ladle" if kind == "ladle" else f"{kind} spoon")
    if kind == "ladle":
        return _ladle(d, rng)
    length, bowl_w, bowl_frac = {
        "table": ((0.18, 0.21), (0.02, 0.024), (0.3, 0.36)),
        "tea": ((0.12, 0.15), (0.013, 0.017), (0.3, 0.36)),
        "dessert": ((0.16, 0.18), (0.017, 0.02), (0.3, 0.35)),
        "soup": ((0.17, 0.2), (0.022, 0.026), (0.26, 0.32)),
        "serving": ((0.22, 0.28), (0.025, 0.032), (0.3, 0.36)),
        "chinese": ((0.12, 0.15), (0.022, 0.028), (0.45, 0.55)),
    }[kind]
    L = rng.uniform(*length)
    bw = rng.uniform(*bowl_w)
    bowl_len = L * rng.uniform(*bowl_frac)
    t = rng.uniform(0.0015, 0.0028) * (1.8 if kind == "chinese" else 1.0)
    depth = bw * rng.uniform(0.25, 0.45) * (1.4 if kind == "chinese" else 1.0)
    x0, x1 = -L / 2, L / 2
    xb = x1 - bowl_len
    lift = L * rng.uniform(0.02, 0.05) * (2.5 if kind == "chinese" else 1.0)
    end_w = bw * rng.uniform(0.45, 0.6) if kind != "chinese" else bw * rng.uniform(0.3, 0.4)
    neck_w = bw * rng.uniform(0.22, 0.32)
    round_bowl = kind == "soup"
    widest = xb + bowl_len * (0.5 if round_bowl else rng.uniform(0.3, 0.42))
    separate = kind == "serving" and rng.random() < 0.35
    # The bowl: from the neck it widens, is widest at ``widest`` and closes round at the tip.
    bowl_xs = [xb, xb + 0.15 * bowl_len, widest, x1 - 0.15 * bowl_len, x1 - 0.04 * bowl_len, x1]
    bowl_ws = [
        neck_w,
        0.65 * bw,
        bw,
        bw * (0.9 if round_bowl else 0.75),
        bw * (0.55 if round_bowl else 0.4),
        0.0,
    ]
    handle_len = L * rng.uniform(0.4, 0.5)
    if separate:
        xs = [x0 + handle_len * 0.7, xb - 0.15 * bowl_len, *bowl_xs]
        ws = [neck_w, neck_w, *bowl_ws]
        zs = [0.0] * (len(xs) - 1) + [0.001]
    else:
        xs = [x0, x0 + 0.35 * L, *bowl_xs]
        ws = [end_w, end_w * 0.6, *bowl_ws]
        zs = [lift, lift * 0.55] + [0.0] * (len(bowl_xs) - 1) + [0.001]
    cutlery(d, "spoon", "create_spoon", xs, ws, zs, t, z_depth=depth)
    if separate:
        wooden_handle(d, rng, x0, x0 + handle_len, bw * rng.uniform(0.45, 0.6), 0.0, max(0.006, bw * 0.3))
    return d.builder()


def _ladle(d: Design, rng: np.random.Generator) -> ProgramBuilder:
    """A ladle: a deep turned bowl and a long handle swept up from its rim, ending in a hook."""
    r = rng.uniform(0.035, 0.055)
    depth = r * rng.uniform(0.7, 1.0)
    wall = rng.uniform(0.0015, 0.003)
    lathe(
        d,
        "bowl",
        [(0, 0), (0.6 * r, 0.05 * depth), (0.95 * r, 0.5 * depth), (r, depth)],
        "saaa",
        thickness=wall,
        resolution=16,
    )
    length = rng.uniform(0.22, 0.32)
    angle = math.radians(rng.uniform(35, 60))
    start = np.array([-r + 0.002, depth, 0.0])
    direction = np.array([-math.cos(angle), math.sin(angle), 0.0])
    mid = start + direction * length * 0.5 + np.array([0.0, 0.015, 0.0])
    end = start + direction * length
    path = [start, start + direction * 0.02 + np.array([0, 0.01, 0]), mid, end]
    kinds = "saaa"
    if rng.random() < 0.6:  # a hook to hang it by
        hook = rng.uniform(0.012, 0.02)
        path.append(end + np.array([-hook, hook * 0.3, 0]))
        path.append(end + np.array([-hook * 1.3, -hook * 0.8, 0]))
        kinds = "saaaaa"
    strap = rng.uniform(0.005, 0.009)
    shape = ("oval", 0.0015, strap) if rng.random() < 0.6 else ("rect", 0.0015, strap)
    sweep(d, "handle", [tuple(p) for p in path], kinds, shape)
    return d.builder()
