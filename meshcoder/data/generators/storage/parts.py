"""Shared pieces of storage furniture: knobs and pulls, thin back panels, rows of hinged doors."""

from __future__ import annotations

import numpy as np

from meshcoder.data.generators.geometry import SHARP, fillet
from meshcoder.data.generators.storage.sketch import (
    Sketch,
    circle_profile,
    grow_tube,
)
from meshcoder.shapes.program import ARGUMENT_DECIMALS


def knob_or_pull(s: Sketch, style: str, at, size: float, vertical: bool = False) -> None:
    """A knob (cylinder with a rounded face) or a small bar pull on a front face at ``at`` (its
    back touching the face); ``size`` is the knob diameter or the pull length."""
    at = np.asarray(at, float)
    if style == "knob":
        r = size / 2
        with s.part("knob") as p:
            s.cylinder(p, p.obj, at + np.array([0, 0, r * 0.55]), r, r * 0.55, axis="z")
            p.call("bevel", name=p.obj, width=0.25, segments=2)
    elif style == "ball":
        with s.part("knob") as p:
            s.sphere(p, p.obj, at + np.array([0, 0, size / 2]), size / 2)
    else:  # bar pull on two posts, drawn as one swept U
        half = size / 2
        stand = float(np.clip(size * 0.14, 0.022, 0.05))
        r = float(np.clip(size * 0.035, 0.004, 0.012))
        pts = (
            [[0, -half, 0], [0, -half, stand], [0, half, stand], [0, half, 0]]
            if vertical
            else [[-half, 0, 0], [-half, 0, stand], [half, 0, stand], [half, 0, 0]]
        )
        pts = np.asarray(pts) + at
        with s.part("handle") as p:
            prof = circle_profile(s, p, r)
            p.call(
                "create_curve",
                name=p.obj,
                profile_name=prof,
                control_points=s.P(pts),
                handle_type=[SHARP] * 8,
                bevel_width=s.L(min(stand * 0.6, r * 3)),
                bevel_segments=4,
            )
            p.call("make_caps", name=p.obj, type="start")
            p.call("make_caps", name=p.obj, type="end")
            plane_normal = [1, 0, 0] if vertical else [0, 1, 0]
            grow_tube(s, fillet(pts, min(stand * 0.6, r * 3), 4), plane_normal, r)


def back_sheet(s: Sketch, x0: float, x1: float, y0: float, y1: float, z: float, thick: float) -> None:
    """A thin back panel: a grid quad solidified backwards from ``z`` (thickness in 4 decimals)."""
    view = s.view
    centre = view.p(s.w([(x0 + x1) / 2, (y0 + y1) / 2, z]))
    half = np.array([view.l((x1 - x0) / 2), view.l((y1 - y0) / 2), 0.0])
    depth = view.l(thick, ARGUMENT_DECIMALS["thickness"])
    with s.part("back panel") as p:
        p.call(
            "create_primitive",
            name=p.obj,
            primitive_type="grid",
            location=s.f.p(centre),
            scale=[s.L(half[0]), s.L(half[1]), 1.0],
            x_subdivisions=1,
            y_subdivisions=1,
        )
        p.call("solidify", name=p.obj, thickness=s.L(depth), offset=-1)
        s.grow_world(centre - half - [0, 0, depth], centre + half)


def doors_row(
    s: Sketch, x0: float, x1: float, y0: float, y1: float, z: float, n: int, pull: str, t: float = 0.018
) -> None:
    """``n`` hinged door panels side by side across [x0, x1] x [y0, y1], fronts at ``z``, each with a
    knob or pull near its free edge (a single door opens from the right)."""
    gap = 0.003
    width = (x1 - x0) / n
    tall = y1 - y0 > 0.5
    for k in range(n):
        a, b = x0 + k * width + gap, x0 + (k + 1) * width - gap
        with s.part("door") as p:
            s.box(p, p.obj, [a, y0 + gap, z - t], [b, y1 - gap, z])
        free = a + 0.035 if n == 2 and k == 1 else b - 0.035
        y_pull = y1 - min(0.12, (y1 - y0) * 0.2) if tall else (y0 + y1) / 2
        size = 0.03 if pull != "bar" else min(0.14, (y1 - y0) * 0.4)
        knob_or_pull(s, pull, [free, y_pull, z], size, vertical=True)
