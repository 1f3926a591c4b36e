"""ArmChair: upholstered armchairs and wooden-framed lounge chairs."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.design import Design
from meshcoder.data.generators.geometry import X_AXIS, pick, rotation_about
from meshcoder.data.generators.registry import register
from meshcoder.data.generators.seating.cushions import cushion_shape
from meshcoder.data.generators.seating.ops import Bevel
from meshcoder.data.generators.seating.pieces import (
    LEG_STYLES,
    ROUND_STYLES,
    beam,
    rail_piece,
    straight_leg,
    uniform,
    vec,
)
from meshcoder.data.generators.seating.rotations import tilt_x
from meshcoder.data.generators.seating.shapes import Box, Sweep, add
from meshcoder.data.generators.seating.upholstered import upholstered


@register("ArmChair")
def armchair(rng: np.random.Generator) -> ProgramBuilder:
    """Upholstered armchairs (club, track-arm, wingback, tuxedo; legs or plinth) and wooden-framed
    lounge chairs with loose cushions."""
    d = Design("armchair")
    if rng.random() < 0.68:
        upholstered(d, rng, 1, sofa=False)
    else:
        _lounge_chair(d, rng)
    return d.builder()


def _lounge_chair(d: Design, rng) -> None:
    """A wooden-framed lounge armchair: four legs rising to the armrests, seat rails, a raked back
    frame, loose seat and back cushions."""
    W = uniform(rng, 0.62, 0.8)
    D = uniform(rng, 0.7, 0.86)
    H = uniform(rng, 0.38, 0.44)
    ah = uniform(rng, 0.55, 0.64)
    Hb = uniform(rng, 0.78, 0.98)
    t = uniform(rng, 0.035, 0.05)
    style = pick(rng, LEG_STYLES)
    aw = uniform(rng, 0.05, 0.1)
    xl = W / 2 - aw / 2
    zf, zb = D / 2 - uniform(rng, 0.03, 0.08), -D / 2 + uniform(rng, 0.08, 0.14)
    splay = uniform(rng, 0.0, 0.04)
    rail_y = H - uniform(rng, 0.1, 0.15)
    for z in (zb, zf):
        for sx in (-1, 1):
            top = vec(sx * xl, ah - 0.02, z)
            add(d, "leg", straight_leg(style, top + vec(0, -(ah - 0.02), math.copysign(splay, z)), top, t))
    rh, rt = uniform(rng, 0.04, 0.07), 0.025
    for sx in (-1, 1):
        add(d, "seat rail", beam((sx * xl, rail_y, zb), (sx * xl, rail_y, zf), rt, rh))
    for z in (zb, zf):
        add(d, "seat rail", beam((-xl, rail_y, z), (xl, rail_y, z), rt, rh))
    # armrests: straight boards or gently curved sweeps
    curved = rng.random() < 0.5
    for sx in (-1, 1):
        x = sx * xl
        if curved:
            pts = [(x, ah - 0.03, -D / 2), (x, ah + 0.01, (zb + zf) / 2), (x, ah - 0.02, D / 2)]
            add(d, "armrest", Sweep(pts, ("rect", aw, 0.025), [1, 1, 0, 0, 1, 1]))
        else:
            add(d, "armrest", Box((x, ah, 0), (aw / 2, 0.0125, D / 2)), ops=[Bevel(0.3, 3)])
    # back frame: two raked posts and a top rail
    tilt = math.radians(uniform(rng, 12, 24))
    R = tilt_x(-tilt)
    base = vec(0, rail_y, zb)
    L = (Hb - rail_y) / math.cos(tilt)
    xi = xl - t
    for sx in (-1, 1):
        a = base + vec(sx * xi, 0, 0)
        add(
            d,
            "back post",
            rail_piece("round" if style in ROUND_STYLES else "square", a, a + R @ vec(0, L, 0), t * 0.8),
        )
    top = base + R @ vec(0, L - 0.04, 0)
    add(d, "top rail", Box(top, (xi, 0.03, 0.012), R))
    # cushions
    cstyle = pick(rng, ["pillow", "box"])
    ct = uniform(rng, 0.08, 0.14)
    y0 = rail_y + rh / 2
    shape, ops = cushion_shape(
        rng, cstyle, (0, y0 + ct / 2, (zb + zf) / 2 + 0.03), (xi - 0.01, ct / 2, (zf - zb) / 2 + 0.02)
    )
    add(d, "seat cushion", shape, ops=ops)
    bct = uniform(rng, 0.08, 0.13)
    h = L * uniform(rng, 0.65, 0.85)
    c = base + R @ vec(0, ct + h / 2, bct / 2 + 0.02)
    if cstyle == "pillow":
        shape, ops = cushion_shape(
            rng, cstyle, c, (xi - 0.01, bct / 2, h / 2), R @ rotation_about(X_AXIS, -math.pi / 2)
        )
    else:
        shape, ops = cushion_shape(rng, cstyle, c, (xi - 0.01, h / 2, bct / 2), R)
    add(d, "back cushion", shape, ops=ops)
