"""Pieces the lamps and lights share: shades, bulbs, canopies, wire rings, radial copies, bases, arms,
springs, coiled cords, chains and what a pendant hangs by."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.builder import PartWriter
from meshcoder.data.frame import Frame
from meshcoder.data.generators.blocks import (
    Blocks,
    box,
    cylinder,
    ellipse_points,
    lathe,
    part,
    profile_circle,
    sizes,
    snap,
    tube,
    written_radius,
)
from meshcoder.data.generators.design import Design, call
from meshcoder.data.generators.geometry import (
    AUTO,
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


def arc_tube(p: Blocks, name: str, p1, p2, p3, r, r_end=None, caps="both"):
    """A round tube along the circular arc from ``p1`` through ``p2`` to ``p3`` (lamp arms), tapering
    from ``r`` to ``r_end``. The library picks the arc's direction (and may take the other arc) from
    the written points, so they are chosen to draw this arc, and the taper follows its direction."""
    r_end = r if r_end is None else r_end
    p.cover(arc_through(p1, p2, p3), max(r, r_end))
    circle = p.fresh("circle")

    def write(wr: PartWriter, f: Frame) -> None:
        points, reversed_ = arc_control_points(p1, p2, p3, f.ps)
        k = r * f.scale / written_radius(r, f)
        radii = None
        if abs(k - 1) >= 0.01 or r_end != r:
            radii = [round(k, 2), round(k * r_end / r, 2)]
            radii = radii[::-1] if reversed_ else radii
        wr.call("create_circle", name=circle, radius=written_radius(r, f))
        call(
            wr,
            "create_arc_by_3Dpoints",
            name=name,
            profile_name=circle,
            control_points=points,
            points_radius=radii,
            fill_caps=caps,
        )

    p.write(write)


def shade_profile(rng: np.random.Generator, style: str, rb: float, h: float):
    """A lamp shade's outline as (radius, height) from its lower rim up, with handle codes."""
    if style == "drum":
        rt = rb * rng.uniform(0.92, 1.0)
        return [(rb, 0.0), (rt, h)], [SHARP] * 4
    if style == "empire":
        rt = rb * rng.uniform(0.5, 0.75)
        return [(rb, 0.0), (rt, h)], [SHARP] * 4
    if style == "coolie":
        rt = rb * rng.uniform(0.2, 0.35)
        return [(rb, 0.0), (rt, h)], [SHARP] * 4
    if style == "bell":
        rt = rb * rng.uniform(0.45, 0.6)
        pts = [(rb, 0.0), (rb * 0.88, h * 0.2), (rt * 1.12, h * 0.75), (rt, h)]
        return pts, [SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP]
    if style == "dome":
        rt = rb * rng.uniform(0.1, 0.2)
        pts = [(rb, 0.0), (rb * 0.93, h * 0.45), (rb * 0.62, h * 0.88), (rt, h)]
        return pts, [SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP]
    if style == "cone":
        rt = rb * rng.uniform(0.08, 0.2)
        return [(rb, 0.0), (rt, h)], [SHARP] * 4
    raise ValueError(f"unknown shade style {style!r}")


BULB_PROFILE = [(0.0, 0.0), (0.3, 0.0), (0.32, 0.25), (0.5, 0.55), (0.48, 0.85), (0.0, 1.0)]
BULB_CODES = [SHARP, SHARP, SHARP, SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP]


def light_bulb(p: Blocks, name: str, base, size: float, axis=(0.0, 1.0, 0.0)):
    """A pear-shaped light bulb of length ``size`` from its cap at ``base`` along ``axis``."""
    prof = [(r * size, h * size) for r, h in BULB_PROFILE]
    lathe(p, name, prof, base, codes=BULB_CODES, axis=axis, resolution=6, smooth=True)


def canopy(p: Blocks, name: str, top_y: float, r: float, h: float, x=0.0, z=0.0):
    """A ceiling canopy: a shallow dome hanging from the ceiling at ``top_y``."""
    prof = [(0.0, 0.0), (r * 0.45, 0.0), (r * 0.85, h * 0.35), (r, h), (0.0, h)]
    codes = [SHARP, SHARP, SHARP, AUTO, AUTO, AUTO, SHARP, SHARP, SHARP, SHARP]
    lathe(p, name, prof, [x, top_y - h, z], codes=codes, resolution=8)


def wire_ring(p: Blocks, name: str, centre, r: float, wire: float, axis=(0.0, 1.0, 0.0)):
    """A wire ring of radius ``r`` about ``axis`` (a round profile swept around a circle)."""
    q = np.asarray(UP) if np.allclose(axis, [0, 1, 0]) else quat_to(axis, via_cos=True)
    p.cover(np.asarray(centre) + rotate(q, ellipse_points([0, 0, 0], r, r, NO_TURN)), wire)
    profile = p.fresh("wire")
    profile_circle(p, profile, wire)
    rotation = unit(q).tolist()

    def write(wr: PartWriter, f: Frame) -> None:
        wr.call(
            "create_circle",
            name=name,
            profile_name=profile,
            location=f.p(centre),
            rotation=rotation,
            radius=f.l(r),
        )

    p.write(write)


def shade_part(d: Design, rng: np.random.Generator, style: str, base, rb: float, h: float, axis=(0, 1, 0)):
    """A lamp shade (a thin lathe of ``style``) as part 'shade', its lower rim at ``base``, opening along
    -``axis``; returns its outline."""
    with part(d, "shade") as p:
        prof, codes = shade_profile(rng, style, rb, h)
        t = rng.uniform(0.002, 0.005)
        lathe(p, p.obj, prof, base, codes=codes, axis=axis, thickness=t, resolution=int(rng.integers(8, 13)))
    return prof


def radial(p: Blocks, name: str, centre, count: int) -> None:
    """``count`` copies of ``name`` (everything part ``p`` covers so far) evenly round the vertical axis
    through ``centre``."""
    p.cover_radial(centre, count)
    p.write(
        lambda wr, f: wr.call(
            "array_rotate",
            name=name,
            count=count,
            rotation_angle=2 / count,
            rotation_origin=f.p(centre),
            rotation_axis=UP,
            rotation_mode="QUATERNION",
        )
    )


def lamp_base(d: Design, rng: np.random.Generator, r: float, h: float, shape: str | None = None) -> None:
    """A lamp's base of radius ``r`` and height ``h``: a bevelled disc, a turned dome or a square block."""
    shape = shape or pick(rng, ["disc", "dome", "square"], [0.45, 0.3, 0.25])
    with part(d, "base") as p:
        if shape == "disc":
            cylinder(p, p.obj, [0, 0, 0], [0, h, 0], r)
            p.call("bevel", name=p.obj, width=0.3, segments=3)
        elif shape == "dome":
            prof = [(0.0, 0.0), (r, 0.0), (r * 0.97, h * 0.5), (r * 0.55, h), (0.0, h)]
            codes = [SHARP, SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP, SHARP]
            lathe(p, p.obj, prof, [0, 0, 0], codes=codes, resolution=10)
        else:
            box(p, p.obj, [0, h / 2, 0], [r * 0.9, h / 2, r * 0.9], bevel=0.15)


def coiled_cord(d: Design, rng: np.random.Generator, start, direction, length: float) -> None:
    """A coiled lamp cord leaving ``start`` along ``direction`` (a helix with a round wire)."""
    u = np.asarray(direction, dtype=float)
    u = u / np.linalg.norm(u)
    coil_r = rng.uniform(0.006, 0.01)
    pitch = rng.uniform(0.01, 0.016)
    turns = max(3, round(length / pitch))
    wire = coil_r * rng.uniform(0.3, 0.4)
    with part(d, "cord") as p:
        p.cover(np.asarray(start) + np.outer(np.linspace(0, turns * pitch, 8), u), coil_r + wire)
        centre = np.asarray(start, dtype=float) + u * (turns * pitch / 2)
        helix(p, p.obj, centre, u, turns * pitch, pitch, coil_r, wire)


def spring(p: Blocks, name: str, a, b, coil_r: float, pitch: float) -> None:
    """A helical spring from point ``a`` to point ``b`` (desk lamp arm springs)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    length = float(np.linalg.norm(b - a))
    turns = max(3, round(length / pitch))
    wire = coil_r * 0.25
    p.cover(np.stack([a, b]), coil_r + wire)
    helix(p, name, (a + b) / 2, b - a, length, length / turns, coil_r, wire)


def helix(p: Blocks, name: str, centre, direction, length: float, pitch: float, coil_r: float, wire: float):
    """A coil of round ``wire`` and radius ``coil_r`` centred at ``centre``, ``length`` long along
    ``direction``, rising ``pitch`` a turn: the pitch is written with two decimals and the turns so
    that the coil as written is ``length`` long (what it covers is the caller's to say)."""
    profile = p.fresh("circle")
    profile_circle(p, profile, wire, resolution=8)
    rotation = unit(quat_to(direction, via_cos=True)).tolist()

    def write(wr: PartWriter, f: Frame) -> None:
        rise = snap(pitch, f)
        wr.call(
            "create_spiral",
            name=name,
            profile_name=profile,
            dif_z=rise,
            radius=f.l(coil_r),
            turns=spiral_turns(length * f.scale, rise),
            resolution=3,
            location=f.p(centre),
            rotation=rotation,
        )

    p.write(write)


def lamp_head(d: Design, rng: np.random.Generator, tip, light, rb: float, h: float, style: str) -> None:
    """A lamp head: a shade whose top sits at ``tip`` and whose opening faces ``light``."""
    light = np.asarray(light, dtype=float) / np.linalg.norm(light)
    rim = np.asarray(tip, dtype=float) + light * h
    shade_part(d, rng, style, rim, rb, h, axis=-light)


def chain(p: Blocks, top, length: float, link: float) -> None:
    """A chain hanging from ``top``: links in two planes, each set one torus repeated by array_1d."""
    top = np.asarray(top, dtype=float)
    pitch = link * 2.2
    p.cover(np.stack([top, top - [0, length, 0]]), link * 1.25)
    turns = (None, unit(quat_axis_angle([0, 1, 0], math.pi / 2)).tolist())
    names = [p.obj, p.helper("links")]

    def write(wr: PartWriter, f: Frame) -> None:
        step = snap(pitch, f)
        count = max(1, int((length - link * 1.6) * f.scale / (2 * step)))
        first = np.asarray(f.p(top - [0, link * 1.6, 0]))
        for i, (name, rotation) in enumerate(zip(names, turns)):
            call(
                wr,
                "create_primitive",
                name=name,
                primitive_type="torus",
                location=(first - [0, i * step, 0]).tolist(),
                scale=sizes(f, [link, link * 1.5, link]),
                rotation=rotation,
                apply=True,
            )
            wr.call("array_1d", name=name, count=count, constant_offset=[0.0, -2 * step, 0.0])
        wr.call("join_obj", name=p.obj, seq_name=names)

    p.write(write)


def suspension(d: Design, rng: np.random.Generator, top, length: float, kind: str) -> None:
    """What a pendant hangs by, from ``top`` down ``length``: a cord, a rod, a chain or a coiled cord."""
    top = np.asarray(top, dtype=float)
    bottom = top - [0, length, 0]
    if kind == "cord":
        with part(d, "cord") as p:
            tube(p, p.obj, [top, bottom], rng.uniform(0.003, 0.005), codes=[SHARP] * 4, resolution=1)
    elif kind == "rod":
        with part(d, "rod") as p:
            cylinder(p, p.obj, top, bottom, rng.uniform(0.006, 0.012))
    elif kind == "chain":
        with part(d, "chain") as p:
            chain(p, top, length, rng.uniform(0.007, 0.011))
    else:
        with part(d, "coiled cord") as p:
            pitch = max(length / 30, rng.uniform(0.012, 0.02))
            spring(p, p.obj, top, bottom, rng.uniform(0.008, 0.012), pitch)
