"""Wine glasses: a turned bowl on a stem and foot (or none), optionally with wine in it."""

from __future__ import annotations

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.design import PROFILE_RESOLUTION, Design, lathe, primitive
from meshcoder.data.generators.geometry import UP, bezier_polyline, handle_codes, pick
from meshcoder.data.generators.registry import register
from meshcoder.data.generators.tableware.pieces import profile_radius_at


def _inner_fill(profile, kinds, level: float, wall: float) -> list[tuple[float, float]]:
    """A liquid's profile inside a turned bowl (base at height 0): the bowl's curve kept below
    ``level`` and moved ``wall`` inwards, closed on the axis at the surface."""
    line = bezier_polyline(profile, handle_codes(kinds), PROFILE_RESOLUTION)
    line = line[line[:, 1] < level]
    keep = line[np.linspace(0, len(line) - 1, min(5, len(line))).round().astype(int)]
    r_top = profile_radius_at(profile, kinds, level)
    pts = [(0.0, wall)] + [(max(r - wall, 0.0), max(h, wall)) for r, h in keep[1:]]
    pts.append((max(r_top - wall, 0.0), level))
    pts.append((0.0, level))
    return pts


@register("Wineglass")
def wineglass(rng: np.random.Generator) -> ProgramBuilder:
    """Stemmed glasses: red and white wine, flute, coupe, martini, snifter and goblet, plus stemless
    tumblers; plain, knopped or turned stems; optionally with wine in the bowl."""
    style = pick(
        rng,
        {
            "red wine": 3,
            "white wine": 2,
            "flute": 2,
            "coupe": 1.5,
            "martini": 1.5,
            "snifter": 1,
            "goblet": 1,
            "stemless": 1,
        },
    )
    d = Design(f"{style} glass")
    table = {  # bowl radius, bowl height / radius, rim / radius, stem length, foot radius / bowl radius
        "red wine": (0.045, 0.056, 2.0, 2.6, 0.7, 0.85, 0.06, 0.1, 0.8, 0.95),
        "white wine": (0.035, 0.042, 2.2, 2.8, 0.78, 0.9, 0.06, 0.085, 0.85, 1.0),
        "flute": (0.024, 0.03, 4.0, 5.5, 0.85, 0.95, 0.06, 0.09, 1.1, 1.35),
        "coupe": (0.048, 0.06, 0.7, 1.0, 1.0, 1.0, 0.08, 0.1, 0.65, 0.8),
        "martini": (0.052, 0.065, 1.0, 1.3, 1.0, 1.0, 0.07, 0.1, 0.6, 0.75),
        "snifter": (0.048, 0.058, 1.7, 2.0, 0.55, 0.68, 0.015, 0.035, 0.75, 0.85),
        "goblet": (0.04, 0.05, 1.5, 1.9, 0.9, 1.0, 0.04, 0.07, 0.8, 0.95),
        "stemless": (0.04, 0.05, 2.0, 2.5, 0.75, 0.88, 0.0, 0.0, 0.0, 0.0),
    }[style]
    radius = rng.uniform(table[0], table[1])
    bowl_h = radius * rng.uniform(table[2], table[3])
    rim = radius * rng.uniform(table[4], table[5])
    stem = rng.uniform(table[6], table[7])
    wall = rng.uniform(0.0015, 0.003)

    y_bowl = 0.0 if style == "stemless" else _foot_and_stem(d, rng, style, radius, stem, table[8:])
    prof, kinds = _bowl_profile(rng, style, radius, bowl_h, rim)
    bowl_wall = wall if style != "stemless" else wall * 1.5
    lathe(d, "bowl", prof, kinds, base=(0, y_bowl, 0), thickness=bowl_wall, resolution=16)

    if rng.random() < 0.3 and style != "martini":
        level = bowl_h * rng.uniform(0.25, 0.5 if style != "flute" else 0.8)
        fill = _inner_fill(prof, kinds, level, bowl_wall * 0.5)  # the glass grows outside the profile
        lathe(d, "wine", fill, "s" + "a" * (len(fill) - 3) + "ss", base=(0, y_bowl, 0))
    return d.builder()


def _foot_and_stem(
    d: Design, rng: np.random.Generator, style: str, radius: float, stem: float, foot: tuple[float, float]
) -> float:
    """A turned foot and a plain, knopped or turned stem of length ``stem`` under a bowl of ``radius``;
    ``foot`` is the range of the foot's radius over the bowl's. Returns the height of the bowl's base."""
    foot_r = radius * rng.uniform(*foot)
    foot_r = max(foot_r, 0.03)
    foot_h = rng.uniform(0.003, 0.006)
    r_stem = rng.uniform(0.0035, 0.005) * (1.6 if style == "goblet" else 1.0)
    lathe(
        d,
        "foot",
        [
            (0, 0),
            (foot_r, 0),
            (foot_r * 0.97, foot_h),
            (foot_r * 0.35, foot_h * 1.4),
            (r_stem * 1.3, foot_h * 2.2),
            (0, foot_h * 2.2),
        ],
        "ssaaas",
        resolution=16,
    )
    y_stem = foot_h * 2
    y_bowl = y_stem + stem
    kind = pick(rng, {"plain": 3, "knop": 2, "turned": 1})
    if kind == "plain":
        primitive(
            d,
            "stem",
            "cylinder",
            (0, (y_stem + y_bowl) / 2, 0),
            (r_stem, r_stem, (y_bowl - y_stem) / 2 + 0.001),
            UP,
        )
    else:
        at = rng.uniform(0.3, 0.7) * stem
        r_knop = r_stem * rng.uniform(1.8, 2.6)
        k = rng.uniform(0.05, 0.1) * stem
        if kind == "knop":
            prof = [
                (0, 0),
                (r_stem * 1.1, 0),
                (r_stem, 0.1 * stem),
                (r_stem, at - 1.5 * k),
                (r_knop, at),
                (r_stem, at + 1.5 * k),
                (r_stem, stem),
                (0, stem + 0.001),
            ]
            kinds = "slaaaaas"
        else:
            prof = [
                (0, 0),
                (r_stem * 1.2, 0),
                (r_stem * 0.8, at),
                (r_knop, at + k),
                (r_stem * 1.1, stem),
                (0, stem + 0.001),
            ]
            kinds = "slaaas"
        lathe(d, "stem", prof, kinds, base=(0, y_stem, 0), resolution=12)

    return y_bowl


def _bowl_profile(
    rng: np.random.Generator, style: str, radius: float, bowl_h: float, rim: float
) -> tuple[list[tuple[float, float]], str]:
    """The profile (and handle letters) of the glass's bowl: a cone (martini), a shallow coupe, a
    tumbler's straight side (stemless) or a tulip widest at its belly."""
    if style == "martini":
        prof, kinds = [(0, 0), (0.08 * radius, 0.02 * bowl_h), (rim, bowl_h)], "sas"
    elif style == "coupe":
        prof, kinds = (
            [(0, 0), (0.45 * radius, 0.12 * bowl_h), (0.88 * radius, 0.55 * bowl_h), (rim, bowl_h)],
            "saaa",
        )
    elif style == "stemless":
        base_r = radius * rng.uniform(0.45, 0.6)
        prof, kinds = [(0, 0), (base_r, 0), (radius, 0.4 * bowl_h), (rim, bowl_h)], "slaa"
    else:
        belly = rng.uniform(0.3, 0.5)
        prof = [
            (0, 0),
            (0.55 * radius, 0.06 * bowl_h),
            (radius, belly * bowl_h),
            ((radius + rim) / 2 * 1.02, (belly + 1) / 2 * bowl_h),
            (rim, bowl_h),
        ]
        kinds = "saaaa"
    return prof, kinds
