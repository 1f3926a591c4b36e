"""Table lamps."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.drawing.blocks import box, cylinder, lathe, sphere, tube
from meshcoder.data.generators.drawing.design import Design
from meshcoder.data.generators.drawing.sampling import chance, uniform
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
    foot_r = uniform(rng, 0.06, 0.1)
    if body in ("column", "candlestick", "ball", "gourd") and chance(rng, 0.7):
        with d.part("base") as p:
            bh = uniform(rng, 0.015, 0.035)
            if chance(rng, 0.5):
                cylinder(d, p, p.obj, [0, 0, 0], [0, bh, 0], foot_r * uniform(rng, 1.0, 1.3))
            else:
                s = foot_r * uniform(rng, 0.9, 1.2)
                box(d, p, p.obj, [0, bh / 2, 0], [s, bh / 2, s], bevel=0.1)
            y = bh
    hb = _body(d, rng, body, y)
    y += hb
    with d.part("neck") as p:
        nh = uniform(rng, 0.02, 0.08)
        cylinder(d, p, p.obj, [0, y, 0], [0, y + nh, 0], uniform(rng, 0.008, 0.014))
        sock = p.helper("socket")
        cylinder(d, p, sock, [0, y + nh, 0], [0, y + nh + 0.035, 0], 0.016)
        p.call("join_obj", name=p.obj, seq_name=[p.obj, sock])
    y += nh + 0.035
    bulb = uniform(rng, 0.08, 0.12)
    with d.part("bulb") as p:
        light_bulb(d, p, p.obj, [0, y, 0], bulb)
    style = pick(rng, ["drum", "empire", "bell", "coolie"], [0.35, 0.35, 0.2, 0.1])
    rb = float(np.clip(uniform(rng, 0.4, 0.62) * y, 0.09, 0.25))
    sh = rb * (uniform(rng, 0.8, 1.3) if style != "coolie" else uniform(rng, 0.5, 0.7))
    if style == "coolie":
        rb *= 1.25
    y_shade = y - sh * uniform(rng, 0.1, 0.35)
    prof = shade_part(d, rng, style, [0, y_shade, 0], rb, sh)
    if chance(rng, 0.4):
        with d.part("rims") as p:
            wire_ring(d, p, p.obj, [0, y_shade + prof[0][1], 0], prof[0][0], 0.004)
            wire_ring(d, p, p.helper("rim"), [0, y_shade + prof[-1][1], 0], prof[-1][0], 0.004)
            p.call("join_obj", name=p.obj, seq_name=[p.obj, p.helper("rim")])
    top = y_shade + sh
    if chance(rng, 0.55):
        hw = prof[-1][0] * 0.5 if style != "coolie" else 0.04
        with d.part("harp") as p:
            y0 = y - 0.01
            pts = [[-hw, y0, 0], [-hw, top - 0.02, 0], [0, top + 0.01, 0], [hw, top - 0.02, 0], [hw, y0, 0]]
            tube(
                d,
                p,
                p.obj,
                pts,
                0.003,
                codes=[SHARP, SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP, SHARP],
            )
        with d.part("finial") as p:
            sphere(d, p, p.obj, [0, top + 0.025, 0], uniform(rng, 0.012, 0.02))
    return d.build(final_query=chance(rng, 0.25))


def _body(d: Design, rng: np.random.Generator, body: str, y: float) -> float:
    """The lamp's body from height ``y`` up: turned vase, candlestick or gourd, a column, a ball or three
    splayed legs; returns its height."""
    with d.part("body") as p:
        hb = uniform(rng, 0.18, 0.38)
        if body == "vase":
            rmax = uniform(rng, 0.07, 0.14)
            rn = uniform(rng, 0.015, 0.035)
            prof = [
                (0.0, 0.0),
                (rmax * uniform(rng, 0.45, 0.75), 0.0),
                (rmax, hb * uniform(rng, 0.3, 0.6)),
                (rn * uniform(rng, 1.0, 1.6), hb * 0.88),
                (rn, hb),
                (0.0, hb),
            ]
            codes = [SHARP, SHARP, SHARP, AUTO] + [AUTO] * 4 + [AUTO, SHARP, SHARP, SHARP]
            lathe(d, p, p.obj, prof, [0, y, 0], codes=codes, resolution=12, smooth=True)
        elif body == "column":
            r = uniform(rng, 0.02, 0.045)
            if chance(rng, 0.6):
                cylinder(d, p, p.obj, [0, y, 0], [0, y + hb, 0], r)
            else:
                box(d, p, p.obj, [0, y + hb / 2, 0], [r, hb / 2, r], bevel=0.15)
        elif body == "candlestick":
            r = uniform(rng, 0.015, 0.025)
            beads = int(rng.integers(2, 5))
            prof = [(0.0, 0.0), (r * 2.2, 0.0), (r * 1.2, hb * 0.08)]
            for i in range(beads):
                t = 0.15 + 0.75 * (i + 0.5) / beads
                prof += [(r * uniform(rng, 1.5, 2.2), hb * t), (r, hb * (t + 0.35 / beads))]
            prof += [(r * 1.3, hb), (0.0, hb)]
            codes = [SHARP, SHARP] + [AUTO] * (2 * (len(prof) - 3)) + [SHARP, SHARP, SHARP, SHARP]
            codes[2:4] = [SHARP, AUTO]
            lathe(d, p, p.obj, prof, [0, y, 0], codes=codes, resolution=10, smooth=True)
        elif body == "ball":
            r = uniform(rng, 0.07, 0.12)
            hb = 2 * r
            sphere(d, p, p.obj, [0, y + r * 0.97, 0], r)
            hb = r * 1.94
        elif body == "gourd":
            r1, r2 = uniform(rng, 0.07, 0.11), uniform(rng, 0.04, 0.07)
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
            lathe(d, p, p.obj, prof, [0, y, 0], codes=codes, resolution=12, smooth=True)
        else:  # tripod: three splayed legs meeting under the shade
            spread = uniform(rng, 0.08, 0.14)
            hb = uniform(rng, 0.3, 0.45)
            lr = uniform(rng, 0.008, 0.013)
            for i in range(3):
                ang = 2 * math.pi * i / 3 + math.pi / 2
                foot = [spread * math.cos(ang), 0.0, spread * math.sin(ang)]
                nm = p.obj if i == 0 else p.helper("leg", i)
                cylinder(d, p, nm, foot, [0, hb, 0], lr)
            p.call("join_obj", name=p.obj, seq_name=[p.obj, p.helper("leg", 1), p.helper("leg", 2)])
    return hb
