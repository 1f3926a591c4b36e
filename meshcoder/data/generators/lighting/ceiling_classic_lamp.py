"""Ceiling lamps that hang: pendants, chandeliers and pendant clusters."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.blocks import box, build, cylinder, lathe, part, sphere, tube
from meshcoder.data.generators.design import Design
from meshcoder.data.generators.geometry import AUTO, SHARP, pick
from meshcoder.data.generators.lighting.parts import (
    canopy,
    light_bulb,
    radial,
    shade_part,
    shade_profile,
    suspension,
    wire_ring,
)
from meshcoder.data.generators.registry import register


@register("CeilingClassicLamp")
def ceiling_classic_lamp(rng: np.random.Generator) -> ProgramBuilder:
    """Pendants (cord, rod, chain or coiled cord; dome, cone, bell, empire, globe or classic drum shade
    with rims and spokes), chandeliers (turned column, 3-8 swept arms, cups, candles, flame bulbs,
    optional shades and ring, all radial arrays) and clusters of pendants on a round or linear canopy."""
    style = pick(rng, ["pendant", "chandelier", "cluster"], [0.5, 0.35, 0.15])
    d = Design(
        {"pendant": "pendant lamp", "chandelier": "chandelier", "cluster": "pendant cluster lamp"}[style]
    )
    if style == "pendant":
        _pendant(d, rng)
    elif style == "chandelier":
        _chandelier(d, rng)
    else:  # cluster
        _cluster(d, rng)
    return build(d, final_query=rng.random() < 0.25)


def _pendant(d: Design, rng: np.random.Generator) -> None:
    """One shade (dome, cone, bell, drum with rims and spokes, empire or globe) and its bulb, hanging from
    a canopy by a cord, rod, chain or coiled cord."""
    cr, ch = rng.uniform(0.045, 0.08), rng.uniform(0.02, 0.045)
    with part(d, "canopy") as p:
        canopy(p, p.obj, 0.0, cr, ch)
    drop = rng.uniform(0.25, 0.9)
    hang = pick(rng, ["cord", "rod", "chain", "coiled"], [0.5, 0.25, 0.15, 0.1])
    suspension(d, rng, [0, -ch, 0], drop, hang)
    y = -ch - drop
    sock_h = rng.uniform(0.04, 0.08)
    with part(d, "socket") as p:
        cylinder(p, p.obj, [0, y, 0], [0, y - sock_h, 0], rng.uniform(0.016, 0.024))
    y -= sock_h
    shade = pick(
        rng, ["dome", "cone", "bell", "drum", "globe", "empire"], [0.22, 0.18, 0.15, 0.2, 0.12, 0.13]
    )
    rb = rng.uniform(0.12, 0.25)
    if shade == "globe":
        r = rng.uniform(0.1, 0.17)
        with part(d, "globe") as p:
            prof = [(0.0, 0.0), (r * 0.7, r * 0.05), (r, r), (r * 0.55, r * 1.93), (0.03, r * 1.97)]
            codes = [SHARP, AUTO] + [AUTO] * 6 + [AUTO, SHARP]
            lathe(
                p,
                p.obj,
                prof,
                [0, y + 0.03 - r * 1.97, 0],
                codes=codes,
                thickness=0.004,
                resolution=12,
                smooth=True,
            )
        with part(d, "bulb") as p:
            light_bulb(p, p.obj, [0, y, 0], rng.uniform(0.08, 0.11), axis=(0, -1, 0))
    elif shade == "drum":
        sh = rb * rng.uniform(0.6, 1.0)
        top = y + sh * rng.uniform(0.3, 0.6)
        prof = shade_part(d, rng, "drum", [0, top - sh, 0], rb, sh)
        with part(d, "rims") as p:
            wire_ring(p, p.obj, [0, top - sh, 0], prof[0][0], 0.004)
            wire_ring(p, p.helper("rim"), [0, top, 0], prof[-1][0], 0.004)
            p.call("join_obj", name=p.obj, seq_name=[p.obj, p.helper("rim")])
        with part(d, "spokes") as p:
            tube(
                p, p.obj, [[0.02, y + 0.02, 0], [prof[-1][0], top, 0]], 0.003, codes=[SHARP] * 4, resolution=1
            )
            radial(p, p.obj, [0, top, 0], pick(rng, [3, 4]))
        with part(d, "bulb") as p:
            light_bulb(p, p.obj, [0, y, 0], rng.uniform(0.08, 0.11), axis=(0, -1, 0))
        if rng.random() < 0.4:
            with part(d, "diffuser") as p:
                cylinder(p, p.obj, [0, top - sh + 0.004, 0], [0, top - sh + 0.01, 0], prof[0][0] * 0.98)
    else:
        sh = rb * (rng.uniform(0.5, 0.9) if shade != "empire" else rng.uniform(0.8, 1.1))
        shade_part(d, rng, shade, [0, y + 0.02 - sh, 0], rb, sh)
        with part(d, "bulb") as p:
            light_bulb(p, p.obj, [0, y, 0], rng.uniform(0.08, 0.11), axis=(0, -1, 0))


def _chandelier(d: Design, rng: np.random.Generator) -> None:
    """A turned column hanging from a canopy, its arms and what they carry (:func:`_candle_arms`), an
    optional ring and a finial."""
    cr, ch = rng.uniform(0.05, 0.09), rng.uniform(0.025, 0.05)
    with part(d, "canopy") as p:
        canopy(p, p.obj, 0.0, cr, ch)
    drop = rng.uniform(0.1, 0.5)
    suspension(d, rng, [0, -ch, 0], drop, pick(rng, ["rod", "chain"], [0.6, 0.4]))
    y = -ch - drop
    hc, rc = rng.uniform(0.16, 0.35), rng.uniform(0.03, 0.055)
    with part(d, "column") as p:
        beads = int(rng.integers(1, 4))
        prof = [(0.0, 0.0), (rc * 0.6, 0.0)]
        for i in range(beads):
            t = (i + 0.5) / beads
            prof += [(rc * rng.uniform(0.8, 1.0), hc * (t - 0.3 / beads)), (rc * 0.45, hc * t)]
        prof += [(rc * 0.35, hc), (0.0, hc)]
        codes = [SHARP, SHARP, SHARP, AUTO] + [AUTO] * (2 * (len(prof) - 4)) + [AUTO, SHARP, SHARP, SHARP]
        lathe(p, p.obj, prof, [0, y - hc, 0], codes=codes, resolution=10, smooth=True)
    n = pick(rng, [3, 4, 5, 6, 8], [0.15, 0.2, 0.25, 0.25, 0.15])
    reach = rng.uniform(0.2, 0.38)
    y_arm = y - hc * rng.uniform(0.55, 0.8)
    y_cup = y_arm + rng.uniform(-0.02, 0.1)
    _candle_arms(d, rng, n, rc, reach, y_arm, y_cup)
    if rng.random() < 0.35:
        with part(d, "ring") as p:
            wire_ring(p, p.obj, [0, y_arm - 0.05, 0], reach * rng.uniform(0.45, 0.7), 0.005)
    with part(d, "finial") as p:
        fh = rng.uniform(0.04, 0.1)
        prof = [(0.0, 0.0), (rc * 0.5, fh * 0.6), (rc * 0.3, fh), (0.0, fh)]
        lathe(
            p,
            p.obj,
            prof,
            [0, y - hc - fh, 0],
            codes=[SHARP, SHARP, AUTO, AUTO, AUTO, SHARP, SHARP, SHARP],
            resolution=8,
        )


def _cluster(d: Design, rng: np.random.Generator) -> None:
    """Three to five pendants on one round or linear canopy."""
    n = int(rng.integers(3, 6))
    linear = rng.random() < 0.4
    if linear:
        length = rng.uniform(0.5, 1.0)
        xs = np.linspace(-length / 2 + 0.06, length / 2 - 0.06, n)
        spots = [(float(x), 0.0) for x in xs]
        with part(d, "canopy") as p:
            box(p, p.obj, [0, -0.015, 0], [length / 2, 0.015, rng.uniform(0.03, 0.06)], bevel=0.2)
    else:
        cr = rng.uniform(0.12, 0.22)
        spots = [
            (cr * 0.65 * math.cos(2 * math.pi * i / n), cr * 0.65 * math.sin(2 * math.pi * i / n))
            for i in range(n)
        ]
        with part(d, "canopy") as p:
            cylinder(p, p.obj, [0, 0, 0], [0, -0.03, 0], cr)
    shade = pick(rng, ["globe", "cone", "dome", "bell"])
    for x, z in spots:
        drop = rng.uniform(0.25, 0.75)
        with part(d, "cord") as p:
            tube(p, p.obj, [[x, -0.02, z], [x, -drop, z]], 0.003, codes=[SHARP] * 4, resolution=1)
        r = rng.uniform(0.05, 0.09)
        with part(d, "shade") as p:
            if shade == "globe":
                sphere(p, p.obj, [x, -drop - r * 0.95, z], r)
            else:
                prof, codes = shade_profile(rng, shade, r, r * rng.uniform(0.8, 1.3))
                h = prof[-1][1]
                lathe(p, p.obj, prof, [x, -drop - h, z], codes=codes, thickness=0.003, resolution=8)


def _candle_arms(
    d: Design, rng: np.random.Generator, n: int, rc: float, reach: float, y_arm: float, y_cup: float
) -> None:
    """``n`` swept arms from the column (radius ``rc``) out to ``reach``, each with a cup, an optional
    candle, a flame bulb and an optional shade, all repeated round the column."""
    centre = [0, y_arm, 0]
    with part(d, "arms") as p:
        pts = [
            [rc * 0.6, y_arm, 0],
            [reach * 0.4, y_arm - rng.uniform(0.04, 0.1), 0],
            [reach * 0.85, y_cup - 0.06, 0],
            [reach, y_cup, 0],
        ]
        tube(p, p.obj, pts, rng.uniform(0.005, 0.009), codes=[SHARP] + [AUTO] * 6 + [SHARP], resolution=8)
        radial(p, p.obj, centre, n)
    cup_r = rng.uniform(0.025, 0.04)
    with part(d, "cups") as p:
        prof = [
            (0.0, 0.0),
            (cup_r * 0.3, 0.0),
            (cup_r, cup_r * 0.5),
            (cup_r * 0.9, cup_r * 0.6),
            (0.0, cup_r * 0.35),
        ]
        lathe(
            p,
            p.obj,
            prof,
            [reach, y_cup, 0],
            codes=[SHARP, SHARP, SHARP, AUTO, AUTO, SHARP, SHARP, SHARP, SHARP, SHARP],
            resolution=6,
        )
        radial(p, p.obj, centre, n)
    y_top = y_cup + cup_r * 0.35
    if rng.random() < 0.7:
        ch_h = rng.uniform(0.05, 0.11)
        with part(d, "candles") as p:
            cylinder(p, p.obj, [reach, y_top, 0], [reach, y_top + ch_h, 0], rng.uniform(0.009, 0.014))
            radial(p, p.obj, centre, n)
        y_top += ch_h
    with part(d, "bulbs") as p:
        size = rng.uniform(0.04, 0.07)
        flame = [(0.0, 0.0), (size * 0.2, 0.0), (size * 0.3, size * 0.35), (0.0, size)]
        lathe(
            p,
            p.obj,
            flame,
            [reach, y_top, 0],
            codes=[SHARP, SHARP, SHARP, AUTO, AUTO, AUTO, SHARP, SHARP],
            resolution=5,
        )
        radial(p, p.obj, centre, n)
    if rng.random() < 0.45:
        with part(d, "shades") as p:
            srb = rng.uniform(0.04, 0.07)
            ssh = srb * rng.uniform(1.0, 1.4)
            prof, codes = shade_profile(rng, pick(rng, ["empire", "bell", "drum"]), srb, ssh)
            lathe(p, p.obj, prof, [reach, y_top - ssh * 0.3, 0], codes=codes, thickness=0.003, resolution=8)
            radial(p, p.obj, centre, n)
