"""Arrays: copies of a mesh along offsets (Blender's Array modifier), stacked for 2D and 3D grids, and
a radial array about an axis. Runs inside Blender only.

Offsets are in the object's local space, as Blender's modifier has them; programs usually build the unit
with ``apply=True`` so local and world space agree.
"""

from __future__ import annotations

import math

import bpy
from mathutils import Matrix, Quaternion, Vector

from meshcoder.shapes.bpy_lib import objects
from meshcoder.shapes.bpy_lib.objects import ProgramRuntimeError
from meshcoder.shapes.program import DEFAULT_LIMITS

__all__ = ["array_1d", "array_2d", "array_3d", "array_rotate"]

FIT_TYPES = ("FIXED_COUNT", "FIT_LENGTH", "FIT_CURVE")


def array_1d(
    name: str,
    fit_type: str = "FIXED_COUNT",
    count: int | None = None,
    fit_length: float | None = None,
    fit_curve: str | None = None,
    relative_offset: list[float] | None = None,
    constant_offset: list[float] | None = None,
    offset_object: str | None = None,
    merge_threshold: float | None = None,
    merge_cap: bool = False,
    start_cap: str | None = None,
    end_cap: str | None = None,
    apply: bool = True,
) -> None:
    """Repeat mesh ``name`` with one Array modifier.

    Args:
        name: the mesh to repeat (a curve is converted first).
        fit_type: 'FIXED_COUNT' (``count`` copies in all), 'FIT_LENGTH' (as many as fit in
            ``fit_length``) or 'FIT_CURVE' (as many as fit along the curve object ``fit_curve``).
        relative_offset: ``[x, y, z]`` offset in multiples of the mesh's size; off unless given.
        constant_offset: ``[dx, dy, dz]`` offset in local units between neighbouring copies.
        offset_object: name of an object whose transform relative to this one is applied per copy.
        merge_threshold: merge vertices of neighbouring copies closer than this (off when None/0);
            ``merge_cap`` also merges the first and last copies.
        start_cap, end_cap: names of mesh objects placed at the start and end.
        apply: bake the modifier into the mesh (otherwise it stays live on the object).
    """
    obj = objects.get_mesh_object(name)
    _add_array(
        obj, fit_type, count, fit_length, fit_curve, relative_offset, constant_offset, offset_object,
        merge_threshold, merge_cap, start_cap, end_cap,
    )  # fmt: skip
    if apply:
        objects.apply_modifiers(obj)


def array_2d(
    name: str,
    fit_type_1: str = "FIXED_COUNT",
    fit_type_2: str = "FIXED_COUNT",
    count_1: int | None = None,
    fit_length_1: float | None = None,
    fit_curve_1: str | None = None,
    relative_offset_1: list[float] | None = None,
    constant_offset_1: list[float] | None = None,
    offset_object_1: str | None = None,
    merge_threshold_1: float | None = None,
    merge_cap_1: bool = False,
    count_2: int | None = None,
    fit_length_2: float | None = None,
    fit_curve_2: str | None = None,
    relative_offset_2: list[float] | None = None,
    constant_offset_2: list[float] | None = None,
    offset_object_2: str | None = None,
    merge_threshold_2: float | None = None,
    merge_cap_2: bool = False,
    start_cap: str | None = None,
    end_cap: str | None = None,
    apply: bool = True,
) -> None:
    """Two stacked Array modifiers on mesh ``name``: a grid of copies.

    Each ``*_1`` / ``*_2`` argument means what the unsuffixed one of :func:`array_1d` means, for the
    first and the second array. ``start_cap`` and ``end_cap`` (object names) go on both arrays, as in
    the published API.
    """
    _add_stacked_arrays(objects.get_mesh_object(name), locals(), axes=2)
    if apply:
        objects.apply_modifiers(objects.get_mesh_object(name))


def array_3d(
    name: str,
    fit_type_1: str = "FIXED_COUNT",
    fit_type_2: str = "FIXED_COUNT",
    fit_type_3: str = "FIXED_COUNT",
    count_1: int | None = None,
    fit_length_1: float | None = None,
    fit_curve_1: str | None = None,
    relative_offset_1: list[float] | None = None,
    constant_offset_1: list[float] | None = None,
    offset_object_1: str | None = None,
    merge_threshold_1: float | None = None,
    merge_cap_1: bool = False,
    count_2: int | None = None,
    fit_length_2: float | None = None,
    fit_curve_2: str | None = None,
    relative_offset_2: list[float] | None = None,
    constant_offset_2: list[float] | None = None,
    offset_object_2: str | None = None,
    merge_threshold_2: float | None = None,
    merge_cap_2: bool = False,
    count_3: int | None = None,
    fit_length_3: float | None = None,
    fit_curve_3: str | None = None,
    relative_offset_3: list[float] | None = None,
    constant_offset_3: list[float] | None = None,
    offset_object_3: str | None = None,
    merge_threshold_3: float | None = None,
    merge_cap_3: bool = False,
    start_cap: str | None = None,
    end_cap: str | None = None,
    apply: bool = True,
) -> None:
    """Three stacked Array modifiers on mesh ``name``: a 3D block of copies.

    Each ``*_1`` / ``*_2`` / ``*_3`` argument means what the unsuffixed one of :func:`array_1d` means,
    for the first, second and third array; ``start_cap`` and ``end_cap`` go on all three.
    """
    _add_stacked_arrays(objects.get_mesh_object(name), locals(), axes=3)
    if apply:
        objects.apply_modifiers(objects.get_mesh_object(name))


def array_rotate(
    name: str,
    count: int | None = None,
    rotation_angle: float = 0,
    rotation_origin: list[float] | tuple[float, ...] = (0, 0, 0),
    z_offset: float = 0,
    rotation_axis: list[float] | None = None,
    rotation_mode: str = "XYZ",
    scale: list[float] | tuple[float, ...] = (1, 1, 1),
    fit_type: str = "FIXED_COUNT",
) -> None:
    """Radial array: ``count`` copies of mesh ``name`` turned about an axis, applied.

    Args:
        name: the mesh to repeat.
        count: number of copies in all, the original included.
        rotation_angle: turn between neighbouring copies, in units of pi (0.25 = 45 degrees).
        rotation_origin: a world point on the axis.
        z_offset: rise per copy along the axis (a helix when non-zero).
        rotation_axis: the axis direction as a rotation taking local +Z onto it: a quaternion
            ``[w, x, y, z]``, or Euler angles in units of pi in ``rotation_mode`` order. None uses the
            object's own rotation, so the axis is its local Z.
        rotation_mode: Euler order for a 3-number ``rotation_axis``.
        scale: scale factor per copy, about the point of the axis nearest the object's origin.
        fit_type: only 'FIXED_COUNT' is meaningful for a radial array.

    The object ends with its scale and rotation baked in and its origin on the axis (at the point
    nearest its former origin), as in the published API.
    """
    obj = objects.get_mesh_object(name)
    if count is None:
        raise ProgramRuntimeError("array_rotate needs count (the number of copies)")
    objects.apply_modifiers(obj)
    objects.apply_transform(obj, location=False, rotation=False, scale=True)
    if rotation_axis is None:
        axis_rotation = obj.matrix_basis.to_quaternion()
        pivot_source = obj.matrix_world.translation.copy()
    else:
        axis_rotation = _axis_rotation(rotation_axis, rotation_mode)
        pivot_source = _vertex_median(obj)
    axis = axis_rotation @ Vector((0.0, 0.0, 1.0))
    point = Vector([float(v) for v in rotation_origin])
    # The pivot is the foot of the perpendicular from the object onto the axis line; the turn does not
    # depend on which axis point is used, only the per-copy scale does.
    pivot = point + axis * (pivot_source - point).dot(axis)

    # Re-express the object in a frame sitting on the axis (origin = pivot, local Z = axis) so the
    # per-copy transform is simply "rise, turn about Z, scale" in its local space.
    frame = Matrix.LocRotScale(pivot, axis_rotation, None)
    obj.data.transform(frame.inverted() @ obj.matrix_world)
    obj.matrix_world = frame
    objects.update()

    helper = bpy.data.objects.new(f"{obj.name}_array_rotate_axis", None)
    objects.link(helper)
    step = (
        Matrix.Translation(axis * float(z_offset))
        @ frame
        @ Matrix.Rotation(float(rotation_angle) * math.pi, 4, "Z")
        @ Matrix.Diagonal(Vector([float(s) for s in _triple(scale, "scale")] + [1.0]))
    )
    helper.matrix_world = step
    try:
        _add_array(obj, fit_type, count, None, None, None, None, helper, None, False, None, None)
        objects.apply_modifiers(obj)
    finally:
        bpy.data.objects.remove(helper, do_unlink=True)
    objects.apply_transform(obj, location=False, rotation=True, scale=False)


# ------------------------------------------------------------------------------------------ helpers


_PER_AXIS = (
    "fit_type", "count", "fit_length", "fit_curve", "relative_offset", "constant_offset", "offset_object",
    "merge_threshold", "merge_cap",
)  # fmt: skip


def _add_stacked_arrays(obj: bpy.types.Object, arguments: dict, axes: int) -> None:
    """One Array modifier per axis from the ``<argument>_<axis>`` values of array_2d / array_3d."""
    for axis in range(1, axes + 1):
        per_axis = [arguments[f"{key}_{axis}"] for key in _PER_AXIS]
        _add_array(obj, *per_axis, arguments["start_cap"], arguments["end_cap"])


def _add_array(
    obj, fit_type, count, fit_length, fit_curve, relative_offset, constant_offset, offset_object,
    merge_threshold, merge_cap, start_cap, end_cap,
):  # fmt: skip
    """Add one configured Array modifier to ``obj`` (not applied)."""
    kind = str(fit_type).upper()
    if kind not in FIT_TYPES:
        raise ProgramRuntimeError(f"unknown fit_type {fit_type!r}; use one of {FIT_TYPES}")
    modifier = obj.modifiers.new("Array", "ARRAY")
    modifier.fit_type = kind
    if kind == "FIXED_COUNT":
        if count is None:
            raise ProgramRuntimeError("an array with fit_type 'FIXED_COUNT' needs count")
        n = round(float(count))
        if n < 1:
            raise ProgramRuntimeError(f"array count must be at least 1, got {count!r}")
        modifier.count = n
    elif kind == "FIT_LENGTH":
        if fit_length is None:
            raise ProgramRuntimeError("an array with fit_type 'FIT_LENGTH' needs fit_length")
        _check_fit_count(obj, modifier, float(fit_length), relative_offset, constant_offset)
        modifier.fit_length = float(fit_length)
    else:
        if fit_curve is None:
            raise ProgramRuntimeError("an array with fit_type 'FIT_CURVE' needs fit_curve")
        curve = _object_ref(fit_curve)
        length = sum(s.calc_length() for s in curve.data.splines) if curve.type == "CURVE" else 0.0
        _check_fit_count(obj, modifier, length * max(curve.scale), relative_offset, constant_offset)
        modifier.curve = curve
    # Relative offset is Blender's default; the published API turns it off unless it is given.
    modifier.use_relative_offset = relative_offset is not None
    if relative_offset is not None:
        modifier.relative_offset_displace = _triple(relative_offset, "relative_offset")
    modifier.use_constant_offset = constant_offset is not None
    if constant_offset is not None:
        modifier.constant_offset_displace = _triple(constant_offset, "constant_offset")
    if offset_object is not None:
        modifier.use_object_offset = True
        modifier.offset_object = _object_ref(offset_object)
    if merge_threshold:
        modifier.use_merge_vertices = True
        modifier.merge_threshold = float(merge_threshold)
        modifier.use_merge_vertices_cap = bool(merge_cap)
    if start_cap is not None:
        modifier.start_cap = objects.get_mesh_object(start_cap)
    if end_cap is not None:
        modifier.end_cap = objects.get_mesh_object(end_cap)
    return modifier


def _check_fit_count(obj, modifier, length: float, relative_offset, constant_offset) -> None:
    """Refuse a fitted array that would make more copies than a counted one may, before Blender makes
    them (a long ``fit_length`` over a small step would otherwise build millions of vertices).

    Blender fits ``floor(length / step) + 1`` copies, the step being the relative offset times the
    object's size so far (earlier modifiers included) plus the constant offset; one copy when that
    step does not move.
    """
    modifier.show_viewport = False  # measure the object without this modifier
    bpy.context.view_layer.update()
    size = [d / s if abs(s) > 1e-12 else 0.0 for d, s in zip(obj.dimensions, obj.scale)]
    modifier.show_viewport = True
    step = Vector((0.0, 0.0, 0.0))
    if relative_offset is not None:
        step += Vector([r * d for r, d in zip(_triple(relative_offset, "relative_offset"), size)])
    if constant_offset is not None:
        step += Vector(_triple(constant_offset, "constant_offset"))
    limit = DEFAULT_LIMITS.max_array_count
    if step.length <= 1e-6:  # Blender makes one copy when the step does not move
        return
    copies = abs(length) / step.length + 1
    if copies > limit:
        raise ProgramRuntimeError(
            f"the array would fit about {copies:,.0f} copies in a length of {length:g} (at most {limit})"
        )


def _object_ref(value) -> bpy.types.Object:
    return value if isinstance(value, bpy.types.Object) else objects.get_object(str(value))


def _triple(value, what: str) -> list[float]:
    values = objects.as_list(value)
    if len(values) != 3:
        raise ProgramRuntimeError(f"{what} needs 3 numbers, got {value!r}")
    return [float(v) for v in values]


def _axis_rotation(rotation_axis, rotation_mode) -> Quaternion:
    values = objects.as_list(rotation_axis)
    if len(values) == 4:
        return objects.quaternion(values)
    if len(values) == 3:
        return objects.rotation_matrix(values, str(rotation_mode)).to_quaternion()
    raise ProgramRuntimeError(
        f"rotation_axis must be a quaternion [w, x, y, z] or 3 Euler angles, got {rotation_axis!r}"
    )


def _vertex_median(obj: bpy.types.Object) -> Vector:
    """Mean of the object's vertices in world space (its origin when it has none)."""
    if len(obj.data.vertices) == 0:
        return obj.matrix_world.translation.copy()
    return Vector(objects.world_vertices(obj).mean(axis=0))
