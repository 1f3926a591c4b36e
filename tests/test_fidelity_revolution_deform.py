"""Spec 3b items 4 and 9, checked by numbers: the lathe's winding and its always-applied shell, and the
curve modifier's path read in the deform frame.

Item 4: a lathe face's normal is (profile direction) x (counter-clockwise direction around local +Z),
not recalculated, and the surface is always solidified (offset -1, against those normals), so the side a
shell grows on follows how the profile was drawn and thickness 0 adds a coincident layer. In the
profile's (radius r, height z) plane the rule reads: a segment with direction (dr, dz) has the normal
(-dz, dr), i.e. the direction turned a quarter turn counter-clockwise.

Item 9: the path is a poly line through the curve's evaluated points written in the deform frame, so a
part laid along it keeps its cross-section in the frame's axes.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

pytestmark = pytest.mark.blender

UP = "rotation=[1, 0, 0, 0]"  # lathe axis = world +Z (the default [0, 0, 0, 0] is a half turn about X)
SEGMENTS = 48  # around the axis at the default resolution 12
ON_PROFILE = 1e-5


def _part(result, name):
    assert result.ok, result.reason
    return result.parts[name]


def _sharp_curve(name, points_rz):
    """A bare profile curve through (r, z) points with sharp (VECTOR) corners."""
    points = ", ".join(f"[{r}, {z}, 0]" for r, z in points_rz)
    return f"create_curve(name='{name}', control_points=[{points}], handle_type={[1] * 2 * len(points_rz)})\n"


def _segment_distances(rz, profile):
    """Distance of each (r, z) point to each segment of the polyline ``profile``: (N, S)."""
    a, b = np.asarray(profile[:-1], float), np.asarray(profile[1:], float)
    d = b - a
    t = np.clip(np.einsum("nsk,sk->ns", rz[:, None, :] - a, d) / np.einsum("sk,sk->s", d, d), 0.0, 1.0)
    nearest = a + t[..., None] * d
    return np.linalg.norm(rz[:, None, :] - nearest, axis=2)


def _profile_layer(mesh, profile):
    """Triangles whose three vertices lie on the profile turned about Z: the lathe's own surface, apart
    from the layer solidify added (rim faces, which join the two, are left out)."""
    v = mesh.vertices
    rz = np.stack([np.hypot(v[:, 0], v[:, 1]), v[:, 2]], axis=1)
    on = _segment_distances(rz, profile).min(axis=1) < ON_PROFILE
    return mesh.faces[on[mesh.faces].all(axis=1)]


# -------------------------------------------------------------------------------------- item 4


# A bowl floor from r = 0.2 out to 0.3, then a wall flaring out to r = 0.4 at z = 0.3.
BOWL_RING = [(0.2, 0.0), (0.3, 0.0), (0.4, 0.3)]


@pytest.mark.parametrize("profile", [BOWL_RING, BOWL_RING[::-1]], ids=["drawn_outward", "drawn_inward"])
def test_lathe_face_normal_is_profile_direction_cross_counter_clockwise(run, profile):
    body = _sharp_curve("p", profile) + f"bezier_rotation(name='b', profile_name='p', {UP}, thickness=0.02)"
    mesh = _part(run(body), "b")
    faces = _profile_layer(mesh, profile)
    assert len(faces) == 2 * SEGMENTS * 2  # 2 straight spans x 48 quads, two triangles each
    tri = mesh.vertices[faces]
    normals = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    normals /= np.linalg.norm(normals, axis=1, keepdims=True)
    centre = tri.mean(axis=1)
    radial = centre[:, :2] / np.linalg.norm(centre[:, :2], axis=1, keepdims=True)
    rz = np.stack([np.hypot(centre[:, 0], centre[:, 1]), centre[:, 2]], axis=1)
    segment = _segment_distances(rz, profile).argmin(axis=1)
    d = np.diff(np.asarray(profile, float), axis=0)
    d /= np.linalg.norm(d, axis=1, keepdims=True)
    # (dr, dz) x counter-clockwise = -dz along the outward radial direction + dr along +Z.
    expected = np.concatenate([-d[segment, 1:2] * radial, d[segment, 0:1]], axis=1)
    assert np.einsum("ij,ij->i", normals, expected).min() > 0.999


def test_bowl_shell_grows_outside_when_the_profile_runs_up_from_the_axis(run):
    # The spec's bowl (extent 0.973 -> 0.991): normals face into the bowl, so the shell grows outside.
    profile = [(0.0, 0.0), (0.3, 0.0), (0.4, 0.3)]
    body = (
        _sharp_curve("p", profile) + f"bezier_rotation(name='bowl', profile_name='p', {UP}, thickness=0.01)"
    )
    bowl = _part(run(body), "bowl")
    assert len(bowl.vertices) == 2 * (1 + 2 * SEGMENTS)  # apex + 2 rings, doubled by solidify
    # The apex moves down by the thickness; the rim moves against the wall normal (-0.3, 0.1)/|.|.
    wall = math.hypot(0.1, 0.3)
    assert bowl.bounds[0, 2] == pytest.approx(-0.01, abs=1e-6)
    assert bowl.bounds[1, 2] == pytest.approx(0.3, abs=1e-6)
    assert bowl.bounds[1, 0] == pytest.approx(0.4 + 0.01 * 0.3 / wall, abs=1e-6)
    assert bowl.extents[0] > 0.8 + 0.018
    assert bowl.volume > 0  # a closed shell, outward wound


def test_bowl_drawn_from_the_rim_down_grows_its_shell_inside(run):
    profile = [(0.4, 0.3), (0.3, 0.0), (0.0, 0.0)]
    body = (
        _sharp_curve("p", profile) + f"bezier_rotation(name='bowl', profile_name='p', {UP}, thickness=0.01)"
    )
    bowl = _part(run(body), "bowl")
    wall = math.hypot(0.1, 0.3)
    assert bowl.bounds[0, 2] == pytest.approx(0.0, abs=1e-6)
    assert bowl.bounds[1, 0] == pytest.approx(0.4, abs=1e-6)
    assert bowl.bounds[1, 2] == pytest.approx(0.3 + 0.01 * 0.1 / wall, abs=1e-6)


# A closed rectangle: bottom on the axis, radius 0.3, height 0.5, drawn counter-clockwise in (r, z).
RECT = [(0.0, 0.0), (0.3, 0.0), (0.3, 0.5), (0.0, 0.5)]


@pytest.mark.parametrize(("profile", "sign"), [(RECT, -1), (RECT[::-1], 1)], ids=["ccw", "cw"])
def test_closed_profile_winding_sets_the_sign_of_the_volume(run, profile, sign):
    # The profile is open (first and last points on the axis); the lathe closes it there.
    body = _sharp_curve("p", profile) + f"bezier_rotation(name='k', profile_name='p', {UP}, thickness=0.02)"
    mesh = _part(run(body), "k")
    faces = _profile_layer(mesh, profile)
    tri = mesh.vertices[faces]
    layer_volume = np.einsum("ij,ij->i", tri[:, 0], np.cross(tri[:, 1], tri[:, 2])).sum() / 6.0
    cylinder = 0.5 * SEGMENTS * 0.09 * math.sin(2 * math.pi / SEGMENTS) * 0.5
    assert layer_volume == pytest.approx(sign * cylinder, rel=1e-4)
    # Counter-clockwise faces the axis, so the shell grows outside: the axis points move the full
    # thickness along Z, the corners out along their (averaged) normals.
    if sign < 0:
        np.testing.assert_allclose(mesh.bounds[:, 2], [-0.02, 0.52], atol=1e-6)
        assert 0.6 + 0.02 < mesh.extents[0] < 0.6 + 0.04
    else:
        np.testing.assert_allclose(mesh.bounds, [[-0.3, -0.3, 0.0], [0.3, 0.3, 0.5]], atol=1e-6)


def test_thickness_zero_still_adds_a_coincident_layer(run):
    body = _sharp_curve("p", RECT) + f"bezier_rotation(name='k', profile_name='p', {UP}, thickness=0)"
    mesh = _part(run(body), "k")
    single = 2 * SEGMENTS + 2  # two rings and two axis points
    assert len(mesh.vertices) == 2 * single
    # Every vertex has a twin at the same place; the two layers are wound against each other.
    rows = np.round(mesh.vertices, 6)
    _, counts = np.unique(rows, axis=0, return_counts=True)
    assert np.all(counts == 2)
    assert abs(mesh.volume) < 1e-9
    chord = 2 * 0.3 * math.sin(math.pi / SEGMENTS)
    single_area = 2 * (0.5 * SEGMENTS * 0.09 * math.sin(2 * math.pi / SEGMENTS)) + SEGMENTS * chord * 0.5
    assert mesh.area == pytest.approx(2 * single_area, rel=1e-5)


def test_rotation_is_applied_before_the_shell(run):
    # Axis along world +Y: the same bowl, turned; its shell still grows outside, by world units.
    profile = [(0.0, 0.0), (0.3, 0.0), (0.4, 0.3)]
    body = _sharp_curve("p", profile) + (
        "bezier_rotation(name='bowl', profile_name='p', location=[1.0, 0.0, 0.0], "
        "rotation=[0.7071068, -0.7071068, 0.0, 0.0], thickness=0.01)"
    )
    bowl = _part(run(body), "bowl")
    wall = math.hypot(0.1, 0.3)
    assert bowl.bounds[0, 1] == pytest.approx(-0.01, abs=1e-5)
    assert bowl.bounds[1, 1] == pytest.approx(0.3, abs=1e-5)
    assert bowl.bounds[1, 0] == pytest.approx(1.4 + 0.01 * 0.3 / wall, abs=1e-5)


def test_star_rotation_shares_the_winding_and_the_shell(run):
    # "The same around a star-shaped path": thickness 0 doubles it, and a counter-clockwise profile
    # grows its shell outside the tips.
    star = "star_curve_rotation(name='v', profile_name='p', num_points=12, r_diff=0.05, {UP}, thickness={t})"
    thin = _part(run(_sharp_curve("p", RECT) + star.format(UP=UP, t=0)), "v")
    assert len(thin.vertices) == 2 * (2 * 24 + 2)
    assert abs(thin.volume) < 1e-9
    shell = _part(run(_sharp_curve("p", RECT) + star.format(UP=UP, t=0.01)), "v")
    # The tips move out along their (averaged) normals, the bottom apex down by the thickness.
    radii = np.hypot(shell.vertices[:, 0], shell.vertices[:, 1])
    assert 0.35 + 0.005 < radii.max() < 0.35 + 0.01
    assert shell.bounds[0, 2] == pytest.approx(-0.01, abs=1e-6)


# -------------------------------------------------------------------------------------- item 9

# A seat slab 0.6 wide (world X), 0.02 thick (world Y), 1.2 long (world Z from 0), at height 0.4, laid
# along a path that runs 0.6 along +Z and then rises at 45 degrees: a seat with its back. The deform
# frame sits at the path's start with its X along world +Z (a -90 degree turn about Y), so frame Y is
# world Y and frame Z is world -X.
SEAT_LEVELS = 48
PATH = [(0.0, 0.4, 0.0), (0.0, 0.4, 0.6), (0.0, 1.0, 1.2)]
BEND = 0.6  # arc length of the corner
# The curve is drawn with sharp points every 1/12 of each span, so its evaluated points (the poly line)
# are dense and the path's direction is exact on the straight spans.
CURVE_POINTS = [
    tuple(round(a + (b - a) * k / 12, 6) for a, b in zip(PATH[span], PATH[span + 1]))
    for span in range(2)
    for k in range(12)
] + [PATH[-1]]
# Blender smooths the path's direction over a few evaluated points around the corner; away from it the
# cross-section is exactly perpendicular to the straight spans.
NEAR_BEND = 0.15


def _seat(location="[0.0, 0.4, 0.6]", apply=True):
    transform = ", apply=True" if apply else ""  # else the placement stays in the object transform
    return (
        f"create_primitive(name='seat', primitive_type='cube', location={location}, scale=[0.3, 0.01, 0.6], "
        f"use_minimum_face=False, resolution=[1, 1, {SEAT_LEVELS}]{transform})\n"
    )


def _lay_along_path():
    points = ", ".join(f"[{x}, {y}, {z}]" for x, y, z in CURVE_POINTS)
    return (
        f"create_curve(name='path', control_points=[{points}], handle_type={[1] * 2 * len(CURVE_POINTS)})\n"
        "add_curve_modifier_to_object(name='seat', curve_name='path', origin=[0.0, 0.4, 0.0], "
        "rotation=[0.7071068, 0.0, -0.7071068, 0.0], axis='POS_X')"
    )


def _by_hand(straight):
    """Where each vertex of the straight slab goes, from the poly line PATH: arc length s = frame x =
    world z, the width w (world X = -frame Z) kept, the thickness h (frame Y) across the path in the YZ
    plane. Returns (expected positions, s, whether the cross direction is exact there)."""
    points = np.asarray(PATH, float)
    s, w, h = straight[:, 2], straight[:, 0], straight[:, 1] - 0.4
    first, second = points[1] - points[0], points[2] - points[1]
    on_first = s <= BEND
    t1 = first / np.linalg.norm(first)
    t2 = second / np.linalg.norm(second)
    centre = np.where(on_first[:, None], points[0] + s[:, None] * t1, points[1] + (s - BEND)[:, None] * t2)
    # The path turns about world X (frame Z), so the in-plane normal turns with it: +Y, then (0, 1, -1)/sqrt 2.
    normal = np.where(on_first[:, None], [0.0, 1.0, 0.0], [0.0, 2**-0.5, -(2**-0.5)])
    expected = centre + w[:, None] * [1.0, 0.0, 0.0] + h[:, None] * normal
    return expected, centre, np.abs(s - BEND) > NEAR_BEND


@pytest.mark.parametrize("apply", [True, False], ids=["applied", "object_transform"])
def test_curve_modifier_reads_the_part_in_the_deform_frame(run, apply):
    straight = _part(run(_seat(apply=apply)), "seat").vertices
    result = run(_seat(apply=apply) + _lay_along_path())
    seat = _part(result, "seat")
    assert set(result.parts) == {"seat"}  # the curve is gone
    assert len(seat.vertices) == len(straight) == 4 * (SEAT_LEVELS + 1)
    expected, centre, exact = _by_hand(straight)
    # Each level is four corners symmetric about the centre line: their mean is the path point at that
    # arc length, exactly (positions are linear between the poly line's points), bend or not.
    order = np.lexsort((straight[:, 1], straight[:, 0], straight[:, 2]))
    means = seat.vertices[order].reshape(-1, 4, 3).mean(axis=1)
    np.testing.assert_allclose(means, centre[order][::4], atol=1e-5)
    # Away from the bend every vertex is where the hand computation puts it: the width stays along
    # world X (the frame's Z), the thickness turns with the path in the YZ plane.
    np.testing.assert_allclose(seat.vertices[exact], expected[exact], atol=1e-5)
    np.testing.assert_allclose(seat.bounds[:, 0], [-0.3, 0.3], atol=1e-5)
    assert seat.bounds[1, 2] == pytest.approx(BEND + 0.6 * 2**-0.5 + 0.01 * 2**-0.5, abs=1e-5)


def test_curve_modifier_distance_along_the_path_is_the_frame_coordinate(run):
    # The slab moved 0.3 further along frame X (world +Z) slides 0.3 along the path; its end passes the
    # path's end (length 0.6 + 0.849) by 0.05 and runs on straight.
    straight = _part(run(_seat(location="[0.0, 0.4, 0.9]")), "seat").vertices
    seat = _part(run(_seat(location="[0.0, 0.4, 0.9]") + _lay_along_path()), "seat")
    expected, _, exact = _by_hand(straight)
    np.testing.assert_allclose(seat.vertices[exact], expected[exact], atol=1e-5)
    assert seat.bounds[0, 2] == pytest.approx(0.3, abs=1e-5)
    assert seat.bounds[1, 1] == pytest.approx(0.4 + 0.9 * 2**-0.5 + 0.01 * 2**-0.5, abs=1e-5)
