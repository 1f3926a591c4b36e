"""Scene-level catalogue functions: clearing the scene, reading its geometry, and whole-object edits
(origin, normals, caps, welding, deleting, joining). Runs inside Blender only."""

from __future__ import annotations

import bmesh
import bpy
import numpy as np
from mathutils import Matrix, Vector

from meshcoder.shapes.bpy_lib import objects
from meshcoder.shapes.bpy_lib.objects import ProgramRuntimeError

__all__ = [
    "change_origin",
    "delete_all",
    "delete_obj",
    "get_faces",
    "join_obj",
    "make_caps",
    "recalculate_normals",
    "weld",
]

# Data collections emptied by delete_all once their users are gone. Objects go first (batch_remove),
# which leaves their meshes, curves and materials as orphans.
_ORPHAN_COLLECTIONS = (
    "meshes",
    "curves",
    "materials",
    "node_groups",
    "textures",
    "lights",
    "cameras",
    "lattices",
    "grease_pencils",
    "actions",
    "images",
)


def delete_all() -> None:
    """Remove every object and every orphaned data block (meshes, curves, materials, node groups...).

    Programs start with it; it works on ``bpy.data`` in one batch, so it stays fast however full the
    scene was.
    """
    doomed = list(bpy.data.objects)
    for collection_name in _ORPHAN_COLLECTIONS:
        collection = getattr(bpy.data, collection_name, None)
        if collection is None:
            continue
        # Objects are about to go: their data counts as unused if the objects are its only users.
        doomed.extend(
            block
            for block in collection
            if not block.use_fake_user and not (collection_name == "images" and block.type != "IMAGE")
        )
    if doomed:
        bpy.data.batch_remove(doomed)


def get_faces() -> tuple[np.ndarray, np.ndarray]:
    """Every MESH object in the scene, modifiers evaluated, triangulated, in world space, joined.

    Returns ``(vertices, faces)``: float64 ``(N, 3)`` and int64 ``(M, 3)`` numpy arrays. Curve objects
    are not geometry and are skipped.
    """
    depsgraph = bpy.context.evaluated_depsgraph_get()
    all_vertices, all_faces, offset = [], [], 0
    for obj in bpy.context.scene.objects:
        if obj.type == "MESH":
            vertices, faces = objects.world_triangles(obj, depsgraph)
            all_vertices.append(vertices)
            all_faces.append(faces + offset)
            offset += len(vertices)
    if not all_vertices:
        return np.zeros((0, 3)), np.zeros((0, 3), dtype=np.int64)
    return np.concatenate(all_vertices), np.concatenate(all_faces)


def change_origin(name: str, location: list[float]) -> None:
    """Move the origin of object ``name`` to the world point ``location``; the geometry stays put."""
    obj = objects.get_object(name)
    if obj.data is None or not hasattr(obj.data, "transform"):
        raise ProgramRuntimeError(f"object {name!r} ({obj.type}) has no geometry whose origin can move")
    objects.update()
    target = Vector([float(v) for v in location])
    local_target = obj.matrix_world.inverted_safe() @ target
    # Shift the data so the target point becomes the local origin, then move the object the same
    # amount the other way (in its parent-free world frame) so nothing moves visibly.
    obj.data.transform(Matrix.Translation(-local_target))
    obj.location = obj.location + (obj.matrix_world.to_3x3() @ local_target)
    objects.update()


def recalculate_normals(name: str, inside: bool = False) -> None:
    """Make the face normals of mesh ``name`` consistent, pointing outward (inward if ``inside``)."""
    obj = objects.get_mesh_object(name)
    with objects.edit_bmesh(obj) as bm:
        bmesh.ops.recalc_face_normals(bm, faces=bm.faces[:])
        if inside:
            bmesh.ops.reverse_faces(bm, faces=bm.faces[:])


def make_caps(name: str, type: str = "start") -> None:
    """Fill the open boundary loop at the start or end of a swept mesh with one n-gon.

    A sweep numbers its vertices along the path, so the start loop is the boundary loop with the
    lowest vertex indices and the end loop the one with the highest. ``type`` is 'start', 'end' or
    'both'; the cap is wound consistently with the faces around it.
    """
    kind = str(type).lower()
    if kind not in ("start", "end", "both"):
        raise ProgramRuntimeError(f"make_caps type must be 'start', 'end' or 'both', not {type!r}")
    obj = objects.get_mesh_object(name)
    with objects.edit_bmesh(obj) as bm:
        bm.verts.index_update()
        loops = objects.boundary_loops(bm)
        if not loops:
            return
        by_position = sorted(loops, key=lambda loop: sum(v.index for v in loop) / len(loop))
        chosen = {"start": [by_position[0]], "end": [by_position[-1]]}.get(kind)
        if chosen is None:
            chosen = [by_position[0]] if len(by_position) == 1 else [by_position[0], by_position[-1]]
        for loop in chosen:
            objects.fill_loop(bm, loop)


def weld(name: str, merge_threshold: float = 1e-3) -> None:
    """Merge the vertices of mesh ``name`` that lie within ``merge_threshold`` of each other."""
    obj = objects.get_mesh_object(name)
    modifier = obj.modifiers.new("Weld", "WELD")
    modifier.merge_threshold = float(merge_threshold)
    objects.apply_modifiers(obj)


def delete_obj(sub_name: str) -> None:
    """Delete every object whose name contains ``sub_name`` (helpers such as profiles and cutters)."""
    doomed = [obj for obj in bpy.data.objects if sub_name in obj.name]
    for obj in doomed:
        objects.remove_object(obj)


def join_obj(name: str, seq_name: list[str], weld_threshold: float | None = None) -> None:
    """Join the objects listed in ``seq_name`` into one mesh object called ``name``.

    Like Blender's join, the result keeps the transform of the last listed object and the others'
    geometry is carried into its local space. Modifiers are applied and curves converted first. With
    ``weld_threshold`` the joined vertices closer than it are merged.
    """
    names = list(dict.fromkeys(objects.as_list(seq_name)))  # a name listed twice joins once
    if not names:
        raise ProgramRuntimeError("join_obj needs at least one object name in seq_name")
    parts = [objects.get_mesh_object(n) for n in names]
    objects.update()
    target_matrix = parts[-1].matrix_world.copy()
    to_target = target_matrix.inverted_safe()
    bm = bmesh.new()
    for part in parts:
        mesh = objects.evaluated_mesh_copy(part)
        matrix = to_target @ part.matrix_world
        mesh.transform(matrix)
        first_new_face = len(bm.faces)
        bm.from_mesh(mesh)
        bpy.data.meshes.remove(mesh)
        if matrix.is_negative:  # a mirroring transform turns the faces inside out
            bm.faces.ensure_lookup_table()
            bmesh.ops.reverse_faces(bm, faces=bm.faces[first_new_face:])
    for part in parts:
        objects.remove_object(part)
    joined = objects.new_mesh_object(name, bm)
    joined.matrix_world = target_matrix
    objects.update()
    if weld_threshold:
        weld(name, weld_threshold)
