"""Cabinet pieces of tables and stands: handles, drawer fronts and open-fronted boxes with bays."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from meshcoder.data.generators.design import Design
from meshcoder.data.generators.geometry import X_AXIS, Y_AXIS
from meshcoder.data.generators.seating.ops import Bevel, Cut
from meshcoder.data.generators.seating.pieces import uniform, vec
from meshcoder.data.generators.seating.shapes import Box, Cyl, Sphere, Sweep, add


def add_handle(d: Design, rng, style: str, c, w: float, vertical: bool = False, array=None) -> None:
    """A handle on a front face at ``c`` (the face's plane), sticking out towards +Z."""
    c = np.asarray(c, float)
    along = Y_AXIS if vertical else X_AXIS
    if style == "knob":
        r = uniform(rng, 0.01, 0.018)
        add(d, "handle", Sphere(c + vec(0, 0, r * 0.9), (r, r, r * 0.8)), array=array)
    elif style == "bar":
        p, r = uniform(rng, 0.02, 0.035), uniform(rng, 0.004, 0.007)
        pts = [
            c - along * w / 2,
            c - along * w / 2 + vec(0, 0, p),
            c + along * w / 2 + vec(0, 0, p),
            c + along * w / 2,
        ]
        add(d, "handle", Sweep(pts, ("circle", r), fillet=min(0.012, p * 0.6)), array=array)
    else:  # a flat pull
        h = uniform(rng, 0.012, 0.025)
        half = (h / 2, w / 2, 0.008) if vertical else (w / 2, h / 2, 0.008)
        add(d, "handle", Box(c + vec(0, 0, 0.008), half), array=array)


def add_drawers(
    d: Design, rng, x0: float, x1: float, y0: float, y1: float, z: float, n: int, handle: str
) -> None:
    """``n`` equal drawer fronts stacked in the opening [x0, x1] x [y0, y1] of a front at depth z."""
    gap = 0.004
    h = (y1 - y0 - gap * (n + 1)) / n
    t = 0.018
    first = vec((x0 + x1) / 2, y0 + gap + h / 2, z + t / 2)
    step = (0.0, h + gap, 0.0)
    front = Box(first, ((x1 - x0) / 2 - gap, h / 2, t / 2))
    if n == 1 and rng.random() < 0.4:  # (an arrayed front is applied first: a bevel would be in world units)
        front.ops = [Bevel(uniform(rng, 0.03, 0.1), 2)]
    w = min(uniform(rng, 0.08, 0.16), (x1 - x0) * 0.5)
    if handle == "cutout":  # a finger slot cut into the top edge of every front
        slot = Box(first + vec(0, h / 2, 0), (w / 2, min(0.015, h * 0.25), t))
        front.ops = [*front.ops, Cut(slot)]
        add(d, "drawer", front, array=(n, step) if n > 1 else None)
        return
    add(d, "drawer", front, array=(n, step) if n > 1 else None)
    hy = first[1] + (h * uniform(rng, 0.1, 0.3) if n == 1 else 0.0)
    add_handle(d, rng, handle, (first[0], hy, z + t), w, array=(n, step) if n > 1 else None)


def add_cabinet(d: Design, rng, x0, x1, y0, y1, z0, z1, t: float, handle: str, kinds: Sequence[str]) -> None:
    """An open-fronted box (sides, bottom, top, back) split into len(kinds) bays: 'open', 'shelf',
    'door' or 'drawers'."""
    zf = z1
    add(d, "top", Box(((x0 + x1) / 2, y1 - t / 2, (z0 + z1) / 2), ((x1 - x0) / 2, t / 2, (z1 - z0) / 2)))
    add(
        d,
        "bottom",
        Box(((x0 + x1) / 2, y0 + t / 2, (z0 + z1) / 2), ((x1 - x0) / 2 - t, t / 2, (z1 - z0) / 2)),
    )
    for x in (x0 + t / 2, x1 - t / 2):
        add(
            d, "side panel", Box((x, (y0 + y1) / 2, (z0 + z1) / 2), (t / 2, (y1 - y0) / 2 - t, (z1 - z0) / 2))
        )
    back = Box(((x0 + x1) / 2, (y0 + y1) / 2, z0 + 0.005), ((x1 - x0) / 2 - t, (y1 - y0) / 2 - t, 0.005))
    if rng.random() < 0.3:  # a cable hole
        hx, hy = uniform(rng, x0 + 0.1, x1 - 0.1), uniform(rng, y0 + 0.08, y1 - 0.08)
        back.ops = [Cut(Cyl((hx, hy, z0 - 0.02), (hx, hy, z0 + 0.03), uniform(rng, 0.025, 0.04)))]
    add(d, "back panel", back)
    n = len(kinds)
    bay = (x1 - x0 - t) / n
    if n > 1:
        div = Box(
            (x0 + t / 2 + bay, (y0 + y1) / 2, (z0 + z1) / 2), (t / 2, (y1 - y0) / 2 - t, (z1 - z0) / 2 - 0.01)
        )
        add(d, "divider", div, array=(n - 1, (bay, 0.0, 0.0)) if n > 2 else None)
    iy0, iy1 = y0 + t, y1 - t
    for i, kind in enumerate(kinds):
        bx0, bx1 = x0 + t + i * bay, x0 + (i + 1) * bay
        if kind == "shelf":
            add(
                d,
                "shelf",
                Box(
                    ((bx0 + bx1) / 2, (iy0 + iy1) / 2, (z0 + z1) / 2),
                    ((bx1 - bx0) / 2, t / 2 * 0.8, (z1 - z0) / 2 - 0.02),
                ),
            )
        elif kind == "door":
            gap = 0.004
            door = Box(
                ((bx0 + bx1) / 2, (iy0 + iy1) / 2, zf + 0.009),
                ((bx1 - bx0) / 2 - gap, (iy1 - iy0) / 2 - gap, 0.009),
            )
            if rng.random() < 0.3:
                door.ops = [Bevel(uniform(rng, 0.02, 0.06), 2)]
            hx = bx1 - 0.04 if i % 2 == 0 else bx0 + 0.04
            hw = min(0.12, (iy1 - iy0) * 0.4)
            if handle == "cutout":  # a vertical finger slot near the opening edge
                door.ops = [*door.ops, Cut(Box((hx, (iy0 + iy1) / 2, zf + 0.009), (0.012, hw / 2, 0.02)))]
                add(d, "door", door)
                continue
            add(d, "door", door)
            add_handle(d, rng, handle, (hx, (iy0 + iy1) / 2, zf + 0.018), hw, vertical=True)
        elif kind == "drawers":
            add_drawers(d, rng, bx0, bx1, iy0, iy1, zf, int(rng.integers(1, 4)), handle)
