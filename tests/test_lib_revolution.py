"""bezier_rotation and star_curve_rotation, checked by extents, radii, vertex counts and volumes."""

from __future__ import annotations

import math

import numpy as np
import pytest

pytestmark = pytest.mark.blender

# A closed rectangle profile: bottom on the axis, radius 0.3, height 0.5 (sharp corners: 4 points).
RECT_PROFILE = (
    "create_curve(name='p', control_points=[[0, 0, 0], [0.3, 0, 0], [0.3, 0.5, 0], [0, 0.5, 0]], "
    "handle_type=[1, 1, 1, 1, 1, 1, 1, 1])\n"
)


def _part(result, name):
    assert result.ok, result.reason
    return result.parts[name]


def _polygon_area(r, n):
    return 0.5 * n * r * r * math.sin(2 * math.pi / n)


def _closed_cylinder_area(r, h, n):
    """Surface of the n-sided prism of radius r and height h: two caps and the side."""
    return 2 * _polygon_area(r, n) + n * 2 * r * math.sin(math.pi / n) * h


def test_lathe_of_a_rectangle_is_a_closed_cylinder(run):
    result = run(RECT_PROFILE + "bezier_rotation(name='knob_1', profile_name='p')")
    mesh = _part(result, "knob_1")
    assert set(result.parts) == {"knob_1"}  # the profile is consumed
    np.testing.assert_allclose(mesh.extents, [0.6, 0.6, 0.5], atol=1e-5)
    # 48 segments around (4 x resolution 12); the two axis points are single vertices. The surface is
    # always solidified (spec 3b, item 4): thickness 0 doubles it, two coincident layers whose signed
    # volumes cancel.
    assert len(mesh.vertices) == 2 * (2 * 48 + 2)
    assert mesh.area == pytest.approx(2 * _closed_cylinder_area(0.3, 0.5, 48), rel=1e-5)
    assert abs(mesh.volume) < 1e-9
    radii = np.linalg.norm(mesh.vertices[:, :2], axis=1)
    assert np.all((radii < 1e-6) | (np.abs(radii - 0.3) < 1e-5))


@pytest.mark.parametrize("resolution", [3, 8, 20])
def test_resolution_sets_segments_per_quarter(run, resolution):
    mesh = _part(
        run(RECT_PROFILE + f"bezier_rotation(name='k', profile_name='p', resolution={resolution})"), "k"
    )
    segments = 4 * resolution
    assert len(mesh.vertices) == 2 * (2 * segments + 2)  # doubled by the always-applied solidify
    assert mesh.area == pytest.approx(2 * _closed_cylinder_area(0.3, 0.5, segments), rel=1e-5)


def test_lathe_is_placed_by_location_and_rotation(run):
    # -90 degrees about X: the lathe's axis (local Z) points along world +Y.
    body = RECT_PROFILE + (
        "bezier_rotation(name='k', profile_name='p', location=[1.0, 2.0, 3.0], rotation=[0.71, -0.71, 0.0, 0.0])"
    )
    mesh = _part(run(body), "k")
    np.testing.assert_allclose(mesh.extents, [0.6, 0.5, 0.6], atol=1e-4)
    np.testing.assert_allclose(mesh.bounds[0], [0.7, 2.0, 2.7], atol=1e-4)


def test_open_profile_with_thickness_makes_a_shell(run):
    # A bowl: from the axis out and up; the shell is about area x thickness.
    profile = (
        "create_curve(name='p', control_points=[[0, 0, 0], [0.3, 0, 0], [0.4, 0.3, 0]], "
        "handle_type=[1, 1, 1, 1, 1, 1])\n"
    )
    up = "rotation=[1, 0, 0, 0]"  # axis +Z (the default [0, 0, 0, 0] is Blender's half turn about X)
    thin = _part(run(profile + f"bezier_rotation(name='bowl', profile_name='p', {up})"), "bowl")
    thick = _part(
        run(profile + f"bezier_rotation(name='bowl', profile_name='p', {up}, thickness=0.01)"), "bowl"
    )
    # Always solidified: thickness 0 already doubles the 1 + 2 x 48 vertices.
    assert len(thin.vertices) == len(thick.vertices) == 2 * (1 + 2 * 48)
    surface = thin.area / 2  # one of the two coincident layers
    # Thinner than area x thickness only where the profile turns (Solidify's plain offset).
    assert 0.8 * surface * 0.01 < abs(thick.volume) < surface * 0.01
    # Drawn from the axis out and up, the faces face into the bowl (spec 3b, item 4): the shell grows
    # outside, below the floor and beyond the rim, and the inner surface stays where the profile is.
    np.testing.assert_allclose(thin.extents, [0.8, 0.8, 0.3], atol=1e-4)
    assert thick.bounds[0, 2] == pytest.approx(-0.01, abs=1e-6)
    assert thick.bounds[1, 2] == pytest.approx(0.3, abs=1e-6)
    assert np.all(thick.extents[:2] > thin.extents[:2] + 0.018)


def test_smooth_profile_points_follow_the_curve(run):
    # A bulb: AUTO handles; every profile vertex turns into a full ring.
    profile = (
        "create_curve(name='p', control_points=[[0.03, 0.0, 0.0], [0.08, 0.12, 0.0], [0.05, 0.2, 0.0], "
        "[0.0, 0.22, 0.0]])\n"
    )
    mesh = _part(
        run(
            profile + "bezier_rotation(name='bulb', profile_name='p', rotation=[1, 0, 0, 0], use_smooth=True)"
        ),
        "bulb",
    )
    # A bare curve gets 12 segments per span (spec 3b, item 1): 3 spans make 37 profile points, the
    # last on the axis: 36 rings of 48 plus 1 apex, doubled by the always-applied solidify.
    assert len(mesh.vertices) == 2 * (36 * 48 + 1)
    assert mesh.bounds[1, 2] == pytest.approx(0.22, abs=1e-5)
    # The published default rotation [0, 0, 0, 0] is what Blender makes of it: a half turn about X.
    flipped = _part(run(profile + "bezier_rotation(name='bulb', profile_name='p')"), "bulb")
    assert flipped.bounds[0, 2] == pytest.approx(-0.22, abs=1e-5) and flipped.bounds[1, 2] == pytest.approx(
        0.0
    )


def test_star_rotation_alternates_radius_by_r_diff(run):
    body = (
        RECT_PROFILE
        + "star_curve_rotation(name='vase', profile_name='p', num_points=12, r_diff=0.05, thickness=0)"
    )
    mesh = _part(run(body), "vase")
    radii = np.linalg.norm(mesh.vertices[:, :2], axis=1)
    off_axis = radii[radii > 1e-6]
    assert off_axis.max() == pytest.approx(0.35, abs=1e-5)  # tips: x + r_diff
    assert off_axis.min() == pytest.approx(0.30, abs=1e-5)  # valleys: x
    # 12 tips on each of the 2 rings, on both layers (thickness 0 still solidifies, as for the lathe).
    assert np.sum(np.abs(radii - 0.35) < 1e-5) == 2 * 2 * 12
    # The star polygon with straight edges: 24 triangles between tips and valleys; the side is 24
    # straight edges high 0.5. Two coincident layers.
    star_area = 24 * 0.5 * 0.35 * 0.30 * math.sin(math.pi / 12)
    edge = math.sqrt(0.35**2 + 0.30**2 - 2 * 0.35 * 0.30 * math.cos(math.pi / 12))
    assert mesh.area == pytest.approx(2 * (2 * star_area + 24 * edge * 0.5), rel=1e-5)


def test_star_rotation_default_thickness_makes_a_shell(run):
    thin = _part(run(RECT_PROFILE + "star_curve_rotation(name='v', profile_name='p', thickness=0)"), "v")
    shell = _part(run(RECT_PROFILE + "star_curve_rotation(name='v', profile_name='p')"), "v")
    # Both solidified; thickness 0 leaves two coincident layers, the default 0.002 a thin shell.
    assert len(shell.vertices) == len(thin.vertices) == 2 * (2 * 32 + 2)
    assert abs(thin.volume) < 1e-9
    assert 0 < shell.volume < 0.002 * thin.area / 2


def test_missing_profile_is_a_runtime_error(run):
    result = run("bezier_rotation(name='k', profile_name='nope')")
    assert not result.ok
    assert "nope" in result.error
