"""Planar sections (circle, polygon, rectangle, square, oval, star, arc, quad, wave), checked by numbers.

Bare sections are curves, which yield no mesh, so one Blender subprocess builds them all and reports
their Bezier points and evaluated outlines as JSON; the profile-taking forms (rings, frames) are run as
programs and measured as meshes.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

pytestmark = pytest.mark.blender

SECTIONS = """
create_circle(name='circle', radius=2.0)
create_circle(name='circle_12', radius=1.0, resolution=12)
create_circle(name='circle_16', radius=1.0, resolution=16)
create_circle(name='placed', radius=0.5, location=[1, 2, 3], rotation=[0.71, 0.71, 0, 0], scale=[2, 1, 1])
create_circle(name=['loop_a', 'loop_b'], location=[[0, 0, 0], [0, 0, 1]], radius=[1.0, 0.5],
              scale=[[1, 0.5, 1], [1, 1, 1]])
create_circle(name='touching', radius=0.5, center='POINT')
create_circle(name='bent', radius=1.0, bend_angle=0.5)
create_polygon(name='pentagon', sides=5, radius=2.0)
create_polygon(name=['tri_a', 'tri_b'], sides=[3, 4], location=[[0, 0, 0], [5, 0, 0]])
create_rectangle(name='rect', width=2.0, length=1.0)
create_rectangle(name='rect_turned', width=2.0, length=1.0, rotation_rad=0.5)
create_rectangle(name='rect_corner', width=2.0, length=1.0, center='POINT')
create_rectangle(name='rect_open', width=2.0, length=1.0, closed=False)
create_square(name='square', length=0.4)
create_oval(name='oval', a=2.0, b=0.5, rotation_rad=0.5)
create_star(name='star', outer_radius=1.0, inner_radius=0.4, num_points=5, edge='sharp')
create_star(name='star_smooth', outer_radius=1.0, inner_radius=0.4, num_points=6)
create_arc_points(name='arc', radius=2.0, start_angle=30, end_angle=120, location=[1, 0, 0])
create_quad(name=['quad_a', 'quad_b'], control_points=[[[0, 0, 0], [2, 0, 0], [2, 1, 0], [0, 1, 0]],
            [[0, 0, 1], [1, 0, 1], [0, 1, 1]]], center='MEDIAN')
create_wave(name='wave', frequency=2, altitude=0.1, segs=40, length=1.0)
"""

DUMP = """
import json, bpy
from meshcoder.shapes.bpy_lib import *
from meshcoder.shapes.bpy_lib import objects
delete_all()
{body}
objects.update()
out = {{}}
for obj in bpy.data.objects:
    mesh = objects.evaluated_mesh_copy(obj) if obj.type == 'CURVE' else obj.data
    entry = {{
        'type': obj.type,
        'location': list(obj.location),
        'scale': list(obj.scale),
        'points': [list(obj.matrix_world @ v.co) for v in mesh.vertices],
        'n_edges': len(mesh.edges),
        'splines': [],
    }}
    if obj.type == 'CURVE':
        for spline in obj.data.splines:
            entry['splines'].append({{
                'cyclic': spline.use_cyclic_u,
                'resolution': obj.data.resolution_u,
                'co': [list(p.co) for p in spline.bezier_points],
                'left': [list(p.handle_left) for p in spline.bezier_points],
                'right': [list(p.handle_right) for p in spline.bezier_points],
                'types': [[p.handle_left_type, p.handle_right_type] for p in spline.bezier_points],
            }})
    out[obj.name] = entry
print('RESULT' + json.dumps(out))
"""


@pytest.fixture(scope="module")
def built():
    """Every bare section of SECTIONS, as reported by a Blender subprocess."""
    script = DUMP.format(body=SECTIONS)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr[-3000:]
    line = next(line for line in out.stdout.splitlines() if line.startswith("RESULT"))
    return json.loads(line[len("RESULT") :])


def _points(entry) -> np.ndarray:
    return np.asarray(entry["points"], dtype=float)


def _signed_area_xy(points: np.ndarray) -> float:
    x, y = points[:, 0], points[:, 1]
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def _ok(result):
    assert result.ok, result.reason
    return result


# ------------------------------------------------------------------------------------------- circle


def test_circle_starts_at_radius_on_x_and_runs_counter_clockwise(built):
    pts = _points(built["circle"])
    np.testing.assert_allclose(pts[0], [2.0, 0.0, 0.0], atol=1e-6)
    assert pts[1][1] > 0.1  # the next point is above the x axis: counter-clockwise
    assert _signed_area_xy(pts) > 0
    # 4-point Bezier circle: within 0.03% of the true radius everywhere it is drawn
    radii = np.linalg.norm(pts, axis=1)
    np.testing.assert_allclose(radii, 2.0, rtol=3e-4)
    np.testing.assert_allclose(pts[:, 2], 0.0, atol=1e-9)


@pytest.mark.parametrize(("name", "segments"), [("circle", 32), ("circle_12", 12), ("circle_16", 16)])
def test_circle_resolution_counts_segments_of_the_whole_circle(built, name, segments):
    entry = built[name]
    assert len(entry["points"]) == segments
    assert entry["splines"][0]["resolution"] * 4 == segments


def test_circle_is_four_bezier_points_with_circular_arc_handles(built):
    spline = built["circle"]["splines"][0]
    co = np.asarray(spline["co"])
    np.testing.assert_allclose(co, [[2, 0, 0], [0, 2, 0], [-2, 0, 0], [0, -2, 0]], atol=1e-6)
    assert spline["cyclic"]
    handle = 2.0 * 4.0 / 3.0 * math.tan(math.pi / 8)
    right = np.asarray(spline["right"]) - co
    left = np.asarray(spline["left"]) - co
    np.testing.assert_allclose(np.linalg.norm(right, axis=1), handle, rtol=1e-6)
    np.testing.assert_allclose(right[0], [0, handle, 0], atol=1e-6)  # tangent, counter-clockwise
    np.testing.assert_allclose(left, -right, atol=1e-6)


def test_circle_transform_is_kept_on_the_object_not_applied(built):
    entry = built["placed"]
    np.testing.assert_allclose(entry["location"], [1, 2, 3], atol=1e-6)
    np.testing.assert_allclose(entry["scale"], [2, 1, 1], atol=1e-6)
    np.testing.assert_allclose(np.asarray(entry["splines"][0]["co"])[0], [0.5, 0, 0], atol=1e-6)
    pts = _points(entry)
    # rotated 90 degrees about X: the circle stands in the XZ plane; scale 2 along local X
    np.testing.assert_allclose(pts[:, 1], 2.0, atol=1e-3)
    np.testing.assert_allclose(np.ptp(pts, axis=0), [2.0, 0.0, 1.0], atol=2e-3)


def test_circle_list_form_makes_one_loop_per_name_and_scale_gives_ellipses(built):
    a, b = _points(built["loop_a"]), _points(built["loop_b"])
    np.testing.assert_allclose(np.ptp(a, axis=0), [2.0, 1.0, 0.0], atol=2e-3)  # ellipse 1 x 0.5
    np.testing.assert_allclose(np.ptp(b, axis=0), [1.0, 1.0, 0.0], atol=2e-3)
    np.testing.assert_allclose(b[:, 2], 1.0, atol=1e-9)


def test_circle_center_point_puts_the_outline_through_the_origin(built):
    pts = _points(built["touching"])
    np.testing.assert_allclose(pts.min(axis=0)[:2], [0.0, -0.5], atol=1e-4)
    np.testing.assert_allclose(pts.max(axis=0)[:2], [1.0, 0.5], atol=1e-4)


def test_circle_bend_angle_bends_the_converted_mesh(built):
    entry = built["bent"]
    assert entry["type"] == "MESH"
    pts = _points(entry)
    assert len(pts) == 32
    # bending moves points off the flat unit circle
    assert np.abs(np.linalg.norm(pts[:, :2], axis=1) - 1.0).max() > 1e-2 or np.abs(pts[:, 2]).max() > 1e-2


# ------------------------------------------------------------------------------------------ polygon


def test_polygon_first_vertex_on_y_axis_running_clockwise_with_sharp_corners(built):
    entry = built["pentagon"]
    pts = _points(entry)
    assert len(pts) == 5  # sharp corners: one vertex per corner
    np.testing.assert_allclose(pts[0], [0.0, 2.0, 0.0], atol=1e-6)
    step = 2 * math.pi / 5
    np.testing.assert_allclose(pts[1], [2 * math.sin(step), 2 * math.cos(step), 0], atol=1e-6)
    assert _signed_area_xy(pts) < 0  # clockwise
    assert all(t == ["VECTOR", "VECTOR"] for t in entry["splines"][0]["types"])


def test_polygon_list_form(built):
    assert len(built["tri_a"]["points"]) == 3
    assert len(built["tri_b"]["points"]) == 4
    np.testing.assert_allclose(built["tri_b"]["location"], [5, 0, 0], atol=1e-9)


# ---------------------------------------------------------------------------------------- rectangle


def test_rectangle_corners_in_order(built):
    pts = _points(built["rect"])
    np.testing.assert_allclose(pts, [[-1, 0.5, 0], [1, 0.5, 0], [1, -0.5, 0], [-1, -0.5, 0]], atol=1e-6)
    assert built["rect"]["splines"][0]["cyclic"]
    assert built["rect"]["n_edges"] == 4


def test_rectangle_rotation_rad_turns_it_about_z_in_units_of_pi(built):
    pts = _points(built["rect_turned"])
    corners = np.array([[-1, 0.5, 0], [1, 0.5, 0], [1, -0.5, 0], [-1, -0.5, 0]])
    turned = np.stack([-corners[:, 1], corners[:, 0], corners[:, 2]], axis=1)  # +90 degrees
    np.testing.assert_allclose(pts, turned, atol=1e-6)


def test_rectangle_center_point_puts_a_corner_on_the_origin(built):
    pts = _points(built["rect_corner"])
    np.testing.assert_allclose(pts.min(axis=0), [0, 0, 0], atol=1e-6)
    np.testing.assert_allclose(pts.max(axis=0), [2, 1, 0], atol=1e-6)


def test_open_rectangle_leaves_the_last_side_open(built):
    entry = built["rect_open"]
    assert not entry["splines"][0]["cyclic"]
    assert len(entry["points"]) == 4 and entry["n_edges"] == 3


def test_square_has_equal_sides(built):
    pts = _points(built["square"])
    np.testing.assert_allclose(np.ptp(pts, axis=0), [0.4, 0.4, 0.0], atol=1e-6)


# --------------------------------------------------------------------------- oval, star, arc, quad, wave


def test_oval_semi_axes_and_turn(built):
    pts = _points(built["oval"])
    # a = 2 along X and b = 0.5 along Y, turned 90 degrees: 1 wide, 4 tall
    np.testing.assert_allclose(np.ptp(pts, axis=0), [1.0, 4.0, 0.0], atol=2e-3)
    np.testing.assert_allclose(pts.mean(axis=0), 0.0, atol=1e-6)


def test_star_alternates_outer_and_inner_radius(built):
    entry = built["star"]
    co = np.asarray(entry["splines"][0]["co"])
    assert len(co) == 10
    radii = np.linalg.norm(co, axis=1)
    np.testing.assert_allclose(radii[0::2], 1.0, atol=1e-6)
    np.testing.assert_allclose(radii[1::2], 0.4, atol=1e-6)
    np.testing.assert_allclose(co[0], [1, 0, 0], atol=1e-6)
    assert len(entry["points"]) == 10  # sharp edges
    assert len(built["star_smooth"]["points"]) == 12 * 12  # smooth: resolution 12 per span


def test_arc_points_span_the_given_angles_in_degrees(built):
    entry = built["arc"]
    pts = _points(entry) - np.array([1.0, 0.0, 0.0])
    np.testing.assert_allclose(np.linalg.norm(pts, axis=1), 2.0, rtol=2e-4)
    angles = np.degrees(np.arctan2(pts[:, 1], pts[:, 0]))
    assert angles[0] == pytest.approx(30.0, abs=1e-4)
    assert angles[-1] == pytest.approx(120.0, abs=1e-4)
    assert np.all(np.diff(angles) > 0)
    assert len(entry["splines"][0]["co"]) == 5


def test_quad_list_form_with_median_origin(built):
    a, b = built["quad_a"], built["quad_b"]
    assert len(a["points"]) == 4 and len(b["points"]) == 3  # sharp corners
    assert a["splines"][0]["cyclic"]
    np.testing.assert_allclose(a["location"], [1.0, 0.5, 0.0], atol=1e-6)
    np.testing.assert_allclose(b["location"], [1 / 3, 1 / 3, 1.0], atol=1e-6)
    np.testing.assert_allclose(_points(a)[0], [0, 0, 0], atol=1e-6)  # geometry stays put


def test_wave_is_a_sampled_sine(built):
    entry = built["wave"]
    co = np.asarray(entry["splines"][0]["co"])
    assert len(co) == 40
    np.testing.assert_allclose(co[[0, -1], 0], [-0.5, 0.5], atol=1e-6)
    t = np.linspace(0.0, 2.0, 40)
    np.testing.assert_allclose(co[:, 1], 0.1 * np.sin(2 * np.pi * 2 * t), atol=1e-6)


# ------------------------------------------------------------------------------- with a profile


def test_circle_with_profile_is_a_ring(run):
    result = _ok(
        run(
            "create_circle(name='tube_profile', radius=0.1)\n"
            "create_circle(name='ring', profile_name='tube_profile', radius=1.0, location=[0, 2, 0])"
        )
    )
    assert set(result.parts) == {"ring"}  # the profile is consumed
    mesh = result.parts["ring"]
    np.testing.assert_allclose(mesh.extents, [2.2, 2.2, 0.2], atol=2e-3)
    np.testing.assert_allclose(mesh.bounds[0][1] + mesh.bounds[1][1], 4.0, atol=1e-6)
    # always solidified (spec 3b item 3): no thickness gives two coincident layers of 96 x 32
    assert len(mesh.vertices) == 2 * 96 * 32
    assert mesh.volume == pytest.approx(0.0, abs=1e-9)
    shell = _ok(
        run(
            "create_circle(name='tube_profile', radius=0.1)\n"
            "create_circle(name='ring', profile_name='tube_profile', radius=1.0, thickness=0.02)"
        )
    ).parts["ring"]
    # the bevel faces the tube inward, so the shell grows outward: a torus of tube radius 0.1 to 0.12
    torus_shell = 2 * math.pi**2 * 1.0 * (0.12**2 - 0.1**2)
    assert shell.volume == pytest.approx(torus_shell, rel=0.01)


def test_rectangle_with_profile_is_a_frame(run):
    result = _ok(
        run(
            "create_rectangle(name='bar', width=0.1, length=0.1)\n"
            "create_rectangle(name='frame', profile_name='bar', width=2.0, length=1.0, location=[0, 0, 1])"
        )
    )
    mesh = result.parts["frame"]
    assert len(mesh.vertices) == 2 * 16  # four corner rings of the square profile, solidified by 0
    np.testing.assert_allclose(mesh.bounds[:, 2], [0.95, 1.05], atol=1e-6)
    half = mesh.extents[:2] / 2
    # the corner rings sit on the path's corners: at least the path, at most the mitred profile
    assert np.all(half >= [1.0 + 0.05 / math.sqrt(2) - 1e-6, 0.5 + 0.05 / math.sqrt(2) - 1e-6])
    assert np.all(half <= [1.0 + 0.05 * math.sqrt(2), 0.5 + 0.05 * math.sqrt(2)])
    # a frame: nothing near the middle
    assert np.min(np.linalg.norm(mesh.vertices[:, :2], axis=1)) > 0.4
    assert mesh.volume == pytest.approx(0.0, abs=1e-9)  # two coincident layers, wound against each other


def test_rectangle_frame_bevel_width_rounds_its_corners(run):
    sharp = _ok(
        run(
            "create_rectangle(name='bar', width=0.1, length=0.1)\n"
            "create_rectangle(name='frame', profile_name='bar', width=2.0, length=1.0)"
        )
    ).parts["frame"]
    round_ = _ok(
        run(
            "create_rectangle(name='bar', width=0.1, length=0.1)\n"
            "create_rectangle(name='frame', profile_name='bar', width=2.0, length=1.0, bevel_width=0.2, "
            "bevel_segments=6)"
        )
    ).parts["frame"]
    assert len(round_.vertices) > len(sharp.vertices)
    # the outer corner is cut back: no vertex as far from the centre as the sharp frame's corners
    far = np.max(np.linalg.norm(sharp.vertices[:, :2], axis=1))
    assert np.max(np.linalg.norm(round_.vertices[:, :2], axis=1)) < far - 0.03
    # straight sides keep the frame's width and length
    np.testing.assert_allclose(round_.extents[:2], [2.1, 1.1], atol=2e-2)


def test_polygon_with_profile_and_thickness_is_solidified(run):
    thin = _ok(
        run(
            "create_circle(name='wire', radius=0.05)\n"
            "create_polygon(name='triangle', sides=3, profile_name='wire', radius=1.0)"
        )
    ).parts["triangle"]
    thick = _ok(
        run(
            "create_circle(name='wire', radius=0.05)\n"
            "create_polygon(name='triangle', sides=3, profile_name='wire', radius=1.0, thickness=0.01)"
        )
    ).parts["triangle"]
    # the same closed path as a create_curve sweep: one closed tube, normals outward
    tube = _ok(
        run(
            "create_circle(name='wire', radius=0.05)\n"
            "create_curve(name='tube', profile_name='wire', control_points=[[0, 1, 0], [0.866025, -0.5, 0], "
            "[-0.866025, -0.5, 0]], handle_type=[1, 1, 1, 1, 1, 1], closed=True)"
        )
    ).parts["tube"]
    # always solidified: no thickness is a coincident second layer
    assert len(thick.vertices) == len(thin.vertices) == 2 * len(tube.vertices)
    assert thin.volume == pytest.approx(0.0, abs=1e-9)
    # the bevel faces a counter-clockwise profile inward, so the shell grows outward by the thickness
    ratio = thick.volume / tube.volume
    assert ratio == pytest.approx((0.06 / 0.05) ** 2 - 1, rel=0.05)
    np.testing.assert_allclose(thick.extents[2], thin.extents[2] + 2 * 0.01, atol=2e-4)


def test_sections_reject_bad_arguments(run):
    result = run("create_polygon(name='p', sides=2)")
    assert not result.ok and "sides" in result.error and result.line is not None
    result = run("create_circle(name=['a', 'b'], radius=[1.0, 2.0, 3.0])")
    assert not result.ok and "radius" in result.error
