"""Spec 3b items 7 and 8: bridge_edge_loops and fill_grid as Blender ran them for the original API.

Checked by numbers only: vertex and face counts, bounds, areas, volumes and face normals.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

pytestmark = pytest.mark.blender

# A 4-point Bezier circle bulges out of the true circle by up to 0.027 % of its radius.
BEZIER_ROUNDNESS = 3e-4


def _part(result, name):
    assert result.ok, result.reason
    return result.parts[name]


def _polygon_area(r, n=32):
    return 0.5 * n * r * r * math.sin(2 * math.pi / n)


def _polygon_perimeter(r, n=32):
    return 2 * n * r * math.sin(math.pi / n)


def _normals(mesh):
    """Area-weighted face normals (the cross products of the triangles' edges)."""
    tri = mesh.vertices[mesh.faces]
    return np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])


def _area_in_plane_z(mesh, z, tol=1e-6):
    """Area of the triangles lying in the plane at height ``z`` (caps)."""
    tri = mesh.vertices[mesh.faces]
    flat = np.all(np.abs(tri[:, :, 2] - z) < tol, axis=1)
    return 0.5 * float(np.linalg.norm(_normals(mesh)[flat], axis=1).sum())


# ------------------------------------------------------------------------------ bridge_edge_loops


def test_three_loops_listed_out_of_order_bridge_in_blenders_order(run):
    # Listed bottom, top, middle: Blender starts at the bottom (farthest from the mean, first on the
    # tie with the top) and goes on to the nearest, so the surface is one straight tube of height 2,
    # not a tube up to the top that folds back down to the middle.
    body = (
        "create_circle(name=['a', 'b', 'c'], location=[[0, 0, 0], [0, 0, 2], [0, 0, 1]], radius=0.5)\n"
        "bridge_edge_loops(name='t', profile_name=['a', 'b', 'c'], number_cuts=0, interpolation='LINEAR')"
    )
    tube = _part(run(body), "t")
    assert len(tube.vertices) == 3 * 32
    assert tube.area == pytest.approx(2.0 * _polygon_perimeter(0.5), rel=BEZIER_ROUNDNESS)
    # No face spans more than one step of height 1 (the folded surface has faces from z=0 to z=2).
    tri_z = tube.vertices[tube.faces][:, :, 2]
    assert np.ptp(tri_z, axis=1).max() == pytest.approx(1.0, abs=1e-6)


def test_open_chains_out_of_order_make_one_flat_strip(run):
    # A chair back of three vertical lines listed left, right, middle: bridged left, middle, right.
    body = (
        "create_curve(name=['line_1', 'line_2', 'line_3'], control_points=[[[-0.25, 0.5, 0.0], "
        "[-0.25, 0.0, 0.0]], [[0.25, 0.5, 0.0], [0.25, 0.0, 0.0]], [[0.05, 0.5, 0.0], [0.05, 0.0, 0.0]]], "
        "handle_type=[1, 1, 1, 1])\n"
        "bridge_edge_loops(name='back', profile_name=['line_1', 'line_2', 'line_3'], number_cuts=4)"
    )
    back = _part(run(body), "back")
    assert back.area == pytest.approx(0.5 * 0.5, rel=1e-5)  # the list's order covers 0.8 x 0.5
    np.testing.assert_allclose(back.bounds, [[-0.25, 0.0, 0.0], [0.25, 0.5, 0.0]], atol=1e-6)


def test_caps_go_on_the_ends_of_blenders_order(run):
    # Listed top, bottom, middle: the order is top (farthest from the mean), middle, bottom, so the
    # 'end' cap closes the bottom loop (r = 0.5 at z = 0), not the middle one the list ends with.
    body = (
        "create_circle(name=['top', 'bottom', 'mid'], location=[[0, 0, 3], [0, 0, 0], [0, 0, 0.5]], "
        "radius=[0.3, 0.5, 0.8])\n"
        "bridge_edge_loops(name='v', profile_name=['top', 'bottom', 'mid'], number_cuts=0, "
        "interpolation='LINEAR', fill_caps='end')"
    )
    vase = _part(run(body), "v")
    assert _area_in_plane_z(vase, 0.0) == pytest.approx(_polygon_area(0.5), rel=BEZIER_ROUNDNESS)
    assert _area_in_plane_z(vase, 0.5) == 0.0
    assert _area_in_plane_z(vase, 3.0) == 0.0


def test_both_caps_close_a_solid_through_out_of_order_loops(run):
    # Listed middle, bottom, top (all r = 0.5): a closed cylinder of height 2, normals outward.
    body = (
        "create_circle(name=['m', 'b', 't'], location=[[0, 0, 1], [0, 0, 0], [0, 0, 2]], radius=0.5)\n"
        "bridge_edge_loops(name='s', profile_name=['m', 'b', 't'], number_cuts=1, fill_caps='both')"
    )
    solid = _part(run(body), "s")
    assert solid.volume == pytest.approx(2.0 * _polygon_area(0.5), rel=2 * BEZIER_ROUNDNESS)
    assert _area_in_plane_z(solid, 1.0) == 0.0  # no cap inside the solid


def test_result_keeps_the_first_sections_location_and_rotation(run):
    # The first circle sits at z = 0 turned upside down (half a turn about X): in its local space
    # the whole tube lies at z <= 0, so zoom_upper_face (local z > 0) finds no face to scale.
    body = (
        "create_circle(name=['c1', 'c2'], location=[[0, 0, 0], [0, 0, 2]], rotation=[[0, 1, 0, 0], "
        "[1, 0, 0, 0]], radius=0.5)\n"
        "bridge_edge_loops(name='t', profile_name=['c1', 'c2'], number_cuts=3)\n"
        "zoom_upper_face(name='t', factor=0.5)"
    )
    tube = _part(run(body), "t")
    np.testing.assert_allclose(tube.bounds, [[-0.5, -0.5, 0.0], [0.5, 0.5, 2.0]], atol=1e-4)


def test_result_keeps_the_first_sections_scale(run):
    # The first circle has scale 10 (radius 0.05 -> 0.5): a weld of 0.05 in the result's local
    # space spans 0.5 in the world and merges the rings' vertices (0.098 apart in the world).
    body = (
        "create_circle(name=['c1', 'c2'], location=[[0, 0, 0], [0, 0, 1]], radius=[0.05, 0.5], "
        "scale=[[10, 10, 10], [1, 1, 1]])\n"
        "bridge_edge_loops(name='t', profile_name=['c1', 'c2'], number_cuts=0)\n"
        "weld(name='t', merge_threshold=0.05)"
    )
    tube = _part(run(body), "t")
    assert len(tube.vertices) < 64


def test_a_zero_scale_first_section_joins_into_the_last(run):
    # A cone from a point: the first circle has zero scale, so the last one (at z = 1) hosts the
    # surface and in its local space the cone lies at z <= 0; zoom_upper_face changes nothing.
    body = (
        "create_circle(name=['tip', 'rim'], location=[[0, 0, 0], [0, 0, 1]], radius=0.5, "
        "scale=[[0, 0, 0], [1, 1, 1]])\n"
        "bridge_edge_loops(name='cone', profile_name=['tip', 'rim'], number_cuts=2, interpolation='LINEAR')\n"
        "zoom_upper_face(name='cone', factor=0.5)"
    )
    cone = _part(run(body), "cone")
    np.testing.assert_allclose(cone.bounds, [[-0.5, -0.5, 0.0], [0.5, 0.5, 1.0]], atol=1e-4)
    # A 32-sided pyramid: each face has the polygon's side as base and rises over its apothem.
    apothem = 0.5 * math.cos(math.pi / 32)
    lateral = 0.5 * _polygon_perimeter(0.5) * math.hypot(apothem, 1.0)
    assert cone.area == pytest.approx(lateral, rel=BEZIER_ROUNDNESS)


def test_normals_are_made_outward_then_flipped(run):
    # A strip bulging towards +Z: outward is its convex side, whichever way the lines are listed.
    curves = (
        "create_curve(name=['l1', 'l2'], control_points=[[[-0.3, 0.5, 0.0], [-0.3, 0.0, 0.2], "
        "[-0.3, -0.5, 0.0]], [[0.3, 0.5, 0.0], [0.3, 0.0, 0.2], [0.3, -0.5, 0.0]]], "
        "handle_type=[0, 0, 0, 0, 0, 0])\n"
    )
    for order in ("'l1', 'l2'", "'l2', 'l1'"):
        bridge = f"bridge_edge_loops(name='s', profile_name=[{order}], number_cuts=4, flip_normals={{}})"
        outward = _part(run(curves + bridge.format(False)), "s")
        inward = _part(run(curves + bridge.format(True)), "s")
        assert np.all(_normals(outward)[:, 2] > 0), order
        assert np.all(_normals(inward)[:, 2] < 0), order


# ----------------------------------------------------------------------------------------- fill_grid

# A square of side 1 drawn with rounded (AUTO) corners, counter-clockwise and clockwise seen from +Z.
SQUARE_CCW = (
    "create_curve(name='o', control_points=[[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]], "
    "handle_type=[0, 0, 0, 0, 0, 0, 0, 0], closed=True, resolution=4)\n"
)
SQUARE_CW = SQUARE_CCW.replace(
    "[[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]]", "[[0, 0, 0], [0, 1, 0], [1, 1, 0], [1, 0, 0]]"
)
# An isosceles trapezoid of 12 vertices: bottom side 4 edges, legs 3, top 2; the bottom corners are
# the sharpest.
TRAPEZOID_POINTS = (
    "[[-1, 0, 0], [-0.5, 0, 0], [0, 0, 0], [0.5, 0, 0], [1, 0, 0], [0.833, 0.333, 0], [0.667, 0.667, 0], "
    "[0.5, 1, 0], [0, 1, 0], [-0.5, 1, 0], [-0.667, 0.667, 0], [-0.833, 0.333, 0]]"
)
TRAPEZOID_CCW = (
    f"create_curve(name='o', control_points={TRAPEZOID_POINTS}, handle_type=[{', '.join(['1'] * 24)}], "
    "closed=True)\n"
)
# The seat of a published chair program: an open curve whose ends meet, four sharp corners.
SEAT = (
    "create_curve(name='seat_8', control_points=[[-0.0, -0.05, -0.23], [-0.24, -0.05, -0.23], "
    "[-0.24, -0.05, 0.09], [-0.24, -0.05, 0.19], [-0.0, -0.05, 0.24], [0.24, -0.05, 0.19], [0.24, -0.05, 0.09], "
    "[0.24, -0.05, -0.23], [-0.0, -0.05, -0.23]], handle_type=[0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, "
    "1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0])\n"
)


@pytest.mark.parametrize(
    ("outline", "facing"),
    [
        (SQUARE_CCW, -1.0),  # Grid Fill winds against the outline's direction
        (SQUARE_CW, 1.0),
        ("create_circle(name='o', radius=0.5)\n", -1.0),  # counter-clockwise from (r, 0, 0)
        ("create_rectangle(name='o', width=1.0, length=0.5)\n", 1.0),  # clockwise corners
    ],
)
def test_fill_grid_keeps_grid_fills_winding(run, outline, facing):
    panel = _part(run(outline + "fill_grid(name='o')"), "o")
    normals = _normals(panel)
    assert np.all(np.sign(normals[:, 2]) == facing)


def test_fill_grid_corners_follow_grid_fills_rule(run):
    # The loop starts at a bottom corner (the sharpest) and runs against the curve; the first of the
    # four corners within its first half is the top-left one, 3 edges on: a 3 x 3 grid (16
    # vertices, 4 inside), though the two bottom corners are the sharpest pair.
    panel = _part(run(TRAPEZOID_CCW + "fill_grid(name='o')"), "o")
    assert len(panel.vertices) == 16
    assert len(panel.faces) == 2 * 9
    assert panel.area == pytest.approx(1.5, rel=1e-3)
    # Drawn the other way round, the first corner in the first half is the other bottom corner,
    # 4 edges on: a 4 x 2 grid (15 vertices).
    points = TRAPEZOID_POINTS.strip("[]").split("], [")
    reversed_points = "[[" + "], [".join(points[:1] + points[1:][::-1]) + "]]"
    panel = _part(run(TRAPEZOID_CCW.replace(TRAPEZOID_POINTS, reversed_points) + "fill_grid(name='o')"), "o")
    assert len(panel.vertices) == 15
    assert len(panel.faces) == 2 * 8


@pytest.mark.parametrize("thickness", [None, 0.05])
def test_fill_grid_leaves_an_odd_outline_unfilled(run, thickness):
    # A closed triangle-ish curve of 3 x 5 = 15 vertices: Grid Fill cannot pair its sides.
    body = (
        "create_primitive(name='box', primitive_type='cube', scale=[0.1, 0.1, 0.1])\n"
        "create_curve(name='t', control_points=[[0, 0, 0], [1, 0, 0], [0, 1, 0]], closed=True, resolution=5)\n"
        f"fill_grid(name='t', thickness={thickness})"
    )
    result = run(body)
    assert result.ok, result.reason
    assert len(result.parts["t"].faces) == 0


def test_fill_grid_slab_grows_against_grid_fills_normals(run):
    # The published seat runs clockwise seen from +Y: its grid faces -Y, so the slab grows up from
    # the outline (the original's seat top is 0.0669 above the outline, not at it).
    seat = _part(run(SEAT + "fill_grid(name='seat_8', thickness=0.0669)"), "seat_8")
    np.testing.assert_allclose(seat.bounds[:, 1], [-0.05, 0.0169], atol=1e-4)
    np.testing.assert_allclose(seat.extents, [0.48, 0.0669, 0.47], atol=1e-3)
    # A clockwise rectangle faces +Z and its slab grows down.
    board = _part(
        run("create_rectangle(name='board', width=1.0, length=0.5)\nfill_grid(name='board', thickness=0.1)"),
        "board",
    )
    np.testing.assert_allclose(board.bounds[:, 2], [-0.1, 0.0], atol=1e-6)
