"""Plain geometry the generators share: rotations and quaternions, Bezier paths, fillets, arcs, lathe
profiles, weighted choices and the smallest size worth writing. No Blender and no frame here (the frame
lives in :mod:`meshcoder.data.generators.design`); where a helper models how Blender evaluates a curve
it says so.

Quaternions are ``[w, x, y, z]`` and turn an object's local axes as the shape library does; matrices act
on column vectors (``points @ m.T``). Where two families computed the same thing in ways that differ in
the last bits, the variants stay apart behind a parameter so each caller keeps its exact output.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence

import numpy as np

# ----------------------------------------------------------------------------------- constants

#: Quaternion turning local +Z to +Y (lathe axes, upright cylinders and rings; local Y goes to -Z),
#: as written (two decimals; the library normalises it).
UP = (0.71, -0.71, 0.0, 0.0)
#: Local +Z to -Y.
DOWN = (0.71, 0.71, 0.0, 0.0)
#: Local +Z to +X.
ALONG_X = (0.71, 0.0, 0.71, 0.0)
#: No turn.
NO_TURN = (1.0, 0.0, 0.0, 0.0)

X_AXIS, Y_AXIS, Z_AXIS = np.eye(3)

#: Handle codes of ``create_curve``, one pair (left, right) per Bezier point: smooth and sharp.
AUTO, SHARP = 0, 1
#: Blender's AUTO handle length factor (BKE curve handle calculation).
_AUTO_HANDLE = 2.5614

#: The smallest size (half extent, radius, scale) a generator writes, in canonical units: two decimals
#: write anything under 0.005 as 0, so sizes are kept a little above that.
MIN_SIZE = 0.006
#: The smallest canonical value two decimals still write as non-zero (0.005 is written 0.01).
MIN_WRITTEN = 0.005


# ----------------------------------------------------------------------------------- choices


def pick(rng: np.random.Generator, options: Mapping | Sequence, weights: Sequence[float] | None = None):
    """One of ``options``: a mapping's keys drawn with its values as weights, or a sequence's items
    drawn with ``weights`` (uniformly without). One draw from ``rng`` either way (``rng.choice`` of
    an index with the normalised weights; ``rng.integers`` when uniform, which draws the same)."""
    if isinstance(options, Mapping):
        keys = list(options)
        weights = [options[k] for k in keys]
        options = keys
    if weights is None:
        return options[int(rng.integers(len(options)))]
    w = np.asarray(weights, dtype=float)
    return options[int(rng.choice(len(options), p=w / w.sum()))]


# --------------------------------------------------------------------------------- rotations


def unit(v) -> np.ndarray:
    """``v`` scaled to length 1."""
    v = np.asarray(v, dtype=float)
    return v / np.linalg.norm(v)


def rotation_about(axis, angle: float) -> np.ndarray:
    """Rotation matrix about any ``axis`` (a vector) by ``angle`` radians (right hand)."""
    x, y, z = unit(axis)
    c, s = math.cos(angle), math.sin(angle)
    C = 1 - c
    return np.array(
        [
            [c + x * x * C, x * y * C - z * s, x * z * C + y * s],
            [y * x * C + z * s, c + y * y * C, y * z * C - x * s],
            [z * x * C - y * s, z * y * C + x * s, c + z * z * C],
        ]
    )


def turn_about(axis: str, degrees: float) -> np.ndarray:
    """Rotation matrix about a world axis ``'x'``, ``'y'`` or ``'z'`` by ``degrees`` (right hand).
    Exact zeros and ones off the turning plane, unlike :func:`rotation_about`."""
    a = math.radians(degrees)
    c, s = math.cos(a), math.sin(a)
    if axis == "x":
        return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])
    if axis == "y":
        return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])
    if axis == "z":
        return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])
    raise ValueError(f"axis is 'x', 'y' or 'z', got {axis!r}")


def basis(main, hint, main_axis: int = 2, hint_axis: int = 0) -> np.ndarray:
    """Rotation matrix whose local axis ``main_axis`` points along ``main`` and whose ``hint_axis``
    lies as near ``hint`` as it can (another world axis when ``hint`` is parallel to ``main``)."""
    m = unit(main)
    h = np.asarray(hint, dtype=float)
    h = h - m * (h @ m)
    if np.linalg.norm(h) < 1e-6:
        for alt in (X_AXIS, Z_AXIS, Y_AXIS):
            h = alt - m * (alt @ m)
            if np.linalg.norm(h) > 1e-3:
                break
    h = unit(h)
    R = np.zeros((3, 3))
    R[:, main_axis], R[:, hint_axis] = m, h
    third = 3 - main_axis - hint_axis
    # Right-handed: e_third = e_(third+1) x e_(third+2).
    a, b = (third + 1) % 3, (third + 2) % 3
    R[:, third] = np.cross(R[:, a], R[:, b])
    return R


def quat_from_matrix(m, normalise: bool = False) -> np.ndarray:
    """Quaternion ``[w, x, y, z]`` (w >= 0) of rotation matrix ``m``. The formula gives a unit
    quaternion up to rounding; ``normalise`` divides by its norm as well (a few last bits differ)."""
    m = np.asarray(m, dtype=float)
    t = np.trace(m)
    if t > 0:
        s = 2.0 * math.sqrt(t + 1.0)
        q = [0.25 * s, (m[2, 1] - m[1, 2]) / s, (m[0, 2] - m[2, 0]) / s, (m[1, 0] - m[0, 1]) / s]
    elif m[0, 0] > m[1, 1] and m[0, 0] > m[2, 2]:
        s = 2.0 * math.sqrt(1.0 + m[0, 0] - m[1, 1] - m[2, 2])
        q = [(m[2, 1] - m[1, 2]) / s, 0.25 * s, (m[0, 1] + m[1, 0]) / s, (m[0, 2] + m[2, 0]) / s]
    elif m[1, 1] > m[2, 2]:
        s = 2.0 * math.sqrt(1.0 + m[1, 1] - m[0, 0] - m[2, 2])
        q = [(m[0, 2] - m[2, 0]) / s, (m[0, 1] + m[1, 0]) / s, 0.25 * s, (m[1, 2] + m[2, 1]) / s]
    else:
        s = 2.0 * math.sqrt(1.0 + m[2, 2] - m[0, 0] - m[1, 1])
        q = [(m[1, 0] - m[0, 1]) / s, (m[0, 2] + m[2, 0]) / s, (m[1, 2] + m[2, 1]) / s, 0.25 * s]
    q = np.asarray(q)
    if normalise:
        q = q / np.linalg.norm(q)
    return q if q[0] >= 0 else -q


def quat_matrix(q: Sequence[float], written: bool = False) -> np.ndarray:
    """Rotation matrix of quaternion ``q``, normalised first as the library does. ``written``: of
    ``q`` as a program reads it, rounded to two decimals before normalising."""
    q = np.asarray(q, dtype=float)
    if written:
        q = np.round(q, 2)
    w, x, y, z = q / np.linalg.norm(q)
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
            [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
            [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
        ]
    )


def rotate(q: Sequence[float], points, written: bool = False) -> np.ndarray:
    """``points`` (..., 3) turned by quaternion ``q`` (see :func:`quat_matrix` for ``written``)."""
    return np.asarray(points, dtype=float) @ quat_matrix(q, written).T


def quat_axis_angle(axis, angle: float) -> np.ndarray:
    """The quaternion of a turn by ``angle`` radians about ``axis``."""
    axis = unit(axis)
    return np.concatenate([[math.cos(angle / 2)], math.sin(angle / 2) * axis])


def quat_mul(a, b) -> np.ndarray:
    """The Hamilton product ``a * b`` (turn by ``b``, then by ``a``)."""
    w1, x1, y1, z1 = a
    w2, x2, y2, z2 = b
    return np.array(
        [
            w1 * w2 - x1 * x2 - y1 * y2 - z1 * z2,
            w1 * x2 + x1 * w2 + y1 * z2 - z1 * y2,
            w1 * y2 - x1 * z2 + y1 * w2 + z1 * x2,
            w1 * z2 + x1 * y2 - y1 * x2 + z1 * w2,
        ]
    )


def quat_to(direction: Sequence[float], via_cos: bool = False) -> tuple[float, float, float, float]:
    """The shortest-arc quaternion turning local +Z to ``direction``; a half turn about X for -Z.

    The angle comes from atan2 (accurate near the poles). ``via_cos`` takes it from its cosine
    instead, and treats directions within 1e-9 of +-Z in cosine as the poles: the lamps' original
    numbers, equal to the default after two-decimal rounding but not in the last bits."""
    d = unit(direction)
    z = np.array([0.0, 0.0, 1.0])
    if via_cos:
        c = float(np.dot(z, d))
        if c > 1 - 1e-9:
            return NO_TURN
        if c < -1 + 1e-9:
            return (0.0, 1.0, 0.0, 0.0)
        return tuple(float(v) for v in quat_axis_angle(np.cross(z, d), math.acos(c)))
    axis = np.cross(z, d)
    s = np.linalg.norm(axis)
    if s < 1e-9:
        return NO_TURN if d[2] > 0 else (0.0, 1.0, 0.0, 0.0)
    angle = math.atan2(s, float(d @ z))
    axis = axis / s * math.sin(angle / 2)
    return (math.cos(angle / 2), float(axis[0]), float(axis[1]), float(axis[2]))


# ---------------------------------------------------------------------------------- Bezier paths


def handle_codes(kinds: str) -> list[int]:
    """``create_curve`` handle codes from one letter per Bezier point: 'a' smooth (AUTO both sides),
    's' sharp (VECTOR both), 'l' sharp coming in and smooth going out, 'r' smooth in and sharp out."""
    table = {"a": (AUTO, AUTO), "s": (SHARP, SHARP), "l": (SHARP, AUTO), "r": (AUTO, SHARP)}
    try:
        return [c for k in kinds for c in table[k]]
    except KeyError as e:
        raise ValueError(f"handle letters are a, s, l or r; got {kinds!r}") from e


def bezier_handles(points, codes: Sequence[int], closed: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Left and right handles of a Bezier path's points as Blender computes AUTO (0) and VECTOR (1)
    handles: an AUTO handle follows the mean direction of the neighbouring spans with 1/2.5614 of
    their length (each side kept within five times the other), a VECTOR one points a third of the way
    to its neighbour. Open ends mirror their one neighbour."""
    co = np.asarray(points, dtype=float)
    n = len(co)
    left, right = co.copy(), co.copy()
    for i in range(n):
        here = co[i]
        prev = co[i - 1] if (i > 0 or closed) and n > 1 else None
        nxt = co[(i + 1) % n] if (i < n - 1 or closed) and n > 1 else None
        if prev is None and nxt is None:
            continue
        prev = prev if prev is not None else 2 * here - nxt
        nxt = nxt if nxt is not None else 2 * here - prev
        da, db = here - prev, nxt - here
        la, lb = np.linalg.norm(da) or 1.0, np.linalg.norm(db) or 1.0
        h1, h2 = codes[2 * i], codes[2 * i + 1]
        tangent = db / lb + da / la
        length = np.linalg.norm(tangent) * _AUTO_HANDLE
        la, lb = min(la, 5 * lb), min(lb, 5 * la)
        if length > 0:
            if h1 == AUTO:
                left[i] = here - tangent * (la / length)
            if h2 == AUTO:
                right[i] = here + tangent * (lb / length)
        if h1 == SHARP:
            left[i] = here - da / 3
        if h2 == SHARP:
            right[i] = here + db / 3
    return left, right


def bezier_polyline(
    points: Sequence[Sequence[float]], codes: Sequence[int] | None, resolution: int, closed: bool = False
) -> np.ndarray:
    """The evaluated points of a Bezier path (any dimension) as Blender computes them: ``resolution``
    segments per span, from the first point to the last (back to the first when ``closed``).
    ``codes`` None means AUTO handles everywhere."""
    co = np.asarray(points, dtype=float)
    n = len(co)
    left, right = bezier_handles(co, list(codes) if codes is not None else [AUTO] * (2 * n), closed)
    spans = [(i, i + 1) for i in range(n - 1)] + ([(n - 1, 0)] if closed else [])
    s = np.linspace(0.0, 1.0, resolution, endpoint=False)[:, None]
    out = [
        (1 - s) ** 3 * co[i] + 3 * (1 - s) ** 2 * s * right[i] + 3 * (1 - s) * s**2 * left[j] + s**3 * co[j]
        for i, j in spans
    ]
    return np.concatenate([*out, co[spans[-1][1] : spans[-1][1] + 1] if spans else co[:1]])


def fillet(
    points, width: float, segments: int, closed: bool = False, corner_above: float | None = None
) -> np.ndarray:
    """A polyline with its corners rounded as the library's curve bevel (``create_curve(...,
    bevel_width, bevel_segments)``) rounds them: each corner becomes a quarter-circle-like arc of
    ``segments`` steps from ``width`` along one edge to ``width`` along the other, the width shrunk
    so neighbouring arcs do not overlap. Corners are the turns over ``corner_above`` degrees (every
    inner point when None). In plain floats: it runs for every filleted part at every trial frame."""
    pts = [tuple(map(float, q)) for q in np.asarray(points, dtype=float)]
    n = len(pts)
    if n < 3 or width <= 0:
        return np.asarray(pts)
    dim = len(pts[0])

    def sub(a, b):
        return tuple(a[k] - b[k] for k in range(dim))

    def norm(a):
        return math.sqrt(sum(v * v for v in a))

    def turn(i):
        a, b = sub(pts[i], pts[i - 1]), sub(pts[(i + 1) % n], pts[i])
        c = sum(a[k] * b[k] for k in range(dim)) / max(norm(a) * norm(b), 1e-12)
        return math.degrees(math.acos(max(-1.0, min(1.0, c))))

    inner = range(n) if closed else range(1, n - 1)
    corners = {i for i in inner if corner_above is None or turn(i) > corner_above}
    limit = width
    for i in range(n if closed else n - 1):
        j = (i + 1) % n
        if i in corners or j in corners:
            length = norm(sub(pts[j], pts[i]))
            limit = min(limit, length / 2 if (i in corners and j in corners) else length)
    out = []
    for i in range(n):
        if i not in corners:
            out.append(pts[i])
            continue
        c = pts[i]
        a, b = sub(pts[i - 1], c), sub(pts[(i + 1) % n], c)
        la, lb = norm(a), norm(b)
        start = tuple(c[k] + a[k] / la * limit for k in range(dim))
        end = tuple(c[k] + b[k] / lb * limit for k in range(dim))
        centre = tuple(start[k] + end[k] - c[k] for k in range(dim))
        for k in range(segments + 1):
            th = 0.5 * math.pi * k / segments
            cs, sn = math.cos(th), math.sin(th)
            out.append(
                tuple(centre[m] + (start[m] - centre[m]) * cs + (end[m] - centre[m]) * sn for m in range(dim))
            )
    return np.array(out)


# ------------------------------------------------------------------------------------------- arcs


def arc_through(p1, p2, p3, n: int = 64) -> np.ndarray:
    """``n`` points of the circular arc from ``p1`` through ``p2`` to ``p3`` (3D points)."""
    p1, p2, p3 = (np.asarray(v, dtype=float) for v in (p1, p2, p3))
    u, v = p2 - p1, p3 - p1
    w = np.cross(u, v)
    centre = p1 + (v @ v * np.cross(w, u) + u @ u * np.cross(v, w)) / (2 * w @ w)
    e1 = (p1 - centre) / np.linalg.norm(p1 - centre)
    e2 = np.cross(w / np.linalg.norm(w), e1)
    end = math.atan2(float((p3 - centre) @ e2), float((p3 - centre) @ e1)) % (2 * math.pi)
    t = np.linspace(0, end, n)[:, None]
    return centre + np.linalg.norm(p1 - centre) * (np.cos(t) * e1 + np.sin(t) * e2)


def circle_points(n: int = 32) -> np.ndarray:
    """``n`` points of the unit circle in the XY plane (z = 0), from +X counter-clockwise."""
    a = np.linspace(0, 2 * math.pi, n, endpoint=False)
    return np.stack([np.cos(a), np.sin(a), np.zeros_like(a)], axis=1)


# ------------------------------------------------------------------------------------------ lathes


def radius_at(line: np.ndarray, height: float) -> float:
    """The radius of a lathe profile polyline (r, h) at ``height``, where it first crosses it from its
    start; its largest radius if it never does."""
    line = np.asarray(line, dtype=float)
    for (r0, h0), (r1, h1) in itertools.pairwise(line):
        if min(h0, h1) <= height <= max(h0, h1) and h1 != h0:
            return float(r0 + (r1 - r0) * (height - h0) / (h1 - h0))
    return float(line[:, 0].max())


def lathe_box(section: np.ndarray, base: Sequence[float]) -> np.ndarray:
    """The box ``[lo, hi]`` of what a vertical lathe covers: section points (r, h) turned about the Y
    axis through ``base``, h measured up from it."""
    section = np.asarray(section, dtype=float)
    bx, by, bz = base
    r = float(np.abs(section[:, 0]).max())
    h = section[:, 1]
    return np.array([[bx - r, by + h.min(), bz - r], [bx + r, by + h.max(), bz + r]])


def lathe_rings(section: np.ndarray, base, axis=(0.0, 1.0, 0.0), q=None, around: int = 25) -> np.ndarray:
    """Points of the circles a lathe's section points (r, h) sweep about ``axis`` through ``base``
    (``around`` points each, the first repeated last), turned by ``q`` (the lathe's quaternion;
    :func:`quat_to` of the axis by default)."""
    section = np.asarray(section, dtype=float)
    base = np.asarray(base, dtype=float)
    axis = unit(axis)
    q = quat_to(axis) if q is None else q
    t = np.linspace(0, 2 * math.pi, around)
    rings = [
        base + h * axis + rotate(q, np.stack([np.cos(t) * r, np.sin(t) * r, 0 * t], axis=1))
        for r, h in section
    ]
    return np.concatenate(rings)
