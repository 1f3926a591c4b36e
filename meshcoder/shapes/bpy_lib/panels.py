"""Panels: a closed outline curve turned into a filled surface (seats, boards, lids). Runs in Blender.

Both functions keep the outline object's name and transform and replace its curve with a mesh:
:func:`fill_grid` with Blender's Grid Fill (a quad grid whose rows follow the outline's four sides),
:func:`curve2meshgrid` with a regular square grid clipped to the outline (any outline, concave ones
included). Either may then be solidified.
"""

from __future__ import annotations

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

    The outline is split into four sides at its four sharpest corners, with opposite sides of
    equal vertex counts (an outline with an odd count gets one more vertex), and Blender's Grid
    Fill spans them (``use_interp_simple``: plain interpolation of the sides, else one that keeps
    the surface's curvature). An outline whose first and last points meet counts as closed; an
    open one is closed by a straight edge. Face normals follow the outline's direction (counter-
    clockwise seen from the front). A ``thickness`` solidifies the panel behind its front, after
    the object's rotation and scale are applied (as :func:`solidify` does).
    """
    obj, points = _outline(name)
    n = len(points)
    if n % 2:  # a grid needs opposite sides of equal length: split the longest edge
        lengths = np.linalg.norm(np.roll(points, -1, axis=0) - points, axis=1)
        i = int(np.argmax(lengths))
        points = np.insert(points, i + 1, (points[i] + points[(i + 1) % n]) / 2, axis=0)
        n += 1

    bm = bmesh.new()
    verts = [bm.verts.new(p) for p in points]
    edges = [bm.edges.new((verts[i], verts[(i + 1) % n])) for i in range(n)]
    filled = False
    if n >= 4:
        start, span = _grid_corners(points)
        side_a = [edges[(start + k) % n] for k in range(span)]
        side_c = [edges[(start + n // 2 + k) % n] for k in range(span)]
        try:
            out = bmesh.ops.grid_fill(bm, edges=side_a + side_c, use_interp_simple=bool(use_interp_simple))
            filled = len(out["faces"]) > 0
        except RuntimeError:
            filled = False
    if not filled:  # degenerate grid (a triangle, a two-point outline): one n-gon instead
        bmesh.ops.contextual_create(bm, geom=edges)
    _orient_like_outline(bm, points)
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
    """How sharply the closed outline turns at each point (radians, 0 = straight on)."""
    incoming = points - np.roll(points, 1, axis=0)
    outgoing = np.roll(points, -1, axis=0) - points
    cos = np.einsum("ij,ij->i", incoming, outgoing) / np.maximum(
        np.linalg.norm(incoming, axis=1) * np.linalg.norm(outgoing, axis=1), 1e-12
    )
    return np.arccos(np.clip(cos, -1.0, 1.0))


def _grid_corners(points: np.ndarray) -> tuple[int, int]:
    """``(start, span)``: the four grid corners are start, start+span, start+n/2, start+n/2+span.

    Chosen to put the corners on the outline's sharpest turns; among equally sharp choices the most
    square grid (span nearest n/4) wins.
    """
    n = len(points)
    half = n // 2
    turn = _turning_angles(points)
    pair = turn + np.roll(turn, -half)  # sharpness of opposite corners i and i + n/2
    best, best_score = (0, max(1, n // 4)), -np.inf
    for span in range(1, half):
        score = pair + np.roll(pair, -span) - 1e-3 * abs(span - n / 4) / n
        start = int(np.argmax(score))
        if score[start] > best_score + 1e-9:
            best, best_score = (start, span), float(score[start])
    return best


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
