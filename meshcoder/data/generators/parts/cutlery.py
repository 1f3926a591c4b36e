"""``PartSpoon`` and ``PartFork`` parts: the cutlery functions with random anchor profiles. They carry a
``Part`` prefix because ``Spoon`` and ``Fork`` already name object categories in the same registry."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.parts.placement import (
    box_corners,
    fit_transform,
    uniform_rotation_or_axis_aligned,
    written,
)
from meshcoder.data.generators.registry import register

_SPOON_X = np.array([-0.5, -0.2, 0.06, 0.15, 0.3, 0.42, 0.47, 0.5])
_SPOON_Y = np.array([0.035, 0.026, 0.012, 0.05, 0.075, 0.06, 0.04, 0.0])
_SPOON_Z = np.array([0.0, 0.02, 0.0, -0.01, -0.01, -0.01, -0.005, 0.0])
_FORK_X = np.array([-0.5, -0.2, 0.08, 0.2, 0.32, 0.5])
_FORK_Y = np.array([0.035, 0.026, 0.014, 0.04, 0.05, 0.05])
_FORK_Z = np.array([0.0, 0.02, 0.0, -0.015, 0.0, 0.03])


def _jitter_anchors(rng: np.random.Generator, x: np.ndarray, y: np.ndarray, z: np.ndarray):
    """Anchor profiles near the library defaults: x stays increasing from -0.5 to 0.5."""
    inner = x[1:-1] + rng.uniform(-0.25, 0.25, len(x) - 2) * np.diff(x)[:-1] * 0.5
    xs = np.concatenate([[x[0]], np.sort(inner), [x[-1]]])
    ys = np.where(y > 0, y * rng.uniform(0.7, 1.4, len(y)), 0.0)
    zs = z * rng.uniform(0.0, 1.5, len(z))
    return np.round(xs, 3), np.round(ys, 3), np.round(zs, 3)


def _cutlery_part(rng: np.random.Generator, kind: str) -> ProgramBuilder:
    if kind == "spoon":
        xs, ys, zs = _jitter_anchors(rng, _SPOON_X, _SPOON_Y, _SPOON_Z)
        depth = float(np.round(rng.uniform(0.0, 0.07), 3))
        extra = {"z_depth": depth}
    else:
        xs, ys, zs = _jitter_anchors(rng, _FORK_X, _FORK_Y, _FORK_Z)
        depth = 0.0
        extra = {"x_tip": float(np.round(rng.uniform(0.15, 0.3), 3)), "n_cuts": int(rng.integers(1, 5))}
    thickness = float(np.round(rng.uniform(0.008, 0.02), 4))
    # A box holding the smoothed grid: the anchors' reach, the bowl, the thickness, a little slack.
    reach_y = float(ys.max()) * 1.05
    box = np.array(
        [
            [xs[0] - 0.01, -reach_y, zs.min() - depth - thickness - 0.01],
            [xs[-1] + 0.01, reach_y, zs.max() + thickness + 0.01],
        ]
    )
    rotation = written(uniform_rotation_or_axis_aligned(rng))
    s, location = fit_transform(box_corners(box), rotation, rng)
    b = ProgramBuilder(kind)
    with b.part(kind) as p:
        p.call(
            f"create_{kind}",
            name=p.obj,
            thickness=thickness,
            x_anchors=xs.tolist(),
            y_anchors=ys.tolist(),
            z_anchors=zs.tolist(),
            location=location,
            rotation=rotation.tolist(),
            scale=[math.floor(s * 100) / 100] * 3,
            **extra,
        )
    return b


@register("PartSpoon")
def spoon_part(rng: np.random.Generator) -> ProgramBuilder:
    """A ``PartSpoon`` part: ``create_spoon`` with random anchors, depth, pose and size."""
    return _cutlery_part(rng, "spoon")


@register("PartFork")
def fork_part(rng: np.random.Generator) -> ProgramBuilder:
    """A ``PartFork`` part: ``create_fork`` with random anchors, tines, pose and size."""
    return _cutlery_part(rng, "fork")
