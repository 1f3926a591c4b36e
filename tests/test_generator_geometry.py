"""The generators' shared geometry (meshcoder.data.generators.geometry) against numbers worked by hand."""

import math

import numpy as np
import pytest

from meshcoder.data.frame import Frame
from meshcoder.data.generators import design
from meshcoder.data.generators import geometry as g
from meshcoder.shapes.program import format_number

H = math.sqrt(0.5)


def test_quat_to_turns_z_onto_the_direction():
    assert g.quat_to((0, 0, 5)) == g.NO_TURN
    assert g.quat_to((0, 0, -1)) == (0.0, 1.0, 0.0, 0.0)
    # +Z to +X: a quarter turn about +Y, so (cos 45, 0, sin 45, 0).
    np.testing.assert_allclose(g.quat_to((2, 0, 0)), (H, 0, H, 0), atol=1e-15)
    # +Z to +Y: a quarter turn about -X, the UP constant before rounding.
    np.testing.assert_allclose(g.quat_to((0, 1, 0)), (H, -H, 0, 0), atol=1e-15)
    np.testing.assert_allclose(np.round(g.quat_to((0, 1, 0)), 2), g.UP)
    np.testing.assert_allclose(g.quat_to((0, 1, 0), via_cos=True), (H, -H, 0, 0), atol=1e-15)


def test_rotations_agree_with_each_other():
    # UP (as written: 0.71, -0.71) still turns local Z onto +Y exactly, once normalised.
    np.testing.assert_allclose(g.rotate(g.UP, [0, 0, 1]), [0, 1, 0], atol=1e-12)
    np.testing.assert_allclose(g.rotate(g.UP, [0, 1, 0]), [0, 0, -1], atol=1e-12)
    np.testing.assert_allclose(g.rotate(g.ALONG_X, [0, 0, 1]), [1, 0, 0], atol=1e-12)
    np.testing.assert_allclose(g.rotate(g.DOWN, [0, 0, 1]), [0, -1, 0], atol=1e-12)
    # 'written' reads the quaternion at two decimals: (0.707, 0.707) becomes (0.71, 0.71), the same turn.
    np.testing.assert_allclose(g.quat_matrix((0.707, 0, 0.707, 0), written=True), g.quat_matrix(g.ALONG_X))
    # A quarter turn about Z takes X to Y, by either construction and back through a quaternion.
    m = g.turn_about("z", 90)
    np.testing.assert_allclose(m @ [1, 0, 0], [0, 1, 0], atol=1e-15)
    np.testing.assert_allclose(g.rotation_about((0, 0, 3), math.pi / 2), m, atol=1e-15)
    np.testing.assert_allclose(g.quat_from_matrix(m), (H, 0, 0, H), atol=1e-15)
    np.testing.assert_allclose(g.quat_matrix(g.quat_from_matrix(m, normalise=True)), m, atol=1e-15)
    # Two quarter turns about Z make a half turn: quaternion (0, 0, 0, 1).
    q = g.quat_axis_angle((0, 0, 1), math.pi / 2)
    np.testing.assert_allclose(g.quat_mul(q, q), (0, 0, 0, 1), atol=1e-15)
    with pytest.raises(ValueError, match="'x', 'y' or 'z'"):
        g.turn_about("w", 10)


def test_basis_points_its_main_axis_and_stays_right_handed():
    R = g.basis((0, 1, 0), (1, 0, 0))  # local Z up, local X along world X: local Y = Z x X = world -Z
    np.testing.assert_allclose(R, [[1, 0, 0], [0, 0, 1], [0, -1, 0]], atol=1e-15)
    assert np.linalg.det(g.basis((1, 2, 3), (0, 0, 1))) == pytest.approx(1.0)


def test_pick_draws_keys_by_weight_and_sequences_uniformly():
    rng = np.random.default_rng(0)
    assert {g.pick(rng, {"a": 1.0, "b": 0.0}) for _ in range(20)} == {"a"}
    assert {g.pick(rng, ("x", "y"), weights=(0.0, 2.0)) for _ in range(20)} == {"y"}
    draws = [g.pick(rng, (1, 2, 3)) for _ in range(300)]
    assert set(draws) == {1, 2, 3}
    # One draw per call, the same as rng.choice on the index.
    a, b = np.random.default_rng(5), np.random.default_rng(5)
    assert [g.pick(a, {"p": 1, "q": 3}) for _ in range(50)] == [
        ["p", "q"][int(b.choice(2, p=[0.25, 0.75]))] for _ in range(50)
    ]


def test_handle_codes():
    assert g.handle_codes("sarl") == [1, 1, 0, 0, 0, 1, 1, 0]
    with pytest.raises(ValueError, match="handle letters"):
        g.handle_codes("sx")


def test_bezier_of_sharp_points_is_the_polyline():
    # VECTOR handles a third of the way along: each span is the straight segment, evenly split.
    line = g.bezier_polyline([(0, 0), (3, 0), (3, 6)], g.handle_codes("sss"), 3)
    np.testing.assert_allclose(line, [(0, 0), (1, 0), (2, 0), (3, 0), (3, 2), (3, 4), (3, 6)], atol=1e-12)
    closed = g.bezier_polyline([(0, 0), (2, 0), (2, 2)], g.handle_codes("sss"), 2, closed=True)
    np.testing.assert_allclose(closed[-1], (0, 0))
    assert len(closed) == 7


def test_bezier_auto_handles_follow_blender():
    # Three collinear points at 0, 1, 2: the middle AUTO handle lies along the line with length
    # |t| * la / (|t| * 2.5614) = 1 / 2.5614; the ends mirror their neighbour.
    left, right = g.bezier_handles(np.array([[0.0, 0], [1, 0], [2, 0]]), [0] * 6)
    assert right[1][0] == pytest.approx(1 + 1 / 2.5614)
    assert left[1][0] == pytest.approx(1 - 1 / 2.5614)
    # A symmetric arch peaks at its middle control point.
    line = g.bezier_polyline([(0, 0), (1, 1), (2, 0)], None, 8)
    assert line[:, 1].max() == pytest.approx(1.0)
    assert line[8].tolist() == [1.0, 1.0]


def test_fillet_rounds_a_right_angle_with_a_quarter_circle():
    # Corner at (1, 0) between (0, 0) and (1, 1), width 0.25: the arc runs from (0.75, 0) to (1, 0.25)
    # about (0.75, 0.25).
    out = g.fillet([(0, 0), (1, 0), (1, 1)], 0.25, 4)
    assert len(out) == 2 + 5
    np.testing.assert_allclose(out[1], (0.75, 0))
    np.testing.assert_allclose(out[-2], (1, 0.25), atol=1e-15)
    np.testing.assert_allclose(np.linalg.norm(out[1:-1] - (0.75, 0.25), axis=1), 0.25)
    # Edges of length 0.2 leave room for 0.2 only (0.1 between two corners).
    square = g.fillet([(0, 0, 0), (0.2, 0, 0), (0.2, 0.2, 0), (0, 0.2, 0)], 0.5, 2, closed=True)
    np.testing.assert_allclose(square[0], (0, 0.1, 0), atol=1e-15)
    # A straight-through point is no corner once a threshold is given.
    assert len(g.fillet([(0, 0), (1, 0), (2, 0)], 0.3, 4, corner_above=30)) == 3
    assert len(g.fillet([(0, 0), (1, 0), (2, 0)], 0.3, 4)) == 7


def test_arc_and_lathe_helpers():
    arc = g.arc_through((1, 0, 0), (0, 1, 0), (-1, 0, 0), n=5)
    # 5 points over a half turn, 45 degrees apart.
    np.testing.assert_allclose(arc[1], (H, H, 0), atol=1e-12)
    np.testing.assert_allclose(arc[2], (0, 1, 0), atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(arc, axis=1), 1.0)
    np.testing.assert_allclose(g.circle_points(4)[:, :2], [(1, 0), (0, 1), (-1, 0), (0, -1)], atol=1e-15)
    line = np.array([(0.0, 0.0), (2.0, 0.0), (4.0, 4.0)])
    assert g.radius_at(line, 2.0) == pytest.approx(3.0)
    assert g.radius_at(line, 9.0) == 4.0
    np.testing.assert_allclose(g.lathe_box(line, (1, 1, 0)), [[-3, 1, -4], [5, 5, 4]])
    rings = g.lathe_rings([(1.0, 2.0)], (0, 0, 0), around=5)
    np.testing.assert_allclose(rings[:, 1], 2.0, atol=1e-12)
    np.testing.assert_allclose(np.hypot(rings[:, 0], rings[:, 2]), 1.0, atol=1e-12)


# ------------------------------------------------------------------------------------- design layer


def test_written_rounds_in_canonical_units():
    assert design.Written().l(0.123456) == 0.123456  # no frame yet: nothing rounded
    f = Frame([0, 0, 0], [2, 2, 2])  # centre 1, scale 0.5
    w = design.Written(f)
    assert w.l(0.126) == pytest.approx(0.12)  # 0.063 canonical is written 0.06
    np.testing.assert_allclose(w.p((1.126, 1, 0)), (1.12, 1, 0))  # 0.063 -> 0.06, -0.5 stays
    assert design.size(f, 0.001) == 0.01  # raised to MIN_SIZE, then written with two decimals
    assert w.size(0.001) == pytest.approx(0.02)  # that written size, back in metres
    assert w.canon(0.01) == pytest.approx(0.02)


def test_frame_error_measures_side_and_faces():
    f = Frame([-1, -1, -1], [1, 1, 1])
    assert design.frame_error(f, [-1, -1, -1], [1, 1, 1]) == 0.0
    # Z reaching 1.2: canonical side 1.1 (0.1 too long) and faces -0.5, 0.6 (sum 0.1).
    assert design.frame_error(f, [-1, -1, -1], [1, 1, 1.2]) == pytest.approx(0.1)
    assert design.frame_error(f, [-1, -1, -0.8], [1, 1, 1.2]) == pytest.approx(0.2)


def test_lathe_bounds_hold_its_shell():
    # A cylinder profile drawn out along the base then up: the shell (0.1) grows below the base and
    # outside the side, so radius 1.1 and bottom -0.1.
    d = design.Design("can")
    design.lathe(d, "body", [(0, 0), (1, 0), (1, 1)], "sss", thickness=0.1)
    lo, hi = d.box(design.Written())
    np.testing.assert_allclose(lo, (-1.1, -0.1, -1.1))
    np.testing.assert_allclose(hi, (1.1, 1.0, 1.1))


def test_design_writes_its_parts_in_the_fitted_frame():
    d = design.Design("block")
    design.primitive(d, "slab", "cube", (1, 2, 3), (0.3, 0.2, 0.1))
    frame = d.frame()
    assert frame.scale == pytest.approx(1 / 0.6) and np.allclose(frame.centre, (1, 2, 3))
    assert design.frame_error(frame, *d.box(design.Written(frame))) < design.TOLERANCE
    text = d.builder().to_text()
    assert (
        "create_primitive(name='slab_1', primitive_type='cube', location=[0.0, 0.0, 0.0], scale=[0.5, 0.33, 0.17])"
        in text
    )


def test_written_rounds_as_the_program_text_does():
    # 1.115 and 2.675 lie a hair below the half in binary: the text writes 1.11 and 2.67 (np.round
    # would give 1.12 and 2.68), and the design layer predicts with the text's rule.
    values = [1.115, 2.675, 0.125, -0.375, 0.004]
    assert design.written(values).tolist() == [float(format_number(v)) for v in values]
    assert design.written(0.123456, 3) == 0.123
    f = Frame([0, 0, 0], [2, 2, 2])  # centre 1, scale 0.5
    assert design.Written().round([0.123456]).tolist() == [0.123456]  # no frame yet: nothing rounded
    assert design.Written(f).sizes([0.001, 0.3]).tolist() == [0.01, 0.15]
    np.testing.assert_allclose(design.Written(f).metres([[0.5, -0.5, 0]]), [[2, 0, 1]])
    np.testing.assert_allclose(design.Written().metres([[0.5, -0.5, 0]]), [[0.5, -0.5, 0]])


def _dots(centres, sizes) -> design.Design:
    """Boxes whose written centres and sizes (both rounded) set the design's box."""
    d = design.Design("dots")
    for i, (c, s) in enumerate(zip(centres, sizes)):

        def bounds(w: design.Written, c=c, s=s) -> np.ndarray:
            mid, half = w.round(w.canonical.p(c)), w.sizes(s)
            return w.metres([mid - half, mid + half])

        d.add(f"dot{i}", bounds, lambda p, f: None)
    return d


def test_fit_searches_nearby_frames_when_the_passes_miss():
    d = _dots([(0.64, 0.27, 0.04), (0.02, 0.81, 0.91), (0.61, 0.73, 0.54)], [0.19, 0.17, 0.01])
    frame, errors = None, []
    for _ in range(design.FIT_PASSES):  # the passes alone keep missing by a hundredth
        lo, hi = d.box(design.Written(frame))
        if frame is not None:
            errors.append(design.frame_error(frame, lo, hi))
        frame = Frame(lo, hi)
    assert min(errors) == pytest.approx(0.01)
    fitted = d.frame()
    assert design.frame_error(fitted, *d.box(design.Written(fitted))) < design.TOLERANCE


def test_nearby_frames_step_scale_and_centre():
    f = Frame([0, 0, 0], [2, 1, 1])  # size 2, centre (1, 0.5, 0.5)
    step = design.SEARCH_STEP
    first, second = design.nearby(f, 1), design.nearby(f, 2)
    assert 1 / first.scale == pytest.approx(2 * (1 + step))  # one step larger, centre one step on
    np.testing.assert_allclose(first.centre, f.centre + step * 2)
    assert 1 / second.scale == pytest.approx(2 * (1 - step))  # one step smaller, centre one step back
    np.testing.assert_allclose(second.centre, f.centre - step * 2)
    sizes = {round(1 / design.nearby(f, k).scale, 9) for k in range(1, design.SEARCH_FRAMES + 1)}
    assert len(sizes) == design.SEARCH_FRAMES  # every frame searched is a new scale
