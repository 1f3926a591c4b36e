"""Deformers: bend, taper, twist or squeeze a mesh, lay it along a curve, widen its top. Runs in Blender.

The deformations are Blender's own modifiers, applied at once. A deform frame (``origin`` and a
``rotation`` quaternion) says where the deformation is centred and which way its axes point, in world
space, whatever the object's own transform.
"""

from __future__ import annotations

import math

import bpy
import numpy as np
from mathutils import Matrix, Vector

from meshcoder.shapes.bpy_lib import objects
from meshcoder.shapes.bpy_lib.objects import ProgramRuntimeError

__all__ = ["add_curve_modifier_to_object", "add_simple_deform_modifier", "zoom_upper_face"]

DEFORM_MODES = ("BEND", "TAPER", "TWIST", "SQUEEZE", "STRETCH")
CURVE_AXES = ("POS_X", "POS_Y", "POS_Z", "NEG_X", "NEG_Y", "NEG_Z")


def add_simple_deform_modifier(
    name: str,
    mode: str = "BEND",
    angle: float = 0.0,
    origin: list[float] = [0, 0, 0],  # noqa: B006 (literal default: catalogue contract)
    rotation: list[float] = [1, 0, 0, 0],  # noqa: B006 (literal default: catalogue contract)
    axis: str = "Z",
):
    """Deform mesh ``name`` with Blender's Simple Deform (applied) in the frame ``origin``/``rotation``.

    ``mode`` 'BEND' or 'TWIST': ``angle`` is the total bend or twist in units of pi (0.5 = 90
    degrees) across the object's extent; BEND bends around ``axis`` through the frame origin as
    Blender does: with ``axis='Z'`` the frame's X direction curls (towards +Y), with 'X' or 'Y' the
    frame's Z direction curls (towards +Y and +X respectively). TWIST turns about ``axis``.
    'TAPER' and 'SQUEEZE': ``angle`` is the factor (0 changes nothing). The frame is world-space:
    ``origin`` ``[x, y, z]`` and ``rotation`` a quaternion ``[w, x, y, z]``.
    """
    mode = str(mode).upper()
    axis = str(axis).upper()
    if mode not in DEFORM_MODES:
        raise ProgramRuntimeError(
            f"add_simple_deform_modifier: mode must be one of {DEFORM_MODES}, got {mode!r}"
        )
    if axis not in ("X", "Y", "Z"):
        raise ProgramRuntimeError(f"add_simple_deform_modifier: axis must be 'X', 'Y' or 'Z', got {axis!r}")
    obj = objects.get_mesh_object(name)
    frame = _frame_empty(origin, rotation)
    try:
        mod = obj.modifiers.new("SimpleDeform", "SIMPLE_DEFORM")
        mod.deform_method = mode
        mod.deform_axis = axis
        if mode in ("BEND", "TWIST"):
            mod.angle = float(angle) * math.pi
        else:
            mod.factor = float(angle)
        mod.origin = frame
        objects.apply_modifiers(obj)
    finally:
        objects.remove_object(frame)
    objects.update()
    return obj


def add_curve_modifier_to_object(
    name: str,
    curve_name: str,
    origin: list[float] = [0, 0, 0],  # noqa: B006 (literal default: catalogue contract)
    rotation: list[float] = [1, 0, 0, 0],  # noqa: B006 (literal default: catalogue contract)
    axis: str = "POS_X",
):
    """Lay mesh ``name`` along the curve ``curve_name`` (Blender's Curve modifier, applied); the curve
    is then deleted.

    The mesh is measured in the deform frame (``origin``, quaternion ``rotation``, world space): its
    coordinate along ``axis`` ('POS_X', 'POS_Y', 'POS_Z', 'NEG_X', ...) becomes the distance along
    the curve from its first point, and the other two coordinates become offsets across the curve.
    So a part modelled straight up the frame's axis from the frame origin follows the curve from its
    start; past the curve's end it runs on straight. The object keeps its transform.
    """
    axis = str(axis).upper()
    if axis not in CURVE_AXES:
        raise ProgramRuntimeError(
            f"add_curve_modifier_to_object: axis must be one of {CURVE_AXES}, got {axis!r}"
        )
    obj = objects.get_mesh_object(name)
    curve = objects.get_curve_object(curve_name)
    objects.update()
    own = obj.matrix_world.copy()
    to_frame = _frame_matrix(origin, rotation).inverted_safe()
    # The modifier reads the mesh in curve space: put the frame coordinates there.
    obj.data.transform(to_frame @ own)
    obj.matrix_world = curve.matrix_world.copy()
    mod = obj.modifiers.new("Curve", "CURVE")
    mod.object = curve
    mod.deform_axis = axis
    objects.apply_modifiers(obj)
    obj.data.transform(own.inverted_safe() @ curve.matrix_world)
    obj.matrix_world = own
    objects.remove_object(curve)
    objects.update()
    return obj


def zoom_upper_face(name: str, factor: float = 1.0):
    """Scale the upper faces of mesh ``name`` by ``factor`` about their centroid, in local space.

    The upper faces are those whose centre has local z > 0; their vertices, together, are scaled
    about the mean of those vertices (a top cap grows or shrinks like Blender's S key with the
    median pivot). ``factor`` is a number or ``[fx, fy, fz]``.
    """
    obj = objects.get_mesh_object(name)
    scale = np.array(objects.as_list(factor, 3), dtype=np.float64)
    if scale.shape != (3,):
        raise ProgramRuntimeError(f"zoom_upper_face: factor must be a number or [fx, fy, fz], got {factor!r}")
    with objects.edit_bmesh(obj) as bm:
        upper = {v for f in bm.faces if f.calc_center_median().z > 0 for v in f.verts}
        if not upper:
            return obj
        centre = sum((v.co for v in upper), Vector()) / len(upper)
        for v in upper:
            v.co = centre + Vector(np.array(v.co - centre) * scale)
    objects.update()
    return obj


# ------------------------------------------------------------------------------------- internals


def _frame_matrix(origin, rotation) -> Matrix:
    """World matrix of the deform frame; a list of origins (a written-out history) means its last."""
    if objects.is_nested(origin):
        origin = origin[-1]
    location = Vector([float(v) for v in (origin if origin is not None else (0, 0, 0))])
    return Matrix.LocRotScale(location, objects.quaternion(rotation), None)


def _frame_empty(origin, rotation) -> bpy.types.Object:
    """A temporary empty at the deform frame (a modifier's origin object)."""
    empty = objects.link(bpy.data.objects.new("_deform_frame", None))
    empty.matrix_world = _frame_matrix(origin, rotation)
    objects.update()
    return empty
