"""Bathtubs: freestanding, clawfoot and built-in."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.bathroom.bridge import bridge, loops
from meshcoder.data.generators.blocks import Blocks, box, build, cylinder, lathe, part, tube
from meshcoder.data.generators.design import Design
from meshcoder.data.generators.geometry import (
    AUTO,
    SHARP,
    UP,
    pick,
    quat_axis_angle,
    quat_mul,
)
from meshcoder.data.generators.registry import register


@register("Bathtub")
def bathtub(rng: np.random.Generator) -> ProgramBuilder:
    """Freestanding (optionally slipper-tilted, on a plinth), clawfoot (four turned feet) or built-in
    tubs (a block with a rounded-box or oval cavity cut out); floor, deck or no faucet, handles, drain,
    grab bar. The shell is bridged through elliptic sections, outside up, over the rim and down inside."""
    style = pick(rng, ["freestanding", "clawfoot", "built-in"], [0.35, 0.25, 0.4])
    d = Design(pick(rng, ["bathtub", "bath tub", "bath"]) if style == "built-in" else f"{style} bathtub")
    length = rng.uniform(1.45, 1.8)
    width = rng.uniform(0.7, 0.86)
    height = rng.uniform(0.5, 0.66)
    a, b = length / 2, width / 2

    if style in ("freestanding", "clawfoot"):
        _freestanding(d, rng, style, a, b, height)
    else:
        _built_in(d, rng, a, b, height)
    return build(d, final_query=rng.random() < 0.25)


def _freestanding(d: Design, rng: np.random.Generator, style: str, a: float, b: float, height: float) -> None:
    """A shell bridged outside up, over the rim and down inside (optionally slipper-tilted), a drain, a plinth
    or claw feet, and a faucet."""
    y0 = rng.uniform(0.12, 0.18) if style == "clawfoot" else 0.0
    plinth = style == "freestanding" and rng.random() < 0.5
    if plinth:
        y0 = rng.uniform(0.03, 0.06)
    k0 = rng.uniform(0.72, 0.88)
    rim = rng.uniform(0.035, 0.06)
    floor = rng.uniform(0.04, 0.07)
    tilt = rng.uniform(0.0, 0.1) if rng.random() < 0.5 else 0.0
    q_rim = quat_mul(quat_axis_angle([0, 0, 1], tilt), UP)
    top = height + a * math.sin(tilt) * 0.5
    ai, bi = a - rim, b - rim
    rings = [
        ([0, y0, 0], a * k0, b * k0),
        ([0, y0 + (top - y0) * 0.45, 0], a * rng.uniform(0.93, 0.98), b * 0.96),
        ([0, top - 0.025, 0], a, b, q_rim),
        ([0, top, 0], a - rim * 0.35, b - rim * 0.35, q_rim),
        ([0, top - 0.012, 0], ai, bi, q_rim),
        ([0, top - 0.07, 0], ai * 0.99, bi * 0.98, q_rim),
        ([0, y0 + floor + (top - y0) * 0.3, 0], ai * 0.9, bi * 0.84),
        ([0, y0 + floor, 0], ai * rng.uniform(0.62, 0.75), bi * rng.uniform(0.5, 0.62)),
    ]
    with part(d, "tub") as p:
        # Blender's PATH interpolation overshoots between close or tilted sections
        bridge(p, p.obj, rings, cuts=int(rng.integers(3, 6)), interpolation="SURFACE")
        p.call("recalculate_normals", name=p.obj)
    with part(d, "drain") as p:
        dx = rng.uniform(-0.3, 0.3) * ai
        cylinder(p, p.obj, [dx, y0 + floor - 0.003, 0], [dx, y0 + floor + 0.006, 0], rng.uniform(0.025, 0.04))
    if plinth:
        with part(d, "plinth") as p:
            cylinder(p, p.obj, [0, 0, 0], [0, y0 + 0.01, 0], a * k0 * 0.9, rz=b * k0 * 0.9)
    if style == "clawfoot":
        _claw_feet(d, rng, a, b, k0, y0)
    _faucet(d, rng, a, rim, top)


def _claw_feet(d: Design, rng: np.random.Generator, a: float, b: float, k0: float, y0: float) -> None:
    """Four turned feet under the tub's foot ring (half axes ``a * k0``, ``b * k0``), up to ``y0``."""
    foot_h = y0 + 0.04
    fx, fz = a * k0 * rng.uniform(0.7, 0.82), b * k0 * rng.uniform(0.45, 0.6)
    rf = rng.uniform(0.03, 0.045)
    profile = [
        (0.0, 0.0),
        (rf, 0.0),
        (rf * 1.1, foot_h * 0.15),
        (rf * 0.65, foot_h * 0.35),
        (rf * 0.55, foot_h * 0.7),
        (rf * 1.2, foot_h),
        (0.0, foot_h),
    ]
    codes = [SHARP, SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP, SHARP]
    for sx in (-1, 1):
        for sz in (1, -1):
            with part(d, "foot") as p:
                lathe(p, p.obj, profile, [sx * fx, 0, sz * fz], codes=codes, resolution=6)


def _faucet(d: Design, rng: np.random.Generator, a: float, rim: float, top: float) -> None:
    """A freestanding tub's faucet at one end: on the floor with a handle, on the rim with two handles, or
    none."""
    faucet = pick(rng, ["floor", "deck", "none"], [0.4, 0.4, 0.2])
    end = -1 if rng.random() < 0.5 else 1
    if faucet == "floor":
        xf = end * (a + rng.uniform(0.1, 0.2))
        with part(d, "faucet") as p:
            _faucet_spout(
                p, p.obj, [xf, 0, 0], top + rng.uniform(0.15, 0.3), abs(xf) - a + 0.15, 0.018, (-end, 0, 0)
            )
        with part(d, "handle") as p:
            hy = top - rng.uniform(0.0, 0.1)
            cylinder(p, p.obj, [xf, hy, 0.0], [xf, hy, 0.07], 0.012)
    elif faucet == "deck":
        xf = end * (a - rim * 0.5)
        with part(d, "faucet") as p:
            _faucet_spout(p, p.obj, [xf, top - 0.01, 0], rng.uniform(0.12, 0.25), 0.12, 0.014, (-end, 0, 0))
        with part(d, "handles") as p:
            for i, sz in enumerate((-1, 1)):
                nm = p.obj if i == 0 else p.helper("knob")
                cylinder(p, nm, [xf, top - 0.01, sz * 0.09], [xf, top + 0.06, sz * 0.09], 0.018)
            p.call("join_obj", name=p.obj, seq_name=[p.obj, p.helper("knob")])


def _faucet_spout(p: Blocks, name: str, foot, height, reach, r, direction=(1.0, 0.0, 0.0)):
    """A gooseneck spout rising from ``foot`` and bending over towards ``direction``."""
    foot = np.asarray(foot, dtype=float)
    u = np.asarray(direction, dtype=float)
    up = np.array([0.0, 1.0, 0.0])
    pts = [
        foot,
        foot + up * height * 0.7,
        foot + up * height + u * reach * 0.4,
        foot + up * height * 0.9 + u * reach,
    ]
    tube(p, name, pts, r, codes=[SHARP, SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, SHARP])


def _built_in(d: Design, rng: np.random.Generator, a: float, b: float, height: float) -> None:
    """A block with a rounded-box or oval cavity cut out, a drain, an optional faucet and handles on the end
    deck, an optional grab bar."""
    end_deck = rng.uniform(0.1, 0.22)
    side_deck = rng.uniform(0.05, 0.1)
    floor = rng.uniform(0.08, 0.15)
    with part(d, "tub") as p:
        box(p, p.obj, [0, height / 2, 0], [a, height / 2, b], bevel=rng.uniform(0.01, 0.03))
        cut = p.helper("cavity")
        x0, x1 = -a + end_deck, a - side_deck * rng.uniform(1.0, 1.6)
        z0, z1 = -b + side_deck, b - side_deck
        cx, ca, cb = (x0 + x1) / 2, (x1 - x0) / 2, (z1 - z0) / 2
        if rng.random() < 0.5:
            depth = height - floor
            cube_half = [ca, depth / 2 + 0.05, cb]
            centre = [cx, height - depth / 2 + 0.05, 0]
            p.write(
                lambda wr, f: wr.call(
                    "create_primitive",
                    name=cut,
                    primitive_type="cube",
                    location=f.p(centre),
                    scale=f.l(cube_half),
                )
            )
            p.call("bevel", name=cut, width=round(rng.uniform(0.25, 0.5), 2), segments=4)
        else:
            rings = [
                ([cx, height + 0.05, 0], ca, cb),
                ([cx, height - 0.05, 0], ca * 0.99, cb * 0.98),
                ([cx, floor + (height - floor) * 0.35, 0], ca * 0.9, cb * 0.85),
                ([cx, floor, 0], ca * 0.7, cb * 0.55),
            ]
            names = [p.helper("circle", i + 1) for i in range(len(rings))]
            loops(p, names, rings, cover=False)  # the cutter reaches above the rim; it is not geometry
            p.call(
                "bridge_edge_loops",
                name=cut,
                profile_name=names,
                number_cuts=3,
                interpolation="SURFACE",
                fill_caps="both",
            )
        p.call("boolean_operation", name1=p.obj, name2=cut, operation="DIFFERENCE")
    with part(d, "drain") as p:
        cylinder(p, p.obj, [x0 + 0.12, floor - 0.004, 0], [x0 + 0.12, floor + 0.004, 0], 0.035)
    if rng.random() < 0.75:
        xf = -a + end_deck / 2
        with part(d, "faucet") as p:
            _faucet_spout(p, p.obj, [xf, height, 0], rng.uniform(0.1, 0.22), rng.uniform(0.1, 0.16), 0.014)
        if rng.random() < 0.7:
            with part(d, "handles") as p:
                off = rng.uniform(0.1, 0.16)
                for i, sz in enumerate((-1, 1)):
                    nm = p.obj if i == 0 else p.helper("knob")
                    cylinder(p, nm, [xf, height, sz * off], [xf, height + 0.05, sz * off], 0.02)
                p.call("join_obj", name=p.obj, seq_name=[p.obj, p.helper("knob")])
    if rng.random() < 0.35:
        with part(d, "grab bar") as p:
            gx = rng.uniform(-0.2, 0.2)
            pts = [
                [gx - 0.15, height, -b + side_deck / 2],
                [gx - 0.15, height + 0.08, -b + side_deck / 2],
                [gx + 0.15, height + 0.08, -b + side_deck / 2],
                [gx + 0.15, height, -b + side_deck / 2],
            ]
            tube(p, p.obj, pts, 0.012, codes=[SHARP] * 8)
