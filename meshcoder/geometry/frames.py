"""Frames of the evaluation spec: the canonical object frame, the metric frame, and up-axis conversion.

* Canonical frame: Y up, centred on the bounding-box centre, longest side 1. Programs, data and model
  inputs live here.
* Metric frame: both shapes mapped with the *reference's* bounding box (centre, divide by its longest
  side, times 2), so the reference spans [-1, 1] on its longest axis.

Transforms are similarities (rotation, uniform scale, translation), so normals only rotate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.geometry.pointcloud import PointCloud

Geometry = TypeVar("Geometry", TriangleMesh, PointCloud)

# Z-up (Blender, most CAD and scan formats) to Y-up: a -90 degree turn about X, (x, y, z) -> (x, z, -y).
# It is a proper rotation (determinant +1), so it keeps handedness and triangle winding.
Z_UP_TO_Y_UP = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, -1.0, 0.0]])
UP_AXES = ("y", "z")


@dataclass(frozen=True)
class Similarity:
    """``x -> scale * (rotation @ x - centre)``: the only kind of transform the frames need."""

    centre: np.ndarray = field(default_factory=lambda: np.zeros(3))
    scale: float = 1.0
    rotation: np.ndarray = field(default_factory=lambda: np.eye(3))

    def apply_points(self, points: np.ndarray) -> np.ndarray:
        """Transform an ``(N, 3)`` array of positions."""
        return (np.asarray(points, dtype=np.float64) @ self.rotation.T - self.centre) * self.scale

    def apply_normals(self, normals: np.ndarray) -> np.ndarray:
        """Transform an ``(N, 3)`` array of directions (rotation only: uniform scale keeps them unit)."""
        return np.asarray(normals, dtype=np.float64) @ self.rotation.T

    def apply(self, geometry: Geometry) -> Geometry:
        """The transformed copy of a mesh or point cloud."""
        if isinstance(geometry, TriangleMesh):
            return TriangleMesh(self.apply_points(geometry.vertices), geometry.faces.copy())
        if isinstance(geometry, PointCloud):
            normals = None if geometry.normals is None else self.apply_normals(geometry.normals)
            return PointCloud(self.apply_points(geometry.points), normals)
        raise TypeError(f"expected a TriangleMesh or PointCloud, got {type(geometry).__name__}")


def _longest_side(bounds: np.ndarray) -> float:
    side = float(np.max(bounds[1] - bounds[0]))
    if not np.isfinite(side) or side <= 0:
        raise ValueError(
            f"bounding box {bounds.tolist()} has no positive, finite size: the shape is empty, "
            "a single point, or holds NaN/inf values"
        )
    return side


def bbox_frame(bounds: np.ndarray, longest_side: float, rotation: np.ndarray | None = None) -> Similarity:
    """The similarity that centres ``bounds`` (given after ``rotation``) and scales its longest side."""
    bounds = np.asarray(bounds, dtype=np.float64)
    rotation = np.eye(3) if rotation is None else np.asarray(rotation, dtype=np.float64)
    centre = 0.5 * (bounds[0] + bounds[1])
    return Similarity(centre=centre, scale=longest_side / _longest_side(bounds), rotation=rotation)


def up_rotation(up: str) -> np.ndarray:
    """The rotation taking a shape whose up axis is ``up`` ('y' or 'z') to Y-up."""
    key = up.lower()
    if key == "y":
        return np.eye(3)
    if key == "z":
        return Z_UP_TO_Y_UP.copy()
    raise ValueError(f"unknown up axis {up!r}: use one of {', '.join(UP_AXES)}")


def canonical_frame(geometry: TriangleMesh | PointCloud, up: str = "y") -> Similarity:
    """The transform to the canonical frame: Y up, centred on the bounding-box centre, longest side 1."""
    rotation = up_rotation(up)
    rotated = geometry.vertices if isinstance(geometry, TriangleMesh) else geometry.points
    rotated = np.asarray(rotated, dtype=np.float64) @ rotation.T
    if len(rotated) == 0:
        raise ValueError("cannot normalise an empty shape: it has no points")
    bounds = np.stack([rotated.min(axis=0), rotated.max(axis=0)])
    return bbox_frame(bounds, 1.0, rotation)


def to_canonical(geometry: Geometry, up: str = "y") -> Geometry:
    """``geometry`` in the canonical frame (see :func:`canonical_frame`)."""
    return canonical_frame(geometry, up).apply(geometry)


def metric_frame(reference: TriangleMesh | PointCloud) -> Similarity:
    """The metric frame of the spec, defined by the *reference's* bounding box: reference to [-1, 1]."""
    return bbox_frame(reference.bounds, 2.0)


def to_metric(prediction: Geometry, reference: TriangleMesh | PointCloud) -> Geometry:
    """``prediction`` mapped with the reference's metric frame (apply it to the reference as well)."""
    return metric_frame(reference).apply(prediction)
