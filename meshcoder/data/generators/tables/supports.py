"""Tops and what carries them: legs with aprons, stretchers and shelves, pedestals, trestles, side
panels, tube frames and hairpins."""

from __future__ import annotations

import math

from meshcoder.data.generators.design import Design
from meshcoder.data.generators.geometry import pick
from meshcoder.data.generators.seating.ops import Bevel, Cut
from meshcoder.data.generators.seating.pieces import (
    LEG_STYLES,
    ROUND_STYLES,
    beam,
    lerp,
    rail_piece,
    rounded_rect,
    straight_leg,
    uniform,
    vec,
)
from meshcoder.data.generators.seating.shapes import Box, Cyl, Lathe, Panel, Ring, Sweep, Trap, add

TOP_SHAPES = ("rect", "rounded", "round", "oval")


def add_top(d: Design, rng, shape: str, y: float, L: float, W: float, t: float, holes=()) -> None:
    """A table top whose upper face is at height ``y``: L along X, W along Z; ``holes`` are
    (x, z, radius) cable grommets cut through it."""
    cuts = [Cut(Cyl((x, y - t - 0.01, z), (x, y + 0.01, z), r)) for x, z, r in holes]
    if shape == "rect":
        bevel = Bevel(uniform(rng, 0.01, 0.12), int(rng.integers(2, 5)))  # local: a fraction of L/2 and W/2
        add(d, "table top", Box((0, y - t / 2, 0), (L / 2, t / 2, W / 2)), ops=[bevel, *cuts])
    elif shape == "rounded":
        outline = rounded_rect(0, y, 0, L, L, W)
        add(d, "table top", Panel(outline, t, fillet=uniform(rng, 0.04, min(L, W) * 0.3)), ops=cuts)
    else:
        top = Cyl((0, y - t, 0), (0, y, 0), L / 2, W / 2 if shape == "oval" else None)
        if rng.random() < 0.5:
            top.ops = [Bevel(uniform(rng, 0.1, 0.4), 2)]
        add(d, "table top", top, ops=cuts)


def add_legs(d: Design, rng, L: float, W: float, ytop: float, round_top: bool, opts: dict) -> None:
    """Four (or six) legs under a top, optional apron, stretchers and a lower shelf."""
    style = pick(rng, [*LEG_STYLES, "splayed"], [1, 1, 1, 0.8, 0.6, 0.8])
    t = uniform(rng, *opts.get("leg", (0.035, 0.07)))
    if round_top:
        inset = uniform(rng, 0.02, 0.06)
        hx, hz = L / 2 * 0.7071 - inset - t / 2, W / 2 * 0.7071 - inset - t / 2
    else:
        inset = uniform(rng, 0.02, min(0.12, W * 0.12))
        hx, hz = L / 2 - inset - t / 2, W / 2 - inset - t / 2
    splay = uniform(rng, 0.03, 0.08) * (ytop / 0.75) ** 0.5 if style == "splayed" else 0.0
    leg_style = pick(rng, ["round", "tapered round", "square"]) if style == "splayed" else style
    xs = [-hx, hx]
    if opts.get("six") and L > 1.8 and not round_top:
        xs.insert(1, 0.0)
    feet = {}
    for x in xs:
        for z in (-hz, hz):
            foot = vec(x + math.copysign(splay, x) * (x != 0), 0, z + math.copysign(splay, z))
            feet[(x, z)] = foot
            add(d, "leg", straight_leg(leg_style, foot, (x, ytop, z), t))

    def at(x, z, y):
        return lerp(feet[(x, z)], (x, ytop, z), y / ytop)

    if round_top and not splay and rng.random() < opts.get("apron", 0.5):
        if L == W:  # a round apron through the legs (an oval top gets none)
            ah = uniform(rng, 0.05, min(0.1, ytop * 0.2))
            add(d, "apron", Ring((0, ytop - ah / 2, 0), math.hypot(hx, hz), rect=(0.02, ah)))
    elif not splay and rng.random() < opts.get("apron", 0.5):
        ah = uniform(rng, 0.05, min(0.12, ytop * 0.2))
        y = ytop - ah / 2
        at_ = 0.02
        for z in (-hz, hz):
            add(d, "apron", beam((-hx, y, z), (hx, y, z), at_, ah))
        for x in (-hx, hx):
            add(d, "apron", beam((x, y, -hz), (x, y, hz), at_, ah))
    shelf = rng.random() < opts.get("shelf", 0.0)
    if shelf:
        sy = uniform(rng, 0.08, min(0.25, ytop * 0.4))
        st = uniform(rng, 0.015, 0.03)
        sx, sz = at(hx, hz, sy)[0], at(hx, hz, sy)[2]
        if rng.random() < 0.4 and not round_top:  # slatted shelf
            n = int(rng.integers(4, 9))
            step = 2 * sz / n
            slat = Box((0, sy, -sz + step / 2), (sx, st / 2, step * 0.35))
            add(d, "shelf", slat, array=(n, (0.0, 0.0, step)))
        else:
            add(d, "shelf", Box((0, sy, 0), (sx + t / 2, st / 2, sz + t / 2)))
    elif rng.random() < opts.get("stretcher", 0.3):
        y = uniform(rng, 0.08, 0.2) * ytop / 0.75
        rs = "round" if leg_style in ROUND_STYLES else "square"
        rt = t * 0.5
        kind = pick(rng, ["H", "box"])
        for x in (-hx, hx):
            add(d, "stretcher", rail_piece(rs, at(x, -hz, y), at(x, hz, y), rt))
        if kind == "H":
            add(
                d,
                "stretcher",
                rail_piece(
                    rs,
                    lerp(at(-hx, -hz, y), at(-hx, hz, y), 0.5),
                    lerp(at(hx, -hz, y), at(hx, hz, y), 0.5),
                    rt,
                ),
            )
        else:
            for z in (-hz, hz):
                add(d, "stretcher", rail_piece(rs, at(-hx, z, y), at(hx, z, y), rt))


def add_pedestal(d: Design, rng, ytop: float, reach: float) -> None:
    """A central column on a round foot, or on three to five radial feet."""
    rc = uniform(rng, 0.04, 0.09) * (ytop / 0.75) ** 0.5
    if rng.random() < 0.5:
        rb = reach * uniform(rng, 0.55, 0.8)
        prof = [(0, 0), (rb, 0), (rb, 0.02), (rc * 1.6, 0.06), (rc, ytop * 0.35), (rc * 0.9, ytop)]
        add(d, "pedestal", Lathe((0, 0, 0), prof, [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1]))
        return
    add(d, "column", Cyl((0, 0.0, 0), (0, ytop, 0), rc))
    n = int(rng.choice([3, 4, 4, 5]))
    fl = reach * uniform(rng, 0.6, 0.85)
    fh = uniform(rng, 0.04, 0.08)
    foot = Trap((0, fh / 2, 0), (0, 0.02, fl), (0.05, 0.03), (0.07, fh), hint=(1, 0, 0))
    add(d, "foot", foot, radial=(n, (0, 0, 0)))


def add_trestles(d: Design, rng, L: float, W: float, ytop: float) -> None:
    """Two end trestles (post, foot, bearer) joined by a long stretcher."""
    x = L / 2 - uniform(rng, 0.12, 0.25)
    pw = uniform(rng, 0.05, 0.1)
    fz = W / 2 - uniform(rng, 0.03, 0.1)
    fh = uniform(rng, 0.04, 0.07)
    for sx in (-1, 1):
        add(d, "foot", Box((sx * x, fh / 2, 0), (pw / 2 * 1.2, fh / 2, fz)), ops=[Bevel(0.2, 2)])
        add(d, "post", Box((sx * x, ytop / 2, 0), (pw / 2, ytop / 2 - fh, uniform(rng, 0.03, 0.08))))
        add(d, "bearer", Box((sx * x, ytop - 0.025, 0), (pw / 2, 0.025, fz * 0.9)))
    y = uniform(rng, 0.15, 0.45) * ytop
    add(d, "stretcher", Box((0, y, 0), (x, 0.04, 0.015)))


def add_panel_sides(d: Design, rng, L: float, W: float, ytop: float, back: bool) -> None:
    """Waterfall side panels, optionally a modesty panel between them."""
    t = uniform(rng, 0.025, 0.05)
    x = L / 2 - t / 2 - uniform(rng, 0.0, 0.04)
    dz = W / 2 - uniform(rng, 0.0, 0.04)
    for sx in (-1, 1):
        add(d, "side panel", Box((sx * x, ytop / 2, 0), (t / 2, ytop / 2, dz)))
    if back:
        h = uniform(rng, 0.2, 0.45) * ytop
        add(d, "modesty panel", Box((0, ytop - h / 2, -dz * 0.6), (x - t / 2, h / 2, 0.01)))


def add_tube_frames(d: Design, rng, L: float, W: float, ytop: float) -> None:
    """A closed tube frame at each end (sled legs)."""
    r = uniform(rng, 0.012, 0.02)
    x = L / 2 - uniform(rng, 0.04, 0.12)
    z = W / 2 - uniform(rng, 0.03, 0.08)
    prof = ("rect", r * 2, r * 2) if rng.random() < 0.5 else ("circle", r)
    for sx in (-1, 1):
        pts = [(sx * x, ytop - r, z), (sx * x, r, z), (sx * x, r, -z), (sx * x, ytop - r, -z)]
        add(d, "frame", Sweep(pts, prof, closed=True, fillet=uniform(rng, 0.01, 0.06)))


def add_hairpins(d: Design, rng, L: float, W: float, ytop: float) -> None:
    """Four hairpin legs of bent rod."""
    r = uniform(rng, 0.005, 0.008)
    x, z = L / 2 - uniform(rng, 0.05, 0.1), W / 2 - uniform(rng, 0.05, 0.1)
    spread = uniform(rng, 0.1, 0.16)
    for sx in (-1, 1):
        for sz in (-1, 1):
            foot = vec(sx * (x + 0.02), r, sz * (z - spread / 2 + 0.02))
            pts = [(sx * x, ytop, sz * z), foot + vec(0, 0, sz * 0.01), (sx * x, ytop, sz * (z - spread))]
            add(d, "leg", Sweep(pts, ("circle", r), fillet=0.03))
