"""Sweeps along paths (create_curve, create_arc_by_3Dpoints, create_spiral), checked by numbers.

Bare paths yield no mesh, so paths are checked through what a thin profile swept along them gives.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

pytestmark = pytest.mark.blender

# A circle's 32 segments enclose this fraction of the true disc (and a Bezier circle is 0.03% wide).
POLYGON_32 = 32 / (2 * math.pi) * math.sin(2 * math.pi / 32)


def _ok(result):
    assert result.ok, result.reason
    return result


def _tube(run, path_args: str, radius: float = 0.1, **extra) -> object:
    """The mesh of a circle profile of ``radius`` swept by ``create_curve(<path_args>)``."""
    more = "".join(f", {k}={v!r}" for k, v in extra.items())
    result = _ok(
        run(
            f"create_circle(name='profile', radius={radius})\n"
            f"create_curve(name='tube', profile_name='profile', {path_args}{more})"
        )
    )
    assert set(result.parts) == {"tube"}  # the profile is consumed
    return result.parts["tube"]


def _boundary_edges(mesh) -> np.ndarray:
    """Edges used by one triangle only, as (k, 2) vertex index pairs."""
    edges = np.sort(
        np.concatenate([mesh.faces[:, [0, 1]], mesh.faces[:, [1, 2]], mesh.faces[:, [2, 0]]]), axis=1
    )
    unique, counts = np.unique(edges, axis=0, return_counts=True)
    return unique[counts == 1]


STRAIGHT = "control_points=[[0, 0, 0], [1.5, 0, 0]], handle_type=[1, 1, 1, 1]"


# ---------------------------------------------------------------------------------- straight sweeps


def test_sweep_along_a_straight_path_is_exactly_as_long_as_the_path(run):
    mesh = _tube(run, STRAIGHT)
    np.testing.assert_allclose(mesh.bounds[:, 0], [0.0, 1.5], atol=1e-6)


def test_circle_profile_along_a_line_is_a_cylinder_of_its_radius(run):
    mesh = _tube(run, STRAIGHT, radius=0.1)
    distance = np.linalg.norm(mesh.vertices[:, 1:], axis=1)
    np.testing.assert_allclose(distance, 0.1, rtol=6e-4)
    assert len(np.unique(np.round(mesh.vertices[:, 0], 6))) == 2  # two rings, straight span = 1 segment
    assert len(mesh.vertices) == 2 * 32


def test_fill_caps_both_closes_the_tube(run):
    mesh = _tube(run, STRAIGHT, radius=0.1, fill_caps="both")
    assert len(_boundary_edges(mesh)) == 0
    assert mesh.volume == pytest.approx(math.pi * 0.1**2 * 1.5 * POLYGON_32, rel=2e-3)


@pytest.mark.parametrize(("caps", "open_x"), [("none", None), ("start", 1.5), ("end", 0.0)])
def test_fill_caps_start_and_end_close_one_end(run, caps, open_x):
    mesh = _tube(run, STRAIGHT, fill_caps=caps)
    boundary = _boundary_edges(mesh)
    xs = np.unique(np.round(mesh.vertices[boundary.ravel(), 0], 6))
    if open_x is None:
        assert sorted(xs) == [0.0, 1.5]
    else:
        assert list(xs) == [open_x]


def test_normals_point_outward_or_inward_with_flip_normals(run):
    outward = _tube(run, STRAIGHT, fill_caps="both")
    inward = _tube(run, STRAIGHT, fill_caps="both", flip_normals=True)
    assert outward.volume > 0
    assert inward.volume == pytest.approx(-outward.volume, rel=1e-6)


def test_points_radius_tapers_the_profile(run):
    mesh = _tube(run, STRAIGHT + ", points_radius=[1.0, 0.5]", radius=0.1, fill_caps="both")
    start = mesh.vertices[np.isclose(mesh.vertices[:, 0], 0.0)]
    end = mesh.vertices[np.isclose(mesh.vertices[:, 0], 1.5)]
    np.testing.assert_allclose(np.linalg.norm(start[:, 1:], axis=1), 0.1, rtol=6e-4)
    np.testing.assert_allclose(np.linalg.norm(end[:, 1:], axis=1), 0.05, rtol=6e-4)
    frustum = math.pi * 1.5 / 3 * (0.1**2 + 0.1 * 0.05 + 0.05**2)
    assert mesh.volume == pytest.approx(frustum * POLYGON_32, rel=3e-3)


def test_thickness_solidifies_the_swept_surface_inward(run):
    mesh = _tube(run, STRAIGHT, radius=0.1, thickness=0.02)
    assert len(_boundary_edges(mesh)) == 0  # the shell is closed at its rims
    np.testing.assert_allclose(mesh.extents, [1.5, 0.2, 0.2], atol=1e-4)
    shell = math.pi * (0.1**2 - 0.08**2) * 1.5 * POLYGON_32
    assert mesh.volume == pytest.approx(shell, rel=5e-3)


def test_thickness_none_with_a_profile_means_no_shell(run):
    mesh = _tube(run, STRAIGHT, thickness=None)
    assert len(mesh.vertices) == 64


def test_resolution_is_segments_per_bezier_span(run):
    mesh = _tube(run, "control_points=[[0, 0, 0], [1, 1, 0], [2, 0, 0]], handle_type=[0, 0, 0, 0, 0, 0]",
                 resolution=10)  # fmt: skip
    assert len(mesh.vertices) == (2 * 10 + 1) * 32


# ------------------------------------------------------------------------------------- handle types


def test_free_handles_take_their_own_control_point_entries(run):
    # Two Bezier points; the FREE right handle of the first and left handle of the second come
    # between them: the cubic (0,0,0) (1,0,0) (1,0,1) (0,0,1) bulges to x = 0.75 at mid-span.
    mesh = _tube(
        run,
        "control_points=[[0, 0, 0], [1, 0, 0], [1, 0, 1], [0, 0, 1]], handle_type=[1, 3, 3, 1]",
        radius=0.01,
        resolution=64,
    )
    assert mesh.bounds[1][0] == pytest.approx(0.75 + 0.01, abs=2e-3)
    np.testing.assert_allclose(mesh.bounds[:, 2], [-0.01, 1.01], atol=2e-3)


def test_free_left_handle_of_first_point_comes_before_it(run):
    # [lh0, p0, p1, rh1]: outer handles only, so the path is the straight line p0 -> p1
    mesh = _tube(
        run,
        "control_points=[[5, 5, 5], [0, 0, 0], [2, 0, 0], [-5, 5, 5]], handle_type=[3, 1, 1, 3]",
        radius=0.01,
    )
    np.testing.assert_allclose(mesh.bounds, [[0, -0.01, -0.01], [2, 0.01, 0.01]], atol=1e-4)


def test_handle_codes_must_cover_every_point(run):
    # Two FREE codes leave one entry for a point of its own: 2 points need 4 codes, not 3.
    result = run(
        "create_curve(name='c', control_points=[[0, 0, 0], [1, 0, 0], [2, 0, 0], [3, 0, 0]], "
        "handle_type=[0, 3, 3])"
    )
    assert not result.ok
    assert "handle_type" in result.error and result.line is not None


def test_published_chair_base_and_free_handle_path_run(run):
    result = _ok(
        run(
            "create_curve(name='curve_16', control_points=[[0.0, 0.0, 0.0], [0.0, -0.02, 0.0], "
            "[0.03, -0.02, 0.0], [0.03, 0.0, 0.0]], handle_type=[1, 1, 1, 1, 1, 1, 1, 1], closed=True)\n"
            "bevel(name='curve_16', width=0.01, segments=8)\n"
            "create_curve(name='chair base_16', profile_name='curve_16', control_points=[[-0.2, -0.4, -0.06], "
            "[-0.0, -0.4, 0.02]], points_radius=[1.0, 1.0], handle_type=[0, 1, 1, 0], thickness=0.0, "
            "fill_caps='both')\n"
            "create_curve(name='curve_23', control_points=[[0.003, 0.008, 0.218], [0.003, -0.052, -0.4], "
            "[0.003, 0.075, -0.088], [-0.001, 0.45, -0.202]], points_radius=[1, 1], handle_type=[0, 3, 3, 0])"
        )
    )
    assert set(result.parts) == {"chair base_16"}
    mesh = result.parts["chair base_16"]
    assert len(_boundary_edges(mesh)) == 0
    # the path runs from x=-0.2 to x=0 and the 3 x 2 cm profile hangs off it
    assert mesh.bounds[0][0] == pytest.approx(-0.2, abs=0.02)
    assert mesh.bounds[1][0] == pytest.approx(0.0, abs=0.02)
    assert mesh.volume > 0


def test_bare_curve_list_form_and_bevel_width_path(run):
    result = _ok(
        run(
            "create_curve(name=['path_a', 'path_b'], control_points=[[[0, 0, 0], [1, 0, 0]], "
            "[[0, 1, 0], [1, 1, 0], [1, 2, 0]]], handle_type=[[1, 1, 1, 1], [1, 1, 1, 1, 1, 1]])\n"
            "create_circle(name='profile', radius=0.01)\n"
            "create_curve(name='bent', profile_name='profile', control_points=[[0, 0, 0], [1, 0, 0], [1, 1, 0]], "
            "handle_type=[1, 1, 1, 1, 1, 1], bevel_width=0.2, bevel_segments=8)"
        )
    )
    assert set(result.parts) == {"bent"}
    mesh = result.parts["bent"]
    # the corner at (1, 0) is rounded: nothing comes near it any more
    corner = np.linalg.norm(mesh.vertices[:, :2] - [1.0, 0.0], axis=1).min()
    assert corner > 0.04
    np.testing.assert_allclose(mesh.bounds[:, :2], [[0, -0.01], [1.01, 1]], atol=1e-3)


def test_volumn_origin_moves_the_origin_to_the_centre_of_volume():
    script = (
        "import json, bpy\n"
        "from meshcoder.shapes.bpy_lib import *\n"
        "delete_all()\n"
        "create_circle(name='p', radius=0.1)\n"
        "create_curve(name='a', profile_name='p', control_points=[[1, 0, 0], [3, 0, 0]], "
        "handle_type=[1, 1, 1, 1], fill_caps='both')\n"
        "create_circle(name='p', radius=0.1)\n"
        "create_curve(name='b', profile_name='p', control_points=[[1, 0, 0], [3, 0, 0]], "
        "handle_type=[1, 1, 1, 1], fill_caps='both', volumn_origin=False)\n"
        "print('RESULT' + json.dumps({n: list(bpy.data.objects[n].location) for n in ('a', 'b')}))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads(next(line for line in out.stdout.splitlines() if line.startswith("RESULT"))[6:])
    np.testing.assert_allclose(report["a"], [2, 0, 0], atol=1e-5)
    np.testing.assert_allclose(report["b"], [0, 0, 0], atol=1e-9)


# ---------------------------------------------------------------------------------- arcs and spirals


def test_arc_by_3d_points_passes_through_the_three_points(run):
    # On the unit circle about (0, 0, 1) in the plane z = 1: angles 0, 53.13 and 143.13 degrees.
    p1, p2, p3 = [1.0, 0.0, 1.0], [0.6, 0.8, 1.0], [-0.8, 0.6, 1.0]
    result = _ok(
        run(
            "create_circle(name='profile', radius=0.005)\n"
            f"create_arc_by_3Dpoints(name='arc', profile_name='profile', control_points={[p1, p2, p3]})"
        )
    )
    v = result.parts["arc"].vertices
    np.testing.assert_allclose(np.linalg.norm(v[:, :2], axis=1), 1.0, atol=0.0052)
    np.testing.assert_allclose(v[:, 2], 1.0, atol=0.0051)
    angles = np.degrees(np.arctan2(v[:, 1], v[:, 0]))
    assert angles.min() == pytest.approx(0.0, abs=0.3)
    assert angles.max() == pytest.approx(143.13, abs=0.3)
    # it runs through p2 (inside the angle range, on the circle) and its end rings centre on p1, p3
    for point in (p1, p3):
        ring = v[np.linalg.norm(v - point, axis=1) < 0.006]
        assert len(ring) == 32
        np.testing.assert_allclose(ring.mean(axis=0), point, atol=1e-4)


def test_arc_radius_is_interpolated_between_points_radius(run):
    result = _ok(
        run(
            "create_circle(name='profile', radius=0.01)\n"
            "create_arc_by_3Dpoints(name='arc', profile_name='profile', control_points=[[1, 0, 0], "
            "[0, 1, 0], [-1, 0, 0]], points_radius=[1.0, 3.0])"
        )
    )
    v = result.parts["arc"].vertices
    # by point from the curve's start, which for this arc is p3 (spec 3b item 5)
    start = v[np.linalg.norm(v - [-1, 0, 0], axis=1) < 0.04]
    end = v[np.linalg.norm(v - [1, 0, 0], axis=1) < 0.04]
    assert np.linalg.norm(start - [-1, 0, 0], axis=1).max() == pytest.approx(0.01, rel=1e-3)
    assert np.linalg.norm(end - [1, 0, 0], axis=1).max() == pytest.approx(0.03, rel=1e-3)


def test_published_wheel_cap_runs(run):
    result = _ok(
        run(
            "create_rectangle(name='rectangle_2', width=0.002, length=0.03, rotation_rad=-0.42, "
            "center='MEDIAN', closed=True)\n"
            "create_arc_by_3Dpoints(name='wheel cap_2', profile_name='rectangle_2', control_points="
            "[[-0.18, -0.49, -0.07], [-0.19, -0.44, -0.04], [-0.2, -0.49, -0.0]], thickness=0.0, "
            "fill_caps='both')"
        )
    )
    mesh = result.parts["wheel cap_2"]
    # Not welded (spec 3b item 3): Blender's caps keep vertices of their own, so the rims of the two
    # 4-sided caps and of the tube's two ends stay open; thickness 0 adds no layer to an arc.
    assert len(_boundary_edges(mesh)) == 4 * 4 and mesh.volume > 0
    # the arc rises from y = -0.49 to the middle point's y = -0.44 (plus half the profile)
    assert mesh.bounds[1][1] == pytest.approx(-0.44, abs=0.016)


def test_collinear_arc_points_are_a_program_error(run):
    result = run("create_arc_by_3Dpoints(name='arc', control_points=[[0, 0, 0], [1, 1, 1], [2, 2, 2]])")
    assert not result.ok
    assert result.status.value == "runtime_error"
    assert "collinear" in result.error and result.line is not None


def _spiral(run, **args):
    more = ", ".join(f"{k}={v!r}" for k, v in args.items())
    result = _ok(
        run(
            f"create_circle(name='wire', radius=0.01)\ncreate_spiral(name='spring', profile_name='wire', {more})"
        )
    )
    assert set(result.parts) == {"spring"}
    return result.parts["spring"]


def test_spiral_rises_dif_z_per_turn(run):
    mesh = _spiral(run, dif_z=0.2, radius=0.5, turns=3)
    # 12 * 3 + 2 = 38 points, each 0.6 / 35 above the last (spec 3b item 6), 8 segments per span
    rise = 0.6 * 37 / 35
    assert rise <= mesh.extents[2] <= rise + 2 * 0.01 + 1e-6
    np.testing.assert_allclose(mesh.extents[:2], 2 * 0.51, atol=2e-3)
    assert len(mesh.vertices) == (37 * 8 + 1) * 32


def test_spiral_direction_and_placement(run):
    ccw = _spiral(run, dif_z=0.4, radius=0.5, turns=0.25, location=[1, 2, 3], fill_caps="start")
    at_origin = _spiral(run, dif_z=0.4, radius=0.5, turns=0.25, fill_caps="start")
    cw = _spiral(run, dif_z=0.4, radius=0.5, turns=0.25, direction="CLOCKWISE")
    # a quarter turn from (r, 0, 0): counter-clockwise climbs towards +y, clockwise towards -y
    assert np.corrcoef(ccw.vertices[:, 1], ccw.vertices[:, 2])[0, 1] > 0.5
    assert np.corrcoef(cw.vertices[:, 1], cw.vertices[:, 2])[0, 1] < -0.5
    # the origin (the raw sweep's centre of volume, inside the swept wire's hull) goes to ``location``
    np.testing.assert_allclose(
        ccw.vertices - at_origin.vertices, np.tile([1, 2, 3], (len(ccw.vertices), 1)), atol=1e-5
    )
    assert np.all(np.abs(at_origin.bounds) < 0.5)
