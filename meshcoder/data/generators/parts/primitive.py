"""``Primitive`` parts, the paper's rule exactly, and the primitives the ``Boolean`` and ``Array`` parts
are made of.

The rule: a random type (cube, cylinder, UV sphere, cone, torus), per-axis scale ``10^x`` with
``x ~ U[-2, 2]``, a uniform random orientation (uniform random unit quaternion), rescaled so the longest
side of its bounding box is in [1, 2], and placed at a random position where it stays inside the cube.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.geometry import quat_matrix
from meshcoder.data.generators.parts.placement import (
    LONGEST_SIDE,
    MARGIN,
    MIN_WRITTEN_SCALE,
    bounds,
    random_location,
    random_quaternion,
    uniform_rotation_or_axis_aligned,
    written,
)
from meshcoder.data.generators.registry import register

#: The primitive types a ``Primitive`` part draws from (the solids of ``create_primitive``; the flat
#: ``grid`` has no volume and is left out).
PRIMITIVE_TYPES: tuple[str, ...] = ("cube", "cylinder", "uv_sphere", "cone", "torus")

_LABELS = {"uv_sphere": "sphere"}


def primitive_label(kind: str) -> str:
    """The part label of a primitive of ``kind`` (``sphere`` for ``uv_sphere``)."""
    return _LABELS.get(kind, kind)


@functools.cache
def primitive_template(kind: str) -> np.ndarray:
    """The vertices of ``create_primitive``'s default mesh of ``kind`` (before scale and rotation),
    read-only. A mesh's bounding box is its vertices', so these bound the executed primitive exactly.
    """
    template = _template(kind)
    template.flags.writeable = False
    return template


def _template(kind: str) -> np.ndarray:
    ring32 = np.linspace(0, 2 * math.pi, 32, endpoint=False)
    circle = np.stack([np.cos(ring32), np.sin(ring32), np.zeros(32)], axis=1)
    if kind == "cube":
        return np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)], dtype=float)
    if kind == "cylinder":
        return np.concatenate([circle + np.array([0.0, 0.0, 1.0]), circle - np.array([0.0, 0.0, 1.0])])
    if kind == "cone":
        return np.concatenate([circle - [0, 0, 1], [[0.0, 0.0, 1.0]]])
    if kind == "uv_sphere":
        polar = np.pi * np.arange(1, 16) / 16
        rings = [
            np.stack([np.sin(t) * np.cos(ring32), np.sin(t) * np.sin(ring32), np.full(32, np.cos(t))], 1)
            for t in polar
        ]
        return np.concatenate([*rings, [[0.0, 0.0, 1.0], [0.0, 0.0, -1.0]]])
    if kind == "torus":
        major = np.linspace(0, 2 * math.pi, 48, endpoint=False)
        minor = np.linspace(0, 2 * math.pi, 12, endpoint=False)
        a, b = np.meshgrid(major, minor, indexing="ij")
        radius = 1.0 + 0.25 * np.cos(b)
        return np.stack([radius * np.cos(a), radius * np.sin(a), 0.25 * np.sin(b)], axis=-1).reshape(-1, 3)
    raise ValueError(f"no template for primitive type {kind!r}; use one of {', '.join(PRIMITIVE_TYPES)}")


def primitive_points(kind: str, location, scale, rotation) -> np.ndarray:
    """World vertices of a primitive as written: template, times ``scale``, turned, moved."""
    return (primitive_template(kind) * np.asarray(scale, float)) @ quat_matrix(rotation).T + np.asarray(
        location, float
    )


def moderate_primitive(rng: np.random.Generator, size: float) -> tuple[str, np.ndarray, np.ndarray]:
    """(kind, scale, rotation) of a primitive with moderate proportions, ``size`` across its longest
    local axis; the rotation is uniform random or axis aligned."""
    kind = str(rng.choice(PRIMITIVE_TYPES))
    scale = 10.0 ** rng.uniform(-0.6, 0.0, size=3)
    scale = scale / scale.max() * size / 2
    return kind, scale, written(uniform_rotation_or_axis_aligned(rng))


@dataclass(frozen=True)
class PrimitiveSample:
    """One draw of the paper's primitive rule, as written into the program.

    ``exponents`` are the per-axis ``x ~ U[-2, 2]`` of the raw scale ``10^x``; ``longest_side`` is
    the drawn target for the bounding box's longest side; ``scale``, ``rotation`` and ``location``
    are the written arguments (scales below :data:`MIN_WRITTEN_SCALE` raised to it).
    """

    kind: str
    exponents: tuple[float, float, float]
    longest_side: float
    scale: tuple[float, float, float]
    rotation: tuple[float, float, float, float]
    location: tuple[float, float, float]

    def world_bounds(self) -> np.ndarray:
        """The bounding box of the executed primitive."""
        return bounds(primitive_points(self.kind, self.location, self.scale, self.rotation))


def sample_primitive(rng: np.random.Generator) -> PrimitiveSample:
    """Draw a primitive by the paper's rule (see the module docstring)."""
    kind = str(rng.choice(PRIMITIVE_TYPES))
    exponents = rng.uniform(-2.0, 2.0, size=3)
    rotation = written(random_quaternion(rng))
    longest = rng.uniform(LONGEST_SIDE[0], LONGEST_SIDE[1] - 2 * MARGIN)
    template = primitive_template(kind)
    turn = quat_matrix(rotation)
    raw = 10.0**exponents
    side = float(np.ptp((template * raw) @ turn.T, axis=0).max())
    scale = np.maximum(written(raw * longest / side), MIN_WRITTEN_SCALE)
    box = bounds((template * scale) @ turn.T)
    # Rounding can nudge the box past 2 - 2 * MARGIN by a hair; shrink until it fits.
    while np.ptp(box, axis=0).max() > 2.0 - 2 * MARGIN:
        scale = np.maximum(written(scale * 0.99), MIN_WRITTEN_SCALE)
        box = bounds((template * scale) @ turn.T)
    location = random_location(box, rng)
    return PrimitiveSample(
        kind, tuple(exponents.tolist()), float(longest), tuple(scale.tolist()), tuple(rotation.tolist()),
        tuple(location),
    )  # fmt: skip


@register("Primitive")
def primitive_part(rng: np.random.Generator) -> ProgramBuilder:
    """A ``Primitive`` part (the paper's sampling rule)."""
    sample = sample_primitive(rng)
    b = ProgramBuilder("primitive")
    with b.part(primitive_label(sample.kind)) as p:
        p.call(
            "create_primitive",
            name=p.obj,
            primitive_type=sample.kind,
            location=list(sample.location),
            scale=list(sample.scale),
            rotation=list(sample.rotation),
        )
    return b
