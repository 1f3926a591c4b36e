"""Bowls: round, hemispherical, conical, shallow serving and straight-walled bowls on a flat, ring or
pedestal foot."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.design import Design, arc_lathe, lathe, primitive, swept_ring
from meshcoder.data.generators.geometry import UP, pick
from meshcoder.data.generators.registry import register


@register("Bowl")
def bowl(rng: np.random.Generator) -> ProgramBuilder:
    """Bowls: round, conical, shallow serving or straight-walled; flat, ring or pedestal foot;
    optional rolled rim, fluted wall and tab handles."""
    style = pick(rng, {"round": 3, "hemisphere": 2, "conical": 2, "shallow": 2, "straight": 2})
    radius = rng.uniform(0.05, 0.15)
    ratio = {
        "round": (0.4, 0.55),
        "hemisphere": (0.3, 0.5),
        "conical": (0.45, 0.65),
        "shallow": (0.25, 0.38),
        "straight": (0.5, 0.75),
    }
    height = 2 * radius * rng.uniform(*ratio[style])
    if style == "hemisphere":  # a zone of a sphere from its bottom pole up to the rim at ``end``
        end = float(rng.uniform(-35.0, 5.0))
        sphere = radius / math.cos(math.radians(end))
        height = sphere * (1 + math.sin(math.radians(end)))
    wall = radius * rng.uniform(0.03, 0.06)
    foot = pick(rng, {"flat": 3, "ring": 4, "pedestal": 1})
    d = Design(f"{style} bowl")

    y0 = 0.0
    r_base = (
        radius
        * {"round": 0.38, "hemisphere": 0.4, "conical": 0.32, "shallow": 0.5, "straight": 0.6}[style]
        * rng.uniform(0.8, 1.15)
    )
    if foot != "flat":
        y0 = _foot(d, rng, foot, r_base, height, wall)
    prof, kinds = _profile(style, radius, height, r_base) if style != "hemisphere" else (None, None)
    flutes = (
        (int(rng.choice([12, 16, 20, 24])), float(rng.choice([0.01, 0.02, 0.03])))
        if rng.random() < 0.2 and style != "hemisphere"
        else None
    )
    if style == "hemisphere":
        arc_lathe(d, "body", sphere, -90.0, end, (0, y0 + sphere, 0), thickness=wall)
    else:
        lathe(d, "body", prof, kinds, base=(0, y0, 0), thickness=wall, flutes=flutes)

    if flutes is None and rng.random() < 0.3:
        tube = wall * rng.uniform(0.6, 1.0)
        swept_ring(d, "rim", (0, y0 + height, 0), radius + 0.7 * wall, tube)  # in the wall, near its outside
    if rng.random() < 0.2:
        reach = radius * rng.uniform(0.12, 0.22)
        width = radius * rng.uniform(0.35, 0.6)
        t = max(wall, 0.004)
        for side in (-1, 1):
            primitive(
                d,
                "handle",
                "cylinder",
                (side * (radius + reach * 0.3), y0 + height - t, 0),
                (reach, width / 2, t),
                UP,
            )
    return d.builder()


def _foot(d: Design, rng: np.random.Generator, kind: str, r_base: float, height: float, wall: float) -> float:
    """A foot ring or a pedestal (disc and stem) under a bowl whose base has radius ``r_base``; returns
    the height the bowl stands at."""
    if kind == "ring":
        h = rng.uniform(0.06, 0.12) * height
        r_out = r_base * rng.uniform(0.95, 1.1)
        ring_wall = min(r_out * 0.15, 0.005 + wall)
        lathe(
            d,
            "foot",
            [(r_out - ring_wall, 0.0), (r_out, 0.0), (r_out - 0.3 * ring_wall, h), (r_out - ring_wall, h)],
            "ssss",
        )
        return 0.8 * h
    else:  # pedestal
        r_foot = r_base * rng.uniform(1.0, 1.3)
        h_stem = rng.uniform(0.25, 0.6) * height
        h_disc = rng.uniform(0.04, 0.08) * height
        lathe(d, "base", [(0.0, 0.0), (r_foot, 0.0), (r_foot * 0.9, h_disc), (0.0, h_disc * 1.6)], "ssaa")
        r_stem = r_foot * rng.uniform(0.18, 0.3)
        top = h_disc + h_stem
        primitive(
            d,
            "stem",
            "cylinder",
            (0, (h_disc + top) / 2, 0),
            (r_stem, r_stem, (top - h_disc) / 2 + 0.4 * h_disc),
            UP,
        )
        return top


def _profile(
    style: str, radius: float, height: float, r_base: float
) -> tuple[list[tuple[float, float]], str]:
    """The bowl's profile from the axis to the rim, and its handle letters."""
    if style == "round":
        prof = [
            (0, 0),
            (r_base, 0),
            (radius * 0.78, height * 0.3),
            (radius * 0.96, height * 0.75),
            (radius, height),
        ]
        kinds = "slaas"
    elif style == "conical":
        prof = [
            (0, 0),
            (r_base, 0),
            (r_base + 0.1 * radius, 0.06 * height),
            (radius * 0.8, 0.6 * height),
            (radius, height),
        ]
        kinds = "slaaa"
    elif style == "shallow":
        prof = [(0, 0), (r_base, 0), (radius * 0.85, height * 0.45), (radius, height)]
        kinds = "slaa"
    else:  # straight
        prof = [
            (0, 0),
            (r_base, 0),
            (radius * 0.92, height * 0.2),
            (radius * 0.98, height * 0.7),
            (radius, height),
        ]
        kinds = "slaaa"
    return prof, kinds
