"""Pieces the lamps and lights share: shades, bulbs, canopies, wire rings, radial copies, bases, arms,
springs, coiled cords, chains and what a pendant hangs by."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.frame import Frame
from meshcoder.data.generators.drawing.blocks import (
    box,
    cylinder,
    ellipse_points,
    lathe,
    profile_circle,
    tube,
    written_radius,
)
from meshcoder.data.generators.drawing.design import Design, Fn, Len, Part, Pos, snap
from meshcoder.data.generators.drawing.sampling import uniform
from meshcoder.data.generators.geometry import (
    AUTO,
    MIN_SIZE,
    NO_TURN,
    SHARP,
    UP,
    arc_through,
    pick,
    quat_axis_angle,
    quat_to,
    rotate,
    unit,
)
from meshcoder.data.generators.library_model import arc_control_points, spiral_turns


def arc_tube(d: Design, p: Part, name: str, p1, p2, p3, r, r_end=None, caps="both"):
    """A round tube along the circular arc from ``p1`` through ``p2`` to ``p3`` (lamp arms), tapering
    from ``r`` to ``r_end``. The library picks the arc's direction (and may take the other arc) from
    the written points, so they are chosen to draw this arc, and the taper follows its direction."""
    r_end = r if r_end is None else r_end
    d.grow(arc_through(p1, p2, p3), max(r, r_end))
    circle = p.fresh("circle")

    def point_radii(f: Frame):
        k = r * f.scale / written_radius(r, f)
        if abs(k - 1) < 0.01 and r_end == r:
            return None
        ends = [round(k, 2), round(k * r_end / r, 2)]
        return ends[::-1] if arc_control_points(p1, p2, p3, f.ps)[1] else ends

    p.call("create_circle", name=circle, radius=Fn(lambda f: written_radius(r, f)))
    p.call(
        "create_arc_by_3Dpoints",
        name=name,
        profile_name=circle,
        control_points=Fn(lambda f: arc_control_points(p1, p2, p3, f.ps)[0]),
        points_radius=Fn(point_radii),
        fill_caps=caps,
    )


def shade_profile(rng: np.random.Generator, style: str, rb: float, h: float):
    """A lamp shade's outline as (radius, height) from its lower rim up, with handle codes."""
    if style == "drum":
        rt = rb * uniform(rng, 0.92, 1.0)
        return [(rb, 0.0), (rt, h)], [SHARP] * 4
    if style == "empire":
        rt = rb * uniform(rng, 0.5, 0.75)
        return [(rb, 0.0), (rt, h)], [SHARP] * 4
    if style == "coolie":
        rt = rb * uniform(rng, 0.2, 0.35)
        return [(rb, 0.0), (rt, h)], [SHARP] * 4
    if style == "bell":
        rt = rb * uniform(rng, 0.45, 0.6)
        pts = [(rb, 0.0), (rb * 0.88, h * 0.2), (rt * 1.12, h * 0.75), (rt, h)]
        return pts, [SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP]
    if style == "dome":
        rt = rb * uniform(rng, 0.1, 0.2)
        pts = [(rb, 0.0), (rb * 0.93, h * 0.45), (rb * 0.62, h * 0.88), (rt, h)]
        return pts, [SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP]
    if style == "cone":
        rt = rb * uniform(rng, 0.08, 0.2)
        return [(rb, 0.0), (rt, h)], [SHARP] * 4
    raise ValueError(f"unknown shade style {style!r}")


BULB_PROFILE = [(0.0, 0.0), (0.3, 0.0), (0.32, 0.25), (0.5, 0.55), (0.48, 0.85), (0.0, 1.0)]
BULB_CODES = [SHARP, SHARP, SHARP, SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP]


def light_bulb(d: Design, p: Part, name: str, base, size: float, axis=(0.0, 1.0, 0.0)):
    """A pear-shaped light bulb of length ``size`` from its cap at ``base`` along ``axis``."""
    prof = [(r * size, h * size) for r, h in BULB_PROFILE]
    lathe(d, p, name, prof, base, codes=BULB_CODES, axis=axis, resolution=6, smooth=True)


def canopy(d: Design, p: Part, name: str, top_y: float, r: float, h: float, x=0.0, z=0.0):
    """A ceiling canopy: a shallow dome hanging from the ceiling at ``top_y``."""
    prof = [(0.0, 0.0), (r * 0.45, 0.0), (r * 0.85, h * 0.35), (r, h), (0.0, h)]
    codes = [SHARP, SHARP, SHARP, AUTO, AUTO, AUTO, SHARP, SHARP, SHARP, SHARP]
    lathe(d, p, name, prof, [x, top_y - h, z], codes=codes, resolution=8)


def wire_ring(d: Design, p: Part, name: str, centre, r: float, wire: float, axis=(0.0, 1.0, 0.0)):
    """A wire ring of radius ``r`` about ``axis`` (a round profile swept around a circle)."""
    q = np.asarray(UP) if np.allclose(axis, [0, 1, 0]) else quat_to(axis, via_cos=True)
    d.grow(np.asarray(centre) + rotate(q, ellipse_points([0, 0, 0], r, r, NO_TURN)), wire)
    profile = p.fresh("wire")
    profile_circle(p, profile, wire)
    p.call(
        "create_circle",
        name=name,
        profile_name=profile,
        location=Pos(centre),
        rotation=unit(q).tolist(),
        radius=Len(r),
    )


def shade_part(d: Design, rng: np.random.Generator, style: str, base, rb: float, h: float, axis=(0, 1, 0)):
    """A lamp shade (a thin lathe of ``style``) as part 'shade', its lower rim at ``base``, opening along
    -``axis``; returns its outline."""
    with d.part("shade") as p:
        prof, codes = shade_profile(rng, style, rb, h)
        t = uniform(rng, 0.002, 0.005)
        lathe(
            d, p, p.obj, prof, base, codes=codes, axis=axis, thickness=t, resolution=int(rng.integers(8, 13))
        )
    return prof


def radial(d: Design, p: Part, name: str, mark: int, centre, count: int) -> None:
    """``count`` copies of ``name`` evenly round the vertical axis through ``centre``."""
    d.grow_radial(mark, centre, count, 2 * math.pi / count)
    p.call(
        "array_rotate",
        name=name,
        count=count,
        rotation_angle=2 / count,
        rotation_origin=Pos(centre),
        rotation_axis=UP,
        rotation_mode="QUATERNION",
    )


def lamp_base(d: Design, rng: np.random.Generator, r: float, h: float, shape: str | None = None) -> None:
    """A lamp's base of radius ``r`` and height ``h``: a bevelled disc, a turned dome or a square block."""
    shape = shape or pick(rng, ["disc", "dome", "square"], [0.45, 0.3, 0.25])
    with d.part("base") as p:
        if shape == "disc":
            cylinder(d, p, p.obj, [0, 0, 0], [0, h, 0], r)
            p.call("bevel", name=p.obj, width=0.3, segments=3)
        elif shape == "dome":
            prof = [(0.0, 0.0), (r, 0.0), (r * 0.97, h * 0.5), (r * 0.55, h), (0.0, h)]
            codes = [SHARP, SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP, SHARP]
            lathe(d, p, p.obj, prof, [0, 0, 0], codes=codes, resolution=10)
        else:
            box(d, p, p.obj, [0, h / 2, 0], [r * 0.9, h / 2, r * 0.9], bevel=0.15)


def coiled_cord(d: Design, rng: np.random.Generator, start, direction, length: float) -> None:
    """A coiled lamp cord leaving ``start`` along ``direction`` (a helix with a round wire)."""
    u = np.asarray(direction, dtype=float)
    u = u / np.linalg.norm(u)
    coil_r = uniform(rng, 0.006, 0.01)
    pitch = uniform(rng, 0.01, 0.016)
    turns = max(3, round(length / pitch))
    wire = coil_r * uniform(rng, 0.3, 0.4)
    centre = np.asarray(start, dtype=float) + u * (turns * pitch / 2)
    axis_pts = np.asarray(start) + np.outer(np.linspace(0, turns * pitch, 8), u)
    d.grow(axis_pts, coil_r + wire)
    with d.part("cord") as p:
        profile = p.helper("circle")
        profile_circle(p, profile, wire, resolution=8)
        p.call(
            "create_spiral",
            name=p.obj,
            profile_name=profile,
            dif_z=Fn(lambda f: snap(pitch, f)),
            radius=Len(coil_r),
            turns=Fn(lambda f: spiral_turns(turns * pitch * f.scale, snap(pitch, f))),
            resolution=3,
            location=Pos(centre),
            rotation=unit(quat_to(u, via_cos=True)).tolist(),
        )


def spring(d: Design, p: Part, name: str, a, b, coil_r: float, pitch: float) -> None:
    """A helical spring from point ``a`` to point ``b`` (desk lamp arm springs)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    u = b - a
    length = float(np.linalg.norm(u))
    turns = max(3, round(length / pitch))
    wire = coil_r * 0.25
    d.grow(np.stack([a, b]), coil_r + wire)
    profile = p.fresh("circle")
    profile_circle(p, profile, wire, resolution=8)
    p.call(
        "create_spiral",
        name=name,
        profile_name=profile,
        dif_z=Fn(lambda f: snap(length / turns, f)),
        radius=Len(coil_r),
        turns=Fn(lambda f: spiral_turns(length * f.scale, snap(length / turns, f))),
        resolution=3,
        location=Pos((a + b) / 2),
        rotation=unit(quat_to(u, via_cos=True)).tolist(),
    )


def lamp_head(d: Design, rng: np.random.Generator, tip, light, rb: float, h: float, style: str) -> None:
    """A lamp head: a shade whose top sits at ``tip`` and whose opening faces ``light``."""
    light = np.asarray(light, dtype=float) / np.linalg.norm(light)
    rim = np.asarray(tip, dtype=float) + light * h
    shade_part(d, rng, style, rim, rb, h, axis=-light)


def chain(d: Design, p: Part, top, length: float, link: float) -> None:
    """A chain hanging from ``top``: links in two planes, each set one torus repeated by array_1d."""
    top = np.asarray(top, dtype=float)
    pitch = link * 2.2
    q_side = quat_axis_angle([0, 1, 0], math.pi / 2)
    d.grow(np.stack([top, top - [0, length, 0]]), link * 1.25)

    def count(f: Frame) -> int:
        return max(1, int((length - link * 1.6) * f.scale / (2 * snap(pitch, f))))

    for i, (name, q) in enumerate(((p.obj, NO_TURN), (p.helper("links"), q_side))):
        p.call(
            "create_primitive",
            name=name,
            primitive_type="torus",
            location=Fn(
                lambda f, i=i: (
                    np.asarray(f.p(top - [0, link * 1.6, 0])) - [0, i * snap(pitch, f), 0]
                ).tolist()
            ),
            scale=Len([link, link * 1.5, link], MIN_SIZE),
            rotation=None if i == 0 else unit(q).tolist(),
            apply=True,
        )
        p.call(
            "array_1d",
            name=name,
            count=Fn(count),
            constant_offset=Fn(lambda f: [0.0, -2 * snap(pitch, f), 0.0]),
        )
    p.call("join_obj", name=p.obj, seq_name=[p.obj, p.helper("links")])


def suspension(d: Design, rng: np.random.Generator, top, length: float, kind: str) -> None:
    """What a pendant hangs by, from ``top`` down ``length``: a cord, a rod, a chain or a coiled cord."""
    top = np.asarray(top, dtype=float)
    bottom = top - [0, length, 0]
    if kind == "cord":
        with d.part("cord") as p:
            tube(d, p, p.obj, [top, bottom], uniform(rng, 0.003, 0.005), codes=[SHARP] * 4, resolution=1)
    elif kind == "rod":
        with d.part("rod") as p:
            cylinder(d, p, p.obj, top, bottom, uniform(rng, 0.006, 0.012))
    elif kind == "chain":
        with d.part("chain") as p:
            chain(d, p, top, length, uniform(rng, 0.007, 0.011))
    else:
        with d.part("coiled cord") as p:
            pitch = max(length / 30, uniform(rng, 0.012, 0.02))
            spring(d, p, p.obj, top, bottom, uniform(rng, 0.008, 0.012), pitch)
