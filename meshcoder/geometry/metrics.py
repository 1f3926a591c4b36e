"""Point-set metrics of the evaluation spec: Chamfer distance, F-score, normal consistency.

Everything rests on one operation, the nearest neighbour of each point of one set in the other, with
three interchangeable backends that must agree (a test checks it):

* ``"kdtree"``: a k-d tree (``pykdtree``, OpenMP over the CPU cores), float64. The default, and fast on
  a CPU (100,000 points per side in well under a second), also for clouds far apart (see
  :func:`_nearest_kdtree`) and clouds of repeated points. It returns what scipy's ``cKDTree`` does
  (a test compares them) in about half the time.
* ``"torch"``: exhaustive, chunked so that at most ``chunk_elements`` distances exist at once (default
  by device); runs on any device, batches, and is differentiable with respect to the points
  (training-time use).
* ``"pytorch3d"``: ``pytorch3d.ops.knn_points`` when pytorch3d is importable (it is optional).

Chamfer distance here is the spec's: squared distances, mean over the points of each set, the two
directions summed (no one-half).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import numpy as np
from pykdtree.kdtree import KDTree
from threadpoolctl import ThreadpoolController

if TYPE_CHECKING:  # torch is imported where it is used: the numpy paths should not pay for it
    import torch

BACKENDS = ("kdtree", "torch", "pytorch3d")
#: Threads of the k-d tree queries (-1: every core). A process among several that share the cores
#: (datagen's post-processing pool) sets 1 with :func:`set_query_workers`: threads there are pure
#: overhead, with the same values.
_QUERY_WORKERS = -1


def query_workers() -> int:
    """The threads the k-d tree queries of this module use (see :func:`set_query_workers`)."""
    return _QUERY_WORKERS


def set_query_workers(workers: int) -> None:
    """Threads for this process's k-d tree queries: -1 (every core, the default) or a positive count.

    The queries run on pykdtree's own OpenMP runtime; only that one is limited (torch's is not touched).
    """
    global _QUERY_WORKERS
    if workers != -1 and workers < 1:
        raise ValueError(f"workers must be -1 or at least 1, got {workers}")
    threads = len(os.sched_getaffinity(0)) if workers == -1 else int(workers)
    for library in ThreadpoolController().lib_controllers:
        if library.user_api == "openmp" and "pykdtree" in library.filepath:
            library.set_num_threads(threads)
    _QUERY_WORKERS = int(workers)


# Distances held at once by the exhaustive search. On a CPU, chunks that stay in cache win (2^20 floats,
# 4 MiB, measured fastest on 2 cores); a GPU wants large launches (2^26, 256 MiB).
CPU_CHUNK_ELEMENTS = 1 << 20
GPU_CHUNK_ELEMENTS = 1 << 26
# Far-apart clouds (see _nearest_kdtree): query points are taken in spatially compact blocks of
# FAR_BLOCK; a block whose nearest target point is more than FAR_RATIO block radii from its centre is
# searched among the few target points that can be nearest to it, found in chunks of TARGET_CHUNK.
# Measured on 2 cores, 100,000 points per side: 1024 and 128 keep a near pair as fast as one tree query.
FAR_BLOCK = 1024
TARGET_CHUNK = 128
FAR_RATIO = 2.0
# Above this magnitude squared distances could overflow: such clouds take the plain tree query.
_SAFE_COORDINATE = 1e150
# Tree queries return a neighbour within this relative distance of the nearest. Far below any metric's
# precision, it spares the search from telling apart points whose distances differ only by rounding:
# seen from 10^16 times its size away, every point of a cloud is such a tie, and an exact search visits
# them all (100,000 x 100,000 distances).
QUERY_EPS = 1e-12


def pytorch3d_available() -> bool:
    """Whether the optional pytorch3d backend can be imported."""
    try:
        import pytorch3d.ops  # noqa: F401
    except ImportError:
        return False
    return True


def nearest_neighbors(
    query: np.ndarray, target: np.ndarray, backend: str = "kdtree", device: str | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """For each point of ``query`` ``(N, 3)``, its squared distance to and index of the nearest point
    of ``target`` ``(M, 3)``. Returns ``(squared_distances (N,), indices (N,))`` as numpy arrays.

    ``device`` applies to the torch and pytorch3d backends (default: CUDA when available, else CPU).
    """
    query = np.asarray(query, dtype=np.float64).reshape(-1, 3)
    target = np.asarray(target, dtype=np.float64).reshape(-1, 3)
    if len(target) == 0:
        raise ValueError("nearest neighbours in an empty set are undefined: give a non-empty target")
    if backend == "kdtree":
        return _nearest_kdtree(query, target)
    if backend not in BACKENDS:
        raise ValueError(f"unknown nearest-neighbour backend {backend!r}: use one of {', '.join(BACKENDS)}")
    import torch

    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    x = torch.as_tensor(query, dtype=torch.float32, device=device)[None]
    y = torch.as_tensor(target, dtype=torch.float32, device=device)[None]
    with torch.no_grad():
        if backend == "torch":
            distances, indices = nearest_neighbors_torch(x, y)
        else:
            distances, indices = _knn_pytorch3d(x, y)
    return distances[0].double().cpu().numpy(), indices[0].cpu().numpy()


def _nearest_kdtree(query: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest neighbours with a k-d tree, guarded against its two slow cases.

    Repeated target points make every query near them visit all the copies (a cloud of 100,000 equal
    points costs minutes); they are merged first (the distances are the same, the index is the first
    copy's). Far from the target, a query's ball reaches many of the tree's cells, which are not shrunk
    to the points (a sphere 100 diameters away: 10x the cost of a near one). So query points are grouped
    in compact blocks; for a block far from the target (centre ``c``, radius ``r``, nearest target point
    ``w``) a target point ``y`` can be the nearest of some block point only if ``|y - c|^2 - |w - c|^2
    <= 2 r |y - w|`` (else ``w`` is nearer to every point of the block), which leaves a small patch
    facing the block; it is searched with a small tree. Distances are the nearest's up to a relative
    ``QUERY_EPS`` (1e-12), as a plain query with that ``eps`` gives. The near blocks' queries go in
    Z-order too: consecutive queries then walk the same branches of the tree, which pays for the sort.
    """
    for name, points in (("query", query), ("target", target)):
        if not np.isfinite(points).all():
            raise ValueError(f"nearest neighbours need finite coordinates: the {name} has NaN or inf")
    target, first, _ = distinct_points(target)
    tree = _tree(target)
    safe = len(query) > FAR_BLOCK and max(np.abs(query).max(), np.abs(target).max()) < _SAFE_COORDINATE
    if safe:
        distances, indices = _query_by_blocks(tree, query, target)
    else:
        distances, indices = _query(tree, query)
    return distances**2, (indices if first is None else first[indices])


def distinct_points(points: np.ndarray) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """``points`` ``(N, 3)`` with repeated rows merged: ``(distinct, first, inverse)``, where ``first``
    is each distinct row's lowest index in ``points`` and ``inverse`` each point's row in ``distinct``
    (``distinct[inverse] == points``); ``first`` and ``inverse`` are None when no row repeats
    (``distinct`` is then ``points`` itself).

    Repeated points make a k-d tree query near them visit every copy; merging them keeps clouds such as
    100,000 equal points (a collapsed prediction) as fast as any other.
    """
    points = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    # Cheap test first: equal rows give equal values of this mix of the coordinates, which distinct
    # rows (samples of a surface, even on axis-aligned faces) almost never share.
    mix = np.sort(points @ np.array([1.0, np.sqrt(2.0), np.sqrt(5.0)]))
    if np.count_nonzero(mix[1:] == mix[:-1]) <= len(points) // 100:
        return points, None, None
    order = np.lexsort(points.T[::-1])
    ordered = points[order]
    new = np.ones(len(points), dtype=bool)
    new[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
    if new.all():
        return points, None, None
    inverse = np.empty(len(points), dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    # lexsort is stable: the first of each run of equal rows has the lowest original index.
    return ordered[new], order[new], inverse


def _spread_bits(values: np.ndarray) -> np.ndarray:
    """10-bit integers with two zero bits put after each bit (for interleaving three of them)."""
    v = values.astype(np.uint64)
    for shift, mask in ((16, 0x030000FF), (8, 0x0300F00F), (4, 0x030C30C3), (2, 0x09249249)):
        v = (v | (v << np.uint64(shift))) & np.uint64(mask)
    return v


def _morton_order(points: np.ndarray) -> np.ndarray:
    """A permutation putting ``points`` in Z-order (10 bits per axis), so that consecutive runs of the
    permuted points are spatially compact."""
    low = points.min(axis=0)
    span = float(np.max(points.max(axis=0) - low))
    cells = np.clip((points - low) * (1023.0 / span if span > 0 else 0.0), 0, 1023).astype(np.uint64)
    code = _spread_bits(cells[:, 0]) | (_spread_bits(cells[:, 1]) << np.uint64(1))
    code |= _spread_bits(cells[:, 2]) << np.uint64(2)
    return np.argsort(code, kind="stable")


def _tree(points: np.ndarray) -> KDTree:
    return KDTree(np.ascontiguousarray(points, dtype=np.float64))


def _query(tree: KDTree, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distance to and index of each query point's nearest tree point (up to ``QUERY_EPS``)."""
    distances, indices = tree.query(np.ascontiguousarray(query), k=1, eps=QUERY_EPS)
    return distances, indices.astype(np.int64)


def _query_by_blocks(tree: KDTree, query: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``tree.query(query)``, with far blocks of queries searched among their candidate targets only
    (see :func:`_nearest_kdtree`)."""
    order = _morton_order(query)
    ordered = query[order]
    starts = np.arange(0, len(query), FAR_BLOCK)
    sizes = np.diff(np.append(starts, len(query)))
    centres = np.add.reduceat(ordered, starts) / sizes[:, None]
    offsets = ordered - np.repeat(centres, sizes, axis=0)
    radii = np.sqrt(np.maximum.reduceat(np.einsum("ij,ij->i", offsets, offsets), starts))
    gap, witness = _query(tree, centres)
    far = gap > FAR_RATIO * radii
    distances = np.empty(len(query))
    indices = np.empty(len(query), dtype=np.int64)
    near = order[np.repeat(~far, sizes)]
    if len(near):
        distances[near], indices[near] = _query(tree, query[near])
    if not far.any():
        return distances, indices
    chunk_order = _morton_order(target)
    chunked = target[chunk_order]
    chunk_starts = np.arange(0, len(target), TARGET_CHUNK)
    chunk_ends = np.append(chunk_starts[1:], len(target))
    low = np.minimum.reduceat(chunked, chunk_starts)
    high = np.maximum.reduceat(chunked, chunk_starts)
    for block in np.flatnonzero(far):
        c, r, w = centres[block], radii[block], target[witness[block]]
        w2 = gap[block] ** 2
        # Chunks first (nearest box point to c, farthest box corner from w), then their points. A
        # target is dropped only when the test holds with a margin, so rounding keeps a candidate.
        box_gap = np.maximum(0.0, np.maximum(low - c, c - high))
        near2 = np.einsum("ij,ij->i", box_gap, box_gap)
        corner = np.maximum(np.abs(low - w), np.abs(high - w))
        far_w = np.sqrt(np.einsum("ij,ij->i", corner, corner))
        keep = ~(near2 - w2 - 2 * r * far_w > 1e-9 * (near2 + w2 + r * r))
        members = order[starts[block] : starts[block] + sizes[block]]
        if np.count_nonzero(keep) * 2 > len(keep):
            # Most of the target stays (a target so small next to its distance that rounding ties
            # its points): the whole tree does as well as a new one.
            distances[members], indices[members] = _query(tree, query[members])
            continue
        first, last = chunk_starts[keep], chunk_ends[keep]
        counts = last - first
        rows = np.repeat(first - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        y = chunked[rows]
        to_c = np.einsum("ij,ij->i", y - c, y - c)
        to_w = np.sqrt(np.einsum("ij,ij->i", y - w, y - w))
        rows = rows[~(to_c - w2 - 2 * r * to_w > 1e-9 * (to_c + w2 + r * r))]
        d, i = _query(_tree(chunked[rows]), query[members])
        distances[members], indices[members] = d, chunk_order[rows[i]]
    return distances, indices


def _knn_pytorch3d(x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    try:
        from pytorch3d.ops import knn_points
    except ImportError as err:
        raise ImportError(
            "the pytorch3d backend needs pytorch3d installed; use backend='kdtree' or 'torch' instead"
        ) from err
    result = knn_points(x, y, K=1)
    return result.dists[..., 0], result.idx[..., 0]


def nearest_neighbors_torch(
    x: torch.Tensor,
    y: torch.Tensor,
    y_lengths: torch.Tensor | None = None,
    chunk_elements: int | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Exhaustive nearest neighbours, batched and chunked: ``x`` ``(B, N, 3)``, ``y`` ``(B, M, 3)``.

    Returns ``(squared_distances (B, N), indices (B, N))``. ``y_lengths`` ``(B,)`` marks how many of each
    ``y`` are real (the rest is padding, never chosen). The distances are differentiable with respect to
    ``x`` and ``y``: the argmin is found without gradients, then the chosen distances are recomputed
    exactly as ``|x - y[idx]|^2``, which costs O(N) memory instead of O(N M) and avoids the cancellation
    of the ``|x|^2 + |y|^2 - 2 x.y`` expansion.
    """
    import torch

    if x.dim() != 3 or y.dim() != 3 or x.shape[-1] != 3 or y.shape[-1] != 3:
        raise ValueError(f"expected x (B, N, 3) and y (B, M, 3), got {tuple(x.shape)} and {tuple(y.shape)}")
    batch, n, _ = x.shape
    m = y.shape[1]
    if chunk_elements is None:
        chunk_elements = CPU_CHUNK_ELEMENTS if x.device.type == "cpu" else GPU_CHUNK_ELEMENTS
    if m == 0:
        raise ValueError("nearest neighbours in an empty set are undefined: give a non-empty y")
    rows = max(1, min(n, chunk_elements // max(1, batch * m)))
    indices = torch.empty(batch, n, dtype=torch.long, device=x.device)
    with torch.no_grad():
        xd, yd = x.detach(), y.detach()
        y_sq = (yd * yd).sum(-1)  # (B, M)
        if y_lengths is not None:
            padding = torch.arange(m, device=y.device)[None] >= y_lengths.to(y.device)[:, None]
            y_sq = y_sq.masked_fill(padding, float("inf"))
        for start in range(0, n, rows):
            chunk = xd[:, start : start + rows]
            # |x - y|^2 up to the per-row constant |x|^2, which does not change the argmin.
            score = torch.baddbmm(y_sq[:, None, :], chunk, yd.transpose(1, 2), alpha=-2.0)
            indices[:, start : start + rows] = score.argmin(dim=-1)
    nearest = torch.gather(y, 1, indices[..., None].expand(-1, -1, 3))
    return ((x - nearest) ** 2).sum(-1), indices


def chamfer_distance_torch(
    x: torch.Tensor,
    y: torch.Tensor,
    x_lengths: torch.Tensor | None = None,
    y_lengths: torch.Tensor | None = None,
    chunk_elements: int | None = None,
) -> torch.Tensor:
    """Spec Chamfer distance per batch item, differentiable: ``x`` ``(B, N, 3)`` or ``(N, 3)``, same for y.

    Returns ``(B,)`` (or a scalar for unbatched input). ``x_lengths``/``y_lengths`` give the number of
    real points of each padded cloud.
    """
    import torch

    unbatched = x.dim() == 2
    if unbatched:
        x, y = x[None], y[None]
    batch = x.shape[0]
    full_x = torch.full((batch,), x.shape[1], device=x.device)
    full_y = torch.full((batch,), y.shape[1], device=y.device)
    x_lengths = full_x if x_lengths is None else x_lengths.to(x.device)
    y_lengths = full_y if y_lengths is None else y_lengths.to(y.device)
    d_xy, _ = nearest_neighbors_torch(x, y, y_lengths, chunk_elements)
    d_yx, _ = nearest_neighbors_torch(y, x, x_lengths, chunk_elements)
    mask_x = torch.arange(x.shape[1], device=x.device)[None] < x_lengths[:, None]
    mask_y = torch.arange(y.shape[1], device=y.device)[None] < y_lengths[:, None]
    # where() rather than multiply: padded rows may hold inf, and inf * 0 is NaN.
    term_x = torch.where(mask_x, d_xy, torch.zeros_like(d_xy)).sum(-1) / x_lengths.clamp_min(1)
    term_y = torch.where(mask_y, d_yx, torch.zeros_like(d_yx)).sum(-1) / y_lengths.clamp_min(1)
    result = term_x + term_y
    return result[0] if unbatched else result


def chamfer_distance(x: np.ndarray, y: np.ndarray, backend: str = "kdtree") -> float:
    """Spec Chamfer distance between two point sets: mean_x min_y |x-y|^2 + mean_y min_x |y-x|^2."""
    d_xy, _ = nearest_neighbors(x, y, backend)
    d_yx, _ = nearest_neighbors(y, x, backend)
    return float(d_xy.mean() + d_yx.mean())


def fscore(d_pred_to_ref: np.ndarray, d_ref_to_pred: np.ndarray, threshold: float) -> float:
    """F-score at ``threshold`` from nearest-neighbour *squared* distances in both directions.

    Precision: share of predicted points within ``threshold`` (distance <= threshold) of the reference;
    recall: share of reference points within it of the prediction; F = 2PR / (P + R), 0 when both are 0.
    """
    limit = threshold**2
    precision = float(np.mean(np.asarray(d_pred_to_ref) <= limit))
    recall = float(np.mean(np.asarray(d_ref_to_pred) <= limit))
    if precision + recall == 0:
        return 0.0
    return 2.0 * precision * recall / (precision + recall)


def normal_consistency(
    normals_a: np.ndarray, normals_b: np.ndarray, index_a_to_b: np.ndarray, index_b_to_a: np.ndarray
) -> float:
    """Mean absolute cosine between each point's normal and its nearest neighbour's, both directions
    averaged. Orientation-free (absolute value), so inconsistently wound meshes are not penalised."""
    a = np.asarray(normals_a, dtype=np.float64)
    b = np.asarray(normals_b, dtype=np.float64)
    a = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)
    b = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-12)
    ab = np.abs(np.einsum("ij,ij->i", a, b[index_a_to_b])).mean()
    ba = np.abs(np.einsum("ij,ij->i", b, a[index_b_to_a])).mean()
    return float(0.5 * (ab + ba))
