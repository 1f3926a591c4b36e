"""Solids of revolution: a profile curve turned about an axis (lathe), round or star-shaped.

The profile is read as a bevel profile is: from its evaluated curve, in its own local XY, with x the
distance from the axis and y the position along it. The result's axis is its local Z, placed by
``location`` and ``rotation``. Profile points on the axis become single vertices, so a profile that
starts or ends on the axis closes the solid there. Runs inside Blender only.

Faces keep the winding the original API's curve bevel gives (spec 3b, item 4), with no normal
recalculation: a face's normal is the profile's direction crossed with the counter-clockwise direction
around local +Z. So a profile drawn from the bottom up, or a closed one drawn counter-clockwise, has its
faces facing the axis, and the always-applied solidify (offset -1) grows the shell away from it.
"""

from __future__ import annotations

import itertools
import math

import bmesh
import numpy as np

from meshcoder.shapes.bpy_lib import objects
from meshcoder.shapes.bpy_lib.objects import ProgramRuntimeError

__all__ = ["bezier_rotation", "star_curve_rotation"]

# A profile point this close to the axis (relative to the profile's size) is on it.
_AXIS_TOLERANCE = 1e-6


def bezier_rotation(
    name: str,
    profile_name: str,
    location: list[float] = [0, 0, 0],  # noqa: B006 (literal default: catalogue contract)
    rotation: list[float] = [0, 0, 0, 0],  # noqa: B006 (literal default: catalogue contract)
    thickness: float = 0.0,
    use_smooth: bool = False,
    resolution: int = 12,
):
    """Lathe: turn the profile curve ``profile_name`` a full circle about the local Z axis.

    The profile lies in its local XY plane: x is the distance from the axis (>= 0) and y the height
    along it. The path around the axis is a 4-point Bezier circle evaluated at ``resolution``
    segments per quarter, so the solid has ``4 * resolution`` segments around (48 by default).
    ``location`` and ``rotation`` (quaternion ``[w, x, y, z]``; all zeros is Blender's half turn
    about X) place the result. Each face's normal is the profile direction crossed with the
    counter-clockwise direction around local +Z (not recalculated). The surface is always
    solidified by ``thickness`` after the rotation is applied, against those normals: thickness 0
    adds a coincident second layer, so the vertex count doubles whatever the thickness.
    ``use_smooth`` sets smooth shading. The profile object is consumed.
    """
    if int(resolution) < 1:
        raise ProgramRuntimeError(f"bezier_rotation: resolution must be at least 1, got {resolution}")
    segments = 4 * int(resolution)
    angles = np.arange(segments) * (2 * math.pi / segments)
    unit_ring = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return _revolve(name, profile_name, lambda x: x * unit_ring, location, rotation, thickness, use_smooth)


def star_curve_rotation(
    name: str,
    profile_name: str,
    num_points: int = 16,
    r_diff: float = 0.1,
    location: list[float] = [0, 0, 0],  # noqa: B006 (literal default: catalogue contract)
    rotation: list[float] = [0, 0, 0, 0],  # noqa: B006 (literal default: catalogue contract)
    thickness: float = 0.002,
    use_smooth: bool = False,
):
    """Fluted lathe: turn the profile about the local Z axis along a star-shaped path.

    Every profile point at distance x from the axis sweeps a star polygon with ``num_points`` tips
    at radius ``x + r_diff`` (the first on the local +X axis) and as many valleys at radius ``x``
    between them, joined by straight edges, so ``r_diff`` is the depth of the flutes (ribs when
    negative). Points on the axis stay on it and close the solid. Otherwise as
    :func:`bezier_rotation` (same winding, always solidified); the default ``thickness`` gives a
    thin shell. The profile is consumed.
    """
    n = int(num_points)
    if n < 2:
        raise ProgramRuntimeError(f"star_curve_rotation: num_points must be at least 2, got {num_points}")
    angles = np.arange(2 * n) * (math.pi / n)
    unit_ring = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    tips = (np.arange(2 * n) % 2 == 0).astype(np.float64)
    r_diff = float(r_diff)
    return _revolve(
        name,
        profile_name,
        lambda x: (x + r_diff * tips)[:, None] * unit_ring,
        location,
        rotation,
        thickness,
        use_smooth,
    )


# ------------------------------------------------------------------------------------- internals


def _revolve(name, profile_name, ring_of, location, rotation, thickness, use_smooth):
    """Build the solid of revolution: ``ring_of(x)`` gives the (K, 2) XY ring a profile point at
    distance ``x`` sweeps; the point's height y becomes Z."""
    profile = objects.get_object(profile_name)
    chains = objects.curve_polylines(profile)
    if not chains:
        raise ProgramRuntimeError(f"profile {profile_name!r} has no points to turn about the axis")
    size = max(float(np.abs(np.concatenate([pts[:, :2] for pts, _ in chains])).max()), 1e-9)
    tol = _AXIS_TOLERANCE * max(size, 1.0)

    bm = bmesh.new()
    for points, cyclic in chains:
        rows = []
        for x, y in points[:, :2]:
            if abs(x) <= tol:  # on the axis: one vertex stands for the whole ring
                rows.append([bm.verts.new((0.0, 0.0, y))])
            else:
                rows.append([bm.verts.new((px, py, y)) for px, py in ring_of(float(x))])
        pairs = list(itertools.pairwise(rows))
        if cyclic:
            pairs.append((rows[-1], rows[0]))
        for a, b in pairs:
            _bridge_rings(bm, a, b)
    for face in bm.faces:
        face.smooth = bool(use_smooth)

    objects.remove_object(profile)
    obj = objects.new_mesh_object(name, bm)
    objects.set_transform(obj, location=location, rotation=rotation)
    # The original solidifies unconditionally (spec 3b, item 4): thickness 0 still doubles the surface.
    objects.bake_rotation_scale(obj)
    objects.solidify_mesh(obj, float(thickness or 0.0))
    objects.update()
    return obj


def _bridge_rings(bm, a: list, b: list) -> None:
    """Faces between two closed rings of equal size, ``a`` before ``b`` along the profile, both running
    counter-clockwise about +Z; a ring of one vertex is an axis point (a fan).

    Each quad is wound a_i, b_i, b_j, a_j, so its normal is (profile direction) x (counter-clockwise
    direction), the winding of the original's curve bevel.
    """
    if len(a) == 1 and len(b) == 1:
        return  # both on the axis: a segment along the axis sweeps no surface
    k = max(len(a), len(b))
    for i in range(k):
        j = (i + 1) % k
        quad = [a[i % len(a)], b[i % len(b)], b[j % len(b)], a[j % len(a)]]
        verts = [v for n, v in enumerate(quad) if v not in quad[:n]]
        if len(verts) >= 3:
            bm.faces.new(verts)
