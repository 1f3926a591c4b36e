"""A point cloud with optional per-point normals: model inputs, references, samples."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class PointCloud:
    """Points ``(N, 3)`` float64 and, when known, unit normals ``(N, 3)`` (else ``None``)."""

    points: np.ndarray
    normals: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.points = np.asarray(self.points, dtype=np.float64).reshape(-1, 3)
        if self.normals is not None:
            self.normals = np.asarray(self.normals, dtype=np.float64).reshape(-1, 3)
            if len(self.normals) != len(self.points):
                raise ValueError(
                    f"{len(self.normals)} normals for {len(self.points)} points; give one normal per point"
                )

    def __len__(self) -> int:
        return len(self.points)

    @property
    def is_empty(self) -> bool:
        return len(self.points) == 0

    @property
    def bounds(self) -> np.ndarray:
        """``[[xmin, ymin, zmin], [xmax, ymax, zmax]]`` (zeros for an empty cloud)."""
        if len(self.points) == 0:
            return np.zeros((2, 3))
        return np.stack([self.points.min(axis=0), self.points.max(axis=0)])

    @property
    def extents(self) -> np.ndarray:
        """Size of the axis-aligned bounding box along x, y, z."""
        b = self.bounds
        return b[1] - b[0]

    def subset(self, index: np.ndarray) -> PointCloud:
        """The points (and normals) at ``index``."""
        return PointCloud(self.points[index], None if self.normals is None else self.normals[index])

    def subsample(self, count: int, seed: int = 0) -> PointCloud:
        """``count`` points drawn without replacement (seeded); the cloud itself when it has no more."""
        if len(self) <= count:
            return self
        index = np.random.default_rng(seed).choice(len(self), size=count, replace=False)
        return self.subset(np.sort(index))
