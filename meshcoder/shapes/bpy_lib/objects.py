"""Shared object plumbing for the catalogue functions (runs inside Blender only).

Everything here works at the data level (``bpy.data``, ``bmesh``, evaluated meshes) rather than through
operators: it is faster, needs no context or selection state, and behaves the same in background mode.
Nothing in this module is part of the program-visible catalogue (no ``__all__``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress

import bmesh
import bpy
import numpy as np
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

    ``None`` means no rotation. The all-zero quaternion (the published API's default for lathes,
    spirals and cutlery) becomes what Blender itself makes of it when it normalises: ``[0, 1, 0, 0]``,
    a half turn about X. Programs made with that API were executed by Blender, so this keeps their
    geometry (a lathe with the default rotation opens towards -Z).
    """
    if rotation is None:
        return Quaternion()
    q = Quaternion([float(v) for v in rotation])
    if q.magnitude < 1e-12:
        return Quaternion((0.0, 1.0, 0.0, 0.0))
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


def apply_transform(
    obj: bpy.types.Object, location: bool = True, rotation: bool = True, scale: bool = True
) -> None:
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
    return bpy.data.meshes.new_from_object(
        obj.evaluated_get(depsgraph), preserve_all_data_layers=False, depsgraph=depsgraph
    )


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
    return replace_with_data(obj, evaluated_mesh_copy(obj))


def replace_with_data(obj: bpy.types.Object, data) -> bpy.types.Object:
    """A new object of ``obj``'s name, transform and collections holding ``data``; ``obj`` is removed.

    An object cannot change between mesh and curve types in place, so conversions go through this.
    """
    name, matrix = obj.name, obj.matrix_basis.copy()
    collections = list(obj.users_collection)
    remove_object(obj)
    data.name = name
    new = bpy.data.objects.new(name, data)
    for col in collections or [bpy.context.scene.collection]:
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


# ------------------------------------------------------------------------------- curves as chains


def _edge_chains(n_verts: int, edges) -> list[tuple[list[int], bool]]:
    """Split a wire graph into ordered vertex chains: ``(indices, cyclic)`` per connected piece.

    Open chains start at their lowest-numbered end and cycles at their lowest vertex, walking towards
    the higher-numbered neighbour, so a curve's evaluated vertex order (its direction) is kept.
    """
    neighbours: list[list[int]] = [[] for _ in range(n_verts)]
    for a, b in edges:
        if a != b:
            neighbours[a].append(b)
            neighbours[b].append(a)
    seen = [False] * n_verts
    chains = []

    def walk(start: int, first: int | None) -> list[int]:
        chain, prev, cur = [start], None, start
        seen[start] = True
        nxt = first
        while nxt is not None and not seen[nxt]:
            chain.append(nxt)
            seen[nxt] = True
            prev, cur = cur, nxt
            nxt = next((n for n in neighbours[cur] if n != prev and not seen[n]), None)
        return chain

    for v in range(n_verts):  # open chains first, from their ends
        if not seen[v] and len(neighbours[v]) == 1:
            chains.append((walk(v, neighbours[v][0]), False))
    for v in range(n_verts):  # what is left is cycles (or isolated points)
        if not seen[v] and neighbours[v]:
            first = min(neighbours[v], key=lambda n: (n < v, n))
            chains.append((walk(v, first), True))
    return chains


def curve_polylines(obj: bpy.types.Object, world: bool = False) -> list[tuple[np.ndarray, bool]]:
    """The evaluated centre line of a curve object (or the edge chains of a wire mesh), in order.

    Returns one ``(points (N, 3), cyclic)`` per spline or chain, in the object's local space (as a
    bevel profile is read) or, with ``world=True``, in world space (as sections are bridged). Bevel,
    extrusion and fill of the curve are ignored: only its centre line counts.
    """
    if obj.type == "CURVE":
        update()
        mesh = evaluated_mesh_copy(obj)
        if len(mesh.polygons):  # bevelled or filled: read a bare copy of the centre line instead
            bpy.data.meshes.remove(mesh)
            data = obj.data.copy()
            data.bevel_mode, data.bevel_depth, data.extrude, data.bevel_object = "ROUND", 0.0, 0.0, None
            data.taper_object, data.offset = None, 0.0
            data.fill_mode = "NONE" if data.dimensions == "2D" else "FULL"
            bare = link(bpy.data.objects.new("_centre_line", data))
            bare.matrix_world = obj.matrix_world
            try:
                update()
                mesh = evaluated_mesh_copy(bare)
            finally:
                remove_object(bare)
    elif obj.type == "MESH":
        mesh = obj.data.copy()
    else:
        raise ProgramRuntimeError(f"object {obj.name!r} is a {obj.type}, expected a curve or a mesh")
    try:
        co = np.empty(len(mesh.vertices) * 3, dtype=np.float64)
        mesh.vertices.foreach_get("co", co)
        co = co.reshape(-1, 3)
        edges = np.empty(len(mesh.edges) * 2, dtype=np.int64)
        mesh.edges.foreach_get("vertices", edges)
        edges = edges.reshape(-1, 2)
    finally:
        bpy.data.meshes.remove(mesh)
    if world:
        m = np.array(obj.matrix_world, dtype=np.float64)
        co = co @ m[:3, :3].T + m[:3, 3]
    chains = _edge_chains(len(co), edges.tolist())
    return [(co[idx], cyclic) for idx, cyclic in chains if len(idx) > 1]


# ---------------------------------------------------------------------------------- mesh helpers


def solidify_mesh(obj: bpy.types.Object, thickness: float, offset: float = -1.0) -> None:
    """Give the surface of mesh ``obj`` a thickness (Blender's Solidify, applied), in local space.

    ``offset`` -1 grows the shell against the face normals, +1 along them, 0 centred.
    """
    mod = obj.modifiers.new("Solidify", "SOLIDIFY")
    mod.thickness = float(thickness)
    mod.offset = float(offset)
    apply_modifiers(obj)


# ------------------------------------------------------------------------- whole-mesh edits (bmesh)


def weld_mesh(obj: bpy.types.Object, distance: float = 1e-5) -> None:
    """Merge the vertices of mesh ``obj`` closer than ``distance`` (local units), like a Weld modifier."""
    with edit_bmesh(obj) as bm:
        bmesh.ops.remove_doubles(bm, verts=bm.verts[:], dist=float(distance))


def recalc_normals(obj: bpy.types.Object, inside: bool = False) -> None:
    """Make the face normals of mesh ``obj`` consistent and outward (inward with ``inside``)."""
    with edit_bmesh(obj) as bm:
        bmesh.ops.recalc_face_normals(bm, faces=bm.faces[:])
        if inside:
            bmesh.ops.reverse_faces(bm, faces=bm.faces[:])


def bake_rotation_scale(obj: bpy.types.Object) -> None:
    """Bake rotation and scale into the object's data (as solidify does first); a mirroring scale
    would turn a mesh inside out, so its faces are reversed back."""
    mirrored = obj.matrix_basis.is_negative
    apply_transform(obj, location=False, rotation=True, scale=True)
    if mirrored and obj.type == "MESH":
        with edit_bmesh(obj) as bm:
            bmesh.ops.reverse_faces(bm, faces=bm.faces[:])


def boundary_loops(bm: bmesh.types.BMesh) -> list[list[bmesh.types.BMVert]]:
    """The closed chains of boundary edges (edges with one face) of ``bm``, as ordered vertex lists."""
    neighbours: dict = {}
    for edge in bm.edges:
        if len(edge.link_faces) == 1:
            a, b = edge.verts
            neighbours.setdefault(a, []).append(b)
            neighbours.setdefault(b, []).append(a)
    loops, seen = [], set()
    for start in neighbours:
        if start in seen:
            continue
        loop, prev, current = [start], None, start
        seen.add(start)
        while True:
            nxt = next((v for v in neighbours[current] if v is not prev and v not in seen), None)
            if nxt is None:
                break
            loop.append(nxt)
            seen.add(nxt)
            prev, current = current, nxt
        if len(loop) >= 3 and start in neighbours[current]:
            loops.append(loop)
    return loops


def fill_loop(bm: bmesh.types.BMesh, loop: list[bmesh.types.BMVert]) -> None:
    """Close boundary ``loop`` with one n-gon wound consistently with the face beside it."""
    edge = bm.edges.get((loop[0], loop[1]))
    beside = next(iter(edge.link_loops), None) if edge is not None else None
    # The neighbouring face runs the shared edge one way; a consistent cap runs it the other way.
    if beside is not None and beside.vert is loop[0]:
        loop = list(reversed(loop))
    with suppress(ValueError):  # that face exists already
        bm.faces.new(loop)


# ----------------------------------------------------------------------------------------- origins


def _mesh_points(obj: bpy.types.Object):
    """Local vertex positions of a mesh, or control points (Bezier handles included) of a curve."""
    if obj.type == "MESH":
        return [v.co.copy() for v in obj.data.vertices]
    if obj.type == "CURVE":
        points = []
        for spline in obj.data.splines:
            if spline.type == "BEZIER":
                for p in spline.bezier_points:
                    points.extend((p.handle_left.copy(), p.co.copy(), p.handle_right.copy()))
            else:
                points.extend(Vector(p.co[:3]) for p in spline.points)
        return points
    raise ProgramRuntimeError(f"object {obj.name!r} is a {obj.type}; it has no points")


def median_point(obj: bpy.types.Object) -> Vector:
    """Blender's 'median' centre in local space: mean vertex, or mean of curve points and handles."""
    points = _mesh_points(obj)
    if not points:
        return Vector((0.0, 0.0, 0.0))
    return sum(points, Vector((0.0, 0.0, 0.0))) / len(points)


def bounds_center(obj: bpy.types.Object) -> Vector:
    """Centre of the local axis-aligned bounding box of the vertices (curve points and handles)."""
    points = _mesh_points(obj)
    if not points:
        return Vector((0.0, 0.0, 0.0))
    lo = Vector([min(p[i] for p in points) for i in range(3)])
    hi = Vector([max(p[i] for p in points) for i in range(3)])
    return (lo + hi) / 2


def center_of_volume(obj: bpy.types.Object) -> Vector:
    """Blender's centre of volume of mesh ``obj`` in local space (origin_set CENTER_OF_VOLUME).

    Signed tetrahedra from the vertex median to each face fan, weighted by volume; the median itself
    when the mesh encloses no volume.
    """
    mesh = obj.data
    median = median_point(obj)
    total, weighted = 0.0, Vector((0.0, 0.0, 0.0))
    co = [v.co - median for v in mesh.vertices]
    for poly in mesh.polygons:
        ids = poly.vertices
        pivot = co[ids[0]]
        for k in range(1, len(ids) - 1):
            a, b = co[ids[k]], co[ids[k + 1]]
            volume = pivot.dot(a.cross(b))
            total += volume
            weighted += volume * (pivot + a + b)
    if abs(total) < 1e-30:
        return median
    centre = weighted * (0.25 / total)
    if not all(math.isfinite(c) for c in centre):
        return median
    return centre + median


def set_origin(obj: bpy.types.Object, point: Vector) -> None:
    """Move the origin of ``obj`` to ``point`` (given in its local space); the geometry stays put."""
    point = Vector(point)
    if point.length == 0.0:
        return
    obj.data.transform(Matrix.Translation(-point))
    obj.matrix_basis = obj.matrix_basis @ Matrix.Translation(point)
    update()


def place_origin(obj: bpy.types.Object, center: str | None) -> None:
    """Put the origin of ``obj`` where a ``center`` argument says: 'MEDIAN' (mean of the points),
    'BOUNDS' (bounding-box centre), 'VOLUME' (centre of volume, meshes) or 'POINT' (left where it is:
    the frame the points were given in)."""
    mode = str(center or "POINT").upper()
    if mode == "POINT":
        return
    if mode == "MEDIAN":
        set_origin(obj, median_point(obj))
    elif mode == "BOUNDS":
        set_origin(obj, bounds_center(obj))
    elif mode == "VOLUME" and obj.type == "MESH":
        set_origin(obj, center_of_volume(obj))
    else:
        raise ProgramRuntimeError(f"unknown center {center!r}; use 'POINT', 'MEDIAN' or 'BOUNDS'")


# ------------------------------------------------------------------------------------- wire meshes


def wire_to_curve(obj: bpy.types.Object) -> bpy.types.Object:
    """Turn a mesh object's loose edges into poly splines (one per edge chain, loops cyclic), in place,
    like Blender's mesh-to-curve conversion. Name and transform are kept; a curve is returned as is."""
    if obj.type == "CURVE":
        return obj
    mesh = obj.data
    face_edges = {key for poly in mesh.polygons for key in poly.edge_keys}
    loose = [tuple(e.vertices) for e in mesh.edges if tuple(sorted(e.vertices)) not in face_edges]
    curve = bpy.data.curves.new(obj.name, "CURVE")
    curve.dimensions = "3D"
    for chain, cyclic in _edge_chains(len(mesh.vertices), loose):
        if len(chain) < 2:
            continue
        spline = curve.splines.new("POLY")
        spline.points.add(len(chain) - 1)
        for point, index in zip(spline.points, chain):
            point.co = (*mesh.vertices[index].co, 1.0)
        spline.use_cyclic_u = cyclic
    return replace_with_data(obj, curve)


def world_triangles(obj: bpy.types.Object, depsgraph=None):
    """``(vertices, faces)`` of a mesh object with its modifiers evaluated, triangulated, in world space.

    float64 ``(N, 3)`` and int64 ``(M, 3)`` numpy arrays, read with ``foreach_get`` (no Python loops).
    """
    import numpy as np

    depsgraph = depsgraph or bpy.context.evaluated_depsgraph_get()
    evaluated = obj.evaluated_get(depsgraph)
    mesh = evaluated.to_mesh()
    try:
        mesh.calc_loop_triangles()
        co = np.empty(len(mesh.vertices) * 3, dtype=np.float64)
        mesh.vertices.foreach_get("co", co)
        tris = np.empty(len(mesh.loop_triangles) * 3, dtype=np.int64)
        mesh.loop_triangles.foreach_get("vertices", tris)
        m = np.array(evaluated.matrix_world, dtype=np.float64)
        return co.reshape(-1, 3) @ m[:3, :3].T + m[:3, 3], tris.reshape(-1, 3)
    finally:
        evaluated.to_mesh_clear()
