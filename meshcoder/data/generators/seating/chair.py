"""Chair: wooden-framed dining and side chairs and modern chairs."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.design import Design, written
from meshcoder.data.generators.geometry import X_AXIS, Z_AXIS, pick, quat_from_matrix, rotation_about
from meshcoder.data.generators.registry import register
from meshcoder.data.generators.seating.ops import Bend, Bevel, Subsurf
from meshcoder.data.generators.seating.pieces import (
    LEG_STYLES,
    ROUND_STYLES,
    beam,
    facing,
    lerp,
    rail_piece,
    rounded_rect,
    straight_leg,
    uniform,
    vec,
)
from meshcoder.data.generators.seating.rotations import tilt_x
from meshcoder.data.generators.seating.shapes import Box, CurvedPanel, Cyl, Lathe, Panel, Sweep, Trap, add


@register("Chair")
def chair(rng: np.random.Generator) -> ProgramBuilder:
    """Dining and side chairs: wooden frames (posts, ladder, slat, spindle, splat or upholstered backs,
    aprons, stretchers) and modern chairs (splayed legs, tube sleds or a tulip pedestal, with a moulded
    shell or a seat and a bent backrest)."""
    d = Design("chair")
    H = uniform(rng, 0.43, 0.48)
    W = uniform(rng, 0.40, 0.50)
    D = uniform(rng, 0.40, 0.48)
    if rng.random() < 0.6:
        _frame_chair(d, rng, H, W, D)
    else:
        _modern_chair(d, rng, H, W, D)
    return d.builder()


def _seat_board(d: Design, rng, style: str, top: float, w: float, wb: float, depth: float, t: float, cz=0.0):
    """A chair seat whose top is at height ``top``: board, trapezoid board, filled outline or padded."""
    if style == "board":
        shape = Box((0, top - t / 2, cz), (w / 2, t / 2, depth / 2), ops=[Bevel(uniform(rng, 0.05, 0.3), 3)])
        if abs(w - wb) > 0.01:
            shape = Trap((0, top - t / 2, cz - depth / 2), (0, top - t / 2, cz + depth / 2), (w, t), (wb, t))
        add(d, "seat", shape)
    elif style == "rounded":
        outline = rounded_rect(0, top, cz, w, wb, depth)
        add(d, "seat", Panel(outline, t, fillet=uniform(rng, 0.03, 0.09)))
    else:  # padded: a board with a cushion on it
        base = min(t, 0.025)
        add(d, "seat", Box((0, top - base / 2, cz), (w / 2, base / 2, depth / 2)))
        ct = uniform(rng, 0.03, 0.06)
        cushion = Box((0, top + ct / 2, cz + 0.005), (w / 2 - 0.01, ct / 2, depth / 2 - 0.01))
        add(d, "seat cushion", cushion, ops=[Bevel(uniform(rng, 0.3, 0.6), 2), Subsurf(1)])


def _frame_chair(d: Design, rng, H: float, W: float, D: float) -> None:
    """A wooden frame: front legs, back legs that may rise into posts, an apron and stretchers, a seat,
    and a back between the posts or a board on supports."""
    style = pick(rng, [*LEG_STYLES, "sabre"], [1, 1, 1, 0.7, 0.6, 0.7])
    round_legs = style in ROUND_STYLES
    t = uniform(rng, 0.03, 0.045)
    st = uniform(rng, 0.02, 0.045)
    Wb = W * uniform(rng, 0.82, 1.0)
    inset = uniform(rng, 0.0, 0.03)
    ytop = H - st
    xf, xb = W / 2 - inset - t / 2, Wb / 2 - inset - t / 2
    zf, zb = D / 2 - inset - t / 2, -D / 2 + inset + t / 2
    posts = rng.random() < 0.75
    tilt = math.radians(uniform(rng, 4, 14))
    Hb = uniform(rng, 0.35, 0.55)
    rake = uniform(rng, 0.0, 0.05) if posts or style == "sabre" else 0.0

    def back_point(u: float, x: float = 0.0, dz: float = 0.0) -> np.ndarray:
        """A point ``u`` above the seat in the back plane (through the back legs), ``dz`` in front of it."""
        return vec(
            x, H + u * math.cos(tilt) + dz * math.sin(tilt), zb - u * math.sin(tilt) + dz * math.cos(tilt)
        )

    # legs
    profile = ("circle", t / 2) if round_legs else ("rect", t, t)
    back_feet = []
    for sx in (-1, 1):
        foot, seat = vec(sx * xf, 0, zf), vec(sx * xf, ytop, zf)
        if style == "sabre":
            add(
                d,
                "leg",
                Sweep(
                    [foot + vec(0, 0, 0.03), (sx * xf, ytop * 0.5, zf + 0.005), seat],
                    profile,
                    [1, 1, 0, 0, 1, 1],
                ),
            )
        else:
            add(d, "leg", straight_leg(style, foot, seat, t))
    for sx in (-1, 1):
        foot, seat = vec(sx * xb, 0, zb - rake), vec(sx * xb, ytop, zb)
        back_feet.append((foot, seat))
        pts = [foot, seat] + ([back_point(Hb, sx * xb)] if posts else [])
        codes = [1] * (2 * len(pts))
        if style == "sabre":
            pts = [foot, lerp(foot, seat, 0.5) + vec(0, 0, rake * 0.3), seat, *pts[2:]]
            codes = [1, 1, *[0] * (2 * len(pts) - 4), 1, 1]
        radii = None
        if style.startswith("tapered"):
            radii = [0.65, 1.0] + ([0.8] if posts else [])
        if len(pts) == 2 and style != "sabre":
            add(d, "leg", straight_leg(style, foot, seat, t))
        else:
            add(d, "leg", Sweep(pts, profile, codes, radii=radii))
    _add_apron_and_stretchers(d, rng, (xf, xb, zf, zb), ytop, t, round_legs, back_feet)

    _seat_board(d, rng, pick(rng, ["board", "rounded", "padded"]), H, W, Wb, D, st)

    if posts:
        _post_back(d, rng, back_point, xb, t, Hb, tilt)
    else:
        _board_back(d, rng, H, Wb, D, Hb, tilt)


def _add_apron_and_stretchers(
    d: Design, rng, corners: tuple, ytop: float, t: float, round_legs: bool, back_feet: list
) -> None:
    """An optional apron under the seat and stretchers (none, sides, H or box) between the legs; the legs
    stand at x = +-xf (front) and +-xb (back), z = zf and zb; ``back_feet`` are the back legs' (foot, seat
    joint) pairs, the back legs being raked."""
    xf, xb, zf, zb = corners
    if rng.random() < 0.6:
        ah, at = uniform(rng, 0.05, 0.09), 0.02
        y = ytop - ah / 2
        add(d, "apron", beam((-xf, y, zf), (xf, y, zf), at, ah))
        add(d, "apron", beam((-xb, y, zb), (xb, y, zb), at, ah))
        for sx in (-1, 1):
            add(d, "apron", beam((sx * xb, y, zb), (sx * xf, y, zf), at, ah))
    kind = pick(rng, ["none", "H", "box", "sides"], [1, 1, 1, 1])
    if kind != "none":
        rt = t * uniform(rng, 0.5, 0.7)
        rs = "round" if round_legs else "square"
        y = uniform(rng, 0.1, 0.22)
        s_back = y / ytop

        def front(sx):
            return vec(sx * xf, y, zf)

        def back(sx):
            foot, seat = back_feet[(sx + 1) // 2]
            return lerp(foot, seat, s_back)

        for sx in (-1, 1):
            add(d, "stretcher", rail_piece(rs, back(sx), front(sx), rt))
        if kind == "H":
            mid = [(lerp(back(sx), front(sx), 0.5)) for sx in (-1, 1)]
            add(d, "stretcher", rail_piece(rs, mid[0], mid[1], rt))
        elif kind == "box":
            add(d, "stretcher", rail_piece(rs, front(-1), front(1), rt))
            add(d, "stretcher", rail_piece(rs, back(-1), back(1), rt))


def _post_back(d: Design, rng, back_point, xb: float, t: float, Hb: float, tilt: float) -> None:
    """Backrest between two posts: ladder rails, slats, spindles, a splat or an upholstered panel."""
    R = tilt_x(-tilt)
    kind = pick(rng, ["rails", "slats", "spindles", "splat", "panel"])
    rt = uniform(rng, 0.018, 0.025)
    top_h = uniform(rng, 0.05, 0.11)
    over = uniform(rng, 0.0, 0.03) if rng.random() < 0.4 else 0.0
    u_top = Hb - top_h / 2 - (0.0 if over else uniform(rng, 0.0, 0.03))
    if kind == "panel":
        u0 = uniform(rng, 0.12, 0.22)
        h = u_top + top_h / 2 - u0
        board = Box(
            back_point(u0 + h / 2),
            (xb, h / 2, uniform(rng, 0.015, 0.03)),
            R,
            ops=[Bevel(uniform(rng, 0.1, 0.3), 3)],
        )
        add(d, "backrest", board)
        return
    if kind == "rails":
        n = int(rng.integers(2, 5))
        rh = uniform(rng, 0.04, 0.07)
        gap = uniform(rng, 0.05, 0.1)
        step = rh + gap
        lowest = u_top - (n - 1) * step
        if lowest < 0.08:
            step = (u_top - 0.08) / max(n - 1, 1)
        rail = Box(back_point(u_top), (xb + over, rh / 2, rt / 2), R)
        down = back_point(u_top - step) - back_point(u_top)
        add(d, "back rail", rail, array=(n, down))
        return
    # a top rail over uprights, with a bottom rail
    bend = [Bend(uniform(rng, 0.08, 0.2), back_point(u_top))] if rng.random() < 0.4 else []
    res = [12, 1, 1] if bend else None
    add(d, "top rail", Box(back_point(u_top), (xb + over, top_h / 2, rt / 2), R, res=res, ops=bend))
    u_bot = uniform(rng, 0.08, 0.16)
    bh = uniform(rng, 0.03, 0.05)
    if rng.random() < 0.7:
        add(d, "back rail", Box(back_point(u_bot), (xb, bh / 2, rt / 2), R))
    lo, hi = u_bot, u_top
    span = hi - lo
    if kind == "splat":
        sw = uniform(rng, 0.08, 0.18)
        add(d, "splat", Box(back_point(lo + span / 2), (sw / 2, span / 2, rt / 2 * 0.8), R))
        return
    n = int(rng.integers(3, 7))
    gap = 2 * xb / (n + 1)
    if kind == "slats":
        sw = min(uniform(rng, 0.02, 0.05), gap * 0.7)
        slat = Box(back_point(lo + span / 2, -xb + gap), (sw / 2, span / 2, rt / 2 * 0.7), R)
        add(d, "slats", slat, array=(n, (gap, 0.0, 0.0)))
    else:
        r = min(uniform(rng, 0.008, 0.013), gap * 0.3)
        rod = Cyl(back_point(lo, -xb + gap), back_point(hi, -xb + gap), r)
        add(d, "spindles", rod, array=(n, (gap, 0.0, 0.0)))


def _board_back(d: Design, rng, H: float, Wb: float, D: float, Hb: float, tilt: float) -> None:
    """A backrest board (flat, rounded or bent) held above the seat's back edge by two supports."""
    R = tilt_x(-tilt)
    u0 = uniform(rng, 0.15, 0.25)
    h = Hb - u0
    bt = uniform(rng, 0.015, 0.03)
    zb = -D / 2 + 0.02

    def back_point(u, x=0.0):
        return vec(x, H + u * math.cos(tilt), zb - u * math.sin(tilt))

    for sx in (-1, 1):
        x = sx * Wb * uniform(rng, 0.25, 0.35)
        a = vec(x, H - 0.01, zb + 0.02)
        b = back_point(u0 + h * 0.5, x) - R @ vec(0, 0, bt / 2 + 0.01)
        add(d, "back support", beam(a, b, 0.04, 0.012, up=Z_AXIS))
    centre = back_point(u0 + h / 2)
    width = Wb * uniform(rng, 0.9, 1.05)
    if rng.random() < 0.5:
        frame = written(quat_from_matrix(R @ rotation_about(X_AXIS, math.pi / 2)))
        board = Box(
            centre,
            (width / 2, h / 2, bt / 2),
            R,
            res=[16, 1, 1],
            ops=[Bend(uniform(rng, 0.15, 0.35), centre, frame)],
        )
        add(d, "backrest", board)
    else:
        corners = [
            centre + R @ vec(sx * width / 2, sy * h / 2, bt / 2)
            for sx, sy in ((1, 1), (-1, 1), (-1, -1), (1, -1))
        ]
        add(d, "backrest", Panel(facing(corners, R @ Z_AXIS), bt, fillet=uniform(rng, 0.02, 0.06)))


def _modern_chair(d: Design, rng, H: float, W: float, D: float) -> None:
    base = pick(rng, ["splayed", "sled", "tulip"], [1.2, 1, 0.7])
    shell = rng.random() < 0.55
    tilt = math.radians(uniform(rng, 6, 16))
    Hb = uniform(rng, 0.33, 0.48)
    st = uniform(rng, 0.012, 0.03) if shell else uniform(rng, 0.02, 0.04)
    seat_bottom = H - (st if not shell else st / 2 + 0.005)
    if base == "splayed":
        t = uniform(rng, 0.025, 0.04)
        splay = uniform(rng, 0.03, 0.07)
        style = pick(rng, ["round", "tapered round", "square"])
        for sx in (-1, 1):
            for sz in (-1, 1):
                top = vec(sx * (W / 2 - 0.07), seat_bottom, sz * (D / 2 - 0.07))
                foot = top + vec(sx * splay, -seat_bottom, sz * splay)
                add(d, "leg", straight_leg(style, foot, top, t))
        if rng.random() < 0.4:
            y = uniform(rng, 0.15, 0.25)
            s = y / seat_bottom
            for sx in (-1, 1):
                a = vec(sx * (W / 2 - 0.07 + splay * (1 - s)), y, (D / 2 - 0.07 + splay * (1 - s)))
                b = a * [1, 1, -1]
                add(d, "stretcher", Cyl(a, b, t * 0.3))
    elif base == "sled":
        r = uniform(rng, 0.009, 0.013)
        zf, zb = D / 2 - uniform(rng, 0.02, 0.06), -D / 2 + uniform(rng, 0.02, 0.06)
        for sx in (-1, 1):
            x = sx * (W / 2 - uniform(rng, 0.03, 0.05))
            pts = [
                (x, seat_bottom - r, zf - 0.04),
                (x, r, zf + 0.02),
                (x, r, zb - 0.02),
                (x, seat_bottom - r, zb + 0.04),
            ]
            add(d, "sled", Sweep(pts, ("circle", r), fillet=0.05))
    else:
        rb = uniform(rng, 0.2, 0.26)
        rc = uniform(rng, 0.025, 0.04)
        prof = [(0, 0), (rb, 0), (rb, 0.012), (rc * 2.2, 0.07), (rc, 0.18), (rc, seat_bottom)]
        add(d, "base", Lathe((0, 0, 0), prof, [1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1]))
    if shell:
        lip = uniform(rng, 0.01, 0.03)
        zb = -D / 2 + 0.03
        top = vec(0, H + Hb * math.cos(tilt), zb - Hb * math.sin(tilt))
        path = [
            (0, H - lip, D / 2),
            (0, H, D / 2 - 0.1),
            (0, H + 0.01, zb + 0.06),
            (0, H + 0.12, zb - 0.01),
            top,
        ]
        add(d, "shell", CurvedPanel(path, W, st, codes=[1, 1, 0, 0, 0, 0, 0, 0, 1, 1]))
        return
    _seat_board(d, rng, pick(rng, ["rounded", "padded"]), H, W, W * uniform(rng, 0.85, 1.0), D, st)
    _board_back(d, rng, H, W * 0.95, D, Hb, tilt)
