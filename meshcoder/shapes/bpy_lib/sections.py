"""Planar sections: circles, polygons, rectangles, ovals, stars, arcs, quads and waves, built as curve
data in their local XY plane. Runs inside Blender only.

Without ``profile_name`` they are sections: sweep profiles, bridge-loop rings, paths. With
``profile_name`` (circle, polygon, rectangle, square) they are closed paths along which that profile
is swept by :func:`meshcoder.shapes.bpy_lib.sweeps.sweep_profile` (swept ring, rectangular frame),
keeping the curve bevel's winding and always solidified, as the published library did.

Shapes follow the Blender "Extra Objects" add-on that the published library used (gone since Blender
4.2): a circle is four Bezier points with circular-arc handles, from (r, 0, 0) counter-clockwise; a
polygon starts at (0, r) and runs clockwise with sharp corners; a rectangle's corners run
(-w/2, l/2), (w/2, l/2), (w/2, -l/2), (-w/2, -l/2). ``center='MEDIAN'`` keeps a section centred on its
origin; ``center='POINT'`` shifts it so that the origin lies on its outline (a circle or polygon moves
by +r along X, a rectangle by (+w/2, +l/2)), as the published library did.
"""

from __future__ import annotations

import math

import bpy
from mathutils import Matrix, Vector

from meshcoder.shapes.bpy_lib import objects
from meshcoder.shapes.bpy_lib.objects import ProgramRuntimeError
from meshcoder.shapes.bpy_lib.sweeps import add_bezier_spline, create_curve, new_curve_data, sweep_profile

__all__ = [
    "create_arc_points",
    "create_circle",
    "create_oval",
    "create_polygon",
    "create_quad",
    "create_rectangle",
    "create_square",
    "create_star",
    "create_wave",
]

CENTERS = ("MEDIAN", "BOUNDS", "POINT")
# A circle swept into a ring uses at least this many segments per quarter (the published library's
# fixed 24, i.e. 96 around).
RING_QUARTER_RESOLUTION = 24
# Curve resolution of sections the published library left at Blender's default.
DEFAULT_RESOLUTION = 12
ARC_POINTS = 5


def create_circle(
    name,
    location=[0, 0, 0],  # noqa: B006 - the published signature; never mutated
    profile_name=None,
    rotation=[1, 0, 0, 0],  # noqa: B006
    radius=1.0,
    scale=[1, 1, 1],  # noqa: B006
    resolution=32,
    bend_angle=0.0,
    center="MEDIAN",
    thickness=None,
    fill_caps="none",
):
    """A Bezier circle of ``radius`` in its local XY plane: four points from (r, 0, 0)
    counter-clockwise with circular-arc handles, ``resolution`` segments around.

    The object gets ``location``, ``rotation`` (quaternion) and ``scale`` as its transform (not
    applied); a non-uniform scale makes an ellipse. ``bend_angle`` (units of pi) turns it into a mesh
    bent about Z through ``location`` (a Simple Deform 'BEND'). ``name``, ``location``, ``rotation``,
    ``scale``, ``radius``, ``resolution`` and ``bend_angle`` may be lists to make several loops in one
    call (a single value serves all). ``center='POINT'`` reproduces the published library: rotation
    baked, the circle shifted by +r along world X with ``location`` dropped, then scaled.

    With ``profile_name`` (one name only) the circle is a closed path, at least 96 segments around,
    along which the profile is swept (a ring): converted to a mesh, origin at the centre of volume,
    faces wound as Blender's curve bevel makes them (a counter-clockwise profile faces inward), always
    solidified by ``thickness`` against those normals (None or 0: a coincident second layer). As
    published, ``scale`` and ``center`` are not used then.
    """
    names = objects.as_list(name)
    n = len(names)
    locations = _per_loop(location, n, "location", nested=True, default=[0, 0, 0])
    rotations = _per_loop(rotation, n, "rotation", nested=True, default=None)
    scales = _per_loop(scale, n, "scale", nested=True, default=None)
    radii = _per_loop(radius, n, "radius")
    resolutions = _per_loop(resolution, n, "resolution")
    bends = _per_loop(bend_angle, n, "bend_angle")
    mode = _center(center)
    if profile_name is not None:
        if n != 1:
            raise ProgramRuntimeError("create_circle with a profile makes one ring; give a single name")
        quarter = max(RING_QUARTER_RESOLUTION, round(_positive(resolutions[0], "resolution") / 4))
        obj = objects.new_curve_object(names[0], _circle_data(names[0], _radius(radii[0]), quarter))
        objects.set_transform(obj, location=locations[0], rotation=rotations[0])
        return _sweep(obj, profile_name, fill_caps, thickness)
    made = []
    for i in range(n):
        r = _radius(radii[i])
        quarter = max(1, (round(_positive(resolutions[i], "resolution")) + 2) // 4)
        obj = objects.new_curve_object(names[i], _circle_data(names[i], r, quarter))
        if mode == "POINT":
            moved = Matrix.Translation((r, 0.0, 0.0)) @ objects.quaternion(rotations[i]).to_matrix().to_4x4()
            obj.data.transform(moved)
            objects.set_transform(obj, scale=scales[i])
        else:
            objects.set_transform(obj, location=locations[i], rotation=rotations[i], scale=scales[i])
        if bends[i]:
            obj = _bend(obj, bends[i], locations[i])
        made.append(obj)
    return made[0] if n == 1 and not isinstance(name, (list, tuple)) else made


def create_polygon(
    name,
    sides=3,
    location=[0, 0, 0],  # noqa: B006 - the published signature; never mutated
    profile_name=None,
    rotation=[1, 0, 0, 0],  # noqa: B006
    radius=1.0,
    scale=[1, 1, 1],  # noqa: B006
    resolution=12,
    center="MEDIAN",
    thickness=None,
    fill_caps="none",
):
    """A regular polygon with ``sides`` sharp corners on a circle of ``radius`` in its local XY plane,
    the first corner at (0, r), running clockwise.

    Transform, list forms (``name``, ``sides``, ``location``, ``rotation``, ``radius``, ``scale``) and
    ``center`` work as for :func:`create_circle`; ``resolution`` is the curve's segments per span
    (straight spans stay one segment). With ``profile_name`` (one name) it is a closed path along which
    the profile is swept, finished as in ``create_circle`` (kept winding, always solidified).
    """
    names = objects.as_list(name)
    n = len(names)
    side_counts = _per_loop(sides, n, "sides")
    locations = _per_loop(location, n, "location", nested=True, default=[0, 0, 0])
    rotations = _per_loop(rotation, n, "rotation", nested=True, default=None)
    scales = _per_loop(scale, n, "scale", nested=True, default=None)
    radii = _per_loop(radius, n, "radius")
    mode = _center(center)
    segments = round(_positive(resolution, "resolution"))
    if profile_name is not None:
        if n != 1:
            raise ProgramRuntimeError("create_polygon with a profile makes one path; give a single name")
        data = _polygon_data(names[0], _sides(side_counts[0]), _radius(radii[0]), RING_QUARTER_RESOLUTION)
        obj = objects.new_curve_object(names[0], data)
        objects.set_transform(obj, location=locations[0], rotation=rotations[0])
        return _sweep(obj, profile_name, fill_caps, thickness)
    made = []
    for i in range(n):
        r = _radius(radii[i])
        obj = objects.new_curve_object(names[i], _polygon_data(names[i], _sides(side_counts[i]), r, segments))
        if mode == "POINT":
            moved = Matrix.Translation((r, 0.0, 0.0)) @ objects.quaternion(rotations[i]).to_matrix().to_4x4()
            obj.data.transform(moved)
            objects.set_transform(obj, scale=scales[i])
        else:
            objects.set_transform(obj, location=locations[i], rotation=rotations[i], scale=scales[i])
        made.append(obj)
    return made[0] if n == 1 and not isinstance(name, (list, tuple)) else made


def create_rectangle(
    name,
    profile_name=None,
    width=1.0,
    length=1.0,
    rotation_rad=0,
    location=None,
    rotation=None,
    closed=True,
    bevel_width=None,
    bevel_segments=8,
    center="MEDIAN",
    thickness=None,
    fill_caps="none",
):
    """A rectangle ``width`` (X) by ``length`` (Y) centred in its local XY plane, corners (-w/2, l/2),
    (w/2, l/2), (w/2, -l/2), (-w/2, -l/2), turned by ``rotation_rad`` (units of pi) about Z.

    The turn is baked into the curve; ``center='POINT'`` first shifts it by (+w/2, +l/2) so a corner
    sits on the origin. ``closed=False`` leaves the side from the last corner back to the first
    open. ``location`` and ``rotation`` (quaternion), when given, become the object's transform.

    With ``profile_name`` the rectangle is a frame path (doors, windows) along which the profile is
    swept; ``bevel_width`` rounds its corners with ``bevel_segments`` segments first. The result is
    a mesh with caps per ``fill_caps`` (open paths only), finished as in ``create_circle`` (kept
    winding, always solidified by ``thickness``); its origin stays at the rectangle's (as
    published). Blender's 3D curve bevel sets the profile square to the corner's bisector without
    widening it, so around sharp (unbevelled) corners the bars come out ``cos(45 deg) = 0.71`` of the
    profile's in-plane width; ``bevel_width`` avoids that.
    """
    w, l = float(width), float(length)
    if w <= 0 or l <= 0:
        raise ProgramRuntimeError(
            f"create_rectangle needs a positive width and length, got {width!r}, {length!r}"
        )
    mode = _center(center)
    corners = [Vector((-w / 2, l / 2, 0.0)), Vector((w / 2, l / 2, 0.0))]
    corners += [Vector((w / 2, -l / 2, 0.0)), Vector((-w / 2, -l / 2, 0.0))]
    data = new_curve_data(name, DEFAULT_RESOLUTION)
    add_bezier_spline(data, corners, ["VECTOR"] * 4, ["VECTOR"] * 4, cyclic=bool(closed))
    shift = Matrix.Translation((w / 2, l / 2, 0.0)) if mode == "POINT" else Matrix.Identity(4)
    data.transform(Matrix.Rotation(float(rotation_rad) * math.pi, 4, "Z") @ shift)
    obj = objects.new_curve_object(name, data)
    objects.set_transform(obj, location=location, rotation=rotation)
    if profile_name is None:
        return obj
    return _sweep(obj, profile_name, fill_caps, thickness, False, bevel_width, bevel_segments)


def create_square(
    name,
    profile_name=None,
    length=1.0,
    rotation_rad=0,
    location=None,
    rotation=None,
    closed=True,
    center="MEDIAN",
    thickness=None,
    fill_caps="none",
    use_minimum_face=True,
    average_edge_length=None,
    resolution=24,
):
    """A square of side ``length``: :func:`create_rectangle` with equal sides (same arguments).

    ``use_minimum_face``, ``average_edge_length`` and ``resolution`` are accepted for the published
    signature; a square's straight sides need no resolution.
    """
    return create_rectangle(
        name,
        profile_name=profile_name,
        width=length,
        length=length,
        rotation_rad=rotation_rad,
        location=location,
        rotation=rotation,
        closed=closed,
        center=center,
        thickness=thickness,
        fill_caps=fill_caps,
    )


def create_oval(name, a=1.0, b=1.0, rotation_rad=0, center="MEDIAN"):
    """An ellipse with semi-axes ``a`` (X) and ``b`` (Y) in the XY plane, turned by ``rotation_rad``
    (units of pi) about Z, all baked into the curve.

    It is the unit Bezier circle scaled by (a, b); ``center='POINT'`` shifts the unit circle by +1
    along X first, so the ellipse touches the origin.
    """
    mode = _center(center)
    data = _circle_data(name, 1.0, DEFAULT_RESOLUTION)
    shift = Matrix.Translation((1.0, 0.0, 0.0)) if mode == "POINT" else Matrix.Identity(4)
    squash = Matrix.Diagonal((float(a), float(b), 1.0, 1.0))
    data.transform(Matrix.Rotation(float(rotation_rad) * math.pi, 4, "Z") @ squash @ shift)
    return objects.new_curve_object(name, data)


def create_star(name, outer_radius=1.0, inner_radius=0.5, num_points=5, edge="smooth"):
    """A closed star in the XY plane: ``2 * num_points`` Bezier points at equal angles from
    (outer_radius, 0, 0) counter-clockwise, alternating between ``outer_radius`` and
    ``inner_radius``, with AUTO handles (``edge='smooth'``) or sharp corners (``edge='sharp'``)."""
    count = round(float(num_points))
    if count < 2:
        raise ProgramRuntimeError(f"create_star needs at least 2 points, got {num_points!r}")
    kind = str(edge).lower()
    if kind not in ("smooth", "sharp"):
        raise ProgramRuntimeError(f"create_star edge must be 'smooth' or 'sharp', got {edge!r}")
    handle = "VECTOR" if kind == "sharp" else "AUTO"
    co = []
    for i in range(2 * count):
        r = float(outer_radius) if i % 2 == 0 else float(inner_radius)
        angle = i * math.pi / count
        co.append(Vector((r * math.cos(angle), r * math.sin(angle), 0.0)))
    data = new_curve_data(name, DEFAULT_RESOLUTION)
    add_bezier_spline(data, co, [handle] * len(co), [handle] * len(co), cyclic=True)
    return objects.new_curve_object(name, data)


def create_arc_points(
    name,
    radius=1.0,
    start_angle=0.0,
    end_angle=90.0,
    rotation_rad=0,
    location=[0, 0, 0],  # noqa: B006 - the published signature; never mutated
    rotation=[0, 0, 0],  # noqa: B006
    center="POINT",
    closed=False,
):
    """A circular arc of ``radius`` about the origin from ``start_angle`` to ``end_angle`` (degrees,
    counter-clockwise from +X), five Bezier points with circular-arc handles, turned by
    ``rotation_rad`` (units of pi) about Z (baked) and placed at ``location``.

    ``closed`` joins the ends with a straight segment. ``center`` 'MEDIAN'/'BOUNDS' moves the origin to
    the control points' median/box centre. ``rotation`` is accepted for the published signature, whose
    implementation overwrote it with ``rotation_rad``; it has no effect.
    """
    r = _radius(radius)
    start, end = math.radians(float(start_angle)), math.radians(float(end_angle))
    if start == end:
        raise ProgramRuntimeError("create_arc_points needs different start_angle and end_angle")
    step = (end - start) / (ARC_POINTS - 1)
    k = 4.0 / 3.0 * math.tan(step / 4.0) * r
    co, left, right = [], [], []
    for i in range(ARC_POINTS):
        angle = start + i * step
        point = Vector((r * math.cos(angle), r * math.sin(angle), 0.0))
        tangent = Vector((-math.sin(angle), math.cos(angle), 0.0))
        co.append(point)
        left.append(point - k * tangent)
        right.append(point + k * tangent)
    if closed:  # a straight closing segment
        left[0] = co[0] + (co[-1] - co[0]) / 3
        right[-1] = co[-1] + (co[0] - co[-1]) / 3
    data = new_curve_data(name, DEFAULT_RESOLUTION)
    add_bezier_spline(
        data, co, ["FREE"] * ARC_POINTS, ["FREE"] * ARC_POINTS, left, right, cyclic=bool(closed)
    )
    data.transform(Matrix.Rotation(float(rotation_rad) * math.pi, 4, "Z"))
    obj = objects.new_curve_object(name, data)
    objects.set_transform(obj, location=location)
    objects.place_origin(obj, _center(center))
    return obj


def create_quad(name, control_points=None, center="POINT", resolution=12):
    """A closed polygon with sharp corners through the given 3D ``control_points`` (any number of at
    least 3). ``name`` may be a list with ``control_points`` a list of point lists, one per name.
    ``center`` 'MEDIAN'/'BOUNDS' moves the origin to the points' median/box centre; 'POINT' leaves it
    at the world origin."""
    if isinstance(name, (list, tuple)):
        if not objects.is_nested(control_points) or not objects.is_nested(control_points[0]):
            raise ProgramRuntimeError("with a list of names, control_points must be a list of point lists")
        if len(control_points) != len(name):
            raise ProgramRuntimeError(f"{len(name)} names but {len(control_points)} control point lists")
        return [
            create_quad(one, pts, center=center, resolution=resolution)
            for one, pts in zip(name, control_points)
        ]
    if not objects.is_nested(control_points) or len(control_points) < 3:
        raise ProgramRuntimeError(f"create_quad needs at least 3 [x, y, z] points, got {control_points!r}")
    co = [Vector([float(c) for c in p] + [0.0] * (3 - len(p))) for p in control_points]
    data = new_curve_data(name, round(_positive(resolution, "resolution")))
    add_bezier_spline(data, co, ["VECTOR"] * len(co), ["VECTOR"] * len(co), cyclic=True)
    obj = objects.new_curve_object(name, data)
    objects.place_origin(obj, _center(center))
    return obj


def create_wave(name, shift=0, frequency=2, altitude=1, segs=200, length=1, rotation_rad=0.0):
    """A sampled sine curve for curtains: ``segs`` AUTO Bezier points with x evenly from -length/2 to
    length/2 and y = altitude * sin(2 pi frequency t), t running evenly from ``shift`` to
    ``1 + shift + length`` (the published formula), turned by ``rotation_rad`` (units of pi) about Z
    (baked)."""
    count = round(float(segs))
    if count < 2:
        raise ProgramRuntimeError(f"create_wave needs segs >= 2, got {segs!r}")
    span, start = float(length), float(shift)
    points = []
    for i in range(count):
        t = start + (1.0 + span) * i / (count - 1)
        x = -0.5 * span + span * i / (count - 1)
        points.append([x, float(altitude) * math.sin(2.0 * math.pi * float(frequency) * t), 0.0])
    obj = create_curve(name, None, points, handle_type=[0] * (2 * count))
    obj.data.transform(Matrix.Rotation(float(rotation_rad) * math.pi, 4, "Z"))
    return obj


# ------------------------------------------------------------------------------------------ helpers


def _sweep(
    path: bpy.types.Object,
    profile_name: str,
    fill_caps,
    thickness,
    volume_origin: bool = True,
    bevel_width=None,
    bevel_segments: int = 8,
) -> bpy.types.Object:
    """Sweep a profile along a section, as the published library's section functions did: the curve
    bevel's winding is kept (no normal recalculation, no weld) and the result is always solidified
    (rotation and scale baked, offset -1), so no thickness still gives a coincident second layer."""
    return sweep_profile(
        path,
        profile_name,
        fill_caps=fill_caps,
        thickness=thickness,
        volume_origin=volume_origin,
        bevel_width=bevel_width,
        bevel_segments=bevel_segments,
        keep_winding=True,
        always_solidify=True,
    )


def _circle_data(name: str, radius: float, quarter_resolution: int) -> bpy.types.Curve:
    """Four-point Bezier circle from (r, 0, 0) counter-clockwise, exact circular-arc handles."""
    k = radius * 4.0 / 3.0 * math.tan(math.pi / 8.0)
    co, left, right = [], [], []
    for i in range(4):
        angle = 0.5 * math.pi * i
        radial = Vector((math.cos(angle), math.sin(angle), 0.0))
        tangent = Vector((-math.sin(angle), math.cos(angle), 0.0))
        co.append(radius * radial)
        left.append(radius * radial - k * tangent)
        right.append(radius * radial + k * tangent)
    data = new_curve_data(name, quarter_resolution)
    add_bezier_spline(data, co, ["FREE"] * 4, ["FREE"] * 4, left, right, cyclic=True)
    return data


def _polygon_data(name: str, sides: int, radius: float, resolution: int) -> bpy.types.Curve:
    """Regular polygon, first corner (0, r), clockwise, sharp (VECTOR) corners."""
    co = []
    for j in range(sides):
        angle = 2.0 * math.pi * j / sides
        co.append(Vector((radius * math.sin(angle), radius * math.cos(angle), 0.0)))
    data = new_curve_data(name, resolution)
    add_bezier_spline(data, co, ["VECTOR"] * sides, ["VECTOR"] * sides, cyclic=True)
    return data


def _bend(obj: bpy.types.Object, bend_angle, location) -> bpy.types.Object:
    """Convert a section to a mesh and bend it about Z through ``location`` (Simple Deform 'BEND',
    angle in units of pi), as the published library did."""
    # The catalogue's deformer does the bending (published library: the same call).
    from meshcoder.shapes.bpy_lib.deformers import add_simple_deform_modifier

    name = obj.name
    objects.curve_to_mesh(obj)
    add_simple_deform_modifier(name, mode="BEND", angle=float(bend_angle), origin=list(location))
    return objects.get_object(name)


def _per_loop(value, n: int, what: str, nested: bool = False, default=None) -> list:
    """One value per loop: a list of ``n`` values (lists of lists where ``nested``) or one for all."""
    if value is None:
        return [default] * n
    many = objects.is_nested(value) if nested else isinstance(value, (list, tuple))
    if not many:
        return [value] * n
    if len(value) != n:
        raise ProgramRuntimeError(f"{n} names but {len(value)} values of {what}")
    return list(value)


def _center(center) -> str:
    mode = str(center if center is not None else "MEDIAN").upper()
    if mode not in CENTERS:
        raise ProgramRuntimeError(f"center must be one of {CENTERS}, got {center!r}")
    return mode


def _positive(value, what: str) -> float:
    number = float(value)
    if not number > 0:
        raise ProgramRuntimeError(f"{what} must be positive, got {value!r}")
    return number


def _radius(value) -> float:
    return _positive(value, "radius")


def _sides(value) -> int:
    sides = round(float(value))
    if sides < 3:
        raise ProgramRuntimeError(f"a polygon needs at least 3 sides, got {value!r}")
    return sides
