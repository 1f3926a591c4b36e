"""Panels: a closed outline curve turned into a filled surface (seats, boards, lids). Runs in Blender.

Both functions keep the outline object's name and transform and replace its curve with a mesh:
:func:`fill_grid` with Blender's Grid Fill (a quad grid whose rows follow four sides of the outline,
with the corners and winding Blender's operator gives), :func:`curve2meshgrid` with a regular square
grid clipped to the outline (any outline, concave ones included). Either may then be solidified.
"""

from __future__ import annotations

import contextlib
import math

import bmesh
import bpy
import numpy as np
from mathutils import Vector

from meshcoder.shapes.bpy_lib import objects
from meshcoder.shapes.bpy_lib.objects import ProgramRuntimeError

__all__ = ["curve2meshgrid", "fill_grid"]

# Outline points closer than this are one point (like the weld after converting the curve).
_WELD = 1e-4


def fill_grid(name: str, thickness: float | None = None, use_interp_simple: bool = True):
    """Fill the closed outline ``name`` (a curve or a wire loop) with a grid of quads, in place.

    As the published library did: the outline is converted to a mesh, welded at 1e-4 (an outline
    whose first and last points meet is closed), and Blender's Grid Fill spans it
    (``use_interp_simple``: plain interpolation of the sides, else one that keeps the surface's
    curvature). Grid Fill cuts the loop into four sides at corners it picks itself: the first at the
    sharpest vertex, the second at the first of the four sharpest vertices in the first half of the
    loop after it (a quarter of the loop on when there is none), the other two opposite those. The
    faces keep Grid Fill's winding. An outline that is not one closed loop of an even number of
    vertices is left unfilled (Grid Fill needs opposite sides of equal length), as is one Grid Fill
    refuses. A ``thickness`` solidifies the panel against its face normals, after the object's
    rotation and scale are applied (as :func:`solidify` does).
    """
    obj = objects.get_object(name)
    bm = _welded_outline(obj)
    loop = _edge_loop(bm)
    if loop is not None and len(loop) % 2 == 0:
        sides = _grid_sides(loop)
        with contextlib.suppress(RuntimeError):  # Blender's operator cancels: nothing is filled
            bmesh.ops.grid_fill(bm, edges=sides, use_interp_simple=bool(use_interp_simple))
    return _finish(obj, bm, thickness)


def curve2meshgrid(name: str, resolution: int = 32, thickness: float | None = None):
    """Fill the closed outline ``name`` with a regular grid of square cells clipped to it, in place.

    The outline's best-fit plane is cut by two families of parallel lines, ``resolution`` cells
    along the longer side of its bounding box: inner cells are squares, cells on the border follow
    the outline exactly, so any simple outline works, concave ones included. Faces face the side
    from which the outline runs counter-clockwise. A ``thickness`` solidifies the panel as in
    :func:`fill_grid`. Use it where a panel will be bent or deformed and needs even density.
    """
    cells = int(resolution)
    if cells < 1:
        raise ProgramRuntimeError(f"curve2meshgrid: resolution must be at least 1, got {resolution}")
    obj, points = _outline(name)
    n = len(points)
    bm = bmesh.new()
    verts = [bm.verts.new(p) for p in points]
    edges = [bm.edges.new((verts[i], verts[(i + 1) % n])) for i in range(n)]
    bmesh.ops.contextual_create(bm, geom=edges)
    if not bm.faces:
        bm.free()
        raise ProgramRuntimeError(f"curve2meshgrid: outline {name!r} does not enclose an area")

    centre, normal = points.mean(axis=0), _newell_normal(points)
    u = np.cross(normal, [1.0, 0.0, 0.0] if abs(normal[0]) < 0.9 else [0.0, 1.0, 0.0])
    u /= np.linalg.norm(u)
    v = np.cross(normal, u)
    step = max(np.ptp((points - centre) @ u), np.ptp((points - centre) @ v)) / cells
    for axis in (u, v):
        coords = (points - centre) @ axis
        lo, hi = coords.min(), coords.max()
        for k in range(1, math.ceil((hi - lo) / step - 1e-9)):
            geom = bm.verts[:] + bm.edges[:] + bm.faces[:]
            bmesh.ops.bisect_plane(
                bm, geom=geom, plane_co=Vector(centre + (lo + k * step) * axis), plane_no=Vector(axis)
            )
    # Cut lines that run along the outline or through its corners leave doubles and slivers.
    tol = 1e-6 * max(step * cells, 1e-9)
    bmesh.ops.remove_doubles(bm, verts=bm.verts[:], dist=tol)
    bmesh.ops.dissolve_degenerate(bm, edges=bm.edges[:], dist=tol)
    _orient_like_outline(bm, points)
    return _finish(obj, bm, thickness)


# ------------------------------------------------------------------------------------- internals


def _outline(name: str) -> tuple[bpy.types.Object, np.ndarray]:
    """The object and its outline as an (N, 3) array of distinct points in local space."""
    obj = objects.get_object(name)
    chains = objects.curve_polylines(obj)
    if len(chains) != 1:
        raise ProgramRuntimeError(f"object {name!r} must be one closed outline, found {len(chains)} pieces")
    points, _ = chains[0]
    keep = [points[0]]
    for p in points[1:]:
        if np.linalg.norm(p - keep[-1]) > _WELD:
            keep.append(p)
    if len(keep) > 2 and np.linalg.norm(keep[-1] - keep[0]) <= _WELD:
        keep.pop()  # first and last points meet: the outline is closed
    if len(keep) < 3:
        raise ProgramRuntimeError(f"object {name!r} has fewer than 3 distinct points to fill")
    return obj, np.array(keep)


def _turning_angles(points: np.ndarray) -> np.ndarray:
    """How sharply the closed outline turns at each point (radians, 0 = straight on).

    Measured from the chord between the unit directions in and out, as Blender measures angles:
    unlike an arc cosine it stays exact for the nearly straight points that decide ties.
    """
    incoming = points - np.roll(points, 1, axis=0)
    outgoing = np.roll(points, -1, axis=0) - points
    incoming /= np.maximum(np.linalg.norm(incoming, axis=1, keepdims=True), 1e-30)
    outgoing /= np.maximum(np.linalg.norm(outgoing, axis=1, keepdims=True), 1e-30)
    apart = np.linalg.norm(incoming - outgoing, axis=1) / 2
    opposite = np.linalg.norm(incoming + outgoing, axis=1) / 2
    forward = np.einsum("ij,ij->i", incoming, outgoing) >= 0
    return np.where(
        forward, 2 * np.arcsin(np.clip(apart, 0, 1)), np.pi - 2 * np.arcsin(np.clip(opposite, 0, 1))
    )


def _welded_outline(obj: bpy.types.Object) -> bmesh.types.BMesh:
    """The outline as the converted curve's mesh (vertices and edges in Blender's order), welded."""
    chains = objects.curve_polylines(obj)
    if len(chains) != 1:
        raise ProgramRuntimeError(
            f"object {obj.name!r} must be one closed outline, found {len(chains)} pieces"
        )
    points, cyclic = chains[0]
    bm = bmesh.new()
    verts = [bm.verts.new(p) for p in points]
    for a, b in zip(verts, verts[1:] + (verts[:1] if cyclic else [])):
        bm.edges.new((a, b))
    bmesh.ops.remove_doubles(bm, verts=bm.verts[:], dist=_WELD)
    return bm


def _edge_loop(bm: bmesh.types.BMesh) -> list[bmesh.types.BMVert] | None:
    """The mesh's vertices in the order Blender's edge-loop search lists a closed loop, or None when
    the mesh is not one closed loop.

    The search starts at the first vertex of the first edge and runs away from that edge's second
    vertex, so a converted curve's loop runs against the curve's direction.
    """
    if not bm.edges or any(len(v.link_edges) != 2 for v in bm.verts):
        return None
    bm.edges.ensure_lookup_table()
    first, previous = bm.edges[0].verts
    loop = [first]
    while True:
        step = next(e for e in loop[-1].link_edges if e.other_vert(loop[-1]) is not previous)
        previous, vert = loop[-1], step.other_vert(loop[-1])
        if vert is first:
            break
        loop.append(vert)
    return loop if len(loop) == len(bm.verts) else None


def _grid_sides(loop: list[bmesh.types.BMVert]) -> list[bmesh.types.BMEdge]:
    """The two opposite sides Grid Fill spans on a closed loop of even length, as its operator picks
    them: the loop starts at its sharpest vertex (the earliest on ties); ``span`` is the position of
    the first of the four sharpest vertices within the loop's first half (a quarter of the loop when
    there is none); the runs of ``span`` edges from the start and from the opposite vertex become the
    rails and the two runs between them the sides.
    """
    n = len(loop)
    points = np.array([v.co for v in loop], dtype=np.float64)
    # Equal angles up to rounding are ties, so symmetric outlines do not depend on float noise.
    sharpness = np.round(_turning_angles(points), 9)
    start = int(np.argmax(sharpness))  # argmax keeps the earliest of equal values
    loop, sharpness = loop[start:] + loop[:start], np.roll(sharpness, -start)
    corners = set(np.argsort(-sharpness, kind="stable")[:4].tolist())
    span = next((i for i in range(1, n // 2) if i in corners), n // 4)
    edges = [
        v.link_edges[0] if v.link_edges[0].other_vert(v) is w else v.link_edges[1]
        for v, w in zip(loop, loop[1:] + loop[:1])
    ]
    return edges[span : n // 2] + edges[n // 2 + span :]


def _newell_normal(points: np.ndarray) -> np.ndarray:
    """Unit normal of a closed polygon by Newell's method (counter-clockwise seen from its tip)."""
    nxt = np.roll(points, -1, axis=0)
    normal = np.array(
        [
            np.sum((points[:, 1] - nxt[:, 1]) * (points[:, 2] + nxt[:, 2])),
            np.sum((points[:, 2] - nxt[:, 2]) * (points[:, 0] + nxt[:, 0])),
            np.sum((points[:, 0] - nxt[:, 0]) * (points[:, 1] + nxt[:, 1])),
        ]
    )
    length = np.linalg.norm(normal)
    return normal / length if length > 1e-12 else np.array([0.0, 0.0, 1.0])


def _orient_like_outline(bm: bmesh.types.BMesh, points: np.ndarray) -> None:
    """Make the faces consistent and facing the side the outline runs counter-clockwise from."""
    faces = bm.faces[:]
    if not faces:
        return
    bmesh.ops.recalc_face_normals(bm, faces=faces)
    bm.normal_update()
    normal = Vector(_newell_normal(points))
    if sum(f.normal.dot(normal) * f.calc_area() for f in faces) < 0:
        bmesh.ops.reverse_faces(bm, faces=faces)
    bm.normal_update()


def _finish(obj: bpy.types.Object, bm: bmesh.types.BMesh, thickness) -> bpy.types.Object:
    """Put the filled mesh in place of the outline (same name and transform), then solidify."""
    name, matrix = obj.name, obj.matrix_basis.copy()
    objects.remove_object(obj)
    panel = objects.new_mesh_object(name, bm)
    panel.matrix_basis = matrix
    if thickness is not None and abs(float(thickness)) > 1e-10:
        objects.apply_transform(panel, location=False, rotation=True, scale=True)
        objects.solidify_mesh(panel, float(thickness))
    objects.update()
    return panel
