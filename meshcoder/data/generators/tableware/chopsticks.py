"""Chopsticks: a pair of tapered sticks, laid side by side, crossed, held or on a rest."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.design import Design, arc_sweep, primitive
from meshcoder.data.generators.geometry import pick, quat_to
from meshcoder.data.generators.registry import register


@register("Chopsticks")
def chopsticks(rng: np.random.Generator) -> ProgramBuilder:
    """A pair of chopsticks, round, square, octagonal or flat, tapered to the tips (zoom_upper_face):
    side by side, crossed or held in a V; optional decorative bands and a chopstick rest."""
    style = pick(rng, {"round": 3, "square": 2, "octagonal": 1.5, "flat": 1})
    layout = pick(rng, {"parallel": 3, "crossed": 1.5, "held": 1.5, "rest": 2})
    L = rng.uniform(0.2, 0.27)
    r = rng.uniform(0.0035, 0.0055)
    taper = float(rng.uniform(0.3, 0.6))
    d = Design("chopsticks")
    gap = rng.uniform(0.006, 0.02)

    # Each stick: its top-end centre and direction to the tip, in metres.
    if layout == "parallel":
        sticks = [((-L / 2, r, z), (1.0, 0.0, 0.0)) for z in (-gap / 2 - r, gap / 2 + r)]
    elif layout == "crossed":
        a = math.radians(rng.uniform(8, 25))
        sticks = [
            ((-L / 2 * math.cos(a), r, s * L / 2 * math.sin(a)), (math.cos(a), 0.0, -s * math.sin(a)))
            for s in (-1, 1)
        ]
        sticks[1] = ((sticks[1][0][0], 3 * r, sticks[1][0][2]), sticks[1][1])
    elif layout == "held":
        a = math.radians(rng.uniform(4, 12))
        sticks = [
            ((-L / 2, r, s * (L * math.sin(a) / 2 + r)), (math.cos(a), 0.0, -s * math.sin(a)))
            for s in (-1, 1)
        ]
    else:  # on a rest, which is drawn first
        sticks = _on_rest(d, rng, L, r, gap)

    shape = {
        "round": ("cylinder", None),
        "square": ("cube", None),
        "octagonal": ("cylinder", [8, 1]),
        "flat": ("cube", None),
    }[style]
    band = rng.random() < 0.25
    band_at, band_len = rng.uniform(0.15, 0.3), rng.uniform(0.01, 0.025)
    for top, direction in sticks:
        u = np.asarray(direction) / np.linalg.norm(direction)
        centre = np.asarray(top) + u * L / 2
        scale = (r, r * (0.45 if style == "flat" else 1.0), L / 2)
        primitive(
            d, "chopstick", shape[0], tuple(centre), scale, quat_to(u), taper=taper, resolution=shape[1]
        )
        if band:
            c = np.asarray(top) + u * L * band_at
            s = 1.0 - (1.0 - taper) * band_at
            primitive(
                d,
                "band",
                shape[0],
                tuple(c),
                (r * s * 1.12, r * s * 1.12 * (0.45 if style == "flat" else 1.0), band_len / 2),
                quat_to(u),
                resolution=shape[1],
            )
    return d.builder()


def _on_rest(d: Design, rng: np.random.Generator, L: float, r: float, gap: float) -> list:
    """A chopstick rest (a bar, a block or a sagging boat) and the two sticks lying on it, their tips
    on the table: returns each stick's top-end centre and direction."""
    sticks = []
    rest_h = rng.uniform(0.008, 0.015)
    rest_x = -L / 2 + L * rng.uniform(0.55, 0.7)
    rest_len = 2 * (gap + 2 * r) + rng.uniform(0.015, 0.03)
    kind = pick(rng, {"bar": 1, "boat": 1, "block": 1})
    if kind == "bar":
        rr = rest_h / 2
        primitive(d, "rest", "cylinder", (rest_x, rr, 0), (rr, rr, rest_len / 2))
    elif kind == "block":
        primitive(
            d,
            "rest",
            "cube",
            (rest_x, rest_h / 2, 0),
            (rest_h * 0.8, rest_h / 2, rest_len / 2),
            bevel=(0.3, 3),
        )
    else:
        sag = rest_h * 0.4
        arc_sweep(
            d,
            "rest",
            (rest_x, rest_h, -rest_len / 2),
            (rest_x, rest_h - sag, 0),
            (rest_x, rest_h, rest_len / 2),
            ("oval", rest_h * 0.6, rest_h * 0.35),
        )
        rest_h = rest_h - sag + rest_h * 0.35
    # The sticks lie on the rest and on the table at their tips.
    tip_x = L / 2 - 0.01
    slope = math.atan2(rest_h, tip_x - rest_x)
    direction = (math.cos(slope), -math.sin(slope), 0.0)
    for z in (-gap / 2 - r, gap / 2 + r):
        top = np.array([rest_x, rest_h + r, z]) - np.array(direction) * (L * 0.62)
        sticks.append((tuple(top), direction))
    return sticks
