"""Shared object plumbing for the catalogue functions (runs inside Blender only).

Everything here works at the data level (``bpy.data``, ``bmesh``, evaluated meshes) rather than through
operators: it is faster, needs no context or selection state, and behaves the same in background mode.
Nothing in this module is part of the program-visible catalogue (no ``__all__``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import bmesh
import bpy
from mathutils import Euler, Matrix, Quaternion, Vector


class ProgramRuntimeError(RuntimeError):
    """A program used a catalogue function in a way that cannot work (unknown object, bad argument)."""


# --------------------------------------------------------------------------------------------- lookup


def get_object(name: str) -> bpy.types.Object:
    """The object called ``name``, or a clear error naming what exists."""
    obj = bpy.data.objects.get(name)
    if obj is None:
        known = ", ".join(repr(o.name) for o in bpy.data.objects) or "none"
        raise ProgramRuntimeError(f"no object named {name!r} (objects: {known})")
    return obj


def get_mesh_object(name: str) -> bpy.types.Object:
    """The object called ``name``, converted to a mesh first if it is a curve."""
    obj = get_object(name)
    if obj.type == "CURVE":
        obj = curve_to_mesh(obj)  # the conversion makes a new object under the same name
    if obj.type != "MESH":
        raise ProgramRuntimeError(f"object {name!r} is a {obj.type}, expected a mesh")
    return obj


def get_curve_object(name: str) -> bpy.types.Object:
    """The curve object called ``name`` (sections, paths, profiles)."""
    obj = get_object(name)
    if obj.type != "CURVE":
        raise ProgramRuntimeError(f"object {name!r} is a {obj.type}, expected a curve")
    return obj


def as_list(value, n: int | None = None) -> list:
    """``value`` as a list; a scalar (or None) is repeated ``n`` times when ``n`` is given."""
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value] * (n if n is not None else 1)


def is_nested(value) -> bool:
    """True for a list of lists (the multi-object form of locations, rotations, point lists)."""
    return isinstance(value, (list, tuple)) and len(value) > 0 and isinstance(value[0], (list, tuple))


# --------------------------------------------------------------------------------- object lifecycle


def link(obj: bpy.types.Object) -> bpy.types.Object:
    """Put ``obj`` in the scene's master collection."""
    bpy.context.scene.collection.objects.link(obj)
    return obj


def remove_object(obj: bpy.types.Object) -> None:
    """Delete ``obj`` and its data block when nothing else uses it."""
    data = obj.data
    bpy.data.objects.remove(obj, do_unlink=True)
    if data is not None and data.users == 0:
        if isinstance(data, bpy.types.Mesh):
            bpy.data.meshes.remove(data)
        elif isinstance(data, bpy.types.Curve):
            bpy.data.curves.remove(data)


def replace_existing(name: str) -> None:
    """Remove an object already called ``name`` so a new one can take the name exactly."""
    old = bpy.data.objects.get(name)
    if old is not None:
        remove_object(old)


def new_mesh_object(name: str, bm: bmesh.types.BMesh | None = None) -> bpy.types.Object:
    """A new mesh object named exactly ``name`` (an older one of that name is replaced)."""
    replace_existing(name)
    mesh = bpy.data.meshes.new(name)
    if bm is not None:
        bm.to_mesh(mesh)
        bm.free()
    return link(bpy.data.objects.new(name, mesh))


def new_curve_object(name: str, curve: bpy.types.Curve) -> bpy.types.Object:
    """A new curve object named exactly ``name`` (an older one of that name is replaced)."""
    replace_existing(name)
    return link(bpy.data.objects.new(name, curve))


def set_mesh(obj: bpy.types.Object, mesh: bpy.types.Mesh) -> None:
    """Give ``obj`` new mesh data, freeing the old data when unused."""
    old = obj.data
    obj.data = mesh
    if old is not None and old is not mesh and old.users == 0:
        if isinstance(old, bpy.types.Mesh):
            bpy.data.meshes.remove(old)
        elif isinstance(old, bpy.types.Curve):
            bpy.data.curves.remove(old)


# ------------------------------------------------------------------------------------- transforms


def quaternion(rotation: Sequence[float] | None) -> Quaternion:
    """A unit quaternion from ``[w, x, y, z]``; written values are rounded, so normalise.

    ``None`` and the all-zero quaternion (a default in the published API) mean no rotation.
    """
    if rotation is None:
        return Quaternion()
    q = Quaternion([float(v) for v in rotation])
    if q.magnitude < 1e-12:
        return Quaternion()
    q.normalize()
    return q


def rotation_matrix(rotation, rotation_mode: str = "QUATERNION") -> Matrix:
    """3x3 rotation from a quaternion ``[w,x,y,z]`` or, with ``rotation_mode='XYZ'`` etc., Euler
    angles in units of pi."""
    if rotation is None:
        return Matrix.Identity(3)
    if rotation_mode.upper() == "QUATERNION":
        return quaternion(rotation).to_matrix()
    angles = [float(a) * math.pi for a in rotation]
    return Euler(angles, rotation_mode.upper()).to_matrix()


def set_transform(
    obj: bpy.types.Object,
    location=None,
    rotation=None,
    scale=None,
    rotation_mode: str = "QUATERNION",
) -> None:
    """Set location, rotation (quaternion, or Euler in units of pi) and scale on ``obj``."""
    if location is not None:
        obj.location = Vector([float(v) for v in location])
    if rotation is not None:
        if rotation_mode.upper() == "QUATERNION":
            obj.rotation_mode = "QUATERNION"
            obj.rotation_quaternion = quaternion(rotation)
        else:
            obj.rotation_mode = rotation_mode.upper()
            obj.rotation_euler = Euler([float(a) * math.pi for a in rotation], rotation_mode.upper())
    if scale is not None:
        obj.scale = Vector([float(v) for v in scale])


def update() -> None:
    """Refresh matrices and the dependency graph after data-level edits."""
    bpy.context.view_layer.update()


def apply_transform(obj: bpy.types.Object, location: bool = True, rotation: bool = True,
                    scale: bool = True) -> None:
    """Bake the chosen parts of the object transform into its mesh or curve data (like Ctrl+A)."""
    update()
    loc, rot, sca = obj.matrix_basis.decompose()
    keep_loc = Vector((0, 0, 0)) if location else loc
    keep_rot = Quaternion() if rotation else rot
    keep_sca = Vector((1, 1, 1)) if scale else sca
    keep = Matrix.LocRotScale(keep_loc, keep_rot, keep_sca)
    bake = keep.inverted_safe() @ obj.matrix_basis
    if obj.data is not None and hasattr(obj.data, "transform"):
        obj.data.transform(bake)
    obj.matrix_basis = keep
    update()


# ------------------------------------------------------------------------------ mesh conversions


def evaluated_mesh_copy(obj: bpy.types.Object) -> bpy.types.Mesh:
    """A new mesh data block with the object's modifiers (or curve geometry) evaluated in."""
    depsgraph = bpy.context.evaluated_depsgraph_get()
    return bpy.data.meshes.new_from_object(obj.evaluated_get(depsgraph), preserve_all_data_layers=False,
                                           depsgraph=depsgraph)


def apply_modifiers(obj: bpy.types.Object) -> None:
    """Bake every modifier of a mesh object into its data, then remove the modifiers."""
    if obj.type == "MESH" and len(obj.modifiers) == 0:
        return
    update()
    mesh = evaluated_mesh_copy(obj)
    obj.modifiers.clear()
    set_mesh(obj, mesh)


def curve_to_mesh(obj: bpy.types.Object) -> bpy.types.Object:
    """Turn a curve object into a mesh object of the same name and transform, in place."""
    if obj.type == "MESH":
        return obj
    update()
    mesh = evaluated_mesh_copy(obj)
    name, matrix = obj.name, obj.matrix_basis.copy()
    parent_collections = list(obj.users_collection)
    remove_object(obj)
    mesh.name = name
    new = bpy.data.objects.new(name, mesh)
    for col in parent_collections or [bpy.context.scene.collection]:
        col.objects.link(new)
    new.matrix_basis = matrix
    return new


@contextmanager
def edit_bmesh(obj: bpy.types.Object) -> Iterator[bmesh.types.BMesh]:
    """Edit a mesh object's data through bmesh (object mode, no operators); written back on exit."""
    bm = bmesh.new()
    bm.from_mesh(obj.data)
    try:
        yield bm
        bm.normal_update()
        bm.to_mesh(obj.data)
        obj.data.update()
    finally:
        bm.free()


def world_vertices(obj: bpy.types.Object):
    """Vertex positions of a mesh object in world space, as an (N, 3) numpy array."""
    import numpy as np

    mesh = obj.data
    co = np.empty(len(mesh.vertices) * 3, dtype=np.float64)
    mesh.vertices.foreach_get("co", co)
    co = co.reshape(-1, 3)
    m = np.array(obj.matrix_world, dtype=np.float64)
    return co @ m[:3, :3].T + m[:3, 3]
