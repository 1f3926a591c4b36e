"""``BridgeLoop`` parts: two to five loops (circles, polygons or quads) along a spine, bridged into one
surface."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.geometry import quat_to
from meshcoder.data.generators.parts.placement import (
    QUAD_SIGNS,
    Placement,
    orthonormal_basis,
    random_direction,
    ring_box,
    written,
)
from meshcoder.data.generators.registry import register


@register("BridgeLoop")
def bridge_loop_part(rng: np.random.Generator) -> ProgramBuilder:
    """A ``BridgeLoop`` part: 2 to 5 loops of one kind along a spine, bridged into a surface."""
    kind = str(rng.choice(["circle", "polygon", "quad"]))
    count = int(rng.integers(2, 6))
    axis_aligned = bool(rng.random() < 0.5)
    axis = random_direction(rng, axis_aligned)
    rotation = written(quat_to(axis))
    u, v = orthonormal_basis(axis)
    # Loops spread evenly along the spine (with jitter), on a gentle arc when bent, with radii that
    # drift from loop to loop: a loft, not a fold.
    spacing = np.linspace(0.0, 1.0, count)
    spacing[1:-1] += rng.uniform(-0.25, 0.25, count - 2) / (count - 1)
    length = rng.uniform(0.5, 1.0)
    heights = spacing * length
    lateral = 0.0 if rng.random() < 0.5 else rng.uniform(-0.3, 0.3) * length
    centres = heights[:, None] * axis + (4 * lateral * spacing * (1 - spacing))[:, None] * u
    radii = [rng.uniform(0.15, 0.5)]
    for _ in range(count - 1):
        radii.append(float(np.clip(radii[-1] * np.exp(rng.normal(scale=0.35)), 0.1, 0.55)))
    radii = np.array(radii)
    stretch = rng.uniform(0.5, 1.0, size=(count, 2)) if rng.random() < 0.5 else np.ones((count, 2))
    sides = int(rng.integers(3, 9))
    # Each loop lies within a disc of radius r * max stretch around its centre in the (u, v) plane.
    boxes = [ring_box(c, axis, r * st.max(), 0.0) for c, r, st in zip(centres, radii, stretch)]
    box = np.stack([np.min([bx[0] for bx in boxes], axis=0), np.max([bx[1] for bx in boxes], axis=0)])
    smoothness = float(np.round(rng.uniform(0.0, 1.0), 2)) if rng.random() < 0.5 else 0.0
    # Blender's PATH interpolation bends the bridge along a path through the loop centres, which
    # swings far past the loops when they are offset sideways; keep it for loops on one axis.
    interpolation = str(rng.choice(["PATH", "LINEAR", "SURFACE"] if lateral == 0 else ["LINEAR", "SURFACE"]))
    # Smooth bridges bulge past the loops a little; pad the box for it.
    box = box + np.array([[-1.0], [1.0]]) * (0.2 * radii.max() * (1 + smoothness))
    place = Placement(box, rng)

    b = ProgramBuilder(f"bridged {kind} loops")
    with b.part("loft") as p:
        names = [p.helper(kind, i + 1) for i in range(count)]
        if kind == "circle":
            p.call(
                "create_circle",
                name=names,
                location=place.ps(centres),
                rotation=rotation.tolist(),
                radius=[place.l(r) for r in radii],
                scale=[[float(a), float(c), 1.0] for a, c in np.round(stretch, 2)],
            )
        elif kind == "polygon":
            p.call(
                "create_polygon",
                name=names,
                sides=sides,
                location=place.ps(centres),
                rotation=rotation.tolist(),
                radius=[place.l(r) for r in radii],
                scale=[[float(a), float(c), 1.0] for a, c in np.round(stretch, 2)],
            )
        else:
            quads = [
                place.ps([c + sgn_u * r * st[0] * u + sgn_v * r * st[1] * v for sgn_u, sgn_v in QUAD_SIGNS])
                for c, r, st in zip(centres, radii / math.sqrt(2), stretch)
            ]
            p.call("create_quad", name=names, control_points=quads)
        p.call(
            "bridge_edge_loops",
            name=p.obj,
            profile_name=names,
            number_cuts=int(rng.integers(1, 13)),
            smoothness=smoothness,
            interpolation=interpolation,
            fill_caps="both",
        )
    return b
