"""Area-weighted surface sampling with normals: numpy for data, torch (differentiable) for training.

A point is drawn by picking a triangle with probability proportional to its area, then a uniform
point in it (the square-root-free "fold the unit square" construction). Its normal is the triangle's
normal, so a consistently wound mesh gives consistently oriented normals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.geometry.pointcloud import PointCloud

if TYPE_CHECKING:  # torch is imported where it is used: the numpy paths should not pay for it
    import torch


def _fold(u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # (u, v) uniform in the unit square; reflecting the half with u + v > 1 makes it uniform in the
    # triangle u, v >= 0, u + v <= 1 without rejection.
    outside = u + v > 1.0
    return np.where(outside, 1.0 - u, u), np.where(outside, 1.0 - v, v)


def sample_surface(mesh: TriangleMesh, count: int, seed: int = 0) -> PointCloud:
    """``count`` points uniformly distributed by area over ``mesh``, with the triangles' unit normals.

    Deterministic for a given ``seed``. Zero-area triangles are never chosen. Raises ``ValueError``
    when the mesh has no area to sample (empty or degenerate): check ``mesh.area > 0`` first.
    """
    points, face, cross, length = _draw(mesh, count, seed)
    # The normals of TriangleMesh.face_normals, from the cross products the areas already needed.
    normals = np.divide(cross, length[:, None], out=np.zeros_like(cross), where=length[:, None] > 0)
    return PointCloud(points, normals[face])


def sample_surface_points(mesh: TriangleMesh, count: int, seed: int = 0) -> np.ndarray:
    """The points of ``sample_surface(mesh, count, seed)`` (the very same), without their normals."""
    return _draw(mesh, count, seed)[0]


def _draw(mesh: TriangleMesh, count: int, seed: int) -> tuple[np.ndarray, ...]:
    """Points, their triangles' indices, and every triangle's edge cross product and its length."""
    if count < 0:
        raise ValueError(f"count must be >= 0, got {count}")
    vertices, faces = mesh.vertices, mesh.faces
    tri = vertices[faces]
    cross = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    length = np.linalg.norm(cross, axis=1)
    cdf = np.cumsum(0.5 * length)  # the areas of TriangleMesh.triangle_areas
    if len(cdf) == 0 or not np.isfinite(cdf[-1]) or cdf[-1] <= 0:
        raise ValueError(
            f"cannot sample a mesh with {len(mesh.faces)} faces and area {mesh.area:g}: "
            "it is empty or degenerate (give a mesh with positive, finite area)"
        )
    rng = np.random.default_rng(seed)
    # side="right" skips zero-area triangles: their cdf step is empty.
    face = np.searchsorted(cdf, rng.random(count) * cdf[-1], side="right")
    face = np.minimum(face, len(cdf) - 1)
    u, v = _fold(rng.random(count), rng.random(count))
    # Corners gathered one at a time: contiguous arrays, so the arithmetic runs at memory speed.
    corners = faces[face]
    a, b, c = vertices[corners[:, 0]], vertices[corners[:, 1]], vertices[corners[:, 2]]
    points = a + u[:, None] * (b - a) + v[:, None] * (c - a)
    return points, face, cross, length


def sample_surface_torch(
    vertices: torch.Tensor,
    faces: torch.Tensor,
    count: int,
    generator: torch.Generator | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Differentiable area-weighted sampling: points and unit normals, gradients flow to ``vertices``.

    Args:
        vertices: ``(V, 3)`` or a batch ``(B, V, 3)`` of meshes sharing ``faces``.
        faces: ``(F, 3)`` long tensor of vertex indices.
        count: points per mesh.
        generator: a seeded ``torch.Generator`` (on the vertices' device) for reproducible draws.

    Returns:
        ``(points, normals)``, each ``(count, 3)`` or ``(B, count, 3)`` like ``vertices``. The choice of
        triangle is discrete (no gradient); the position within it and the normal are differentiable.
    """
    import torch

    batched = vertices.dim() == 3
    verts = vertices if batched else vertices.unsqueeze(0)
    faces = faces.to(device=verts.device, dtype=torch.long)
    tri = verts[:, faces]  # (B, F, 3, 3)
    e1 = tri[:, :, 1] - tri[:, :, 0]
    e2 = tri[:, :, 2] - tri[:, :, 0]
    cross = torch.cross(e1, e2, dim=-1)
    areas = cross.detach().norm(dim=-1)
    if not torch.all(areas.sum(dim=-1) > 0):
        raise ValueError("cannot sample a mesh with zero area: give vertices and faces that span a surface")
    face = torch.multinomial(areas, count, replacement=True, generator=generator)  # (B, count)
    u = torch.rand(verts.shape[0], count, 1, generator=generator, device=verts.device, dtype=verts.dtype)
    v = torch.rand(verts.shape[0], count, 1, generator=generator, device=verts.device, dtype=verts.dtype)
    outside = u + v > 1.0
    u = torch.where(outside, 1.0 - u, u)
    v = torch.where(outside, 1.0 - v, v)

    def pick(x: torch.Tensor) -> torch.Tensor:
        return torch.gather(x, 1, face.unsqueeze(-1).expand(-1, -1, 3))

    points = pick(tri[:, :, 0]) + u * pick(e1) + v * pick(e2)
    picked = pick(cross)
    normals = picked / picked.norm(dim=-1, keepdim=True).clamp_min(1e-12)
    if not batched:
        return points[0], normals[0]
    return points, normals
