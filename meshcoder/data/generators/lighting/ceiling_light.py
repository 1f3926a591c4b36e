"""Flush and semi-flush ceiling lights: domes, drums, LED panels, rings, bowls and spotlights."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.drawing.blocks import box, cylinder, lathe, sphere, tube
from meshcoder.data.generators.drawing.design import Design, Len, Pos
from meshcoder.data.generators.drawing.sampling import chance, uniform
from meshcoder.data.generators.geometry import AUTO, DOWN, SHARP, UP, pick
from meshcoder.data.generators.lighting.parts import canopy, radial, wire_ring
from meshcoder.data.generators.registry import register


@register("CeilingLight")
def ceiling_light(rng: np.random.Generator) -> ProgramBuilder:
    """Flush and semi-flush lights: dome or drum diffusers on a base plate, square or oblong LED panels
    (swept frame, gridded diffuser), hanging rings, bowls on a stem or rods, and spotlights on a bar or
    plate."""
    style = pick(
        rng, ["dome", "drum", "panel", "ring", "bowl", "spots"], [0.25, 0.18, 0.17, 0.13, 0.15, 0.12]
    )
    names = {"panel": "led panel ceiling light", "ring": "ring ceiling light", "spots": "ceiling spotlight"}
    d = Design(names.get(style, pick(rng, ["ceiling light", "flush mount ceiling light"])))
    if style in ("dome", "drum"):
        _plate_light(d, rng, style)
    elif style == "panel":
        _panel(d, rng)
    elif style == "ring":
        _rings(d, rng)
    elif style == "bowl":
        _bowl(d, rng)
    else:  # spotlights
        _spots(d, rng)
    return d.build(final_query=chance(rng, 0.25))


def _plate_light(d: Design, rng: np.random.Generator, style: str) -> None:
    """A base plate under a dome diffuser (optional trim ring and finial) or a drum with a flat diffuser."""
    r = uniform(rng, 0.14, 0.25)
    plate_h = uniform(rng, 0.012, 0.03)
    with d.part("base plate") as p:
        cylinder(d, p, p.obj, [0, 0, 0], [0, -plate_h, 0], r)
        if chance(rng, 0.5):
            p.call("bevel", name=p.obj, width=0.3, segments=2)
    y = -plate_h
    if style == "dome":
        h = r * uniform(rng, 0.3, 0.6)
        rd = r * uniform(rng, 0.88, 0.98)
        with d.part("diffuser") as p:
            prof = [(0.0, -h), (rd * 0.55, -h * 0.93), (rd * 0.92, -h * 0.45), (rd, 0.0)]
            if chance(rng, 0.35):  # flat-bottomed
                prof = [(0.0, -h), (rd * 0.8, -h), (rd * 0.97, -h * 0.6), (rd, 0.0)]
            codes = [SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP]
            lathe(d, p, p.obj, prof, [0, y, 0], codes=codes, thickness=0.003, resolution=12, smooth=True)
        if chance(rng, 0.5):
            with d.part("trim ring") as p:
                wire_ring(d, p, p.obj, [0, y, 0], rd, uniform(rng, 0.005, 0.01))
        if chance(rng, 0.45):
            with d.part("finial") as p:
                sphere(d, p, p.obj, [0, y - h - 0.012, 0], [0.018, 0.014, 0.018])
    else:
        h = r * uniform(rng, 0.25, 0.5)
        with d.part("drum") as p:
            lathe(d, p, p.obj, [(r * 0.97, 0.0), (r * 0.97, -h)], [0, y, 0], thickness=0.004, resolution=12)
        with d.part("diffuser") as p:
            cylinder(d, p, p.obj, [0, y - h + 0.012, 0], [0, y - h + 0.004, 0], r * 0.95)
        if chance(rng, 0.5):
            with d.part("trim ring") as p:
                wire_ring(d, p, p.obj, [0, y - h, 0], r * 0.97, 0.006)


def _panel(d: Design, rng: np.random.Generator) -> None:
    """An LED panel: a housing, a frame swept round it and a gridded diffuser."""
    w, l = uniform(rng, 0.3, 0.62), uniform(rng, 0.3, 0.62)
    if chance(rng, 0.5):
        l = w
    h = uniform(rng, 0.02, 0.06)
    rim = uniform(rng, 0.012, 0.025)
    with d.part("housing") as p:
        box(d, p, p.obj, [0, -h / 2, 0], [w / 2 - rim * 0.5, h / 2, l / 2 - rim * 0.5], bevel=0.05)
    with d.part("frame") as p:
        square = p.helper("square")
        d.grow(
            [
                [w / 2 + rim / 2, -h - rim / 2, l / 2 + rim / 2],
                [-w / 2 - rim / 2, -h + rim / 2, -l / 2 - rim / 2],
            ]
        )
        p.call("create_square", name=square, length=Len(rim))
        p.call(
            "create_rectangle",
            name=p.obj,
            profile_name=square,
            width=Len(w),
            length=Len(l),
            location=Pos([0, -h, 0]),
            rotation=UP,
        )
    with d.part("diffuser") as p:
        p.call(
            "create_rectangle",
            name=p.obj,
            width=Len(w - rim),
            length=Len(l - rim),
            location=Pos([0, -h, 0]),
            rotation=DOWN,
        )
        p.call("curve2meshgrid", name=p.obj, resolution=int(rng.integers(4, 12)), thickness=Len(0.004))


def _rings(d: Design, rng: np.random.Generator) -> None:
    """One to three rings hanging by three wires from a canopy."""
    cr = uniform(rng, 0.05, 0.09)
    with d.part("canopy") as p:
        cylinder(d, p, p.obj, [0, 0, 0], [0, -0.025, 0], cr)
    drop = uniform(rng, 0.05, 0.35)
    rings = int(rng.integers(1, 4))
    big = uniform(rng, 0.2, 0.35)
    wire = uniform(rng, 0.008, 0.02)
    with d.part("wires") as p:
        mark = d.mark()
        tube(
            d,
            p,
            p.obj,
            [[cr * 0.6, -0.025, 0], [big, -0.025 - drop, 0]],
            0.0015,
            codes=[SHARP] * 4,
            resolution=1,
        )
        radial(d, p, p.obj, mark, [0, 0, 0], 3)
    for i in range(rings):
        with d.part("ring") as p:
            wire_ring(
                d,
                p,
                p.obj,
                [0, -0.025 - drop - i * uniform(rng, 0.0, 0.06), 0],
                big * (1 - 0.28 * i),
                wire,
            )


def _bowl(d: Design, rng: np.random.Generator) -> None:
    """A bowl hanging from a canopy on a stem or three rods; optional finial."""
    cr = uniform(rng, 0.05, 0.08)
    with d.part("canopy") as p:
        canopy(d, p, p.obj, 0.0, cr, uniform(rng, 0.02, 0.04))
    drop = uniform(rng, 0.08, 0.25)
    br, bh = uniform(rng, 0.15, 0.25), uniform(rng, 0.07, 0.14)
    y_rim = -drop
    if chance(rng, 0.5):
        with d.part("stem") as p:
            cylinder(d, p, p.obj, [0, -0.02, 0], [0, y_rim - bh * 0.6, 0], 0.008)
    else:
        with d.part("rods") as p:
            mark = d.mark()
            tube(
                d,
                p,
                p.obj,
                [[cr * 0.5, -0.02, 0], [br * 0.96, y_rim, 0]],
                0.003,
                codes=[SHARP] * 4,
                resolution=1,
            )
            radial(d, p, p.obj, mark, [0, 0, 0], 3)
    with d.part("bowl") as p:
        prof = [(0.0, -bh), (br * 0.55, -bh * 0.9), (br * 0.93, -bh * 0.4), (br, 0.0)]
        lathe(
            d,
            p,
            p.obj,
            prof,
            [0, y_rim, 0],
            codes=[SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP],
            thickness=0.004,
            resolution=12,
            smooth=True,
        )
    if chance(rng, 0.5):
        with d.part("finial") as p:
            sphere(d, p, p.obj, [0, y_rim - bh - 0.015, 0], 0.018)


def _spots(d: Design, rng: np.random.Generator) -> None:
    """One to four spotlights on a bar or a round plate, each on a joint, tilted and turned."""
    n = int(rng.integers(1, 5))
    bar = n > 1 and chance(rng, 0.6)
    if bar:
        length = uniform(rng, 0.2, 0.2 * n + 0.15)
        with d.part("base") as p:
            box(d, p, p.obj, [0, -0.015, 0], [length / 2, 0.015, 0.035], bevel=0.2)
        xs = np.linspace(-length / 2 + 0.07, length / 2 - 0.07, n)
        spots = [(float(x), 0.0) for x in xs]
    else:
        r = uniform(rng, 0.06, 0.1) if n == 1 else uniform(rng, 0.12, 0.18)
        with d.part("base") as p:
            cylinder(d, p, p.obj, [0, 0, 0], [0, -0.025, 0], r)
        spots = (
            [(0.0, 0.0)]
            if n == 1
            else [
                (
                    r * 0.6 * math.cos(2 * math.pi * i / n + 0.3),
                    r * 0.6 * math.sin(2 * math.pi * i / n + 0.3),
                )
                for i in range(n)
            ]
        )
    sr = uniform(rng, 0.03, 0.045)
    sl = sr * uniform(rng, 1.8, 3.0)
    for x, z in spots:
        tilt = uniform(rng, 0.0, 0.7)
        yaw = uniform(rng, 0, 2 * math.pi)
        axis = np.array([math.sin(tilt) * math.cos(yaw), -math.cos(tilt), math.sin(tilt) * math.sin(yaw)])
        joint = np.array([x, -0.05, z])
        with d.part("joint") as p:
            cylinder(d, p, p.obj, [x, -0.02, z], joint, 0.008)
        with d.part("spotlight") as p:
            cylinder(d, p, p.obj, joint + axis * 0.005, joint + axis * sl, sr)
            if chance(rng, 0.5):
                p.call("bevel", name=p.obj, width=0.15, segments=2)
