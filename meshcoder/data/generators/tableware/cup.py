"""Cups: mugs, teacups and espresso cups with handles and saucers, tumblers, paper cups and beer mugs."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from meshcoder.data.builder import PartWriter, ProgramBuilder
from meshcoder.data.frame import Frame
from meshcoder.data.generators.design import Design, arc_sweep, lathe, sweep, swept_ring
from meshcoder.data.generators.geometry import pick
from meshcoder.data.generators.registry import register
from meshcoder.data.generators.tableware.pieces import profile_radius_at


def cup_handle(
    d: Design,
    rng: np.random.Generator,
    profile: Sequence[tuple[float, float]],
    kinds: str,
    y0: float,
    height: float,
    style: str,
    wall: float,
) -> None:
    """A handle on the +X side of a turned body whose shell is ``wall`` thick: a C arc, a D loop or a
    teacup's ear, with a round, oval (flat strap) or rectangular section; its ends sink into the wall."""
    top = height * rng.uniform(0.72, 0.88)
    bottom = height * rng.uniform(0.12, 0.3)
    if style == "ear":
        bottom = height * rng.uniform(0.3, 0.45)
    r_top, r_bottom = (
        profile_radius_at(profile, kinds, top, wall),
        profile_radius_at(profile, kinds, bottom, wall),
    )
    r_max = max(r_top, r_bottom)
    span = top - bottom
    reach = span * (rng.uniform(0.45, 0.7) if style != "ear" else rng.uniform(0.5, 0.7))
    reach = min(reach, 0.045)
    width = rng.uniform(0.006, 0.014)
    depth = rng.uniform(0.004, 0.008)
    shape = pick(rng, {"oval": 3, "circle": 2, "rect": 1})
    section_shape = {
        "oval": ("oval", depth / 2, width / 2),
        "circle": ("circle", depth / 2),
        "rect": ("rect", depth / 2, width / 2),
    }[shape]
    sink = depth * 0.4
    a = (r_top - sink, y0 + top, 0.0)
    c = (r_bottom - sink, y0 + bottom, 0.0)
    if style == "C":
        b = (r_max + reach, y0 + (top + bottom) / 2, 0.0)
        arc_sweep(d, "handle", a, b, c, section_shape)
    elif style == "D":
        path = [
            a,
            (r_top + reach * 0.85, y0 + top - 0.05 * span, 0),
            (r_bottom + reach * 0.85, y0 + bottom + 0.1 * span, 0),
            c,
        ]
        sweep(d, "handle", path, "saas", section_shape)
    else:
        path = [
            a,
            (r_top + reach * 0.7, y0 + top + 0.12 * span, 0),
            (r_max + reach, y0 + top - 0.45 * span, 0),
            c,
        ]
        sweep(d, "handle", path, "saas", section_shape)


def saucer(d: Design, rng: np.random.Generator, cup_base: float) -> float:
    """A saucer under a cup whose base has radius ``cup_base``; returns the height of its top in the
    well (its profile: the shell grows below it)."""
    radius = cup_base * rng.uniform(2.2, 3.0)
    height = radius * rng.uniform(0.12, 0.2)
    t = rng.uniform(0.003, 0.005)
    well = cup_base * rng.uniform(1.05, 1.25)
    lathe(
        d,
        "saucer",
        [(0, 0), (well, 0), (well * 1.25, 0.5 * height), (radius, height)],
        "slaa",
        thickness=t,
        resolution=16,
    )
    return 0.0


@register("Cup")
def cup(rng: np.random.Generator) -> ProgramBuilder:
    """Cups: mugs, teacups and espresso cups (with a C, D or ear handle; teacups and espresso cups
    often on a saucer), tumblers (plain, fluted or ribbed), paper cups (rolled rim, optional lid)
    and beer mugs."""
    style = pick(rng, {"mug": 4, "teacup": 2, "espresso": 1.5, "tumbler": 2, "paper": 1.5, "beer mug": 1})
    d = Design(style if style != "paper" else "paper cup")
    y0 = 0.0
    if style in ("mug", "beer mug"):
        radius = rng.uniform(0.036, 0.048) * (1.2 if style == "beer mug" else 1.0)
        height = radius * rng.uniform(2.0, 2.7) * (1.3 if style == "beer mug" else 1.0)
        wall = rng.uniform(0.003, 0.006)
        shape = pick(rng, {"straight": 3, "barrel": 1, "tapered": 1.5, "flared": 1})
        r_base = radius * {"straight": 0.97, "barrel": 0.85, "tapered": 0.8, "flared": 0.85}[shape]
        r_mid = radius * {"straight": 1.0, "barrel": 1.1, "tapered": 0.9, "flared": 0.88}[shape]
        prof = [(0, 0), (r_base - 0.004, 0), (r_base, 0.006), (r_mid, 0.5 * height), (radius, height)]
        kinds = "ssaaa"
        handle = pick(rng, {"C": 2, "D": 3})
    elif style in ("teacup", "espresso"):
        radius = rng.uniform(0.042, 0.052) if style == "teacup" else rng.uniform(0.027, 0.033)
        height = radius * (rng.uniform(1.1, 1.5) if style == "teacup" else rng.uniform(1.6, 2.0))
        wall = rng.uniform(0.002, 0.004) if style == "teacup" else rng.uniform(0.004, 0.006)
        r_base = radius * rng.uniform(0.45, 0.6)
        if rng.random() < 0.65:
            y0 = saucer(d, rng, r_base) + wall  # the cup's base grows its shell downwards
        prof = [
            (0, 0),
            (r_base, 0),
            (radius * 0.8, 0.25 * height),
            (radius * 0.97, 0.7 * height),
            (radius, height),
        ]
        kinds = "slaaa"
        handle = "ear" if style == "teacup" else pick(rng, {"ear": 1, "C": 1})
    else:
        radius = rng.uniform(0.034, 0.045)
        height = radius * rng.uniform(2.0, 3.4)
        wall = rng.uniform(0.002, 0.004)
        r_base = radius * (rng.uniform(0.7, 0.8) if style == "paper" else rng.uniform(0.75, 0.95))
        prof = [(0, 0), (r_base, 0), (radius, height)]
        kinds = "sss"
        handle = None

    if style == "tumbler" and rng.random() < 0.35:
        _ribbed_tumbler(d, rng, r_base, radius, height, wall)
    else:
        flutes = None
        if style in ("tumbler", "beer mug") and rng.random() < 0.4:
            flutes = (int(rng.choice([8, 12, 16, 20])), 0.01)
        lathe(d, "body", prof, kinds, base=(0, y0, 0), thickness=wall, flutes=flutes, resolution=16)
    if style == "paper":  # the rolled rim sits on the wall's outside, the lid over it
        swept_ring(d, "rim", (0, y0 + height, 0), radius + wall, rng.uniform(0.0015, 0.0025))
        if rng.random() < 0.5:
            _cup_lid(d, rng, radius + wall, y0 + height)
    if handle is not None:
        cup_handle(d, rng, prof, kinds, y0, height, handle, wall)
    return d.builder()


def _ribbed_tumbler(
    d: Design, rng: np.random.Generator, r_base: float, radius: float, height: float, wall: float
) -> None:
    """A ribbed glass: a star section swept up a straight path, widening towards the rim."""
    points = int(rng.choice([10, 12, 16, 20]))
    inner = rng.uniform(0.85, 0.94)
    edge = pick(rng, {"smooth": 3, "sharp": 1})

    def write(p: PartWriter, f: Frame) -> None:
        star = p.helper("star")
        p.call(
            "create_star",
            name=star,
            outer_radius=f.l(radius),
            inner_radius=f.l(radius * inner),
            num_points=points,
            edge=edge,
        )
        p.call(
            "create_curve",
            name=p.obj,
            profile_name=star,
            control_points=f.ps([(0, 0, 0), (0, height, 0)]),
            points_radius=[round(r_base / radius, 2), 1.0],
            handle_type=[1, 1, 1, 1],
            fill_caps="start",
            thickness=f.l(wall),
        )

    d.add("body", [[-radius, 0, -radius], [radius, height, radius]], write)


def _cup_lid(d: Design, rng: np.random.Generator, radius: float, y: float) -> None:
    """A takeaway lid pressed over the rim: a skirt, a raised ring and a flat top."""
    h = rng.uniform(0.008, 0.016)
    r = radius + 0.003
    prof = [
        (r, y - 0.004),
        (r, y + 0.4 * h),
        (r * 0.93, y + h),
        (r * 0.86, y + 0.75 * h),
        (0.0, y + 0.75 * h),
    ]
    lathe(d, "lid", prof, "ssaas", thickness=rng.uniform(0.001, 0.002), resolution=16)
