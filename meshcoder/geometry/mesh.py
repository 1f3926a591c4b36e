"""A plain triangle mesh: the currency between the executor, the metrics and the exporters."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class TriangleMesh:
    """Vertices ``(N, 3)`` float64 and triangles ``(M, 3)`` int64 (indices into ``vertices``)."""

    vertices: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    faces: np.ndarray = field(default_factory=lambda: np.zeros((0, 3), dtype=np.int64))

    def __post_init__(self) -> None:
        self.vertices = np.asarray(self.vertices, dtype=np.float64).reshape(-1, 3)
        self.faces = np.asarray(self.faces, dtype=np.int64).reshape(-1, 3)
        if len(self.faces) and (self.faces.min() < 0 or self.faces.max() >= len(self.vertices)):
            raise ValueError(f"face indices out of range for {len(self.vertices)} vertices")

    @property
    def is_empty(self) -> bool:
        return len(self.faces) == 0

    @property
    def bounds(self) -> np.ndarray:
        """``[[xmin, ymin, zmin], [xmax, ymax, zmax]]`` (zeros for an empty mesh)."""
        if len(self.vertices) == 0:
            return np.zeros((2, 3))
        return np.stack([self.vertices.min(axis=0), self.vertices.max(axis=0)])

    @property
    def extents(self) -> np.ndarray:
        """Size of the axis-aligned bounding box along x, y, z."""
        b = self.bounds
        return b[1] - b[0]

    @property
    def triangle_areas(self) -> np.ndarray:
        tri = self.vertices[self.faces]
        return 0.5 * np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1)

    @property
    def face_normals(self) -> np.ndarray:
        """Unit normal of each triangle by its winding, ``(M, 3)``; zeros for zero-area triangles."""
        tri = self.vertices[self.faces]
        cross = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
        length = np.linalg.norm(cross, axis=1, keepdims=True)
        return np.divide(cross, length, out=np.zeros_like(cross), where=length > 0)

    @property
    def area(self) -> float:
        return float(self.triangle_areas.sum())

    @property
    def volume(self) -> float:
        """Signed volume by the divergence theorem; meaningful for closed, consistently wound meshes."""
        tri = self.vertices[self.faces]
        return float(np.einsum("ij,ij->i", tri[:, 0], np.cross(tri[:, 1], tri[:, 2])).sum() / 6.0)

    @staticmethod
    def concatenate(meshes: list[TriangleMesh]) -> TriangleMesh:
        """One mesh holding all of ``meshes`` (indices offset, no welding)."""
        if not meshes:
            return TriangleMesh()
        offsets = np.cumsum([0] + [len(m.vertices) for m in meshes[:-1]])
        return TriangleMesh(
            np.concatenate([m.vertices for m in meshes]),
            np.concatenate([m.faces + o for m, o in zip(meshes, offsets)]),
        )
