"""The seating-and-tables generators' shapes (``meshcoder.data.generators.seating``) on the design layer:
each shape predicts the box Blender builds, and the one fit makes the written program canonical."""

from __future__ import annotations

import math

import numpy as np
import pytest

from meshcoder.data.categories import generate_program
from meshcoder.data.generators.design import Design, Written, frame_error, written
from meshcoder.data.generators.geometry import X_AXIS, quat_from_matrix, rotation_about
from meshcoder.data.generators.seating.curves import bezier, fillet_corners
from meshcoder.data.generators.seating.cushions import pillow
from meshcoder.data.generators.seating.ops import Bend, Bevel, Smooth, Subsurf
from meshcoder.data.generators.seating.pieces import rounded_rect, vec
from meshcoder.data.generators.seating.rotations import tilt_x
from meshcoder.data.generators.seating.shapes import (
    Box,
    CurvedPanel,
    Cyl,
    Lathe,
    Panel,
    Ring,
    Sphere,
    Sweep,
    Trap,
    add,
)
from meshcoder.shapes.program import parse


def _design() -> Design:
    """One of every shape and op the generators use, in metres, away from the origin."""
    d = Design("toolkit")
    tilt = tilt_x(-math.radians(14))
    add(d, "box", Box((0.1, 0.5, 0.0), (0.3, 0.05, 0.2), tilt, ops=[Bevel(0.4, 2), Subsurf(1)]))
    add(d, "leg", Cyl((-0.3, 0.0, 0.2), (-0.25, 0.45, 0.25), 0.02))
    add(d, "knob", Sphere((0.4, 0.3, 0.3), (0.03, 0.02, 0.03)))
    add(
        d,
        "foot",
        Trap((0.0, 0.0, -0.3), (0.0, 0.04, 0.05), (0.05, 0.03), (0.07, 0.06)),
        radial=(5, (0, 0, 0)),
    )
    add(
        d,
        "rail",
        Sweep([(-0.4, 0.3, -0.2), (-0.4, 0.0, -0.2), (0.4, 0.0, -0.2)], ("rect", 0.05, 0.02), fillet=0.06),
    )
    add(
        d,
        "arm",
        Sweep([(0.5, 0.2, -0.2), (0.5, 0.35, 0.0), (0.5, 0.3, 0.25)], ("circle", 0.015), [1, 1, 0, 0, 1, 1]),
    )
    add(d, "ring", Ring((0.0, 0.2, 0.0), 0.25, 0.01), Ring((0.0, 0.6, 0.0), 0.2, rect=(0.02, 0.06)))
    seat = rounded_rect(0.0, 0.8, 0.0, 0.5, 0.4, 0.45)
    add(d, "seat", Panel(seat, 0.03, fillet=0.05))
    add(d, "cushion", pillow((0.0, 0.9, 0.0), (0.25, 0.06, 0.2)), ops=[Smooth()])
    add(d, "base", Lathe((0.3, 0.0, -0.3), [(0, 0), (0.12, 0), (0.12, 0.01), (0.03, 0.05), (0.02, 0.3)]))
    add(d, "shell", CurvedPanel([(0, 1.0, 0.25), (0, 1.02, -0.1), (0, 1.4, -0.25)], 0.4, 0.015))
    centre = vec(0.0, 1.2, -0.3)
    frame = written(quat_from_matrix(rotation_about(X_AXIS, math.pi / 2)))
    add(
        d,
        "back",
        Box(centre, (0.22, 0.12, 0.015), res=[16, 1, 1], ops=[Bend(0.3, centre, frame), Bevel(0.3, 3)]),
    )
    return d


def test_frame_makes_the_written_program_canonical():
    d = _design()
    f = d.frame()
    lo, hi = d.box(Written(f))
    assert frame_error(f, lo, hi) < 0.005
    c_lo, c_hi = np.array(f.p(lo)), np.array(f.p(hi))
    assert abs((c_hi - c_lo).max() - 1) < 0.005
    assert np.abs((c_lo + c_hi) / 2).max() < 0.005
    program = d.builder().program()
    assert program.structure_problems() == []
    assert [p.label for p in program.parts][:3] == ["box", "leg", "knob"]


def test_auto_handles_follow_blender():
    # a symmetric arch: AUTO handles at the top are horizontal, so the path peaks at the middle point
    path = bezier([(0, 0, 0), (1, 1, 0), (2, 0, 0)], [1, 1, 0, 0, 1, 1])
    assert path[:, 1].max() == pytest.approx(1.0)
    assert path[0].tolist() == [0, 0, 0] and path[-1].tolist() == [2, 0, 0]


def test_fillet_rounds_corners_inside_the_polyline():
    square = [(0, 0, 0), (1, 0, 0), (1, 1, 0), (0, 1, 0)]
    filleted = fillet_corners(square, 0.2, 4, closed=True)
    assert len(filleted) == 4 * 5
    assert filleted.min() >= 0 and filleted.max() <= 1
    assert not any(np.allclose(p, c) for p in filleted for c in square)


@pytest.mark.blender
def test_every_shape_predicts_its_executed_box(pool):
    d = _design()
    f = d.frame()
    builder = d.builder()
    result = pool.run(builder.to_text())
    assert result.ok, result.reason
    for part, writer in zip(d.parts, builder.parts):
        pts = np.asarray(f.ps(part.bounds(Written(f))))
        lo, hi = result.parts[writer.obj].bounds
        err = max(np.abs(pts.min(0) - lo).max(), np.abs(pts.max(0) - hi).max())
        assert err < 0.006, (writer.obj, pts.min(0), lo, pts.max(0), hi)


def test_generators_validate_and_stay_short():
    for name in ("Chair", "ArmChair", "Sofa", "OfficeChair", "TVStand"):
        for seed in range(3):
            text = generate_program(name, seed)
            assert parse(text).structure_problems() == []
            assert len(text) < 15_000
