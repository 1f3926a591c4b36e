"""Plates: turned dinner, soup and coupe plates, oval platters and square plates."""

from __future__ import annotations

import numpy as np

from meshcoder.data.builder import PartWriter, ProgramBuilder
from meshcoder.data.frame import Frame
from meshcoder.data.generators.design import Design, Written, lathe, primitive, swept_ring
from meshcoder.data.generators.geometry import UP, pick
from meshcoder.data.generators.library_model import outside_side, shell_offset
from meshcoder.data.generators.registry import register
from meshcoder.data.generators.tableware.pieces import rounded_rectangle_sweep


def foot_ring(d: Design, radius: float, height: float, width: float, y: float = 0.0) -> None:
    """A low ring under a vessel (the part it stands on)."""
    lathe(
        d,
        "foot",
        [(radius - width, y), (radius, y), (radius - 0.3 * width, y + height), (radius - width, y + height)],
        "ssss",
        smooth=False,
    )


@register("Plate")
def plate(rng: np.random.Generator) -> ProgramBuilder:
    """Plates: dinner/charger plates with a flange, deep soup plates, coupe plates (all turned, with
    or without a foot ring), oval platters (bridged ellipses) and square plates (slab and swept rim)."""
    style = pick(rng, {"dinner": 4, "soup": 2, "coupe": 2, "oval": 2, "square": 1.5})
    t = rng.uniform(0.003, 0.006)
    d = Design(f"{style} plate")
    if style == "oval":
        return _oval_platter(d, rng, t)
    if style == "square":
        return _square_plate(d, rng, t)

    radius = rng.uniform(0.08, 0.16) if style != "soup" else rng.uniform(0.1, 0.13)
    y0 = 0.0
    if rng.random() < 0.55:
        h = rng.uniform(0.004, 0.008)
        foot_ring(d, radius * rng.uniform(0.35, 0.5), h, rng.uniform(0.004, 0.008))
        y0 = 0.8 * h
    if style == "dinner":
        height = rng.uniform(0.015, 0.028)
        well = radius * rng.uniform(0.55, 0.75)
        prof = [
            (0, 0),
            (well, 0),
            (well + 0.07 * radius, 0.55 * height),
            (well + 0.14 * radius, 0.8 * height),
            (radius, height),
        ]
        kinds = "slaaa"
    elif style == "soup":
        height = rng.uniform(0.035, 0.05)
        well = radius * rng.uniform(0.5, 0.65)
        prof = [
            (0, 0),
            (0.75 * well, 0),
            (well, 0.55 * height),
            (well + 0.1 * radius, 0.85 * height),
            (radius, height),
        ]
        kinds = "slaaa"
    else:
        height = rng.uniform(0.015, 0.03)
        prof = [(0, 0), (radius * rng.uniform(0.5, 0.65), 0), (radius * 0.88, 0.4 * height), (radius, height)]
        kinds = "slaa"
    lathe(d, "plate", prof, kinds, base=(0, y0, 0), thickness=t, resolution=16)
    if style != "coupe" and rng.random() < 0.2:
        swept_ring(d, "rim", (0, y0 + height, 0), radius - 0.3 * t, 0.6 * t)
    return d.builder()


def _oval_platter(d: Design, rng: np.random.Generator, t: float) -> ProgramBuilder:
    a = rng.uniform(0.13, 0.24)
    b = a * rng.uniform(0.55, 0.8)
    height = rng.uniform(0.02, 0.04)
    well = rng.uniform(0.6, 0.78)
    rise = rng.uniform(0.45, 0.7)
    loops = [(well, 0.0), (well + (1 - well) * 0.25, rise * height), (1.0, height)]
    # The shell grows up from the bridged surface, as from a lathe profile travelling outwards.
    sections = [np.array([(k * a, h) for k, h in loops]), np.array([(k * b, h) for k, h in loops])]

    def bounds(wr: Written) -> np.ndarray:
        centre = wr.frame.centre[1] if wr.frame is not None else height / 2
        side = outside_side(sections[0], centre)
        top = max(float(np.max(shell_offset(sec, t, side)[:, 1])) for sec in sections)
        return np.array([[-a, 0.0, -b], [a, max(top, height), b]])

    def write(p: PartWriter, f: Frame) -> None:
        names = [p.helper("circle", i + 1) for i in range(len(loops))]
        p.call(
            "create_circle",
            name=names,
            location=[f.p((0, h, 0)) for _, h in loops],
            rotation=UP,
            scale=[[f.l(k * a), f.l(k * b), 1.0] for k, _ in loops],
        )
        p.call(
            "bridge_edge_loops",
            name=p.obj,
            profile_name=names,
            number_cuts=int(rng.integers(3, 7)),
            interpolation="LINEAR",
            fill_caps="start",
        )
        p.call("solidify", name=p.obj, thickness=f.l(t))

    d.add("plate", bounds, write)
    return d.builder()


def _square_plate(d: Design, rng: np.random.Generator, t: float) -> ProgramBuilder:
    half_w = rng.uniform(0.1, 0.15)
    half_l = half_w * (1.0 if rng.random() < 0.6 else rng.uniform(0.6, 0.85))
    slab = rng.uniform(0.004, 0.008)
    lean = rng.uniform(0.01, 0.03)
    rise = rng.uniform(0.01, 0.025)
    corner = rng.uniform(0.1, 0.3)
    primitive(d, "base", "cube", (0, slab / 2, 0), (half_w, slab / 2, half_l), bevel=(corner, 4))
    # The rim: a leaning strip swept round the slab's edge (profile x points inwards on this path).
    rim = [(0.0, slab * 0.5), (-lean, slab * 0.5 + rise)]

    # (distance outwards, height); the shell grows inwards.
    line = np.array([(-x, y) for x, y in rim])
    shell = np.concatenate([line, shell_offset(line, t, 1)])
    out, top = float(shell[:, 0].max()), float(shell[:, 1].max())

    def bounds(wr: Written) -> np.ndarray:
        w, ln, y = wr.l(2 * half_w) / 2, wr.l(2 * half_l) / 2, float(wr.p((0, 0, 0))[1])
        return np.array([[-w - out, y, -ln - out], [w + out, y + top, ln + out]])

    d.add("rim", bounds, rounded_rectangle_sweep(rim, half_w, half_l, corner, t))
    return d.builder()
