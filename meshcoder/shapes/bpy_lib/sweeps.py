"""Sweeps along Bezier paths: free paths (``create_curve``), circular arcs through three points and
helices. Runs inside Blender only.

Without a profile these functions leave a bare curve object (a path, a section or a profile for a
later call). With ``profile_name`` the named profile curve is swept along the path by Blender's own
curve bevel (bevel mode 'OBJECT'): the profile's local XY plane is carried perpendicular to the path
with minimum twist and scaled by the point radii. The profile object's location and rotation are
ignored by Blender and its X/Y scale is applied, as in the data MeshCoder was made with. The result is
converted to a mesh, and :func:`sweep_profile` finishes it (origin, caps, normals, thickness, weld, in
the published library's order); the profile-taking sections of ``sections.py`` use the same function,
keeping the curve bevel's winding.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import bpy
from mathutils import Vector

from meshcoder.shapes.bpy_lib import objects
from meshcoder.shapes.bpy_lib.objects import ProgramRuntimeError

__all__ = ["create_arc_by_3Dpoints", "create_curve", "create_spiral"]

HANDLE_TYPES = {0: "AUTO", 1: "VECTOR", 2: "ALIGNED", 3: "FREE"}
FILL_CAPS = ("none", "start", "end", "both")
# Sweeps are welded at this distance (local units): it merges the duplicate vertices Blender gives
# the caps and the seams of closed paths, never two distinct profile points.
WELD_DISTANCE = 1e-5
# Solidify thicknesses at or below this are no thickness at all.
MIN_THICKNESS = 1e-10
# Path resolutions when none is given (segments per Bezier span): bare paths and swept ones.
DEFAULT_BARE_RESOLUTION = 12
DEFAULT_SWEEP_RESOLUTION = 24
MAX_RESOLUTION = 256
SPIRAL_POINTS_PER_TURN = 12


def create_curve(
    name,
    profile_name=None,
    control_points=[],  # noqa: B006 - the published signature; never mutated
    points_radius=[],  # noqa: B006
    handle_type=[],  # noqa: B006
    closed=False,
    center="POINT",
    thickness=None,
    fill_caps="none",
    flip_normals=False,
    bevel_width=None,
    bevel_segments=8,
    use_minimum_face=True,
    average_edge_length=None,
    resolution=None,
    volumn_origin=True,
):
    """A Bezier path through ``control_points``; with ``profile_name``, that profile swept along it.

    ``handle_type`` holds two codes per Bezier point, (left, right): 0 AUTO, 1 VECTOR (sharp), 2 ALIGNED,
    3 FREE. Each FREE handle takes its own entry of ``control_points``, in the order left handle (if
    FREE), the point, right handle (if FREE); so there are ``len(control_points)`` minus the number of
    3s Bezier points. Codes beyond two per point are ignored (their 3s still count); too few codes is
    an error. An empty ``handle_type`` means AUTO everywhere. ``points_radius[i]`` scales the profile
    at point i (1 when empty), ``closed`` makes the path cyclic and ``resolution`` is the number of
    segments per Bezier span. When ``resolution`` is not given (or 0), ``use_minimum_face`` gives 12
    segments for a bare curve and 24 with a profile; otherwise ``average_edge_length`` sets enough
    segments that the longest span's edges are at most about that long.

    Without a profile the result is a bare curve; ``center`` 'MEDIAN' or 'BOUNDS' moves its origin to
    the median (points and handles, as Blender does) or bounding-box centre of its control points,
    'POINT' leaves it at the world origin. ``name`` may be a list, with ``control_points`` a list of
    point lists; ``handle_type``, ``points_radius``, ``closed`` and ``center`` then serve all curves
    or are per-curve lists.

    With a profile the swept surface becomes a mesh named ``name`` (see :func:`sweep_profile`): the
    profile object is deleted, ``volumn_origin`` moves the origin to the centre of volume of the raw
    sweep, ``fill_caps`` 'none', 'start', 'end' or 'both' closes the ends, normals point outward
    (inward with ``flip_normals``), ``thickness`` > 1e-10 solidifies it (rotation and scale baked
    first) and it is welded at 1e-5. ``bevel_width`` rounds the path's corners (turns over 30
    degrees) with ``bevel_segments`` segments first; the path is then a poly line. ``center`` is
    unused with a profile.
    """
    if isinstance(name, (list, tuple)):
        return _create_curves(
            list(name),
            profile_name,
            control_points,
            points_radius,
            handle_type,
            closed,
            center,
            use_minimum_face,
            average_edge_length,
            resolution,
        )
    default = DEFAULT_BARE_RESOLUTION if profile_name is None else DEFAULT_SWEEP_RESOLUTION
    data = new_curve_data(name)
    spline = _bezier_from_codes(data, name, control_points, points_radius, handle_type, closed)
    data.resolution_u = _path_resolution(spline, resolution, use_minimum_face, average_edge_length, default)
    obj = objects.new_curve_object(name, data)
    if profile_name is None:
        objects.place_origin(obj, center)
        return obj
    return sweep_profile(
        obj,
        profile_name,
        fill_caps=fill_caps,
        thickness=thickness,
        flip_normals=flip_normals,
        volume_origin=bool(volumn_origin),
        bevel_width=bevel_width,
        bevel_segments=bevel_segments,
    )


def create_arc_by_3Dpoints(
    name,
    profile_name=None,
    control_points=None,
    center="POINT",
    points_radius=[1.0, 1.0],  # noqa: B006 - the published signature; never mutated
    closed=False,
    thickness=None,
    fill_caps="none",
):
    """A circular arc on the circle through the three ``control_points`` (p1, p2, p3), between p1
    and p3; with ``profile_name``, that profile swept along it.

    As the published library built it: a frame with X along p1 - p2, Z = X x Y where
    Y = X x ((p1 - p2) x (p1 - p3)); the angles of p1 and p3 about the centre in that frame, in
    (0, 360] degrees; the arc runs counter-clockwise about Z from the smaller angle to the larger. So
    it may start at p3, or be the other arc of the circle, which misses p2. It has ceil(sweep / 90)
    equal cubic spans with circular FREE handles; the outer handles of its two end points sit at the
    origin, which shapes the closing span when ``closed``. The profile radius runs linearly by
    Bezier point from ``points_radius[0]`` at the curve's start to ``points_radius[1]`` at its end.
    Collinear or coincident points are an error. Without a profile ``center`` 'MEDIAN'/'BOUNDS' moves
    the origin as for :func:`create_curve`. With a profile the mesh keeps the curve bevel's winding
    (no normals, no weld) and ``thickness`` > 1e-10 solidifies it (see :func:`sweep_profile`).
    """
    points = _points(control_points, "control_points")
    if len(points) != 3:
        raise ProgramRuntimeError(f"create_arc_by_3Dpoints needs exactly 3 control points, got {len(points)}")
    radii = [float(r) for r in objects.as_list(points_radius if points_radius else [1.0, 1.0])]
    if len(radii) == 1:
        radii = radii * 2
    co, left, right = _arc_bezier(*points)
    m = len(co) - 1
    spline_radii = [radii[0] + (radii[1] - radii[0]) * i / m for i in range(m + 1)]
    data = new_curve_data(name)
    n = len(co)
    add_bezier_spline(data, co, ["FREE"] * n, ["FREE"] * n, left, right, spline_radii, closed)
    obj = objects.new_curve_object(name, data)
    if profile_name is None:
        objects.place_origin(obj, center)
        return obj
    return sweep_profile(obj, profile_name, fill_caps=fill_caps, thickness=thickness, keep_winding=True)


def create_spiral(
    name,
    profile_name=None,
    dif_z=0.5,
    radius=0.5,
    turns=5,
    closed=False,
    center="POINT",
    thickness=0,
    handle_type="AUTO",
    fill_caps="none",
    flip_normals=False,
    direction="COUNTER_CLOCKWISE",
    resolution=8,
    location=[0, 0, 0],  # noqa: B006 - the published signature; never mutated
    rotation=[0, 0, 0, 0],  # noqa: B006
):
    """A helix of ``radius`` about local Z rising ``dif_z`` per turn over ``turns`` turns; with
    ``profile_name``, that profile swept along it (springs, threads, coils).

    Points are laid out as the published library did: S = 12 * turns are planned, so each rises
    ``dif_z * turns / (S - 1)``; from (radius, 0, 0) a point is added 30 degrees on (counter-clockwise
    about +Z seen from above, ``direction='CLOCKWISE'`` the other way) as long as the angle reached
    before the step is at most the full ``turns``, which gives 12 * turns + 2 points for whole turns
    and a height a little over ``dif_z * turns`` (5 turns: 62 points, 61/59 of it). The Bezier points
    have ``handle_type`` handles ('AUTO' or 'VECTOR') and ``resolution`` segments per span. With a
    profile the sweep is finished like ``create_curve``'s with outward normals (``flip_normals`` has
    no effect, as published). Then the object's origin is placed - at the centre of volume of the
    swept mesh, or for a bare helix at the median of its control points (``center='MEDIAN'``) or at
    the axis foot (``'POINT'``) - that origin is moved to ``location``, the object is turned by ``rotation``
    (quaternion) about it, and the transform is baked into the data.
    """
    if float(turns) <= 0:
        raise ProgramRuntimeError(f"create_spiral needs turns > 0, got {turns!r}")
    handles = _spiral_handle_type(handle_type)
    co = _spiral_points(float(radius), float(dif_z), float(turns), _spiral_direction(direction))
    data = new_curve_data(name, resolution=_count(resolution, "resolution"))
    n = len(co)
    add_bezier_spline(data, co, [handles] * n, [handles] * n, None, None, None, bool(closed))
    obj = objects.new_curve_object(name, data)
    if profile_name is None:
        objects.place_origin(obj, center)
    else:
        obj = sweep_profile(obj, profile_name, fill_caps=fill_caps, thickness=thickness)
    objects.set_transform(obj, location=location if location is not None else (0, 0, 0), rotation=rotation)
    objects.apply_transform(obj)
    return obj


# ------------------------------------------------------------------------- shared by the sections


def new_curve_data(name: str, resolution: int = DEFAULT_BARE_RESOLUTION) -> bpy.types.Curve:
    """An empty 3D curve data block with ``resolution`` segments per Bezier span."""
    data = bpy.data.curves.new(name, "CURVE")
    data.dimensions = "3D"
    data.resolution_u = max(1, int(resolution))
    return data


def add_bezier_spline(
    data: bpy.types.Curve,
    co: Sequence,
    left_types: Sequence[str],
    right_types: Sequence[str],
    handles_left: Sequence | None = None,
    handles_right: Sequence | None = None,
    radii: Sequence[float] | None = None,
    cyclic: bool = False,
) -> bpy.types.Spline:
    """Append a Bezier spline to ``data``: points ``co``, handle types per side, explicit handle
    positions where given (entries may be None), radii (1 by default) and cyclic flag.

    Per point the left type, left handle, point, right type and right handle are set in that order,
    as the published library did: Blender recomputes AUTO/VECTOR/ALIGNED handles each time a type is
    set, so the order decides the result for ALIGNED handles.
    """
    spline = data.splines.new("BEZIER")
    spline.bezier_points.add(len(co) - 1)
    spline.use_cyclic_u = bool(cyclic)
    for i, point in enumerate(spline.bezier_points):
        point.handle_left_type = left_types[i]
        if handles_left is not None and handles_left[i] is not None:
            point.handle_left = handles_left[i]
        point.co = co[i]
        point.handle_right_type = right_types[i]
        if handles_right is not None and handles_right[i] is not None:
            point.handle_right = handles_right[i]
        point.radius = 1.0 if radii is None else float(radii[i])
    return spline


def sweep_profile(
    path: bpy.types.Object,
    profile_name: str,
    fill_caps: str = "none",
    thickness: float | None = None,
    flip_normals: bool = False,
    volume_origin: bool = True,
    bevel_width: float | None = None,
    bevel_segments: int = 8,
    keep_winding: bool = False,
    always_solidify: bool = False,
) -> bpy.types.Object:
    """Sweep the profile curve ``profile_name`` along the curve object ``path`` and finish the mesh.

    Blender's curve bevel does the sweep ('both' caps by its fill-caps option, with vertices of their
    own); the path becomes a mesh object of the same name and transform and the profile object is
    deleted. Then, in the published library's order: the centre of volume is measured on that raw
    mesh, a 'start'/'end' cap fills the open boundary loop at the path's first/last point (wound like
    its neighbours), the origin moves to the centre when ``volume_origin``, normals are made
    consistent (outward, or inward with ``flip_normals``), ``thickness`` > 1e-10 solidifies the
    surface after baking rotation and scale, and it is welded at 1e-5 last.

    ``keep_winding`` (the section functions) skips the normals and the weld, so faces keep the
    winding of Blender's curve bevel; ``always_solidify`` solidifies whatever the thickness (0 and
    None give a coincident second layer). A wire-mesh profile is turned into a poly curve first.
    """
    caps = _fill_caps(fill_caps)
    profile = objects.get_object(profile_name)
    if profile == path:
        raise ProgramRuntimeError(f"{path.name!r} cannot be swept along itself")
    if profile.type == "MESH":
        profile = objects.wire_to_curve(profile)
    if profile.type != "CURVE":
        raise ProgramRuntimeError(f"profile {profile_name!r} is a {profile.type}, expected a curve")
    if bevel_width:
        # The catalogue's bevel rounds a curve's corners in place (published library: the same call).
        from meshcoder.shapes.bpy_lib.modifiers import bevel

        bevel(path.name, bevel_width, bevel_segments)
    ends = _path_ends(path)
    data = path.data
    data.bevel_mode = "OBJECT"
    data.bevel_object = profile
    data.use_fill_caps = caps == "both"
    for spline in data.splines:
        spline.use_smooth = False
    obj = objects.curve_to_mesh(path)
    objects.remove_object(profile)
    origin = objects.center_of_volume(obj) if volume_origin else None
    if caps in ("start", "end") and ends is not None:
        _cap_end(obj, ends[0] if caps == "start" else ends[1], ends[1] if caps == "start" else ends[0])
    if origin is not None:
        objects.set_origin(obj, origin)
    if not keep_winding:
        objects.recalc_normals(obj, inside=bool(flip_normals))
    width = float(thickness) if thickness is not None else 0.0
    if always_solidify or width > MIN_THICKNESS:
        objects.bake_rotation_scale(obj)
        objects.solidify_mesh(obj, width)
    if not keep_winding:
        objects.weld_mesh(obj, WELD_DISTANCE)
    return obj


# ------------------------------------------------------------------------------------------ helpers


def _create_curves(
    names,
    profile_name,
    control_points,
    points_radius,
    handle_type,
    closed,
    center,
    use_minimum_face,
    average_edge_length,
    resolution,
) -> list[bpy.types.Object]:
    """The list form of :func:`create_curve`: one bare curve per name."""
    if profile_name is not None:
        raise ProgramRuntimeError("create_curve with a list of names makes bare curves; drop profile_name")
    n = len(names)
    if not objects.is_nested(control_points) or not objects.is_nested(control_points[0]):
        raise ProgramRuntimeError("with a list of names, control_points must be a list of point lists")
    if len(control_points) != n:
        raise ProgramRuntimeError(f"{n} names but {len(control_points)} control point lists")
    per_radius = points_radius if objects.is_nested(points_radius) else [points_radius] * n
    per_handles = handle_type if objects.is_nested(handle_type) else [handle_type] * n
    per_closed = objects.as_list(closed, n)
    per_center = objects.as_list(center, n)
    for what, values in (("points_radius", per_radius), ("handle_type", per_handles)):
        if len(values) != n:
            raise ProgramRuntimeError(f"{n} names but {len(values)} {what} lists")
    if len(per_closed) != n or len(per_center) != n:
        raise ProgramRuntimeError(f"closed and center need one value or one per name ({n})")
    return [
        create_curve(
            names[i],
            None,
            control_points[i],
            per_radius[i],
            per_handles[i],
            per_closed[i],
            per_center[i],
            use_minimum_face=use_minimum_face,
            average_edge_length=average_edge_length,
            resolution=resolution,
        )
        for i in range(n)
    ]


def _points(values, what: str) -> list[Vector]:
    """A list of 3D points (2D points get z = 0)."""
    if values is None or not isinstance(values, (list, tuple)):
        raise ProgramRuntimeError(f"{what} must be a list of [x, y, z] points, got {values!r}")
    points = []
    for p in values:
        if not isinstance(p, (list, tuple)) or len(p) not in (2, 3):
            raise ProgramRuntimeError(f"{what} must hold [x, y, z] points, got {p!r}")
        points.append(Vector([float(c) for c in p] + [0.0] * (3 - len(p))))
    return points


def _bezier_from_codes(data, name, control_points, points_radius, handle_type, closed) -> bpy.types.Spline:
    """Add the spline ``create_curve`` describes (points, FREE handles, codes, radii) to ``data``."""
    entries = _points(control_points, "control_points")
    codes = [int(c) for c in handle_type] if handle_type else []
    if any(c not in HANDLE_TYPES for c in codes):
        raise ProgramRuntimeError(
            f"handle_type codes must be 0..3 (AUTO, VECTOR, ALIGNED, FREE), got {codes}"
        )
    if not entries:
        raise ProgramRuntimeError(f"create_curve {name!r} needs at least one control point")
    if not codes:
        codes = [0] * (2 * len(entries))
    # Every FREE code takes a control point entry, even one past the codes the points use.
    count = len(entries) - codes.count(3)
    if count < 1 or len(codes) < 2 * count:
        raise ProgramRuntimeError(
            f"create_curve {name!r}: {len(entries)} control points with {codes.count(3)} FREE handles "
            f"make {count} Bezier points, which need {2 * count} handle_type codes, got {len(codes)}"
        )
    codes = codes[: 2 * count]  # the published library read two codes per point and no more
    radii = [float(r) for r in points_radius] if points_radius else [1.0] * count
    if len(radii) != count:
        raise ProgramRuntimeError(
            f"create_curve {name!r}: {count} Bezier points but {len(radii)} points_radius"
        )
    co, left, right = [], [], []
    queue = iter(entries)
    for i in range(count):
        left.append(next(queue) if codes[2 * i] == 3 else None)
        co.append(next(queue))
        right.append(next(queue) if codes[2 * i + 1] == 3 else None)
    left_types = [HANDLE_TYPES[codes[2 * i]] for i in range(count)]
    right_types = [HANDLE_TYPES[codes[2 * i + 1]] for i in range(count)]
    return add_bezier_spline(data, co, left_types, right_types, left, right, radii, bool(closed))


def _path_resolution(spline, resolution, use_minimum_face, average_edge_length, default: int) -> int:
    """Segments per Bezier span: ``resolution`` when given, else the default, else enough for edges of
    about ``average_edge_length`` on the longest span (its length estimated from the control polygon)."""
    if resolution:
        return _count(resolution, "resolution")
    if use_minimum_face or not average_edge_length:
        return default
    points = list(spline.bezier_points)
    spans = list(itertools.pairwise(points))
    if spline.use_cyclic_u and len(points) > 1:
        spans.append((points[-1], points[0]))
    longest = 0.0
    for a, b in spans:
        chord = (b.co - a.co).length
        polygon = (a.handle_right - a.co).length + (b.handle_left - a.handle_right).length
        polygon += (b.co - b.handle_left).length
        longest = max(longest, (chord + polygon) / 2)
    return min(MAX_RESOLUTION, max(1, math.ceil(longest / float(average_edge_length))))


def _count(value, what: str) -> int:
    """A positive whole number of segments."""
    number = round(float(value))
    if number < 1:
        raise ProgramRuntimeError(f"{what} must be at least 1, got {value!r}")
    return min(number, MAX_RESOLUTION)


def _fill_caps(fill_caps) -> str:
    caps = str(fill_caps if fill_caps is not None else "none").lower()
    if caps not in FILL_CAPS:
        raise ProgramRuntimeError(f"fill_caps must be one of {FILL_CAPS}, got {fill_caps!r}")
    return caps


def _path_ends(path: bpy.types.Object) -> tuple[Vector, Vector] | None:
    """First and last point of an open path (local space); None for a cyclic one."""
    splines = list(path.data.splines)
    if not splines or splines[0].use_cyclic_u:
        return None

    def end_points(spline) -> list[Vector]:
        if spline.type == "BEZIER":
            return [spline.bezier_points[0].co.copy(), spline.bezier_points[-1].co.copy()]
        return [Vector(spline.points[0].co[:3]), Vector(spline.points[-1].co[:3])]

    return end_points(splines[0])[0], end_points(splines[-1])[1]


def _cap_end(obj: bpy.types.Object, end: Vector, other_end: Vector) -> None:
    """Fill the open boundary loop of a swept mesh that lies at path point ``end``."""
    with objects.edit_bmesh(obj) as bm:
        best, best_distance = None, math.inf
        for loop in objects.boundary_loops(bm):
            centre = sum((v.co for v in loop), Vector()) / len(loop)
            distance = (centre - end).length
            # A loop as near the other end is not an end cap (an open profile's long boundary).
            if distance < best_distance and distance < (centre - other_end).length:
                best, best_distance = loop, distance
        if best is not None:
            objects.fill_loop(bm, best)


def _arc_bezier(p1: Vector, p2: Vector, p3: Vector):
    """Bezier points and handles of the arc ``create_arc_by_3Dpoints`` describes (see there)."""
    a, b = p1 - p3, p2 - p3
    normal = a.cross(b)
    scale = max(a.length, b.length, (p2 - p1).length)
    if scale < 1e-12 or normal.length < 1e-9 * scale * scale:
        raise ProgramRuntimeError(
            f"create_arc_by_3Dpoints: the points {[list(p) for p in (p1, p2, p3)]} are collinear "
            "or coincide, so no circle passes through them"
        )
    centre = p3 + (a.length_squared * b - b.length_squared * a).cross(normal) / (2 * normal.length_squared)
    x = (p1 - p2).normalized()
    y = x.cross((p1 - p2).cross(p1 - p3)).normalized()
    z = x.cross(y)

    def degrees(p: Vector) -> float:
        d = p - centre
        angle = math.degrees(math.atan2(d.dot(y), d.dot(x)))
        return angle + 360.0 if angle <= 0.0 else angle

    (low, first), (high, last) = sorted([(degrees(p1), 0), (degrees(p3), 1)])
    ends = (p1, p3)
    sweep = math.radians(high - low)
    # Equal spans of at most 90 degrees (a hair over 90 from rounding stays one span).
    spans = max(1, math.ceil(sweep / (0.5 * math.pi) - 1e-9))
    step = sweep / spans
    r = (p1 - centre).length
    k = 4.0 / 3.0 * math.tan(step / 4.0) * r
    start = math.radians(low)
    co, left, right = [], [], []
    for i in range(spans + 1):
        angle = start + i * step
        radial = math.cos(angle) * x + math.sin(angle) * y
        tangent = z.cross(radial)
        point = centre + r * radial
        co.append(point)
        left.append(point - k * tangent)
        right.append(point + k * tangent)
    co[0], co[-1] = ends[first].copy(), ends[last].copy()  # exact ends
    # The published library never set these two FREE handles, so they stay at the origin.
    left[0], right[-1] = Vector((0.0, 0.0, 0.0)), Vector((0.0, 0.0, 0.0))
    return co, left, right


def _spiral_points(r: float, dif_z: float, turns: float, sign: int) -> list[Vector]:
    """The helix points of ``create_spiral`` (see there): a step of 30 degrees and a rise of
    ``dif_z * turns / (S - 1)`` with S = 12 * turns planned points."""
    planned = SPIRAL_POINTS_PER_TURN * turns
    if planned <= 1.0:
        raise ProgramRuntimeError(
            f"create_spiral needs more than 1/{SPIRAL_POINTS_PER_TURN} turn, got turns={turns!r}"
        )
    rise = dif_z * turns / (planned - 1.0)
    step = sign * 2.0 * math.pi / SPIRAL_POINTS_PER_TURN
    full = 2.0 * math.pi * turns
    # The angle is accumulated step by step; the tolerance keeps whole turns from losing their last
    # point to rounding (5 turns: 62 points).
    tolerance = 1e-9 * max(1.0, full)
    co = [Vector((r, 0.0, 0.0))]
    angle = height = 0.0
    while abs(angle) <= full + tolerance:
        angle += step
        height += rise
        co.append(Vector((r * math.cos(angle), r * math.sin(angle), height)))
    return co


def _spiral_handle_type(handle_type) -> str:
    if isinstance(handle_type, (int, float)) and int(handle_type) in HANDLE_TYPES:
        value = HANDLE_TYPES[int(handle_type)]
    else:
        value = str(handle_type).upper()
    if value not in ("AUTO", "VECTOR", "ALIGNED"):
        raise ProgramRuntimeError(
            f"create_spiral handle_type must be 'AUTO' or 'VECTOR', got {handle_type!r}"
        )
    return value


def _spiral_direction(direction) -> int:
    value = str(direction).upper()
    if value == "COUNTER_CLOCKWISE":
        return 1
    if value == "CLOCKWISE":
        return -1
    raise ProgramRuntimeError(f"direction must be 'COUNTER_CLOCKWISE' or 'CLOCKWISE', got {direction!r}")
