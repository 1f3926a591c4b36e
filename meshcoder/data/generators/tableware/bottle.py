"""Bottles: turned thin shells (or a square body with a turned shoulder) with a cork, cap or none."""

from __future__ import annotations

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.design import Design, lathe, primitive, swept_ring
from meshcoder.data.generators.geometry import UP, pick
from meshcoder.data.generators.registry import register
from meshcoder.data.generators.tableware.pieces import screw_cap


@register("Bottle")
def bottle(rng: np.random.Generator) -> ProgramBuilder:
    """Bottles: wine, beer, water, milk, sauce and round flasks turned as thin shells, and square
    spirit bottles (bevelled box with a turned shoulder); closed by a cork, screw cap or crown cap,
    or left open; optional lip bead."""
    style = pick(rng, {"wine": 3, "beer": 2, "water": 2, "milk": 1, "sauce": 1, "flask": 1, "square": 1.5})
    d = Design(f"{style} bottle")
    table = {  # height, body radius, neck radius, shoulder start, shoulder length (fractions of height)
        "wine": ((0.28, 0.34), (0.036, 0.042), (0.0145, 0.0165), (0.55, 0.65), (0.1, 0.16)),
        "beer": ((0.2, 0.25), (0.029, 0.033), (0.012, 0.014), (0.45, 0.55), (0.2, 0.28)),
        "water": ((0.19, 0.27), (0.03, 0.04), (0.013, 0.015), (0.65, 0.75), (0.1, 0.15)),
        "milk": ((0.18, 0.26), (0.04, 0.05), (0.018, 0.024), (0.6, 0.7), (0.12, 0.18)),
        "sauce": ((0.16, 0.22), (0.025, 0.032), (0.01, 0.013), (0.55, 0.7), (0.08, 0.14)),
        "flask": ((0.18, 0.28), (0.05, 0.08), (0.012, 0.018), (0.3, 0.4), (0.2, 0.3)),
        "square": ((0.2, 0.3), (0.035, 0.05), (0.013, 0.016), (0.65, 0.78), (0.06, 0.1)),
    }[style]
    height = rng.uniform(*table[0])
    radius = rng.uniform(*table[1])
    neck = rng.uniform(*table[2])
    shoulder = height * rng.uniform(*table[3])
    taper = height * rng.uniform(*table[4])
    wall = rng.uniform(0.0015, 0.003)
    top = height

    if style == "square":
        _square_body(d, rng, radius, neck, shoulder, taper, top, wall)
    else:
        punt = height * rng.uniform(0.02, 0.06) if style == "wine" else 0.0
        if style == "flask":
            prof = [
                (0, 0),
                (radius * 0.55, 0),
                (radius, shoulder * 0.55),
                (neck * 1.4, shoulder + taper * 0.8),
                (neck, shoulder + taper),
                (neck, top),
            ]
            kinds = "slaaas"
        else:
            foot = radius * rng.uniform(0.88, 0.95)
            prof = [
                (0, punt),
                (foot, 0),
                (radius, 0.03 * height),
                (radius, shoulder),
                (neck * 1.05, shoulder + taper),
                (neck, top),
            ]
            kinds = "ssrlas"
            if style == "water" and rng.random() < 0.5:  # a waist to hold it by
                waist = shoulder * rng.uniform(0.45, 0.6)
                prof.insert(3, (radius * rng.uniform(0.8, 0.9), waist))
                kinds = "ssaaaas"
        flutes = (int(rng.choice([12, 16, 20])), 0.01) if style == "water" and rng.random() < 0.4 else None
        lathe(d, "body", prof, kinds, thickness=wall, flutes=flutes, resolution=16)

    lip = style in ("wine", "beer", "sauce", "milk") and rng.random() < 0.7
    if lip:
        tube = neck * rng.uniform(0.12, 0.2)
        swept_ring(d, "lip", (0, top - 1.3 * tube, 0), neck + wall, tube)
    _closure(d, rng, style, top, neck, wall)
    return d.builder()


def _square_body(
    d: Design,
    rng: np.random.Generator,
    radius: float,
    neck: float,
    shoulder: float,
    taper: float,
    top: float,
    wall: float,
) -> None:
    """A spirit bottle: a bevelled box up to the shoulder, a turned shoulder and neck above it."""
    depth = radius * rng.uniform(0.6, 1.0)
    primitive(
        d,
        "body",
        "cube",
        (0, shoulder / 2, 0),
        (radius, shoulder / 2, depth),
        bevel=(rng.uniform(0.05, 0.2), 3),
    )
    r_sh = min(radius, depth) * 0.95
    prof = [
        (0, shoulder * 0.98),
        (r_sh, shoulder * 0.98),
        (r_sh * 0.8, shoulder + 0.5 * taper),
        (neck, shoulder + taper),
        (neck, top),
    ]
    lathe(d, "neck", prof, "ssaas", thickness=wall, resolution=12)


def _closure(d: Design, rng: np.random.Generator, style: str, top: float, neck: float, wall: float) -> None:
    """A cork, a screw cap or a crown cap on a neck of radius ``neck`` ending at ``top``, or none."""
    closure = pick(
        rng,
        {
            "cork": 1 if style in ("wine", "flask", "square") else 0.1,
            "screw": 1.2,
            "crown": 1 if style == "beer" else 0.1,
            "open": 0.8,
        },
    )
    if closure == "cork":
        out = rng.uniform(0.008, 0.02)
        r_cork = neck * 0.85 + wall
        cork_h = out + 0.015
        primitive(
            d,
            "cork",
            "cylinder",
            (0, top + out - cork_h / 2, 0),
            (r_cork, r_cork, cork_h / 2),
            UP,
            taper=float(rng.uniform(1.0, 1.12)),
        )
    elif closure == "screw":
        cap_h = rng.uniform(0.012, 0.03)
        screw_cap(d, rng, (neck + wall) * rng.uniform(1.15, 1.4), top - 0.75 * cap_h, cap_h)
    elif closure == "crown":
        cap_h = 0.006
        r_cap = (neck + wall) * 1.25
        primitive(
            d,
            "cap",
            "cylinder",
            (0, top - cap_h / 2 + 0.002, 0),
            (r_cap, r_cap, cap_h / 2),
            UP,
            bevel=(0.3, 2),
        )
