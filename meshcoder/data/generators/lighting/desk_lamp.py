"""Desk lamps: architect, gooseneck, arc and swing-arm."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.blocks import box, build, cylinder, part, sphere, tube
from meshcoder.data.generators.design import Design
from meshcoder.data.generators.geometry import AUTO, SHARP, pick
from meshcoder.data.generators.lighting.parts import arc_tube, coiled_cord, lamp_base, lamp_head, spring
from meshcoder.data.generators.registry import register


@register("DeskLamp")
def desk_lamp(rng: np.random.Generator) -> ProgramBuilder:
    """Architect (two straight or arched arms, single or twin rods, spring, elbow joint), gooseneck,
    arc (one arched arm) or swing-arm lamps on a disc, dome or square base, with a cone, dome, bell or
    coolie head pointing at the desk; optional coiled cord or switch."""
    style = pick(rng, ["architect", "gooseneck", "arc", "swing arm"], [0.4, 0.2, 0.2, 0.2])
    d = Design(pick(rng, ["desk lamp", "task lamp", "reading lamp"]))
    sx = 1.0 if rng.random() < 0.5 else -1.0
    base_r = rng.uniform(0.06, 0.1)
    base_h = rng.uniform(0.015, 0.035)
    lamp_base(d, rng, base_r, base_h)
    head_style = pick(rng, ["cone", "dome", "bell", "coolie"], [0.35, 0.35, 0.15, 0.15])
    rb = rng.uniform(0.05, 0.085)
    hh = rb * rng.uniform(1.1, 1.6) if head_style != "coolie" else rb * 0.7
    arm_r = rng.uniform(0.005, 0.009)

    if style == "architect":
        tip, light = _architect(d, rng, sx, base_h, arm_r)
        rb, hh = rb * 1.2, hh * 1.2  # an architect lamp's head is larger
    elif style == "gooseneck":
        tip, light = _gooseneck(d, rng, sx, base_h, arm_r)
    elif style == "arc":
        tip, light = _arc(d, rng, sx, base_h, arm_r)
    else:  # swing arm
        tip, light = _swing_arm(d, rng, sx, base_h, arm_r)

    light = light / np.linalg.norm(light)
    lamp_head(d, rng, tip + light * 0.01, light, rb, hh, head_style)
    with part(d, "knuckle") as p:
        sphere(p, p.obj, tip, max(arm_r * 2.2, 0.012))
    if rng.random() < 0.35:
        coiled_cord(d, rng, [0, base_h * 0.5, -base_r * 0.9], [0, 0, -1], rng.uniform(0.06, 0.14))
    elif rng.random() < 0.3:
        with part(d, "switch") as p:
            box(p, p.obj, [sx * base_r * 0.55, base_h + 0.006, base_r * 0.3], [0.012, 0.006, 0.02], bevel=0.3)
    return build(d, final_query=rng.random() < 0.25)


def _architect(
    d: Design, rng: np.random.Generator, sx: float, base_h: float, arm_r: float
) -> tuple[np.ndarray, np.ndarray]:
    """Two arms (straight or arched, single or twin rods) with a spring and an elbow joint; returns the
    head's tip and the direction it lights."""
    with part(d, "pivot") as p:
        cylinder(p, p.obj, [0, base_h, 0], [0, base_h + 0.04, 0], rng.uniform(0.012, 0.02))
    shoulder = np.array([0.0, base_h + 0.05, 0.0])
    l1, l2 = rng.uniform(0.25, 0.4), rng.uniform(0.2, 0.32)
    t1 = rng.uniform(0.05, 0.45)
    phi = rng.uniform(-0.7, 0.25)
    elbow = shoulder + l1 * np.array([sx * math.sin(t1), math.cos(t1), 0.0])
    wrist = elbow + l2 * np.array([sx * math.cos(phi), math.sin(phi), 0.0])
    twin = rng.random() < 0.5
    curved = rng.random() < 0.4
    for label, a, b in (("lower arm", shoulder, elbow), ("upper arm", elbow, wrist)):
        with part(d, label) as p:
            u = (b - a) / np.linalg.norm(b - a)
            side = np.array([-u[1], u[0], 0.0]) * sx
            offsets = [np.array([0, 0, -0.012]), np.array([0, 0, 0.012])] if twin else [np.zeros(3)]
            names = [p.obj, p.helper("rod")][: len(offsets)]
            for nm, off in zip(names, offsets):
                if curved:
                    mid = (a + b) / 2 + side * np.linalg.norm(b - a) * 0.08
                    arc_tube(p, nm, a + off, mid + off, b + off, arm_r)
                else:
                    tube(p, nm, [a + off, b + off], arm_r, codes=[SHARP] * 4, resolution=1)
            if twin:
                p.call("join_obj", name=p.obj, seq_name=names)
    with part(d, "spring") as p:
        u = (elbow - shoulder) / l1
        side = np.array([u[1], -u[0], 0.0]) * sx
        coil = rng.uniform(0.006, 0.009)
        a = shoulder + u * l1 * 0.1 + side * (arm_r + coil + 0.004)
        spring(p, p.obj, a, a + u * l1 * rng.uniform(0.35, 0.55), coil, 0.006)
    with part(d, "joint") as p:
        cylinder(p, p.obj, elbow - np.array([0, 0, 0.02]), elbow + np.array([0, 0, 0.02]), arm_r * 2.2)
    tip = wrist
    light = np.array([sx * rng.uniform(0.0, 0.6), -1.0, rng.uniform(-0.1, 0.3)])
    return tip, light


def _gooseneck(
    d: Design, rng: np.random.Generator, sx: float, base_h: float, arm_r: float
) -> tuple[np.ndarray, np.ndarray]:
    """A short stem and a bent gooseneck; returns the head's tip and the direction it lights."""
    stem_h = rng.uniform(0.03, 0.15)
    with part(d, "stem") as p:
        cylinder(p, p.obj, [0, base_h, 0], [0, base_h + stem_h, 0], arm_r * 1.8)
    y0 = base_h + stem_h
    rise, reach = rng.uniform(0.2, 0.4), rng.uniform(0.1, 0.25)
    pts = [
        [0, y0, 0],
        [0, y0 + rise * 0.45, 0],
        [sx * reach * 0.35, y0 + rise * 0.95, 0],
        [sx * reach, y0 + rise, rng.uniform(-0.03, 0.05)],
    ]
    with part(d, "gooseneck") as p:
        tube(p, p.obj, pts, arm_r, codes=[SHARP, AUTO] + [AUTO] * 4 + [AUTO, SHARP], resolution=10)
    tip = np.asarray(pts[-1])
    light = np.array([sx * rng.uniform(0.2, 0.8), -1.0, 0.0])
    return tip, light


def _arc(
    d: Design, rng: np.random.Generator, sx: float, base_h: float, arm_r: float
) -> tuple[np.ndarray, np.ndarray]:
    """One arched arm; returns the head's tip and the direction it lights."""
    h = rng.uniform(0.3, 0.45)
    reach = rng.uniform(0.18, 0.35)
    p1 = np.array([0.0, base_h, 0.0])
    p3 = np.array([sx * reach, base_h + h * rng.uniform(0.75, 0.95), 0.0])
    p2 = np.array([sx * reach * 0.3, base_h + h * 0.95, 0.0])
    if rng.random() < 0.5:
        p2 = np.array([sx * reach * 0.1, base_h + h * 0.75, 0.0])
        p3[1] = base_h + h
    with part(d, "arm") as p:
        arc_tube(p, p.obj, p1, p2, p3, arm_r * 1.3, r_end=arm_r)
    tip = p3
    light = np.array([sx * rng.uniform(0.0, 0.4), -1.0, 0.0])
    return tip, light


def _swing_arm(
    d: Design, rng: np.random.Generator, sx: float, base_h: float, arm_r: float
) -> tuple[np.ndarray, np.ndarray]:
    """An upright stem and a level arm; returns the head's tip and the direction it lights."""
    stem_h = rng.uniform(0.25, 0.45)
    with part(d, "stem") as p:
        cylinder(p, p.obj, [0, base_h, 0], [0, base_h + stem_h, 0], arm_r * 1.5)
    y1 = base_h + stem_h
    reach = rng.uniform(0.15, 0.3)
    with part(d, "arm") as p:
        pts = [[0, y1 - 0.03, 0], [0, y1, 0], [sx * reach, y1 + rng.uniform(-0.03, 0.05), 0]]
        tube(p, p.obj, pts, arm_r, codes=[SHARP] * 6, resolution=1)
    with part(d, "joint") as p:
        sphere(p, p.obj, [0, y1, 0], arm_r * 2.2)
    tip = np.asarray(pts[-1])
    light = np.array([sx * rng.uniform(0.0, 0.3), -1.0, rng.uniform(0.0, 0.3)])
    return tip, light
