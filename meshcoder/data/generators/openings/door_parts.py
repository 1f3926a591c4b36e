"""What every door has round its leaves: the frame, hinges and handles, and the leaf's stiles and rails."""

from __future__ import annotations

import numpy as np

from meshcoder.data.generators.drawing.blocks import cylinder, sphere, tube
from meshcoder.data.generators.drawing.design import Design, Len, Pos
from meshcoder.data.generators.drawing.sampling import chance, uniform
from meshcoder.data.generators.geometry import (
    AUTO,
    SHARP,
)


def door_frame(d: Design, rng: np.random.Generator, width: float, height: float, t: float) -> None:
    """Jambs and head round the door opening: a profile swept along an open rectangle."""
    fw = uniform(rng, 0.04, 0.09)
    fd = max(t + 0.02, uniform(rng, 0.09, 0.15))
    gap = 0.004
    path_w = width + 2 * gap + fw
    path_h = height + gap + fw / 2
    d.grow([[-path_w / 2 - fw / 2, 0.0, -fd / 2], [path_w / 2 + fw / 2, path_h + fw / 2, fd / 2]])
    with d.part("door frame") as p:
        prof = p.helper("rectangle")
        if chance(rng, 0.35):
            fd = fw
            prof = p.helper("square")
            p.call("create_square", name=prof, length=Len(fw))
        else:
            p.call("create_rectangle", name=prof, width=Len(fw), length=Len(fd))
        # rounding the path's corners keeps the profile's full width there
        p.call(
            "create_rectangle",
            name=p.obj,
            profile_name=prof,
            width=Len(path_h),
            length=Len(path_w),
            rotation_rad=0.5,
            location=Pos([0.0, path_h / 2, 0.0]),
            closed=False,
            bevel_width=Len(fw / 2),
            bevel_segments=6,
            fill_caps="both",
        )


def hinges(d: Design, rng: np.random.Generator, x: float, height: float, t: float) -> None:
    """Two or three hinges up the edge ``x`` of a door of ``height`` and thickness ``t``, one cylinder
    repeated by array_1d."""
    n = int(rng.integers(2, 4))
    hh = uniform(rng, 0.07, 0.1)
    y0 = uniform(rng, 0.18, 0.25)
    pitch = (height - 2 * y0) / (n - 1)
    with d.part("hinges") as p:
        r = uniform(rng, 0.006, 0.009)
        cylinder(d, p, p.obj, [x, y0 - hh / 2, t / 2], [x, y0 + hh / 2, t / 2], r, apply=True)
        for i in range(1, n):
            d.grow([[x, y0 + i * pitch + hh / 2, t / 2]], r)
        p.call("array_1d", name=p.obj, count=n, constant_offset=Len([0.0, pitch, 0.0]))


def door_handles(
    d: Design, rng: np.random.Generator, x: float, y: float, t: float, inward: float, kind: str
) -> None:
    """Handles on both faces at (x, y); ``inward`` (+1/-1) is the direction of the leaf's centre."""
    rr = uniform(rng, 0.022, 0.032)
    for side, label in ((1.0, "front"), (-1.0, "back")):
        z0 = side * t / 2
        if kind == "pull":
            with d.part(f"{label} pull") as p:
                length = uniform(rng, 0.25, 0.6)
                off = side * uniform(rng, 0.04, 0.06)
                pts = [
                    [x, y - length / 2, z0],
                    [x, y - length / 2, z0 + off],
                    [x, y + length / 2, z0 + off],
                    [x, y + length / 2, z0],
                ]
                tube(d, p, p.obj, pts, 0.012, codes=[SHARP] * 8, resolution=1)
            continue
        with d.part(f"{label} rosette") as p:
            cylinder(d, p, p.obj, [x, y, z0], [x, y, z0 + side * 0.01], rr)
        if kind == "lever":
            with d.part(f"{label} lever") as p:
                reach = uniform(rng, 0.1, 0.14)
                zf = z0 + side * uniform(rng, 0.045, 0.065)
                pts = [[x, y, z0], [x, y, zf], [x + inward * reach, y - 0.005, zf]]
                tube(
                    d,
                    p,
                    p.obj,
                    pts,
                    uniform(rng, 0.007, 0.01),
                    codes=[SHARP, SHARP, AUTO, AUTO, SHARP, SHARP],
                    resolution=6,
                )
        else:
            with d.part(f"{label} knob") as p:
                kr = uniform(rng, 0.022, 0.03)
                cylinder(d, p, p.obj, [x, y, z0], [x, y, z0 + side * 0.035], 0.009)
                knob = p.helper("ball")
                sphere(d, p, knob, [x, y, z0 + side * (0.035 + kr * 0.7)], [kr, kr, kr * 0.8])
                p.call("join_obj", name=p.obj, seq_name=[p.obj, knob])


def door_common(
    d: Design,
    rng: np.random.Generator,
    leaves: list[tuple[float, float]],
    height: float,
    t: float,
    handle: str,
):
    """Frame, hinges and handles shared by every door: ``leaves`` as (centre x, width)."""
    total = sum(w for _, w in leaves) + 0.004 * (len(leaves) - 1)
    if chance(rng, 0.8):
        door_frame(d, rng, total, height, t)
    hinges(d, rng, -total / 2, height, t)
    if len(leaves) > 1:
        hinges(d, rng, total / 2, height, t)
    hy = uniform(rng, 0.9, 1.05)
    if len(leaves) == 1:
        xc, w = leaves[0]
        door_handles(d, rng, xc + w / 2 - uniform(rng, 0.055, 0.08), hy, t, -1.0, handle)
    else:
        (x1, w1), (x2, w2) = leaves
        door_handles(d, rng, x1 + w1 / 2 - 0.06, hy, t, -1.0, handle)
        if handle == "pull":
            door_handles(d, rng, x2 - w2 / 2 + 0.06, hy, t, 1.0, handle)


def leaf_layout(rng: np.random.Generator, kind: str) -> tuple[float, float, float]:
    """Stile, top rail and bottom rail widths of a ``classic`` or ``slim`` leaf."""
    stile = uniform(rng, 0.09, 0.15) if kind != "slim" else uniform(rng, 0.05, 0.08)
    top = uniform(rng, 0.09, 0.15) if kind != "slim" else stile
    bottom = uniform(rng, 0.18, 0.28) if kind != "slim" else stile * uniform(rng, 1.0, 2.0)
    return stile, top, bottom
