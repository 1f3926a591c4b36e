"""``Array`` parts: a primitive repeated by a 1D, 2D or 3D array or a radial array."""

from __future__ import annotations

import numpy as np
from scipy.spatial.transform import Rotation

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.geometry import quat_matrix, quat_to
from meshcoder.data.generators.parts.placement import (
    LONGEST_SIDE,
    MARGIN,
    MIN_WRITTEN_SCALE,
    Placement,
    bounds,
    random_direction,
    written,
)
from meshcoder.data.generators.parts.primitive import moderate_primitive, primitive_label, primitive_points
from meshcoder.data.generators.registry import register


def _radial_copies(points: np.ndarray, count: int, angle: float, origin, axis, rise: float) -> np.ndarray:
    """``points`` turned ``k * angle`` (units of pi) about the axis through ``origin`` and raised
    ``k * rise`` along it, for k < count, in both turning senses (the box then holds either)."""
    copies = []
    for k in range(count):
        for sign in (1, -1):
            turn = Rotation.from_rotvec(sign * k * angle * np.pi * axis).as_matrix()
            copies.append((points - origin) @ turn.T + origin + k * rise * axis)
    return np.concatenate(copies)


def _shift_into_cube(box: np.ndarray) -> np.ndarray:
    """The smallest shift (rounded up to 0.01) that moves ``box`` inside [-1 + MARGIN, 1 - MARGIN]^3."""
    low = np.maximum(-1.0 + MARGIN - box[0], 0.0)
    high = np.maximum(box[1] - (1.0 - MARGIN), 0.0)
    return np.ceil(low * 100) / 100 - np.ceil(high * 100) / 100


@register("Array")
def array_part(rng: np.random.Generator) -> ProgramBuilder:
    """An ``Array`` part: a primitive repeated along one, two or three offsets, or around an axis."""
    mode = str(rng.choice(["array_1d", "array_2d", "array_3d", "array_rotate"], p=[0.35, 0.25, 0.1, 0.3]))
    kind, scale, rot = moderate_primitive(rng, rng.uniform(0.15, 0.4))
    unit = primitive_points(kind, np.zeros(3), scale, rot)
    unit_size = float(np.ptp(unit, axis=0).max())
    axis_aligned = bool(rng.random() < 0.7)
    if mode == "array_rotate":
        count = int(rng.integers(3, 13))
        angle = 2.0 / count if rng.random() < 0.7 else float(rng.uniform(0.05, 1.5 / count))
        angle = round(angle, 2)  # written with 2 decimals like every other number
        rotation_axis = written(quat_to(random_direction(rng, axis_aligned)))
        axis = quat_matrix(rotation_axis)[:, 2]
        u = quat_matrix(rotation_axis)[:, 0]
        origin = -unit_size * rng.uniform(0.8, 2.5) * u  # the axis passes this far from the unit
        rise = float(rng.uniform(0.3, 1.0) * unit_size) if rng.random() < 0.2 else 0.0
        design_box = bounds(_radial_copies(unit, count, angle, origin, axis, rise))
    else:
        axes = {"array_1d": 1, "array_2d": 2, "array_3d": 3}[mode]
        if axis_aligned:
            directions = np.eye(3)[rng.permutation(3)[:axes]] * rng.choice([-1.0, 1.0], size=(axes, 1))
        else:
            directions = np.linalg.qr(rng.normal(size=(3, 3)))[0].T[:axes]
        counts = rng.integers(2, {1: 9, 2: 6, 3: 4}[axes], size=axes)
        steps = directions * unit_size * rng.uniform(0.7, 2.0, size=(axes, 1))
        grid = np.stack(np.meshgrid(*[np.arange(c) for c in counts], indexing="ij"), -1).reshape(-1, axes)
        design_box = bounds((unit[None] + (grid @ steps)[:, None]).reshape(-1, 3))

    # Written offsets are rounded and the rounding adds up over the copies: bound the part from the
    # written numbers, shift it back inside when it pokes out, and shrink when even that cannot help.
    longest = rng.uniform(LONGEST_SIDE[0], LONGEST_SIDE[1] - 2 * MARGIN)
    while True:
        place = Placement(design_box, rng, longest)
        location = written(place.p([0, 0, 0]))
        unit_scale = np.maximum(written(place.l(scale)), MIN_WRITTEN_SCALE)
        unit_world = primitive_points(kind, location, unit_scale, rot)
        if mode == "array_rotate":
            origin_world = written(place.p(origin))
            rise_world = float(written(place.l(rise)))
            box = bounds(_radial_copies(unit_world, count, angle, origin_world, axis, rise_world))
        else:
            steps_world = written(place.l(steps)).reshape(axes, 3)
            box = bounds((unit_world[None] + (grid @ steps_world)[:, None]).reshape(-1, 3))
        if np.ptp(box, axis=0).max() <= 2.0 - 2 * MARGIN:
            break
        longest *= 0.97
    shift = _shift_into_cube(box)

    b = ProgramBuilder(f"{kind.replace('_', ' ')} {mode.replace('_', ' ')}")
    with b.part(f"{primitive_label(kind)} array") as p:
        p.call(
            "create_primitive",
            name=p.obj,
            primitive_type=kind,
            location=location + shift,
            scale=unit_scale,
            rotation=rot.tolist(),
            apply=True,
        )
        if mode == "array_rotate":
            p.call(
                "array_rotate",
                name=p.obj,
                count=count,
                rotation_angle=angle,
                rotation_origin=origin_world + shift,
                z_offset=rise_world,
                rotation_axis=rotation_axis.tolist(),
                rotation_mode="QUATERNION",
            )
        elif axes == 1:
            p.call("array_1d", name=p.obj, count=int(counts[0]), constant_offset=steps_world[0])
        else:
            extra = {}
            for i in range(axes):
                extra[f"count_{i + 1}"] = int(counts[i])
                extra[f"constant_offset_{i + 1}"] = steps_world[i]
            p.call(mode, name=p.obj, **extra)
    return b
