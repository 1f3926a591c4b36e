"""What the shape library builds from a call, as far as the generators need to predict it.

Generators write a program only after fitting its canonical frame to the box of what Blender will
build, so they model the library's geometry where a call's result is not simply its arguments: the
points that bound a primitive, the side a lathe's shell grows on, the side Blender takes for the
outside of a bridged surface, the arc ``create_arc_by_3Dpoints`` actually draws, how far a spiral
rises and the order ``bridge_edge_loops`` joins sections in (spec section 3b). Bezier paths as Blender
evaluates them are plain geometry (:mod:`meshcoder.data.generators.geometry`). No Blender here.
"""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.generators.geometry import (
    AUTO,
    NO_TURN,
    SHARP,
    arc_through,
    bezier_polyline,
    circle_points,
    quat_to,
    rotate,
)
from meshcoder.shapes.program import ARGUMENT_DECIMALS

# Re-exported: Bezier paths and arcs are plain geometry (geometry.py), used here and by older imports.
__all__ = [
    "AUTO",
    "LATHE_OUTSIDE",
    "SHARP",
    "SPIRAL_POINTS_PER_TURN",
    "arc_by_3d_points",
    "arc_control_points",
    "arc_through",
    "bezier_polyline",
    "bridge_order",
    "lathe_section",
    "outside_side",
    "primitive_points",
    "ring_points",
    "shell_offset",
    "spiral_height",
    "spiral_turns",
]

# Decimals a program writes control points with.
_DECIMALS = ARGUMENT_DECIMALS["control_points"]

#: The side of a lathe profile (r, h) its face normals point to, as :func:`shell_offset` takes it
#: (spec 3b, item 4): a face's normal is the profile direction crossed with the counter-clockwise
#: direction about the axis, i.e. to the left of travel, and the solidify (offset -1) grows the shell
#: against it, to the right. So a profile drawn from the axis outwards grows its shell downwards and
#: one drawn upwards grows it outwards; the same holds for ``star_curve_rotation``.
LATHE_OUTSIDE = -1


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


def _unit_points(kind: str) -> np.ndarray:
    """Points that bound a unit primitive (before scale) of ``kind``."""
    if kind == "cube":
        return np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)], dtype=float)
    ring = circle_points(32)
    if kind == "cylinder":
        up = np.array([0.0, 0.0, 1.0])
        return np.concatenate([ring + up, ring - up])
    if kind == "cone":
        return np.concatenate([ring - [0, 0, 1], [[0, 0, 1]]])
    if kind == "uv_sphere":
        return np.concatenate([ring, [[0, 0, 1], [0, 0, -1]], ring[::8, [0, 2, 1]], ring[::8, [2, 0, 1]]])
    if kind == "torus":
        return np.concatenate([ring * 1.25, [[0, 0, 0.25], [0, 0, -0.25]]])
    raise ValueError(f"no bounding points for primitive {kind!r}")


def primitive_points(kind, location, scale, rotation=NO_TURN, top_factor: float | None = None) -> np.ndarray:
    """Points bounding what ``create_primitive`` builds (a 32-sided ring for round kinds) at
    ``location`` with half sizes ``scale``, turned by quaternion ``rotation`` as written (two
    decimals), optionally with its top scaled by ``zoom_upper_face`` (``top_factor``)."""
    unit = _unit_points(kind)
    if top_factor is not None:
        unit = unit.copy()
        top = unit[:, 2] > 0
        unit[top, :2] *= top_factor
    return rotate(rotation, unit * np.asarray(scale, dtype=float), written=True) + np.asarray(
        location, dtype=float
    )


def ring_points(centre, radius: float, tube: float = 0.0, axis=(0.0, 1.0, 0.0)) -> np.ndarray:
    """Points bounding a circle (or a ring swept with a round section of radius ``tube``) of
    ``radius`` about ``axis`` through ``centre``."""
    ring = circle_points(16) * (radius + tube)
    lift = np.array([0.0, 0.0, tube])
    pts = np.concatenate([ring + lift, ring - lift])
    return rotate(quat_to(axis), pts, written=True) + np.asarray(centre, dtype=float)


def outside_side(line: np.ndarray, centre_y: float, around: int = 48) -> int:
    """Which side of a profile (r, h) of a surface of revolution Blender takes for the outside when it
    makes the normals consistent, as ``bridge_edge_loops`` does (spec 3b, item 7; lathes keep their
    winding instead: :data:`LATHE_OUTSIDE`): +1 right of the direction of travel, -1 left.

    Blender's recalc_face_normals orients a surface at its vertex farthest from a centre so that the
    face there points away from it. That centre is the area-weighted face centre divided by the
    face count (as Blender computes it), so in practice the mesh's own origin: the point
    (0, ``centre_y``) of the profile's plane. Among the faces at that vertex it takes the one
    whose edges point farthest out, then the one most facing the centre's direction. ``around`` is
    the number of segments round the axis."""
    radius = np.where(line[:, 0] > 1e-9, line[:, 0], 0.0)
    dist = radius**2 + (line[:, 1] - centre_y) ** 2
    i = int(np.argmax(dist))
    away = np.array([radius[i], line[i, 1] - centre_y])
    away /= max(float(np.linalg.norm(away)), 1e-12)
    ring_dot = -away[0] * math.sin(math.pi / around) if radius[i] > 0 else -1.0
    best = None
    for j, k in ((i - 1, i - 1), (i + 1, i)):  # neighbouring profile point, segment index
        if not 0 <= j < len(line):
            continue
        edge = line[j] - line[i]
        length = float(np.linalg.norm(edge))
        if length < 1e-12:
            continue
        seg = line[k + 1] - line[k]
        right = np.array([seg[1], -seg[0]]) / float(np.linalg.norm(seg))
        test = (
            max(float(edge @ away) / length, ring_dot),
            abs(float(right @ away)),
            1 if right @ away >= 0 else -1,
        )
        if best is None or test[:2] > best[:2]:
            best = test
    return 1 if best is None else best[2]


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
