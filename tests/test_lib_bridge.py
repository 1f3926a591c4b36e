"""bridge_edge_loops, checked by vertex counts, radii, areas and volumes."""

from __future__ import annotations

import math

import numpy as np
import pytest

pytestmark = pytest.mark.blender

# Two circles of 32 vertices, radius 0.5, at z = 0 and z = 1.
TWO_CIRCLES = "create_circle(name=['c1', 'c2'], location=[[0, 0, 0], [0, 0, 1]], radius=0.5)\n"


def _part(result, name):
    assert result.ok, result.reason
    return result.parts[name]


# A 4-point Bezier circle bulges out of the true circle by up to 0.027 % of its radius.
BEZIER_ROUNDNESS = 3e-4


def _polygon_area(r, n=32):
    return 0.5 * n * r * r * math.sin(2 * math.pi / n)


@pytest.mark.parametrize(("cuts", "rings"), [(0, 2), (4, 6), (None, 34)])
def test_vertex_count_is_loop_size_times_rings(run, cuts, rings):
    result = run(
        TWO_CIRCLES + f"bridge_edge_loops(name='tube', profile_name=['c1', 'c2'], number_cuts={cuts})"
    )
    tube = _part(result, "tube")
    assert set(result.parts) == {"tube"}  # the sections are consumed
    assert len(tube.vertices) == 32 * rings
    np.testing.assert_allclose(tube.extents, [1.0, 1.0, 1.0], atol=1e-5)
    # Straight walls: every vertex stays at the circles' radius, the rings evenly spaced.
    np.testing.assert_allclose(np.linalg.norm(tube.vertices[:, :2], axis=1), 0.5, rtol=BEZIER_ROUNDNESS)
    # One ring per level; PATH spacing eases in and out symmetrically (Blender's Hermite path).
    levels = np.unique(tube.vertices[:, 2].round(4))
    assert len(levels) == rings
    np.testing.assert_allclose(levels + levels[::-1], 1.0, atol=2e-4)


def test_fill_caps_close_the_ends(run):
    body = (
        TWO_CIRCLES + "bridge_edge_loops(name='t', profile_name=['c1', 'c2'], number_cuts=2, fill_caps='{}')"
    )
    open_ = _part(run(body.format("none")), "t")
    start = _part(run(body.format("start")), "t")
    both = _part(run(body.format("both")), "t")
    cap = _polygon_area(0.5)
    assert start.area == pytest.approx(open_.area + cap, rel=BEZIER_ROUNDNESS)
    assert both.area == pytest.approx(open_.area + 2 * cap, rel=BEZIER_ROUNDNESS)
    assert start.bounds[0, 2] == pytest.approx(0.0, abs=1e-6)
    # Closed and outward: a positive volume of cap area x height.
    assert both.volume == pytest.approx(cap * 1.0, rel=2 * BEZIER_ROUNDNESS)


def test_flip_normals_turns_the_solid_inside_out(run):
    body = (
        TWO_CIRCLES
        + "bridge_edge_loops(name='t', profile_name=['c1', 'c2'], fill_caps='both', flip_normals={})"
    )
    outward = _part(run(body.format("False")), "t")
    inward = _part(run(body.format("True")), "t")
    assert outward.volume > 0
    assert inward.volume == pytest.approx(-outward.volume, rel=1e-6)


def test_linear_interpolation_between_different_radii(run):
    body = (
        "create_circle(name=['a', 'b'], location=[[0, 0, 0], [0, 0, 1]], radius=[0.5, 1.0])\n"
        "bridge_edge_loops(name='cone', profile_name=['a', 'b'], number_cuts=1, interpolation='LINEAR')"
    )
    cone = _part(run(body), "cone")
    middle = cone.vertices[np.abs(cone.vertices[:, 2] - 0.5) < 1e-5]
    assert len(middle) == 32
    np.testing.assert_allclose(np.linalg.norm(middle[:, :2], axis=1), 0.75, rtol=BEZIER_ROUNDNESS)


def test_smoothness_bends_the_surface_through_three_sections(run):
    loops = "create_circle(name=['a', 'b', 'c'], location=[[0, 0, 0], [0, 0, 1], [0, 0, 2]], radius=[0.5, 1.0, 0.5])\n"
    bridge = "bridge_edge_loops(name='s', profile_name=['a', 'b', 'c'], number_cuts=3, interpolation='SURFACE', smoothness={})"
    flat = _part(run(loops + bridge.format(0.0)), "s")
    smooth = _part(run(loops + bridge.format(1.0)), "s")
    assert len(flat.vertices) == len(smooth.vertices) == 32 * (3 + 2 * 3)
    # Without smoothness the cuts lie on the straight cones; with it they bulge outward.
    assert smooth.area > flat.area * 1.001
    # Flat: the cuts lie on straight cones, so no vertex is farther out than the widest section.
    assert np.linalg.norm(flat.vertices[:, :2], axis=1).max() == pytest.approx(1.0, rel=1e-3)
    np.testing.assert_allclose(smooth.bounds[:, 2], [0, 2], atol=1e-5)


def test_open_chains_bridge_into_a_strip(run):
    # The chair back of the published examples: two straight lines, 16 cuts.
    body = (
        "create_curve(name=['line_1', 'line_2'], control_points=[[[-0.234, 0.467, -0.191], [-0.234, -0.021, -0.191]], "
        "[[0.236, 0.467, -0.191], [0.236, -0.021, -0.191]]], handle_type=[1, 1, 1, 1])\n"
        "bridge_edge_loops(name='back', profile_name=['line_1', 'line_2'], number_cuts=16)"
    )
    back = _part(run(body), "back")
    assert len(back.vertices) == 2 * 18
    assert back.area == pytest.approx(0.47 * 0.488, rel=1e-5)
    # Smoothness and profile factor bend the strip (still one strip of 18 x 2 vertices).
    bent = _part(
        run(body.replace("number_cuts=16", "number_cuts=16, smoothness=0.84, profile_shape_factor=0.16")),
        "back",
    )
    assert len(bent.vertices) == 2 * 18
    assert bent.area > back.area


def test_several_surfaces_share_sections(run):
    body = (
        "create_circle(name=['c1', 'c2', 'c3'], location=[[0, 0, 0], [0, 0, 1], [0, 0, 2]], radius=[0.5, 0.4, 0.5])\n"
        "bridge_edge_loops(name=['low', 'high'], profile_name=[['c1', 'c2'], ['c2', 'c3']], number_cuts=[2, 4], "
        "smoothness=0.0, fill_caps=['start', 'end'])"
    )
    result = run(body)
    assert result.ok, result.reason
    assert set(result.parts) == {"low", "high"}  # c2 served both, then all sections went
    low, high = result.parts["low"], result.parts["high"]
    assert len(low.vertices) == 32 * 4
    assert len(high.vertices) == 32 * 6
    np.testing.assert_allclose(low.bounds[:, 2], [0, 1], atol=1e-5)
    np.testing.assert_allclose(high.bounds[:, 2], [1, 2], atol=1e-5)
    # Mirror images (one cap of radius 0.5 each: the start of 'low', the end of 'high').
    assert low.area == pytest.approx(high.area, rel=2e-3)
    assert low.area > _polygon_area(0.5) + 2 * math.pi * 0.4 * 1.0


def test_per_surface_lists_must_match_the_number_of_surfaces(run):
    body = (
        "create_circle(name=['c1', 'c2', 'c3'], location=[[0, 0, 0], [0, 0, 1], [0, 0, 2]])\n"
        "bridge_edge_loops(name=['a', 'b'], profile_name=[['c1', 'c2'], ['c2', 'c3']], number_cuts=[2, 4, 8])"
    )
    result = run(body)
    assert not result.ok
    assert "number_cuts" in result.error


def test_unequal_loops_bridge_like_blender(run):
    # Published programs bridge loops of 99 and 96 vertices: Blender joins them with some triangles.
    body = (
        "create_circle(name='a', radius=0.5, resolution=32)\n"
        "create_circle(name='b', radius=0.5, location=[0, 0, 1], resolution=16)\n"
        "bridge_edge_loops(name='t', profile_name=['a', 'b'], number_cuts=0, fill_caps='both')"
    )
    tube = _part(run(body), "t")
    assert len(tube.vertices) == 32 + 16
    np.testing.assert_allclose(tube.extents, [1.0, 1.0, 1.0], atol=1e-4)
    # Closed: between the 16-gon and 32-gon prisms.
    assert _polygon_area(0.5, 16) < tube.volume < _polygon_area(0.5, 32)


def test_closed_and_open_sections_do_not_mix(run):
    body = (
        "create_circle(name='a', resolution=8)\n"
        "create_curve(name='b', control_points=[[0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 1, 1], [0, 0.5, 1]], "
        "handle_type=[1, 1, 1, 1, 1, 1, 1, 1, 1, 1], resolution=2)\n"
        "bridge_edge_loops(name='t', profile_name=['a', 'b'])"
    )
    result = run(body)
    assert not result.ok
    assert str(result.status) == "runtime_error"
    assert "closed loops with open chains" in result.error
    assert result.line is not None


def test_one_section_is_not_enough(run):
    result = run("create_circle(name='a')\nbridge_edge_loops(name='t', profile_name=['a'])")
    assert not result.ok
    assert "at least two sections" in result.error
