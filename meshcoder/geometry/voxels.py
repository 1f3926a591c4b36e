"""Voxel IoU of the evaluation spec, for shapes already in the metric frame.

The lattice has voxels of side ``2 / resolution`` aligned with the cube [-1, 1]^3 (voxel ``i`` spans
``[-1 + i h, -1 + (i + 1) h)``) and is extended as far as either shape reaches, so a prediction sticking
out of the reference's cube is penalised, not clipped. Occupancy is the voxels the surface passes
through, found from dense surface samples (spacing at most half a voxel), plus the voxels they enclose
(``scipy.ndimage.binary_fill_holes``).

A point cloud is not a closed surface: random samples leave gaps between them, so its surface voxels
are first closed (dilated by as many voxels as its gaps are wide, up to ``MAX_CLOSING``, filled, and
eroded back) before filling. IoU from a cloud is
therefore approximate; from a mesh it is what the spec says.

Tie-break: a surface lying exactly on a lattice plane (common: the reference's extreme faces land on
x = +-1) belongs to the voxel on its inner side. Samples are moved a millionth of a voxel against their
normal and towards their triangle's centre, so a unit cube fills exactly the 32^3 voxels of [-1, 1]^3.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy import ndimage
from scipy.spatial import cKDTree

from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.geometry.metrics import distinct_points
from meshcoder.geometry.pointcloud import PointCloud

RESOLUTIONS = (32, 64)
# The lattice stops at [-MAX_REACH, MAX_REACH]^3 (four times the reference's cube per side): beyond it a
# runaway prediction would cost memory without changing the verdict (its IoU is already tiny).
MAX_REACH = 4.0
# Cap on dense surface samples per shape; past it the spacing grows (only absurdly large meshes).
MAX_SAMPLES = 4_000_000
# Points of a cloud used for its voxels; a larger cloud gives a seeded subset of this many, with a
# warning (ten times the report protocol's 100,000: the occupancy no longer changes, the cost does).
MAX_CLOUD_POINTS = 1_000_000
# Geometry further out than this from the origin (in the metric frame) cannot reach the lattice and
# its padding; it is dropped before sampling, so a runaway triangle costs nothing.
_SAMPLING_BOUND = MAX_REACH + 1.0
_NUDGE = 1e-6  # in voxels
MAX_CLOSING = 4  # voxels


def surface_samples(
    geometry: TriangleMesh | PointCloud, voxel_size: float, bound: float | None = None
) -> np.ndarray:
    """Points covering the surface densely enough to hit every voxel of side ``voxel_size`` it crosses.

    A mesh gives a barycentric grid on each triangle with spacing at most half a voxel (nudged as the
    module docstring says); a point cloud gives its points (nudged against its normals when it has them).
    With ``bound``, only the surface within the cube ``[-bound, bound]^3`` is sampled: triangles wholly
    outside it are skipped, and triangles longer than twice its side are split in four (recursively,
    parts outside skipped), so a runaway triangle costs the few samples near the cube, not millions.
    """
    nudge = _NUDGE * voxel_size
    if isinstance(geometry, PointCloud):
        if geometry.normals is None:
            return geometry.points.copy()
        length = np.linalg.norm(geometry.normals, axis=1, keepdims=True)
        return geometry.points - nudge * geometry.normals / np.maximum(length, 1e-12)
    if not isinstance(geometry, TriangleMesh):
        raise TypeError(f"expected a TriangleMesh or PointCloud, got {type(geometry).__name__}")
    tri = geometry.vertices[geometry.faces]
    normals = geometry.face_normals
    if bound is not None:
        tri, normals = _within(tri, normals, bound)
    if len(tri) == 0:
        return np.zeros((0, 3))
    longest = np.max(np.linalg.norm(tri - np.roll(tri, 1, axis=1), axis=2), axis=1)
    spacing = 0.5 * voxel_size
    # Counted in floats: a triangle 10^37 long would overflow integer step counts.
    steps = np.maximum(1.0, np.ceil(longest / spacing))
    total = float(((steps + 1) * (steps + 2) / 2).sum())
    if total > MAX_SAMPLES:
        spacing *= math.sqrt(total / MAX_SAMPLES)
        steps = np.maximum(1.0, np.ceil(longest / spacing))
    steps = np.minimum(steps, math.isqrt(2 * MAX_SAMPLES)).astype(np.int64)
    centre = tri.mean(axis=1)
    # Shrink towards the centre by at most `nudge`: a fraction of each triangle's longest side.
    shrink = np.minimum(0.5, nudge / np.maximum(longest, 1e-300))
    chunks = []
    for n in np.unique(steps):
        members = np.flatnonzero(steps == n)
        weights = _barycentric_grid(int(n))  # (P, 3)
        for start in range(0, len(members), max(1, 1_000_000 // len(weights))):
            group = members[start : start + max(1, 1_000_000 // len(weights))]
            points = np.einsum("pk,tkd->tpd", weights, tri[group])
            s = shrink[group][:, None, None]
            points = (1.0 - s) * points + s * centre[group][:, None, :]
            points -= nudge * normals[group][:, None, :]
            chunks.append(points.reshape(-1, 3))
    return np.concatenate(chunks)


def _within(tri: np.ndarray, normals: np.ndarray, bound: float) -> tuple[np.ndarray, np.ndarray]:
    """The triangles (and their normals) that may reach the cube ``[-bound, bound]^3``, the long ones
    split into pieces at most ``4 * bound`` long; each piece keeps its triangle's winding and normal."""
    done_tri, done_normals = [], []
    while len(tri):
        reaches = np.all(tri.min(axis=1) <= bound, axis=1) & np.all(tri.max(axis=1) >= -bound, axis=1)
        tri, normals = tri[reaches], normals[reaches]
        longest = np.max(np.linalg.norm(tri - np.roll(tri, 1, axis=1), axis=2), axis=1)
        short = ~(longest > 4.0 * bound)  # NaN-safe: never split what cannot be measured
        done_tri.append(tri[short])
        done_normals.append(normals[short])
        a, b, c = (tri[~short, k] for k in range(3))
        ab, bc, ca = 0.5 * (a + b), 0.5 * (b + c), 0.5 * (c + a)
        tri = np.concatenate(
            [np.stack(t, axis=1) for t in ((a, ab, ca), (ab, b, bc), (ca, bc, c), (ab, bc, ca))]
        )
        normals = np.tile(normals[~short], (4, 1))
    return np.concatenate(done_tri), np.concatenate(done_normals)


def _barycentric_grid(n: int) -> np.ndarray:
    i, j = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
    keep = i + j <= n
    i, j = i[keep], j[keep]
    return np.stack([n - i - j, i, j], axis=1).astype(np.float64) / n


def _indices(points: np.ndarray, voxel_size: float) -> np.ndarray:
    return np.floor((points + 1.0) / voxel_size).astype(np.int64)


def occupancy(
    indices: np.ndarray, low: np.ndarray, shape: tuple[int, int, int], close_gaps: int = 0
) -> np.ndarray:
    """Filled occupancy grid of ``shape`` from surface voxel ``indices`` ``(N, 3)`` (lattice ``low`` at
    grid index 0): surface voxels plus every voxel they enclose. ``close_gaps`` bridges gaps of up to
    that many voxels between surface voxels first (for point clouds); the grid then needs that many
    voxels of empty border, plus one."""
    grid = np.zeros(shape, dtype=bool)
    local = indices - low
    inside = np.all((local >= 0) & (local < np.asarray(shape)), axis=1)
    local = local[inside]
    grid[local[:, 0], local[:, 1], local[:, 2]] = True
    if close_gaps <= 0:
        return ndimage.binary_fill_holes(grid)
    cube = np.ones((3, 3, 3), dtype=bool)
    grown = ndimage.binary_dilation(grid, cube, iterations=close_gaps)
    solid = ndimage.binary_erosion(ndimage.binary_fill_holes(grown), cube, iterations=close_gaps)
    return solid | grid


def cloud_gap(points: np.ndarray) -> float:
    """Width of the typical largest gap between a cloud's points: the 99th percentile of the distance
    to the 4th nearest neighbour (0 for tiny clouds). Repeated points count as neighbours at distance
    0, as they would in a tree of all points, but the tree holds each only once (copies would make it
    visit every copy)."""
    if len(points) < 5:
        return 0.0
    distinct, _, inverse = distinct_points(points)
    if inverse is None:
        distances, _ = cKDTree(points).query(points, k=5, workers=-1)
        return float(np.percentile(distances[:, -1], 99))
    counts = np.bincount(inverse, minlength=len(distinct))
    k = min(5, len(distinct))
    distances, index = cKDTree(distinct).query(distinct, k=k, workers=-1)
    distances, index = distances.reshape(len(distinct), k), index.reshape(len(distinct), k)
    # The 5th point (counting the point itself and its copies) is the first neighbour at which the
    # copies counted so far reach 5; every row has 5 points within its k nearest distinct rows.
    reached = np.cumsum(counts[index], axis=1) >= 5
    fifth = distances[np.arange(len(distinct)), np.argmax(reached, axis=1)]
    return float(np.percentile(np.repeat(fifth, counts), 99))


def voxel_ious(
    prediction: TriangleMesh | PointCloud,
    reference: TriangleMesh | PointCloud,
    resolutions: tuple[int, ...] = RESOLUTIONS,
) -> dict[int, float]:
    """Voxel IoU at each resolution (voxels of side ``2 / resolution``), both shapes in the metric frame.

    Returns ``{resolution: iou}``; 0 when the prediction is empty. Samples are taken once, at the finest
    resolution's spacing, and binned at every resolution.
    """
    finest = 2.0 / max(resolutions)
    shapes = (_bounded_cloud(prediction, "prediction"), _bounded_cloud(reference, "reference"))
    samples = []
    for g in shapes:
        points = surface_samples(g, finest, _SAMPLING_BOUND)
        samples.append(points[np.all(np.abs(points) <= _SAMPLING_BOUND, axis=1)])
    gaps = [cloud_gap(g.points) if isinstance(g, PointCloud) else 0.0 for g in shapes]
    result = {}
    for resolution in resolutions:
        h = 2.0 / resolution
        cells = [_indices(s, h) for s in samples]
        # Lattice: [-1, 1]^3 at least, grown to both shapes (up to MAX_REACH), padded so that the
        # background the hole filling starts from surrounds everything, even after closing.
        limit_low = math.floor((-MAX_REACH + 1.0) / h)
        limit_high = math.ceil((MAX_REACH + 1.0) / h)
        low = np.zeros(3, dtype=np.int64)
        high = np.full(3, resolution, dtype=np.int64)
        for c in cells:
            if len(c):
                low = np.minimum(low, np.maximum(c.min(axis=0), limit_low))
                high = np.maximum(high, np.minimum(c.max(axis=0) + 1, limit_high))
        closing = [min(MAX_CLOSING, math.ceil(gap / h)) for gap in gaps]
        low -= max(closing) + 1
        high += max(closing) + 1
        shape = tuple(int(v) for v in high - low)
        pred, ref = (occupancy(c, low, shape, k) for c, k in zip(cells, closing))
        union = np.count_nonzero(pred | ref)
        result[resolution] = float(np.count_nonzero(pred & ref) / union) if union else 0.0
    return result


def _bounded_cloud(geometry: TriangleMesh | PointCloud, role: str) -> TriangleMesh | PointCloud:
    """A cloud of at most MAX_CLOUD_POINTS points (a seeded subset, with a warning); meshes as given."""
    if not isinstance(geometry, PointCloud) or len(geometry) <= MAX_CLOUD_POINTS:
        return geometry
    warnings.warn(
        f"the {role} cloud has {len(geometry):,} points; its voxels are found from a seeded subset of "
        f"{MAX_CLOUD_POINTS:,}",
        stacklevel=3,
    )
    return geometry.subsample(MAX_CLOUD_POINTS, seed=0)


def voxel_iou(
    prediction: TriangleMesh | PointCloud, reference: TriangleMesh | PointCloud, resolution: int = 32
) -> float:
    """Voxel IoU at one resolution (see :func:`voxel_ious`)."""
    return voxel_ious(prediction, reference, (resolution,))[resolution]
