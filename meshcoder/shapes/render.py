"""Pictures of programs, meshes and point clouds (caller side; Blender runs in a worker).

>>> render_program(source, "chair.png")                  # doctest: +SKIP
>>> render_parts(result.parts, "chair.png", points=cloud) # doctest: +SKIP

The look is fixed (see :mod:`meshcoder.shapes.render_blender`): Cycles on the CPU, 256 pixels and 8
samples by default, which takes about 0.2 s in a warm worker.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.shapes.executor import ExecutionResult, ExecutorPool


def render_parts(
    parts: dict[str, TriangleMesh] | TriangleMesh,
    path: str | Path,
    points: np.ndarray | None = None,
    pool: ExecutorPool | None = None,
    resolution: int = 256,
    samples: int = 8,
) -> Path:
    """Render meshes (one colour per part), optionally with a point cloud beside them, to a PNG."""
    if pool is None:
        with ExecutorPool(num_workers=1) as own:
            return own.render(parts, path, points=points, resolution=resolution, samples=samples)
    return pool.render(parts, path, points=points, resolution=resolution, samples=samples)


def render_program(
    source: str,
    path: str | Path,
    points: np.ndarray | None = None,
    pool: ExecutorPool | None = None,
    resolution: int = 256,
    samples: int = 8,
) -> ExecutionResult:
    """Run ``source`` and render its parts; returns the execution result (nothing is drawn on failure)."""
    if pool is None:
        with ExecutorPool(num_workers=1) as own:
            return render_program(source, path, points, own, resolution, samples)
    result = pool.run(source)
    if result.ok:
        pool.render(result.parts, path, points=points, resolution=resolution, samples=samples)
    return result
