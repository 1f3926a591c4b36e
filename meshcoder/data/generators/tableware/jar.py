"""Jars: turned or square bodies closed by screw, domed or flat lids, corks, or left open."""

from __future__ import annotations

import numpy as np

from meshcoder.data.builder import PartWriter, ProgramBuilder
from meshcoder.data.frame import Frame
from meshcoder.data.generators.design import Design, lathe, primitive
from meshcoder.data.generators.geometry import UP, pick
from meshcoder.data.generators.library_model import ring_points
from meshcoder.data.generators.registry import register
from meshcoder.data.generators.tableware.pieces import cap_lid, dome_lid, knob


@register("Jar")
def jar(rng: np.random.Generator) -> ProgramBuilder:
    """Jars: mason, apothecary, honey pot, ginger jar, canister (round or square) and ribbed jars,
    closed by a screw lid, a domed or flat lid with a knob, or a cork; mason jars left open show
    their threads."""
    style = pick(
        rng,
        {"mason": 2, "apothecary": 1.5, "honey": 1.5, "ginger": 1.5, "canister": 2, "ribbed": 1, "square": 1},
    )
    d = Design(f"{style} jar")
    radius = rng.uniform(0.035, 0.08)
    height = (
        radius * rng.uniform(1.6, 3.2) if style not in ("honey", "ginger") else radius * rng.uniform(1.5, 2.1)
    )
    wall = rng.uniform(0.002, 0.005)
    neck = radius * rng.uniform(0.65, 0.85)

    if style == "square":
        _square_body(d, rng, radius, height, neck)
    else:
        neck = _turned_body(d, rng, style, radius, height, wall, neck)

    closure = {
        "mason": {"screw": 3, "open": 1},
        "apothecary": {"dome": 3, "cork": 1},
        "honey": {"dome": 3, "flat": 1},
        "ginger": {"dome": 1},
        "canister": {"flat": 3, "screw": 1},
        "ribbed": {"screw": 2, "flat": 2},
        "square": {"screw": 2, "cork": 1},
    }[style]
    closure = pick(rng, closure)
    t = rng.uniform(0.0015, 0.003)
    # A turned jar's wall grows outside its profile: threads and lids go round that outer surface,
    # a cork fills the opening the profile leaves. The square jar's neck is a solid cylinder.
    outside = neck + (wall if style != "square" else 0.0)
    if closure == "open" and style == "mason":
        _threads(d, rng, height, outside)
    elif closure == "cork":
        out = rng.uniform(0.01, 0.025)
        cork_h = out + 0.015
        r_cork = neck * 0.92 + (outside - neck)
        taper = float(rng.uniform(1.03, 1.12))
        primitive(
            d,
            "cork",
            "cylinder",
            (0, height + out - cork_h / 2, 0),
            (r_cork, r_cork, cork_h / 2),
            UP,
            taper=taper,
        )
    else:
        _lid(d, rng, closure, height, neck, outside, t)
    return d.builder()


def _square_body(d: Design, rng: np.random.Generator, radius: float, height: float, neck: float) -> None:
    """A bevelled box with a short round neck on top."""
    depth = radius * rng.uniform(0.7, 1.0)
    body_h = height * 0.9
    bevel = (rng.uniform(0.08, 0.25), 3)
    primitive(d, "body", "cube", (0, body_h / 2, 0), (radius, body_h / 2, depth), bevel=bevel)
    neck_h = 0.05 * height + 0.002
    primitive(d, "neck", "cylinder", (0, body_h + 0.05 * height - 0.002, 0), (neck, neck, neck_h), UP)


def _turned_body(
    d: Design, rng: np.random.Generator, style: str, radius: float, height: float, wall: float, neck: float
) -> float:
    """A turned body (a thin shell, fluted when ribbed); returns the radius of its mouth."""
    if style in ("mason", "apothecary", "ribbed"):  # straight sides, a shoulder and a neck
        sh = rng.uniform(0.72, 0.82)
        prof = [
            (0, 0),
            (0.95 * radius, 0),
            (radius, 0.03 * height),
            (radius, sh * height),
            (neck * 1.06, 0.9 * height),
            (neck, 0.93 * height),
            (neck, height),
        ]
        kinds = "ssrlars"
    elif style == "canister":
        prof, kinds = [(0, 0), (radius, 0), (radius, height)], "sss"
        neck = radius
    elif style == "honey":
        prof = [
            (0, 0),
            (0.6 * radius, 0),
            (radius, 0.45 * height),
            (0.85 * radius, 0.85 * height),
            (neck, height),
        ]
        kinds = "slaaa"
    else:  # ginger
        neck = radius * rng.uniform(0.45, 0.6)
        prof = [
            (0, 0),
            (0.55 * radius, 0),
            (radius, 0.5 * height),
            (neck * 1.2, 0.9 * height),
            (neck, height),
        ]
        kinds = "slaaa"
    flutes = None
    if style == "ribbed":
        flutes = (int(rng.choice([16, 20, 24, 32])), float(rng.choice([0.01, 0.02])))
    lathe(d, "body", prof, kinds, thickness=wall, flutes=flutes, resolution=16)
    return neck


def _threads(d: Design, rng: np.random.Generator, height: float, outside: float) -> None:
    """The screw threads of an open mason jar: a swept ring round the mouth, arrayed up it."""
    pitch = rng.uniform(0.004, 0.006)
    tube = pitch * 0.25
    count = int(rng.integers(2, 4))
    y = height - 0.004 - (count - 1) * pitch

    def write(p: PartWriter, f: Frame) -> None:
        section_name = p.helper("circle")
        p.call("create_circle", name=section_name, radius=f.l(tube))
        p.call(
            "create_circle",
            name=p.obj,
            location=f.p((0, y, 0)),
            profile_name=section_name,
            rotation=UP,
            radius=f.l(outside),
        )
        # The swept ring is solidified with its turn applied (spec 3b, item 3): it is in world
        # axes, so the copies step up world Y.
        p.call("array_1d", name=p.obj, count=count, constant_offset=[0.0, f.l(pitch), 0.0])

    lowest, highest = (
        ring_points((0, y, 0), outside, tube),
        ring_points((0, y + (count - 1) * pitch, 0), outside, tube),
    )
    d.add("thread", np.concatenate([lowest, highest]), write)


def _lid(
    d: Design, rng: np.random.Generator, kind: str, height: float, neck: float, outside: float, t: float
) -> None:
    """A screw lid over the mouth, or a domed or flat lid with a knob."""
    knobs = {"ball": 2, "mushroom": 2, "star": 1}
    if kind == "screw":
        lid_h = rng.uniform(0.012, 0.025)
        cap_lid(d, rng, outside + 0.003, height - 0.8 * lid_h, lid_h, t)
    elif kind == "dome":
        lid_r = neck * rng.uniform(1.05, 1.2)
        dome = lid_r * rng.uniform(0.25, 0.6)
        dome_lid(d, rng, lid_r, height, dome, t, min(0.01, 0.3 * dome))
        size = lid_r * rng.uniform(0.35, 0.6)
        knob(d, rng, height + dome - t * 0.5, size, pick(rng, knobs))
    else:  # flat
        lid_r = outside + 0.004
        lid_h = rng.uniform(0.008, 0.018)
        cap_lid(d, rng, lid_r, height - 0.6 * lid_h, lid_h, t)
        if rng.random() < 0.7:
            size = lid_r * rng.uniform(0.3, 0.5)
            knob(d, rng, height + 0.4 * lid_h - 0.0005, size, pick(rng, knobs))
