"""What every door has round its leaves: the frame, hinges and handles, and the leaf's stiles and rails."""

from __future__ import annotations

import numpy as np

from meshcoder.data.builder import PartWriter
from meshcoder.data.frame import Frame
from meshcoder.data.generators.blocks import cylinder, part, repeat, sphere, tube
from meshcoder.data.generators.design import Design
from meshcoder.data.generators.geometry import AUTO, SHARP


def door_frame(d: Design, rng: np.random.Generator, width: float, height: float, t: float) -> None:
    """Jambs and head round the door opening: a profile swept along an open rectangle."""
    fw = rng.uniform(0.04, 0.09)
    fd = max(t + 0.02, rng.uniform(0.09, 0.15))
    gap = 0.004
    path_w = width + 2 * gap + fw
    path_h = height + gap + fw / 2
    with part(d, "door frame") as p:
        p.cover([[-path_w / 2 - fw / 2, 0.0, -fd / 2], [path_w / 2 + fw / 2, path_h + fw / 2, fd / 2]])
        square = rng.random() < 0.35

        def write(wr: PartWriter, f: Frame) -> None:
            if square:
                prof = wr.helper("square")
                wr.call("create_square", name=prof, length=f.l(fw))
            else:
                prof = wr.helper("rectangle")
                wr.call("create_rectangle", name=prof, width=f.l(fw), length=f.l(fd))
            # rounding the path's corners keeps the profile's full width there
            wr.call(
                "create_rectangle",
                name=wr.obj,
                profile_name=prof,
                width=f.l(path_h),
                length=f.l(path_w),
                rotation_rad=0.5,
                location=f.p([0.0, path_h / 2, 0.0]),
                closed=False,
                bevel_width=f.l(fw / 2),
                bevel_segments=6,
                fill_caps="both",
            )

        p.write(write)


def hinges(d: Design, rng: np.random.Generator, x: float, height: float, t: float) -> None:
    """Two or three hinges up the edge ``x`` of a door of ``height`` and thickness ``t``, one cylinder
    repeated by array_1d."""
    n = int(rng.integers(2, 4))
    hh = rng.uniform(0.07, 0.1)
    y0 = rng.uniform(0.18, 0.25)
    pitch = (height - 2 * y0) / (n - 1)
    with part(d, "hinges") as p:
        r = rng.uniform(0.006, 0.009)
        cylinder(p, p.obj, [x, y0 - hh / 2, t / 2], [x, y0 + hh / 2, t / 2], r, apply=True)
        for i in range(1, n):
            p.cover([[x, y0 + i * pitch + hh / 2, t / 2]], r)
        repeat(p, p.obj, n, [0.0, pitch, 0.0])


def door_handles(
    d: Design, rng: np.random.Generator, x: float, y: float, t: float, inward: float, kind: str
) -> None:
    """Handles on both faces at (x, y); ``inward`` (+1/-1) is the direction of the leaf's centre."""
    rr = rng.uniform(0.022, 0.032)
    for side, label in ((1.0, "front"), (-1.0, "back")):
        z0 = side * t / 2
        if kind == "pull":
            with part(d, f"{label} pull") as p:
                length = rng.uniform(0.25, 0.6)
                off = side * rng.uniform(0.04, 0.06)
                pts = [
                    [x, y - length / 2, z0],
                    [x, y - length / 2, z0 + off],
                    [x, y + length / 2, z0 + off],
                    [x, y + length / 2, z0],
                ]
                tube(p, p.obj, pts, 0.012, codes=[SHARP] * 8, resolution=1)
            continue
        with part(d, f"{label} rosette") as p:
            cylinder(p, p.obj, [x, y, z0], [x, y, z0 + side * 0.01], rr)
        if kind == "lever":
            with part(d, f"{label} lever") as p:
                reach = rng.uniform(0.1, 0.14)
                zf = z0 + side * rng.uniform(0.045, 0.065)
                pts = [[x, y, z0], [x, y, zf], [x + inward * reach, y - 0.005, zf]]
                tube(
                    p,
                    p.obj,
                    pts,
                    rng.uniform(0.007, 0.01),
                    codes=[SHARP, SHARP, AUTO, AUTO, SHARP, SHARP],
                    resolution=6,
                )
        else:
            with part(d, f"{label} knob") as p:
                kr = rng.uniform(0.022, 0.03)
                cylinder(p, p.obj, [x, y, z0], [x, y, z0 + side * 0.035], 0.009)
                knob = p.helper("ball")
                sphere(p, knob, [x, y, z0 + side * (0.035 + kr * 0.7)], [kr, kr, kr * 0.8])
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
    if rng.random() < 0.8:
        door_frame(d, rng, total, height, t)
    hinges(d, rng, -total / 2, height, t)
    if len(leaves) > 1:
        hinges(d, rng, total / 2, height, t)
    hy = rng.uniform(0.9, 1.05)
    if len(leaves) == 1:
        xc, w = leaves[0]
        door_handles(d, rng, xc + w / 2 - rng.uniform(0.055, 0.08), hy, t, -1.0, handle)
    else:
        (x1, w1), (x2, w2) = leaves
        door_handles(d, rng, x1 + w1 / 2 - 0.06, hy, t, -1.0, handle)
        if handle == "pull":
            door_handles(d, rng, x2 - w2 / 2 + 0.06, hy, t, 1.0, handle)


def leaf_layout(rng: np.random.Generator, kind: str) -> tuple[float, float, float]:
    """Stile, top rail and bottom rail widths of a ``classic`` or ``slim`` leaf."""
    stile = rng.uniform(0.09, 0.15) if kind != "slim" else rng.uniform(0.05, 0.08)
    top = rng.uniform(0.09, 0.15) if kind != "slim" else stile
    bottom = rng.uniform(0.18, 0.28) if kind != "slim" else stile * rng.uniform(1.0, 2.0)
    return stile, top, bottom
