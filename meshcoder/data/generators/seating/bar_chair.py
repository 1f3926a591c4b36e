"""BarChair: bar and counter stools."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.design import Design, written
from meshcoder.data.generators.geometry import X_AXIS, Z_AXIS, pick, quat_from_matrix, rotation_about
from meshcoder.data.generators.registry import register
from meshcoder.data.generators.seating.ops import Bend, Bevel
from meshcoder.data.generators.seating.pieces import beam, straight_leg, uniform, vec
from meshcoder.data.generators.seating.rotations import tilt_x
from meshcoder.data.generators.seating.shapes import Box, CurvedPanel, Cyl, Lathe, Ring, Sweep, add


@register("BarChair")
def bar_chair(rng: np.random.Generator) -> ProgramBuilder:
    """Bar and counter stools: a pedestal with a foot ring, three or four splayed legs with a ring or
    rails, or a tube frame; round, square or bent seats; no back, a low bent back or a full back."""
    d = Design("bar chair")
    H = uniform(rng, 0.6, 0.82)
    base = pick(rng, ["pedestal", "four legs", "three legs", "frame"], [1, 1.3, 0.6, 0.5])
    seat = pick(rng, ["round", "square", "bent"], [1.2, 1, 0.6] if base != "frame" else [0, 1, 1])
    back = pick(rng, ["none", "low", "full", "shell"], [0.45, 0.25, 0.3, 0.25 if base != "frame" else 0.0])
    st = uniform(rng, 0.03, 0.08) if back != "shell" else uniform(rng, 0.012, 0.025)
    r = uniform(rng, 0.17, 0.22)
    half = uniform(rng, 0.17, 0.22)
    if back == "shell":
        seat = "square"
    under = H - st if back != "shell" else H - st / 2 - 0.005
    foot_y = uniform(rng, 0.22, 0.34)
    if base == "pedestal":
        _add_pedestal(d, rng, under, foot_y)
    elif base in ("four legs", "three legs"):
        _add_splayed_legs(
            d, rng, 4 if base == "four legs" else 3, half if seat != "round" else r, under, foot_y
        )
    else:
        _add_tube_frames(d, rng, half, under, foot_y)
    if back == "shell":
        _add_shell(d, rng, H, half, st)
        return d.builder()
    edge = _add_seat(d, rng, seat, H, r, half, st)
    if back != "none":
        _add_back(d, rng, back, H, edge, st)
    return d.builder()


def _round_seat(rng, top: float, r: float, t: float) -> Lathe:
    """A padded round seat as a lathe: flat bottom, rounded rim, slightly domed top."""
    e = min(0.02, t * 0.4)
    prof = [(0, 0), (r - e, 0), (r, e), (r, t - e), (r - e * 1.5, t), (0, t + uniform(rng, 0.0, 0.01))]
    return Lathe((0, top - t, 0), prof, [1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1])


def _add_pedestal(d: Design, rng, under: float, foot_y: float) -> None:
    """A domed round base, a column (optionally sleeved) up to the seat plate at ``under``, and a foot
    ring on spokes at ``foot_y``."""
    rb = uniform(rng, 0.19, 0.25)
    rc = uniform(rng, 0.018, 0.03)
    dome = uniform(rng, 0.01, 0.04)
    add(
        d,
        "base",
        Lathe(
            (0, 0, 0),
            [(0, 0), (rb, 0), (rb, 0.012), (rc * 2.5, 0.012 + dome), (0, 0.015 + dome)],
            [1, 1, 1, 1, 1, 0, 0, 1, 1, 1],
        ),
    )
    sleeve = rng.random() < 0.5
    add(d, "column", Cyl((0, 0.01, 0), (0, under - 0.03, 0), rc))
    if sleeve:
        add(d, "column cover", Cyl((0, 0.015 + dome, 0), (0, foot_y + 0.08, 0), rc * 1.5))
    fr = uniform(rng, 0.15, 0.2)
    tube = uniform(rng, 0.009, 0.013)
    add(d, "footrest", Ring((0, foot_y, 0), fr, tube))
    spokes = int(rng.choice([3, 4]))
    add(
        d,
        "footrest support",
        Cyl((0, foot_y, rc), (0, foot_y, fr), tube * 0.8),
        radial=(spokes, (0, foot_y, 0)),
    )
    add(d, "seat plate", Cyl((0, under - 0.03, 0), (0, under, 0), rc * 3))


def _add_splayed_legs(d: Design, rng, n: int, seat_r: float, under: float, foot_y: float) -> None:
    """``n`` legs splayed out from under a seat of half size ``seat_r``, joined by a foot ring or rails."""
    t = uniform(rng, 0.022, 0.035)
    rt = seat_r * uniform(rng, 0.6, 0.8)
    splay = uniform(rng, 0.03, 0.09)
    style = pick(rng, ["round", "tapered round", "square"])
    angles = (
        [math.pi / 4 + k * math.pi / 2 for k in range(4)]
        if n == 4
        else [k * 2 * math.pi / 3 for k in range(3)]
    )
    dirs = [vec(math.sin(a), 0, math.cos(a)) for a in angles]
    for u in dirs:
        add(d, "leg", straight_leg(style, u * (rt + splay), u * rt + vec(0, under, 0), t))
    s = 1 - foot_y / under
    rf = rt + splay * (1 - s)  # the legs' distance from the axis at the footrest
    if n == 3 or rng.random() < 0.5:
        add(d, "footrest", Ring((0, foot_y, 0), rf + t * 0.3, uniform(rng, 0.008, 0.012)))
    else:
        for k in range(n):
            a, b = dirs[k] * rf + vec(0, foot_y, 0), dirs[(k + 1) % n] * rf + vec(0, foot_y, 0)
            add(d, "stretcher", Cyl(a, b, t * 0.35))


def _add_tube_frames(d: Design, rng, half: float, under: float, foot_y: float) -> None:
    """A bent tube frame each side and a front footrest bar."""
    rtube = uniform(rng, 0.01, 0.014)
    x = half - 0.03
    for sx in (-1, 1):
        pts = [
            (sx * x, under - rtube, half - 0.03),
            (sx * x, rtube, half + 0.04),
            (sx * x, rtube, -half - 0.04),
            (sx * x, under - rtube, -half + 0.03),
        ]
        add(d, "frame", Sweep(pts, ("circle", rtube), fillet=0.05))
    zf = half + 0.04 - (half + 0.04 - half + 0.03) * foot_y / under
    add(d, "footrest", Cyl((-x, foot_y, zf), (x, foot_y, zf), rtube))


def _add_shell(d: Design, rng, H: float, half: float, st: float) -> None:
    """One moulded seat-and-back, laid along the side profile."""
    tilt = math.radians(uniform(rng, 6, 14))
    hb = uniform(rng, 0.25, 0.4)
    zb = -half + 0.02
    top = vec(0, H + hb * math.cos(tilt), zb - hb * math.sin(tilt))
    path = [
        (0, H - 0.02, half),
        (0, H, half - 0.08),
        (0, H + 0.01, zb + 0.05),
        (0, H + 0.1, zb - 0.01),
        top,
    ]
    add(d, "shell", CurvedPanel(path, 2 * half, st, codes=[1, 1, 0, 0, 0, 0, 0, 0, 1, 1]))


def _add_seat(d: Design, rng, seat: str, H: float, r: float, half: float, st: float) -> float:
    """A round, square or bent seat whose top is at ``H``; returns how far back its edge reaches."""
    if seat == "round":
        add(d, "seat", _round_seat(rng, H, r, st))
        edge = r
    else:
        res = [12, 1, 1] if seat == "bent" else None
        ops = [Bevel(uniform(rng, 0.2, 0.45), 3)]
        if seat == "bent":
            ops = [Bend(uniform(rng, 0.12, 0.3), (0, H, 0), (0.0, 1.0, 0.0, 0.0)), *ops]
        add(
            d,
            "seat",
            Box((0, H - st / 2, 0), (half, st / 2, half * uniform(rng, 0.9, 1.0)), res=res, ops=ops),
        )
        edge = half
    return edge


def _add_back(d: Design, rng, back: str, H: float, edge: float, st: float) -> None:
    """A low or full bent backrest on two flat supports from the seat's back edge."""
    tilt = math.radians(uniform(rng, 5, 15))
    R = tilt_x(-tilt)
    zb = -edge + 0.02
    bh = uniform(rng, 0.08, 0.16) if back == "low" else uniform(rng, 0.2, 0.3)
    u_top = uniform(rng, 0.2, 0.3) if back == "low" else uniform(rng, 0.32, 0.45)
    bw = edge * 2 * uniform(rng, 0.85, 1.05)
    centre = vec(0, H, zb) + R @ vec(0, u_top - bh / 2, -0.02)
    for sx in (-1, 1):
        x = sx * bw * 0.3
        a = vec(x, H - st, zb + 0.02)
        b = centre + R @ vec(x, 0, -0.03)
        add(d, "back support", beam(a, b, 0.03, 0.012, up=Z_AXIS))
    frame = written(quat_from_matrix(R @ rotation_about(X_AXIS, math.pi / 2)))
    ops = [Bend(uniform(rng, 0.2, 0.45), centre, frame), Bevel(0.2, 2)]
    add(d, "backrest", Box(centre, (bw / 2, bh / 2, 0.012), R, res=[16, 1, 1], ops=ops))
