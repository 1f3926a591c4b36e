"""Normals for point clouds that come without them: PCA of neighbourhoods, consistently oriented.

Each point's normal is the direction of least variance of its ``k`` nearest neighbours. PCA leaves the
sign open; ``orient="propagate"`` fixes it the way Hoppe et al. (1992) do: a minimum spanning tree over
the neighbour graph, weighted to prefer near neighbours with parallel normals, is walked from a point
whose outward direction is known (the point farthest from the centroid), flipping each normal to agree
with its parent. ``orient="centroid"`` points every normal away from the centroid (right for convex,
blob-like shapes, wrong inside cavities).
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import breadth_first_order, connected_components, minimum_spanning_tree
from scipy.spatial import cKDTree

ORIENTATIONS = ("propagate", "centroid")


def estimate_normals(points: np.ndarray, k: int = 16, orient: str = "propagate") -> np.ndarray:
    """Unit normals ``(N, 3)`` for ``points`` ``(N, 3)`` from the PCA of their ``k`` nearest neighbours.

    Args:
        points: the cloud; at least 3 points.
        k: neighbourhood size (including the point itself); 10-30 suits clouds of 10^4-10^5 points.
        orient: ``"propagate"`` (consistent over the surface, seeded outward) or ``"centroid"``.
    """
    points = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    if orient not in ORIENTATIONS:
        raise ValueError(f"unknown orientation {orient!r}: use one of {', '.join(ORIENTATIONS)}")
    if len(points) < 3:
        raise ValueError(f"need at least 3 points to estimate normals, got {len(points)}")
    k = int(min(max(k, 3), len(points)))
    tree = cKDTree(points)
    distances, neighbours = tree.query(points, k=k, workers=-1)
    local = points[neighbours]
    local = local - local.mean(axis=1, keepdims=True)
    covariance = np.einsum("nki,nkj->nij", local, local)
    _, vectors = np.linalg.eigh(covariance)  # eigenvalues ascending: column 0 is least variance
    normals = vectors[:, :, 0]
    normals /= np.linalg.norm(normals, axis=1, keepdims=True)

    centroid = points.mean(axis=0)
    if orient == "centroid":
        flip = np.einsum("ij,ij->i", normals, points - centroid) < 0
        normals[flip] *= -1
        return normals
    return _propagate(points, normals, neighbours, distances, centroid)


def _propagate(
    points: np.ndarray,
    normals: np.ndarray,
    neighbours: np.ndarray,
    distances: np.ndarray,
    centroid: np.ndarray,
) -> np.ndarray:
    n, k = neighbours.shape
    rows = np.repeat(np.arange(n), k - 1)
    cols = neighbours[:, 1:].ravel()
    cosine = np.abs(np.einsum("ij,ij->i", normals[rows], normals[cols]))
    spacing = max(float(np.median(distances[:, 1])), 1e-12)
    # Prefer parallel normals, then nearness (so the tree runs along a thin plate rather than across it).
    # The small constant keeps every weight positive: sparse graphs treat a zero weight as no edge.
    weight = (1.0 - cosine) + 0.1 * distances[:, 1:].ravel() / spacing + 1e-9
    graph = coo_matrix((weight, (rows, cols)), shape=(n, n)).tocsr()
    tree = minimum_spanning_tree(graph)
    _, label = connected_components(tree, directed=False)
    outward = np.einsum("ij,ij->i", normals, points - centroid)
    # One root per connected piece: its point farthest from the centroid, whose outward side is clear.
    by_piece = np.lexsort((-np.linalg.norm(points - centroid, axis=1), label))
    first = np.flatnonzero(np.r_[True, np.diff(label[by_piece]) != 0])
    roots = by_piece[first]
    sign = [1.0] * n
    for root in roots.tolist():
        order, parent = breadth_first_order(tree, root, directed=False, return_predecessors=True)
        child = order[1:]
        agree = np.einsum("ij,ij->i", normals[child], normals[parent[child]]) >= 0
        sign[root] = 1.0 if outward[root] >= 0 else -1.0
        # Breadth-first order: every parent's sign is final before its children read it.
        for i, p, same in zip(child.tolist(), parent[child].tolist(), agree.tolist()):
            sign[i] = sign[p] if same else -sign[p]
    return normals * np.asarray(sign)[:, None]
