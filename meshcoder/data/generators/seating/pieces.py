"""Pieces shared by seats and tables: random draws, legs, rails, boards and outlines, in metres."""

from __future__ import annotations

import numpy as np

from meshcoder.data.generators.geometry import X_AXIS, Y_AXIS, basis, unit
from meshcoder.data.generators.seating.shapes import Box, Cyl, Lathe, Shape, Sweep, Trap


def uniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    """One uniform draw in [lo, hi) as a plain float."""
    return float(rng.uniform(lo, hi))


def vec(*xyz) -> np.ndarray:
    """A point or direction from its coordinates."""
    return np.array(xyz, dtype=float)


LEG_STYLES = ("square", "round", "tapered", "tapered round", "turned")
ROUND_STYLES = ("round", "tapered round", "turned")


def _turned(a, h: float, t: float, k: float = 0.35) -> Lathe:
    """A lathe-turned leg standing at ``a``, ``h`` tall and ``t`` thick at its top block, its bulb
    at ``k`` of the height."""
    r = t / 2
    prof = [(0, 0), (r * 0.55, 0), (r * 0.6, h * 0.06), (r * 0.45, h * (k - 0.2)), (r * 0.85, h * k)]
    prof += [(r * 0.5, h * (k + 0.15)), (r * 0.6, h * 0.78), (r, h * 0.8), (r, h), (0, h)]
    codes = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]
    return Lathe(a, prof, codes)


def straight_leg(style: str, a, b, t: float, taper: float = 0.65) -> Shape:
    """A straight leg from foot ``a`` up to ``b``, ``t`` thick at the top; a turned leg must stand
    upright (tilted, it is a tapered round one)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    if style == "turned":
        if np.allclose(unit(b - a), Y_AXIS):
            return _turned(a, float(b[1] - a[1]), t)
        style = "tapered round"
    if style == "square":
        R = None if np.allclose(unit(b - a), Y_AXIS) else basis(b - a, X_AXIS, 1, 0)
        return Box((a + b) / 2, (t / 2, np.linalg.norm(b - a) / 2, t / 2), R)
    if style == "round":
        return Cyl(a, b, t / 2)
    if style == "tapered":
        return Trap(a, b, (t, t), (t * taper, t * taper))
    return Sweep([a, b], ("circle", t / 2), radii=[taper, 1.0])


def lerp(a, b, s: float) -> np.ndarray:
    """The point a fraction ``s`` of the way from ``a`` to ``b``."""
    return np.asarray(a, float) + (np.asarray(b, float) - np.asarray(a, float)) * s


def rail_piece(style: str, a, b, t: float, h: float | None = None) -> Shape:
    """A stretcher or rail from ``a`` to ``b``: round (``t`` diameter) or a board ``t`` thick, ``h`` tall."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    if style == "round":
        return Cyl(a, b, t / 2)
    return beam(a, b, t, h or t)


def beam(a, b, t: float, h: float, up=Y_AXIS) -> Box:
    """A board from ``a`` to ``b``, ``h`` tall (towards ``up``) and ``t`` thick; unrotated when it runs
    along an axis."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    d = b - a
    length = np.linalg.norm(d)
    R = basis(d, up, 0, 1)
    if np.allclose(np.abs(R), np.round(np.abs(R)), atol=1e-9):  # axis-aligned: permute, do not rotate
        half = np.abs(R) @ np.array([length / 2, h / 2, t / 2])
        return Box((a + b) / 2, half)
    return Box((a + b) / 2, (length / 2, h / 2, t / 2), R)


def up_facing(pts) -> list:
    """The outline ordered so that it runs counter-clockwise seen from above (its panel thickens down)."""
    pts = [np.asarray(q, float) for q in pts]
    arr = np.array(pts)
    normal = np.sum(np.cross(arr, np.roll(arr, -1, axis=0)), axis=0)
    return pts if normal[1] > 0 else pts[::-1]


def facing(pts, direction) -> list:
    """The outline ordered so that its panel's front faces ``direction`` (it thickens away from it)."""
    pts = [np.asarray(q, float) for q in pts]
    arr = np.array(pts)
    normal = np.sum(np.cross(arr, np.roll(arr, -1, axis=0)), axis=0)
    return pts if normal @ np.asarray(direction, float) > 0 else pts[::-1]


def rounded_rect(cx: float, y: float, cz: float, w_front: float, w_back: float, depth: float) -> list:
    """Corners of a horizontal seat outline, wider at the front when w_front > w_back."""
    return up_facing(
        [
            (cx + w_front / 2, y, cz + depth / 2),
            (cx + w_back / 2, y, cz - depth / 2),
            (cx - w_back / 2, y, cz - depth / 2),
            (cx - w_front / 2, y, cz + depth / 2),
        ]
    )
