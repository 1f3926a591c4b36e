"""add_simple_deform_modifier, add_curve_modifier_to_object and zoom_upper_face, checked by numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest

pytestmark = pytest.mark.blender

# A bar 2 long (x in [-1, 1]) and 0.2 thick, cut 40 times along its length so it can bend.
BAR = (
    "create_primitive(name='bar', primitive_type='cube', scale=[1.0, 0.1, 0.1], use_minimum_face=False, "
    "resolution=[40, 1, 1], apply=True)\n"
)


def _part(result, name):
    assert result.ok, result.reason
    return result.parts[name]


def test_zero_bend_changes_nothing(run):
    bar = _part(run(BAR + "add_simple_deform_modifier(name='bar', angle=0.0)"), "bar")
    np.testing.assert_allclose(bar.extents, [2.0, 0.2, 0.2], atol=1e-6)


@pytest.mark.parametrize("angle", [0.5, 1.0])
def test_bend_curls_the_bar_by_the_angle_in_units_of_pi(run, angle):
    bar = _part(
        run(BAR + f"add_simple_deform_modifier(name='bar', mode='BEND', angle={angle}, axis='Z')"), "bar"
    )
    theta = angle * math.pi  # total bend over the bar's length 2
    radius = 2.0 / theta  # of the centre line
    half = theta / 2
    # The bar becomes an arc about a Z axis: outer edge radius + 0.1, inner radius - 0.1.
    expected_x = 2 * (radius + 0.1) * math.sin(half)
    expected_y = (radius + 0.1) - (radius - 0.1) * math.cos(half)
    np.testing.assert_allclose(bar.extents, [expected_x, expected_y, 0.2], rtol=2e-3)
    # The length along the centre line is kept: the volume does not change.
    assert bar.volume == pytest.approx(0.08, rel=2e-3)


def test_bend_frame_moves_with_origin_and_rotation(run):
    # The same bar 5 units away, bent in a frame at its centre, matches the bar bent at the origin.
    here = _part(run(BAR + "add_simple_deform_modifier(name='bar', angle=0.5)"), "bar")
    moved = BAR.replace("apply=True", "location=[5.0, 0.0, 0.0], apply=True")
    there = _part(
        run(moved + "add_simple_deform_modifier(name='bar', angle=0.5, origin=[5.0, 0.0, 0.0])"), "bar"
    )
    np.testing.assert_allclose(there.bounds - [5.0, 0.0, 0.0], here.bounds, atol=1e-5)
    # A frame turned 90 degrees about X bends about the world Y axis instead of Z.
    turned = _part(
        run(BAR + "add_simple_deform_modifier(name='bar', angle=0.5, rotation=[0.71, 0.71, 0, 0])"), "bar"
    )
    np.testing.assert_allclose(turned.extents[[0, 2, 1]], here.extents, atol=1e-3)


def test_twist_turns_the_ends_against_each_other(run):
    bar = _part(run(BAR + "add_simple_deform_modifier(name='bar', mode='TWIST', angle=0.5, axis='X')"), "bar")
    v = bar.vertices

    def section(x):
        return v[np.abs(v[:, 0] - x) < 1e-5][:, 1:]

    # A quarter turn over the length, about the frame origin: the square section at x turns by
    # x * 45 degrees, so its width is 0.2 * (cos a + sin a).
    for x in (0.0, 0.5, 1.0, -1.0):
        a = abs(x) * math.pi / 4
        assert np.ptp(section(x)[:, 0]) == pytest.approx(0.2 * (math.cos(a) + math.sin(a)), rel=1e-3)


def test_taper_scales_the_section_linearly_along_the_axis(run):
    bar = _part(run(BAR + "add_simple_deform_modifier(name='bar', mode='TAPER', angle=0.5, axis='X')"), "bar")
    v = bar.vertices

    def width(x):
        return np.ptp(v[np.abs(v[:, 0] - x) < 1e-5][:, 1])

    assert width(0.0) == pytest.approx(0.2, rel=1e-4)  # the frame origin keeps its size
    assert width(1.0) > 0.22 and width(-1.0) < 0.18
    assert width(0.5) == pytest.approx((width(0.0) + width(1.0)) / 2, rel=1e-4)
    assert width(1.0) - 0.2 == pytest.approx(0.2 - width(-1.0), rel=1e-4)


def test_bad_mode_is_a_runtime_error(run):
    result = run(BAR + "add_simple_deform_modifier(name='bar', mode='WOBBLE')")
    assert not result.ok
    assert "mode" in result.error


def test_curve_modifier_lays_the_bar_along_an_arc(run):
    # A thin bar from x = 0 to 1.4 along the frame's X, laid on a unit quarter circle.
    body = (
        "create_primitive(name='bar', primitive_type='cube', location=[0.7, 0.0, 0.0], scale=[0.7, 0.02, 0.02], "
        "use_minimum_face=False, resolution=[60, 1, 1], apply=True)\n"
        "create_arc_by_3Dpoints(name='arc', control_points=[[1.0, 0.0, 0.0], [0.7071, 0.7071, 0.0], [0.0, 1.0, 0.0]])\n"
        "add_curve_modifier_to_object(name='bar', curve_name='arc', axis='POS_X')"
    )
    result = run(body)
    bar = _part(result, "bar")
    assert set(result.parts) == {"bar"}  # the curve is gone
    radii = np.linalg.norm(bar.vertices[:, :2], axis=1)
    # 0.02 half thickness, plus the arc's sampling (12 segments per span) as the modifier's path.
    assert np.all(np.abs(radii - 1.0) < 0.025)
    assert np.all(np.abs(bar.vertices[:, 2]) < 0.021)
    # Length along the bar is distance along the arc from its start: it covers 1.4 radians from one end
    # of the quarter circle (which end the arc starts at is create_arc_by_3Dpoints' business, spec 3b
    # item 5).
    angles = np.arctan2(bar.vertices[:, 1], bar.vertices[:, 0])
    assert np.ptp(angles) == pytest.approx(1.4, abs=0.03)
    assert min(abs(angles.min()), abs(angles.max() - math.pi / 2)) < 0.03


def test_curve_modifier_frame_places_the_part_on_the_curve(run):
    # The part stands along world Y from y = 2; the frame (origin there, local Z = world Y) says so.
    body = (
        "create_primitive(name='post', primitive_type='cube', location=[0.0, 2.5, 0.0], scale=[0.02, 0.5, 0.02], "
        "use_minimum_face=False, resolution=[1, 40, 1], apply=True)\n"
        "create_curve(name='path', control_points=[[0.0, 0.0, 0.0], [1.0, 0.0, 0.0]], handle_type=[1, 1, 1, 1])\n"
        "add_curve_modifier_to_object(name='post', curve_name='path', origin=[0.0, 2.0, 0.0], "
        "rotation=[0.71, -0.71, 0.0, 0.0], axis='POS_Z')"
    )
    post = _part(run(body), "post")
    # Laid along the straight path from (0, 0, 0) to (1, 0, 0): 1 long in x, thin across.
    assert post.bounds[0, 0] == pytest.approx(0.0, abs=1e-4)
    assert post.bounds[1, 0] == pytest.approx(1.0, abs=1e-4)
    assert np.all(post.extents[1:] < 0.05)


def test_zoom_upper_face_shrinks_the_top_of_a_cube(run):
    cube = _part(
        run("create_primitive(name='c', primitive_type='cube')\nzoom_upper_face(name='c', factor=0.5)"), "c"
    )
    top = cube.vertices[cube.vertices[:, 2] > 0]
    bottom = cube.vertices[cube.vertices[:, 2] < 0]
    np.testing.assert_allclose(np.ptp(top, axis=0)[:2], [1.0, 1.0], atol=1e-6)
    np.testing.assert_allclose(np.ptp(bottom, axis=0)[:2], [2.0, 2.0], atol=1e-6)
    # A frustum of height 2 between squares of area 4 and 1.
    assert cube.volume == pytest.approx(2 / 3 * (4 + 1 + 2), rel=1e-6)


def test_zoom_upper_face_works_in_local_space(run):
    body = (
        "create_primitive(name='c', primitive_type='cylinder', location=[3.0, 0.0, 0.0], scale=[0.5, 0.5, 2.0], "
        "rotation=[0.71, 0.71, 0.0, 0.0])\nzoom_upper_face(name='c', factor=2.0)"
    )
    cyl = _part(run(body), "c")
    # Local +Z points to world -Y: the end at y < 0 widens to radius 1 (world), the other stays 0.5.
    wide = cyl.vertices[cyl.vertices[:, 1] < -1.9]
    narrow = cyl.vertices[cyl.vertices[:, 1] > 1.9]
    assert np.linalg.norm(wide[:, [0, 2]] - [3.0, 0.0], axis=1).max() == pytest.approx(1.0, abs=1e-3)
    assert np.linalg.norm(narrow[:, [0, 2]] - [3.0, 0.0], axis=1).max() == pytest.approx(0.5, abs=1e-3)
