"""Primitive solids: Blender's cube, cylinder, UV sphere, cone, torus and grid, and the trapezoid body.

Sizes are Blender's defaults (cube 2x2x2, cylinder radius 1 depth 2 along local Z, cone radius 1 to 0,
sphere radius 1, torus major 1 minor 0.25, grid 2x2), built directly with bmesh at the data level, with
the same vertex layout as Blender's ``primitive_*_add`` operators. Runs inside Blender only.
"""

from __future__ import annotations

import itertools
import math

import bmesh
import bpy

from meshcoder.shapes.bpy_lib import objects
from meshcoder.shapes.bpy_lib.objects import ProgramRuntimeError
from meshcoder.shapes.program import DEFAULT_LIMITS, PRIMITIVE_EDGE_LENGTHS

__all__ = ["create_primitive", "create_trapezoid_body"]

PRIMITIVE_TYPES = ("cube", "cylinder", "uv_sphere", "cone", "torus", "grid")
ROTATION_MODES = ("QUATERNION", "XYZ", "XZY", "YXZ", "YZX", "ZXY", "ZYX")

# Blender's default resolutions (what ``use_minimum_face=True`` gives).
DEFAULT_RESOLUTION = {
    "cube": (1, 1, 1),  # cells per axis
    "cylinder": (32, 1),  # vertices around, segments along Z
    "cone": (32, 1),
    "uv_sphere": (32, 16),  # segments, rings
    "torus": (48, 12),  # major, minor segments
}
DEFAULT_GRID_SUBDIVISIONS = 10
TORUS_MAJOR_RADIUS = 1.0
TORUS_MINOR_RADIUS = 0.25


def create_primitive(
    name: str,
    primitive_type: str = "cube",
    location: list[float] | None = None,
    scale: list[float] | None = None,
    rotation: list[float] | None = None,
    rotation_mode: str = "QUATERNION",
    apply: bool = False,
    x_subdivisions: int | None = None,
    y_subdivisions: int | None = None,
    use_minimum_face: bool = True,
    average_edge_length: float | None = None,
    resolution: list[int] | None = None,
) -> bpy.types.Object:
    """Create a primitive mesh object called ``name``.

    Args:
        name: the new object's name (an older object of that name is replaced).
        primitive_type: 'cube', 'cylinder', 'uv_sphere', 'cone', 'torus' or 'grid'.
        location, scale: object location and scale (``scale`` multiplies Blender's default size, so a
            cube's scale is its half extents).
        rotation: quaternion ``[w, x, y, z]`` (normalised here), or Euler angles in units of pi when
            ``rotation_mode`` is an Euler order such as 'XYZ'.
        apply: bake location, rotation and scale into the mesh.
        x_subdivisions, y_subdivisions: grid cells along X and Y (Blender's default 10 when None).
        use_minimum_face: True keeps Blender's default resolution. False lets ``average_edge_length``
            or ``resolution`` set it (``average_edge_length`` wins when both are given).
        average_edge_length: target edge length in the primitive's own unscaled units: the circular
            directions get about ``circumference / average_edge_length`` segments (2*pi for the unit
            circle, 0.5*pi for the torus tube), the straight ones ``length / average_edge_length``
            (2 for the cube side and the cylinder height, pi for a sphere meridian).
        resolution: cylinder and cone ``[vertices, z_segments]`` (z_segments=1 means no cut), sphere
            ``[segments, rings]``, torus ``[major, minor]``, cube ``[rx, ry, rz]`` cells per axis.
    """
    kind = str(primitive_type).lower()
    if kind not in PRIMITIVE_TYPES:
        raise ProgramRuntimeError(f"unknown primitive_type {primitive_type!r}; use one of {PRIMITIVE_TYPES}")
    mode = _rotation_mode(rotation_mode)
    bm = bmesh.new()
    if kind == "grid":
        bmesh.ops.create_grid(
            bm,
            x_segments=_count(x_subdivisions, DEFAULT_GRID_SUBDIVISIONS, 1, "x_subdivisions"),
            y_segments=_count(y_subdivisions, DEFAULT_GRID_SUBDIVISIONS, 1, "y_subdivisions"),
            size=1.0,
        )
    else:
        res = _resolution(kind, use_minimum_face, average_edge_length, resolution)
        if kind == "cube":
            _build_box(bm, *res)
        elif kind == "cylinder":
            _build_cone(bm, res[0], res[1], top_radius=1.0)
        elif kind == "cone":
            _build_cone(bm, res[0], res[1], top_radius=0.0)
        elif kind == "uv_sphere":
            bmesh.ops.create_uvsphere(bm, u_segments=res[0], v_segments=res[1], radius=1.0)
        else:
            _build_torus(bm, res[0], res[1])
    obj = objects.new_mesh_object(name, bm)
    _place(obj, location, scale, rotation, mode, apply)
    return obj


def create_trapezoid_body(
    name: str,
    size=[1, 1, 0.5, 0.5, 1],  # noqa: B006  (a literal default is part of the catalogue contract)
    location: list[float] | None = None,
    rotation: list[float] | None = None,
    rotation_mode: str = "QUATERNION",
    apply: bool = False,
) -> bpy.types.Object:
    """Create an 8-vertex frustum box called ``name``, its height along local X.

    ``size`` is ``[top_length, top_width, bottom_length, bottom_width, height]``: the top face lies at
    x = +height/2 and spans top_length along Y and top_width along Z; the bottom face lies at
    x = -height/2 with bottom_length along Y and bottom_width along Z. ``location``, ``rotation``,
    ``rotation_mode`` and ``apply`` work as in :func:`create_primitive`.
    """
    values = [float(v) for v in objects.as_list(size)]
    if len(values) != 5:
        raise ProgramRuntimeError(
            f"create_trapezoid_body size needs 5 numbers [top_length, top_width, bottom_length, "
            f"bottom_width, height], got {len(values)}"
        )
    top_length, top_width, bottom_length, bottom_width, height = values
    mode = _rotation_mode(rotation_mode)
    bm = bmesh.new()
    corners = []
    for x, length, width in ((height / 2, top_length, top_width), (-height / 2, bottom_length, bottom_width)):
        half_l, half_w = length / 2, width / 2
        corners.append(
            [bm.verts.new((x, sy * half_l, sz * half_w)) for sy, sz in ((1, 1), (-1, 1), (-1, -1), (1, -1))]
        )
    top, bottom = corners
    bm.faces.new(top)
    bm.faces.new(list(reversed(bottom)))
    for i in range(4):
        j = (i + 1) % 4
        bm.faces.new((top[j], top[i], bottom[i], bottom[j]))
    _orient_outward(bm)
    obj = objects.new_mesh_object(name, bm)
    _place(obj, location, None, rotation, mode, apply)
    return obj


# ------------------------------------------------------------------------------------------ helpers


def _rotation_mode(rotation_mode) -> str:
    mode = str(rotation_mode).upper()
    if mode not in ROTATION_MODES:
        raise ProgramRuntimeError(f"unknown rotation_mode {rotation_mode!r}; use one of {ROTATION_MODES}")
    return mode


def _place(obj: bpy.types.Object, location, scale, rotation, mode: str, apply: bool) -> None:
    objects.set_transform(obj, location=location, rotation=rotation, scale=scale, rotation_mode=mode)
    if apply:
        objects.apply_transform(obj)


def _count(value, default: int, minimum: int, what: str) -> int:
    if value is None:
        return default
    try:
        n = round(float(value))
    except (TypeError, ValueError):
        raise ProgramRuntimeError(f"{what} must be a number, got {value!r}") from None
    if n < minimum:
        raise ProgramRuntimeError(f"{what} must be at least {minimum}, got {value!r}")
    return n


def _resolution(kind: str, use_minimum_face, average_edge_length, resolution) -> tuple[int, ...]:
    """Per-primitive resolution from the three knobs (see create_primitive's docstring)."""
    default = DEFAULT_RESOLUTION[kind]
    if use_minimum_face:
        return default
    if average_edge_length is not None:
        step = float(average_edge_length)
        if step <= 0:
            raise ProgramRuntimeError(f"average_edge_length must be positive, got {average_edge_length!r}")
        lengths = PRIMITIVE_EDGE_LENGTHS[kind]
        values = [round(length / step) for length in lengths]
    elif resolution is not None:
        values = objects.as_list(resolution)
        if len(values) != len(default):
            raise ProgramRuntimeError(
                f"resolution for a {kind} needs {len(default)} numbers, got {resolution!r}"
            )
    else:
        return default
    minima = {
        "cube": (1, 1, 1),
        "cylinder": (3, 1),
        "cone": (3, 1),
        "uv_sphere": (3, 3),
        "torus": (3, 3),
    }[kind]
    # Edge lengths are a wish, not a contract: clamp them to the smallest valid resolution.
    if average_edge_length is not None:
        if max(values) > DEFAULT_LIMITS.max_resolution:
            raise ProgramRuntimeError(
                f"average_edge_length={average_edge_length!r} gives a {kind} of {max(values)} segments "
                f"(at most {DEFAULT_LIMITS.max_resolution})"
            )
        return tuple(max(int(v), m) for v, m in zip(values, minima))
    return tuple(_count(v, d, m, f"{kind} resolution") for v, d, m in zip(values, default, minima))


def _build_box(bm: bmesh.types.BMesh, rx: int, ry: int, rz: int) -> None:
    """The surface of the cube [-1, 1]^3 cut into rx x ry x rz cells (8 vertices when all are 1)."""
    counts = (rx, ry, rz)
    verts: dict[tuple[int, int, int], bmesh.types.BMVert] = {}

    def vert(ijk):
        v = verts.get(ijk)
        if v is None:
            v = verts[ijk] = bm.verts.new([-1.0 + 2.0 * c / n for c, n in zip(ijk, counts)])
        return v

    for axis in range(3):
        u_axis, v_axis = (axis + 1) % 3, (axis + 2) % 3
        for side in (0, counts[axis]):
            for a in range(counts[u_axis]):
                for b in range(counts[v_axis]):
                    quad = []
                    for du, dv in ((0, 0), (1, 0), (1, 1), (0, 1)):
                        ijk = [0, 0, 0]
                        ijk[axis], ijk[u_axis], ijk[v_axis] = side, a + du, b + dv
                        quad.append(vert(tuple(ijk)))
                    if side == 0:
                        quad.reverse()
                    bm.faces.new(quad)


def _build_cone(bm: bmesh.types.BMesh, vertices: int, z_segments: int, top_radius: float) -> None:
    """Cylinder (top_radius 1) or cone (top_radius 0) of depth 2 along Z, n-gon caps, with z_segments
    rings of side faces. Vertex i sits at angle 2*pi*i/vertices measured from +Y towards +X, as in
    Blender's operators."""
    angles = [2 * math.pi * i / vertices for i in range(vertices)]
    rings = []
    for k in range(z_segments + 1):
        t = k / z_segments
        radius = 1.0 + (top_radius - 1.0) * t
        z = -1.0 + 2.0 * t
        if radius == 0.0:
            rings.append([bm.verts.new((0.0, 0.0, z))])
            break
        rings.append([bm.verts.new((radius * math.sin(a), radius * math.cos(a), z)) for a in angles])
    for lower, upper in itertools.pairwise(rings):
        for i in range(vertices):
            j = (i + 1) % vertices
            if len(upper) == 1:
                bm.faces.new((lower[j], lower[i], upper[0]))
            else:
                bm.faces.new((lower[j], lower[i], upper[i], upper[j]))
    bm.faces.new(rings[0])
    if len(rings[-1]) > 1:
        bm.faces.new(list(reversed(rings[-1])))
    _orient_outward(bm)


def _build_torus(bm: bmesh.types.BMesh, major: int, minor: int) -> None:
    """Blender's torus: major radius 1, minor 0.25, tube ring j at angle 2*pi*j/minor from the outside."""
    rings = []
    for i in range(major):
        phi = 2 * math.pi * i / major
        c, s = math.cos(phi), math.sin(phi)
        ring = []
        for j in range(minor):
            theta = 2 * math.pi * j / minor
            r = TORUS_MAJOR_RADIUS + TORUS_MINOR_RADIUS * math.cos(theta)
            ring.append(bm.verts.new((r * c, r * s, TORUS_MINOR_RADIUS * math.sin(theta))))
        rings.append(ring)
    for i in range(major):
        a, b = rings[i], rings[(i + 1) % major]
        for j in range(minor):
            k = (j + 1) % minor
            bm.faces.new((a[j], b[j], b[k], a[k]))
    _orient_outward(bm)


def _orient_outward(bm: bmesh.types.BMesh) -> None:
    bmesh.ops.recalc_face_normals(bm, faces=bm.faces[:])
