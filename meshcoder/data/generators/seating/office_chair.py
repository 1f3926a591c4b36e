"""OfficeChair: swivel office chairs."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.design import Design, written
from meshcoder.data.generators.geometry import X_AXIS, Z_AXIS, pick, quat_from_matrix, rotation_about
from meshcoder.data.generators.registry import register
from meshcoder.data.generators.seating.ops import Bend, Bevel, Smooth, Subsurf
from meshcoder.data.generators.seating.pieces import beam, facing, uniform, vec
from meshcoder.data.generators.seating.rotations import tilt_x
from meshcoder.data.generators.seating.shapes import Box, Cyl, Loft, Panel, Sweep, Trap, add


@register("OfficeChair")
def office_chair(rng: np.random.Generator) -> ProgramBuilder:
    """Swivel office chairs: a five-star base with casters, gas lift, mechanism, padded or board
    seat, bent, framed or padded backrest on a support bar, optional headrest and armrests."""
    d = Design("office chair")
    H = uniform(rng, 0.45, 0.54)
    arm_y, th = _add_star_base(d, rng)
    seat_bottom, mech_y, mech_h, W, D = _add_lift_and_seat(d, rng, H, arm_y, th)
    _add_back(d, rng, H, W, D, mech_y + mech_h / 2)
    if rng.random() < 0.65:
        _add_armrests(d, rng, H, W, D, seat_bottom)
    return d.builder()


def _add_star_base(d: Design, rng) -> tuple[float, float]:
    """Five casters, five star legs and a hub; returns the legs' underside height and thickness."""
    Rb = uniform(rng, 0.28, 0.34)
    cr = uniform(rng, 0.025, 0.035)
    arm_y = 2 * cr + uniform(rng, 0.01, 0.04)
    th = uniform(rng, 0.03, 0.045)
    hub_r = uniform(rng, 0.035, 0.05)
    add(
        d,
        "caster",
        Cyl((-0.012, cr, Rb - 0.02), (0.012, cr, Rb - 0.02), cr),
        Cyl((0, cr, Rb - 0.02), (0, arm_y, Rb - 0.02), 0.01),
        radial=(5, (0, 0, 0)),
    )
    if rng.random() < 0.6:
        leg = Trap(
            (0, arm_y + th / 2, hub_r * 0.5),
            (0, arm_y + th * 0.3, Rb),
            (th * 0.8, th * 0.6),
            (th * 1.4, th),
            hint=(1, 0, 0),
        )
    else:
        leg = beam((0, arm_y + th / 2, hub_r * 0.5), (0, arm_y + th / 2, Rb), th, th)
    add(d, "star base", leg, radial=(5, (0, 0, 0)))
    add(d, "hub", Cyl((0, arm_y, 0), (0, arm_y + th * 1.6, 0), hub_r))
    return arm_y, th


def _add_lift_and_seat(d: Design, rng, H: float, arm_y: float, th: float) -> tuple[float, ...]:
    """The gas lift (optionally covered), the mechanism and a padded or board seat whose top is at ``H``;
    returns the seat's underside, the mechanism's bottom and height, and the seat's width and depth."""
    seat_t = uniform(rng, 0.06, 0.11)
    mech_h = uniform(rng, 0.04, 0.07)
    seat_bottom = H - seat_t
    mech_y = seat_bottom - mech_h
    lift_r = uniform(rng, 0.014, 0.02)
    add(d, "gas lift", Cyl((0, arm_y + th, 0), (0, mech_y + 0.01, 0), lift_r))
    if rng.random() < 0.5:
        add(
            d,
            "lift cover",
            Cyl((0, arm_y + th * 1.5, 0), (0, arm_y + th + (mech_y - arm_y) * 0.55, 0), lift_r * 1.6),
        )
    W = uniform(rng, 0.44, 0.54)
    D = uniform(rng, 0.42, 0.5)
    add(
        d,
        "mechanism",
        Box((0, mech_y + mech_h / 2, 0), (uniform(rng, 0.08, 0.13), mech_h / 2, uniform(rng, 0.1, 0.15))),
        ops=[Bevel(0.2, 2)],
    )
    if rng.random() < 0.6:  # a padded puck of stacked ellipses
        up = rotation_about(X_AXIS, -math.pi / 2)
        secs = []
        for y, k in ((0.0, 0.86), (0.25, 1.0), (0.75, 1.0), (1.0, uniform(rng, 0.8, 0.92))):
            secs.append(((0, seat_bottom + y * seat_t, 0), (W / 2 * k, D / 2 * k), up))
        add(d, "seat", Loft(secs, cuts=3), ops=[Smooth()])
    else:
        add(
            d,
            "seat",
            Box((0, seat_bottom + seat_t / 2, 0), (W / 2, seat_t / 2, D / 2)),
            ops=[Bevel(uniform(rng, 0.3, 0.6), 3), Subsurf(1)],
        )
    return seat_bottom, mech_y, mech_h, W, D


def _add_back(d: Design, rng, H: float, W: float, D: float, mount_y: float) -> None:
    """A support bar from the mechanism (at height ``mount_y``) up to a raked backrest, and a headrest
    on a stem over a tall back."""
    tilt = math.radians(uniform(rng, 5, 15))
    R = tilt_x(-tilt)
    zb = -D / 2 - uniform(rng, 0.0, 0.04)
    b0 = H + uniform(rng, 0.05, 0.15)
    bh = uniform(rng, 0.38, 0.62)
    bw = W * uniform(rng, 0.85, 1.0)
    bt = uniform(rng, 0.03, 0.06)
    base = vec(0, b0, zb)
    centre = base + R @ vec(0, bh / 2, 0)
    support = [
        (0, mount_y, -0.06),
        (0, mount_y, zb - bt),
        base + R @ vec(0, bh * 0.4, -bt),
    ]
    add(d, "back support", Sweep(support, ("rect", uniform(rng, 0.05, 0.08), 0.015), fillet=0.06))
    _add_backrest(d, rng, R, centre, bw, bh, bt)
    if bh > 0.5 and rng.random() < 0.5:
        _add_headrest(d, rng, R, base, bh, bt)


def _add_backrest(d: Design, rng, R: np.ndarray, centre: np.ndarray, bw: float, bh: float, bt: float) -> None:
    """A bent board, a mesh in a rounded frame or a padded loft, ``bw`` x ``bh`` around ``centre``."""
    kind = pick(rng, ["bent", "mesh", "padded"])
    if kind == "bent":
        frame = written(quat_from_matrix(R @ rotation_about(X_AXIS, math.pi / 2)))
        ops = [Bend(uniform(rng, 0.2, 0.4), centre, frame), Bevel(0.3, 3)]
        add(d, "backrest", Box(centre, (bw / 2, bh / 2, bt / 2), R, res=[16, 1, 1], ops=ops))
    elif kind == "mesh":
        rim = uniform(rng, 0.015, 0.025)
        corners = [
            centre + R @ vec(sx * bw / 2, sy * bh / 2, 0) for sx, sy in ((1, 1), (-1, 1), (-1, -1), (1, -1))
        ]
        add(
            d,
            "back frame",
            Sweep(corners, ("rect", rim * 1.5, rim), closed=True, fillet=uniform(rng, 0.04, 0.1)),
        )
        inner = [
            centre + R @ vec(sx * (bw / 2 - rim * 0.7), sy * (bh / 2 - rim * 0.7), 0.003)
            for sx, sy in ((1, 1), (-1, 1), (-1, -1), (1, -1))
        ]
        add(d, "back mesh", Panel(facing(inner, R @ Z_AXIS), 0.006, fillet=0.05))
    else:
        secs = []
        for s_, k in ((-1, 0.85), (-0.7, 1.0), (0.7, 1.0), (1, 0.8)):
            secs.append(
                (
                    centre + R @ vec(0, s_ * bh / 2, 0),
                    (bw / 2 * k, bt / 2 * 1.2 * k),
                    R @ rotation_about(X_AXIS, -math.pi / 2),
                )
            )
        add(d, "backrest", Loft(secs, cuts=4), ops=[Smooth()])


def _add_headrest(d: Design, rng, R: np.ndarray, base: np.ndarray, bh: float, bt: float) -> None:
    """A headrest board on a flat stem above the backrest."""
    hw, hh = uniform(rng, 0.2, 0.3), uniform(rng, 0.1, 0.15)
    hc = base + R @ vec(0, bh + 0.05 + hh / 2, 0)
    add(
        d,
        "headrest stem",
        beam(
            base + R @ vec(0, bh - 0.05, -bt / 2 - 0.01),
            hc + R @ vec(0, 0, -bt / 2 - 0.01),
            0.04,
            0.012,
            up=Z_AXIS,
        ),
    )
    add(d, "headrest", Box(hc, (hw / 2, hh / 2, bt / 2), R), ops=[Bevel(0.4, 3)])


def _add_armrests(d: Design, rng, H: float, W: float, D: float, seat_bottom: float) -> None:
    """Armrest posts (an L or a loop) under padded arm pads."""
    ay = H + uniform(rng, 0.18, 0.26)
    ax = W / 2 + uniform(rng, 0.01, 0.04)
    loop = rng.random() < 0.4
    for sx in (-1, 1):
        x = sx * ax
        if loop:
            pts = [
                (sx * W * 0.3, seat_bottom - 0.01, -D * 0.3),
                (x, seat_bottom - 0.01, -D * 0.3),
                (x, ay - 0.02, -D * 0.3),
                (x, ay - 0.02, D * 0.25),
                (x, seat_bottom + 0.02, D * 0.3),
            ]
            post = Sweep(pts, ("rect", 0.03, 0.02), fillet=0.05)
        else:
            pts = [
                (sx * W * 0.3, seat_bottom - 0.01, -0.02),
                (x, seat_bottom - 0.01, -0.02),
                (x, ay - 0.02, -0.02),
            ]
            post = Sweep(pts, ("rect", 0.05, 0.02), fillet=0.04)
        pad = Box((x, ay, -0.01), (uniform(rng, 0.03, 0.045), 0.015, uniform(rng, 0.11, 0.15)))
        pad.ops = [Bevel(0.4, 3)]
        add(d, "armrest", post, pad)
