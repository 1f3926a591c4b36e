"""Flush and semi-flush ceiling lights: domes, drums, LED panels, rings, bowls and spotlights."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.builder import PartWriter, ProgramBuilder
from meshcoder.data.frame import Frame
from meshcoder.data.generators.blocks import box, build, cylinder, lathe, part, sphere, tube
from meshcoder.data.generators.design import Design
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
    return build(d, final_query=rng.random() < 0.25)


def _plate_light(d: Design, rng: np.random.Generator, style: str) -> None:
    """A base plate under a dome diffuser (optional trim ring and finial) or a drum with a flat diffuser."""
    r = rng.uniform(0.14, 0.25)
    plate_h = rng.uniform(0.012, 0.03)
    with part(d, "base plate") as p:
        cylinder(p, p.obj, [0, 0, 0], [0, -plate_h, 0], r)
        if rng.random() < 0.5:
            p.call("bevel", name=p.obj, width=0.3, segments=2)
    y = -plate_h
    if style == "dome":
        h = r * rng.uniform(0.3, 0.6)
        rd = r * rng.uniform(0.88, 0.98)
        with part(d, "diffuser") as p:
            prof = [(0.0, -h), (rd * 0.55, -h * 0.93), (rd * 0.92, -h * 0.45), (rd, 0.0)]
            if rng.random() < 0.35:  # flat-bottomed
                prof = [(0.0, -h), (rd * 0.8, -h), (rd * 0.97, -h * 0.6), (rd, 0.0)]
            codes = [SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP]
            lathe(p, p.obj, prof, [0, y, 0], codes=codes, thickness=0.003, resolution=12, smooth=True)
        if rng.random() < 0.5:
            with part(d, "trim ring") as p:
                wire_ring(p, p.obj, [0, y, 0], rd, rng.uniform(0.005, 0.01))
        if rng.random() < 0.45:
            with part(d, "finial") as p:
                sphere(p, p.obj, [0, y - h - 0.012, 0], [0.018, 0.014, 0.018])
    else:
        h = r * rng.uniform(0.25, 0.5)
        with part(d, "drum") as p:
            lathe(p, p.obj, [(r * 0.97, 0.0), (r * 0.97, -h)], [0, y, 0], thickness=0.004, resolution=12)
        with part(d, "diffuser") as p:
            cylinder(p, p.obj, [0, y - h + 0.012, 0], [0, y - h + 0.004, 0], r * 0.95)
        if rng.random() < 0.5:
            with part(d, "trim ring") as p:
                wire_ring(p, p.obj, [0, y - h, 0], r * 0.97, 0.006)


def _panel(d: Design, rng: np.random.Generator) -> None:
    """An LED panel: a housing, a frame swept round it and a gridded diffuser."""
    w, l = rng.uniform(0.3, 0.62), rng.uniform(0.3, 0.62)
    if rng.random() < 0.5:
        l = w
    h = rng.uniform(0.02, 0.06)
    rim = rng.uniform(0.012, 0.025)
    with part(d, "housing") as p:
        box(p, p.obj, [0, -h / 2, 0], [w / 2 - rim * 0.5, h / 2, l / 2 - rim * 0.5], bevel=0.05)
    with part(d, "frame") as p:
        p.cover(
            [
                [w / 2 + rim / 2, -h - rim / 2, l / 2 + rim / 2],
                [-w / 2 - rim / 2, -h + rim / 2, -l / 2 - rim / 2],
            ]
        )

        def frame(wr: PartWriter, f: Frame) -> None:
            wr.call("create_square", name=wr.helper("square"), length=f.l(rim))
            wr.call(
                "create_rectangle",
                name=wr.obj,
                profile_name=wr.helper("square"),
                width=f.l(w),
                length=f.l(l),
                location=f.p([0, -h, 0]),
                rotation=UP,
            )

        p.write(frame)
    with part(d, "diffuser") as p:
        resolution = int(rng.integers(4, 12))

        def diffuser(wr: PartWriter, f: Frame) -> None:
            wr.call(
                "create_rectangle",
                name=wr.obj,
                width=f.l(w - rim),
                length=f.l(l - rim),
                location=f.p([0, -h, 0]),
                rotation=DOWN,
            )
            wr.call("curve2meshgrid", name=wr.obj, resolution=resolution, thickness=f.l(0.004))

        p.write(diffuser)


def _rings(d: Design, rng: np.random.Generator) -> None:
    """One to three rings hanging by three wires from a canopy."""
    cr = rng.uniform(0.05, 0.09)
    with part(d, "canopy") as p:
        cylinder(p, p.obj, [0, 0, 0], [0, -0.025, 0], cr)
    drop = rng.uniform(0.05, 0.35)
    rings = int(rng.integers(1, 4))
    big = rng.uniform(0.2, 0.35)
    wire = rng.uniform(0.008, 0.02)
    with part(d, "wires") as p:
        tube(
            p,
            p.obj,
            [[cr * 0.6, -0.025, 0], [big, -0.025 - drop, 0]],
            0.0015,
            codes=[SHARP] * 4,
            resolution=1,
        )
        radial(p, p.obj, [0, 0, 0], 3)
    for i in range(rings):
        with part(d, "ring") as p:
            wire_ring(
                p, p.obj, [0, -0.025 - drop - i * rng.uniform(0.0, 0.06), 0], big * (1 - 0.28 * i), wire
            )


def _bowl(d: Design, rng: np.random.Generator) -> None:
    """A bowl hanging from a canopy on a stem or three rods; optional finial."""
    cr = rng.uniform(0.05, 0.08)
    with part(d, "canopy") as p:
        canopy(p, p.obj, 0.0, cr, rng.uniform(0.02, 0.04))
    drop = rng.uniform(0.08, 0.25)
    br, bh = rng.uniform(0.15, 0.25), rng.uniform(0.07, 0.14)
    y_rim = -drop
    if rng.random() < 0.5:
        with part(d, "stem") as p:
            cylinder(p, p.obj, [0, -0.02, 0], [0, y_rim - bh * 0.6, 0], 0.008)
    else:
        with part(d, "rods") as p:
            tube(
                p,
                p.obj,
                [[cr * 0.5, -0.02, 0], [br * 0.96, y_rim, 0]],
                0.003,
                codes=[SHARP] * 4,
                resolution=1,
            )
            radial(p, p.obj, [0, 0, 0], 3)
    with part(d, "bowl") as p:
        prof = [(0.0, -bh), (br * 0.55, -bh * 0.9), (br * 0.93, -bh * 0.4), (br, 0.0)]
        lathe(
            p,
            p.obj,
            prof,
            [0, y_rim, 0],
            codes=[SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP],
            thickness=0.004,
            resolution=12,
            smooth=True,
        )
    if rng.random() < 0.5:
        with part(d, "finial") as p:
            sphere(p, p.obj, [0, y_rim - bh - 0.015, 0], 0.018)


def _spots(d: Design, rng: np.random.Generator) -> None:
    """One to four spotlights on a bar or a round plate, each on a joint, tilted and turned."""
    n = int(rng.integers(1, 5))
    bar = n > 1 and rng.random() < 0.6
    if bar:
        length = rng.uniform(0.2, 0.2 * n + 0.15)
        with part(d, "base") as p:
            box(p, p.obj, [0, -0.015, 0], [length / 2, 0.015, 0.035], bevel=0.2)
        xs = np.linspace(-length / 2 + 0.07, length / 2 - 0.07, n)
        spots = [(float(x), 0.0) for x in xs]
    else:
        r = rng.uniform(0.06, 0.1) if n == 1 else rng.uniform(0.12, 0.18)
        with part(d, "base") as p:
            cylinder(p, p.obj, [0, 0, 0], [0, -0.025, 0], r)
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
    sr = rng.uniform(0.03, 0.045)
    sl = sr * rng.uniform(1.8, 3.0)
    for x, z in spots:
        tilt = rng.uniform(0.0, 0.7)
        yaw = rng.uniform(0, 2 * math.pi)
        axis = np.array([math.sin(tilt) * math.cos(yaw), -math.cos(tilt), math.sin(tilt) * math.sin(yaw)])
        joint = np.array([x, -0.05, z])
        with part(d, "joint") as p:
            cylinder(p, p.obj, [x, -0.02, z], joint, 0.008)
        with part(d, "spotlight") as p:
            cylinder(p, p.obj, joint + axis * 0.005, joint + axis * sl, sr)
            if rng.random() < 0.5:
                p.call("bevel", name=p.obj, width=0.15, segments=2)
