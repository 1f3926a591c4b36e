"""The seating-and-tables generators' shape toolkit: each shape predicts the box Blender builds."""

from __future__ import annotations

import math

import numpy as np
import pytest

from meshcoder.data.categories import generate_program
from meshcoder.data.generators import seating_tables as st
from meshcoder.shapes.program import parse


def _design() -> st.Design:
    """One of every shape and op the generators use, in metres, away from the origin."""
    d = st.Design("toolkit")
    tilt = st._tilt_x(-math.radians(14))
    d.add("box", st.Box((0.1, 0.5, 0.0), (0.3, 0.05, 0.2), tilt, ops=[st.Bevel(0.4, 2), st.Subsurf(1)]))
    d.add("leg", st.Cyl((-0.3, 0.0, 0.2), (-0.25, 0.45, 0.25), 0.02))
    d.add("knob", st.Sphere((0.4, 0.3, 0.3), (0.03, 0.02, 0.03)))
    d.add(
        "foot",
        st.Trap((0.0, 0.0, -0.3), (0.0, 0.04, 0.05), (0.05, 0.03), (0.07, 0.06)),
        radial=(5, (0, 0, 0)),
    )
    d.add(
        "rail",
        st.Sweep([(-0.4, 0.3, -0.2), (-0.4, 0.0, -0.2), (0.4, 0.0, -0.2)], ("rect", 0.05, 0.02), fillet=0.06),
    )
    d.add(
        "arm",
        st.Sweep(
            [(0.5, 0.2, -0.2), (0.5, 0.35, 0.0), (0.5, 0.3, 0.25)], ("circle", 0.015), [1, 1, 0, 0, 1, 1]
        ),
    )
    d.add("ring", st.Ring((0.0, 0.2, 0.0), 0.25, 0.01), st.Ring((0.0, 0.6, 0.0), 0.2, rect=(0.02, 0.06)))
    seat = st._rounded_rect(0.0, 0.8, 0.0, 0.5, 0.4, 0.45)
    d.add("seat", st.Panel(seat, 0.03, fillet=0.05))
    d.add("cushion", st._pillow((0.0, 0.9, 0.0), (0.25, 0.06, 0.2)), ops=[st.Smooth()])
    d.add("base", st.Lathe((0.3, 0.0, -0.3), [(0, 0), (0.12, 0), (0.12, 0.01), (0.03, 0.05), (0.02, 0.3)]))
    d.add("shell", st.CurvedPanel([(0, 1.0, 0.25), (0, 1.02, -0.1), (0, 1.4, -0.25)], 0.4, 0.015))
    centre = st._v(0.0, 1.2, -0.3)
    frame = st._r(st._quat(st._rot(st.X_AXIS, math.pi / 2)))
    d.add(
        "back",
        st.Box(
            centre, (0.22, 0.12, 0.015), res=[16, 1, 1], ops=[st.Bend(0.3, centre, frame), st.Bevel(0.3, 3)]
        ),
    )
    return d


def test_frame_makes_the_written_program_canonical():
    d = _design()
    lo, hi = d._bounds(d.frame())
    assert abs((hi - lo).max() - 1) < 0.005
    assert np.abs((lo + hi) / 2).max() < 0.01
    program = d.build().program()
    assert program.structure_problems() == []
    assert [p.label for p in program.parts][:3] == ["box", "leg", "knob"]


def test_auto_handles_follow_blender():
    # a symmetric arch: AUTO handles at the top are horizontal, so the path peaks at the middle point
    path = st._bezier([(0, 0, 0), (1, 1, 0), (2, 0, 0)], [1, 1, 0, 0, 1, 1])
    assert path[:, 1].max() == pytest.approx(1.0)
    assert path[0].tolist() == [0, 0, 0] and path[-1].tolist() == [2, 0, 0]


def test_fillet_rounds_corners_inside_the_polyline():
    square = [(0, 0, 0), (1, 0, 0), (1, 1, 0), (0, 1, 0)]
    rounded = st._fillet(square, 0.2, 4, closed=True)
    assert len(rounded) == 4 * 5
    assert rounded.min() >= 0 and rounded.max() <= 1
    assert not any(np.allclose(p, c) for p in rounded for c in square)


@pytest.mark.blender
def test_every_shape_predicts_its_executed_box(pool):
    d = _design()
    f = d.frame()
    builder = d.build()
    result = pool.run(builder.to_text())
    assert result.ok, result.reason
    for part, writer in zip(d.parts, builder.parts):
        pts = d._points(part, f)
        lo, hi = result.parts[writer.obj].bounds
        err = max(np.abs(pts.min(0) - lo).max(), np.abs(pts.max(0) - hi).max())
        assert err < 0.006, (writer.obj, pts.min(0), lo, pts.max(0), hi)


def test_generators_validate_and_stay_short():
    for name in ("Chair", "ArmChair", "Sofa", "OfficeChair", "TVStand"):
        for seed in range(3):
            text = generate_program(name, seed)
            assert parse(text).structure_problems() == []
            assert len(text) < 15_000
