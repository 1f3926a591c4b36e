"""Toilets: close-coupled, wall-hung and back-to-wall."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.bathroom.bridge import bridge
from meshcoder.data.generators.blocks import box, build, cylinder, ellipse_points, part, repeat, sphere
from meshcoder.data.generators.design import Design
from meshcoder.data.generators.geometry import (
    UP,
    pick,
)
from meshcoder.data.generators.registry import register


@register("Toilet")
def toilet(rng: np.random.Generator) -> ProgramBuilder:
    """Close-coupled (tank, tank lid, button or lever), wall-hung (back block) or back-to-wall pans
    (optional flush plate); waisted or skirted pedestal, round or elongated bowl bridged through
    ellipses, torus or flat (boolean) seat, closed, open or no lid, hinges, bolt caps."""
    kind = pick(rng, ["close-coupled", "wall-hung", "back-to-wall"], [0.55, 0.25, 0.2])
    d = Design(pick(rng, ["toilet", "toilet", "wall hung toilet"]) if kind == "wall-hung" else "toilet")
    rim = rng.uniform(0.37, 0.43)
    a = rng.uniform(0.165, 0.195)
    b = rng.uniform(0.2, 0.25) if rng.random() < 0.7 else a * rng.uniform(1.05, 1.15)
    tank_w = rng.uniform(0.36, 0.5)
    tank_d = rng.uniform(0.14, 0.22)
    tank_h = rng.uniform(0.3, 0.42)
    back = tank_d if kind == "close-coupled" else rng.uniform(0.12, 0.2)
    zc = back + b - rng.uniform(0.0, 0.03)
    drop = rng.uniform(0.26, 0.32)  # rim to the bowl's foot

    if kind != "wall-hung":
        zf = _pedestal(d, rng, kind, a, b, rim, drop, zc)
    foot = ([0, rim - drop, zc - b * 0.15], a * 0.45, b * 0.45)
    if kind == "wall-hung":
        foot = ([0, rim - drop, zc - b * 0.1], a * 0.6, b * 0.6)
    rings = [
        foot,
        ([0, rim - drop * 0.6, zc - b * 0.05], a * 0.82, b * 0.82),
        ([0, rim - drop * 0.25, zc], a * 0.97, b * 0.97),
        ([0, rim - 0.015, zc], a, b),
        ([0, rim, zc], a - 0.012, b - 0.012),
        ([0, rim - 0.012, zc], a - 0.03, b - 0.03),
        ([0, rim - drop * 0.35, zc + 0.01], (a - 0.03) * 0.72, (b - 0.03) * 0.72),
        ([0, rim - drop * 0.7, zc - b * 0.1], a * 0.22, b * 0.28),
    ]
    with part(d, "bowl") as p:
        bridge(p, p.obj, rings, cuts=int(rng.integers(2, 5)), interpolation="SURFACE")
        p.call("recalculate_normals", name=p.obj)
    if kind == "wall-hung":
        with part(d, "back") as p:
            zb = zc - b * 0.4
            box(p, p.obj, [0, rim - drop * 0.5 - 0.01, zb / 2], [a * 0.7, drop * 0.5, zb / 2], bevel=0.2)

    _seat_and_lid(d, rng, kind, a, b, rim, zc, tank_d)
    if kind == "close-coupled":
        _tank(d, rng, rim, tank_w, tank_d, tank_h)
    if kind != "wall-hung" and rng.random() < 0.4:
        with part(d, "bolt caps") as p:
            bx = a * rng.uniform(0.55, 0.75)
            sphere(p, p.obj, [-bx, 0.0, zf], [0.016, 0.02, 0.016], apply=True)
            repeat(p, p.obj, 2, [2 * bx, 0.0, 0.0])
    return build(d, final_query=rng.random() < 0.25)


def _pedestal(
    d: Design, rng: np.random.Generator, kind: str, a: float, b: float, rim: float, drop: float, zc: float
) -> float:
    """The pedestal under the bowl: waisted or straight, or a smooth block back to the wall; returns the depth
    of its foot's centre (where bolt caps go)."""
    waist = rng.uniform(0.6, 0.85) if rng.random() < 0.6 else 1.0
    af, bf = a * rng.uniform(0.6, 0.8), b * rng.uniform(0.75, 0.95)
    zf = zc - b * rng.uniform(0.1, 0.3)
    y1 = rim - drop
    rings = [
        ([0, 0.0, zf], af, bf),
        ([0, y1 * 0.45, zf + (zc - b * 0.15 - zf) * 0.3], af * waist, bf * waist),
        ([0, y1 + 0.02, zc - b * 0.15], a * 0.5, b * 0.5),
    ]
    if kind == "back-to-wall":  # a smooth block from the floor to under the rim, back to the wall
        af, bf = a * rng.uniform(0.85, 0.95), (zc + b * rng.uniform(0.6, 0.9)) / 2
        rings = [
            ([0, 0.0, bf], af, bf),
            ([0, rim * 0.5, bf], af * 1.02, bf),
            ([0, rim - 0.035, bf], a * 0.97, bf * 0.98),
        ]
        zf = bf
    with part(d, "pedestal") as p:
        # SURFACE: the sections are not coaxial, where PATH interpolation can fold
        bridge(p, p.obj, rings, cuts=3, interpolation="SURFACE")
    return zf


def _seat_and_lid(
    d: Design, rng: np.random.Generator, kind: str, a: float, b: float, rim: float, zc: float, tank_d: float
) -> None:
    """A torus or flat (cut) seat on the rim, a closed, open or no lid, and the hinges."""
    seat_t = rng.uniform(0.02, 0.035)
    sa, sb, sz = a + 0.004, b + 0.008, zc + 0.006
    with part(d, "seat") as p:
        if rng.random() < 0.5:
            p.cover(ellipse_points([0, rim, sz], sa, sb))
            p.cover(ellipse_points([0, rim + seat_t, sz], sa, sb))
            p.write(
                lambda wr, f: wr.call(
                    "create_primitive",
                    name=wr.obj,
                    primitive_type="torus",
                    location=f.p([0, rim + seat_t / 2, sz]),
                    scale=f.l([sa / 1.25, sb / 1.25, seat_t / 0.5]),
                    rotation=UP,
                )
            )
        else:
            cylinder(p, p.obj, [0, rim, sz], [0, rim + seat_t, sz], sa, rz=sb)
            hole = p.helper("hole")
            k = rng.uniform(0.55, 0.68)
            cylinder(
                p, hole, [0, rim - 0.01, sz + 0.015], [0, rim + seat_t + 0.01, sz + 0.015], sa * k, rz=sb * k
            )
            p.call("boolean_operation", name1=p.obj, name2=hole, operation="DIFFERENCE")
    lid = pick(rng, ["closed", "open", "none"], [0.45, 0.4, 0.15])
    lid_t = rng.uniform(0.015, 0.03)
    hinge_z = zc - b + 0.01
    if lid == "closed":
        with part(d, "lid") as p:
            cylinder(p, p.obj, [0, rim + seat_t, sz], [0, rim + seat_t + lid_t, sz], sa * 0.99, rz=sb * 0.99)
            p.call("bevel", name=p.obj, width=0.3, segments=3)
    elif lid == "open":  # standing up, against the tank or leaning back a little
        lz = max(hinge_z, tank_d + 0.004) if kind == "close-coupled" else hinge_z - lid_t
        lean = 0.0 if kind == "close-coupled" else rng.uniform(0.05, 0.2)
        up = np.array([0.0, math.cos(lean), -math.sin(lean)])
        normal = np.array([0.0, math.sin(lean), math.cos(lean)])
        c = np.array([0, rim + seat_t, lz]) + up * sb
        with part(d, "lid") as p:
            cylinder(p, p.obj, c, c + normal * lid_t, sa * 0.99, rz=sb * 0.99)
    with part(d, "hinge") as p:
        hx = rng.uniform(0.05, 0.09)
        cylinder(
            p,
            p.obj,
            [-hx - 0.02, rim + 0.012, hinge_z],
            [-hx + 0.02, rim + 0.012, hinge_z],
            0.011,
            apply=True,
        )
        repeat(p, p.obj, 2, [2 * hx, 0.0, 0.0])


def _tank(
    d: Design, rng: np.random.Generator, rim: float, tank_w: float, tank_d: float, tank_h: float
) -> None:
    """A close-coupled tank behind the seat, its lid, and a flush button or lever."""
    y0 = rim - rng.uniform(0.03, 0.08)
    rounded = rng.uniform(0.05, 0.35)
    with part(d, "tank") as p:
        box(p, p.obj, [0, y0 + tank_h / 2, tank_d / 2], [tank_w / 2, tank_h / 2, tank_d / 2], bevel=rounded)
    top = y0 + tank_h
    with part(d, "tank lid") as p:
        box(p, p.obj, [0, top + 0.012, tank_d / 2], [tank_w / 2 + 0.01, 0.012, tank_d / 2 + 0.01], bevel=0.3)
    if rng.random() < 0.6:
        with part(d, "flush button") as p:
            cylinder(
                p, p.obj, [0, top + 0.024, tank_d / 2], [0, top + 0.034, tank_d / 2], rng.uniform(0.018, 0.03)
            )
    else:
        with part(d, "flush lever") as p:
            lx, ly = -tank_w / 2 + 0.05, top - 0.05
            cylinder(p, p.obj, [lx, ly, tank_d], [lx, ly, tank_d + 0.012], 0.015)
            arm = p.helper("arm")
            box(p, arm, [lx + 0.04, ly, tank_d + 0.016], [0.04, 0.007, 0.005], bevel=0.4)
            p.call("join_obj", name=p.obj, seq_name=[p.obj, arm])
