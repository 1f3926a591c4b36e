"""Bezier paths, filleted polylines and sweep frames, computed as the Blender library computes them."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import numpy as np

from meshcoder.data.generators.geometry import bezier_polyline, fillet


def bezier(points, codes: Sequence[int] | None, closed: bool = False, per_span: int = 24) -> np.ndarray:
    """Points along the Bezier path (AUTO/VECTOR handles only), ``per_span`` samples per span."""
    key = tuple(map(tuple, np.asarray(points, dtype=float).tolist()))
    return _bezier_cached(key, tuple(codes) if codes else None, bool(closed), per_span)


@functools.lru_cache(maxsize=4096)
def _bezier_cached(points: tuple, codes: tuple | None, closed: bool, per_span: int) -> np.ndarray:
    path = bezier_polyline(points, codes, per_span, closed)
    path.setflags(write=False)  # shared by every caller
    return path


def fillet_corners(points, width: float, segments: int, closed: bool) -> np.ndarray:
    """A polyline's corners (turns over 30 degrees) rounded as the library's curve bevel rounds them."""
    return fillet(points, width, segments, closed, corner_above=30)


def tangents(path: np.ndarray) -> np.ndarray:
    """Unit tangents along a sampled path (central differences inside, one-sided at its ends)."""
    d = np.gradient(path, axis=0)
    return d / np.maximum(np.linalg.norm(d, axis=1, keepdims=True), 1e-12)


def profile_frames(path: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The sweep's profile X and Y axes along a path: Blender starts X at (world Z) x tangent and keeps
    the twist minimal (parallel transport, in plain floats: it runs for every sample of every sweep)."""
    tan = tangents(path).tolist()
    tx, ty = tan[0][0], tan[0][1]
    x = [-ty, tx, 0.0]  # Z x t
    if math.hypot(x[0], x[1]) < 1e-6:
        x = [1.0, 0.0, 0.0]
    xs = []
    for t in tan:
        d = x[0] * t[0] + x[1] * t[1] + x[2] * t[2]
        x = [x[0] - d * t[0], x[1] - d * t[1], x[2] - d * t[2]]
        n = math.sqrt(x[0] ** 2 + x[1] ** 2 + x[2] ** 2)
        if n > 1e-9:
            x = [x[0] / n, x[1] / n, x[2] / n]
        xs.append(x)
    xs = np.array(xs)
    return xs, np.cross(np.array(tan), xs)
