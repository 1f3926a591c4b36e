"""Modifiers applied to one object: solidify, bevel, subdivision surface, corrective smooth. Runs inside
Blender only.

Bevel works in the object's local space (its transform is not applied), so ``bevel(width=0.2)`` rounds a
cube of local half size 1 the same way whatever the object's scale; the dataset depends on this.
"""

from __future__ import annotations

import itertools
import math

import bpy
from mathutils import Vector
from mathutils.geometry import interpolate_bezier

from meshcoder.shapes.bpy_lib import objects
from meshcoder.shapes.bpy_lib.objects import ProgramRuntimeError

__all__ = ["bevel", "corrective_smooth", "solidify", "subsurf"]

BOUNDARY_MODES = ("NONE", "ROUND", "FLAT")
# Blender's Bevel modifier bevels only where edges meet at more than this angle (its default limit).
BEVEL_ANGLE_LIMIT = math.radians(30.0)
# Points of a path that turn less than this are straight-line filler and are dropped.
STRAIGHT_ANGLE = 1e-5


def solidify(
    name: str, thickness: float | None = 0.01, offset: float = -1, boundary_mode: str | None = None
) -> None:
    """Give surface ``name`` a thickness (Solidify modifier, applied).

    Rotation and scale are applied first, so ``thickness`` is in world units. ``offset`` -1 grows the
    shell behind the normals, +1 in front, 0 centred. ``boundary_mode`` ('NONE', 'ROUND', 'FLAT')
    switches to Blender's complex (non-manifold) mode with that rim shape. A thickness of 0 or None
    adds nothing (the transform is still applied).
    """
    obj = objects.get_mesh_object(name)
    objects.apply_modifiers(obj)
    objects.bake_rotation_scale(obj)
    if thickness is None or float(thickness) == 0.0:
        return
    modifier = obj.modifiers.new("Solidify", "SOLIDIFY")
    modifier.thickness = float(thickness)
    modifier.offset = float(offset)
    if boundary_mode:
        mode = str(boundary_mode).upper()
        if mode not in BOUNDARY_MODES:
            raise ProgramRuntimeError(f"unknown boundary_mode {boundary_mode!r}; use one of {BOUNDARY_MODES}")
        modifier.solidify_mode = "NON_MANIFOLD"
        modifier.nonmanifold_boundary_mode = mode
    objects.apply_modifiers(obj)


def bevel(name: str, width: float, segments: int = 8) -> None:
    """Round the corners of object ``name`` by ``width`` with ``segments`` segments each.

    On a mesh: Blender's Bevel modifier (edges meeting at more than 30 degrees), applied, in local
    space. On a curve: each corner of its paths (a point where the path turns by more than 30 degrees)
    is replaced by an arc that starts and ends ``width`` along the two edges, as Blender's vertex bevel
    does; the paths become poly splines and keep the curve's other settings (bevel object, caps...).
    """
    if width is None or float(width) <= 0.0:
        return
    n = round(float(segments))
    if n < 1:
        raise ProgramRuntimeError(f"bevel segments must be at least 1, got {segments!r}")
    obj = objects.get_object(name)
    if obj.type == "CURVE":
        _bevel_curve(obj, float(width), n)
        return
    obj = objects.get_mesh_object(name)
    modifier = obj.modifiers.new("Bevel", "BEVEL")
    modifier.width = float(width)
    modifier.segments = n
    objects.apply_modifiers(obj)


def subsurf(name: str | list[str], levels: int | list[int], simple: bool | list[bool] = False) -> None:
    """Subdivide mesh ``name`` ``levels`` times (Catmull-Clark, or plain splitting with ``simple``).

    ``name``, ``levels`` and ``simple`` may be lists to treat several objects; levels 0 does nothing.
    """
    names = objects.as_list(name)
    all_levels = objects.as_list(levels, len(names))
    all_simple = objects.as_list(simple, len(names))
    for one, level, plain in zip(names, all_levels, all_simple):
        level = round(float(level))
        if level <= 0:
            continue
        obj = objects.get_mesh_object(one)
        modifier = obj.modifiers.new("Subsurf", "SUBSURF")
        modifier.levels = level
        modifier.render_levels = level
        modifier.subdivision_type = "SIMPLE" if plain else "CATMULL_CLARK"
        objects.apply_modifiers(obj)


def corrective_smooth(
    name: str | list[str],
    factor: float | list[float] = 0.5,
    repeat: int | list[int] = 5,
    scale: float | list[float] = 1.0,
) -> None:
    """Blender's Corrective Smooth modifier on mesh ``name``, applied.

    ``factor`` is the smoothing strength, ``repeat`` the iterations and ``scale`` the modifier's scale.
    Every argument may be a list to treat several objects.
    """
    names = objects.as_list(name)
    factors = objects.as_list(factor, len(names))
    repeats = objects.as_list(repeat, len(names))
    scales = objects.as_list(scale, len(names))
    for one, f, r, s in zip(names, factors, repeats, scales):
        obj = objects.get_mesh_object(one)
        # Pending modifiers first: the smoother compares against the undeformed mesh.
        objects.apply_modifiers(obj)
        modifier = obj.modifiers.new("CorrectiveSmooth", "CORRECTIVE_SMOOTH")
        modifier.factor = float(f)
        modifier.iterations = round(float(r))
        modifier.scale = float(s)
        objects.apply_modifiers(obj)


# ------------------------------------------------------------------------------------------ helpers


def _bevel_curve(obj: bpy.types.Object, width: float, segments: int) -> None:
    """Replace every spline of curve ``obj`` by its polyline with filleted corners (local space)."""
    curve = obj.data
    paths = []
    for spline in curve.splines:
        points, radii, tilts = _spline_polyline(spline, max(int(curve.resolution_u), 1))
        cyclic = bool(spline.use_cyclic_u)
        points, radii, tilts = _drop_straight_points(points, radii, tilts, cyclic)
        paths.append((_fillet(points, radii, tilts, cyclic, width, segments), cyclic, spline.use_smooth))
    curve.splines.clear()
    for (points, radii, tilts), cyclic, smooth in paths:
        spline = curve.splines.new("POLY")
        spline.points.add(len(points) - 1)
        for point, co, radius, tilt in zip(spline.points, points, radii, tilts):
            point.co = (co.x, co.y, co.z, 1.0)
            point.radius = radius
            point.tilt = tilt
        spline.use_cyclic_u = cyclic
        spline.use_smooth = smooth
    curve.update_tag()
    objects.update()


def _spline_polyline(spline, resolution: int) -> tuple[list[Vector], list[float], list[float]]:
    """The points a spline is drawn through (Bezier spans sampled at the curve's resolution)."""
    if spline.type != "BEZIER":
        pts = spline.points
        return [Vector(p.co[:3]) for p in pts], [p.radius for p in pts], [p.tilt for p in pts]
    bez = list(spline.bezier_points)
    spans = list(itertools.pairwise(bez))
    if spline.use_cyclic_u and len(bez) > 1:
        spans.append((bez[-1], bez[0]))
    if not spans:
        return [bez[0].co.copy()], [bez[0].radius], [bez[0].tilt]
    points, radii, tilts = [], [], []
    for a, b in spans:
        samples = interpolate_bezier(a.co, a.handle_right, b.handle_left, b.co, resolution + 1)
        for k, co in enumerate(samples[:-1]):
            t = k / resolution
            points.append(co)
            radii.append(a.radius + (b.radius - a.radius) * t)
            tilts.append(a.tilt + (b.tilt - a.tilt) * t)
    if not spline.use_cyclic_u:
        points.append(bez[-1].co.copy())
        radii.append(bez[-1].radius)
        tilts.append(bez[-1].tilt)
    return points, radii, tilts


def _turn_angle(prev: Vector, here: Vector, nxt: Vector) -> float:
    """How far a path turns at ``here`` (0 when straight); 0 for a degenerate edge."""
    a, b = here - prev, nxt - here
    if a.length < 1e-12 or b.length < 1e-12:
        return 0.0
    return a.angle(b)


def _drop_straight_points(points, radii, tilts, cyclic: bool):
    """Remove duplicate points and points in the middle of straight runs with unchanged radius/tilt."""
    keep = list(range(len(points)))
    changed = True
    while changed and len(keep) > 2:
        changed = False
        for pos in range(len(keep)):
            if not cyclic and pos in (0, len(keep) - 1):
                continue
            i, h, j = keep[pos - 1], keep[pos], keep[(pos + 1) % len(keep)]
            duplicate = (points[h] - points[i]).length < 1e-9
            straight = _turn_angle(points[i], points[h], points[j]) < STRAIGHT_ANGLE
            same = abs(radii[h] - radii[i]) < 1e-9 and abs(radii[h] - radii[j]) < 1e-9
            same = same and abs(tilts[h] - tilts[i]) < 1e-9 and abs(tilts[h] - tilts[j]) < 1e-9
            if duplicate or (straight and same):
                del keep[pos]
                changed = True
                break
    return [points[k] for k in keep], [radii[k] for k in keep], [tilts[k] for k in keep]


def _fillet(points, radii, tilts, cyclic: bool, width: float, segments: int):
    """Blender's vertex bevel (profile 0.5) of every corner of a polyline.

    The arc starts and ends ``width`` along the two edges from the corner and is the affine image of a
    quarter circle inscribed in the parallelogram those two points span with the corner (a true quarter
    circle at a right angle), sampled at equal parameter steps. Like the modifier's clamp-overlap
    option, one width is shrunk for all corners so that neighbouring arcs do not overlap.
    """
    n = len(points)
    if n < 3:
        return points, radii, tilts
    corners = set()
    for i in range(n):
        if not cyclic and i in (0, n - 1):
            continue
        if _turn_angle(points[i - 1], points[i], points[(i + 1) % n]) > BEVEL_ANGLE_LIMIT:
            corners.add(i)
    if not corners:
        return points, radii, tilts
    limit = width
    for i in range(n if cyclic else n - 1):
        j = (i + 1) % n
        if i in corners or j in corners:
            length = (points[j] - points[i]).length
            limit = min(limit, length / 2 if (i in corners and j in corners) else length)
    out_points, out_radii, out_tilts = [], [], []
    for i in range(n):
        if i not in corners:
            out_points.append(points[i])
            out_radii.append(radii[i])
            out_tilts.append(tilts[i])
            continue
        corner = points[i]
        start = corner + (points[i - 1] - corner).normalized() * limit
        end = corner + (points[(i + 1) % n] - corner).normalized() * limit
        centre = start + end - corner
        for k in range(segments + 1):
            theta = 0.5 * math.pi * k / segments
            out_points.append(centre + (start - centre) * math.cos(theta) + (end - centre) * math.sin(theta))
            out_radii.append(radii[i])
            out_tilts.append(tilts[i])
    # Arcs clamped to half an edge meet at its midpoint: keep that point once.
    keep = [k for k in range(len(out_points)) if (out_points[k] - out_points[k - 1]).length > 1e-9]
    if not cyclic and 0 not in keep:
        keep.insert(0, 0)
    return [out_points[k] for k in keep], [out_radii[k] for k in keep], [out_tilts[k] for k in keep]
