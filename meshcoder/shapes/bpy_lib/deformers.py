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

    As the original API does (spec 3b, item 9), the path is a poly line through the curve's evaluated
    points (world space), expressed in the deform frame (``origin`` subtracted, the inverse of the
    quaternion ``rotation`` applied), on a curve object placed at that frame. So the mesh is read in
    frame coordinates: its coordinate along ``axis`` ('POS_X', 'POS_Y', 'POS_Z', 'NEG_X', ...) is
    the distance along the path from its first point, and the other two are offsets across it, kept
    in the frame's axes where the path leaves in the axis direction. A part modelled straight along
    the frame's axis from the frame origin follows the path from its start; past the path's end it
    runs on straight. The object keeps its transform.
    """
    axis = str(axis).upper()
    if axis not in CURVE_AXES:
        raise ProgramRuntimeError(
            f"add_curve_modifier_to_object: axis must be one of {CURVE_AXES}, got {axis!r}"
        )
    obj = objects.get_mesh_object(name)
    curve = objects.get_curve_object(curve_name)
    path = _frame_poly_path(curve, _frame_matrix(origin, rotation))
    try:
        # The modifier reads the mesh in the path object's space, i.e. in frame coordinates.
        mod = obj.modifiers.new("Curve", "CURVE")
        mod.object = path
        mod.deform_axis = axis
        objects.apply_modifiers(obj)
    finally:
        objects.remove_object(path)
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


def _frame_poly_path(curve: bpy.types.Object, frame: Matrix) -> bpy.types.Object:
    """A temporary curve object at ``frame`` whose poly splines run through ``curve``'s evaluated points
    (world space), written in frame coordinates; one spline per spline of ``curve``."""
    to_frame = np.array(frame.inverted_safe(), dtype=np.float64)
    data = bpy.data.curves.new("_deform_path", "CURVE")
    data.dimensions = "3D"
    for points, cyclic in objects.curve_polylines(curve, world=True):
        local = points @ to_frame[:3, :3].T + to_frame[:3, 3]
        spline = data.splines.new("POLY")
        spline.points.add(len(local) - 1)
        spline.points.foreach_set("co", np.hstack([local, np.ones((len(local), 1))]).ravel().tolist())
        spline.use_cyclic_u = cyclic
    if not data.splines:
        bpy.data.curves.remove(data)
        raise ProgramRuntimeError(f"curve {curve.name!r} has no points to lay a mesh along")
    path = objects.link(bpy.data.objects.new("_deform_path", data))
    path.matrix_world = frame
    objects.update()
    return path


def _frame_empty(origin, rotation) -> bpy.types.Object:
    """A temporary empty at the deform frame (a modifier's origin object)."""
    empty = objects.link(bpy.data.objects.new("_deform_frame", None))
    empty.matrix_world = _frame_matrix(origin, rotation)
    objects.update()
    return empty
