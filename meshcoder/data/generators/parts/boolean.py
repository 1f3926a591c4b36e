"""``Boolean`` parts: two primitives combined by union, difference or intersection."""

from __future__ import annotations

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.parts.placement import Placement, bounds
from meshcoder.data.generators.parts.primitive import moderate_primitive, primitive_points
from meshcoder.data.generators.registry import register


@register("Boolean")
def boolean_part(rng: np.random.Generator) -> ProgramBuilder:
    """A ``Boolean`` part: a primitive cut by, joined with or intersected with another."""
    operation = str(rng.choice(["UNION", "DIFFERENCE", "INTERSECT"]))
    kind_a, scale_a, rot_a = moderate_primitive(rng, 1.0)
    relative = rng.uniform(0.6, 1.0) if operation == "INTERSECT" else rng.uniform(0.3, 0.7)
    kind_b, scale_b, rot_b = moderate_primitive(rng, relative)
    # The tool is centred on a surface point of the base, so the two always overlap in volume.
    surface = primitive_points(kind_a, np.zeros(3), scale_a, rot_a)
    loc_b = surface[rng.integers(len(surface))] * rng.uniform(0.7, 1.0)
    points = np.concatenate([surface, primitive_points(kind_b, loc_b, scale_b, rot_b)])
    place = Placement(bounds(points), rng)

    b = ProgramBuilder(f"{kind_a.replace('_', ' ')} {operation.lower()} {kind_b.replace('_', ' ')}")
    with b.part("solid") as p:
        tool = p.helper(kind_b)
        p.call(
            "create_primitive",
            name=p.obj,
            primitive_type=kind_a,
            location=place.p([0, 0, 0]),
            scale=place.l(scale_a),
            rotation=rot_a.tolist(),
        )
        p.call(
            "create_primitive",
            name=tool,
            primitive_type=kind_b,
            location=place.p(loc_b),
            scale=place.l(scale_b),
            rotation=rot_b.tolist(),
        )
        p.call("boolean_operation", name1=p.obj, name2=tool, operation=operation)
    return b
