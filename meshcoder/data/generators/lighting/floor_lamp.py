"""Floor lamps: standard, arc, tripod and torchiere."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.blocks import build, cylinder, lathe, part, sphere, tube
from meshcoder.data.generators.design import Design
from meshcoder.data.generators.geometry import AUTO, SHARP, pick
from meshcoder.data.generators.lighting.parts import (
    arc_tube,
    lamp_base,
    lamp_head,
    light_bulb,
    shade_part,
    spring,
)
from meshcoder.data.generators.registry import register


@register("FloorLamp")
def floor_lamp(rng: np.random.Generator) -> ProgramBuilder:
    """Standard (pole, socket, bulb, shade, optional coupling, twist, harp and finial), arc (swept arch
    over a marble or disc base, hanging dome), tripod (drum shade or spotlight on a yoke) and torchiere
    (uplighter bowl, optional reading arm) floor lamps."""
    style = pick(rng, ["standard", "arc", "tripod", "torchiere"], [0.35, 0.25, 0.2, 0.2])
    d = Design(pick(rng, ["floor lamp", "standing lamp"]) if style != "arc" else "arc floor lamp")
    height = rng.uniform(1.35, 1.85)
    pole_r = rng.uniform(0.012, 0.02)
    if style == "standard":
        _standard(d, rng, height, pole_r)
    elif style == "arc":
        _arc(d, rng, height, pole_r)
    elif style == "tripod":
        _tripod(d, rng, height)
    else:  # torchiere
        _torchiere(d, rng, height, pole_r)
    return build(d, final_query=rng.random() < 0.25)


def _standard(d: Design, rng: np.random.Generator, height: float, pole_r: float) -> None:
    """A pole on a base, socket, bulb and shade; optional coupling, twist, harp and finial."""
    base_r, base_h = rng.uniform(0.13, 0.2), rng.uniform(0.02, 0.05)
    lamp_base(d, rng, base_r, base_h)
    style_shade = pick(rng, ["drum", "empire", "bell"], [0.45, 0.4, 0.15])
    rb = rng.uniform(0.17, 0.27)
    sh = rb * rng.uniform(0.9, 1.4)
    shade_y = height - sh
    socket_y = shade_y + sh * rng.uniform(0.2, 0.4)
    with part(d, "pole") as p:
        cylinder(p, p.obj, [0, base_h, 0], [0, socket_y, 0], pole_r)
    if rng.random() < 0.4:
        with part(d, "coupling") as p:
            ky = rng.uniform(0.35, 0.6) * socket_y
            sphere(p, p.obj, [0, ky, 0], [pole_r * 1.8, pole_r * 2.5, pole_r * 1.8])
    if rng.random() < 0.15:
        with part(d, "twist") as p:  # a wrought-iron twist wound round the pole
            y0, y1 = base_h + 0.1, socket_y * rng.uniform(0.5, 0.9)
            spring(p, p.obj, [0, y0, 0], [0, y1, 0], pole_r * 1.7, rng.uniform(0.06, 0.12))
    with part(d, "socket") as p:
        cylinder(p, p.obj, [0, socket_y, 0], [0, socket_y + 0.06, 0], 0.018)
    with part(d, "bulb") as p:
        light_bulb(p, p.obj, [0, socket_y + 0.06, 0], 0.11)
    prof = shade_part(d, rng, style_shade, [0, shade_y, 0], rb, sh)
    if rng.random() < 0.4:
        with part(d, "finial") as p:
            sphere(p, p.obj, [0, height + 0.02, 0], 0.018)
        with part(d, "harp") as p:
            hw = prof[-1][0] * 0.45
            pts = [
                [-hw, socket_y, 0],
                [-hw, height - 0.02, 0],
                [0, height + 0.005, 0],
                [hw, height - 0.02, 0],
                [hw, socket_y, 0],
            ]
            tube(
                p, p.obj, pts, 0.004, codes=[SHARP, SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP, SHARP]
            )


def _arc(d: Design, rng: np.random.Generator, height: float, pole_r: float) -> None:
    """An arch swept over a marble or disc base, a drop rod and a hanging head."""
    reach = rng.uniform(1.0, 1.7)
    height = max(height, 1.6)
    marble = rng.random() < 0.5
    base_h = rng.uniform(0.05, 0.1) if marble else rng.uniform(0.03, 0.05)
    base_r = rng.uniform(0.16, 0.24)
    lamp_base(d, rng, base_r, base_h, "square" if marble else "disc")
    tip_y = height * rng.uniform(0.8, 0.93)
    lean = rng.uniform(0.0, 0.12)
    pts = [
        [0.0, base_h, 0.0],
        [reach * lean * 0.3, height * 0.45, 0.0],
        [reach * (0.1 + lean), height * 0.85, 0.0],
        [reach * 0.5, height, 0.0],
        [reach * 0.85, height * 0.5 + tip_y * 0.5, 0.0],
        [reach, tip_y, 0.0],
    ]
    with part(d, "arc") as p:
        tube(p, p.obj, pts, pole_r * 1.1, codes=[SHARP] + [AUTO] * 10 + [SHARP], resolution=10)
    p3 = np.asarray(pts[-1])
    drop = rng.uniform(0.05, 0.2)
    with part(d, "drop rod") as p:
        cylinder(p, p.obj, p3 + np.array([0, 0.01, 0]), p3 - np.array([0, drop, 0]), pole_r * 0.7)
    rb = rng.uniform(0.17, 0.26)
    lamp_head(
        d,
        rng,
        p3 - [0, drop, 0],
        [0, -1, 0],
        rb,
        rb * rng.uniform(0.6, 0.9),
        pick(rng, ["dome", "cone", "bell"]),
    )


def _tripod(d: Design, rng: np.random.Generator, height: float) -> None:
    """Three legs meeting at a hub, with a shade and bulb or a spotlight on a yoke."""
    spread = rng.uniform(0.28, 0.42)
    hub_y = height * rng.uniform(0.68, 0.82)
    leg_r = rng.uniform(0.01, 0.02)
    turn = rng.uniform(0.0, 2 * math.pi / 3)
    for i in range(3):
        ang = turn + 2 * math.pi * i / 3
        with part(d, "leg") as p:
            cylinder(
                p, p.obj, [spread * math.cos(ang), 0, spread * math.sin(ang)], [0, hub_y + 0.02, 0], leg_r
            )
    with part(d, "hub") as p:
        cylinder(p, p.obj, [0, hub_y - 0.05, 0], [0, hub_y + 0.04, 0], leg_r * 2.4)
    if rng.random() < 0.55:
        rb = rng.uniform(0.2, 0.3)
        sh = rb * rng.uniform(0.8, 1.2)
        with part(d, "stem") as p:
            cylinder(p, p.obj, [0, hub_y + 0.04, 0], [0, hub_y + 0.04 + sh * 0.4, 0], 0.015)
        with part(d, "bulb") as p:
            light_bulb(p, p.obj, [0, hub_y + 0.04 + sh * 0.4, 0], 0.1)
        shade_part(d, rng, pick(rng, ["drum", "empire"]), [0, hub_y + 0.04, 0], rb, sh)
    else:  # a spotlight head on a yoke, tilted forward
        tilt = rng.uniform(0.2, 0.8)
        axis = np.array([0.0, math.cos(tilt), math.sin(tilt)])
        centre = np.array([0, hub_y + 0.16, 0])
        r = rng.uniform(0.1, 0.16)
        with part(d, "yoke") as p:
            pts = [
                [-r - 0.02, hub_y + 0.16, 0],
                [-r - 0.02, hub_y + 0.04, 0],
                [r + 0.02, hub_y + 0.04, 0],
                [r + 0.02, hub_y + 0.16, 0],
            ]
            tube(p, p.obj, pts, 0.008, codes=[SHARP] * 8, resolution=1)
        with part(d, "spotlight") as p:
            length = r * rng.uniform(1.4, 2.2)
            cylinder(p, p.obj, centre - axis * length * 0.45, centre + axis * length * 0.55, r)
        with part(d, "lens") as p:
            tip = centre + axis * length * 0.55
            cylinder(p, p.obj, tip, tip + axis * 0.01, r * 0.85)


def _torchiere(d: Design, rng: np.random.Generator, height: float, pole_r: float) -> None:
    """An uplighter bowl on a pole, sometimes with a reading arm."""
    base_r, base_h = rng.uniform(0.13, 0.2), rng.uniform(0.02, 0.05)
    lamp_base(d, rng, base_r, base_h)
    bh = rng.uniform(0.12, 0.22)
    br = rng.uniform(0.17, 0.28)
    y_bowl = height - bh
    with part(d, "pole") as p:
        cylinder(p, p.obj, [0, base_h, 0], [0, y_bowl + 0.02, 0], pole_r)
    with part(d, "bowl") as p:
        prof = [(0.03, 0.0), (br * 0.45, bh * 0.35), (br * 0.85, bh * 0.8), (br, bh)]
        codes = [SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP]
        if rng.random() < 0.4:
            prof, codes = [(0.03, 0.0), (br, bh)], [SHARP] * 4
        lathe(p, p.obj, prof, [0, y_bowl, 0], codes=codes, thickness=0.004, resolution=12)
    if rng.random() < 0.4:
        y0 = height * rng.uniform(0.55, 0.7)
        sx = 1.0 if rng.random() < 0.5 else -1.0
        reach = rng.uniform(0.2, 0.35)
        pts = [[0, y0, 0], [sx * 0.08, y0 + 0.12, 0], [sx * reach, y0 + 0.2, 0]]
        with part(d, "reading arm") as p:
            if rng.random() < 0.5:
                arc_tube(p, p.obj, *pts, 0.007)
            else:
                tube(p, p.obj, pts, 0.007, codes=[SHARP, AUTO, AUTO, AUTO, AUTO, SHARP], resolution=10)
        light = np.array([sx * 0.4, -1.0, 0.0])
        lamp_head(
            d,
            rng,
            np.asarray(pts[-1]),
            light,
            rng.uniform(0.05, 0.075),
            rng.uniform(0.07, 0.1),
            "cone",
        )
