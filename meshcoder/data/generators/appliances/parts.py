"""Shared pieces of appliances: hinged doors, hollow bodies, wire rack rims."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from meshcoder.data.builder import PartWriter
from meshcoder.data.generators.geometry import (
    turn_about,
)
from meshcoder.data.generators.storage.sketch import (
    MITRE,
    Sketch,
    box_corners,
    circle_profile,
    profile_radius,
)


def hinge_pose(axis: str, point: Sequence[float], degrees: float) -> tuple[np.ndarray, np.ndarray]:
    """The pose (R, t) of a door turned by ``degrees`` about a world axis through ``point``:
    world = R @ closed + t."""
    R = turn_about(axis, degrees)
    pt = np.asarray(point, float)
    return R, pt - R @ pt


def shell(s: Sketch, label: str, lo, hi, wall: float, bevel: float | None = None, open_to: float = 0.0):
    """A box-shaped appliance body hollowed by a boolean: the cavity leaves ``wall`` on every side but
    runs out through the front (up to ``open_to`` in front of the box), so the body is open there."""
    lo, hi = np.asarray(lo, float), np.asarray(hi, float)
    with s.part(label) as p:
        s.box(p, p.obj, lo, hi, apply=True, bevel=bevel, segments=2)
        cavity = p.helper("cube")
        s.box(
            p, cavity, lo + wall, [hi[0] - wall, hi[1] - wall, hi[2] + open_to + 0.01], apply=True, grow=False
        )
        p.call("boolean_operation", name1=p.obj, name2=cavity, operation="DIFFERENCE")


WIRE_TURN = turn_about("x", -90)


def wire_frame(s: Sketch, p: PartWriter, name: str, x0, x1, y, z0, z1, r: float) -> np.ndarray:
    """A horizontal rectangle of round wire (a rack's rim): a circle swept along a rectangle path.
    The sweep is solidified with its rotation applied (spec 3b, item 3), so the object ends up in world
    axes and arrays of it need no ``turned``."""
    prof = circle_profile(s, p, r)
    p.call(
        "create_rectangle",
        name=name,
        profile_name=prof,
        width=s.L(x1 - x0),
        length=s.L(z1 - z0),
        location=s.at([(x0 + x1) / 2, y, (z0 + z1) / 2]),
        rotation=s.quat(WIRE_TURN),
    )
    # the rim as written: centre, sides and wire rounded; the corners are sharp, so the wire shows
    # MITRE as wide across the straight sides
    view, wire = s.view, profile_radius(s, r)
    half = np.array([view.l(x1 - x0) / 2 + wire * MITRE, view.l(z1 - z0) / 2 + wire * MITRE, wire])
    corners = view.p(s.w([(x0 + x1) / 2, y, (z0 + z1) / 2])) + box_corners(half) @ (s.R @ WIRE_TURN).T
    s.grow_world(corners, corners)
    return corners
