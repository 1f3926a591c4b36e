"""Primitives drawn in metres on a :class:`~.design.Design`: boxes, cylinders, spheres, lathes, swept tubes
and their round profiles. Each widens the design's box by what it draws and records its calls."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.frame import Frame
from meshcoder.data.generators.drawing.design import Design, Fn, Len, Part, Pos
from meshcoder.data.generators.geometry import (
    AUTO,
    MIN_SIZE,
    SHARP,
    UP,
    bezier_polyline,
    circle_points,
    lathe_rings,
    quat_to,
    rotate,
    unit,
)
from meshcoder.data.generators.library_model import lathe_section

# Smallest circle radius written for a tube profile; thinner tubes scale it by their point radii.
THIN_RADIUS = 0.02


def written_radius(r: float, f: Frame) -> float:
    """The radius a round profile of radius ``r`` (metres) is written with in frame ``f``: two decimals,
    never under :data:`THIN_RADIUS` (a thinner profile is scaled down by its sweep instead)."""
    return max(round(r * f.scale, 2), THIN_RADIUS)


def box(d: Design, p: Part, name: str, centre, half, q=None, bevel=None, segments=3, apply=False, grow=True):
    """A cube of half extents ``half`` at ``centre``, optionally turned by ``q`` and bevelled
    (``grow=False`` for cutters, which are not part of the object)."""
    half = np.asarray(half, dtype=float)
    corners = np.array([[sx, sy, sz] for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1)]) * half
    if q is not None:
        corners = rotate(q, corners)
    if grow:
        d.grow(np.asarray(centre) + corners)
    p.call(
        "create_primitive",
        name=name,
        primitive_type="cube",
        location=Pos(centre),
        scale=Len(half, MIN_SIZE),
        rotation=None if q is None else unit(q).tolist(),
        apply=apply or None,
    )
    if bevel:
        p.call("bevel", name=name, width=bevel, segments=segments)


def cylinder(d: Design, p: Part, name: str, a, b, r, kind="cylinder", rz=None, apply=False, res=None):
    """A cylinder (or cone, base at ``a``) from point ``a`` to point ``b`` of radius ``r``
    (``rz``: a second radius across, for elliptic sections)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    axis = b - a
    h = float(np.linalg.norm(axis))
    q = quat_to(axis, via_cos=True)
    rz = r if rz is None else rz
    ring = np.array([[math.cos(t) * r, math.sin(t) * rz, 0.0] for t in np.linspace(0, 2 * math.pi, 33)])
    ring = rotate(q, ring)
    d.grow(
        np.concatenate([a + ring, b + ring]) if kind == "cylinder" else np.concatenate([a + ring, b[None]])
    )
    rot = None if np.allclose(q, [1, 0, 0, 0]) else unit(q).tolist()
    extra = {}
    if res is not None:
        extra = {"use_minimum_face": False, "resolution": res}
    p.call(
        "create_primitive",
        name=name,
        primitive_type=kind,
        location=Pos((a + b) / 2),
        scale=Len([r, rz, h / 2], MIN_SIZE),
        rotation=rot,
        apply=apply or None,
        **extra,
    )


def sphere(d: Design, p: Part, name: str, centre, radii, apply=False):
    """A UV sphere (or ellipsoid, ``radii`` per axis) at ``centre``."""
    radii = np.broadcast_to(np.asarray(radii, dtype=float), (3,))
    d.grow(np.asarray(centre), radii)
    p.call(
        "create_primitive",
        name=name,
        primitive_type="uv_sphere",
        location=Pos(centre),
        scale=Len(radii, MIN_SIZE),
        apply=apply or None,
    )


def lathe(
    d: Design,
    p: Part,
    name: str,
    profile,
    base,
    codes=None,
    axis=(0.0, 1.0, 0.0),
    thickness=0.0,
    resolution=12,
    smooth=False,
    curve_resolution=8,
):
    """A solid of revolution: ``profile`` is a list of (radius, height) in metres measured from
    ``base`` along ``axis``; ``codes`` are create_curve handle codes (two per point)."""
    prof = np.asarray(profile, dtype=float)
    along = unit(axis)
    q = np.asarray(UP, dtype=float) if np.allclose(along, [0, 1, 0]) else quat_to(along, via_cos=True)
    codes = codes if codes is not None else [SHARP] * (2 * len(prof))
    # The evaluated profile and, with a thickness, the shell on the side the lathe grows it.
    section = lathe_section(bezier_polyline(prof, codes, curve_resolution), abs(thickness))
    d.grow(lathe_rings(section, base, axis, q))
    curve = p.fresh("curve")
    pts = [[r, h, 0.0] for r, h in prof]
    p.call(
        "create_curve",
        name=curve,
        control_points=Len(pts),
        handle_type=codes,
        resolution=curve_resolution,
    )
    p.call(
        "bezier_rotation",
        name=name,
        profile_name=curve,
        location=Pos(base),
        rotation=unit(q).tolist(),
        thickness=Len(thickness) if thickness else None,
        use_smooth=smooth or None,
        resolution=resolution,
    )


def tube(d: Design, p: Part, name: str, points, r, codes=None, caps="both", resolution=12, radii=None):
    """A round tube of radius ``r`` swept along the Bezier path through ``points``.

    A thin tube is written as a larger circle scaled down by the point radii, which keep two
    significant digits where the circle's own radius would round to zero."""
    pts = np.asarray(points, dtype=float)
    radii = list(radii) if radii else [1.0] * len(pts)
    d.grow(pts, r * max(radii))
    circle = p.fresh("circle")

    def point_radii(f: Frame):
        k = r * f.scale / written_radius(r, f)
        return (
            None if abs(k - 1) < 0.01 and all(v == 1.0 for v in radii) else [round(k * v, 2) for v in radii]
        )

    p.call("create_circle", name=circle, radius=Fn(lambda f: written_radius(r, f)))
    p.call(
        "create_curve",
        name=name,
        profile_name=circle,
        control_points=Pos(pts),
        points_radius=Fn(point_radii),
        handle_type=codes if codes is not None else [AUTO] * (2 * len(pts)),
        fill_caps=caps,
        resolution=resolution,
    )


def profile_circle(p: Part, name: str, r: float, resolution: int | None = None) -> None:
    """A round sweep profile of radius ``r`` (metres); a thin one is a larger circle scaled down, since
    the circle's radius is written with two decimals and a sweep applies its profile's scale."""

    def scale(f: Frame):
        k = round(r * f.scale / written_radius(r, f), 2)
        return None if abs(k - 1) < 0.005 else [k, k, 1.0]

    p.call(
        "create_circle",
        name=name,
        radius=Fn(lambda f: written_radius(r, f)),
        scale=Fn(scale),
        resolution=resolution,
    )


def ellipse_points(centre, a, b, q=UP, n=48) -> np.ndarray:
    """``n`` points of the ellipse of half axes ``a`` (local X) and ``b`` (local Y) about ``centre``, turned
    by ``q`` (lying flat, X and Z, by default)."""
    return np.asarray(centre, dtype=float) + rotate(q, circle_points(n) * [a, b, 0.0])
