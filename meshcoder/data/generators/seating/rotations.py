"""Rotations the seating-and-tables shapes recompute at every trial frame, remembered; the plain ones
are in :mod:`meshcoder.data.generators.geometry`."""

from __future__ import annotations

import functools

import numpy as np

from meshcoder.data.generators.geometry import X_AXIS, basis, quat_from_matrix, quat_matrix, rotation_about


@functools.lru_cache(maxsize=4096)
def axis_quat(main: tuple, hint: tuple, main_axis: int = 2, hint_axis: int = 0) -> np.ndarray:
    """``quat_from_matrix(basis(...))``, remembered: the same directions recur at every trial frame."""
    return quat_from_matrix(basis(main, hint, main_axis, hint_axis))


def qmat(q) -> np.ndarray:
    """Rotation matrix of a (written, so unnormalised) quaternion, remembered."""
    return _qmat_cached(tuple(float(v) for v in q))


@functools.lru_cache(maxsize=4096)
def _qmat_cached(q: tuple) -> np.ndarray:
    m = quat_matrix(q)
    m.setflags(write=False)  # shared by every caller
    return m


def tilt_x(angle: float) -> np.ndarray:
    """Rotation about X by ``angle`` radians (positive turns +Y towards +Z)."""
    return rotation_about(X_AXIS, angle)
