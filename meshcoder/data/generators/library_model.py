"""What the shape library builds from a call, as far as the generators need to predict it.

Generators write a program only after fitting its canonical frame to the box of what Blender will
build, so they model the library's geometry where a call's result is not simply its arguments:
Bezier profiles evaluated as Blender evaluates them, the side a lathe's shell grows on, and the arc
``create_arc_by_3Dpoints`` actually draws (spec section 3b). No Blender here: plain numpy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from meshcoder.shapes.program import ARGUMENT_DECIMALS

# Handle codes of create_curve, one pair (left, right) per Bezier point.
AUTO, SHARP = 0, 1
# Decimals a program writes control points with.
_DECIMALS = ARGUMENT_DECIMALS["control_points"]
# Blender's AUTO handle length factor (BKE curve handle calculation).
_AUTO_HANDLE = 2.5614

#: The side of a lathe profile (r, h) its face normals point to, as :func:`shell_offset` takes it
#: (spec 3b, item 4): a face's normal is the profile direction crossed with the counter-clockwise
#: direction about the axis, i.e. to the left of travel, and the solidify (offset -1) grows the shell
#: against it, to the right. So a profile drawn from the axis outwards grows its shell downwards and
#: one drawn upwards grows it outwards; the same holds for ``star_curve_rotation``.
LATHE_OUTSIDE = -1


def bezier_polyline(points: Sequence[Sequence[float]], codes: Sequence[int], resolution: int) -> np.ndarray:
    """The evaluated points of an open Bezier path with AUTO (0) / VECTOR (1) handles, as Blender
    computes them: ``resolution`` segments per span. Used to predict the extent of what a program
    builds from the same control points."""
    p = np.asarray(points, dtype=float)
    n = len(p)
    left, right = p.copy(), p.copy()
    for i in range(n):
        here = p[i]
        prev = p[i - 1] if i > 0 else 2 * here - p[i + 1]
        nxt = p[i + 1] if i < n - 1 else 2 * here - prev
        da, db = here - prev, nxt - here
        la, lb = np.linalg.norm(da) or 1.0, np.linalg.norm(db) or 1.0
        h1, h2 = codes[2 * i], codes[2 * i + 1]
        tangent = db / lb + da / la
        length = np.linalg.norm(tangent) * _AUTO_HANDLE
        # Blender keeps an AUTO handle within five times the other side's span.
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
    s = np.linspace(0.0, 1.0, resolution, endpoint=False)[:, None]
    spans = [
        (1 - s) ** 3 * p[i]
        + 3 * (1 - s) ** 2 * s * right[i]
        + 3 * (1 - s) * s**2 * left[i + 1]
        + s**3 * p[i + 1]
        for i in range(n - 1)
    ]
    return np.concatenate([*spans, p[-1:]])


def shell_offset(line: np.ndarray, thickness: float, outside: int = 1) -> np.ndarray:
    """Where solidify puts the inner copy of a profile polyline (r, h): ``thickness`` along each
    vertex's inward normal. ``outside`` +1 when the outside lies to the right of the direction of
    travel, -1 when to the left (a lathe: :data:`LATHE_OUTSIDE`)."""
    seg = np.diff(line, axis=0)
    seg /= np.maximum(np.linalg.norm(seg, axis=1, keepdims=True), 1e-12)
    inward = outside * np.stack([-seg[:, 1], seg[:, 0]], axis=1)
    normals = np.zeros_like(line)
    normals[:-1] += inward
    normals[1:] += inward
    normals /= np.maximum(np.linalg.norm(normals, axis=1, keepdims=True), 1e-12)
    return line + thickness * normals


def lathe_section(line: np.ndarray, thickness: float = 0.0) -> np.ndarray:
    """The (r, h) points a lathe of profile polyline ``line`` covers: the profile and, with a
    ``thickness``, the copy its shell puts on the side :data:`LATHE_OUTSIDE` gives."""
    line = np.asarray(line, dtype=float)
    if thickness <= 0:
        return line
    return np.concatenate([line, shell_offset(line, thickness, LATHE_OUTSIDE)])


def arc_by_3d_points(p1, p2, p3, n: int = 48) -> tuple[np.ndarray, bool, bool]:
    """The arc ``create_arc_by_3Dpoints`` draws on the circle through ``p1``, ``p2``, ``p3`` (spec 3b,
    item 5): ``n`` points from its start, whether it starts at ``p3`` and whether it passes ``p2``.

    The library measures the angles of p1 and p3 about the centre in a frame with X along p1 - p2 and
    runs counter-clockwise from the smaller to the larger, so depending on the points the arc starts
    at p3, or is the other arc of the circle, the one that misses p2."""
    p1, p2, p3 = (np.asarray(v, dtype=float) for v in (p1, p2, p3))
    a, b = p1 - p3, p2 - p3
    normal = np.cross(a, b)
    centre = p3 + np.cross(a @ a * b - b @ b * a, normal) / (2 * normal @ normal)
    x = (p1 - p2) / np.linalg.norm(p1 - p2)
    y = np.cross(x, np.cross(p1 - p2, p1 - p3))
    y /= np.linalg.norm(y)

    def degrees(p: np.ndarray) -> float:
        d = p - centre
        angle = math.degrees(math.atan2(float(d @ y), float(d @ x)))
        return angle + 360.0 if angle <= 0.0 else angle

    g1, g2, g3 = degrees(p1), degrees(p2), degrees(p3)
    low, high = min(g1, g3), max(g1, g3)
    t = np.radians(np.linspace(low, high, n))[:, None]
    radius = float(np.linalg.norm(p1 - centre))
    points = centre + radius * (np.cos(t) * x + np.sin(t) * y)
    return points, g3 < g1, low < g2 < high


def arc_control_points(p1, p2, p3, written) -> tuple[list, bool]:
    """Control points for which ``create_arc_by_3Dpoints`` draws the arc from ``p1`` through ``p2`` to
    ``p3``, as ``written`` maps them into the program's frame and rounded as a program writes control
    points; and whether that arc runs from ``p3`` to ``p1`` (a ``points_radius`` taper then runs the
    other way). The points are tried as given, the other way round, then with the middle point moved
    along the arc, which leaves the arc as it is."""
    p1, p2, p3 = (np.asarray(v, dtype=float) for v in (p1, p2, p3))
    dense = arc_through(p1, p2, p3)
    middles = [p2] + [dense[round(k * (len(dense) - 1))] for k in (0.5, 0.35, 0.65, 0.25, 0.75, 0.15, 0.85)]
    for middle in middles:
        for swapped in (False, True):
            first, last = (p3, p1) if swapped else (p1, p3)
            pts = np.round(np.asarray(written([first, middle, last]), dtype=float), _DECIMALS).tolist()
            _, from_third, passes = arc_by_3d_points(*pts)
            if passes:
                return pts, from_third != swapped
    raise ValueError(f"no control points draw the arc through {p1}, {p2}, {p3} once written")


def arc_through(p1, p2, p3, n: int = 64) -> np.ndarray:
    """``n`` points of the circular arc from ``p1`` through ``p2`` to ``p3`` (the arc a design means)."""
    p1, p2, p3 = (np.asarray(v, dtype=float) for v in (p1, p2, p3))
    u, v = p2 - p1, p3 - p1
    w = np.cross(u, v)
    centre = p1 + (v @ v * np.cross(w, u) + u @ u * np.cross(v, w)) / (2 * w @ w)
    e1 = (p1 - centre) / np.linalg.norm(p1 - centre)
    e2 = np.cross(w / np.linalg.norm(w), e1)
    end = math.atan2(float((p3 - centre) @ e2), float((p3 - centre) @ e1)) % (2 * math.pi)
    t = np.linspace(0, end, n)[:, None]
    return centre + np.linalg.norm(p1 - centre) * (np.cos(t) * e1 + np.sin(t) * e2)


# Points per turn of create_spiral's helix (a 30 degree step).
SPIRAL_POINTS_PER_TURN = 12


def spiral_height(dif_z: float, turns: float) -> float:
    """How far ``create_spiral``'s helix rises (spec 3b, item 6): 12 * turns points are planned, each
    step rises dif_z * turns / (12 * turns - 1), and a step is taken while the angle reached is at
    most the full turns, so it rises a little more than dif_z * turns (5 turns: 61/59 of it)."""
    planned = SPIRAL_POINTS_PER_TURN * turns
    steps = math.floor(planned + 1e-9) + 1
    return steps * dif_z * turns / (planned - 1)


def spiral_turns(length: float, dif_z: float) -> float:
    """The turns (two decimals) for which a ``create_spiral`` of rise ``dif_z`` per turn is nearest
    ``length`` long (see :func:`spiral_height`)."""
    guess = length / dif_z
    candidates = np.round(np.arange(max(0.2, 0.8 * guess), guess + 0.01, 0.01), 2)
    return float(min(candidates, key=lambda t: abs(spiral_height(dif_z, float(t)) - length)))


def bridge_order(centres: np.ndarray, margin: float = 0.0) -> list[int] | None:
    """The order in which ``bridge_edge_loops`` joins three or more sections whose loops have these
    centres, given in the first section's local space (spec 3b, item 7): from the centre farthest
    from the mean of all, on to the nearest remaining one each time (ties to the earlier section).
    Two sections are joined as listed; caps 'start' and 'end' go on the ends of this order.

    With a ``margin``, None where a choice is that close to a tie (so float noise could decide it)."""
    centres = np.asarray(centres, dtype=float)
    if len(centres) < 3:
        return list(range(len(centres)))

    def pick(candidates: list[int], to: np.ndarray, far: bool) -> int | None:
        d = {i: round(float(np.sum((centres[i] - to) ** 2)), 12) for i in candidates}
        ranked = sorted(candidates, key=lambda i: (-d[i] if far else d[i], i))
        if margin > 0 and len(ranked) > 1 and abs(d[ranked[0]] - d[ranked[1]]) <= margin:
            return None
        return ranked[0]

    remaining = list(range(len(centres)))
    first = pick(remaining, centres.mean(axis=0), far=True)
    if first is None:
        return None
    order = [first]
    remaining.remove(first)
    while remaining:
        nearest = pick(remaining, centres[order[-1]], far=False)
        if nearest is None:
            return None
        order.append(nearest)
        remaining.remove(nearest)
    return order
