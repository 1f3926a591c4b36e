"""Table lamps."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.blocks import box, build, cylinder, lathe, part, sphere, tube
from meshcoder.data.generators.design import Design
from meshcoder.data.generators.geometry import AUTO, SHARP, pick
from meshcoder.data.generators.lighting.parts import light_bulb, shade_part, wire_ring
from meshcoder.data.generators.registry import register


@register("Lamp")
def lamp(rng: np.random.Generator) -> ProgramBuilder:
    """Table lamps: vase, column, candlestick, ball, gourd or tripod body (optional plinth), neck and
    socket, bulb, a drum, empire, bell or coolie shade (lathe), optional wire rims, harp and finial."""
    body = pick(rng, ["vase", "column", "candlestick", "ball", "tripod", "gourd"])
    d = Design(pick(rng, ["table lamp", "lamp", "bedside lamp"]))
    y = 0.0
    foot_r = rng.uniform(0.06, 0.1)
    if body in ("column", "candlestick", "ball", "gourd") and rng.random() < 0.7:
        with part(d, "base") as p:
            bh = rng.uniform(0.015, 0.035)
            if rng.random() < 0.5:
                cylinder(p, p.obj, [0, 0, 0], [0, bh, 0], foot_r * rng.uniform(1.0, 1.3))
            else:
                s = foot_r * rng.uniform(0.9, 1.2)
                box(p, p.obj, [0, bh / 2, 0], [s, bh / 2, s], bevel=0.1)
            y = bh
    hb = _body(d, rng, body, y)
    y += hb
    with part(d, "neck") as p:
        nh = rng.uniform(0.02, 0.08)
        cylinder(p, p.obj, [0, y, 0], [0, y + nh, 0], rng.uniform(0.008, 0.014))
        sock = p.helper("socket")
        cylinder(p, sock, [0, y + nh, 0], [0, y + nh + 0.035, 0], 0.016)
        p.call("join_obj", name=p.obj, seq_name=[p.obj, sock])
    y += nh + 0.035
    bulb = rng.uniform(0.08, 0.12)
    with part(d, "bulb") as p:
        light_bulb(p, p.obj, [0, y, 0], bulb)
    style = pick(rng, ["drum", "empire", "bell", "coolie"], [0.35, 0.35, 0.2, 0.1])
    rb = float(np.clip(rng.uniform(0.4, 0.62) * y, 0.09, 0.25))
    sh = rb * (rng.uniform(0.8, 1.3) if style != "coolie" else rng.uniform(0.5, 0.7))
    if style == "coolie":
        rb *= 1.25
    y_shade = y - sh * rng.uniform(0.1, 0.35)
    prof = shade_part(d, rng, style, [0, y_shade, 0], rb, sh)
    if rng.random() < 0.4:
        with part(d, "rims") as p:
            wire_ring(p, p.obj, [0, y_shade + prof[0][1], 0], prof[0][0], 0.004)
            wire_ring(p, p.helper("rim"), [0, y_shade + prof[-1][1], 0], prof[-1][0], 0.004)
            p.call("join_obj", name=p.obj, seq_name=[p.obj, p.helper("rim")])
    top = y_shade + sh
    if rng.random() < 0.55:
        hw = prof[-1][0] * 0.5 if style != "coolie" else 0.04
        with part(d, "harp") as p:
            y0 = y - 0.01
            pts = [[-hw, y0, 0], [-hw, top - 0.02, 0], [0, top + 0.01, 0], [hw, top - 0.02, 0], [hw, y0, 0]]
            tube(
                p, p.obj, pts, 0.003, codes=[SHARP, SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP, SHARP]
            )
        with part(d, "finial") as p:
            sphere(p, p.obj, [0, top + 0.025, 0], rng.uniform(0.012, 0.02))
    return build(d, final_query=rng.random() < 0.25)


def _body(d: Design, rng: np.random.Generator, body: str, y: float) -> float:
    """The lamp's body from height ``y`` up: turned vase, candlestick or gourd, a column, a ball or three
    splayed legs; returns its height."""
    with part(d, "body") as p:
        hb = rng.uniform(0.18, 0.38)
        if body == "vase":
            rmax = rng.uniform(0.07, 0.14)
            rn = rng.uniform(0.015, 0.035)
            prof = [
                (0.0, 0.0),
                (rmax * rng.uniform(0.45, 0.75), 0.0),
                (rmax, hb * rng.uniform(0.3, 0.6)),
                (rn * rng.uniform(1.0, 1.6), hb * 0.88),
                (rn, hb),
                (0.0, hb),
            ]
            codes = [SHARP, SHARP, SHARP, AUTO] + [AUTO] * 4 + [AUTO, SHARP, SHARP, SHARP]
            lathe(p, p.obj, prof, [0, y, 0], codes=codes, resolution=12, smooth=True)
        elif body == "column":
            r = rng.uniform(0.02, 0.045)
            if rng.random() < 0.6:
                cylinder(p, p.obj, [0, y, 0], [0, y + hb, 0], r)
            else:
                box(p, p.obj, [0, y + hb / 2, 0], [r, hb / 2, r], bevel=0.15)
        elif body == "candlestick":
            r = rng.uniform(0.015, 0.025)
            beads = int(rng.integers(2, 5))
            prof = [(0.0, 0.0), (r * 2.2, 0.0), (r * 1.2, hb * 0.08)]
            for i in range(beads):
                t = 0.15 + 0.75 * (i + 0.5) / beads
                prof += [(r * rng.uniform(1.5, 2.2), hb * t), (r, hb * (t + 0.35 / beads))]
            prof += [(r * 1.3, hb), (0.0, hb)]
            codes = [SHARP, SHARP] + [AUTO] * (2 * (len(prof) - 3)) + [SHARP, SHARP, SHARP, SHARP]
            codes[2:4] = [SHARP, AUTO]
            lathe(p, p.obj, prof, [0, y, 0], codes=codes, resolution=10, smooth=True)
        elif body == "ball":
            r = rng.uniform(0.07, 0.12)
            hb = 2 * r
            sphere(p, p.obj, [0, y + r * 0.97, 0], r)
            hb = r * 1.94
        elif body == "gourd":
            r1, r2 = rng.uniform(0.07, 0.11), rng.uniform(0.04, 0.07)
            prof = [
                (0.0, 0.0),
                (r1 * 0.6, 0.0),
                (r1, r1 * 0.9),
                (r2 * 0.6, 2 * r1),
                (r2, 2 * r1 + r2),
                (0.015, 2 * r1 + 2 * r2),
                (0.0, 2 * r1 + 2 * r2),
            ]
            codes = [SHARP, SHARP, SHARP, AUTO] + [AUTO] * 6 + [AUTO, SHARP, SHARP, SHARP]
            hb = 2 * r1 + 2 * r2
            lathe(p, p.obj, prof, [0, y, 0], codes=codes, resolution=12, smooth=True)
        else:  # tripod: three splayed legs meeting under the shade
            spread = rng.uniform(0.08, 0.14)
            hb = rng.uniform(0.3, 0.45)
            lr = rng.uniform(0.008, 0.013)
            for i in range(3):
                ang = 2 * math.pi * i / 3 + math.pi / 2
                foot = [spread * math.cos(ang), 0.0, spread * math.sin(ang)]
                nm = p.obj if i == 0 else p.helper("leg", i)
                cylinder(p, nm, foot, [0, hb, 0], lr)
            p.call("join_obj", name=p.obj, seq_name=[p.obj, p.helper("leg", 1), p.helper("leg", 2)])
    return hb
