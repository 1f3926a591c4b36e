"""``FillGrid`` parts: a closed outline filled with a quad grid (a panel), optionally solidified."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.geometry import quat_to
from meshcoder.data.generators.parts.placement import (
    QUAD_SIGNS,
    Placement,
    bounds,
    orthonormal_basis,
    random_direction,
    ring_box,
    written,
)
from meshcoder.data.generators.registry import register


@register("FillGrid")
def fill_grid_part(rng: np.random.Generator) -> ProgramBuilder:
    """A ``FillGrid`` part: a closed outline (rectangle, circle, polygon, Bezier loop or quad) filled
    with a grid of quads, solidified most of the time."""
    kind = str(rng.choice(["rectangle", "circle", "polygon", "bezier", "quad"]))
    normal = random_direction(rng, bool(rng.random() < 0.6))
    rotation = written(quat_to(normal))
    u, v = orthonormal_basis(normal)
    thickness = float(rng.uniform(0.01, 0.08)) if rng.random() < 0.8 else None
    a, c = rng.uniform(0.3, 0.5, size=2)
    if kind == "bezier":
        count = int(rng.integers(4, 8))
        angles = 2 * np.pi * (np.arange(count) + rng.uniform(-0.2, 0.2, count)) / count
        radii = rng.uniform(0.6, 1.0, count)
        loop = (radii * np.cos(angles) * a)[:, None] * u + (radii * np.sin(angles) * c)[:, None] * v
        box = bounds(loop)
        box = box + np.array([[-1.0], [1.0]]) * 0.3 * max(a, c)
    elif kind == "quad":
        loop = np.array([sx * a * u + sy * c * v for sx, sy in QUAD_SIGNS])
        loop = loop + rng.uniform(-0.1, 0.1, size=(4, 2)) @ np.stack([u, v]) * min(a, c)
        box = bounds(loop)
    else:
        # Grid Fill leaves an outline with an odd number of points unfilled (spec 3b, item 8).
        sides = int(rng.choice([4, 6, 8]))
        box = ring_box(np.zeros(3), normal, math.hypot(a, c), 0.0)
    box = box + np.array([[-1.0], [1.0]]) * (thickness or 0.0)
    place = Placement(box, rng)

    b = ProgramBuilder(f"{kind} panel")
    with b.part("panel") as p:
        if kind == "rectangle":
            p.call(
                "create_rectangle",
                name=p.obj,
                width=place.l(2 * a),
                length=place.l(2 * c),
                location=place.p([0, 0, 0]),
                rotation=rotation.tolist(),
            )
        elif kind == "circle":
            p.call(
                "create_circle",
                name=p.obj,
                location=place.p([0, 0, 0]),
                rotation=rotation.tolist(),
                radius=place.l(max(a, c)),
                scale=[round(a / max(a, c), 2), round(c / max(a, c), 2), 1.0],
            )
        elif kind == "polygon":
            p.call(
                "create_polygon",
                name=p.obj,
                sides=sides,
                location=place.p([0, 0, 0]),
                rotation=rotation.tolist(),
                radius=place.l(max(a, c)),
            )
        elif kind == "bezier":
            p.call("create_curve", name=p.obj, control_points=place.ps(loop), closed=True)
        else:
            p.call("create_quad", name=p.obj, control_points=place.ps(loop))
        p.call("fill_grid", name=p.obj, thickness=place.l(thickness) if thickness else None)
    return b
